//! A table's answer to a prompt: decoded from a form, checked against the prompt's
//! shape, and stored as structured JSON (never one blob of text).

use serde::{Deserialize, Serialize};

use crate::content::{Prompt, PromptKind};

/// An answer, shaped by its prompt kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Answer {
    /// Free text.
    Text {
        /// The text, normalized.
        text: String,
    },
    /// Chosen options, as indexes into the prompt's options.
    Choice {
        /// Indexes, ascending, no duplicates.
        selected: Vec<usize>,
    },
    /// A point on the scale.
    Scale {
        /// The value, within the prompt's range.
        value: i64,
    },
}

/// Why an answer was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    /// Text longer than the prompt allows.
    #[error("the answer has {len} characters; the limit is {max}")]
    TooLong {
        /// Characters given.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// An option that the prompt does not have, or several for a single choice.
    #[error("the choice does not match the prompt's options")]
    BadChoice,
    /// A value outside the scale.
    #[error("the value is not on the scale {min}–{max}")]
    OutOfRange {
        /// Lowest value.
        min: i64,
        /// Highest value.
        max: i64,
    },
    /// The form did not carry the fields this prompt kind needs.
    #[error("the form does not fit this prompt")]
    Malformed,
}

impl Answer {
    /// Decodes form fields (`text`, repeated `choice`, `value`) for `prompt`.
    pub fn from_form(prompt: &Prompt, form: &[(String, String)]) -> Result<Answer, AnswerError> {
        fn values<'f>(
            form: &'f [(String, String)],
            name: &'f str,
        ) -> impl Iterator<Item = &'f str> {
            form.iter()
                .filter(move |(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }
        let answer = match &prompt.kind {
            PromptKind::Text { .. } => Answer::Text {
                text: clean_text(values(form, "text").next().ok_or(AnswerError::Malformed)?),
            },
            PromptKind::Choice { .. } => {
                let mut selected = values(form, "choice")
                    .map(|v| {
                        v.trim()
                            .parse::<usize>()
                            .map_err(|_| AnswerError::BadChoice)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                selected.sort_unstable();
                selected.dedup();
                Answer::Choice { selected }
            }
            PromptKind::Scale { .. } => match values(form, "value").next().map(str::trim) {
                Some(v) => Answer::Scale {
                    value: v.parse().map_err(|_| AnswerError::Malformed)?,
                },
                None => return Err(AnswerError::Malformed),
            },
        };
        answer.check(prompt)?;
        Ok(answer)
    }

    /// Checks that the answer fits the prompt's shape and limits.
    pub fn check(&self, prompt: &Prompt) -> Result<(), AnswerError> {
        match (self, &prompt.kind) {
            (Answer::Text { text }, PromptKind::Text { max }) => {
                let len = text.chars().count();
                if len > *max {
                    return Err(AnswerError::TooLong { len, max: *max });
                }
            }
            (Answer::Choice { selected }, PromptKind::Choice { multiple, options }) => {
                let in_range = selected.iter().all(|i| *i < options.len());
                if !in_range || (!multiple && selected.len() > 1) {
                    return Err(AnswerError::BadChoice);
                }
            }
            (Answer::Scale { value }, PromptKind::Scale { min, max, .. }) => {
                if value < min || value > max {
                    return Err(AnswerError::OutOfRange {
                        min: *min,
                        max: *max,
                    });
                }
            }
            _ => return Err(AnswerError::Malformed),
        }
        Ok(())
    }

    /// The answer as plain text lines, for places that cannot draw structure.
    pub fn plain(&self, prompt: &Prompt) -> String {
        match (self, &prompt.kind) {
            (Answer::Text { text }, _) => text.clone(),
            (Answer::Choice { selected }, PromptKind::Choice { options, .. }) => selected
                .iter()
                .filter_map(|i| options.get(*i))
                .cloned()
                .collect::<Vec<_>>()
                .join(" / "),
            (Answer::Scale { value }, PromptKind::Scale { max, .. }) => format!("{value} / {max}"),
            _ => String::new(),
        }
    }
}

/// Normalizes typed text: `\r\n` to `\n`, control characters and bidirectional
/// overrides removed (they can disguise what a text says), trailing space trimmed.
pub fn clean_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = text
        .chars()
        .filter(|c| {
            (*c == '\n' || *c == '\t' || !c.is_control())
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .collect();
    kept.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Markdown;

    fn prompt(kind: PromptKind) -> Prompt {
        Prompt {
            id: "q".into(),
            title: "問い".into(),
            help: Markdown::default(),
            kind,
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
    fn text_is_cleaned_and_limited() {
        let p = prompt(PromptKind::Text { max: 5 });
        let a = Answer::from_form(&p, &form(&[("text", "あい\u{202E}う\r\nえ\u{0007} ")]))
            .expect("fits");
        assert_eq!(
            a,
            Answer::Text {
                text: "あいう\nえ".into()
            }
        );
        assert_eq!(
            Answer::from_form(&p, &form(&[("text", "あいうえおか")])),
            Err(AnswerError::TooLong { len: 6, max: 5 })
        );
    }

    #[test]
    fn choices_must_exist_and_single_means_one() {
        let options = vec!["a".to_string(), "b".to_string()];
        let single = prompt(PromptKind::Choice {
            multiple: false,
            options: options.clone(),
        });
        let multi = prompt(PromptKind::Choice {
            multiple: true,
            options,
        });
        assert_eq!(
            Answer::from_form(&single, &form(&[("choice", "2")])),
            Err(AnswerError::BadChoice)
        );
        assert_eq!(
            Answer::from_form(&single, &form(&[("choice", "0"), ("choice", "1")])),
            Err(AnswerError::BadChoice)
        );
        assert_eq!(
            Answer::from_form(
                &multi,
                &form(&[("choice", "1"), ("choice", "0"), ("choice", "1")])
            ),
            Ok(Answer::Choice {
                selected: vec![0, 1]
            })
        );
    }

    #[test]
    fn scale_values_stay_in_range() {
        let p = prompt(PromptKind::Scale {
            min: 1,
            max: 5,
            labels: vec![],
        });
        assert_eq!(
            Answer::from_form(&p, &form(&[("value", "6")])),
            Err(AnswerError::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(
            Answer::from_form(&p, &form(&[("value", "x")])),
            Err(AnswerError::Malformed)
        );
        assert_eq!(
            Answer::from_form(&p, &form(&[("value", "4")])),
            Ok(Answer::Scale { value: 4 })
        );
    }

    #[test]
    fn stored_answers_of_another_shape_are_refused() {
        let p = prompt(PromptKind::Scale {
            min: 1,
            max: 5,
            labels: vec![],
        });
        let stored: Answer = serde_json::from_str(r#"{"kind":"text","text":"x"}"#).expect("json");
        assert_eq!(stored.check(&p), Err(AnswerError::Malformed));
        assert!(serde_json::from_str::<Answer>(r#"{"kind":"text","text":"x","extra":1}"#).is_err());
    }
}
