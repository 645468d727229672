//! Authors' helpers on the organizer's pages: a curriculum's warnings, and sharing a
//! programme (download, import into another server's content folder).

use std::collections::BTreeMap;
use std::path::Path;

use acp_workbook::db::Db;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::helpers::{Page, TestApp, fixture_copy};

/// Replaces `from` by `to` in the file `rel` of the content folder `dir`.
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).expect("content file");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[tokio::test]
async fn the_curriculum_page_lists_its_warnings_calmly() {
    let dir = fixture_copy();
    edit(
        dir.path(),
        "curricula/mini.md",
        "duration: 30",
        "duration: 45",
    );
    let app = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let page = app.get("/curricula/mini").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"warnings\""), "{}", page.body);
    assert!(page.body.contains("mini.md:6</code>"), "{}", page.body);
    assert!(page.body.contains("所要時間"), "{}", page.body);
    // Still a page to start a session from: warnings never block.
    assert!(page.body.contains("action=\"/sessions\""));
    let en = app.get_en("/curricula/mini").await;
    assert!(
        en.body.contains("the duration is 45 minutes"),
        "{}",
        en.body
    );
}

const BOUNDARY: &str = "XshareBOUNDARY";

/// Uploads `file` to the programme import form as the organizer (in English when asked).
async fn upload(app: &TestApp, file: &[u8], english: bool) -> Page {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"mini.programme.json\"\r\nContent-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut request = Request::post("/programmes/import").header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    let mut cookies = vec![app.organizer.clone()];
    if english {
        cookies.push("lang=en".to_string());
    }
    request = request.header(header::COOKIE, cookies.join("; "));
    app.send_anon(request.body(Body::from(body)).expect("request"))
        .await
}

/// The fixture content without the `mini` curriculum and its case: another district.
fn other_district() -> tempfile::TempDir {
    let dir = fixture_copy();
    std::fs::remove_file(dir.path().join("curricula/mini.md")).expect("rm");
    std::fs::remove_file(dir.path().join("cases/mini-case.md")).expect("rm");
    dir
}

