//! Survey results: the individual answers of each survey step counted per question,
//! with means for scales, the change from a `before=` question, and free comments.
//!
//! Nothing is shown of a step that fewer than [`MIN_RESPONSES`] people answered (only
//! how many did), and a before/after change is shown only when both steps reached it;
//! the change of the same people is given only when that many answered both.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::{Curriculum, Prompt, PromptKind, Step, SurveyPhase};
use crate::db::survey::ResponseRow;
use crate::survey::{MIN_RESPONSES, SurveyAnswer, phase, survey_steps};

/// One survey step's results.
#[derive(Debug, Clone, Serialize)]
pub struct StepResult {
    /// The step's index in the curriculum.
    pub index: usize,
    /// The step's id.
    pub step: String,
    /// The step's title.
    pub title: String,
    /// `before` or `after`.
    pub phase: &'static str,
    /// People who answered the step.
    pub respondents: usize,
    /// Whether enough people answered for the results to be shown.
    pub shown: bool,
    /// Per question; empty while hidden.
    pub questions: Vec<QuestionResult>,
}

/// One question's results.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    /// Stable id: `<step id>:<question id>`.
    pub key: String,
    /// The question's id.
    pub id: String,
    /// The question.
    pub title: String,
    /// People who answered this question (a question may be skipped).
    pub answered: usize,
    /// The counts.
    pub result: Tally,
    /// The same question asked before the teaching, when the file pairs them.
    pub before: Option<Change>,
}

/// Counts of one question, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Tally {
    /// A scale: how many chose each point, and the mean.
    Scale {
        /// Lowest point.
        min: i64,
        /// Highest point.
        max: i64,
        /// Labels of some points.
        labels: Vec<(i64, String)>,
        /// Every point from `min` to `max` with its count.
        points: Vec<PointCount>,
        /// Mean of the answers, two decimals; none when nobody answered.
        mean: Option<f64>,
    },
    /// A choice: how many chose each option (several per person when `multiple`).
    Choice {
        /// Whether several options could be chosen.
        multiple: bool,
        /// Every option in the question's order.
        options: Vec<OptionCount>,
    },
    /// Free comments, in the order they came, blank ones left out.
    Text {
        /// The comments.
        comments: Vec<String>,
    },
}

/// One point of a scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointCount {
    /// The point.
    pub value: i64,
    /// People who chose it.
    pub count: usize,
}

/// One option of a choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCount {
    /// The option as written in the curriculum.
    pub label: String,
    /// People who chose it.
    pub count: usize,
}

/// A question compared with the same question asked before the teaching.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Stable id of the before question: `<step id>:<question id>`.
    pub key: String,
    /// The before step's title.
    pub step_title: String,
    /// People who answered the before step.
    pub respondents: usize,
    /// Whether the before step reached [`MIN_RESPONSES`].
    pub shown: bool,
    /// People who answered the before question; 0 while hidden.
    pub answered: usize,
    /// The before counts; none while hidden.
    pub result: Option<Tally>,
    /// People (phones) who answered the question both times.
    pub paired: usize,
    /// For scales: the mean of (after − before) over those people, two decimals; only
    /// when at least [`MIN_RESPONSES`] of them answered both times.
    pub paired_change: Option<f64>,
}

/// Rounds to two decimals, so downloads stay stable and readable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| round2(values.iter().sum::<i64>() as f64 / values.len() as f64))
}

/// The answers of one question from `responses` (already those of its step).
fn answers_of<'r>(
    question: &Prompt,
    responses: &[&'r ResponseRow],
) -> Vec<(&'r str, &'r SurveyAnswer)> {
    responses
        .iter()
        .filter_map(|r| {
            r.answers
                .get(&question.id)
                .map(|a| (r.respondent.as_str(), a))
        })
        .collect()
}

