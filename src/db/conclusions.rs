//! Conclusion and visit rows: every saved version of a table's answers (append-only) and the scenes a table walked.

use rusqlite::{Connection, Params, Row, Statement, params};
use serde::Serialize;

use super::events::{append_event, with_device};
use super::tables::TableRow;
use super::{Actor, EventKind};
use super::{DbError, now_ms};
use crate::answer::{Answer, StoredAnswer};

/// The newest version of one table's answer to one prompt.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionRow {
    /// Table row id.
    pub table_id: i64,
    /// Prompt key.
    pub prompt_key: String,
    /// Version number, from 1.
    pub version: i64,
    /// The answer, read once from its stored JSON; JSON of another shape (an older
    /// import) is kept as [`StoredAnswer::Unreadable`] and shown as text.
    pub answer: StoredAnswer,
    /// Step index it was saved in.
    pub step_index: i64,
    /// When it was saved.
    pub saved_at: i64,
}

/// The columns [`conclusion_row`] reads, for a `conclusion c JOIN session_table t`.
const CONCLUSION_COLUMNS: &str =
    "t.session_id, c.table_id, c.prompt_key, c.version, c.answer, c.step_index, c.saved_at";

/// Reads one conclusion row (selected with [`CONCLUSION_COLUMNS`]). A stored answer
/// that is not JSON at all is an error naming the session, table and prompt: no save or
/// import writes one, so the database file was changed by hand or damaged.
pub(crate) fn conclusion_row(row: &Row) -> Result<ConclusionRow, DbError> {
    let text: String = row.get("answer")?;
    let table_id: i64 = row.get("table_id")?;
    let prompt_key: String = row.get("prompt_key")?;
    let version: i64 = row.get("version")?;
    let answer = StoredAnswer::from_json(&text).map_err(|e| {
        let session: String = row.get("session_id").unwrap_or_default();
        DbError::Data(format!(
            "the answer of table row {table_id} to {prompt_key} (version {version}) in \
             session {session} is not JSON ({e}); restore the database from a backup"
        ))
    })?;
    Ok(ConclusionRow {
        table_id,
        prompt_key,
        version,
        answer,
        step_index: row.get("step_index")?,
        saved_at: row.get("saved_at")?,
    })
}

/// Every row of a conclusion query, each read with [`conclusion_row`].
fn conclusion_rows(
    stmt: &mut Statement,
    params: impl Params,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(conclusion_row(row)?);
    }
    Ok(out)
}

/// One scene on a table's path.
#[derive(Debug, Clone, Serialize)]
pub struct VisitRow {
    /// The `session_table` row of the table that walked (an id of this server only).
    pub table_id: i64,
    /// Step index of the case walk.
    pub step_index: i64,
    /// Position on the path, from 0.
    pub seq: i64,
    /// The case file's `id:` (the scene belongs to it).
    pub case_id: String,
    /// The scene's id inside its case.
    pub scene_id: String,
    /// Branch option that led here.
    pub via_option: Option<String>,
    /// When the table entered the scene (ms).
    pub at: i64,
}

pub(crate) fn visit_row(r: &Row) -> rusqlite::Result<VisitRow> {
    Ok(VisitRow {
        table_id: r.get("table_id")?,
        step_index: r.get("step_index")?,
        seq: r.get("seq")?,
        case_id: r.get("case_id")?,
        scene_id: r.get("scene_id")?,
        via_option: r.get("via_option")?,
        at: r.get("at")?,
    })
}

/// The newest version of every conclusion in a session.
pub fn latest_conclusions(
    conn: &Connection,
    session_id: &str,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONCLUSION_COLUMNS}
         FROM conclusion c JOIN session_table t ON t.id = c.table_id
         WHERE t.session_id = ?1
           AND c.version = (SELECT MAX(version) FROM conclusion WHERE table_id = c.table_id AND prompt_key = c.prompt_key)
         ORDER BY t.number, c.prompt_key"
    ))?;
    conclusion_rows(&mut stmt, [session_id])
}

/// The newest version of each of one table's conclusions.
pub fn latest_conclusions_of_table(
    conn: &Connection,
    table_id: i64,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONCLUSION_COLUMNS}
         FROM conclusion c JOIN session_table t ON t.id = c.table_id
         WHERE c.table_id = ?1
           AND c.version = (SELECT MAX(version) FROM conclusion WHERE table_id = c.table_id AND prompt_key = c.prompt_key)
         ORDER BY c.prompt_key"
    ))?;
    conclusion_rows(&mut stmt, [table_id])
}

