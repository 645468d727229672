//! A table's saved answer drawn as its structure (the four boxes as a 2×2 grid, a
//! decision table as a grid per view…), and every table's answers brought together.

use crate::answer::{Answer, Rating, ShownAnswer, ViewWho, person_label};
use crate::content::{ABILITIES, FOUR_BOXES, Prompt, PromptKind, SHEET_FIELDS};
use crate::pdf::{
    Align, Block, Border, Cell, Heading, List, Marker, Para, SMALL, Span, Table, Tone,
};
use crate::session::{Comparison, TableAnswer as Saved};

use super::Labels;

/// Longest text printed from one answer field; beyond it a visible note says how much
/// was left out (answers are limited when saved, but stored data may come from anywhere).
pub const PRINT_MAX: usize = 20_000;

/// Text of an answer field, cut at [`PRINT_MAX`] with a visible note.
fn body(text: &str, l: &Labels) -> Vec<Span> {
    let count = text.chars().count();
    if count <= PRINT_MAX {
        return vec![Span::plain(text)];
    }
    let kept: String = text.chars().take(PRINT_MAX).collect();
    vec![
        Span::plain(kept),
        Span::muted(format!(
            "\n{}",
            l.f("pdf.record.cut", &[&(count - PRINT_MAX)])
        )),
    ]
}

fn para(text: &str, l: &Labels) -> Block {
    Para::new(body(text, l)).after(0.5).into()
}

fn cell(text: &str, l: &Labels) -> Cell {
    if text.is_empty() {
        return Cell::new(vec![Para::new(vec![Span::muted("—")]).after(0.0).into()]);
    }
    Cell::new(vec![Para::new(body(text, l)).after(0.0).into()])
}

fn label(text: impl Into<String>) -> Cell {
    Cell::bold(text)
}

fn small(text: impl Into<String>) -> Block {
    Para::new(vec![Span::muted(text)])
        .size(SMALL)
        .after(0.5)
        .into()
}

fn items(list: &[String], l: &Labels) -> Vec<Block> {
    if list.is_empty() {
        return vec![Para::new(vec![Span::muted("—")]).after(0.0).into()];
    }
    vec![
        List::of(
            Marker::Bullet,
            list.iter().map(|i| Para::new(body(i, l)).after(0.0)),
        )
        .into(),
    ]
}

fn weight(w: Option<u8>) -> String {
    w.map(|w| format!("［{w}］")).unwrap_or_default()
}

