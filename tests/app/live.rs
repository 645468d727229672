//! Live facilitation through the router: event streams, autosave replies, conflicts,
//! timers that lock a step, the per-table save limit, QR codes, projector and run sheet.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::TestApp;

const Q_WISH: &str = "curriculum:mini:q-wish";

/// POSTs a form asking for JSON, as the page script does.
async fn post_json(
    app: &TestApp,
    path: &str,
    pairs: &[(&str, &str)],
) -> (StatusCode, serde_json::Value) {
    let page = app
        .post_with(path, pairs, &[("accept", "application/json")])
        .await;
    let value = serde_json::from_str(&page.body).unwrap_or(serde_json::Value::String(page.body));
    (page.status, value)
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
async fn screens_hear_step_changes_and_staff_hear_saves() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("2").await;
    let t1 = app.join(&code, "1", &["visiting-nurse"]).await;
    let t2 = app.join(&code, "2", &["pharmacist"]).await;
    let device = app.device.lock().expect("jar").clone().expect("a device");
    let open = |path: String| {
        let router = app.router.clone();
        let device = device.clone();
        async move {
            router
                .oneshot(
                    Request::get(path)
                        .header(header::COOKIE, device)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("response")
        }
    };
    let table_stream = open(format!("{t2}/events")).await;
    assert_eq!(table_stream.status(), StatusCode::OK);
    assert_eq!(
        table_stream.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut table_body = table_stream.into_body();
    let mut staff_body = open(format!("{facilitator}/events")).await.into_body();
    let hello = next_event(&mut table_body).await;
    assert!(
        hello.contains("event: hello") && hello.contains("\"step\":0"),
        "{hello}"
    );
    next_event(&mut staff_body).await;

    app.goto(&facilitator, 2).await;
    let step = next_event(&mut table_body).await;
    assert!(
        step.contains("event: step") && step.contains("\"step\":2"),
        "{step}"
    );
    assert!(next_event(&mut staff_body).await.contains("event: step"));

    // Table 1 saves: the facilitator gets the rendered cell; table 2 hears nothing of it.
    let (status, reply) = post_json(
        &app,
        &format!("{t1}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", "<b>家で</b>")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["version"], 1);
    let saved = next_event(&mut staff_body).await;
    assert!(
        saved.contains("event: saved") && saved.contains("\"table\":1"),
        "{saved}"
    );
    assert!(
        saved.contains("&lt;b&gt;家で"),
        "the cell is escaped: {saved}"
    );
    app.goto(&facilitator, 3).await;
    let after = next_event(&mut table_body).await;
    assert!(
        after.contains("event: step") && !after.contains("家で"),
        "table 2 never sees table 1's answer: {after}"
    );
}

#[tokio::test]
async fn streams_for_missing_sessions_are_refused_and_ended_sessions_end_calmly() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    assert_eq!(
        app.get("/t/0000/events").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/f/0000/events").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/p/0000/events").await.status,
        StatusCode::NOT_FOUND
    );
    // A screen that was open when the session ended hears `ended` with its own data,
    // and then its stream finishes.
    // Opened as the table's own browser would: with the device cookie of the table.
    let device = app.device.lock().expect("jar").clone().unwrap_or_default();
    let open = |path: String| {
        let router = app.router.clone();
        let device = device.clone();
        async move {
            router
                .oneshot(
                    Request::get(path)
                        .header(axum::http::header::COOKIE, device)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("response")
        }
    };
    let mut table_body = open(format!("{table}/events")).await.into_body();
    let mut staff_body = open(format!("{facilitator}/events")).await.into_body();
    next_event(&mut table_body).await;
    next_event(&mut staff_body).await;
    app.post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    let ended = next_event(&mut table_body).await;
    assert!(
        ended.contains("event: ended")
            && ended.contains(&format!("\"record_pdf\":\"{table}/record.pdf\"")),
        "{ended}"
    );
    let staff_ended = next_event(&mut staff_body).await;
    assert!(
        staff_ended.contains("event: ended") && staff_ended.contains("data: {}"),
        "{staff_ended}"
    );
    let rest = tokio::time::timeout(std::time::Duration::from_secs(5), table_body.frame())
        .await
        .expect("the stream finishes after ended");
    assert!(rest.is_none(), "nothing follows ended: {rest:?}");

    // A screen that connects after the end gets 200, the hello and `ended`, and the end
    // of the response: no 410 for the browser to retry and the page to call a lost connection.
    for (path, data) in [
        (
            format!("{table}/events"),
            format!("{{\"record_pdf\":\"{table}/record.pdf\"}}"),
        ),
        (format!("{facilitator}/events"), "{}".to_string()),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let hello = page.body.find("event: hello").expect("hello");
        let ended = page.body.find("event: ended").expect("ended");
        assert!(hello < ended, "{}", page.body);
        assert!(
            page.body.contains(&format!("data: {data}")),
            "{}",
            page.body
        );
        assert!(page.body.contains("\"closed\":true"), "{}", page.body);
    }
}

#[tokio::test]
async fn autosave_replies_in_json_and_a_stale_save_gets_both_texts() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    let (status, first) = post_json(
        &app,
        &format!("{table}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", "一台目")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(first["label"].as_str().unwrap_or("").contains("第1版"));
    let (status, conflict) = post_json(
        &app,
        &format!("{table}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", "二台目")],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["conflict"], true);
    assert_eq!(conflict["theirs"], "一台目");
    assert_eq!(conflict["version"], 1);
    // An error for a script comes back as JSON with the message in the user's language.
    let (status, error) = post_json(
        &app,
        &format!("{table}/answer"),
        &[
            ("prompt", Q_WISH),
            ("base", "1"),
            ("text", &"あ".repeat(501)),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        error["message"].as_str().unwrap_or("").contains("501文字"),
        "{error}"
    );
}

#[tokio::test]
async fn a_table_cannot_write_for_another_table() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("2").await;
    let t1 = app.join(&code, "1", &["citizen"]).await;
    app.join(&code, "2", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    // Extra fields naming another table are ignored: the token decides the table.
    let (status, _) = post_json(
        &app,
        &format!("{t1}/answer"),
        &[
            ("prompt", Q_WISH),
            ("base", "0"),
            ("text", "一番の答え"),
            ("table", "2"),
            ("table_id", "2"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rows = app
        .state
        .db
        .read_blocking(move |conn| {
            acp_workbook::db::conclusions::latest_conclusions(conn, &session_id)
        })
        .expect("rows");
    assert_eq!(rows.len(), 1);
    let tables = app
        .state
        .db
        .write_blocking({
            let id = rows[0].table_id;
            move |conn| {
                Ok(conn.query_row(
                    "SELECT number FROM session_table WHERE id = ?1",
                    [id],
                    |r| r.get::<_, i64>(0),
                )?)
            }
        })
        .expect("number");
    assert_eq!(tables, 1);
}

#[tokio::test]
async fn the_timer_locks_the_step_and_the_facilitator_can_reopen() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    assert_eq!(
        app.post(&format!("{facilitator}/timer"), &[("action", "start")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(app.get(&table).await.body.contains("進行中"));
    // Time passes: pretend the timer was started eleven minutes ago (the time box is 10).
    let id = session_id.clone();
    app.state
        .db
        .write_blocking(move |conn| {
            conn.execute(
                "UPDATE step_timer SET started_at = started_at - 660000 WHERE session_id = ?1",
                [&id],
            )?;
            Ok(())
        })
        .expect("shift");
    let late = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "遅れた答え")],
        )
        .await;
    assert_eq!(late.status, StatusCode::LOCKED);
    assert!(late.body.contains("締め切られました") && late.body.contains("遅れた答え"));
    assert!(app.get(&table).await.body.contains("時間です"));
    assert_eq!(
        app.post(&format!("{facilitator}/timer"), &[("action", "reopen")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let again = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "遅れた答え")],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    // Adding minutes after the end gives time back; ending locks at once.
    assert_eq!(
        app.post(
            &format!("{facilitator}/timer"),
            &[("action", "add"), ("minutes", "5")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert!(app.get(&facilitator).await.body.contains("5:00"));
    app.post(&format!("{facilitator}/timer"), &[("action", "end")])
        .await;
    let ended = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "1"), ("text", "終了後")],
        )
        .await;
    assert_eq!(ended.status, StatusCode::LOCKED);
    assert_eq!(
        app.post(&format!("{facilitator}/timer"), &[("action", "explode")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.post(
            &format!("{facilitator}/timer"),
            &[("action", "add"), ("minutes", "999")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_flood_of_saves_from_one_table_is_slowed_with_a_message() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("2").await;
    let t1 = app.join(&code, "1", &["citizen"]).await;
    let t2 = app.join(&code, "2", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    let mut statuses = Vec::new();
    for i in 0..40 {
        let (status, body) = post_json(
            &app,
            &format!("{t1}/answer"),
            &[
                ("prompt", Q_WISH),
                ("base", &i.to_string()),
                ("text", &format!("版{i}")),
            ],
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(
                body["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("少し待って"),
                "{body}"
            );
        }
        statuses.push(status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().take(10).all(|s| *s == StatusCode::OK),
        "a normal burst is fine: {statuses:?}"
    );
    // Another table in the same room is not affected.
    let (status, _) = post_json(
        &app,
        &format!("{t2}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", "隣のテーブル")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn hold_keeps_tables_on_the_facilitators_scene() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 1).await;
    app.post(&format!("{facilitator}/pace"), &[("pace", "hold")])
        .await;
    assert!(app.get(&table).await.body.contains("合図を待って"));
    assert_eq!(
        app.post(&format!("{table}/walk"), &[("seq", "1")])
            .await
            .status,
        StatusCode::CONFLICT
    );
    app.post(&format!("{facilitator}/pace"), &[("pace", "free")])
        .await;
    assert_eq!(
        app.post(&format!("{table}/walk"), &[("seq", "1")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn projector_qr_codes_and_run_sheet() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("2").await;
    let t1 = app.join(&code, "1", &["citizen"]).await;
    let page = app.get(&facilitator).await.body;
    let projector = page
        .split("href=\"/p/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|k| format!("/p/{k}"))
        .expect("projector link");
    app.goto(&facilitator, 2).await;
    app.post(
        &format!("{t1}/answer"),
        &[
            ("prompt", "curriculum:mini:q-first"),
            ("base", "0"),
            ("choice", "1"),
        ],
    )
    .await;
    app.post(&format!("{facilitator}/spotlight"), &[("table", "1")])
        .await;
    app.post(
        &format!("{t1}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", "映す答え")],
    )
    .await;
    let proj = app.get(&projector).await;
    assert_eq!(proj.status, StatusCode::OK);
    assert!(proj.body.contains("映す答え"), "spotlighted answer");
    // A spotlight takes the whole content column; the tallies come back without it.
    app.post(&format!("{facilitator}/spotlight"), &[]).await;
    let proj = app.get(&projector).await;
    assert!(
        proj.body.contains("家族会議を開く") && proj.body.contains("1テーブルが回答"),
        "tally"
    );
    assert!(proj.body.contains(&code));
    assert!(
        !proj.body.contains("/f/"),
        "the projector never links to facilitator controls"
    );
    assert_eq!(
        app.post(
            &format!("{facilitator}/spotlight"),
            &[("table", "1"), ("table", "2"), ("table", "3")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );

    let qr = app.get(&format!("{facilitator}/qr/2.svg")).await;
    assert_eq!(qr.status, StatusCode::OK);
    assert!(
        qr.body.starts_with("<?xml") && qr.body.contains("<svg"),
        "{}",
        &qr.body[..80.min(qr.body.len())]
    );
    assert_eq!(
        app.get(&format!("{facilitator}/qr/3.svg")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{projector}/qr")).await.status,
        StatusCode::OK
    );
    let sheet = app.get(&format!("{facilitator}/qr")).await;
    assert!(sheet.body.contains(&format!("/j/{code}/2")));
    // Scanning a table's code opens that table's screen, the same as joining by hand.
    let direct = app.get(&format!("/j/{code}/1")).await;
    assert_eq!(direct.location.as_deref(), Some(t1.as_str()));

    let run = app.get(&format!("{facilitator}/runsheet")).await;
    assert_eq!(run.status, StatusCode::OK);
    assert!(run.body.contains("グループワーク") && run.body.contains("予定"));
}

#[tokio::test]
async fn an_ended_session_no_longer_changes() {
    let app = TestApp::new();
    let (facilitator, _, _) = app.create_session("2").await;
    app.post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    for (path, pairs) in [
        ("step", vec![("to", "1")]),
        ("timer", vec![("action", "start")]),
        ("pace", vec![("pace", "hold")]),
        ("spotlight", vec![("table", "1")]),
    ] {
        let page = app.post(&format!("{facilitator}/{path}"), &pairs).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{path}");
        assert!(
            page.body.contains("終了しているため"),
            "{path}: {}",
            page.body
        );
    }
}

/// A spotlight belongs to the step it was chosen for: the next step starts with none, so
/// the projector shows that step's content, not empty table cards. After the session
/// ends, the projector shows a closing screen instead of the timer and join code.
#[tokio::test]
async fn projector_spotlight_is_per_step_and_ends_calmly() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("2").await;
    let t1 = app.join(&code, "1", &["citizen"]).await;
    let projector = app
        .get(&facilitator)
        .await
        .body
        .split("href=\"/p/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|k| format!("/p/{k}"))
        .expect("projector link");
    app.goto(&facilitator, 2).await;
    app.post(
        &format!("{t1}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", "映す答え")],
    )
    .await;
    app.post(&format!("{facilitator}/spotlight"), &[("table", "1")])
        .await;
    let proj = app.get(&projector).await.body;
    assert!(
        proj.contains("data-spotlight-card=\"1\""),
        "spotlight shown"
    );
    assert!(
        proj.contains("data-fit"),
        "content column fitted to the screen"
    );

    app.goto(&facilitator, 3).await;
    let proj = app.get(&projector).await.body;
    assert!(
        !proj.contains("data-spotlight-card"),
        "the next step starts without the earlier step's spotlight"
    );
    let fac = app.get(&facilitator).await.body;
    assert!(
        !fac.contains("value=\"1\" checked"),
        "the facilitator's spotlight choice is cleared with the step"
    );
    assert!(proj.contains(&code), "join code shown while open");

    app.post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    let proj = app.get(&projector).await;
    assert_eq!(proj.status, StatusCode::OK);
    assert!(proj.body.contains("研修会は終了しました"), "closing screen");
    assert!(
        !proj.body.contains(&code),
        "a closed session's join code is no longer shown"
    );
}
