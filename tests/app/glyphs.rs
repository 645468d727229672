//! Every character prints (issue 16, item 7): names and answers in rare kanji (Extension
//! B, JIS X 0213) come back from the record PDFs as typed, every JIS X 0213 character has
//! a glyph in one of the bundled fonts, and what still cannot be printed (a new emoji)
//! is named with where it was typed on the pages that download the PDFs and by the CLI.

use std::process::Command;

use acp_workbook::db::Db;
use acp_workbook::pdf;
use axum::http::StatusCode;

use crate::helpers::{TestApp, fixtures};
use crate::pdf::{SLOTS, fetch, pdftotext};

/// Every character of JIS X 0213:2004, one per line as `plane-row-cell<TAB>text`.
const JIS_X_0213: &str = include_str!("../fixtures/jisx0213.txt");

#[test]
fn every_jis_x_0213_character_has_a_glyph_in_a_bundled_font() {
    let mut count = 0;
    let mut gaps = Vec::new();
    for line in JIS_X_0213.lines().filter(|l| !l.starts_with('#')) {
        let (cell, text) = line
            .split_once('\t')
            .expect("plane-row-cell, a tab, the text");
        count += 1;
        let missing = pdf::unprintable(text);
        if !missing.is_empty() {
            let codes: Vec<String> = missing.iter().map(|c| pdf::code_point(*c)).collect();
            gaps.push(format!("{cell} {text} {}", codes.join("")));
        }
    }
    assert_eq!(count, 11_233, "the fixture lists all of JIS X 0213");
    assert!(
        gaps.is_empty(),
        "{} of JIS X 0213 have no glyph: {}",
        gaps.len(),
        gaps.join(", ")
    );
    // The check can fail: a character newer than every bundled font is found.
    assert_eq!(
        pdf::unprintable("花\u{1FAE0}子")
            .into_iter()
            .collect::<Vec<_>>(),
        ['\u{1FAE0}']
    );
}

/// Roster people whose names need the fallback fonts (𠮷 is Extension B, 髙 and 﨑 are
/// IBM extensions BIZ UDPGothic has), one per table.
const PEOPLE: [(&str, &str); 3] = [
    ("𠮷野 花子", "visiting-nurse"),
    ("髙橋 一郎", "pharmacist"),
    ("﨑山 𠀋子", "care-manager"),
];

/// JIS X 0213 characters (plane 2's 𩸽 and 𡈽, plane 1's 㐂, 丼, 剝), an Extension B
/// character outside JIS (𪘂), and full-width and half-width letters, digits and kana.
const ANSWER: &str =
    "𩸽の塩焼きと㐂寿司の丼、剝がれた𡈽の𪘂。ＡＣＰ会議はacp、１２３と123、ｶﾀｶﾅとカタカナ。";

