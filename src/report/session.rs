//! One session's report: who took part (by profession and area), the three-field report
//! of every table as one table, each table's latest conclusions, and the survey results.

use serde::Serialize;

use super::survey::{StepResult, summarize};
use super::{Participants, counted_people, participants, profession_label, profession_rank};
use crate::answer::{Answer, ShownAnswer};
use crate::content::Professions;
use crate::content::{ListRole, Prompt, PromptKind, StepKind};
use crate::db::roster::ParticipantRow;
use crate::db::survey::ResponseRow;
use crate::db::{conclusions::ConclusionRow, conclusions::VisitRow, tables::TableRow};
use crate::lang::Lang;
use crate::session::{Run, step_reports};

/// The facts about the session at the top of its report.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// Session id (the last part of `/s/{id}/report`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Date, YYYY-MM-DD.
    pub held_on: String,
    /// Place.
    pub place: String,
    /// Curriculum id.
    pub curriculum: String,
    /// Curriculum title.
    pub curriculum_title: String,
    /// Curriculum version the session ran.
    pub curriculum_version: String,
    /// Number of tables.
    pub tables: i64,
    /// `open` or `closed`.
    pub status: String,
    /// A rehearsal: shown with a label and left out of cross-session reports.
    pub rehearsal: bool,
    /// Whether names and free text were purged.
    pub purged: bool,
}

/// A profession at a table, with how many of them sat there when a roster says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Profession id.
    pub profession: String,
    /// Its label.
    pub label: String,
    /// People of this profession at the table; none when only the table's declaration
    /// is known.
    pub count: Option<usize>,
}

/// One headed list of a table's three-field report, as the group wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportList {
    /// The curriculum heading's id; none for a heading of the group's own.
    pub of: Option<String>,
    /// The heading as shown.
    pub heading: String,
    /// How an analyst reads it.
    pub role: ListRole,
    /// What the group wrote under it (never empty: empty lists are left out).
    pub text: String,
}

/// One table's row of a three-field report.
#[derive(Debug, Clone, Serialize)]
pub struct ThreeFieldRow {
    /// Table number.
    pub table: i64,
    /// Who sat there.
    pub members: Vec<Member>,
    /// The lists the group wrote, in its order; headings left empty are not here.
    pub lists: Vec<ReportList>,
    /// Whether the table saved this report at all.
    pub answered: bool,
}

/// A three-field prompt with every table's row: the group-work report of the meeting.
#[derive(Debug, Clone, Serialize)]
pub struct ThreeFieldTable {
    /// Prompt key (`curriculum:<id>:<prompt>` or `case:<id>:<prompt>`).
    pub key: String,
    /// The prompt's title.
    pub title: String,
    /// The step it belongs to.
    pub step_title: String,
    /// One row per table, by number.
    pub rows: Vec<ThreeFieldRow>,
}

/// One conclusion of a table.
#[derive(Debug, Clone, Serialize)]
pub struct Conclusion {
    /// Prompt key.
    pub key: String,
    /// Step id.
    pub step: String,
    /// Step title.
    pub step_title: String,
    /// The scene, for a prompt of a case scene.
    pub scene: Option<String>,
    /// The prompt's title.
    pub title: String,
    /// The prompt's kind (`text`, `three-field`, …).
    pub kind: String,
    /// The answer as pages show it (JSON shaped by the kind, or the `unreadable` text).
    pub answer: ShownAnswer,
    /// The answer as plain text.
    pub text: String,
    /// Its version.
    pub version: i64,
    /// When it was saved (ms).
    pub saved_at: i64,
}

/// One table's latest conclusions, in step order.
#[derive(Debug, Clone, Serialize)]
pub struct TableConclusions {
    /// Table number.
    pub table: i64,
    /// Who sat there.
    pub members: Vec<Member>,
    /// The conclusions.
    pub conclusions: Vec<Conclusion>,
}

/// The whole report of one session.
#[derive(Debug, Clone, Serialize)]
pub struct SessionReport {
    /// The session.
    pub session: Facts,
    /// Who took part.
    pub participants: Participants,
    /// Every three-field prompt with one row per table.
    pub three_field: Vec<ThreeFieldTable>,
    /// Each table's conclusions.
    pub tables: Vec<TableConclusions>,
    /// Each survey step's results.
    pub surveys: Vec<StepResult>,
}

