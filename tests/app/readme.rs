//! The two content READMEs say what the program does: their complete examples pass
//! `check`, every mistake they list gives the message they show (one problem, the
//! real Japanese text), and their fragments use only headings, kinds, settings and
//! professions the program knows.
//!
//! A mistake is written in a README as a `markdown replace="LINE"` block (LINE is a
//! line of the README's complete example; the block is what an author wrongly wrote
//! instead) followed by a `text` block with the message and hint `check` prints. A
//! section another part of the program adds (district roles, warnings) extends the
//! README in the same way and is tested here without a change.

use std::path::Path;

use acp_workbook::content::{Library, Problem};
use acp_workbook::lang::Lang;

/// A fenced block: its info string (`markdown`, `text`, `markdown replace="…"`) and text.
struct Fence {
    info: String,
    body: String,
}

fn fences(text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut open: Option<Fence> = None;
    for line in text.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Fence {
                    info: info.trim().to_string(),
                    body: String::new(),
                })
            }
            (Some(_), Some("")) => out.extend(open.take()),
            (Some(fence), _) => {
                fence.body.push_str(line);
                fence.body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// A complete file: front matter and at least one heading.
fn is_complete(fence: &Fence) -> bool {
    fence.info == "markdown" && fence.body.starts_with("---\n") && fence.body.contains("\n# ")
}

fn readme(folder: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(folder).join("README.md")).expect("readme")
}

/// Loads `text` as `folder/readme-example.md` beside the bundled cases (which the
/// curriculum examples walk); the problems, or none.
fn problems_of(folder: &str, text: &str) -> Vec<Problem> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("dir");
    for sub in ["curricula", "cases"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
    }
    for entry in std::fs::read_dir(root.join("cases"))
        .expect("cases")
        .flatten()
    {
        if entry.file_name() != "README.md" {
            let to = dir.path().join("cases").join(entry.file_name());
            std::fs::copy(entry.path(), to).expect("copy");
        }
    }
    let file = dir.path().join(folder).join("readme-example.md");
    std::fs::write(file, text).expect("write");
    match Library::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

fn shown(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.render(Lang::Ja)).collect()
}

/// The README's complete example (the last one: the small finished file).
fn complete(folder: &str) -> String {
    let fences = fences(&readme(folder));
    let last = fences.iter().rev().find(|f| is_complete(f));
    last.expect("a complete example").body.clone()
}

#[test]
fn the_complete_examples_pass_check() {
    for folder in ["curricula", "cases"] {
        let examples: Vec<Fence> = fences(&readme(folder))
            .into_iter()
            .filter(is_complete)
            .collect();
        assert!(!examples.is_empty(), "{folder}");
        for example in examples {
            let problems = problems_of(folder, &example.body);
            assert!(problems.is_empty(), "{folder}: {:#?}", shown(&problems));
        }
    }
}

#[test]
fn every_listed_mistake_gives_the_message_shown() {
    for folder in ["curricula", "cases"] {
        let base = complete(folder);
        let fences = fences(&readme(folder));
        let mut tested = 0;
        for (index, fence) in fences.iter().enumerate() {
            let Some(line) = fence
                .info
                .strip_prefix("markdown replace=\"")
                .and_then(|r| r.strip_suffix('"'))
            else {
                continue;
            };
            let expected = fences
                .get(index + 1)
                .filter(|f| f.info == "text")
                .unwrap_or_else(|| panic!("{folder}: the message after {line:?}"));
            let found = base.lines().filter(|l| *l == line).count();
            assert_eq!(
                found, 1,
                "{folder}: {line:?} is not one line of the example"
            );
            let wrong = base.replacen(&format!("{line}\n"), &fence.body, 1);
            let problems = problems_of(folder, &wrong);
            assert_eq!(
                problems.len(),
                1,
                "{folder}: {line:?}: {:#?}",
                shown(&problems)
            );
            let rendered = problems[0].render(Lang::Ja);
            // `path:line: message`: the path has no `: ` in it.
            let (_, message) = rendered.split_once(": ").expect("path:line: message");
            assert_eq!(message, expected.body.trim_end(), "{folder}: {line:?}");
            tested += 1;
        }
        assert!(tested >= 5, "{folder}: only {tested} mistakes are tested");
    }
}

/// Problems that say a fragment uses something the program does not know.
const UNKNOWN: [&str; 12] = [
    "author.heading_unclosed",
    "author.heading_fullwidth",
    "author.heading_fullwidth_space",
    "author.heading_spaced_equals",
    "author.setting_unknown",
    "author.setting_none_allowed",
    "author.profession_unknown",
    "author.prompt_kind_unknown_scene",
    "author.prompt_kind_unknown_step",
    "author.step_kind_unknown",
    "author.case_section_kind_unknown",
    "author.field_unknown",
];

#[test]
fn the_fragments_use_only_known_names() {
    for folder in ["curricula", "cases"] {
        let base = complete(folder);
        let fences = fences(&readme(folder));
        let fragments = fences
            .iter()
            .filter(|f| f.info == "markdown" && !f.body.starts_with("---\n"));
        let mut tested = 0;
        for fragment in fragments {
            let text = format!("{base}\n{}", fragment.body);
            let problems = problems_of(folder, &text);
            let unknown: Vec<&Problem> = problems
                .iter()
                .filter(|p| UNKNOWN.contains(&p.key()))
                .collect();
            assert!(
                unknown.is_empty(),
                "{folder}: {}\n{:#?}",
                fragment.body,
                unknown
                    .iter()
                    .map(|p| p.render(Lang::Ja))
                    .collect::<Vec<_>>()
            );
            tested += 1;
        }
        assert!(tested >= 5, "{folder}: only {tested} fragments");
    }
}
