//! The record of a session (every step, every table's conclusions drawn as their
//! structure, the paths tables took, what the plenary was shown, tallies) and the
//! record of one table, for the table to take home.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use crate::content::{Library, StepKind};
use crate::db::DbError;
use crate::db::roster::ParticipantRow;
use crate::db::survey::ResponseRow;
use crate::db::{
    conclusions, conclusions::ConclusionRow, conclusions::VisitRow, events, sessions,
    sessions::SessionRow, tables, tables::TableRow,
};
use crate::pdf::{Block, Border, Cell, Doc, Heading, Para, SMALL, Span, Table, Tone};
use crate::report::survey::{StepResult, Tally, summarize};
use crate::session::{PromptReport, Run, StepReport, step_reports, step_times};

use super::answers::{answer, comparison, tally};
use super::programme::step_label;
use super::{Document, Labels, localize};
use crate::text::time::datetime;

/// Everything a record is made from, read in one go.
#[derive(Clone)]
pub struct SessionData {
    /// The session and its content snapshot.
    pub run: Run,
    /// Its tables.
    pub tables: Vec<TableRow>,
    /// The newest version of every conclusion.
    pub conclusions: Vec<ConclusionRow>,
    /// Scene paths.
    pub visits: Vec<VisitRow>,
    /// Step changes: (time, from, to).
    pub step_changes: Vec<(i64, i64, i64)>,
    /// Projector spotlights: (step current then, tables shown).
    pub spotlights: Vec<(i64, Vec<i64>)>,
    /// The individual survey responses (summarised, never listed one by one).
    pub responses: Vec<ResponseRow>,
    /// The roster, in roster order: who sat at each table, when there is one.
    pub people: Vec<ParticipantRow>,
    /// When the record is made (ms).
    pub now: i64,
}

impl SessionData {
    /// Reads the rows of `run`'s session.
    pub fn load(conn: &Connection, run: Run) -> Result<SessionData, DbError> {
        let id = run.session.id.clone();
        Ok(SessionData {
            tables: tables::tables(conn, &id)?,
            conclusions: conclusions::latest_conclusions(conn, &id)?,
            visits: conclusions::visits(conn, &id)?,
            step_changes: events::step_changes(conn, &id)?,
            spotlights: events::spotlights(conn, &id)?,
            responses: crate::db::survey::responses(conn, &id)?,
            people: crate::db::roster::participants(conn, &id)?,
            now: crate::db::now_ms(),
            run,
        })
    }

    /// Table numbers shown on the projector during each step.
    fn spotlit(&self) -> BTreeMap<i64, BTreeSet<i64>> {
        let mut out: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
        for (step, tables) in &self.spotlights {
            out.entry(*step).or_default().extend(tables.iter().copied());
        }
        out
    }
}

/// The session's content snapshot, parsed (for the command line; the server caches it).
pub fn load_run(conn: &Connection, session: SessionRow) -> Result<Run, String> {
    let sources = sessions::snapshot(conn, &session.content_hash)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "the content snapshot {} of the session is missing",
                session.content_hash
            )
        })?;
    let library = Library::from_sources(sources).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        format!("the session's content no longer loads: {}", list.join("; "))
    })?;
    let curriculum = library
        .curricula
        .get(&session.curriculum_id)
        .cloned()
        .ok_or_else(|| {
            format!(
                "curriculum {} is not in the session's snapshot",
                session.curriculum_id
            )
        })?;
    Ok(Run {
        session,
        library: std::sync::Arc::new(library),
        curriculum,
    })
}

fn small(text: impl Into<String>) -> Block {
    Para::new(vec![Span::muted(text)])
        .size(SMALL)
        .after(1.0)
        .into()
}

/// The people of the roster seated at `table` (those who checked in, if anyone did), as
/// 「氏名（職種・所属・地区）」 in roster order; `None` when nobody of the roster sits there.
fn seated_people(table: &TableRow, people: &[&ParticipantRow], l: &Labels) -> Option<String> {
    let here: Vec<String> = people
        .iter()
        .filter(|p| p.table_number == Some(table.number))
        .map(|p| {
            let mut about = vec![l.profession(&p.profession)];
            about.extend(
                [&p.organization, &p.area]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .cloned(),
            );
            let about = about.join(l.lang.pick("・", ", "));
            if p.name.is_empty() {
                about
            } else {
                format!(
                    "{}{}",
                    p.name,
                    l.lang.pick(&format!("（{about}）"), &format!(" ({about})"))
                )
            }
        })
        .collect();
    (!here.is_empty()).then(|| here.join(l.lang.pick("、", "; ")))
}

