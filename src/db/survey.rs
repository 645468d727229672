//! Queries for the individual survey: submitting answers and reading them back.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::events::append_event;
use super::{Actor, EventKind};
use super::{DbError, now_ms};
use crate::survey::SurveyAnswers;

/// One stored survey response.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseRow {
    /// Stable id (UUID), kept by export and import.
    pub uid: String,
    /// The survey step's index in the curriculum.
    pub step_index: i64,
    /// Hash of the phone's random id: pairs a before and an after answer, names no one.
    pub respondent: String,
    /// Profession as the respondent stated it, may be empty.
    pub profession: String,
    /// Question id → the answer (a scale point, chosen options or a comment).
    pub answers: SurveyAnswers,
    /// When it was sent (ms).
    pub submitted_at: i64,
}

/// What became of a submitted survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// Stored.
    Saved,
    /// This phone already answered this step; nothing was changed.
    AlreadyAnswered,
}

/// Stores one person's answers to a survey step, once per respondent.
pub fn submit(
    conn: &mut Connection,
    session_id: &str,
    step_index: i64,
    respondent: &str,
    profession: &str,
    answers: &SurveyAnswers,
) -> Result<Submitted, DbError> {
    let tx = conn.savepoint()?;
    let response = ResponseRow {
        uid: uuid::Uuid::new_v4().to_string(),
        step_index,
        respondent: respondent.to_string(),
        profession: profession.to_string(),
        answers: answers.clone(),
        submitted_at: now_ms(),
    };
    if !insert_response(&tx, session_id, &response)? {
        return Ok(Submitted::AlreadyAnswered);
    }
    // The event says only that an answer came in: the log must not undo anonymity.
    append_event(
        &tx,
        session_id,
        Actor::Participant,
        None,
        EventKind::SurveyAnswered,
        &serde_json::json!({ "step": step_index }),
    )?;
    tx.commit()?;
    Ok(Submitted::Saved)
}

/// Stores one response as given: the one INSERT of a response, for a phone's answers
/// and for an import. False (and nothing stored) when this respondent already answered
/// this step.
pub(crate) fn insert_response(
    conn: &Connection,
    session_id: &str,
    response: &ResponseRow,
) -> Result<bool, DbError> {
    let inserted = conn.execute(
        "INSERT INTO survey_response (uid, session_id, step_index, respondent, profession, answers, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (session_id, step_index, respondent) DO NOTHING",
        params![
            response.uid,
            session_id,
            response.step_index,
            response.respondent,
            response.profession,
            serde_json::to_string(&response.answers).map_err(|e| DbError::Data(e.to_string()))?,
            response.submitted_at
        ],
    )?;
    Ok(inserted > 0)
}

/// The survey steps this respondent has answered, in order.
pub fn answered_steps(
    conn: &Connection,
    session_id: &str,
    respondent: &str,
) -> Result<Vec<i64>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT step_index FROM survey_response WHERE session_id = ?1 AND respondent = ?2
         ORDER BY step_index",
    )?;
    let steps = stmt
        .query_map(params![session_id, respondent], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(steps)
}

/// How many answers a table screen has given to a survey step for people without a phone.
pub fn table_answers(
    conn: &Connection,
    session_id: &str,
    step_index: i64,
    table_number: i64,
) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM survey_response WHERE session_id = ?1 AND step_index = ?2
         AND respondent LIKE ?3",
        params![session_id, step_index, format!("table:{table_number}:%")],
        |r| r.get(0),
    )?)
}

/// How many people answered each survey step: (step index, count).
pub fn counts(conn: &Connection, session_id: &str) -> Result<Vec<(i64, i64)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT step_index, count(*) FROM survey_response WHERE session_id = ?1
         GROUP BY step_index ORDER BY step_index",
    )?;
    let rows = stmt
        .query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every response of a session, in the order they came.
pub fn responses(conn: &Connection, session_id: &str) -> Result<Vec<ResponseRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT uid, step_index, respondent, profession, answers, submitted_at
         FROM survey_response WHERE session_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([session_id], |r| {
            Ok((
                r.get::<_, String>("uid")?,
                r.get::<_, i64>("step_index")?,
                r.get::<_, String>("respondent")?,
                r.get::<_, String>("profession")?,
                r.get::<_, String>("answers")?,
                r.get::<_, i64>("submitted_at")?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(
            |(uid, step_index, respondent, profession, answers, submitted_at)| {
                let answers = serde_json::from_str(&answers)
                    .map_err(|e| DbError::Data(format!("survey response {uid}: {e}")))?;
                Ok(ResponseRow {
                    uid,
                    step_index,
                    respondent,
                    profession,
                    answers,
                    submitted_at,
                })
            },
        )
        .collect()
}
