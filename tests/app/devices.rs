//! A table belongs to its devices (issue 13, finding 3): the join code and a table number,
//! both on the projector, never open a table another device already holds.

use axum::http::StatusCode;

use crate::helpers::TestApp;

const PROMPT: &str = "curriculum:mini:q-wish";

/// A session at its group-work step with table 1 joined and answered by the first device.
async fn claimed() -> (TestApp, String, String, String, String) {
    let app = TestApp::new();
    let (facilitator, code, session) = app.create_session("2").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    let saved = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", PROMPT),
                ("base", "0"),
                ("text", "本人は家に帰りたい"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    (app, facilitator, code, session, table)
}

fn audit_rows(app: &TestApp, session: &str) -> usize {
    let id = session.to_string();
    app.state
        .db
        .read_blocking(move |conn| acp_workbook::db::events::events(conn, &id))
        .expect("events")
        .len()
}

fn pairing_code(page: &str) -> String {
    page.split("data-pairing-code>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a pairing code on the table screen")
        .to_string()
}

#[tokio::test]
async fn a_claimed_table_is_refused_to_a_second_device() {
    let (app, _, code, session, table) = claimed().await;
    let before = audit_rows(&app, &session);
    let stranger = app.other_device();
    let by_form = stranger
        .post("/join", &[("code", &code), ("table", "1")])
        .await;
    assert_eq!(by_form.status, StatusCode::FORBIDDEN);
    assert_eq!(by_form.location, None, "no way onto the table screen");
    for expected in [
        "すでに別の端末で使われています",
        "QRコード",
        "ペアリングコード",
        "ファシリテーターに頼む",
        "name=\"pairing\"",
    ] {
        assert!(
            by_form.body.contains(expected),
            "{expected}: {}",
            by_form.body
        );
    }
    assert!(!by_form.body.contains("本人は家に帰りたい"));
    let by_link = stranger.get(&format!("/j/{code}/1")).await;
    assert_eq!(by_link.status, StatusCode::FORBIDDEN);
    assert!(by_link.body.contains("すでに別の端末で使われています"));
    // Even with the table's address (from a history, say) the stranger reads and writes nothing.
    let screen = stranger.get(&table).await;
    assert_eq!(screen.status, StatusCode::FORBIDDEN);
    assert!(!screen.body.contains("本人は家に帰りたい"));
    let write = stranger
        .post_with(
            &format!("{table}/answer"),
            &[("prompt", PROMPT), ("base", "1"), ("text", "上書き")],
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    assert!(write.body.contains("参加していません"), "{}", write.body);
    assert_eq!(audit_rows(&app, &session), before, "refusals write nothing");
    let own = app.get(&table).await;
    assert!(
        own.body.contains("本人は家に帰りたい"),
        "the answer is untouched"
    );
    // In English too.
    let en = stranger
        .post_with(
            "/join",
            &[("code", &code), ("table", "1")],
            &[("cookie", "lang=en")],
        )
        .await;
    assert!(
        en.body.contains("already in use on another device"),
        "{}",
        en.body
    );
    // The other table is still free for its own first device.
    assert_eq!(
        stranger
            .post("/join", &[("code", &code), ("table", "2")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_device_that_joined_comes_back_without_anything() {
    let (app, _, code, _, table) = claimed().await;
    for page in [
        app.post("/join", &[("code", &code), ("table", "1")]).await,
        app.get(&format!("/j/{code}/1")).await,
    ] {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(page.location.as_deref(), Some(table.as_str()));
    }
    assert_eq!(app.get(&table).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_second_device_joins_with_the_pairing_code() {
    let (app, facilitator, code, session, table) = claimed().await;
    let code_on_screen = pairing_code(&app.get(&table).await.body);
    assert_eq!(code_on_screen.len(), 6);
    let second = app.other_device();
    let wrong = second
        .post(
            "/join/pair",
            &[("code", &code), ("table", "1"), ("pairing", "abc")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(
        wrong.body.contains("ペアリングコードが違います"),
        "{}",
        wrong.body
    );
    let joined = second
        .post(
            "/join/pair",
            &[
                ("code", &code),
                ("table", "1"),
                ("pairing", &code_on_screen),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert_eq!(joined.location.as_deref(), Some(table.as_str()));
    let screen = second.get(&table).await;
    assert!(screen.body.contains("本人は家に帰りたい"));
    assert!(screen.body.contains("端末2"));
    // The code changed when it was used.
    assert_ne!(pairing_code(&screen.body), code_on_screen);
    let third = app.other_device();
    let reused = third
        .post(
            "/join/pair",
            &[
                ("code", &code),
                ("table", "1"),
                ("pairing", &code_on_screen),
            ],
        )
        .await;
    assert_eq!(reused.status, StatusCode::FORBIDDEN);
    // The second device writes, and the log says which device did.
    let saved = second
        .post(
            &format!("{table}/answer"),
            &[("prompt", PROMPT), ("base", "1"), ("text", "端末2から")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let audit = app.get(&format!("/s/{session}/audit")).await;
    assert!(
        audit.body.contains("端末1") && audit.body.contains("端末2"),
        "{}",
        audit.body
    );
    // The facilitator sees two devices at table 1.
    let page = app.get(&facilitator).await;
    assert!(
        page.body.contains("data-device-count=\"2\""),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_second_device_joins_with_the_tables_qr_code() {
    let (app, facilitator, code, _, table) = claimed().await;
    let sheet = app.get(&format!("{facilitator}/qr")).await.body;
    let link = sheet
        .split(&format!("/j/{code}/1/"))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .map(|key| format!("/j/{code}/1/{key}"))
        .expect("table 1's QR address carries a key");
    assert!(link.len() > format!("/j/{code}/1/").len() + 16);
    let second = app.other_device();
    let joined = second.get(&link).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert_eq!(joined.location.as_deref(), Some(table.as_str()));
    assert_eq!(second.get(&table).await.status, StatusCode::OK);
    // A made-up key is refused.
    let guess = app
        .other_device()
        .get(&format!("/j/{code}/1/000000000000000000000000"))
        .await;
    assert_eq!(guess.status, StatusCode::FORBIDDEN);
    // Table 2's card does not open table 1.
    let key2 = sheet
        .split(&format!("/j/{code}/2/"))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("table 2's key")
        .to_string();
    assert_ne!(link, format!("/j/{code}/1/{key2}"));
}

#[tokio::test]
async fn a_second_device_joins_with_the_facilitators_approval_and_leaves_when_released() {
    let (app, facilitator, code, session, table) = claimed().await;
    let second = app.other_device();
    let asked = second
        .post("/join/ask", &[("code", &code), ("table", "1")])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let wait = asked.location.expect("the waiting page");
    let waiting = second.get(&wait).await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert!(waiting.body.contains("承認を待っています"));
    assert_eq!(second.get(&table).await.status, StatusCode::FORBIDDEN);
    // Another browser cannot see or use the request.
    assert_eq!(
        app.other_device().get(&wait).await.status,
        StatusCode::NOT_FOUND
    );
    let page = app.get(&facilitator).await.body;
    let request = page
        .split("data-join-request=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the request on the facilitator page")
        .to_string();
    let approved = app
        .post(
            &format!("{facilitator}/devices/approve"),
            &[("id", &request)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let opened = second.get(&wait).await;
    assert_eq!(opened.location.as_deref(), Some(table.as_str()));
    assert_eq!(second.get(&table).await.status, StatusCode::OK);

    // Released: its next request is refused, it cannot write, and code+number do not bring it back.
    let page = app.get(&facilitator).await.body;
    let device = page
        .split("data-device=\"")
        .nth(2)
        .and_then(|s| s.split('"').next())
        .expect("the second device on the facilitator page")
        .to_string();
    let released = app
        .post(
            &format!("{facilitator}/devices/release"),
            &[("id", &device)],
        )
        .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER, "{}", released.body);
    let before = audit_rows(&app, &session);
    let screen = second.get(&table).await;
    assert_eq!(screen.status, StatusCode::FORBIDDEN);
    assert!(screen.body.contains("外されました"), "{}", screen.body);
    let write = second
        .post_with(
            &format!("{table}/answer"),
            &[
                ("prompt", PROMPT),
                ("base", "1"),
                ("text", "外された端末から"),
            ],
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(
        second
            .post("/join", &[("code", &code), ("table", "1")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(audit_rows(&app, &session), before);
    assert!(!app.get(&table).await.body.contains("外された端末から"));
    // The first device is still there.
    assert_eq!(app.get(&table).await.status, StatusCode::OK);
}

#[tokio::test]
async fn guessing_pairing_codes_is_limited() {
    let (app, _, code, _, table) = claimed().await;
    let guesser = app.other_device();
    let mut limited = false;
    for n in 0..40 {
        let page = guesser
            .post(
                "/join/pair",
                &[
                    ("code", &code),
                    ("table", "1"),
                    ("pairing", &format!("{n:06}")),
                ],
            )
            .await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            assert!(page.body.contains("間違いが多すぎます"), "{}", page.body);
            break;
        }
        assert_ne!(
            page.status,
            StatusCode::SEE_OTHER,
            "a guess never joins here"
        );
    }
    assert!(limited, "40 wrong codes in a row are stopped");
    // Even the right code is refused while the table is limited; the QR and the facilitator still work.
    let right = pairing_code(&app.get(&table).await.body);
    let page = guesser
        .post(
            "/join/pair",
            &[("code", &code), ("table", "1"), ("pairing", &right)],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}
