//! The session's event log (append-only) and what is read back from it.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Actor, DbError, EventKind, now_ms};

/// Adds the label of the device that did it (端末N) to an event's details.
pub(crate) fn with_device(mut data: serde_json::Value, device: Option<i64>) -> serde_json::Value {
    if let (Some(label), Some(map)) = (device, data.as_object_mut()) {
        map.insert("device".into(), label.into());
    }
    data
}

/// Appends to the event log, at the current time.
pub fn append_event(
    conn: &Connection,
    session_id: &str,
    actor: Actor,
    table_id: Option<i64>,
    kind: EventKind,
    data: &serde_json::Value,
) -> Result<(), DbError> {
    insert_event(
        conn,
        session_id,
        now_ms(),
        actor.code(),
        table_id,
        kind.code(),
        &data.to_string(),
    )
}

/// Stores one log entry as given (`kind` its name, as text: an imported log may hold
/// names of another version; `data` its JSON text): the one INSERT of the log,
/// for new entries and for entries an import brings over.
pub(crate) fn insert_event(
    conn: &Connection,
    session_id: &str,
    at: i64,
    actor: &str,
    table_id: Option<i64>,
    kind: &str,
    data: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO event (session_id, at, actor, table_id, kind, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![session_id, at, actor, table_id, kind, data],
    )?;
    Ok(())
}

/// When each step change happened: (time, from, to), oldest first.
pub fn step_changes(conn: &Connection, session_id: &str) -> Result<Vec<(i64, i64, i64)>, DbError> {
    let mut stmt =
        conn.prepare("SELECT at, data FROM event WHERE session_id = ?1 AND kind = ?2 ORDER BY id")?;
    let rows = stmt
        .query_map(params![session_id, EventKind::StepChanged], |r| {
            Ok((r.get::<_, i64>("at")?, r.get::<_, String>("data")?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, data)| {
            let v: serde_json::Value = serde_json::from_str(&data).ok()?;
            Some((at, v["from"].as_i64()?, v["to"].as_i64()?))
        })
        .collect())
}

/// One entry of the event log.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    /// When (ms).
    pub at: i64,
    /// organizer, facilitator, table or system.
    pub actor: String,
    /// Table number, for a table's events.
    pub table: Option<i64>,
    /// What happened: an [`EventKind`] code, kept as text because a log imported from
    /// another version may hold names this build never writes.
    pub kind: String,
    /// Details (JSON).
    pub data: String,
    /// Which device of the table did it (端末N), when known.
    pub device: Option<i64>,
}

/// A session's event log, oldest first.
pub fn events(conn: &Connection, session_id: &str) -> Result<Vec<EventRow>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT e.at, e.actor, t.number, e.kind, e.data, json_extract(e.data, '$.device') AS device
         FROM event e
         LEFT JOIN session_table t ON t.id = e.table_id
         WHERE e.session_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt
        .query_map([session_id], |r| {
            Ok(EventRow {
                at: r.get("at")?,
                actor: r.get("actor")?,
                table: r.get("number")?,
                kind: r.get("kind")?,
                data: r.get("data")?,
                device: r.get::<_, Option<i64>>("device").ok().flatten(),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// What the projector's spotlight showed: (step index current at the time, table
/// numbers shown), in the order the facilitator chose them.
pub fn spotlights(conn: &Connection, session_id: &str) -> Result<Vec<(i64, Vec<i64>)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT kind, data FROM event WHERE session_id = ?1 AND kind IN (?2, ?3) ORDER BY id",
    )?;
    let rows = stmt
        .query_map(
            params![
                session_id,
                EventKind::StepChanged,
                EventKind::SpotlightChanged
            ],
            |r| Ok((r.get::<_, EventKind>("kind")?, r.get::<_, String>("data")?)),
        )?
        .collect::<Result<Vec<_>, _>>()?;
    // Replayed in log order: the step current when each spotlight was set.
    let mut step = 0;
    let mut out = Vec::new();
    for (kind, data) in rows {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&data) else {
            continue;
        };
        if kind == EventKind::StepChanged {
            step = v["to"].as_i64().unwrap_or(step);
        } else if let Some(tables) = v["tables"].as_array() {
            out.push((step, tables.iter().filter_map(|t| t.as_i64()).collect()));
        }
    }
    Ok(out)
}
