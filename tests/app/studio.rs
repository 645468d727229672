//! Issue 15, items 1, 2 and 8: content read again after a save (running sessions keep
//! their pinned version, a broken file never replaces the last good one and is shown on
//! the organizer pages), the previews, the `preview` command, case titles.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use acp_workbook::db::Db;
use axum::http::StatusCode;

use crate::helpers::{TestApp, fixture_copy};

const CASE: &str = "cases/mini-case.md";
const OLD: &str = "食事量が減ってきた。";
const NEW: &str = "食事量がさらに減り、水分もとれない。";

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// A heading whose attributes lack their closing brace: the case no longer checks.
fn break_case(dir: &Path) {
    edit(
        dir,
        CASE,
        "# 場面1 外来 {#s1 kind=scene}",
        "# 場面1 外来 {#s1 kind=scene",
    );
}

/// The walk step's screen of a new table of a new session (table 1, visiting nurse).
async fn walk_screen(app: &TestApp) -> (String, String) {
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["visiting-nurse"]).await;
    app.goto(&facilitator, 1).await;
    (facilitator, table)
}

#[tokio::test]
async fn a_reload_reaches_new_sessions_and_leaves_running_ones_on_their_version() {
    let dir = fixture_copy();
    let app = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let (_, before) = walk_screen(&app).await;
    assert!(app.get_anon(&before).await.body.contains(OLD));
    let version = app.state.content_status().version;

    edit(dir.path(), CASE, OLD, NEW);
    app.state
        .reload_content()
        .expect("the edited folder checks");
    assert!(app.state.content_status().version > version);

    let (_, after) = walk_screen(&app).await;
    let new_screen = app.get_anon(&after).await.body;
    assert!(new_screen.contains(NEW), "a new session gets the new text");
    let old_screen = app.get_anon(&before).await.body;
    assert!(
        old_screen.contains(OLD) && !old_screen.contains(NEW),
        "the running session keeps the version it started with"
    );
    // Its pinned snapshot is the files it started with, whatever the folder says now.
    let session = app.session_of(&walk_screen(&app).await.0);
    let sources = app
        .state
        .db
        .read_blocking(move |conn| {
            acp_workbook::db::sessions::snapshot(conn, &session.content_hash)
        })
        .expect("query")
        .expect("a snapshot");
    assert!(sources.files[CASE].contains(NEW));

    // A file deleted while sessions use it: the folder no longer checks (the curriculum
    // names the case), so nothing changes for anyone.
    std::fs::remove_file(dir.path().join(CASE)).expect("remove");
    assert!(app.state.reload_content().is_err());
    assert!(app.get_anon(&before).await.body.contains(OLD));
    assert!(app.get_anon(&after).await.body.contains(NEW));
    assert!(app.state.library().cases.contains_key("mini-case"));
}

#[tokio::test]
async fn a_broken_file_keeps_the_last_good_version_and_the_organizer_pages_say_so() {
    let dir = fixture_copy();
    let app = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let home = app.get("/").await.body;
    assert!(
        !home.contains("data-content-problems"),
        "no banner while all is well"
    );

    edit(dir.path(), CASE, OLD, NEW);
    app.state.reload_content().expect("checks");
    break_case(dir.path());
    let problems = app
        .state
        .reload_content()
        .expect_err("the broken case is refused");
    assert!(
        problems.iter().any(|p| p.path.ends_with(CASE)),
        "{problems:?}"
    );
    let hash = app.state.library().hash.clone();

    for path in [
        "/",
        "/curricula/mini",
        "/preview",
        "/preview/cases/mini-case",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body.contains("内容フォルダのファイルに問題があります")
                && page
                    .body
                    .contains("最後に問題のなかった版で動き続けています"),
            "{path}: the banner says the folder is broken and the last good version serves"
        );
        for problem in &problems {
            let at = format!("{}:{}", problem.path, problem.line).replace('/', "&#x2f;");
            assert!(page.body.contains(&at), "{path}: {at}");
        }
        assert!(
            page.body.contains("直し方"),
            "{path}: each problem has its hint"
        );
    }
    // In English on the English page.
    let english = app.get_en("/").await.body;
    assert!(english.contains("A file in the content folder has problems"));
    // The table's banner is not shown to the tables.
    assert!(
        !app.get_anon("/")
            .await
            .body
            .contains("data-content-problems")
    );
    // The last good version (with the edit before the break) is what new sessions get.
    let (_, table) = walk_screen(&app).await;
    assert!(app.get_anon(&table).await.body.contains(NEW));
    assert!(app.get("/preview/cases/mini-case").await.body.contains(NEW));
    assert_eq!(app.state.library().hash, hash);
    // The same problems again (another save of the broken file) change nothing.
    let version = app.state.content_status().version;
    assert!(app.state.reload_content().is_err());
    assert_eq!(app.state.content_status().version, version);

    // Fixed: the banner goes and the fixed content is used.
    edit(dir.path(), CASE, "{#s1 kind=scene\n", "{#s1 kind=scene}\n");
    app.state.reload_content().expect("fixed");
    assert!(!app.get("/").await.body.contains("data-content-problems"));
    assert!(app.state.content_status().version > version);
}

