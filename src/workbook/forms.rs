//! Blank answer areas, one shape per prompt kind, sized for handwriting: lines for text,
//! the four boxes, the decision grid, value cards to tick or cut out.

use crate::answer::person_label;
use crate::content::{ABILITIES, FOUR_BOXES, Prompt, PromptKind, SHEET_FIELDS};
use crate::pdf::{Align, Block, Border, Cell, Lines, List, Marker, Para, SMALL, Span, Table};

use super::Labels;

/// How much room a form gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Room {
    /// Full size, for participants to write in.
    Full,
    /// Compact, so the facilitator guide shows the form without the writing space.
    Compact,
}

impl Room {
    fn lines(self, full: usize) -> usize {
        match self {
            Room::Full => full,
            Room::Compact => full.min(2),
        }
    }

    fn height(self, full: f64) -> f64 {
        match self {
            Room::Full => full,
            Room::Compact => (full / 2.5).max(7.0),
        }
    }
}

fn small(text: impl Into<String>) -> Block {
    Para::new(vec![Span::muted(text)])
        .size(SMALL)
        .after(1.0)
        .into()
}

fn label_cell(text: impl Into<String>, lines: usize) -> Cell {
    let mut blocks: Vec<Block> = vec![Para::new(vec![Span::bold(text)]).after(0.5).into()];
    if lines > 0 {
        blocks.push(Block::Lines(Lines::new(lines)));
    }
    Cell::new(blocks)
}

fn ticks(options: impl IntoIterator<Item = String>) -> Block {
    List::of(
        Marker::Tick,
        options.into_iter().map(|o| Para::text(o).after(0.5)),
    )
    .into()
}

/// Options side by side on one line: "□ a　　□ b".
fn inline_ticks(options: &[String]) -> Block {
    let text = options
        .iter()
        .map(|o| format!("□ {o}"))
        .collect::<Vec<_>>()
        .join("　　");
    Para::text(text).into()
}

