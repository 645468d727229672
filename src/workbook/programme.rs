//! The blank teaching-programme workbook of a curriculum and its facilitator guide.
//!
//! Both walk the curriculum step by step: the step's text, the case with its scenes,
//! and every prompt with a printed answer area. The workbook puts the role cards at the
//! back, to cut out and hand to each profession; the guide prints them in place, with
//! every facilitator note, a run sheet and the learning points of each case.

use std::collections::{BTreeSet, HashSet};

use crate::content::{Case, Curriculum, Library, Prompt, Scene, Step, StepKind};
use crate::pdf::{
    Align, Block, Border, Cell, Doc, Heading, List, Marker, Para, SMALL, Span, Table, Tone,
};

use super::forms::{Room, form};
use super::markdown::{blocks, blocks_sized};
use super::{Document, Labels, localize};

/// The blank workbook for participants.
pub fn programme(curriculum: &Curriculum, library: &Library) -> Doc {
    build(curriculum, library, false)
}

/// The facilitator guide.
pub fn guide(curriculum: &Curriculum, library: &Library) -> Doc {
    build(curriculum, library, true)
}

/// The kind of a step as a label.
pub(crate) fn kind_label(kind: StepKind, l: &Labels) -> String {
    let id = StepKind::ALL
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("lecture", |(id, _)| *id);
    l.t(&format!("kind.{id}"))
}

/// "ステップ2 · グループワーク · 25分".
pub(crate) fn step_label(index: usize, step: &Step, l: &Labels) -> String {
    let mut parts = vec![l.f("pdf.step", &[&(index + 1)]), kind_label(step.kind, l)];
    if let Some(m) = step.minutes {
        parts.push(l.f("curriculum.minutes", &[&m]));
    }
    parts.join(" · ")
}

/// The scenes a table can reach in a case-walk step, in the case's order.
pub fn walk_scenes<'a>(step: &Step, case: &'a Case) -> Vec<&'a Scene> {
    let listed: &[String] = step.walk.as_ref().map_or(&[], |w| &w.scenes[..]);
    let start = listed
        .first()
        .and_then(|id| case.scene(id))
        .or_else(|| case.scenes.first());
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&Scene> = start.into_iter().collect();
    while let Some(scene) = todo.pop() {
        if !reached.insert(scene.id.as_str()) {
            continue;
        }
        if let Some(branch) = &scene.branch {
            todo.extend(branch.options.iter().filter_map(|o| case.scene(&o.target)));
        } else if let Some(n) = case.default_next(&scene.id)
            // Same rule as a live walk: a step that lists scenes stops where they run out,
            // unless the table left the listed line through a branch.
            && (listed.is_empty() || listed.contains(&n.id) || !listed.contains(&scene.id))
        {
            todo.push(n);
        }
    }
    let seen: BTreeSet<&str> = reached
        .into_iter()
        .chain(listed.iter().map(String::as_str))
        .collect();
    case.scenes
        .iter()
        .filter(|s| seen.contains(s.id.as_str()))
        .collect()
}

fn small(text: impl Into<String>) -> Block {
    Para::new(vec![Span::muted(text)])
        .size(SMALL)
        .after(1.0)
        .into()
}

/// A framed box of facilitator notes.
fn notes_box(title: String, notes: &[crate::content::Markdown]) -> Block {
    let mut inner: Vec<Block> = vec![
        Para::new(vec![Span {
            text: title,
            bold: true,
            tone: Tone::Accent,
        }])
        .after(1.0)
        .into(),
    ];
    for n in notes {
        inner.extend(blocks_sized(n, 9));
    }
    Table::framed(inner).border(Border::Rows).into()
}

