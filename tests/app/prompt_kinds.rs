//! The structured prompt kinds end to end: `check` errors with their lines, forms on
//! the table screen, decoding and refusing posted forms, the stored JSON, and the
//! table, facilitator and record views with their comparisons.

use acp_workbook::db::{conclusions, sessions, tables};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::check_cli::assert_problem;
use crate::helpers::TestApp;

const CASE: &str = "cases/all-kinds.md";
const CURRICULUM: &str = "curricula/kinds.md";

// ---------- check: every bad input names its file and line ----------

#[test]
fn check_unknown_structured_kind() {
    assert_problem(
        CASE,
        "kind=four-box}",
        "kind=four-boxes}",
        38,
        "unknown prompt kind `four-boxes`",
    );
}

#[test]
fn check_decision_table_with_one_option() {
    assert_problem(
        CURRICULUM,
        "- 胃ろうを造る\n- 口から食べ続ける\n",
        "- 胃ろうを造る\n",
        22,
        "a decision-table prompt needs at least 2 options; it has 1",
    );
}

#[test]
fn check_duplicate_option() {
    assert_problem(
        CASE,
        "- 施設に入る\n",
        "- 自宅に帰る\n",
        47,
        "the option `自宅に帰る` is listed twice",
    );
}

#[test]
fn check_values_deck_without_cards() {
    assert_problem(
        CURRICULUM,
        "- 住み慣れた家で過ごす\n- 痛みや苦しさがない\n- 家族の負担にならない\n- 最期まで自分で決める\n",
        "カードはまだありません。\n",
        27,
        "a values-ranking prompt needs at least one card; it has 0",
    );
}

#[test]
fn check_duplicate_card() {
    assert_problem(
        CASE,
        "- 家族の負担にならない\n",
        "- 痛みや苦しさがない\n",
        54,
        "the card `痛みや苦しさがない` is listed twice",
    );
}

#[test]
fn check_top_larger_than_the_deck() {
    assert_problem(
        CASE,
        "kind=values-ranking top=2}",
        "kind=values-ranking top=4}",
        50,
        "`top` 4 is larger than the deck of 3 cards",
    );
}

#[test]
fn check_top_below_one() {
    assert_problem(
        CURRICULUM,
        "kind=values-ranking top=3}",
        "kind=values-ranking top=0}",
        27,
        "`top=0` is not a number of cards from 1 up",
    );
}

#[test]
fn check_more_than_thirty_cards() {
    let deck: String = (1..=31).map(|n| format!("- カード{n}\n")).collect();
    assert_problem(
        CURRICULUM,
        "- 最期まで自分で決める\n",
        &deck,
        59,
        "more than 30 cards (34)",
    );
}

#[test]
fn check_unknown_attribute() {
    assert_problem(
        CASE,
        "kind=capacity-check}",
        "kind=capacity-check top=3}",
        58,
        "unknown setting `top` for kind=capacity-check",
    );
}

#[test]
fn check_bad_view_value() {
    assert_problem(
        CASE,
        "view=back",
        "view=sideways",
        42,
        "`view=sideways` is not forward or back",
    );
}

#[test]
fn check_family_without_a_name() {
    assert_problem(CASE, "family=長男", "family", 44, "`family` has no value");
}

#[test]
fn check_bad_field_max() {
    assert_problem(
        CASE,
        "kind=three-field max=800}",
        "kind=three-field max=99999}",
        62,
        "`max=99999` is not a length from 1 to 5000",
    );
}

#[test]
fn check_stakeholder_map_in_a_step_needs_people() {
    assert_problem(
        CURRICULUM,
        "- 本人\n- 長女\n- 主治医\n",
        "",
        34,
        "a stakeholder-map prompt needs at least 2 people; it has 0",
    );
}

#[test]
fn check_duplicate_person() {
    assert_problem(
        CURRICULUM,
        "- 主治医\n",
        "- 長女\n",
        38,
        "the person `長女` is listed twice",
    );
}

// ---------- the router: forms in, structured JSON out ----------

