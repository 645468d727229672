//! A session's data as JSON and CSV, and importing it on another server: a full round
//! trip, every refusal (newer format, broken JSON, the same session twice, a failure
//! midway), organizer-only access, the CSV's shape, and the command line.

use std::process::Command;

use acp_workbook::db::{Db, roster, survey};
use acp_workbook::db::{conclusions, events, sessions, tables, tables::TableRow, timers};
use acp_workbook::exchange::{self, ImportError, SessionExport};
use acp_workbook::survey::{SurveyAnswer, SurveyAnswers};
use acp_workbook::workbook;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{Page, TestApp, fixtures};

const BOUNDARY: &str = "----acp-exchange-test";

/// The title the demo session is given.
const TITLE: &str = "合同研修会（サンプル）";

/// A response with the headers these tests look at and the body as bytes.
struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(app: &TestApp, path: &str, signed_in: bool) -> Download {
    let mut request = Request::get(path).body(Body::empty()).expect("request");
    if signed_in {
        request
            .headers_mut()
            .insert(header::COOKIE, app.organizer.parse().expect("cookie"));
    }
    let response = app.router.clone().oneshot(request).await.expect("response");
    let header_of = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().expect("ascii").to_string())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (
        header_of(header::CONTENT_TYPE),
        header_of(header::CONTENT_DISPOSITION),
    );
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Download {
        status,
        content_type,
        disposition,
        bytes,
    }
}

/// Uploads a session file to the import form; `cookies` are added to the organizer's
/// unless `signed_in` is false.
async fn upload(app: &TestApp, file: &[u8], signed_in: bool, english: bool) -> Page {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"session.json\"\r\nContent-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut cookies = Vec::new();
    if signed_in {
        cookies.push(app.organizer.clone());
    }
    if english {
        cookies.push("lang=en".to_string());
    }
    let mut request = Request::post("/sessions/import").header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if !cookies.is_empty() {
        request = request.header(header::COOKIE, cookies.join("; "));
    }
    app.send_anon(request.body(Body::from(body)).expect("request"))
        .await
}

/// A session that has a bit of everything: three tables that walked the case and
/// answered every prompt kind (one answer twice), a seated roster with a check-in, two
/// survey responses, a step timer, the facilitator's notes. Returns its id.
fn rich_session(app: &TestApp) -> String {
    let library = app.state.library();
    app.state
        .db
        .write_blocking(move |conn| {
            let session =
                workbook::demo::session(conn, &library, "kinds", 3, false).expect("demo session");
            let id = session.id.clone();
            let csv = "氏名,職種,所属,地区,病院・在宅\n\
                       山田花子,訪問看護師,北部訪問看護ステーション,北部,在宅\n\
                       佐藤一郎,病院医師,北部総合病院,北部,病院\n\
                       鈴木,介護支援専門員,南部居宅介護支援事業所,南部,在宅\n\
                       高橋,薬剤師,中央薬局,中央,\n";
            let parsed = acp_workbook::roster::parse_csv(csv.as_bytes(), &Default::default())
                .expect("roster csv");
            roster::import(conn, &id, &parsed.entries, false)?;
            let (tables, _) = roster::seats(conn, &id)?;
            let people = roster::participants(conn, &id)?;
            let plan =
                acp_workbook::roster::plan::balanced(&people, tables, false, &Default::default());
            roster::store_plan(conn, &id, &plan, false)?;
            let first = roster::participants(conn, &id)?[0].id;
            roster::set_checked_in(conn, &id, first, true, acp_workbook::db::Actor::Organizer)?;
            for (respondent, scale, text) in
                [("phone-a", 4, "とても役に立った"), ("phone-b", 2, "")]
            {
                let mut answers = SurveyAnswers::new();
                answers.insert("useful".into(), SurveyAnswer::Scale(scale));
                answers.insert("comment".into(), SurveyAnswer::Text(text.into()));
                survey::submit(conn, &id, 1, respondent, "visiting-nurse", &answers)?;
            }
            // Notes as long as the notes form allows (import refuses longer ones), and
            // log entries, so that the file is over the ordinary request limit.
            let notes = "ファシリテーターのメモ。".repeat(1_600);
            sessions::set_notes(conn, &id, &notes)?;
            for n in 0..8 {
                let detail = format!("{n}：{}", "長い記録。".repeat(3_000));
                events::append_event(
                    conn,
                    &id,
                    acp_workbook::db::Actor::System,
                    None,
                    acp_workbook::db::EventKind::NotesSaved,
                    &serde_json::json!({ "detail": detail }),
                )?;
            }
            let timer = acp_workbook::timer::ready(1, 30, acp_workbook::db::now_ms());
            timers::put_timer(conn, &id, &timer, "start")?;
            // A second version of table 1's three-field report.
            let table: TableRow = tables::table_by_number(conn, &id, 1)?.expect("table 1");
            let key = "curriculum:kinds:gw-three";
            let first = conclusions::conclusion_history(conn, table.id, key)?
                .pop()
                .expect("an answer");
            let mut answer = first.answer.to_value().expect("json");
            answer["lists"][0]["text"] = "二度目の版：本人の思いを中心に".into();
            let answer: acp_workbook::answer::Answer =
                serde_json::from_value(answer).expect("an answer");
            conclusions::save_conclusion(
                conn,
                &table,
                key,
                first.version,
                &answer,
                first.step_index,
            )?;
            Ok(id)
        })
        .expect("rich session")
}