/// The person, the family and the team of a case.
fn case_profile(case: &Case, l: &Labels) -> Vec<Block> {
    let mut out = blocks(&case.intro);
    let p = &case.patient;
    let mut patient: Vec<Block> = vec![
        Para::new(vec![Span::bold(format!(
            "{}：{}（{}）",
            l.t("case.patient"),
            p.name,
            l.f("case.age", &[&p.age])
        ))])
        .after(1.0)
        .into(),
    ];
    let mut facts = Table::new(vec![1.0, 4.0]).border(Border::None);
    for (key, value) in [
        ("case.illness", &p.illness),
        ("case.living", &p.living),
        ("case.care_level", &p.care_level),
    ] {
        if !value.is_empty() {
            facts.rows.push(vec![
                Cell::new(vec![
                    Para::new(vec![Span::muted(l.t(key))]).after(0.0).into(),
                ]),
                Cell::text(value.clone()),
            ]);
        }
    }
    patient.push(facts.into());
    if !p.said.is_empty() {
        patient.push(
            Para::new(vec![Span::bold(l.t("case.said"))])
                .after(0.5)
                .into(),
        );
        patient.push(
            List::of(
                Marker::Bullet,
                p.said.iter().map(|s| Para::text(s.clone()).after(0.3)),
            )
            .into(),
        );
    }
    patient.extend(blocks(&p.story));
    out.push(Table::framed(patient).into());
    for m in &case.family {
        let mut title = vec![Span::bold(if m.name.is_empty() {
            m.title.clone()
        } else {
            format!("{}（{}）", m.title, m.name)
        })];
        title.push(Span::muted(format!(
            "　{}",
            l.t(if m.lives_with {
                "case.lives_with"
            } else {
                "case.lives_apart"
            })
        )));
        if m.surrogate {
            title.push(Span {
                text: format!("　{}", l.t("case.surrogate")),
                bold: true,
                tone: Tone::Accent,
            });
        }
        let mut member: Vec<Block> = vec![Para::new(title).after(1.0).into()];
        let mut facts = Table::new(vec![1.0, 4.0]).border(Border::None);
        for (key, value) in [("case.relation", &m.relation), ("case.stance", &m.stance)] {
            if !value.is_empty() {
                facts.rows.push(vec![
                    Cell::new(vec![
                        Para::new(vec![Span::muted(l.t(key))]).after(0.0).into(),
                    ]),
                    Cell::text(value.clone()),
                ]);
            }
        }
        member.push(facts.into());
        member.extend(blocks(&m.story));
        out.push(Table::framed(member).into());
    }
    if !case.team.is_empty() {
        let team: Vec<String> = case
            .team
            .iter()
            .map(|p| p.label(l.lang).to_string())
            .collect();
        out.push(
            Para::new(vec![
                Span::bold(format!("{}：", l.t("case.team"))),
                Span::plain(l.join(&team)),
            ])
            .into(),
        );
    }
    out
}

/// True when a role card's heading says more than "the visiting nurse's information",
/// which the card's label already says.
fn own_title(card: &crate::content::RoleCard, l: &Labels) -> bool {
    !card.title.is_empty()
        && card.title != l.f("card.for", &[&card.profession.label(l.lang)])
        && card.title != l.f("card.for", &[&card.profession.ja])
}

/// A prompt with its help and answer area, kept together when it fits on a page.
pub(crate) fn prompt_block(prompt: &Prompt, l: &Labels, room: Room) -> Block {
    let mut inner: Vec<Block> = vec![
        Heading::new(3, format!("{}　{}", l.t("prompt.mark"), prompt.title))
            .unlisted()
            .into(),
    ];
    inner.extend(blocks_sized(&prompt.help, 9));
    inner.extend(form(prompt, l, room));
    inner.push(Block::Space(2.0));
    Block::Keep(inner)
}