/// The saved answer `shown` to `prompt`, drawn as its structure; `None` is "no answer".
pub fn answer(prompt: &Prompt, shown: Option<&ShownAnswer>, l: &Labels) -> Vec<Block> {
    let Some(shown) = shown else {
        return vec![
            Para::new(vec![Span::muted(l.t("answer.none"))])
                .after(0.5)
                .into(),
        ];
    };
    let answer = match shown {
        ShownAnswer::Answer(answer) => answer,
        // Saved under an older version of the prompt: print what is stored, never nothing.
        ShownAnswer::Unreadable(stored) => {
            return vec![small(l.t("pdf.record.other_shape")), para(stored, l)];
        }
    };
    match (answer, &prompt.kind) {
        (Answer::Text { text }, _) => vec![para(text, l)],
        (Answer::Choice { selected }, PromptKind::Choice { options, .. }) => options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let span = if selected.contains(&i) {
                    Span::bold(format!("■ {o}"))
                } else {
                    Span::muted(format!("□ {o}"))
                };
                Para::new(vec![span]).after(0.3).into()
            })
            .collect(),
        (Answer::Scale { value }, PromptKind::Scale { min, max, labels }) => {
            let mut spans = Vec::new();
            for n in *min..=*max {
                if n == *value {
                    spans.push(Span::bold(format!("［{n}］")));
                } else {
                    spans.push(Span::muted(format!(" {n} ")));
                }
                spans.push(Span::plain(" "));
            }
            if let Some((_, text)) = labels.iter().find(|(v, _)| v == value) {
                spans.push(Span::plain(format!("（{text}）")));
            }
            vec![Para::new(spans).after(0.5).into()]
        }
        (
            Answer::FourBox {
                medical,
                preferences,
                quality,
                context,
            },
            _,
        ) => {
            let lists = [medical, preferences, quality, context];
            let cells: Vec<Cell> = FOUR_BOXES
                .iter()
                .zip(lists)
                .map(|(name, list)| {
                    let mut blocks: Vec<Block> = vec![
                        Para::new(vec![Span::bold(l.t(&format!("kinds.box.{name}")))])
                            .after(0.5)
                            .into(),
                    ];
                    blocks.extend(items(list, l));
                    Cell::new(blocks)
                })
                .collect();
            let mut table = Table::new(vec![1.0, 1.0]);
            for pair in cells.chunks(2) {
                table.rows.push(pair.to_vec());
            }
            vec![table.into()]
        }
        (
            Answer::ConferenceSheet {
                view,
                medical,
                person,
                family,
                best,
                family_care,
                next,
            },
            _,
        ) => {
            let id = view.id();
            let mut table = Table::new(vec![1.0, 2.2]);
            let texts = [medical, person, family, best, family_care, next];
            for (field, text) in SHEET_FIELDS.iter().zip(texts) {
                table.rows.push(vec![
                    label(l.t(&format!("kinds.sheet.{id}.{field}"))),
                    cell(text, l),
                ]);
            }
            vec![small(l.t(&format!("kinds.sheet.view.{id}"))), table.into()]
        }
        (
            Answer::DecisionTable { views },
            PromptKind::DecisionTable {
                options, family, ..
            },
        ) => {
            let mut out = Vec::new();
            for view in views {
                let who = view.who.label(family, l.lang);
                let mut title = vec![Span::bold(l.f("kinds.grid.view", &[&who]))];
                if view.conflict() {
                    title.push(Span {
                        text: format!("　{}", l.t("kinds.grid.conflict")),
                        bold: true,
                        tone: Tone::Accent,
                    });
                }
                out.push(Para::new(title).after(0.5).into());
                let mut table = Table::new(vec![2.0, 4.0, 4.0]).header(vec![
                    label(l.t("kinds.grid.option")),
                    label(l.t("kinds.grid.benefits")),
                    label(l.t("kinds.grid.harms")),
                ]);
                for (i, (option, o)) in options.iter().zip(&view.options).enumerate() {
                    let lean = if view.leaning == Some(i) { "★ " } else { "" };
                    table.rows.push(vec![
                        label(format!("{lean}{option}")),
                        cell(&format!("{}{}", weight(o.benefit_weight), o.benefits), l),
                        cell(&format!("{}{}", weight(o.harm_weight), o.harms), l),
                    ]);
                }
                out.push(table.into());
                out.push(small(format!(
                    "★ {}：{}　{}（{}）　{}",
                    l.t("kinds.grid.leaning"),
                    view.leaning_label(options, l.lang),
                    l.f("kinds.grid.sure_score", &[&view.sure_yes()]),
                    view.sure_answers(l.lang),
                    l.t("pdf.form.weight_note")
                )));
            }
            out
        }
        (Answer::ValuesRanking { picks }, PromptKind::ValuesRanking { cards, .. }) => {
            let mut table = Table::new(vec![1.0, 4.0, 6.0]).header(vec![
                label(l.t("pdf.form.rank")),
                label(l.t("kinds.rank.deck")),
                label(l.t("kinds.rank.reason")),
            ]);
            for (r, pick) in picks.iter().enumerate() {
                table.rows.push(vec![
                    Cell::text(l.f("kinds.rank.rank", &[&(r + 1)])),
                    label(cards.get(pick.card).cloned().unwrap_or_default()),
                    cell(&pick.reason, l),
                ]);
            }
            if picks.is_empty() {
                return vec![small(l.t("answer.none"))];
            }
            vec![table.into()]
        }
        (Answer::StakeholderMap { entries }, _) => {
            let mut table = Table::new(vec![2.6, 3.0, 3.0, 3.0]).header(vec![
                label(l.t("kinds.map.title")),
                label(l.t("kinds.map.wants")),
                label(l.t("kinds.map.fears")),
                label(l.t("kinds.map.dissent")),
            ]);
            for e in entries {
                table.rows.push(vec![
                    label(person_label(prompt, &e.who, l.lang)),
                    cell(&e.wants, l),
                    cell(&e.fears, l),
                    cell(&e.dissent, l),
                ]);
            }
            vec![table.into()]
        }
        (Answer::CapacityCheck { items }, _) => {
            let mut table = Table::new(vec![2.6, 2.4, 6.0]).header(vec![
                label(l.t("pdf.form.ability")),
                label(l.t("kinds.cap.rating")),
                label(l.t("kinds.cap.evidence")),
            ]);
            for (ability, item) in ABILITIES.iter().zip(items.all()) {
                let rating = Rating::ALL
                    .iter()
                    .find(|(_, r)| Some(*r) == item.rating)
                    .map_or("unrated", |(id, _)| *id);
                table.rows.push(vec![
                    label(l.t(&format!("kinds.cap.{ability}"))),
                    Cell::text(l.t(&format!("kinds.cap.{rating}"))),
                    cell(&item.evidence, l),
                ]);
            }
            vec![table.into()]
        }
        (Answer::ActionPlan { rows }, _) => {
            let mut table = Table::new(vec![3.0, 6.0, 2.4]).header(vec![
                label(l.t("kinds.plan.who")),
                label(l.t("kinds.plan.what")),
                label(l.t("kinds.plan.when")),
            ]);
            for row in rows {
                table.rows.push(vec![
                    label(person_label(prompt, &row.who, l.lang)),
                    cell(&row.what, l),
                    cell(&row.when, l),
                ]);
            }
            vec![table.into()]
        }
        // What the group wrote, under its headings; a heading left empty is not printed.
        (Answer::ThreeField { lists }, _) => {
            // The lists stacked as the group wrote them, each 【heading】 kept with the
            // first lines of its text; headings left empty are not printed.
            let mut out = Vec::new();
            for list in lists.iter().filter(|l| !l.text.trim().is_empty()) {
                let heading = format!("【{}】", list.heading(prompt, l.lang).0);
                out.push(Heading::new(3, heading).unlisted().into());
                out.push(Para::new(body(list.text.trim_end(), l)).after(1.0).into());
            }
            out
        }
        _ => vec![para(&answer.plain(prompt, l.lang), l)],
    }
}

