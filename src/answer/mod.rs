//! A table's answer to a prompt: decoded from a form, checked against the prompt's
//! shape, and stored as structured JSON (never one blob of text).
//!
//! Each prompt kind has its own answer shape, tagged with `kind`. The table screen
//! posts plain HTML forms; field names follow the JSON shape (`medical`,
//! `person.0.benefits`, `picks.1.card`, `rows.2.what`…), so a script can serialize
//! the same forms generically. Structured kinds refuse fields they do not know, lists
//! longer than [`LIST_MAX`](crate::content::LIST_MAX) and texts over their limit: nothing is cut silently.
//!
//! The parts: `form.rs` decodes a posted form (and writes one back), `check.rs` holds the
//! checks against the prompt and [`AnswerError`], `text.rs` the plain text and labelled
//! fields in the reader's language, `purge.rs` the answer without its free text, and
//! `stored.rs` an answer as read back from the database ([`StoredAnswer`]) and as a page
//! shows it for its prompt ([`ShownAnswer`]).

mod check;
mod form;
mod purge;
mod stored;
mod text;

pub use check::AnswerError;
pub use form::typed_text;
pub use stored::{ShownAnswer, StoredAnswer, UNREADABLE};
pub use text::{AnswerField, person_label};

use serde::{Deserialize, Serialize};

use crate::content::SheetView;

/// Longest list item (a four-box line, a ranking reason, an action-plan cell).
pub const ITEM_MAX: usize = 300;

/// Highest weight of a benefit or harm in a decision table (the lowest is 1).
pub const WEIGHT_MAX: u8 = 5;

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
    /// Items the table put into each of Jonsen's four boxes.
    FourBox {
        /// 医学的適応.
        medical: Vec<String>,
        /// 本人の意向.
        preferences: Vec<String>,
        /// QOL.
        quality: Vec<String>,
        /// 周囲の状況.
        context: Vec<String>,
    },
    /// The conference worksheet.
    ConferenceSheet {
        /// Looking forward or back (changes the headings only).
        view: SheetView,
        /// 医学的・標準的な最善の判断と、これまでの医療・ケアの対応.
        medical: String,
        /// 本人の思い.
        person: String,
        /// 家族の思い.
        family: String,
        /// 本人の人生にとっての最善.
        best: String,
        /// 家族への配慮.
        family_care: String,
        /// 次の行動.
        next: String,
    },
    /// The option grid, filled in for the person and for the family, in that order.
    DecisionTable {
        /// Exactly two views: `person`, then `family`.
        views: Vec<DecisionView>,
    },
    /// The cards a table ranked, most important first.
    ValuesRanking {
        /// At most `top` picks, no card twice.
        picks: Vec<Pick>,
    },
    /// What each person wants and fears, and where they disagree.
    StakeholderMap {
        /// One entry per person filled in, each person at most once.
        entries: Vec<StakeholderEntry>,
    },
    /// The four abilities, each rated with evidence.
    CapacityCheck {
        /// All four abilities.
        items: CapacityItems,
    },
    /// Who does what by when.
    ActionPlan {
        /// At most [`LIST_MAX`](crate::content::LIST_MAX) rows.
        rows: Vec<PlanRow>,
    },
    /// The group-work report of the real meetings: headed lists as the group wrote
    /// them, in the group's order.
    ThreeField {
        /// The curriculum's headings the group wrote under, and headings of its own.
        lists: Vec<HeadedList>,
    },
}

/// One headed list of a three-field report: under one of the curriculum's headings
/// (`of`) or under a heading the group wrote itself (`heading`); exactly one is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadedList {
    /// The curriculum heading's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// A heading of the group's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// What the group wrote under it, lines as typed.
    pub text: String,
}

impl HeadedList {
    /// A list under the curriculum heading `of`.
    pub fn of(of: &str, text: impl Into<String>) -> HeadedList {
        HeadedList {
            of: Some(of.to_string()),
            heading: None,
            text: text.into(),
        }
    }

    /// A list under a heading of the group's own.
    pub fn own(heading: &str, text: impl Into<String>) -> HeadedList {
        HeadedList {
            of: None,
            heading: Some(heading.to_string()),
            text: text.into(),
        }
    }

