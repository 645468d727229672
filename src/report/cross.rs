//! The working group's report across sessions: the sessions held (rehearsals left out),
//! participants by profession over time, the issues and measures that recur in the
//! tables' three-field reports, grouped into themes, and survey means over time.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::items::{self, ThemeGroup, Written};
use super::survey::{StepResult, Tally, summarize};
use super::{CountedFrom, participants, profession_label, profession_rank};
use crate::answer::Answer;
use crate::content::{Curriculum, ListRole};
use crate::db::roster::ParticipantRow;
use crate::db::survey::ResponseRow;
use crate::db::themes::MoveRow;
use crate::db::{conclusions::ConclusionRow, sessions::SessionRow, tables::TableRow};
use crate::lang::Lang;

/// Which sessions a report covers. Dates are inclusive, YYYY-MM-DD.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filter {
    /// Only sessions of this curriculum.
    pub curriculum: Option<String>,
    /// Only sessions held on or after this day.
    pub from: Option<String>,
    /// Only sessions held on or before this day.
    pub to: Option<String>,
}

/// A filter value that could not be read: a message key and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterError {
    /// Message key in [`crate::i18n`].
    pub key: &'static str,
    /// Arguments of the message.
    pub args: Vec<String>,
}

fn date(value: &str, key: &'static str) -> Result<Option<String>, FilterError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    // Accept 2026/4/1 too (what Excel and people type), and store the ISO form.
    NaiveDate::parse_from_str(&value.replace(['/', '.'], "-"), "%Y-%m-%d")
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .map_err(|_| FilterError {
            key,
            args: vec![value.chars().take(40).collect()],
        })
}

impl Filter {
    /// Reads the filter form; every problem is returned, each with how to fix it.
    /// `known` holds the curriculum ids that may be chosen.
    pub fn parse(
        curriculum: &str,
        from: &str,
        to: &str,
        known: &[String],
    ) -> Result<Filter, Vec<FilterError>> {
        let mut errors = Vec::new();
        let curriculum = curriculum.trim();
        let curriculum = if curriculum.is_empty() {
            None
        } else if known.iter().any(|k| k == curriculum) {
            Some(curriculum.to_string())
        } else {
            errors.push(FilterError {
                key: "report.err_curriculum",
                args: vec![curriculum.chars().take(60).collect()],
            });
            None
        };
        let from = date(from, "report.err_from").unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let to = date(to, "report.err_to").unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if let (Some(f), Some(t)) = (&from, &to)
            && f > t
        {
            errors.push(FilterError {
                key: "report.err_order",
                args: vec![f.clone(), t.clone()],
            });
        }
        if errors.is_empty() {
            Ok(Filter {
                curriculum,
                from,
                to,
            })
        } else {
            Err(errors)
        }
    }

    /// Whether a session falls within the filter (rehearsal or not).
    pub fn matches(&self, s: &SessionRow) -> bool {
        self.curriculum
            .as_ref()
            .is_none_or(|c| *c == s.curriculum_id)
            && self.from.as_ref().is_none_or(|f| s.held_on >= *f)
            && self.to.as_ref().is_none_or(|t| s.held_on <= *t)
    }

    /// The sessions the report covers, oldest first, and how many rehearsals within the
    /// filter were left out.
    pub fn select(&self, sessions: &[SessionRow]) -> (Vec<SessionRow>, usize) {
        let within: Vec<&SessionRow> = sessions.iter().filter(|s| self.matches(s)).collect();
        let rehearsals = within.iter().filter(|s| s.rehearsal).count();
        let mut kept: Vec<SessionRow> = within
            .into_iter()
            .filter(|s| !s.rehearsal)
            .cloned()
            .collect();
        kept.sort_by(|a, b| {
            a.held_on
                .cmp(&b.held_on)
                .then(a.created_at.cmp(&b.created_at))
        });
        (kept, rehearsals)
    }