/// One table's scene visits, in path order.
pub fn visits_of_table(conn: &Connection, table_id: i64) -> Result<Vec<VisitRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT table_id, step_index, seq, case_id, scene_id, via_option, at FROM scene_visit
         WHERE table_id = ?1 ORDER BY step_index, seq",
    )?;
    let rows = stmt
        .query_map([table_id], visit_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every version of one table's answer to one prompt, oldest first.
pub fn conclusion_history(
    conn: &Connection,
    table_id: i64,
    prompt_key: &str,
) -> Result<Vec<ConclusionRow>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONCLUSION_COLUMNS}
         FROM conclusion c JOIN session_table t ON t.id = c.table_id
         WHERE c.table_id = ?1 AND c.prompt_key = ?2 ORDER BY c.version"
    ))?;
    conclusion_rows(&mut stmt, params![table_id, prompt_key])
}

/// The outcome of a save.
#[derive(Debug)]
pub enum SaveOutcome {
    /// Stored as this version.
    Saved(ConclusionRow),
    /// The table's save was based on an older version; nothing was stored.
    Conflict {
        /// The version that is stored now.
        current: ConclusionRow,
    },
}

/// Stores a new version of a conclusion unless it is based on an outdated one.
/// `base_version` is the version the table was editing (0 for a first answer).
pub fn save_conclusion(
    conn: &mut Connection,
    table: &TableRow,
    prompt_key: &str,
    base_version: i64,
    answer: &Answer,
    step_index: i64,
) -> Result<SaveOutcome, DbError> {
    save_conclusion_by(
        conn,
        table,
        prompt_key,
        base_version,
        answer,
        step_index,
        None,
    )
}

/// [`save_conclusion`] from one device of the table (its label goes into the log).
pub fn save_conclusion_by(
    conn: &mut Connection,
    table: &TableRow,
    prompt_key: &str,
    base_version: i64,
    answer: &Answer,
    step_index: i64,
    device: Option<i64>,
) -> Result<SaveOutcome, DbError> {
    let tx = conn.savepoint()?;
    let current = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {CONCLUSION_COLUMNS}
             FROM conclusion c JOIN session_table t ON t.id = c.table_id
             WHERE c.table_id = ?1 AND c.prompt_key = ?2 ORDER BY c.version DESC LIMIT 1"
        ))?;
        conclusion_rows(&mut stmt, params![table.id, prompt_key])?.pop()
    };
    let latest = current.as_ref().map_or(0, |c| c.version);
    if let Some(current) = current {
        if current.version != base_version {
            return Ok(SaveOutcome::Conflict { current });
        }
        if current.answer.answer() == Some(answer) {
            // Saving the same text again (a double click, a retried request) is not a new version.
            return Ok(SaveOutcome::Saved(current));
        }
    }
    let row = ConclusionRow {
        table_id: table.id,
        prompt_key: prompt_key.to_string(),
        version: latest + 1,
        answer: StoredAnswer::Answer(answer.clone()),
        step_index,
        saved_at: now_ms(),
    };
    let json = row.answer.to_json().map_err(|e| {
        DbError::Data(format!(
            "the answer to {prompt_key} cannot be written as JSON: {e}"
        ))
    })?;
    insert_version(
        &tx,
        row.table_id,
        &row.prompt_key,
        row.version,
        &json,
        row.step_index,
        row.saved_at,
    )?;
    append_event(
        &tx,
        &table.session_id,
        Actor::Table,
        Some(table.id),
        EventKind::ConclusionSaved,
        &with_device(
            serde_json::json!({"prompt": prompt_key, "version": row.version}),
            device,
        ),
    )?;
    tx.commit()?;
    Ok(SaveOutcome::Saved(row))
}

/// One answer the organizer typed up, to store as a table's new version.
#[derive(Debug, Clone)]
pub struct TypedAnswer {
    /// The `session_table` row id.
    pub table_id: i64,
    /// The prompt's stored key.
    pub prompt_key: String,
    /// The answer, already checked against its prompt.
    pub answer: Answer,
    /// The index of the prompt's step.
    pub step_index: i64,
}

