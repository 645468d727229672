//! `acp-workbook check`: load everything and report every problem.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::content::{Library, Problem};

/// Prints every problem and exits 1, or a summary and exits 0.
pub fn run(args: &CheckArgs) -> ExitCode {
    match Library::load(&args.content) {
        Ok(library) => {
            println!(
                "ok: {} curricula and {} cases in {} have no problems",
                library.curricula.len(),
                library.cases.len(),
                args.content.display()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_problems(&problems);
            ExitCode::from(super::EXIT_PROBLEMS)
        }
    }
}

/// Writes problems to stderr as `path:line: message` with a hint line each.
pub fn print_problems(problems: &[Problem]) {
    let mut err = std::io::stderr().lock();
    for problem in problems {
        let _ = writeln!(err, "{problem}");
    }
    let _ = writeln!(
        err,
        "{} problem{} found; fix them and run `acp-workbook check` again",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
}
