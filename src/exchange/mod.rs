//! A session's complete data as one JSON file, to keep or to move to another server,
//! and its conclusions as CSV for spreadsheets ([`csv`]).
//!
//! The file (format `acp-workbook/session`, [`VERSION`]) holds everything a session is:
//! the session, the content snapshot it runs on, its tables, every version of every
//! conclusion, scene paths, step timers, the event log, the roster and the survey
//! responses. It names things by their stable ids (the session's UUID, table numbers,
//! roster numbers, a conclusion's table, prompt key and version, a survey response's
//! uid), never by this server's row ids, and it holds no secrets: no join code,
//! facilitator or projector key, table token. An import makes fresh ones, so links from
//! the other server do not work here. The README documents the format field by field.

pub mod csv;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::answer::{Answer, AnswerError};
use crate::content::{Library, Sources, StepKind};
use crate::db::{DbError, now_ms};
use crate::db::{events, events::append_event, sessions, tables};
use crate::survey::SurveyAnswers;

/// The `format` of a session file.
pub const FORMAT: &str = "acp-workbook/session";

/// The format version this build writes and the newest it reads. Raise it when a
/// field changes meaning or a required field is added; older files keep importing.
pub const VERSION: i64 = 1;

/// Most problems listed for one file: beyond this, the rest are counted.
const MAX_PROBLEMS: usize = 30;

/// Most tables a session may have (the database's check on `session.table_count`).
const MAX_TABLES: i64 = 60;

/// Most seats per table (the database's check on `session.seats_per_table`).
const MAX_SEATS: i64 = 30;

/// Longest string anywhere in a file outside the content snapshot: the longest text
/// any form takes (the facilitator's notes). Tighter limits per field are in `check`.
const STRING_MAX: usize = crate::text::NOTES_MAX;

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
    /// SHA-256 of the files (see [`Sources::hash`]); checked on import.
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