/// Counts the answers to one question.
pub fn tally(question: &Prompt, answers: &[&SurveyAnswer]) -> Tally {
    match &question.kind {
        PromptKind::Scale { min, max, labels } => {
            let values: Vec<i64> = answers
                .iter()
                .filter_map(|a| match a {
                    SurveyAnswer::Scale(v) if (*min..=*max).contains(v) => Some(*v),
                    _ => None,
                })
                .collect();
            Tally::Scale {
                min: *min,
                max: *max,
                labels: labels.clone(),
                points: (*min..=*max)
                    .map(|value| PointCount {
                        value,
                        count: values.iter().filter(|v| **v == value).count(),
                    })
                    .collect(),
                mean: mean(&values),
            }
        }
        PromptKind::Choice { multiple, options } => Tally::Choice {
            multiple: *multiple,
            options: options
                .iter()
                .map(|label| OptionCount {
                    label: label.clone(),
                    count: answers
                        .iter()
                        .filter(
                            |a| matches!(a, SurveyAnswer::Choice(chosen) if chosen.contains(label)),
                        )
                        .count(),
                })
                .collect(),
        },
        _ => Tally::Text {
            comments: answers
                .iter()
                .filter_map(|a| match a {
                    SurveyAnswer::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                    _ => None,
                })
                .collect(),
        },
    }
}

/// Whether an answer counts as answered for its question's kind (a purged comment is
/// blank and no longer does).
fn is_answer(answer: &SurveyAnswer) -> bool {
    match answer {
        SurveyAnswer::Text(t) => !t.trim().is_empty(),
        SurveyAnswer::Choice(c) => !c.is_empty(),
        SurveyAnswer::Scale(_) => true,
    }
}

