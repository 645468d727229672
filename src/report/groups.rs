//! The group report in the layout councils print: for every three-field prompt, one row
//! per group — its number, who sat there, and the headed lists it wrote stacked in one
//! wide cell. Built from a [`SessionReport`] and the roster, for the page, the CSV, the
//! JSON and the PDF (`crate::workbook::group_report`).
//!
//! The members column shows what the curriculum's `report_members:` names of the roster
//! people seated at the table (professions by default), each value once, in the order
//! the roster first gives it; a table nobody of the roster sits at shows the professions
//! it declared on its screen.

use serde::Serialize;

use super::session::{Facts, ReportList, SessionReport};
use super::{counted_people, profession_label};
use crate::content::{MemberField, Professions};
use crate::db::roster::ParticipantRow;
use crate::db::tables::TableRow;
use crate::i18n;
use crate::lang::Lang;

/// One line of a group's members: the values of one roster column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberLine {
    /// Which column.
    pub field: MemberField,
    /// The values, each once, in roster order (professions as `訪問看護師×2`).
    pub values: Vec<String>,
}

/// One group's row.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// Table number.
    pub table: i64,
    /// Who sat there, one line per field asked for; empty when nothing is known.
    pub members: Vec<MemberLine>,
    /// The lists the group wrote, in its order; empty ones are not here.
    pub lists: Vec<ReportList>,
}

/// One three-field prompt with the rows of the groups that wrote something.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPrompt {
    /// Prompt key.
    pub key: String,
    /// The prompt's title.
    pub title: String,
    /// The step it belongs to.
    pub step_title: String,
    /// The groups that wrote something, by number.
    pub rows: Vec<GroupRow>,
    /// The groups that wrote nothing, by number.
    pub unanswered: Vec<i64>,
}

/// The whole group report of a session.
#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    /// The session.
    pub session: Facts,
    /// The roster columns the members column shows (the curriculum's `report_members`).
    pub fields: Vec<MemberField>,
    /// Whether any row has members: the column is left out when none has.
    pub has_members: bool,
    /// Every three-field prompt.
    pub prompts: Vec<GroupPrompt>,
}

/// Who sat at `table`: the values of `fields` of the roster people seated there (see
/// [`counted_people`]) in roster order, else the professions the table declared.
pub fn members(
    table: &TableRow,
    people: &[&ParticipantRow],
    fields: &[MemberField],
    known: &Professions,
    lang: Lang,
) -> Vec<MemberLine> {
    let seated: Vec<&ParticipantRow> = people
        .iter()
        .copied()
        .filter(|p| p.table_number == Some(table.number))
        .collect();
    if seated.is_empty() {
        let values: Vec<String> = table
            .professions
            .iter()
            .map(|p| profession_label(known, p, lang))
            .collect();
        return if values.is_empty() {
            Vec::new()
        } else {
            vec![MemberLine {
                field: MemberField::Profession,
                values,
            }]
        };
    }
    let mut lines = Vec::new();
    for field in fields {
        // (value, how many), in the order the roster first gives each value.
        let mut seen: Vec<(String, usize)> = Vec::new();
        for p in &seated {
            let value = match field {
                MemberField::Profession => profession_label(known, &p.profession, lang),
                MemberField::Organization => p.organization.trim().to_string(),
                MemberField::Area => p.area.trim().to_string(),
                MemberField::Name => p.name.trim().to_string(),
            };
            if value.is_empty() {
                continue;
            }
            match seen.iter_mut().find(|(v, _)| *v == value) {
                Some((_, n)) => *n += 1,
                None => seen.push((value, 1)),
            }
        }
        if seen.is_empty() {
            continue;
        }
        let values = seen
            .into_iter()
            .map(|(v, n)| match field {
                MemberField::Profession if n > 1 => format!("{v}×{n}"),
                _ => v,
            })
            .collect();
        lines.push(MemberLine {
            field: *field,
            values,
        });
    }
    lines
}

