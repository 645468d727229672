//! What happens in a running session, independent of HTTP: which step is current,
//! which prompts a table may answer now, where a table's case walk goes next, and the
//! per-step reports that the facilitator view and the record page both draw.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::answer::{Answer, ViewWho};
use crate::content::{
    Branch, Case, Curriculum, FOUR_BOXES, Library, PROFESSIONS, Prompt, PromptKind, Scene, Step,
    StepKind,
};
use crate::db::{
    conclusions::ConclusionRow, conclusions::VisitRow, sessions::SessionRow, tables::TableRow,
};

/// A session together with the content snapshot it runs on.
#[derive(Clone)]
pub struct Run {
    /// The stored session.
    pub session: SessionRow,
    /// The content the session started with.
    pub library: Arc<Library>,
    /// The session's curriculum.
    pub curriculum: Arc<Curriculum>,
}

/// Where a prompt lives.
#[derive(Debug, Clone, Copy)]
pub enum PromptPlace<'a> {
    /// In a curriculum step.
    Step(&'a Step),
    /// In a scene of a case.
    Scene(&'a Case, &'a Scene),
}

/// The key a conclusion is stored under: stable across content edits of other prompts.
pub fn step_prompt_key(curriculum: &Curriculum, prompt: &Prompt) -> String {
    format!("curriculum:{}:{}", curriculum.id, prompt.id)
}

/// The key of a prompt in a case scene.
pub fn scene_prompt_key(case: &Case, prompt: &Prompt) -> String {
    format!("case:{}:{}", case.id, prompt.id)
}

/// A prompt of `curriculum` or of a case in `library` by its stored key, with where it
/// lives (what a table's save and an import both look answers up by).
pub fn prompt_by_key<'a>(
    library: &'a Library,
    curriculum: &'a Curriculum,
    key: &str,
) -> Option<(&'a Prompt, PromptPlace<'a>)> {
    let mut parts = key.splitn(3, ':');
    match (parts.next()?, parts.next()?, parts.next()?) {
        ("curriculum", id, prompt_id) if id == curriculum.id => curriculum
            .step_prompts()
            .find(|(_, p)| p.id == prompt_id)
            .map(|(s, p)| (p, PromptPlace::Step(s))),
        ("case", id, prompt_id) => {
            let case = library.cases.get(id)?;
            case.scenes.iter().find_map(|scene| {
                scene
                    .prompts
                    .iter()
                    .find(|p| p.id == prompt_id)
                    .map(|p| (p, PromptPlace::Scene(case, scene)))
            })
        }
        _ => None,
    }
}

/// Where a table's walk goes after its last scene.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Onward<'a> {
    /// The table may go on to this scene.
    Next {
        /// The scene.
        scene: &'a Scene,
    },
    /// The table chooses an option.
    Branch {
        /// The branch.
        branch: &'a Branch,
    },
    /// The walk of this step is over.
    End,
}

