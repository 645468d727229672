//! `acp-workbook check`: load everything and report every problem.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::content::{Library, Problem};
use crate::i18n;
use crate::lang::Lang;

/// Prints every problem and exits 1, or a summary and exits 0, in `--lang`.
pub fn run(args: &CheckArgs) -> ExitCode {
    let lang = Lang::from_code(&args.lang);
    match Library::load(&args.content) {
        Ok(library) => {
            println!(
                "{}",
                i18n::format(
                    lang,
                    "check.ok",
                    &[
                        library.curricula.len().to_string(),
                        library.cases.len().to_string(),
                        args.content.display().to_string(),
                    ],
                )
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_problems(&problems, lang);
            ExitCode::from(super::EXIT_PROBLEMS)
        }
    }
}

/// Writes problems to stderr as `path:line: message` with a hint line each, in `lang`.
pub fn print_problems(problems: &[Problem], lang: Lang) {
    let mut err = std::io::stderr().lock();
    for problem in problems {
        let _ = writeln!(err, "{}", problem.render(lang));
    }
    let summary = i18n::format(lang, "check.problems", &[problems.len().to_string()]);
    let _ = writeln!(err, "{summary}");
}