    /// The filter as a query string for the download links (empty values left out).
    pub fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("curriculum", self.curriculum.as_deref()),
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// Everything read for one session of the report.
pub struct SessionInput {
    /// The session.
    pub session: SessionRow,
    /// Its curriculum as the session ran it (its own content snapshot).
    pub curriculum: Arc<Curriculum>,
    /// The professions of that snapshot, with the roles it declares.
    pub professions: crate::content::Professions,
    /// Its tables.
    pub tables: Vec<TableRow>,
    /// The newest version of each conclusion.
    pub conclusions: Vec<ConclusionRow>,
    /// The roster.
    pub people: Vec<ParticipantRow>,
    /// Survey responses.
    pub responses: Vec<ResponseRow>,
}

/// One session in the list of sessions held.
#[derive(Debug, Clone, Serialize)]
pub struct SessionLine {
    /// Session id.
    pub id: String,
    /// Date.
    pub held_on: String,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Curriculum id.
    pub curriculum: String,
    /// Curriculum title.
    pub curriculum_title: String,
    /// Number of tables.
    pub tables: i64,
    /// People who took part; none when only the tables' declarations are known.
    pub participants: Option<usize>,
    /// Where the participant counts come from.
    pub counted_from: CountedFrom,
    /// Three-field reports the tables saved.
    pub reports: usize,
    /// People who answered the session's after survey (the largest survey step).
    pub respondents: usize,
}

/// A profession's numbers, one per session in order.
#[derive(Debug, Clone, Serialize)]
pub struct ProfessionLine {
    /// Profession id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Per session, in the order of [`CrossReport::sessions`].
    pub counts: Vec<usize>,
    /// Sum over sessions.
    pub total: usize,
}

/// A scale question's mean in one session.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    /// Session id.
    pub session: String,
    /// Its date.
    pub held_on: String,
    /// People who answered the survey step.
    pub respondents: usize,
    /// People who answered the question; 0 while hidden.
    pub answered: usize,
    /// The mean, when the step reached the minimum number of answers.
    pub mean: Option<f64>,
}

/// A scale question over the sessions of its curriculum.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// Stable id: `<curriculum>:<step id>:<question id>`.
    pub key: String,
    /// Curriculum id.
    pub curriculum: String,
    /// The question (as the newest session asked it).
    pub title: String,
    /// The survey step's title.
    pub step_title: String,
    /// Lowest point of the scale.
    pub min: i64,
    /// Highest point.
    pub max: i64,
    /// One per session of the curriculum, oldest first.
    pub points: Vec<TrendPoint>,
}

/// The working group's report.
#[derive(Debug, Clone, Serialize)]
pub struct CrossReport {
    /// What was asked for.
    pub filter: Filter,
    /// Rehearsals within the filter, left out.
    pub rehearsals_left_out: usize,
    /// The sessions held, oldest first.
    pub sessions: Vec<SessionLine>,
    /// People counted over all sessions (sessions without a roster add nothing).
    pub participants: usize,
    /// Participants by profession over time.
    pub professions: Vec<ProfessionLine>,
    /// Three-field reports read.
    pub reports: usize,
    /// Items of the lists of what worked, grouped into themes.
    pub worked: Vec<ThemeGroup>,
    /// Items of the lists of what was hard, grouped into themes.
    pub issues: Vec<ThemeGroup>,
    /// Items of the lists of measures, and the remedies (「→」) written under an issue.
    pub measures: Vec<ThemeGroup>,
    /// The themes the report files under, in the order that breaks ties.
    pub themes: Vec<items::Theme>,
    /// The organizer's stored moves that place no item of the report: the item's table
    /// rewrote it, or the theme is no longer one the report knows ([`stale_moves`]).
    pub stale_moves: Vec<StaleMove>,
    /// Scale questions over time.
    pub survey_trends: Vec<Trend>,
}

