//! The group report in the council's layout (issue 16, items 1 and 4): a national
//! workshop whose tables seat people from several prefectures, groups that head their
//! lists themselves or leave a curriculum heading empty — the page, the CSV, the JSON
//! and the PDF show each group's prefectures in roster order and every list under its
//! heading, nothing empty; the session record of the closed session says so; nobody
//! but the organizer reaches any of it.

use acp_workbook::answer::{Answer, HeadedList};
use acp_workbook::content::Profession;
use acp_workbook::db::{Db, conclusions, roster, sessions, tables};
use acp_workbook::roster::Entry;
use acp_workbook::seating::Side;
use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, fixture_copy};
use crate::pdf::{SLOTS, fetch, pdftotext};
use crate::survey::Phone;

/// A national workshop: the members column shows the prefectures, then the professions.
const CURRICULUM: &str = r#"---
id: council-test
title: 全国研修会のグループワーク
language: ja
version: 1
duration: 30
audience: city-staff, visiting-nurse
objectives:
- 地域の取り組みを持ち寄る
report_members: 都道府県, profession
---

# グループワーク {#gw kind=group-work minutes=30}

## グループワークの結果 {#gw-three kind=three-field}
"#;

const TITLE: &str = "令和8年度 在宅医療・介護連携推進 全国研修会";
const TABLES: i64 = 6;

/// The prefectures of each table in the order the roster gives its people: repeated,
/// and neither sorted by count nor by character code.
fn seats(table: i64) -> Vec<&'static str> {
    const ALL: [&str; 18] = [
        "青森県",
        "北海道",
        "岩手県",
        "宮城県",
        "秋田県",
        "山形県",
        "福島県",
        "茨城県",
        "栃木県",
        "群馬県",
        "埼玉県",
        "千葉県",
        "東京都",
        "神奈川県",
        "新潟県",
        "富山県",
        "石川県",
        "福井県",
    ];
    let base = ((table - 1) * 3) as usize;
    vec![ALL[base], ALL[base + 1], ALL[base + 1], ALL[base + 2]]
}

/// What the groups wrote. Table 5 wrote nothing; the others mix their own headings,
/// the curriculum's, and a curriculum heading left empty.
fn lists(table: i64) -> Vec<HeadedList> {
    let p = seats(table)[0];
    match table {
        5 => Vec::new(),
        6 => vec![HeadedList::own(
            "今後の具体的方策",
            format!("・{p}で多職種の研修を続ける\n→ 予算を確保する"),
        )],
        _ => vec![
            HeadedList::of("worked", ""),
            HeadedList::own(
                "効果のあった取り組み",
                format!("・{p}の訪問看護と病院の連携\n（連携の工夫）\n・月1回の顔合わせ"),
            ),
            HeadedList::of("hard", format!("グループ{table}：医師の参加が少ない")),
            HeadedList::of("measures", format!("→ グループ{table}：医師会に声をかける")),
        ],
    }
}

fn app() -> (TestApp, tempfile::TempDir) {
    let dir = fixture_copy();
    std::fs::write(dir.path().join("curricula/council-test.md"), CURRICULUM).expect("write");
    let app = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    (app, dir)
}

/// The workshop, typed up (and closed when `close`): (session id, join code).
async fn workshop(app: &TestApp, close: bool) -> (String, String) {
    let tables = TABLES.to_string();
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", "council-test"),
                ("title", TITLE),
                ("held_on", "2026-10-20"),
                ("place", "東京国際フォーラム"),
                ("tables", &tables),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let session = app.session_of(&page.location.expect("facilitator link"));
    let id = session.id.clone();
    let sid = id.clone();
    app.state
        .db
        .write_blocking(move |conn| {
            let mut n = 0;
            for table in 1..=TABLES {
                for (i, area) in seats(table).into_iter().enumerate() {
                    n += 1;
                    let entry = Entry {
                        line: 0,
                        name: format!("参加者{n}"),
                        profession: Profession::builtin(if i % 2 == 0 {
                            "city-staff"
                        } else {
                            "visiting-nurse"
                        })
                        .expect("profession"),
                        organization: format!("{area}庁"),
                        area: area.to_string(),
                        side: Side::None,
                        table: None,
                    };
                    roster::add(conn, &sid, &entry, roster::Placement::default())?;
                }
            }
            let people = roster::participants(conn, &sid)?;
            let mut at = people.iter();
            for table in 1..=TABLES {
                for _ in seats(table) {
                    let person = at.next().expect("person");
                    roster::move_to(conn, &sid, person.id, table)?;
                }
            }
            for number in 1..=TABLES {
                let lists = lists(number);
                if lists.is_empty() {
                    continue;
                }
                let table = tables::table_by_number(conn, &sid, number)?.expect("table");
                conclusions::save_conclusion(
                    conn,
                    &table,
                    "curriculum:council-test:gw-three",
                    0,
                    &Answer::ThreeField { lists },
                    0,
                )?;
            }
            if close {
                sessions::close_session(conn, &sid)?;
            }
            Ok(())
        })
        .expect("typed up");
    (id, session.join_code)
}

