//! Theme moves (issue 16, item 6): the organizer moves an item of the working group's
//! report to another theme; the page, the CSV and the JSON count it there, marked as
//! moved; moving it back removes the move; a move whose item was rewritten is listed;
//! nobody else can move; the moves travel in the session file.

use acp_workbook::answer::{Answer, HeadedList};
use acp_workbook::db::{Db, conclusions, sessions, tables, themes};
use acp_workbook::exchange;
use acp_workbook::report::items::{item_key, normalize};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture_copy};

/// A curriculum with one three-field prompt and a text prompt.
const CURRICULUM: &str = r#"---
id: theme-test
title: テーマのテスト
language: ja
version: 1
duration: 60
audience: visiting-nurse, care-manager
objectives:
- 報告をつくる
---

# グループワーク {#gw kind=group-work minutes=30}

## グループの報告 {#gw-three kind=three-field}

## ひとこと {#gw-note kind=text max=200}

# 災害への備え {#disaster kind=theme}

- en: Preparing for disasters
- words: 災害, 避難
"#;

const PROMPT: &str = "curriculum:theme-test:gw-three";

/// An item the keywords file under no theme (その他).
const ODD: &str = "薬剤師が少ない地区";

fn app_with(db: Db) -> (TestApp, tempfile::TempDir) {
    let dir = fixture_copy();
    std::fs::write(dir.path().join("curricula/theme-test.md"), CURRICULUM).expect("write");
    let app = TestApp::with(db, dir.path());
    (app, dir)
}

fn app() -> (TestApp, tempfile::TempDir) {
    app_with(Db::open_in_memory().expect("db"))
}

async fn session(app: &TestApp, title: &str, date: &str) -> String {
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", "theme-test"),
                ("title", title),
                ("held_on", date),
                ("place", "市民会館"),
                ("tables", "2"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.session_of(&page.location.expect("facilitator link")).id
}

/// Saves table `number`'s three-field answer (hard, measures) as its first version.
fn three_field(app: &TestApp, session: &str, number: i64, hard: &str, measures: &str) {
    save(app, session, number, hard, measures, 0);
}

/// Saves a new version of table `number`'s three-field answer over `base`.
fn save(app: &TestApp, session: &str, number: i64, hard: &str, measures: &str, base: i64) {
    let session = session.to_string();
    let answer = Answer::ThreeField {
        lists: vec![
            HeadedList::of("worked", "顔の見える関係ができた"),
            HeadedList::of("hard", hard),
            HeadedList::of("measures", measures),
        ],
    };
    app.state
        .db
        .write_blocking(move |conn| {
            let table = tables::table_by_number(conn, &session, number)?.expect("table");
            let outcome = conclusions::save_conclusion(conn, &table, PROMPT, base, &answer, 0)?;
            assert!(
                matches!(outcome, conclusions::SaveOutcome::Saved { .. }),
                "{outcome:?}"
            );
            Ok(())
        })
        .expect("saved");
}

/// Two sessions; table 1 of each writes the odd item and an item about sharing
/// information, table 2 of the second only the sharing one.
async fn two_sessions(app: &TestApp) -> Vec<String> {
    let first = session(app, "第1回", "2026-05-10").await;
    let second = session(app, "第2回", "2026-09-20").await;
    for id in [&first, &second] {
        three_field(
            app,
            id,
            1,
            &format!("・{ODD}\n・情報共有が難しい"),
            "連絡先の一覧表を作る",
        );
    }
    three_field(app, &second, 2, "情報共有が難しい", "研修会を続ける");
    vec![first, second]
}

async fn json_of(app: &TestApp, path: &str) -> Value {
    let page = app.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    serde_json::from_str(&page.body).expect("json")
}

fn theme<'a>(report: &'a Value, list: &str, id: &str) -> Option<&'a Value> {
    report[list]
        .as_array()
        .expect("themes")
        .iter()
        .find(|g| g["id"] == id)
}

/// The key of the item `text` table `table` of `session` wrote (what the page's form posts).
fn key(session: &str, table: i64, text: &str) -> String {
    item_key(session, PROMPT, table, text)
}

