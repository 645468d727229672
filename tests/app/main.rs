//! Integration tests: the router driven in-process, the `check` command, migrations.

mod access;
mod check_cli;
mod crash;
mod helpers;
mod live;
mod migrations;
mod pages;
mod prompt_kinds;
#[path = "../support/server.rs"]
mod server;
