//! Issue 13, item 9 (and the folder in item 10): a hostile content folder. Named pipes,
//! links to devices or out of the folder, oversize files and a case of 20,000 scenes
//! neither hang nor exhaust `check` and `serve`, and each problem names its file.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use acp_workbook::content::{FILE_MAX, Library, Sources};

use crate::helpers::fixture_copy;

/// Runs the binary with `args`; kills it (and fails) if it has not ended after 60 s.
fn run_bounded(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(args)
        .env("ACP_ORGANIZER_PASSWORD", "test-organizer-password")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .expect("stderr")
                .read_to_string(&mut stderr)
                .expect("stderr text");
            return (status.code().unwrap_or(-1), stderr);
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`acp-workbook {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `check` and `serve` over `dir` both stop at once with a problem naming
/// `dir/<file>` and containing `fragment`, with a hint.
fn assert_refused(dir: &Path, file: &str, fragment: &str) {
    let content = dir.to_str().expect("utf-8 path");
    let db = dir.join("test.db");
    let port = crate::server::free_port().to_string();
    let addr = format!("127.0.0.1:{port}");
    for args in [
        vec!["check", "--content", content, "--lang", "en"],
        vec![
            "serve",
            "--content",
            content,
            "--db",
            db.to_str().expect("path"),
            "--addr",
            &addr,
            "--lang",
            "en",
        ],
    ] {
        let (code, stderr) = run_bounded(&args);
        assert_eq!(code, 1, "{}: {stderr}", args[0]);
        let location = format!("{}/{file}:", dir.display());
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
            "{}: expected {location}…{fragment}, got:\n{stderr}",
            args[0]
        );
    }
}

#[test]
fn a_named_pipe_is_refused_without_waiting_for_it() {
    let dir = fixture_copy();
    let pipe = dir.path().join("cases/x.md");
    let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
    assert!(made.success());
    assert_refused(dir.path(), "cases/x.md", "not a regular file");
}

#[test]
fn links_to_a_device_or_out_of_the_folder_are_refused() {
    let dir = fixture_copy();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("cases/zero.md")).expect("link");
    assert_refused(dir.path(), "cases/zero.md", "outside the content folder");

    let dir = fixture_copy();
    let outside = tempfile::tempdir().expect("temp");
    let stray = outside.path().join("stray.md");
    std::fs::copy(dir.path().join("cases/mini-case.md"), &stray).expect("copy");
    std::os::unix::fs::symlink(&stray, dir.path().join("cases/stray.md")).expect("link");
    assert_refused(dir.path(), "cases/stray.md", "outside the content folder");

    // A link to a regular file inside the folder is read like the file.
    let dir = fixture_copy();
    std::fs::create_dir(dir.path().join("shared")).expect("mkdir");
    std::fs::rename(
        dir.path().join("cases/mini-case.md"),
        dir.path().join("shared/mini-case.md"),
    )
    .expect("move");
    std::os::unix::fs::symlink(
        "../shared/mini-case.md",
        dir.path().join("cases/mini-case.md"),
    )
    .expect("link");
    let library = Library::load(dir.path()).expect("a link inside the folder is read");
    assert!(library.cases.contains_key("mini-case"));
}

#[test]
fn an_oversize_file_is_refused_naming_the_limit() {
    let dir = fixture_copy();
    let path = dir.path().join("cases/mini-case.md");
    let mut text = std::fs::read_to_string(&path).expect("fixture");
    while (text.len() as u64) <= FILE_MAX {
        text.push_str("\n長い説明の段落です。".repeat(10_000).as_str());
    }
    std::fs::write(&path, &text).expect("write");
    assert_refused(
        dir.path(),
        "cases/mini-case.md",
        &format!("the limit is {FILE_MAX} bytes"),
    );
}

#[test]
fn a_file_that_is_not_utf8_is_named_with_its_folder() {
    let dir = fixture_copy();
    let path = dir.path().join("cases/mini-case.md");
    let mut bytes = std::fs::read(&path).expect("fixture");
    bytes.extend_from_slice(b"\n\xFF\xFE\n");
    std::fs::write(&path, bytes).expect("write");
    assert_refused(dir.path(), "cases/mini-case.md", "not UTF-8");
}

/// A case of `n` scenes, each leading to the next; the last one ends the case; every
/// hundredth scene branches forward to the next scene or the one after.
fn long_case(n: usize) -> String {
    let mut text = String::from(
        "---\nid: long-case\ntitle: 長い事例\nlanguage: ja\nversion: 1\nteam: visiting-nurse\n---\n\n説明。\n\n# 本人 {kind=patient}\n\n- name: 山田\n- age: 80\n- illness: 心不全\n- living: 独居\n- care-level: 要介護1\n- said: 「家にいたい」\n\n",
    );
    for i in 0..n {
        let end = if i + 1 == n { " end" } else { "" };
        text.push_str(&format!(
            "# 場面{i} {{#s{i} kind=scene{end}}}\n\n本文。\n\n"
        ));
        if i % 100 == 50 && i + 2 < n {
            text.push_str(&format!(
                "## 分岐 {{kind=branch}}\n\n- 進む -> s{}\n- 飛ぶ -> s{}\n\n",
                i + 1,
                i + 2
            ));
        }
    }
    text
}

#[test]
fn twenty_thousand_scenes_are_checked_in_linear_time() {
    let base = Sources::read_dir(&crate::helpers::fixtures()).expect("fixtures");
    for n in [2_500, 10_000, 20_000] {
        let mut sources = base.clone();
        let text = long_case(n);
        assert!((text.len() as u64) < FILE_MAX, "{} bytes", text.len());
        sources
            .files
            .insert("cases/long-case.md".into(), text.clone());
        let start = Instant::now();
        let library = Library::from_sources(sources).expect("the long case is valid");
        let took = start.elapsed();
        println!(
            "{n} scenes ({} KB): checked in {:.3} s",
            text.len() / 1024,
            took.as_secs_f64()
        );
        assert_eq!(library.cases["long-case"].scenes.len(), n);
        if n == 20_000 {
            // Not a measurement but a guard against the quadratic check (106 s): linear takes
            // about 1 s in a debug build, and a machine loaded sixfold must still pass.
            assert!(took < Duration::from_secs(30), "took {took:?}");
        }
    }
}
