//! Typing up paper: a finished meeting's results, reported on paper or in Word, entered
//! by the organizer in one go — from a CSV file (`テーブル,設問,見出し,内容`, one item or
//! one list per row) or from a table's report text pasted as it was typed.
//!
//! Both become [`Row`]s, and [`plan`] turns the rows into one answer per table and
//! prompt, built and checked exactly as a table's save is ([`Answer::from_form`]: the
//! same cleaning, the same limits). Every problem is named with its line — the row
//! number a spreadsheet shows, the header being 1 — and the caller stores nothing
//! unless there are none. The answers are stored as new versions on top of what is
//! there (`db::conclusions::save_typed_up`), never in place of it.

use serde::Serialize;

use crate::answer::Answer;
use crate::content::{ListHeading, OWN_HEADING_LEN_MAX, OWN_HEADINGS_MAX, Prompt, PromptKind};
use crate::db::conclusions::ConclusionRow;
use crate::db::tables::TableRow;
use crate::lang::Lang;
use crate::problem::{Place, Problem};
use crate::roster::normalize;
use crate::session::{Run, step_prompt_key};

/// The header line of the template, Japanese first.
pub const TEMPLATE_HEADER: &str = "テーブル,設問,見出し,内容";

/// One row of what was typed up: a CSV row, or one headed list of a pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Where it starts: the spreadsheet row of a CSV file, the line of a pasted text.
    pub line: usize,
    /// The table as written (`3`, `テーブル3`, `G3`).
    pub table: String,
    /// The prompt's id, key or title; may be empty.
    pub prompt: String,
    /// The heading as written (`【地域の課題】`, `具体的方策`, `measures`); empty for a
    /// text prompt.
    pub heading: String,
    /// What is written under it, lines as typed.
    pub text: String,
}

/// A CSV file read without problems.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Its rows, blank rows left out.
    pub rows: Vec<Row>,
    /// The encoding it was in (`UTF-8`, `Shift_JIS`, `UTF-16`).
    pub encoding: &'static str,
    /// The file as text, for the preview to post back (the server reads it again).
    pub text: String,
}

/// The columns of a typed-up CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Table,
    Prompt,
    Heading,
    Text,
}

/// Header names accepted for each column (compared after [`normalize`]).
const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Table,
        &[
            "テーブル",
            "テーブル番号",
            "グループ",
            "グループ番号",
            "班",
            "table",
            "group",
        ],
    ),
    (
        Column::Prompt,
        &["設問", "問い", "質問", "prompt", "question"],
    ),
    (Column::Heading, &["見出し", "項目", "heading"]),
    (Column::Text, &["内容", "本文", "記述", "text", "content"]),
];

/// Columns a file must have (the prompt may be left out when the session has one
/// three-field prompt).
const REQUIRED: &[(Column, &str)] = &[
    (Column::Table, "テーブル"),
    (Column::Heading, "見出し"),
    (Column::Text, "内容"),
];

/// Reads a typed-up CSV file, or says everything that is wrong with its shape. UTF-8
/// with or without a byte-order mark, Excel's Shift_JIS and UTF-16 are read; CRLF and
/// cells with line breaks (Alt+Enter in Excel) too.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, Vec<Problem>> {
    let (text, encoding) = crate::roster::decode(bytes)
        .map_err(|_| vec![Problem::at_line(0, "typeup.err_encoding", &[])])?;
    let mut sheet = read_text(&text)?;
    sheet.encoding = encoding;
    Ok(sheet)
}

/// A CSV file's text (decoded, or posted back by the preview): hidden characters
/// removed and line ends unified first (see [`crate::text::strip`]), so what the
/// preview posts back is clean too.
pub fn read_text(text: &str) -> Result<Sheet, Vec<Problem>> {
    let text = crate::text::strip(text.strip_prefix('\u{FEFF}').unwrap_or(text));
    let rows = read_rows(&text)?;
    Ok(Sheet {
        rows,
        encoding: "UTF-8",
        text,
    })
}