impl Run {
    /// The step at `index`, if any.
    pub fn step(&self, index: i64) -> Option<&Step> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.curriculum.steps.get(i))
    }

    /// The current step (the first if the stored index is out of range).
    pub fn current_step(&self) -> &Step {
        self.step(self.session.current_step)
            .unwrap_or(&self.curriculum.steps[0])
    }

    /// The case a case-walk step walks.
    pub fn walk_case(&self, step: &Step) -> Option<&Case> {
        step.walk
            .as_ref()
            .and_then(|w| self.library.cases.get(&w.case))
            .map(|c| &**c)
    }

    /// The scene a walk starts at.
    pub fn walk_start<'a>(&self, step: &Step, case: &'a Case) -> Option<&'a Scene> {
        match step.walk.as_ref().and_then(|w| w.scenes.first()) {
            Some(first) => case.scene(first),
            None => case.scenes.first(),
        }
    }

    /// Where the walk goes after `path` (the scenes visited, in order).
    pub fn onward<'a>(&self, step: &Step, case: &'a Case, path: &[&'a Scene]) -> Onward<'a> {
        let Some(last) = path.last() else {
            return Onward::End;
        };
        if let Some(branch) = &last.branch {
            return Onward::Branch { branch };
        }
        let listed = step.walk.as_ref().map(|w| &w.scenes[..]).unwrap_or(&[]);
        match case.default_next(&last.id) {
            // A step that lists scenes stops where the listed ones run out, unless the
            // table arrived here by a branch (then the branch's own line continues).
            Some(next)
                if listed.is_empty() || listed.contains(&next.id) || !listed.contains(&last.id) =>
            {
                Onward::Next { scene: next }
            }
            _ => Onward::End,
        }
    }

    /// A prompt by its stored key, with where it lives.
    pub fn prompt(&self, key: &str) -> Option<(&Prompt, PromptPlace<'_>)> {
        prompt_by_key(&self.library, &self.curriculum, key)
    }

    /// True when `table` may save an answer to the prompt at `key` now: the prompt
    /// belongs to the current step, or to a scene on the table's path in it.
    pub fn may_answer(&self, key: &str, path: &[VisitRow]) -> bool {
        let step = self.current_step();
        match self.prompt(key) {
            Some((_, PromptPlace::Step(s))) => s.id == step.id,
            Some((_, PromptPlace::Scene(case, scene))) => {
                self.walk_case(step).is_some_and(|c| c.id == case.id)
                    && self
                        .path_scenes(self.session.current_step, path)
                        .iter()
                        .any(|(s, _)| s.id == scene.id)
            }
            None => false,
        }
    }

    /// The scenes of one table's path in one step. A table that has not moved yet
    /// stands at the walk's first scene once the session has reached the step.
    pub fn path_scenes<'a>(
        &'a self,
        step_index: i64,
        visits: &[VisitRow],
    ) -> Vec<(&'a Scene, Option<String>)> {
        let Some(step) = self.step(step_index) else {
            return Vec::new();
        };
        let Some(case) = self.walk_case(step) else {
            return Vec::new();
        };
        let stored: Vec<_> = visits
            .iter()
            .filter(|v| v.step_index == step_index && v.case_id == case.id)
            .filter_map(|v| case.scene(&v.scene_id).map(|s| (s, v.via_option.clone())))
            .collect();
        if stored.is_empty() && step_index <= self.session.current_step {
            return self
                .walk_start(step, case)
                .map(|s| vec![(s, None)])
                .unwrap_or_default();
        }
        stored
    }
}

/// One table's newest answer to one prompt, for reports.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Table number.
    pub table: i64,
    /// The answer as pages show it for its prompt, if the table has saved one.
    pub answer: Option<crate::answer::ShownAnswer>,
    /// Its version.
    pub version: i64,
    /// When it was saved (ms).
    pub saved_at: Option<i64>,
}

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
    pub compare: Option<Comparison>,
}

/// Every table's answers to one structured prompt, brought together for the
/// facilitator and the record: the room's view after each table has had its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Comparison {
    /// Each box with each table's items in it, side by side.
    FourBox {
        /// The four boxes in [`FOUR_BOXES`] order.
        boxes: Vec<BoxColumn>,
    },
    /// Each option with every benefit and harm any table wrote for it.
    DecisionTable {
        /// One per option of the prompt.
        options: Vec<OptionSummary>,
        /// Views flagged with decisional conflict by SURE.
        conflicts: Vec<ViewRef>,
    },
    /// How often each card was picked across tables, weighted by rank.
    ValuesRanking {
        /// Every card, most weight first.
        cards: Vec<CardTally>,
        /// Tables that ranked at least one card.
        tables: usize,
        /// Points for a first place (the prompt's `top`); the last place scores 1.
        top: usize,
    },
    /// Every table's rows merged and grouped by who does them.
    ActionPlan {
        /// Groups: the case's people, then professions, then other names.
        groups: Vec<WhoGroup>,
    },
}

/// One box of the four-box comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxColumn {
    /// The box id (`medical`, …).
    pub name: &'static str,
    /// Tables that put something in the box, in table order.
    pub tables: Vec<TableItems>,
}

/// One table's items in one box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableItems {
    /// Table number.
    pub table: i64,
    /// The items.
    pub items: Vec<String>,
}

/// One option of the decision-table comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionSummary {
    /// The option.
    pub label: String,
    /// Benefits written for it, by table and view.
    pub benefits: Vec<Said>,
    /// Harms written for it, by table and view.
    pub harms: Vec<Said>,
    /// Views leaning to this option.
    pub leaning: Vec<ViewRef>,
}

