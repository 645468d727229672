//! The devices of each table (issue 13): who claimed a table, who joined it since and how,
//! requests waiting for the facilitator, and the table's pairing code.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::events::append_event;
use super::{Actor, EventKind};
use super::{DbError, now_ms};

pub use super::types::Via;

/// One device of one table.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceRow {
    /// The `table_device` row id; a released device keeps it when it comes back.
    pub id: i64,
    /// The table's row id.
    pub table_id: i64,
    /// 端末{label}.
    pub label: i64,
    /// Browser and system from its User-Agent ("Safari · iPhone"), empty if unknown.
    pub agent: String,
    /// How it came to the table.
    pub via: Via,
    /// When it joined (ms).
    pub joined_at: i64,
    /// Its last request (ms); written again only once it is [`SEEN_EVERY_MS`] old.
    pub last_seen: i64,
    /// When the facilitator released it.
    pub released_at: Option<i64>,
}

const DEVICE_COLUMNS: &str = "id, table_id, label, agent, via, joined_at, last_seen, released_at";

fn device_row(r: &rusqlite::Row) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get("id")?,
        table_id: r.get("table_id")?,
        label: r.get("label")?,
        agent: r.get("agent")?,
        via: r.get("via")?,
        joined_at: r.get("joined_at")?,
        last_seen: r.get("last_seen")?,
        released_at: r.get("released_at")?,
    })
}

/// The device with this cookie hash at this table, released or not.
pub fn device(
    conn: &Connection,
    table_id: i64,
    device_hash: &str,
) -> Result<Option<DeviceRow>, DbError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {DEVICE_COLUMNS} FROM table_device WHERE table_id = ?1 AND device_hash = ?2"
            ),
            params![table_id, device_hash],
            device_row,
        )
        .optional()?)
}

/// A device row by id.
pub fn device_by_id(conn: &Connection, id: i64) -> Result<Option<DeviceRow>, DbError> {
    Ok(conn
        .query_row(
            &format!("SELECT {DEVICE_COLUMNS} FROM table_device WHERE id = ?1"),
            [id],
            device_row,
        )
        .optional()?)
}

/// True when a device other than the facilitator's holds the table.
pub fn is_claimed(conn: &Connection, table_id: i64) -> Result<bool, DbError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM table_device WHERE table_id = ?1
         AND released_at IS NULL AND via != 'facilitator')",
        [table_id],
        |r| r.get(0),
    )?)
}