#[tokio::test]
async fn previews_are_for_the_organizer_only() {
    let app = TestApp::new();
    for path in [
        "/preview",
        "/preview/cases/mini-case",
        "/preview/curricula/mini",
        "/preview/events",
        "/preview/cases/no-such-case",
    ] {
        let page = app.get_anon(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains("主催者としてサインイン"), "{path}");
    }
    assert_eq!(app.get("/preview").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/preview/cases/no-such-case").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_case_preview_shows_what_a_table_with_the_chosen_professions_sees_down_a_branch() {
    let app = TestApp::new();
    // A visiting nurse only, down the branch 「口から食べ続ける」.
    let page = app
        .get("/preview/cases/mini-case?set=1&p=visiting-nurse&path=s1,s2,s3b")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains("お嫁さんが泣いていた。"),
        "the nurse's role card"
    );
    assert!(
        !body.contains("ゼリーは喜んで食べる。"),
        "no card for an absent profession"
    );
    assert!(
        body.contains(
            "このテーブルには言語聴覚士がいないため、言語聴覚士の視点の情報はありません。"
        ),
        "the table screen's line for the absent profession"
    );
    assert!(
        body.contains("楽しみのために少しずつ食べる。"),
        "the branch taken"
    );
    assert!(
        body.contains("選択：口から食べ続ける"),
        "how the table got there"
    );
    assert!(!body.contains("胃ろうを造った。"), "not the other branch");
    assert!(
        body.contains("分岐の意味を確認する。"),
        "the facilitator's notes beside"
    );
    assert!(
        body.contains("本人の言葉を起点にする。"),
        "the case's learning points"
    );
    // Onward to s4, keeping the professions in the address.
    assert!(body.contains("次の場面へ：場面4 その後"));
    assert!(body.contains("path=s1%2Cs2%2Cs3b%2Cs4"));
    assert!(body.contains("p=visiting-nurse"));
    // The checked profession stays checked in the chooser.
    assert!(body.contains(r#"value="visiting-nurse" checked"#));

    // At the branch: both options, each leading on.
    let at_branch = app
        .get("/preview/cases/mini-case?set=1&p=speech-therapist&path=s1,s2")
        .await
        .body;
    assert!(at_branch.contains("方針はどうなりましたか"));
    assert!(at_branch.contains("path=s1%2Cs2%2Cs3a") && at_branch.contains("path=s1%2Cs2%2Cs3b"));
    assert!(at_branch.contains("ゼリーは喜んで食べる。"));
    assert!(at_branch.contains("このテーブルには訪問看護師がいないため"));

    // No professions given: the case's team; a path the case cannot take is cut there.
    let default = app
        .get("/preview/cases/mini-case?path=s1,s3a,s4")
        .await
        .body;
    assert!(
        default.contains("お嫁さんが泣いていた。") && default.contains("ゼリーは喜んで食べる。")
    );
    assert!(
        !default.contains("胃ろうを造った。"),
        "s1 does not lead to s3a"
    );
    // The blank workbooks of the curricula that use the case.
    assert!(default.contains("/curricula/mini/programme.pdf"));
    // In English, the UI is English (the case's text stays as written).
    let english = app.get_en("/preview/cases/mini-case").await.body;
    assert!(english.contains("Professions at this table"));
}

#[tokio::test]
async fn a_curriculum_preview_sums_the_minutes_and_shows_every_step() {
    let app = TestApp::new();
    let page = app.get("/preview/curricula/mini").await;
    assert_eq!(page.status, StatusCode::OK);
    let library = app.state.library();
    let curriculum = &library.curricula["mini"];
    let total: u32 = curriculum.steps.iter().filter_map(|s| s.minutes).sum();
    assert!(
        page.body
            .contains(&format!("合計 {total}分（予定 {}分）", curriculum.duration))
    );
    for step in &curriculum.steps {
        assert!(page.body.contains(&step.title), "{}", step.id);
    }
    // The table's step card and prompts, the projector's heading, the notes.
    assert!(page.body.contains("本人の思いは何でしょうか"));
    // (minijinja escapes `/` in text.)
    assert!(
        page.body
            .contains(&format!("ステップ 3 &#x2f; {}", curriculum.steps.len()))
    );
    assert!(page.body.contains("秘密のメモ"), "the facilitator's notes");
    // The case by its title, with a link to see it as a table does.
    assert!(page.body.contains("食べられなくなった母"));
    assert!(page.body.contains("cases&#x2f;mini-case?set=1"));
    assert!(page.body.contains("/curricula/mini/guide.pdf"));
}

#[tokio::test]
async fn the_curriculum_page_names_a_case_by_its_title() {
    let app = TestApp::new();
    let body = app.get("/curricula/mini").await.body;
    assert!(body.contains("事例: <a href=\"/preview/cases/mini-case\">食べられなくなった母</a>"));
}

#[tokio::test]
async fn the_preview_stream_says_the_version_at_once_and_after_each_change() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new();
    let request = axum::http::Request::get("/preview/events")
        .header("cookie", &app.organizer)
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let mut next = async || {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("an event in time")
            .expect("a frame")
            .expect("no error");
        String::from_utf8(frame.into_data().expect("data").to_vec()).expect("utf-8")
    };
    let first = next().await;
    let tag = app.state.content_status().tag();
    assert!(
        first.contains("event: content") && first.contains(&tag),
        "{first}"
    );
    app.state.set_content_problems(Vec::new());
    let second = next().await;
    assert!(second.contains(&app.state.content_status().tag()) && !second.contains(&tag));
}

/// The watcher of `serve`: a save, a burst of saves, a broken save, a folder renamed
/// away and back — each read once the folder is quiet, the last good version kept.
#[test]
fn the_watcher_follows_saves_bursts_and_a_renamed_folder() {
    let dir = fixture_copy();
    let app = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let state = app.state.clone();
    let watcher = state.watch_content().expect("watch").expect("a folder");
    let wait = |what: &str, check: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !check() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out: {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        start.elapsed()
    };
    let has = |text: &str| {
        state
            .library()
            .sources
            .files
            .get(CASE)
            .is_some_and(|t| t.contains(text))
    };

    // A save as an editor does it: a temporary file, then renamed over the original.
    let path = dir.path().join(CASE);
    let text = std::fs::read_to_string(&path).expect("read");
    let temp = dir.path().join("cases/.mini-case.md.swp");
    std::fs::write(&temp, text.replacen(OLD, NEW, 1)).expect("temp");
    std::fs::rename(&temp, &path).expect("rename");
    let took = wait("the renamed-over save", &|| has(NEW));
    assert!(
        took < Duration::from_secs(2),
        "read within a second or so: {took:?}"
    );

    // A burst of saves: read once it is quiet, ending on the last.
    let version = state.content_status().version;
    for n in 0..15 {
        std::fs::write(&path, text.replacen(OLD, &format!("保存{n}回目。"), 1)).expect("write");
        std::thread::sleep(Duration::from_millis(10));
    }
    wait("the last save of the burst", &|| has("保存14回目。"));
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        state.content_status().version - version <= 2,
        "a burst is read once (or twice), not per save"
    );

    // A broken save: the last good version stays, the problem is kept.
    break_case(dir.path());
    wait("the problem to be reported", &|| {
        !state.content_status().problems.is_empty()
    });
    assert!(has("保存14回目。"));

    // Fixed again, then the folder renamed away and back.
    edit(dir.path(), CASE, "{#s1 kind=scene\n", "{#s1 kind=scene}\n");
    wait("the fix", &|| state.content_status().problems.is_empty());
    std::fs::rename(dir.path().join("cases"), dir.path().join("cases.old")).expect("away");
    wait("the missing folder to be reported", &|| {
        !state.content_status().problems.is_empty()
    });
    assert!(state.library().cases.contains_key("mini-case"), "kept");
    std::fs::rename(dir.path().join("cases.old"), dir.path().join("cases")).expect("back");
    wait("the folder back", &|| {
        state.content_status().problems.is_empty()
    });
    // The folder that came back is watched again.
    edit(dir.path(), CASE, "保存14回目。", "戻った後の保存。");
    wait("a save in the folder that came back", &|| {
        has("戻った後の保存。")
    });
    watcher.stop();
}