fn export_of(app: &TestApp, id: &str) -> SessionExport {
    let id = id.to_string();
    app.state
        .db
        .write_blocking(move |conn| exchange::export_session(conn, &id))
        .expect("export")
        .expect("the session")
}

/// How many rows each table of a session's data holds in the app's database.
fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    app.state
        .db
        .write_blocking(|conn| {
            let mut out = Vec::new();
            for table in [
                "session",
                "session_table",
                "conclusion",
                "scene_visit",
                "step_timer",
                "event",
                "participant",
                "survey_response",
                "content_snapshot",
            ] {
                let n: i64 =
                    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                out.push((table, n));
            }
            Ok(out)
        })
        .expect("counts")
}

/// Asserts two JSON values are equal, naming the first place where they differ (the
/// whole file is too large to read in a failure message).
fn assert_same(got: &serde_json::Value, want: &serde_json::Value, path: &str) {
    use serde_json::Value;
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let keys = |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(g), keys(w), "the fields of {path}");
            for (key, value) in w {
                assert_same(&g[key], value, &format!("{path}.{key}"));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "the length of {path}");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                assert_same(g, w, &format!("{path}[{i}]"));
            }
        }
        (g, w) => {
            let short = |v: &Value| v.to_string().chars().take(200).collect::<String>();
            assert!(g == w, "{path}: got {}, want {}", short(g), short(w));
        }
    }
}

fn all_empty(app: &TestApp) -> bool {
    row_counts(app).iter().all(|(_, n)| *n == 0)
}