/// The rows of a CSV text (see [`read_csv`]).
pub fn read_rows(text: &str) -> Result<Vec<Row>, Vec<Problem>> {
    let first_line = text.lines().next().unwrap_or("");
    // Excel's "Unicode text" is tab-separated.
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // A spreadsheet counts rows, and a cell with line breaks is one row: the row of a
    // record is the text's line it starts on, less the line breaks earlier cells held
    // (`folded`). Lines are counted up to each record's first byte (the reader's
    // position may point at the line ends it skipped before the record).
    let bytes = text.as_bytes();
    let (mut counted, mut lines, mut folded) = (0usize, 1usize, 0usize);
    let mut row_at = |mut byte: usize, folded: usize| {
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte > counted {
            lines += bytes[counted..byte].iter().filter(|b| **b == b'\n').count();
            counted = byte;
        }
        lines.saturating_sub(folded)
    };
    let held = |record: &csv::StringRecord| -> usize {
        record.iter().map(|c| c.matches('\n').count()).sum()
    };
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(_)) => return Err(vec![Problem::at_line(1, "typeup.err_csv", &[])]),
        None => return Err(vec![Problem::at_line(0, "typeup.err_empty", &[])]),
    };
    folded += held(&header);
    let mut problems = Vec::new();
    let mut columns: Vec<Option<Column>> = Vec::new();
    for cell in header.iter() {
        let cleaned = crate::text::clean_line(cell);
        // `内容（1行に1項目）` and `見出し*` name the same columns as `内容` and `見出し`.
        let base = cleaned
            .split(['（', '('])
            .next()
            .unwrap_or("")
            .trim_end_matches(['*', '＊', '※']);
        let key = normalize(base);
        let column = HEADERS
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalize(n) == key))
            .map(|(c, _)| *c);
        match column {
            Some(c) if columns.contains(&Some(c)) => {
                problems.push(Problem::at_line(1, "typeup.err_column_twice", &[&cleaned]));
            }
            Some(_) => {}
            None if cleaned.is_empty() => {}
            None => problems.push(Problem::at_line(
                1,
                "typeup.err_unknown_column",
                &[&clip(&cleaned)],
            )),
        }
        columns.push(column);
    }
    for (column, label) in REQUIRED {
        if !columns.contains(&Some(*column)) {
            problems.push(Problem::at_line(1, "typeup.err_missing_column", &[label]));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let index = |c: Column| columns.iter().position(|x| *x == Some(c));
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| row_at(p.byte() as usize, folded));
                problems.push(Problem::at_line(line, "typeup.err_csv", &[]));
                // The rest of the file cannot be counted reliably after a broken quote.
                break;
            }
        };
        let line = row_at(record.position().map_or(0, |p| p.byte() as usize), folded);
        folded += held(&record);
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() > columns.len()
            && record
                .iter()
                .skip(columns.len())
                .any(|v| !v.trim().is_empty())
        {
            problems.push(Problem::at_line(
                line,
                "typeup.err_extra_cells",
                &[&columns.len()],
            ));
            continue;
        }
        let cell = |c: Column| {
            index(c)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_string()
        };
        rows.push(Row {
            line,
            table: crate::text::clean_line(&cell(Column::Table)),
            prompt: crate::text::clean_line(&cell(Column::Prompt)),
            heading: crate::text::clean_line(&cell(Column::Heading)),
            text: crate::text::clean_text(&cell(Column::Text)),
        });
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem::at_line(0, "typeup.err_empty", &[]));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A cell echoed in a message, clipped: a file may hold anything.
fn clip(text: &str) -> String {
    const SHOWN: usize = 30;
    if text.chars().count() > SHOWN {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The heading a pasted line starts, if it starts one: `【…】`, `〈…〉`, `《…》`, `■…`,
/// or a line ending in `：`/`:` that is not a bullet item.
pub fn heading_line(line: &str) -> Option<String> {
    let line = line.trim().trim_matches('\u{3000}').trim();
    if line.is_empty() {
        return None;
    }
    for (open, close) in [('【', '】'), ('〈', '〉'), ('《', '》'), ('＜', '＞')] {
        if let Some(inner) = line.strip_prefix(open).and_then(|l| l.strip_suffix(close))
            && !inner.contains(close)
        {
            return Some(inner.trim().to_string());
        }
    }
    if let Some(rest) = line.strip_prefix(['■', '□', '◆', '◇']) {
        return Some(bare_heading(rest));
    }
    let bullet = line.starts_with(['・', '●', '○', '-', '－', '*', '•', '→', '（', '(']);
    if !bullet && (line.ends_with('：') || line.ends_with(':')) {
        return Some(bare_heading(line));
    }
    None
}

/// A heading without what marks it as one: the brackets around it (`【…】`), a leading
/// `■`, a trailing colon.
pub fn bare_heading(text: &str) -> String {
    let mut h = text.trim().trim_start_matches(['■', '□', '◆', '◇']).trim();
    for (open, close) in [
        ('【', '】'),
        ('〈', '〉'),
        ('《', '》'),
        ('＜', '＞'),
        ('［', '］'),
        ('[', ']'),
    ] {
        if let Some(inner) = h.strip_prefix(open).and_then(|l| l.strip_suffix(close)) {
            h = inner.trim();
        }
    }
    h.trim_end_matches(['：', ':']).trim().to_string()
}

/// A table's whole report text, as typed in Word, as rows under its headings (`headed`:
/// for a three-field prompt; otherwise the whole text is one row). A heading with
/// nothing under it is left out, as a group's empty heading is.
pub fn paste_rows(
    text: &str,
    table: &str,
    prompt: &str,
    headed: bool,
) -> Result<Vec<Row>, Vec<Problem>> {
    let text = crate::text::clean_text(text);
    let row = |line: usize, heading: &str, body: &[&str]| Row {
        line,
        table: table.to_string(),
        prompt: prompt.to_string(),
        heading: heading.to_string(),
        text: trim_blank_lines(body),
    };
    if !headed {
        let lines: Vec<&str> = text.split('\n').collect();
        let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
        return Ok(vec![row(first + 1, "", &lines)]);
    }
    let mut rows = Vec::new();
    let mut current: Option<(usize, String, Vec<&str>)> = None;
    for (n, line) in text.split('\n').enumerate() {
        if let Some(heading) = heading_line(line) {
            if let Some((at, h, body)) = current.take() {
                rows.push(row(at, &h, &body));
            }
            current = Some((n + 1, heading, Vec::new()));
            continue;
        }
        match &mut current {
            Some((_, _, body)) => body.push(line),
            None if line.trim().is_empty() => {}
            None => {
                return Err(vec![Problem::at_line(
                    n + 1,
                    "typeup.err_before_heading",
                    &[&clip(line.trim())],
                )]);
            }
        }
    }
    if let Some((at, h, body)) = current.take() {
        rows.push(row(at, &h, &body));
    }
    rows.retain(|r| !r.text.trim().is_empty());
    if rows.is_empty() {
        return Err(vec![Problem::at_line(0, "typeup.err_paste_empty", &[])]);
    }
    Ok(rows)
}

/// The lines joined, blank lines at either end dropped.
fn trim_blank_lines(lines: &[&str]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines[s..=e].join("\n").trim_end().to_string(),
        _ => String::new(),
    }
}

/// A prompt the organizer may type up: a table prompt of a curriculum step.
#[derive(Debug, Clone, Serialize)]
pub struct Typable {
    /// Its stored key (`curriculum:<id>:<prompt>`).
    pub key: String,
    /// Its id in the file.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether it is a three-field report (else a text prompt, or one that cannot be
    /// typed up).
    pub headed: bool,
    /// Whether it can be typed up at all (three-field or text).
    pub typable: bool,
    /// The index of its step.
    pub step_index: i64,
    /// Its headings as a reader of each language sees them (three-field only).
    pub headings: Vec<String>,
}

/// The table prompts of the session's curriculum steps, in step order.
pub fn prompts(run: &Run, lang: Lang) -> Vec<Typable> {
    candidates(run, lang).into_iter().map(|(t, _)| t).collect()
}

/// [`prompts`], each with its prompt.
fn candidates(run: &Run, lang: Lang) -> Vec<(Typable, &Prompt)> {
    let mut out = Vec::new();
    for (index, step) in run.curriculum.steps.iter().enumerate() {
        for prompt in step.table_prompts() {
            let headings = match &prompt.kind {
                PromptKind::ThreeField { headings, .. } => {
                    headings.iter().map(|h| h.label(lang)).collect()
                }
                _ => Vec::new(),
            };
            let typable = Typable {
                key: step_prompt_key(&run.curriculum, prompt),
                id: prompt.id.clone(),
                title: prompt.title.clone(),
                headed: matches!(prompt.kind, PromptKind::ThreeField { .. }),
                typable: matches!(
                    prompt.kind,
                    PromptKind::ThreeField { .. } | PromptKind::Text { .. }
                ),
                step_index: index as i64,
                headings,
            };
            out.push((typable, prompt));
        }
    }
    out
}

/// Why a prompt cell names no prompt.
enum PromptMiss {
    /// Empty, and the session has not exactly one three-field prompt.
    Empty,
    /// No prompt has this id, key or title.
    Unknown,
    /// Two prompts have this title.
    Ambiguous,
}

/// The prompt a cell names: its key, its id, or its title; an empty cell names the
/// session's one three-field prompt.
fn find_prompt<'a, 'r>(
    prompts: &'a [(Typable, &'r Prompt)],
    cell: &str,
) -> Result<&'a (Typable, &'r Prompt), PromptMiss> {
    if cell.trim().is_empty() {
        let mut headed = prompts.iter().filter(|(p, _)| p.headed);
        return match (headed.next(), headed.next()) {
            (Some(one), None) => Ok(one),
            _ => Err(PromptMiss::Empty),
        };
    }
    let wanted = normalize(cell);
    if let Some(p) = prompts
        .iter()
        .find(|(p, _)| p.key == cell.trim() || normalize(&p.id) == wanted)
    {
        return Ok(p);
    }
    let titled: Vec<&(Typable, &Prompt)> = prompts
        .iter()
        .filter(|(p, _)| normalize(&bare_heading(&p.title)) == normalize(&bare_heading(cell)))
        .collect();
    match titled[..] {
        [one] => Ok(one),
        [] => Err(PromptMiss::Unknown),
        _ => Err(PromptMiss::Ambiguous),
    }
}

