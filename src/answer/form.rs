//! Form decoding: the posted fields of a table's answer form become an [`Answer`], and an
//! answer becomes the fields that would post it again.

use std::collections::BTreeMap;

use super::{
    Answer, AnswerError, CapacityItems, DecisionView, HeadedList, OptionView, Pick, PlanRow,
    Rating, StakeholderEntry, ViewWho, clean_text,
};
use crate::content::{
    ABILITIES, FOUR_BOXES, LIST_MAX, OWN_HEADINGS_MAX, Prompt, PromptKind, SHEET_FIELDS, SheetView,
    THREE_FIELDS,
};

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
            PromptKind::ThreeField { headings, .. } => {
                fields.only(|k| k.starts_with("lists.") || THREE_FIELDS.contains(&k))?;
                let mut lists = Vec::new();
                // A page of an earlier version posts the three default fields by name.
                for id in THREE_FIELDS {
                    if let Some(text) = fields.get(id)?
                        && headings.iter().any(|h| h.id == id)
                    {
                        let text = clean_text(text);
                        if !text.trim().is_empty() {
                            lists.push(HeadedList::of(id, text));
                        }
                    } else if fields.get(id)?.is_some() {
                        return Err(AnswerError::Malformed);
                    }
                }
                let limit = headings.len() + OWN_HEADINGS_MAX;
                let groups = fields.indexed(
                    "lists",
                    limit,
                    AnswerError::TooManyHeadings {
                        max: OWN_HEADINGS_MAX,
                    },
                )?;
                for (_, parts) in groups {
                    if parts
                        .keys()
                        .any(|k| !matches!(*k, "of" | "heading" | "text"))
                    {
                        return Err(AnswerError::Malformed);
                    }
                    let text = clean_text(parts.get("text").copied().unwrap_or(""));
                    match (parts.get("of"), parts.get("heading")) {
                        (Some(of), None) => {
                            if !text.trim().is_empty() {
                                lists.push(HeadedList::of(&line(of), text));
                            }
                        }
                        (None, Some(heading)) => {
                            let heading = line(heading);
                            if !(heading.is_empty() && text.trim().is_empty()) {
                                lists.push(HeadedList::own(&heading, text));
                            }
                        }
                        _ => return Err(AnswerError::Malformed),
                    }
                }
                Answer::ThreeField { lists }
            }
        };
        answer.check(prompt)?;
        Ok(answer)
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
                put("view".into(), view.id().into());
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
            Answer::ThreeField { lists } => {
                for (j, list) in lists.iter().enumerate() {
                    match (&list.of, &list.heading) {
                        (Some(of), _) => put(format!("lists.{j}.of"), of.clone()),
                        (None, heading) => put(
                            format!("lists.{j}.heading"),
                            heading.clone().unwrap_or_default(),
                        ),
                    }
                    put(format!("lists.{j}.text"), list.text.clone());
                }
            }
        }
        out
    }
}

/// What a table typed into a form, as plain text, to show back when a save is refused.
pub fn typed_text(form: &[(String, String)]) -> Option<String> {
    const TEXT_PARTS: [&str; 12] = [
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
        "heading",
        "text",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::fixtures::*;

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
            assert!(!a.plain(p, crate::lang::Lang::Ja).is_empty());
        }
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
}
