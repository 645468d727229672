//! Checks: whether an answer fits its prompt's shape and limits, and why it was refused.

use std::collections::HashSet;

use super::text::{box_label, sheet_label};
use super::{Answer, ITEM_MAX, ViewWho, WEIGHT_MAX};
use crate::content::{
    FOUR_BOXES, LIST_MAX, OWN_HEADING_LEN_MAX, OWN_HEADINGS_MAX, Profession, Prompt, PromptKind,
    SHEET_FIELDS,
};
use crate::lang::Lang;

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
    /// One field or list item of a structured answer is too long.
    #[error("the field {field} has {len} characters; the limit is {max}")]
    FieldTooLong {
        /// The i18n key of the field's label.
        field: &'static str,
        /// Characters given.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// A list has more items than allowed.
    #[error("the list {field} has {count} items; the limit is {max}")]
    TooManyItems {
        /// The i18n key of the list's label.
        field: &'static str,
        /// Items given.
        count: usize,
        /// Items allowed.
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
    /// A card that is not in the deck.
    #[error("the card is not in the deck")]
    UnknownCard,
    /// The same card at two ranks.
    #[error("a card is ranked twice")]
    CardTwice,
    /// More picks than the prompt's `top`.
    #[error("more than {top} cards are ranked")]
    TooManyPicks {
        /// Cards allowed.
        top: usize,
    },
    /// A reason typed at a rank with no card chosen.
    #[error("rank {rank} has a reason but no card")]
    ReasonWithoutCard {
        /// 1-based rank.
        rank: usize,
    },
    /// A person the prompt does not know.
    #[error("the person is not part of this prompt")]
    UnknownPerson,
    /// The same person twice on a stakeholder map.
    #[error("a person appears twice")]
    PersonTwice,
    /// An action-plan row without who or what.
    #[error("row {row} lacks who or what")]
    IncompleteRow {
        /// 1-based row.
        row: usize,
    },
    /// An action-plan row with both a chosen and a typed who.
    #[error("row {row} has two answers to who")]
    WhoTwice {
        /// 1-based row.
        row: usize,
    },
    /// A three-field report with the same heading twice.
    #[error("the heading {heading:?} is given twice")]
    HeadingTwice {
        /// The heading as shown.
        heading: String,
    },
    /// A three-field report with more headings of its own than allowed.
    #[error("more than {max} headings of the group's own")]
    TooManyHeadings {
        /// Headings a group may add.
        max: usize,
    },
    /// A list of the group's own with text but no heading.
    #[error("list {list} has text but no heading")]
    HeadingMissing {
        /// 1-based position among the lists.
        list: usize,
    },
    /// The form did not carry the fields this prompt kind needs.
    #[error("the form does not fit this prompt")]
    Malformed,
}

impl AnswerError {
    /// True for the errors of over-long text (shown with 413, like other oversize input).
    pub fn is_too_long(&self) -> bool {
        matches!(self, Self::TooLong { .. } | Self::FieldTooLong { .. })
    }

    /// The i18n key of the message and its arguments, with field labels in `lang`.
    pub fn message(&self, lang: Lang) -> (&'static str, Vec<String>) {
        let label = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
        match self {
            Self::TooLong { len, max } => ("err.too_long", vec![len.to_string(), max.to_string()]),
            Self::FieldTooLong { field, len, max } => (
                "err.field_too_long",
                vec![label(field), len.to_string(), max.to_string()],
            ),
            Self::TooManyItems { field, count, max } => (
                "err.too_many_items",
                vec![label(field), count.to_string(), max.to_string()],
            ),
            Self::BadChoice => ("err.bad_choice", Vec::new()),
            Self::OutOfRange { min, max } => {
                ("err.out_of_range", vec![min.to_string(), max.to_string()])
            }
            Self::UnknownCard => ("err.unknown_card", Vec::new()),
            Self::CardTwice => ("err.card_twice", Vec::new()),
            Self::TooManyPicks { top } => ("err.too_many_picks", vec![top.to_string()]),
            Self::ReasonWithoutCard { rank } => ("err.reason_without_card", vec![rank.to_string()]),
            Self::UnknownPerson => ("err.unknown_person", Vec::new()),
            Self::PersonTwice => ("err.person_twice", Vec::new()),
            Self::IncompleteRow { row } => ("err.incomplete_row", vec![row.to_string()]),
            Self::WhoTwice { row } => ("err.who_twice", vec![row.to_string()]),
            Self::HeadingTwice { heading } => ("err.heading_twice", vec![heading.clone()]),
            Self::TooManyHeadings { max } => ("err.too_many_headings", vec![max.to_string()]),
            Self::HeadingMissing { list } => ("err.heading_missing", vec![list.to_string()]),
            Self::Malformed => ("err.form", Vec::new()),
        }
    }
}

fn limit(text: &str, field: &'static str, max: usize) -> Result<(), AnswerError> {
    let len = text.chars().count();
    if len > max {
        return Err(AnswerError::FieldTooLong { field, len, max });
    }
    Ok(())
}

fn count(len: usize, field: &'static str) -> Result<(), AnswerError> {
    if len > LIST_MAX {
        return Err(AnswerError::TooManyItems {
            field,
            count: len,
            max: LIST_MAX,
        });
    }
    Ok(())
}

impl Answer {
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
            (
                Answer::FourBox {
                    medical,
                    preferences,
                    quality,
                    context,
                },
                PromptKind::FourBox {},
            ) => {
                for (name, list) in FOUR_BOXES
                    .iter()
                    .zip([medical, preferences, quality, context])
                {
                    count(list.len(), box_label(name))?;
                    for item in list {
                        limit(item, box_label(name), ITEM_MAX)?;
                    }
                }
            }
            (Answer::ConferenceSheet { .. }, PromptKind::ConferenceSheet { max, .. }) => {
                for (name, text) in SHEET_FIELDS.iter().zip(self.sheet_texts()) {
                    limit(text, sheet_label(name), *max)?;
                }
            }
            (Answer::DecisionTable { views }, PromptKind::DecisionTable { options, max, .. }) => {
                let whos: Vec<_> = views.iter().map(|v| v.who).collect();
                if whos != [ViewWho::Person, ViewWho::Family] {
                    return Err(AnswerError::Malformed);
                }
                for view in views {
                    if view.options.len() != options.len() {
                        return Err(AnswerError::Malformed);
                    }
                    for option in &view.options {
                        limit(&option.benefits, "kinds.grid.benefits", *max)?;
                        limit(&option.harms, "kinds.grid.harms", *max)?;
                        for weight in [option.benefit_weight, option.harm_weight]
                            .into_iter()
                            .flatten()
                        {
                            if !(1..=WEIGHT_MAX).contains(&weight) {
                                return Err(AnswerError::OutOfRange {
                                    min: 1,
                                    max: i64::from(WEIGHT_MAX),
                                });
                            }
                        }
                    }
                    if view.leaning.is_some_and(|l| l >= options.len()) {
                        return Err(AnswerError::BadChoice);
                    }
                }
            }
            (Answer::ValuesRanking { picks }, PromptKind::ValuesRanking { cards, top }) => {
                if picks.len() > *top {
                    return Err(AnswerError::TooManyPicks { top: *top });
                }
                let mut seen = HashSet::new();
                for pick in picks {
                    if pick.card >= cards.len() {
                        return Err(AnswerError::UnknownCard);
                    }
                    if !seen.insert(pick.card) {
                        return Err(AnswerError::CardTwice);
                    }
                    limit(&pick.reason, "kinds.rank.reason", ITEM_MAX)?;
                }
            }
            (Answer::StakeholderMap { entries }, PromptKind::StakeholderMap { people, max }) => {
                count(entries.len(), "kinds.map.title")?;
                let mut seen = HashSet::new();
                for entry in entries {
                    if !people.iter().any(|p| p.key == entry.who) {
                        return Err(AnswerError::UnknownPerson);
                    }
                    if !seen.insert(entry.who.as_str()) {
                        return Err(AnswerError::PersonTwice);
                    }
                    limit(&entry.wants, "kinds.map.wants", *max)?;
                    limit(&entry.fears, "kinds.map.fears", *max)?;
                    limit(&entry.dissent, "kinds.map.dissent", *max)?;
                }
            }
            (Answer::CapacityCheck { items }, PromptKind::CapacityCheck { max }) => {
                for item in items.all() {
                    limit(&item.evidence, "kinds.cap.evidence", *max)?;
                }
            }
            (Answer::ActionPlan { rows }, PromptKind::ActionPlan { people, roles }) => {
                count(rows.len(), "kinds.plan.title")?;
                for (n, row) in rows.iter().enumerate() {
                    match row.who.strip_prefix("other:") {
                        Some(name) => {
                            if name.trim().is_empty() {
                                return Err(AnswerError::IncompleteRow { row: n + 1 });
                            }
                            limit(name, "kinds.plan.who", ITEM_MAX)?;
                        }
                        None => {
                            let known = Profession::builtin(&row.who).is_some()
                                || roles.iter().any(|p| p.id == row.who)
                                || people.iter().any(|p| p.key == row.who);
                            if !known {
                                return Err(AnswerError::UnknownPerson);
                            }
                        }
                    }
                    if row.what.trim().is_empty() {
                        return Err(AnswerError::IncompleteRow { row: n + 1 });
                    }
                    limit(&row.what, "kinds.plan.what", ITEM_MAX)?;
                    limit(&row.when, "kinds.plan.when", ITEM_MAX)?;
                }
            }
            (Answer::ThreeField { lists }, PromptKind::ThreeField { max, headings }) => {
                let mut seen: Vec<String> = Vec::new();
                let mut own = 0;
                for (n, list) in lists.iter().enumerate() {
                    let shown = match (&list.of, &list.heading) {
                        (Some(of), None) => {
                            let Some(h) = headings.iter().find(|h| &h.id == of) else {
                                return Err(AnswerError::Malformed);
                            };
                            if h.label.is_empty() {
                                h.id.clone()
                            } else {
                                h.label.clone()
                            }
                        }
                        (None, Some(heading)) => {
                            own += 1;
                            if heading.trim().is_empty() {
                                return Err(AnswerError::HeadingMissing { list: n + 1 });
                            }
                            limit(heading, "kinds.three.own_heading", OWN_HEADING_LEN_MAX)?;
                            // A group's heading that repeats a curriculum heading (as
                            // written, or a default's words in either language) is the
                            // same heading twice.
                            match headings
                                .iter()
                                .find(|h| Lang::ALL.iter().any(|lang| h.label(*lang) == *heading))
                            {
                                Some(h) => h.id.clone(),
                                None => heading.clone(),
                            }
                        }
                        _ => return Err(AnswerError::Malformed),
                    };
                    if seen.contains(&shown) {
                        return Err(AnswerError::HeadingTwice {
                            heading: list.heading.clone().unwrap_or(shown),
                        });
                    }
                    seen.push(shown);
                    limit(&list.text, "kinds.three.list", *max)?;
                }
                if own > OWN_HEADINGS_MAX {
                    return Err(AnswerError::TooManyHeadings {
                        max: OWN_HEADINGS_MAX,
                    });
                }
            }
            _ => return Err(AnswerError::Malformed),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::StakeholderEntry;
    use crate::answer::fixtures::*;

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

    #[test]
    fn stored_answers_that_do_not_fit_are_refused() {
        let prompts = structured();
        let mut swapped = answers()[2].clone();
        if let Answer::DecisionTable { views } = &mut swapped {
            views.swap(0, 1);
        }
        assert_eq!(swapped.check(&prompts[2]), Err(AnswerError::Malformed));
        let mut short = answers()[2].clone();
        if let Answer::DecisionTable { views } = &mut short {
            views[0].options.pop();
        }
        assert_eq!(short.check(&prompts[2]), Err(AnswerError::Malformed));
        // A capacity check needs all four abilities.
        assert!(
            serde_json::from_value::<Answer>(serde_json::json!({
                "kind": "capacity-check",
                "items": {"understanding": {"rating": null, "evidence": ""}}
            }))
            .is_err()
        );
        // An answer of one kind never passes for another.
        assert_eq!(answers()[0].check(&prompts[7]), Err(AnswerError::Malformed));
        // People not in the prompt.
        let stranger = Answer::StakeholderMap {
            entries: vec![StakeholderEntry {
                who: "family:5".into(),
                wants: "x".into(),
                fears: String::new(),
                dissent: String::new(),
            }],
        };
        assert_eq!(stranger.check(&prompts[4]), Err(AnswerError::UnknownPerson));
    }

    #[test]
    fn every_refusal_has_a_message_in_both_languages() {
        let errors = [
            AnswerError::TooLong { len: 2, max: 1 },
            AnswerError::FieldTooLong {
                field: "kinds.grid.benefits",
                len: 2,
                max: 1,
            },
            AnswerError::TooManyItems {
                field: "kinds.plan.title",
                count: 31,
                max: 30,
            },
            AnswerError::BadChoice,
            AnswerError::OutOfRange { min: 1, max: 5 },
            AnswerError::UnknownCard,
            AnswerError::CardTwice,
            AnswerError::TooManyPicks { top: 3 },
            AnswerError::ReasonWithoutCard { rank: 2 },
            AnswerError::UnknownPerson,
            AnswerError::PersonTwice,
            AnswerError::IncompleteRow { row: 1 },
            AnswerError::WhoTwice { row: 1 },
            AnswerError::Malformed,
        ];
        for e in errors {
            for lang in Lang::ALL {
                let (key, args) = e.message(lang);
                let text = crate::i18n::format(lang, key, &args);
                assert!(crate::i18n::text(lang, key).is_some(), "{key}");
                assert!(!text.contains('{'), "{text}");
                assert!(!text.contains("kinds."), "labels are translated: {text}");
            }
        }
        let (_, args) = AnswerError::FieldTooLong {
            field: "kinds.box.medical",
            len: 301,
            max: 300,
        }
        .message(Lang::En);
        assert_eq!(args[0], "Medical indications");
    }
}