/// The page's text with minijinja's escapes undone (`/` is written `&#x2f;`).
fn unescaped(page: &Page) -> String {
    page.body
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every file of a content folder (name → bytes), to see that nothing was written.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for folder in ["curricula", "cases"] {
        for entry in std::fs::read_dir(dir.join(folder)).expect("folder") {
            let entry = entry.expect("entry");
            let name = format!("{folder}/{}", entry.file_name().to_string_lossy());
            out.insert(name, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// The programme file of `mini` as server A offers it.
async fn download(app: &TestApp) -> serde_json::Value {
    let page = app.get("/curricula/mini/share.json").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    serde_json::from_str(&page.body).expect("json")
}

#[tokio::test]
async fn a_programme_downloaded_on_one_server_runs_a_session_on_another() {
    let a = TestApp::new();
    let curriculum = a.get("/curricula/mini").await;
    assert!(curriculum.body.contains("/curricula/mini/share.json"));
    let response = a
        .router
        .clone()
        .oneshot(
            Request::get("/curricula/mini/share.json")
                .header(header::COOKIE, a.organizer.clone())
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let disposition = response
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.contains("mini-v1.0.programme.json"),
        "{disposition}"
    );
    let file = download(&a).await;
    assert_eq!(file["format"], "acp-workbook-programme");
    assert_eq!(file["version"], 1);
    assert_eq!(file["curriculum"], "mini");
    let names: Vec<&str> = file["files"]
        .as_object()
        .expect("files")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["cases/mini-case.md", "curricula/mini.md"]);
    // Only the organizer may take it.
    let stranger = a.get_anon("/curricula/mini/share.json").await;
    assert_ne!(stranger.status, StatusCode::OK);

    let dir = other_district();
    let b = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    assert!(b.get("/").await.body.contains("/programmes/import"));
    assert_eq!(b.get("/programmes/import").await.status, StatusCode::OK);
    assert_eq!(b.get("/curricula/mini").await.status, StatusCode::NOT_FOUND);
    let page = upload(&b, file.to_string().as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("読み込みました"), "{}", page.body);
    assert!(
        page.body.contains("href=\"/curricula/mini\""),
        "{}",
        page.body
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("cases/mini-case.md")).expect("written"),
        file["files"]["cases/mini-case.md"].as_str().expect("text")
    );
    // No temporary file is left behind.
    assert!(snapshot(dir.path()).keys().all(|k| k.ends_with(".md")));
    // The server uses it at once: its page, and a session of it.
    assert_eq!(b.get("/curricula/mini").await.status, StatusCode::OK);
    let (facilitator, _, _) = b.create_session("2").await;
    assert_eq!(b.get(&facilitator).await.status, StatusCode::OK);
    // The same file again changes nothing and says so.
    let again = upload(&b, file.to_string().as_bytes(), false).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(
        again.body.contains("同じ内容がすでにある"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn a_clash_is_refused_and_a_newer_version_replaces_keeping_the_old_beside_it() {
    let a = TestApp::new();
    let mut file = download(&a).await;
    let dir = fixture_copy();
    let b = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    // A session on B before the import: it must keep what it started with.
    let (facilitator, _, session_id) = b.create_session("2").await;
    let pinned = b.session_of(&facilitator).content_hash;
    let before = snapshot(dir.path());

    // The same ids and versions, but another text: a clash.
    let case = file["files"]["cases/mini-case.md"]
        .as_str()
        .expect("case")
        .to_string();
    let edited = case.replace("食事量が減ってきた。", "食事量がかなり減ってきた。");
    file["files"]["cases/mini-case.md"] = edited.clone().into();
    let page = upload(&b, file.to_string().as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(
        page.body.contains("mini-case") && page.body.contains("新しくありません"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("何も書き込んでいません"),
        "{}",
        page.body
    );
    assert_eq!(snapshot(dir.path()), before);
    let en = upload(&b, file.to_string().as_bytes(), true).await;
    assert!(en.body.contains("is not newer"), "{}", en.body);

    // An older version is a clash too.
    file["files"]["cases/mini-case.md"] = edited.replace("version: 1", "version: 0.9").into();
    let page = upload(&b, file.to_string().as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);

    // A newer version replaces the file; the old text stays beside it, unread.
    let newer = edited.replace("version: 1", "version: 1.1");
    file["files"]["cases/mini-case.md"] = newer.clone().into();
    let page = upload(&b, file.to_string().as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("cases/mini-case.md")).expect("new"),
        newer
    );
    let after = snapshot(dir.path());
    let kept: Vec<&String> = after
        .keys()
        .filter(|k| k.starts_with("cases/mini-case.md.") && k.ends_with(".v1.old"))
        .collect();
    assert_eq!(kept.len(), 1, "{after:?}");
    assert_eq!(after[kept[0]], before["cases/mini-case.md"]);
    assert!(unescaped(&page).contains(kept[0].as_str()), "{}", page.body);
    // The curriculum itself was the same text: left alone.
    assert_eq!(after["curricula/mini.md"], before["curricula/mini.md"]);
    // New sessions get the new text; the running one keeps its snapshot.
    assert!(
        b.state.library().cases["mini-case"].scenes[0]
            .narrative
            .source
            .contains("かなり")
    );
    assert_eq!(b.session_of(&facilitator).content_hash, pinned);
    let row = b
        .state
        .db
        .read_blocking(move |conn| acp_workbook::db::sessions::session(conn, &session_id))
        .expect("db")
        .expect("session");
    let run = b.state.session_with_content(row).await.expect("run");
    assert!(
        !run.library.cases["mini-case"].scenes[0]
            .narrative
            .source
            .contains("かなり")
    );
    let (newer_session, _, _) = b.create_session("2").await;
    assert_ne!(b.session_of(&newer_session).content_hash, pinned);
}

/// Uploads `file` and asserts it is refused with `status`, each of `fragments` on the
/// page, and nothing written.
async fn assert_refused(
    app: &TestApp,
    dir: &Path,
    file: &[u8],
    status: StatusCode,
    fragments: &[&str],
) {
    let before = snapshot(dir);
    let page = upload(app, file, false).await;
    assert_eq!(page.status, status, "{}", page.body);
    let text = unescaped(&page);
    for fragment in fragments {
        assert!(text.contains(fragment), "{fragment:?} not in {text}");
    }
    assert!(
        page.body.contains("何も書き込んでいません"),
        "{}",
        page.body
    );
    assert_eq!(snapshot(dir), before, "something was written");
}

#[tokio::test]
async fn bad_files_are_refused_naming_every_problem_with_nothing_written() {
    let a = TestApp::new();
    let file = download(&a).await;
    let dir = other_district();
    let b = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let d = dir.path();

    assert_refused(&b, d, b"\xff\xfe{}", unprocessable, &["UTF-8"]).await;
    assert_refused(
        &b,
        d,
        b"{\"format\": ",
        unprocessable,
        &["JSONとして読めません"],
    )
    .await;
    assert_refused(
        &b,
        d,
        br#"{"format": "acp-workbook-session"}"#,
        unprocessable,
        &["共有ファイルではありません"],
    )
    .await;
    let mut newer = file.clone();
    newer["version"] = 99.into();
    assert_refused(
        &b,
        d,
        newer.to_string().as_bytes(),
        unprocessable,
        &["形式 99"],
    )
    .await;

    // Names that would leave the folder, or are not content files, each named.
    let mut hostile = file.clone();
    let text = file["files"]["cases/mini-case.md"].clone();
    for name in [
        "../escape.md",
        "cases/../../escape.md",
        "/tmp/escape.md",
        "cases/x.md.bak",
        "curricula/README.md",
    ] {
        hostile["files"][name] = text.clone();
    }
    assert_refused(
        &b,
        d,
        hostile.to_string().as_bytes(),
        unprocessable,
        &[
            "../escape.md",
            "cases/../../escape.md",
            "/tmp/escape.md",
            "cases/x.md.bak",
            "README.md",
            "5件",
        ],
    )
    .await;
    assert!(!d.join("../escape.md").exists() && !Path::new("/tmp/escape.md").exists());
    let mut large = file.clone();
    large["files"]["cases/mini-case.md"] = "あ".repeat(400_000).into();
    assert_refused(
        &b,
        d,
        large.to_string().as_bytes(),
        unprocessable,
        &["大きすぎます"],
    )
    .await;

    // A broken case: its problem named with the file and line, in Japanese first.
    let mut broken = file.clone();
    let case = text.as_str().expect("text");
    broken["files"]["cases/mini-case.md"] = case
        .replace("- 胃ろうを造る -> s3a", "- 胃ろうを造る -> s9")
        .into();
    assert_refused(
        &b,
        d,
        broken.to_string().as_bytes(),
        unprocessable,
        &["cases/mini-case.md:", "s9"],
    )
    .await;

    // Too large for the form at all.
    let huge = vec![b' '; acp_workbook::content::share::UPLOAD_MAX + 1024];
    let page = upload(&b, &huge, false).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A BOM in front is fine: the file still imports.
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(file.to_string().as_bytes());
    let page = upload(&b, &with_bom, false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}

#[tokio::test]
async fn files_fine_alone_that_break_this_servers_content_are_refused() {
    let a = TestApp::new();
    let mut file = download(&a).await;
    // This server has the same programme and a curriculum of its own that walks the
    // scene s3b of mini-case.
    let dir = fixture_copy();
    let mini = std::fs::read_to_string(dir.path().join("curricula/mini.md")).expect("fixture");
    let local = mini
        .replace("id: mini", "id: local")
        .replace("scenes=s1,s2", "scenes=s3b");
    std::fs::write(dir.path().join("curricula/local.md"), local).expect("write");
    let b = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    // The file brings a newer mini-case whose s3b is now s3c: fine alone, not here.
    let case = file["files"]["cases/mini-case.md"]
        .as_str()
        .expect("case")
        .to_string();
    file["files"]["cases/mini-case.md"] = case
        .replace("version: 1", "version: 2")
        .replace("-> s3b", "-> s3c")
        .replace("{#s3b kind=scene}", "{#s3c kind=scene}")
        .into();
    assert_refused(
        &b,
        dir.path(),
        file.to_string().as_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["いっしょに確かめると", "curricula/local.md:", "s3b"],
    )
    .await;
}

/// The command line does the same: export from one folder, import into another.
#[test]
fn the_cli_exports_and_imports_a_programme_between_folders() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_acp-workbook");
    let from = fixture_copy();
    let to = other_district();
    let file = from.path().join("mini.programme.json");
    let out = Command::new(bin)
        .args(["share", "export", "mini", "--out"])
        .arg(&file)
        .arg("--content")
        .arg(from.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let import = || {
        Command::new(bin)
            .args(["share", "import"])
            .arg(&file)
            .arg("--content")
            .arg(to.path())
            .output()
            .expect("runs")
    };
    let out = import();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("curricula/mini.md"));
    let library = acp_workbook::content::Library::load(to.path()).expect("loads");
    assert!(library.curricula.contains_key("mini") && library.cases.contains_key("mini-case"));
    // A clash is refused with its reason and exit code 1.
    let text = std::fs::read_to_string(&file).expect("file");
    std::fs::write(&file, text.replace("食事量が減ってきた。", "変えた。")).expect("write");
    let out = import();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("新しくありません"));
}

#[tokio::test]
async fn only_the_organizer_imports_and_only_into_a_content_folder() {
    let a = TestApp::new();
    let file = download(&a).await;
    let dir = other_district();
    let b = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let before = snapshot(dir.path());
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.json\"\r\nContent-Type: application/json\r\n\r\n{file}\r\n--{BOUNDARY}--\r\n"
    );
    let stranger = b
        .send_anon(
            Request::post("/programmes/import")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_ne!(stranger.status, StatusCode::OK);
    assert_eq!(snapshot(dir.path()), before);
    // A server whose content did not come from a folder has nowhere to write.
    let library = acp_workbook::content::Library::load(dir.path()).expect("loads");
    let state =
        acp_workbook::AppState::new(Db::open_in_memory().expect("db"), library).expect("state");
    let token = state
        .db
        .write_blocking(|conn| acp_workbook::server::auth::new_login(conn))
        .expect("sign-in");
    let c = TestApp {
        router: acp_workbook::app(state.clone()),
        state,
        organizer: format!("{}={token}", acp_workbook::server::auth::COOKIE),
        device: Default::default(),
    };
    let page = upload(&c, file.to_string().as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("--content"), "{}", page.body);
    assert_eq!(snapshot(dir.path()), before);
}

/// A programme whose files declare district roles brings them along: the receiving
/// server knows 腎臓内科医 and the rest, and a session of it starts.
#[tokio::test]
async fn a_programme_with_district_roles_brings_its_roles_along() {
    let district = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district");
    let a = TestApp::with(Db::open_in_memory().expect("db"), &district);
    let page = a.get("/curricula/dialysis/share.json").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let dir = fixture_copy();
    let b = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    assert!(b.state.library().professions.find("nephrologist").is_none());
    let done = upload(&b, page.body.as_bytes(), false).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let library = b.state.library();
    assert!(library.curricula.contains_key("dialysis"));
    assert!(library.professions.find("nephrologist").is_some());
    let created = b
        .post(
            "/sessions",
            &[
                ("curriculum", "dialysis"),
                ("title", "透析の勉強会"),
                ("held_on", "2026-12-05"),
                ("place", "県庁"),
                ("tables", "2"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
}
