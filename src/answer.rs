//! A table's answer to a prompt: decoded from a form, checked against the prompt's
//! shape, and stored as structured JSON (never one blob of text).
//!
//! Each prompt kind has its own answer shape, tagged with `kind`. The table screen
//! posts plain HTML forms; field names follow the JSON shape (`medical`,
//! `person.0.benefits`, `picks.1.card`, `rows.2.what`…), so a script can serialize
//! the same forms generically. Structured kinds refuse fields they do not know, lists
//! longer than [`LIST_MAX`] and texts over their limit: nothing is cut silently.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::content::{
    ABILITIES, FOUR_BOXES, LIST_MAX, Profession, Prompt, PromptKind, SHEET_FIELDS, SheetView,
    THREE_FIELDS,
};

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
        /// At most [`LIST_MAX`] rows.
        rows: Vec<PlanRow>,
    },
    /// The group-work report of the real meetings.
    ThreeField {
        /// 特に効果があった取り組み.
        worked: String,
        /// 苦労した点.
        hard: String,
        /// 具体的方策.
        measures: String,
    },
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
    /// The items in [`ABILITIES`] order.
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
    pub fn message(&self, lang: &str) -> (&'static str, Vec<String>) {
        let label = |key: &str| {
            crate::i18n::text(crate::lang::Lang::from_code(lang), key)
                .unwrap_or(key)
                .to_string()
        };
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
            Self::Malformed => ("err.form", Vec::new()),
        }
    }
}

/// The posted fields of one answer form, with the checks every kind shares.
struct Fields<'f> {
    form: &'f [(String, String)],
}

impl<'f> Fields<'f> {
    /// Refuses any field besides `prompt`, `base` and those `known` accepts.
    fn only(&self, known: impl Fn(&str) -> bool) -> Result<(), AnswerError> {
        match self
            .form
            .iter()
            .find(|(k, _)| k != "prompt" && k != "base" && !known(k))
        {
            Some(_) => Err(AnswerError::Malformed),
            None => Ok(()),
        }
    }

    /// The value of a field that may appear at most once.
    fn get(&self, name: &str) -> Result<Option<&'f str>, AnswerError> {
        let mut found = self.form.iter().filter(|(k, _)| k == name);
        let first = found.next().map(|(_, v)| v.as_str());
        if found.next().is_some() {
            return Err(AnswerError::Malformed);
        }
        Ok(first)
    }

    /// The value of a field that must appear exactly once.
    fn need(&self, name: &str) -> Result<&'f str, AnswerError> {
        self.get(name)?.ok_or(AnswerError::Malformed)
    }

    /// Fields named `{prefix}.{n}.{part}`, grouped by `n` in order. An index at or past
    /// `limit` is refused as `too_many`.
    fn indexed(
        &self,
        prefix: &str,
        limit: usize,
        too_many: AnswerError,
    ) -> Result<BTreeMap<usize, BTreeMap<&'f str, &'f str>>, AnswerError> {
        let mut groups: BTreeMap<usize, BTreeMap<&str, &str>> = BTreeMap::new();
        for (name, value) in self.form {
            let Some(rest) = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) else {
                continue;
            };
            let (n, part) = rest.split_once('.').ok_or(AnswerError::Malformed)?;
            let n = index(n)?;
            if n >= limit {
                return Err(too_many);
            }
            if groups
                .entry(n)
                .or_default()
                .insert(part, value.as_str())
                .is_some()
            {
                return Err(AnswerError::Malformed);
            }
        }
        Ok(groups)
    }
}

/// A list index as written in a field name: plain decimal digits only.
fn index(text: &str) -> Result<usize, AnswerError> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AnswerError::Malformed);
    }
    text.parse().map_err(|_| AnswerError::Malformed)
}

/// Text from a one-line field: cleaned, line breaks folded, both ends trimmed.
fn line(text: &str) -> String {
    clean_text(text)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One item per line, blank lines dropped.
fn items(text: &str) -> Vec<String> {
    clean_text(text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// An optional whole number from a select: empty means not given.
fn optional_number<T: std::str::FromStr>(value: Option<&str>) -> Result<Option<T>, AnswerError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AnswerError::Malformed),
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

/// The i18n key of a four-box box label.
fn box_label(name: &str) -> &'static str {
    match name {
        "medical" => "kinds.box.medical",
        "preferences" => "kinds.box.preferences",
        "quality" => "kinds.box.quality",
        _ => "kinds.box.context",
    }
}

/// The i18n key of a conference-sheet field label (forward view).
fn sheet_label(name: &str) -> &'static str {
    match name {
        "medical" => "kinds.sheet.forward.medical",
        "person" => "kinds.sheet.forward.person",
        "family" => "kinds.sheet.forward.family",
        "best" => "kinds.sheet.forward.best",
        "family_care" => "kinds.sheet.forward.family_care",
        _ => "kinds.sheet.forward.next",
    }
}

/// The i18n key of a three-field label.
fn three_label(name: &str) -> &'static str {
    match name {
        "worked" => "kinds.three.worked",
        "hard" => "kinds.three.hard",
        _ => "kinds.three.measures",
    }
}