/// Posts the move form of one item (by its key) to theme `to`, the report unfiltered.
async fn move_item(app: &TestApp, key: &str, to: &str) -> crate::helpers::Page {
    app.post(
        "/reports/move",
        &[
            ("key", key),
            ("theme", to),
            ("curriculum", ""),
            ("from", ""),
            ("to", ""),
        ],
    )
    .await
}

/// Moves the odd item of both sessions' table 1 to `to`.
async fn move_both(app: &TestApp, ids: &[String], to: &str) {
    for id in ids {
        let page = move_item(app, &key(id, 1, ODD), to).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
}

/// The merged item `text` of a theme in the JSON.
fn item<'a>(group: &'a Value, text: &str) -> &'a Value {
    group["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["text"] == text)
        .unwrap_or_else(|| panic!("{text} in {group}"))
}

fn stored_moves(app: &TestApp, ids: &[String]) -> Vec<themes::MoveRow> {
    let ids = ids.to_vec();
    app.state
        .db
        .read_blocking(move |conn| themes::moves_of(conn, &ids))
        .expect("moves")
}

/// The `<tr>` of a theme on the page.
fn row<'a>(body: &'a str, list: &str, id: &str) -> Option<&'a str> {
    let start = body.find(&format!("id=\"{list}-{id}\""))?;
    let rest = &body[start..];
    Some(&rest[..rest.find("</tr>").unwrap_or(rest.len())])
}