/// How many tables chose each option or value of a choice or scale prompt.
pub fn tally(prompt: &Prompt, cells: &[Saved], l: &Labels) -> Vec<Block> {
    let answers: Vec<(i64, Answer)> = cells
        .iter()
        .filter_map(|c| {
            let a = c.answer.as_ref()?.answer()?;
            a.check(prompt).ok()?;
            Some((c.table, a.clone()))
        })
        .collect();
    if answers.is_empty() {
        return Vec::new();
    }
    let rows: Vec<(String, Vec<i64>)> = match &prompt.kind {
        PromptKind::Choice { options, .. } => options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let tables = answers
                    .iter()
                    .filter(
                        |(_, a)| matches!(a, Answer::Choice { selected } if selected.contains(&i)),
                    )
                    .map(|(t, _)| *t)
                    .collect();
                (o.clone(), tables)
            })
            .collect(),
        PromptKind::Scale { min, max, labels } => (*min..=*max)
            .map(|n| {
                let tables = answers
                    .iter()
                    .filter(|(_, a)| matches!(a, Answer::Scale { value } if *value == n))
                    .map(|(t, _)| *t)
                    .collect();
                let text = labels
                    .iter()
                    .find(|(v, _)| *v == n)
                    .map_or(n.to_string(), |(_, t)| format!("{n}（{t}）"));
                (text, tables)
            })
            .collect(),
        _ => return Vec::new(),
    };
    let mut table = Table::new(vec![4.6, 2.4, 4.4])
        .border(Border::Rows)
        .header(vec![
            label(l.t("pdf.record.option")),
            label(l.t("kinds.compare.picked")),
            label(l.t("fac.tables")),
        ]);
    for (text, tables) in rows {
        let names: Vec<String> = tables.iter().map(|t| t.to_string()).collect();
        table.rows.push(vec![
            Cell::text(text),
            Cell::new(vec![
                Para::new(vec![Span::bold(tables.len().to_string())])
                    .align(Align::Right)
                    .after(0.0)
                    .into(),
            ]),
            Cell::text(l.join(&names)),
        ]);
    }
    let mut out = vec![
        Para::new(vec![Span::bold(l.f("pdf.record.tally", &[&answers.len()]))])
            .after(0.5)
            .into(),
    ];
    out.push(table.into());
    if let PromptKind::Scale { .. } = prompt.kind {
        let sum: i64 = answers
            .iter()
            .filter_map(|(_, a)| match a {
                Answer::Scale { value } => Some(*value),
                _ => None,
            })
            .sum();
        let mean = sum as f64 / answers.len() as f64;
        out.push(small(l.f("pdf.record.mean", &[&format!("{mean:.1}")])));
    }
    vec![Block::Keep(out)]
}

