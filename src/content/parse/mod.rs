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
mod theme;

use std::collections::BTreeMap;
use std::fmt;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::markdown::{LineIndex, Markdown, new_parser};
use super::{Problem, Profession, Professions, suggest};
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
    /// The problem with an attribute block that had to be read leniently, if any, and
    /// its arguments: the block as it should be written, then the character at fault.
    repaired: Option<(&'static str, [String; 2])>,
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
    /// Required keys a misspelt key was reported for (see `FileParser::unknown_keys`).
    covered: Vec<&'static str>,
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
    /// Reports the problem `key` (see [`Problem::keyed`]) on `line` of this file.
    fn problem(&mut self, line: usize, key: &'static str, args: &[&dyn fmt::Display]) {
        self.problems
            .push(Problem::keyed(self.path, line, key, args));
    }

    /// Reports `key` with a "did you mean" `near`.
    fn problem_near(
        &mut self,
        line: usize,
        key: &'static str,
        args: &[&dyn fmt::Display],
        near: Option<&str>,
    ) {
        self.problems
            .push(Problem::keyed(self.path, line, key, args).near(near));
    }

    /// The field `key`, reported when it is empty or missing — unless `covered` holds
    /// it: a key misspelled so closely that it has been reported as meant for this one.
    fn required(
        &mut self,
        fields: &BTreeMap<String, Field>,
        key: &str,
        end_line: usize,
        covered: &[&str],
    ) -> Option<Field> {
        match fields.get(key) {
            Some(field) if !field.items.is_empty() => Some(field.clone()),
            Some(field) => {
                self.problem(field.line, "author.fm_empty", &[&key]);
                None
            }
            None if covered.contains(&key) => None,
            None => {
                self.problem(end_line, "author.fm_missing", &[&key]);
                None
            }
        }
    }

    /// Splits off the front matter and reads the fields every file has: id, title,
    /// language, version and summary. `own_keys` are the file kind's own keys, allowed
    /// beside those; `id_key` is the problem when the id is not a slug.
    fn head(
        &mut self,
        text: &str,
        own_keys: &[&'static str],
        id_key: &'static str,
    ) -> Option<Head> {
        let split = frontmatter::split(self.path, text, self.problems)?;
        let lines = LineIndex::new(text);
        let end_line = lines.line(split.body_offset.saturating_sub(1));
        let fields = split.fields;
        let mut known = vec!["id", "title", "language", "version"];
        known.extend_from_slice(own_keys);
        known.push("summary");
        let covered = self.unknown_keys(&fields, &known);
        let id = self.required(&fields, "id", end_line, &covered).map(|f| {
            self.slug(f.line, &f.text(), id_key);
            f.text()
        });
        let title = self
            .required(&fields, "title", end_line, &covered)
            .map(|f| f.text())
            .unwrap_or_default();
        let language = self.required(&fields, "language", end_line, &covered);
        let language = self.language(language);
        let version = self
            .required(&fields, "version", end_line, &covered)
            .map(|f| f.text())
            .unwrap_or_default();
        let summary = fields.get("summary").map(|f| f.text()).unwrap_or_default();
        Some(Head {
            fields,
            body_offset: split.body_offset,
            lines,
            end_line,
            covered,
            id,
            title,
            language,
            version,
            summary,
        })
    }

    /// True when `id` is a slug; else reports `key` (which names what the id is of).
    fn slug(&mut self, line: usize, id: &str, key: &'static str) -> bool {
        if is_slug(id) {
            return true;
        }
        self.problem(line, key, &[&clip(id)]);
        false
    }

    /// Reports every key not in `known`, with the known key it is nearest to. Returns
    /// those near keys: they count as given, so a typo `tilte:` is one problem, not
    /// also a missing `title`.
    fn unknown_keys<'k>(
        &mut self,
        fields: &BTreeMap<String, Field>,
        known: &[&'k str],
    ) -> Vec<&'k str> {
        let mut covered = Vec::new();
        for (key, field) in fields {
            if !known.contains(&key.as_str()) {
                let near = suggest::closest(key, known.iter().copied())
                    .filter(|near| !fields.contains_key(*near));
                covered.extend(near);
                self.problem_near(
                    field.line,
                    "author.fm_unknown_key",
                    &[key, &known.join(", ")],
                    near,
                );
            }
        }
        covered
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

    /// The professions an author may name, for "did you mean": the built-in ones and
    /// the roles the content declares, by their names and by their short names.
    fn profession_names(&self) -> Vec<suggest::ProfessionName<'static>> {
        let all = self.professions.all();
        let names = all.iter().map(|p| (p.id, p.ja, p.en));
        let short = all.iter().map(|p| (p.id, p.short, p.short_en));
        names.chain(short).collect()
    }

    fn unknown_profession(&mut self, line: usize, id: &str) {
        let names = self.profession_names();
        let near = suggest::profession(id, &names);
        self.problem_near(
            line,
            "author.profession_unknown",
            &[&clip(id), &self.professions.known_ids()],
            near,
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
                self.problem(field.line, "author.language_unknown", &[&clip(&lang)]);
                Lang::default()
            }
        }
    }

    /// A number of minutes; `what` is the setting's name (`duration`, `minutes`).
    fn minutes(&mut self, line: usize, value: &str, what: &str) -> Option<u32> {
        match value.parse::<u32>() {
            Ok(n) if n > 0 && n <= 24 * 60 => Some(n),
            _ => {
                self.problem(line, "author.minutes_bad", &[&what, &clip(value)]);
                None
            }
        }
    }

    /// The section as meant when its kind is a near miss of one of `kinds`
    /// (`kind=scnee`): reported once as `key` (the kind, then `list`) with the near kind,
    /// and read as that kind, so that nothing under it is reported as well (its role
    /// cards as outside a scene, the branches to it as leading nowhere). Any other
    /// section as it is.
    fn with_near_kind<'a>(
        &mut self,
        section: &Section<'a>,
        kinds: &[&str],
        key: &'static str,
        list: &str,
    ) -> Section<'a> {
        let mut section = section.clone();
        let Some(kind) = section.kind.clone() else {
            return section;
        };
        if kinds.contains(&kind.as_str()) {
            return section;
        }
        if let Some(near) = suggest::closest(&kind, kinds.iter().copied()) {
            self.problem_near(section.line, key, &[&clip(&kind), &list], Some(near));
            section.kind = Some(near.to_string());
        }
        section
    }

    /// Reports every setting of the heading besides `kind` that is not `allowed`.
    fn check_attrs(&mut self, section: &Section, allowed: &[&str]) {
        let kind = section.kind.as_deref().unwrap_or("");
        for (key, _) in &section.attrs {
            if key != "kind" && !allowed.contains(&key.as_str()) {
                if allowed.is_empty() {
                    self.problem(
                        section.line,
                        "author.setting_none_allowed",
                        &[&clip(key), &kind],
                    );
                } else {
                    let near = suggest::closest(key, allowed.iter().copied());
                    self.problem_near(
                        section.line,
                        "author.setting_unknown",
                        &[&clip(key), &kind, &allowed.join(", ")],
                        near,
                    );
                }
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
                        repaired: None,
                    });
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = current.as_mut() {
                        h.title.push_str(&t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(mut h) = current.take() {
                        let raw = &body[h.range.clone()];
                        repair_heading(&mut h, raw);
                        headings.push(h);
                    }
                }
                _ => {}
            }
        }
        for heading in &headings {
            if let Some((key, [fixed, found])) = &heading.repaired {
                self.problem(
                    lines.line(body_offset + heading.range.start),
                    key,
                    &[fixed, found],
                );
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
                self.problem(line, "author.kind_no_value", &[]);
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

/// Reads the attribute block of a heading that pulldown-cmark left in its text, so that
/// one slip is one problem: an unclosed `{` (`# 場面1 {#s1 kind=scene`) or a full-width
/// space, `＝`, `＃` or brace inside it (`{#s1　kind=scene}`), or spaces around `=`
/// (`kind = scene`). Without this the heading
/// would have no kind, and every role card and prompt under it would be reported as
/// outside a scene. `raw` is the heading's source. Only a block that looks like
/// settings (it starts with `#` or holds `kind`) is read; other braces stay text.
fn repair_heading(heading: &mut Heading, raw: &str) {
    const FULL_WIDTH: [char; 5] = ['\u{3000}', '＝', '＃', '｛', '｝'];
    let line = raw.lines().next().unwrap_or("").trim_end();
    let (block, opened) = match line.rfind(['{', '｛']) {
        Some(open) => (&line[open..], true),
        None => match unopened_block(line) {
            Some(block) => (block, false),
            None => return,
        },
    };
    let inner = block.trim_start_matches(['{', '｛']);
    let (inner, closed) = match inner.rfind(['}', '｝']) {
        Some(end)
            if inner[end..]
                .trim_start_matches(['}', '｝'])
                .trim()
                .is_empty() =>
        {
            (&inner[..end], true)
        }
        _ => (inner, false),
    };
    let full_width = block.chars().find(|c| FULL_WIDTH.contains(c));
    let spaced = inner.contains(" =") || inner.contains("= ");
    if opened && closed && full_width.is_none() && !spaced {
        return;
    }
    let mut normal: String = inner
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '＝' => '=',
            '＃' => '#',
            c => c,
        })
        .collect();
    if !(normal.trim_start().starts_with('#') || normal.contains("kind")) {
        return;
    }
    // `kind = scene` is `kind=scene`.
    while normal.contains(" =") || normal.contains("= ") {
        normal = normal.replace(" =", "=").replace("= ", "=");
    }
    let mut id = None;
    let mut attrs = Vec::new();
    let tokens: Vec<&str> = normal.split_whitespace().collect();
    let fixed = format!("{{{}}}", tokens.join(" "));
    for token in tokens {
        if let Some(rest) = token.strip_prefix('#') {
            id = Some(rest.to_string());
        } else if let Some((key, value)) = token.split_once('=') {
            attrs.push((key.to_string(), Some(value.to_string())));
        } else {
            attrs.push((token.trim_start_matches('.').to_string(), None));
        }
    }
    let cut = if opened {
        heading.title.rfind(['{', '｛'])
    } else {
        block
            .split_whitespace()
            .next()
            .and_then(|first| heading.title.rfind(first))
    };
    if let Some(cut) = cut {
        heading.title.truncate(cut);
    }
    heading.id = id;
    heading.attrs = attrs;
    heading.repaired = Some(match full_width {
        _ if !opened => ("author.heading_unopened", [fixed, "{".to_string()]),
        _ if !closed => ("author.heading_unclosed", [fixed, "{".to_string()]),
        Some('\u{3000}') => ("author.heading_fullwidth_space", [fixed, String::new()]),
        None => ("author.heading_spaced_equals", [fixed, String::new()]),
        found => (
            "author.heading_fullwidth",
            [fixed, found.map(String::from).unwrap_or_default()],
        ),
    });
}

