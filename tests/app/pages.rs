//! The session flow through the router: create, join, answer, facilitate, record,
//! and every kind of bad input the first end-to-end session must survive.

use acp_workbook::db::Db;
use acp_workbook::db::{conclusions, tables};
use axum::http::StatusCode;

use crate::helpers::{TestApp, fixture_copy};

const Q_WISH: &str = "curriculum:mini:q-wish";
const Q_FIRST: &str = "curriculum:mini:q-first";
const Q_CONF: &str = "curriculum:mini:q-conf";

#[tokio::test]
async fn two_tables_answer_and_the_facilitator_and_record_show_both() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("2").await;
    let t1 = app
        .join(&code, "1", &["visiting-nurse", "care-manager"])
        .await;
    let t2 = app
        .join(&code.to_lowercase(), "2", &["speech-therapist"])
        .await;
    assert_ne!(t1, t2);

    // Step 1 is a lecture: facilitator notes never reach a table.
    let screen = app.get(&t1).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(
        screen.body.contains("ガイドラインの流れ"),
        "{}",
        screen.body
    );
    assert!(!screen.body.contains("秘密のメモ"));
    let fac = app.get(&facilitator).await;
    assert!(
        fac.body.contains("秘密のメモ"),
        "facilitator sees the notes"
    );
    assert!(fac.body.contains(&code));

    // Group work: both tables answer all three prompts.
    app.goto(&facilitator, 2).await;
    for (table, wish, choice, value) in [
        (&t1, "本人は家に帰りたい", "0", "4"),
        (&t2, "長女と話す場を持つ", "1", "2"),
    ] {
        for pairs in [
            vec![("prompt", Q_WISH), ("base", "0"), ("text", wish)],
            vec![("prompt", Q_FIRST), ("base", "0"), ("choice", choice)],
            vec![("prompt", Q_CONF), ("base", "0"), ("value", value)],
        ] {
            let saved = app.post(&format!("{table}/answer"), &pairs).await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        }
    }
    // A reload finds the answer again, with its version.
    let again = app.get(&t1).await;
    assert!(
        again.body.contains("本人は家に帰りたい</textarea>"),
        "{}",
        again.body
    );
    assert!(again.body.contains("第1版"));

    let fac = app.get(&facilitator).await;
    for text in [
        "本人は家に帰りたい",
        "長女と話す場を持つ",
        "本人と話す",
        "家族会議を開く",
        "テーブル1",
        "テーブル2",
    ] {
        assert!(fac.body.contains(text), "facilitator view lacks {text}");
    }
    let record = app.get(&format!("/s/{session_id}/record")).await;
    assert_eq!(record.status, StatusCode::OK);
    for text in [
        "本人は家に帰りたい",
        "長女と話す場を持つ",
        "<strong>4</strong> / 5",
        "<strong>2</strong> / 5",
    ] {
        assert!(record.body.contains(text), "record lacks {text}");
    }
}

#[tokio::test]
async fn tables_walk_different_branches_and_the_record_shows_both_paths() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("2").await;
    let t1 = app.join(&code, "1", &["visiting-nurse"]).await;
    let t2 = app.join(&code, "2", &["speech-therapist"]).await;
    app.goto(&facilitator, 1).await;

    // Role cards follow the roster; absent professions are named.
    let s1 = app.get(&t1).await;
    assert!(s1.body.contains("お嫁さんが泣いていた"));
    assert!(!s1.body.contains("ゼリーは喜んで食べる"));
    assert!(s1.body.contains("言語聴覚士がいないため"));
    let s2 = app.get(&t2).await;
    assert!(s2.body.contains("ゼリーは喜んで食べる"));
    assert!(!s2.body.contains("お嫁さんが泣いていた"));

    for (table, option) in [(&t1, "0"), (&t2, "1")] {
        let next = app.post(&format!("{table}/walk"), &[("seq", "1")]).await;
        assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
        // A second device that still shows the old path does not move the table twice.
        let stale = app.post(&format!("{table}/walk"), &[("seq", "1")]).await;
        assert_eq!(stale.status, StatusCode::SEE_OTHER);
        let branch = app
            .post(
                &format!("{table}/walk"),
                &[("seq", "2"), ("option", option)],
            )
            .await;
        assert_eq!(branch.status, StatusCode::SEE_OTHER, "{}", branch.body);
    }
    let s1 = app.get(&t1).await;
    assert!(s1.body.contains("胃ろうを造った"));
    assert!(s1.body.contains("選択：胃ろうを造る"));
    // Scene 3a leads on to scene 4 (next=s4), outside the listed scenes but on the branch's line.
    assert!(s1.body.contains("次の場面へ：場面4 その後"), "{}", s1.body);

    let record = app.get(&format!("/s/{session_id}/record")).await;
    assert!(record.body.contains("選択：胃ろうを造る"));
    assert!(record.body.contains("選択：口から食べ続ける"));
    assert!(record.body.contains("場面3a 胃ろう") && record.body.contains("場面3b 経口"));

    // A branch without a choice is refused with a message.
    let t3_code = app
        .post(&format!("{t1}/walk"), &[("seq", "3"), ("option", "9")])
        .await;
    assert_eq!(
        t3_code.status,
        StatusCode::SEE_OTHER,
        "seq 3 moves on to s4 without a branch"
    );
}