/// The rows a session report is built from.
pub struct Rows<'a> {
    /// The session's tables.
    pub tables: &'a [TableRow],
    /// The newest version of each conclusion.
    pub conclusions: &'a [ConclusionRow],
    /// Scene paths.
    pub visits: &'a [VisitRow],
    /// The roster.
    pub people: &'a [ParticipantRow],
    /// Survey responses.
    pub responses: &'a [ResponseRow],
}

/// Who sat at table `number`: the counted roster people seated there (see
/// [`counted_people`]), else the professions the table declared.
pub fn members(
    table: &TableRow,
    people: &[&ParticipantRow],
    lang: Lang,
    known: &Professions,
) -> Vec<Member> {
    let mut seated: Vec<Member> = Vec::new();
    for p in people
        .iter()
        .filter(|p| p.table_number == Some(table.number))
    {
        match seated.iter_mut().find(|m| m.profession == p.profession) {
            Some(m) => m.count = m.count.map(|c| c + 1),
            None => seated.push(Member {
                profession: p.profession.clone(),
                label: profession_label(known, &p.profession, lang),
                count: Some(1),
            }),
        }
    }
    if seated.is_empty() {
        seated = table
            .professions
            .iter()
            .map(|p| Member {
                profession: p.clone(),
                label: profession_label(known, p, lang),
                count: None,
            })
            .collect();
    }
    seated.sort_by_key(|m| profession_rank(known, &m.profession));
    seated
}

/// The lists of a three-field answer with their headings in `lang`, empty ones left out.
pub fn report_lists(answer: &Answer, prompt: &Prompt, lang: Lang) -> Option<Vec<ReportList>> {
    match answer {
        Answer::ThreeField { lists } => Some(
            lists
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .map(|l| {
                    let (heading, role) = l.heading(prompt, lang);
                    ReportList {
                        of: l.of.clone(),
                        heading,
                        role,
                        text: l.text.clone(),
                    }
                })
                .collect(),
        ),
        _ => None,
    }
}

fn conclusion(
    key: &str,
    prompt: &Prompt,
    step: &crate::content::Step,
    scene: Option<&str>,
    cell: &crate::session::TableAnswer,
    lang: Lang,
) -> Option<Conclusion> {
    let answer = cell.answer.clone()?;
    // An answer that does not fit its prompt has no plain text; `answer` carries it.
    let text = answer
        .answer()
        .map(|a| a.plain(prompt, lang))
        .unwrap_or_default();
    Some(Conclusion {
        key: key.to_string(),
        step: step.id.clone(),
        step_title: step.title.clone(),
        scene: scene.map(str::to_string),
        title: prompt.title.clone(),
        kind: kind_id(&prompt.kind).to_string(),
        answer,
        text,
        version: cell.version,
        saved_at: cell.saved_at.unwrap_or_default(),
    })
}

/// The id of a prompt kind as written in files.
pub fn kind_id(kind: &PromptKind) -> &'static str {
    match kind {
        PromptKind::Text { .. } => "text",
        PromptKind::Choice { .. } => "choice",
        PromptKind::Scale { .. } => "scale",
        PromptKind::FourBox {} => "four-box",
        PromptKind::ConferenceSheet { .. } => "conference-sheet",
        PromptKind::DecisionTable { .. } => "decision-table",
        PromptKind::ValuesRanking { .. } => "values-ranking",
        PromptKind::StakeholderMap { .. } => "stakeholder-map",
        PromptKind::CapacityCheck { .. } => "capacity-check",
        PromptKind::ActionPlan { .. } => "action-plan",
        PromptKind::ThreeField { .. } => "three-field",
    }
}