/// 「青森県、北海道、岩手県」: each prefecture once, in the roster's order.
fn prefectures(table: i64) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in seats(table) {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out.join("、")
}

#[tokio::test]
async fn the_group_report_shows_each_groups_prefectures_and_its_headed_lists() {
    let (app, _dir) = app();
    let (id, _) = workshop(&app, true).await;

    let page = app.get(&format!("/s/{id}/groups")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    assert!(body.contains(TITLE));
    assert!(body.contains("終了"), "the session is closed");
    for table in [1, 2, 3, 4, 6] {
        assert!(
            body.contains(&format!("<p>{}</p>", prefectures(table))),
            "table {table}: {body}"
        );
    }
    assert_eq!(prefectures(1), "青森県、北海道、岩手県");
    // Professions in roster order with their counts, on their own line.
    assert!(
        body.contains("<p>市職員（行政）×2、訪問看護師×2</p>"),
        "{body}"
    );
    assert_eq!(body.matches("【効果のあった取り組み】").count(), 4);
    assert_eq!(body.matches("【苦労した点】").count(), 4);
    assert_eq!(body.matches("【具体的方策】").count(), 4);
    assert_eq!(body.matches("【今後の具体的方策】").count(), 1);
    assert!(
        !body.contains("【特に効果があった取り組み】"),
        "a heading left empty is not shown"
    );
    assert!(body.contains("・青森県の訪問看護と病院の連携\n（連携の工夫）\n・月1回の顔合わせ"));
    assert!(body.contains("→ グループ4：医師会に声をかける"));
    assert!(body.contains("記入のなかったグループ：5"));
    assert!(!body.contains("<th scope=\"row\" class=\"num\">5</th>"));
    // The report page links to it.
    let report = app.get(&format!("/s/{id}/report")).await;
    for link in [
        "groups",
        "groups.csv",
        "groups.json",
        "groups.pdf",
        "groups.pdf?orientation=landscape",
    ] {
        assert!(
            report.body.contains(&format!("href=\"/s/{id}/{link}\"")),
            "{link}"
        );
    }

    let csv = app.get(&format!("/s/{id}/groups.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let csv = csv.body.replace("\r\n", "\n");
    assert!(csv.contains(&format!("# {TITLE}")));
    assert!(csv.contains("グループ,メンバー,報告"), "{csv}");
    assert!(
        csv.contains(
            "1,\"青森県、北海道、岩手県\n市職員（行政）×2、訪問看護師×2\",\"【効果のあった取り組み】\n・青森県の訪問看護と病院の連携\n（連携の工夫）\n・月1回の顔合わせ\n\n【苦労した点】\nグループ1：医師の参加が少ない\n\n【具体的方策】\n→ グループ1：医師会に声をかける\""
        ),
        "{csv}"
    );
    assert!(csv.contains(&format!("6,\"{}\n", prefectures(6))), "{csv}");
    assert!(!csv.contains("特に効果があった取り組み"));

    let json = app.get(&format!("/s/{id}/groups.json")).await;
    assert_eq!(json.status, StatusCode::OK);
    let data: Value = serde_json::from_str(&json.body).expect("json");
    assert_eq!(data["fields"], serde_json::json!(["area", "profession"]));
    let rows = data["prompts"][0]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 5);
    assert_eq!(data["prompts"][0]["unanswered"], serde_json::json!([5]));
    for row in rows {
        let table = row["table"].as_i64().expect("number");
        let areas: Vec<&str> = row["members"][0]["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| v.as_str().expect("text"))
            .collect();
        assert_eq!(areas.join("、"), prefectures(table));
        assert_eq!(row["members"][0]["field"], "area");
        let headings: Vec<&str> = row["lists"]
            .as_array()
            .expect("lists")
            .iter()
            .map(|l| l["heading"].as_str().expect("heading"))
            .collect();
        if table == 6 {
            assert_eq!(headings, ["今後の具体的方策"]);
        } else {
            assert_eq!(
                headings,
                ["効果のあった取り組み", "苦労した点", "具体的方策"]
            );
        }
    }

    let _turn = SLOTS.lock().await;
    for query in ["", "?orientation=landscape"] {
        let path = format!("/s/{id}/groups.pdf{query}");
        let (status, kind, _, bytes) = fetch(&app, &path, true).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(kind.as_deref(), Some("application/pdf"));
        if let Ok(dir) = std::env::var("ACP_PDF_KEEP") {
            let name = format!("groups{}.pdf", query.replace(['?', '='], "-"));
            let _ = std::fs::write(std::path::Path::new(&dir).join(name), &bytes);
        }
        let Some(text) = pdftotext(&bytes) else {
            return;
        };
        // The title on one line, not broken inside a cell.
        assert!(text.lines().any(|l| l.trim() == TITLE), "{path}: {text}");
        for table in [1, 2, 3, 4, 6] {
            assert!(
                text.contains(&prefectures(table)),
                "{path}: table {table}: {text}"
            );
        }
        for line in [
            "・青森県の訪問看護と病院の連携",
            "（連携の工夫）",
            "・月1回の顔合わせ",
            "グループ2：医師の参加が少ない",
            "→ グループ4：医師会に声をかける",
            "・富山県で多職種の研修を続ける",
            "→ 予算を確保する",
        ] {
            assert!(text.contains(line), "{path}: {line}: {text}");
        }
        assert_eq!(
            text.matches("【効果のあった取り組み】").count(),
            4,
            "{path}"
        );
        assert_eq!(text.matches("【今後の具体的方策】").count(), 1, "{path}");
        assert!(!text.contains("特に効果があった取り組み"), "{path}");
        assert!(text.contains("記入のなかったグループ：5"), "{path}");
        assert!(text.contains("終了") && !text.contains("開催中"), "{path}");
        for stamp in ["に保存", "第1版", "進行表"] {
            assert!(!text.contains(stamp), "{path}: {stamp}");
        }
    }
    let (status, ..) = fetch(
        &app,
        &format!("/s/{id}/groups.pdf?orientation=sideways"),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The session record of the closed session: closed on its cover, no run sheet of
    // zero minutes, the lists stacked under their headings.
    let (status, _, _, bytes) = fetch(&app, &format!("/s/{id}/record.pdf"), true).await;
    assert_eq!(status, StatusCode::OK);
    if let Ok(dir) = std::env::var("ACP_PDF_KEEP") {
        let _ = std::fs::write(
            std::path::Path::new(&dir).join("council-record.pdf"),
            &bytes,
        );
    }
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains("終了") && !text.contains("開催中"), "{text}");
        assert!(!text.contains("進行表"), "{text}");
        // Each group's header names who sat there from the roster, not 「未参加」.
        assert!(
            text.contains("テーブル1 市職員（行政）×2、訪問看護師×2"),
            "{text}"
        );
        assert!(!text.contains("未参加"), "{text}");
        assert_eq!(
            text.matches("【効果のあった取り組み】").count(),
            4,
            "{text}"
        );
        assert!(!text.contains("【特に効果があった取り組み】"), "{text}");
        assert!(
            text.contains("参加者1（市職員（行政）・青森県庁・青森県）"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_session_without_a_roster_shows_what_each_table_declared() {
    let (app, _dir) = app();
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", "council-test"),
                ("title", "名簿のない会"),
                ("held_on", "2026-10-21"),
                ("tables", "2"),
            ],
        )
        .await;
    let session = app.session_of(&page.location.expect("facilitator link"));
    app.join(&session.join_code, "1", &["dentist", "pharmacist"])
        .await;
    let sid = session.id.clone();
    app.state
        .db
        .write_blocking(move |conn| {
            let table = tables::table_by_number(conn, &sid, 1)?.expect("table");
            conclusions::save_conclusion(
                conn,
                &table,
                "curriculum:council-test:gw-three",
                0,
                &Answer::ThreeField {
                    lists: vec![HeadedList::own("取り組み", "歯科と薬局の連携")],
                },
                0,
            )?;
            Ok(())
        })
        .expect("saved");
    let page = app.get(&format!("/s/{}/groups", session.id)).await;
    assert!(
        page.body.contains("<p>歯科医師、薬剤師</p>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("記入のなかったグループ：2"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn only_the_organizer_reaches_the_group_report() {
    let (app, _dir) = app();
    let (id, code) = workshop(&app, false).await;
    let paths =
        ["groups", "groups.csv", "groups.json", "groups.pdf"].map(|p| format!("/s/{id}/{p}"));
    // A stranger.
    for path in &paths {
        let page = app.get_anon(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains("主催者としてサインイン"), "{path}");
    }
    // A participant's phone that joined the session.
    let mut phone = Phone::new();
    let joined = phone.post(&app, "/join/phone", &[("code", &code)]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    for path in &paths {
        assert_eq!(
            phone.get(&app, path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // A table's device: its cookie, without the organizer's.
    app.join(&code, "1", &["citizen"]).await;
    assert!(
        app.device.lock().expect("jar").is_some(),
        "the table's device cookie"
    );
    for path in &paths {
        let page = app.get_anon(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        app.get("/s/nope/groups").await.status,
        StatusCode::NOT_FOUND
    );
}