#[tokio::test]
async fn a_save_based_on_an_old_version_is_refused_and_both_texts_are_shown() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("1").await;
    let table = app.join(&code, "1", &["pharmacist"]).await;
    app.goto(&facilitator, 2).await;
    let first = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "端末Aの意見")],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "端末Bの意見")],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second.body.contains("端末Aの意見") && second.body.contains("端末Bの意見"),
        "{}",
        second.body
    );
    assert!(second.body.contains(r#"name="base" value="1""#));
    let merged = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", Q_WISH),
                ("base", "1"),
                ("text", "AとBをまとめた"),
            ],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER);
    let history = app
        .state
        .db
        .read_blocking(move |conn| {
            let table = tables::tables(conn, &session_id)?.remove(0);
            conclusions::conclusion_history(conn, table.id, Q_WISH)
        })
        .expect("history");
    let texts: Vec<_> = history
        .iter()
        .map(|c| {
            c.answer.to_value().expect("json")["text"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(texts, ["端末Aの意見", "AとBをまとめた"]);
}

#[tokio::test]
async fn bad_input_gets_a_clear_page_and_changes_nothing() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("3").await;
    let table = app.join(&code, "1", &["visiting-nurse"]).await;

    let wrong = app
        .post("/join", &[("code", "ZZZZZZ"), ("table", "1")])
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong.body.contains("その参加コードの研修会はありません"));
    let range = app.post("/join", &[("code", &code), ("table", "4")]).await;
    assert_eq!(range.status, StatusCode::BAD_REQUEST);
    assert!(range.body.contains("1から3まで"), "{}", range.body);
    let english = app.get_en("/t/not-a-token").await;
    assert_eq!(english.status, StatusCode::NOT_FOUND);
    assert!(english.body.contains("This table link is not valid"));

    // Still on the lecture step: a group-work prompt is not open, and what was typed is shown back.
    let early = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "まだ早い答え")],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early.body.contains("今のステップのものではない") && early.body.contains("まだ早い答え")
    );

    app.goto(&facilitator, 2).await;
    let saved = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "0"), ("text", "残るべき答え")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let long = "あ".repeat(501);
    let too_long = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "1"), ("text", &long)],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_long.body.contains("501文字") && too_long.body.contains(&long));
    let bad_scale = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_CONF), ("base", "0"), ("value", "9")],
        )
        .await;
    assert_eq!(bad_scale.status, StatusCode::UNPROCESSABLE_ENTITY);
    let other_prompt = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", "case:other:x"), ("text", "x")],
        )
        .await;
    assert_eq!(other_prompt.status, StatusCode::BAD_REQUEST);
    let malformed = app
        .post_raw(&format!("{table}/answer"), b"%ZZ%%=&&==".to_vec())
        .await;
    assert!(malformed.status.is_client_error(), "{}", malformed.status);
    let huge = app
        .post_raw(&format!("{table}/answer"), vec![b'a'; 400 * 1024])
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    let no_step = app
        .post(&format!("{facilitator}/step"), &[("to", "99")])
        .await;
    assert_eq!(no_step.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/s/00000000-0000-0000-0000-000000000000/record")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/f/wrong-key").await.status, StatusCode::NOT_FOUND);
    let bad_session = app
        .post(
            "/sessions",
            &[
                ("curriculum", "mini"),
                ("title", ""),
                ("held_on", "30/11"),
                ("tables", "0"),
            ],
        )
        .await;
    assert_eq!(bad_session.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_session.body.contains("開催日を") && bad_session.body.contains("テーブルの数"));

    // Closing needs the confirmation; afterwards saves and joins are refused, the record stays.
    let unconfirmed = app.post(&format!("{facilitator}/close"), &[]).await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let closed = app
        .post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let late = app
        .post(
            &format!("{table}/answer"),
            &[("prompt", Q_WISH), ("base", "1"), ("text", "終了後の答え")],
        )
        .await;
    assert_eq!(late.status, StatusCode::GONE);
    assert!(
        late.body.contains("終了後の答え"),
        "typed text is shown back"
    );
    assert_eq!(
        app.post("/join", &[("code", &code), ("table", "1")])
            .await
            .status,
        StatusCode::GONE
    );
    let record = app.get(&format!("/s/{session_id}/record")).await;
    assert!(record.body.contains("残るべき答え"));
    assert!(!record.body.contains("終了後の答え"));
    let screen = app.get(&table).await;
    assert!(screen.body.contains("残るべき答え") && screen.body.contains("終了しました"));
}