impl Answer {
    /// Decodes the posted form for `prompt` and checks it against the prompt's shape.
    pub fn from_form(prompt: &Prompt, form: &[(String, String)]) -> Result<Answer, AnswerError> {
        fn values<'f>(
            form: &'f [(String, String)],
            name: &'f str,
        ) -> impl Iterator<Item = &'f str> {
            form.iter()
                .filter(move |(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }
        let fields = Fields { form };
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
            PromptKind::FourBox {} => {
                fields.only(|k| FOUR_BOXES.contains(&k))?;
                let b = |name| fields.need(name).map(items);
                Answer::FourBox {
                    medical: b("medical")?,
                    preferences: b("preferences")?,
                    quality: b("quality")?,
                    context: b("context")?,
                }
            }
            PromptKind::ConferenceSheet { view, .. } => {
                fields.only(|k| k == "view" || SHEET_FIELDS.contains(&k))?;
                let view = match fields.get("view")? {
                    None => *view,
                    Some(v) => SheetView::parse(v.trim()).ok_or(AnswerError::Malformed)?,
                };
                let f = |name| fields.need(name).map(clean_text);
                Answer::ConferenceSheet {
                    view,
                    medical: f("medical")?,
                    person: f("person")?,
                    family: f("family")?,
                    best: f("best")?,
                    family_care: f("family_care")?,
                    next: f("next")?,
                }
            }
            PromptKind::DecisionTable { options, .. } => {
                let known = |k: &str| {
                    ViewWho::ALL.iter().any(|(_, v)| {
                        k.strip_prefix(v)
                            .and_then(|r| r.strip_prefix('.'))
                            .is_some_and(|rest| {
                                rest == "leaning"
                                    || rest
                                        .strip_prefix("sure.")
                                        .is_some_and(|n| matches!(n, "0" | "1" | "2" | "3"))
                                    || rest.split_once('.').is_some_and(|(i, part)| {
                                        index(i).is_ok_and(|i| i < options.len())
                                            && matches!(
                                                part,
                                                "benefits"
                                                    | "harms"
                                                    | "benefit_weight"
                                                    | "harm_weight"
                                            )
                                    })
                            })
                    })
                };
                fields.only(known)?;
                let mut views = Vec::new();
                for (who, prefix) in ViewWho::ALL {
                    let mut option_views = Vec::new();
                    for i in 0..options.len() {
                        let name = |part: &str| format!("{prefix}.{i}.{part}");
                        option_views.push(OptionView {
                            benefits: clean_text(fields.need(&name("benefits"))?),
                            harms: clean_text(fields.need(&name("harms"))?),
                            benefit_weight: optional_number(fields.get(&name("benefit_weight"))?)?,
                            harm_weight: optional_number(fields.get(&name("harm_weight"))?)?,
                        });
                    }
                    let mut sure = [None; 4];
                    for (k, slot) in sure.iter_mut().enumerate() {
                        *slot = match fields.get(&format!("{prefix}.sure.{k}"))?.map(str::trim) {
                            None | Some("") => None,
                            Some("yes") => Some(true),
                            Some("no") => Some(false),
                            Some(_) => return Err(AnswerError::Malformed),
                        };
                    }
                    views.push(DecisionView {
                        who,
                        options: option_views,
                        leaning: optional_number(fields.get(&format!("{prefix}.leaning"))?)?,
                        sure,
                    });
                }
                Answer::DecisionTable { views }
            }
            PromptKind::ValuesRanking { top, .. } => {
                fields.only(|k| k.starts_with("picks."))?;
                let ranks =
                    fields.indexed("picks", *top, AnswerError::TooManyPicks { top: *top })?;
                let mut picks = Vec::new();
                for (rank, parts) in ranks {
                    if parts.keys().any(|k| !matches!(*k, "card" | "reason")) {
                        return Err(AnswerError::Malformed);
                    }
                    let reason = line(parts.get("reason").copied().unwrap_or(""));
                    match optional_number::<usize>(parts.get("card").copied())
                        .map_err(|_| AnswerError::UnknownCard)?
                    {
                        Some(card) => picks.push(Pick { card, reason }),
                        None if reason.is_empty() => {}
                        None => return Err(AnswerError::ReasonWithoutCard { rank: rank + 1 }),
                    }
                }
                Answer::ValuesRanking { picks }
            }
            PromptKind::StakeholderMap { .. } => {
                fields.only(|k| k.starts_with("entries."))?;
                let groups = fields.indexed(
                    "entries",
                    LIST_MAX,
                    AnswerError::TooManyItems {
                        field: "kinds.map.title",
                        count: LIST_MAX + 1,
                        max: LIST_MAX,
                    },
                )?;
                let mut entries = Vec::new();
                for parts in groups.into_values() {
                    if parts
                        .keys()
                        .any(|k| !matches!(*k, "who" | "wants" | "fears" | "dissent"))
                    {
                        return Err(AnswerError::Malformed);
                    }
                    let text = |k: &str| clean_text(parts.get(k).copied().unwrap_or(""));
                    let entry = StakeholderEntry {
                        who: parts
                            .get("who")
                            .ok_or(AnswerError::Malformed)?
                            .trim()
                            .to_string(),
                        wants: text("wants"),
                        fears: text("fears"),
                        dissent: text("dissent"),
                    };
                    // A person the table left blank is not on the map.
                    if !(entry.wants.is_empty()
                        && entry.fears.is_empty()
                        && entry.dissent.is_empty())
                    {
                        entries.push(entry);
                    }
                }
                Answer::StakeholderMap { entries }
            }
            PromptKind::CapacityCheck { .. } => {
                fields.only(|k| {
                    k.split_once('.').is_some_and(|(a, part)| {
                        ABILITIES.contains(&a) && matches!(part, "rating" | "evidence")
                    })
                })?;
                let mut items = CapacityItems::default();
                for (ability, item) in ABILITIES.iter().zip(items.all_mut()) {
                    item.rating = match fields.get(&format!("{ability}.rating"))?.map(str::trim) {
                        None | Some("") => None,
                        Some(v) => Some(
                            Rating::ALL
                                .iter()
                                .find(|(id, _)| *id == v)
                                .map(|(_, r)| *r)
                                .ok_or(AnswerError::Malformed)?,
                        ),
                    };
                    item.evidence = clean_text(fields.need(&format!("{ability}.evidence"))?);
                }
                Answer::CapacityCheck { items }
            }
            PromptKind::ActionPlan { .. } => {
                fields.only(|k| k.starts_with("rows."))?;
                let groups = fields.indexed(
                    "rows",
                    LIST_MAX,
                    AnswerError::TooManyItems {
                        field: "kinds.plan.title",
                        count: LIST_MAX + 1,
                        max: LIST_MAX,
                    },
                )?;
                let mut rows = Vec::new();
                for (n, parts) in groups {
                    if parts
                        .keys()
                        .any(|k| !matches!(*k, "who" | "who_other" | "what" | "when"))
                    {
                        return Err(AnswerError::Malformed);
                    }
                    let get = |k: &str| line(parts.get(k).copied().unwrap_or(""));
                    let (chosen, typed, what, when) =
                        (get("who"), get("who_other"), get("what"), get("when"));
                    if chosen.is_empty() && typed.is_empty() && what.is_empty() && when.is_empty() {
                        continue;
                    }
                    let row = n + 1;
                    let who = match (chosen.as_str(), typed.is_empty()) {
                        ("" | "other", false) => format!("other:{typed}"),
                        (_, false) => return Err(AnswerError::WhoTwice { row }),
                        ("" | "other", true) => return Err(AnswerError::IncompleteRow { row }),
                        (chosen, true) => chosen.to_string(),
                    };
                    if what.is_empty() {
                        return Err(AnswerError::IncompleteRow { row });
                    }
                    rows.push(PlanRow { who, what, when });
                }
                Answer::ActionPlan { rows }
            }
            PromptKind::ThreeField { .. } => {
                fields.only(|k| THREE_FIELDS.contains(&k))?;
                let f = |name| fields.need(name).map(clean_text);
                Answer::ThreeField {
                    worked: f("worked")?,
                    hard: f("hard")?,
                    measures: f("measures")?,
                }
            }
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
            (Answer::ActionPlan { rows }, PromptKind::ActionPlan { people }) => {
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
                            let known = Profession::find(&row.who).is_some()
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
            (
                Answer::ThreeField {
                    worked,
                    hard,
                    measures,
                },
                PromptKind::ThreeField { max },
            ) => {
                for (name, text) in THREE_FIELDS.iter().zip([worked, hard, measures]) {
                    limit(text, three_label(name), *max)?;
                }
            }
            _ => return Err(AnswerError::Malformed),
        }
        Ok(())
    }

