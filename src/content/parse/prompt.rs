//! Reads a prompt section: the question, its kind and the settings of that kind.

use std::collections::HashSet;

use super::frontmatter::clip;
use super::{FileParser, Section, items};
use crate::content::markdown::Markdown;
use crate::content::model::*;
use crate::content::suggest;

/// Parses a prompt section; `default_id` is used when the heading has no `{#id}`.
pub(super) fn prompt(
    fp: &mut FileParser,
    section: &Section,
    default_id: String,
    kind: &str,
    in_case: bool,
) -> Option<Prompt> {
    let id = section.id.clone().unwrap_or(default_id);
    fp.slug(section.line, &id, "author.bad_id_prompt");
    if section.title.is_empty() {
        fp.problem(section.line, "author.prompt_no_question", &[&"{"]);
    }
    let (list, rest) = items(section);
    let kind = match kind {
        "text" => {
            fp.check_attrs(section, &["max"]);
            let max = match section.attr("max") {
                Some(Some(v)) => match v.parse::<usize>() {
                    Ok(n) if (1..=20_000).contains(&n) => n,
                    _ => {
                        fp.problem(section.line, "author.text_max_bad", &[&clip(v)]);
                        DEFAULT_TEXT_MAX
                    }
                },
                _ => DEFAULT_TEXT_MAX,
            };
            PromptKind::Text { max }
        }
        "choice" => {
            fp.check_attrs(section, &["select"]);
            let multiple = match section.attr("select") {
                None | Some(Some("single")) => false,
                Some(Some("multiple")) => true,
                Some(other) => {
                    fp.problem(
                        section.line,
                        "author.select_bad",
                        &[&clip(other.unwrap_or(""))],
                    );
                    false
                }
            };
            if list.len() < 2 {
                fp.problem(section.line, "author.choice_too_few", &[]);
            }
            let mut seen = HashSet::new();
            for (line, option) in &list {
                if !seen.insert(option.as_str()) {
                    fp.problem(*line, "author.option_twice", &[&clip(option)]);
                }
            }
            PromptKind::Choice {
                multiple,
                options: list.into_iter().map(|(_, o)| o).collect(),
            }
        }
        "scale" => {
            fp.check_attrs(section, &["min", "max"]);
            let mut bound = |key: &str, default: i64| match section.attr(key) {
                Some(Some(v)) => v.parse::<i64>().unwrap_or_else(|_| {
                    fp.problem(section.line, "author.scale_bound_bad", &[&key, &clip(v)]);
                    default
                }),
                _ => default,
            };
            let (min, max) = (bound("min", 1), bound("max", 5));
            if min >= max || max - min > 10 {
                fp.problem(section.line, "author.scale_range_bad", &[&min, &max]);
            }
            let mut labels = Vec::new();
            for (line, item) in list {
                match item
                    .split_once([':', '：'])
                    .and_then(|(n, label)| Some((n.trim().parse::<i64>().ok()?, label.trim())))
                {
                    Some((n, label)) if (min..=max).contains(&n) => {
                        labels.push((n, label.to_string()))
                    }
                    _ => fp.problem(line, "author.scale_label_bad", &[&clip(&item), &min, &max]),
                }
            }
            PromptKind::Scale { min, max, labels }
        }
        other => structured_kind(fp, section, other, &list, in_case)?,
    };
    // Where list items hold the options, cards or people, they are not help text;
    // in the other kinds a list is part of the help.
    let list_is_data = match &kind {
        PromptKind::Choice { .. }
        | PromptKind::Scale { .. }
        | PromptKind::DecisionTable { .. }
        | PromptKind::ValuesRanking { .. }
        | PromptKind::ThreeField { .. } => true,
        PromptKind::StakeholderMap { .. } => !in_case,
        _ => false,
    };
    let help = if list_is_data {
        Markdown::new(&rest)
    } else {
        Markdown::new(section.body)
    };
    Some(Prompt {
        id,
        title: section.title.clone(),
        help,
        kind,
        line: section.line,
    })
}

/// Largest text answer when a prompt does not say.
pub const DEFAULT_TEXT_MAX: usize = 2000;