/// The curriculum heading a written heading names (by its label in either language or
/// its id), else `None`: a heading of the group's own.
fn curriculum_heading<'a>(headings: &'a [ListHeading], written: &str) -> Option<&'a ListHeading> {
    let wanted = normalize(written);
    headings.iter().find(|h| {
        normalize(&h.label(Lang::Ja)) == wanted
            || normalize(&h.label(Lang::En)) == wanted
            || normalize(&h.id) == wanted
    })
}

/// One answer the rows make: a table's answer to a prompt, checked, ready to store.
#[derive(Debug, Clone)]
pub struct Typed {
    /// The row it starts at.
    pub line: usize,
    /// Table number.
    pub table: i64,
    /// The `session_table` row id.
    pub table_id: i64,
    /// The prompt's stored key.
    pub prompt_key: String,
    /// The prompt's title.
    pub prompt_title: String,
    /// The index of the prompt's step (stored with the version).
    pub step_index: i64,
    /// The answer, as a table's save would store it.
    pub answer: Answer,
    /// The version stored now (0: no answer yet); the typed-up one goes on top.
    pub current: i64,
    /// True when the stored answer is already this one (nothing new is stored).
    pub unchanged: bool,
}

/// A list being gathered from rows.
struct Draft {
    line: usize,
    of: Option<String>,
    own: Option<String>,
    lines: Vec<String>,
}