    /// The six texts of a conference sheet in [`SHEET_FIELDS`] order (empty for other kinds).
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

    /// The form fields that would post this answer again (the conflict page re-sends a
    /// refused save with them).
    pub fn to_form(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut put = |k: String, v: String| out.push((k, v));
        match self {
            Answer::Text { text } => put("text".into(), text.clone()),
            Answer::Choice { selected } => {
                for i in selected {
                    put("choice".into(), i.to_string());
                }
            }
            Answer::Scale { value } => put("value".into(), value.to_string()),
            Answer::FourBox {
                medical,
                preferences,
                quality,
                context,
            } => {
                for (name, list) in FOUR_BOXES
                    .iter()
                    .zip([medical, preferences, quality, context])
                {
                    put(name.to_string(), list.join("\n"));
                }
            }
            Answer::ConferenceSheet { view, .. } => {
                put(
                    "view".into(),
                    if *view == SheetView::Back {
                        "back"
                    } else {
                        "forward"
                    }
                    .into(),
                );
                for (name, text) in SHEET_FIELDS.iter().zip(self.sheet_texts()) {
                    put(name.to_string(), text.clone());
                }
            }
            Answer::DecisionTable { views } => {
                for (view, (_, prefix)) in views.iter().zip(ViewWho::ALL) {
                    let number = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
                    for (i, o) in view.options.iter().enumerate() {
                        put(format!("{prefix}.{i}.benefits"), o.benefits.clone());
                        put(format!("{prefix}.{i}.harms"), o.harms.clone());
                        put(
                            format!("{prefix}.{i}.benefit_weight"),
                            number(o.benefit_weight),
                        );
                        put(format!("{prefix}.{i}.harm_weight"), number(o.harm_weight));
                    }
                    put(
                        format!("{prefix}.leaning"),
                        view.leaning.map(|l| l.to_string()).unwrap_or_default(),
                    );
                    for (k, s) in view.sure.iter().enumerate() {
                        let v = match s {
                            Some(true) => "yes",
                            Some(false) => "no",
                            None => "",
                        };
                        put(format!("{prefix}.sure.{k}"), v.into());
                    }
                }
            }
            Answer::ValuesRanking { picks } => {
                for (r, pick) in picks.iter().enumerate() {
                    put(format!("picks.{r}.card"), pick.card.to_string());
                    put(format!("picks.{r}.reason"), pick.reason.clone());
                }
            }
            Answer::StakeholderMap { entries } => {
                for (j, e) in entries.iter().enumerate() {
                    put(format!("entries.{j}.who"), e.who.clone());
                    put(format!("entries.{j}.wants"), e.wants.clone());
                    put(format!("entries.{j}.fears"), e.fears.clone());
                    put(format!("entries.{j}.dissent"), e.dissent.clone());
                }
            }
            Answer::CapacityCheck { items } => {
                for (ability, item) in ABILITIES.iter().zip(items.all()) {
                    let rating = Rating::ALL
                        .iter()
                        .find(|(_, r)| Some(*r) == item.rating)
                        .map_or("", |(id, _)| id);
                    put(format!("{ability}.rating"), rating.into());
                    put(format!("{ability}.evidence"), item.evidence.clone());
                }
            }
            Answer::ActionPlan { rows } => {
                for (j, row) in rows.iter().enumerate() {
                    match row.who.strip_prefix("other:") {
                        Some(name) => {
                            put(format!("rows.{j}.who"), "other".into());
                            put(format!("rows.{j}.who_other"), name.to_string());
                        }
                        None => {
                            put(format!("rows.{j}.who"), row.who.clone());
                            put(format!("rows.{j}.who_other"), String::new());
                        }
                    }
                    put(format!("rows.{j}.what"), row.what.clone());
                    put(format!("rows.{j}.when"), row.when.clone());
                }
            }
            Answer::ThreeField {
                worked,
                hard,
                measures,
            } => {
                for (name, text) in THREE_FIELDS.iter().zip([worked, hard, measures]) {
                    put(name.to_string(), text.clone());
                }
            }
        }
        out
    }