/// One headed list of a table's three-field report, read for themes.
struct ReadList {
    /// Table number.
    table: i64,
    /// The prompt's stored key.
    prompt_key: String,
    /// The heading as shown.
    heading: String,
    /// How an analyst reads it.
    role: ListRole,
    /// What the group wrote.
    text: String,
}

/// The headed lists of a session's three-field answers, each with its heading as shown
/// and its role: from the prompt of the session's curriculum when the answer's key names
/// one (a heading of the curriculum's own keeps the role the file gives it), else read
/// from the list itself ([`crate::answer::HeadedList::role_by_id`]).
fn three_field_lists(input: &SessionInput, lang: Lang) -> (usize, Vec<ReadList>) {
    let mut reports = 0;
    let mut out = Vec::new();
    for c in &input.conclusions {
        let Some(Answer::ThreeField { lists }) = c.answer.answer() else {
            continue;
        };
        let Some(table) = input.tables.iter().find(|t| t.id == c.table_id) else {
            continue;
        };
        reports += 1;
        let prompt = c
            .prompt_key
            .strip_prefix("curriculum:")
            .and_then(|rest| rest.split_once(':'))
            .filter(|(id, _)| *id == input.curriculum.id)
            .and_then(|(_, prompt_id)| {
                input
                    .curriculum
                    .step_prompts()
                    .find(|(_, p)| p.id == prompt_id)
                    .map(|(_, p)| p)
            });
        for list in lists.iter().filter(|l| !l.text.trim().is_empty()) {
            let (heading, role) = match prompt {
                Some(prompt) => list.heading(prompt, lang),
                None => (
                    list.heading
                        .clone()
                        .or_else(|| list.of.clone())
                        .unwrap_or_default(),
                    list.role_by_id(),
                ),
            };
            out.push(ReadList {
                table: table.number,
                prompt_key: c.prompt_key.clone(),
                heading,
                role,
                text: list.text.clone(),
            });
        }
    }
    (reports, out)
}

/// Builds the report from the selected sessions (oldest first), labelled in `lang`.
/// `moves` are the organizer's moves of items to other themes (empty: none).
pub fn build(
    filter: Filter,
    rehearsals_left_out: usize,
    inputs: &[SessionInput],
    lang: Lang,
    moves: &items::Moves,
) -> CrossReport {
    let mut sessions = Vec::new();
    let mut professions: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    let mut worked: Vec<Written> = Vec::new();
    let mut issues: Vec<Written> = Vec::new();
    let mut measures: Vec<Written> = Vec::new();
    let mut all_themes: Vec<items::Theme> = Vec::new();
    let mut reports = 0;
    let mut total_people = 0;
    let mut surveys: Vec<Vec<StepResult>> = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        let s = &input.session;
        let who = participants(&input.people, &input.tables, lang, &input.professions);
        // Sessions of different content share only the built-ins: a declared role is
        // counted as the built-in it counts as.
        for c in &who.by_profession {
            let counts_as = input.professions.counts_as(&c.id);
            let builtin = crate::content::Professions::default();
            professions
                .entry((profession_rank(&builtin, counts_as), counts_as.to_string()))
                .or_insert_with(|| vec![0; inputs.len()])[n] += c.count;
        }
        let people = who.counted_from.counts_people().then_some(who.total);
        total_people += people.unwrap_or(0);
        let (answered, lists) = three_field_lists(input, lang);
        reports += answered;
        let themes = items::themes_with(&input.curriculum.themes);
        for t in &themes {
            if !all_themes.iter().any(|a| a.id == t.id) {
                all_themes.push(t.clone());
            }
        }
        for list in &lists {
            let source = items::Source {
                held_on: s.held_on.clone(),
                session: s.id.clone(),
                table: list.table,
            };
            for item in items::read_items(&list.text) {
                let out = match items::role_in(list.role, &item) {
                    ListRole::Worked => &mut worked,
                    ListRole::Hard => &mut issues,
                    ListRole::Measures | ListRole::Other => &mut measures,
                };
                out.push(Written {
                    key: items::item_key(&s.id, &list.prompt_key, list.table, &item.text),
                    prompt: list.prompt_key.clone(),
                    theme: items::file(&themes, &item),
                    text: item.text,
                    source: source.clone(),
                    session_title: s.title.clone(),
                    heading: bare_heading(&list.heading).to_string(),
                    context: item.context,
                    answers: item.answers,
                });
            }
        }
        let survey = summarize(&input.curriculum, &input.responses);
        sessions.push(SessionLine {
            id: s.id.clone(),
            held_on: s.held_on.clone(),
            title: s.title.clone(),
            place: s.place.clone(),
            curriculum: s.curriculum_id.clone(),
            curriculum_title: input.curriculum.title.clone(),
            tables: s.table_count,
            participants: people,
            counted_from: who.counted_from,
            reports: answered,
            respondents: survey.iter().map(|r| r.respondents).max().unwrap_or(0),
        });
        surveys.push(survey);
    }
    CrossReport {
        filter,
        rehearsals_left_out,
        participants: total_people,
        professions: professions
            .into_iter()
            .map(|((_, id), counts)| ProfessionLine {
                label: profession_label(&Default::default(), &id, lang),
                total: counts.iter().sum(),
                id,
                counts,
            })
            .collect(),
        reports,
        worked: items::group(&worked, &all_themes, moves, lang),
        issues: items::group(&issues, &all_themes, moves, lang),
        measures: items::group(&measures, &all_themes, moves, lang),
        themes: all_themes,
        stale_moves: Vec::new(),
        survey_trends: trends(inputs, &surveys),
        sessions,
    }
}