/// `acp-workbook preview`, a child process for the test and killed at the end.
struct Preview(Child);

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_preview_command_serves_the_previews_without_sign_in() {
    let dir = fixture_copy();
    let port = crate::server::free_port();
    let _child = Preview(
        Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
            .args([
                "preview",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--content",
            ])
            .arg(dir.path())
            .env("ACP_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let agent = crate::server::agent();
    let get = |path: &str| {
        let mut response = agent.get(&format!("{url}{path}")).call().ok()?;
        let status = response.status().as_u16();
        Some((
            status,
            response.body_mut().read_to_string().unwrap_or_default(),
        ))
    };
    let (status, index) =
        crate::server::wait_for("the preview to answer", Duration::from_secs(20), || {
            get("/preview")
        });
    assert_eq!(status, 200);
    assert!(index.contains("ミニ勉強会") && index.contains("食べられなくなった母"));
    let (status, case) = get("/preview/cases/mini-case?set=1&p=visiting-nurse").expect("case");
    assert_eq!(status, 200);
    assert!(case.contains("お嫁さんが泣いていた。"));
    let (status, _) = get("/preview/curricula/mini").expect("curriculum");
    assert_eq!(status, 200);
    // The blank workbook of a curriculum, as on the preview's links.
    let pdf = agent
        .get(&format!("{url}/curricula/mini/programme.pdf"))
        .call()
        .expect("workbook");
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(
        pdf.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    // The start page leads to the previews; nothing of a session is served.
    let (status, _) = get("/").expect("start");
    assert_eq!(status, 303);
    for path in ["/curricula/mini", "/join", "/signin", "/reports"] {
        let (status, _) = get(path).expect(path);
        assert_eq!(status, 404, "{path}");
    }
    // It follows saves too.
    edit(
        dir.path(),
        CASE,
        "お嫁さんが泣いていた。",
        "お嫁さんが眠れていない。",
    );
    crate::server::wait_for(
        "the preview to follow the save",
        Duration::from_secs(10),
        || {
            get("/preview/cases/mini-case?set=1&p=visiting-nurse")
                .filter(|(_, body)| body.contains("お嫁さんが眠れていない。"))
        },
    );
}

#[test]
fn the_preview_command_starts_on_a_broken_folder_and_shows_its_problems() {
    let dir = fixture_copy();
    break_case(dir.path());
    let port = crate::server::free_port();
    let _child = Preview(
        Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
            .args([
                "preview",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--content",
            ])
            .arg(dir.path())
            .env("ACP_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let url = format!("http://127.0.0.1:{port}/preview");
    let agent = crate::server::agent();
    let body = crate::server::wait_for("the preview to answer", Duration::from_secs(20), || {
        let mut response = agent.get(&url).call().ok()?;
        response.body_mut().read_to_string().ok()
    });
    assert!(body.contains("内容フォルダのファイルに問題があります"));
    assert!(body.contains("mini-case.md:35"));
    // Fixed: the previews appear.
    edit(dir.path(), CASE, "{#s1 kind=scene\n", "{#s1 kind=scene}\n");
    crate::server::wait_for("the fixed folder", Duration::from_secs(10), || {
        let mut response = agent.get(&url).call().ok()?;
        let body = response.body_mut().read_to_string().ok()?;
        (body.contains("食べられなくなった母") && !body.contains("data-content-problems"))
            .then_some(())
    });
}