fn build(c: &Curriculum, library: &Library, guide: bool) -> Doc {
    let l = Labels::new(c.language);
    let document = if guide {
        Document::Guide
    } else {
        Document::Programme
    };
    let kind = l.t(document.key());
    let room = if guide { Room::Compact } else { Room::Full };

    // Cover.
    let mut cover: Vec<Block> = vec![
        Block::Space(30.0),
        Para::new(vec![Span {
            text: kind.clone(),
            bold: true,
            tone: Tone::Accent,
        }])
        .size(12)
        .after(4.0)
        .into(),
        Para::new(vec![Span::bold(c.title.clone())])
            .size(20)
            .after(6.0)
            .into(),
    ];
    if !c.summary.is_empty() {
        cover.push(Para::text(c.summary.clone()).size(11).after(4.0).into());
    }
    cover.push(
        Para::new(vec![Span::muted(format!(
            "{} · {} · {}",
            l.f("curriculum.minutes", &[&c.duration]),
            l.f("curriculum.steps", &[&c.steps.len()]),
            l.f("pdf.version", &[&c.version])
        ))])
        .after(14.0)
        .into(),
    );
    if guide {
        cover.push(notes_box(
            l.t("fac.notes"),
            &[crate::content::Markdown::new(&l.t("pdf.guide_warning"))],
        ));
    } else {
        let mut fill = Table::new(vec![1.2, 4.0]);
        for key in [
            "session.title",
            "session.held_on",
            "session.place",
            "pdf.cover.name",
            "pdf.cover.profession",
            "pdf.cover.table",
        ] {
            fill.rows.push(vec![
                Cell::bold(l.t(key)).min_height(11.0),
                Cell::blank(0.0),
            ]);
        }
        cover.push(fill.into());
    }

    // Overview: objectives, audience, timetable.
    let mut body: Vec<Block> = vec![Heading::new(1, l.t("pdf.overview")).into()];
    if !c.objectives.is_empty() {
        body.push(Heading::new(2, l.t("curriculum.objectives")).into());
        body.push(
            List::of(
                Marker::Number(1),
                c.objectives
                    .iter()
                    .map(|o| Para::text(o.clone()).after(0.5)),
            )
            .into(),
        );
    }
    if !c.audience.is_empty() {
        body.push(Heading::new(2, l.t("curriculum.audience")).into());
        let names: Vec<String> = c
            .audience
            .iter()
            .map(|p| p.label(l.lang).to_string())
            .collect();
        body.push(Para::text(l.join(&names)).into());
    }
    body.push(Heading::new(2, l.t("curriculum.timetable")).into());
    let mut timetable = Table::new(vec![0.6, 6.4, 2.2, 1.7, 1.9])
        .border(Border::Rows)
        .header(vec![
            Cell::bold("#"),
            Cell::bold(l.t("step.title")),
            Cell::bold(l.t("step.kind")),
            Cell::bold(l.t("step.minutes")),
            Cell::bold(l.t("run.planned_start")),
        ]);
    let mut start = 0;
    for (i, step) in c.steps.iter().enumerate() {
        let mut title: Vec<Block> = vec![Para::text(step.title.clone()).after(0.0).into()];
        if let Some(case) = step.walk.as_ref().and_then(|w| library.cases.get(&w.case)) {
            title.push(small(format!("{}：{}", l.t("step.case"), case.title)));
        }
        timetable.rows.push(vec![
            Cell::text((i + 1).to_string()),
            Cell::new(title),
            Cell::text(kind_label(step.kind, &l)),
            Cell::text(step.minutes.map_or("—".to_string(), |m| m.to_string())),
            Cell::text(format!("+{start}{}", l.t("unit.min"))),
        ]);
        start += step.minutes.unwrap_or(0);
    }
    body.push(timetable.into());
    if guide {
        body.push(Heading::new(2, l.t("pdf.run_sheet")).into());
        body.push(small(l.t("pdf.run_sheet_help")));
        let mut sheet = Table::new(vec![0.6, 4.4, 1.9, 1.6, 1.9, 3.4]).header(vec![
            Cell::bold("#"),
            Cell::bold(l.t("step.title")),
            Cell::bold(l.t("run.planned_start")),
            Cell::bold(l.t("run.planned")),
            Cell::bold(l.t("run.actual_start")),
            Cell::bold(l.t("pdf.memo")),
        ]);
        let mut start = 0;
        for (i, step) in c.steps.iter().enumerate() {
            sheet.rows.push(vec![
                Cell::text((i + 1).to_string()).min_height(11.0),
                Cell::text(step.title.clone()),
                Cell::text(format!("+{start}{}", l.t("unit.min"))),
                Cell::text(
                    step.minutes
                        .map_or("—".to_string(), |m| l.f("curriculum.minutes", &[&m])),
                ),
                Cell::blank(0.0),
                Cell::blank(0.0),
            ]);
            start += step.minutes.unwrap_or(0);
        }
        body.push(sheet.into());
    }

    // Steps.
    let mut profiled: HashSet<&str> = HashSet::new();
    let mut card_scenes: Vec<(&Case, &Scene)> = Vec::new();
    for (i, step) in c.steps.iter().enumerate() {
        body.push(
            Heading::new(1, step.title.clone())
                .label(step_label(i, step, &l))
                .new_page()
                .into(),
        );
        body.extend(blocks(&step.body));
        if guide && !step.facilitator_notes.is_empty() {
            body.push(notes_box(l.t("fac.notes"), &step.facilitator_notes));
        }
        if step.kind == StepKind::Survey && !step.prompts.is_empty() {
            body.push(small(l.t("pdf.survey_help")));
        }
        let case = step.walk.as_ref().and_then(|w| library.cases.get(&w.case));
        if let Some(case) = case {
            if profiled.insert(case.id.as_str()) {
                body.push(Heading::new(2, format!("{}：{}", l.t("step.case"), case.title)).into());
                body.extend(case_profile(case, &l));
            } else {
                body.push(
                    Para::new(vec![
                        Span::bold(format!("{}：{}", l.t("step.case"), case.title)),
                        Span::muted(format!("　{}", l.t("pdf.case_again"))),
                    ])
                    .into(),
                );
            }
            for scene in walk_scenes(step, case) {
                let mut heading = Heading::new(2, scene.title.clone());
                if !scene.when.is_empty() {
                    heading = heading.label(scene.when.clone());
                }
                body.push(heading.into());
                body.extend(blocks(&scene.narrative));
                if !scene.role_cards.is_empty() {
                    if guide {
                        let mut cards = Table::new(vec![1.6, 5.0])
                            .border(Border::Rows)
                            .header(vec![Cell::bold(l.t("pdf.role_cards")).span(2)]);
                        for card in &scene.role_cards {
                            let mut text: Vec<Block> = Vec::new();
                            if own_title(card, &l) {
                                text.push(
                                    Para::new(vec![Span::bold(card.title.clone())])
                                        .size(9)
                                        .after(0.5)
                                        .into(),
                                );
                            }
                            text.extend(blocks_sized(&card.text, 9));
                            cards.rows.push(vec![
                                Cell::bold(card.profession.label(l.lang)),
                                Cell::new(text),
                            ]);
                        }
                        body.push(cards.into());
                    } else {
                        let names: Vec<String> = scene
                            .role_cards
                            .iter()
                            .map(|r| r.profession.label(l.lang).to_string())
                            .collect();
                        body.push(small(l.f("pdf.cards_here", &[&l.join(&names)])));
                        card_scenes.push((case, scene));
                    }
                }
                if guide && !scene.facilitator_notes.is_empty() {
                    body.push(notes_box(l.t("pdf.scene_notes"), &scene.facilitator_notes));
                }
                for prompt in &scene.prompts {
                    body.push(prompt_block(prompt, &l, room));
                }
                if let Some(branch) = &scene.branch {
                    let mut inner: Vec<Block> = vec![
                        Heading::new(3, format!("{}　{}", l.t("pdf.branch"), branch.question))
                            .unlisted()
                            .into(),
                        small(l.t("walk.branch_help")),
                    ];
                    inner.push(
                        List::of(
                            Marker::Tick,
                            branch.options.iter().map(|o| {
                                let target = case
                                    .scene(&o.target)
                                    .map_or(o.target.clone(), |s| s.title.clone());
                                Para::new(vec![
                                    Span::plain(o.label.clone()),
                                    Span::muted(format!("　→ {target}")),
                                ])
                                .after(0.5)
                            }),
                        )
                        .into(),
                    );
                    body.push(Block::Keep(inner));
                } else if scene.end {
                    body.push(small(l.t("pdf.case_end")));
                }
            }
            if guide && !case.facilitator_notes.is_empty() {
                body.push(notes_box(
                    l.t("pdf.learning_points"),
                    &case.facilitator_notes,
                ));
            }
        }
        for prompt in &step.prompts {
            body.push(prompt_block(prompt, &l, room));
        }
    }

    // Role cards to cut out (workbook only).
    if !card_scenes.is_empty() {
        body.push(Heading::new(1, l.t("pdf.cards_title")).new_page().into());
        body.push(small(l.t("pdf.cards_help")));
        let mut seen = HashSet::new();
        for (case, scene) in card_scenes {
            if !seen.insert((case.id.as_str(), scene.id.as_str())) {
                continue;
            }
            body.push(
                Heading::new(3, format!("{} · {}", case.title, scene.title))
                    .unlisted()
                    .into(),
            );
            let mut grid = Table::new(vec![1.0, 1.0]).border(Border::Cut);
            grid.gap = 4.0;
            let cells: Vec<Cell> = scene
                .role_cards
                .iter()
                .map(|card| {
                    let mut inner: Vec<Block> = vec![
                        Para::new(vec![Span::muted(format!(
                            "{} · {}",
                            case.title, scene.title
                        ))])
                        .size(7)
                        .after(0.5)
                        .into(),
                        Para::new(vec![Span {
                            text: l.f("card.for", &[&card.profession.label(l.lang)]),
                            bold: true,
                            tone: Tone::Accent,
                        }])
                        .after(0.5)
                        .into(),
                    ];
                    if own_title(card, &l) {
                        inner.push(
                            Para::new(vec![Span::bold(card.title.clone())])
                                .size(9)
                                .after(0.5)
                                .into(),
                        );
                    }
                    inner.extend(blocks_sized(&card.text, 9));
                    Cell::new(inner)
                })
                .collect();
            for pair in cells.chunks(2) {
                grid.rows.push(pair.to_vec());
            }
            body.push(grid.into());
        }
    }
    if c.steps.is_empty() {
        body.push(
            Para::new(vec![Span::muted(l.t("pdf.no_steps"))])
                .align(Align::Left)
                .into(),
        );
    }

    localize(
        Doc {
            title: c.title.clone(),
            kind,
            lang: l.lang,
            cover,
            contents: Some(l.t("pdf.contents")),
            body,
        },
        &l,
    )
}
