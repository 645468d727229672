//! `acp-workbook new case|curriculum ID`: the fill-in files load with the content they
//! join, their comments never reach a screen or a PDF, and bad ids or existing files
//! are refused with nothing written.

use std::path::Path;
use std::process::{Command, Output};

use acp_workbook::cmd::new::{self, Kind};
use acp_workbook::content::{Library, Markdown};
use acp_workbook::lang::Lang;
use acp_workbook::workbook;

use crate::helpers::fixture_copy;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// A temporary copy of the bundled content folder (never written in place).
fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["curricula", "cases"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("bundled") {
            let entry = entry.expect("entry");
            std::fs::copy(
                entry.path(),
                dir.path().join(folder).join(entry.file_name()),
            )
            .expect("copy");
        }
    }
    dir
}

fn load(dir: &Path) -> Library {
    Library::load(dir).unwrap_or_else(|p| {
        panic!(
            "{}",
            p.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// Every Markdown text of the library as the screens show it.
fn screen_html(library: &Library) -> Vec<String> {
    let mut out: Vec<&Markdown> = Vec::new();
    for c in library.curricula.values() {
        for s in &c.steps {
            out.push(&s.body);
            out.extend(&s.facilitator_notes);
            out.extend(s.prompts.iter().map(|p| &p.help));
        }
    }
    for c in library.cases.values() {
        out.push(&c.intro);
        out.push(&c.patient.story);
        out.extend(c.family.iter().map(|f| &f.story));
        out.extend(&c.facilitator_notes);
        for s in &c.scenes {
            out.push(&s.narrative);
            out.extend(&s.facilitator_notes);
            out.extend(s.role_cards.iter().map(|r| &r.text));
            out.extend(s.prompts.iter().map(|p| &p.help));
        }
    }
    out.into_iter().map(|m| m.html.clone()).collect()
}

/// Phrases of the files' comments, none of which may be shown anywhere.
const COMMENT_PHRASES: [&str; 3] = ["進行役だけが見るメモです", "<!--", "-->"];

#[test]
fn the_new_files_load_with_the_bundled_content_and_say_nothing_of_their_comments() {
    let dir = bundled_copy();
    let case = new::write(Kind::Case, "home-dialysis", dir.path(), None).expect("case written");
    assert_eq!(case, dir.path().join("cases/home-dialysis.md"));
    let curriculum = new::write(
        Kind::Curriculum,
        "dialysis-day",
        dir.path(),
        Some("home-dialysis"),
    )
    .expect("curriculum written");
    assert_eq!(curriculum, dir.path().join("curricula/dialysis-day.md"));
    let library = load(dir.path());
    let c = &library.curricula["dialysis-day"];
    let k = &library.cases["home-dialysis"];
    // Every section an author needs is there.
    assert!(k.family[0].surrogate && !k.family[0].lives_with);
    assert!(k.scenes.iter().any(|s| s.branch.is_some()));
    assert!(k.scenes.iter().any(|s| s.end) && !k.scenes[0].role_cards.is_empty());
    assert!(!k.facilitator_notes.is_empty());
    let kinds: Vec<_> = c.steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert_eq!(
        c.steps[1].walk.as_ref().map(|w| w.case.as_str()),
        Some("home-dialysis")
    );
    // Nothing to warn about either: the two new files walk each other, every step and
    // scene has notes and the minutes add up.
    let warnings: Vec<_> = library
        .warnings()
        .into_iter()
        .filter(|w| w.path.contains("dialysis"))
        .map(|w| w.render(Lang::Ja))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    // The comments show on no screen…
    for html in screen_html(&library) {
        for phrase in COMMENT_PHRASES {
            assert!(!html.contains(phrase), "{phrase:?} shows in {html}");
        }
    }
    // …and in no PDF.
    for doc in [
        workbook::programme(c, &library),
        workbook::guide(c, &library),
    ] {
        let text = crate::pdf::doc_text(&doc);
        assert!(text.contains("学習のポイント") || text.contains("はじめに"));
        for phrase in COMMENT_PHRASES {
            assert!(!text.contains(phrase), "{phrase:?} is in the PDF: {text}");
        }
    }
    // `check` agrees.
    let out = run(&["check", "--content", dir.path().to_str().expect("utf-8")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_cli_writes_both_files_into_the_fixtures_and_a_curriculum_walks_an_existing_case() {
    let dir = fixture_copy();
    let content = dir.path().to_str().expect("utf-8");
    let out = run(&["new", "curriculum", "my-day", "--content", content]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("curricula/my-day.md") && said.contains("書きました"),
        "{said}"
    );
    let out = run(&["new", "case", "my-case", "--content", content]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let library = load(dir.path());
    // Without --case the curriculum walks the folder's first case.
    let walk = library.curricula["my-day"].steps[1]
        .walk
        .clone()
        .expect("a walk");
    assert_eq!(walk.case, "all-kinds");
    assert!(library.cases.contains_key("my-case"));
    // A new case nobody walks yet gets the one warning that says how to use it.
    let keys: Vec<_> = library
        .warnings()
        .into_iter()
        .filter(|w| w.path.contains("my-"))
        .map(|w| w.key())
        .collect();
    assert_eq!(keys, ["warn.unused_case"]);
}

#[test]
fn a_curriculum_in_a_folder_without_cases_leaves_the_walk_out_and_still_checks() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("curricula")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("cases")).expect("mkdir");
    new::write(Kind::Curriculum, "first", dir.path(), None).expect("written");
    let library = load(dir.path());
    let c = &library.curricula["first"];
    assert!(c.steps.iter().all(|s| s.walk.is_none()));
    assert!(library.warnings().is_empty(), "{:?}", library.warnings());
}

#[test]
fn bad_ids_existing_files_and_taken_ids_are_refused_with_nothing_written() {
    let dir = fixture_copy();
    let content = dir.path().to_str().expect("utf-8");
    let before = load(dir.path()).hash;
    for id in ["Home", "../evil", "a--b", "a-", "ケース", "a b", ""] {
        let out = run(&["new", "case", id, "--content", content]);
        assert_eq!(out.status.code(), Some(2), "{id:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("IDに使えません") && said.contains("小文字"),
            "{said}"
        );
    }
    // An existing file is never overwritten.
    let existing = dir.path().join("cases/mini-case.md");
    let text = std::fs::read_to_string(&existing).expect("fixture");
    let out = run(&["new", "case", "mini-case", "--content", content]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("上書きはしません"));
    assert_eq!(
        std::fs::read_to_string(&existing).expect("still there"),
        text
    );
    // An id another file already uses (`mini` is curricula/mini.md's id).
    std::fs::rename(
        dir.path().join("curricula/mini.md"),
        dir.path().join("curricula/renamed.md"),
    )
    .expect("rename");
    let refused = new::write(Kind::Curriculum, "mini", dir.path(), None).expect_err("taken");
    assert_eq!(refused.key, "newfile.id_taken");
    assert!(refused.message(Lang::En).contains("curricula/renamed.md"));
    // A case to walk that is not there.
    let refused =
        new::write(Kind::Curriculum, "other", dir.path(), Some("nothing")).expect_err("no case");
    assert_eq!(refused.key, "newfile.no_case");
    // In English when asked.
    let out = run(&["new", "case", "Bad", "--content", content, "--lang", "en"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be an id"));
    // Nothing was written by any of them.
    std::fs::rename(
        dir.path().join("curricula/renamed.md"),
        dir.path().join("curricula/mini.md"),
    )
    .expect("rename back");
    assert_eq!(load(dir.path()).hash, before);
}