/// A benefit or harm one table wrote in one view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Said {
    /// Table number.
    pub table: i64,
    /// Whose view.
    pub who: ViewWho,
    /// The text.
    pub text: String,
    /// How much it matters, 1–5.
    pub weight: Option<u8>,
}

/// One table's view in a decision table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ViewRef {
    /// Table number.
    pub table: i64,
    /// Whose view.
    pub who: ViewWho,
}

/// One card of the values tally.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardTally {
    /// The card's text.
    pub card: String,
    /// Tables that picked it at any rank.
    pub picked: usize,
    /// Tables that ranked it first.
    pub first: usize,
    /// Sum over tables of `top - rank` (first place = `top` points).
    pub score: usize,
}

/// Action-plan rows of every table for one who.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoGroup {
    /// The who key as stored (`visiting-nurse`, `patient`, `family:0`, `other:…`).
    pub who: String,
    /// The rows, in table order.
    pub rows: Vec<PlanItem>,
}

/// One table's action-plan row inside a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// Table number.
    pub table: i64,
    /// What.
    pub what: String,
    /// By when.
    pub when: String,
}

/// Brings the tables' answers to `prompt` together, for the kinds that compare well.
pub fn compare(prompt: &Prompt, cells: &[Cell]) -> Option<Comparison> {
    let answers: Vec<(i64, Answer)> = cells
        .iter()
        .filter_map(|c| {
            let answer = c.answer.as_ref()?.answer()?;
            answer.check(prompt).ok()?;
            Some((c.table, answer.clone()))
        })
        .collect();
    if answers.is_empty() {
        // Nothing to compare yet: the cells already say that no table has answered.
        return None;
    }
    match &prompt.kind {
        PromptKind::FourBox {} => Some(Comparison::FourBox {
            boxes: FOUR_BOXES
                .iter()
                .enumerate()
                .map(|(b, name)| BoxColumn {
                    name,
                    tables: answers
                        .iter()
                        .filter_map(|(table, answer)| match answer {
                            Answer::FourBox {
                                medical,
                                preferences,
                                quality,
                                context,
                            } => {
                                let items = [medical, preferences, quality, context][b].clone();
                                (!items.is_empty()).then_some(TableItems {
                                    table: *table,
                                    items,
                                })
                            }
                            _ => None,
                        })
                        .collect(),
                })
                .collect(),
        }),
        PromptKind::DecisionTable { options, .. } => {
            let mut summaries: Vec<OptionSummary> = options
                .iter()
                .map(|label| OptionSummary {
                    label: label.clone(),
                    benefits: Vec::new(),
                    harms: Vec::new(),
                    leaning: Vec::new(),
                })
                .collect();
            let mut conflicts = Vec::new();
            for (table, answer) in &answers {
                let Answer::DecisionTable { views } = answer else {
                    continue;
                };
                for view in views {
                    let at = ViewRef {
                        table: *table,
                        who: view.who,
                    };
                    if view.conflict() {
                        conflicts.push(at);
                    }
                    if let Some(summary) = view.leaning.and_then(|l| summaries.get_mut(l)) {
                        summary.leaning.push(at);
                    }
                    for (summary, option) in summaries.iter_mut().zip(&view.options) {
                        let said = |text: &String, weight| Said {
                            table: *table,
                            who: view.who,
                            text: text.clone(),
                            weight,
                        };
                        if !option.benefits.is_empty() {
                            summary
                                .benefits
                                .push(said(&option.benefits, option.benefit_weight));
                        }
                        if !option.harms.is_empty() {
                            summary.harms.push(said(&option.harms, option.harm_weight));
                        }
                    }
                }
            }
            Some(Comparison::DecisionTable {
                options: summaries,
                conflicts,
            })
        }
        PromptKind::ValuesRanking { cards, top } => {
            let mut tally: Vec<CardTally> = cards
                .iter()
                .map(|card| CardTally {
                    card: card.clone(),
                    picked: 0,
                    first: 0,
                    score: 0,
                })
                .collect();
            let mut tables = 0;
            for (_, answer) in &answers {
                let Answer::ValuesRanking { picks } = answer else {
                    continue;
                };
                if !picks.is_empty() {
                    tables += 1;
                }
                for (rank, pick) in picks.iter().enumerate() {
                    if let Some(t) = tally.get_mut(pick.card) {
                        t.picked += 1;
                        t.score += top.saturating_sub(rank);
                        if rank == 0 {
                            t.first += 1;
                        }
                    }
                }
            }
            // Stable sort: equal cards keep deck order.
            tally.sort_by(|a, b| {
                b.score
                    .cmp(&a.score)
                    .then(b.picked.cmp(&a.picked))
                    .then(b.first.cmp(&a.first))
            });
            Some(Comparison::ValuesRanking {
                cards: tally,
                tables,
                top: *top,
            })
        }
        PromptKind::ActionPlan { people } => {
            let mut groups: Vec<WhoGroup> = Vec::new();
            for (table, answer) in &answers {
                let Answer::ActionPlan { rows } = answer else {
                    continue;
                };
                for row in rows {
                    let item = PlanItem {
                        table: *table,
                        what: row.what.clone(),
                        when: row.when.clone(),
                    };
                    match groups.iter_mut().find(|g| g.who == row.who) {
                        Some(group) => group.rows.push(item),
                        None => groups.push(WhoGroup {
                            who: row.who.clone(),
                            rows: vec![item],
                        }),
                    }
                }
            }
            // The case's people first, then professions in the usual order, then other
            // names in the order tables wrote them.
            let rank = |who: &str| {
                if let Some(i) = people.iter().position(|p| p.key == who) {
                    (0, i)
                } else if let Some(i) = PROFESSIONS.iter().position(|p| p.id == who) {
                    (1, i)
                } else {
                    (2, 0)
                }
            };
            groups.sort_by_key(|g| rank(&g.who));
            Some(Comparison::ActionPlan { groups })
        }
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Markdown, Person};
    use serde_json::{Value, json};

    fn prompt(kind: PromptKind) -> Prompt {
        Prompt {
            id: "q".into(),
            title: "問い".into(),
            help: Markdown::default(),
            kind,
            line: 1,
        }
    }

    fn cells(answers: &[serde_json::Value]) -> Vec<Cell> {
        answers
            .iter()
            .enumerate()
            .map(|(i, a)| Cell {
                table: i as i64 + 1,
                answer: (!a.is_null()).then(|| {
                    serde_json::from_value(a.clone()).map_or_else(
                        |_| crate::answer::ShownAnswer::Unreadable(a.to_string()),
                        crate::answer::ShownAnswer::Answer,
                    )
                }),
                version: 1,
                saved_at: Some(0),
            })
            .collect()
    }

    #[test]
    fn four_boxes_line_up_box_by_box() {
        let p = prompt(PromptKind::FourBox {});
        let box_answer = |m: &[&str], c: &[&str]| json!({"kind": "four-box", "medical": m, "preferences": [], "quality": [], "context": c});
        let Some(Comparison::FourBox { boxes }) = compare(
            &p,
            &cells(&[
                box_answer(&["肺炎"], &[]),
                serde_json::Value::Null,
                box_answer(&["心不全", "腎機能"], &["長男が反対"]),
            ]),
        ) else {
            panic!("four-box comparison")
        };
        assert_eq!(boxes[0].name, "medical");
        assert_eq!(
            boxes[0].tables,
            [
                TableItems {
                    table: 1,
                    items: vec!["肺炎".into()]
                },
                TableItems {
                    table: 3,
                    items: vec!["心不全".into(), "腎機能".into()]
                }
            ]
        );
        assert!(boxes[1].tables.is_empty());
        assert_eq!(boxes[3].tables[0].table, 3);
    }

    #[test]
    fn values_are_tallied_by_rank() {
        let p = prompt(PromptKind::ValuesRanking {
            cards: vec![
                "家".into(),
                "痛み".into(),
                "家族".into(),
                "自分で決める".into(),
            ],
            top: 3,
        });
        let picks = |cards: &[usize]| json!({"kind": "values-ranking", "picks": cards.iter().map(|c| json!({"card": c, "reason": ""})).collect::<Vec<_>>()});
        let Some(Comparison::ValuesRanking { cards, tables, top }) = compare(
            &p,
            &cells(&[picks(&[0, 1, 2]), picks(&[1, 0]), picks(&[1])]),
        ) else {
            panic!("values comparison")
        };
        assert_eq!((tables, top), (3, 3));
        let rows: Vec<_> = cards
            .iter()
            .map(|c| (c.card.as_str(), c.score, c.picked, c.first))
            .collect();
        // 痛み: 2 + 3 + 3; 家: 3 + 2; 家族: 1; 自分で決める: never picked.
        assert_eq!(
            rows,
            [
                ("痛み", 8, 3, 2),
                ("家", 5, 2, 1),
                ("家族", 1, 1, 0),
                ("自分で決める", 0, 0, 0)
            ]
        );
    }

    #[test]
    fn action_plans_merge_by_who() {
        let p = prompt(PromptKind::ActionPlan {
            people: vec![
                Person {
                    key: "patient".into(),
                    label: String::new(),
                    profession: None,
                },
                Person {
                    key: "family:0".into(),
                    label: "長男".into(),
                    profession: None,
                },
            ],
        });
        let plan = |rows: &[(&str, &str)]| json!({"kind": "action-plan", "rows": rows.iter().map(|(w, what)| json!({"who": w, "what": what, "when": ""})).collect::<Vec<_>>()});
        let Some(Comparison::ActionPlan { groups }) = compare(
            &p,
            &cells(&[
                plan(&[("other:友人", "見守り"), ("care-manager", "サービス調整")]),
                plan(&[
                    ("visiting-nurse", "訪問を増やす"),
                    ("family:0", "話し合う"),
                    ("care-manager", "担当者会議"),
                ]),
            ]),
        ) else {
            panic!("plan comparison")
        };
        let order: Vec<_> = groups.iter().map(|g| g.who.as_str()).collect();
        assert_eq!(
            order,
            ["family:0", "visiting-nurse", "care-manager", "other:友人"]
        );
        let care: Vec<_> = groups[2]
            .rows
            .iter()
            .map(|r| (r.table, r.what.as_str()))
            .collect();
        assert_eq!(care, [(1, "サービス調整"), (2, "担当者会議")]);
    }

    #[test]
    fn decision_tables_collect_each_options_benefits_and_harms() {
        let p = prompt(PromptKind::DecisionTable {
            options: vec!["胃ろう".into(), "経口".into()],
            family: String::new(),
            max: 100,
        });
        let view = |who: &str, b: &str, sure: serde_json::Value, leaning: serde_json::Value| {
            json!({"who": who, "options": [
                {"benefits": b, "harms": "", "benefit_weight": 3, "harm_weight": null},
                {"benefits": "", "harms": "むせる", "benefit_weight": null, "harm_weight": 5}
            ], "leaning": leaning, "sure": sure})
        };
        let answer = json!({"kind": "decision-table", "views": [
            view("person", "栄養", json!([true, true, true, false]), json!(1)),
            view("family", "長生き", json!([true, true, true, true]), json!(0)),
        ]});
        let Some(Comparison::DecisionTable { options, conflicts }) = compare(&p, &cells(&[answer]))
        else {
            panic!("grid comparison")
        };
        assert_eq!(
            options[0]
                .benefits
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>(),
            ["栄養", "長生き"]
        );
        assert_eq!(options[1].harms.len(), 2);
        assert_eq!(options[1].harms[0].weight, Some(5));
        assert_eq!(
            options[1].leaning,
            [ViewRef {
                table: 1,
                who: ViewWho::Person
            }]
        );
        assert_eq!(
            conflicts,
            [ViewRef {
                table: 1,
                who: ViewWho::Person
            }]
        );
    }

    #[test]
    fn other_kinds_and_bad_cells_do_not_compare() {
        let text = prompt(PromptKind::Text { max: 10 });
        assert!(compare(&text, &cells(&[json!({"kind": "text", "text": "x"})])).is_none());
        let p = prompt(PromptKind::FourBox {});
        assert!(
            compare(
                &p,
                &cells(&[json!({"kind": "text", "text": "x"}), Value::Null])
            )
            .is_none()
        );
    }
}