/// A session with the roster of [`PEOPLE`] seated and table 1's answer [`ANSWER`];
/// returns (session id, table 1's path).
async fn session_with_rare_names(app: &TestApp) -> (String, String) {
    let (facilitator, code, id) = app.create_session("3").await;
    for (name, profession) in PEOPLE {
        let added = app
            .post(
                &format!("/s/{id}/roster/add"),
                &[
                    ("name", name),
                    ("profession", profession),
                    ("organization", "北部𠮷田クリニック"),
                    ("area", "𡈽浦"),
                    ("side", "home"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let seated = app
        .post(&format!("/s/{id}/seating"), &[("keep", "1")])
        .await;
    assert_eq!(seated.status, StatusCode::SEE_OTHER, "{}", seated.body);
    let table = app.join(&code, "1", &["visiting-nurse"]).await;
    app.goto(&facilitator, 2).await;
    answer(app, &table, "0", ANSWER).await;
    (id, table)
}

/// Saves the table's answer to the prompt over version `base`.
async fn answer(app: &TestApp, table: &str, base: &str, text: &str) {
    let saved = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", "curriculum:mini:q-wish"),
                ("base", base),
                ("text", text),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn rare_kanji_in_names_and_answers_come_back_from_the_record_pdfs() {
    let _turn = SLOTS.lock().await;
    let app = TestApp::new();
    let (id, table) = session_with_rare_names(&app).await;
    let mut checked = 0;
    for path in [format!("/s/{id}/record.pdf"), format!("{table}/record.pdf")] {
        let (status, kind, _, bytes) = fetch(&app, &path, !path.starts_with("/t/")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(kind.as_deref(), Some("application/pdf"));
        if let Ok(dir) = std::env::var("ACP_PDF_KEEP") {
            let name = path.replace('/', "-");
            let _ = std::fs::write(
                std::path::Path::new(&dir).join(format!("{name}.pdf")),
                &bytes,
            );
        }
        let Some(text) = pdftotext(&bytes) else {
            continue;
        };
        checked += 1;
        // Lines may wrap in the PDF; the text is the same.
        let joined = text.replace('\n', "");
        assert!(
            joined.contains(ANSWER),
            "{path}: the answer as typed: {text}"
        );
        let names: Vec<&str> = PEOPLE.iter().map(|(name, _)| *name).collect();
        // The session's record names everyone seated; a table's record has no roster.
        let expected: &[&str] = if path.starts_with("/t/") { &[] } else { &names };
        for name in expected {
            assert!(joined.contains(name), "{path}: {name} is printed: {text}");
        }
        if !expected.is_empty() {
            assert!(
                joined.contains("北部𠮷田クリニック") && joined.contains("𡈽浦"),
                "{path}: {text}"
            );
        }
        for c in ANSWER.chars().chain(expected.concat().chars()) {
            assert!(text.contains(c), "{path}: {c} comes back");
        }
        assert!(!text.contains('〓'), "{path}: {text}");
        assert!(!text.contains("[U+"), "{path}: {text}");
        assert!(!text.contains("印刷できない文字"), "{path}: {text}");
    }
    if std::env::var_os("CI").is_some() {
        assert_eq!(checked, 2, "pdftotext read both PDFs");
    }
    // Everything prints: the pages that download the PDFs say nothing about it.
    for page in [format!("/s/{id}/record"), format!("/s/{id}/report")] {
        let body = app.get(&page).await.body;
        assert!(body.contains("𩸽"), "{page} shows the answer");
        assert!(!body.contains("PDFに印刷できない文字"), "{page}: {body}");
    }
}

#[tokio::test]
async fn what_cannot_be_printed_is_named_with_where_it_was_typed() {
    let _turn = SLOTS.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("acp.db");
    let app = TestApp::with(Db::open(&db_path).expect("db"), &fixtures());
    let (id, table) = session_with_rare_names(&app).await;
    // U+1FAE0 (melting face, Unicode 14) is newer than every bundled font.
    answer(&app, &table, "1", "溶ける顔\u{1FAE0}、𩸽").await;
    let added = app
        .post(
            &format!("/s/{id}/roster/add"),
            &[
                ("name", "野村 五郎"),
                ("profession", "pharmacist"),
                ("organization", "南部薬局\u{1FAE0}"),
                ("side", "none"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let ja = "🫠（U+1FAE0）— テーブル1「本人の思いは何でしょうか」、名簿の4人目（野村 五郎）。PDFでは [U+1FAE0] と印刷されます。";
    let en = "🫠 (U+1FAE0) — table 1, “本人の思いは何でしょうか”; roster person 4 (野村 五郎). The PDF prints it as [U+1FAE0].";
    for page in [format!("/s/{id}/record"), format!("/s/{id}/report")] {
        let body = app.get(&page).await.body;
        assert!(
            body.contains("PDFに印刷できない文字があります") && body.contains(ja),
            "{page}: {body}"
        );
        assert!(
            !body.contains("U+29E3D"),
            "{page}: 𩸽 prints, so it is not named"
        );
        let body = app.get_en(&page).await.body;
        assert!(
            body.contains("Some characters cannot be printed in the PDF") && body.contains(en),
            "{page}: {body}"
        );
    }
    // The PDF prints the code point where the character was typed.
    let (status, _, _, bytes) = fetch(&app, &format!("/s/{id}/record.pdf"), true).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains("溶ける顔[U+1FAE0]、𩸽"), "{text}");
    }

    // The command line names them too, in either language, with where they were typed.
    // A table where nothing unprintable was typed: not table 1, nor the late arrival's.
    let late_at = app
        .state
        .db
        .read_blocking({
            let id = id.clone();
            move |conn| acp_workbook::db::roster::participants(conn, &id)
        })
        .expect("roster")
        .iter()
        .find(|p| p.name == "野村 五郎")
        .and_then(|p| p.table_number)
        .expect("seated on arrival");
    let clean_table = (2..=3).find(|n| *n != late_at).expect("a third table");
    drop(app);
    let db_arg = db_path.to_str().expect("path");
    let out = dir.path().join("record.pdf");
    for (lang, expected) in [("ja", ja), ("en", en)] {
        let run = Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
            .args(["export", "session", &id, "--db", db_arg, "--out"])
            .arg(&out)
            .args(["--lang", lang])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{stderr}");
        assert!(stderr.contains(expected), "{lang}: {stderr}");
    }
    let run = Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args([
            "export",
            "table",
            &id,
            &clean_table.to_string(),
            "--db",
            db_arg,
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        !stderr.contains("U+1FAE0"),
        "table {clean_table} typed nothing unprintable: {stderr}"
    );
}
