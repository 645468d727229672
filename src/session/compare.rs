//! The tables' answers to one structured prompt brought together: the four boxes side
//! by side, each option of a decision table with what every table wrote, the values
//! cards tallied by rank, the action plans grouped by who.

use serde::Serialize;

use super::TableAnswer;
use crate::answer::{Answer, ViewWho};
use crate::content::{FOUR_BOXES, PROFESSIONS, Prompt, PromptKind};

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
pub fn compare(prompt: &Prompt, cells: &[TableAnswer]) -> Option<Comparison> {
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
        PromptKind::ActionPlan { people, roles } => {
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
                } else if let Some(i) = PROFESSIONS.iter().chain(roles).position(|p| p.id == who) {
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

    fn cells(answers: &[serde_json::Value]) -> Vec<TableAnswer> {
        answers
            .iter()
            .enumerate()
            .map(|(i, a)| TableAnswer {
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
            roles: Vec::new(),
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