/// A heading a group wrote in 【】 without them: the page and the CSV quote headings
/// themselves (「…」), and 「【効果のあった取り組み】」 doubles the brackets.
fn bare_heading(heading: &str) -> &str {
    heading
        .trim()
        .strip_prefix('【')
        .and_then(|h| h.strip_suffix('】'))
        .filter(|h| !h.is_empty() && !h.contains(['【', '】']))
        .map_or(heading.trim(), str::trim)
}

/// The organizer's stored moves as the report applies them: item key
/// ([`items::item_key`]) → theme.
pub fn moves_map(rows: &[MoveRow]) -> items::Moves {
    rows.iter()
        .map(|m| {
            (
                items::item_key(&m.session_id, &m.prompt_key, m.table_number, &m.item),
                m.theme.clone(),
            )
        })
        .collect()
}

/// A theme an item of the report may be moved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeChoice {
    /// Theme id, or [`items::OTHER`].
    pub id: String,
    /// Its label in the report's language.
    pub label: String,
}

impl CrossReport {
    /// The themes an item may be moved to: the report's own ([`CrossReport::themes`],
    /// the curricula's first, then the built-ins), "other" last. The same list the
    /// grouping files under, so a move can only name a theme the report applies.
    pub fn theme_choices(&self, lang: Lang) -> Vec<ThemeChoice> {
        self.themes
            .iter()
            .map(|t| ThemeChoice {
                id: t.id.clone(),
                label: t.label(lang).to_string(),
            })
            .chain([ThemeChoice {
                id: items::OTHER.to_string(),
                label: crate::i18n::format(lang, "report.theme_other", &[]),
            }])
            .collect()
    }

    /// True for a theme id the report applies a move to.
    pub fn knows_theme(&self, id: &str) -> bool {
        id == items::OTHER || self.themes.iter().any(|t| t.id == id)
    }

    /// The place of an item by its key, with the list it is in (`worked`, `issues`,
    /// `measures`) and the theme it stands under now.
    pub fn place(&self, key: &str) -> Option<(&'static str, &ThemeGroup, &items::Place)> {
        [
            ("worked", &self.worked),
            ("issues", &self.issues),
            ("measures", &self.measures),
        ]
        .into_iter()
        .find_map(|(section, groups)| {
            groups.iter().find_map(|g| {
                g.items
                    .iter()
                    .flat_map(|m| &m.places)
                    .find(|p| p.key == key)
                    .map(|p| (section, g, p))
            })
        })
    }
}