/// Builds the group report from a session's report, its tables and roster.
pub fn build(
    report: &SessionReport,
    tables: &[TableRow],
    people: &[ParticipantRow],
    fields: &[MemberField],
    known: &Professions,
    lang: Lang,
) -> GroupReport {
    let (counted, _) = counted_people(people);
    let prompts: Vec<GroupPrompt> = report
        .three_field
        .iter()
        .map(|tf| {
            let mut rows = Vec::new();
            let mut unanswered = Vec::new();
            for row in &tf.rows {
                if row.lists.is_empty() {
                    unanswered.push(row.table);
                    continue;
                }
                let members = tables
                    .iter()
                    .find(|t| t.number == row.table)
                    .map(|t| members(t, &counted, fields, known, lang))
                    .unwrap_or_default();
                rows.push(GroupRow {
                    table: row.table,
                    members,
                    lists: row.lists.clone(),
                });
            }
            GroupPrompt {
                key: tf.key.clone(),
                title: tf.title.clone(),
                step_title: tf.step_title.clone(),
                rows,
                unanswered,
            }
        })
        .collect();
    GroupReport {
        session: report.session.clone(),
        fields: fields.to_vec(),
        has_members: prompts
            .iter()
            .flat_map(|p| &p.rows)
            .any(|r| !r.members.is_empty()),
        prompts,
    }
}

/// A group's members as text: each line's values joined as the language joins lists,
/// lines joined with `line_sep`.
pub fn members_text(lines: &[MemberLine], lang: Lang, line_sep: &str) -> String {
    lines
        .iter()
        .map(|l| l.values.join(lang.list_separator()))
        .collect::<Vec<_>>()
        .join(line_sep)
}