/// The settings of a heading that closes them but never opened them
/// (`# 場面1 #s1 kind=scene}`): from the first word that starts with `#` or holds
/// `kind` to the end of the line.
fn unopened_block(line: &str) -> Option<&str> {
    let text = line.trim_start_matches('#');
    if !text.ends_with(['}', '｝']) || !text.contains("kind") {
        return None;
    }
    let start = text
        .split_whitespace()
        .find(|word| word.starts_with(['#', '＃']) || word.contains("kind"))?;
    let at = text.rfind(start)?;
    // Only the last run of words: `start` must be followed by settings to the end.
    Some(&text[at..])
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

/// The text of a list item line: after `-`, `*` or `+` and a space or a tab (Markdown
/// takes either, and a tab cannot be seen).
fn bullet(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['-', '*', '+'])?;
    rest.strip_prefix([' ', '\t'])
}

/// List items (`- text`) anywhere in a section, and the remaining text.
fn items(section: &Section) -> (Vec<(usize, String)>, String) {
    let mut list = Vec::new();
    let mut rest = String::new();
    for (index, raw) in section.body.lines().enumerate() {
        let line = raw.trim();
        match bullet(line) {
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
    key: &'static str,
) {
    if let Some(first) = seen.get(id) {
        fp.problem(line, key, &[&id, first]);
    } else {
        seen.insert(id.to_string(), line);
    }
}
