//! Turns one curriculum or case file into the content model, collecting every problem.
//!
//! Structure comes from headings with attribute blocks (`# 場面1 {#s1 kind=scene}`);
//! a heading without `kind=` is ordinary text of the section above it.

use std::collections::{BTreeMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::frontmatter::{self, Field, clip};
use super::markdown::{LineIndex, Markdown, new_parser};
use super::model::*;
use super::{Problem, Profession, profession};

/// A heading that carries structure, with the text that belongs to it.
#[derive(Clone)]
struct Section<'a> {
    level: usize,
    title: String,
    id: Option<String>,
    kind: Option<String>,
    attrs: Vec<(String, Option<String>)>,
    line: usize,
    body: &'a str,
    body_line: usize,
}

impl Section<'_> {
    fn attr(&self, key: &str) -> Option<Option<&str>> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_deref())
    }
}

/// A heading as pulldown-cmark reported it.
struct Heading {
    range: std::ops::Range<usize>,
    level: usize,
    title: String,
    id: Option<String>,
    attrs: Vec<(String, Option<String>)>,
}

/// Shared state while parsing one file.
struct FileParser<'p> {
    path: &'p str,
    problems: &'p mut Vec<Problem>,
}

impl FileParser<'_> {
    fn problem(&mut self, line: usize, message: impl AsRef<str>, hint: impl AsRef<str>) {
        self.problems.push(Problem::new(
            self.path,
            line,
            message.as_ref(),
            hint.as_ref(),
        ));
    }

    fn required(
        &mut self,
        fields: &BTreeMap<String, Field>,
        key: &str,
        end_line: usize,
    ) -> Option<Field> {
        match fields.get(key) {
            Some(field) if !field.items.is_empty() => Some(field.clone()),
            Some(field) => {
                self.problem(
                    field.line,
                    format!("the field `{key}` is empty"),
                    format!("write a value after `{key}:`"),
                );
                None
            }
            None => {
                self.problem(
                    end_line,
                    format!("missing required field `{key}`"),
                    format!(
                        "add a line `{key}: ...` to the front matter (between the two `---` lines)"
                    ),
                );
                None
            }
        }
    }

    fn slug(&mut self, line: usize, id: &str, what: &str) -> bool {
        if is_slug(id) {
            return true;
        }
        self.problem(
            line,
            format!("{what} id `{}` is not a simple slug", clip(id)),
            "use lower-case letters a-z, digits and single hyphens, e.g. `home-visit-1`",
        );
        false
    }

    fn unknown_keys(&mut self, fields: &BTreeMap<String, Field>, known: &[&str]) {
        for (key, field) in fields {
            if !known.contains(&key.as_str()) {
                self.problem(
                    field.line,
                    format!("unknown front matter key `{key}`"),
                    format!("the keys that can be used here are: {}", known.join(", ")),
                );
            }
        }
    }

    fn professions(&mut self, field: &Field) -> Vec<Profession> {
        let mut out = Vec::new();
        for (line, id) in field.list() {
            match Profession::find(&id) {
                Some(p) if !out.contains(&p) => out.push(p),
                Some(_) => {}
                None => self.unknown_profession(line, &id),
            }
        }
        out
    }

    fn unknown_profession(&mut self, line: usize, id: &str) {
        self.problem(
            line,
            format!("unknown profession `{}`", clip(id)),
            format!("use one of: {}", profession::known_ids()),
        );
    }

    fn language(&mut self, field: Option<Field>) -> String {
        let Some(field) = field else {
            return String::new();
        };
        let lang = field.text();
        if lang != "ja" && lang != "en" {
            self.problem(
                field.line,
                format!("unknown language `{}`", clip(&lang)),
                "write `language: ja` or `language: en`",
            );
        }
        lang
    }

    fn minutes(&mut self, line: usize, value: &str, what: &str) -> Option<u32> {
        match value.parse::<u32>() {
            Ok(n) if n > 0 && n <= 24 * 60 => Some(n),
            _ => {
                self.problem(
                    line,
                    format!("{what} `{}` is not a number of minutes", clip(value)),
                    "write whole minutes, e.g. `30`",
                );
                None
            }
        }
    }

    fn check_attrs(&mut self, section: &Section, allowed: &[&str], what: &str) {
        for (key, _) in &section.attrs {
            if key != "kind" && !allowed.contains(&key.as_str()) {
                let hint = if allowed.is_empty() {
                    format!("a {what} takes no settings besides kind; remove `{key}`")
                } else {
                    format!("a {what} can have: {}", allowed.join(", "))
                };
                self.problem(
                    section.line,
                    format!("unknown setting `{}` on a {what}", clip(key)),
                    hint,
                );
            }
        }
    }

    /// Splits the sections of a body; problems in heading levels are reported here.
    fn sections<'a>(
        &mut self,
        text: &'a str,
        body_offset: usize,
        lines: &LineIndex,
    ) -> (Markdown, Vec<Section<'a>>) {
        let body = &text[body_offset..];
        let mut headings: Vec<Heading> = Vec::new();
        let mut current: Option<Heading> = None;
        for (event, range) in new_parser(body).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let mut all: Vec<(String, Option<String>)> = attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect();
                    // A bare word such as `{end}` arrives as a class; treat it as a flag.
                    all.extend(classes.iter().map(|c| (c.to_string(), None)));
                    current = Some(Heading {
                        range,
                        level: heading_level(level),
                        title: String::new(),
                        id: id.map(|s| s.to_string()),
                        attrs: all,
                    });
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = current.as_mut() {
                        h.title.push_str(&t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(h) = current.take() {
                        headings.push(h);
                    }
                }
                _ => {}
            }
        }
        let structural: Vec<Heading> = headings
            .into_iter()
            .filter(|h| h.level == 1 || h.attrs.iter().any(|(k, _)| k == "kind"))
            .collect();
        let intro_end = structural.first().map_or(body.len(), |h| h.range.start);
        let intro = Markdown::new(&body[..intro_end]);
        let mut sections = Vec::new();
        for (index, heading) in structural.iter().enumerate() {
            let end = structural
                .get(index + 1)
                .map_or(body.len(), |h| h.range.start);
            let line = lines.line(body_offset + heading.range.start);
            let kind = heading
                .attrs
                .iter()
                .find(|(k, _)| k == "kind")
                .and_then(|(_, v)| v.clone());
            if heading
                .attrs
                .iter()
                .any(|(k, v)| k == "kind" && v.is_none())
            {
                self.problem(
                    line,
                    "`kind` has no value",
                    "write it as `kind=scene` (no spaces around `=`)",
                );
            }
            let body_start = heading.range.end.min(end);
            sections.push(Section {
                level: heading.level,
                title: heading.title.trim().to_string(),
                id: heading.id.clone(),
                kind,
                attrs: heading.attrs.clone(),
                line,
                body: &body[body_start..end],
                body_line: lines.line(body_offset + body_start.saturating_sub(1)) + 1,
            });
        }
        (intro, sections)
    }
}

fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// True for ids made of lower-case ASCII letters, digits and single hyphens.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Field lines (`- key: value`) at the top of a section, and the text after them.
fn field_lines<'a>(
    section: &Section<'a>,
    known: &[&str],
) -> (Vec<(usize, String, String)>, &'a str) {
    let mut out = Vec::new();
    let mut consumed = 0;
    for (index, raw) in section.body.split_inclusive('\n').enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            consumed += raw.len();
            continue;
        }
        let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
            break;
        };
        let Some((key, value)) = item.split_once([':', '：']) else {
            break;
        };
        let key = key.trim();
        if !known.contains(&key) {
            break;
        }
        out.push((
            section.body_line + index,
            key.to_string(),
            value.trim().to_string(),
        ));
        consumed += raw.len();
    }
    (out, &section.body[consumed..])
}

/// List items (`- text`) anywhere in a section, and the remaining text.
fn items(section: &Section) -> (Vec<(usize, String)>, String) {
    let mut list = Vec::new();
    let mut rest = String::new();
    for (index, raw) in section.body.lines().enumerate() {
        let line = raw.trim();
        match line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .or_else(|| line.strip_prefix("+ "))
        {
            Some(item) if !raw.starts_with("    ") => {
                list.push((section.body_line + index, item.trim().to_string()))
            }
            _ => {
                rest.push_str(raw);
                rest.push('\n');
            }
        }
    }
    (list, rest)
}

/// Parses a prompt section; `default_id` is used when the heading has no `{#id}`.
/// Prompt kinds a survey question may have.
const SURVEY_KINDS: [&str; 3] = ["scale", "choice", "text"];

/// Every `before=<id>` names a question of the same kind in a `phase=before` survey.
fn check_survey_pairs(fp: &mut FileParser, steps: &[Step]) {
    let before_questions: BTreeMap<&str, &Prompt> = steps
        .iter()
        .filter(|s| {
            s.survey
                .as_ref()
                .is_some_and(|v| v.phase == SurveyPhase::Before)
        })
        .flat_map(|s| s.prompts.iter().map(|p| (p.id.as_str(), p)))
        .collect();
    for step in steps {
        let Some(survey) = &step.survey else { continue };
        for (after, before) in &survey.before {
            let Some(question) = step.prompts.iter().find(|p| &p.id == after) else {
                continue;
            };
            match before_questions.get(before.as_str()) {
                _ if survey.phase == SurveyPhase::Before => fp.problem(
                    question.line,
                    "`before=` is only for questions of an after survey",
                    "remove `before=` here, or move the question to a survey step without phase=before",
                ),
                None => fp.problem(
                    question.line,
                    format!("`before={}` names no question of a phase=before survey", clip(before)),
                    "write the id of the same question in the survey step marked phase=before, e.g. `before=pre-confidence`",
                ),
                Some(earlier) if std::mem::discriminant(&earlier.kind) != std::mem::discriminant(&question.kind) => fp.problem(
                    question.line,
                    format!("`before={}` is a different kind of question", clip(before)),
                    "ask the before and after questions the same way (the same kind, options or range)",
                ),
                Some(_) => {}
            }
        }
    }
}