/// A session of the `kinds` fixture curriculum; returns (facilitator path, join code, session id).
async fn kinds_session(app: &TestApp, tables: &str) -> (String, String, String) {
    let page = app
        .post(
            "/sessions",
            &[
                ("curriculum", "kinds"),
                ("title", "問いの種類の研修"),
                ("held_on", "2026-11-30"),
                ("place", "市民会館"),
                ("tables", tables),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let facilitator = page.location.expect("redirect to facilitator view");
    let key = facilitator.trim_start_matches("/f/").to_string();
    let session = app
        .state
        .db
        .read_blocking(move |conn| sessions::session_by_facilitator_key(conn, &key))
        .expect("query")
        .expect("session");
    (facilitator, session.join_code, session.id)
}

/// Posts an answer form to `prompt` with `fields`; `prompt` and `base=0` are added.
async fn save(
    app: &TestApp,
    table: &str,
    prompt: &str,
    fields: &[(&str, &str)],
) -> crate::helpers::Page {
    let mut pairs = vec![("prompt", prompt), ("base", "0")];
    pairs.extend_from_slice(fields);
    app.post(&format!("{table}/answer"), &pairs).await
}

/// The latest stored answer of each prompt of table `number`, by prompt key.
fn stored(
    app: &TestApp,
    session_id: &str,
    number: i64,
) -> std::collections::BTreeMap<String, Value> {
    let session_id = session_id.to_string();
    let rows = app
        .state
        .db
        .read_blocking(move |conn| {
            let tables = tables::tables(conn, &session_id)?;
            let conclusions = conclusions::latest_conclusions(conn, &session_id)?;
            Ok((tables, conclusions))
        })
        .expect("query");
    let (tables, conclusions) = rows;
    let id = tables
        .iter()
        .find(|t| t.number == number)
        .expect("table")
        .id;
    conclusions
        .into_iter()
        .filter(|c| c.table_id == id)
        .map(|c| (c.prompt_key, c.answer.to_value().expect("json")))
        .collect()
}

const BOX: &str = "curriculum:kinds:gw-box";
const SHEET: &str = "curriculum:kinds:gw-sheet";
const GRID: &str = "curriculum:kinds:gw-grid";
const RANK: &str = "curriculum:kinds:gw-rank";
const MAP: &str = "curriculum:kinds:gw-map";
const CAP: &str = "curriculum:kinds:gw-cap";
const PLAN: &str = "curriculum:kinds:gw-plan";
const THREE: &str = "curriculum:kinds:gw-three";

fn four_box(medical: &str, context: &str) -> Vec<(&'static str, String)> {
    vec![
        ("medical", medical.to_string()),
        ("preferences", "家で過ごしたい".to_string()),
        ("quality", String::new()),
        ("context", context.to_string()),
    ]
}

/// The decision-table form for the fixture's two options, with person view SURE answers.
fn grid(benefit: &str, sure: [&str; 4], leaning: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for who in ["person", "family"] {
        for i in 0..2 {
            out.push((format!("{who}.{i}.benefits"), format!("{benefit}{i}")));
            out.push((format!("{who}.{i}.harms"), format!("害{i}")));
            out.push((
                format!("{who}.{i}.benefit_weight"),
                if i == 0 { "4" } else { "" }.to_string(),
            ));
            out.push((format!("{who}.{i}.harm_weight"), "2".to_string()));
        }
        out.push((
            format!("{who}.leaning"),
            if who == "person" { leaning } else { "" }.to_string(),
        ));
        for (k, s) in sure.iter().enumerate() {
            out.push((
                format!("{who}.sure.{k}"),
                if who == "person" { s } else { "" }.to_string(),
            ));
        }
    }
    out
}

fn pairs<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect()
}

#[tokio::test]
async fn every_kind_is_saved_as_structured_json() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["visiting-nurse", "msw"]).await;
    app.goto(&facilitator, 1).await;

    let sheet = [
        ("view", "back"),
        ("medical", "肺炎をくり返している"),
        ("person", "家に帰りたい"),
        ("family", "長男は心配"),
        ("best", "家で過ごす"),
        ("family_care", "長男の休息"),
        ("next", "退院前カンファレンス"),
    ];
    let capacity = [
        ("understanding.rating", "partial"),
        ("understanding.evidence", "説明にうなずく"),
        ("appreciation.rating", ""),
        ("appreciation.evidence", ""),
        ("reasoning.rating", "impaired"),
        ("reasoning.evidence", ""),
        ("expressing.rating", "kept"),
        ("expressing.evidence", "「家がいい」と言う"),
    ];
    let plan = [
        ("rows.0.who", "visiting-nurse"),
        ("rows.0.who_other", ""),
        ("rows.0.what", "訪問を週3回にする"),
        ("rows.0.when", "退院まで"),
        ("rows.1.who", "patient"),
        ("rows.1.who_other", ""),
        ("rows.1.what", "したいことを話す"),
        ("rows.1.when", ""),
        ("rows.2.who", "other"),
        ("rows.2.who_other", "近所の友人"),
        ("rows.2.what", "見守り"),
        ("rows.2.when", "毎日"),
        ("rows.3.who", ""),
        ("rows.3.who_other", ""),
        ("rows.3.what", ""),
        ("rows.3.when", ""),
    ];
    let forms: Vec<(&str, Vec<(String, String)>)> = vec![
        (
            BOX,
            four_box("誤嚥性肺炎\n\n  心不全  \n", "長男は胃ろうを希望")
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        ),
        (
            SHEET,
            sheet
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        (GRID, grid("栄養", ["yes", "yes", "no", "yes"], "1")),
        (
            RANK,
            [
                ("picks.0.card", "1"),
                ("picks.0.reason", "苦しいのはいや"),
                ("picks.1.card", ""),
                ("picks.1.reason", ""),
                ("picks.2.card", "3"),
                ("picks.2.reason", ""),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ),
        (
            MAP,
            [
                ("entries.0.who", "item:0"),
                ("entries.0.wants", "家で過ごす"),
                ("entries.0.fears", ""),
                ("entries.0.dissent", ""),
                ("entries.1.who", "item:1"),
                ("entries.1.wants", ""),
                ("entries.1.fears", ""),
                ("entries.1.dissent", ""),
                ("entries.2.who", "item:2"),
                ("entries.2.wants", "安全"),
                ("entries.2.fears", "再入院"),
                ("entries.2.dissent", "在宅は早いと考える"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ),
        (
            CAP,
            capacity
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        (
            PLAN,
            plan.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        (
            THREE,
            [
                ("worked", "顔の見える関係"),
                ("hard", "時間が足りない"),
                ("measures", "連絡票を使う"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ),
    ];
    for (prompt, fields) in &forms {
        let page = save(&app, &table, prompt, &pairs(fields)).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{prompt}: {}",
            page.body
        );
    }
    let answers = stored(&app, &session_id, 1);
    assert_eq!(
        answers[BOX],
        json!({"kind": "four-box", "medical": ["誤嚥性肺炎", "心不全"], "preferences": ["家で過ごしたい"], "quality": [], "context": ["長男は胃ろうを希望"]})
    );
    assert_eq!(
        answers[SHEET],
        json!({"kind": "conference-sheet", "view": "back", "medical": "肺炎をくり返している", "person": "家に帰りたい", "family": "長男は心配", "best": "家で過ごす", "family_care": "長男の休息", "next": "退院前カンファレンス"})
    );
    let option = |b: &str, w: Value| json!({"benefits": b, "harms": "害".to_string() + &b[b.len() - 1..], "benefit_weight": w, "harm_weight": 2});
    assert_eq!(
        answers[GRID],
        json!({"kind": "decision-table", "views": [
            {"who": "person", "options": [option("栄養0", json!(4)), option("栄養1", Value::Null)], "leaning": 1, "sure": [true, true, false, true]},
            {"who": "family", "options": [option("栄養0", json!(4)), option("栄養1", Value::Null)], "leaning": null, "sure": [null, null, null, null]}
        ]})
    );
    assert_eq!(
        answers[RANK],
        json!({"kind": "values-ranking", "picks": [{"card": 1, "reason": "苦しいのはいや"}, {"card": 3, "reason": ""}]})
    );
    assert_eq!(
        answers[MAP],
        json!({"kind": "stakeholder-map", "entries": [
            {"who": "item:0", "wants": "家で過ごす", "fears": "", "dissent": ""},
            {"who": "item:2", "wants": "安全", "fears": "再入院", "dissent": "在宅は早いと考える"}
        ]})
    );
    assert_eq!(
        answers[CAP],
        json!({"kind": "capacity-check", "items": {
            "understanding": {"rating": "partial", "evidence": "説明にうなずく"},
            "appreciation": {"rating": null, "evidence": ""},
            "reasoning": {"rating": "impaired", "evidence": ""},
            "expressing": {"rating": "kept", "evidence": "「家がいい」と言う"}
        }})
    );
    assert_eq!(
        answers[PLAN],
        json!({"kind": "action-plan", "rows": [
            {"who": "visiting-nurse", "what": "訪問を週3回にする", "when": "退院まで"},
            {"who": "patient", "what": "したいことを話す", "when": ""},
            {"who": "other:近所の友人", "what": "見守り", "when": "毎日"}
        ]})
    );
    assert_eq!(
        answers[THREE],
        json!({"kind": "three-field", "lists": [
            {"of": "worked", "text": "顔の見える関係"},
            {"of": "hard", "text": "時間が足りない"},
            {"of": "measures", "text": "連絡票を使う"}
        ]})
    );

    // The table screen shows every saved answer back in its form.
    let screen = app.get(&table).await;
    assert_eq!(screen.status, StatusCode::OK);
    for fragment in [
        "誤嚥性肺炎\n心不全</textarea>",
        r#"name="view" value="back" checked"#,
        r#"<option value="1" selected>痛みや苦しさがない</option>"#,
        r#"name="picks.0.reason" rows="2" maxlength="300" placeholder="選んだ理由">苦しいのはいや</textarea>"#,
        "在宅は早いと考える</textarea>",
        r#"name="reasoning.rating" value="impaired" checked"#,
        r#"<option value="visiting-nurse" selected>"#,
        r#"value="近所の友人""#,
        "連絡票を使う</textarea>",
        // The roster's professions come first in the who list, the rest after.
        r#"<optgroup label="このテーブルの職種"><option value="visiting-nurse" selected>訪問看護師</option><option value="msw" >"#,
    ] {
        assert!(
            screen.body.contains(fragment),
            "table screen lacks {fragment:?}"
        );
    }
    // One form per prompt, each with its hidden prompt and base.
    for key in [BOX, SHEET, GRID, RANK, MAP, CAP, PLAN, THREE] {
        assert!(screen.body.contains(&format!(
            r#"<input type="hidden" name="prompt" value="{key}">"#
        )));
    }
    assert_eq!(screen.body.matches(r#"class="answer-form""#).count(), 8);
}

#[tokio::test]
async fn scene_prompts_know_the_case_people() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["care-manager"]).await;
    app.goto(&facilitator, 0).await;
    let screen = app.get(&table).await;
    for fragment in [
        "<legend>本人（佐藤 一子（仮名））</legend>",
        "<legend>長男（佐藤 太郎（仮名））</legend>",
        "<legend>長女</legend>",
        "<legend>訪問看護師</legend>",
        r#"value="profession:physician-clinic""#,
        "<legend>長男の視点</legend>",
        r#"<option value="family:1" >長女</option>"#,
    ] {
        assert!(screen.body.contains(fragment), "scene lacks {fragment:?}");
    }
    let map = save(
        &app,
        &table,
        "case:all-kinds:k1-map",
        &[
            ("entries.0.who", "family:0"),
            ("entries.0.wants", "できる治療をすべて"),
            ("entries.1.who", "profession:care-manager"),
            ("entries.1.fears", "介護負担"),
        ],
    )
    .await;
    assert_eq!(map.status, StatusCode::SEE_OTHER, "{}", map.body);
    let plan = save(
        &app,
        &table,
        "case:all-kinds:k1-plan",
        &[("rows.0.who", "family:1"), ("rows.0.what", "週末に来る")],
    )
    .await;
    assert_eq!(plan.status, StatusCode::SEE_OTHER, "{}", plan.body);
    // A key the case does not have is refused.
    let stranger = save(
        &app,
        &table,
        "case:all-kinds:k1-map",
        &[("entries.0.who", "family:7"), ("entries.0.wants", "x")],
    )
    .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        stranger.body.contains("この問いにいない人"),
        "{}",
        stranger.body
    );
    let answers = stored(&app, &session_id, 1);
    assert_eq!(
        answers["case:all-kinds:k1-map"]["entries"][1]["who"],
        "profession:care-manager"
    );
    assert_eq!(
        answers["case:all-kinds:k1-plan"]["rows"][0]["who"],
        "family:1"
    );
    let record = app.get(&format!("/s/{session_id}/record")).await;
    assert!(
        record.body.contains("長男（佐藤 太郎（仮名））"),
        "{}",
        record.body
    );
    assert!(record.body.contains("<td>長女</td><td>週末に来る</td>"));
}

/// POST with the English cookie.
async fn post_en(app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> (StatusCode, String) {
    let page = app.post_with(path, pairs, &[("cookie", "lang=en")]).await;
    (page.status, page.body)
}

/// A refused form: the prompt, the fields, the status and a fragment of the message.
type Refusal<'a> = (&'a str, Vec<(String, String)>, StatusCode, &'a str);

#[tokio::test]
async fn malformed_structured_answers_are_refused_with_a_clear_message() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "4").await;
    let mut tables = Vec::new();
    for n in ["1", "2", "3", "4"] {
        tables.push(app.join(&code, n, &["pharmacist"]).await);
    }
    app.goto(&facilitator, 1).await;
    let long = "あ".repeat(301);
    let many = "項目\n".repeat(31);
    let sheet_long = "い".repeat(1001);
    let mut cases: Vec<Refusal> = Vec::new();
    let own = |fields: &[(&str, &str)]| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let boxes = |m: &str| -> Vec<(String, String)> {
        four_box(m, "")
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    // Wrong fields: one box missing, an unknown field, a field twice.
    cases.push((
        BOX,
        boxes("a")[..3].to_vec(),
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    let mut extra = boxes("a");
    extra.push(("notes".into(), "x".into()));
    cases.push((
        BOX,
        extra,
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    // Limits: items per box and characters per item, never cut silently.
    cases.push((
        BOX,
        boxes(&many),
        unprocessable,
        "「医学的適応」が31個あります",
    ));
    cases.push((
        BOX,
        boxes(&long),
        StatusCode::PAYLOAD_TOO_LARGE,
        "「医学的適応」に301文字",
    ));
    let mut sheet = own(&[
        ("view", "sideways"),
        ("medical", ""),
        ("person", ""),
        ("family", ""),
        ("best", ""),
        ("family_care", ""),
        ("next", ""),
    ]);
    cases.push((
        SHEET,
        sheet.clone(),
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    sheet[0].1 = "forward".into();
    sheet[1].1 = sheet_long.clone();
    cases.push((SHEET, sheet, StatusCode::PAYLOAD_TOO_LARGE, "1001文字"));
    // Decision table: weights 1–5, a leaning among the options, both views complete.
    let mut weight = grid("b", ["", "", "", ""], "");
    weight[2].1 = "6".into();
    cases.push((GRID, weight, unprocessable, "1から5までの中から"));
    let leaning = grid("b", ["", "", "", ""], "5");
    cases.push((GRID, leaning, unprocessable, "この問いの選択肢にないもの"));
    let half: Vec<_> = grid("b", ["", "", "", ""], "")
        .into_iter()
        .filter(|(k, _)| !k.starts_with("family."))
        .collect();
    cases.push((
        GRID,
        half,
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    let mut beyond = grid("b", ["", "", "", ""], "");
    beyond.push(("person.2.benefits".into(), "三つ目".into()));
    cases.push((
        GRID,
        beyond,
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    // Values: known cards, each once, at most `top`, no reason without a card.
    cases.push((
        RANK,
        own(&[("picks.0.card", "9")]),
        unprocessable,
        "カードの一覧にない",
    ));
    cases.push((
        RANK,
        own(&[("picks.0.card", "1"), ("picks.1.card", "1")]),
        unprocessable,
        "同じカードが2回",
    ));
    cases.push((
        RANK,
        own(&[("picks.3.card", "0")]),
        unprocessable,
        "選べるカードは3枚まで",
    ));
    cases.push((
        RANK,
        own(&[("picks.1.card", ""), ("picks.1.reason", "大事")]),
        unprocessable,
        "2位に理由が書かれています",
    ));
    // Stakeholders: known people, once each.
    cases.push((
        MAP,
        own(&[("entries.0.who", "item:9"), ("entries.0.wants", "x")]),
        unprocessable,
        "この問いにいない人",
    ));
    cases.push((
        MAP,
        own(&[
            ("entries.0.who", "item:0"),
            ("entries.0.wants", "x"),
            ("entries.1.who", "item:0"),
            ("entries.1.fears", "y"),
        ]),
        unprocessable,
        "同じ人が2回",
    ));
    let mut rating = own(&[
        ("understanding.rating", "great"),
        ("understanding.evidence", ""),
        ("appreciation.evidence", ""),
        ("reasoning.evidence", ""),
        ("expressing.evidence", ""),
    ]);
    cases.push((
        CAP,
        rating.clone(),
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    rating[0].1 = "kept".into();
    rating[1].1 = "あ".repeat(1001);
    cases.push((
        CAP,
        rating,
        StatusCode::PAYLOAD_TOO_LARGE,
        "「根拠（場面から）」に1001文字",
    ));
    // Action plan: who and what, a known who, at most 30 rows.
    cases.push((
        PLAN,
        own(&[("rows.0.who", ""), ("rows.0.what", "訪問する")]),
        unprocessable,
        "1行目には「誰が」と「何を」",
    ));
    cases.push((
        PLAN,
        own(&[("rows.0.who", "astronaut"), ("rows.0.what", "x")]),
        unprocessable,
        "この問いにいない人",
    ));
    cases.push((
        PLAN,
        own(&[("rows.30.who", "msw"), ("rows.30.what", "x")]),
        unprocessable,
        "「行動計画」が31個あります",
    ));
    cases.push((
        PLAN,
        own(&[
            ("rows.2.who", "msw"),
            ("rows.2.who_other", "友人"),
            ("rows.2.what", "x"),
        ]),
        unprocessable,
        "3行目は、「誰が」を一覧から選ぶか名前を書くか",
    ));
    cases.push((
        THREE,
        own(&[("lists.0.of", "worked"), ("lists.0.heading", "b")]),
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    cases.push((
        THREE,
        own(&[("lists.0.of", "no-such-heading"), ("lists.0.text", "b")]),
        unprocessable,
        "送られた内容を読み取れませんでした",
    ));
    cases.push((
        THREE,
        own(&[
            ("lists.3.heading", "地域の課題"),
            ("lists.3.text", "a"),
            ("lists.4.heading", "地域の課題"),
            ("lists.4.text", "b"),
        ]),
        unprocessable,
        "見出し「地域の課題」が二つあります",
    ));
    cases.push((
        THREE,
        own(&[
            ("lists.3.heading", ""),
            ("lists.3.text", "見出しのない内容"),
        ]),
        unprocessable,
        "1番目の欄には内容がありますが見出しがありません",
    ));

    for (n, (prompt, fields, status, message)) in cases.iter().enumerate() {
        // Spread over the tables: the save limiter allows a burst of 20 per table.
        let table = &tables[n % tables.len()];
        let page = save(&app, table, prompt, &pairs(fields)).await;
        assert_eq!(page.status, *status, "case {n} {prompt}: {}", page.body);
        assert!(
            page.body.contains(message),
            "case {n} {prompt} lacks {message:?}: {}",
            page.body
        );
    }
    // Nothing was stored.
    for number in 1..=4 {
        assert!(stored(&app, &session_id, number).is_empty());
    }
    // What was typed is shown back, and the message speaks the user's language.
    let typed = save(
        &app,
        &tables[0],
        PLAN,
        &[
            ("rows.0.who", ""),
            ("rows.0.what", "退院前に自宅を訪問する"),
        ],
    )
    .await;
    assert!(
        typed.body.contains("退院前に自宅を訪問する</textarea>"),
        "{}",
        typed.body
    );
    let (status, body) = post_en(
        &app,
        &format!("{}/answer", tables[1]),
        &pairs(
            &[("prompt".to_string(), BOX.to_string())]
                .into_iter()
                .chain([("base".to_string(), "0".to_string())])
                .chain(boxes(&long))
                .collect::<Vec<_>>(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body.contains("“Medical indications” has 301 characters; the limit is 300"),
        "{body}"
    );
}

/// Two tables answer the comparable kinds; the facilitator and the record show each
/// table's structure and the comparison of all tables.
#[tokio::test]
async fn structures_and_comparisons_render_on_the_facilitator_view_and_the_record() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "2").await;
    let t1 = app.join(&code, "1", &["visiting-nurse"]).await;
    let t2 = app.join(&code, "2", &["care-manager"]).await;
    app.goto(&facilitator, 1).await;
    for (table, medical, ranks, who, what) in [
        (
            &t1,
            "誤嚥性肺炎",
            ["1", "0", "2"],
            "visiting-nurse",
            "訪問を増やす",
        ),
        (
            &t2,
            "<script>alert(1)</script>",
            ["1", "3", ""],
            "care-manager",
            "担当者会議を開く",
        ),
    ] {
        let fields: Vec<(String, String)> = four_box(medical, "長男が反対")
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(
            save(&app, table, BOX, &pairs(&fields)).await.status,
            StatusCode::SEE_OTHER
        );
        let rank: Vec<(String, String)> = ranks
            .iter()
            .enumerate()
            .map(|(r, c)| (format!("picks.{r}.card"), c.to_string()))
            .collect();
        assert_eq!(
            save(&app, table, RANK, &pairs(&rank)).await.status,
            StatusCode::SEE_OTHER
        );
        let plan = [
            ("rows.0.who", who),
            ("rows.0.what", what),
            ("rows.1.who", "patient"),
            ("rows.1.what", "思いを話す"),
        ];
        assert_eq!(
            save(&app, table, PLAN, &plan).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let g = grid("栄養", ["yes", "yes", "no", "yes"], "0");
    assert_eq!(
        save(&app, &t1, GRID, &pairs(&g)).await.status,
        StatusCode::SEE_OTHER
    );
    let map = [
        ("entries.0.who", "item:1"),
        ("entries.0.dissent", "胃ろうには反対"),
    ];
    assert_eq!(
        save(&app, &t2, MAP, &map).await.status,
        StatusCode::SEE_OTHER
    );

    let fac = app.get(&facilitator).await;
    let record = app.get(&format!("/s/{session_id}/record")).await;
    for page in [&fac, &record] {
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for fragment in [
            // Each table's four boxes as a 2×2 grid, and all tables box by box.
            r#"<div class="four-box">"#,
            "4分割表：欄ごとに全テーブルを並べる",
            r#"<p class="tname">テーブル2</p><ul><li>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</li></ul>"#,
            // The decision table with its SURE flag.
            r#"<span class="tag conflict">葛藤あり</span>"#,
            "SURE 3&#x2f;4",
            "比較表：選択肢ごとに全テーブルの利点と欠点",
            "テーブル1・本人",
            // Ranked cards and the tally: 痛み first twice = 3 + 3.
            r#"<ol class="ranking">"#,
            "価値観カードの集計（2テーブル）",
            r#"<td>痛みや苦しさがない</td>"#,
            r#"value="6">6</meter>"#,
            // Action plans grouped by who, the person first.
            "行動計画：全テーブルを「誰が」ごとにまとめる",
            r#"<h4>本人</h4>"#,
            r#"<span class="tname">テーブル2</span> 担当者会議を開く"#,
            // Dissent is shown, not hidden.
            r#"<p class="dissent"><strong>異論・意見の違い:</strong> <span class="answer-text">胃ろうには反対</span></p>"#,
        ] {
            assert!(page.body.contains(fragment), "page lacks {fragment:?}");
        }
        assert!(!page.body.contains("<script>alert"), "answers are escaped");
        let person = page.body.find("<h4>本人</h4>").expect("person group");
        let nurse = page.body.find("<h4>訪問看護師</h4>").expect("nurse group");
        let manager = page
            .body
            .find("<h4>介護支援専門員（ケアマネジャー）</h4>")
            .expect("manager group");
        assert!(
            person < nurse && nurse < manager,
            "groups: people, then professions in order"
        );
    }
    // The table screen shows its own saved structure when the session is closed.
    let closed = app
        .post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let screen = app.get(&t1).await;
    assert!(
        screen.body.contains(r#"<div class="four-box">"#),
        "{}",
        screen.body
    );
    assert!(
        screen
            .body
            .contains("<td>訪問看護師</td><td>訪問を増やす</td>")
    );
    // Labels follow the UI language.
    let english = app.get_en(&format!("/s/{session_id}/record")).await;
    for fragment in [
        "Medical indications",
        "Decisional conflict",
        "grouped by who",
    ] {
        assert!(
            english.body.contains(fragment),
            "English record lacks {fragment:?}"
        );
    }
}

#[tokio::test]
async fn a_conflicting_structured_save_shows_both_and_can_be_resent() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["dietitian"]).await;
    app.goto(&facilitator, 1).await;
    let first: Vec<(String, String)> = four_box("端末Aの項目", "")
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert_eq!(
        save(&app, &table, BOX, &pairs(&first)).await.status,
        StatusCode::SEE_OTHER
    );
    let second: Vec<(String, String)> = four_box("端末Bの項目", "")
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let conflict = save(&app, &table, BOX, &pairs(&second)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.body.contains("<li>端末Aの項目</li>")
            && conflict.body.contains("<li>端末Bの項目</li>"),
        "{}",
        conflict.body
    );
    assert!(
        conflict
            .body
            .contains(r#"<input type="hidden" name="medical" value="端末Bの項目">"#)
    );
    // The page's form re-sends this device's answer on top of the saved version.
    let resent = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", BOX),
                ("base", "1"),
                ("medical", "端末Bの項目"),
                ("preferences", "家で過ごしたい"),
                ("quality", ""),
                ("context", ""),
            ],
        )
        .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored(&app, &session_id, 1)[BOX]["medical"],
        json!(["端末Bの項目"])
    );
}

/// The conflict reply's text of the saved answer is labelled in the user's language
/// (it was always Japanese): an English user sees English box labels, on the page and in
/// the autosave's JSON.
#[tokio::test]
async fn an_english_user_sees_a_conflict_in_english() {
    let app = TestApp::new();
    let (facilitator, code, _) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["dietitian"]).await;
    app.goto(&facilitator, 1).await;
    let form = |medical: &str| {
        let mut out = vec![("prompt".to_string(), BOX.to_string())];
        out.push(("base".into(), "0".into()));
        out.extend(
            four_box(medical, "")
                .into_iter()
                .map(|(k, v)| (k.to_string(), v)),
        );
        out
    };
    let english = [("cookie", "lang=en")];
    let first = form("端末Aの項目");
    let saved = app
        .post_with(&format!("{table}/answer"), &pairs(&first), &english)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let second = form("端末Bの項目");
    let json = app
        .post_with(
            &format!("{table}/answer"),
            &pairs(&second),
            &[("cookie", "lang=en"), ("accept", "application/json")],
        )
        .await;
    assert_eq!(json.status, StatusCode::CONFLICT, "{}", json.body);
    let reply: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    let theirs = reply["theirs"].as_str().expect("their text");
    assert!(
        theirs.contains("Medical indications") && theirs.contains("端末Aの項目"),
        "{theirs}"
    );
    assert!(!theirs.contains("医学的適応"), "{theirs}");
    let page = app
        .post_with(&format!("{table}/answer"), &pairs(&second), &english)
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body.contains("Medical indications") && !page.body.contains("医学的適応"),
        "{}",
        page.body
    );
}

/// Live updates redraw a facilitator cell from `cell.html` without a page language:
/// every structured view must render there too.
#[test]
fn live_cells_render_every_structured_kind() {
    let app = TestApp::new();
    let library = app.state.library();
    let curriculum = &library.curricula["kinds"];
    let prompts = &curriculum.steps[1].prompts;
    let case = &library.cases["all-kinds"];
    let scene_plan = &case.scenes[0].prompts[6];
    let answers = [
        json!({"kind": "four-box", "medical": ["肺炎"], "preferences": [], "quality": [], "context": []}),
        json!({"kind": "conference-sheet", "view": "back", "medical": "", "person": "帰りたい", "family": "", "best": "", "family_care": "", "next": ""}),
        json!({"kind": "decision-table", "views": [
            {"who": "person", "options": [{"benefits": "栄養", "harms": "", "benefit_weight": 2, "harm_weight": null}, {"benefits": "", "harms": "", "benefit_weight": null, "harm_weight": null}], "leaning": 0, "sure": [false, true, true, true]},
            {"who": "family", "options": [{"benefits": "", "harms": "", "benefit_weight": null, "harm_weight": null}, {"benefits": "", "harms": "", "benefit_weight": null, "harm_weight": null}], "leaning": null, "sure": [null, null, null, null]}
        ]}),
        json!({"kind": "values-ranking", "picks": [{"card": 3, "reason": "自分で"}]}),
        json!({"kind": "stakeholder-map", "entries": [{"who": "item:2", "wants": "", "fears": "", "dissent": "反対"}]}),
        json!({"kind": "capacity-check", "items": {
            "understanding": {"rating": "kept", "evidence": ""}, "appreciation": {"rating": null, "evidence": ""},
            "reasoning": {"rating": null, "evidence": ""}, "expressing": {"rating": "unknown", "evidence": "黙っている"}}}),
        json!({"kind": "action-plan", "rows": [{"who": "dietitian", "what": "食形態の工夫", "when": "来週"}]}),
        json!({"kind": "three-field", "lists": [{"of": "worked", "text": "連携"}]}),
    ];
    let expected = [
        "<li>肺炎</li>",
        "本人はどう思っていたか",
        "葛藤あり",
        "最期まで自分で決める",
        "反対",
        "判断できない",
        "<td>管理栄養士</td><td>食形態の工夫</td><td>来週</td>",
        "特に効果があった取り組み",
    ];
    for ((prompt, answer), fragment) in prompts.iter().zip(&answers).zip(expected) {
        let html = app
            .state
            .templates
            .fragment(
                "cell.html",
                minijinja::context! {
                    prompt => acp_workbook::render::to_value(prompt),
                    answer => acp_workbook::render::to_value(answer),
                    saved_at => 0,
                    version => 1,
                },
            )
            .unwrap_or_else(|e| panic!("{}: {e:?}", prompt.id));
        assert!(html.contains(fragment), "{}: {html}", prompt.id);
    }
    let html = app
        .state
        .templates
        .fragment(
            "cell.html",
            minijinja::context! {
                prompt => acp_workbook::render::to_value(scene_plan),
                answer => acp_workbook::render::to_value(&json!({"kind": "action-plan", "rows": [{"who": "family:0", "what": "話し合う", "when": ""}]})),
                saved_at => 0,
                version => 1,
            },
        )
        .expect("scene plan");
    assert!(
        html.contains("<td>長男（佐藤 太郎（仮名））</td>"),
        "{html}"
    );
}

// ---------- three-field reports: headed lists as the group wrote them ----------

/// A table leaves the curriculum's second heading empty and adds a heading of its own;
/// what it left empty (and the empty slot for another heading) is not stored, and every
/// view shows the lists under the headings the table gave them.
#[tokio::test]
async fn a_table_adds_a_heading_of_its_own_and_leaves_one_empty() {
    let _turn = crate::pdf::SLOTS.lock().await;
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["visiting-nurse"]).await;
    app.goto(&facilitator, 1).await;

    // The form: the three curriculum headings, one empty slot of the table's own, the
    // (scripted) add button, and the limit the page and server share.
    let screen = app.get(&table).await;
    for fragment in [
        r#"<input type="hidden" name="lists.0.of" value="worked">"#,
        r#"<input type="hidden" name="lists.2.of" value="measures">"#,
        r#"name="lists.3.heading" value="""#,
        r#"data-own-max="5""#,
        r#"<button type="button" class="add-heading" data-add-heading hidden>見出しを追加</button>"#,
        "グループで付けた見出し",
    ] {
        assert!(screen.body.contains(fragment), "form lacks {fragment:?}");
    }
    assert!(
        !screen.body.contains("lists.4.heading"),
        "one empty slot only"
    );

    let saved = save(
        &app,
        &table,
        THREE,
        &[
            ("lists.0.of", "worked"),
            ("lists.0.text", "顔の見える関係"),
            ("lists.1.of", "hard"),
            ("lists.1.text", "  "),
            ("lists.2.of", "measures"),
            ("lists.2.text", "連絡票を使う"),
            ("lists.3.heading", "【地域の課題】"),
            ("lists.3.text", "・独居の人が多い\n・夜間の連絡先"),
            // A slot the table added and left empty.
            ("lists.4.heading", ""),
            ("lists.4.text", ""),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        stored(&app, &session_id, 1)[THREE],
        json!({"kind": "three-field", "lists": [
            {"of": "worked", "text": "顔の見える関係"},
            {"of": "measures", "text": "連絡票を使う"},
            {"heading": "【地域の課題】", "text": "・独居の人が多い\n・夜間の連絡先"}
        ]})
    );

    // The table screen shows its heading back in its slot, and a new empty slot after it.
    let screen = app.get(&table).await;
    assert!(
        screen
            .body
            .contains(r#"name="lists.3.heading" value="【地域の課題】""#),
        "{}",
        screen.body
    );
    assert!(
        screen
            .body
            .contains("・独居の人が多い\n・夜間の連絡先</textarea>")
    );
    assert!(screen.body.contains(r#"name="lists.4.heading" value="""#));

    // The facilitator's view (the wall) and the table's detail show the own heading
    // with its text; the heading left empty is not shown.
    let fac = app.get(&facilitator).await;
    let detail = app.get(&format!("{facilitator}/tables/1?fragment=1")).await;
    for page in [&fac, &detail] {
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<h4>【地域の課題】</h4>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<h4>特に効果があった取り組み</h4>"));
        assert!(
            !page.body.contains("<h4>苦労した点</h4>"),
            "empty heading shown"
        );
    }

    // The table's record PDF prints the lists it wrote, own heading included, and not
    // the empty one.
    let (status, _, _, bytes) =
        crate::pdf::fetch(&app, &format!("{table}/record.pdf"), false).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = crate::pdf::pdftotext(&bytes) {
        assert!(text.contains("【地域の課題】"), "{text}");
        assert!(text.contains("夜間の連絡先"), "{text}");
        assert!(text.contains("特に効果があった取り組み"), "{text}");
        assert!(!text.contains("苦労した点"), "{text}");
    }
}

/// A heading typed before its text is kept (a reload never loses it); a heading twice,
/// a sixth heading of the table's own, a heading too long or one that repeats a
/// curriculum heading are refused with the reason, and nothing saved is lost.
#[tokio::test]
async fn own_headings_have_limits_with_clear_messages() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "3").await;
    let t1 = app.join(&code, "1", &["visiting-nurse"]).await;
    let t2 = app.join(&code, "2", &["msw"]).await;
    let t3 = app.join(&code, "3", &["dietitian"]).await;
    app.goto(&facilitator, 1).await;

    // Typed the heading, not yet its text: saved as it is, shown back.
    let saved = save(
        &app,
        &t1,
        THREE,
        &[("lists.3.heading", "今後に向けて"), ("lists.3.text", "")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        stored(&app, &session_id, 1)[THREE]["lists"],
        json!([{"heading": "今後に向けて", "text": ""}])
    );
    assert!(
        app.get(&t1)
            .await
            .body
            .contains(r#"name="lists.3.heading" value="今後に向けて""#)
    );

    // Five headings of the table's own: saved, and the page offers no sixth slot.
    let five: Vec<(String, String)> = (0..5)
        .flat_map(|k| {
            [
                (format!("lists.{}.heading", 3 + k), format!("見出し{k}")),
                (format!("lists.{}.text", 3 + k), format!("内容{k}")),
            ]
        })
        .collect();
    let saved = save(&app, &t2, THREE, &pairs(&five)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let screen = app.get(&t2).await;
    assert!(
        screen
            .body
            .contains(r#"name="lists.7.heading" value="見出し4""#)
    );
    assert!(!screen.body.contains("lists.8.heading"), "no sixth slot");

    let long = "長".repeat(61);
    let mut six = five.clone();
    six.push(("lists.8.heading".into(), "見出し5".into()));
    six.push(("lists.8.text".into(), "内容5".into()));
    let (unprocessable, too_long) = (
        StatusCode::UNPROCESSABLE_ENTITY,
        StatusCode::PAYLOAD_TOO_LARGE,
    );
    type Fields = Vec<(String, String)>;
    let cases: Vec<(Fields, StatusCode, &str)> = vec![
        (
            six,
            unprocessable,
            "グループで付けられる見出しは5つまでです",
        ),
        (
            vec![
                ("lists.3.heading".into(), long.clone()),
                ("lists.3.text".into(), "a".into()),
            ],
            too_long,
            "「グループで付けた見出し」に61文字書かれています。60文字まで",
        ),
        (
            vec![
                ("lists.3.heading".into(), "地域の課題".into()),
                ("lists.3.text".into(), "a".into()),
                ("lists.4.heading".into(), "地域の課題".into()),
                ("lists.4.text".into(), "b".into()),
            ],
            unprocessable,
            "見出し「地域の課題」が二つあります",
        ),
        // The words of a curriculum heading typed as a heading of the table's own.
        (
            vec![
                ("lists.1.of".into(), "hard".into()),
                ("lists.1.text".into(), "a".into()),
                ("lists.3.heading".into(), "苦労した点".into()),
                ("lists.3.text".into(), "b".into()),
            ],
            unprocessable,
            "見出し「苦労した点」が二つあります",
        ),
    ];
    for (fields, status, message) in &cases {
        let refused = save(&app, &t3, THREE, &pairs(fields)).await;
        assert_eq!(refused.status, *status, "{fields:?}: {}", refused.body);
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
    }
    assert!(
        !stored(&app, &session_id, 3).contains_key(THREE),
        "nothing refused was stored"
    );
    // Table 2's five headings are untouched by table 3's refusals.
    assert_eq!(
        stored(&app, &session_id, 2)[THREE]["lists"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
}

/// A conflicting save of a report with a heading of the table's own shows both, and
/// the conflict page re-sends the table's own heading with its text.
#[tokio::test]
async fn a_conflicting_report_keeps_the_tables_own_heading() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["visiting-nurse"]).await;
    app.goto(&facilitator, 1).await;
    let first = save(
        &app,
        &table,
        THREE,
        &[("lists.0.of", "worked"), ("lists.0.text", "端末Aの内容")],
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let conflict = save(
        &app,
        &table,
        THREE,
        &[
            ("lists.3.heading", "端末Bの見出し"),
            ("lists.3.text", "端末Bの内容"),
        ],
    )
    .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.body.contains("<h4>端末Bの見出し</h4>"),
        "{}",
        conflict.body
    );
    for hidden in [
        r#"<input type="hidden" name="lists.0.heading" value="端末Bの見出し">"#,
        r#"<input type="hidden" name="lists.0.text" value="端末Bの内容">"#,
    ] {
        assert!(
            conflict.body.contains(hidden),
            "{hidden}: {}",
            conflict.body
        );
    }
    let resent = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", THREE),
                ("base", "1"),
                ("lists.0.heading", "端末Bの見出し"),
                ("lists.0.text", "端末Bの内容"),
            ],
        )
        .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER, "{}", resent.body);
    assert_eq!(
        stored(&app, &session_id, 1)[THREE]["lists"],
        json!([{"heading": "端末Bの見出し", "text": "端末Bの内容"}])
    );
}

/// A curriculum that names its report's headings: the table screen, the saved answer
/// and the blank workbook use them, with a box for the group's own heading on paper.
#[tokio::test]
async fn a_curriculum_names_its_report_headings() {
    let _turn = crate::pdf::SLOTS.lock().await;
    let dir = crate::helpers::fixture_copy();
    let path = dir.path().join(CURRICULUM);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let from = "## 3項目の報告 {#gw-three kind=three-field}\n";
    assert!(text.contains(from));
    std::fs::write(
        &path,
        text.replacen(
            from,
            &format!("{from}\n話し合ったことを書きます。\n\n- 【効果のあった取り組み】 {{#worked}}\n- 【今後の具体的方策】\n- 市への要望\n"),
            1,
        ),
    )
    .expect("write");
    let app = TestApp::with(
        acp_workbook::db::Db::open_in_memory().expect("db"),
        dir.path(),
    );
    let (facilitator, code, session_id) = kinds_session(&app, "1").await;
    let table = app.join(&code, "1", &["visiting-nurse"]).await;
    app.goto(&facilitator, 1).await;
    let screen = app.get(&table).await;
    for fragment in [
        r#"<input type="hidden" name="lists.0.of" value="worked">"#,
        ">【効果のあった取り組み】</label>",
        r#"<input type="hidden" name="lists.1.of" value="h2">"#,
        ">【今後の具体的方策】</label>",
        r#"<input type="hidden" name="lists.2.of" value="h3">"#,
        ">市への要望</label>",
        r#"name="lists.3.heading" value="""#,
    ] {
        assert!(screen.body.contains(fragment), "form lacks {fragment:?}");
    }
    assert!(!screen.body.contains("苦労した点"), "no default heading");
    let saved = save(
        &app,
        &table,
        THREE,
        &[
            ("lists.1.of", "h2"),
            ("lists.1.text", "連絡票を使う"),
            ("lists.3.heading", "そのほか"),
            ("lists.3.text", "年2回集まる"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        stored(&app, &session_id, 1)[THREE]["lists"],
        json!([{"of": "h2", "text": "連絡票を使う"}, {"heading": "そのほか", "text": "年2回集まる"}])
    );
    // A heading of the old defaults is not one of this prompt's.
    let refused = save(
        &app,
        &table,
        THREE,
        &[("lists.0.of", "hard"), ("lists.0.text", "a")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _, _, bytes) =
        crate::pdf::fetch(&app, "/curricula/kinds/programme.pdf", true).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = crate::pdf::pdftotext(&bytes) {
        // The prompt's box: its headings in order, then the group's own.
        let at = text.find("【効果のあった取り組み】").expect(&text);
        let form = &text[at..];
        let form = &form[..form.find("（グループで付けた見出し）").expect(form)];
        let next = form.find("【今後の具体的方策】").expect(form);
        assert!(form[next..].contains("市への要望"), "{form}");
        assert!(!form.contains("苦労した点"), "{form}");
    }
}
