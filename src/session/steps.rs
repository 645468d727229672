//! The report of every step of a session, built from the stored rows: each prompt with
//! every table's answer (and their comparison), each table's walk through a case.

use std::collections::HashMap;

use serde::Serialize;

use super::{Run, TableAnswer, compare, scene_prompt_key, step_prompt_key};
use crate::content::{Case, Prompt, Scene, Step, StepKind};
use crate::db::{conclusions::ConclusionRow, conclusions::VisitRow, tables::TableRow};

/// A prompt with every table's answer.
#[derive(Debug, Clone, Serialize)]
pub struct PromptReport<'a> {
    /// Storage key.
    pub key: String,
    /// The prompt.
    pub prompt: &'a Prompt,
    /// One cell per table (for case prompts, only tables that reached the scene).
    pub cells: Vec<TableAnswer>,
    /// Every table's answers brought together, for the kinds that compare well.
    pub compare: Option<super::Comparison>,
}

/// A scene on one table's path, with the table's answers to its prompts.
#[derive(Debug, Clone, Serialize)]
pub struct SceneReport<'a> {
    /// The scene.
    pub scene: &'a Scene,
    /// Branch option that led here.
    pub via: Option<String>,
    /// Prompts with this table's answer only.
    pub prompts: Vec<PromptReport<'a>>,
}

/// One table's walk through a case in one step.
#[derive(Debug, Clone, Serialize)]
pub struct WalkReport<'a> {
    /// Table number.
    pub table: i64,
    /// Scenes in order.
    pub scenes: Vec<SceneReport<'a>>,
}

/// Everything tables did in one step.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport<'a> {
    /// Index of the step.
    pub index: usize,
    /// The step.
    pub step: &'a Step,
    /// The case of a case walk.
    pub case: Option<&'a Case>,
    /// The step's own prompts, every table's answer.
    pub prompts: Vec<PromptReport<'a>>,
    /// Each table's case walk.
    pub walks: Vec<WalkReport<'a>>,
}

/// Builds the report of every step (or of one) from the stored rows.
pub fn step_reports<'a>(
    run: &'a Run,
    only: Option<usize>,
    tables: &[TableRow],
    conclusions: &[ConclusionRow],
    visits: &[VisitRow],
) -> Vec<StepReport<'a>> {
    let latest: HashMap<(i64, &str), &ConclusionRow> = conclusions
        .iter()
        .map(|c| ((c.table_id, c.prompt_key.as_str()), c))
        .collect();
    let cell = |table: &TableRow, key: &str, prompt: &Prompt| {
        let found = latest.get(&(table.id, key));
        TableAnswer {
            table: table.number,
            answer: found.map(|c| c.answer.shown(prompt)),
            version: found.map_or(0, |c| c.version),
            saved_at: found.map(|c| c.saved_at),
        }
    };
    run.curriculum
        .steps
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o == *i))
        .map(|(index, step)| {
            let prompts = step
                .table_prompts()
                .iter()
                .map(|prompt| {
                    let key = step_prompt_key(&run.curriculum, prompt);
                    let cells: Vec<TableAnswer> =
                        tables.iter().map(|t| cell(t, &key, prompt)).collect();
                    let compare = compare(prompt, &cells);
                    PromptReport {
                        key,
                        prompt,
                        cells,
                        compare,
                    }
                })
                .collect();
            let case = run.walk_case(step);
            let walks = match case {
                Some(case) if step.kind == StepKind::CaseWalk => tables
                    .iter()
                    .map(|table| {
                        let own: Vec<VisitRow> = visits
                            .iter()
                            .filter(|v| v.table_id == table.id)
                            .cloned()
                            .collect();
                        let scenes = run
                            .path_scenes(index as i64, &own)
                            .into_iter()
                            .map(|(scene, via)| SceneReport {
                                scene,
                                via,
                                prompts: scene
                                    .prompts
                                    .iter()
                                    .map(|prompt| {
                                        let key = scene_prompt_key(case, prompt);
                                        let cells = vec![cell(table, &key, prompt)];
                                        PromptReport {
                                            key,
                                            prompt,
                                            cells,
                                            compare: None,
                                        }
                                    })
                                    .collect(),
                            })
                            .collect();
                        WalkReport {
                            table: table.number,
                            scenes,
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            StepReport {
                index,
                step,
                case,
                prompts,
                walks,
            }
        })
        .collect()
}

/// The time a session spent on one step of its curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepTime {
    /// When the session first entered the step (Unix ms); `None` if it never has.
    pub first_start: Option<i64>,
    /// Milliseconds spent in the step, summed over every stay (a step gone back to
    /// counts each time); a stay whose clock ran backwards counts as 0.
    pub spent_ms: i64,
}

/// How long the session stayed in each step of its curriculum, one [`StepTime`] per
/// step in order: each stay runs from entering the step (the session's start for the
/// first) to the next change, the last one to the close or, while open, to `now`.
/// `changes` are the session's step changes in order, `(at, from, to)` as
/// `db::events::step_changes` reads them.
pub fn step_times(run: &Run, changes: &[(i64, i64, i64)], now: i64) -> Vec<StepTime> {
    let end = run.session.closed_at.unwrap_or(now);
    let mut stays: Vec<(i64, i64, i64)> = Vec::new();
    let mut at = run.session.created_at;
    let mut step = 0;
    for (when, _, to) in changes {
        stays.push((step, at, *when));
        step = *to;
        at = *when;
    }
    stays.push((step, at, end));
    (0..run.curriculum.steps.len())
        .map(|index| {
            let own = stays.iter().filter(|(s, _, _)| *s == index as i64);
            StepTime {
                first_start: own.clone().next().map(|(_, from, _)| *from),
                spent_ms: own.map(|(_, from, to)| (to - from).max(0)).sum(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_gets_its_stays_from_entering_to_the_next_change() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
        let library = crate::content::Library::load(&dir).expect("the fixtures load");
        let db = crate::db::Db::open_in_memory().expect("the database opens");
        let mut run = db
            .write_blocking(move |conn| {
                let session = crate::workbook::demo::session(conn, &library, "mini", 1, true)
                    .expect("a demo session");
                Ok(crate::workbook::load_run(conn, session).expect("its run"))
            })
            .expect("setup");
        assert!(
            run.curriculum.steps.len() >= 3,
            "the fixture has three steps"
        );
        run.session.created_at = 1_000;
        run.session.closed_at = None;
        // 0 → 1 at 4,000, back to 0 at 5,000, on to 1 at 9,000; open until 10,000.
        let changes = [(4_000, 0, 1), (5_000, 1, 0), (9_000, 0, 1)];
        let times = step_times(&run, &changes, 10_000);
        assert_eq!(times.len(), run.curriculum.steps.len());
        assert_eq!(
            times[0],
            StepTime {
                first_start: Some(1_000),
                spent_ms: 7_000
            }
        );
        assert_eq!(
            times[1],
            StepTime {
                first_start: Some(4_000),
                spent_ms: 2_000
            }
        );
        assert_eq!(times[2], StepTime::default());
        // A closed session counts to its close; a clock gone back counts nothing.
        run.session.closed_at = Some(8_000);
        assert_eq!(step_times(&run, &changes, 10_000)[1].spent_ms, 1_000);
    }
}
