//! An answer as read back from the database, and as a page shows it for its prompt.
//!
//! A save stores an [`Answer`] as JSON text. Reading it back gives a [`StoredAnswer`]:
//! the answer, or — for JSON no save of this version writes (rows an older import wrote,
//! answers of an older shape) — that JSON itself, kept so an export writes it back as
//! it was. Text that is not JSON at all is not a `StoredAnswer`: the database layer
//! reports it as an error. Pages draw a [`ShownAnswer`]: the answer when it fits its
//! prompt, otherwise what is stored as plain, escaped text, never nothing.

use serde::{Deserialize, Serialize, Serializer};

use super::Answer;
use crate::content::Prompt;

/// An answer as stored: what a save or an import wrote.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredAnswer {
    /// JSON that reads as an answer of some kind (not necessarily its prompt's kind now).
    Answer(Answer),
    /// JSON that does not read as an [`Answer`], exactly as stored.
    Unreadable(serde_json::Value),
}

impl StoredAnswer {
    /// Reads the stored JSON text. Only text that is not JSON is an error; JSON of
    /// another shape is [`StoredAnswer::Unreadable`].
    pub fn from_json(text: &str) -> Result<StoredAnswer, serde_json::Error> {
        let mut value: serde_json::Value = serde_json::from_str(text)?;
        let original = value.clone();
        Answer::upgrade(&mut value);
        Ok(match Answer::deserialize(&value) {
            Ok(answer) => StoredAnswer::Answer(answer),
            Err(_) => StoredAnswer::Unreadable(original),
        })
    }

    /// The JSON text to store. Written through a `serde_json::Value` (keys in sorted
    /// order) so the stored text stays byte for byte what earlier versions wrote.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        Ok(self.to_value()?.to_string())
    }

    /// The stored JSON as a value (for exports, events and tests that look inside).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            StoredAnswer::Answer(answer) => serde_json::to_value(answer),
            StoredAnswer::Unreadable(value) => Ok(value.clone()),
        }
    }

    /// The answer, whatever prompt it was saved for; `None` when it is unreadable.
    pub fn answer(&self) -> Option<&Answer> {
        match self {
            StoredAnswer::Answer(answer) => Some(answer),
            StoredAnswer::Unreadable(_) => None,
        }
    }

    /// The answer when it fits `prompt` as it is now (a text answer fits any prompt:
    /// it shows as what was typed).
    pub fn fitting(&self, prompt: &Prompt) -> Option<&Answer> {
        self.answer()
            .filter(|a| matches!(a, Answer::Text { .. }) || a.check(prompt).is_ok())
    }

    /// How a page shows this answer for `prompt`: the answer when it fits, otherwise
    /// what is stored as text (an answer saved under an older shape of the prompt, or
    /// JSON an older import wrote).
    pub fn shown(&self, prompt: &Prompt) -> ShownAnswer {
        if let Some(answer) = self.fitting(prompt) {
            return ShownAnswer::Answer(answer.clone());
        }
        let text = match self {
            StoredAnswer::Unreadable(serde_json::Value::String(s)) => s.clone(),
            // Already the marker a page shows (an export of an export): its text.
            StoredAnswer::Unreadable(value)
                if value.get("kind").and_then(|k| k.as_str()) == Some(UNREADABLE) =>
            {
                match value.get("text") {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    _ => value.to_string(),
                }
            }
            other => other
                .to_value()
                .map_or_else(|e| e.to_string(), |v| v.to_string()),
        };
        ShownAnswer::Unreadable(text)
    }

    /// The answer with the free text a table typed blanked (the purge of personal
    /// data), see [`Answer::without_free_text`]. JSON that does not read as an answer
    /// has no known free-text fields, so every string in it is blanked.
    pub fn without_free_text(&self) -> StoredAnswer {
        fn blank(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s) => s.clear(),
                serde_json::Value::Array(items) => items.iter_mut().for_each(blank),
                serde_json::Value::Object(map) => map.values_mut().for_each(blank),
                _ => {}
            }
        }
        match self {
            StoredAnswer::Answer(answer) => StoredAnswer::Answer(answer.without_free_text()),
            StoredAnswer::Unreadable(value) => {
                let mut value = value.clone();
                blank(&mut value);
                StoredAnswer::Unreadable(value)
            }
        }
    }
}

impl From<Answer> for StoredAnswer {
    fn from(answer: Answer) -> StoredAnswer {
        StoredAnswer::Answer(answer)
    }
}

/// Serializes as the stored JSON, unchanged.
impl Serialize for StoredAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StoredAnswer::Answer(answer) => answer.serialize(serializer),
            StoredAnswer::Unreadable(value) => value.serialize(serializer),
        }
    }
}