#[tokio::test]
async fn a_session_round_trips_through_json_into_a_fresh_server() {
    let origin = TestApp::new();
    let id = rich_session(&origin);
    let first = download(&origin, &format!("/s/{id}/export.json"), true).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.content_type.starts_with("application/json"));
    assert!(
        first.disposition.starts_with("attachment;")
            && first
                .disposition
                .contains(&format!("2026-11-30-session-{}.json", &id[..8])),
        "{}",
        first.disposition
    );
    assert!(
        first.bytes.len() > acp_workbook::server::BODY_LIMIT,
        "the file is larger than an ordinary request may be"
    );
    let text = String::from_utf8(first.bytes.clone()).expect("UTF-8");
    let exported: SessionExport = serde_json::from_str(&text).expect("the documented shape");
    assert_eq!(exported.format, "acp-workbook/session");
    assert_eq!(exported.version, 1);
    assert_eq!(exported.session.id, id);
    assert_eq!(exported.tables.len(), 3);
    assert_eq!(exported.roster.len(), 4);
    assert_eq!(exported.survey_responses.len(), 2);
    assert_eq!(exported.step_timers.len(), 1);
    assert!(
        exported
            .conclusions
            .iter()
            .any(|c| c.table == 1 && c.version == 2),
        "every version is there, not only the newest"
    );
    assert!(text.contains("二度目の版：本人の思いを中心に"));
    // No secret of the origin server is in the file.
    let id = exported.session.id.clone();
    let sid = id.clone();
    let session = origin
        .state
        .db
        .read_blocking(move |conn| sessions::session(conn, &sid))
        .expect("query")
        .expect("session");
    let tokens: Vec<String> = origin
        .state
        .db
        .read_blocking({
            let id = id.clone();
            move |conn| tables::tables(conn, &id)
        })
        .expect("tables")
        .into_iter()
        .map(|t| t.token)
        .collect();
    for secret in [
        &session.join_code,
        &session.facilitator_key,
        &session.projector_key,
    ]
    .into_iter()
    .chain(&tokens)
    {
        assert!(!text.contains(secret.as_str()), "{secret} leaked");
    }

    // Into a second server with an empty database.
    let other = TestApp::new();
    let page = upload(&other, &first.bytes, true, false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.expect("back home");
    assert_eq!(location, format!("/?imported={id}"));
    let home = other.get(&location).await;
    assert!(
        home.body
            .contains(&format!("「{TITLE}」（2026-11-30）を読み込みました。")),
        "{}",
        home.body
    );
    // An odd address still opens the start page, without a notice.
    let odd = other.get("/?imported=x&imported=y").await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(!odd.body.contains("を読み込みました"));
    let record = other.get(&format!("/s/{id}/record")).await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(record.body.contains("二度目の版：本人の思いを中心に"));

    // Exported again, it is the same file but for when it was written and the import's entry.
    let mut again = export_of(&other, &id);
    let imported = again.events.pop().expect("the import's entry");
    assert_eq!(imported.kind, "session.imported");
    assert_eq!(imported.actor, "organizer");
    assert_eq!(imported.data["exported_at"], exported.exported_at);
    again.exported_at = exported.exported_at;
    assert_same(
        &serde_json::to_value(&again).expect("json"),
        &serde_json::to_value(&exported).expect("json"),
        "",
    );

    // Fresh secrets: the origin's links do not work here.
    let here = other
        .state
        .db
        .read_blocking({
            let id = exported.session.id.clone();
            move |conn| sessions::session(conn, &id)
        })
        .expect("query")
        .expect("session");
    assert_ne!(here.facilitator_key, session.facilitator_key);
    assert_ne!(here.projector_key, session.projector_key);
    assert_ne!(here.join_code, session.join_code);
    let new_tokens: Vec<String> = other
        .state
        .db
        .read_blocking({
            let id = exported.session.id.clone();
            move |conn| tables::tables(conn, &id)
        })
        .expect("tables")
        .into_iter()
        .map(|t| t.token)
        .collect();
    assert!(new_tokens.iter().all(|t| !tokens.contains(t)));
    for path in [
        format!("/f/{}", session.facilitator_key),
        format!("/p/{}", session.projector_key),
        format!("/t/{}", tokens[0]),
    ] {
        assert_eq!(
            other.get_anon(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        other
            .get_anon(&format!("/f/{}", here.facilitator_key))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_file_from_a_newer_version_is_refused_and_nothing_is_written() {
    let origin = TestApp::new();
    let id = rich_session(&origin);
    let mut file: serde_json::Value = serde_json::to_value(export_of(&origin, &id)).expect("json");
    file["version"] = 2.into();
    file["generator"] = "acp-workbook 9.0.0".into();
    // A newer format may change anything else: it is not looked at.
    file["tables"] = "changed in version 2".into();
    let bytes = serde_json::to_vec(&file).expect("bytes");

    let other = TestApp::new();
    let page = upload(&other, &bytes, true, false).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(
            "このファイルは新しいバージョンのACPワークブック（acp-workbook 9.0.0）で書き出されました（データ形式 2、このサーバーが読めるのは形式 1 まで）。先にこのサーバーのACPワークブックを更新してから、もう一度読み込んでください。"
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains("読み込めませんでした：session.json"));
    // The organizer is still on the home page, with the sessions and the form.
    assert!(page.body.contains(r#"action="/sessions/import#import""#));
    assert!(page.body.contains("/curricula/mini"));
    assert!(all_empty(&other), "{:?}", row_counts(&other));

    // Switching the language there leads back to the form (the page answered a post).
    let switch = other.get("/lang/en?back=%2Fsessions%2Fimport").await;
    assert_eq!(switch.location.as_deref(), Some("/sessions/import"));
    let back = other.get("/sessions/import").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(back.location.as_deref(), Some("/#import"));
    let page = upload(&other, &bytes, true, true).await;
    assert!(
        page.body.contains("This file was written by a newer ACP Workbook (acp-workbook 9.0.0) in format version 2; this server reads up to version 1. Update this server&#x27;s ACP Workbook first"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn broken_json_is_refused_with_its_line_and_column() {
    let other = TestApp::new();
    let broken = "{\n  \"format\": \"acp-workbook/session\",\n  \"version\": 1,\n  tables: []\n}\n";
    let page = upload(&other, broken.as_bytes(), true, false).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("JSONとして読めません（4行目 3文字目：key must be a string）"),
        "{}",
        page.body
    );
    // A file cut short says where it ends.
    let origin = TestApp::new();
    let id = rich_session(&origin);
    let text = exchange::to_json(&export_of(&origin, &id));
    let cut = &text[..boundary(&text, text.len() / 2)];
    let Err(ImportError::NotJson { line, .. }) = exchange::parse(cut) else {
        panic!("a cut file is not JSON");
    };
    assert_eq!(line, cut.split('\n').count());
    // JSON that is not a session file, and a missing field, are named.
    let page = upload(&other, br#"{"name": "roster"}"#, true, false).await;
    assert!(
        page.body
            .contains("ACPワークブックの研修会データではありません"),
        "{}",
        page.body
    );
    let mut file: serde_json::Value = serde_json::from_str(&text).expect("json");
    file["session"]
        .as_object_mut()
        .expect("session")
        .remove("held_on");
    file["tables"][1]["number"] = 7.into();
    let page = upload(
        &other,
        &serde_json::to_vec(&file).expect("bytes"),
        true,
        false,
    )
    .await;
    assert!(
        page.body.contains("session.held_on: この項目がありません"),
        "{}",
        page.body
    );
    file["session"]["held_on"] = "2026-11-30".into();
    let page = upload(
        &other,
        &serde_json::to_vec(&file).expect("bytes"),
        true,
        false,
    )
    .await;
    assert!(
        page.body
            .contains("tables[1].number: テーブル7はありません（この研修会のテーブルは1〜3）"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("テーブル 2 がありません"),
        "{}",
        page.body
    );
    assert!(all_empty(&other));
}

#[tokio::test]
async fn the_same_session_is_not_imported_twice() {
    let origin = TestApp::new();
    let id = rich_session(&origin);
    let bytes = exchange::to_json(&export_of(&origin, &id)).into_bytes();
    let refusal = format!(
        "この研修会はすでにこのサーバーにあります：「{TITLE}」（2026-11-30）。二重にならないよう、何も読み込んでいません。"
    );
    // Not onto the server it came from…
    let before = row_counts(&origin);
    let page = upload(&origin, &bytes, true, false).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains(&refusal), "{}", page.body);
    assert_eq!(row_counts(&origin), before);
    // …nor twice onto another.
    let other = TestApp::new();
    assert_eq!(
        upload(&other, &bytes, true, false).await.status,
        StatusCode::SEE_OTHER
    );
    let once = row_counts(&other);
    let page = upload(&other, &bytes, true, false).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains(&refusal), "{}", page.body);
    assert_eq!(row_counts(&other), once);
}

#[tokio::test]
async fn an_import_that_fails_midway_leaves_no_rows() {
    let origin = TestApp::new();
    let id = rich_session(&origin);
    let bytes = exchange::to_json(&export_of(&origin, &id)).into_bytes();
    let other = TestApp::new();
    // The survey responses are written last: make the disk "fail" there.
    other
        .state
        .db
        .write_blocking(|conn| {
            conn.execute_batch(
                "CREATE TEMP TRIGGER fail_late BEFORE INSERT ON survey_response
                 BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END;",
            )?;
            Ok(())
        })
        .expect("trigger");
    let page = upload(&other, &bytes, true, false).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        page.body.contains(
            "データベースに書き込めませんでした。何も読み込んでいません（途中まで書いた分も取り消しました）"
        ),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("simulated"),
        "the database's own message stays in the log"
    );
    assert!(all_empty(&other), "{:?}", row_counts(&other));
    let text = String::from_utf8(bytes.clone()).expect("text");
    let direct = other
        .state
        .db
        .write_blocking(move |conn| Ok(exchange::import_session(conn, &text)))
        .expect("call");
    assert!(matches!(direct, Err(ImportError::Db(_))), "{direct:?}");
    assert!(all_empty(&other));
    // The same file goes in once the disk is well again.
    other
        .state
        .db
        .write_blocking(|conn| Ok(conn.execute_batch("DROP TRIGGER temp.fail_late")?))
        .expect("drop");
    assert_eq!(
        upload(&other, &bytes, true, false).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(row_counts(&other).iter().all(|(_, n)| *n > 0));
}

#[tokio::test]
async fn only_the_organizer_exports_or_imports() {
    let app = TestApp::new();
    let id = rich_session(&app);
    for path in [
        format!("/s/{id}/export.json"),
        format!("/s/{id}/conclusions.csv"),
        format!("/s/{id}/tables/1.csv"),
    ] {
        let page = download(&app, &path, false).await;
        let body = String::from_utf8_lossy(&page.bytes);
        assert!(
            page.status == StatusCode::FORBIDDEN,
            "{path}: {}",
            page.status
        );
        assert!(!body.contains("acp-workbook/session"), "{path}");
    }
    let page = download(&app, &format!("/s/{id}/export.json"), false).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&page.bytes).contains("主催者としてサインイン"));

    let other = TestApp::new();
    let bytes = exchange::to_json(&export_of(&app, &id)).into_bytes();
    let page = upload(&other, &bytes, false, false).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(all_empty(&other));
    // The import form and the download links are on organizer pages only.
    assert!(!other.get_anon("/").await.body.contains("/sessions/import"));
    let home = app.get("/").await;
    assert!(home.body.contains(r#"action="/sessions/import#import""#));
    assert!(home.body.contains(&format!("/s/{id}/export.json")));
    let record = app.get(&format!("/s/{id}/record")).await;
    for link in [
        "export.json",
        "conclusions.csv",
        "tables/1.csv",
        "tables/3.csv",
    ] {
        assert!(record.body.contains(&format!("/s/{id}/{link}")), "{link}");
    }
    // The facilitator's copy of the record does not offer the organizer's downloads.
    let session = app
        .state
        .db
        .read_blocking(move |conn| sessions::session(conn, &id))
        .expect("query")
        .expect("session");
    let record = app
        .get_anon(&format!("/f/{}/record", session.facilitator_key))
        .await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(!record.body.contains("export.json"));
}

/// The CSV's records (BOM and CRLF checked by the caller).
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn csv_opens_in_excel_with_a_row_per_answer_field() {
    let app = TestApp::new();
    let id = rich_session(&app);
    let table = download(&app, &format!("/s/{id}/tables/2.csv"), true).await;
    assert_eq!(table.status, StatusCode::OK);
    assert_eq!(table.content_type, "text/csv; charset=utf-8");
    assert!(
        table
            .disposition
            .contains(&format!("2026-11-30-table-2-{}.csv", &id[..8])),
        "{}",
        table.disposition
    );
    assert!(
        table.bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let text = std::str::from_utf8(&table.bytes[3..]).expect("UTF-8");
    assert!(
        text.starts_with("テーブル,ステップ,ステップ名,場面,問いID,問い,項目,内容,版,保存日時\r\n")
    );
    assert!(text.ends_with("\r\n"));
    let rows = records(&table.bytes);
    assert!(rows.iter().all(|r| r.len() == 10));
    let rows = &rows[1..];
    assert!(rows.iter().all(|r| r[0] == "2"), "only table 2");
    // The four boxes are four rows, the three-field report one per headed list (the
    // demo's three and one of the table's own), in the screen's order.
    let of =
        |prompt: &str| -> Vec<&Vec<String>> { rows.iter().filter(|r| r[4] == prompt).collect() };
    let boxes: Vec<&str> = of("curriculum:kinds:gw-box")
        .iter()
        .map(|r| r[6].as_str())
        .collect();
    assert_eq!(
        boxes,
        ["医学的適応", "本人の意向", "QOL（生活の質）", "周囲の状況"]
    );
    let three = of("curriculum:kinds:gw-three");
    assert_eq!(three.len(), 4);
    assert_eq!(three[3][6], "今後に向けて", "the table's own heading");
    assert_eq!(three[0][5], "3項目の報告");
    assert_eq!(three[0][6], "特に効果があった取り組み");
    assert_eq!(three[1][7], "時間が足りなかった", "Japanese text intact");
    assert_eq!(three[2][2], "グループワーク");
    assert_eq!(three[2][1], "2", "the second step, counted from 1");
    // Every field of every newest answer of the table is a row.
    let expected: usize = app
        .state
        .db
        .write_blocking({
            let id = id.clone();
            move |conn| {
                let table = tables::table_by_number(conn, &id, 2)?.expect("table");
                let session = sessions::session(conn, &id)?.expect("session");
                let run = workbook::load_run(conn, session).expect("run");
                Ok(conclusions::latest_conclusions_of_table(conn, table.id)?
                    .iter()
                    .map(|c| {
                        let (prompt, _) = run.prompt(&c.prompt_key).expect("prompt");
                        let answer = c.answer.answer().expect("answer");
                        answer
                            .fields_in(prompt, acp_workbook::lang::Lang::Ja)
                            .len()
                            .max(1)
                    })
                    .sum())
            }
        })
        .expect("count");
    assert_eq!(rows.len(), expected);
    // Scene prompts name their scene.
    assert!(
        rows.iter()
            .any(|r| r[4].starts_with("case:") && !r[3].is_empty())
    );

    // All tables: the same header, and table 2's rows are the same rows.
    let all = download(&app, &format!("/s/{id}/conclusions.csv"), true).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.bytes.starts_with(b"\xEF\xBB\xBF"));
    let all_rows = records(&all.bytes);
    assert_eq!(all_rows[0], records(&table.bytes)[0]);
    let twos: Vec<&Vec<String>> = all_rows[1..].iter().filter(|r| r[0] == "2").collect();
    assert_eq!(twos, rows.iter().collect::<Vec<_>>());
    let tables: std::collections::BTreeSet<&str> =
        all_rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(tables.into_iter().collect::<Vec<_>>(), ["1", "2", "3"]);
    // Table 1's answer saved twice is there once, at its newest version.
    assert!(all_rows.iter().any(|r| r[0] == "1" && r[8] == "2"));
    assert!(
        all.bytes
            .windows("二度目の版".len())
            .any(|w| w == "二度目の版".as_bytes())
    );

    for path in [
        format!("/s/{id}/tables/9.csv"),
        format!("/s/{id}/tables/x.csv"),
        format!("/s/{id}/tables/2.json"),
        "/s/no-such-session/conclusions.csv".to_string(),
    ] {
        assert_eq!(
            download(&app, &path, true).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// The last character boundary at or before `at`.
fn boundary(text: &str, at: usize) -> usize {
    (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0)
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_exports_json_and_csv_and_imports_into_another_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| dir.path().join(name).to_str().expect("path").to_string();
    let library = acp_workbook::content::Library::load(&fixtures()).expect("fixtures");
    let db = Db::open(std::path::Path::new(&path("origin.db"))).expect("db");
    let demo = library.clone();
    let session = db
        .write_blocking(move |conn| {
            Ok(workbook::demo::session(conn, &demo, "kinds", 2, false).expect("session"))
        })
        .expect("session");
    drop(db);

    let (code, stdout, stderr) = cli(&[
        "export",
        "json",
        &session.id,
        "--db",
        &path("origin.db"),
        "--out",
        &path("s.json"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 tables"), "{stdout}");
    let file = std::fs::read_to_string(path("s.json")).expect("file");
    assert!(file.contains("\"format\": \"acp-workbook/session\""));
    let (code, stdout, stderr) = cli(&[
        "export",
        "csv",
        &session.join_code.to_lowercase(),
        "--table",
        "2",
        "--db",
        &path("origin.db"),
        "--out",
        &path("t2.csv"),
    ]);
    assert_eq!(code, 0, "a join code works too: {stderr}");
    assert!(stdout.contains("table 2"), "{stdout}");
    let csv = std::fs::read(path("t2.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}テーブル,ステップ".as_bytes()));
    let (code, _, stderr) = cli(&[
        "export",
        "csv",
        &session.id,
        "--table",
        "9",
        "--db",
        &path("origin.db"),
        "-o",
        &path("x.csv"),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no table 9; its tables are 1 to 2"),
        "{stderr}"
    );

    // Into a new database file.
    let (code, stdout, stderr) = cli(&["import", &path("s.json"), "--db", &path("new.db")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("imported 「{TITLE}」 (2026-11-30)"))
            && stdout.contains("facilitator link: /f/")
            && !stdout.contains(&session.facilitator_key),
        "{stdout}"
    );
    let (code, _, stderr) = cli(&["import", &path("s.json"), "--db", &path("new.db")]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "This session is already on this server: “{TITLE}” (2026-11-30)"
        )),
        "{stderr}"
    );
    std::fs::write(path("cut.json"), &file[..boundary(&file, file.len() / 3)]).expect("write");
    let (code, _, stderr) = cli(&["import", &path("cut.json"), "--db", &path("new.db")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("This is not valid JSON (line "), "{stderr}");
    let newer = file.replacen("\"version\": 1", "\"version\": 3", 1);
    std::fs::write(path("newer.json"), newer).expect("write");
    let (code, _, stderr) = cli(&["import", &path("newer.json"), "--db", &path("new.db")]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("written by a newer ACP Workbook") && stderr.contains("Update this server"),
        "{stderr}"
    );
    let bad = file.replacen("\"status\": \"open\"", "\"status\": \"archived\"", 1);
    std::fs::write(path("bad.json"), bad).expect("write");
    let (code, _, stderr) = cli(&["import", &path("bad.json"), "--db", &path("other.db")]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("  - session.status: “archived” is not allowed (use one of open, closed)"),
        "{stderr}"
    );
    let (code, _, stderr) = cli(&["import", &path("missing.json"), "--db", &path("new.db")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read"), "{stderr}");
}
