//! Issue 15, "Done when": a case file edited on disk while its preview is open appears
//! without a restart; a broken edit shows its problem on the preview while the last
//! good version keeps showing.

use std::path::Path;
use std::time::Duration;

use crate::server;
use crate::webdriver::{Browser, Driver, Server, free_port};

const CASE: &str = "cases/mini-case.md";

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join(CASE);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{CASE} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Marks the page, so a test can tell whether it was reloaded since.
fn mark(browser: &Browser) {
    browser.exec("window.__acpPreviewMark = 1;", serde_json::json!([]));
}

fn marked(browser: &Browser) -> bool {
    browser.exec(
        "return window.__acpPreviewMark === 1;",
        serde_json::json!([]),
    ) == serde_json::json!(true)
}

pub fn preview_reload(chromium: &Path, driver: &Driver) {
    let dir = tempfile::tempdir().expect("dir");
    let content = dir.path().join("content");
    for folder in ["curricula", "cases"] {
        std::fs::create_dir_all(content.join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(super::fixtures().join(folder)).expect("fixtures") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), content.join(folder).join(entry.file_name()))
                .expect("copy");
        }
    }
    let server = Server::start(free_port(), &dir.path().join("db.sqlite"), &content);
    let author = Browser::open(driver, chromium, "author", (1366, 900));
    author.goto(&format!("{}/signin", server.url()));
    author.type_into("input[name=secret]", server::ORGANIZER_PASSWORD);
    author.click("form[action='/signin'] button");
    author.wait_text("別のサーバーの研修会を読み込む", Duration::from_secs(15));

    // A visiting nurse's table, walked to the branch and down 「口から食べ続ける」.
    let place = "/preview/cases/mini-case?set=1&p=visiting-nurse&path=s1%2Cs2%2Cs3b";
    author.goto(&format!("{}{place}", server.url()));
    author.wait_text("お嫁さんが泣いていた。", Duration::from_secs(10));
    author.wait_text("楽しみのために少しずつ食べる。", Duration::from_secs(5));
    author.screenshot("preview-case.png");
    mark(&author);

    // Saved on disk: the page shows the new text by itself, at the same place.
    edit(
        &content,
        "お嫁さんが泣いていた。",
        "お嫁さんが夜も眠れていない。",
    );
    let start = std::time::Instant::now();
    author.wait_text("お嫁さんが夜も眠れていない。", Duration::from_secs(5));
    let took = start.elapsed();
    assert!(!marked(&author), "the page reloaded itself");
    assert!(
        took < Duration::from_secs(3),
        "the preview followed the save in {took:?}"
    );
    let url = author.current_url();
    assert!(
        url.ends_with(place),
        "the place (professions, scenes walked) is kept: {url}"
    );
    author.wait_text("楽しみのために少しずつ食べる。", Duration::from_secs(1));

    // A broken save: the problem is shown on the preview, the last good version stays.
    mark(&author);
    edit(
        &content,
        "# 場面1 外来 {#s1 kind=scene}",
        "# 場面1 外来 {#s1 kind=scene",
    );
    author.wait_text(
        "内容フォルダのファイルに問題があります",
        Duration::from_secs(5),
    );
    author.wait_text("cases/mini-case.md:35", Duration::from_secs(1));
    assert!(!marked(&author));
    let body = author.text("body");
    assert!(
        body.contains("お嫁さんが夜も眠れていない。")
            && body.contains("楽しみのために少しずつ食べる。"),
        "the last good version keeps showing"
    );
    author.screenshot("preview-broken.png");

    // Fixed: the banner goes.
    edit(
        &content,
        "# 場面1 外来 {#s1 kind=scene\n",
        "# 場面1 外来 {#s1 kind=scene}\n",
    );
    let start = std::time::Instant::now();
    while author
        .text("body")
        .contains("内容フォルダのファイルに問題があります")
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the banner went away"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // The curriculum's preview follows too.
    author.goto(&format!("{}/preview/curricula/mini", server.url()));
    author.wait_text("合計", Duration::from_secs(5));
    author.screenshot("preview-curriculum.png");
}
