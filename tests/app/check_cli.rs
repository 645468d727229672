//! `acp-workbook check` names every problem as `path:line: message`, one test per kind.

use std::path::Path;
use std::process::{Command, Output};

use crate::helpers::fixture_copy;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn check(dir: &Path) -> (i32, String) {
    let out = run(&[
        "check",
        "--content",
        dir.to_str().expect("utf-8 path"),
        "--lang",
        "en",
    ]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Copies the fixtures, replaces `from` with `to` in `file`, runs check, and asserts
/// that it fails with `file:line: <message containing fragment>` and a hint.
pub fn assert_problem(file: &str, from: &str, to: &str, line: usize, fragment: &str) {
    let dir = fixture_copy();
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert!(text.contains(from), "fixture {file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1, "{stderr}");
    let location = format!("{}/{file}:{line}: ", dir.path().display());
    let found = stderr
        .lines()
        .zip(stderr.lines().skip(1))
        .any(|(problem, hint)| {
            problem.starts_with(&location)
                && problem.contains(fragment)
                && hint.trim_start().starts_with("hint: ")
        });
    assert!(
        found,
        "expected {location}…{fragment} with a hint, got:\n{stderr}"
    );
}

#[test]
fn the_bundled_content_is_clean() {
    let (code, stderr) = check(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(code, 0, "{stderr}");
    let out = run(&["check", "--content", env!("CARGO_MANIFEST_DIR")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("問題はありません"));
    let out = run(&[
        "check",
        "--content",
        env!("CARGO_MANIFEST_DIR"),
        "--lang",
        "en",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no problems"));
}

#[test]
fn invalid_front_matter_line() {
    assert_problem(
        "curricula/mini.md",
        "language: ja",
        "language ja",
        4,
        "no colon after `language`",
    );
}

#[test]
fn unterminated_front_matter() {
    assert_problem(
        "cases/mini-case.md",
        "speech-therapist\n---\n",
        "speech-therapist\n\n",
        1,
        "front matter is not closed",
    );
}

#[test]
fn missing_front_matter() {
    assert_problem(
        "cases/mini-case.md",
        "---\nid: mini-case",
        "id: mini-case",
        1,
        "does not start with front matter",
    );
}

#[test]
fn missing_required_field() {
    assert_problem(
        "cases/mini-case.md",
        "title: 食べられなくなった母\n",
        "",
        6,
        "missing required field `title`",
    );
}

#[test]
fn missing_required_patient_field() {
    assert_problem(
        "cases/mini-case.md",
        "- age: 86\n",
        "",
        11,
        "missing required field `age` for the patient",
    );
}

#[test]
fn duplicate_scene_id() {
    assert_problem(
        "cases/mini-case.md",
        "{#s3b kind=scene}",
        "{#s3a kind=scene}",
        68,
        "duplicate scene id `s3a` (first used on line 64)",
    );
}

#[test]
fn duplicate_file_id() {
    let dir = fixture_copy();
    std::fs::copy(
        dir.path().join("cases/mini-case.md"),
        dir.path().join("cases/other.md"),
    )
    .expect("copy");
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1);
    let expected = format!(
        "{}/cases/other.md:2: duplicate case id `mini-case`",
        dir.path().display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn unknown_profession() {
    assert_problem(
        "cases/mini-case.md",
        "profession=speech-therapist",
        "profession=chaplain",
        45,
        "unknown profession `chaplain`",
    );
    assert_problem(
        "curricula/mini.md",
        "audience: visiting-nurse,",
        "audience: nurse,",
        7,
        "unknown profession `nurse`",
    );
}

#[test]
fn unknown_prompt_kind() {
    assert_problem(
        "cases/mini-case.md",
        "{#s1-q kind=text}",
        "{#s1-q kind=essay}",
        49,
        "unknown prompt kind `essay`",
    );
}

#[test]
fn step_names_a_missing_case() {
    assert_problem(
        "curricula/mini.md",
        "case=mini-case",
        "case=no-such-case",
        21,
        "names a case `no-such-case` that does not exist",
    );
}

#[test]
fn step_names_a_missing_scene() {
    assert_problem(
        "curricula/mini.md",
        "scenes=s1,s2",
        "scenes=s1,s9",
        21,
        "names a scene `s9`",
    );
}

#[test]
fn branch_to_a_missing_scene() {
    assert_problem(
        "cases/mini-case.md",
        "-> s3a",
        "-> s7",
        57,
        "leads to a scene `s7` that does not exist",
    );
}

#[test]
fn branch_option_without_target() {
    assert_problem(
        "cases/mini-case.md",
        "- 胃ろうを造る -> s3a",
        "- 胃ろうを造る",
        57,
        "has no target scene",
    );
}

#[test]
fn branch_cycle_with_no_way_out() {
    assert_problem(
        "cases/mini-case.md",
        "{#s4 kind=scene end}",
        "{#s4 kind=scene next=s2}",
        55,
        "branch cycle with no way out",
    );
}

#[test]
fn id_that_is_not_a_slug() {
    assert_problem(
        "cases/mini-case.md",
        "{#s1 kind=scene}",
        "{#Scene_1 kind=scene}",
        35,
        "scene id `Scene_1` is not a simple slug",
    );
    assert_problem(
        "curricula/mini.md",
        "id: mini\n",
        "id: Mini Course\n",
        2,
        "curriculum id `Mini Course` is not a simple slug",
    );
}

#[test]
fn unknown_step_kind_and_missing_time_box() {
    assert_problem(
        "curricula/mini.md",
        "kind=lecture minutes=5",
        "kind=talk minutes=5",
        13,
        "unknown step kind `talk`",
    );
    assert_problem(
        "curricula/mini.md",
        "kind=group-work minutes=10",
        "kind=group-work",
        25,
        "missing required field `minutes`",
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let dir = fixture_copy();
    let case = dir.path().join("cases/mini-case.md");
    let text = std::fs::read_to_string(&case)
        .expect("case")
        .replace("profession=speech-therapist", "profession=chaplain")
        .replace("{#s1-q kind=text}", "{#s1-q kind=essay}")
        .replace("-> s3a", "-> s7");
    std::fs::write(&case, text).expect("write");
    let curriculum = dir.path().join("curricula/mini.md");
    let text = std::fs::read_to_string(&curriculum)
        .expect("curriculum")
        .replace("language: ja", "language ja");
    std::fs::write(&curriculum, text).expect("write");
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1);
    for line in [
        "cases/mini-case.md:45:",
        "cases/mini-case.md:49:",
        "cases/mini-case.md:57:",
        "curricula/mini.md:4:",
    ] {
        assert!(stderr.contains(line), "missing {line} in:\n{stderr}");
    }
    assert!(
        stderr.contains("4 problems found"),
        "the line without a colon still gives `language` its value: {stderr}"
    );
}

#[test]
fn serve_refuses_invalid_content_with_the_same_lines() {
    let dir = fixture_copy();
    let case = dir.path().join("cases/mini-case.md");
    let text = std::fs::read_to_string(&case)
        .expect("case")
        .replace("-> s3a", "-> s7");
    std::fs::write(&case, text).expect("write");
    let db = dir.path().join("db.sqlite");
    let out = run(&[
        "serve",
        "--content",
        dir.path().to_str().expect("path"),
        "--db",
        db.to_str().expect("path"),
        "--addr",
        "127.0.0.1:0",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}/cases/mini-case.md:57: ", dir.path().display())),
        "{stderr}"
    );
    assert!(stderr.contains("did not start"));
    assert!(
        !db.exists(),
        "no database is created for content that does not load"
    );
}

#[test]
fn problems_are_in_japanese_unless_english_is_asked_for() {
    let dir = fixture_copy();
    let case = dir.path().join("cases/mini-case.md");
    let text = std::fs::read_to_string(&case).expect("case");
    std::fs::write(&case, text.replace("-> s3a", "-> s7")).expect("write");
    let out = run(&["check", "--content", dir.path().to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("分岐の選択肢「胃ろうを造る」の行き先 `s7` という場面がありません"),
        "{stderr}"
    );
    assert!(
        stderr.contains("    ヒント: 場面のIDから選んでください: s1, s2"),
        "{stderr}"
    );
    assert!(stderr.contains("1件の問題が見つかりました"), "{stderr}");
    let db = dir.path().join("db.sqlite");
    let out = run(&[
        "serve",
        "--content",
        dir.path().to_str().expect("path"),
        "--db",
        db.to_str().expect("path"),
        "--addr",
        "127.0.0.1:0",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("行き先 `s7` という場面がありません"),
        "{stderr}"
    );
    assert!(stderr.contains("サーバーを起動しませんでした"), "{stderr}");
}

/// Warnings are printed after the summary, each as `path:line: 注意: …` with a hint,
/// and leave the exit code at 0.
#[test]
fn warnings_are_printed_but_do_not_fail() {
    let dir = fixture_copy();
    let path = dir.path().join("curricula/mini.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    std::fs::write(&path, text.replacen("duration: 30", "duration: 45", 1)).expect("write");
    // In Japanese, as `check` speaks by default (the `check` helper asks for English).
    let out = run(&[
        "check",
        "--content",
        dir.path().to_str().expect("utf-8 path"),
    ]);
    let (code, stderr) = (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert_eq!(code, 0, "{stderr}");
    let location = format!("{}/curricula/mini.md:6: 注意: ", dir.path().display());
    let line = stderr
        .lines()
        .position(|l| l.starts_with(&location))
        .unwrap_or_else(|| panic!("no {location} in:\n{stderr}"));
    assert!(
        stderr.lines().nth(line).unwrap().contains("30分"),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .nth(line + 1)
            .unwrap()
            .trim_start()
            .starts_with("ヒント: "),
        "{stderr}"
    );
    assert!(stderr.contains("注意 "), "{stderr}");
}