    /// The answer as plain text lines, for places that cannot draw structure.
    pub fn plain(&self, prompt: &Prompt) -> String {
        self.plain_in(prompt, "ja")
    }

    /// The answer as plain text lines with labels in `lang`.
    pub fn plain_in(&self, prompt: &Prompt, lang: &str) -> String {
        let t = |key: &str| {
            crate::i18n::text(crate::lang::Lang::from_code(lang), key)
                .unwrap_or(key)
                .to_string()
        };
        let section = |label: &str, body: &str| format!("【{label}】\n{body}");
        let person = |key: &str| person_label(prompt, key, lang);
        let out: Vec<String> = match (self, &prompt.kind) {
            (Answer::Text { text }, _) => vec![text.clone()],
            (Answer::Choice { selected }, PromptKind::Choice { options, .. }) => vec![
                selected
                    .iter()
                    .filter_map(|i| options.get(*i))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" / "),
            ],
            (Answer::Scale { value }, PromptKind::Scale { max, .. }) => {
                vec![format!("{value} / {max}")]
            }
            // Boxes and fields read the same in both: a section per labelled field.
            (Answer::FourBox { .. } | Answer::ThreeField { .. }, _) => self
                .fields_in(prompt, lang)
                .iter()
                .map(|f| section(&f.label, &f.text))
                .collect(),
            (Answer::ConferenceSheet { view, .. }, _) => {
                let view_id = if *view == SheetView::Back {
                    "back"
                } else {
                    "forward"
                };
                let mut out = vec![t(&format!("kinds.sheet.view.{view_id}")).to_string()];
                out.extend(
                    SHEET_FIELDS
                        .iter()
                        .zip(self.sheet_texts())
                        .map(|(name, text)| {
                            section(&t(&format!("kinds.sheet.{view_id}.{name}")), text)
                        }),
                );
                out
            }
            (
                Answer::DecisionTable { views },
                PromptKind::DecisionTable {
                    options, family, ..
                },
            ) => {
                let mut out = Vec::new();
                for view in views {
                    let who = match view.who {
                        ViewWho::Person => t("kinds.grid.person").to_string(),
                        ViewWho::Family if family.is_empty() => {
                            t("kinds.grid.family_default").to_string()
                        }
                        ViewWho::Family => family.clone(),
                    };
                    let mut lines = Vec::new();
                    for (label, o) in options.iter().zip(&view.options) {
                        let w = |n: Option<u8>| n.map(|n| format!("（{n}）")).unwrap_or_default();
                        lines.push(format!(
                            "◆{label}\n  {}{}: {}\n  {}{}: {}",
                            t("kinds.grid.benefits"),
                            w(o.benefit_weight),
                            o.benefits,
                            t("kinds.grid.harms"),
                            w(o.harm_weight),
                            o.harms
                        ));
                    }
                    if let Some(label) = view.leaning.and_then(|l| options.get(l)) {
                        lines.push(format!("{}: {label}", t("kinds.grid.leaning")));
                    }
                    lines.push(format!(
                        "SURE {}/4{}",
                        view.sure_yes(),
                        if view.conflict() {
                            format!(" {}", t("kinds.grid.conflict"))
                        } else {
                            String::new()
                        }
                    ));
                    out.push(section(&who, &lines.join("\n")));
                }
                out
            }
            (Answer::ValuesRanking { picks }, PromptKind::ValuesRanking { cards, .. }) => picks
                .iter()
                .enumerate()
                .map(|(r, p)| {
                    let card = cards.get(p.card).map_or("", String::as_str);
                    if p.reason.is_empty() {
                        format!("{}. {card}", r + 1)
                    } else {
                        format!("{}. {card}（{}）", r + 1, p.reason)
                    }
                })
                .collect(),
            (Answer::StakeholderMap { entries }, _) => entries
                .iter()
                .map(|e| {
                    let mut lines = Vec::new();
                    for (key, text) in [
                        ("kinds.map.wants", &e.wants),
                        ("kinds.map.fears", &e.fears),
                        ("kinds.map.dissent", &e.dissent),
                    ] {
                        if !text.is_empty() {
                            lines.push(format!("{}: {text}", t(key)));
                        }
                    }
                    section(&person(&e.who), &lines.join("\n"))
                })
                .collect(),
            (Answer::CapacityCheck { items }, _) => ABILITIES
                .iter()
                .zip(items.all())
                .map(|(ability, item)| {
                    let rating = Rating::ALL
                        .iter()
                        .find(|(_, r)| Some(*r) == item.rating)
                        .map_or("kinds.cap.unrated".to_string(), |(id, _)| {
                            format!("kinds.cap.{id}")
                        });
                    format!(
                        "{}: {}{}",
                        t(&format!("kinds.cap.{ability}")),
                        t(&rating),
                        if item.evidence.is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", item.evidence)
                        }
                    )
                })
                .collect(),
            (Answer::ActionPlan { rows }, _) => rows
                .iter()
                .map(|r| {
                    let when = if r.when.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", r.when)
                    };
                    format!("{}: {}{when}", person(&r.who), r.what)
                })
                .collect(),
            _ => Vec::new(),
        };
        out.join("\n")
    }
}