/// Largest text per field of a structured prompt when the prompt does not say.
pub const DEFAULT_FIELD_MAX: usize = 1000;

/// Most a `max=` setting of a structured prompt may allow per field: a form of many
/// fields must still fit in one request.
pub const FIELD_MAX_LIMIT: usize = 5000;

/// Most items in any list: a deck, the options, the people, an answer's list.
pub const LIST_MAX: usize = 30;

/// Cards a values ranking asks for when the prompt does not say.
pub const DEFAULT_TOP: usize = 3;

/// The settings of the structured prompt kinds (four-box, decision table, …).
fn structured_kind(
    fp: &mut FileParser,
    section: &Section,
    kind: &str,
    list: &[(usize, String)],
    in_case: bool,
) -> Option<PromptKind> {
    let kind = match kind {
        "four-box" => {
            fp.check_attrs(section, &[]);
            PromptKind::FourBox {}
        }
        "conference-sheet" => {
            fp.check_attrs(section, &["view", "max"]);
            let view = match section.attr("view") {
                None => SheetView::Forward,
                Some(value) => SheetView::parse(value.unwrap_or("")).unwrap_or_else(|| {
                    fp.problem(
                        section.line,
                        "author.view_bad",
                        &[&clip(value.unwrap_or(""))],
                    );
                    SheetView::Forward
                }),
            };
            PromptKind::ConferenceSheet {
                view,
                max: field_max(fp, section),
            }
        }
        "decision-table" => {
            fp.check_attrs(section, &["family", "max"]);
            let family = match section.attr("family") {
                None => String::new(),
                Some(Some(label)) => label.to_string(),
                Some(None) => {
                    fp.problem(section.line, "author.family_no_value", &[]);
                    String::new()
                }
            };
            let options = deck(fp, section, list, Deck::Options, 2, "- 胃ろうを造る");
            PromptKind::DecisionTable {
                options,
                family,
                max: field_max(fp, section),
            }
        }
        "values-ranking" => {
            fp.check_attrs(section, &["top"]);
            let cards = deck(fp, section, list, Deck::Cards, 1, "- 住み慣れた家で過ごす");
            let top = match section.attr("top") {
                None => DEFAULT_TOP,
                Some(value) => match value.unwrap_or("").parse::<usize>() {
                    Ok(top) if top >= 1 => top,
                    _ => {
                        fp.problem(
                            section.line,
                            "author.top_bad",
                            &[&clip(value.unwrap_or(""))],
                        );
                        DEFAULT_TOP
                    }
                },
            };
            if !cards.is_empty() && top > cards.len() {
                let key = if section.attr("top").is_none() {
                    "author.top_default_too_large"
                } else {
                    "author.top_too_large"
                };
                fp.problem(section.line, key, &[&top, &cards.len()]);
            }
            let top = top.clamp(1, cards.len().max(1));
            PromptKind::ValuesRanking { cards, top }
        }
        "stakeholder-map" => {
            fp.check_attrs(section, &["max"]);
            // In a case the people come from the case, filled in once the whole file is read.
            let people = if in_case {
                Vec::new()
            } else {
                deck(fp, section, list, Deck::People, 2, "- 本人")
                    .into_iter()
                    .enumerate()
                    .map(|(n, label)| Person {
                        key: format!("item:{n}"),
                        label,
                        profession: None,
                    })
                    .collect()
            };
            PromptKind::StakeholderMap {
                people,
                max: field_max(fp, section),
            }
        }
        "capacity-check" => {
            fp.check_attrs(section, &["max"]);
            PromptKind::CapacityCheck {
                max: field_max(fp, section),
            }
        }
        "action-plan" => {
            fp.check_attrs(section, &[]);
            // Outside a case the only person besides the professions is the patient.
            PromptKind::ActionPlan {
                people: Person::of_case(&Patient::default(), &[], None),
                roles: fp.professions.declared().collect(),
            }
        }
        "three-field" => {
            fp.check_attrs(section, &["max"]);
            PromptKind::ThreeField {
                max: field_max(fp, section),
                headings: list_headings(fp, section, list),
            }
        }
        _ => return None,
    };
    Some(kind)
}