#[tokio::test]
async fn a_moved_item_counts_under_its_new_theme_on_the_page_and_in_the_downloads() {
    let (app, _dir) = app();
    let ids = two_sessions(&app).await;
    let page = app.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let other = row(&page.body, "issues", "other").expect("その他 row");
    assert!(
        other.contains(&format!("{ODD} <span class=\"times\">×2</span>")),
        "{other}"
    );
    assert!(other.contains("action=\"/reports/move\""), "{other}");
    assert!(
        other.contains(&format!("name=\"key\" value=\"{}\"", key(&ids[0], 1, ODD))),
        "{other}"
    );
    assert!(
        other.contains("<option value=\"resources\">地域資源・サービス</option>"),
        "{other}"
    );
    // The curriculum's own theme is offered, before the built-ins.
    let own = other.find("<option value=\"disaster\">災害への備え</option>");
    let builtin = other.find("<option value=\"discharge\">");
    assert!(own.is_some() && own < builtin, "{other}");
    assert!(row(&page.body, "issues", "resources").is_none());

    // Moved out of その他, its only item: back on the page at the new theme.
    let moved = move_item(&app, &key(&ids[0], 1, ODD), "resources").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(moved.location.as_deref(), Some("/reports#issues-resources"));
    move_both(&app, &ids[1..], "resources").await;
    let rows = stored_moves(&app, &ids);
    assert_eq!(rows.len(), 2, "one per table that wrote it: {rows:?}");
    assert!(rows.iter().all(|m| m.theme == "resources"
        && m.item == normalize(ODD)
        && m.prompt_key == PROMPT
        && m.table_number == 1
        && m.text == ODD
        && m.moved_by == "organizer"));

    let page = app.get("/reports").await;
    assert!(
        row(&page.body, "issues", "other").is_none(),
        "その他 is empty now"
    );
    let resources = row(&page.body, "issues", "resources").expect("地域資源 row");
    assert!(resources.contains("<th scope=\"row\">地域資源・サービス</th>"));
    assert!(
        resources
            .contains("<td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">2</td>"),
        "two items from two sessions at two tables: {resources}"
    );
    assert!(
        resources.contains("手動で移動（その他から）"),
        "{resources}"
    );
    assert!(resources.contains("元に戻す"));
    assert!(resources.contains("<option value=\"resources\" selected>"));
    // A theme holding a moved item shows its items open.
    assert!(
        resources.contains("<details class=\"theme-items\" open>"),
        "{resources}"
    );

    let data = json_of(&app, "/reports.json").await;
    assert!(theme(&data, "issues", "other").is_none());
    let group = theme(&data, "issues", "resources").expect("resources");
    assert_eq!(
        (&group["count"], &group["sessions"], &group["tables"]),
        (&json!(2), &json!(2), &json!(2))
    );
    assert_eq!(group["moved"], json!(2));
    let odd = item(group, ODD);
    assert_eq!(odd["count"], json!(2));
    for place in odd["places"].as_array().expect("places") {
        assert_eq!(place["moved"], json!(true), "{place}");
        assert_eq!(place["from"], json!("other"));
        assert_eq!(place["from_label"], json!("その他"));
        assert_eq!(place["prompt"], json!(PROMPT));
    }
    assert_eq!(data["stale_moves"], json!([]));
    // The items not moved are where they were, and not marked.
    let info = theme(&data, "issues", "info-sharing").expect("info-sharing");
    assert_eq!(info["count"], json!(3));
    assert_eq!(info["moved"], json!(0));
    assert_eq!(
        item(info, "情報共有が難しい")["places"][0]["from"],
        json!(null)
    );

    let csv = app.get("/reports.csv").await.body;
    assert!(
        csv.contains(&format!(
            "resources,地域資源・サービス,2,{ODD},2026-05-10,第1回,1,苦労した点,,,手動で移動（その他から）,{},{}\r\n",
            ids[0],
            key(&ids[0], 1, ODD)
        )),
        "{csv}"
    );
    assert!(csv.contains(",情報共有が難しい,2026-05-10,第1回,1,苦労した点,,,,"));
    let en = app.get_en("/reports.csv").await.body;
    assert!(en.contains(",moved by the organizer (from Other),"), "{en}");

    // Each move is in its session's log, without the item's text.
    let audit = app.get(&format!("/s/{}/audit", ids[0])).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(
        audit.body.contains("<code>theme.moved</code>"),
        "{}",
        audit.body
    );
    assert!(!audit.body.contains(ODD));
    let events: Vec<String> = {
        let id = ids[0].clone();
        app.state
            .db
            .read_blocking(move |conn| {
                Ok(acp_workbook::db::events::events(conn, &id)?
                    .into_iter()
                    .filter(|e| e.kind.starts_with("theme."))
                    .map(|e| format!("{} {} {}", e.actor, e.kind, e.data))
                    .collect())
            })
            .expect("events")
    };
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("organizer theme.moved"), "{events:?}");
    assert!(events[0].contains("\"theme\":\"resources\""));
    assert!(!events[0].contains(ODD));

    // Moving it to the theme its words chose removes the move.
    let back = move_item(&app, &key(&ids[0], 1, ODD), "other").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(back.location.as_deref(), Some("/reports#issues-other"));
    assert_eq!(stored_moves(&app, &ids).len(), 1);
    let data = json_of(&app, "/reports.json").await;
    assert_eq!(
        theme(&data, "issues", "other").expect("other")["count"],
        json!(1)
    );
    assert_eq!(
        theme(&data, "issues", "resources").expect("resources")["count"],
        json!(1)
    );

    // And so does the undo button (whatever theme the select shows).
    let undo = app
        .post(
            "/reports/move",
            &[
                ("key", key(&ids[1], 1, ODD).as_str()),
                ("theme", "family"),
                ("back", "1"),
            ],
        )
        .await;
    assert_eq!(undo.status, StatusCode::SEE_OTHER, "{}", undo.body);
    assert_eq!(undo.location.as_deref(), Some("/reports#issues-other"));
    assert!(stored_moves(&app, &ids).is_empty());
    let events: Vec<String> = {
        let id = ids[1].clone();
        app.state
            .db
            .read_blocking(move |conn| {
                Ok(acp_workbook::db::events::events(conn, &id)?
                    .into_iter()
                    .map(|e| e.kind)
                    .filter(|k| k.starts_with("theme."))
                    .collect())
            })
            .expect("events")
    };
    assert_eq!(events, ["theme.moved", "theme.move_undone"]);
}