#[tokio::test]
async fn answers_and_content_are_escaped() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    let attack = "<script>alert('x')</script>{{ 7*7 }}";
    app.post(
        &format!("{table}/answer"),
        &[("prompt", Q_WISH), ("base", "0"), ("text", attack)],
    )
    .await;
    for page in [
        app.get(&facilitator).await,
        app.get(&format!("/s/{session_id}/record")).await,
        app.get(&table).await,
    ] {
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
        assert!(page.body.contains("&lt;script&gt;"));
        assert!(
            page.body.contains("{{ 7*7 }}"),
            "template syntax in an answer stays text"
        );
    }
    let headers_page = app.get("/").await;
    assert_eq!(headers_page.status, StatusCode::OK);
}

#[tokio::test]
async fn the_ui_switches_to_english() {
    let app = TestApp::new();
    let home = app.get_en("/").await;
    assert!(home.body.contains("Join as a table") && home.body.contains(r#"<html lang="en">"#));
    let switch = app.get("/lang/en?back=/join").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.location.as_deref(), Some("/join"));
    let open_redirect = app.get("/lang/en?back=//evil.example").await;
    assert_eq!(open_redirect.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn a_session_keeps_the_content_it_started_with() {
    let dir = fixture_copy();
    let db_file = dir.path().join("db.sqlite");
    let before = TestApp::with(Db::open(&db_file).expect("db"), dir.path());
    let (facilitator, code, _) = before.create_session("1").await;
    let table = before.join(&code, "1", &["visiting-nurse"]).await;
    before.goto(&facilitator, 1).await;
    let device = before.device.lock().expect("jar").clone();
    drop(before);

    // The case file is edited after the session started.
    let case = dir.path().join("cases/mini-case.md");
    let text = std::fs::read_to_string(&case)
        .expect("case")
        .replace("食事量が減ってきた。", "書き換えた本文。");
    std::fs::write(&case, text).expect("write");
    let after = TestApp::with(Db::open(&db_file).expect("db"), dir.path());
    // The same browser as before the restart: its device cookie still holds the table.
    *after.device.lock().expect("jar") = device;
    let screen = after.get(&table).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(screen.body.contains("食事量が減ってきた。"));
    assert!(!screen.body.contains("書き換えた本文"));
    // A new session uses the edited file.
    let (f2, code2, _) = after.create_session("1").await;
    let t2 = after.join(&code2, "1", &["visiting-nurse"]).await;
    after.goto(&f2, 1).await;
    assert!(after.get(&t2).await.body.contains("書き換えた本文"));
}

#[tokio::test]
async fn without_the_script_a_table_is_warned_that_each_prompt_saves_on_its_own() {
    let app = TestApp::new();
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    // The case walk: the button to the next scene warns (hidden when the script runs).
    app.goto(&facilitator, 1).await;
    let walk = app.get(&table).await;
    assert!(
        walk.body
            .contains("data-no-script>先に、入力したそれぞれの問いの「保存」を押してください"),
        "{}",
        walk.body
    );
    // A step with several prompts, each its own form: one warning for the step.
    app.goto(&facilitator, 2).await;
    let step = app.get(&table).await;
    assert!(step.body.matches("class=\"answer-form\"").count() > 1);
    assert!(
        step.body
            .contains("data-region data-no-script>この画面の問いは、一つずつ"),
        "{}",
        step.body
    );
}
