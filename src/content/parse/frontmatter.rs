//! Splits a content file into its front matter and its Markdown body.
//!
//! The front matter is a deliberately small subset of YAML that nurses and city staff
//! can write without learning a programming format: `key: value` lines, and lists
//! written either as `key: a, b, c` or as `key:` followed by `- item` lines.
//! Every value remembers the line it came from, so problems can name `file:line`.

use std::collections::BTreeMap;

use crate::content::Problem;

/// One front-matter value with the line it was written on (1-based).
#[derive(Debug, Clone)]
pub struct Field {
    /// Line of the `key:` line.
    pub line: usize,
    /// The items: one for a plain value, several for a list.
    pub items: Vec<(usize, String)>,
    /// True when written as a block list (`key:` then `- item` lines).
    pub block: bool,
}

impl Field {
    /// The value as one string (list items joined back with commas).
    pub fn text(&self) -> String {
        self.items
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The value as a list: block items as written, or a one-line value split at commas.
    pub fn list(&self) -> Vec<(usize, String)> {
        if self.block {
            return self.items.clone();
        }
        self.items
            .iter()
            .flat_map(|(line, s)| {
                s.split([',', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| (*line, s.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A parsed file: its front matter and where the Markdown body starts.
#[derive(Debug)]
pub struct Split {
    /// Front-matter fields by key.
    pub fields: BTreeMap<String, Field>,
    /// Byte offset of `body` in the whole file.
    pub body_offset: usize,
}

/// Splits `text` into front matter and body, reporting every malformed line.
/// A file without front matter, or with an unterminated one, yields a single problem.
///
/// A line that is only slightly off is reported once and still read, so that nothing
/// that follows from it is reported too: `id：x` (a full-width colon) and `language ja`
/// (no colon after a key) give their value to `id` and `language`. A BOM before the
/// first `---` is skipped (Notepad writes one), and a tab after a list item's `-` counts
/// as the space.
pub fn split(path: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Split> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let mut lines = text[text_start..].split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        problems.push(Problem::keyed(path, 1, "author.no_front_matter", &[]));
        return None;
    }
    let mut offset = text_start + first.len();
    let mut fields: BTreeMap<String, Field> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (index, raw) in lines.enumerate() {
        let line_no = index + 2;
        let line = raw.trim_end_matches(['\n', '\r']);
        offset += raw.len();
        if line.trim_end() == "---" {
            return Some(Split {
                fields,
                body_offset: offset,
            });
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = list_item(trimmed) {
            match current.as_ref().and_then(|key| fields.get_mut(key)) {
                Some(field) if field.block || field.items.is_empty() => {
                    field.block = true;
                    field
                        .items
                        .push((line_no, unquote(item.trim()).to_string()));
                }
                _ => problems.push(Problem::keyed(path, line_no, "author.fm_stray_item", &[])),
            }
            continue;
        }
        let colon = line.find([':', '：']);
        let (key, value) = match colon {
            Some(at) if line[at..].starts_with('：') => {
                let key = line[..at].trim();
                problems.push(Problem::keyed(
                    path,
                    line_no,
                    "author.fm_fullwidth_colon",
                    &[&clip(key)],
                ));
                (key, &line[at + '：'.len_utf8()..])
            }
            Some(at) => (line[..at].trim(), &line[at + 1..]),
            None => match line.split_once(char::is_whitespace) {
                // `language ja`: a key, a space and a value, only the colon missing.
                Some((key, value)) if is_key(key) && !value.trim().is_empty() => {
                    problems.push(Problem::keyed(path, line_no, "author.fm_no_colon", &[&key]));
                    (key, value)
                }
                _ => {
                    problems.push(Problem::keyed(
                        path,
                        line_no,
                        "author.fm_not_key_value",
                        &[&clip(trimmed)],
                    ));
                    continue;
                }
            },
        };
        if !is_key(key) || line.starts_with([' ', '\t']) {
            problems.push(Problem::keyed(
                path,
                line_no,
                "author.fm_bad_key",
                &[&clip(key)],
            ));
            continue;
        }
        if fields.contains_key(key) {
            problems.push(Problem::keyed(
                path,
                line_no,
                "author.fm_key_twice",
                &[&key],
            ));
            continue;
        }
        let value = unquote(value.trim());
        let items = if value.is_empty() {
            Vec::new()
        } else {
            vec![(line_no, value.to_string())]
        };
        fields.insert(
            key.to_string(),
            Field {
                line: line_no,
                items,
                block: false,
            },
        );
        current = Some(key.to_string());
    }
    problems.push(Problem::keyed(path, 1, "author.fm_not_closed", &[]));
    None
}

/// True for a front-matter key: lower-case English letters, digits, `-` and `_`.
fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The text of a list item line (`- item`, also `-` then a tab, or a lone `-`).
pub fn list_item(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('-')?;
    if rest.is_empty() {
        Some("")
    } else if rest.starts_with([' ', '\t']) {
        Some(&rest[1..])
    } else {
        None
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// Shortens a quoted fragment so one bad line cannot flood the report.
pub fn clip(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn reads_values_and_both_list_styles() {
        let text = "---\nid: a-b\naudience: visiting-nurse、care-manager\nobjectives:\n- 一つ目\n- 二つ目\n---\n# body\n";
        let mut problems = Vec::new();
        let split = split("x.md", text, &mut problems).expect("front matter");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(split.fields["id"].text(), "a-b");
        let audience: Vec<_> = split.fields["audience"]
            .list()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(audience, ["visiting-nurse", "care-manager"]);
        let objectives = split.fields["objectives"].list();
        assert_eq!(objectives[1], (6, "二つ目".to_string()));
        assert_eq!(&text[split.body_offset..], "# body\n");
    }

    #[test]
    fn unterminated_front_matter_is_one_problem() {
        let mut problems = Vec::new();
        assert!(split("x.md", "---\nid: a\n# heading\n", &mut problems).is_none());
        assert!(
            problems
                .iter()
                .any(|p| p.message(Lang::En).contains("not closed"))
        );
    }
}