/// One labelled part of an answer, as plain text: a row of a spreadsheet export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerField {
    /// What the part is (`医学的適応`, `本人の視点 / 選択肢A / 利点（よいこと）`); empty for
    /// a one-part answer (a text, a choice, a scale).
    pub label: String,
    /// What the table wrote or chose; list items one per line.
    pub text: String,
}

impl Answer {
    /// The answer flattened into labelled parts with labels in `lang`, one for every field
    /// of its kind (empty ones too, so tables line up), in the order the screens show them.
    pub fn fields_in(&self, prompt: &Prompt, lang: &str) -> Vec<AnswerField> {
        let t = |key: &str| {
            crate::i18n::text(crate::lang::Lang::from_code(lang), key)
                .unwrap_or(key)
                .to_string()
        };
        let f = |key: &str, arg: String| {
            crate::i18n::format(crate::lang::Lang::from_code(lang), key, &[arg])
        };
        let field = |label: String, text: String| AnswerField { label, text };
        let path = |parts: &[&str]| parts.join(" / ");
        let rating = |r: Option<Rating>| {
            let id = Rating::ALL
                .iter()
                .find(|(_, x)| Some(*x) == r)
                .map_or("unrated", |(id, _)| id);
            t(&format!("kinds.cap.{id}"))
        };
        match (self, &prompt.kind) {
            (
                Answer::FourBox {
                    medical,
                    preferences,
                    quality,
                    context,
                },
                _,
            ) => FOUR_BOXES
                .iter()
                .zip([medical, preferences, quality, context])
                .map(|(name, list)| {
                    let lines: Vec<String> = list.iter().map(|i| format!("・{i}")).collect();
                    field(t(box_label(name)), lines.join("\n"))
                })
                .collect(),
            (Answer::ConferenceSheet { view, .. }, _) => {
                let id = if *view == SheetView::Back {
                    "back"
                } else {
                    "forward"
                };
                let mut out = vec![field(
                    t("kinds.sheet.view"),
                    t(&format!("kinds.sheet.view.{id}")),
                )];
                out.extend(
                    SHEET_FIELDS
                        .iter()
                        .zip(self.sheet_texts())
                        .map(|(name, text)| {
                            field(t(&format!("kinds.sheet.{id}.{name}")), text.clone())
                        }),
                );
                out
            }
            (
                Answer::DecisionTable { views },
                PromptKind::DecisionTable {
                    options, family, ..
                },
            ) => {
                let mut out = Vec::new();
                for view in views {
                    let who = match view.who {
                        ViewWho::Person => t("kinds.grid.person"),
                        ViewWho::Family if family.is_empty() => t("kinds.grid.family_default"),
                        ViewWho::Family => family.clone(),
                    };
                    let who = f("kinds.grid.view", who);
                    let weighed = |w: Option<u8>, text: &str| match w {
                        Some(w) => format!("［{w}］{text}"),
                        None => text.to_string(),
                    };
                    for (option, o) in options.iter().zip(&view.options) {
                        out.push(field(
                            path(&[&who, option, &t("kinds.grid.benefits")]),
                            weighed(o.benefit_weight, &o.benefits),
                        ));
                        out.push(field(
                            path(&[&who, option, &t("kinds.grid.harms")]),
                            weighed(o.harm_weight, &o.harms),
                        ));
                    }
                    let leaning = view
                        .leaning
                        .and_then(|i| options.get(i))
                        .cloned()
                        .unwrap_or_else(|| t("kinds.grid.undecided"));
                    out.push(field(path(&[&who, &t("kinds.grid.leaning")]), leaning));
                    let sure: Vec<String> = view
                        .sure
                        .iter()
                        .zip(["S", "U", "R", "E"])
                        .map(|(s, letter)| {
                            let v = match s {
                                Some(true) => t("kinds.grid.yes"),
                                Some(false) => t("kinds.grid.no"),
                                None => t("kinds.grid.unanswered"),
                            };
                            format!("{letter} {v}")
                        })
                        .collect();
                    let mut score = f("kinds.grid.sure_score", view.sure_yes().to_string());
                    if view.conflict() {
                        score = format!("{score} {}", t("kinds.grid.conflict"));
                    }
                    out.push(field(
                        path(&[&who, "SURE"]),
                        format!("{score}（{}）", sure.join(" / ")),
                    ));
                }
                out
            }
            (Answer::ValuesRanking { picks }, PromptKind::ValuesRanking { cards, .. }) => picks
                .iter()
                .enumerate()
                .map(|(r, p)| {
                    let card = cards.get(p.card).cloned().unwrap_or_default();
                    let text = if p.reason.is_empty() {
                        card
                    } else {
                        format!("{card}（{}）", p.reason)
                    };
                    field(f("kinds.rank.rank", (r + 1).to_string()), text)
                })
                .collect(),
            (Answer::StakeholderMap { entries }, _) => entries
                .iter()
                .flat_map(|e| {
                    let who = person_label(prompt, &e.who, lang);
                    [
                        ("kinds.map.wants", &e.wants),
                        ("kinds.map.fears", &e.fears),
                        ("kinds.map.dissent", &e.dissent),
                    ]
                    .map(|(key, text)| field(path(&[&who, &t(key)]), text.clone()))
                })
                .collect(),
            (Answer::CapacityCheck { items }, _) => ABILITIES
                .iter()
                .zip(items.all())
                .flat_map(|(ability, item)| {
                    let name = t(&format!("kinds.cap.{ability}"));
                    [
                        field(path(&[&name, &t("kinds.cap.rating")]), rating(item.rating)),
                        field(
                            path(&[&name, &t("kinds.cap.evidence")]),
                            item.evidence.clone(),
                        ),
                    ]
                })
                .collect(),
            (Answer::ActionPlan { rows }, _) => rows
                .iter()
                .enumerate()
                .flat_map(|(j, r)| {
                    let row = f("kinds.plan.row", (j + 1).to_string());
                    [
                        ("kinds.plan.who", person_label(prompt, &r.who, lang)),
                        ("kinds.plan.what", r.what.clone()),
                        ("kinds.plan.when", r.when.clone()),
                    ]
                    .map(|(key, text)| field(path(&[&row, &t(key)]), text))
                })
                .collect(),
            (
                Answer::ThreeField {
                    worked,
                    hard,
                    measures,
                },
                _,
            ) => THREE_FIELDS
                .iter()
                .zip([worked, hard, measures])
                .map(|(name, text)| field(t(three_label(name)), text.clone()))
                .collect(),
            // One-part answers: the text, the chosen options, the point on the scale.
            _ => vec![field(String::new(), self.plain_in(prompt, lang))],
        }
    }
}