/// Reads a session's complete data, or `None` if there is no such session.
pub fn export_session(
    conn: &Connection,
    session_id: &str,
) -> Result<Option<SessionExport>, DbError> {
    // `Db::read` runs this in one read transaction: a consistent picture even while a
    // server keeps writing.
    let tx = conn;
    let Some(s) = sessions::session(tx, session_id)? else {
        return Ok(None);
    };
    let data = |what: String| DbError::Data(what);
    let content = tx
        .query_row(
            "SELECT hash, files, created_at FROM content_snapshot WHERE hash = ?1",
            [&s.content_hash],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| {
            data(format!(
                "the content snapshot {} is missing",
                s.content_hash
            ))
        })?;
    let content = ContentPart {
        files: serde_json::from_str(&content.1)
            .map_err(|e| data(format!("content snapshot {}: {e}", content.0)))?,
        hash: content.0,
        created_at: content.2,
    };
    let tables: Vec<TablePart> = tables::tables(tx, session_id)?
        .into_iter()
        .map(|t| TablePart {
            number: t.number,
            professions: t.professions,
            joined_at: t.joined_at,
        })
        .collect();
    let json = |text: String, what: &str| {
        serde_json::from_str::<serde_json::Value>(&text).map_err(|e| data(format!("{what}: {e}")))
    };

    let mut conclusions = Vec::new();
    let mut stmt = tx.prepare(
        "SELECT t.number, c.prompt_key, c.version, c.answer, c.step_index, c.saved_at
         FROM conclusion c JOIN session_table t ON t.id = c.table_id
         WHERE t.session_id = ?1 ORDER BY t.number, c.prompt_key, c.version",
    )?;
    let rows = stmt.query_map([session_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (table, prompt_key, version, answer, step_index, saved_at) = row?;
        let what = format!("the answer of table {table} to {prompt_key} (version {version})");
        conclusions.push(ConclusionPart {
            answer: json(answer, &what)?,
            table,
            prompt_key,
            version,
            step_index,
            saved_at,
        });
    }
    drop(stmt);

    let scene_visits = tx
        .prepare(
            "SELECT t.number, v.step_index, v.seq, v.case_id, v.scene_id, v.via_option, v.at
             FROM scene_visit v JOIN session_table t ON t.id = v.table_id
             WHERE t.session_id = ?1 ORDER BY t.number, v.step_index, v.seq",
        )?
        .query_map([session_id], |r| {
            Ok(VisitPart {
                table: r.get(0)?,
                step_index: r.get(1)?,
                seq: r.get(2)?,
                case_id: r.get(3)?,
                scene_id: r.get(4)?,
                via_option: r.get(5)?,
                at: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;

    let step_timers = tx
        .prepare(
            "SELECT step_index, duration_ms, elapsed_ms, started_at, state, locked, updated_at
             FROM step_timer WHERE session_id = ?1 ORDER BY step_index",
        )?
        .query_map([session_id], |r| {
            Ok(TimerPart {
                step_index: r.get(0)?,
                duration_ms: r.get(1)?,
                elapsed_ms: r.get(2)?,
                started_at: r.get(3)?,
                state: r.get(4)?,
                locked: r.get::<_, i64>(5)? != 0,
                updated_at: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;

    let mut events = Vec::new();
    for e in events::events(tx, session_id)? {
        let what = format!("the logged event {} at {}", e.kind, e.at);
        events.push(EventPart {
            data: json(e.data, &what)?,
            at: e.at,
            actor: e.actor,
            table: e.table,
            kind: e.kind,
        });
    }

    let roster = tx
        .prepare(
            "SELECT seq, name, profession, organization, area, side, table_number, pinned, late,
                    checked_in_at, created_at
             FROM participant WHERE session_id = ?1 ORDER BY seq",
        )?
        .query_map([session_id], |r| {
            Ok(PersonPart {
                seq: r.get(0)?,
                name: r.get(1)?,
                profession: r.get(2)?,
                organization: r.get(3)?,
                area: r.get(4)?,
                side: r.get(5)?,
                table_number: r.get(6)?,
                pinned: r.get::<_, i64>(7)? != 0,
                late: r.get::<_, i64>(8)? != 0,
                checked_in_at: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;

    let mut survey_responses = Vec::new();
    for r in crate::db::survey::responses(tx, session_id)? {
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
            status: s.status,
            current_step: s.current_step,
            pace: s.pace,
            spotlight: s.spotlight,
            created_at: s.created_at,
            closed_at: s.closed_at,
            purged_at: s.purged_at,
            notes: s.notes,
        },
        content,
        tables,
        conclusions,
        scene_visits,
        step_timers,
        events,
        roster,
        survey_responses,
    }))
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

/// One thing wrong in a session file, at a place in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where: a JSON path such as `tables[2].number` (empty for the whole file).
    pub path: String,
    /// Message key in [`crate::i18n`] (`exchange.bad.*`).
    pub key: &'static str,
    /// Values for the message.
    pub args: Vec<String>,
    /// For an answer its prompt refuses: the same reason a table's save gives.
    pub answer: Option<AnswerError>,
}

impl Problem {
    fn new(path: impl Into<String>, key: &'static str, args: &[&dyn std::fmt::Display]) -> Self {
        Self {
            path: path.into(),
            key,
            args: args.iter().map(|a| a.to_string()).collect(),
            answer: None,
        }
    }

    /// An answer refused by its prompt's check, worded as the table screen words it.
    fn answer(path: String, error: AnswerError) -> Self {
        Self {
            path,
            key: "exchange.bad.answer",
            args: Vec::new(),
            answer: Some(error),
        }
    }

    /// The problem as one line in `lang`: `path: what is wrong`.
    pub fn message(&self, lang: &str) -> String {
        let what = match &self.answer {
            Some(error) => {
                let (key, args) = error.message(crate::lang::Lang::from_code(lang));
                crate::i18n::format(lang, self.key, &[crate::i18n::format(lang, key, &args)])
            }
            None => crate::i18n::format(lang, self.key, &self.args),
        };
        if self.path.is_empty() {
            what
        } else {
            format!("{}: {what}", self.path)
        }
    }
}

/// Why a session file was not imported. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not UTF-8 text.
    #[error("{}", self.message("en"))]
    NotText,
    /// The text is not JSON.
    #[error("{}", self.message("en"))]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        detail: String,
    },
    /// JSON, but not a session file of this program.
    #[error("{}", self.message("en"))]
    NotSessionFile {
        /// The `format` the file names, if any.
        found: Option<String>,
    },
    /// Written by a newer acp-workbook in a format this one cannot read.
    #[error("{}", self.message("en"))]
    NewerVersion {
        /// The file's format version.
        version: i64,
        /// The program that wrote it, if it says.
        generator: String,
    },
    /// Fields missing or wrong.
    #[error("{}", self.message("en"))]
    Invalid(Vec<Problem>),
    /// The session is already on this server.
    #[error("{}", self.message("en"))]
    AlreadyHere {
        /// Its title here.
        title: String,
        /// Its date here.
        held_on: String,
    },
    /// A survey response of the file is already on this server, in another session.
    #[error("{}", self.message("en"))]
    SurveyElsewhere {
        /// The response's uid.
        uid: String,
        /// The title of the session that holds it.
        title: String,
        /// That session's date.
        held_on: String,
    },
    /// The database refused (a fault of ours or of the disk); the transaction was rolled back.
    #[error("database error: {0}")]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e.into())
    }
}

impl ImportError {
    /// What went wrong and what to do, in `lang` (the problems of an invalid file
    /// are in [`ImportError::problems`]).
    pub fn message(&self, lang: &str) -> String {
        let f = |key: &str, args: &[String]| crate::i18n::format(lang, key, args);
        match self {
            ImportError::NotText => f("exchange.err_not_text", &[]),
            ImportError::NotJson {
                line,
                column,
                detail,
            } => f(
                "exchange.err_not_json",
                &[line.to_string(), column.to_string(), detail.clone()],
            ),
            ImportError::NotSessionFile { found } => f(
                "exchange.err_not_session",
                &[FORMAT.to_string(), found.clone().unwrap_or_default()],
            ),
            ImportError::NewerVersion { version, generator } => {
                let generator = if generator.is_empty() {
                    "acp-workbook".to_string()
                } else {
                    generator.clone()
                };
                f(
                    "exchange.err_newer",
                    &[version.to_string(), VERSION.to_string(), generator],
                )
            }
            ImportError::Invalid(problems) => {
                f("exchange.err_invalid", &[problems.len().to_string()])
            }
            ImportError::AlreadyHere { title, held_on } => {
                f("exchange.err_already", &[title.clone(), held_on.clone()])
            }
            ImportError::SurveyElsewhere {
                uid,
                title,
                held_on,
            } => f(
                "exchange.err_survey_elsewhere",
                &[uid.clone(), title.clone(), held_on.clone()],
            ),
            ImportError::Db(e) => format!("{}: {e}", f("exchange.err_db", &[])),
        }
    }

    /// Each problem of an invalid file as a line in `lang` (at most [`MAX_PROBLEMS`],
    /// then how many more).
    pub fn problems(&self, lang: &str) -> Vec<String> {
        let ImportError::Invalid(problems) = self else {
            return Vec::new();
        };
        let mut out: Vec<String> = problems
            .iter()
            .take(MAX_PROBLEMS)
            .map(|p| p.message(lang))
            .collect();
        if problems.len() > MAX_PROBLEMS {
            out.push(crate::i18n::format(
                lang,
                "exchange.bad.more",
                &[(problems.len() - MAX_PROBLEMS).to_string()],
            ));
        }
        out
    }

    /// True for a clash with what this server already holds (rather than a bad file).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            ImportError::AlreadyHere { .. } | ImportError::SurveyElsewhere { .. }
        )
    }
}

/// Reads an uploaded file's bytes as text: UTF-8, with or without a byte-order mark.
pub fn text_of(bytes: &[u8]) -> Result<&str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)
}

/// Parses and checks a session file completely, without touching any database: the
/// JSON, the format and its version, every field, the references between the parts
/// (tables, roster numbers, survey uids) and the content snapshot (its hash, and that
/// it loads and holds the session's curriculum).
pub fn parse(text: &str) -> Result<SessionExport, ImportError> {
    // Any failure here is the text itself: a syntax error, an early end, or (for valid
    // JSON) nesting too deep to read.
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson {
            line: e.line(),
            column: e.column(),
            detail: detail_of(&e),
        })?;
    // Every string but the content files (whose hash is checked) goes through the one
    // cleaning path, as if it had been typed into its form.
    let mut too_long = Vec::new();
    if let Some(object) = value.as_object_mut() {
        for (key, part) in object.iter_mut().filter(|(k, _)| *k != "content") {
            clean_value(part, key, &mut too_long);
        }
    }
    if !too_long.is_empty() {
        return Err(ImportError::Invalid(too_long));
    }
    let Some(object) = value.as_object() else {
        return Err(ImportError::NotSessionFile { found: None });
    };
    match object.get("format") {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        Some(serde_json::Value::String(f)) => {
            return Err(ImportError::NotSessionFile {
                found: Some(f.clone()),
            });
        }
        _ => return Err(ImportError::NotSessionFile { found: None }),
    }
    match object.get("version") {
        Some(v) => match v.as_i64() {
            Some(n) if n > VERSION => {
                return Err(ImportError::NewerVersion {
                    version: n,
                    generator: object
                        .get("generator")
                        .and_then(|g| g.as_str())
                        .unwrap_or("")
                        .chars()
                        .take(80)
                        .collect(),
                });
            }
            Some(n) if n >= 1 => {}
            _ => {
                return Err(ImportError::Invalid(vec![Problem::new(
                    "version",
                    "exchange.bad.version",
                    &[&v, &VERSION],
                )]));
            }
        },
        None => {
            return Err(ImportError::Invalid(vec![Problem::new(
                "version",
                "exchange.bad.missing",
                &[],
            )]));
        }
    }
    let mut export: SessionExport = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let detail = e.inner().to_string();
        // "missing field `x`" is reported at the object holding it: name the field itself.
        let problem = match detail
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            Some(field) if path.is_empty() => Problem::new(field, "exchange.bad.missing", &[]),
            Some(field) => Problem::new(format!("{path}.{field}"), "exchange.bad.missing", &[]),
            None => Problem::new(path, "exchange.bad.value", &[&detail]),
        };
        ImportError::Invalid(vec![problem])
    })?;
    let s = &mut export.session;
    for line in [&mut s.title, &mut s.place] {
        *line = crate::text::clean_line(line);
    }
    s.notes = crate::text::clean_text(&s.notes);
    for p in &mut export.roster {
        for line in [&mut p.name, &mut p.organization, &mut p.area] {
            *line = crate::text::clean_line(line);
        }
    }
    let problems = check(&export);
    if problems.is_empty() {
        Ok(export)
    } else {
        Err(ImportError::Invalid(problems))
    }
}

