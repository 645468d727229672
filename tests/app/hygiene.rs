//! Issue 13, items 6 and 8: one cleaning path for every typed or imported text, import
//! checks answers as a table's save does, and pages that meet a stored answer they
//! cannot read show it as text.

use acp_workbook::db::queries;
use acp_workbook::exchange::{self, ImportError};
use acp_workbook::workbook;
use axum::http::StatusCode;

use crate::helpers::TestApp;

/// A demo session of the `kinds` curriculum (every prompt kind answered by every
/// table); returns (session id, facilitator key, table 1's token).
fn kinds_session(app: &TestApp) -> (String, String, String) {
    let library = app.state.library.clone();
    app.state
        .db
        .call_blocking(move |conn| {
            let session =
                workbook::demo::session(conn, &library, "kinds", 2, false).expect("demo session");
            let table = queries::table_by_number(conn, &session.id, 1)?.expect("table 1");
            Ok((session.id, session.facilitator_key, table.token))
        })
        .expect("session")
}

/// Answers no table's save could have stored, each paired with a text it shows.
const UNREADABLE: &[(&str, &str)] = &[
    ("curriculum:kinds:gw-box", r#""素の文字列の回答""#),
    ("curriculum:kinds:gw-sheet", r#"["一覧の回答", 2]"#),
    (
        "curriculum:kinds:gw-grid",
        r#"{"kind":"scale","value":"x"}"#,
    ),
    (
        "curriculum:kinds:gw-rank",
        r#"{"kind":"choice","selected":[999999]}"#,
    ),
    (
        "curriculum:kinds:gw-map",
        r#"{"kind":"text","text":"<script>x()</script>"}"#,
    ),
];

#[tokio::test]
async fn pages_show_an_unreadable_stored_answer_as_text() {
    let app = TestApp::new();
    let (id, key, token) = kinds_session(&app);
    let sid = id.clone();
    app.state
        .db
        .call_blocking(move |conn| {
            let table = queries::table_by_number(conn, &sid, 1)?.expect("table 1");
            for (prompt, answer) in UNREADABLE {
                // As rows an older import wrote: the newest version of the answer.
                conn.execute(
                    "INSERT INTO conclusion (table_id, prompt_key, version, answer, step_index, saved_at)
                     VALUES (?1, ?2, 100, ?3, 1, 1)",
                    rusqlite::params![table.id, prompt, answer],
                )?;
            }
            Ok(())
        })
        .expect("rows");
    for path in [
        format!("/s/{id}/record"),
        format!("/f/{key}/record"),
        format!("/s/{id}/report"),
        format!("/f/{key}"),
        format!("/t/{token}"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(
            !page.body.contains("<script>x()"),
            "{path}: the stored text is escaped"
        );
        if path.ends_with("/record") || path.ends_with("/report") {
            assert!(
                page.body.contains("素の文字列の回答") && page.body.contains("一覧の回答"),
                "{path}: the unreadable answer is shown as text"
            );
        }
    }
    for path in [
        format!("/s/{id}/report.csv"),
        format!("/s/{id}/report.json"),
        format!("/s/{id}/conclusions.csv"),
        format!("/s/{id}/export.json"),
        "/reports".to_string(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    }
    for path in [
        format!("/s/{id}/record.pdf"),
        format!("/f/{key}/record.pdf"),
        format!("/t/{token}/record.pdf"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(page.body.starts_with("%PDF"), "{path} is a PDF");
    }
}

/// A valid file of a `kinds` session, as JSON to break.
fn kinds_file(app: &TestApp) -> serde_json::Value {
    let (id, _, _) = kinds_session(app);
    let export = app
        .state
        .db
        .call_blocking(move |conn| exchange::export_session(conn, &id))
        .expect("export")
        .expect("session");
    serde_json::to_value(&export).expect("json")
}

/// The index of the conclusion to `prompt` in a file.
fn conclusion_of(file: &serde_json::Value, prompt: &str) -> usize {
    file["conclusions"]
        .as_array()
        .expect("conclusions")
        .iter()
        .position(|c| c["prompt_key"] == prompt)
        .expect("an answer to the prompt")
}

#[test]
fn import_refuses_each_answer_a_table_could_not_save_naming_its_path() {
    let app = TestApp::new();
    let file = kinds_file(&app);
    exchange::parse(&file.to_string()).expect("the untouched file imports");
    let long = "長".repeat(5_000);
    let too_many: Vec<String> = (0..200).map(|n| format!("項目{n}")).collect();
    let cases: Vec<(&str, &str, serde_json::Value, &str)> = vec![
        (
            "curriculum:kinds:gw-box",
            "",
            serde_json::json!("素の文字列"),
            "must be a JSON object with a kind",
        ),
        (
            "curriculum:kinds:gw-box",
            "",
            serde_json::json!(["一覧"]),
            "must be a JSON object with a kind",
        ),
        (
            "curriculum:kinds:gw-box",
            "",
            serde_json::json!({"kind": "scale", "value": "x"}),
            "wrong value",
        ),
        (
            "curriculum:kinds:gw-box",
            "",
            serde_json::json!({"kind": "choice", "selected": [999999]}),
            "a table's screen would not save this answer",
        ),
        (
            "curriculum:kinds:gw-box",
            "",
            serde_json::json!({"kind": "four-box", "medical": too_many, "preferences": [], "quality": [], "context": []}),
            "a table's screen would not save this answer",
        ),
        (
            "curriculum:kinds:gw-map",
            "",
            {
                let mut map = file["conclusions"][conclusion_of(&file, "curriculum:kinds:gw-map")]
                    ["answer"]
                    .clone();
                map["entries"][0]["wants"] = long.clone().into();
                map
            },
            "has 5000 characters; the limit is 200",
        ),
        (
            "curriculum:kinds:gw-three",
            // serde reads a tagged answer whole, so the path ends at the answer; the
            // message names the wrong value.
            "",
            serde_json::json!({"kind": "three-field", "worked": 5, "hard": "", "measures": ""}),
            "wrong value (invalid type: integer `5`, expected a string)",
        ),
    ];
    for (prompt, inner, answer, says) in cases {
        let mut bad = file.clone();
        let i = conclusion_of(&bad, prompt);
        bad["conclusions"][i]["answer"] = answer.clone();
        let problems = match exchange::parse(&bad.to_string()) {
            Err(e @ ImportError::Invalid(_)) => e.problems("en"),
            other => panic!("{answer} was not refused: {other:?}"),
        };
        let path = format!("conclusions[{i}].answer{inner}");
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("{path}: ")) && p.contains(says)),
            "{answer}: {problems:?} names {path}"
        );
    }

    let mut bad = file.clone();
    bad["session"]["title"] = "題".repeat(5_000).into();
    let Err(e @ ImportError::Invalid(_)) = exchange::parse(&bad.to_string()) else {
        panic!("a 5,000-character title is refused");
    };
    assert_eq!(
        e.problems("en"),
        ["session.title: 5000 characters; the limit is 200"]
    );
    assert_eq!(
        e.problems("ja"),
        ["session.title: 5000文字あります。200文字までにしてください"]
    );
}
