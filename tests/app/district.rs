//! Roles a district declares (issue 15, item 5): a case and a curriculum of
//! `tests/fixtures/district` declare 腎臓内科医, 透析室看護師 and 都道府県職員, and a session
//! runs on them as on built-in professions — the table's chooser, its role cards and the
//! 「いないため」 lines, answers, the facilitator's wall, the report, the roster import,
//! seating (as the built-in each counts as) and the PDFs.

use std::path::{Path, PathBuf};

use acp_workbook::db::Db;
use acp_workbook::db::roster::{ParticipantRow, participants};
use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::pdf::{SLOTS, fetch, pdftotext};
use crate::roster::upload;

fn district() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district")
}

fn app() -> TestApp {
    TestApp::with(Db::open_in_memory().expect("db"), &district())
}

/// Creates a session of the district curriculum; returns (facilitator path, join code, id).
async fn session(app: &TestApp, tables: &str) -> (String, String, String) {
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", "dialysis"),
                ("title", "透析の勉強会"),
                ("held_on", "2026-12-03"),
                ("place", "市民会館"),
                ("tables", tables),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let facilitator = page.location.expect("facilitator");
    let session = app.session_of(&facilitator);
    (facilitator, session.join_code, session.id)
}

#[tokio::test]
async fn a_case_with_district_roles_runs_through_a_session_the_report_and_the_pdfs() {
    let _turn = SLOTS.lock().await;
    let app = app();
    let (facilitator, code, id) = session(&app, "2").await;

    // The table's chooser offers the declared roles beside the built-ins.
    let joined = app.post("/join", &[("code", &code), ("table", "1")]).await;
    let table = joined.location.expect("table path");
    let setup = app.get(&table).await.body;
    for fragment in [
        r#"value="nephrologist""#,
        "腎臓内科医",
        r#"value="dialysis-nurse""#,
        "透析室看護師",
        r#"value="prefecture-staff""#,
        "都道府県職員",
        r#"value="physician-hospital""#,
    ] {
        assert!(setup.contains(fragment), "chooser lacks {fragment}");
    }
    let chosen = app
        .post(
            &format!("{table}/roster"),
            &[
                ("profession", "nephrologist"),
                ("profession", "care-manager"),
            ],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
    let second = app.other_device();
    let table2 = second
        .join(&code, "2", &["dialysis-nurse", "prefecture-staff"])
        .await;

    // Table 1 gets the nephrologist's card; the absent roles are named as the case names them.
    let screen = app.get(&table).await.body;
    assert!(screen.contains("腎臓内科医の情報"), "{screen}");
    assert!(screen.contains("1〜2週間で命にかかわる"));
    assert!(
        !screen.contains("穿刺のたびに"),
        "a card for a role not at the table"
    );
    assert!(
        screen.contains("このテーブルには透析室看護師がいないため"),
        "{screen}"
    );
    assert!(screen.contains("このテーブルには訪問看護師がいないため"));
    assert!(
        !screen.contains("病院医師"),
        "the screen says 病院医師: {screen}"
    );
    let other = second.get(&table2).await.body;
    assert!(
        other.contains("穿刺のたびに") && other.contains("このテーブルには腎臓内科医がいないため")
    );

    // Answers are saved.
    let saved = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", "case:dialysis-decision:s1-wish"),
                ("base", "0"),
                ("text", "痛みから解放されたい"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    app.goto(&facilitator, 1).await;
    for (device, path, worked) in [
        (&app, &table, "腎臓内科医の説明が具体的だった"),
        (&second, &table2, "県の制度がわかった"),
    ] {
        let saved = device
            .post(
                &format!("{path}/answer"),
                &[
                    ("prompt", "curriculum:dialysis:q-report"),
                    ("base", "0"),
                    ("worked", worked),
                    ("hard", "家族の思いとの調整"),
                    ("measures", "透析室と訪問看護の連絡票"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }

    // The facilitator's page and wall name the tables by the declared names and short names.
    let desk = app.get(&facilitator).await.body;
    assert!(
        desk.contains("腎臓内科医") && desk.contains("都道府県職員"),
        "{desk}"
    );
    assert!(
        desk.contains("腎内") && desk.contains("県職員"),
        "short names on the tiles"
    );

    // The report counts each under its own label, and under the built-in it counts as.
    let report: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/s/{id}/report.json")).await.body).expect("json");
    let counts = |list: &str| -> Vec<(String, String, u64)> {
        report["participants"][list]
            .as_array()
            .expect("counts")
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap_or("").to_string(),
                    c["label"].as_str().unwrap_or("").to_string(),
                    c["count"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    let own = counts("by_profession");
    assert!(
        own.contains(&("nephrologist".into(), "腎臓内科医".into(), 1)),
        "{own:?}"
    );
    assert!(own.contains(&("prefecture-staff".into(), "都道府県職員".into(), 1)));
    let builtin = counts("by_builtin");
    for expected in [
        ("physician-hospital", "病院医師"),
        ("hospital-nurse", "病院看護師"),
        ("city-staff", "市職員（行政）"),
        ("care-manager", "介護支援専門員（ケアマネジャー）"),
    ] {
        assert!(
            builtin.contains(&(expected.0.into(), expected.1.into(), 1)),
            "{builtin:?}"
        );
    }
    // Across sessions (of whatever content) a declared role counts as its built-in.
    let cross: serde_json::Value =
        serde_json::from_str(&app.get("/reports.json").await.body).expect("json");
    let lines: Vec<(String, String, u64)> = cross["professions"]
        .as_array()
        .expect("professions")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap_or("").to_string(),
                l["label"].as_str().unwrap_or("").to_string(),
                l["total"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        lines.contains(&("physician-hospital".into(), "病院医師".into(), 1)),
        "{lines:?}"
    );
    assert!(
        lines.iter().all(|(id, _, _)| id != "nephrologist"),
        "{lines:?}"
    );
    let csv = app.get(&format!("/s/{id}/report.csv")).await.body;
    assert!(csv.contains("nephrologist,腎臓内科医,1"), "{csv}");
    assert!(
        csv.contains("基本の職種別") && csv.contains("physician-hospital,病院医師,1"),
        "{csv}"
    );
    let page = app.get(&format!("/s/{id}/report")).await.body;
    assert!(page.contains("腎臓内科医") && page.contains("腎臓内科医の説明が具体的だった"));
    assert!(
        page.contains(r#"<caption>基本の職種別</caption>"#),
        "{page}"
    );

    // The PDFs: the session's record, a table's record, the workbook and the guide.
    let mut texts = Vec::new();
    for (path, organizer) in [
        (format!("/s/{id}/record.pdf"), true),
        ("/curricula/dialysis/programme.pdf".to_string(), true),
        ("/curricula/dialysis/guide.pdf".to_string(), true),
    ] {
        let (status, kind, _, bytes) = fetch(&app, &path, organizer).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(kind.as_deref(), Some("application/pdf"));
        if let Ok(dir) = std::env::var("ACP_PDF_KEEP") {
            let name = path.replace(['/', '?'], "-");
            let _ = std::fs::write(Path::new(&dir).join(format!("district{name}.pdf")), &bytes);
        }
        texts.push((path, pdftotext(&bytes)));
    }
    let (status, _, _, bytes) = fetch(&app, &format!("{table}/record.pdf"), false).await;
    assert_eq!(status, StatusCode::OK);
    texts.push(("table record".into(), pdftotext(&bytes)));
    for (path, text) in texts {
        let Some(text) = text else { continue };
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains("腎臓内科医"), "{path}: {text}");
        assert!(
            !text.contains('〓') && !text.contains("[U+"),
            "{path}: {text}"
        );
        if path.contains("record") {
            assert!(
                flat.contains("腎臓内科医の説明が具体的だった"),
                "{path}: {text}"
            );
        }
    }
}

fn people(app: &TestApp, session: &str) -> Vec<ParticipantRow> {
    let id = session.to_string();
    app.state
        .db
        .read_blocking(move |conn| participants(conn, &id))
        .expect("people")
}

#[tokio::test]
async fn a_roster_names_district_roles_and_seating_counts_them_as_their_builtin() {
    let app = app();
    let (_, _, id) = session(&app, "2").await;
    let csv = "氏名,職種,所属,地区,病院・在宅\n\
               腎臓 一,腎臓内科医,中央病院,北部,病院\n\
               病院 二,病院医師,東病院,南部,病院\n\
               透析 三,透析看,中央病院,北部,病院\n\
               県 四,prefecture-staff,県庁,中部,\n\
               訪看 五,訪問看護師,北部ステーション,北部,在宅\n\
               訪看 六,訪問看護師,南部ステーション,南部,在宅\n";
    let page = upload(&app, &id, csv.as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let rows = people(&app, &id);
    let ids: Vec<_> = rows.iter().map(|p| p.profession.as_str()).collect();
    assert_eq!(
        ids,
        [
            "nephrologist",
            "physician-hospital",
            "dialysis-nurse",
            "prefecture-staff",
            "visiting-nurse",
            "visiting-nurse"
        ]
    );
    let roster = app.get(&format!("/s/{id}/roster")).await.body;
    assert!(roster.contains("<td>腎臓内科医</td>") && roster.contains("<td>都道府県職員</td>"));
    // A name no profession has is still refused.
    let bad = upload(
        &app,
        &id,
        "氏名,職種,所属\nX,腎臓外科医,A\n".as_bytes(),
        false,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("腎臓外科医"), "{}", bad.body);

    // Seated as hospital physicians, the nephrologist and the hospital physician sit apart.
    let seated = app.post(&format!("/s/{id}/seating"), &[]).await;
    assert_eq!(seated.status, StatusCode::SEE_OTHER, "{}", seated.body);
    let rows = people(&app, &id);
    assert_ne!(rows[0].table_number, rows[1].table_number, "{rows:?}");
    let page = app.get(&format!("/s/{id}/seating")).await.body;
    assert!(page.contains("腎臓内科医"), "{page}");
    assert!(page.contains("どの職種も、テーブルごとの人数の差は1人以内です"));
    // Moved together by hand, they make the hospital physicians uneven.
    let to = rows[1].table_number.expect("seated").to_string();
    let moved = app
        .post(
            &format!("/s/{id}/seating/move"),
            &[("person", &rows[0].id.to_string()), ("table", &to)],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let page = app.get(&format!("/s/{id}/seating")).await.body;
    let uneven = page
        .split("テーブルごとの人数の差が2人以上の職種")
        .nth(1)
        .expect("uneven professions");
    assert!(
        uneven[..uneven.find("</li>").unwrap_or(uneven.len())].contains("病院医師"),
        "{page}"
    );
}

/// `check` over a copy of the district fixture with a mistake in `file`.
fn check_with(file: &str, from: &str, to: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["curricula", "cases"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(district().join(folder)).expect("fixtures") {
            let entry = entry.expect("entry");
            std::fs::copy(
                entry.path(),
                dir.path().join(folder).join(entry.file_name()),
            )
            .expect("copy");
        }
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_acp-workbook"))
        .args(["check", "--content", dir.path().to_str().expect("utf-8")])
        .output()
        .expect("binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    (
        out.status.code().unwrap_or(-1),
        stderr.replace(&format!("{}/", dir.path().display()), ""),
    )
}

#[test]
fn check_names_a_role_declared_twice_and_a_role_nobody_declared() {
    // The curriculum declares the case's nephrologist again.
    let (code, stderr) = check_with(
        "curricula/dialysis.md",
        "# 都道府県職員 {#prefecture-staff kind=profession}",
        "# 腎臓の医師 {#nephrologist kind=profession}",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("curricula/dialysis.md:12: ")
            && stderr.contains("cases/dialysis-decision.md"),
        "{stderr}"
    );
    // The audience names prefecture-staff, now declared nowhere: reported too, and
    // nothing else (the duplicate is not also taken for a missing role).
    assert!(stderr.contains("curricula/dialysis.md:7: "), "{stderr}");
    assert_eq!(stderr.matches("dialysis.md:").count(), 2, "{stderr}");
    // A role card naming a role with a typo.
    let (code, stderr) = check_with(
        "cases/dialysis-decision.md",
        "profession=dialysis-nurse}",
        "profession=dialysis-nurce}",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cases/dialysis-decision.md:51: ") && stderr.contains("dialysis-nurce"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_session_keeps_the_role_names_of_its_snapshot_after_the_content_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["curricula", "cases"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(district().join(folder)).expect("fixtures") {
            let entry = entry.expect("entry");
            std::fs::copy(
                entry.path(),
                dir.path().join(folder).join(entry.file_name()),
            )
            .expect("copy");
        }
    }
    let app = TestApp::with(Db::open_in_memory().expect("db"), dir.path());
    let (old_desk, old_code, _) = session(&app, "1").await;
    let old_table = app.join(&old_code, "1", &["nephrologist"]).await;

    let case = dir.path().join("cases/dialysis-decision.md");
    let text = std::fs::read_to_string(&case).expect("case");
    std::fs::write(
        &case,
        text.replacen(
            "# 腎臓内科医 {#nephrologist",
            "# 腎臓内科の医師 {#nephrologist",
            1,
        ),
    )
    .expect("write");
    app.state.reload_content().expect("reloads");

    let old = app.get(&old_table).await.body;
    assert!(
        old.contains("腎臓内科医") && !old.contains("腎臓内科の医師"),
        "{old}"
    );
    let desk = app.get(&old_desk).await.body;
    assert!(desk.contains("腎臓内科医") && !desk.contains("腎臓内科の医師"));

    let (new_desk, new_code, _) = session(&app, "1").await;
    let other = app.other_device();
    let new_table = other.join(&new_code, "1", &["dialysis-nurse"]).await;
    let new = other.get(&new_table).await.body;
    assert!(
        new.contains("このテーブルには腎臓内科の医師がいないため"),
        "{new}"
    );
    let desk = app.get(&new_desk).await.body;
    assert!(desk.contains("透析室看護師"), "{desk}");
}

/// The bundled content, where the nursing-home and disability cases declare their roles.
fn bundled() -> TestApp {
    TestApp::with(
        Db::open_in_memory().expect("db"),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    )
}

/// Creates a session of a bundled `curriculum`; returns (facilitator path, join code).
async fn bundled_session(app: &TestApp, curriculum: &str) -> (String, String) {
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", curriculum),
                ("title", "暮らしの場の研修会"),
                ("held_on", "2026-12-04"),
                ("place", "市民会館"),
                ("tables", "3"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let facilitator = page.location.expect("facilitator");
    let code = app.session_of(&facilitator).join_code;
    (facilitator, code)
}

/// A declared role's card reaches a table with no one of that role through the built-in
/// it counts as, with a line saying who reads it for whom: the nursing-home case's
/// 施設看護師 card goes to a table's 訪問看護師, not to a table of care workers. A table's
/// chooser offers the declared roles its session's cases name, not every district's.
#[tokio::test]
async fn a_declared_roles_card_is_read_by_the_built_in_it_counts_as() {
    let app = bundled();
    let (facilitator, code) = bundled_session(&app, "living-place-decision-support").await;
    let setup = {
        let joined = app.post("/join", &[("code", &code), ("table", "1")]).await;
        app.get(&joined.location.expect("table path")).await.body
    };
    for offered in [
        "facility-nurse",
        "life-counsellor",
        "disability-counsellor",
        "guardian",
    ] {
        assert!(
            setup.contains(&format!(r#"value="{offered}""#)),
            "the chooser lacks {offered}"
        );
    }
    assert!(
        !setup.contains(r#"value="nephrologist""#),
        "the dialysis case's role is offered to a nursing-home meeting"
    );
    let table1 = app
        .join(&code, "1", &["visiting-nurse", "care-worker"])
        .await;
    let (second, third) = (app.other_device(), app.other_device());
    let table2 = second
        .join(&code, "2", &["facility-nurse", "care-worker"])
        .await;
    let table3 = third.join(&code, "3", &["care-worker", "dietitian"]).await;
    app.goto(&facilitator, 2).await;

    let stand_in =
        "このテーブルには施設看護師がいないため、訪問看護師の方が施設看護師として読んでください。";
    let on_call = "夜は1人が自宅でオンコール";
    let read_by_nurse = app.get(&table1).await.body;
    assert!(
        read_by_nurse.contains("施設看護師の情報"),
        "{read_by_nurse}"
    );
    assert!(read_by_nurse.contains(on_call) && read_by_nurse.contains(stand_in));
    // The 配置医 card has no 診療所医師 at table 1 to read it.
    assert!(
        read_by_nurse
            .contains("このテーブルには配置医がいないため、配置医の視点の情報はありません")
    );

    let own = second.get(&table2).await.body;
    assert!(own.contains(on_call), "{own}");
    assert!(
        !own.contains(stand_in),
        "the facility nurse reads her own card"
    );

    let none = third.get(&table3).await.body;
    assert!(
        !none.contains(on_call),
        "a card for a role not at the table"
    );
    assert!(
        none.contains("このテーブルには施設看護師がいないため、施設看護師の視点の情報はありません")
    );

    let english = app.get_en(&table1).await.body;
    assert!(
        english.contains(
            "No Nursing-home nurse at this table: Visiting nurse, please read this card for them."
        ),
        "{english}"
    );

    // A session of a curriculum whose cases declare nothing offers the built-ins only.
    let (_, basics) = bundled_session(&app, "decision-support-basics").await;
    let other = app.other_device();
    let joined = other
        .post("/join", &[("code", &basics), ("table", "1")])
        .await;
    let chooser = other.get(&joined.location.expect("table path")).await.body;
    assert!(chooser.contains(r#"value="visiting-nurse""#));
    for declared in ["facility-nurse", "nephrologist", "guardian"] {
        assert!(
            !chooser.contains(&format!(r#"value="{declared}""#)),
            "{declared} offered to the basics session"
        );
    }
}