/// Cleans every string (and object key) in `value` with [`crate::text::strip`], and
/// lists each string longer than [`STRING_MAX`] by its JSON path.
fn clean_value(value: &mut serde_json::Value, path: &str, too_long: &mut Vec<Problem>) {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            let len = text.chars().count();
            if len > STRING_MAX {
                too_long.push(Problem::new(
                    path,
                    "exchange.bad.long",
                    &[&len, &STRING_MAX],
                ));
            } else if crate::text::needs_cleaning(text) {
                *text = crate::text::strip(text);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                clean_value(item, &format!("{path}[{i}]"), too_long);
            }
        }
        Value::Object(map) => {
            if map.keys().any(|k| crate::text::needs_cleaning(k)) {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (crate::text::strip(&k), v))
                    .collect();
            }
            for (key, item) in map.iter_mut() {
                clean_value(item, &format!("{path}.{key}"), too_long);
            }
        }
        _ => {}
    }
}

/// The JSON path `inner` (as serde_path_to_error writes it, `.` for the value itself)
/// inside the value at `outer`.
fn below(outer: String, inner: &str) -> String {
    match inner {
        "." => outer,
        seq if seq.starts_with('[') => format!("{outer}{seq}"),
        field => format!("{outer}.{field}"),
    }
}

/// serde_json's message without its own " at line L column C" (we say where ourselves).
fn detail_of(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// True for a canonical (lower-case, hyphenated) UUID.
fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.hyphenated().to_string() == s)
}

