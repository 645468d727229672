//! Import: a checked session file stored as rows ([`crate::db::exchange::write_session`])
//! in one transaction, with fresh secrets.

use rusqlite::Connection;
use serde::Serialize;

use super::check::parse;
use super::problem::ImportError;
use crate::db::conclusions::VisitRow;
use crate::db::events::{EventRow, append_event};
use crate::db::exchange::{SessionRows, VersionRow, session_of_response, write_session};
use crate::db::roster::ParticipantRow;
use crate::db::sessions::{self, SessionRow, SnapshotRow};
use crate::db::survey::ResponseRow;
use crate::db::tables::TableRow;
use crate::db::timers::TimerRow;
use crate::db::{Actor, DbError, EventKind, Pace, SessionStatus, TimerState};
use crate::survey::SurveyAnswers;

/// What an import made.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedSession {
    /// The session's id (the same as on the server it came from).
    pub id: String,
    /// Title.
    pub title: String,
    /// Date.
    pub held_on: String,
    /// The new facilitator key on this server (`/f/KEY`).
    pub facilitator_key: String,
    /// The new join code on this server.
    pub join_code: String,
    /// Tables.
    pub tables: usize,
    /// Conclusion versions.
    pub conclusions: usize,
    /// People on the roster.
    pub people: usize,
    /// Survey responses.
    pub survey_responses: usize,
    /// Event log entries brought over (the import's own entry not counted).
    pub events: usize,
}

