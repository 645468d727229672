//! `acp-workbook check`: load everything and report every problem.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::content::{Library, Problem};
use crate::i18n;
use crate::lang::Lang;

/// Prints every problem and exits 1, or a summary and exits 0, in `--lang`. Warnings are
/// printed before the summary (on stderr, like problems) and never change the exit code.
pub fn run(args: &CheckArgs) -> ExitCode {
    let lang = Lang::from_code(&args.lang);
    match Library::load(&args.content) {
        Ok(library) => {
            let warnings = library.warnings();
            print_warnings(&warnings, &args.content, lang);
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

/// Writes warnings to stderr as `path:line: 注意: message` with a hint line each, the
/// paths under `dir` as problems name them.
pub fn print_warnings(warnings: &[Problem], dir: &std::path::Path, lang: Lang) {
    if warnings.is_empty() {
        return;
    }
    let prefix = dir.display().to_string();
    let prefix = if prefix.is_empty() || prefix == "." {
        String::new()
    } else {
        format!("{}/", prefix.trim_end_matches('/'))
    };
    let label = crate::i18n::format(lang, "warn.label", &[]);
    let hint = crate::i18n::format(lang, "author.hint", &[]);
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(
            err,
            "{prefix}{}:{}: {label}: {}\n    {hint}: {}",
            w.path,
            w.line,
            w.message(lang),
            w.hint(lang)
        );
    }
    let _ = writeln!(
        err,
        "{}",
        crate::i18n::format(lang, "warn.count", &[warnings.len().to_string()])
    );
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
