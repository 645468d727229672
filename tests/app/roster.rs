//! Rosters, seating and rehearsals (issue 7): CSV import and its bad inputs, balanced
//! seating of 215 people at 30 tables, moving people, late arrivals, access, labels.

use acp_workbook::db::roster::{ParticipantRow, participants};
use acp_workbook::seating::{self, Side};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{Page, TestApp};

/// The 215-person roster of the fixtures (UTF-8, Japanese headers).
const MEETING: &[u8] = include_bytes!("../fixtures/roster-215.csv");

const BOUNDARY: &str = "----acp-roster-test";

fn multipart(file: &[u8], replace: bool) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n");
    if replace {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"replace\"\r\n\r\n1\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload_request(session: &str, file: &[u8], replace: bool) -> Request<Body> {
    Request::post(format!("/s/{session}/roster/import"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(file, replace)))
        .expect("request")
}

pub(crate) async fn upload(app: &TestApp, session: &str, file: &[u8], replace: bool) -> Page {
    let mut request = upload_request(session, file, replace);
    request.headers_mut().insert(
        header::COOKIE,
        app.organizer.parse().expect("cookie header"),
    );
    app.send_anon(request).await
}

fn people(app: &TestApp, session: &str) -> Vec<ParticipantRow> {
    let id = session.to_string();
    app.state
        .db
        .write_blocking(move |conn| participants(conn, &id))
        .expect("participants")
}

#[tokio::test]
async fn a_roster_imports_from_csv_and_the_template_reads_back() {
    let app = TestApp::new();
    let (_, _, session) = app.create_session("30").await;
    let page = upload(&app, &session, MEETING, false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.expect("back to the roster");
    assert!(location.contains("imported=215"), "{location}");
    let roster = app.get(&location).await;
    assert_eq!(roster.status, StatusCode::OK);
    assert!(roster.body.contains("215人を読み込みました（UTF-8）"));
    assert!(roster.body.contains("北部訪問看護ステーション"));
    let stored = people(&app, &session);
    assert_eq!(stored.len(), 215);
    assert_eq!(stored[0].seq, 1);
    assert_eq!(stored[0].profession, "physician-hospital");
    assert_eq!(stored[0].side, Side::Hospital);

    // The template downloads as UTF-8 with a BOM (so Excel opens it right) and imports.
    let template = app.get(&format!("/s/{session}/roster/template.csv")).await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.body.starts_with('\u{FEFF}'));
    assert!(template.body.contains("氏名,職種,所属,地区,病院・在宅"));
    let page = upload(&app, &session, template.body.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        people(&app, &session).len(),
        2,
        "replace removes the old roster"
    );
}