/// How a person key of a stakeholder map or an action plan reads in `lang`:
/// the patient, a family member, a profession, a listed person, or a typed name.
pub fn person_label(prompt: &Prompt, key: &str, lang: &str) -> String {
    let t = |key: &str| {
        crate::i18n::text(crate::lang::Lang::from_code(lang), key)
            .unwrap_or(key)
            .to_string()
    };
    if let Some(name) = key.strip_prefix("other:") {
        return name.to_string();
    }
    let people = match &prompt.kind {
        PromptKind::StakeholderMap { people, .. } | PromptKind::ActionPlan { people } => {
            &people[..]
        }
        _ => &[],
    };
    if let Some(p) = people.iter().find(|p| p.key == key) {
        if let Some(profession) = p.profession {
            return profession
                .label(crate::lang::Lang::from_code(lang))
                .to_string();
        }
        if p.key == "patient" {
            return if p.label.is_empty() {
                t("kinds.person.patient")
            } else {
                format!("{}（{}）", t("kinds.person.patient"), p.label)
            };
        }
        return p.label.clone();
    }
    let id = key.strip_prefix("profession:").unwrap_or(key);
    Profession::find(id).map_or_else(
        || key.to_string(),
        |p| p.label(crate::lang::Lang::from_code(lang)).to_string(),
    )
}

/// What a table typed into a form, as plain text, to show back when a save is refused.
pub fn typed_text(form: &[(String, String)]) -> Option<String> {
    const TEXT_PARTS: [&str; 10] = [
        "benefits",
        "harms",
        "reason",
        "wants",
        "fears",
        "dissent",
        "evidence",
        "what",
        "when",
        "who_other",
    ];
    let typed: Vec<&str> = form
        .iter()
        .filter(|(name, _)| {
            let last = name.rsplit('.').next().unwrap_or("");
            name == "text"
                || FOUR_BOXES.contains(&name.as_str())
                || SHEET_FIELDS.contains(&name.as_str())
                || THREE_FIELDS.contains(&name.as_str())
                || (name.contains('.') && TEXT_PARTS.contains(&last))
        })
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    (!typed.is_empty()).then(|| typed.join("\n\n"))
}

/// Typed text is cleaned by the one cleaning path (see [`crate::text`]).
pub use crate::text::clean_text;