/// Builds the report of `run`'s session from its rows, with labels in `lang`.
pub fn build(run: &Run, rows: &Rows<'_>, lang: Lang) -> SessionReport {
    let s = &run.session;
    let known = &run.library.professions;
    let (counted, _) = counted_people(rows.people);
    let reports = step_reports(run, None, rows.tables, rows.conclusions, rows.visits);
    let mut three_field: Vec<ThreeFieldTable> = Vec::new();
    let mut by_table: Vec<TableConclusions> = rows
        .tables
        .iter()
        .map(|t| TableConclusions {
            table: t.number,
            members: members(t, &counted, lang, known),
            conclusions: Vec::new(),
        })
        .collect();
    let mut add_three =
        |key: &str, prompt: &Prompt, step_title: &str, table: i64, answer: Option<&ShownAnswer>| {
            let index = match three_field.iter().position(|t| t.key == key) {
                Some(i) => i,
                None => {
                    three_field.push(ThreeFieldTable {
                        key: key.to_string(),
                        title: prompt.title.clone(),
                        step_title: step_title.to_string(),
                        rows: rows
                            .tables
                            .iter()
                            .map(|t| ThreeFieldRow {
                                table: t.number,
                                members: members(t, &counted, lang, known),
                                lists: Vec::new(),
                                answered: false,
                            })
                            .collect(),
                    });
                    three_field.len() - 1
                }
            };
            if let Some(lists) = answer
                .and_then(|a| a.answer())
                .and_then(|a| report_lists(a, prompt, lang))
                && let Some(row) = three_field[index]
                    .rows
                    .iter_mut()
                    .find(|r| r.table == table)
            {
                row.lists = lists;
                row.answered = true;
            }
        };
    for r in reports.iter().filter(|r| r.step.kind != StepKind::Survey) {
        for pr in &r.prompts {
            for cell in &pr.cells {
                if matches!(pr.prompt.kind, PromptKind::ThreeField { .. }) {
                    add_three(
                        &pr.key,
                        pr.prompt,
                        &r.step.title,
                        cell.table,
                        cell.answer.as_ref(),
                    );
                }
                if let Some(c) = conclusion(&pr.key, pr.prompt, r.step, None, cell, lang)
                    && let Some(t) = by_table.iter_mut().find(|t| t.table == cell.table)
                {
                    t.conclusions.push(c);
                }
            }
        }
        for walk in &r.walks {
            for scene in &walk.scenes {
                for pr in &scene.prompts {
                    let Some(cell) = pr.cells.first() else {
                        continue;
                    };
                    if matches!(pr.prompt.kind, PromptKind::ThreeField { .. }) {
                        add_three(
                            &pr.key,
                            pr.prompt,
                            &r.step.title,
                            walk.table,
                            cell.answer.as_ref(),
                        );
                    }
                    if let Some(c) = conclusion(
                        &pr.key,
                        pr.prompt,
                        r.step,
                        Some(&scene.scene.title),
                        cell,
                        lang,
                    ) && let Some(t) = by_table.iter_mut().find(|t| t.table == walk.table)
                    {
                        t.conclusions.push(c);
                    }
                }
            }
        }
    }
    SessionReport {
        session: Facts {
            id: s.id.clone(),
            title: s.title.clone(),
            held_on: s.held_on.clone(),
            place: s.place.clone(),
            curriculum: run.curriculum.id.clone(),
            curriculum_title: run.curriculum.title.clone(),
            curriculum_version: run.curriculum.version.clone(),
            tables: s.table_count,
            status: s.status.code().to_string(),
            rehearsal: s.rehearsal,
            purged: s.purged_at.is_some(),
        },
        participants: participants(rows.people, rows.tables, lang, known),
        three_field,
        tables: by_table,
        surveys: summarize(&run.curriculum, rows.responses),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{person, table};
    use super::*;

    #[test]
    fn members_come_from_the_seated_roster_else_the_declaration() {
        let people = [
            person(1, "visiting-nurse", "", Some(1), false),
            person(2, "physician-clinic", "", Some(1), false),
            person(3, "visiting-nurse", "", Some(1), false),
            person(4, "msw", "", Some(2), false),
        ];
        let refs: Vec<&ParticipantRow> = people.iter().collect();
        let one = members(
            &table(1, &["citizen"]),
            &refs,
            Lang::Ja,
            &Default::default(),
        );
        let shown: Vec<_> = one.iter().map(|m| (m.label.as_str(), m.count)).collect();
        assert_eq!(
            shown,
            [("診療所医師・在宅医", Some(1)), ("訪問看護師", Some(2))]
        );
        let three = members(
            &table(3, &["citizen", "dentist"]),
            &refs,
            Lang::Ja,
            &Default::default(),
        );
        let shown: Vec<_> = three
            .iter()
            .map(|m| (m.profession.as_str(), m.count))
            .collect();
        assert_eq!(shown, [("dentist", None), ("citizen", None)]);
    }
}
