//! The facilitator's wall: one tile per table with its state, one table's answers as a
//! fragment for the panel, one tile for live redraws, and the staff `saved` event.

use acp_workbook::db::{conclusions, tables};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::TestApp;

const Q_WISH: &str = "curriculum:mini:q-wish";
const Q_FIRST: &str = "curriculum:mini:q-first";
const Q_CONF: &str = "curriculum:mini:q-conf";

/// The `data-state` of table `n`'s tile in a page or fragment.
fn tile_state(html: &str, n: i64) -> String {
    let marker = format!("data-tile=\"{n}\" data-state=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no tile for table {n}"))
        + marker.len();
    html[at..].split('"').next().unwrap_or_default().to_string()
}

/// Table `n`'s tile, from its opening tag to its closing `</a>`.
fn tile_html(html: &str, n: i64) -> &str {
    let start = html
        .find(&format!("data-tile=\"{n}\""))
        .unwrap_or_else(|| panic!("no tile for table {n}"));
    let end = html[start..].find("</a>").expect("tile end") + start;
    &html[start..end]
}

/// A 30-table session at the group-work step: table 1 answered everything, table 2
/// joined and never answered, table 3 answered one of three; the rest never joined.
async fn hall() -> (TestApp, String, Vec<String>) {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("30").await;
    let mut tokens = Vec::new();
    for (n, professions) in [
        (
            "1",
            vec![
                "visiting-nurse",
                "care-manager",
                "pharmacist",
                "msw",
                "speech-therapist",
                "dietitian",
            ],
        ),
        ("2", vec!["physician-clinic"]),
        ("3", vec!["city-staff", "citizen"]),
    ] {
        tokens.push(app.join(&code, n, &professions).await);
    }
    app.goto(&facilitator, 2).await;
    for pairs in [
        vec![
            ("prompt", Q_WISH),
            ("base", "0"),
            ("text", "家に帰りたい<b>"),
        ],
        vec![("prompt", Q_FIRST), ("base", "0"), ("choice", "0")],
        vec![("prompt", Q_CONF), ("base", "0"), ("value", "4")],
    ] {
        let saved = app.post(&format!("{}/answer", tokens[0]), &pairs).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let saved = app
        .post(
            &format!("{}/answer", tokens[2]),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "まず話を聞く")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    (app, facilitator, tokens)
}

#[tokio::test]
async fn thirty_tables_each_have_a_tile_with_their_state() {
    let (app, facilitator, _) = hall().await;
    let page = app.get(&facilitator).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-wall"), "the wall is there");
    assert_eq!(page.body.matches("data-tile=\"").count(), 30);
    assert_eq!(tile_state(&page.body, 1), "done");
    assert_eq!(tile_state(&page.body, 2), "idle", "joined, never answered");
    assert_eq!(tile_state(&page.body, 3), "working");
    for n in 4..=30 {
        assert_eq!(tile_state(&page.body, n), "absent", "table {n}");
    }
    // Ticks: table 3 has one of three prompts with text; the state is in words too.
    let three = tile_html(&page.body, 3);
    assert_eq!(three.matches("class=\"tick on\"").count(), 1, "{three}");
    assert_eq!(three.matches("class=\"tick\"").count(), 2, "{three}");
    assert!(three.contains("記入中") && three.contains("data-last-save"));
    // Six professions: four short labels, the count of the rest, all in the title.
    let one = tile_html(&page.body, 1);
    assert!(one.contains("訪看") && one.contains("ほか2"), "{one}");
    assert!(one.contains("管理栄養士"), "full list in the title: {one}");
    assert!(!one.contains(">栄養士<"), "the fifth is not shown: {one}");
    // Filter counts per state; the old answer cards are still on the page (escaped).
    assert!(page.body.contains("data-count=\"absent\">27<"), "27 absent");
    assert!(page.body.contains("data-count=\"done\">1<"));
    assert!(page.body.contains("家に帰りたい&lt;b&gt;"));
    // Without script the filter is a link that the server applies.
    let idle = app.get(&format!("{facilitator}?show=idle")).await;
    assert!(idle.body.contains("data-show=\"idle\""), "filter kept");
    let junk = app.get(&format!("{facilitator}?show=%3Cx%3E")).await;
    assert!(
        junk.body.contains("data-show=\"all\""),
        "unknown filter ignored"
    );

    // Time is up: every joined table is locked; an absent one stays absent.
    let ended = app
        .post(&format!("{facilitator}/timer"), &[("action", "end")])
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
    let page = app.get(&facilitator).await;
    for n in 1..=3 {
        assert_eq!(tile_state(&page.body, n), "locked", "table {n}");
    }
    assert_eq!(tile_state(&page.body, 4), "absent");
}

#[tokio::test]
async fn a_table_detail_is_a_fragment_or_a_page_and_refuses_strangers() {
    let (app, facilitator, _) = hall().await;
    let fragment = app.get(&format!("{facilitator}/tables/1?fragment=1")).await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    assert!(fragment.body.contains("data-detail-for=\"1\""));
    assert!(
        fragment.body.contains("家に帰りたい&lt;b&gt;"),
        "escaped answer"
    );
    assert!(!fragment.body.contains("家に帰りたい<b>"));
    assert!(!fragment.body.contains("まず話を聞く"), "only table 1");
    let page = app.get(&format!("{facilitator}/tables/3")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html") && page.body.contains("data-table-detail"));
    assert!(page.body.contains("まず話を聞く"));
    for bad in ["0", "31", "abc", "-1", "1.5"] {
        let refused = app.get(&format!("{facilitator}/tables/{bad}")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "table {bad}");
        let refused = app.get(&format!("{facilitator}/tiles/{bad}")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "tile {bad}");
    }
    // Another session's facilitator key sees nothing of this one.
    let (other, _, _) = app.create_session("2").await;
    let theirs = app.get(&format!("{other}/tables/1?fragment=1")).await;
    assert!(!theirs.body.contains("家に帰りたい"));
    assert_eq!(
        app.get("/f/not-a-key/tables/1").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/f/not-a-key/tiles/1").await.status,
        StatusCode::NOT_FOUND
    );

    // One tile alone, for the script's redraw after a save.
    let tile = app.get(&format!("{facilitator}/tiles/2")).await;
    assert_eq!(tile.status, StatusCode::OK);
    assert_eq!(tile.body.matches("data-tile=\"").count(), 1);
    assert_eq!(tile_state(&tile.body, 2), "idle");
}

#[tokio::test]
async fn an_answer_that_no_longer_fits_its_prompt_shows_plainly() {
    let (app, facilitator, tokens) = hall().await;
    // As after a content change: the stored answer has a shape the prompt no longer has.
    let token = tokens[1].trim_start_matches("/t/").to_string();
    app.state
        .db
        .write_blocking(move |conn| {
            let table = tables::table_by_token(conn, &token)?.expect("table 2");
            conclusions::save_conclusion(
                conn,
                &table,
                Q_CONF,
                0,
                &acp_workbook::answer::Answer::Text {
                    text: "古い形の回答".into(),
                },
                2,
            )?;
            Ok(())
        })
        .expect("stored");
    let page = app.get(&facilitator).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let two = tile_html(&page.body, 2);
    assert!(
        two.contains("tick on stale") && two.contains("要確認"),
        "{two}"
    );
    let detail = app.get(&format!("{facilitator}/tables/2?fragment=1")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    assert!(
        detail.body.contains("問いに合わない回答"),
        "{}",
        detail.body
    );
}

/// Reads the next SSE frame of a streaming body as text (skipping keep-alive comments).
async fn next_event(body: &mut Body) -> String {
    loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
            .await
            .expect("an event within 5 s")
            .expect("stream open")
            .expect("frame");
        if let Ok(data) = frame.into_data() {
            let text = String::from_utf8_lossy(&data).to_string();
            if text.contains("event:") {
                return text;
            }
        }
    }
}

#[tokio::test]
async fn the_staff_saved_event_says_which_tile_changed() {
    let (app, facilitator, tokens) = hall().await;
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get(format!("{facilitator}/events"))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let mut body = response.into_body();
    assert!(next_event(&mut body).await.contains("event: hello"));
    let saved = app
        .post(
            &format!("{}/answer", tokens[1]),
            &[("prompt", Q_CONF), ("base", "0"), ("value", "3")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // Saves published just before the stream opened may still arrive: find table 2's.
    let (event, data) = loop {
        let event = next_event(&mut body).await;
        let data: serde_json::Value = serde_json::from_str(
            event
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .expect("data line"),
        )
        .expect("json");
        if event.contains("event: saved") && data["table"] == 2 {
            break (event, data);
        }
    };
    assert_eq!(data["table"], 2, "{event}");
    assert_eq!(data["step"], 2);
    assert_eq!(data["prompt"], "q-conf");
    assert_eq!(data["has_text"], true);
    assert!(
        data["saved_at"].as_i64().is_some_and(|at| at > 0),
        "{event}"
    );
    // The tile the script then fetches has left "idle".
    let tile = app.get(&format!("{facilitator}/tiles/2")).await;
    assert_eq!(tile_state(&tile.body, 2), "working");
}
