//! Reading and checking a session file without touching any database: the JSON, the
//! format and version, every field, the references between the parts and the content.

use std::collections::BTreeSet;

use super::format::{FORMAT, SessionExport, VERSION};
use super::problem::{ImportError, Problem, answer_problem};
use crate::answer::Answer;
use crate::content::{Library, Sources, StepKind};
use crate::db::{Pace, SessionStatus, TimerState};
use crate::session::{MAX_SEATS, MAX_TABLES};
use crate::survey::SurveyAnswers;

/// Longest string anywhere in a file outside the content snapshot: the longest text
/// any form takes (the facilitator's notes). Tighter limits per field are in `check`.
const STRING_MAX: usize = crate::text::NOTES_MAX;

/// Reads an uploaded file's bytes as text: UTF-8, with or without a byte-order mark.
pub fn text_of(bytes: &[u8]) -> Result<&str, ImportError> {
    let bytes = bytes.strip_prefix(crate::text::csv::BOM).unwrap_or(bytes);
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
                return Err(ImportError::Invalid(vec![Problem::at_path(
                    "version",
                    "exchange.bad.version",
                    &[&v, &VERSION],
                )]));
            }
        },
        None => {
            return Err(ImportError::Invalid(vec![Problem::at_path(
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
            Some(field) if path.is_empty() => Problem::at_path(field, "exchange.bad.missing", &[]),
            Some(field) => Problem::at_path(format!("{path}.{field}"), "exchange.bad.missing", &[]),
            None => Problem::at_path(path, "exchange.bad.value", &[&detail]),
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
                too_long.push(Problem::at_path(
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
        out.push(Problem::at_path(path, key, args));
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
    one_of(
        "session.status".into(),
        &s.status,
        &SessionStatus::ALL
            .iter()
            .map(|v| v.code())
            .collect::<Vec<_>>(),
    );
    one_of(
        "session.pace".into(),
        &s.pace,
        &Pace::ALL.iter().map(|v| v.code()).collect::<Vec<_>>(),
    );
    for (i, t) in x.step_timers.iter().enumerate() {
        one_of(
            format!("step_timers[{i}].state"),
            &t.state,
            &TimerState::ALL.iter().map(|v| v.code()).collect::<Vec<_>>(),
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
                    &[&format!(
                        "{}:{}: {}",
                        p.path,
                        p.line,
                        p.message(crate::lang::Lang::Ja)
                    )],
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
                    // A file an older version wrote may hold an older shape.
                    let mut value = c.answer.clone();
                    Answer::upgrade(&mut value);
                    match serde_path_to_error::deserialize::<_, Answer>(&value) {
                        Err(e) => {
                            let path = below(at("answer"), &e.path().to_string());
                            bad(path, "exchange.bad.value", &[e.inner()]);
                        }
                        Ok(answer) => {
                            if let Err(error) = answer.check(prompt) {
                                answer_problems.push(answer_problem(at("answer"), error));
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
    let mut moved = BTreeSet::new();
    // The themes the report applies to this session: its curriculum's, then the
    // built-ins (as `report::cross::build` takes them).
    let themes: Vec<String> =
        crate::report::items::themes_with(curriculum.map_or(&[][..], |c| c.themes.as_slice()))
            .into_iter()
            .map(|t| t.id)
            .chain([crate::report::items::OTHER.to_string()])
            .collect();
    for (i, m) in x.theme_moves.iter().enumerate() {
        let at = |field: &str| format!("theme_moves[{i}].{field}");
        if !known(m.table) {
            bad(
                at("table"),
                "exchange.bad.table",
                &[&m.table, &s.table_count],
            );
        }
        if let (Ok(library), Some(curriculum)) = (&library, curriculum) {
            match crate::session::prompt_by_key(library, curriculum, &m.prompt_key) {
                None => bad(at("prompt_key"), "exchange.bad.prompt", &[&m.prompt_key]),
                Some((prompt, _))
                    if !matches!(prompt.kind, crate::content::PromptKind::ThreeField { .. }) =>
                {
                    bad(
                        at("prompt_key"),
                        "exchange.bad.theme_prompt",
                        &[&m.prompt_key],
                    );
                }
                Some(_) => {}
            }
        }
        if m.item.is_empty() {
            bad(at("item"), "exchange.bad.empty", &[]);
        } else if crate::report::items::normalize(&m.item) != m.item {
            // The key is what the report compares: anything else could never match.
            bad(at("item"), "exchange.bad.item_key", &[&m.item]);
        }
        if !themes.contains(&m.theme) {
            bad(
                at("theme"),
                "exchange.bad.theme",
                &[&m.theme, &themes.join(", ")],
            );
        }
        if m.moved_by.trim().is_empty() {
            bad(at("moved_by"), "exchange.bad.empty", &[]);
        }
        if !moved.insert((m.prompt_key.as_str(), m.table, m.item.as_str())) {
            bad(
                at("item"),
                "exchange.bad.duplicate",
                &[&format!(
                    "prompt_key={}, table={}, item={}",
                    m.prompt_key, m.table, m.item
                )],
            );
        }
    }
    out.extend(answer_problems);
    out
}