/// Imports a session file: parses and checks all of it first, then writes it in one
/// transaction (all of it or, on any failure, none). The session keeps its id and every
/// stable id; it gets a new join code, facilitator and projector keys and table tokens.
/// A session that is already here is refused. The log gains a `session.imported` entry.
pub fn import_session(
    conn: &mut Connection,
    json_text: &str,
) -> Result<ImportedSession, ImportError> {
    let x = parse(json_text)?;
    let tx = conn.savepoint()?;
    if let Some(here) = sessions::session(&tx, &x.session.id)? {
        return Err(ImportError::AlreadyHere {
            title: here.title,
            held_on: here.held_on,
        });
    }
    for r in &x.survey_responses {
        if let Some((title, held_on)) = session_of_response(&tx, &r.uid)? {
            return Err(ImportError::SurveyElsewhere {
                uid: r.uid.clone(),
                title,
                held_on,
            });
        }
    }
    let s = &x.session;
    let id = s.id.as_str();
    let join_code = sessions::new_join_code(&tx)?;
    let facilitator_key = crate::token::secret();
    let mut responses = Vec::with_capacity(x.survey_responses.len());
    for r in &x.survey_responses {
        // Stored the way a phone's answer is stored; `check` made sure it reads.
        let answers: SurveyAnswers = serde_json::from_value(r.answers.clone())
            .map_err(|e| DbError::Data(format!("survey response {}: {e}", r.uid)))?;
        responses.push(ResponseRow {
            uid: r.uid.clone(),
            step_index: r.step_index,
            respondent: r.respondent.clone(),
            profession: r.profession.clone(),
            answers,
            submitted_at: r.submitted_at,
        });
    }
    let rows = SessionRows {
        session: SessionRow {
            id: s.id.clone(),
            curriculum_id: s.curriculum_id.clone(),
            content_hash: x.content.hash.clone(),
            title: s.title.clone(),
            held_on: s.held_on.clone(),
            place: s.place.clone(),
            table_count: s.table_count,
            join_code: join_code.clone(),
            facilitator_key: facilitator_key.clone(),
            current_step: s.current_step,
            // `check` made sure both are codes of this build.
            status: SessionStatus::from_code(&s.status)
                .ok_or_else(|| DbError::Data(format!("session status {:?}", s.status)))?,
            created_at: s.created_at,
            closed_at: s.closed_at,
            projector_key: crate::token::secret(),
            pace: Pace::from_code(&s.pace)
                .ok_or_else(|| DbError::Data(format!("session pace {:?}", s.pace)))?,
            spotlight: s.spotlight.clone(),
            rehearsal: s.rehearsal,
            seats_per_table: s.seats_per_table,
            purged_at: s.purged_at,
            notes: s.notes.clone(),
        },
        snapshot: SnapshotRow {
            hash: x.content.hash.clone(),
            files: x.content.files.clone(),
            created_at: x.content.created_at,
        },
        tables: x
            .tables
            .iter()
            .map(|t| TableRow {
                id: 0,
                session_id: s.id.clone(),
                number: t.number,
                token: crate::token::secret(),
                professions: t.professions.clone(),
                joined_at: t.joined_at,
            })
            .collect(),
        conclusions: x
            .conclusions
            .iter()
            .map(|c| VersionRow {
                table: c.table,
                prompt_key: c.prompt_key.clone(),
                version: c.version,
                answer: c.answer.to_string(),
                step_index: c.step_index,
                saved_at: c.saved_at,
            })
            .collect(),
        visits: x
            .scene_visits
            .iter()
            .map(|v| {
                (
                    v.table,
                    VisitRow {
                        table_id: 0,
                        step_index: v.step_index,
                        seq: v.seq,
                        case_id: v.case_id.clone(),
                        scene_id: v.scene_id.clone(),
                        via_option: v.via_option.clone(),
                        at: v.at,
                    },
                )
            })
            .collect(),
        timers: x
            .step_timers
            .iter()
            .map(|t| {
                Ok(TimerRow {
                    step_index: t.step_index,
                    duration_ms: t.duration_ms,
                    elapsed_ms: t.elapsed_ms,
                    started_at: t.started_at,
                    state: TimerState::from_code(&t.state)
                        .ok_or_else(|| DbError::Data(format!("timer state {:?}", t.state)))?,
                    locked: t.locked,
                    updated_at: t.updated_at,
                })
            })
            .collect::<Result<_, DbError>>()?,
        events: x
            .events
            .iter()
            .map(|e| EventRow {
                at: e.at,
                actor: e.actor.clone(),
                table: e.table,
                kind: e.kind.clone(),
                data: e.data.to_string(),
                device: None,
            })
            .collect(),
        roster: x
            .roster
            .iter()
            .map(|p| ParticipantRow {
                id: 0,
                seq: p.seq,
                name: p.name.clone(),
                profession: p.profession.clone(),
                organization: p.organization.clone(),
                area: p.area.clone(),
                side: crate::seating::Side::from_id(&p.side),
                table_number: p.table_number,
                pinned: p.pinned,
                late: p.late,
                checked_in_at: p.checked_in_at,
                created_at: p.created_at,
            })
            .collect(),
        responses,
        theme_moves: x
            .theme_moves
            .iter()
            .map(|m| crate::db::themes::MoveRow {
                session_id: s.id.clone(),
                prompt_key: m.prompt_key.clone(),
                table_number: m.table,
                item: m.item.clone(),
                text: m.text.clone(),
                theme: m.theme.clone(),
                moved_by: m.moved_by.clone(),
                moved_at: m.moved_at,
            })
            .collect(),
    };
    write_session(&tx, &rows)?;
    append_event(
        &tx,
        id,
        Actor::Organizer,
        None,
        EventKind::SessionImported,
        &serde_json::json!({
            "format_version": x.version,
            "exported_at": x.exported_at,
            "generator": x.generator,
        }),
    )?;
    tx.commit()?;
    Ok(ImportedSession {
        id: s.id.clone(),
        title: s.title.clone(),
        held_on: s.held_on.clone(),
        facilitator_key,
        join_code,
        tables: x.tables.len(),
        conclusions: x.conclusions.len(),
        people: x.roster.len(),
        survey_responses: x.survey_responses.len(),
        events: x.events.len(),
    })
}
