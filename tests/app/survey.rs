//! The participant's phone (issue 7): check-in by number, the individual survey
//! (before and after, once per phone, anonymous), the reception desk, and the
//! facilitator's notes copied from a rehearsal.

use acp_workbook::db::{roster, survey};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{Page, TestApp};

/// A phone: keeps the cookies the server sets, never the organizer's.
pub(crate) struct Phone {
    pub(crate) cookies: Vec<(String, String)>,
}

impl Phone {
    pub(crate) fn new() -> Self {
        Self {
            cookies: Vec::new(),
        }
    }

    async fn send(&mut self, app: &TestApp, request: Request<Body>) -> Page {
        let (mut parts, body) = request.into_parts();
        if !self.cookies.is_empty() {
            let line = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            parts.headers.insert(header::COOKIE, line.parse().unwrap());
        }
        let response = app
            .router
            .clone()
            .oneshot(Request::from_parts(parts, body))
            .await
            .expect("response");
        for set in response.headers().get_all(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            self.cookies.push((k.to_string(), v.to_string()));
        }
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    pub(crate) async fn get(&mut self, app: &TestApp, path: &str) -> Page {
        self.send(app, Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub(crate) async fn post(&mut self, app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        self.send(
            app,
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

/// A session of the survey fixture: (facilitator path, join code, session id).
pub(crate) async fn survey_session(
    app: &TestApp,
    title: &str,
    rehearsal: bool,
) -> (String, String, String) {
    survey_session_of(app, title, rehearsal, "3").await
}

/// The same with `tables` tables.
pub(crate) async fn survey_session_of(
    app: &TestApp,
    title: &str,
    rehearsal: bool,
    tables: &str,
) -> (String, String, String) {
    let mut form = vec![
        ("curriculum", "survey"),
        ("title", title),
        ("held_on", "2026-12-01"),
        ("tables", tables),
    ];
    if rehearsal {
        form.push(("rehearsal", "1"));
    }
    let page = app.post("/sessions", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let facilitator = page.location.unwrap();
    let session = app.session_of(&facilitator);
    (facilitator, session.join_code, session.id)
}

pub(crate) fn responses(app: &TestApp, id: &str) -> Vec<survey::ResponseRow> {
    let id = id.to_string();
    app.state
        .db
        .read_blocking(move |conn| survey::responses(conn, &id))
        .unwrap()
}

#[tokio::test]
async fn the_phone_page_waits_without_refreshing_itself() {
    let app = TestApp::new();
    let (_, code, _) = survey_session(&app, "待つ画面", false).await;
    let mut phone = Phone::new();
    let page = phone.get(&app, &format!("/a/{code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("まだ始まっていません"), "{}", page.body);
    // No meta refresh (it throws away a half-typed seat number, and fails WCAG 2.2.1):
    // the page script asks for the page and swaps only what changed, and a plain
    // button refreshes without the script.
    assert!(
        !page.body.to_lowercase().contains("http-equiv"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("href=\"/a/{code}\">今すぐ更新"))
    );
    // Once the open survey is answered, the page waits for the next one with the script.
    let sent = phone
        .post(
            &app,
            &format!("/a/{code}/survey/0"),
            &[("pre-confidence", "2")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let waiting = phone.get(&app, &format!("/a/{code}")).await;
    assert!(!waiting.body.to_lowercase().contains("http-equiv"));
    assert!(
        waiting
            .body
            .contains(&format!("data-role=\"phone\" data-poll=\"/a/{code}\"")),
        "{}",
        waiting.body
    );
}

#[tokio::test]
async fn each_phone_answers_the_before_and_after_surveys_once() {
    let app = TestApp::new();
    let (facilitator, code, id) = survey_session(&app, "前後アンケート", false).await;
    let me = format!("/a/{code}");

    // At the start the before survey is open and the after one is announced.
    let mut phone = Phone::new();
    let page = phone.get(&app, &me).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(
            "action=\"/a/{code}/survey/0\""
                .replace("{code}", &code)
                .as_str()
        )
    );
    assert!(!page.body.contains(&format!("/a/{code}/survey/2\"")));
    assert!(page.body.contains("まだ始まっていません"));
    assert!(
        phone.cookies.iter().any(|(k, _)| k == "acp_r"),
        "the page gives the phone its id"
    );

    let sent = phone
        .post(
            &app,
            &format!("{me}/survey/0"),
            &[("profession", "visiting-nurse"), ("pre-confidence", "2")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(
        phone
            .get(&app, &me)
            .await
            .body
            .contains("回答を受け付けました")
    );

    // The same phone again: refused, and the first answer stays.
    let again = phone
        .post(&app, &format!("{me}/survey/0"), &[("pre-confidence", "5")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("すでに回答を受け付けています"));
    let stored = responses(&app, &id);
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].answers["pre-confidence"],
        acp_workbook::survey::SurveyAnswer::Scale(2)
    );
    assert_eq!(stored[0].profession, "visiting-nurse");

    // The after survey is not open until the session reaches it.
    let early = phone
        .post(&app, &format!("{me}/survey/2"), &[("post-confidence", "4")])
        .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(early.body.contains("今は受け付けていません"));

    app.goto(&facilitator, 2).await;
    let page = phone.get(&app, &me).await;
    assert!(page.body.contains(&format!("/a/{code}/survey/2\"")));
    assert!(page.body.contains("回答を受け付けました"));
    let newcomer = Phone::new().get(&app, &me).await;
    assert!(
        newcomer.body.contains("受付は終わりました"),
        "the before survey has closed"
    );
    let late_before = Phone::new()
        .post(&app, &format!("{me}/survey/0"), &[("pre-confidence", "3")])
        .await;
    assert_ne!(late_before.status, StatusCode::SEE_OTHER);

    let sent = phone
        .post(
            &app,
            &format!("{me}/survey/2"),
            &[
                ("post-confidence", "4"),
                ("post-useful", "事例"),
                ("post-useful", "講義"),
                ("post-comment", "顔の見える関係が大切だと感じました"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let stored = responses(&app, &id);
    assert_eq!(stored.len(), 2);
    // Before and after from one phone share a respondent, which names no one.
    assert_eq!(stored[0].respondent, stored[1].respondent);
    let phone_id = &phone.cookies.iter().find(|(k, _)| k == "acp_r").unwrap().1;
    assert!(!stored[1].respondent.contains(phone_id.as_str()));
    assert_eq!(
        stored[1].answers["post-useful"],
        acp_workbook::survey::SurveyAnswer::Choice(vec!["講義".into(), "事例".into()])
    );

    // Another phone is another person.
    let other = Phone::new();
    let mut other = other;
    other.get(&app, &me).await;
    let sent = other
        .post(&app, &format!("{me}/survey/2"), &[("post-confidence", "5")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(responses(&app, &id).len(), 3);

    // Once the session has ended, nothing more is taken and the page says so.
    let closed = app
        .post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let mut third = Phone::new();
    let page = third.get(&app, &me).await;
    assert!(page.body.contains("終了しました"));
    let refused = third
        .post(&app, &format!("{me}/survey/2"), &[("post-confidence", "1")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(responses(&app, &id).len(), 3);
}

#[tokio::test]
async fn a_refused_survey_names_the_question_and_keeps_what_was_typed() {
    let app = TestApp::new();
    let (facilitator, code, id) = survey_session(&app, "入力の誤り", false).await;
    app.goto(&facilitator, 2).await;
    let me = format!("/a/{code}");
    let mut phone = Phone::new();
    phone.get(&app, &me).await;

    let long = "長".repeat(201);
    let page = phone
        .post(
            &app,
            &format!("{me}/survey/2"),
            &[("post-confidence", "4"), ("post-comment", long.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("「ご意見」は200文字まで"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&long), "the comment is shown back");
    assert!(
        page.body.contains("value=\"4\" checked"),
        "the scale choice is kept"
    );
    assert!(page.body.contains("at-fault"));

    let page = phone
        .post(&app, &format!("{me}/survey/2"), &[("post-confidence", "9")])
        .await;
    assert!(page.body.contains("「今の自信」は目盛りの数字から"));
    let page = phone
        .post(
            &app,
            &format!("{me}/survey/2"),
            &[("post-useful", "<script>")],
        )
        .await;
    assert!(page.body.contains("選択肢にない答え"));
    assert!(!page.body.contains("<script>"));
    let page = phone.post(&app, &format!("{me}/survey/2"), &[]).await;
    assert!(page.body.contains("どの質問にも答えていません"));
    assert!(
        responses(&app, &id).is_empty(),
        "nothing refused was stored"
    );

    // A browser that refuses cookies cannot be counted once: it is told why.
    let page = Phone::new()
        .post(&app, &format!("{me}/survey/2"), &[("post-confidence", "3")])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Cookie"));
    assert!(responses(&app, &id).is_empty());

    // A wrong code is not found, and counted like a wrong table join.
    let page = Phone::new().get(&app, "/a/ZZZZZZ").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tables_do_not_answer_the_survey_and_the_room_sees_the_phone_code() {
    let app = TestApp::new();
    let (facilitator, code, _) = survey_session(&app, "画面", false).await;
    let table = app.join(&code, "1", &["visiting-nurse"]).await;
    app.goto(&facilitator, 2).await;

    let screen = app.get_anon(&table).await;
    assert!(screen.body.contains(&format!("/a/{code}/qr.svg")));
    assert!(screen.body.contains(&format!("/a/{code}")));
    assert!(
        !screen
            .body
            .contains("name=\"prompt\" value=\"curriculum:survey:post-confidence\"")
    );
    // Posting a survey question as a table answer is refused.
    let refused = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", "curriculum:survey:post-confidence"),
                ("value", "4"),
            ],
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);

    let session = app.session_of(&facilitator);
    let mut phone = Phone::new();
    phone.get(&app, &format!("/a/{code}")).await;
    phone
        .post(
            &app,
            &format!("/a/{code}/survey/2"),
            &[("post-confidence", "4")],
        )
        .await;
    let projector = app.get_anon(&format!("/p/{}", session.projector_key)).await;
    assert!(projector.body.contains(&format!("/a/{code}/qr.svg")));
    assert!(projector.body.contains("1人が回答しました"));
    let qr = Phone::new().get(&app, &format!("/a/{code}/qr.svg")).await;
    assert!(qr.body.starts_with("<?xml") || qr.body.contains("<svg"));
    let fac = app.get(&facilitator).await;
    assert!(
        fac.body.contains("研修後アンケート：1人が回答"),
        "{}",
        fac.body
    );
    let record = app.get(&format!("/s/{}/record", session.id)).await;
    assert!(
        record.body.contains("回答 1人"),
        "the record points to the survey's summary"
    );
    assert!(
        record
            .body
            .contains(&format!("/s/{}/report#survey-2", session.id))
    );

    // The join page sends a phone to its own page, never to a table.
    let join = app
        .post("/join/phone", &[("code", &code.to_lowercase())])
        .await;
    assert_eq!(
        join.location.as_deref(),
        Some(format!("/a/{code}").as_str())
    );
}

async fn roster_of_three(app: &TestApp, id: &str) {
    for (name, profession, table) in [
        ("山田", "visiting-nurse", 1),
        ("佐藤", "care-manager", 2),
        ("鈴木", "pharmacist", 3),
    ] {
        let page = app
            .post(
                &format!("/s/{id}/roster/add"),
                &[("name", name), ("profession", profession), ("area", "北")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let sid = id.to_string();
        app.state
            .db
            .write_blocking(move |conn| {
                let person = roster::participants(conn, &sid)?
                    .into_iter()
                    .find(|p| p.name == name)
                    .unwrap();
                roster::move_to(conn, &sid, person.id, table)?;
                Ok(())
            })
            .unwrap();
    }
}

fn arrived(app: &TestApp, id: &str) -> Vec<String> {
    let id = id.to_string();
    app.state
        .db
        .read_blocking(move |conn| roster::participants(conn, &id))
        .unwrap()
        .into_iter()
        .filter(|p| p.checked_in_at.is_some())
        .map(|p| p.name)
        .collect()
}

#[tokio::test]
async fn people_check_in_at_the_desk_or_on_their_phone_and_learn_their_table() {
    let app = TestApp::new();
    let (_, code, id) = survey_session(&app, "受付", false).await;
    roster_of_three(&app, &id).await;
    let me = format!("/a/{code}");

    let mut phone = Phone::new();
    assert!(phone.get(&app, &me).await.body.contains("あなたの番号"));
    let page = phone
        .post(&app, &format!("{me}/checkin"), &[("number", "9")])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("9番の方は名簿にいません"));
    let page = phone
        .post(&app, &format!("{me}/checkin"), &[("number", "abc")])
        .await;
    assert!(page.body.contains("番号を数字で"));

    let page = phone
        .post(&app, &format!("{me}/checkin"), &[("number", "２")])
        .await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "full-width digits are read"
    );
    let page = phone.get(&app, &me).await;
    assert!(page.body.contains("受付済み：2番"), "{}", page.body);
    assert!(page.body.contains("第2グループ"));
    assert_eq!(arrived(&app, &id), vec!["佐藤"]);
    let page = phone
        .post(&app, &format!("{me}/checkin"), &[("number", "3")])
        .await;
    assert!(page.body.contains("すでに2番として受付しました"));
    assert_eq!(arrived(&app, &id), vec!["佐藤"]);

    // The desk finds people and checks them in; a wrong tap can be undone.
    let desk = app.get(&format!("/s/{id}/checkin")).await;
    assert!(desk.body.contains("受付済み 1人") && desk.body.contains("名簿 3人"));
    let found = app
        .get(&format!("/s/{id}/checkin?q=%E5%B1%B1%E7%94%B0"))
        .await;
    assert!(found.body.contains("山田") && !found.body.contains("鈴木"));
    let by_number = app.get(&format!("/s/{id}/checkin?q=%EF%BC%93")).await; // "３"
    assert!(by_number.body.contains("鈴木") && !by_number.body.contains("山田"));
    let people = {
        let sid = id.clone();
        app.state
            .db
            .read_blocking(move |conn| roster::participants(conn, &sid))
            .unwrap()
    };
    let yamada = people.iter().find(|p| p.name == "山田").unwrap().id;
    let page = app
        .post(
            &format!("/s/{id}/checkin/{yamada}"),
            &[("arrived", "1"), ("q", "山田")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location.unwrap().contains("q=%E5%B1%B1%E7%94%B0"));
    assert_eq!(arrived(&app, &id), vec!["山田", "佐藤"]);
    app.post(&format!("/s/{id}/checkin/{yamada}"), &[("arrived", "0")])
        .await;
    assert_eq!(arrived(&app, &id), vec!["佐藤"]);

    // The desk undoes the phone's mistaken check-in: the phone may check in again.
    let sato = people.iter().find(|p| p.name == "佐藤").unwrap().id;
    app.post(&format!("/s/{id}/checkin/{sato}"), &[("arrived", "0")])
        .await;
    let page = phone.get(&app, &me).await;
    assert!(
        page.body.contains("あなたの番号"),
        "the phone is offered check-in again"
    );
    let page = phone
        .post(&app, &format!("{me}/checkin"), &[("number", "3")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(arrived(&app, &id), vec!["鈴木"]);

    // The log names people by their roster number, which an export keeps.
    let sid = id.clone();
    let events = app
        .state
        .db
        .read_blocking(move |conn| acp_workbook::db::events::events(conn, &sid))
        .unwrap();
    let checked: Vec<_> = events
        .iter()
        .filter(|e| e.kind == "roster.checked_in")
        .collect();
    assert_eq!(checked.len(), 3);
    assert!(checked[0].data.contains("\"seq\":2"), "{}", checked[0].data);
    // The language switch after a refused roster import lands on the import form.
    let back = app.get(&format!("/s/{id}/roster/import")).await;
    assert_eq!(back.location, Some(format!("/s/{id}/roster#import")));

    // The desk is the organizer's.
    let stranger = app.get_anon(&format!("/s/{id}/checkin")).await;
    assert_ne!(stranger.status, StatusCode::OK);
    assert!(!stranger.body.contains("山田"));
}

#[tokio::test]
async fn a_rehearsals_notes_are_copied_into_the_real_sessions_notes() {
    let app = TestApp::new();
    let (rehearsal, _, _) = survey_session(&app, "ファシリテーター会議", true).await;
    let (real, _, real_id) = survey_session(&app, "本番", false).await;
    let (_, _, other_id) = app.create_session("2").await; // another curriculum

    let page = app
        .post(
            &format!("{rehearsal}/notes"),
            &[("notes", "グループワークは35分必要。\n報告は2分で区切る。")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // A rehearsal whose notes are only blank lines and spaces has nothing to copy.
    let (blank, _, _) = survey_session(&app, "空のリハーサル", true).await;
    app.post(&format!("{blank}/notes"), &[("notes", "　\n \n")])
        .await;
    let real_page = app.get(&real).await;
    assert!(
        real_page
            .body
            .contains("リハーサルのメモ 1件を取り込めます")
    );
    assert!(real_page.body.contains("リハーサルのメモ"));
    assert!(real_page.body.contains("グループワークは35分必要"));
    let rehearsal_id = app.session_of(&rehearsal).id;

    app.post(&format!("{real}/notes"), &[("notes", "会場は2階")])
        .await;
    let page = app
        .post(&format!("{real}/notes/copy"), &[("from", &rehearsal_id)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let notes = {
        let id = real_id.clone();
        app.state
            .db
            .read_blocking(move |conn| acp_workbook::db::sessions::notes(conn, &id))
            .unwrap()
    };
    assert!(
        notes.starts_with(
            "会場は2階\n\n— リハーサル「ファシリテーター会議」（2026-12-01）のメモ —\n"
        )
    );
    assert!(notes.ends_with("報告は2分で区切る。"));

    // Only rehearsals of the same curriculum: the other session's page offers none, and
    // naming a session that is not such a rehearsal changes nothing.
    let other = app.get(&format!("/s/{other_id}/record")).await;
    assert!(!other.body.contains("グループワークは35分必要"));
    let page = app
        .post(&format!("{real}/notes/copy"), &[("from", &other_id)])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let too_long = "あ".repeat(20_001);
    let page = app
        .post(&format!("{real}/notes"), &[("notes", too_long.as_str())])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body.contains(&too_long),
        "what was written is shown back"
    );
    let kept = app
        .state
        .db
        .read_blocking(move |conn| acp_workbook::db::sessions::notes(conn, &real_id))
        .unwrap();
    assert_eq!(kept, notes, "a refused save changes nothing");
}

#[tokio::test]
async fn a_purge_blanks_survey_comments_and_keeps_the_numbers() {
    let app = TestApp::new();
    let (facilitator, code, id) = survey_session(&app, "削除", false).await;
    app.goto(&facilitator, 2).await;
    let mut phone = Phone::new();
    phone.get(&app, &format!("/a/{code}")).await;
    phone
        .post(
            &app,
            &format!("/a/{code}/survey/2"),
            &[
                ("post-confidence", "4"),
                ("post-useful", "講義"),
                ("post-comment", "訪問看護の山田です"),
            ],
        )
        .await;
    app.post(&format!("{facilitator}/notes"), &[("notes", "メモ")])
        .await;
    app.post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    let page = app
        .post(&format!("/s/{id}/purge"), &[("confirm", "yes")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let stored = responses(&app, &id);
    use acp_workbook::survey::SurveyAnswer;
    assert_eq!(stored[0].answers["post-confidence"], SurveyAnswer::Scale(4));
    assert_eq!(
        stored[0].answers["post-useful"],
        SurveyAnswer::Choice(vec!["講義".into()])
    );
    assert_eq!(
        stored[0].answers["post-comment"],
        SurveyAnswer::Text(String::new())
    );
    let notes = app
        .state
        .db
        .read_blocking(move |conn| acp_workbook::db::sessions::notes(conn, &id))
        .unwrap();
    assert_eq!(notes, "");
}

#[tokio::test]
async fn people_without_a_phone_answer_in_turn_on_their_tables_screen() {
    let app = TestApp::new();
    let (facilitator, code, id) = survey_session(&app, "端末なし", false).await;
    let table = app.join(&code, "2", &["welfare-commissioner"]).await;
    let page = app
        .post(&format!("/s/{id}/roster/seats"), &[("seats", "2")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.goto(&facilitator, 2).await;
    assert!(
        app.get_anon(&table)
            .await
            .body
            .contains(&format!("{table}/survey"))
    );

    let mut screen = Phone::new();
    // The table's screen is the device that joined the table.
    let device = app
        .device
        .lock()
        .expect("jar")
        .clone()
        .expect("a device cookie");
    let (name, value) = device.split_once('=').expect("cookie pair");
    screen.cookies.push((name.to_string(), value.to_string()));
    let form = screen.get(&app, &format!("{table}/survey")).await;
    assert!(form.body.contains(&format!("action=\"{table}/survey/2\"")));
    assert!(
        screen.cookies.iter().all(|(k, _)| k == "acp_device"),
        "a shared screen is not given a person's id (only its own device cookie)"
    );
    for point in ["3", "5"] {
        let sent = screen
            .post(
                &app,
                &format!("{table}/survey/2"),
                &[("post-confidence", point)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let next = screen.get(&app, &sent.location.unwrap()).await;
        assert!(next.body.contains("次の方に画面を渡してください"));
        assert!(
            !next.body.contains("回答を受け付けました"),
            "the form is there for the next person"
        );
    }
    let full = screen
        .post(
            &app,
            &format!("{table}/survey/2"),
            &[("post-confidence", "4")],
        )
        .await;
    assert_eq!(full.status, StatusCode::BAD_REQUEST);
    assert!(full.body.contains("席数（2人）に達しました"));
    let stored = responses(&app, &id);
    assert_eq!(stored.len(), 2);
    assert_ne!(
        stored[0].respondent, stored[1].respondent,
        "two people, not one"
    );

    // A wrong table link is not a survey page.
    let page = Phone::new().get(&app, "/t/not-a-token/survey").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
