//! Text: an answer as plain text and as labelled fields, in the reader's language, and
//! the labels of boxes, fields and people.

use serde::Serialize;

use super::{Answer, DecisionView, Rating, ViewWho};
use crate::content::{ABILITIES, FOUR_BOXES, Profession, Prompt, PromptKind, SHEET_FIELDS};
use crate::lang::Lang;

/// The i18n key of a four-box box label.
pub(super) fn box_label(name: &str) -> &'static str {
    match name {
        "medical" => "kinds.box.medical",
        "preferences" => "kinds.box.preferences",
        "quality" => "kinds.box.quality",
        _ => "kinds.box.context",
    }
}

/// The i18n key of a conference-sheet field label (forward view).
pub(super) fn sheet_label(name: &str) -> &'static str {
    match name {
        "medical" => "kinds.sheet.forward.medical",
        "person" => "kinds.sheet.forward.person",
        "family" => "kinds.sheet.forward.family",
        "best" => "kinds.sheet.forward.best",
        "family_care" => "kinds.sheet.forward.family_care",
        _ => "kinds.sheet.forward.next",
    }
}

impl ViewWho {
    /// Whose view this is, as the screens head it: 本人, or the family member the
    /// prompt names (`family`), or 家族 when it names none.
    pub fn label(self, family: &str, lang: Lang) -> String {
        let t = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
        match self {
            ViewWho::Person => t("kinds.grid.person"),
            ViewWho::Family if family.is_empty() => t("kinds.grid.family_default"),
            ViewWho::Family => family.to_string(),
        }
    }
}

impl DecisionView {
    /// The option this view leans to, or 「まだ決めていない」.
    pub fn leaning_label(&self, options: &[String], lang: Lang) -> String {
        self.leaning
            .and_then(|i| options.get(i))
            .cloned()
            .unwrap_or_else(|| {
                crate::i18n::text(lang, "kinds.grid.undecided")
                    .unwrap_or("kinds.grid.undecided")
                    .to_string()
            })
    }

    /// The four SURE answers, `S はい / U いいえ / R 未回答 / E はい`.
    pub fn sure_answers(&self, lang: Lang) -> String {
        let t = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
        self.sure
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
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

impl Answer {
    /// The answer as plain text lines with labels in `lang`, for places that cannot draw
    /// structure.
    pub fn plain(&self, prompt: &Prompt, lang: Lang) -> String {
        let t = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
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
                let view_id = view.id();
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
                    let who = view.who.label(family, lang);
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
    pub fn fields_in(&self, prompt: &Prompt, lang: Lang) -> Vec<AnswerField> {
        let t = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
        let f = |key: &str, arg: String| crate::i18n::format(lang, key, &[arg]);
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
                let id = view.id();
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
                    let who = f("kinds.grid.view", view.who.label(family, lang));
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
                    out.push(field(
                        path(&[&who, &t("kinds.grid.leaning")]),
                        view.leaning_label(options, lang),
                    ));
                    let mut score = f("kinds.grid.sure_score", view.sure_yes().to_string());
                    if view.conflict() {
                        score = format!("{score} {}", t("kinds.grid.conflict"));
                    }
                    out.push(field(
                        path(&[&who, "SURE"]),
                        format!("{score}（{}）", view.sure_answers(lang)),
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
            // Only what the group wrote: a heading left empty is not a field.
            (Answer::ThreeField { lists }, _) => lists
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .map(|l| field(l.heading(prompt, lang).0, l.text.clone()))
                .collect(),
            // One-part answers: the text, the chosen options, the point on the scale.
            _ => vec![field(String::new(), self.plain(prompt, lang))],
        }
    }
}

/// How a person key of a stakeholder map or an action plan reads in `lang`:
/// the patient, a family member, a profession, a listed person, or a typed name.
pub fn person_label(prompt: &Prompt, key: &str, lang: Lang) -> String {
    let t = |key: &str| crate::i18n::text(lang, key).unwrap_or(key).to_string();
    if let Some(name) = key.strip_prefix("other:") {
        return name.to_string();
    }
    let people = match &prompt.kind {
        PromptKind::StakeholderMap { people, .. } | PromptKind::ActionPlan { people, .. } => {
            &people[..]
        }
        _ => &[],
    };
    if let Some(p) = people.iter().find(|p| p.key == key) {
        if let Some(profession) = p.profession {
            return profession.label(lang).to_string();
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
    let declared: &[Profession] = match &prompt.kind {
        PromptKind::ActionPlan { roles, .. } => roles,
        _ => &[],
    };
    Profession::builtin(id)
        .or_else(|| declared.iter().copied().find(|p| p.id == id))
        .map_or_else(|| key.to_string(), |p| p.label(lang).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::fixtures::*;

    #[test]
    fn every_answer_flattens_into_labelled_fields() {
        let fields: Vec<Vec<AnswerField>> = structured()
            .iter()
            .zip(answers())
            .map(|(p, a)| a.fields_in(p, Lang::Ja))
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
        let en = answers()[7].fields_in(&structured()[7], Lang::En);
        assert_eq!(en[2].label, "Concrete measures");
        // One-part answers have one unlabelled field.
        let text = prompt(PromptKind::Text { max: 100 });
        let one = Answer::Text {
            text: "本人の思い".into(),
        }
        .fields_in(&text, Lang::Ja);
        assert_eq!(
            one,
            vec![AnswerField {
                label: String::new(),
                text: "本人の思い".into()
            }]
        );
    }

    /// Every `kinds.` key the templates use, literally or built from the fixed lists, exists.
    #[test]
    fn every_kinds_label_exists() {
        let template = include_str!("../../templates/prompt_kinds.html");
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
        for f in crate::content::THREE_FIELDS {
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
    fn person_labels_read_well() {
        let p = &structured()[6];
        assert_eq!(person_label(p, "patient", Lang::Ja), "本人（花子）");
        assert_eq!(person_label(p, "family:0", Lang::En), "長男");
        assert_eq!(
            person_label(p, "visiting-nurse", Lang::En),
            "Visiting nurse"
        );
        assert_eq!(person_label(p, "other:友人", Lang::Ja), "友人");
    }
}