#[tokio::test]
async fn every_bad_input_is_reported_with_its_line_and_nothing_is_imported() {
    let app = TestApp::new();
    let (_, _, session) = app.create_session("2").await;
    let cases: &[(&str, &[&str])] = &[
        // Missing columns: the header line is at fault.
        (
            "氏名,地区\n山田,北部\n",
            &[
                "1行目：見出しに「職種」の列がありません",
                "1行目：見出しに「所属」の列がありません",
            ],
        ),
        // An unknown profession among good lines: the good lines are not imported either.
        (
            "氏名,職種,所属\n山田,訪問看護師,A\n佐藤,看護士,B\n",
            &["3行目：職種「看護士」が分かりません"],
        ),
        // The same person twice.
        (
            "氏名,職種,所属\n山田 花子,訪問看護師,A\n鈴木,薬剤師,B\n山田　花子,訪問看護師,A\n",
            &["4行目：山田 花子さんは2行目と同じ人です"],
        ),
        // An unknown side, an empty profession.
        (
            "氏名,職種,所属,病院・在宅\n山田,,A,在宅\n鈴木,薬剤師,B,外来\n",
            &[
                "2行目：職種が空です",
                "3行目：病院・在宅の「外来」が分かりません",
            ],
        ),
        // More people than 2 tables × 8 seats: the first line over the limit is named.
        (
            &format!(
                "職種,所属\n{}",
                (0..17)
                    .map(|i| format!("薬剤師,薬局{i}\n"))
                    .collect::<String>()
            ),
            &["18行目：参加者が17人になり、席の数16を超えます"],
        ),
    ];
    for (file, expected) in cases {
        let page = upload(&app, &session, file.as_bytes(), false).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{file}");
        assert!(page.body.contains("何も取り込んでいません"), "{file}");
        for message in *expected {
            assert!(
                page.body.contains(message),
                "{file}: {message} in {}",
                page.body
            );
        }
        assert!(
            people(&app, &session).is_empty(),
            "nothing half-imported: {file}"
        );
    }
    // A file in neither UTF-8 nor Shift_JIS: say exactly what to do.
    let page = upload(&app, &session, &[0x82, 0xA0, 0xFF, 0xFE, 0x0A], false).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("CSV UTF-8（コンマ区切り）"),
        "{}",
        page.body
    );
    // No file chosen.
    let page = upload(&app, &session, b"", false).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("CSVファイルを選んでください"));

    // A person already on the roster is a duplicate of the new file's line too.
    let ok = upload(
        &app,
        &session,
        "氏名,職種,所属\n山田,薬剤師,A\n".as_bytes(),
        false,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let again = upload(
        &app,
        &session,
        "氏名,職種,所属\n鈴木,薬剤師,B\n山田,薬剤師,A\n".as_bytes(),
        false,
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .body
            .contains("3行目：山田さんはすでに名簿にいます（No.1）"),
        "{}",
        again.body
    );
    assert_eq!(people(&app, &session).len(), 1);
    // In English too.
    let en = app
        .send_anon({
            let mut r = upload_request(
                &session,
                "Profession,Organization\nnurse?,A\n".as_bytes(),
                false,
            );
            let cookie = format!("{}; lang=en", app.organizer);
            r.headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("cookie"));
            r
        })
        .await;
    assert!(
        en.body.contains("Line 2: Unknown profession"),
        "{}",
        en.body
    );
}

#[tokio::test]
async fn a_shift_jis_file_from_excel_is_read() {
    let app = TestApp::new();
    let (_, _, session) = app.create_session("30").await;
    let text = std::str::from_utf8(MEETING).expect("utf-8 fixture");
    let (sjis, _, lossy) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&sjis).is_err(), "really not UTF-8");
    let page = upload(&app, &session, &sjis, false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let roster = app.get(&page.location.expect("roster")).await;
    assert!(roster.body.contains("215人を読み込みました（Shift_JIS）"));
    let stored = people(&app, &session);
    assert_eq!(stored.len(), 215);
    assert!(
        stored
            .iter()
            .any(|p| p.organization == "中部第二居宅介護支援事業所")
    );
}

fn as_people(rows: &[ParticipantRow]) -> (Vec<seating::Person>, Vec<usize>) {
    let people = rows
        .iter()
        .map(|p| seating::Person {
            profession: p.profession.clone(),
            organization: p.organization.clone(),
            area: p.area.clone(),
            side: p.side,
            fixed: None,
        })
        .collect();
    let plan = rows
        .iter()
        .map(|p| p.table_number.expect("seated") as usize - 1)
        .collect();
    (people, plan)
}