/// Counts one more `profession` at `table` in a list of (profession, how many, tables).
fn count_profession<'a>(
    list: &mut Vec<(&'a str, usize, Vec<i64>)>,
    profession: &'a str,
    table: i64,
) {
    match list.iter_mut().find(|(id, ..)| *id == profession) {
        Some((_, n, tables)) => {
            *n += 1;
            if !tables.contains(&table) {
                tables.push(table);
            }
        }
        None => list.push((profession, 1, vec![table])),
    }
}

fn roster(table: &TableRow, l: &Labels) -> String {
    let names: Vec<String> = table.professions.iter().map(|p| l.profession(p)).collect();
    if names.is_empty() {
        l.t("fac.not_joined")
    } else {
        l.join(&names)
    }
}

/// Who sat at `table`: the professions of the roster people seated there (with how
/// many), else what the table declared on its screen.
fn sitting(table: &TableRow, data: &SessionData, l: &Labels) -> String {
    let (counted, _) = crate::report::counted_people(&data.people);
    let lines = crate::report::groups::members(
        table,
        &counted,
        &[crate::content::MemberField::Profession],
        l.professions(),
        l.lang,
    );
    match lines.first() {
        Some(line) => l.join(&line.values),
        None => roster(table, l),
    }
}

/// The facts on a record's cover.
fn cover(
    data: &SessionData,
    kind: &str,
    title: String,
    extra: Vec<(String, String)>,
    l: &Labels,
) -> Vec<Block> {
    let s = &data.run.session;
    let mut facts = Table::new(vec![1.4, 4.0]).border(Border::Rows);
    let mut status = if s.is_closed() {
        l.t("session.closed")
    } else {
        l.f(
            "pdf.record.as_of",
            &[&l.t("session.open"), &datetime(data.now)],
        )
    };
    if s.rehearsal {
        status = format!("{} · {status}", l.t("rehearsal.label"));
    }
    let mut rows = vec![
        (l.t("session.held_on"), s.held_on.clone()),
        (
            l.t("session.place"),
            if s.place.is_empty() {
                "—".into()
            } else {
                s.place.clone()
            },
        ),
        (
            l.t("home.curricula"),
            format!(
                "{}（{}）",
                data.run.curriculum.title,
                l.f("pdf.version", &[&data.run.curriculum.version])
            ),
        ),
    ];
    rows.extend(extra);
    rows.push((l.t("session.status"), status));
    rows.push((l.t("pdf.record.made"), datetime(data.now)));
    for (k, v) in rows {
        facts.rows.push(vec![Cell::bold(k), Cell::text(v)]);
    }
    vec![
        Block::Space(30.0),
        Para::new(vec![Span {
            text: kind.to_string(),
            bold: true,
            tone: Tone::Accent,
        }])
        .size(12)
        .after(4.0)
        .into(),
        Para::new(vec![Span::bold(title)])
            .size(20)
            .after(10.0)
            .into(),
        facts.into(),
    ]
}

/// One table's answer with its header line.
fn table_answer(
    pr: &PromptReport<'_>,
    cell: &crate::session::TableAnswer,
    data: &SessionData,
    spotlit: bool,
    l: &Labels,
) -> Block {
    let mut head = vec![Span::bold(l.f("table.name", &[&cell.table]))];
    if let Some(t) = data.tables.iter().find(|t| t.number == cell.table) {
        head.push(Span::muted(format!("　{}", sitting(t, data, l))));
    }
    if let Some(at) = cell.saved_at {
        head.push(Span::muted(format!(
            "　{}",
            l.f("answer.saved_at", &[&datetime(at), &cell.version])
        )));
    }
    if spotlit {
        head.push(Span {
            text: format!("　★ {}", l.t("pdf.record.spotlit")),
            bold: true,
            tone: Tone::Accent,
        });
    }
    let mut inner: Vec<Block> = vec![Para::new(head).size(9).after(0.5).into()];
    inner.extend(answer(pr.prompt, cell.answer.as_ref(), l));
    inner.push(Block::Space(2.0));
    Block::Keep(inner)
}