/// The blank answer area of `prompt`.
pub fn form(prompt: &Prompt, l: &Labels, room: Room) -> Vec<Block> {
    match &prompt.kind {
        PromptKind::Text { max } => {
            // Handwriting takes far more room than type: about 100 characters a line
            // pair; never fewer than 3 lines or more than 10.
            let lines = max.div_ceil(100).clamp(3, 10);
            vec![Block::Lines(Lines::new(room.lines(lines)))]
        }
        PromptKind::Choice { multiple, options } => vec![
            small(l.t(if *multiple {
                "prompt.multiple"
            } else {
                "prompt.single"
            })),
            ticks(options.iter().cloned()),
        ],
        PromptKind::Scale { min, max, labels } => scale(*min, *max, labels, l),
        PromptKind::FourBox {} => {
            let lines = room.lines(5);
            let cells: Vec<Cell> = FOUR_BOXES
                .iter()
                .map(|b| label_cell(l.t(&format!("kinds.box.{b}")), lines))
                .collect();
            let mut table = Table::new(vec![1.0, 1.0]);
            for pair in cells.chunks(2) {
                table.rows.push(pair.to_vec());
            }
            vec![small(l.t("pdf.form.one_per_line")), table.into()]
        }
        PromptKind::ConferenceSheet { view, .. } => {
            let id = view.id();
            let lines = room.lines(4);
            let mut table = Table::new(vec![1.0, 1.0]);
            let cells: Vec<Cell> = SHEET_FIELDS
                .iter()
                .map(|f| label_cell(l.t(&format!("kinds.sheet.{id}.{f}")), lines))
                .collect();
            for pair in cells.chunks(2) {
                table.rows.push(pair.to_vec());
            }
            vec![
                small(l.t("kinds.sheet.view")),
                inline_ticks(&[
                    l.t("kinds.sheet.view.forward"),
                    l.t("kinds.sheet.view.back"),
                ]),
                table.into(),
            ]
        }
        PromptKind::DecisionTable {
            options, family, ..
        } => {
            let mut out = vec![small(format!(
                "{} {}",
                l.t("kinds.grid.equal_detail"),
                l.t("kinds.grid.weight_help")
            ))];
            let family = if family.is_empty() {
                l.t("kinds.grid.family_default")
            } else {
                family.clone()
            };
            for who in [l.t("kinds.grid.person"), family] {
                out.push(
                    Para::new(vec![Span::bold(l.f("kinds.grid.view", &[&who]))])
                        .after(0.5)
                        .into(),
                );
                let weight = || {
                    Cell::new(vec![
                        Para::text("1 2 3 4 5")
                            .size(SMALL)
                            .align(Align::Center)
                            .after(0.0)
                            .into(),
                    ])
                };
                let mut table = Table::new(vec![2.2, 4.0, 1.4, 4.0, 1.4]).header(vec![
                    Cell::bold(l.t("kinds.grid.option")),
                    Cell::bold(l.t("kinds.grid.benefits")),
                    Cell::new(vec![
                        Para::new(vec![Span::bold(l.t("kinds.grid.weight"))])
                            .size(SMALL)
                            .after(0.0)
                            .into(),
                    ]),
                    Cell::bold(l.t("kinds.grid.harms")),
                    Cell::new(vec![
                        Para::new(vec![Span::bold(l.t("kinds.grid.weight"))])
                            .size(SMALL)
                            .after(0.0)
                            .into(),
                    ]),
                ]);
                for option in options {
                    table.rows.push(vec![
                        Cell::text(option.clone()).min_height(room.height(24.0)),
                        Cell::blank(0.0),
                        weight(),
                        Cell::blank(0.0),
                        weight(),
                    ]);
                }
                out.push(table.into());
                let mut leaning = options.clone();
                leaning.push(l.t("kinds.grid.undecided"));
                out.push(
                    Para::new(vec![Span::bold(l.t("kinds.grid.leaning"))])
                        .after(0.5)
                        .into(),
                );
                out.push(inline_ticks(&leaning));
                let mut sure = Table::new(vec![6.0, 2.0]).border(Border::Rows);
                for k in 0..4 {
                    sure.rows.push(vec![
                        Cell::text(format!(
                            "{}  {}",
                            ["S", "U", "R", "E"][k],
                            l.t(&format!("kinds.grid.sure.{k}"))
                        )),
                        Cell::text(format!(
                            "□ {}　□ {}",
                            l.t("kinds.grid.yes"),
                            l.t("kinds.grid.no")
                        )),
                    ]);
                }
                out.push(small(l.t("kinds.grid.sure")));
                out.push(sure.into());
            }
            out
        }
        PromptKind::ValuesRanking { cards, top } => {
            let mut deck = Table::new(vec![1.0, 1.0, 1.0]).border(Border::Cut);
            deck.gap = 3.0;
            for row in cards.chunks(3) {
                let mut cells: Vec<Cell> = row
                    .iter()
                    .map(|c| Cell::new(vec![ticks([c.clone()])]).min_height(room.height(16.0)))
                    .collect();
                while cells.len() < 3 {
                    cells.push(Cell::new(Vec::new()));
                }
                deck.rows.push(cells);
            }
            // Empty cells of the last row are not cards: drop their frames by trimming.
            if let Some(last) = deck.rows.last_mut() {
                let used = cards.len() % 3;
                if used != 0 {
                    last.truncate(used);
                }
            }
            let mut ranking = Table::new(vec![1.0, 4.0, 6.0]).header(vec![
                Cell::bold(l.t("pdf.form.rank")),
                Cell::bold(l.t("kinds.rank.deck")),
                Cell::bold(l.t("kinds.rank.reason")),
            ]);
            for r in 1..=*top {
                ranking.rows.push(vec![
                    Cell::text(l.f("kinds.rank.rank", &[&r])).min_height(room.height(11.0)),
                    Cell::blank(0.0),
                    Cell::blank(0.0),
                ]);
            }
            vec![
                small(l.f("pdf.form.rank_help", &[top])),
                deck.into(),
                ranking.into(),
            ]
        }
        PromptKind::StakeholderMap { people, .. } => {
            let mut table = Table::new(vec![2.6, 3.0, 3.0, 3.0]).header(vec![
                Cell::bold(l.t("kinds.map.title")),
                Cell::bold(l.t("kinds.map.wants")),
                Cell::bold(l.t("kinds.map.fears")),
                Cell::bold(l.t("kinds.map.dissent")),
            ]);
            let extra = match room {
                Room::Full => 2,
                Room::Compact => 0,
            };
            let names = people
                .iter()
                .map(|p| person_label(prompt, &p.key, l.lang))
                .chain(std::iter::repeat_n(String::new(), extra));
            for name in names {
                table.rows.push(vec![
                    Cell::text(name).min_height(room.height(18.0)),
                    Cell::blank(0.0),
                    Cell::blank(0.0),
                    Cell::blank(0.0),
                ]);
            }
            vec![small(l.t("kinds.map.help")), table.into()]
        }
        PromptKind::CapacityCheck { .. } => {
            let mut table = Table::new(vec![3.0, 2.6, 5.0]).header(vec![
                Cell::bold(l.t("pdf.form.ability")),
                Cell::bold(l.t("kinds.cap.rating")),
                Cell::bold(l.t("kinds.cap.evidence")),
            ]);
            for ability in ABILITIES {
                table.rows.push(vec![
                    Cell::new(vec![
                        Para::new(vec![Span::bold(l.t(&format!("kinds.cap.{ability}")))])
                            .after(0.5)
                            .into(),
                        small(l.t(&format!("kinds.cap.{ability}_help"))),
                    ]),
                    Cell::new(vec![
                        List::of(
                            Marker::Tick,
                            ["kept", "partial", "impaired", "unknown"].iter().map(|r| {
                                Para::text(l.t(&format!("kinds.cap.{r}")))
                                    .size(SMALL)
                                    .after(0.0)
                            }),
                        )
                        .into(),
                    ]),
                    Cell::blank(room.height(24.0)),
                ]);
            }
            vec![table.into()]
        }
        PromptKind::ActionPlan { people, .. } => {
            let names: Vec<String> = people
                .iter()
                .map(|p| person_label(prompt, &p.key, l.lang))
                .collect();
            let mut table = Table::new(vec![3.0, 6.0, 2.4]).header(vec![
                Cell::bold(l.t("kinds.plan.who")),
                Cell::bold(l.t("kinds.plan.what")),
                Cell::bold(l.t("kinds.plan.when")),
            ]);
            let rows = match room {
                Room::Full => 6,
                Room::Compact => 2,
            };
            for _ in 0..rows {
                table
                    .rows
                    .push(vec![Cell::blank(11.0), Cell::blank(0.0), Cell::blank(0.0)]);
            }
            let mut out = Vec::new();
            if !names.is_empty() {
                out.push(small(format!(
                    "{}：{}",
                    l.t("kinds.plan.people"),
                    l.join(&names)
                )));
            }
            out.push(small(l.t("pdf.form.plan_help")));
            out.push(table.into());
            out
        }
        PromptKind::ThreeField { headings, .. } => {
            let mut table = Table::new(vec![1.0]);
            for h in headings {
                table
                    .rows
                    .push(vec![label_cell(h.label(l.lang), room.lines(3))]);
            }
            // A box for a heading the group gives itself, as on the table screen.
            table
                .rows
                .push(vec![label_cell(l.t("pdf.form.own_heading"), room.lines(3))]);
            vec![table.into()]
        }
    }
}

fn scale(min: i64, max: i64, labels: &[(i64, String)], l: &Labels) -> Vec<Block> {
    let count = (max - min + 1).max(1);
    if count > 11 {
        return vec![
            small(l.f("pdf.form.scale_write", &[&min, &max])),
            Table::new(vec![1.0, 3.0])
                .row(vec![Cell::blank(12.0), Cell::new(Vec::new())])
                .border(Border::None)
                .into(),
        ];
    }
    let mut table = Table::new(vec![1.0; count as usize]);
    table.rows.push(
        (min..=max)
            .map(|n| {
                let mut blocks: Vec<Block> = vec![
                    Para::new(vec![Span::bold(n.to_string())])
                        .size(12)
                        .align(Align::Center)
                        .after(0.5)
                        .into(),
                ];
                if let Some((_, label)) = labels.iter().find(|(v, _)| *v == n) {
                    blocks.push(
                        Para::new(vec![Span::muted(label.clone())])
                            .size(SMALL)
                            .align(Align::Center)
                            .after(0.0)
                            .into(),
                    );
                }
                Cell::new(blocks)
            })
            .collect(),
    );
    vec![small(l.t("pdf.form.scale_help")), table.into()]
}