/// A stored move that places no item of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleMove {
    /// Session id.
    pub session: String,
    /// Its date.
    pub held_on: String,
    /// Prompt key.
    pub prompt: String,
    /// Table number.
    pub table: i64,
    /// The item's key ([`items::item_key`]).
    pub key: String,
    /// The item as it read when it was moved.
    pub text: String,
    /// The theme it was moved to.
    pub theme: String,
    /// That theme's label (the id itself when the report knows no such theme).
    pub theme_label: String,
    /// When it was moved (ms).
    pub moved_at: i64,
}

/// The moves of `rows` that the report could not apply: no item of the report has the
/// move's key (its table rewrote or removed it), or the report knows no theme by that
/// id (its curriculum no longer defines it). Listed, never dropped in silence; the rows
/// stay, so a move applies again if the item comes back.
pub fn stale_moves(report: &CrossReport, rows: &[MoveRow], lang: Lang) -> Vec<StaleMove> {
    let keys: BTreeSet<&str> = [&report.worked, &report.issues, &report.measures]
        .into_iter()
        .flatten()
        .flat_map(|g| &g.items)
        .flat_map(|m| &m.places)
        .map(|p| p.key.as_str())
        .collect();
    let held_on: BTreeMap<&str, &str> = report
        .sessions
        .iter()
        .map(|s| (s.id.as_str(), s.held_on.as_str()))
        .collect();
    let theme = |id: &str| report.themes.iter().find(|t| t.id == id);
    rows.iter()
        .filter_map(|m| {
            let key = items::item_key(&m.session_id, &m.prompt_key, m.table_number, &m.item);
            let known = report.knows_theme(&m.theme);
            if known && keys.contains(key.as_str()) {
                return None;
            }
            Some(StaleMove {
                session: m.session_id.clone(),
                held_on: held_on
                    .get(m.session_id.as_str())
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                prompt: m.prompt_key.clone(),
                table: m.table_number,
                key,
                text: if m.text.is_empty() {
                    m.item.clone()
                } else {
                    m.text.clone()
                },
                theme: m.theme.clone(),
                theme_label: match theme(&m.theme) {
                    Some(t) => t.label(lang).to_string(),
                    None if m.theme == items::OTHER => {
                        crate::i18n::format(lang, "report.theme_other", &[])
                    }
                    None => m.theme.clone(),
                },
                moved_at: m.moved_at,
            })
        })
        .collect()
}

