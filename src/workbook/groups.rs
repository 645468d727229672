//! The group report as a council prints it: the session's title across the page, then
//! for every three-field prompt a table of one row per group — its number, who sat
//! there, and its headed lists stacked in one wide cell. No cover, no version stamps, no
//! run sheet: what a council files, not a training record.

use crate::pdf::{Block, Cell, Doc, Heading, Para, SMALL, Span, Table};
use crate::report::groups::{GroupReport, MemberLine};

use super::{Labels, localize};
use crate::lang::Lang;
use crate::text::time::datetime;

/// Column widths: group number (wide enough for 「グループ」 on one line), members,
/// lists (the lists take what is left).
fn columns(has_members: bool, landscape: bool) -> Vec<f64> {
    match (has_members, landscape) {
        (true, false) => vec![1.6, 3.8, 9.5],
        (true, true) => vec![1.6, 4.4, 16.5],
        (false, false) => vec![1.6, 13.3],
        (false, true) => vec![1.6, 20.9],
    }
}

fn members_cell(lines: &[MemberLine], l: &Labels) -> Cell {
    let blocks: Vec<Block> = lines
        .iter()
        .map(|line| Para::text(l.join(&line.values)).size(9).after(1.0).into())
        .collect();
    Cell::new(blocks)
}

/// The group report of a session with labels in `lang` (the report's own labels, such
/// as professions, are already in it); `landscape` widens the lists' column; `made` is
/// when (ms), said for a session still open.
pub fn group_report(report: &GroupReport, lang: Lang, landscape: bool, made: i64) -> Doc {
    let l = &Labels::new(lang);
    let s = &report.session;
    let kind = l.t("groups.title");
    let status = if s.status == "closed" {
        l.t("session.closed")
    } else {
        l.f("pdf.record.as_of", &[&l.t("session.open"), &datetime(made)])
    };
    let mut facts = vec![s.held_on.clone()];
    if !s.place.is_empty() {
        facts.push(s.place.clone());
    }
    facts.push(status);
    let mut body: Vec<Block> = vec![
        // The title across the whole page, never inside a narrow cell.
        Heading::new(1, s.title.clone()).into(),
        Para::new(vec![Span::muted(facts.join("　"))])
            .after(3.0)
            .into(),
    ];
    if report.prompts.is_empty() {
        body.push(Para::text(l.t("report.no_three_field")).into());
    }
    for p in &report.prompts {
        let mut header = vec![Cell::bold(l.t("groups.group"))];
        if report.has_members {
            header.push(Cell::bold(l.t("groups.members")));
        }
        header.push(Cell::bold(l.t("groups.lists")));
        let mut table = Table::new(columns(report.has_members, landscape)).header(header);
        for row in &p.rows {
            let mut cells = vec![Cell::bold(row.table.to_string())];
            if report.has_members {
                cells.push(members_cell(&row.members, l));
            }
            let mut lists: Vec<Block> = Vec::new();
            for list in &row.lists {
                // A heading in a cell is kept with the first lines under it.
                lists.push(
                    Heading::new(3, format!("【{}】", list.heading))
                        .unlisted()
                        .into(),
                );
                lists.push(Para::text(list.text.trim_end()).after(0.5).into());
            }
            cells.push(Cell::new(lists));
            table.rows.push(cells);
        }
        body.push(
            Heading::new(2, p.title.clone())
                .label(p.step_title.clone())
                .into(),
        );
        if !p.rows.is_empty() {
            body.push(table.into());
        }
        if !p.unanswered.is_empty() {
            let numbers: Vec<String> = p.unanswered.iter().map(i64::to_string).collect();
            body.push(
                Para::new(vec![Span::muted(format!(
                    "{}：{}",
                    l.t("groups.none"),
                    l.join(&numbers)
                ))])
                .size(SMALL)
                .into(),
            );
        }
    }
    localize(
        Doc {
            title: s.title.clone(),
            kind,
            lang: l.lang,
            cover: Vec::new(),
            contents: None,
            body,
        },
        l,
    )
}
