//! The `acp-workbook` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use acp_workbook::cli::{Cli, Command, ServeArgs};
use acp_workbook::cmd;
use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ACP_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("acp_workbook=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Some(Command::Check(args)) => cmd::check::run(&args),
        Some(Command::Serve(args)) => cmd::serve::run(&args),
        Some(Command::Preview(args)) => cmd::preview::run(&args),
        Some(Command::Backup(args)) => cmd::backup::backup(&args),
        Some(Command::Restore(args)) => cmd::backup::restore(&args),
        Some(Command::Export(args)) => cmd::export::run(&args),
        Some(Command::Import(args)) => cmd::import::run(&args),
        Some(Command::Typeup(args)) => cmd::typeup::run(&args),
        Some(Command::New(args)) => cmd::new::run(&args),
        Some(Command::Share(args)) => cmd::share::run(&args),
        None => cmd::serve::run(&ServeArgs::default()),
    }
}
