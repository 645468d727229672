//! The report of every step of a session, built from the stored rows: each prompt with
//! every table's answer (and their comparison), each table's walk through a case.

use std::collections::HashMap;

use serde::Serialize;

use super::{Cell, Run, compare, scene_prompt_key, step_prompt_key};
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
    pub cells: Vec<Cell>,
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
        Cell {
            table: table.number,
            answer: found.map(|c| crate::answer::readable(prompt, &c.answer)),
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
                    let cells: Vec<Cell> = tables.iter().map(|t| cell(t, &key, prompt)).collect();
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