/// The headings of a three-field report, one list item each:
/// `- 今後の具体的方策 {#measures role=measures}`, the `{…}` optional. No items: the
/// three default headings. Each heading gets an id (its `#id`; the default's id when
/// the words are a default heading's; else `h1`, `h2`… by its place) and a role (its
/// `role=`; the default's for a default id; else guessed from its words).
fn list_headings(
    fp: &mut FileParser,
    section: &Section,
    list: &[(usize, String)],
) -> Vec<ListHeading> {
    // A bare `-` is no list item to Markdown, but here it is a heading left empty.
    for (index, raw) in section.body.lines().enumerate() {
        if matches!(raw.trim(), "-" | "*" | "+") && !raw.starts_with("    ") {
            fp.problem(section.body_line + index, "author.list_heading_empty", &[]);
        }
    }
    if list.is_empty() {
        return ListHeading::defaults();
    }
    if list.len() > HEADINGS_MAX {
        fp.problem(
            list[HEADINGS_MAX].0,
            "author.list_headings_too_many",
            &[&HEADINGS_MAX, &list.len()],
        );
    }
    // (line, label, given id, role) of each item.
    let mut read = Vec::new();
    for (line, item) in list.iter().take(HEADINGS_MAX) {
        let (label, block) = match item.rfind('{') {
            Some(at) if item.ends_with('}') => {
                (item[..at].trim(), Some(&item[at + 1..item.len() - 1]))
            }
            _ => (item.as_str(), None),
        };
        let mut id = None;
        let mut role = None;
        for word in block.unwrap_or("").split_whitespace() {
            if let Some(given) = word.strip_prefix('#') {
                if fp.slug(*line, given, "author.bad_id_list_heading") {
                    id = Some(given.to_string());
                }
            } else if let Some(value) = word.strip_prefix("role=") {
                match ListRole::parse(value) {
                    Some(r) => role = Some(r),
                    None => {
                        let words = ListRole::ALL.map(|(_, w)| w);
                        let near = suggest::closest(value, words);
                        fp.problem_near(
                            *line,
                            "author.list_heading_role_bad",
                            &[&clip(value), &words.join(" | ")],
                            near,
                        );
                    }
                }
            } else {
                fp.problem(
                    *line,
                    "author.list_heading_setting_unknown",
                    &[
                        &clip(word),
                        &"{#id}",
                        &"- 今後の具体的方策 {#measures role=measures}",
                    ],
                );
            }
        }
        let bare = label.trim_start_matches('【').trim_end_matches('】').trim();
        if bare.is_empty() {
            fp.problem(*line, "author.list_heading_empty", &[]);
            continue;
        }
        if label.chars().count() > OWN_HEADING_LEN_MAX {
            fp.problem(
                *line,
                "author.list_heading_too_long",
                &[&clip(label), &OWN_HEADING_LEN_MAX],
            );
        }
        read.push((*line, label.to_string(), bare.to_string(), id, role));
    }
    let mut headings: Vec<ListHeading> = Vec::new();
    for (line, label, bare, id, role) in &read {
        if headings.iter().any(|h| h.label == *label) {
            fp.problem(*line, "author.list_heading_twice", &[&clip(label)]);
            continue;
        }
        let default = THREE_FIELDS.iter().copied().find(|d| {
            crate::lang::Lang::ALL.iter().any(|lang| {
                crate::i18n::text(*lang, &format!("kinds.three.{d}")) == Some(bare.as_str())
            })
        });
        let id = match (id, default) {
            (Some(id), _) => id.clone(),
            // The words of a default heading name it, unless an earlier one took its id.
            (None, Some(d)) if !read.iter().any(|r| r.3.as_deref() == Some(d)) => d.to_string(),
            _ => String::new(),
        };
        if !id.is_empty() && headings.iter().any(|h| h.id == id) {
            fp.problem(*line, "author.list_heading_id_twice", &[&id, &"{#worked}"]);
            continue;
        }
        let role = role.unwrap_or_else(|| match id.as_str() {
            "worked" => ListRole::Worked,
            "hard" => ListRole::Hard,
            "measures" => ListRole::Measures,
            _ => ListRole::guess(label),
        });
        headings.push(ListHeading {
            id,
            label: label.clone(),
            role,
        });
    }
    // Headings without an id are numbered by their place, skipping ids already given.
    for n in 0..headings.len() {
        if headings[n].id.is_empty() {
            let mut k = n + 1;
            while headings.iter().any(|h| h.id == format!("h{k}")) {
                k += 1;
            }
            headings[n].id = format!("h{k}");
        }
    }
    if headings.is_empty() {
        return ListHeading::defaults();
    }
    headings
}