/// A prompt with every table's answer, the tallies and the comparison.
fn prompt_section(
    pr: &PromptReport<'_>,
    data: &SessionData,
    spot: &BTreeSet<i64>,
    l: &Labels,
    level: u8,
) -> Vec<Block> {
    let mut out: Vec<Block> = vec![
        Heading::new(
            level,
            format!("{}　{}", l.t("prompt.mark"), pr.prompt.title),
        )
        .into(),
    ];
    let mut missing = Vec::new();
    for cell in &pr.cells {
        if cell.answer.is_none() {
            missing.push(l.f("table.name", &[&cell.table]));
            continue;
        }
        out.push(table_answer(pr, cell, data, spot.contains(&cell.table), l));
    }
    if !missing.is_empty() {
        out.push(small(format!(
            "{}：{}",
            l.t("answer.none"),
            l.join(&missing)
        )));
    }
    out.extend(tally(pr.prompt, &pr.cells, l));
    if let Some(c) = &pr.compare {
        out.extend(comparison(pr.prompt, c, l));
    }
    out
}

/// "場面1 → 場面2 →（選択：…）場面3B".
fn path_line(report: &crate::session::WalkReport<'_>, l: &Labels) -> String {
    if report.scenes.is_empty() {
        return l.t("record.no_path");
    }
    let parts: Vec<String> = report
        .scenes
        .iter()
        .map(|s| match &s.via {
            Some(via) => format!("（{}）{}", l.f("walk.via", &[via]), s.scene.title),
            None => s.scene.title.clone(),
        })
        .collect();
    parts.join(" → ")
}