/// A stored answer as pages may draw it. An answer that reads as an [`Answer`] and fits
/// `prompt` (or is plain text) is returned as stored; anything else (rows an older
/// import wrote, an answer saved under an older shape of the prompt) becomes
/// `{"kind": "unreadable", "text": <what is stored, as text>}`, which every page and
/// PDF shows as plain, escaped text instead of failing.
pub fn readable(prompt: &Prompt, stored: &serde_json::Value) -> serde_json::Value {
    if stored.is_null() || is_unreadable(stored) {
        return stored.clone();
    }
    let fits = serde_json::from_value::<Answer>(stored.clone())
        .is_ok_and(|a| matches!(a, Answer::Text { .. }) || a.check(prompt).is_ok());
    if fits {
        return stored.clone();
    }
    let text = match stored {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    serde_json::json!({ "kind": UNREADABLE, "text": text })
}

/// The `kind` of an answer [`readable`] could not read.
pub const UNREADABLE: &str = "unreadable";

/// True for the marker [`readable`] makes of an answer it could not read.
pub fn is_unreadable(value: &serde_json::Value) -> bool {
    value.get("kind").and_then(|k| k.as_str()) == Some(UNREADABLE)
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

    fn person(key: &str, label: &str) -> crate::content::Person {
        crate::content::Person {
            key: key.into(),
            label: label.into(),
            profession: None,
        }
    }

    /// One prompt of every structured kind, small enough to read.
    fn structured() -> Vec<Prompt> {
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
            }),
            prompt(PromptKind::ThreeField { max: 50 }),
        ]
    }

    /// A full answer for each prompt of [`structured`].
    fn answers() -> Vec<Answer> {
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
                worked: "顔の見える関係".into(),
                hard: "時間".into(),
                measures: "連絡票".into(),
            },
        ]
    }

    #[test]
    fn every_structured_answer_survives_its_own_form() {
        for (p, a) in structured().iter().zip(answers()) {
            a.check(p).unwrap_or_else(|e| panic!("{a:?}: {e}"));
            let mut fields = vec![
                ("prompt".to_string(), "x".to_string()),
                ("base".to_string(), "0".to_string()),
            ];
            fields.extend(a.to_form());
            assert_eq!(Answer::from_form(p, &fields), Ok(a.clone()), "{p:?}");
            // The stored JSON reads back as the same answer.
            let json = serde_json::to_value(&a).expect("json");
            assert_eq!(serde_json::from_value::<Answer>(json).expect("back"), a);
            assert!(!a.plain(p).is_empty());
        }
    }

    #[test]
    fn every_answer_flattens_into_labelled_fields() {
        let fields: Vec<Vec<AnswerField>> = structured()
            .iter()
            .zip(answers())
            .map(|(p, a)| a.fields_in(p, "ja"))
            .collect();
        let pairs = |i: usize| -> Vec<(String, String)> {
            fields[i]
                .iter()
                .map(|f| (f.label.clone(), f.text.clone()))
                .collect()
        };
        let pair = |l: &str, t: &str| (l.to_string(), t.to_string());
        // Four boxes: one field per box, empty boxes too, items one per line.
        assert_eq!(
            pairs(0),
            vec![
                pair("医学的適応", "・誤嚥性肺炎\n・心不全"),
                pair("本人の意向", "・家にいたい"),
                pair("QOL（生活の質）", ""),
                pair("周囲の状況", "・長男が反対"),
            ]
        );
        // The sheet says which way it looks, then its six fields with that view's headings.
        assert_eq!(fields[1].len(), 7);
        assert_eq!(fields[1][0].text, "振り返り（何が最善だったか）");
        assert_eq!(
            fields[1][6],
            AnswerField {
                label: "次の事例に活かすこと".into(),
                text: "次".into()
            }
        );
        // Decision table: benefits and harms per option and view, the leaning, SURE.
        let grid = pairs(2);
        assert_eq!(grid.len(), 2 * (2 * 2 + 2));
        assert_eq!(
            grid[0],
            pair("本人の視点 / 胃ろう / 利点（よいこと）", "［4］栄養")
        );
        assert_eq!(
            grid[4],
            pair("本人の視点 / 今のところ傾いている選択肢", "経口")
        );
        assert!(grid[5].1.starts_with("SURE 3/4 葛藤あり"), "{:?}", grid[5]);
        assert_eq!(grid[6].0, "長男の視点 / 胃ろう / 利点（よいこと）");
        assert_eq!(grid[10].1, "まだ決めていない");
        assert_eq!(
            pairs(3),
            vec![pair("1位", "家族（迷惑をかけたくない）"), pair("2位", "家")]
        );
        assert_eq!(
            pairs(4)[2],
            pair("長男 / 異論・意見の違い", "長女と意見が違う")
        );
        let capacity = pairs(5);
        assert_eq!(capacity.len(), 8);
        assert_eq!(capacity[0], pair("理解 / 評価", "部分的"));
        assert_eq!(capacity[1], pair("理解 / 根拠（場面から）", "説明に頷く"));
        assert_eq!(capacity[7], pair("表明 / 根拠（場面から）", ""));
        let plan = pairs(6);
        assert_eq!(plan[0], pair("1行目 / 誰が", "訪問看護師"));
        assert_eq!(plan[3], pair("2行目 / 誰が", "近所の友人"));
        assert_eq!(plan[5], pair("2行目 / いつまでに", ""));
        assert_eq!(
            pairs(7)[0],
            pair("特に効果があった取り組み", "顔の見える関係")
        );
        // English labels come from the same keys.
        let en = answers()[7].fields_in(&structured()[7], "en");
        assert_eq!(en[2].label, "Concrete measures");
        // One-part answers have one unlabelled field.
        let text = prompt(PromptKind::Text { max: 100 });
        let one = Answer::Text {
            text: "本人の思い".into(),
        }
        .fields_in(&text, "ja");
        assert_eq!(
            one,
            vec![AnswerField {
                label: String::new(),
                text: "本人の思い".into()
            }]
        );
    }

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
    fn forms_of_the_wrong_shape_are_refused() {
        let p = structured();
        let refused = |i: usize, pairs: &[(&str, &str)]| Answer::from_form(&p[i], &form(pairs));
        fn boxes(medical: &str) -> Vec<(&str, &str)> {
            vec![
                ("medical", medical),
                ("preferences", ""),
                ("quality", ""),
                ("context", ""),
            ]
        }
        assert!(refused(0, &boxes("a\n\n  b  \n")).is_ok());
        let mut extra = boxes("a");
        extra.push(("notes", "x"));
        assert_eq!(refused(0, &extra), Err(AnswerError::Malformed));
        assert_eq!(refused(0, &boxes("a")[..3]), Err(AnswerError::Malformed));
        let mut twice = boxes("a");
        twice.push(("medical", "b"));
        assert_eq!(refused(0, &twice), Err(AnswerError::Malformed));
        let many = "x\n".repeat(31);
        assert_eq!(
            refused(0, &boxes(&many)),
            Err(AnswerError::TooManyItems {
                field: "kinds.box.medical",
                count: 31,
                max: 30
            })
        );
        let long = "あ".repeat(301);
        assert_eq!(
            refused(0, &boxes(&long)),
            Err(AnswerError::FieldTooLong {
                field: "kinds.box.medical",
                len: 301,
                max: 300
            })
        );
        assert_eq!(
            refused(3, &[("picks.0.card", "1"), ("picks.1.card", "1")]),
            Err(AnswerError::CardTwice)
        );
        assert_eq!(
            refused(3, &[("picks.2.card", "0")]),
            Err(AnswerError::TooManyPicks { top: 2 })
        );
        assert_eq!(
            refused(3, &[("picks.0.card", "7")]),
            Err(AnswerError::UnknownCard)
        );
        assert_eq!(
            refused(3, &[("picks.0.card", ""), ("picks.0.reason", "理由")]),
            Err(AnswerError::ReasonWithoutCard { rank: 1 })
        );
        assert_eq!(
            refused(3, &[("picks.99999999999.card", "0")]),
            Err(AnswerError::Malformed)
        );
        // Blank ranks close up: the order of the others is kept.
        assert_eq!(
            refused(3, &[("picks.0.card", ""), ("picks.1.card", "2")]),
            Ok(Answer::ValuesRanking {
                picks: vec![Pick {
                    card: 2,
                    reason: String::new()
                }]
            })
        );
        assert_eq!(
            refused(
                4,
                &[
                    ("entries.0.who", "patient"),
                    ("entries.0.wants", "a"),
                    ("entries.1.who", "patient"),
                    ("entries.1.fears", "b"),
                ]
            ),
            Err(AnswerError::PersonTwice)
        );
        assert_eq!(
            refused(6, &[("rows.0.who", ""), ("rows.0.what", "訪問")]),
            Err(AnswerError::IncompleteRow { row: 1 })
        );
        assert_eq!(
            refused(
                6,
                &[
                    ("rows.0.who", "msw"),
                    ("rows.0.who_other", "友人"),
                    ("rows.0.what", "x")
                ]
            ),
            Err(AnswerError::WhoTwice { row: 1 })
        );
        assert_eq!(
            refused(6, &[("rows.0.who", "astronaut"), ("rows.0.what", "x")]),
            Err(AnswerError::UnknownPerson)
        );
        assert_eq!(
            refused(6, &[("rows.30.who", "msw"), ("rows.30.what", "x")]),
            Err(AnswerError::TooManyItems {
                field: "kinds.plan.title",
                count: 31,
                max: 30
            })
        );
        // Empty rows are dropped; a typed name without choosing "other" is still a name.
        assert_eq!(
            refused(
                6,
                &[
                    ("rows.0.who", ""),
                    ("rows.0.what", ""),
                    ("rows.1.who", ""),
                    ("rows.1.who_other", "民生委員の鈴木さん"),
                    ("rows.1.what", "声かけ"),
                ]
            ),
            Ok(Answer::ActionPlan {
                rows: vec![PlanRow {
                    who: "other:民生委員の鈴木さん".into(),
                    what: "声かけ".into(),
                    when: String::new()
                }]
            })
        );
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
            for lang in ["ja", "en"] {
                let (key, args) = e.message(lang);
                let text = crate::i18n::format(crate::lang::Lang::from_code(lang), key, &args);
                assert!(
                    crate::i18n::text(crate::lang::Lang::from_code(lang), key).is_some(),
                    "{key}"
                );
                assert!(!text.contains('{'), "{text}");
                assert!(!text.contains("kinds."), "labels are translated: {text}");
            }
        }
        let (_, args) = AnswerError::FieldTooLong {
            field: "kinds.box.medical",
            len: 301,
            max: 300,
        }
        .message("en");
        assert_eq!(args[0], "Medical indications");
    }

    /// Every `kinds.` key the templates use, literally or built from the fixed lists, exists.
    #[test]
    fn every_kinds_label_exists() {
        let template = include_str!("../templates/prompt_kinds.html");
        let mut keys: Vec<String> = template
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|k| k.starts_with("kinds.") && !k.ends_with('.'))
            .map(str::to_string)
            .collect();
        for b in FOUR_BOXES {
            keys.push(format!("kinds.box.{b}"));
        }
        for f in SHEET_FIELDS {
            keys.push(format!("kinds.sheet.forward.{f}"));
            keys.push(format!("kinds.sheet.back.{f}"));
        }
        for a in ABILITIES {
            keys.push(format!("kinds.cap.{a}"));
            keys.push(format!("kinds.cap.{a}_help"));
        }
        for (r, _) in Rating::ALL {
            keys.push(format!("kinds.cap.{r}"));
        }
        for f in THREE_FIELDS {
            keys.push(format!("kinds.three.{f}"));
        }
        for k in 0..4 {
            keys.push(format!("kinds.grid.sure.{k}"));
        }
        keys.extend([
            "kinds.sheet.view.forward".into(),
            "kinds.sheet.view.back".into(),
        ]);
        assert!(keys.len() > 60, "{keys:?}");
        for key in keys {
            assert!(
                crate::i18n::text(crate::lang::Lang::Ja, &key).is_some(),
                "missing {key}"
            );
        }
    }

    #[test]
    fn what_was_typed_is_kept_for_the_error_page() {
        let typed = typed_text(&form(&[
            ("prompt", "curriculum:x:q"),
            ("base", "3"),
            ("medical", "肺炎"),
            ("rows.0.who", "msw"),
            ("rows.0.what", "面談"),
            ("person.0.benefit_weight", "4"),
        ]));
        assert_eq!(typed.as_deref(), Some("肺炎\n\n面談"));
        assert_eq!(typed_text(&form(&[("prompt", "x")])), None);
    }

    #[test]
    fn person_labels_read_well() {
        let p = &structured()[6];
        assert_eq!(person_label(p, "patient", "ja"), "本人（花子）");
        assert_eq!(person_label(p, "family:0", "en"), "長男");
        assert_eq!(person_label(p, "visiting-nurse", "en"), "Visiting nurse");
        assert_eq!(person_label(p, "other:友人", "ja"), "友人");
    }
}