/// Adds a device to a table (or takes a released one back), logging who let it in.
pub fn admit(
    conn: &mut Connection,
    session_id: &str,
    table_id: i64,
    device_hash: &str,
    agent: &str,
    via: Via,
    actor: Actor,
) -> Result<DeviceRow, DbError> {
    let tx = conn.savepoint()?;
    let now = now_ms();
    let existing = device(&tx, table_id, device_hash)?;
    let id = match existing {
        Some(d) if d.released_at.is_none() => {
            tx.commit()?;
            return Ok(d);
        }
        Some(d) => {
            tx.execute(
                "UPDATE table_device SET released_at = NULL, via = ?2, joined_at = ?3, last_seen = ?3, agent = ?4 WHERE id = ?1",
                params![d.id, via.code(), now, agent],
            )?;
            d.id
        }
        None => {
            let label: i64 = tx.query_row(
                "SELECT COALESCE(MAX(label), 0) + 1 FROM table_device WHERE table_id = ?1",
                [table_id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO table_device (table_id, device_hash, label, agent, via, joined_at, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![table_id, device_hash, label, agent, via.code(), now],
            )?;
            tx.last_insert_rowid()
        }
    };
    let row = device_by_id(&tx, id)?.ok_or_else(|| DbError::Data("device vanished".into()))?;
    append_event(
        &tx,
        session_id,
        actor,
        Some(table_id),
        EventKind::TableDeviceJoined,
        &serde_json::json!({"device": row.label, "via": via.code(), "agent": agent}),
    )?;
    tx.commit()?;
    Ok(row)
}

/// Releases a device of a session's table; returns it, or None when it is not one.
pub fn release(
    conn: &mut Connection,
    session_id: &str,
    device_id: i64,
) -> Result<Option<DeviceRow>, DbError> {
    let tx = conn.savepoint()?;
    let row: Option<DeviceRow> = tx
        .query_row(
            &format!(
                "SELECT {} FROM table_device d JOIN session_table t ON t.id = d.table_id
                 WHERE d.id = ?1 AND t.session_id = ?2 AND d.released_at IS NULL",
                DEVICE_COLUMNS
                    .split(", ")
                    .map(|c| format!("d.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            params![device_id, session_id],
            device_row,
        )
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    tx.execute(
        "UPDATE table_device SET released_at = ?2 WHERE id = ?1",
        params![row.id, now_ms()],
    )?;
    append_event(
        &tx,
        session_id,
        Actor::Facilitator,
        Some(row.table_id),
        EventKind::TableDeviceReleased,
        &serde_json::json!({"device": row.label}),
    )?;
    tx.commit()?;
    Ok(Some(row))
}

/// How stale a device's `last_seen` may get before a request writes it again (ms): the
/// facilitator's list needs minutes, and a write on every request would put each table
/// screen's polling behind the writer.
pub const SEEN_EVERY_MS: i64 = 60_000;

impl DeviceRow {
    /// True when `last_seen` is older than [`SEEN_EVERY_MS`] at `now` (ms).
    pub fn seen_is_stale(&self, now: i64) -> bool {
        now - self.last_seen > SEEN_EVERY_MS
    }
}

/// Notes that a device was seen now, when its `last_seen` is stale (no write on every
/// request).
pub fn seen(conn: &Connection, device: &DeviceRow) -> Result<(), DbError> {
    let now = now_ms();
    if device.seen_is_stale(now) {
        conn.execute(
            "UPDATE table_device SET last_seen = ?2 WHERE id = ?1",
            params![device.id, now],
        )?;
    }
    Ok(())
}

/// A request to join, waiting for the facilitator or decided.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRow {
    /// The `join_request` row id, in the waiting page's address.
    pub id: i64,
    /// The table's row id.
    pub table_id: i64,
    /// Browser and system of the asking device, for the facilitator to recognise it.
    pub agent: String,
    /// When it asked (ms).
    pub asked_at: i64,
    /// approved, refused, or None while waiting.
    pub decision: Option<String>,
    /// The device's cookie hash.
    #[serde(skip)]
    pub device_hash: String,
}

fn request_row(r: &rusqlite::Row) -> rusqlite::Result<RequestRow> {
    Ok(RequestRow {
        id: r.get("id")?,
        table_id: r.get("table_id")?,
        agent: r.get("agent")?,
        asked_at: r.get("asked_at")?,
        decision: r.get("decision")?,
        device_hash: r.get("device_hash")?,
    })
}

/// A request waits this long for the facilitator (ms).
pub const REQUEST_TTL_MS: i64 = 15 * 60_000;
/// Requests one table may have waiting at once.
pub const REQUESTS_PER_TABLE: i64 = 5;

/// Records (or renews) a device's request to join a table. None when the table already
/// has too many waiting.
pub fn ask(
    conn: &Connection,
    table_id: i64,
    device_hash: &str,
    agent: &str,
) -> Result<Option<i64>, DbError> {
    let now = now_ms();
    let waiting: i64 = conn.query_row(
        "SELECT count(*) FROM join_request WHERE table_id = ?1 AND decision IS NULL
         AND asked_at > ?2 AND device_hash != ?3",
        params![table_id, now - REQUEST_TTL_MS, device_hash],
        |r| r.get(0),
    )?;
    if waiting >= REQUESTS_PER_TABLE {
        return Ok(None);
    }
    conn.execute(
        "INSERT INTO join_request (table_id, device_hash, agent, asked_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (table_id, device_hash) DO UPDATE SET agent = ?3, asked_at = ?4, decision = NULL, decided_at = NULL",
        params![table_id, device_hash, agent, now],
    )?;
    Ok(Some(conn.query_row(
        "SELECT id FROM join_request WHERE table_id = ?1 AND device_hash = ?2",
        params![table_id, device_hash],
        |r| r.get(0),
    )?))
}

/// A request by id.
pub fn request(conn: &Connection, id: i64) -> Result<Option<RequestRow>, DbError> {
    Ok(conn
        .query_row(
            "SELECT id, table_id, agent, asked_at, decision, device_hash FROM join_request WHERE id = ?1",
            [id],
            request_row,
        )
        .optional()?)
}

/// Decides a waiting request of a session's table: approving it admits the device.
/// Returns the table row id, or None when there is no such waiting request.
pub fn decide(
    conn: &mut Connection,
    session_id: &str,
    request_id: i64,
    approve: bool,
) -> Result<Option<i64>, DbError> {
    let found: Option<RequestRow> = conn
        .query_row(
            "SELECT r.id, r.table_id, r.agent, r.asked_at, r.decision, r.device_hash
             FROM join_request r JOIN session_table t ON t.id = r.table_id
             WHERE r.id = ?1 AND t.session_id = ?2 AND r.decision IS NULL",
            params![request_id, session_id],
            request_row,
        )
        .optional()?;
    let Some(req) = found else { return Ok(None) };
    let decision = if approve { "approved" } else { "refused" };
    conn.execute(
        "UPDATE join_request SET decision = ?2, decided_at = ?3 WHERE id = ?1",
        params![req.id, decision, now_ms()],
    )?;
    if approve {
        admit(
            conn,
            session_id,
            req.table_id,
            &req.device_hash,
            &req.agent,
            Via::Approval,
            Actor::Facilitator,
        )?;
    }
    Ok(Some(req.table_id))
}

/// One table's devices and waiting requests, for the facilitator.
#[derive(Debug, Clone, Serialize)]
pub struct TableDevices {
    /// The table's number in the room (1-based).
    pub number: i64,
    /// Devices that hold the table now, by label.
    pub devices: Vec<DeviceRow>,
    /// Requests waiting for the facilitator.
    pub requests: Vec<RequestRow>,
}

/// Every table's devices and waiting requests, by table number (what the facilitator's
/// wall shows per table).
pub fn of_session(conn: &Connection, session_id: &str) -> Result<Vec<TableDevices>, DbError> {
    let tables = super::tables::tables(conn, session_id)?;
    tables
        .iter()
        .map(|t| of_table(conn, t.id, t.number))
        .collect()
}

/// One table's devices and waiting requests.
pub fn of_table(conn: &Connection, table_id: i64, number: i64) -> Result<TableDevices, DbError> {
    let devices = conn
        .prepare(&format!(
            "SELECT {DEVICE_COLUMNS} FROM table_device WHERE table_id = ?1 AND released_at IS NULL ORDER BY label"
        ))?
        .query_map([table_id], device_row)?
        .collect::<Result<_, _>>()?;
    let requests = conn
        .prepare(
            "SELECT id, table_id, agent, asked_at, decision, device_hash FROM join_request
             WHERE table_id = ?1 AND decision IS NULL AND asked_at > ?2 ORDER BY asked_at",
        )?
        .query_map(params![table_id, now_ms() - REQUEST_TTL_MS], request_row)?
        .collect::<Result<_, _>>()?;
    Ok(TableDevices {
        number,
        devices,
        requests,
    })
}

/// A table's pairing code lives this long (ms).
pub const PAIRING_TTL_MS: i64 = 15 * 60_000;
/// Wrong tries on one code before it changes.
pub const PAIRING_TRIES: i64 = 5;

/// The table's pairing code and when it was issued, making a fresh one when there is
/// none or it is too old.
pub fn pairing(conn: &Connection, table_id: i64) -> Result<(String, i64), DbError> {
    let now = now_ms();
    let current: Option<(String, i64)> = conn
        .query_row(
            "SELECT code, issued_at FROM table_pairing WHERE table_id = ?1",
            [table_id],
            |r| Ok((r.get("code")?, r.get("issued_at")?)),
        )
        .optional()?;
    match current {
        Some((code, at)) if now - at < PAIRING_TTL_MS => Ok((code, at)),
        _ => Ok((new_pairing(conn, table_id)?, now)),
    }
}

/// Replaces the table's pairing code with a fresh one.
pub fn new_pairing(conn: &Connection, table_id: i64) -> Result<String, DbError> {
    let code = crate::token::pairing_code();
    conn.execute(
        "INSERT INTO table_pairing (table_id, code, issued_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (table_id) DO UPDATE SET code = ?2, issued_at = ?3, failures = 0",
        params![table_id, code, now_ms()],
    )?;
    Ok(code)
}

/// What checking a typed pairing code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairingCheck {
    /// Right: the code was used and replaced by this new one.
    Used(String),
    /// Wrong; when the code changed after too many wrong tries, the new one.
    Wrong(Option<String>),
}

/// Checks a typed pairing code against the table's current one.
pub fn check_pairing(
    conn: &Connection,
    table_id: i64,
    typed: &str,
) -> Result<PairingCheck, DbError> {
    let now = now_ms();
    let current: Option<(String, i64, i64)> = conn
        .query_row(
            "SELECT code, issued_at, failures FROM table_pairing WHERE table_id = ?1",
            [table_id],
            |r| Ok((r.get("code")?, r.get("issued_at")?, r.get("failures")?)),
        )
        .optional()?;
    let Some((code, at, failures)) = current else {
        return Ok(PairingCheck::Wrong(None));
    };
    if now - at >= PAIRING_TTL_MS {
        return Ok(PairingCheck::Wrong(Some(new_pairing(conn, table_id)?)));
    }
    let same = code.len() == typed.len()
        && code
            .bytes()
            .zip(typed.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        return Ok(PairingCheck::Used(new_pairing(conn, table_id)?));
    }
    if failures + 1 >= PAIRING_TRIES {
        return Ok(PairingCheck::Wrong(Some(new_pairing(conn, table_id)?)));
    }
    conn.execute(
        "UPDATE table_pairing SET failures = failures + 1 WHERE table_id = ?1",
        [table_id],
    )?;
    Ok(PairingCheck::Wrong(None))
}