/// Every table's answers brought together ([`Comparison`]), as blocks.
pub fn comparison(prompt: &Prompt, compare: &Comparison, l: &Labels) -> Vec<Block> {
    let view = |who: ViewWho| match &prompt.kind {
        PromptKind::DecisionTable { family, .. } => who.label(family, l.lang),
        _ => who.label("", l.lang),
    };
    let mut out: Vec<Block> = vec![
        Block::Space(2.0),
        Para::new(vec![Span::bold(l.t("kinds.compare.title"))])
            .after(0.5)
            .into(),
    ];
    match compare {
        Comparison::FourBox { boxes } => {
            out.push(small(l.t("kinds.compare.four_box")));
            let cells: Vec<Cell> = boxes
                .iter()
                .map(|b| {
                    let mut blocks: Vec<Block> = vec![
                        Para::new(vec![Span::bold(l.t(&format!("kinds.box.{}", b.name)))])
                            .after(0.5)
                            .into(),
                    ];
                    for t in &b.tables {
                        blocks.push(
                            Para::new(vec![Span::muted(l.f("table.name", &[&t.table]))])
                                .size(SMALL)
                                .after(0.0)
                                .into(),
                        );
                        blocks.extend(items(&t.items, l));
                    }
                    Cell::new(blocks)
                })
                .collect();
            let mut table = Table::new(vec![1.0, 1.0]);
            for pair in cells.chunks(2) {
                table.rows.push(pair.to_vec());
            }
            out.push(table.into());
        }
        Comparison::DecisionTable { options, conflicts } => {
            out.push(small(l.t("kinds.compare.grid")));
            let mut table = Table::new(vec![2.0, 4.0, 4.0]).header(vec![
                label(l.t("kinds.grid.option")),
                label(l.t("kinds.grid.benefits")),
                label(l.t("kinds.grid.harms")),
            ]);
            for o in options {
                let said = |list: &[crate::session::Said]| -> Vec<String> {
                    list.iter()
                        .map(|s| {
                            format!(
                                "{}・{}：{}{}",
                                l.f("table.name", &[&s.table]),
                                view(s.who),
                                weight(s.weight),
                                s.text
                            )
                        })
                        .collect()
                };
                let mut first: Vec<Block> = vec![
                    Para::new(vec![Span::bold(o.label.clone())])
                        .after(0.5)
                        .into(),
                ];
                if !o.leaning.is_empty() {
                    let who: Vec<String> = o
                        .leaning
                        .iter()
                        .map(|v| format!("{}・{}", l.f("table.name", &[&v.table]), view(v.who)))
                        .collect();
                    first.push(small(format!(
                        "★ {}：{}",
                        l.t("kinds.compare.leaning"),
                        l.join(&who)
                    )));
                }
                table.rows.push(vec![
                    Cell::new(first),
                    Cell::new(items(&said(&o.benefits), l)),
                    Cell::new(items(&said(&o.harms), l)),
                ]);
            }
            out.push(table.into());
            if !conflicts.is_empty() {
                let who: Vec<String> = conflicts
                    .iter()
                    .map(|v| format!("{}・{}", l.f("table.name", &[&v.table]), view(v.who)))
                    .collect();
                out.push(small(format!(
                    "{}：{}",
                    l.t("kinds.compare.conflicts"),
                    l.join(&who)
                )));
            }
        }
        Comparison::ValuesRanking { cards, tables, top } => {
            out.push(small(format!(
                "{} {}",
                l.f("kinds.compare.ranking", &[tables]),
                l.f("kinds.compare.ranking_help", &[top])
            )));
            let mut table = Table::new(vec![5.2, 1.6, 2.6, 1.6])
                .border(Border::Rows)
                .header(vec![
                    label(l.t("kinds.rank.deck")),
                    label(l.t("kinds.compare.score")),
                    label(l.t("kinds.compare.picked")),
                    label(l.t("kinds.compare.first")),
                ]);
            for c in cards {
                table.rows.push(vec![
                    Cell::text(c.card.clone()),
                    Cell::bold(c.score.to_string()),
                    Cell::text(c.picked.to_string()),
                    Cell::text(c.first.to_string()),
                ]);
            }
            out.push(table.into());
        }
        Comparison::ActionPlan { groups } => {
            out.push(small(l.t("kinds.compare.plan")));
            let mut table = Table::new(vec![3.0, 8.4]).header(vec![
                label(l.t("kinds.plan.who")),
                label(format!(
                    "{}（{}）",
                    l.t("kinds.plan.what"),
                    l.t("kinds.plan.when")
                )),
            ]);
            for g in groups {
                let what: Vec<String> = g
                    .rows
                    .iter()
                    .map(|r| {
                        let when = if r.when.is_empty() {
                            String::new()
                        } else {
                            format!("（{}）", r.when)
                        };
                        format!("{}：{}{when}", l.f("table.name", &[&r.table]), r.what)
                    })
                    .collect();
                table.rows.push(vec![
                    label(person_label(prompt, &g.who, l.lang)),
                    Cell::new(items(&what, l)),
                ]);
            }
            out.push(table.into());
        }
    }
    // Kept on one page when it fits: the heading must not be left alone.
    vec![Block::Keep(out)]
}
