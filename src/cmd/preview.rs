//! `acp-workbook preview`: the previews alone, without sign-in, on the author's own
//! computer (as `mdbook serve` serves a book), reloading after every save.

use std::process::ExitCode;
use std::time::Duration;

use crate::cli::PreviewArgs;
use crate::content::Library;
use crate::db::Db;
use crate::server::conn::ConnLimits;
use crate::server::{AppState, preview_app};

/// Serves the previews until Ctrl-C. A folder with problems at the start is served
/// anyway: the pages show the problems until a save fixes them.
pub fn run(args: &PreviewArgs) -> ExitCode {
    let (library, problems) = match Library::load(&args.content) {
        Ok(library) => (library, Vec::new()),
        Err(problems) => {
            // The author's own laptop: Japanese, as `check` speaks by default.
            super::check::print_problems(&problems, crate::lang::Lang::Ja);
            (Library::default(), problems)
        }
    };
    // The previews keep nothing: an in-memory database is all the state needs.
    let state = match Db::open_in_memory()
        .map_err(anyhow::Error::from)
        .and_then(|db| AppState::new(db, library))
    {
        Ok(state) => state.with_content_dir(args.content.clone()),
        Err(e) => {
            eprintln!("the preview did not start: {e:#}");
            return ExitCode::from(super::EXIT_FAILURE);
        }
    };
    if !problems.is_empty() {
        state.set_content_problems(problems);
    }
    let watcher = match state.watch_content() {
        Ok(watcher) => watcher,
        Err(e) => {
            eprintln!("the preview did not start: {e:#}");
            return ExitCode::from(super::EXIT_FAILURE);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("the preview did not start: {e}");
            return ExitCode::from(super::EXIT_FAILURE);
        }
    };
    let limits = ConnLimits {
        header_timeout: Duration::from_secs(crate::server::conn::HEADER_TIMEOUT_SECS),
        body_timeout: Duration::from_secs(crate::server::conn::BODY_TIMEOUT_SECS),
        per_address: crate::server::conn::CONNECTIONS_PER_ADDRESS,
        total: 256,
    };
    let code = runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(args.addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "cannot listen on {}: {e}. Try another port with --addr 127.0.0.1:8091",
                    args.addr
                );
                return ExitCode::from(super::EXIT_FAILURE);
            }
        };
        let addr = listener.local_addr().unwrap_or(args.addr);
        println!("acp-workbook preview: open http://{addr}/preview in a browser.");
        println!(
            "  content: {} (curricula/ and cases/ are watched; a page follows each save)",
            args.content.display()
        );
        if !addr.ip().is_loopback() {
            println!(
                "  note: previews need no sign-in, and {addr} is reachable from other computers"
            );
        }
        println!("  stop with Ctrl-C");
        crate::server::conn::serve(listener, preview_app(state), limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        ExitCode::SUCCESS
    });
    drop(watcher);
    code
}