#[tokio::test]
async fn a_curriculum_theme_takes_moves_and_a_move_of_an_item_written_twice_moves_one() {
    let (app, _dir) = app();
    let ids = two_sessions(&app).await;
    // The second session's table 2 writes 情報共有が難しい; only that one moves.
    let moved = move_item(&app, &key(&ids[1], 2, "情報共有が難しい"), "disaster").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(moved.location.as_deref(), Some("/reports#issues-disaster"));
    let data = json_of(&app, "/reports.json").await;
    let disaster = theme(&data, "issues", "disaster").expect("the curriculum's theme");
    assert_eq!(disaster["label"], json!("災害への備え"));
    assert_eq!(disaster["count"], json!(1));
    assert_eq!(
        item(disaster, "情報共有が難しい")["places"][0]["table"],
        json!(2)
    );
    let info = theme(&data, "issues", "info-sharing").expect("info-sharing");
    assert_eq!(info["count"], json!(2));
    // An item of what worked moves too: the key says which list it is in.
    let worked = move_item(&app, &key(&ids[0], 1, "顔の見える関係ができた"), "family").await;
    assert_eq!(worked.location.as_deref(), Some("/reports#worked-family"));

    // A heading the group wrote in 【】 is quoted once on the page, not 「【…】」.
    let session = ids[0].clone();
    app.state
        .db
        .write_blocking(move |conn| {
            let table = tables::table_by_number(conn, &session, 2)?.expect("table");
            let answer = Answer::ThreeField {
                lists: vec![HeadedList::own(
                    "【効果のあった取り組み】",
                    "避難訓練に参加できた",
                )],
            };
            conclusions::save_conclusion(conn, &table, PROMPT, 0, &answer, 0)?;
            Ok(())
        })
        .expect("saved");
    let page = app.get("/reports").await;
    assert!(
        page.body.contains("·「効果のあった取り組み」"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("「【効果のあった取り組み】」"));
}

#[tokio::test]
async fn a_move_keeps_the_filter_and_moves_only_what_the_report_shows() {
    let (app, _dir) = app();
    let ids = two_sessions(&app).await;
    let post = |session: &str| {
        let key = key(session, 1, ODD);
        let app = &app;
        async move {
            app.post(
                "/reports/move",
                &[
                    ("key", key.as_str()),
                    ("theme", "training"),
                    ("from", "2026-09-01"),
                    ("to", ""),
                    ("curriculum", "theme-test"),
                ],
            )
            .await
        }
    };
    // Only the second session is in the report: the first session's item is not.
    let outside = post(&ids[0]).await;
    assert_eq!(outside.status, StatusCode::CONFLICT, "{}", outside.body);
    let moved = post(&ids[1]).await;
    assert_eq!(
        moved.location.as_deref(),
        Some("/reports?curriculum=theme-test&from=2026-09-01#issues-training")
    );
    let rows = stored_moves(&app, &ids);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].session_id, ids[1]);
    let data = json_of(&app, "/reports.json").await;
    assert_eq!(
        theme(&data, "issues", "other").expect("other")["count"],
        json!(1)
    );
    let training = theme(&data, "issues", "training").expect("training");
    assert_eq!(item(training, ODD)["places"][0]["session"], json!(ids[1]));
    // The page under the filter keeps it in its hidden fields.
    let page = app
        .get("/reports?from=2026-09-01&curriculum=theme-test")
        .await;
    assert!(page.body.contains("name=\"from\" value=\"2026-09-01\""));
}