    /// How an analyst reads this list when its prompt is not at hand: the default
    /// headings by their id, any other by its words.
    pub fn role_by_id(&self) -> crate::content::ListRole {
        use crate::content::ListRole;
        match (self.of.as_deref(), &self.heading) {
            (Some("worked"), _) => ListRole::Worked,
            (Some("hard"), _) => ListRole::Hard,
            (Some("measures"), _) => ListRole::Measures,
            (Some(other), _) => ListRole::guess(other),
            (None, Some(heading)) => ListRole::guess(heading),
            (None, None) => ListRole::Other,
        }
    }

    /// The heading as a reader of `lang` sees it, and how an analyst reads it.
    pub fn heading(
        &self,
        prompt: &crate::content::Prompt,
        lang: crate::lang::Lang,
    ) -> (String, crate::content::ListRole) {
        use crate::content::{ListRole, PromptKind};
        if let Some(own) = &self.heading {
            return (own.clone(), ListRole::guess(own));
        }
        let id = self.of.as_deref().unwrap_or_default();
        if let PromptKind::ThreeField { headings, .. } = &prompt.kind
            && let Some(h) = headings.iter().find(|h| h.id == id)
        {
            return (h.label(lang), h.role);
        }
        (id.to_string(), ListRole::Other)
    }
}

impl Answer {
    /// Upgrades stored JSON of an older shape to this version's, in place: a
    /// three-field answer stored as `worked`/`hard`/`measures` becomes three headed
    /// lists under the default headings (empty ones left out).
    pub fn upgrade(value: &mut serde_json::Value) {
        let Some(map) = value.as_object_mut() else {
            return;
        };
        if map.get("kind").and_then(|k| k.as_str()) != Some("three-field")
            || map.contains_key("lists")
        {
            return;
        }
        let mut lists = Vec::new();
        for id in crate::content::THREE_FIELDS {
            match map.remove(id) {
                Some(serde_json::Value::String(text)) if !text.trim().is_empty() => {
                    lists.push(serde_json::json!({"of": id, "text": text}));
                }
                Some(serde_json::Value::String(_)) => {}
                Some(other) => {
                    // Not the old shape after all: leave it as it was.
                    map.insert(id.to_string(), other);
                    return;
                }
                None => {}
            }
        }
        map.insert("lists".into(), serde_json::Value::Array(lists));
    }
}

/// Whose view of the options a decision-table view holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewWho {
    /// 本人.
    Person,
    /// The family member named by the prompt (家族 by default).
    Family,
}

impl ViewWho {
    /// Both views in stored order, with their form-field prefixes.
    pub const ALL: [(ViewWho, &'static str); 2] =
        [(ViewWho::Person, "person"), (ViewWho::Family, "family")];
}

/// One person's weighing of the options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionView {
    /// Whose view.
    pub who: ViewWho,
    /// One per option of the prompt, in the same order: equal detail for each.
    pub options: Vec<OptionView>,
    /// The option this person leans to, if any.
    pub leaning: Option<usize>,
    /// SURE: Sure, Understand, Risk-benefit, Encouragement; `None` until answered.
    pub sure: [Option<bool>; 4],
}

impl DecisionView {
    /// True when all four SURE items are answered and at most three are "yes":
    /// the Ottawa screen for decisional conflict.
    pub fn conflict(&self) -> bool {
        self.sure.iter().all(Option::is_some) && self.sure_yes() <= 3
    }

    /// How many SURE items are answered "yes".
    pub fn sure_yes(&self) -> usize {
        self.sure.iter().filter(|s| **s == Some(true)).count()
    }
}

/// Benefits and harms of one option, each with how much it matters (1–5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionView {
    /// Good things about the option.
    pub benefits: String,
    /// Bad things and risks.
    pub harms: String,
    /// How much the benefits matter, 1–5.
    pub benefit_weight: Option<u8>,
    /// How much the harms matter, 1–5.
    pub harm_weight: Option<u8>,
}

/// One ranked card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pick {
    /// Index into the prompt's deck.
    pub card: usize,
    /// Why it matters, at most [`ITEM_MAX`] characters.
    pub reason: String,
}