/// The results of every survey step of `curriculum` from a session's responses.
pub fn summarize(curriculum: &Curriculum, responses: &[ResponseRow]) -> Vec<StepResult> {
    let by_step = |index: usize| -> Vec<&ResponseRow> {
        responses
            .iter()
            .filter(|r| r.step_index == index as i64)
            .collect()
    };
    // Questions of before surveys by id, for `before=` pairs.
    let before_questions: HashMap<&str, (usize, &Step, &Prompt)> = survey_steps(curriculum)
        .filter(|(_, s)| phase(s) == SurveyPhase::Before)
        .flat_map(|(i, s)| s.prompts.iter().map(move |p| (p.id.as_str(), (i, s, p))))
        .collect();
    survey_steps(curriculum)
        .map(|(index, step)| {
            let rows = by_step(index);
            let respondents = rows.len();
            let shown = respondents >= MIN_RESPONSES;
            let questions = if shown {
                step.prompts
                    .iter()
                    .map(|question| {
                        let answers = answers_of(question, &rows);
                        let answered: Vec<&SurveyAnswer> = answers
                            .iter()
                            .map(|(_, a)| *a)
                            .filter(|a| is_answer(a))
                            .collect();
                        let before = step
                            .survey
                            .as_ref()
                            .and_then(|s| s.before.get(&question.id))
                            .and_then(|id| before_questions.get(id.as_str()))
                            .map(|(b_index, b_step, b_question)| {
                                change(question, &answers, *b_index, b_step, b_question, &by_step)
                            });
                        QuestionResult {
                            key: format!("{}:{}", step.id, question.id),
                            id: question.id.clone(),
                            title: question.title.clone(),
                            answered: answered.len(),
                            result: tally(question, &answered),
                            before,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            StepResult {
                index,
                step: step.id.clone(),
                title: step.title.clone(),
                phase: match phase(step) {
                    SurveyPhase::Before => "before",
                    SurveyPhase::After => "after",
                },
                respondents,
                shown,
                questions,
            }
        })
        .collect()
}

fn change<'r>(
    question: &Prompt,
    after: &[(&'r str, &'r SurveyAnswer)],
    index: usize,
    step: &Step,
    before_question: &Prompt,
    by_step: &dyn Fn(usize) -> Vec<&'r ResponseRow>,
) -> Change {
    let rows = by_step(index);
    let shown = rows.len() >= MIN_RESPONSES;
    let before = answers_of(before_question, &rows);
    let answered: Vec<&SurveyAnswer> = before
        .iter()
        .map(|(_, a)| *a)
        .filter(|a| is_answer(a))
        .collect();
    // The same phone answered both: its hash is the same in both steps.
    let pairs: Vec<(&SurveyAnswer, &SurveyAnswer)> = after
        .iter()
        .filter(|(_, a)| is_answer(a))
        .filter_map(|(who, a)| {
            before
                .iter()
                .find(|(w, b)| w == who && is_answer(b))
                .map(|(_, b)| (*b, *a))
        })
        .collect();
    let paired_change = match &question.kind {
        PromptKind::Scale { .. } if shown && pairs.len() >= MIN_RESPONSES => {
            let diffs: Vec<i64> = pairs
                .iter()
                .filter_map(|pair| match pair {
                    (SurveyAnswer::Scale(b), SurveyAnswer::Scale(a)) => Some(a - b),
                    _ => None,
                })
                .collect();
            mean(&diffs)
        }
        _ => None,
    };
    Change {
        key: format!("{}:{}", step.id, before_question.id),
        step_title: step.title.clone(),
        respondents: rows.len(),
        shown,
        answered: if shown { answered.len() } else { 0 },
        result: shown.then(|| tally(before_question, &answered)),
        paired: if shown { pairs.len() } else { 0 },
        paired_change,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::content::{Markdown, MemberField, StepKind, SurveySettings};
    use crate::survey::SurveyAnswers;

    fn question(id: &str, kind: PromptKind) -> Prompt {
        Prompt {
            id: id.into(),
            title: format!("問い {id}"),
            help: Markdown::new(""),
            kind,
            line: 1,
        }
    }

    fn scale(id: &str) -> Prompt {
        question(
            id,
            PromptKind::Scale {
                min: 1,
                max: 5,
                labels: vec![(1, "低い".into()), (5, "高い".into())],
            },
        )
    }

    fn survey_step(
        id: &str,
        phase: SurveyPhase,
        prompts: Vec<Prompt>,
        before: &[(&str, &str)],
    ) -> Step {
        Step {
            id: id.into(),
            title: id.into(),
            kind: StepKind::Survey,
            minutes: None,
            body: Markdown::new(""),
            facilitator_notes: Vec::new(),
            prompts,
            walk: None,
            survey: Some(SurveySettings {
                phase,
                before: before
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            }),
            line: 1,
        }
    }

    fn curriculum() -> Curriculum {
        Curriculum {
            id: "c".into(),
            title: "c".into(),
            language: crate::lang::Lang::Ja,
            version: "1".into(),
            duration: 60,
            audience: Vec::new(),
            objectives: Vec::new(),
            summary: String::new(),
            report_members: vec![MemberField::Profession],
            themes: Vec::new(),
            steps: vec![
                survey_step("pre", SurveyPhase::Before, vec![scale("pre-conf")], &[]),
                survey_step(
                    "post",
                    SurveyPhase::After,
                    vec![
                        scale("conf"),
                        question(
                            "useful",
                            PromptKind::Choice {
                                multiple: true,
                                options: vec!["講義".into(), "事例".into(), "<b>&".into()],
                            },
                        ),
                        question("comment", PromptKind::Text { max: 100 }),
                    ],
                    &[("conf", "pre-conf")],
                ),
            ],
            path: "c.md".into(),
        }
    }

    fn response(step: i64, who: &str, answers: &[(&str, SurveyAnswer)]) -> ResponseRow {
        ResponseRow {
            uid: format!("{step}-{who}"),
            step_index: step,
            respondent: who.into(),
            profession: String::new(),
            answers: answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<SurveyAnswers>(),
            submitted_at: 0,
        }
    }

    #[test]
    fn a_step_under_five_shows_only_its_count() {
        let c = curriculum();
        let rows: Vec<_> = (0..4)
            .map(|i| response(1, &format!("p{i}"), &[("conf", SurveyAnswer::Scale(4))]))
            .collect();
        let steps = summarize(&c, &rows);
        assert_eq!(steps.len(), 2);
        assert_eq!((steps[1].respondents, steps[1].shown), (4, false));
        assert!(steps[1].questions.is_empty());
        assert_eq!((steps[0].respondents, steps[0].shown), (0, false));
    }

    #[test]
    fn scales_choices_and_comments_are_counted() {
        let c = curriculum();
        let mut rows = Vec::new();
        for (i, v) in [5, 4, 4, 3, 5].iter().enumerate() {
            let mut answers = vec![("conf", SurveyAnswer::Scale(*v))];
            if i < 3 {
                answers.push((
                    "useful",
                    SurveyAnswer::Choice(vec!["講義".into(), "<b>&".into()]),
                ));
            }
            if i == 1 {
                answers.push(("comment", SurveyAnswer::Text(" よかった ".into())));
            }
            if i == 2 {
                // A purged comment is blank: not an answer any more.
                answers.push(("comment", SurveyAnswer::Text(String::new())));
            }
            rows.push(response(1, &format!("p{i}"), &answers));
        }
        let steps = summarize(&c, &rows);
        let post = &steps[1];
        assert!(post.shown);
        let conf = &post.questions[0];
        assert_eq!(conf.key, "post:conf");
        assert_eq!(conf.answered, 5);
        let Tally::Scale { points, mean, .. } = &conf.result else {
            panic!("scale")
        };
        let counts: Vec<usize> = points.iter().map(|p| p.count).collect();
        assert_eq!(counts, [0, 0, 1, 2, 2]);
        assert_eq!(*mean, Some(4.2));
        let useful = &post.questions[1];
        assert_eq!(useful.answered, 3);
        assert_eq!(
            useful.result,
            Tally::Choice {
                multiple: true,
                options: vec![
                    OptionCount {
                        label: "講義".into(),
                        count: 3
                    },
                    OptionCount {
                        label: "事例".into(),
                        count: 0
                    },
                    OptionCount {
                        label: "<b>&".into(),
                        count: 3
                    },
                ]
            }
        );
        let comment = &post.questions[2];
        assert_eq!(comment.answered, 1);
        assert_eq!(
            comment.result,
            Tally::Text {
                comments: vec!["よかった".into()]
            }
        );
        // The before step had nobody: the change is hidden.
        let change = conf.before.as_ref().expect("paired with pre-conf");
        assert_eq!(change.key, "pre:pre-conf");
        assert!(!change.shown && change.result.is_none() && change.paired_change.is_none());
    }

    #[test]
    fn before_and_after_pair_by_phone() {
        let c = curriculum();
        let mut rows = Vec::new();
        // Six before, six after; five phones answered both.
        for i in 0..6 {
            rows.push(response(
                0,
                &format!("p{i}"),
                &[("pre-conf", SurveyAnswer::Scale(2))],
            ));
        }
        for i in 1..7 {
            rows.push(response(
                1,
                &format!("p{i}"),
                &[("conf", SurveyAnswer::Scale(4))],
            ));
        }
        let steps = summarize(&c, &rows);
        let change = steps[1].questions[0].before.clone().expect("change");
        assert!(change.shown);
        assert_eq!(
            (change.respondents, change.answered, change.paired),
            (6, 6, 5)
        );
        assert_eq!(change.paired_change, Some(2.0));
        let Some(Tally::Scale { mean, .. }) = change.result else {
            panic!("before scale")
        };
        assert_eq!(mean, Some(2.0));
        // Four pairs are too few to show the change of the same people.
        let fewer: Vec<_> = rows
            .into_iter()
            .filter(|r| !(r.step_index == 1 && r.respondent == "p1"))
            .collect();
        let steps = summarize(&c, &fewer);
        let change = steps[1].questions[0].before.clone().expect("change");
        assert_eq!(change.paired, 4);
        assert_eq!(change.paired_change, None);
    }
}
