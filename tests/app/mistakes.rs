//! The mistakes newcomers make, each reported as one problem of its own — on its line,
//! with its key and, where a known name is near, "did you mean" — and nothing that only
//! follows from it (issue 15: a missing `}` used to give eleven messages).

use acp_workbook::content::{Library, Problem};
use acp_workbook::lang::Lang;

use crate::helpers::fixture_copy;

/// Copies the fixtures, replaces `from` with `to` in `file`, and returns the problems.
fn problems_after(file: &str, from: &str, to: &str) -> Vec<Problem> {
    let dir = fixture_copy();
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert!(text.contains(from), "fixture {file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    match Library::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

/// Asserts that the edit gives exactly one problem, on `line`, with `key`; returns it.
fn one_problem(file: &str, from: &str, to: &str, line: usize, key: &str) -> Problem {
    let problems = problems_after(file, from, to);
    let shown: Vec<String> = problems.iter().map(|p| p.render(Lang::Ja)).collect();
    assert_eq!(problems.len(), 1, "{to:?}: {shown:#?}");
    let problem = problems.into_iter().next().expect("one");
    assert!(problem.path.ends_with(file), "{}", problem.path);
    assert_eq!((problem.line, problem.key()), (line, key), "{shown:#?}");
    // Both languages have the text: neither shows the bare key.
    for lang in Lang::ALL {
        assert!(!problem.message(lang).contains("author."), "{shown:?}");
        assert!(!problem.hint(lang).contains("author."), "{shown:?}");
    }
    problem
}

const CASE: &str = "cases/mini-case.md";
const CURRICULUM: &str = "curricula/mini.md";

#[test]
fn an_unclosed_brace_in_a_heading() {
    let p = one_problem(
        CASE,
        "{#s1 kind=scene}",
        "{#s1 kind=scene",
        35,
        "author.heading_unclosed",
    );
    assert!(p.hint(Lang::Ja).contains("`{#s1 kind=scene}`"), "{p}");
}

#[test]
fn a_full_width_space_inside_braces() {
    let p = one_problem(
        CASE,
        "{#s1 kind=scene}",
        "{#s1\u{3000}kind=scene}",
        35,
        "author.heading_fullwidth_space",
    );
    assert!(p.message(Lang::Ja).contains("全角スペース"), "{p}");
    one_problem(
        CASE,
        "{#s1 kind=scene}",
        "{#s1 kind＝scene}",
        35,
        "author.heading_fullwidth",
    );
}

#[test]
fn a_full_width_colon_in_the_front_matter() {
    let p = one_problem(
        CASE,
        "id: mini-case",
        "id：mini-case",
        2,
        "author.fm_fullwidth_colon",
    );
    assert!(p.hint(Lang::Ja).contains("`id: …`"), "{p}");
}

#[test]
fn a_full_width_colon_in_a_field_line() {
    one_problem(
        CASE,
        "- relation: 長男",
        "- relation：長男",
        24,
        "author.field_fullwidth_colon",
    );
}

#[test]
fn a_key_without_a_colon() {
    one_problem(
        CURRICULUM,
        "language: ja",
        "language ja",
        4,
        "author.fm_no_colon",
    );
}

#[test]
fn a_misspelt_field_names_the_known_ones_and_the_nearest() {
    let p = one_problem(
        CASE,
        "- relation: 長男",
        "- relaton: 長男",
        24,
        "author.field_unknown",
    );
    assert_eq!(p.suggestion(), Some("relation"));
    assert!(
        p.message(Lang::Ja).contains("`relation` のことですか"),
        "{p}"
    );
    assert!(
        p.hint(Lang::En)
            .contains("name, relation, lives, stance, surrogate"),
        "{p}"
    );
}

#[test]
fn a_misspelt_front_matter_key_names_the_nearest() {
    let p = one_problem(
        CASE,
        "title: 食べられなくなった母",
        "tilte: 食べられなくなった母",
        3,
        "author.fm_unknown_key",
    );
    assert_eq!(p.suggestion(), Some("title"));
}

#[test]
fn a_tab_after_the_dash_is_a_space() {
    assert!(problems_after(CASE, "- lives: with", "-\tlives: with").is_empty());
    let dir = fixture_copy();
    let path = dir.path().join(CASE);
    let text = std::fs::read_to_string(&path).expect("fixture");
    std::fs::write(&path, text.replace("- stance:", "-\tstance:")).expect("write");
    let library = Library::load(dir.path()).expect("a tab is read as a space");
    let family = &library.cases["mini-case"].family;
    assert_eq!(family[0].stance, "胃ろうを造ってほしい");
    assert_eq!(family[1].stance, "母の言葉を大切にしたい");
}

#[test]
fn a_profession_by_its_japanese_name() {
    let p = one_problem(
        CASE,
        "profession=visiting-nurse",
        "profession=訪問看護師",
        41,
        "author.profession_unknown",
    );
    assert_eq!(p.suggestion(), Some("visiting-nurse"));
    let p = one_problem(
        CURRICULUM,
        "audience: visiting-nurse,",
        "audience: vistng-nurse,",
        7,
        "author.profession_unknown",
    );
    assert_eq!(p.suggestion(), Some("visiting-nurse"));
    let p = one_problem(
        CURRICULUM,
        "audience: visiting-nurse,",
        "audience: Care manager,",
        7,
        "author.profession_unknown",
    );
    assert_eq!(p.suggestion(), Some("care-manager"));
}

#[test]
fn a_branch_to_a_scene_id_in_capitals() {
    let p = one_problem(CASE, "-> s3b", "-> s3B", 58, "author.branch_target_missing");
    assert_eq!(p.suggestion(), Some("s3b"));
    assert!(p.message(Lang::En).contains("did you mean `s3b`?"), "{p}");
}

#[test]
fn a_step_scene_and_case_spelt_nearly() {
    let p = one_problem(
        CURRICULUM,
        "scenes=s1,s2",
        "scenes=s1,S2",
        21,
        "author.step_scene_missing",
    );
    assert_eq!(p.suggestion(), Some("s2"));
    let p = one_problem(
        CURRICULUM,
        "case=mini-case",
        "case=mini-case2",
        21,
        "author.step_case_missing",
    );
    assert_eq!(p.suggestion(), Some("mini-case"));
}

#[test]
fn prompt_and_step_kinds_spelt_nearly() {
    let p = one_problem(
        CASE,
        "{#s1-q kind=text}",
        "{#s1-q kind=txt}",
        49,
        "author.prompt_kind_unknown_scene",
    );
    assert_eq!(p.suggestion(), Some("text"));
    let p = one_problem(
        CURRICULUM,
        "kind=group-work minutes=10",
        "kind=groupwork minutes=10",
        25,
        "author.step_kind_unknown",
    );
    assert_eq!(p.suggestion(), Some("group-work"));
    let p = one_problem(
        CURRICULUM,
        "{#q-wish kind=text max=500}",
        "{#q-wish kind=text maxx=500}",
        27,
        "author.setting_unknown",
    );
    assert_eq!(p.suggestion(), Some("max"));
}

#[test]
fn a_far_name_gets_no_suggestion() {
    let p = one_problem(
        CASE,
        "profession=speech-therapist",
        "profession=chaplain",
        45,
        "author.profession_unknown",
    );
    assert_eq!(p.suggestion(), None);
}

#[test]
fn a_before_question_spelt_nearly() {
    let p = one_problem(
        "curricula/survey.md",
        "before=pre-confidence",
        "before=pre-confidense",
        27,
        "author.before_missing",
    );
    assert_eq!(p.suggestion(), Some("pre-confidence"));
}

#[test]
fn spaces_around_equals_in_a_heading() {
    one_problem(
        CASE,
        "{#s1 kind=scene}",
        "{#s1 kind = scene}",
        35,
        "author.heading_spaced_equals",
    );
}

#[test]
fn a_full_width_space_after_the_dash() {
    one_problem(
        CASE,
        "- lives: with",
        "-\u{3000}lives: with",
        25,
        "author.field_fullwidth_space",
    );
}

#[test]
fn a_bom_is_fine_and_a_blank_first_line_is_one_problem() {
    assert!(problems_after(CASE, "---\nid: mini-case", "\u{feff}---\nid: mini-case").is_empty());
    one_problem(
        CASE,
        "---\nid: mini-case",
        "\n---\nid: mini-case",
        1,
        "author.no_front_matter",
    );
}

#[test]
fn a_before_pair_asked_with_other_options() {
    let dir = fixture_copy();
    let path = dir.path().join("curricula/survey.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert!(text.contains("{#post-confidence kind=scale min=1 max=5 before=pre-confidence}"));
    let text = text.replace(
        "{#post-confidence kind=scale min=1 max=5 before=pre-confidence}",
        "{#post-confidence kind=scale min=1 max=6 before=pre-confidence}",
    );
    std::fs::write(&path, text).expect("write");
    let problems = Library::load(dir.path()).expect_err("ranges differ");
    let keys: Vec<_> = problems.iter().map(|p| (p.line, p.key())).collect();
    assert_eq!(keys, [(27, "author.before_asked_differently")]);
}

#[test]
fn a_misspelt_scene_kind_is_read_as_the_scene_it_means() {
    // Without the near kind, the branch to s2's options and the scene walk would
    // each be reported too.
    let p = one_problem(
        CASE,
        "{#s2 kind=scene}",
        "{#s2 kind=scnee}",
        51,
        "author.case_section_kind_unknown",
    );
    assert_eq!(p.suggestion(), Some("scene"));
    let p = one_problem(
        CASE,
        "{kind=role profession=visiting-nurse}",
        "{kind=rol profession=visiting-nurse}",
        41,
        "author.prompt_kind_unknown_scene",
    );
    assert_eq!(p.suggestion(), Some("role"));
    let p = one_problem(
        CURRICULUM,
        "kind=case-walk case=mini-case",
        "kind=casewalk case=mini-case",
        21,
        "author.step_kind_unknown",
    );
    assert_eq!(p.suggestion(), Some("case-walk"));
}

#[test]
fn an_opening_brace_left_out() {
    let p = one_problem(
        CASE,
        "{#s1 kind=scene}",
        "#s1 kind=scene}",
        35,
        "author.heading_unopened",
    );
    assert!(p.hint(Lang::Ja).contains("`{#s1 kind=scene}`"), "{p}");
}

#[test]
fn a_declared_role_by_its_japanese_or_short_name() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district");
    for (to, near) in [
        ("profession=腎臓内科医}", "nephrologist"),
        ("profession=nephrologis}", "nephrologist"),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        for folder in ["curricula", "cases"] {
            std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
            for entry in std::fs::read_dir(fixtures.join(folder))
                .expect("dir")
                .flatten()
            {
                std::fs::copy(
                    entry.path(),
                    dir.path().join(folder).join(entry.file_name()),
                )
                .expect("copy");
            }
        }
        let path = dir.path().join("cases/dialysis-decision.md");
        let text = std::fs::read_to_string(&path).expect("case");
        std::fs::write(&path, text.replacen("profession=nephrologist}", to, 1)).expect("write");
        let problems = Library::load(dir.path()).expect_err("unknown profession");
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.key(), p.suggestion()))
            .collect();
        assert_eq!(
            found,
            [(47, "author.profession_unknown", Some(near))],
            "{to}"
        );
    }
}

#[test]
fn headings_of_a_three_field_report_named_twice_or_with_an_unknown_role() {
    const KINDS: &str = "curricula/kinds.md";
    let from = "## 3項目の報告 {#gw-three kind=three-field}";
    let p = one_problem(
        KINDS,
        from,
        &format!(
            "{from}\n\n- 【効果のあった取り組み】\n- 今後の具体的方策\n- 【効果のあった取り組み】"
        ),
        48,
        "author.list_heading_twice",
    );
    assert!(
        p.message(Lang::Ja).contains("【効果のあった取り組み】"),
        "{p}"
    );
    let p = one_problem(
        KINDS,
        from,
        &format!("{from}\n\n- 今後の具体的方策 {{role=measure}}"),
        46,
        "author.list_heading_role_bad",
    );
    assert!(p.render(Lang::En).contains("measures"), "did you mean: {p}");
}
