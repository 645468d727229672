//! Export: a stored session ([`crate::db::exchange::read_session`]) as the parts of
//! the session file, without its secrets.

use super::format::{
    ConclusionPart, ContentPart, EventPart, FORMAT, PersonPart, SessionExport, SessionPart,
    SurveyPart, TablePart, ThemeMovePart, TimerPart, VERSION, VisitPart,
};
use crate::db::exchange::read_session;
use crate::db::{DbError, now_ms};

/// Reads a session's complete data, or `None` if there is no such session.
pub fn export_session(
    conn: &rusqlite::Connection,
    session_id: &str,
) -> Result<Option<SessionExport>, DbError> {
    // `Db::read` runs this in one read transaction: a consistent picture even while a
    // server keeps writing.
    let Some(rows) = read_session(conn, session_id)? else {
        return Ok(None);
    };
    let data = |what: String| DbError::Data(what);
    let json = |text: &str, what: &str| {
        serde_json::from_str::<serde_json::Value>(text).map_err(|e| data(format!("{what}: {e}")))
    };
    let mut conclusions = Vec::with_capacity(rows.conclusions.len());
    for c in rows.conclusions {
        let what = format!(
            "the answer of table {} to {} (version {})",
            c.table, c.prompt_key, c.version
        );
        conclusions.push(ConclusionPart {
            answer: json(&c.answer, &what)?,
            table: c.table,
            prompt_key: c.prompt_key,
            version: c.version,
            step_index: c.step_index,
            saved_at: c.saved_at,
        });
    }
    let mut events = Vec::with_capacity(rows.events.len());
    for e in rows.events {
        let what = format!("the logged event {} at {}", e.kind, e.at);
        events.push(EventPart {
            data: json(&e.data, &what)?,
            at: e.at,
            actor: e.actor,
            table: e.table,
            kind: e.kind,
        });
    }
    let mut survey_responses = Vec::with_capacity(rows.responses.len());
    for r in rows.responses {
        survey_responses.push(SurveyPart {
            answers: serde_json::to_value(&r.answers)
                .map_err(|e| data(format!("survey response {}: {e}", r.uid)))?,
            uid: r.uid,
            step_index: r.step_index,
            respondent: r.respondent,
            profession: r.profession,
            submitted_at: r.submitted_at,
        });
    }
    let s = rows.session;
    Ok(Some(SessionExport {
        format: FORMAT.to_string(),
        version: VERSION,
        generator: format!("acp-workbook {}", env!("CARGO_PKG_VERSION")),
        exported_at: now_ms(),
        session: SessionPart {
            id: s.id,
            curriculum_id: s.curriculum_id,
            title: s.title,
            held_on: s.held_on,
            place: s.place,
            table_count: s.table_count,
            seats_per_table: s.seats_per_table,
            rehearsal: s.rehearsal,
            status: s.status.code().to_string(),
            current_step: s.current_step,
            pace: s.pace.code().to_string(),
            spotlight: s.spotlight,
            created_at: s.created_at,
            closed_at: s.closed_at,
            purged_at: s.purged_at,
            notes: s.notes,
        },
        content: ContentPart {
            hash: rows.snapshot.hash,
            created_at: rows.snapshot.created_at,
            files: rows.snapshot.files,
        },
        tables: rows
            .tables
            .into_iter()
            .map(|t| TablePart {
                number: t.number,
                professions: t.professions,
                joined_at: t.joined_at,
            })
            .collect(),
        conclusions,
        scene_visits: rows
            .visits
            .into_iter()
            .map(|(table, v)| VisitPart {
                table,
                step_index: v.step_index,
                seq: v.seq,
                case_id: v.case_id,
                scene_id: v.scene_id,
                via_option: v.via_option,
                at: v.at,
            })
            .collect(),
        step_timers: rows
            .timers
            .into_iter()
            .map(|t| TimerPart {
                step_index: t.step_index,
                duration_ms: t.duration_ms,
                elapsed_ms: t.elapsed_ms,
                started_at: t.started_at,
                state: t.state.code().to_string(),
                locked: t.locked,
                updated_at: t.updated_at,
            })
            .collect(),
        events,
        roster: rows
            .roster
            .into_iter()
            .map(|p| PersonPart {
                seq: p.seq,
                name: p.name,
                profession: p.profession,
                organization: p.organization,
                area: p.area,
                side: p.side.id().to_string(),
                table_number: p.table_number,
                pinned: p.pinned,
                late: p.late,
                checked_in_at: p.checked_in_at,
                created_at: p.created_at,
            })
            .collect(),
        survey_responses,
        theme_moves: rows
            .theme_moves
            .into_iter()
            .map(|m| ThemeMovePart {
                prompt_key: m.prompt_key,
                table: m.table_number,
                item: m.item,
                text: m.text,
                theme: m.theme,
                moved_by: m.moved_by,
                moved_at: m.moved_at,
            })
            .collect(),
    }))
}
