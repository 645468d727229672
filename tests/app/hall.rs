//! The whole of issue 7 at the size of a real face-to-face meeting: 215 people from a
//! CSV, seated at 30 tables, checked in, run through the programme, surveyed before
//! and after on their phones, and reported.

use acp_workbook::db::{conclusions, roster as db_roster, survey as db_survey};
use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::roster::upload;
use crate::survey::{Phone, responses, survey_session_of};

const MEETING: &[u8] = include_bytes!("../fixtures/roster-215.csv");

#[tokio::test]
async fn a_215_person_meeting_is_planned_seated_run_surveyed_and_reported() {
    let app = TestApp::new();
    let (facilitator, code, id) =
        survey_session_of(&app, "第5回 顔の見える関係会議", false, "30").await;

    // Plan: the roster from the office's CSV, seated at 30 balanced tables.
    assert_eq!(
        upload(&app, &id, MEETING, false).await.status,
        StatusCode::SEE_OTHER
    );
    let seated = app
        .post(&format!("/s/{id}/seating"), &[("keep", "1")])
        .await;
    assert_eq!(seated.status, StatusCode::SEE_OTHER, "{}", seated.body);
    let sid = id.clone();
    let people = app
        .state
        .db
        .read_blocking(move |conn| db_roster::participants(conn, &sid))
        .unwrap();
    assert_eq!(people.len(), 215);
    assert!(people.iter().all(|p| p.table_number.is_some()));

    // The day: 200 check in on their phones, 12 at the desk, 3 do not come.
    let me = format!("/a/{code}");
    let mut phones = Vec::new();
    for person in &people[..200] {
        let mut phone = Phone::new();
        phone.get(&app, &me).await;
        let page = phone
            .post(
                &app,
                &format!("{me}/checkin"),
                &[("number", &person.seq.to_string())],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let page = phone.get(&app, &me).await;
        assert!(
            page.body
                .contains(&format!("第{}グループ", person.table_number.unwrap()))
        );
        phones.push((phone, person.profession.clone()));
    }
    for person in &people[200..212] {
        let page = app
            .post(
                &format!("/s/{id}/checkin/{}", person.id),
                &[("arrived", "1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    let desk = app.get(&format!("/s/{id}/checkin")).await;
    assert!(desk.body.contains("受付済み 212人") && desk.body.contains("名簿 215人"));

    // Before the teaching, everyone with a phone answers the before survey.
    for (i, (phone, profession)) in phones.iter_mut().enumerate() {
        let point = (1 + i % 3).to_string();
        let page = phone
            .post(
                &app,
                &format!("{me}/survey/0"),
                &[
                    ("profession", profession.as_str()),
                    ("pre-confidence", point.as_str()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }

    // Each table's screen joins with its seated professions and reports its group work.
    let mut tables = Vec::new();
    for number in 1..=30_i64 {
        let sid = id.clone();
        let professions = app
            .state
            .db
            .read_blocking(move |conn| db_roster::seated_professions(conn, &sid, number))
            .unwrap();
        let refs: Vec<&str> = professions.iter().map(String::as_str).collect();
        tables.push(app.join(&code, &number.to_string(), &refs).await);
    }
    app.goto(&facilitator, 1).await;
    for (i, table) in tables.iter().enumerate() {
        let (hard, measures) = if i % 2 == 0 {
            (
                "退院前カンファレンスの日程調整が難しい",
                "退院前に病院と在宅で情報共有の場を持つ",
            )
        } else {
            (
                "本人の意思を確認する時間が足りない",
                "人生会議の記録を共有する",
            )
        };
        let page = app
            .post(
                &format!("{table}/answer"),
                &[
                    ("prompt", "curriculum:survey:gw-report"),
                    ("base", "0"),
                    ("worked", "顔の見える関係で相談しやすくなった"),
                    ("hard", hard),
                    ("measures", measures),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "table {}: {}",
            i + 1,
            page.body
        );
    }

    // After: the closing survey on the same phones, paired with their before answers.
    app.goto(&facilitator, 2).await;
    for (i, (phone, _)) in phones.iter_mut().enumerate() {
        let point = (3 + i % 3).to_string();
        let page = phone
            .post(
                &app,
                &format!("{me}/survey/2"),
                &[
                    ("post-confidence", point.as_str()),
                    ("post-useful", "グループワーク"),
                    (
                        "post-comment",
                        if i % 10 == 0 {
                            "他職種の視点が参考になった"
                        } else {
                            ""
                        },
                    ),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let closed = app
        .post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);

    let stored = responses(&app, &id);
    assert_eq!(stored.len(), 400);
    let sid = id.clone();
    let counts = app
        .state
        .db
        .read_blocking(move |conn| db_survey::counts(conn, &sid))
        .unwrap();
    assert_eq!(counts, vec![(0, 200), (2, 200)]);
    let sid = id.clone();
    let latest = app
        .state
        .db
        .read_blocking(move |conn| conclusions::latest_conclusions(conn, &sid))
        .unwrap();
    assert_eq!(latest.len(), 30, "every table's report is kept");

    // Reported: who came, every table's three fields, the surveys with their change.
    let report = app.get(&format!("/s/{id}/report.json")).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let data: serde_json::Value = serde_json::from_str(&report.body).unwrap();
    let by_profession = data["participants"]["by_profession"].as_array().unwrap();
    let counted: i64 = by_profession
        .iter()
        .map(|p| p["count"].as_i64().unwrap())
        .sum();
    assert_eq!(
        counted, 212,
        "those who checked in: {}",
        data["participants"]
    );
    let rows = data["three_field"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 30);
    assert!(
        rows.iter()
            .all(|r| r["answered"] == serde_json::json!(true))
    );
    let after = data["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["index"] == serde_json::json!(2))
        .expect("the closing survey");
    assert_eq!(after["respondents"], serde_json::json!(200));
    let page = app.get(&format!("/s/{id}/report")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg"), "charts are drawn");
    assert!(
        page.body.contains("他職種の視点が参考になった"),
        "free comments are listed"
    );
    assert!(page.body.contains("テーブル30") || page.body.contains(">30<"));
    let csv = app.get(&format!("/s/{id}/report.csv")).await;
    assert!(csv.body.starts_with('\u{feff}'));
}