/// One table's answer to one prompt being gathered from rows.
struct Group<'p, 'r> {
    line: usize,
    table: &'p TableRow,
    prompt: &'p Typable,
    of: &'r Prompt,
    lists: Vec<Draft>,
}

/// Turns rows into answers, one per table and prompt in the order they first appear:
/// rows with the same table, prompt and heading are joined with line breaks in order,
/// and the lists keep the order they first appear. Every problem is returned with its
/// line; there are answers only when there are none.
pub fn plan(
    run: &Run,
    tables: &[TableRow],
    latest: &[ConclusionRow],
    rows: &[Row],
) -> Result<Vec<Typed>, Vec<Problem>> {
    let prompts = candidates(run, Lang::Ja);
    let titles = || {
        prompts
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.typable)
            .map(|p| format!("「{}」（{}）", p.title, p.id))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut problems = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for row in rows {
        let at = |key: &'static str, args: &[&dyn std::fmt::Display]| {
            Problem::at_line(row.line, key, args)
        };
        let table = match crate::roster::parse_table(&row.table) {
            Ok(Some(n)) => match tables.iter().find(|t| t.number == n) {
                Some(t) => Some(t),
                None => {
                    problems.push(at("typeup.err_table_over", &[&n, &tables.len()]));
                    None
                }
            },
            Ok(None) => {
                problems.push(at("typeup.err_no_table", &[]));
                None
            }
            Err(_) => {
                // A plain number past the largest table a session may have is still a
                // table that is not there.
                match normalize(&row.table).parse::<i64>() {
                    Ok(n) => problems.push(at("typeup.err_table_over", &[&n, &tables.len()])),
                    Err(_) => {
                        problems.push(at("typeup.err_table", &[&clip(&row.table), &tables.len()]))
                    }
                }
                None
            }
        };
        let prompt = match find_prompt(&prompts, &row.prompt) {
            Ok((p, _)) if !p.typable => {
                problems.push(at("typeup.err_kind", &[&p.title]));
                None
            }
            Ok(p) => Some(p),
            Err(PromptMiss::Empty) => {
                problems.push(at("typeup.err_no_prompt", &[&titles()]));
                None
            }
            Err(PromptMiss::Unknown) => {
                problems.push(at("typeup.err_prompt", &[&clip(&row.prompt), &titles()]));
                None
            }
            Err(PromptMiss::Ambiguous) => {
                problems.push(at("typeup.err_prompt_twice", &[&clip(&row.prompt)]));
                None
            }
        };
        if row.text.trim().is_empty() {
            problems.push(at("typeup.err_no_text", &[]));
            continue;
        }
        let (Some(table), Some((prompt, of_prompt))) = (table, prompt) else {
            continue;
        };
        let heading = bare_heading(&row.heading);
        let kind = &of_prompt.kind;
        // Which list of the group this row goes into: `of` a curriculum heading, or own.
        let (of, own) = match kind {
            PromptKind::ThreeField { headings, .. } => {
                if heading.is_empty() {
                    problems.push(at("typeup.err_no_heading", &[&prompt.title]));
                    continue;
                }
                match curriculum_heading(headings, &heading) {
                    Some(h) => (Some(h.id.clone()), None),
                    None if heading.chars().count() > OWN_HEADING_LEN_MAX => {
                        problems.push(at(
                            "typeup.err_heading_long",
                            &[&clip(&heading), &OWN_HEADING_LEN_MAX],
                        ));
                        continue;
                    }
                    None => (None, Some(heading)),
                }
            }
            _ => {
                if !heading.is_empty() {
                    problems.push(at(
                        "typeup.err_heading_on_text",
                        &[&clip(&heading), &prompt.title],
                    ));
                    continue;
                }
                (None, None)
            }
        };
        let group = match groups
            .iter()
            .position(|g| g.table.id == table.id && g.prompt.key == prompt.key)
        {
            Some(i) => &mut groups[i],
            None => {
                groups.push(Group {
                    line: row.line,
                    table,
                    prompt,
                    of: of_prompt,
                    lists: Vec::new(),
                });
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        match group.lists.iter_mut().find(|d| d.of == of && d.own == own) {
            Some(draft) => draft.lines.push(row.text.clone()),
            None => {
                let owned = group.lists.iter().filter(|d| d.own.is_some()).count();
                if own.is_some() && owned >= OWN_HEADINGS_MAX {
                    problems.push(at(
                        "typeup.err_too_many_headings",
                        &[&table.number, &OWN_HEADINGS_MAX],
                    ));
                    continue;
                }
                group.lists.push(Draft {
                    line: row.line,
                    of,
                    own,
                    lines: vec![row.text.clone()],
                });
            }
        }
    }
    let mut typed = Vec::new();
    for group in &groups {
        let prompt = group.of;
        let max = match &prompt.kind {
            PromptKind::ThreeField { max, .. } | PromptKind::Text { max } => *max,
            _ => usize::MAX,
        };
        let mut form: Vec<(String, String)> = Vec::new();
        let mut too_long = false;
        for (n, draft) in group.lists.iter().enumerate() {
            let text = draft.lines.join("\n");
            let len = crate::text::clean_text(&text).chars().count();
            if len > max {
                too_long = true;
                let shown = match (&draft.of, &draft.own) {
                    (_, Some(own)) => own.clone(),
                    (Some(of), None) => match &prompt.kind {
                        PromptKind::ThreeField { headings, .. } => headings
                            .iter()
                            .find(|h| &h.id == of)
                            .map_or(of.clone(), |h| h.label(Lang::Ja)),
                        _ => of.clone(),
                    },
                    (None, None) => prompt.title.clone(),
                };
                problems.push(Problem::at_line(
                    draft.line,
                    "typeup.err_too_long",
                    &[&group.table.number, &shown, &len, &max],
                ));
            }
            match (&draft.of, &draft.own) {
                (Some(of), _) => form.push((format!("lists.{n}.of"), of.clone())),
                (None, Some(own)) => form.push((format!("lists.{n}.heading"), own.clone())),
                (None, None) => {}
            }
            let field = if draft.of.is_none() && draft.own.is_none() {
                "text".to_string()
            } else {
                format!("lists.{n}.text")
            };
            form.push((field, text));
        }
        if too_long {
            continue;
        }
        // The one decoding and check of a table's save: the same cleaning and limits.
        match Answer::from_form(prompt, &form) {
            Ok(answer) => {
                let stored = latest
                    .iter()
                    .find(|c| c.table_id == group.table.id && c.prompt_key == group.prompt.key);
                typed.push(Typed {
                    line: group.line,
                    table: group.table.number,
                    table_id: group.table.id,
                    prompt_key: group.prompt.key.clone(),
                    prompt_title: group.prompt.title.clone(),
                    step_index: group.prompt.step_index,
                    current: stored.map_or(0, |c| c.version),
                    unchanged: stored.and_then(|c| c.answer.answer()) == Some(&answer),
                    answer,
                });
            }
            Err(error) => problems.push(Problem {
                at: Place::Line(group.line),
                key: "typeup.err_answer",
                args: Vec::new(),
                answer: Some(error),
            }),
        }
    }
    if rows.is_empty() {
        problems.push(Problem::at_line(0, "typeup.err_empty", &[]));
    }
    if problems.is_empty() {
        Ok(typed)
    } else {
        problems.sort_by_key(|p| p.line());
        Err(problems)
    }
}

/// Checks `rows` against the session as it is stored now (`conn`): its tables, the
/// answers they have, and whether its free text was purged.
pub fn check(
    conn: &rusqlite::Connection,
    run: &Run,
    rows: &[Row],
) -> Result<Result<Vec<Typed>, Vec<Problem>>, crate::db::DbError> {
    let id = &run.session.id;
    let purged = crate::db::sessions::session(conn, id)?.is_none_or(|s| s.purged_at.is_some());
    if purged {
        return Ok(Err(vec![Problem::at_line(0, "typeup.err_purged", &[])]));
    }
    let tables = crate::db::tables::tables(conn, id)?;
    let latest = crate::db::conclusions::latest_conclusions(conn, id)?;
    Ok(plan(run, &tables, &latest, rows))
}

/// Stores checked answers, each as a new version on top (see
/// [`crate::db::conclusions::save_typed_up`]); returns how many were stored and how
/// many were already so.
pub fn store(
    conn: &mut rusqlite::Connection,
    session_id: &str,
    typed: Vec<Typed>,
    via: &str,
) -> Result<(usize, usize), crate::db::DbError> {
    let answers: Vec<crate::db::conclusions::TypedAnswer> = typed
        .into_iter()
        .map(|t| crate::db::conclusions::TypedAnswer {
            table_id: t.table_id,
            prompt_key: t.prompt_key,
            answer: t.answer,
            step_index: t.step_index,
        })
        .collect();
    crate::db::conclusions::save_typed_up(conn, session_id, &answers, via)
}

/// What the preview showed as stored, to compare when the save is confirmed: the
/// version of each answer the rows make, as one string.
pub fn seen(typed: &[Typed]) -> String {
    typed
        .iter()
        .map(|t| format!("{}/{}={}", t.table_id, t.prompt_key, t.current))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One list of a typed-up answer as the preview shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewList {
    /// The heading as a reader of the page's language sees it.
    pub heading: String,
    /// True for a heading of the group's own (not one of the curriculum's).
    pub own: bool,
    /// What goes under it.
    pub text: String,
}

/// One typed-up answer as the preview shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewAnswer {
    /// The row it starts at.
    pub line: usize,
    /// Table number.
    pub table: i64,
    /// The prompt's title.
    pub prompt: String,
    /// The version stored now (0: none).
    pub current: i64,
    /// Whether the same answer is stored already.
    pub unchanged: bool,
    /// The headed lists (three-field).
    pub lists: Vec<PreviewList>,
    /// The text (a text prompt).
    pub text: Option<String>,
}

/// The answers as the preview shows them, with headings in `lang`.
pub fn preview(run: &Run, typed: &[Typed], lang: Lang) -> Vec<PreviewAnswer> {
    typed
        .iter()
        .filter_map(|t| {
            let (prompt, _) = run.prompt(&t.prompt_key)?;
            let (lists, text) = match &t.answer {
                Answer::ThreeField { lists } => (
                    lists
                        .iter()
                        .map(|l| PreviewList {
                            heading: l.heading(prompt, lang).0,
                            own: l.heading.is_some(),
                            text: l.text.clone(),
                        })
                        .collect(),
                    None,
                ),
                Answer::Text { text } => (Vec::new(), Some(text.clone())),
                _ => (Vec::new(), None),
            };
            Some(PreviewAnswer {
                line: t.line,
                table: t.table,
                prompt: t.prompt_title.clone(),
                current: t.current,
                unchanged: t.unchanged,
                lists,
                text,
            })
        })
        .collect()
}

/// The template offered for download: the header and example rows for the session's
/// first three-field prompt (or a text prompt), UTF-8 with a byte-order mark for Excel.
pub fn template_csv(run: &Run) -> Vec<u8> {
    let mut out = crate::text::csv::Writer::new();
    out.row(TEMPLATE_HEADER.split(','));
    let prompts = prompts(run, Lang::Ja);
    if let Some(p) = prompts.iter().find(|p| p.headed) {
        let first = p.headings.first().cloned().unwrap_or_default();
        let last = p.headings.last().cloned().unwrap_or_default();
        out.row([
            "1",
            p.id.as_str(),
            first.as_str(),
            "・顔の見える関係ができた",
        ]);
        out.row([
            "1",
            p.id.as_str(),
            first.as_str(),
            "・退院前カンファレンスに在宅側が参加できた",
        ]);
        out.row([
            "1",
            p.id.as_str(),
            "地域の課題",
            "・夜間の連絡先が分からない",
        ]);
        out.row([
            "2",
            p.id.as_str(),
            last.as_str(),
            "・年2回の多職種研修を続ける",
        ]);
    } else if let Some(p) = prompts.iter().find(|p| p.typable) {
        out.row(["1", p.id.as_str(), "", "グループで話し合ったこと"]);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(problems: &[Problem]) -> Vec<(usize, &'static str)> {
        problems.iter().map(|p| (p.line(), p.key)).collect()
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = "\u{FEFF}テーブル,設問,見出し,内容\r\n1,,効果,\"一行目\r\n二行目\r\n三行目\"\r\n\r\n2,,課題,次\r\n,,,\r\n3,,x,\"a\nb\"\r\n4,,y,z\r\n";
        let sheet = read_csv(text.as_bytes()).expect("reads");
        let lines: Vec<usize> = sheet.rows.iter().map(|r| r.line).collect();
        // Row 3 is the blank line, row 5 the row of empty cells.
        assert_eq!(lines, [2, 4, 6, 7]);
        assert_eq!(sheet.rows[0].text, "一行目\n二行目\n三行目");
        assert_eq!(sheet.rows[2].heading, "x");
        assert_eq!(sheet.encoding, "UTF-8");
    }

    #[test]
    fn english_headers_shift_jis_and_tabs_are_read() {
        let text = "table\tprompt\theading\ttext\n3\tq\tmeasures\t・研修\n";
        let rows = read_rows(text).expect("tabs");
        assert_eq!(rows[0].table, "3");
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("テーブル,見出し,内容\r\n1,課題,人手不足\r\n");
        let sheet = read_csv(&sjis).expect("Shift_JIS");
        assert_eq!(sheet.encoding, "Shift_JIS");
        assert_eq!(sheet.rows[0].text, "人手不足");
        let garbage = [0x82, 0xA0, 0xFF, 0xFF, 0x0A];
        assert_eq!(
            keys(&read_csv(&garbage).expect_err("unreadable")),
            [(0, "typeup.err_encoding")]
        );
    }

    #[test]
    fn header_problems_are_named() {
        let problems = read_rows("テーブル,内容,備考,内容\n1,a,b,c\n").expect_err("header");
        assert_eq!(
            keys(&problems),
            [
                (1, "typeup.err_unknown_column"),
                (1, "typeup.err_column_twice"),
                (1, "typeup.err_missing_column")
            ]
        );
        assert!(problems[0].message(Lang::Ja).contains("備考"));
        assert!(problems[2].message(Lang::Ja).contains("見出し"));
        assert_eq!(
            keys(&read_rows("テーブル,見出し,内容\n").expect_err("no rows")),
            [(0, "typeup.err_empty")]
        );
        assert_eq!(
            keys(&read_rows("テーブル,見出し,内容\n1,a,b,c\n").expect_err("extra")),
            [(2, "typeup.err_extra_cells")]
        );
    }

    #[test]
    fn pasted_headings_start_lists() {
        for (line, heading) in [
            ("【効果のあった取り組み】", Some("効果のあった取り組み")),
            ("■苦労した点", Some("苦労した点")),
            ("〈今後の方策〉", Some("今後の方策")),
            ("地域の課題：", Some("地域の課題")),
            ("・次の3点：", None),
            ("（医師会との連携）", None),
            ("・研修を続ける", None),
            ("【A】と【B】", None),
        ] {
            assert_eq!(heading_line(line).as_deref(), heading, "{line}");
        }
        let text = "\n【効果のあった取り組み】\n・顔の見える関係\n\n・研修\n【苦労した点】\n\n■今後：\n（市の役割）\n→予算化\n";
        let rows = paste_rows(text, "3", "q", true).expect("rows");
        let shown: Vec<(usize, &str, &str)> = rows
            .iter()
            .map(|r| (r.line, r.heading.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (2, "効果のあった取り組み", "・顔の見える関係\n\n・研修"),
                (8, "今後", "（市の役割）\n→予算化"),
            ]
        );
        assert_eq!(
            keys(&paste_rows("グループ3\n【課題】\nx", "3", "q", true).expect_err("before")),
            [(1, "typeup.err_before_heading")]
        );
        let whole = paste_rows("\n本文\n二行目\n", "1", "t", false).expect("text");
        assert_eq!((whole[0].line, whole[0].text.as_str()), (2, "本文\n二行目"));
    }

    #[test]
    fn every_message_reads_in_both_languages() {
        for key in [
            "typeup.err_encoding",
            "typeup.err_csv",
            "typeup.err_empty",
            "typeup.err_column_twice",
            "typeup.err_unknown_column",
            "typeup.err_missing_column",
            "typeup.err_extra_cells",
            "typeup.err_before_heading",
            "typeup.err_paste_empty",
            "typeup.err_table_over",
            "typeup.err_no_table",
            "typeup.err_table",
            "typeup.err_kind",
            "typeup.err_no_prompt",
            "typeup.err_prompt",
            "typeup.err_prompt_twice",
            "typeup.err_no_text",
            "typeup.err_no_heading",
            "typeup.err_heading_long",
            "typeup.err_heading_on_text",
            "typeup.err_too_many_headings",
            "typeup.err_too_long",
            "typeup.err_answer",
            "typeup.err_purged",
        ] {
            for lang in Lang::ALL {
                assert!(crate::i18n::text(lang, key).is_some(), "{key} in {lang:?}");
            }
        }
    }
}
