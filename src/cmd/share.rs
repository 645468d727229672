//! `acp-workbook share export ID --out FILE` and `acp-workbook share import FILE`: the
//! organizer pages' programme download and import, for a folder on this computer.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{ShareAction, ShareArgs};
use crate::content::{Library, share};
use crate::lang::Lang;

/// Exports or imports, and says what was done or everything that is wrong.
pub fn run(args: &ShareArgs) -> ExitCode {
    let lang = Lang::from_code(&args.lang);
    match &args.action {
        ShareAction::Export { curriculum, out } => {
            let library = match Library::load(&args.content) {
                Ok(library) => library,
                Err(problems) => {
                    super::check::print_problems(&problems, lang);
                    return ExitCode::from(super::EXIT_PROBLEMS);
                }
            };
            let Some(json) = share::export(&library, curriculum) else {
                eprintln!(
                    "share: {}",
                    crate::i18n::format(
                        lang,
                        "share.cli_no_curriculum",
                        std::slice::from_ref(curriculum)
                    )
                );
                return ExitCode::from(super::EXIT_FAILURE);
            };
            let written = if out.as_os_str() == "-" {
                std::io::stdout().lock().write_all(json.as_bytes())
            } else {
                std::fs::write(out, json.as_bytes())
            };
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("share: {}: {e}", out.display());
                    ExitCode::from(super::EXIT_FAILURE)
                }
            }
        }
        ShareAction::Import { file } => {
            let bytes = match std::fs::read(file) {
                Ok(bytes) => bytes,
                Err(e) => {
                    eprintln!("share: {}: {e}", file.display());
                    return ExitCode::from(super::EXIT_FAILURE);
                }
            };
            let now = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
            match share::import(&args.content, &bytes, &now) {
                Ok(done) => {
                    println!("{}", crate::i18n::format(lang, "share.imported", &[]));
                    if !done.written.is_empty() {
                        let s =
                            crate::i18n::format(lang, "share.written", &[done.written.join(", ")]);
                        println!("{s}");
                    }
                    if !done.unchanged.is_empty() {
                        let s = crate::i18n::format(
                            lang,
                            "share.unchanged",
                            &[done.unchanged.join(", ")],
                        );
                        println!("{s}");
                    }
                    for (file, kept) in done.kept {
                        println!("{}", crate::i18n::format(lang, "share.kept", &[file, kept]));
                    }
                    ExitCode::SUCCESS
                }
                Err(refusal) => {
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(
                        err,
                        "share: {}{}{}",
                        refusal.message(lang),
                        lang.pick("", " "),
                        crate::i18n::format(lang, "share.nothing_written", &[])
                    );
                    for line in refusal.lines(lang) {
                        let _ = writeln!(err, "  {line}");
                    }
                    ExitCode::from(super::EXIT_PROBLEMS)
                }
            }
        }
    }
}
