//! Integration tests: the router driven in-process, the `check` command, migrations.

mod check_cli;
mod helpers;
mod migrations;
mod pages;