fn step_section(
    r: &StepReport<'_>,
    data: &SessionData,
    spot: &BTreeSet<i64>,
    l: &Labels,
    only: Option<i64>,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    if only.is_none() && !spot.is_empty() {
        let names: Vec<String> = spot.iter().map(|t| l.f("table.name", &[t])).collect();
        out.push(
            Para::new(vec![Span {
                text: format!("★ {}：{}", l.t("pdf.record.spotlight"), l.join(&names)),
                bold: true,
                tone: Tone::Accent,
            }])
            .into(),
        );
    }
    // Survey questions are answered by each person on their own phone, not by tables:
    // the session's record sums the answers up, a table's record says where they are.
    if r.step.kind == StepKind::Survey && !r.step.prompts.is_empty() {
        if only.is_some() {
            out.push(small(l.t("report.pdf.survey_elsewhere")));
        } else {
            let results = summarize(&data.run.curriculum, &data.responses);
            if let Some(result) = results.iter().find(|s| s.index == r.index) {
                out.extend(survey_summary(result, l));
            }
        }
        return out;
    }
    for pr in &r.prompts {
        out.extend(prompt_section(pr, data, spot, l, 2));
    }
    if let Some(case) = r.case {
        out.push(Heading::new(2, format!("{}：{}", l.t("step.case"), case.title)).into());
        // How the tables chose at each branch.
        if only.is_none() {
            for scene in &case.scenes {
                let Some(branch) = &scene.branch else {
                    continue;
                };
                let mut rows = Vec::new();
                let mut any = false;
                for option in &branch.options {
                    let tables: Vec<i64> = r
                        .walks
                        .iter()
                        .filter(|w| {
                            w.scenes.windows(2).any(|pair| {
                                pair[0].scene.id == scene.id
                                    && pair[1].scene.id == option.target
                                    && pair[1].via.as_deref() == Some(option.label.as_str())
                            })
                        })
                        .map(|w| w.table)
                        .collect();
                    any |= !tables.is_empty();
                    let names: Vec<String> =
                        tables.iter().map(|t| l.f("table.name", &[t])).collect();
                    rows.push(vec![
                        Cell::text(option.label.clone()),
                        Cell::bold(tables.len().to_string()),
                        Cell::text(if names.is_empty() {
                            "—".into()
                        } else {
                            l.join(&names)
                        }),
                    ]);
                }
                if !any {
                    continue;
                }
                let mut table = Table::new(vec![4.6, 2.4, 4.4])
                    .border(Border::Rows)
                    .header(vec![
                        Cell::bold(l.t("pdf.record.option")),
                        Cell::bold(l.t("kinds.compare.picked")),
                        Cell::bold(l.t("fac.tables")),
                    ]);
                table.rows = rows;
                out.push(Block::Keep(vec![
                    Para::new(vec![Span::bold(format!(
                        "{}：{}",
                        l.t("pdf.branch"),
                        branch.question
                    ))])
                    .after(0.5)
                    .into(),
                    table.into(),
                ]));
            }
        }
        out.push(Heading::new(3, l.t("record.path")).unlisted().into());
        let mut paths = Table::new(vec![1.2, 6.0]).border(Border::Rows);
        for w in r.walks.iter().filter(|w| only.is_none_or(|t| t == w.table)) {
            paths.rows.push(vec![
                Cell::bold(l.f("table.name", &[&w.table])),
                Cell::text(path_line(w, l)),
            ]);
        }
        out.push(paths.into());
        // Scene prompts, scene by scene, every table that reached the scene.
        for scene in &case.scenes {
            for prompt in &scene.prompts {
                let cells: Vec<(&PromptReport<'_>, &crate::session::TableAnswer)> = r
                    .walks
                    .iter()
                    .filter(|w| only.is_none_or(|t| t == w.table))
                    .flat_map(|w| w.scenes.iter())
                    .filter(|s| s.scene.id == scene.id)
                    .flat_map(|s| s.prompts.iter())
                    .filter(|p| p.prompt.id == prompt.id)
                    .filter_map(|p| p.cells.first().map(|c| (p, c)))
                    .collect();
                if cells.is_empty() {
                    continue;
                }
                out.push(
                    Heading::new(
                        3,
                        format!("{} · {}　{}", scene.title, l.t("prompt.mark"), prompt.title),
                    )
                    .unlisted()
                    .into(),
                );
                let mut missing = Vec::new();
                for (pr, cell) in cells {
                    if cell.answer.is_none() {
                        missing.push(l.f("table.name", &[&cell.table]));
                        continue;
                    }
                    out.push(table_answer(pr, cell, data, false, l));
                }
                if !missing.is_empty() {
                    out.push(small(format!(
                        "{}：{}",
                        l.t("answer.none"),
                        l.join(&missing)
                    )));
                }
            }
        }
    }
    if r.prompts.is_empty() && r.case.is_none() {
        out.push(small(l.t("pdf.record.no_prompts")));
    }
    out
}

/// A survey step's results: how many answered, and per question the counts, the mean,
/// the change from the before survey and the comments; only the count while fewer than
/// [`crate::survey::MIN_RESPONSES`] people answered.
fn survey_summary(result: &StepResult, l: &Labels) -> Vec<Block> {
    let min = crate::survey::MIN_RESPONSES;
    let mut out: Vec<Block> = vec![
        Heading::new(2, l.t("pdf.record.survey")).into(),
        Para::new(vec![Span::bold(
            l.f("report.respondents_n", &[&result.respondents]),
        )])
        .into(),
    ];
    if !result.shown {
        out.push(small(l.f("report.hidden", &[&result.respondents, &min])));
        return out;
    }
    let share = |count: usize, of: usize| {
        if of == 0 {
            "—".to_string()
        } else {
            format!("{:.0}%", count as f64 * 100.0 / of as f64)
        }
    };
    for q in &result.questions {
        let mut block: Vec<Block> = vec![
            Heading::new(3, format!("{}　{}", l.t("prompt.mark"), q.title))
                .unlisted()
                .into(),
        ];
        if q.answered == 0 {
            block.push(small(l.t("report.nobody_answered")));
            out.push(Block::Keep(block));
            continue;
        }
        let mut line = l.f("report.answered_n", &[&q.answered]);
        match &q.result {
            Tally::Scale {
                points,
                mean,
                labels,
                ..
            } => {
                if let Some(m) = mean {
                    line = format!("{line}　{}", l.f("report.mean", &[&format!("{m:.1}")]));
                }
                block.push(Para::new(vec![Span::bold(line)]).after(1.0).into());
                let mut table = Table::new(vec![3.0, 1.0, 1.0])
                    .border(Border::Rows)
                    .header(vec![
                        Cell::bold(l.t("report.csv.point")),
                        Cell::bold(l.t("report.count")),
                        Cell::bold("%"),
                    ]);
                for p in points {
                    let label = labels
                        .iter()
                        .find(|(v, _)| *v == p.value)
                        .map_or_else(|| p.value.to_string(), |(v, t)| format!("{v}（{t}）"));
                    table.rows.push(vec![
                        Cell::text(label),
                        Cell::bold(p.count.to_string()),
                        Cell::text(share(p.count, q.answered)),
                    ]);
                }
                block.push(table.into());
            }
            Tally::Choice { options, multiple } => {
                if *multiple {
                    line = format!("{line}　{}", l.t("report.multiple"));
                }
                block.push(Para::new(vec![Span::bold(line)]).after(1.0).into());
                let mut table = Table::new(vec![5.0, 1.0, 1.0])
                    .border(Border::Rows)
                    .header(vec![
                        Cell::bold(l.t("pdf.record.option")),
                        Cell::bold(l.t("report.count")),
                        Cell::bold("%"),
                    ]);
                for o in options {
                    table.rows.push(vec![
                        Cell::text(o.label.clone()),
                        Cell::bold(o.count.to_string()),
                        Cell::text(share(o.count, q.answered)),
                    ]);
                }
                block.push(table.into());
            }
            Tally::Text { comments } => {
                block.push(Para::new(vec![Span::bold(line)]).after(1.0).into());
                for c in comments {
                    block.push(Para::text(format!("・{c}")).after(1.0).into());
                }
            }
        }
        if let Some(change) = &q.before {
            let text = if !change.shown {
                l.f("report.change_hidden", &[&change.respondents, &min])
            } else {
                let mut text = match (&change.result, &q.result) {
                    (
                        Some(Tally::Scale { mean: Some(b), .. }),
                        Tally::Scale { mean: Some(a), .. },
                    ) => l.f(
                        "report.change_means",
                        &[
                            &format!("{b:.1}"),
                            &format!("{a:.1}"),
                            &change.answered,
                            &q.answered,
                        ],
                    ),
                    _ => l.f("report.answered_n", &[&change.answered]),
                };
                if let Some(d) = change.paired_change {
                    text = format!(
                        "{text}　{}",
                        l.f("report.paired", &[&change.paired, &format!("{d:+.1}")])
                    );
                }
                text
            };
            block.push(
                Para::new(vec![Span::muted(format!(
                    "{}：{text}",
                    l.t("report.change")
                ))])
                .size(SMALL)
                .into(),
            );
        }
        out.push(Block::Keep(block));
    }
    out
}

/// The run sheet as it happened: planned and actual start and length of each step.
fn run_record(data: &SessionData, l: &Labels) -> Vec<Block> {
    let times = step_times(&data.run, &data.step_changes, data.now);
    // A session typed up afterwards (never run step by step) has no timings worth a
    // page: a run sheet of 0 minutes would say the meeting did not happen.
    let spent: i64 = times.iter().map(|t| t.spent_ms).sum();
    if data.step_changes.is_empty() && spent < 60_000 {
        return Vec::new();
    }
    let mut table = Table::new(vec![0.6, 5.2, 1.9, 1.5, 2.6, 1.5])
        .border(Border::Rows)
        .header(vec![
            Cell::bold("#"),
            Cell::bold(l.t("step.title")),
            Cell::bold(l.t("run.planned_start")),
            Cell::bold(l.t("run.planned")),
            Cell::bold(l.t("run.actual_start")),
            Cell::bold(l.t("run.actual")),
        ]);
    let mut planned = 0;
    for (i, (step, time)) in data.run.curriculum.steps.iter().zip(&times).enumerate() {
        let (first, actual) = (time.first_start, time.spent_ms);
        table.rows.push(vec![
            Cell::text((i + 1).to_string()),
            Cell::text(step.title.clone()),
            Cell::text(format!("+{planned}{}", l.t("unit.min"))),
            Cell::text(
                step.minutes
                    .map_or("—".to_string(), |m| l.f("curriculum.minutes", &[&m])),
            ),
            Cell::text(first.map_or("—".to_string(), datetime)),
            Cell::text(if first.is_some() {
                l.f("curriculum.minutes", &[&((actual + 30_000) / 60_000)])
            } else {
                "—".to_string()
            }),
        ]);
        planned += step.minutes.unwrap_or(0);
    }
    vec![Heading::new(2, l.t("run.title")).into(), table.into()]
}

/// The record of a whole session.
pub fn session_record(data: &SessionData) -> Doc {
    let run = &data.run;
    let l = Labels::with_professions(run.curriculum.language, &run.library.professions);
    let kind = l.t(Document::Session.key());
    let reports = step_reports(run, None, &data.tables, &data.conclusions, &data.visits);
    let spotlit = data.spotlit();
    let cover = cover(
        data,
        &kind,
        run.session.title.clone(),
        vec![(l.t("session.tables"), data.tables.len().to_string())],
        &l,
    );

    let mut body: Vec<Block> = vec![Heading::new(1, l.t("pdf.record.roster")).into()];
    // Who sat where: the roster's people (those who checked in, when anyone did) when
    // the roster seats anyone, else what each table declared on its screen.
    let (counted, _) = crate::report::counted_people(&data.people);
    let seated = counted.iter().any(|p| p.table_number.is_some());
    // Professions present: how many (people, or tables without a roster) and the tables.
    let mut by_profession: Vec<(&str, usize, Vec<i64>)> = Vec::new();
    if seated {
        for p in &counted {
            if let Some(table) = p.table_number {
                count_profession(&mut by_profession, &p.profession, table);
            }
        }
    } else {
        for t in &data.tables {
            for p in &t.professions {
                count_profession(&mut by_profession, p, t.number);
            }
        }
    }
    // The usual order of professions; unknown ids (from older content) last.
    by_profession.sort_by_key(|(id, ..)| l.professions().rank(id));
    if by_profession.is_empty() {
        body.push(small(l.t("pdf.record.no_roster")));
    } else {
        let count = if seated {
            "record.people_count"
        } else {
            "kinds.compare.picked"
        };
        let mut table = Table::new(vec![3.8, 2.4, 5.2])
            .border(Border::Rows)
            .header(vec![
                Cell::bold(l.t("table.roster")),
                Cell::bold(l.t(count)),
                Cell::bold(l.t("fac.tables")),
            ]);
        for (id, n, mut tables) in by_profession {
            tables.sort_unstable();
            let numbers: Vec<String> = tables.iter().map(|t| t.to_string()).collect();
            table.rows.push(vec![
                Cell::text(l.profession(id)),
                Cell::bold(n.to_string()),
                Cell::text(l.join(&numbers)),
            ]);
        }
        body.push(table.into());
    }
    body.push(
        Heading::new(
            2,
            l.t(if seated {
                "record.tables_people"
            } else {
                "record.tables"
            }),
        )
        .into(),
    );
    let mut tables = Table::new(vec![1.2, 6.0]).border(Border::Rows);
    for t in &data.tables {
        tables.rows.push(vec![
            Cell::bold(l.f("table.name", &[&t.number])),
            Cell::text(seated_people(t, &counted, &l).unwrap_or_else(|| roster(t, &l))),
        ]);
    }
    body.push(tables.into());
    body.extend(run_record(data, &l));
    if data.conclusions.is_empty() {
        body.push(Para::new(vec![Span::bold(l.t("pdf.record.empty"))]).into());
    }
    let none = BTreeSet::new();
    for r in &reports {
        body.push(
            Heading::new(1, r.step.title.clone())
                .label(step_label(r.index, r.step, &l))
                .new_page()
                .into(),
        );
        let spot = spotlit.get(&(r.index as i64)).unwrap_or(&none);
        body.extend(step_section(r, data, spot, &l, None));
    }
    if reports.is_empty() {
        body.push(small(l.t("pdf.no_steps")));
    }
    localize(
        Doc {
            title: format!("{} — {}", run.session.title, kind),
            kind,
            lang: l.lang,
            cover,
            contents: Some(l.t("pdf.contents")),
            body,
        },
        &l,
    )
}

/// The record of the table numbered `number`, or `None` if the session has no such table.
pub fn table_record(data: &SessionData, number: i64) -> Option<Doc> {
    let table = data.tables.iter().find(|t| t.number == number)?;
    let run = &data.run;
    let l = Labels::with_professions(run.curriculum.language, &run.library.professions);
    let kind = l.t(Document::Table.key());
    let name = l.f("table.name", &[&number]);
    let own: Vec<ConclusionRow> = data
        .conclusions
        .iter()
        .filter(|c| c.table_id == table.id)
        .cloned()
        .collect();
    let visits: Vec<VisitRow> = data
        .visits
        .iter()
        .filter(|v| v.table_id == table.id)
        .cloned()
        .collect();
    let reports = step_reports(run, None, std::slice::from_ref(table), &own, &visits);
    let cover = cover(
        data,
        &kind,
        format!("{} — {}", run.session.title, name),
        vec![(l.t("table.roster"), sitting(table, data, &l))],
        &l,
    );
    let mut body = Vec::new();
    if own.is_empty() {
        body.push(Para::new(vec![Span::bold(l.t("pdf.record.table_empty"))]).into());
    }
    let none = BTreeSet::new();
    for r in &reports {
        body.push(
            Heading::new(1, r.step.title.clone())
                .label(step_label(r.index, r.step, &l))
                .into(),
        );
        body.extend(step_section(r, data, &none, &l, Some(number)));
    }
    Some(localize(
        Doc {
            title: format!("{} — {} — {}", run.session.title, name, kind),
            kind,
            lang: l.lang,
            cover,
            contents: Some(l.t("pdf.contents")),
            body,
        },
        &l,
    ))
}
