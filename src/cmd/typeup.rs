//! `acp-workbook typeup SESSION FILE.csv`: type up a finished session's results from a
//! CSV file, with the checks and messages of the organizer's page, all or nothing.

use std::process::ExitCode;

use crate::cli::TypeupArgs;
use crate::db::Db;
use crate::lang::Lang;
use crate::typeup;

/// What the job on the database came to.
enum Outcome {
    NoSession,
    Unloadable(String),
    Problems(Vec<crate::problem::Problem>),
    Checked(Vec<typeup::Typed>),
    Saved(Vec<typeup::Typed>, usize, usize),
}

/// Reads and checks the file, stores it unless `--check`, and says what happened.
pub fn run(args: &TypeupArgs) -> ExitCode {
    let lang = Lang::from_code(&args.lang);
    let fail = |message: &str| {
        eprintln!("typeup: {message}");
        ExitCode::from(super::EXIT_FAILURE)
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => return fail(&format!("cannot read {}: {e}", args.file.display())),
    };
    let sheet = match typeup::read_csv(&bytes) {
        Ok(sheet) => sheet,
        Err(problems) => return problems_out(args, &problems, lang),
    };
    if !args.db.is_file() {
        return fail(&format!(
            "there is no database at {}; pass the server's database with --db FILE",
            args.db.display()
        ));
    }
    let db = match Db::open(&args.db) {
        Ok(db) => db,
        Err(e) => return fail(&format!("cannot open the database: {e}")),
    };
    let (wanted, only_check) = (args.session.trim().to_string(), args.check);
    let outcome = db.write_blocking(move |conn| {
        let Some(session) = super::export::find_session(conn, &wanted)? else {
            return Ok(Outcome::NoSession);
        };
        let run = match crate::workbook::load_run(conn, session) {
            Ok(run) => run,
            Err(e) => return Ok(Outcome::Unloadable(e)),
        };
        let typed = match typeup::check(conn, &run, &sheet.rows)? {
            Ok(typed) => typed,
            Err(problems) => return Ok(Outcome::Problems(problems)),
        };
        if only_check {
            return Ok(Outcome::Checked(typed));
        }
        let (saved, unchanged) = typeup::store(conn, &run.session.id, typed.clone(), "cli")?;
        Ok(Outcome::Saved(typed, saved, unchanged))
    });
    match outcome {
        Ok(Outcome::NoSession) => fail(&crate::i18n::format(
            lang,
            "typeup.cli.no_session",
            &[args.session.trim().to_string()],
        )),
        Ok(Outcome::Unloadable(e)) => fail(&e),
        Ok(Outcome::Problems(problems)) => problems_out(args, &problems, lang),
        Ok(Outcome::Checked(typed)) => {
            summary(&typed, lang);
            println!(
                "{}: {}",
                args.file.display(),
                crate::i18n::format(lang, "typeup.cli.checked", &[])
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Saved(typed, saved, unchanged)) => {
            summary(&typed, lang);
            println!(
                "{}: {}",
                args.file.display(),
                crate::i18n::format(
                    lang,
                    "typeup.cli.saved",
                    &[saved.to_string(), unchanged.to_string()]
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!(
            "{}: {}",
            args.file.display(),
            crate::i18n::format(lang, "typeup.cli.refused", &[e.to_string()])
        )),
    }
}

/// Every problem with its line, worded as the page words it, and the exit code of a
/// file with problems.
fn problems_out(args: &TypeupArgs, problems: &[crate::problem::Problem], lang: Lang) -> ExitCode {
    for p in problems {
        eprintln!("{}: {}", args.file.display(), p.message(lang));
    }
    eprintln!(
        "{}",
        crate::i18n::format(lang, "typeup.problems", &[problems.len().to_string()])
    );
    ExitCode::from(super::EXIT_PROBLEMS)
}

/// One line per answer: the table, the prompt, and on top of which version it goes.
fn summary(typed: &[typeup::Typed], lang: Lang) {
    for t in typed {
        let what = if t.unchanged {
            crate::i18n::format(lang, "typeup.same", &[t.current.to_string()])
        } else if t.current > 0 {
            crate::i18n::format(
                lang,
                "typeup.on_top",
                &[t.current.to_string(), (t.current + 1).to_string()],
            )
        } else {
            crate::i18n::format(lang, "typeup.new", &[])
        };
        println!(
            "{} {}: {what}",
            crate::i18n::format(lang, "table.name", &[t.table.to_string()]),
            t.prompt_title
        );
    }
}