/// The `kind` a page sees for an answer it cannot draw as its prompt's kind.
pub const UNREADABLE: &str = "unreadable";

/// A stored answer as a page, a report or a PDF draws it for its prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum ShownAnswer {
    /// An answer that fits the prompt (or a text answer).
    Answer(Answer),
    /// What is stored, as text, shown plain and escaped: it does not fit the prompt.
    Unreadable(String),
}

impl ShownAnswer {
    /// The answer, when it fits its prompt.
    pub fn answer(&self) -> Option<&Answer> {
        match self {
            ShownAnswer::Answer(answer) => Some(answer),
            ShownAnswer::Unreadable(_) => None,
        }
    }
}

/// Serializes as the answer's JSON, or as `{"kind": "unreadable", "text": …}`, which
/// the templates (`answer_view` in `macros.html`) show as plain text.
impl Serialize for ShownAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            ShownAnswer::Answer(answer) => answer.serialize(serializer),
            ShownAnswer::Unreadable(text) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("kind", UNREADABLE)?;
                map.serialize_entry("text", text)?;
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::fixtures::*;
    use crate::content::PromptKind;

    /// A three-field answer an earlier version stored reads as headed lists under the
    /// default headings, the empty one left out; a broken old shape stays as stored.
    #[test]
    fn an_older_three_field_answer_reads_as_headed_lists() {
        let old =
            r#"{"hard":"","kind":"three-field","measures":"連絡票","worked":"顔の見える関係"}"#;
        let read = StoredAnswer::from_json(old).expect("json");
        assert_eq!(
            read.answer(),
            Some(&Answer::ThreeField {
                lists: vec![
                    crate::answer::HeadedList::of("worked", "顔の見える関係"),
                    crate::answer::HeadedList::of("measures", "連絡票"),
                ]
            })
        );
        let broken = r#"{"kind":"three-field","worked":5}"#;
        let read = StoredAnswer::from_json(broken).expect("json");
        assert_eq!(read.to_json().expect("json"), broken, "kept as it was");
    }

    #[test]
    fn stored_json_reads_back_as_it_was_written() {
        for answer in answers() {
            let stored = StoredAnswer::from(answer.clone());
            let text = stored.to_json().expect("json");
            // The same text earlier versions wrote: the answer through a JSON value.
            let value = serde_json::to_value(&answer).expect("value");
            assert_eq!(text, value.to_string());
            assert_eq!(StoredAnswer::from_json(&text).expect("reads"), stored);
        }
        let odd = StoredAnswer::from_json(r#"["一覧", 2]"#).expect("json");
        assert_eq!(
            odd,
            StoredAnswer::Unreadable(serde_json::json!(["一覧", 2]))
        );
        assert_eq!(odd.to_json().expect("json"), r#"["一覧",2]"#);
        assert!(StoredAnswer::from_json("{not json").is_err());
    }

    #[test]
    fn an_answer_that_does_not_fit_its_prompt_is_shown_as_text() {
        let scale = prompt(PromptKind::Scale {
            min: 1,
            max: 5,
            labels: vec![],
        });
        let fits = StoredAnswer::Answer(Answer::Scale { value: 3 });
        assert_eq!(
            fits.shown(&scale),
            ShownAnswer::Answer(Answer::Scale { value: 3 })
        );
        // A text answer fits any prompt: it shows what was typed.
        let text = StoredAnswer::Answer(Answer::Text { text: "x".into() });
        assert!(text.fitting(&scale).is_some());
        // Saved when the prompt had another shape.
        let stale = StoredAnswer::Answer(Answer::Scale { value: 9 });
        assert_eq!(stale.fitting(&scale), None);
        assert_eq!(
            stale.shown(&scale),
            ShownAnswer::Unreadable(r#"{"kind":"scale","value":9}"#.into())
        );
        let bare = StoredAnswer::from_json(r#""素の文字列""#).expect("json");
        assert_eq!(
            bare.shown(&scale),
            ShownAnswer::Unreadable("素の文字列".into())
        );
        let marker =
            StoredAnswer::from_json(r#"{"kind":"unreadable","text":"前の"}"#).expect("json");
        assert_eq!(marker.shown(&scale), ShownAnswer::Unreadable("前の".into()));
        assert_eq!(
            serde_json::to_value(bare.shown(&scale)).expect("json"),
            serde_json::json!({"kind": "unreadable", "text": "素の文字列"})
        );
    }

    #[test]
    fn unreadable_json_loses_every_string_in_a_purge() {
        let odd = StoredAnswer::from_json(r#"{"kind":"scale","value":"山田","n":[1,"x"]}"#)
            .expect("json");
        assert_eq!(
            odd.without_free_text(),
            StoredAnswer::Unreadable(serde_json::json!({"kind": "", "value": "", "n": [1, ""]}))
        );
    }
}