#[tokio::test]
async fn two_hundred_fifteen_people_are_seated_at_thirty_balanced_tables_and_can_be_moved() {
    let app = TestApp::new();
    let (_, _, session) = app.create_session("30").await;
    assert_eq!(
        upload(&app, &session, MEETING, false).await.status,
        StatusCode::SEE_OTHER
    );
    let assign = app
        .post(&format!("/s/{session}/seating"), &[("keep", "1")])
        .await;
    assert_eq!(assign.status, StatusCode::SEE_OTHER, "{}", assign.body);

    let rows = people(&app, &session);
    let (persons, plan) = as_people(&rows);
    let spread = seating::spread(&persons, &plan, 30);
    assert_eq!((spread.smallest, spread.largest), (7, 8), "{spread:?}");
    assert!(spread.uneven_professions.is_empty(), "{spread:?}");
    assert_eq!(spread.organization_duplicates, 0, "{spread:?}");
    assert_eq!(spread.tables_missing_side, 0, "{spread:?}");

    let page = app.get(&format!("/s/{session}/seating")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1テーブルの人数：7〜8人"));
    assert!(
        page.body
            .contains("どの職種も、テーブルごとの人数の差は1人以内です")
    );
    assert!(
        page.body
            .contains("同じ所属の人の重なり：0人（避けられない分：0人）")
    );
    assert!(page.body.contains("id=\"table-30\""));

    // Move No. 1 to another table: they stay there when seats are assigned again.
    let first = &rows[0];
    let target = if first.table_number == Some(5) { 6 } else { 5 };
    let moved = app
        .post(
            &format!("/s/{session}/seating/move"),
            &[
                ("person", &first.id.to_string()),
                ("table", &target.to_string()),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        moved.location.as_deref(),
        Some(format!("/s/{session}/seating#table-{target}").as_str())
    );
    let after = people(&app, &session);
    assert_eq!(after[0].table_number, Some(target));
    assert!(after[0].pinned);
    assert!(
        app.get(&format!("/s/{session}/seating"))
            .await
            .body
            .contains("手で移動")
    );
    app.post(&format!("/s/{session}/seating"), &[("keep", "1")])
        .await;
    let again = people(&app, &session);
    assert_eq!(again[0].table_number, Some(target), "a hand move is kept");
    let (persons, plan) = as_people(&again);
    let spread = seating::spread(&persons, &plan, 30);
    assert!(spread.largest - spread.smallest <= 1, "{spread:?}");
    // Without "keep", the plan is made afresh and forgets the pin.
    app.post(&format!("/s/{session}/seating"), &[]).await;
    assert!(!people(&app, &session)[0].pinned);

    // A table out of range, a stranger's id.
    let bad = app
        .post(
            &format!("/s/{session}/seating/move"),
            &[("person", &first.id.to_string()), ("table", "31")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("テーブル番号は1から30までです"));
    let unknown = app
        .post(
            &format!("/s/{session}/seating/move"),
            &[("person", "999999"), ("table", "2")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // The printable list: every table, the index, print CSS.
    let print = app.get(&format!("/s/{session}/seating/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("seating-print") && print.body.contains("テーブル30"));
    assert!(print.body.contains("参加者の席（番号順）") && print.body.contains("参加者215"));
    for page in ["roster", "seating", "seating/print"] {
        let en = app.get_en(&format!("/s/{session}/{page}")).await;
        assert_eq!(en.status, StatusCode::OK, "{page}: {}", en.body);
    }
    let en = app.get_en(&format!("/s/{session}/seating")).await;
    assert!(en.body.contains("People per table: 7–8") && en.body.contains("Move"));
    let css = app.get("/assets/app.css").await;
    assert!(css.body.contains("body.seating-print"));
}

#[tokio::test]
async fn late_arrivals_are_added_and_seated_on_the_day() {
    let app = TestApp::new();
    let (_, code, session) = app.create_session("3").await;
    // Before seating: a person is added without a seat.
    let added = app
        .post(
            &format!("/s/{session}/roster/add"),
            &[
                ("name", "山田"),
                ("profession", "visiting-nurse"),
                ("organization", "A"),
                ("area", "北部"),
                ("side", "home"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    for (name, profession, org) in [
        ("鈴木", "pharmacist", "B"),
        ("佐藤", "care-manager", "C"),
        ("田中", "physician-clinic", "D"),
    ] {
        app.post(
            &format!("/s/{session}/roster/add"),
            &[
                ("name", name),
                ("profession", profession),
                ("organization", org),
                ("side", "none"),
            ],
        )
        .await;
    }
    assert!(
        people(&app, &session)
            .iter()
            .all(|p| p.table_number.is_none() && !p.late)
    );
    app.post(&format!("/s/{session}/seating"), &[("keep", "1")])
        .await;
    // On the day: seated at once at a table with fewest people.
    let late = app
        .post(
            &format!("/s/{session}/roster/add"),
            &[
                ("name", "高橋"),
                ("profession", "訪問看護師"),
                ("organization", "E"),
                ("side", "在宅"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::SEE_OTHER, "{}", late.body);
    let location = late.location.expect("roster");
    assert!(location.contains("added=5&table="), "{location}");
    let rows = people(&app, &session);
    let newcomer = rows.last().expect("added");
    assert!(newcomer.late);
    let table = newcomer.table_number.expect("seated");
    let at_table = rows
        .iter()
        .filter(|p| p.table_number == Some(table))
        .count();
    assert_eq!(at_table, 2, "joined a table of one");
    let page = app.get(&location).await;
    assert!(
        page.body
            .contains(&format!("No.5を追加し、テーブル{table}に席を決めました"))
    );
    // When the table joins, its screen offers the professions seated there.
    let joined = app
        .post("/join", &[("code", &code), ("table", &table.to_string())])
        .await;
    let setup = app.get(&joined.location.expect("table screen")).await;
    for p in rows.iter().filter(|p| p.table_number == Some(table)) {
        assert!(
            setup
                .body
                .contains(&format!("value=\"{}\" checked", p.profession)),
            "{} offered: {}",
            p.profession,
            setup.body
        );
    }
    // The same person again, an unknown profession: refused, form kept.
    let twice = app
        .post(
            &format!("/s/{session}/roster/add"),
            &[
                ("name", "高橋"),
                ("profession", "visiting-nurse"),
                ("organization", "E"),
            ],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("高橋さんはすでに名簿にいます（No.5）"));
    let unknown = app
        .post(
            &format!("/s/{session}/roster/add"),
            &[
                ("name", "伊藤"),
                ("profession", "看護士"),
                ("organization", "F"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("職種「看護士」が分かりません")
            && unknown.body.contains("value=\"伊藤\"")
    );
    // Removing a person.
    let id = rows[0].id;
    let removed = app
        .post(&format!("/s/{session}/roster/{id}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(people(&app, &session).len(), 4);
    // Seats per table: fewer than the people is refused.
    let seats = app
        .post(&format!("/s/{session}/roster/seats"), &[("seats", "1")])
        .await;
    assert_eq!(seats.status, StatusCode::UNPROCESSABLE_ENTITY);
    let seats = app
        .post(&format!("/s/{session}/roster/seats"), &[("seats", "6")])
        .await;
    assert_eq!(seats.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(&format!("/s/{session}/roster"))
            .await
            .body
            .contains("4人（席は18：3テーブル × 6席）")
    );
}

#[tokio::test]
async fn roster_and_seating_are_for_the_organizer_only() {
    let app = TestApp::new();
    let (_, _, session) = app.create_session("2").await;
    for path in [
        format!("/s/{session}/roster"),
        format!("/s/{session}/roster/template.csv"),
        format!("/s/{session}/seating"),
        format!("/s/{session}/seating/print"),
    ] {
        let page = app.get_anon(&path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    let upload = app
        .send_anon(upload_request(&session, MEETING, false))
        .await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);
    for path in [
        "roster/add",
        "roster/seats",
        "roster/1/remove",
        "seating",
        "seating/move",
    ] {
        let request = Request::post(format!("/s/{session}/{path}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("profession=citizen&seats=3&person=1&table=1"))
            .expect("request");
        assert_eq!(
            app.send_anon(request).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert!(people(&app, &session).is_empty());
    // An unknown session is a clear 404 for the organizer.
    assert_eq!(
        app.get("/s/nope/roster").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_rehearsal_is_labeled_wherever_the_session_is_shown() {
    let app = TestApp::new();
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", "mini"),
                ("title", "ファシリテーター会議"),
                ("held_on", "2026-11-01"),
                ("tables", "2"),
                ("rehearsal", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let facilitator = page.location.expect("facilitator");
    let key = facilitator.trim_start_matches("/f/").to_string();
    let session = app
        .state
        .db
        .read_blocking(move |conn| {
            acp_workbook::db::sessions::session_by_facilitator_key(conn, &key)
        })
        .expect("query")
        .expect("session");
    assert!(session.rehearsal);
    let (_, _, real) = app.create_session("2").await;
    let label = "<span class=\"tag rehearsal\">リハーサル</span>";
    let home = app.get("/").await;
    assert_eq!(
        home.body.matches(label).count(),
        1,
        "only the rehearsal is labeled"
    );
    assert!(app.get(&facilitator).await.body.contains(label));
    assert!(
        app.get(&format!("/p/{}", session.projector_key))
            .await
            .body
            .contains(label)
    );
    assert!(
        app.get(&format!("/s/{}/record", session.id))
            .await
            .body
            .contains(label)
    );
    assert!(
        !app.get(&format!("/s/{real}/record"))
            .await
            .body
            .contains(label)
    );
    let en = app.get_en(&facilitator).await;
    assert!(en.body.contains("Rehearsal"));
    // The create form offers the choice.
    assert!(
        app.get("/curricula/mini")
            .await
            .body
            .contains("name=\"rehearsal\"")
    );
}

#[tokio::test]
async fn a_table_column_pins_people_and_seating_fills_the_rest() {
    let app = TestApp::new();
    let (_, _, session) = app.create_session("20").await;
    // A 20-group workshop: 30 of 48 people have their group written in, the rest not;
    // the file also has a column the importer does not read.
    let professions = [
        "訪問看護師",
        "市職員",
        "病院医師",
        "ケアマネ",
        "薬剤師",
        "MSW",
    ];
    let mut csv = String::from("氏名,職種,所属,都道府県,テーブル,備考\n");
    for i in 0..48 {
        let table = if i < 30 {
            format!("{}", i % 20 + 1)
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "参加者{i},{},事業所{i},県{},{table},メモ{i}\n",
            professions[i % professions.len()],
            i % 4
        ));
    }
    let page = upload(&app, &session, csv.as_bytes(), false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.expect("back to the roster");
    assert!(location.contains("seated=30"), "{location}");
    let roster = app.get(&location).await;
    assert!(
        roster
            .body
            .contains("そのうち30人は、ファイルのテーブル番号の席に固定しました"),
        "{}",
        roster.body
    );
    assert!(
        roster
            .body
            .contains("次の列は名簿に取り込んでいません：「備考」"),
        "the unknown column is named"
    );
    let stored = people(&app, &session);
    assert_eq!(stored[0].area, "県0", "都道府県 is read as the area");
    for (i, p) in stored.iter().enumerate().take(30) {
        assert_eq!(p.table_number, Some(i as i64 % 20 + 1), "No.{}", p.seq);
        assert!(
            p.pinned,
            "No.{} is pinned at the table the file gives",
            p.seq
        );
    }
    assert!(stored[30..].iter().all(|p| p.table_number.is_none()));

    // Balanced seating keeps those 30 where they are and seats the 18 others.
    let assign = app
        .post(&format!("/s/{session}/seating"), &[("keep", "1")])
        .await;
    assert_eq!(assign.status, StatusCode::SEE_OTHER, "{}", assign.body);
    let seated = people(&app, &session);
    for (i, p) in seated.iter().enumerate().take(30) {
        assert_eq!(p.table_number, Some(i as i64 % 20 + 1), "No.{} kept", p.seq);
    }
    assert!(seated.iter().all(|p| p.table_number.is_some()));
    let mut per_table = [0; 20];
    for p in &seated {
        per_table[p.table_number.expect("seated") as usize - 1] += 1;
    }
    assert!(
        per_table.iter().all(|n| (2..=3).contains(n)),
        "the 18 fill the small tables: {per_table:?}"
    );

    // The session record's participants page lists the people at each table.
    let (status, _, _, bytes) =
        crate::pdf::fetch(&app, &format!("/s/{session}/record.pdf"), true).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = crate::pdf::pdftotext(&bytes) {
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains("テーブルと参加者"), "{text}");
        // The profession summary counts the roster's people, not the tables' declarations.
        assert!(flat.contains("職種人数テーブル"), "{text}");
        assert!(
            !flat.contains("まだどのテーブルも職種を登録していません"),
            "{text}"
        );
        assert!(
            flat.contains("参加者0（訪問看護師・事業所0・県0）"),
            "the people, with profession, organization and area: {text}"
        );
    }

    // A table the session does not have is refused with its line; nothing is imported.
    let bad = "氏名,職種,所属,テーブル\n新人,薬剤師,X,21\n新人2,薬剤師,Y,二\n";
    let page = upload(&app, &session, bad.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("3行目：テーブル「二」は番号として読めません"),
        "{}",
        page.body
    );
    assert_eq!(people(&app, &session).len(), 48, "nothing was replaced");
    let bad = "氏名,職種,所属,テーブル\n新人,薬剤師,X,21\n";
    let page = upload(&app, &session, bad.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("2行目：テーブル21はありません（このセッションのテーブルは20まで）"),
        "{}",
        page.body
    );
}
