//! `acp-workbook serve`: check the content, open the database, serve.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::content::Library;
use crate::db::Db;
use std::time::Duration;

use crate::server::auth::OrganizerSecret;
use crate::server::conn::ConnLimits;
use crate::server::{AppState, app};

/// Live screens hold one connection each: a hall of 30 tables, projectors and phones
/// needs far more than the usual 1,024 open files, and a burst of reconnecting screens
/// after a Wi-Fi drop needs a long accept queue.
const BACKLOG: u32 = 4096;

/// Raises the open-files limit as far as allowed; returns the limit in force.
fn raise_fd_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!("could not raise the open-files limit: {e}");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Runs the server until Ctrl-C; refuses to start on invalid content.
pub fn run(args: &ServeArgs) -> ExitCode {
    // The UI strings are compiled in, so this fails only for a build from broken files.
    if let Err(errors) = crate::i18n::check() {
        for error in &errors {
            eprintln!("{error}");
        }
        eprintln!("the server did not start: the UI string files have errors (see above)");
        return ExitCode::from(super::EXIT_FAILURE);
    }
    let library = match Library::load(&args.content) {
        Ok(library) => library,
        Err(problems) => {
            let lang = crate::lang::Lang::from_code(&args.lang);
            super::check::print_problems(&problems, lang);
            eprintln!("{}", crate::i18n::format(lang, "check.serve_refused", &[]));
            return ExitCode::from(super::EXIT_PROBLEMS);
        }
    };
    // One server per database file: a second one (or a restore) is told the file is in use.
    let _lock = match crate::db::lock_file(&args.db) {
        Ok(lock) => lock,
        Err(message) => {
            eprintln!("the server did not start: {message}");
            return ExitCode::from(super::EXIT_FAILURE);
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
    let secret = match &args.organizer_password {
        Some(password) if password.chars().count() < 8 => {
            eprintln!(
                "the server did not start: ACP_ORGANIZER_PASSWORD must have at least 8 characters"
            );
            return ExitCode::from(super::EXIT_FAILURE);
        }
        Some(password) => match OrganizerSecret::password(password) {
            Ok(secret) => secret,
            Err(e) => {
                eprintln!("the server did not start: {e:#}");
                return ExitCode::from(super::EXIT_FAILURE);
            }
        },
        None => OrganizerSecret::random_code(),
    };
    let code = secret.code().map(str::to_string);
    let state = match AppState::new(db, library).map(|s| {
        s.with_organizer(secret)
            .with_content_dir(args.content.clone())
            .with_address_limits(args.survey_answers_per_address, args.checkins_per_address)
    }) {
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
    // Saves to the content folder reach new sessions and the previews without a restart.
    let watcher = match state.watch_content() {
        Ok(watcher) => watcher,
        Err(e) => {
            tracing::warn!("{e:#}; content changes need a restart to take effect");
            None
        }
    };
    let fd_limit = raise_fd_limit();
    let limits = ConnLimits {
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        body_timeout: Duration::from_secs(args.body_timeout_secs),
        per_address: args.connections_per_address.max(1),
        total: args
            .max_connections
            .unwrap_or(usize::MAX)
            .min(ConnLimits::total_for_fd_limit(fd_limit))
            .max(1),
    };
    runtime.block_on(async {
        let listener = match listen(args.addr) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on {}: {e}. Is another copy already running? Try another port with --addr 127.0.0.1:8081", args.addr);
                return ExitCode::from(super::EXIT_FAILURE);
            }
        };
        let addr = listener.local_addr().unwrap_or(args.addr);
        let shown = if addr.ip().is_unspecified() { format!("localhost:{}", addr.port()) } else { addr.to_string() };
        println!("acp-workbook is running. Open http://{shown}/ in a browser.");
        println!("  content: {} curricula, {} cases from {}", state.library().curricula.len(), state.library().cases.len(), args.content.display());
        println!("  database: {}", args.db.display());
        if watcher.is_some() {
            println!("  watching curricula/ and cases/: a saved file is read again at once (sessions already started keep their version)");
        }
        if addr.ip().is_loopback() {
            println!("  only this computer can connect; to let tablets on the hall network join, start with --addr 0.0.0.0:{}", addr.port());
        }
        match &code {
            Some(code) => println!("  organizer sign-in: http://{shown}/signin?code={code} (a new code each start; set ACP_ORGANIZER_PASSWORD for a fixed password)"),
            None => println!("  organizer sign-in: http://{shown}/signin with the password from ACP_ORGANIZER_PASSWORD"),
        }
        println!("  stop with Ctrl-C");
        crate::server::conn::serve(listener, app(state), limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        ExitCode::SUCCESS
    })
}