/// One person on a stakeholder map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakeholderEntry {
    /// A key from the prompt's people (`patient`, `family:0`, `profession:msw`, `item:2`).
    pub who: String,
    /// What they want.
    pub wants: String,
    /// What they fear.
    pub fears: String,
    /// 異論・意見の違い: recorded, never hidden.
    pub dissent: String,
}

/// The four abilities of a capacity check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityItems {
    /// 理解.
    pub understanding: CapacityItem,
    /// 認識.
    pub appreciation: CapacityItem,
    /// 論理的思考.
    pub reasoning: CapacityItem,
    /// 表明.
    pub expressing: CapacityItem,
}

impl CapacityItems {
    /// The items in [`crate::content::model::ABILITIES`] order.
    pub fn all(&self) -> [&CapacityItem; 4] {
        [
            &self.understanding,
            &self.appreciation,
            &self.reasoning,
            &self.expressing,
        ]
    }

    fn all_mut(&mut self) -> [&mut CapacityItem; 4] {
        [
            &mut self.understanding,
            &mut self.appreciation,
            &mut self.reasoning,
            &mut self.expressing,
        ]
    }
}

/// One ability: how it looks, and what in the scene shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityItem {
    /// `None` until the table has judged it.
    pub rating: Option<Rating>,
    /// Evidence from the scene.
    pub evidence: String,
}

/// How well an ability is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// 保たれている.
    Kept,
    /// 部分的.
    Partial,
    /// 難しい.
    Impaired,
    /// 判断できない.
    Unknown,
}

impl Rating {
    /// Every rating with its id.
    pub const ALL: [(&'static str, Rating); 4] = [
        ("kept", Rating::Kept),
        ("partial", Rating::Partial),
        ("impaired", Rating::Impaired),
        ("unknown", Rating::Unknown),
    ];
}

/// One row of an action plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRow {
    /// A profession id, a person key (`patient`, `family:0`), or `other:<name>`.
    pub who: String,
    /// What they do.
    pub what: String,
    /// By when.
    pub when: String,
}

impl Answer {
    /// The six texts of a conference sheet in [`SHEET_FIELDS`](crate::content::SHEET_FIELDS) order (empty for other kinds).
    fn sheet_texts(&self) -> Vec<&String> {
        match self {
            Answer::ConferenceSheet {
                medical,
                person,
                family,
                best,
                family_care,
                next,
                ..
            } => vec![medical, person, family, best, family_care, next],
            _ => Vec::new(),
        }
    }
}

/// Typed text is cleaned by the one cleaning path (see [`crate::text`]).
pub use crate::text::clean_text;

#[cfg(test)]
pub(crate) mod fixtures {
    //! Prompts and answers the tests of every part share.

    use super::*;
    use crate::content::{Markdown, Prompt, PromptKind};

    pub(crate) fn prompt(kind: PromptKind) -> Prompt {
        Prompt {
            id: "q".into(),
            title: "問い".into(),
            help: Markdown::default(),
            kind,
            line: 1,
        }
    }

    pub(crate) fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    pub(crate) fn person(key: &str, label: &str) -> crate::content::Person {
        crate::content::Person {
            key: key.into(),
            label: label.into(),
            profession: None,
        }
    }

    /// One prompt of every structured kind, small enough to read.
    pub(crate) fn structured() -> Vec<Prompt> {
        vec![
            prompt(PromptKind::FourBox {}),
            prompt(PromptKind::ConferenceSheet {
                view: SheetView::Forward,
                max: 50,
            }),
            prompt(PromptKind::DecisionTable {
                options: vec!["胃ろう".into(), "経口".into()],
                family: "長男".into(),
                max: 50,
            }),
            prompt(PromptKind::ValuesRanking {
                cards: vec!["家".into(), "痛み".into(), "家族".into()],
                top: 2,
            }),
            prompt(PromptKind::StakeholderMap {
                people: vec![person("patient", "花子"), person("family:0", "長男")],
                max: 50,
            }),
            prompt(PromptKind::CapacityCheck { max: 50 }),
            prompt(PromptKind::ActionPlan {
                people: vec![person("patient", "花子"), person("family:0", "長男")],
                roles: Vec::new(),
            }),
            prompt(PromptKind::ThreeField {
                max: 50,
                headings: crate::content::ListHeading::defaults(),
            }),
        ]
    }

