//! The individual survey: questions come from the curriculum's survey steps; each
//! person answers on their own phone, anonymously, once per step.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::{Curriculum, Prompt, PromptKind, Step, StepKind, SurveyPhase};

/// Results are shown only once at least this many people have answered, so a small
/// group's answers cannot be traced back to a person.
pub const MIN_RESPONSES: usize = 5;

/// One answer to one survey question, stored as `{"scale": 4}`, `{"choice": [..]}` or
/// `{"text": ".."}` so a stored response explains itself without the curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SurveyAnswer {
    /// A point on the question's scale.
    Scale(i64),
    /// The chosen options, in the order the question lists them.
    Choice(Vec<String>),
    /// A free comment.
    Text(String),
}

/// A person's answers to one survey step: question id -> answer. Skipped questions
/// are absent.
pub type SurveyAnswers = BTreeMap<String, SurveyAnswer>;

/// Why a survey form was refused. Each carries the question it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    /// Nothing was answered.
    #[error("no question was answered")]
    Empty,
    /// A scale value outside the question's range, or not a number.
    #[error("question {0}: not a point on the scale")]
    Scale(String),
    /// An option that is not one of the question's.
    #[error("question {0}: not one of the options")]
    Choice(String),
    /// Several options where one is asked for.
    #[error("question {0}: choose one option")]
    OneOnly(String),
    /// A comment longer than the question allows.
    #[error("question {0}: longer than {1} characters")]
    TooLong(String, usize),
}

impl SurveyError {
    /// The question the error is about, if any.
    pub fn question(&self) -> Option<&str> {
        match self {
            SurveyError::Empty => None,
            SurveyError::Scale(q)
            | SurveyError::Choice(q)
            | SurveyError::OneOnly(q)
            | SurveyError::TooLong(q, _) => Some(q),
        }
    }
}

/// The survey steps of a curriculum with their indexes.
pub fn survey_steps(curriculum: &Curriculum) -> impl Iterator<Item = (usize, &Step)> {
    curriculum
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == StepKind::Survey && !s.prompts.is_empty())
}

/// The phase of a survey step (after, unless the file says before).
pub fn phase(step: &Step) -> SurveyPhase {
    step.survey.as_ref().map_or(SurveyPhase::After, |s| s.phase)
}

/// Whether people may answer the survey step at `index` now. A before survey is open
/// from the start until the session moves past it; an after survey from when the
/// session reaches it until the session ends.
pub fn is_open(step: &Step, index: usize, current_step: usize, closed: bool) -> bool {
    if closed {
        return false;
    }
    match phase(step) {
        SurveyPhase::Before => current_step <= index,
        SurveyPhase::After => current_step >= index,
    }
}

/// Reads a submitted survey form: fields are named by question id; a choice with
/// several options sends its field several times. Empty fields are skipped questions.
pub fn parse_form(step: &Step, fields: &[(String, String)]) -> Result<SurveyAnswers, SurveyError> {
    let mut answers = SurveyAnswers::new();
    for question in &step.prompts {
        let values: Vec<String> = fields
            .iter()
            .filter(|(k, _)| *k == question.id)
            .map(|(_, v)| crate::text::clean_text(v))
            .filter(|v| !v.trim().is_empty())
            .collect();
        let values: Vec<&str> = values.iter().map(|v| v.trim()).collect();
        if values.is_empty() {
            continue;
        }
        answers.insert(question.id.clone(), read_answer(question, &values)?);
    }
    if answers.is_empty() {
        return Err(SurveyError::Empty);
    }
    Ok(answers)
}

/// Checks a stored (or imported) response against its survey step with the same rules
/// a phone's form is read by: every question is one of the step's, and every answer
/// fits it (a point on the scale, known options, a comment within the limit).
pub fn check_stored(step: &Step, answers: &SurveyAnswers) -> Result<(), SurveyError> {
    for (id, answer) in answers {
        let Some(question) = step.prompts.iter().find(|q| q.id == *id) else {
            return Err(SurveyError::Choice(id.clone()));
        };
        let values: Vec<String> = match answer {
            SurveyAnswer::Scale(n) => vec![n.to_string()],
            SurveyAnswer::Choice(chosen) => chosen.clone(),
            SurveyAnswer::Text(text) => vec![text.clone()],
        };
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        read_answer(question, &values)?;
    }
    Ok(())
}