/// The `max=` setting of a structured prompt: characters per field.
fn field_max(fp: &mut FileParser, section: &Section) -> usize {
    match section.attr("max") {
        None => DEFAULT_FIELD_MAX,
        Some(value) => match value.unwrap_or("").parse::<usize>() {
            Ok(n) if (1..=FIELD_MAX_LIMIT).contains(&n) => n,
            _ => {
                fp.problem(
                    section.line,
                    "author.field_max_bad",
                    &[&clip(value.unwrap_or("")), &FIELD_MAX_LIMIT],
                );
                DEFAULT_FIELD_MAX
            }
        },
    }
}

/// The words of a deck's problems: its one item and many, as `author.deck_*` keys end.
#[derive(Clone, Copy)]
enum Deck {
    Options,
    Cards,
    People,
}

impl Deck {
    /// The problem keys for this deck: too few, too many, twice, too long.
    fn keys(self) -> [&'static str; 4] {
        match self {
            Deck::Options => [
                "author.options_too_few",
                "author.options_too_many",
                "author.option_twice",
                "author.option_too_long",
            ],
            Deck::Cards => [
                "author.cards_too_few",
                "author.cards_too_many",
                "author.card_twice",
                "author.card_too_long",
            ],
            Deck::People => [
                "author.people_too_few",
                "author.people_too_many",
                "author.person_twice",
                "author.person_too_long",
            ],
        }
    }
}

/// The list items of a prompt that are its options, cards or people: at least `min`,
/// at most [`LIST_MAX`], no duplicates.
fn deck(
    fp: &mut FileParser,
    section: &Section,
    list: &[(usize, String)],
    deck: Deck,
    min: usize,
    example: &str,
) -> Vec<String> {
    let [too_few, too_many, twice, too_long] = deck.keys();
    let kind = section.kind.as_deref().unwrap_or("");
    if list.len() < min {
        fp.problem(section.line, too_few, &[&kind, &min, &list.len(), &example]);
    }
    if list.len() > LIST_MAX {
        fp.problem(list[LIST_MAX].0, too_many, &[&LIST_MAX, &list.len()]);
    }
    let mut seen = HashSet::new();
    for (line, item) in list {
        if !seen.insert(item.as_str()) {
            fp.problem(*line, twice, &[&clip(item)]);
        }
        if item.chars().count() > 300 {
            fp.problem(*line, too_long, &[&clip(item)]);
        }
    }
    list.iter().map(|(_, item)| item.clone()).collect()
}

