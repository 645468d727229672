//! Integration tests: the router driven in-process, the `check` command, migrations.

mod access;
mod check_cli;
mod content_files;
mod council;
mod crash;
mod devices;
mod district;
mod exchange;
mod fuzz;
mod glyphs;
mod hall;
mod helpers;
mod hygiene;
mod limits;
mod live;
mod migrations;
mod mistakes;
mod new_files;
mod pages;
mod pdf;
mod prompt_kinds;
mod readme;
mod reports;
mod roster;
#[path = "../support/server.rs"]
mod server;
mod share;
mod studio;
mod survey;
mod themes;
mod typeup;
mod wall;
