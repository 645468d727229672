//! Integration tests: the router driven in-process, the `check` command, migrations.

mod access;
mod check_cli;
mod crash;
mod exchange;
mod fuzz;
mod hall;
mod helpers;
mod live;
mod migrations;
mod pages;
mod pdf;
mod prompt_kinds;
mod reports;
mod roster;
#[path = "../support/server.rs"]
mod server;
mod survey;
mod wall;
