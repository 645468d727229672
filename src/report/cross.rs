//! The working group's report across sessions: the sessions held (rehearsals left out),
//! participants by profession over time, the issues and measures that recur in the
//! tables' three-field reports, grouped into themes, and survey means over time.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::items::{self, Written};
use super::moves::{self, Placed, Stale, Writing};
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
    /// Items of the "hard" fields, grouped into themes, the organizer's moves applied.
    pub issues: Vec<Placed>,
    /// Items of the "measures" fields, grouped into themes, the organizer's moves applied.
    pub measures: Vec<Placed>,
    /// The organizer's moves whose item is no longer there.
    pub stale_moves: Vec<Stale>,
    /// Scale questions over time.
    pub survey_trends: Vec<Trend>,
}

/// The three-field answers of a session: (table number, prompt key, hard, measures).
fn three_field_answers(input: &SessionInput) -> Vec<(i64, String, String, String)> {
    input
        .conclusions
        .iter()
        .filter_map(|c| {
            let Some(Answer::ThreeField { lists }) = c.answer.answer() else {
                return None;
            };
            let joined = |role: ListRole| {
                lists
                    .iter()
                    .filter(|l| l.role_by_id() == role)
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let (hard, measures) = (joined(ListRole::Hard), joined(ListRole::Measures));
            let table = input.tables.iter().find(|t| t.id == c.table_id)?.number;
            Some((table, c.prompt_key.clone(), hard, measures))
        })
        .collect()
}

/// Builds the report from the selected sessions (oldest first), labelled in `lang`,
/// with the organizer's theme `moves` of those sessions applied.
pub fn build(
    filter: Filter,
    rehearsals_left_out: usize,
    inputs: &[SessionInput],
    moves: &[MoveRow],
    lang: Lang,
) -> CrossReport {
    let mut sessions = Vec::new();
    let mut professions: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    let mut issues: Vec<Writing> = Vec::new();
    let mut measures: Vec<Writing> = Vec::new();
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
        let answers = three_field_answers(input);
        reports += answers.len();
        for (table, prompt, hard, measure) in &answers {
            let source = items::Source {
                held_on: s.held_on.clone(),
                session: s.id.clone(),
                table: *table,
            };
            for (field, out) in [(hard, &mut issues), (measure, &mut measures)] {
                out.extend(items::split_items(field).into_iter().map(|text| Writing {
                    prompt: prompt.clone(),
                    written: Written {
                        text,
                        source: source.clone(),
                    },
                }));
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
            reports: answers.len(),
            respondents: survey.iter().map(|r| r.respondents).max().unwrap_or(0),
        });
        surveys.push(survey);
    }
    let held_on = inputs
        .iter()
        .map(|i| (i.session.id.clone(), i.session.held_on.clone()))
        .collect();
    let placed = moves::apply(&issues, &measures, moves, &held_on, lang);
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
        issues: placed.issues,
        measures: placed.measures,
        stale_moves: placed.stale,
        survey_trends: trends(inputs, &surveys),
        sessions,
    }
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