    /// A full answer for each prompt of [`structured`].
    pub(crate) fn answers() -> Vec<Answer> {
        let option = |b: &str, w: Option<u8>| OptionView {
            benefits: b.into(),
            harms: format!("{b}の害"),
            benefit_weight: w,
            harm_weight: None,
        };
        vec![
            Answer::FourBox {
                medical: vec!["誤嚥性肺炎".into(), "心不全".into()],
                preferences: vec!["家にいたい".into()],
                quality: vec![],
                context: vec!["長男が反対".into()],
            },
            Answer::ConferenceSheet {
                view: SheetView::Back,
                medical: "医学".into(),
                person: "本人".into(),
                family: "家族".into(),
                best: "最善".into(),
                family_care: "配慮".into(),
                next: "次".into(),
            },
            Answer::DecisionTable {
                views: vec![
                    DecisionView {
                        who: ViewWho::Person,
                        options: vec![option("栄養", Some(4)), option("味わう", None)],
                        leaning: Some(1),
                        sure: [Some(true), Some(true), Some(false), Some(true)],
                    },
                    DecisionView {
                        who: ViewWho::Family,
                        options: vec![option("長生き", Some(5)), option("", None)],
                        leaning: None,
                        sure: [Some(true), None, None, None],
                    },
                ],
            },
            Answer::ValuesRanking {
                picks: vec![
                    Pick {
                        card: 2,
                        reason: "迷惑をかけたくない".into(),
                    },
                    Pick {
                        card: 0,
                        reason: String::new(),
                    },
                ],
            },
            Answer::StakeholderMap {
                entries: vec![StakeholderEntry {
                    who: "family:0".into(),
                    wants: "長生き".into(),
                    fears: "後悔".into(),
                    dissent: "長女と意見が違う".into(),
                }],
            },
            Answer::CapacityCheck {
                items: CapacityItems {
                    understanding: CapacityItem {
                        rating: Some(Rating::Partial),
                        evidence: "説明に頷く".into(),
                    },
                    ..CapacityItems::default()
                },
            },
            Answer::ActionPlan {
                rows: vec![
                    PlanRow {
                        who: "visiting-nurse".into(),
                        what: "訪問を増やす".into(),
                        when: "来週".into(),
                    },
                    PlanRow {
                        who: "other:近所の友人".into(),
                        what: "見守り".into(),
                        when: String::new(),
                    },
                ],
            },
            Answer::ThreeField {
                lists: vec![
                    HeadedList::of("worked", "顔の見える関係"),
                    HeadedList::own("（今後に向けて）", "年2回の研修"),
                    HeadedList::of("measures", "連絡票"),
                ],
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::fixtures::*;

    #[test]
    fn stored_json_has_the_documented_shape() {
        let json = serde_json::to_value(&answers()[2]).expect("json");
        assert_eq!(json["kind"], "decision-table");
        assert_eq!(json["views"][0]["who"], "person");
        assert_eq!(json["views"][1]["who"], "family");
        assert_eq!(json["views"][0]["options"][0]["benefit_weight"], 4);
        assert!(json["views"][0]["options"][0]["harm_weight"].is_null());
        assert_eq!(json["views"][0]["sure"][2], false);
        assert!(json["views"][1]["sure"][1].is_null());
        let json = serde_json::to_value(&answers()[5]).expect("json");
        assert_eq!(json["items"]["understanding"]["rating"], "partial");
        assert!(json["items"]["expressing"]["rating"].is_null());
        let json = serde_json::to_value(&answers()[1]).expect("json");
        assert_eq!(json["view"], "back");
        assert_eq!(json["family_care"], "配慮");
    }

    #[test]
    fn sure_flags_conflict_only_when_all_four_are_answered() {
        let Answer::DecisionTable { views } = &answers()[2] else {
            panic!("decision table")
        };
        assert!(views[0].conflict(), "three yes and one no is a conflict");
        assert!(!views[1].conflict(), "unanswered items are not a conflict");
        let all_yes = DecisionView {
            sure: [Some(true); 4],
            ..views[0].clone()
        };
        assert!(!all_yes.conflict());
    }
}