#[tokio::test]
async fn a_move_whose_item_was_rewritten_or_whose_theme_is_gone_is_listed_as_stale() {
    let (app, _dir) = app();
    let ids = two_sessions(&app).await;
    move_both(&app, &ids, "resources").await;
    // The first session's table 1 rewrites its answer: its moved item is gone.
    save(
        &app,
        &ids[0],
        1,
        "情報共有が難しい",
        "連絡先の一覧表を作る",
        1,
    );
    let data = json_of(&app, "/reports.json").await;
    let stale = data["stale_moves"].as_array().expect("stale");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0]["text"], json!(ODD));
    assert_eq!(stale[0]["table"], json!(1));
    assert_eq!(stale[0]["held_on"], json!("2026-05-10"));
    assert_eq!(stale[0]["theme"], json!("resources"));
    assert_eq!(stale[0]["key"], json!(key(&ids[0], 1, ODD)));
    let resources = theme(&data, "issues", "resources").expect("resources");
    assert_eq!(resources["count"], json!(1), "only the second session's");
    let page = app.get("/reports").await;
    assert!(page.body.contains("見つからなくなった移動"));
    let section = &page.body[page.body.find("id=\"stale-moves\"").expect("stale section")..];
    assert!(
        section.contains(&format!("<td>{ODD}</td><td>地域資源・サービス</td>")),
        "{section}"
    );
    let csv = app.get("/reports.csv").await.body;
    assert!(csv.contains("# 見つからなくなった移動\r\n"), "{csv}");
    assert!(
        csv.contains(&format!(
            "2026-05-10,1,{ODD},地域資源・サービス,{},{}\r\n",
            ids[0],
            key(&ids[0], 1, ODD)
        )),
        "{csv}"
    );
    // The row is kept: if the table writes the item again, the move applies again.
    assert_eq!(stored_moves(&app, &ids).len(), 2);

    // A stored move to a theme the report no longer has (an id of an earlier build,
    // `emergency` is now part of `end-of-life`) is listed, and the item stays put.
    let id = ids[1].clone();
    app.state
        .db
        .write_blocking(move |conn| {
            themes::apply(
                conn,
                &[(
                    themes::Target {
                        session_id: id,
                        prompt_key: PROMPT.into(),
                        table_number: 2,
                        item: normalize("情報共有が難しい"),
                    },
                    themes::Change::Put {
                        text: "情報共有が難しい".into(),
                        theme: "emergency".into(),
                    },
                )],
            )
            .map(|_| ())
        })
        .expect("stored");
    let data = json_of(&app, "/reports.json").await;
    let stale = data["stale_moves"].as_array().expect("stale");
    assert_eq!(stale.len(), 2, "{stale:?}");
    assert!(
        stale
            .iter()
            .any(|m| m["theme"] == "emergency" && m["theme_label"] == "emergency"),
        "{stale:?}"
    );
    assert_eq!(
        theme(&data, "issues", "info-sharing").expect("info")["count"],
        json!(3)
    );
}