/// Stores typed-up answers in one transaction, each as a new version on top of what
/// its table has (an answer equal to the stored one makes no new version), logged as
/// the organizer's with `via` (`csv`, `paste`, `cli`). Returns how many were stored
/// and how many were unchanged.
pub fn save_typed_up(
    conn: &mut Connection,
    session_id: &str,
    answers: &[TypedAnswer],
    via: &str,
) -> Result<(usize, usize), DbError> {
    let tx = conn.savepoint()?;
    let (mut saved, mut unchanged) = (0, 0);
    for typed in answers {
        let current = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {CONCLUSION_COLUMNS}
                 FROM conclusion c JOIN session_table t ON t.id = c.table_id
                 WHERE c.table_id = ?1 AND c.prompt_key = ?2 AND t.session_id = ?3
                 ORDER BY c.version DESC LIMIT 1"
            ))?;
            conclusion_rows(
                &mut stmt,
                params![typed.table_id, typed.prompt_key, session_id],
            )?
            .pop()
        };
        if current.as_ref().and_then(|c| c.answer.answer()) == Some(&typed.answer) {
            unchanged += 1;
            continue;
        }
        let version = current.map_or(0, |c| c.version) + 1;
        let json = StoredAnswer::Answer(typed.answer.clone())
            .to_json()
            .map_err(|e| {
                DbError::Data(format!(
                    "the answer to {} cannot be written as JSON: {e}",
                    typed.prompt_key
                ))
            })?;
        insert_version(
            &tx,
            typed.table_id,
            &typed.prompt_key,
            version,
            &json,
            typed.step_index,
            now_ms(),
        )?;
        append_event(
            &tx,
            session_id,
            Actor::Organizer,
            Some(typed.table_id),
            EventKind::ConclusionTypedUp,
            &serde_json::json!({"prompt": typed.prompt_key, "version": version, "via": via}),
        )?;
        saved += 1;
    }
    tx.commit()?;
    Ok((saved, unchanged))
}

/// Stores one version of a conclusion as given (`answer` is its JSON text): the one
/// INSERT of a conclusion, for a table's save and for an import.
pub(crate) fn insert_version(
    conn: &Connection,
    table_id: i64,
    prompt_key: &str,
    version: i64,
    answer: &str,
    step_index: i64,
    saved_at: i64,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO conclusion (table_id, prompt_key, version, answer, step_index, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![table_id, prompt_key, version, answer, step_index, saved_at],
    )?;
    Ok(())
}

/// Stores one scene visit as given: the one INSERT of a visit, for a table's move and
/// for an import (`visit.table_id` says where).
pub(crate) fn insert_visit(conn: &Connection, visit: &VisitRow) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO scene_visit (table_id, step_index, seq, case_id, scene_id, via_option, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            visit.table_id,
            visit.step_index,
            visit.seq,
            visit.case_id,
            visit.scene_id,
            visit.via_option,
            visit.at
        ],
    )?;
    Ok(())
}

/// Every scene visit of a session's tables, in path order.
pub fn visits(conn: &Connection, session_id: &str) -> Result<Vec<VisitRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT v.table_id, v.step_index, v.seq, v.case_id, v.scene_id, v.via_option, v.at
         FROM scene_visit v JOIN session_table t ON t.id = v.table_id
         WHERE t.session_id = ?1 ORDER BY t.number, v.step_index, v.seq",
    )?;
    let rows = stmt
        .query_map([session_id], visit_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Appends a scene to a table's path, unless `expected_seq` is already taken
/// (another device of the same table moved first); returns whether it was added.
pub fn append_visit(
    conn: &mut Connection,
    table: &TableRow,
    step_index: i64,
    expected_seq: i64,
    case_id: &str,
    scene_id: &str,
    via_option: Option<&str>,
) -> Result<bool, DbError> {
    append_visit_by(
        conn,
        table,
        step_index,
        expected_seq,
        case_id,
        scene_id,
        via_option,
        None,
    )
}

/// [`append_visit`] from one device of the table (its label goes into the log).
#[allow(clippy::too_many_arguments)]
pub fn append_visit_by(
    conn: &mut Connection,
    table: &TableRow,
    step_index: i64,
    expected_seq: i64,
    case_id: &str,
    scene_id: &str,
    via_option: Option<&str>,
    device: Option<i64>,
) -> Result<bool, DbError> {
    let tx = conn.savepoint()?;
    let next: i64 = tx.query_row(
        "SELECT COALESCE(MAX(seq) + 1, 0) FROM scene_visit WHERE table_id = ?1 AND step_index = ?2",
        params![table.id, step_index],
        |r| r.get(0),
    )?;
    if next != expected_seq {
        return Ok(false);
    }
    insert_visit(
        &tx,
        &VisitRow {
            table_id: table.id,
            step_index,
            seq: next,
            case_id: case_id.to_string(),
            scene_id: scene_id.to_string(),
            via_option: via_option.map(str::to_string),
            at: now_ms(),
        },
    )?;
    append_event(
        &tx,
        &table.session_id,
        Actor::Table,
        Some(table.id),
        EventKind::SceneEntered,
        &with_device(
            serde_json::json!({"step": step_index, "scene": scene_id, "via": via_option}),
            device,
        ),
    )?;
    tx.commit()?;
    Ok(true)
}
