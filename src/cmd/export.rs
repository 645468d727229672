//! `acp-workbook export`: write one of the four workbook PDFs to a file.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{ExportArgs, ExportDocument, ExportOutput, PaperSize};
use crate::content::Library;
use crate::db::{Db, queries};
use crate::pdf::{self, Doc, Paper, Stage};
use crate::workbook::{self, SessionData};

/// Builds the document, renders it with progress on stderr, and writes the file.
pub fn run(args: &ExportArgs) -> ExitCode {
    let (doc, output) = match build(&args.document) {
        Ok(built) => built,
        Err(code) => return code,
    };
    let paper = match output.paper {
        PaperSize::A4 => Paper::A4,
        PaperSize::B5 => Paper::B5,
    };
    write(&doc, paper, &output.out)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("export: {message}");
    ExitCode::from(super::EXIT_FAILURE)
}

fn build(document: &ExportDocument) -> Result<(Doc, &ExportOutput), ExitCode> {
    match document {
        ExportDocument::Programme {
            curriculum,
            content,
            output,
        }
        | ExportDocument::Guide {
            curriculum,
            content,
            output,
        } => {
            let library = Library::load(content).map_err(|problems| {
                super::check::print_problems(&problems);
                ExitCode::from(super::EXIT_PROBLEMS)
            })?;
            let Some(c) = library.curricula.get(curriculum) else {
                let known: Vec<&str> = library.curricula.keys().map(String::as_str).collect();
                return Err(fail(&format!(
                    "there is no curriculum `{curriculum}` in {}; known: {}",
                    content.display(),
                    known.join(", ")
                )));
            };
            let doc = if matches!(document, ExportDocument::Guide { .. }) {
                workbook::guide(c, &library)
            } else {
                workbook::programme(c, &library)
            };
            Ok((doc, output))
        }
        ExportDocument::Session {
            session,
            db,
            output,
        } => {
            let data = session_data(db, session)?;
            Ok((workbook::session_record(&data), output))
        }
        ExportDocument::Table {
            session,
            table,
            db,
            output,
        } => {
            let data = session_data(db, session)?;
            let count = data.tables.len();
            let doc = workbook::table_record(&data, *table).ok_or_else(|| {
                fail(&format!(
                    "the session has no table {table}; its tables are 1 to {count}"
                ))
            })?;
            Ok((doc, output))
        }
    }
}

/// Opens the database (never creating one) and reads a session by id or join code.
fn session_data(db: &Path, wanted: &str) -> Result<SessionData, ExitCode> {
    if !db.is_file() {
        return Err(fail(&format!(
            "there is no database at {}; pass the server's database with --db FILE",
            db.display()
        )));
    }
    let db = Db::open(db).map_err(|e| fail(&format!("cannot open the database: {e}")))?;
    let wanted = wanted.trim().to_string();
    let found = db.call_blocking(|conn| {
        let session = match queries::session(conn, &wanted)? {
            Some(s) => Some(s),
            None => queries::session_by_join_code(conn, &crate::token::normalize_code(&wanted))?,
        };
        let Some(session) = session else {
            return Ok(None);
        };
        let run = match workbook::load_run(conn, session) {
            Ok(run) => run,
            Err(e) => return Ok(Some(Err(e))),
        };
        Ok(Some(Ok(SessionData::load(conn, run)?)))
    });
    match found {
        Ok(Some(Ok(data))) => Ok(data),
        Ok(Some(Err(e))) => Err(fail(&e)),
        Ok(None) => Err(fail(&format!(
            "no session has the id or join code `{wanted}` (the id is the last part of the record page address /s/ID/record)"
        ))),
        Err(e) => Err(fail(&format!("reading the database: {e}"))),
    }
}

fn write(doc: &Doc, paper: Paper, out: &Path) -> ExitCode {
    let started = Instant::now();
    let mut err = std::io::stderr();
    let live = err.is_terminal();
    let mut shown = 0;
    let mut progress = |stage: Stage| {
        match stage {
            Stage::Layout => {
                let _ = writeln!(err, "laying out {}…", doc.title);
            }
            Stage::Draw { page, pages } => {
                // A line per tenth on a log, a counter in place on a terminal.
                let tenth = page * 10 / pages.max(1);
                if live {
                    let _ = write!(err, "\rdrawing page {page}/{pages}");
                } else if tenth > shown || page == 1 {
                    shown = tenth;
                    let _ = writeln!(err, "drawing page {page}/{pages}");
                }
            }
            Stage::Finish => {
                let _ = writeln!(
                    err,
                    "{}embedding fonts and compressing…",
                    if live { "\n" } else { "" }
                );
            }
        }
    };
    let rendered = match pdf::render(doc, paper, &mut progress) {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    for warning in rendered.warnings() {
        eprintln!("warning: {warning}");
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return fail(&format!("cannot create {}: {e}", parent.display()));
    }
    if let Err(e) = std::fs::write(out, &rendered.bytes) {
        return fail(&format!("cannot write {}: {e}", out.display()));
    }
    println!(
        "wrote {}: {} pages, {} KB, {:.2} s",
        out.display(),
        rendered.pages,
        rendered.bytes.len().div_ceil(1024),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
