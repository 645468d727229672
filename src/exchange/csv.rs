//! A session's conclusions as CSV that Excel opens as it is: UTF-8 with a byte-order
//! mark, CRLF line ends, one row per field of each table's newest answer (the four
//! boxes are four rows, a decision table a row per option, view and side…), labels in
//! the curriculum's language. The same columns serve one table and all tables.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::answer::AnswerField;
use crate::db::DbError;
use crate::db::{conclusions, conclusions::ConclusionRow, tables, tables::TableRow};
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

/// What makes Excel open a UTF-8 file as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    let lang = if run.curriculum.language == "en" {
        "en"
    } else {
        "ja"
    };
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

    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    // Writing to a Vec cannot fail.
    let _ = out.write_record(COLUMNS.iter().map(|k| t(k)));
    for (number, c) in rows {
        let step = run.step(c.step_index);
        let found = run.prompt(&c.prompt_key);
        let scene = match found {
            Some((_, PromptPlace::Scene(_, scene))) => scene.title.clone(),
            _ => String::new(),
        };
        let prompt_title = found.map(|(p, _)| p.title.clone()).unwrap_or_default();
        for field in fields(run, c, lang) {
            let _ = out.write_record([
                number.to_string(),
                (c.step_index + 1).to_string(),
                text_cell(step.map_or("", |s| s.title.as_str())),
                text_cell(&scene),
                text_cell(&c.prompt_key),
                text_cell(&prompt_title),
                text_cell(&field.label),
                text_cell(&field.text),
                c.version.to_string(),
                crate::workbook::datetime(c.saved_at),
            ]);
        }
    }
    out.into_inner().unwrap_or_default()
}

/// The fields of one saved answer; an answer that does not fit its prompt (saved under
/// an older version of it, or to a prompt the content no longer has) is given as its
/// stored JSON, never left out.
fn fields(run: &Run, c: &ConclusionRow, lang: &str) -> Vec<AnswerField> {
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
    let mut fields = answer.fields_in(prompt, crate::lang::Lang::from_code(lang));
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

/// Text for a cell. A cell starting with `=`, `+`, `-` or `@` would be run as a formula
/// by Excel (a table could type `=HYPERLINK(…)`), so it gets a leading `'`, which Excel
/// shows as text.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_kept_as_text() {
        assert_eq!(text_cell("=1+1"), "'=1+1");
        assert_eq!(text_cell("-2"), "'-2");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("本人の思い = 家"), "本人の思い = 家");
        assert_eq!(text_cell(""), "");
    }
}