/// Every problem of a parsed file's values and of the references between its parts.
fn check(x: &SessionExport) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut bad = |path: String, key: &'static str, args: &[&dyn std::fmt::Display]| {
        out.push(Problem::new(path, key, args));
    };
    let s = &x.session;
    if !is_uuid(&s.id) {
        bad("session.id".into(), "exchange.bad.uuid", &[&s.id]);
    }
    if s.title.trim().is_empty() {
        bad("session.title".into(), "exchange.bad.empty", &[]);
    }
    // Each text as long as its form allows, and no longer.
    let mut longest = |path: String, text: &str, max: usize| {
        let len = text.chars().count();
        if len > max {
            bad(path, "exchange.bad.long", &[&len, &max]);
        }
    };
    longest("session.title".into(), &s.title, crate::text::TITLE_MAX);
    longest("session.place".into(), &s.place, crate::text::PLACE_MAX);
    longest("session.notes".into(), &s.notes, crate::text::NOTES_MAX);
    for (i, p) in x.roster.iter().enumerate() {
        for (field, text) in [
            ("name", &p.name),
            ("organization", &p.organization),
            ("area", &p.area),
        ] {
            longest(
                format!("roster[{i}].{field}"),
                text,
                crate::roster::MAX_FIELD,
            );
        }
    }
    if chrono::NaiveDate::parse_from_str(&s.held_on, "%Y-%m-%d").is_err() {
        bad("session.held_on".into(), "exchange.bad.date", &[&s.held_on]);
    }
    if !(1..=MAX_TABLES).contains(&s.table_count) {
        bad(
            "session.table_count".into(),
            "exchange.bad.range",
            &[&s.table_count, &1, &MAX_TABLES],
        );
    }
    if !(1..=MAX_SEATS).contains(&s.seats_per_table) {
        bad(
            "session.seats_per_table".into(),
            "exchange.bad.range",
            &[&s.seats_per_table, &1, &MAX_SEATS],
        );
    }
    let mut one_of = |path: String, value: &str, allowed: &[&str]| {
        if !allowed.contains(&value) {
            bad(path, "exchange.bad.one_of", &[&value, &allowed.join(", ")]);
        }
    };
    one_of("session.status".into(), &s.status, &["open", "closed"]);
    one_of("session.pace".into(), &s.pace, &["hold", "free"]);
    for (i, t) in x.step_timers.iter().enumerate() {
        one_of(
            format!("step_timers[{i}].state"),
            &t.state,
            &["ready", "running", "paused", "ended"],
        );
    }
    for (i, p) in x.roster.iter().enumerate() {
        one_of(
            format!("roster[{i}].side"),
            &p.side,
            &["hospital", "home", "none"],
        );
    }
    let table_range = 1..=s.table_count;
    for (i, n) in s.spotlight.iter().enumerate() {
        if !table_range.contains(n) {
            bad(
                format!("session.spotlight[{i}]"),
                "exchange.bad.table",
                &[n, &s.table_count],
            );
        }
    }

    // Content: the hash must match the files, and the files must load.
    let sources = Sources {
        files: x.content.files.clone(),
    };
    if sources.hash() != x.content.hash {
        bad("content.hash".into(), "exchange.bad.hash", &[]);
    }
    let library = Library::from_sources(sources);
    let curriculum = library
        .as_ref()
        .ok()
        .and_then(|l| l.curricula.get(&s.curriculum_id));
    match &library {
        Err(problems) => {
            for p in problems {
                bad(
                    "content.files".into(),
                    "exchange.bad.content",
                    &[&format!("{}:{}: {}", p.path, p.line, p.message)],
                );
            }
        }
        Ok(_) => match curriculum {
            None => bad(
                "session.curriculum_id".into(),
                "exchange.bad.curriculum",
                &[&s.curriculum_id],
            ),
            Some(c) => {
                let steps = c.steps.len() as i64;
                if !(0..steps).contains(&s.current_step) {
                    bad(
                        "session.current_step".into(),
                        "exchange.bad.range",
                        &[&s.current_step, &0, &(steps - 1)],
                    );
                }
            }
        },
    }

    // Tables: exactly 1..=table_count, each once.
    let mut numbers = BTreeSet::new();
    for (i, t) in x.tables.iter().enumerate() {
        if !table_range.contains(&t.number) {
            bad(
                format!("tables[{i}].number"),
                "exchange.bad.table",
                &[&t.number, &s.table_count],
            );
        } else if !numbers.insert(t.number) {
            bad(
                format!("tables[{i}].number"),
                "exchange.bad.duplicate",
                &[&t.number],
            );
        }
    }
    if (1..=MAX_TABLES).contains(&s.table_count) {
        let missing: Vec<String> = table_range
            .clone()
            .filter(|n| !numbers.contains(n))
            .map(|n| n.to_string())
            .collect();
        if !missing.is_empty() {
            bad(
                "tables".into(),
                "exchange.bad.tables_missing",
                &[&missing.join(", ")],
            );
        }
    }
    let known = |n: i64| numbers.contains(&n);

    let mut versions = BTreeSet::new();
    let mut answer_problems = Vec::new();
    for (i, c) in x.conclusions.iter().enumerate() {
        let at = |field: &str| format!("conclusions[{i}].{field}");
        if !known(c.table) {
            bad(
                at("table"),
                "exchange.bad.table",
                &[&c.table, &s.table_count],
            );
        }
        if c.prompt_key.trim().is_empty() {
            bad(at("prompt_key"), "exchange.bad.empty", &[]);
        } else if let (Ok(library), Some(curriculum)) = (&library, curriculum) {
            // The answer must be one a table's save would have stored: the same
            // shape (`Answer`) and the same check against its prompt.
            match crate::session::prompt_by_key(library, curriculum, &c.prompt_key) {
                None => bad(at("prompt_key"), "exchange.bad.prompt", &[&c.prompt_key]),
                Some(_) if !c.answer.is_object() => {
                    bad(
                        at("answer"),
                        "exchange.bad.answer_object",
                        &[&c.answer.to_string().chars().take(40).collect::<String>()],
                    );
                }
                Some((prompt, _)) => {
                    match serde_path_to_error::deserialize::<_, Answer>(&c.answer) {
                        Err(e) => {
                            let path = below(at("answer"), &e.path().to_string());
                            bad(path, "exchange.bad.value", &[e.inner()]);
                        }
                        Ok(answer) => {
                            if let Err(error) = answer.check(prompt) {
                                answer_problems.push(Problem::answer(at("answer"), error));
                            }
                        }
                    }
                }
            }
        }
        if c.version < 1 {
            bad(at("version"), "exchange.bad.min", &[&c.version, &1]);
        }
        if !versions.insert((c.table, c.prompt_key.as_str(), c.version)) {
            bad(
                at("version"),
                "exchange.bad.duplicate",
                &[&format!(
                    "table={}, prompt_key={}, version={}",
                    c.table, c.prompt_key, c.version
                )],
            );
        }
    }
    let mut seqs = BTreeSet::new();
    for (i, v) in x.scene_visits.iter().enumerate() {
        let at = |field: &str| format!("scene_visits[{i}].{field}");
        if !known(v.table) {
            bad(
                at("table"),
                "exchange.bad.table",
                &[&v.table, &s.table_count],
            );
        }
        if !seqs.insert((v.table, v.step_index, v.seq)) {
            bad(
                at("seq"),
                "exchange.bad.duplicate",
                &[&format!(
                    "table={}, step_index={}, seq={}",
                    v.table, v.step_index, v.seq
                )],
            );
        }
    }
    let mut steps = BTreeSet::new();
    for (i, t) in x.step_timers.iter().enumerate() {
        if !steps.insert(t.step_index) {
            bad(
                format!("step_timers[{i}].step_index"),
                "exchange.bad.duplicate",
                &[&t.step_index],
            );
        }
        if t.duration_ms < 0 {
            bad(
                format!("step_timers[{i}].duration_ms"),
                "exchange.bad.min",
                &[&t.duration_ms, &0],
            );
        }
    }
    for (i, e) in x.events.iter().enumerate() {
        if let Some(table) = e.table.filter(|t| !known(*t)) {
            bad(
                format!("events[{i}].table"),
                "exchange.bad.table",
                &[&table, &s.table_count],
            );
        }
        if e.actor.trim().is_empty() {
            bad(format!("events[{i}].actor"), "exchange.bad.empty", &[]);
        }
        if e.kind.trim().is_empty() {
            bad(format!("events[{i}].kind"), "exchange.bad.empty", &[]);
        }
    }
    let mut people = BTreeSet::new();
    for (i, p) in x.roster.iter().enumerate() {
        let at = |field: &str| format!("roster[{i}].{field}");
        if p.seq < 1 {
            bad(at("seq"), "exchange.bad.min", &[&p.seq, &1]);
        } else if !people.insert(p.seq) {
            bad(at("seq"), "exchange.bad.duplicate", &[&p.seq]);
        }
        if p.profession.trim().is_empty() {
            bad(at("profession"), "exchange.bad.empty", &[]);
        }
        if let Some(t) = p.table_number.filter(|t| !table_range.contains(t)) {
            bad(
                at("table_number"),
                "exchange.bad.table",
                &[&t, &s.table_count],
            );
        }
    }
    let mut uids = BTreeSet::new();
    let mut respondents = BTreeSet::new();
    for (i, r) in x.survey_responses.iter().enumerate() {
        let at = |field: &str| format!("survey_responses[{i}].{field}");
        if !is_uuid(&r.uid) {
            bad(at("uid"), "exchange.bad.uuid", &[&r.uid]);
        } else if !uids.insert(r.uid.as_str()) {
            bad(at("uid"), "exchange.bad.duplicate", &[&r.uid]);
        }
        if r.respondent.is_empty() {
            bad(at("respondent"), "exchange.bad.empty", &[]);
        } else if !respondents.insert((r.step_index, r.respondent.as_str())) {
            bad(
                at("respondent"),
                "exchange.bad.duplicate",
                &[&format!(
                    "step_index={}, respondent={}",
                    r.step_index, r.respondent
                )],
            );
        }
        match serde_path_to_error::deserialize::<_, SurveyAnswers>(&r.answers) {
            Err(e) => {
                let path = below(at("answers"), &e.path().to_string());
                bad(path, "exchange.bad.value", &[e.inner()]);
            }
            Ok(answers) => {
                // Checked as a phone's form is read, against the step's questions.
                let step = curriculum.and_then(|c| {
                    usize::try_from(r.step_index)
                        .ok()
                        .and_then(|i| c.steps.get(i))
                });
                match step {
                    Some(step) if step.kind == StepKind::Survey => {
                        if let Err(e) = crate::survey::check_stored(step, &answers) {
                            let question = e.question().unwrap_or("");
                            bad(
                                format!("{}.{question}", at("answers")),
                                "exchange.bad.survey",
                                &[&e],
                            );
                        }
                    }
                    // Responses to other steps are never shown; their strings are
                    // still cleaned and capped above.
                    _ => {}
                }
            }
        }
    }
    out.extend(answer_problems);
    out
}

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
        let elsewhere: Option<(String, String)> = tx
            .query_row(
                "SELECT s.title, s.held_on FROM survey_response r JOIN session s ON s.id = r.session_id
                 WHERE r.uid = ?1",
                [&r.uid],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if let Some((title, held_on)) = elsewhere {
            return Err(ImportError::SurveyElsewhere {
                uid: r.uid.clone(),
                title,
                held_on,
            });
        }
    }
    let s = &x.session;
    let id = s.id.as_str();
    tx.execute(
        "INSERT OR IGNORE INTO content_snapshot (hash, files, created_at) VALUES (?1, ?2, ?3)",
        params![
            x.content.hash,
            serde_json::to_string(&x.content.files).map_err(|e| DbError::Data(e.to_string()))?,
            x.content.created_at
        ],
    )?;
    let join_code = sessions::new_join_code(&tx)?;
    let facilitator_key = crate::token::secret();
    tx.execute(
        "INSERT INTO session (id, curriculum_id, content_hash, title, held_on, place, table_count,
             join_code, facilitator_key, current_step, status, created_at, closed_at, projector_key,
             pace, spotlight, rehearsal, seats_per_table, purged_at, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            id,
            s.curriculum_id,
            x.content.hash,
            s.title,
            s.held_on,
            s.place,
            s.table_count,
            join_code,
            facilitator_key,
            s.current_step,
            s.status,
            s.created_at,
            s.closed_at,
            crate::token::secret(),
            s.pace,
            serde_json::to_string(&s.spotlight).map_err(|e| DbError::Data(e.to_string()))?,
            s.rehearsal as i64,
            s.seats_per_table,
            s.purged_at,
            s.notes
        ],
    )?;
    let mut table_ids: HashMap<i64, i64> = HashMap::new();
    for t in &x.tables {
        tx.execute(
            "INSERT INTO session_table (session_id, number, token, professions, joined_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                t.number,
                crate::token::secret(),
                serde_json::to_string(&t.professions).map_err(|e| DbError::Data(e.to_string()))?,
                t.joined_at
            ],
        )?;
        table_ids.insert(t.number, tx.last_insert_rowid());
    }
    // `check` made sure every table number refers to a table of the file.
    let table_id = |n: i64| table_ids.get(&n).copied();
    {
        let mut insert = tx.prepare(
            "INSERT INTO conclusion (table_id, prompt_key, version, answer, step_index, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for c in &x.conclusions {
            insert.execute(params![
                table_id(c.table),
                c.prompt_key,
                c.version,
                c.answer.to_string(),
                c.step_index,
                c.saved_at
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO scene_visit (table_id, step_index, seq, case_id, scene_id, via_option, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for v in &x.scene_visits {
            insert.execute(params![
                table_id(v.table),
                v.step_index,
                v.seq,
                v.case_id,
                v.scene_id,
                v.via_option,
                v.at
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO step_timer (session_id, step_index, duration_ms, elapsed_ms, started_at, state, locked, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for t in &x.step_timers {
            insert.execute(params![
                id,
                t.step_index,
                t.duration_ms,
                t.elapsed_ms,
                t.started_at,
                t.state,
                t.locked as i64,
                t.updated_at
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO event (session_id, at, actor, table_id, kind, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for e in &x.events {
            insert.execute(params![
                id,
                e.at,
                e.actor,
                e.table.and_then(table_id),
                e.kind,
                e.data.to_string()
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO participant (session_id, seq, name, profession, organization, area, side,
                 table_number, pinned, late, created_at, checked_in_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for p in &x.roster {
            insert.execute(params![
                id,
                p.seq,
                p.name,
                p.profession,
                p.organization,
                p.area,
                p.side,
                p.table_number,
                p.pinned as i64,
                p.late as i64,
                p.created_at,
                p.checked_in_at
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO survey_response (uid, session_id, step_index, respondent, profession, answers, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for r in &x.survey_responses {
            // Stored the way a phone's answer is stored; `check` made sure it reads.
            let answers: SurveyAnswers = serde_json::from_value(r.answers.clone())
                .map_err(|e| DbError::Data(format!("survey response {}: {e}", r.uid)))?;
            insert.execute(params![
                r.uid,
                id,
                r.step_index,
                r.respondent,
                r.profession,
                serde_json::to_string(&answers).map_err(|e| DbError::Data(e.to_string()))?,
                r.submitted_at
            ])?;
        }
    }
    append_event(
        &tx,
        id,
        "organizer",
        None,
        "session.imported",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A small valid file: the fixture curriculum `mini`, two tables, one answer.
    fn minimal() -> SessionExport {
        let mut files = BTreeMap::new();
        files.insert(
            "curricula/mini.md".to_string(),
            include_str!("../../tests/fixtures/content/curricula/mini.md").to_string(),
        );
        files.insert(
            "cases/mini-case.md".to_string(),
            include_str!("../../tests/fixtures/content/cases/mini-case.md").to_string(),
        );
        let hash = Sources {
            files: files.clone(),
        }
        .hash();
        SessionExport {
            format: FORMAT.into(),
            version: VERSION,
            generator: "acp-workbook test".into(),
            exported_at: 10,
            session: SessionPart {
                id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427".into(),
                curriculum_id: "mini".into(),
                title: "テスト研修会".into(),
                held_on: "2026-11-30".into(),
                place: String::new(),
                table_count: 2,
                seats_per_table: 8,
                rehearsal: false,
                status: "open".into(),
                current_step: 2,
                pace: "free".into(),
                spotlight: vec![2],
                created_at: 1,
                closed_at: None,
                purged_at: None,
                notes: String::new(),
            },
            content: ContentPart {
                hash,
                created_at: 1,
                files,
            },
            tables: (1..=2)
                .map(|number| TablePart {
                    number,
                    professions: vec!["visiting-nurse".into()],
                    joined_at: Some(2),
                })
                .collect(),
            conclusions: vec![ConclusionPart {
                table: 1,
                prompt_key: "curriculum:mini:q-wish".into(),
                version: 1,
                answer: serde_json::json!({"kind": "text", "text": "家に帰りたい"}),
                step_index: 2,
                saved_at: 5,
            }],
            scene_visits: vec![VisitPart {
                table: 2,
                step_index: 1,
                seq: 0,
                case_id: "mini-case".into(),
                scene_id: "s1".into(),
                via_option: None,
                at: 4,
            }],
            step_timers: Vec::new(),
            events: vec![EventPart {
                at: 5,
                actor: "table".into(),
                table: Some(1),
                kind: "conclusion.saved".into(),
                data: serde_json::json!({"prompt": "curriculum:mini:q-wish", "version": 1}),
            }],
            roster: vec![PersonPart {
                seq: 1,
                name: "山田".into(),
                profession: "visiting-nurse".into(),
                organization: "北部訪問看護ステーション".into(),
                area: String::new(),
                side: "home".into(),
                table_number: Some(1),
                pinned: false,
                late: false,
                checked_in_at: None,
                created_at: 1,
            }],
            survey_responses: vec![SurveyPart {
                uid: "2c5ea4c0-4067-41fb-aa3b-2b4bd2d7b8d8".into(),
                step_index: 3,
                respondent: "r1".into(),
                profession: String::new(),
                answers: serde_json::json!({"q1": {"scale": 4}}),
                submitted_at: 6,
            }],
        }
    }

    fn problems_of(x: &SessionExport) -> Vec<String> {
        match parse(&to_json(x)) {
            Err(e @ ImportError::Invalid(_)) => e.problems("en"),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_file_reads_back_as_written() {
        let x = minimal();
        assert_eq!(parse(&to_json(&x)).expect("valid"), x);
        // Fields a later version adds are ignored by this one.
        let mut value = serde_json::to_value(&x).expect("json");
        value["session"]["colour"] = "blue".into();
        assert_eq!(parse(&value.to_string()).expect("valid"), x);
    }

    #[test]
    fn text_that_is_not_json_names_its_line_and_column() {
        let e = parse("{\n  \"format\": ,\n}").expect_err("broken");
        let ImportError::NotJson { line, column, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!((*line, *column), (2, 13));
        assert!(
            e.message("en")
                .starts_with("This is not valid JSON (line 2, column 13: expected value)"),
            "{}",
            e.message("en")
        );
        assert!(matches!(
            parse(""),
            Err(ImportError::NotJson { line: 1, .. })
        ));
        assert!(matches!(text_of(b"\xFF\xFE{}"), Err(ImportError::NotText)));
        assert_eq!(text_of(b"\xEF\xBB\xBF{}").expect("text"), "{}");
    }

    #[test]
    fn other_json_is_not_a_session_file() {
        for text in [
            "[]",
            "{}",
            r#"{"format": "acp-workbook/roster", "version": 1}"#,
        ] {
            let e = parse(text).expect_err(text);
            assert!(
                matches!(e, ImportError::NotSessionFile { .. }),
                "{text}: {e:?}"
            );
            assert!(e.message("ja").contains("研修会データではありません"));
        }
    }

    #[test]
    fn a_newer_format_is_refused_before_anything_else_is_read() {
        let mut value = serde_json::to_value(minimal()).expect("json");
        value["version"] = 2.into();
        value["session"] = "different in version 2".into();
        let e = parse(&value.to_string()).expect_err("newer");
        assert!(
            matches!(e, ImportError::NewerVersion { version: 2, .. }),
            "{e:?}"
        );
        assert!(e.message("en").contains("acp-workbook test"));
        assert!(
            e.message("en")
                .contains("Update this server's ACP Workbook first")
        );
        value["version"] = "1".into();
        let e = parse(&value.to_string()).expect_err("a string");
        assert_eq!(
            e.problems("en"),
            ["version: format version \"1\" cannot be read (a whole number from 1 to 1)"]
        );
    }

    #[test]
    fn a_missing_or_mistyped_field_is_named_by_its_path() {
        let mut value = serde_json::to_value(minimal()).expect("json");
        value["session"]
            .as_object_mut()
            .expect("object")
            .remove("title");
        let e = parse(&value.to_string()).expect_err("missing");
        assert_eq!(e.problems("en"), ["session.title: this field is missing"]);
        assert_eq!(e.problems("ja"), ["session.title: この項目がありません"]);
        let mut value = serde_json::to_value(minimal()).expect("json");
        value["tables"][1]["number"] = "two".into();
        let e = parse(&value.to_string()).expect_err("mistyped");
        let problems = e.problems("en");
        assert!(
            problems[0].starts_with("tables[1].number: wrong value (invalid type: string \"two\""),
            "{problems:?}"
        );
    }

    #[test]
    fn references_between_the_parts_are_checked() {
        let mut x = minimal();
        x.conclusions[0].table = 5;
        x.conclusions.push(x.conclusions[0].clone());
        x.scene_visits[0].table = 0;
        x.events[0].table = Some(3);
        x.roster.push(PersonPart {
            table_number: Some(9),
            ..x.roster[0].clone()
        });
        x.survey_responses.push(SurveyPart {
            answers: serde_json::json!({"q1": 4}),
            ..x.survey_responses[0].clone()
        });
        x.session.spotlight = vec![4];
        assert_eq!(
            problems_of(&x),
            [
                "session.spotlight[0]: there is no table 4 (the session's tables are 1 to 2)",
                "conclusions[0].table: there is no table 5 (the session's tables are 1 to 2)",
                "conclusions[1].table: there is no table 5 (the session's tables are 1 to 2)",
                "conclusions[1].version: table=5, prompt_key=curriculum:mini:q-wish, version=1 appears twice",
                "scene_visits[0].table: there is no table 0 (the session's tables are 1 to 2)",
                "events[0].table: there is no table 3 (the session's tables are 1 to 2)",
                "roster[1].seq: 1 appears twice",
                "roster[1].table_number: there is no table 9 (the session's tables are 1 to 2)",
                "survey_responses[1].uid: 2c5ea4c0-4067-41fb-aa3b-2b4bd2d7b8d8 appears twice",
                "survey_responses[1].respondent: step_index=3, respondent=r1 appears twice",
                "survey_responses[1].answers.q1: wrong value (invalid type: integer `4`, expected string or map)",
            ]
        );
    }

    #[test]
    fn session_values_and_tables_are_checked() {
        let mut x = minimal();
        x.session.id = "SESSION-1".into();
        x.session.held_on = "30.11.2026".into();
        x.session.status = "archived".into();
        x.session.current_step = 9;
        x.tables.remove(1);
        let problems = problems_of(&x);
        for expected in [
            "session.id: “SESSION-1” is not a UUID",
            "session.held_on: “30.11.2026” is not a date (YYYY-MM-DD)",
            "session.status: “archived” is not allowed (use one of open, closed)",
            "session.current_step: 9 is not between 0 and 3",
            "tables: tables 2 are missing",
            "scene_visits[0].table: there is no table 2",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "{expected} in {problems:?}"
            );
        }
    }

    #[test]
    fn the_content_must_match_its_hash_and_load() {
        let mut x = minimal();
        x.content
            .files
            .entry("curricula/mini.md".into())
            .and_modify(|t| t.push_str("\n追記\n"));
        assert!(problems_of(&x)[0].starts_with("content.hash: the content files do not match"));
        let mut x = minimal();
        x.content.files.insert(
            "curricula/mini.md".into(),
            "---\nid: mini\n---\n# 見出し {kind=nonsense}\n".into(),
        );
        x.content.hash = Sources {
            files: x.content.files.clone(),
        }
        .hash();
        let problems = problems_of(&x);
        assert!(
            problems.iter().any(|p| p
                .starts_with("content.files: the content files do not load: curricula/mini.md:")),
            "{problems:?}"
        );
        let mut x = minimal();
        x.session.curriculum_id = "other".into();
        assert_eq!(
            problems_of(&x),
            ["session.curriculum_id: the curriculum “other” is not in content.files"]
        );
    }

    #[test]
    fn a_long_list_of_problems_is_cut_and_counted() {
        let mut x = minimal();
        x.conclusions = (0..40)
            .map(|i| ConclusionPart {
                table: 100 + i,
                ..x.conclusions[0].clone()
            })
            .collect();
        let problems = problems_of(&x);
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(problems[MAX_PROBLEMS], "and 10 more");
    }

    #[test]
    fn file_names_are_dated_ascii() {
        assert_eq!(
            file_name(
                "2026-11-30",
                "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                "session",
                "json"
            ),
            "2026-11-30-session-1b4e28ba.json"
        );
        assert_eq!(
            file_name("2026-11-30\"", "../x", "table-2", "csv"),
            "2026-11-30-table-2-x.csv"
        );
    }

    /// The README documents every field the file has.
    #[test]
    fn the_readme_documents_every_field() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("## Exchange format (session JSON)")
            .expect("the section");
        let section = &readme[start..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
        let value = serde_json::to_value(minimal()).expect("json");
        let mut missing = Vec::new();
        let mut look = |key: &str| {
            // `id`, `tables[]`, `session.id`, `content.hash`…
            let forms = [
                format!("`{key}`"),
                format!("`{key}[]`"),
                format!(".{key}`"),
                format!("`{key}."),
            ];
            if !forms.iter().any(|f| section.contains(f.as_str())) {
                missing.push(key.to_string());
            }
        };
        let object = value.as_object().expect("object");
        for (key, part) in object {
            look(key);
            let inner = match part {
                serde_json::Value::Array(items) => items.first(),
                other => Some(other),
            };
            if let Some(serde_json::Value::Object(fields)) = inner {
                for field in fields.keys() {
                    look(field);
                }
            }
        }
        assert!(missing.is_empty(), "not in the README: {missing:?}");
    }
}