fn prompt(
    fp: &mut FileParser,
    section: &Section,
    default_id: String,
    kind: &str,
    in_case: bool,
) -> Option<Prompt> {
    let id = section.id.clone().unwrap_or(default_id);
    fp.slug(section.line, &id, "prompt");
    if section.title.is_empty() {
        fp.problem(
            section.line,
            "a prompt has no question",
            "write the question as the heading text, before `{`",
        );
    }
    let (list, rest) = items(section);
    let kind = match kind {
        "text" => {
            fp.check_attrs(section, &["max"], "text prompt");
            let max = match section.attr("max") {
                Some(Some(v)) => match v.parse::<usize>() {
                    Ok(n) if (1..=20_000).contains(&n) => n,
                    _ => {
                        fp.problem(
                            section.line,
                            format!("`max={}` is not a length from 1 to 20000", clip(v)),
                            "write the largest answer in characters, e.g. `max=1000`",
                        );
                        DEFAULT_TEXT_MAX
                    }
                },
                _ => DEFAULT_TEXT_MAX,
            };
            PromptKind::Text { max }
        }
        "choice" => {
            fp.check_attrs(section, &["select"], "choice prompt");
            let multiple = match section.attr("select") {
                None | Some(Some("single")) => false,
                Some(Some("multiple")) => true,
                Some(other) => {
                    fp.problem(
                        section.line,
                        format!(
                            "`select={}` is not single or multiple",
                            clip(other.unwrap_or(""))
                        ),
                        "write `select=single` or `select=multiple`",
                    );
                    false
                }
            };
            if list.len() < 2 {
                fp.problem(
                    section.line,
                    "a choice prompt needs at least two options",
                    "list the options under the heading, one per line starting with `- `",
                );
            }
            let mut seen = HashSet::new();
            for (line, option) in &list {
                if !seen.insert(option.as_str()) {
                    fp.problem(
                        *line,
                        format!("the option `{}` is listed twice", clip(option)),
                        "remove one of them",
                    );
                }
            }
            PromptKind::Choice {
                multiple,
                options: list.into_iter().map(|(_, o)| o).collect(),
            }
        }
        "scale" => {
            fp.check_attrs(section, &["min", "max"], "scale prompt");
            let mut bound = |key: &str, default: i64| match section.attr(key) {
                Some(Some(v)) => v.parse::<i64>().unwrap_or_else(|_| {
                    fp.problem(
                        section.line,
                        format!("`{key}={}` is not a whole number", clip(v)),
                        "write e.g. `min=1 max=5`",
                    );
                    default
                }),
                _ => default,
            };
            let (min, max) = (bound("min", 1), bound("max", 5));
            if min >= max || max - min > 10 {
                fp.problem(
                    section.line,
                    format!("the scale {min}–{max} is not a usable range"),
                    "min must be below max, with at most 11 points, e.g. `min=1 max=5`",
                );
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
                    _ => fp.problem(
                        line,
                        format!(
                            "scale label `{}` is not `number: text` within {min}–{max}",
                            clip(&item)
                        ),
                        "write e.g. `- 1: そう思わない`",
                    ),
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
        | PromptKind::ValuesRanking { .. } => true,
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
            fp.check_attrs(section, &[], "four-box prompt");
            PromptKind::FourBox {}
        }
        "conference-sheet" => {
            fp.check_attrs(section, &["view", "max"], "conference-sheet prompt");
            let view = match section.attr("view") {
                None => SheetView::Forward,
                Some(value) => SheetView::parse(value.unwrap_or("")).unwrap_or_else(|| {
                    fp.problem(
                        section.line,
                        format!(
                            "`view={}` is not forward or back",
                            clip(value.unwrap_or(""))
                        ),
                        "write `view=forward` (前向き検討, the default) or `view=back` (振り返り)",
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
            fp.check_attrs(section, &["family", "max"], "decision-table prompt");
            let family = match section.attr("family") {
                None => String::new(),
                Some(Some(label)) => label.to_string(),
                Some(None) => {
                    fp.problem(
                        section.line,
                        "`family` has no value",
                        "name the family member whose view is filled in, e.g. `family=長男`, or remove `family`",
                    );
                    String::new()
                }
            };
            let options = deck(
                fp,
                section,
                list,
                ("option", "options"),
                2,
                "- 胃ろうを造る",
            );
            PromptKind::DecisionTable {
                options,
                family,
                max: field_max(fp, section),
            }
        }
        "values-ranking" => {
            fp.check_attrs(section, &["top"], "values-ranking prompt");
            let cards = deck(
                fp,
                section,
                list,
                ("card", "cards"),
                1,
                "- 住み慣れた家で過ごす",
            );
            let top = match section.attr("top") {
                None => DEFAULT_TOP,
                Some(value) => match value.unwrap_or("").parse::<usize>() {
                    Ok(top) if top >= 1 => top,
                    _ => {
                        fp.problem(
                            section.line,
                            format!(
                                "`top={}` is not a number of cards from 1 up",
                                clip(value.unwrap_or(""))
                            ),
                            "write how many cards a table ranks, e.g. `top=3`",
                        );
                        DEFAULT_TOP
                    }
                },
            };
            if !cards.is_empty() && top > cards.len() {
                let default = if section.attr("top").is_none() {
                    " (3 when `top=` is not given)"
                } else {
                    ""
                };
                fp.problem(
                    section.line,
                    format!(
                        "`top` {top}{default} is larger than the deck of {} cards",
                        cards.len()
                    ),
                    "add cards, or ask for fewer with a smaller `top=`",
                );
            }
            let top = top.clamp(1, cards.len().max(1));
            PromptKind::ValuesRanking { cards, top }
        }
        "stakeholder-map" => {
            fp.check_attrs(section, &["max"], "stakeholder-map prompt");
            // In a case the people come from the case, filled in once the whole file is read.
            let people = if in_case {
                Vec::new()
            } else {
                deck(fp, section, list, ("person", "people"), 2, "- 本人")
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
            fp.check_attrs(section, &["max"], "capacity-check prompt");
            PromptKind::CapacityCheck {
                max: field_max(fp, section),
            }
        }
        "action-plan" => {
            fp.check_attrs(section, &[], "action-plan prompt");
            // Outside a case the only person besides the professions is the patient.
            PromptKind::ActionPlan {
                people: Person::of_case(&Patient::default(), &[], None),
            }
        }
        "three-field" => {
            fp.check_attrs(section, &["max"], "three-field prompt");
            PromptKind::ThreeField {
                max: field_max(fp, section),
            }
        }
        _ => return None,
    };
    Some(kind)
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
                    format!(
                        "`max={}` is not a length from 1 to {FIELD_MAX_LIMIT}",
                        clip(value.unwrap_or(""))
                    ),
                    "write the largest text per field in characters, e.g. `max=1000`",
                );
                DEFAULT_FIELD_MAX
            }
        },
    }
}

/// The list items of a prompt that are its options, cards or people: at least `min`,
/// at most [`LIST_MAX`], no duplicates.
fn deck(
    fp: &mut FileParser,
    section: &Section,
    list: &[(usize, String)],
    (what, whats): (&str, &str),
    min: usize,
    example: &str,
) -> Vec<String> {
    if list.len() < min {
        let need = if min == 1 {
            format!("at least one {what}")
        } else {
            format!("at least {min} {whats}")
        };
        fp.problem(
            section.line,
            format!(
                "a {} prompt needs {need}; it has {}",
                section.kind.as_deref().unwrap_or(""),
                list.len()
            ),
            format!(
                "list them under the heading, one per line starting with `- `, e.g. `{example}`"
            ),
        );
    }
    if list.len() > LIST_MAX {
        fp.problem(
            list[LIST_MAX].0,
            format!("more than {LIST_MAX} {whats} ({})", list.len()),
            format!("keep at most {LIST_MAX} {whats}: remove some, or split the prompt in two"),
        );
    }
    let mut seen = HashSet::new();
    for (line, item) in list {
        if !seen.insert(item.as_str()) {
            fp.problem(
                *line,
                format!("the {what} `{}` is listed twice", clip(item)),
                "remove one of them",
            );
        }
        if item.chars().count() > 300 {
            fp.problem(
                *line,
                format!("the {what} `{}` is longer than 300 characters", clip(item)),
                "shorten it; put explanations in the help text under the heading",
            );
        }
    }
    list.iter().map(|(_, item)| item.clone()).collect()
}

fn unknown_prompt_kind(fp: &mut FileParser, section: &Section, kind: &str, extra: &str) {
    fp.problem(
        section.line,
        format!("unknown prompt kind `{}`", clip(kind)),
        format!("use kind={} for a prompt{extra}", PROMPT_KINDS.join(" | ")),
    );
}

fn duplicate(
    fp: &mut FileParser,
    seen: &mut BTreeMap<String, usize>,
    id: &str,
    line: usize,
    what: &str,
) {
    if let Some(first) = seen.get(id) {
        fp.problem(
            line,
            format!("duplicate {what} id `{id}` (first used on line {first})"),
            "give each one its own id",
        );
    } else {
        seen.insert(id.to_string(), line);
    }
}

/// Parses a curriculum file. Returns what could be read even when there are problems.
pub fn curriculum(path: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Curriculum> {
    let mut fp = FileParser { path, problems };
    let split = frontmatter::split(path, text, fp.problems)?;
    let lines = LineIndex::new(text);
    let end_line = lines.line(split.body_offset.saturating_sub(1));
    let fields = &split.fields;
    fp.unknown_keys(
        fields,
        &[
            "id",
            "title",
            "language",
            "version",
            "duration",
            "audience",
            "objectives",
            "summary",
        ],
    );
    let id = fp.required(fields, "id", end_line).map(|f| {
        fp.slug(f.line, &f.text(), "curriculum");
        f.text()
    });
    let title = fp
        .required(fields, "title", end_line)
        .map(|f| f.text())
        .unwrap_or_default();
    let language = fp.required(fields, "language", end_line);
    let language = fp.language(language);
    let version = fp
        .required(fields, "version", end_line)
        .map(|f| f.text())
        .unwrap_or_default();
    let duration = fp
        .required(fields, "duration", end_line)
        .and_then(|f| fp.minutes(f.line, &f.text(), "duration"))
        .unwrap_or(0);
    let audience = fp
        .required(fields, "audience", end_line)
        .map(|f| fp.professions(&f))
        .unwrap_or_default();
    let objectives = fp
        .required(fields, "objectives", end_line)
        .map(|f| f.list().into_iter().map(|(_, s)| s).collect())
        .unwrap_or_default();
    let summary = fields.get("summary").map(|f| f.text()).unwrap_or_default();

    let (_, sections) = fp.sections(text, split.body_offset, &lines);
    let mut steps: Vec<Step> = Vec::new();
    let mut step_ids = BTreeMap::new();
    let mut prompt_ids = BTreeMap::new();
    for section in &sections {
        if section.level == 1 {
            let step_id = section
                .id
                .clone()
                .unwrap_or_else(|| format!("step-{}", steps.len() + 1));
            if fp.slug(section.line, &step_id, "step") {
                duplicate(&mut fp, &mut step_ids, &step_id, section.line, "step");
            }
            let kind = match section.kind.as_deref() {
                None => {
                    fp.problem(section.line, "missing required field `kind` on this step", "end the heading with e.g. `{#opening kind=lecture minutes=10}`; kinds: lecture, case-walk, group-work, reflection, survey, plenary");
                    StepKind::Lecture
                }
                Some(k) => StepKind::parse(k).unwrap_or_else(|| {
                    fp.problem(
                        section.line,
                        format!("unknown step kind `{}`", clip(k)),
                        "use kind=lecture | case-walk | group-work | reflection | survey | plenary",
                    );
                    StepKind::Lecture
                }),
            };
            let allowed: &[&str] = match kind {
                StepKind::CaseWalk => &["minutes", "case", "scenes"],
                StepKind::Survey => &["minutes", "phase"],
                _ => &["minutes"],
            };
            fp.check_attrs(section, allowed, "step");
            let minutes = match section.attr("minutes") {
                Some(Some(v)) => fp.minutes(section.line, v, "minutes"),
                Some(None) => fp.minutes(section.line, "", "minutes"),
                None => None,
            };
            if kind == StepKind::GroupWork && minutes.is_none() {
                fp.problem(
                    section.line,
                    "missing required field `minutes` on this group-work step",
                    "group work needs a time box, e.g. `minutes=30`",
                );
            }
            let walk = (kind == StepKind::CaseWalk).then(|| {
                let case = match section.attr("case") {
                    Some(Some(c)) => c.to_string(),
                    _ => {
                        fp.problem(
                            section.line,
                            "missing required field `case` on this case-walk step",
                            "name the case, e.g. `case=dementia-tube-feeding`",
                        );
                        String::new()
                    }
                };
                let scenes = match section.attr("scenes") {
                    Some(Some(list)) => list
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    _ => Vec::new(),
                };
                CaseWalk { case, scenes }
            });
            let survey = (kind == StepKind::Survey).then(|| SurveySettings {
                phase: match section.attr("phase") {
                    None | Some(Some("after")) => SurveyPhase::After,
                    Some(Some("before")) => SurveyPhase::Before,
                    Some(other) => {
                        fp.problem(
                            section.line,
                            format!("`phase={}` is not a survey phase", clip(other.unwrap_or(""))),
                            "use phase=before (asked at the start) or phase=after (the default, asked at the end)",
                        );
                        SurveyPhase::After
                    }
                },
                before: BTreeMap::new(),
            });
            steps.push(Step {
                id: step_id,
                title: section.title.clone(),
                kind,
                minutes,
                body: Markdown::new(section.body),
                facilitator_notes: Vec::new(),
                prompts: Vec::new(),
                walk,
                survey,
                line: section.line,
            });
            continue;
        }
        let Some(step) = steps.last_mut() else {
            fp.problem(
                section.line,
                "this section comes before the first step",
                "start each step with a level-1 heading `# ... {kind=...}`",
            );
            continue;
        };
        if section.level != 2 {
            fp.problem(
                section.line,
                "a heading with `kind=` inside a step must be level 2 (`##`)",
                "write it as `## ...`",
            );
            continue;
        }
        match section.kind.as_deref().unwrap_or("") {
            "facilitator" => {
                fp.check_attrs(section, &[], "facilitator note");
                step.facilitator_notes.push(Markdown::new(section.body));
            }
            kind if PROMPT_KINDS.contains(&kind) => {
                let default_id = format!("{}-q{}", step.id, step.prompts.len() + 1);
                let Some(survey) = step.survey.as_mut() else {
                    if let Some(p) = prompt(&mut fp, section, default_id, kind, false) {
                        duplicate(&mut fp, &mut prompt_ids, &p.id, p.line, "prompt");
                        step.prompts.push(p);
                    }
                    continue;
                };
                if !SURVEY_KINDS.contains(&kind) {
                    fp.problem(
                        section.line,
                        format!("a survey question cannot be kind={kind}"),
                        "survey questions are answered by each person alone: use kind=scale, kind=choice or kind=text",
                    );
                    continue;
                }
                // `before=<id>` is a survey setting, not a prompt setting.
                let before = section.attr("before").map(|v| v.unwrap_or("").to_string());
                let mut plain = section.clone();
                plain.attrs.retain(|(k, _)| k != "before");
                if let Some(p) = prompt(&mut fp, &plain, default_id, kind, false) {
                    duplicate(&mut fp, &mut prompt_ids, &p.id, p.line, "prompt");
                    if let Some(before) = before {
                        survey.before.insert(p.id.clone(), before);
                    }
                    step.prompts.push(p);
                }
            }
            kind => unknown_prompt_kind(&mut fp, section, kind, ", or kind=facilitator for notes"),
        }
    }
    check_survey_pairs(&mut fp, &steps);
    if steps.is_empty() {
        fp.problem(
            end_line + 1,
            "the curriculum has no steps",
            "add steps as level-1 headings, e.g. `# 開会 {#opening kind=lecture minutes=5}`",
        );
    }
    Some(Curriculum {
        id: id.unwrap_or_default(),
        title,
        language,
        version,
        duration,
        audience,
        objectives,
        summary,
        steps,
        path: path.to_string(),
    })
}

/// Parses a case file. Returns what could be read even when there are problems.
pub fn case(path: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Case> {
    let mut fp = FileParser { path, problems };
    let split = frontmatter::split(path, text, fp.problems)?;
    let lines = LineIndex::new(text);
    let end_line = lines.line(split.body_offset.saturating_sub(1));
    let fields = &split.fields;
    fp.unknown_keys(
        fields,
        &["id", "title", "language", "version", "team", "summary"],
    );
    let id = fp.required(fields, "id", end_line).map(|f| {
        fp.slug(f.line, &f.text(), "case");
        f.text()
    });
    let title = fp
        .required(fields, "title", end_line)
        .map(|f| f.text())
        .unwrap_or_default();
    let language = fp.required(fields, "language", end_line);
    let language = fp.language(language);
    let version = fp
        .required(fields, "version", end_line)
        .map(|f| f.text())
        .unwrap_or_default();
    let team = fp
        .required(fields, "team", end_line)
        .map(|f| fp.professions(&f))
        .unwrap_or_default();
    let summary = fields.get("summary").map(|f| f.text()).unwrap_or_default();

    let (intro, sections) = fp.sections(text, split.body_offset, &lines);
    let mut patient: Option<(usize, Patient)> = None;
    let mut family = Vec::new();
    let mut scenes: Vec<Scene> = Vec::new();
    let mut notes = Vec::new();
    let mut scene_ids = BTreeMap::new();
    let mut prompt_ids = BTreeMap::new();
    let mut family_ids = BTreeMap::new();
    let mut last_top = "";
    for section in &sections {
        if section.level == 1 {
            last_top = match section.kind.as_deref() {
                Some("patient") => {
                    fp.check_attrs(section, &[], "patient section");
                    let (found, rest) = field_lines(
                        section,
                        &["name", "age", "illness", "living", "care-level", "said"],
                    );
                    let value = |key: &str| {
                        found
                            .iter()
                            .find(|(_, k, _)| k == key)
                            .map(|(line, _, v)| (*line, v.clone()))
                    };
                    let mut need = |key: &str| {
                        value(key).map(|(_, v)| v).unwrap_or_else(|| {
                            fp.problem(
                                section.line,
                                format!("missing required field `{key}` for the patient"),
                                format!("add a line `- {key}: ...` directly under the heading"),
                            );
                            String::new()
                        })
                    };
                    let name = need("name");
                    let age_text = need("age");
                    let illness = need("illness");
                    let living = need("living");
                    let age = if age_text.is_empty() {
                        0
                    } else {
                        let digits: String = age_text
                            .chars()
                            .take_while(|c| c.is_ascii_digit())
                            .collect();
                        digits
                            .parse::<u32>()
                            .ok()
                            .filter(|a| *a <= 120)
                            .unwrap_or_else(|| {
                                fp.problem(
                                    value("age").map_or(section.line, |(l, _)| l),
                                    format!("age `{}` is not a number", clip(&age_text)),
                                    "write the age in years, e.g. `- age: 86`",
                                );
                                0
                            })
                    };
                    let p = Patient {
                        name,
                        age,
                        illness,
                        living,
                        care_level: value("care-level").map(|(_, v)| v).unwrap_or_default(),
                        said: found
                            .iter()
                            .filter(|(_, k, _)| k == "said")
                            .map(|(_, _, v)| v.clone())
                            .collect(),
                        story: Markdown::new(rest),
                    };
                    if let Some((first, _)) = &patient {
                        fp.problem(
                            section.line,
                            format!("a second patient section (the first is on line {first})"),
                            "a case has exactly one `{kind=patient}` section",
                        );
                    } else {
                        patient = Some((section.line, p));
                    }
                    "patient"
                }
                Some("family") => {
                    fp.check_attrs(section, &[], "family section");
                    let member_id = section.id.clone().unwrap_or_default();
                    if !member_id.is_empty() && fp.slug(section.line, &member_id, "family member") {
                        duplicate(
                            &mut fp,
                            &mut family_ids,
                            &member_id,
                            section.line,
                            "family member",
                        );
                    }
                    let (found, rest) = field_lines(
                        section,
                        &["name", "relation", "lives", "stance", "surrogate"],
                    );
                    let value = |key: &str| {
                        found
                            .iter()
                            .find(|(_, k, _)| k == key)
                            .map(|(line, _, v)| (*line, v.clone()))
                    };
                    let mut need = |key: &str| {
                        value(key).unwrap_or_else(|| {
                            fp.problem(
                                section.line,
                                format!("missing required field `{key}` for this family member"),
                                format!("add a line `- {key}: ...` directly under the heading"),
                            );
                            (section.line, String::new())
                        })
                    };
                    let relation = need("relation").1;
                    let (lives_line, lives) = need("lives");
                    let stance = need("stance").1;
                    let lives_with = match lives.as_str() {
                        "with" | "同居" => true,
                        "apart" | "別居" => false,
                        "" => false,
                        other => {
                            fp.problem(
                                lives_line,
                                format!("`lives: {}` is not `with` or `apart`", clip(other)),
                                "write `- lives: with` (同居) or `- lives: apart` (別居)",
                            );
                            false
                        }
                    };
                    let surrogate = match value("surrogate") {
                        None => false,
                        Some((_, v)) if matches!(v.as_str(), "yes" | "はい" | "true") => true,
                        Some((_, v)) if matches!(v.as_str(), "no" | "いいえ" | "false") => false,
                        Some((line, v)) => {
                            let v: String = v;
                            fp.problem(line, format!("`surrogate: {}` is not yes or no", clip(&v)), "write `- surrogate: yes` for the person expected to speak for the patient");
                            false
                        }
                    };
                    family.push(FamilyMember {
                        id: member_id,
                        title: section.title.clone(),
                        name: value("name").map(|(_, v)| v).unwrap_or_default(),
                        relation,
                        lives_with,
                        stance,
                        surrogate,
                        story: Markdown::new(rest),
                    });
                    "family"
                }
                Some("scene") => {
                    fp.check_attrs(section, &["next", "end"], "scene");
                    let scene_id = match &section.id {
                        Some(id) => id.clone(),
                        None => {
                            fp.problem(section.line, "a scene needs an id", "end the heading with e.g. `{#s1 kind=scene}`; steps and branches refer to scenes by id");
                            format!("scene-{}", scenes.len() + 1)
                        }
                    };
                    if fp.slug(section.line, &scene_id, "scene") {
                        duplicate(&mut fp, &mut scene_ids, &scene_id, section.line, "scene");
                    }
                    let (found, rest) = field_lines(section, &["when"]);
                    let next = match section.attr("next") {
                        Some(Some(n)) => Some(n.to_string()),
                        Some(None) => {
                            fp.problem(
                                section.line,
                                "`next` has no scene id",
                                "write e.g. `next=s4`",
                            );
                            None
                        }
                        None => None,
                    };
                    scenes.push(Scene {
                        id: scene_id,
                        title: section.title.clone(),
                        when: found
                            .into_iter()
                            .map(|(_, _, v)| v)
                            .next()
                            .unwrap_or_default(),
                        narrative: Markdown::new(rest),
                        role_cards: Vec::new(),
                        prompts: Vec::new(),
                        branch: None,
                        next,
                        end: section.attr("end").is_some(),
                        facilitator_notes: Vec::new(),
                        line: section.line,
                    });
                    "scene"
                }
                Some("facilitator") => {
                    fp.check_attrs(section, &[], "facilitator note");
                    notes.push(Markdown::new(section.body));
                    "facilitator"
                }
                Some(other) => {
                    fp.problem(section.line, format!("unknown section kind `{}`", clip(other)), "a level-1 heading in a case is kind=patient | family | scene | facilitator");
                    ""
                }
                None => {
                    fp.problem(section.line, "missing required field `kind` on this heading", "level-1 headings in a case need a kind: `{kind=patient}`, `{#eldest-son kind=family}`, `{#s1 kind=scene}` or `{kind=facilitator}`; use `##` or lower for ordinary headings");
                    ""
                }
            };
            continue;
        }
        let kind = section.kind.as_deref().unwrap_or("");
        let Some(scene) = scenes.last_mut().filter(|_| last_top == "scene") else {
            fp.problem(section.line, format!("a `kind={kind}` heading outside a scene"), "role cards, prompts and branches go under a scene heading (`# ... {#s1 kind=scene}`) as `##` headings");
            continue;
        };
        if section.level != 2 {
            fp.problem(
                section.line,
                "a heading with `kind=` inside a scene must be level 2 (`##`)",
                "write it as `## ...`",
            );
            continue;
        }
        match kind {
            "role" => {
                fp.check_attrs(section, &["profession"], "role card");
                match section.attr("profession") {
                    Some(Some(id)) => match Profession::find(id) {
                        Some(profession) => scene.role_cards.push(RoleCard {
                            profession,
                            title: section.title.clone(),
                            text: Markdown::new(section.body),
                        }),
                        None => fp.unknown_profession(section.line, id),
                    },
                    _ => fp.problem(
                        section.line,
                        "missing required field `profession` on this role card",
                        "write e.g. `{kind=role profession=visiting-nurse}`",
                    ),
                }
            }
            "branch" => {
                fp.check_attrs(section, &[], "branch");
                let (list, _) = items(section);
                if list.len() < 2 {
                    fp.problem(
                        section.line,
                        "a branch needs at least two options",
                        "list them under the heading: `- option -> scene-id`",
                    );
                }
                let mut options = Vec::new();
                for (line, item) in list {
                    let parts = item.rsplit_once("->").or_else(|| item.rsplit_once('→'));
                    match parts.map(|(l, t)| (l.trim(), t.trim())) {
                        Some((label, target)) if !target.is_empty() && !label.is_empty() => {
                            if fp.slug(line, target, "scene") {
                                options.push(BranchOption {
                                    label: label.to_string(),
                                    target: target.to_string(),
                                    line,
                                });
                            }
                        }
                        _ => fp.problem(
                            line,
                            format!("branch option `{}` has no target scene", clip(&item)),
                            "write the option, an arrow and the scene id: `- 胃ろうを造る -> s3a`",
                        ),
                    }
                }
                if scene.branch.is_some() {
                    fp.problem(
                        section.line,
                        "a scene can have only one branch",
                        "merge the options into one `{kind=branch}` heading",
                    );
                }
                scene.branch = Some(Branch {
                    question: section.title.clone(),
                    options,
                    line: section.line,
                });
            }
            "facilitator" => {
                fp.check_attrs(section, &[], "facilitator note");
                scene.facilitator_notes.push(Markdown::new(section.body));
            }
            kind if PROMPT_KINDS.contains(&kind) => {
                let default_id = format!("{}-q{}", scene.id, scene.prompts.len() + 1);
                if let Some(p) = prompt(&mut fp, section, default_id, kind, true) {
                    duplicate(&mut fp, &mut prompt_ids, &p.id, p.line, "prompt");
                    scene.prompts.push(p);
                }
            }
            kind => unknown_prompt_kind(
                &mut fp,
                section,
                kind,
                ", kind=role for a role card, kind=branch or kind=facilitator",
            ),
        }
    }
    let patient = match patient {
        Some((_, p)) => p,
        None => {
            fp.problem(end_line, "the case has no patient section", "add `# 本人 {kind=patient}` with field lines `- name:`, `- age:`, `- illness:`, `- living:`");
            Patient::default()
        }
    };
    // Prompts that name people know them only now that the whole case is read.
    for prompt in scenes.iter_mut().flat_map(|s| s.prompts.iter_mut()) {
        match &mut prompt.kind {
            PromptKind::StakeholderMap { people, .. } => {
                *people = Person::of_case(&patient, &family, Some(team.as_slice()));
            }
            PromptKind::ActionPlan { people } => {
                *people = Person::of_case(&patient, &family, None);
            }
            _ => {}
        }
    }
    if scenes.is_empty() {
        fp.problem(
            end_line,
            "the case has no scenes",
            "add scenes as `# 場面1 ... {#s1 kind=scene}`",
        );
    }
    Some(Case {
        id: id.unwrap_or_default(),
        title,
        language,
        version,
        summary,
        intro,
        patient,
        family,
        team,
        scenes,
        facilitator_notes: notes,
        path: path.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nteam: visiting-nurse, msw\n---\n\n# 本人 {kind=patient}\n\n- name: 花子\n- age: 80\n- illness: 心不全\n- living: 一人\n\n# 長女 {#d kind=family}\n\n- name: 和子\n- relation: 長女\n- lives: apart\n- stance: 心配\n\n# 場面1 {#s1 kind=scene}\n\n";

    /// Parses one scene holding `prompts`; returns the prompts and the problems.
    fn scene_prompts(prompts: &str) -> (Vec<Prompt>, Vec<Problem>) {
        let mut problems = Vec::new();
        let case = case("cases/c.md", &format!("{HEAD}{prompts}"), &mut problems).expect("case");
        (case.scenes[0].prompts.clone(), problems)
    }

    /// Parses one group-work step holding `prompts`.
    fn step_prompts(prompts: &str) -> (Vec<Prompt>, Vec<Problem>) {
        let text = format!(
            "---\nid: k\ntitle: t\nlanguage: ja\nversion: 1\nduration: 10\naudience: msw\nobjectives:\n- o\n---\n\n# GW {{#gw kind=group-work minutes=10}}\n\n{prompts}"
        );
        let mut problems = Vec::new();
        let curriculum = curriculum("curricula/k.md", &text, &mut problems).expect("curriculum");
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
        let PromptKind::ActionPlan { people } = &parsed.0[1].kind else {
            panic!("action plan")
        };
        // Professions are any profession id; the people are the patient and family.
        assert_eq!(people.len(), 2);
        assert!(matches!(
            parsed.0[2].kind,
            PromptKind::ThreeField {
                max: DEFAULT_FIELD_MAX
            }
        ));
        let parsed = step_prompts("## 計画 {#b kind=action-plan}\n");
        let PromptKind::ActionPlan { people } = one(&parsed) else {
            panic!("action plan")
        };
        assert_eq!(people.len(), 1, "outside a case only the patient");
    }

    #[test]
    fn bad_settings_are_problems_on_the_heading_line() {
        for (prompt, message) in [
            (
                "## x {#q kind=four-box max=10}\n",
                "unknown setting `max` on a four-box prompt",
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
                    .any(|p| p.line == 25 && p.message.contains(message)),
                "{prompt}: {problems:?}"
            );
        }
        let (_, problems) = step_prompts("## x {#q kind=stakeholder-map}\n");
        assert!(
            problems[0].message.contains("needs at least 2 people"),
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
                .message
                .contains("the option `a` is listed twice")
        );
        let deck: String = (0..31).map(|n| format!("- card {n}\n")).collect();
        let (_, problems) = scene_prompts(&format!("## x {{#q kind=values-ranking}}\n\n{deck}"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 27 + 30, "the 31st card");
        assert!(problems[0].message.contains("more than 30 cards (31)"));
    }

    /// Parses a curriculum of `steps`; returns it and the problems as text.
    fn curriculum_of(steps: &str) -> (Option<Curriculum>, Vec<String>) {
        let text = format!(
            "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nduration: 30\naudience: msw\nobjectives:\n- o\n---\n\n{steps}"
        );
        let mut problems = Vec::new();
        let c = curriculum("c.md", &text, &mut problems);
        (c, problems.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn survey_steps_take_a_phase_and_pair_after_questions_with_before_ones() {
        let (c, problems) = curriculum_of(
            "# 前 {#pre kind=survey phase=before}\n\n## 自信 {#pre-c kind=scale min=1 max=5}\n\n# 後 {#post kind=survey}\n\n## 自信 {#post-c kind=scale min=1 max=5 before=pre-c}\n\n## 感想 {#post-t kind=text}\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let c = c.unwrap();
        let pre = c.steps[0].survey.as_ref().unwrap();
        assert_eq!(pre.phase, SurveyPhase::Before);
        let post = c.steps[1].survey.as_ref().unwrap();
        assert_eq!(post.phase, SurveyPhase::After);
        assert_eq!(post.before.get("post-c").map(String::as_str), Some("pre-c"));
        // Survey questions are each person's, never a table's.
        assert!(c.steps[1].table_prompts().is_empty());
        assert_eq!(c.step_prompts().count(), 0);
    }

    #[test]
    fn survey_mistakes_are_named_with_their_line() {
        let cases = [
            (
                "# 後 {#post kind=survey phase=later}\n\n## 感想 {kind=text}\n",
                "`phase=later` is not a survey phase",
            ),
            (
                "# 後 {#post kind=survey}\n\n## 表 {kind=four-box}\n",
                "a survey question cannot be kind=four-box",
            ),
            (
                "# 後 {#post kind=survey}\n\n## 自信 {#c kind=scale min=1 max=5 before=nothing}\n",
                "`before=nothing` names no question of a phase=before survey",
            ),
            (
                "# 前 {#pre kind=survey phase=before}\n\n## 自信 {#a kind=text}\n\n# 後 {#post kind=survey}\n\n## 自信 {#b kind=scale min=1 max=5 before=a}\n",
                "`before=a` is a different kind of question",
            ),
            (
                "# 前 {#pre kind=survey phase=before}\n\n## 自信 {#a kind=text}\n\n## 二回目 {#b kind=text before=a}\n",
                "`before=` is only for questions of an after survey",
            ),
            (
                "# 講義 {#l kind=lecture phase=before}\n",
                "unknown setting `phase` on a step",
            ),
        ];
        for (steps, expected) in cases {
            let (_, problems) = curriculum_of(steps);
            assert!(
                problems
                    .iter()
                    .any(|p| p.contains(expected) && p.starts_with("c.md:")),
                "{expected}: {problems:?}"
            );
        }
    }
}