fn read_answer(question: &Prompt, values: &[&str]) -> Result<SurveyAnswer, SurveyError> {
    let id = || question.id.clone();
    match &question.kind {
        PromptKind::Scale { min, max, .. } => {
            let [value] = values else {
                return Err(SurveyError::Scale(id()));
            };
            match value.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => Ok(SurveyAnswer::Scale(n)),
                _ => Err(SurveyError::Scale(id())),
            }
        }
        PromptKind::Choice { multiple, options } => {
            if !multiple && values.len() > 1 {
                return Err(SurveyError::OneOnly(id()));
            }
            if let Some(_unknown) = values.iter().find(|v| !options.iter().any(|o| o == *v)) {
                return Err(SurveyError::Choice(id()));
            }
            Ok(SurveyAnswer::Choice(
                options
                    .iter()
                    .filter(|o| values.contains(&o.as_str()))
                    .cloned()
                    .collect(),
            ))
        }
        PromptKind::Text { max } => {
            let text = values.join("\n");
            if text.chars().count() > *max {
                return Err(SurveyError::TooLong(id(), *max));
            }
            Ok(SurveyAnswer::Text(text))
        }
        // The content check allows only the three kinds above in a survey step.
        _ => Err(SurveyError::Choice(id())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Markdown;

    fn question(id: &str, kind: PromptKind) -> Prompt {
        Prompt {
            id: id.into(),
            title: id.into(),
            help: Markdown::new(""),
            kind,
            line: 1,
        }
    }

    fn step() -> Step {
        Step {
            id: "survey".into(),
            title: "アンケート".into(),
            kind: StepKind::Survey,
            minutes: None,
            body: Markdown::new(""),
            facilitator_notes: Vec::new(),
            prompts: vec![
                question(
                    "scale",
                    PromptKind::Scale {
                        min: 1,
                        max: 5,
                        labels: Vec::new(),
                    },
                ),
                question(
                    "one",
                    PromptKind::Choice {
                        multiple: false,
                        options: vec!["講義".into(), "事例".into()],
                    },
                ),
                question(
                    "many",
                    PromptKind::Choice {
                        multiple: true,
                        options: vec!["a".into(), "b".into(), "c".into()],
                    },
                ),
                question("comment", PromptKind::Text { max: 10 }),
            ],
            walk: None,
            survey: None,
            line: 1,
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_every_kind_and_skips_blank_questions() {
        let answers = parse_form(
            &step(),
            &form(&[
                ("scale", "4"),
                ("one", "事例"),
                ("many", "c"),
                ("many", "a"),
                ("comment", " "),
            ]),
        )
        .unwrap();
        assert_eq!(answers["scale"], SurveyAnswer::Scale(4));
        assert_eq!(answers["one"], SurveyAnswer::Choice(vec!["事例".into()]));
        // Options keep the question's order, whatever order the browser sent.
        assert_eq!(
            answers["many"],
            SurveyAnswer::Choice(vec!["a".into(), "c".into()])
        );
        assert!(!answers.contains_key("comment"));
        let json = serde_json::to_string(&answers["scale"]).unwrap();
        assert_eq!(json, r#"{"scale":4}"#);
    }

    #[test]
    fn refuses_what_the_question_does_not_allow() {
        let s = step();
        assert_eq!(parse_form(&s, &form(&[])), Err(SurveyError::Empty));
        assert_eq!(
            parse_form(&s, &form(&[("scale", "6")])),
            Err(SurveyError::Scale("scale".into()))
        );
        assert_eq!(
            parse_form(&s, &form(&[("scale", "three")])),
            Err(SurveyError::Scale("scale".into()))
        );
        assert_eq!(
            parse_form(&s, &form(&[("one", "講義"), ("one", "事例")])),
            Err(SurveyError::OneOnly("one".into()))
        );
        assert_eq!(
            parse_form(&s, &form(&[("many", "z")])),
            Err(SurveyError::Choice("many".into()))
        );
        assert_eq!(
            parse_form(&s, &form(&[("comment", "あいうえおかきくけこさ")])),
            Err(SurveyError::TooLong("comment".into(), 10))
        );
    }

    #[test]
    fn before_surveys_close_when_the_session_moves_on() {
        let mut before = step();
        before.survey = Some(crate::content::SurveySettings {
            phase: SurveyPhase::Before,
            before: BTreeMap::new(),
        });
        assert!(is_open(&before, 1, 0, false));
        assert!(is_open(&before, 1, 1, false));
        assert!(!is_open(&before, 1, 2, false));
        let after = step();
        assert!(!is_open(&after, 5, 4, false));
        assert!(is_open(&after, 5, 5, false));
        assert!(is_open(&after, 5, 6, false));
        assert!(!is_open(&after, 5, 6, true));
    }
}