/// A group's lists as one cell: 【heading】 then the text as typed, a blank line between.
pub fn lists_text(lists: &[ReportList]) -> String {
    lists
        .iter()
        .map(|l| format!("【{}】\n{}", l.heading, l.text.trim_end()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The group report as CSV: one section per prompt, one row per group with its members
/// and its lists in one cell, as a council's table has them.
pub fn csv(report: &GroupReport, lang: Lang) -> Vec<u8> {
    let t = |key: &str| i18n::format(lang, key, &[]);
    let mut out = crate::text::csv::Writer::new();
    out.row([format!("# {}", report.session.title)]);
    out.row([
        t("session.held_on"),
        report.session.held_on.clone(),
        t("session.place"),
        report.session.place.clone(),
    ]);
    out.blank();
    for p in &report.prompts {
        out.row([lang.pick(
            format!("# {}（{}）", p.title, p.step_title),
            format!("# {} ({})", p.title, p.step_title),
        )]);
        let mut header = vec![t("groups.group")];
        if report.has_members {
            header.push(t("groups.members"));
        }
        header.push(t("groups.lists"));
        out.row(header);
        for r in &p.rows {
            let mut cells = vec![r.table.to_string()];
            if report.has_members {
                cells.push(members_text(&r.members, lang, "\n"));
            }
            cells.push(lists_text(&r.lists));
            out.row(cells);
        }
        if !p.unanswered.is_empty() {
            let numbers: Vec<String> = p.unanswered.iter().map(i64::to_string).collect();
            out.row([t("groups.none"), numbers.join(lang.list_separator())]);
        }
        out.blank();
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{person, table};
    use super::*;

    fn at(seq: i64, profession: &str, area: &str, org: &str, t: i64) -> ParticipantRow {
        ParticipantRow {
            organization: org.into(),
            ..person(seq, profession, area, Some(t), false)
        }
    }

    #[test]
    fn members_follow_the_roster_order_of_the_fields_asked_for() {
        let people = [
            at(1, "city-staff", "北海道", "札幌市", 1),
            at(2, "pharmacist", "青森県", "青森市", 1),
            at(3, "city-staff", "北海道", "函館市", 1),
            at(4, "msw", "岩手県", "", 1),
            at(5, "msw", "秋田県", "", 2),
        ];
        let refs: Vec<&ParticipantRow> = people.iter().collect();
        let known = Professions::default();
        let one = members(
            &table(1, &["dentist"]),
            &refs,
            &[MemberField::Area, MemberField::Organization],
            &known,
            Lang::Ja,
        );
        assert_eq!(
            one,
            [
                MemberLine {
                    field: MemberField::Area,
                    values: vec!["北海道".into(), "青森県".into(), "岩手県".into()],
                },
                MemberLine {
                    field: MemberField::Organization,
                    values: vec!["札幌市".into(), "青森市".into(), "函館市".into()],
                },
            ]
        );
        let professions = members(
            &table(1, &[]),
            &refs,
            &[MemberField::Profession],
            &known,
            Lang::Ja,
        );
        // Roster order, not the usual order of professions (薬剤師 first); repeats counted.
        assert_eq!(
            members_text(&professions, Lang::Ja, "/"),
            "市職員（行政）×2、薬剤師、医療ソーシャルワーカー（MSW）"
        );
        // Nobody of the roster at table 3: what it declared.
        let three = members(
            &table(3, &["dentist"]),
            &refs,
            &[MemberField::Area],
            &known,
            Lang::Ja,
        );
        assert_eq!(three[0].values, ["歯科医師"]);
        assert!(
            members(
                &table(4, &[]),
                &refs,
                &[MemberField::Area],
                &known,
                Lang::Ja
            )
            .is_empty()
        );
    }

    #[test]
    fn lists_keep_their_headings_and_text_as_typed() {
        let lists = vec![
            ReportList {
                of: None,
                heading: "今後の具体的方策".into(),
                role: crate::content::ListRole::Measures,
                text: "・一つ目\n（連携）\n→ 二つ目\n".into(),
            },
            ReportList {
                of: Some("hard".into()),
                heading: "苦労した点".into(),
                role: crate::content::ListRole::Hard,
                text: "人が足りない".into(),
            },
        ];
        assert_eq!(
            lists_text(&lists),
            "【今後の具体的方策】\n・一つ目\n（連携）\n→ 二つ目\n\n【苦労した点】\n人が足りない"
        );
    }

    #[test]
    fn nobody_known_at_any_table_leaves_the_members_column_out() {
        use super::super::session::{ThreeFieldRow, ThreeFieldTable};
        use super::super::{CountedFrom, Participants};
        let facts = Facts {
            id: "s".into(),
            title: "全国研修会".into(),
            held_on: "2026-10-20".into(),
            place: String::new(),
            curriculum: "c".into(),
            curriculum_title: "c".into(),
            curriculum_version: "1".into(),
            tables: 2,
            status: "closed".into(),
            rehearsal: false,
            purged: false,
        };
        let list = ReportList {
            of: None,
            heading: "方策".into(),
            role: crate::content::ListRole::Measures,
            text: "研修を続ける".into(),
        };
        let row = |table: i64, lists: Vec<ReportList>| ThreeFieldRow {
            table,
            members: Vec::new(),
            answered: !lists.is_empty(),
            lists,
        };
        let report = SessionReport {
            session: facts,
            participants: Participants {
                counted_from: CountedFrom::Nothing,
                total: 0,
                by_profession: Vec::new(),
                by_builtin: Vec::new(),
                by_area: Vec::new(),
            },
            three_field: vec![ThreeFieldTable {
                key: "k".into(),
                title: "結果".into(),
                step_title: "グループワーク".into(),
                rows: vec![row(1, vec![list]), row(2, Vec::new())],
            }],
            tables: Vec::new(),
            surveys: Vec::new(),
        };
        let tables = [table(1, &[]), table(2, &[])];
        let groups = build(
            &report,
            &tables,
            &[],
            &[MemberField::Area],
            &Professions::default(),
            Lang::Ja,
        );
        assert!(!groups.has_members);
        assert_eq!(groups.prompts[0].rows.len(), 1);
        assert_eq!(groups.prompts[0].unanswered, [2]);
        let csv = String::from_utf8(csv(&groups, Lang::Ja)).expect("utf-8");
        assert!(csv.contains("グループ,報告\r\n"), "{csv}");
        assert!(csv.contains("1,\"【方策】\n研修を続ける\""), "{csv}");
        assert!(csv.contains("記入のなかったグループ,2"), "{csv}");
    }
}