#[tokio::test]
async fn only_the_organizer_moves_items_and_bad_moves_are_refused() {
    let (app, _dir) = app();
    let ids = two_sessions(&app).await;
    let form = format!("key={}&theme=resources", urlencode(&key(&ids[0], 1, ODD)));
    // A stranger, and a table's own device (joined with the session's code).
    let code = {
        let id = ids[1].clone();
        app.state
            .db
            .read_blocking(move |conn| sessions::session(conn, &id))
            .expect("query")
            .expect("session")
            .join_code
    };
    let device = app.other_device();
    let joined = device
        .send_anon(
            Request::post("/join")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("code={code}&table=2")))
                .expect("request"),
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    for client in [&app, &device] {
        let page = client
            .send_anon(
                Request::post("/reports/move")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(form.clone()))
                    .expect("request"),
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
        assert!(page.body.contains("主催者としてサインイン"));
    }
    // Another site's page posting with the organizer's cookie.
    let foreign = app
        .post_with(
            "/reports/move",
            &[
                ("key", key(&ids[0], 1, ODD).as_str()),
                ("theme", "resources"),
            ],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(stored_moves(&app, &ids).is_empty());

    // A theme of an earlier build (`emergency`) and a made-up one.
    for unknown in ["weather", "emergency"] {
        let page = move_item(&app, &key(&ids[0], 1, ODD), unknown).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(
            page.body
                .contains(&format!("「{unknown}」というテーマはありません")),
            "{}",
            page.body
        );
    }
    // An item nobody wrote, one another table wrote, and a key of a session not there.
    for gone in [
        key(&ids[0], 1, "書かれていない記述"),
        key(&ids[0], 2, ODD),
        key("no-such-session", 1, ODD),
        String::new(),
    ] {
        let page = move_item(&app, &gone, "resources").await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{gone}");
        assert!(page.body.contains("もう報告にありません"), "{}", page.body);
    }
    assert!(stored_moves(&app, &ids).is_empty());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn export(app: &TestApp, id: &str) -> Value {
    let id = id.to_string();
    let x = app
        .state
        .db
        .read_blocking(move |conn| exchange::export_session(conn, &id))
        .expect("export")
        .expect("the session");
    serde_json::to_value(&x).expect("json")
}

fn import(app: &TestApp, file: &Value) -> Result<(), Vec<String>> {
    let text = file.to_string();
    app.state
        .db
        .write_blocking(move |conn| Ok(exchange::import_session(conn, &text)))
        .expect("write")
        .map(|_| ())
        .map_err(|e| e.problems(acp_workbook::lang::Lang::En))
}

#[tokio::test]
async fn moves_travel_in_the_session_file_and_older_files_still_import() {
    let (origin, _dir) = app();
    let ids = two_sessions(&origin).await;
    move_both(&origin, &ids, "resources").await;
    let file = export(&origin, &ids[0]);
    assert_eq!(
        file["theme_moves"],
        json!([{
            "prompt_key": PROMPT,
            "table": 1,
            "item": normalize(ODD),
            "text": ODD,
            "theme": "resources",
            "moved_by": "organizer",
            "moved_at": file["theme_moves"][0]["moved_at"],
        }])
    );
    // Also through the download.
    let download = origin.get(&format!("/s/{}/export.json", ids[0])).await;
    assert!(
        download.body.contains("\"theme_moves\""),
        "{}",
        download.body
    );

    // Into a fresh server: the item is under the theme it was moved to.
    let (fresh, _dir2) = app();
    import(&fresh, &file).expect("imports");
    let data = json_of(&fresh, "/reports.json").await;
    let resources = theme(&data, "issues", "resources").expect("moved theme");
    assert_eq!(item(resources, ODD)["places"][0]["moved"], json!(true));
    assert!(theme(&data, "issues", "other").is_none());
    assert_eq!(stored_moves(&fresh, &ids[..1]).len(), 1);

    // A file of an earlier build has no moves: it imports, the item where the report puts it.
    let mut older = export(&origin, &ids[1]);
    older.as_object_mut().expect("object").remove("theme_moves");
    let (old_server, _dir3) = app();
    import(&old_server, &older).expect("an older file imports");
    let data = json_of(&old_server, "/reports.json").await;
    assert_eq!(
        theme(&data, "issues", "other").expect("other")["count"],
        json!(1)
    );
    assert!(stored_moves(&old_server, &ids[1..]).is_empty());

    // A move naming an unknown theme, a prompt that is not there or not a three-field
    // report, a table that is not there, or an item not in the compared form is refused
    // by its path, and nothing is stored.
    let mut bad = export(&origin, &ids[1]);
    let good = bad["theme_moves"][0].clone();
    let with = |field: &str, value: Value| {
        let mut m = good.clone();
        m[field] = value;
        m
    };
    bad["theme_moves"] = json!([
        with("theme", json!("weather")),
        with("prompt_key", json!("curriculum:theme-test:nope")),
        with("prompt_key", json!("curriculum:theme-test:gw-note")),
        with("table", json!(9)),
        with("item", json!("薬剤師が 少ない")),
        good.clone(),
        good,
    ]);
    let (refusing, _dir4) = app();
    let problems = import(&refusing, &bad).expect_err("refused");
    for expected in [
        "theme_moves[0].theme: “weather” is not a theme (use one of disaster, discharge,",
        "theme_moves[1].prompt_key: the prompt “curriculum:theme-test:nope” is not in the session's content",
        "theme_moves[2].prompt_key: the prompt “curriculum:theme-test:gw-note” is not a three-field report",
        "theme_moves[3].table: there is no table 9",
        "theme_moves[4].item: “薬剤師が 少ない” is not an item as the report compares it",
        "theme_moves[6].item: prompt_key=curriculum:theme-test:gw-three, table=1, item=",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected} in {problems:?}"
        );
    }
    let sessions = refusing
        .state
        .db
        .read_blocking(sessions::sessions)
        .expect("sessions");
    assert!(sessions.is_empty());
}

#[tokio::test]
async fn a_purge_removes_the_moves_with_the_text() {
    let (app, _dir) = app();
    let ids = two_sessions(&app).await;
    move_both(&app, &ids, "resources").await;
    let id = ids[0].clone();
    app.state
        .db
        .write_blocking(move |conn| sessions::purge_personal_data(conn, &id))
        .expect("purged");
    let rows = stored_moves(&app, &ids);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].session_id, ids[1]);
}
