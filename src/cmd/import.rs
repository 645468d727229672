//! `acp-workbook import FILE`: bring a session exported on another server into this
//! server's database, all of it or nothing.

use std::process::ExitCode;

use crate::cli::ImportArgs;
use crate::db::Db;
use crate::exchange::{self, ImportError};

/// Reads the file, imports it, and says what was made (or everything that is wrong).
pub fn run(args: &ImportArgs) -> ExitCode {
    let fail = |message: &str, code: u8| {
        eprintln!("import: {message}");
        ExitCode::from(code)
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => {
            return fail(
                &format!("cannot read {}: {e}", args.file.display()),
                super::EXIT_FAILURE,
            );
        }
    };
    let db = match Db::open(&args.db) {
        Ok(db) => db,
        Err(e) => {
            return fail(
                &format!("cannot open the database {}: {e}", args.db.display()),
                super::EXIT_FAILURE,
            );
        }
    };
    let outcome = db.write_blocking(move |conn| {
        Ok(exchange::text_of(&bytes).and_then(|text| exchange::import_session(conn, text)))
    });
    match outcome {
        Ok(Ok(made)) => {
            println!(
                "imported 「{}」 ({}) into {}: {} tables, {} conclusion versions, {} people, {} survey responses, {} logged events",
                made.title,
                made.held_on,
                args.db.display(),
                made.tables,
                made.conclusions,
                made.people,
                made.survey_responses,
                made.events
            );
            println!("record page:      /s/{}/record", made.id);
            println!(
                "facilitator link: /f/{} (new: the other server's links do not work here)",
                made.facilitator_key
            );
            println!("join code:        {}", made.join_code);
            ExitCode::SUCCESS
        }
        Ok(Err(ImportError::Db(e))) | Err(e) => fail(
            &format!(
                "{}: the database refused the import; nothing was imported: {e}",
                args.file.display()
            ),
            super::EXIT_FAILURE,
        ),
        Ok(Err(e)) => {
            eprintln!(
                "import: {}: {}",
                args.file.display(),
                e.message(crate::lang::Lang::En)
            );
            for problem in e.problems(crate::lang::Lang::En) {
                eprintln!("  - {problem}");
            }
            ExitCode::from(super::EXIT_PROBLEMS)
        }
    }
}