/// Every scale question of the sessions' surveys, with its mean in each session of its
/// curriculum (none where the step had too few answers).
fn trends(inputs: &[SessionInput], surveys: &[Vec<StepResult>]) -> Vec<Trend> {
    let mut out: Vec<Trend> = Vec::new();
    for (input, steps) in inputs.iter().zip(surveys) {
        let curriculum = &input.session.curriculum_id;
        for (step, prompt) in crate::survey::survey_steps(&input.curriculum)
            .flat_map(|(_, s)| s.prompts.iter().map(move |p| (s, p)))
        {
            let crate::content::PromptKind::Scale { min, max, .. } = prompt.kind else {
                continue;
            };
            let key = format!("{curriculum}:{}:{}", step.id, prompt.id);
            let result = steps.iter().find(|r| r.step == step.id);
            let question = result.and_then(|r| r.questions.iter().find(|q| q.id == prompt.id));
            let point = TrendPoint {
                session: input.session.id.clone(),
                held_on: input.session.held_on.clone(),
                respondents: result.map_or(0, |r| r.respondents),
                answered: question.map_or(0, |q| q.answered),
                mean: question.and_then(|q| match q.result {
                    Tally::Scale { mean, .. } => mean,
                    _ => None,
                }),
            };
            match out.iter_mut().find(|t| t.key == key) {
                Some(trend) => {
                    // The newest session's wording wins.
                    trend.title = prompt.title.clone();
                    trend.step_title = step.title.clone();
                    trend.points.push(point);
                }
                None => out.push(Trend {
                    key,
                    curriculum: curriculum.clone(),
                    title: prompt.title.clone(),
                    step_title: step.title.clone(),
                    min,
                    max,
                    points: vec![point],
                }),
            }
        }
    }
    out.retain(|t| t.points.iter().any(|p| p.mean.is_some()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, held_on: &str, curriculum: &str, rehearsal: bool) -> SessionRow {
        SessionRow {
            id: id.into(),
            curriculum_id: curriculum.into(),
            content_hash: String::new(),
            title: id.into(),
            held_on: held_on.into(),
            place: String::new(),
            table_count: 2,
            join_code: String::new(),
            facilitator_key: String::new(),
            current_step: 0,
            status: crate::db::SessionStatus::Closed,
            created_at: 0,
            closed_at: None,
            projector_key: String::new(),
            pace: crate::db::Pace::Free,
            spotlight: Vec::new(),
            rehearsal,
            seats_per_table: 8,
            purged_at: None,
            notes: String::new(),
        }
    }

    #[test]
    fn filters_read_dates_and_say_what_is_wrong() {
        let known = vec!["a".to_string(), "b".to_string()];
        assert_eq!(Filter::parse("", "", "", &known), Ok(Filter::default()));
        let f = Filter::parse(" a ", "2026/4/1", "2026-06-30", &known).expect("valid");
        assert_eq!(f.from.as_deref(), Some("2026-04-01"));
        assert_eq!(f.query(), "curriculum=a&from=2026-04-01&to=2026-06-30");
        let errors = Filter::parse("zzz", "2026-13-01", "4月", &known).expect_err("invalid");
        let keys: Vec<_> = errors.iter().map(|e| e.key).collect();
        assert_eq!(
            keys,
            ["report.err_curriculum", "report.err_from", "report.err_to"]
        );
        assert_eq!(errors[1].args, ["2026-13-01"]);
        let errors = Filter::parse("", "2026-05-01", "2026-04-01", &known).expect_err("order");
        assert_eq!(errors[0].key, "report.err_order");
    }

    #[test]
    fn a_heading_in_brackets_is_shown_without_them() {
        assert_eq!(
            bare_heading("【効果のあった取り組み】"),
            "効果のあった取り組み"
        );
        assert_eq!(bare_heading(" 【 今後の具体的方策 】 "), "今後の具体的方策");
        assert_eq!(bare_heading("苦労した点"), "苦労した点");
        // Not one bracketed heading: kept as written.
        assert_eq!(bare_heading("【課題】と【対策】"), "【課題】と【対策】");
        assert_eq!(bare_heading("【】"), "【】");
    }

    #[test]
    fn selection_leaves_out_rehearsals_and_counts_them() {
        let all = [
            session("s3", "2026-06-01", "a", false),
            session("s1", "2026-04-01", "a", false),
            session("r", "2026-03-20", "a", true),
            session("s2", "2026-05-01", "b", false),
            session("r2", "2025-12-01", "a", true),
        ];
        let (kept, rehearsals) = Filter::default().select(&all);
        let ids: Vec<_> = kept.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["s1", "s2", "s3"]);
        assert_eq!(rehearsals, 2);
        let f = Filter {
            curriculum: Some("a".into()),
            from: Some("2026-01-01".into()),
            to: None,
        };
        let (kept, rehearsals) = f.select(&all);
        let ids: Vec<_> = kept.iter().map(|s| s.id.as_str()).collect();
        assert_eq!((ids, rehearsals), (vec!["s1", "s3"], 1));
    }
}