/// Reports a heading's `kind` that is no prompt kind nor one of `others` (the other
/// kinds allowed there), with the nearest known kind.
pub(super) fn unknown_prompt_kind(
    fp: &mut FileParser,
    section: &Section,
    kind: &str,
    key: &'static str,
    others: &[&str],
) {
    let near = suggest::closest(kind, PROMPT_KINDS.iter().chain(others).copied());
    fp.problem_near(
        section.line,
        key,
        &[&clip(kind), &PROMPT_KINDS.join(" | ")],
        near,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Problem;
    use crate::content::parse::{case, curriculum};
    use crate::lang::Lang;

    const HEAD: &str = "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nteam: visiting-nurse, msw\n---\n\n# 本人 {kind=patient}\n\n- name: 花子\n- age: 80\n- illness: 心不全\n- living: 一人\n\n# 長女 {#d kind=family}\n\n- name: 和子\n- relation: 長女\n- lives: apart\n- stance: 心配\n\n# 場面1 {#s1 kind=scene}\n\n";

    /// Parses one scene holding `prompts`; returns the prompts and the problems.
    fn scene_prompts(prompts: &str) -> (Vec<Prompt>, Vec<Problem>) {
        let mut problems = Vec::new();
        let case = case(
            "cases/c.md",
            &format!("{HEAD}{prompts}"),
            &Default::default(),
            &mut problems,
        )
        .expect("case");
        (case.scenes[0].prompts.clone(), problems)
    }

    /// Parses one group-work step holding `prompts`.
    fn step_prompts(prompts: &str) -> (Vec<Prompt>, Vec<Problem>) {
        let text = format!(
            "---\nid: k\ntitle: t\nlanguage: ja\nversion: 1\nduration: 10\naudience: msw\nobjectives:\n- o\n---\n\n# GW {{#gw kind=group-work minutes=10}}\n\n{prompts}"
        );
        let mut problems = Vec::new();
        let curriculum = curriculum("curricula/k.md", &text, &Default::default(), &mut problems)
            .expect("curriculum");
        (curriculum.steps[0].prompts.clone(), problems)
    }

    fn one(prompts: &(Vec<Prompt>, Vec<Problem>)) -> &PromptKind {
        assert!(prompts.1.is_empty(), "{:?}", prompts.1);
        &prompts.0[0].kind
    }

    #[test]
    fn four_box_keeps_its_list_as_help() {
        let parsed = scene_prompts("## 整理 {#q kind=four-box}\n\n説明\n\n- 医学的な事実から\n");
        assert!(matches!(one(&parsed), PromptKind::FourBox {}));
        assert!(parsed.0[0].help.html.contains("医学的な事実から"));
    }

    #[test]
    fn conference_sheet_view_and_max() {
        let parsed = scene_prompts("## シート {#q kind=conference-sheet view=back max=300}\n");
        assert!(matches!(
            one(&parsed),
            PromptKind::ConferenceSheet {
                view: SheetView::Back,
                max: 300
            }
        ));
        let parsed = step_prompts("## シート {#q kind=conference-sheet}\n");
        assert!(matches!(
            one(&parsed),
            PromptKind::ConferenceSheet {
                view: SheetView::Forward,
                max: DEFAULT_FIELD_MAX
            }
        ));
    }

    #[test]
    fn decision_table_options_and_family() {
        let parsed =
            scene_prompts("## 比較 {#q kind=decision-table family=長男}\n\n- 胃ろう\n- 経口\n");
        let PromptKind::DecisionTable {
            options,
            family,
            max,
        } = one(&parsed)
        else {
            panic!("decision table")
        };
        assert_eq!(options, &["胃ろう", "経口"]);
        assert_eq!(family, "長男");
        assert_eq!(*max, DEFAULT_FIELD_MAX);
        assert!(
            !parsed.0[0].help.html.contains("胃ろう"),
            "options are not help"
        );
    }

    #[test]
    fn values_ranking_deck_and_top() {
        let parsed =
            step_prompts("## 価値観 {#q kind=values-ranking top=2}\n\n- 家\n- 痛み\n- 家族\n");
        let PromptKind::ValuesRanking { cards, top } = one(&parsed) else {
            panic!("values ranking")
        };
        assert_eq!(cards.len(), 3);
        assert_eq!(*top, 2);
        let parsed = step_prompts("## 価値観 {#q kind=values-ranking}\n\n- 家\n- 痛み\n- 家族\n");
        assert!(matches!(
            one(&parsed),
            PromptKind::ValuesRanking { top: 3, .. }
        ));
    }

    #[test]
    fn stakeholder_map_people_come_from_the_case_or_the_list() {
        let parsed = scene_prompts("## 関係者 {#q kind=stakeholder-map}\n\n- ヒント\n");
        let PromptKind::StakeholderMap { people, .. } = one(&parsed) else {
            panic!("stakeholder map")
        };
        let keys: Vec<_> = people.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "patient",
                "family:0",
                "profession:visiting-nurse",
                "profession:msw"
            ]
        );
        assert_eq!(people[0].label, "花子");
        assert_eq!(people[1].label, "長女（和子）");
        assert!(parsed.0[0].help.html.contains("ヒント"));
        let parsed =
            step_prompts("## 関係者 {#q kind=stakeholder-map max=200}\n\n- 本人\n- 長女\n");
        let PromptKind::StakeholderMap { people, max } = one(&parsed) else {
            panic!("stakeholder map")
        };
        assert_eq!(*max, 200);
        assert_eq!(
            people
                .iter()
                .map(|p| (p.key.as_str(), p.label.as_str()))
                .collect::<Vec<_>>(),
            [("item:0", "本人"), ("item:1", "長女")]
        );
    }

    #[test]
    fn capacity_check_action_plan_and_three_field() {
        let parsed = scene_prompts(
            "## 力 {#a kind=capacity-check max=100}\n\n## 計画 {#b kind=action-plan}\n\n## 報告 {#c kind=three-field}\n",
        );
        assert!(parsed.1.is_empty(), "{:?}", parsed.1);
        assert!(matches!(
            parsed.0[0].kind,
            PromptKind::CapacityCheck { max: 100 }
        ));
        let PromptKind::ActionPlan { people, .. } = &parsed.0[1].kind else {
            panic!("action plan")
        };
        // Professions are any profession id; the people are the patient and family.
        assert_eq!(people.len(), 2);
        assert!(matches!(
            parsed.0[2].kind,
            PromptKind::ThreeField {
                max: DEFAULT_FIELD_MAX,
                ..
            }
        ));
        let parsed = step_prompts("## 計画 {#b kind=action-plan}\n");
        let PromptKind::ActionPlan { people, .. } = one(&parsed) else {
            panic!("action plan")
        };
        assert_eq!(people.len(), 1, "outside a case only the patient");
    }

    #[test]
    fn bad_settings_are_problems_on_the_heading_line() {
        for (prompt, message) in [
            (
                "## x {#q kind=four-box max=10}\n",
                "unknown setting `max` for kind=four-box",
            ),
            (
                "## x {#q kind=conference-sheet view=sideways}\n",
                "`view=sideways` is not forward or back",
            ),
            (
                "## x {#q kind=decision-table family}\n\n- a\n- b\n",
                "`family` has no value",
            ),
            (
                "## x {#q kind=decision-table}\n\n- a\n",
                "needs at least 2 options; it has 1",
            ),
            (
                "## x {#q kind=values-ranking}\n\n説明だけ\n",
                "needs at least one card",
            ),
            (
                "## x {#q kind=values-ranking top=4}\n\n- a\n- b\n- c\n",
                "`top` 4 is larger than the deck of 3 cards",
            ),
            (
                "## x {#q kind=values-ranking}\n\n- a\n- b\n",
                "`top` 3 (3 when `top=` is not given) is larger than the deck of 2 cards",
            ),
            (
                "## x {#q kind=values-ranking top=0}\n\n- a\n",
                "`top=0` is not a number of cards from 1 up",
            ),
            (
                "## x {#q kind=three-field max=0}\n",
                "`max=0` is not a length from 1 to 5000",
            ),
        ] {
            let (_, problems) = scene_prompts(prompt);
            assert!(
                problems
                    .iter()
                    .any(|p| p.line == 25 && p.message(Lang::En).contains(message)),
                "{prompt}: {problems:?}"
            );
        }
        let (_, problems) = step_prompts("## x {#q kind=stakeholder-map}\n");
        assert!(
            problems[0]
                .message(Lang::En)
                .contains("needs at least 2 people"),
            "{problems:?}"
        );
    }

    #[test]
    fn duplicates_and_long_decks_are_problems_on_their_lines() {
        let (_, problems) = scene_prompts("## x {#q kind=decision-table}\n\n- a\n- b\n- a\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 29);
        assert!(
            problems[0]
                .message(Lang::En)
                .contains("the option `a` is listed twice")
        );
        let deck: String = (0..31).map(|n| format!("- card {n}\n")).collect();
        let (_, problems) = scene_prompts(&format!("## x {{#q kind=values-ranking}}\n\n{deck}"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 27 + 30, "the 31st card");
        assert!(
            problems[0]
                .message(Lang::En)
                .contains("more than 30 cards (31)")
        );
    }

    /// The headings of a three-field prompt as `(id, label, role)`.
    fn headings_of(kind: &PromptKind) -> Vec<(String, String, ListRole)> {
        let PromptKind::ThreeField { headings, .. } = kind else {
            panic!("three-field")
        };
        headings
            .iter()
            .map(|h| (h.id.clone(), h.label.clone(), h.role))
            .collect()
    }

    #[test]
    fn three_field_headings_come_from_the_list_or_are_the_defaults() {
        let parsed = step_prompts("## 報告 {#q kind=three-field}\n\n説明だけ\n");
        assert_eq!(
            headings_of(one(&parsed)),
            headings_of(&PromptKind::ThreeField {
                max: 1,
                headings: ListHeading::defaults(),
            })
        );
        let parsed = step_prompts(
            "## 報告 {#q kind=three-field}\n\n説明\n\n- 【効果のあった取り組み】 {#worked}\n- 苦労した点\n- 地域の課題\n- 今後の具体的方策 {#next role=measures}\n- 市への要望 {role=other}\n",
        );
        let own = |id: &str, label: &str, role| (id.to_string(), label.to_string(), role);
        assert_eq!(
            headings_of(one(&parsed)),
            [
                own("worked", "【効果のあった取り組み】", ListRole::Worked),
                // The words of a default heading give its id and role.
                own("hard", "苦労した点", ListRole::Hard),
                // Others are numbered by their place; the role is guessed from the words.
                own("h3", "地域の課題", ListRole::Hard),
                own("next", "今後の具体的方策", ListRole::Measures),
                own("h5", "市への要望", ListRole::Other),
            ]
        );
        // The headings are not help text; the rest is.
        assert!(parsed.0[0].help.html.contains("説明"));
        assert!(!parsed.0[0].help.html.contains("地域の課題"));
        // An English default heading names its default too.
        let parsed = step_prompts("## Report {#q kind=three-field}\n\n- Concrete measures\n");
        assert_eq!(
            headings_of(one(&parsed)),
            [own("measures", "Concrete measures", ListRole::Measures)]
        );
    }

    #[test]
    fn three_field_heading_mistakes_are_problems_on_their_lines() {
        // The prompt heading is line 25; its list starts on line 27.
        let nine: String = (1..=9).map(|n| format!("- 見出し{n}\n")).collect();
        for (list, line, message) in [
            (
                "- 課題\n- 課題\n",
                28,
                "the heading `課題` of the three-field report is listed twice",
            ),
            (
                "- 課題 {#x}\n- 方策 {#x}\n",
                28,
                "the heading id `x` is used twice",
            ),
            (
                "- 課題\n-\n",
                28,
                "a heading of the three-field report is empty",
            ),
            (
                "- {#x}\n",
                27,
                "a heading of the three-field report is empty",
            ),
            (
                "- 【】\n",
                27,
                "a heading of the three-field report is empty",
            ),
            (
                nine.as_str(),
                35,
                "more than 8 headings for the three-field report (9)",
            ),
            (
                "- 課題 {role=problem}\n",
                27,
                "`role=problem` is not a role of a heading",
            ),
            (
                "- 課題 {kind=x}\n",
                27,
                "unknown setting `kind=x` on a heading",
            ),
            ("- 課題 {#Ka}\n", 27, "heading id `Ka` is not a simple slug"),
            (
                &format!("- {}\n", "長".repeat(61)),
                27,
                "is longer than 60 characters",
            ),
        ] {
            let (prompts, problems) =
                scene_prompts(&format!("## 報告 {{#q kind=three-field}}\n\n{list}"));
            assert_eq!(problems.len(), 1, "{list}: {problems:?}");
            assert_eq!(problems[0].line, line, "{list}: {problems:?}");
            assert!(
                problems[0].message(Lang::En).contains(message),
                "{list}: {}",
                problems[0].message(Lang::En)
            );
            assert!(!problems[0].message(Lang::Ja).contains("author."));
            assert!(!problems[0].hint(Lang::Ja).contains("author."));
            // The prompt is still read, with headings a table can write under.
            assert!(
                matches!(&prompts[0].kind, PromptKind::ThreeField { headings, .. } if !headings.is_empty())
            );
        }
        // A near role is suggested.
        let (_, problems) =
            scene_prompts("## 報告 {#q kind=three-field}\n\n- 課題 {role=measure}\n");
        assert!(
            problems[0].render(Lang::En).contains("measures"),
            "{problems:?}"
        );
    }
}
