//! A session's conclusions as CSV that Excel opens as it is: UTF-8 with a byte-order
//! mark, CRLF line ends, one row per field of each table's newest answer (the four
//! boxes are four rows, a decision table a row per option, view and side…), labels in
//! the curriculum's language. The same columns serve one table and all tables.
//! Written by [`crate::text::csv`], which keeps a typed `=…` from running as a formula.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::answer::AnswerField;
use crate::db::DbError;
use crate::db::{conclusions, conclusions::ConclusionRow, tables, tables::TableRow};
use crate::lang::Lang;
use crate::session::{PromptPlace, Run, scene_prompt_key, step_prompt_key};

/// The column headers, as i18n keys, in order.
pub const COLUMNS: [&str; 10] = [
    "exchange.csv.table",
    "exchange.csv.step",
    "exchange.csv.step_title",
    "exchange.csv.scene",
    "exchange.csv.prompt_id",
    "exchange.csv.prompt",
    "exchange.csv.field",
    "exchange.csv.text",
    "exchange.csv.version",
    "exchange.csv.saved_at",
];

/// Reads the newest conclusions of `run`'s session and writes them as CSV; only table
/// `table` if given. `None` if the session has no such table.
pub fn conclusions_csv(
    conn: &Connection,
    run: &Run,
    table: Option<i64>,
) -> Result<Option<Vec<u8>>, DbError> {
    let tables = tables::tables(conn, &run.session.id)?;
    if let Some(n) = table
        && !tables.iter().any(|t| t.number == n)
    {
        return Ok(None);
    }
    let conclusions = conclusions::latest_conclusions(conn, &run.session.id)?;
    Ok(Some(write(run, &tables, &conclusions, table)))
}

/// The CSV of the given conclusions (of all tables, or of table `only`).
pub fn write(
    run: &Run,
    tables: &[TableRow],
    conclusions: &[ConclusionRow],
    only: Option<i64>,
) -> Vec<u8> {
    let lang = run.curriculum.language;
    let t = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
    let number_of: HashMap<i64, i64> = tables.iter().map(|t| (t.id, t.number)).collect();
    let order = prompt_order(run);
    let mut rows: Vec<(i64, &ConclusionRow)> = conclusions
        .iter()
        .filter_map(|c| number_of.get(&c.table_id).map(|n| (*n, c)))
        .filter(|(n, _)| only.is_none_or(|o| o == *n))
        .collect();
    rows.sort_by_key(|(n, c)| {
        (
            *n,
            c.step_index,
            order.get(&c.prompt_key).copied().unwrap_or(usize::MAX),
            c.prompt_key.clone(),
        )
    });

    let mut out = crate::text::csv::Writer::new();
    out.row(COLUMNS.iter().map(|k| t(k)));
    for (number, c) in rows {
        let step = run.step(c.step_index);
        let found = run.prompt(&c.prompt_key);
        let scene = match found {
            Some((_, PromptPlace::Scene(_, scene))) => scene.title.clone(),
            _ => String::new(),
        };
        let prompt_title = found.map(|(p, _)| p.title.clone()).unwrap_or_default();
        for field in fields(run, c, lang) {
            out.row([
                number.to_string(),
                (c.step_index + 1).to_string(),
                step.map_or("", |s| s.title.as_str()).to_string(),
                scene.clone(),
                c.prompt_key.clone(),
                prompt_title.clone(),
                field.label,
                field.text,
                c.version.to_string(),
                crate::text::time::datetime(c.saved_at),
            ]);
        }
    }
    out.finish()
}

/// The fields of one saved answer; an answer that does not fit its prompt (saved under
/// an older version of it, or to a prompt the content no longer has) is given as its
/// stored JSON, never left out.
fn fields(run: &Run, c: &ConclusionRow, lang: Lang) -> Vec<AnswerField> {
    let as_stored = || {
        vec![AnswerField {
            label: crate::i18n::text(lang, "pdf.record.other_shape")
                .unwrap_or_default()
                .to_string(),
            text: c.answer.to_json().unwrap_or_else(|e| e.to_string()),
        }]
    };
    let Some((prompt, _)) = run.prompt(&c.prompt_key) else {
        return as_stored();
    };
    let Some(answer) = c.answer.fitting(prompt) else {
        return as_stored();
    };
    let mut fields = answer.fields_in(prompt, lang);
    if fields.is_empty() {
        // An empty list (no card ranked, no plan row): the table still saved it.
        fields.push(AnswerField {
            label: String::new(),
            text: String::new(),
        });
    }
    fields
}

/// The position of every prompt key in the order the session shows them: step by step,
/// a case walk's scenes in the case's order.
fn prompt_order(run: &Run) -> HashMap<String, usize> {
    let mut order = HashMap::new();
    for step in &run.curriculum.steps {
        for prompt in &step.prompts {
            let n = order.len();
            order
                .entry(step_prompt_key(&run.curriculum, prompt))
                .or_insert(n);
        }
        if let Some(case) = run.walk_case(step) {
            for prompt in case.scenes.iter().flat_map(|s| &s.prompts) {
                let n = order.len();
                order.entry(scene_prompt_key(case, prompt)).or_insert(n);
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_kept_as_text() {
        let text_cell = crate::text::csv::guard;
        assert_eq!(text_cell("=1+1"), "'=1+1");
        assert_eq!(text_cell("-2"), "'-2");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("本人の思い = 家"), "本人の思い = 家");
        assert_eq!(text_cell(""), "");
    }

    #[test]
    fn every_text_cell_that_excel_would_run_is_guarded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
        let library = crate::content::Library::load(&dir).expect("the fixtures load");
        let db = crate::db::Db::open_in_memory().expect("the database opens");
        let (run, tables) = db
            .write_blocking(move |conn| {
                let session = crate::workbook::demo::session(conn, &library, "mini", 1, true)
                    .expect("a demo session");
                let tables = tables::tables(conn, &session.id)?;
                let run = crate::workbook::load_run(conn, session).expect("its run");
                Ok((run, tables))
            })
            .expect("setup");
        // Keys the content does not know: each row is written with the stored answer.
        let typed = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"];
        let rows: Vec<ConclusionRow> = typed
            .iter()
            .map(|key| ConclusionRow {
                table_id: tables[0].id,
                prompt_key: key.to_string(),
                version: 1,
                answer: crate::answer::StoredAnswer::Answer(crate::answer::Answer::Text {
                    text: "x".into(),
                }),
                step_index: 0,
                saved_at: 0,
            })
            .collect();
        let bytes = write(&run, &tables, &rows, None);
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        for key in typed {
            let cell = crate::text::csv::guard(key);
            let cell = if cell.contains('\r') {
                format!("\"{cell}\"")
            } else {
                cell.into_owned()
            };
            assert!(cell.starts_with(['\'', '"']), "{cell:?}");
            assert!(text.contains(&format!(",{cell},")), "{key:?} in {text}");
        }
    }
}
