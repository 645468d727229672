//! `acp-workbook export`: write one of the four workbook PDFs to a file, or a session's
//! data as JSON or CSV.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{DataOutput, ExportArgs, ExportDocument, ExportOutput, PaperSize};
use crate::content::Library;
use crate::db::{Db, DbError};
use crate::db::{sessions, sessions::SessionRow};
use crate::lang::Lang;
use crate::pdf::{self, Doc, Paper, Stage};
use crate::workbook::glyphs::{self, Report};
use crate::workbook::{self, SessionData};

/// Builds the document, renders it with progress on stderr, and writes the file.
pub fn run(args: &ExportArgs) -> ExitCode {
    match &args.document {
        ExportDocument::Json {
            session,
            db,
            output,
        } => return session_json(db, session, output),
        ExportDocument::Csv {
            session,
            table,
            db,
            output,
        } => return session_csv(db, session, *table, output),
        _ => {}
    }
    let lang = Lang::from_code(&args.lang);
    let (doc, output, located) = match build(&args.document, lang) {
        Ok(built) => built,
        Err(code) => return code,
    };
    let paper = match output.paper {
        PaperSize::A4 => Paper::A4,
        PaperSize::B5 => Paper::B5,
    };
    write(&doc, paper, &output.out, &located, lang)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("export: {message}");
    ExitCode::from(super::EXIT_FAILURE)
}

/// The document, where it goes, and (for a record) the typed characters it cannot
/// print with where they were typed.
fn build(document: &ExportDocument, lang: Lang) -> Result<(Doc, &ExportOutput, Report), ExitCode> {
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
                super::check::print_problems(&problems, crate::lang::Lang::Ja);
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
            Ok((doc, output, Report::default()))
        }
        ExportDocument::Session {
            session,
            db,
            output,
        } => {
            let data = session_data(db, session)?;
            let located = located(&data, None, lang);
            Ok((workbook::session_record(&data), output, located))
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
            Ok((doc, output, located(&data, Some(*table), lang)))
        }
        ExportDocument::Json { .. } | ExportDocument::Csv { .. } => Err(fail(
            "JSON and CSV are written by `run`, not rendered as PDF",
        )),
    }
}

/// The characters of a session's (or one table's) typed texts that no bundled font has.
fn located(data: &SessionData, table: Option<i64>, lang: Lang) -> Report {
    glyphs::session_unprintable(
        &data.run,
        &data.tables,
        &data.conclusions,
        &data.people,
        &data.responses,
        table,
        lang,
    )
}

/// Opens the database, never creating one.
fn open_db(db: &Path) -> Result<Db, ExitCode> {
    if !db.is_file() {
        return Err(fail(&format!(
            "there is no database at {}; pass the server's database with --db FILE",
            db.display()
        )));
    }
    Db::open(db).map_err(|e| fail(&format!("cannot open the database: {e}")))
}

/// A session by id, or by join code.
pub(crate) fn find_session(
    conn: &rusqlite::Connection,
    wanted: &str,
) -> Result<Option<SessionRow>, DbError> {
    match sessions::session(conn, wanted)? {
        Some(s) => Ok(Some(s)),
        None => sessions::session_by_join_code(conn, &crate::token::normalize_code(wanted)),
    }
}

fn no_session(wanted: &str) -> ExitCode {
    fail(&format!(
        "no session has the id or join code `{wanted}` (the id is the last part of the record page address /s/ID/record)"
    ))
}

