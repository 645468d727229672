//! Issue 13, items 6 and 8: one cleaning path for every typed or imported text, import
//! checks answers as a table's save does, and pages that meet a stored answer they
//! cannot read show it as text.

use acp_workbook::db::{conclusions, sessions, tables};
use acp_workbook::exchange::{self, ImportError};
use acp_workbook::workbook;
use axum::http::StatusCode;

use crate::helpers::TestApp;

/// A demo session of the `kinds` curriculum (every prompt kind answered by every
/// table); returns (session id, facilitator key, table 1's token).
fn kinds_session(app: &TestApp) -> (String, String, String) {
    let library = app.state.library();
    app.state
        .db
        .write_blocking(move |conn| {
            let session =
                workbook::demo::session(conn, &library, "kinds", 2, false).expect("demo session");
            let table = tables::table_by_number(conn, &session.id, 1)?.expect("table 1");
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
        .write_blocking(move |conn| {
            let table = tables::table_by_number(conn, &sid, 1)?.expect("table 1");
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
    // The facilitator opens table 1's screen from the wall (a device of the table).
    app.get(&format!("/f/{key}/devices/1/open")).await;
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
    file_of(app, &id)
}

/// The session file of session `id`, as JSON.
fn file_of(app: &TestApp, id: &str) -> serde_json::Value {
    let id = id.to_string();
    let export = app
        .state
        .db
        .write_blocking(move |conn| exchange::export_session(conn, &id))
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
            serde_json::json!({"kind": "three-field", "lists": [{"of": "worked", "text": 5}]}),
            "wrong value (invalid type: integer `5`, expected a string)",
        ),
    ];
    for (prompt, inner, answer, says) in cases {
        let mut bad = file.clone();
        let i = conclusion_of(&bad, prompt);
        bad["conclusions"][i]["answer"] = answer.clone();
        let problems = match exchange::parse(&bad.to_string()) {
            Err(e @ ImportError::Invalid(_)) => e.problems(acp_workbook::lang::Lang::En),
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
        e.problems(acp_workbook::lang::Lang::En),
        ["session.title: 5000 characters; the limit is 200"]
    );
    assert_eq!(
        e.problems(acp_workbook::lang::Lang::Ja),
        ["session.title: 5000文字あります。200文字までにしてください"]
    );
}

/// One of each kind of character the cleaning removes, put into every field below.
const HOSTILE: &str = "\u{202E}\u{2066}\u{200F}\u{061C}\u{200B}\u{FEFF}\u{0007}\u{001B}\u{0000}";

/// Every text field of every form, as (template, field name): built by reading the
/// templates, so a new field fails [`every_typed_field_is_cleaned`] until it is walked.
fn text_fields_in_templates() -> std::collections::BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut out = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("templates") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("template");
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for tag in ["<input", "<textarea"] {
            for (at, _) in text.match_indices(tag) {
                let end = text[at..].find('>').map_or(text.len(), |e| at + e);
                let element = &text[at..end];
                let kind = element
                    .split("type=\"")
                    .nth(1)
                    .and_then(|t| t.split('"').next())
                    .unwrap_or("text");
                let not_text = [
                    "hidden", "checkbox", "radio", "number", "date", "file", "submit", "password",
                ];
                if tag == "<input"
                    && not_text
                        .iter()
                        .any(|t| kind == *t || (kind.starts_with("{{") && kind.contains(t)))
                {
                    continue;
                }
                if let Some(name) = element
                    .split("name=\"")
                    .nth(1)
                    .and_then(|n| n.split('"').next())
                {
                    out.insert((file.clone(), name.to_string()));
                }
            }
        }
    }
    out
}

/// Asserts that `text` (a page, a CSV, a JSON file) holds no character the cleaning removes.
fn assert_clean(what: &str, text: &str) {
    // A CSV starts with a byte-order mark on purpose (Excel reads the encoding from it).
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let found: Vec<String> = text
        .chars()
        .filter(|c| acp_workbook::text::is_hidden(*c) && *c != '\r')
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(found.is_empty(), "{what} holds {found:?}");
    // JSON writes control characters as escapes.
    for escape in ["\\u0007", "\\u001b", "\\u0000", "\\u202e", "\\u202E"] {
        assert!(!text.contains(escape), "{what} holds {escape}");
    }
}

/// URL-encodes a query value.
fn query(value: &str) -> String {
    serde_urlencoded::to_string([("q", value)]).expect("query")
}

#[tokio::test]
async fn every_typed_field_is_cleaned() {
    // The fields this test walks; each must be every text field the templates have.
    let walked: std::collections::BTreeSet<(String, String)> = [
        ("checkin.html", "q"),
        ("conflict.html", "text"),
        ("curriculum.html", "title"),
        ("curriculum.html", "place"),
        ("device_join.html", "pairing"),
        ("facilitator.html", "notes"),
        ("join.html", "code"),
        ("macros.html", "text"),
        ("me.html", "{{ q.id }}"),
        ("prompt_kinds.html", "{{ b }}"),
        ("prompt_kinds.html", "{{ f }}"),
        ("prompt_kinds.html", "{{ base }}.{{ side[0] }}"),
        ("prompt_kinds.html", "picks.{{ r }}.reason"),
        ("prompt_kinds.html", "entries.{{ j }}.{{ f }}"),
        ("prompt_kinds.html", "{{ ab }}.evidence"),
        ("prompt_kinds.html", "rows.{{ j }}.who_other"),
        ("prompt_kinds.html", "rows.{{ j }}.what"),
        ("prompt_kinds.html", "rows.{{ j }}.when"),
        ("prompt_kinds.html", "lists.{{ n }}.heading"),
        ("prompt_kinds.html", "lists.{{ n }}.text"),
        ("roster.html", "name"),
        ("roster.html", "organization"),
        ("roster.html", "area"),
        ("typeup.html", "csv"),
        ("typeup.html", "text"),
    ]
    .iter()
    .map(|(t, n)| (t.to_string(), n.to_string()))
    .collect();
    assert_eq!(
        text_fields_in_templates(),
        walked,
        "a text field was added or removed: walk it below"
    );
    let h = |s: &str| format!("{HOSTILE}{s}{HOSTILE}");

    let app = TestApp::new();
    // curriculum.html: title, place.
    let created = app
        .post(
            "/sessions",
            &[
                ("curriculum", "kinds"),
                ("title", &h("研修会")),
                ("held_on", "2026-11-30"),
                ("place", &h("市民会館")),
                ("tables", "2"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let facilitator = created.location.expect("facilitator");
    let session = app.session_of(&facilitator);
    let (id, code) = (session.id.clone(), session.join_code.clone());
    assert_eq!(session.title, "研修会");
    assert_eq!(session.place, "市民会館");
    // join.html: code (a cleaned code is the code).
    let joined = app
        .post("/join", &[("code", &h(&code)), ("table", "1")])
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    let table = joined.location.expect("table");
    let roster = app
        .post(
            &format!("{table}/roster"),
            &[("profession", "visiting-nurse")],
        )
        .await;
    assert_eq!(roster.status, StatusCode::SEE_OTHER, "{}", roster.body);
    // device_join.html: pairing (a cleaned pairing code is the code shown on the screen).
    let on_screen = app
        .get(&table)
        .await
        .body
        .split("data-pairing-code>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a pairing code on the table screen")
        .to_string();
    let paired = app
        .other_device()
        .post(
            "/join/pair",
            &[("code", &code), ("table", "1"), ("pairing", &h(&on_screen))],
        )
        .await;
    assert_eq!(paired.status, StatusCode::SEE_OTHER, "{}", paired.body);
    // facilitator.html: notes.
    let notes = app
        .post(
            &format!("{facilitator}/notes"),
            &[("notes", &h("メモ\n二行目"))],
        )
        .await;
    assert_eq!(notes.status, StatusCode::SEE_OTHER, "{}", notes.body);
    // roster.html: name, organization, area.
    let added = app
        .post(
            &format!("/s/{id}/roster/add"),
            &[
                ("name", &h("山田 花子")),
                ("profession", "visiting-nurse"),
                ("organization", &h("北部訪問看護")),
                ("area", &h("北部")),
                ("side", "home"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    // checkin.html: q, on the page and through the mark form back to the search.
    let desk = app
        .get(&format!("/s/{id}/checkin?{}", query(&h("山田"))))
        .await;
    assert_eq!(desk.status, StatusCode::OK);
    assert_clean("the check-in page", &desk.body);
    assert!(desk.body.contains("山田 花子"), "the search still finds");
    let marked = app
        .post(
            &format!("/s/{id}/checkin/1"),
            &[("arrived", "1"), ("q", &h("山田"))],
        )
        .await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
    assert!(
        !marked
            .location
            .unwrap()
            .to_lowercase()
            .contains("%e2%80%ae"),
        "the search sent back is cleaned"
    );

    // macros.html, conflict.html and prompt_kinds.html: every field of every answer
    // form, from the fields an answer of each kind posts (`Answer::to_form`).
    app.goto(&facilitator, 1).await;
    let demo = {
        let library = app.state.library();
        app.state
            .db
            .write_blocking(move |conn| {
                let s = workbook::demo::session(conn, &library, "kinds", 1, false).expect("demo");
                conclusions::latest_conclusions(conn, &s.id)
            })
            .expect("demo answers")
    };
    let mut kinds = std::collections::BTreeSet::new();
    for c in demo
        .iter()
        .filter(|c| c.prompt_key.starts_with("curriculum:"))
    {
        let answer = c.answer.answer().expect("an answer").clone();
        kinds.insert(
            c.answer.to_value().expect("json")["kind"]
                .as_str()
                .unwrap_or("")
                .to_string(),
        );
        let mut form: Vec<(String, String)> = vec![
            ("prompt".into(), c.prompt_key.clone()),
            ("base".into(), "0".into()),
        ];
        form.extend(answer.to_form().into_iter().map(|(k, v)| (k, h(&v))));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = app.post(&format!("{table}/answer"), &pairs).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            c.prompt_key,
            saved.body
        );
    }
    assert!(
        kinds.len() >= 8,
        "every structured kind was posted: {kinds:?}"
    );
    // conflict.html: a save on an old base shows the conflict page with the text.
    let conflict = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", "curriculum:kinds:gw-box"),
                ("base", "0"),
                ("medical", &h("衝突")),
            ],
        )
        .await;
    assert_clean("the conflict page", &conflict.body);

    // me.html: a survey comment from a phone and from a table screen.
    let survey = app
        .post(
            "/sessions",
            &[
                ("curriculum", "survey"),
                ("title", "アンケート会"),
                ("held_on", "2026-11-30"),
                ("tables", "1"),
            ],
        )
        .await;
    let survey_facilitator = survey.location.expect("survey session");
    let survey_session = app.session_of(&survey_facilitator);
    let survey_table = app
        .join(&survey_session.join_code, "1", &["visiting-nurse"])
        .await;
    app.goto(&survey_facilitator, 2).await;
    let mut phone = crate::survey::Phone::new();
    let me = format!("/a/{}", survey_session.join_code);
    phone.get(&app, &me).await;
    let sent = phone
        .post(
            &app,
            &format!("{me}/survey/2"),
            &[("post-confidence", "4"), ("post-comment", &h("よかった"))],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // The table's screen is the device that joined the table.
    let mut screen = crate::survey::Phone::new();
    let device = app
        .device
        .lock()
        .expect("jar")
        .clone()
        .expect("a device cookie");
    let (name, value) = device.split_once('=').expect("cookie pair");
    screen.cookies.push((name.to_string(), value.to_string()));
    let sent = screen
        .post(
            &app,
            &format!("{survey_table}/survey/2"),
            &[("post-confidence", "3"), ("post-comment", &h("画面から"))],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let comments: Vec<String> = app
        .state
        .db
        .read_blocking({
            let sid = survey_session.id.clone();
            move |conn| acp_workbook::db::survey::responses(conn, &sid)
        })
        .expect("responses")
        .into_iter()
        .map(|r| serde_json::to_string(&r.answers).expect("json"))
        .collect();
    assert_eq!(comments.len(), 2);
    for stored in &comments {
        assert_clean("a stored survey answer", stored);
    }

    // typeup.html: text (a pasted report), and csv (a file's text posted back by the
    // preview), each checked first, then saved with what the preview saw.
    let paste = [
        ("table", "2"),
        ("prompt", "curriculum:kinds:gw-three"),
        ("text", &h("【地域の課題】\n・人手不足")),
    ];
    let preview = app.post(&format!("/s/{id}/typeup/paste"), &paste).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let seen_of = |body: &str| {
        body.split("name=\"seen\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the preview's seen")
            .replace("&#x2f;", "/")
    };
    let seen = seen_of(&preview.body);
    let mut confirm = paste.to_vec();
    confirm.push(("seen", &seen));
    let typed = app.post(&format!("/s/{id}/typeup/paste"), &confirm).await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER, "{}", typed.body);
    let csv_text = h("テーブル,設問,見出し,内容\n1,gw-three,課題,・夜間の連絡");
    const BOUNDARY: &str = "----acp-hygiene-typeup";
    let typeup_csv = |seen: Option<&str>| {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n{csv_text}\r\n"
        );
        if let Some(seen) = seen {
            body.push_str(&format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"seen\"\r\n\r\n{seen}\r\n"
            ));
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        axum::http::Request::post(format!("/s/{id}/typeup/csv"))
            .header(
                axum::http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(axum::http::header::COOKIE, app.organizer.clone())
            .body(axum::body::Body::from(body))
            .expect("request")
    };
    let preview = app.send_anon(typeup_csv(None)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_clean("the typed-up preview", &preview.body);
    let seen = seen_of(&preview.body);
    let typed = app.send_anon(typeup_csv(Some(&seen))).await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER, "{}", typed.body);

    // Every page, download and file that shows these texts.
    let key = session.facilitator_key.clone();
    let projector = session.projector_key.clone();
    let sid = survey_session.id.clone();
    for path in [
        "/".to_string(),
        facilitator.clone(),
        format!("/f/{key}/record"),
        format!("/p/{projector}"),
        table.clone(),
        format!("/s/{id}/record"),
        format!("/s/{id}/report"),
        format!("/s/{id}/report.csv"),
        format!("/s/{id}/report.json"),
        format!("/s/{id}/export.json"),
        format!("/s/{id}/conclusions.csv"),
        format!("/s/{id}/roster"),
        format!("/s/{id}/checkin"),
        format!("/s/{id}/seating"),
        format!("/s/{id}/seating/print"),
        format!("/s/{id}/audit"),
        format!("/s/{sid}/report"),
        format!("/s/{sid}/report.csv"),
        format!("/s/{sid}/report.json"),
        format!("/s/{sid}/export.json"),
        "/reports".to_string(),
        "/reports.csv".to_string(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_clean(&path, &page.body);
    }
    let record = app.get(&format!("/s/{id}/record")).await.body;
    assert!(record.contains("衝突") || record.contains("研修会"));
}

/// Uploads `file` as the multipart field `file` to `path`, signed in.
async fn upload(app: &TestApp, path: &str, file: &[u8]) -> crate::helpers::Page {
    const BOUNDARY: &str = "----acp-hygiene-test";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = axum::http::Request::post(path)
        .header(
            axum::http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(axum::http::header::COOKIE, app.organizer.clone())
        .body(axum::body::Body::from(body))
        .expect("request");
    app.send_anon(request).await
}

/// Puts [`HOSTILE`] around every string of `value` (and every object key) except the
/// content files, whose hash the import checks.
fn poison(value: &mut serde_json::Value, top: bool) {
    use serde_json::Value;
    match value {
        Value::String(s) => *s = format!("{HOSTILE}{s}{HOSTILE}"),
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, false)),
        Value::Object(map) => {
            *map = std::mem::take(map)
                .into_iter()
                .map(|(k, mut v)| {
                    if !(top && k == "content") {
                        poison(&mut v, false);
                    }
                    // Keys of the file's own fields must stay; answer and survey keys
                    // are ids and are cleaned back.
                    let key = if top || k.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        k
                    } else {
                        format!("{HOSTILE}{k}")
                    };
                    (key, v)
                })
                .collect();
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_imported_field_is_cleaned() {
    // Roster CSV: every header and every cell.
    let app = TestApp::new();
    let (id, _, _) = kinds_session(&app);
    let h = |s: &str| format!("{HOSTILE}{s}{HOSTILE}");
    let csv = format!(
        "{},{},{},{},{}\n{},{},{},{},{}\n",
        h("氏名"),
        h("職種"),
        h("所属"),
        h("地区"),
        h("病院・在宅"),
        h("佐藤 一郎"),
        h("訪問看護師"),
        h("南部ステーション"),
        h("南部"),
        h("在宅"),
    );
    let imported = upload(&app, &format!("/s/{id}/roster/import"), csv.as_bytes()).await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    let people = app
        .state
        .db
        .read_blocking({
            let id = id.clone();
            move |conn| acp_workbook::db::roster::participants(conn, &id)
        })
        .expect("people");
    let last = people.last().expect("the imported person");
    assert_eq!(
        (
            last.name.as_str(),
            last.organization.as_str(),
            last.area.as_str()
        ),
        ("佐藤 一郎", "南部ステーション", "南部")
    );
    for path in [
        format!("/s/{id}/roster"),
        format!("/s/{id}/checkin"),
        format!("/s/{id}/seating"),
        format!("/s/{id}/export.json"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_clean(&path, &page.body);
    }

    // Session file: every string of the format (but the content files).
    let mut file = file_of(&app, &id);
    assert_eq!(file["roster"].as_array().map(Vec::len), Some(1));
    let mut strings = 0;
    fn count(v: &serde_json::Value, n: &mut usize) {
        match v {
            serde_json::Value::String(_) => *n += 1,
            serde_json::Value::Array(a) => a.iter().for_each(|v| count(v, n)),
            serde_json::Value::Object(m) => m.values().for_each(|v| count(v, n)),
            _ => {}
        }
    }
    poison(&mut file, true);
    let mut without_content = file.clone();
    without_content["content"] = serde_json::Value::Null;
    count(&without_content, &mut strings);
    assert!(strings > 100, "the file has many strings: {strings}");
    let fresh = TestApp::new();
    let page = upload(&fresh, "/sessions/import", file.to_string().as_bytes()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let sid = file["session"]["id"]
        .as_str()
        .expect("id")
        .replace(HOSTILE, "");
    let session = fresh
        .state
        .db
        .read_blocking({
            let sid = sid.clone();
            move |conn| sessions::session(conn, &sid)
        })
        .expect("query")
        .expect("the imported session");
    assert_eq!(session.title, "合同研修会（サンプル）");
    let key = session.facilitator_key.clone();
    for path in [
        "/".to_string(),
        format!("/f/{key}"),
        format!("/s/{sid}/record"),
        format!("/s/{sid}/report"),
        format!("/s/{sid}/report.csv"),
        format!("/s/{sid}/export.json"),
        format!("/s/{sid}/roster"),
        format!("/s/{sid}/checkin"),
        format!("/s/{sid}/seating"),
        format!("/s/{sid}/audit"),
    ] {
        let page = fresh.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_clean(&path, &page.body);
    }
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_refused_saying_so() {
    let app = TestApp::new();
    let (facilitator, _, id) = app.create_session("1").await;
    for (path, body) in [
        (format!("{facilitator}/notes"), b"notes=%FF%FE".to_vec()),
        (
            format!("/s/{id}/roster/add"),
            b"name=%E5%B1&profession=visiting-nurse&organization=x".to_vec(),
        ),
    ] {
        let page = app.post_raw(&path, body).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(
            page.body.contains("UTF-8ではありません"),
            "{path}: {}",
            page.body
        );
    }
    let session = app.session_of(&facilitator);
    assert_eq!(session.notes, "", "nothing was saved");
}

/// Stored text that is not JSON at all (no save or import writes it) is an error that
/// names where it is, never an empty answer.
#[test]
fn a_stored_answer_that_is_not_json_is_an_error_naming_it() {
    let app = TestApp::new();
    let (id, _, _) = kinds_session(&app);
    let sid = id.clone();
    let result = app.state.db.write_blocking(move |conn| {
        let table = tables::table_by_number(conn, &sid, 1)?.expect("table 1");
        conn.execute(
            "INSERT INTO conclusion (table_id, prompt_key, version, answer, step_index, saved_at)
             VALUES (?1, 'curriculum:kinds:gw-box', 100, '{not json', 1, 1)",
            [table.id],
        )?;
        conclusions::latest_conclusions(conn, &sid)
    });
    let Err(acp_workbook::db::DbError::Data(message)) = result else {
        panic!("not an error of stored data: {result:?}");
    };
    assert!(
        message.contains("curriculum:kinds:gw-box") && message.contains(&id),
        "{message}"
    );
}
