//! Turns one curriculum or case file into the content model, collecting every problem.
//!
//! Structure comes from headings with attribute blocks (`# 場面1 {#s1 kind=scene}`);
//! a heading without `kind=` is ordinary text of the section above it. This module holds
//! what both kinds of file share: the sections, the front-matter fields every file has, and
//! the checks of ids; `prompt`, `curriculum` and `case` read their own parts.

mod case;
mod curriculum;
mod frontmatter;
mod prompt;
mod role;

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::markdown::{LineIndex, Markdown, new_parser};
use super::{Problem, Profession, Professions};
use crate::lang::Lang;
use frontmatter::{Field, clip};

pub use case::case;
pub use curriculum::curriculum;
pub use prompt::{DEFAULT_FIELD_MAX, DEFAULT_TEXT_MAX, LIST_MAX};
pub use role::{declarations, professions};

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

/// The front matter every content file starts with, read once for a curriculum and a case.
struct Head {
    /// Every front-matter field, including the file kind's own (read by the caller).
    fields: BTreeMap<String, Field>,
    /// Byte offset where the Markdown body starts, after the closing `---`.
    body_offset: usize,
    lines: LineIndex,
    /// Line of the closing `---`: where a missing field is reported.
    end_line: usize,
    /// `None` when the field is missing (already reported).
    id: Option<String>,
    title: String,
    /// Japanese also when the field is missing or unknown (that is reported as a problem).
    language: Lang,
    version: String,
    /// Empty when not given: the one optional field.
    summary: String,
}

/// Shared state while parsing one file.
struct FileParser<'p> {
    path: &'p str,
    problems: &'p mut Vec<Problem>,
    /// The library's professions: the built-ins and every file's declared roles.
    professions: &'p Professions,
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

    /// Splits off the front matter and reads the fields every file has: id, title,
    /// language, version and summary. `own_keys` are the file kind's own keys, allowed
    /// beside those; `what` names the kind in a problem about the id.
    fn head(&mut self, text: &str, own_keys: &[&str], what: &str) -> Option<Head> {
        let split = frontmatter::split(self.path, text, self.problems)?;
        let lines = LineIndex::new(text);
        let end_line = lines.line(split.body_offset.saturating_sub(1));
        let fields = split.fields;
        let mut known = vec!["id", "title", "language", "version"];
        known.extend_from_slice(own_keys);
        known.push("summary");
        self.unknown_keys(&fields, &known);
        let id = self.required(&fields, "id", end_line).map(|f| {
            self.slug(f.line, &f.text(), what);
            f.text()
        });
        let title = self
            .required(&fields, "title", end_line)
            .map(|f| f.text())
            .unwrap_or_default();
        let language = self.required(&fields, "language", end_line);
        let language = self.language(language);
        let version = self
            .required(&fields, "version", end_line)
            .map(|f| f.text())
            .unwrap_or_default();
        let summary = fields.get("summary").map(|f| f.text()).unwrap_or_default();
        Some(Head {
            fields,
            body_offset: split.body_offset,
            lines,
            end_line,
            id,
            title,
            language,
            version,
            summary,
        })
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
            match self.professions.find(&id) {
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
            format!("use one of: {}", self.professions.known_ids()),
        );
    }

    fn language(&mut self, field: Option<Field>) -> Lang {
        let Some(field) = field else {
            return Lang::default();
        };
        let lang = field.text();
        match lang.as_str() {
            "ja" => Lang::Ja,
            "en" => Lang::En,
            _ => {
                self.problem(
                    field.line,
                    format!("unknown language `{}`", clip(&lang)),
                    "write `language: ja` or `language: en`",
                );
                Lang::default()
            }
        }
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
