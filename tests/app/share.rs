//! Authors' helpers on the organizer's pages: a curriculum's warnings, and sharing a
//! programme (download, import into another server's content folder).

use std::path::Path;

use acp_workbook::db::Db;
use axum::http::StatusCode;

use crate::helpers::{TestApp, fixture_copy};

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
