//! `acp-workbook serve`: check the content, open the database, serve.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::content::Library;
use crate::db::Db;
use crate::server::{AppState, app};

/// Runs the server until Ctrl-C; refuses to start on invalid content.
pub fn run(args: &ServeArgs) -> ExitCode {
    let library = match Library::load(&args.content) {
        Ok(library) => library,
        Err(problems) => {
            super::check::print_problems(&problems);
            eprintln!("the server did not start: the content has problems (see above)");
            return ExitCode::from(super::EXIT_PROBLEMS);
        }
    };
    let db = match Db::open(&args.db) {
        Ok(db) => db,
        Err(e) => {
            eprintln!(
                "the server did not start: {e} (database file: {})",
                args.db.display()
            );
            return ExitCode::from(super::EXIT_FAILURE);
        }
    };
    let state = match AppState::new(db, library) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("the server did not start: {e:#}");
            return ExitCode::from(super::EXIT_FAILURE);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("the server did not start: {e}");
            return ExitCode::from(super::EXIT_FAILURE);
        }
    };
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(args.addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on {}: {e}. Is another copy already running? Try another port with --addr 127.0.0.1:8081", args.addr);
                return ExitCode::from(super::EXIT_FAILURE);
            }
        };
        let addr = listener.local_addr().unwrap_or(args.addr);
        let shown = if addr.ip().is_unspecified() { format!("localhost:{}", addr.port()) } else { addr.to_string() };
        println!("acp-workbook is running. Open http://{shown}/ in a browser.");
        println!("  content: {} curricula, {} cases from {}", state.library.curricula.len(), state.library.cases.len(), args.content.display());
        println!("  database: {}", args.db.display());
        if addr.ip().is_loopback() {
            println!("  only this computer can connect; to let tablets on the hall network join, start with --addr 0.0.0.0:{}", addr.port());
        }
        println!("  stop with Ctrl-C");
        let served = axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await;
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("the server stopped: {e}");
                ExitCode::from(super::EXIT_FAILURE)
            }
        }
    })
}
