//! The command line: `serve` (the default), `check`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Runs facilitated advance-care-planning case-review sessions from curriculum files.
#[derive(Debug, Parser)]
#[command(name = "acp-workbook", version, about)]
pub struct Cli {
    /// What to do; without one, `serve` runs with its defaults.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app on the bundled (or given) content.
    Serve(ServeArgs),
    /// Load every curriculum and case and print every problem as `file:line: message`.
    Check(CheckArgs),
}

/// Options of `serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on. Use 0.0.0.0:8080 so tablets on the hall's network can join.
    #[arg(long, env = "ACP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The SQLite database file (created if missing).
    #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
    pub db: PathBuf,
    /// The folder holding `curricula/` and `cases/`.
    #[arg(long, env = "ACP_CONTENT", default_value = ".")]
    pub content: PathBuf,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: PathBuf::from("data/acp-workbook.db"),
            content: PathBuf::from("."),
        }
    }
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The folder holding `curricula/` and `cases/`.
    #[arg(long, env = "ACP_CONTENT", default_value = ".")]
    pub content: PathBuf,
}