/// Opens the database (never creating one) and reads a session by id or join code.
fn session_data(db: &Path, wanted: &str) -> Result<SessionData, ExitCode> {
    let db = open_db(db)?;
    let wanted = wanted.trim().to_string();
    let lookup = wanted.clone();
    let found = db.read_blocking(move |conn| {
        let Some(session) = find_session(conn, &lookup)? else {
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
        Ok(None) => Err(no_session(&wanted)),
        Err(e) => Err(fail(&format!("reading the database: {e}"))),
    }
}

/// Writes `bytes` to the output file (or standard output for `-`).
fn write_data(output: &DataOutput, bytes: &[u8], summary: &str) -> ExitCode {
    let out = &output.out;
    if out.as_os_str() == "-" {
        return match std::io::stdout().write_all(bytes) {
            // A reader that stops early (`| head`) is not a failure of ours.
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => fail(&format!("cannot write to standard output: {e}")),
        };
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return fail(&format!("cannot create {}: {e}", parent.display()));
    }
    if let Err(e) = std::fs::write(out, bytes) {
        return fail(&format!("cannot write {}: {e}", out.display()));
    }
    println!(
        "wrote {}: {summary}, {} KB",
        out.display(),
        bytes.len().div_ceil(1024)
    );
    ExitCode::SUCCESS
}

/// `export json`: the session's complete data.
fn session_json(db: &Path, wanted: &str, output: &DataOutput) -> ExitCode {
    let db = match open_db(db) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let wanted = wanted.trim();
    let lookup = wanted.to_string();
    let found = db.read_blocking(move |conn| match find_session(conn, &lookup)? {
        Some(s) => crate::exchange::export_session(conn, &s.id),
        None => Ok(None),
    });
    match found {
        Ok(Some(export)) => {
            let summary = format!(
                "{} tables, {} conclusion versions, {} people, {} survey responses, {} logged events",
                export.tables.len(),
                export.conclusions.len(),
                export.roster.len(),
                export.survey_responses.len(),
                export.events.len()
            );
            write_data(
                output,
                crate::exchange::to_json(&export).as_bytes(),
                &summary,
            )
        }
        Ok(None) => no_session(wanted),
        Err(e) => fail(&format!("reading the database: {e}")),
    }
}

/// `export csv`: the newest conclusions of every table, or of one.
fn session_csv(db: &Path, wanted: &str, table: Option<i64>, output: &DataOutput) -> ExitCode {
    let db = match open_db(db) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let wanted = wanted.trim();
    let lookup = wanted.to_string();
    let found = db.read_blocking(move |conn| {
        let Some(session) = find_session(conn, &lookup)? else {
            return Ok(None);
        };
        let count = session.table_count;
        let run = match workbook::load_run(conn, session) {
            Ok(run) => run,
            Err(e) => return Ok(Some(Err(e))),
        };
        Ok(Some(
            crate::exchange::csv::conclusions_csv(conn, &run, table)?.ok_or_else(|| {
                format!(
                    "the session has no table {}; its tables are 1 to {count}",
                    table.unwrap_or(0)
                )
            }),
        ))
    });
    match found {
        Ok(Some(Ok(bytes))) => {
            let summary = match table {
                Some(n) => format!("table {n}"),
                None => "all tables".to_string(),
            };
            write_data(output, &bytes, &summary)
        }
        Ok(Some(Err(e))) => fail(&e),
        Ok(None) => no_session(wanted),
        Err(e) => fail(&format!("reading the database: {e}")),
    }
}

fn write(doc: &Doc, paper: Paper, out: &Path, located: &Report, lang: Lang) -> ExitCode {
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
    // Typed characters are named with where they were typed; any other (from the
    // content) by the renderer's own list.
    let named: Vec<String> = located.chars.iter().map(|u| u.ch.clone()).collect();
    if !located.is_empty() {
        eprintln!(
            "{}: {}",
            crate::i18n::format(lang, "pdf.unprintable.warning", &[]),
            crate::i18n::format(lang, "pdf.unprintable.notice", &[])
        );
        for line in located.lines(lang) {
            eprintln!("  {line}");
        }
    }
    if rendered
        .missing
        .iter()
        .any(|c| !named.contains(&c.to_string()))
    {
        for warning in rendered.warnings() {
            eprintln!("warning: {warning}");
        }
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
