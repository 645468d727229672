//! The session file's format: the parts a file holds, its JSON text and its name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `format` of a session file.
pub const FORMAT: &str = "acp-workbook/session";

/// The format version this build writes and the newest it reads. Raise it when a
/// field changes meaning or a required field is added; older files keep importing.
pub const VERSION: i64 = 1;

/// A session's complete data: what `export.json` downloads and `import` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionExport {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written by this build.
    pub version: i64,
    /// The program that wrote the file (`acp-workbook 0.1.0`).
    #[serde(default)]
    pub generator: String,
    /// When the file was written (Unix ms).
    pub exported_at: i64,
    /// The session itself.
    pub session: SessionPart,
    /// The content files the session runs on.
    pub content: ContentPart,
    /// Its tables, by number.
    pub tables: Vec<TablePart>,
    /// Every version of every conclusion.
    pub conclusions: Vec<ConclusionPart>,
    /// The scenes each table walked.
    pub scene_visits: Vec<VisitPart>,
    /// The clocks of the steps that had one.
    pub step_timers: Vec<TimerPart>,
    /// The event log, oldest first.
    pub events: Vec<EventPart>,
    /// The people expected or seated, by roster number.
    pub roster: Vec<PersonPart>,
    /// The individual survey's answers, in the order they came.
    pub survey_responses: Vec<SurveyPart>,
    /// The organizer's moves of the tables' items to other themes of the cross-session
    /// report. Files of earlier builds have none: the field may be missing.
    #[serde(default)]
    pub theme_moves: Vec<ThemeMovePart>,
}

/// The session row, without its secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPart {
    /// UUID, kept by import.
    pub id: String,
    /// The curriculum it runs (in `content`).
    pub curriculum_id: String,
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD`.
    pub held_on: String,
    /// Place.
    pub place: String,
    /// Number of tables, 1–60.
    pub table_count: i64,
    /// Seats at each table, 1–30.
    pub seats_per_table: i64,
    /// A rehearsal (facilitator meeting).
    pub rehearsal: bool,
    /// `open` or `closed`.
    pub status: String,
    /// Index of the current step, from 0.
    pub current_step: i64,
    /// `hold` or `free`.
    pub pace: String,
    /// Table numbers on the projector.
    pub spotlight: Vec<i64>,
    /// When it was created.
    pub created_at: i64,
    /// When it was closed.
    pub closed_at: Option<i64>,
    /// When its personal data was purged.
    pub purged_at: Option<i64>,
    /// The facilitator's notes.
    pub notes: String,
}

/// The content snapshot: the exact files the session started with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentPart {
    /// SHA-256 of the files (see [`crate::content::Sources::hash`]); checked on import.
    pub hash: String,
    /// When the snapshot was first stored.
    pub created_at: i64,
    /// `curricula/x.md` or `cases/y.md` → the file's text.
    pub files: BTreeMap<String, String>,
}

/// One table, without its token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TablePart {
    /// Table number, from 1.
    pub number: i64,
    /// Profession ids seated there.
    pub professions: Vec<String>,
    /// When the table first joined.
    pub joined_at: Option<i64>,
}

/// One version of one table's answer to one prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConclusionPart {
    /// Table number.
    pub table: i64,
    /// `curriculum:<id>:<prompt>` or `case:<id>:<prompt>`.
    pub prompt_key: String,
    /// Version, from 1.
    pub version: i64,
    /// The answer JSON, as stored (shaped by the prompt kind, see `src/answer.rs`).
    pub answer: serde_json::Value,
    /// Step index it was saved in.
    pub step_index: i64,
    /// When it was saved.
    pub saved_at: i64,
}

/// One scene on a table's path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitPart {
    /// Table number.
    pub table: i64,
    /// Step index of the case walk.
    pub step_index: i64,
    /// Position on the path, from 0.
    pub seq: i64,
    /// Case id.
    pub case_id: String,
    /// Scene id.
    pub scene_id: String,
    /// The branch option that led here.
    pub via_option: Option<String>,
    /// When the table entered the scene.
    pub at: i64,
}

/// The clock of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerPart {
    /// Step index.
    pub step_index: i64,
    /// The time box.
    pub duration_ms: i64,
    /// Time run before the current start.
    pub elapsed_ms: i64,
    /// When the current run started, while running.
    pub started_at: Option<i64>,
    /// `ready`, `running`, `paused` or `ended`.
    pub state: String,
    /// Whether the step's answers are locked.
    pub locked: bool,
    /// Last change.
    pub updated_at: i64,
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPart {
    /// When.
    pub at: i64,
    /// `organizer`, `facilitator`, `table`, `participant` or `system`.
    pub actor: String,
    /// Table number, for a table's events.
    pub table: Option<i64>,
    /// What happened (`conclusion.saved`, `step.changed`…).
    pub kind: String,
    /// Details, as logged.
    pub data: serde_json::Value,
}

/// One person on the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonPart {
    /// Roster number, from 1.
    pub seq: i64,
    /// Name, may be empty (and is after a purge).
    pub name: String,
    /// Profession id.
    pub profession: String,
    /// Organization.
    pub organization: String,
    /// Area.
    pub area: String,
    /// `hospital`, `home` or `none`.
    pub side: String,
    /// Table number once seated.
    pub table_number: Option<i64>,
    /// Moved by hand.
    pub pinned: bool,
    /// Added on the day.
    pub late: bool,
    /// When the person arrived.
    pub checked_in_at: Option<i64>,
    /// When the person was entered.
    pub created_at: i64,
}

/// One person's answers to one survey step (anonymous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyPart {
    /// UUID, kept by import.
    pub uid: String,
    /// The survey step's index.
    pub step_index: i64,
    /// Hash of the phone's random id.
    pub respondent: String,
    /// Profession as stated, may be empty.
    pub profession: String,
    /// Question id → `{"scale": n}`, `{"choice": [..]}` or `{"text": ".."}`.
    pub answers: serde_json::Value,
    /// When it was sent.
    pub submitted_at: i64,
}

/// One item of a three-field answer the organizer moved to another theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeMovePart {
    /// The three-field prompt the item answers.
    pub prompt_key: String,
    /// The table that wrote it.
    pub table: i64,
    /// The item's normalised text (NFKC, lower case, letters and digits only).
    pub item: String,
    /// The item as it read when moved.
    #[serde(default)]
    pub text: String,
    /// The theme it was moved to (a theme id, or `other`).
    pub theme: String,
    /// Who moved it (`organizer`).
    pub moved_by: String,
    /// When.
    pub moved_at: i64,
}

/// The session file as pretty JSON text.
pub fn to_json(export: &SessionExport) -> String {
    // Serializing plain structs, strings and JSON values cannot fail.
    serde_json::to_string_pretty(export).unwrap_or_default()
}

/// A download's file name: ASCII, dated, with the start of the session id so two
/// sessions on one day do not collide (`2026-11-30-session-1a2b3c4d.json`).
pub fn file_name(held_on: &str, session_id: &str, what: &str, ext: &str) -> String {
    let safe = |s: &str, n: usize| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(n)
            .collect()
    };
    format!("{}-{what}-{}.{ext}", safe(held_on, 10), safe(session_id, 8))
}
