//! Reads the themes a curriculum defines for the cross-session report
//! (`# 在宅医の参加 {#home-doctors kind=theme}` with `- en:`, `- words:` and `- who:`
//! lines), so that a district files its groups' items under its own themes. See
//! `report::items` for how words file an item.

use std::collections::BTreeMap;

use super::frontmatter::clip;
use super::{FileParser, Section, is_slug};
use crate::content::Theme;
use crate::report::items::normalize;

/// The `kind=` of a theme.
pub const KIND: &str = "theme";

/// The field lines a theme takes; `en` and `words` are required.
const KEYS: [&str; 3] = ["en", "words", "who"];

/// Words too generic to file an item on their own: they may only be joined with a
/// specific word (「連携+医師」).
const GENERIC: [&str; 6] = ["連携", "支援", "地域", "協力", "関係", "取り組み"];

/// Takes the theme sections (level 1, `kind=theme`) out of a curriculum's sections and
/// reads them; every problem goes to the file's problems with its line. A heading under
/// a theme belongs to nothing and is reported.
pub(super) fn themes<'a>(
    fp: &mut FileParser,
    sections: Vec<Section<'a>>,
) -> (Vec<Section<'a>>, Vec<Theme>) {
    let mut rest = Vec::with_capacity(sections.len());
    let mut themes: Vec<Theme> = Vec::new();
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_theme = false;
    for section in sections {
        if section.level == 1 {
            in_theme = section.kind.as_deref() == Some(KIND);
        }
        if !in_theme {
            rest.push(section);
            continue;
        }
        if section.level > 1 {
            fp.problem(section.line, "author_theme.inside", &[]);
            continue;
        }
        let Some(theme) = theme(fp, &section) else {
            continue;
        };
        if let Some(first) = lines.get(&theme.id) {
            fp.problem(section.line, "author_theme.duplicate", &[&theme.id, first]);
            continue;
        }
        lines.insert(theme.id.clone(), section.line);
        themes.push(theme);
    }
    (rest, themes)
}

/// A list of words as written (`,` or `、` between them), normalised; a word that is
/// empty once normalised, or generic on its own, is reported.
fn words(fp: &mut FileParser, line: usize, value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in value.split([',', '、', '，']) {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let parts: Vec<String> = raw.split(['+', '＋']).map(normalize).collect();
        if parts.iter().any(String::is_empty) {
            fp.problem(line, "author_theme.empty_word", &[&clip(raw)]);
            continue;
        }
        if let [only] = parts.as_slice()
            && GENERIC.contains(&only.as_str())
        {
            fp.problem(line, "author_theme.generic", &[&clip(raw)]);
            continue;
        }
        out.push(parts.join("+"));
    }
    out
}

fn theme(fp: &mut FileParser, section: &Section) -> Option<Theme> {
    for (key, _) in &section.attrs {
        if key != "kind" {
            fp.problem(section.line, "author_theme.attr", &[&clip(key)]);
        }
    }
    let mut fields: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for (index, raw) in section.body.lines().enumerate() {
        let line = section.body_line + index;
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let Some(item) = text.strip_prefix("- ").or_else(|| text.strip_prefix("* ")) else {
            // The text after the field lines: a note for authors, shown nowhere.
            break;
        };
        let Some((key, value)) = item.split_once([':', '：']) else {
            break;
        };
        let key = key.trim();
        match KEYS.iter().find(|k| **k == key) {
            Some(known) if fields.contains_key(known) => {
                fp.problem(line, "author_theme.twice", &[&key]);
            }
            Some(known) => {
                fields.insert(known, (line, value.trim().to_string()));
            }
            None => fp.problem(
                line,
                "author_theme.unknown_key",
                &[&clip(key), &KEYS.join(", ")],
            ),
        }
    }
    let mut complete = true;
    let id = match section.id.as_deref() {
        None => {
            fp.problem(section.line, "author_theme.no_id", &[]);
            complete = false;
            String::new()
        }
        Some(id) if !is_slug(id) || id == crate::report::items::OTHER => {
            fp.problem(section.line, "author_theme.bad_id", &[&clip(id)]);
            complete = false;
            String::new()
        }
        Some(id) => id.to_string(),
    };
    if section.title.is_empty() {
        fp.problem(section.line, "author_theme.no_name", &[]);
        complete = false;
    }
    for key in ["en", "words"] {
        if fields.get(key).is_none_or(|(_, v)| v.is_empty()) {
            let line = fields.get(key).map_or(section.line, |(l, _)| *l);
            fp.problem(line, "author_theme.missing", &[&key]);
            complete = false;
        }
    }
    let mut list = |key: &str| match fields.get(key) {
        Some((line, value)) => words(fp, *line, value),
        None => Vec::new(),
    };
    let (words, who) = (list("words"), list("who"));
    if !complete || words.is_empty() {
        return None;
    }
    Some(Theme {
        id,
        ja: section.title.clone(),
        en: fields.get("en").map(|(_, v)| v.clone()).unwrap_or_default(),
        words,
        who,
    })
}

#[cfg(test)]
mod tests {
    use crate::content::{Problem, Professions};

    const HEAD: &str = "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nduration: 5\naudience: msw\nobjectives:\n- o\n---\n\n# 開会 {#opening kind=lecture minutes=5}\n\n";

    fn parse(themes: &str) -> (Option<crate::content::Curriculum>, Vec<String>) {
        let text = format!("{HEAD}{themes}");
        let mut problems: Vec<Problem> = Vec::new();
        let c = super::super::curriculum::curriculum(
            "curricula/c.md",
            &text,
            &Professions::default(),
            &mut problems,
        );
        let problems = problems
            .iter()
            .map(|p| format!("{}:{}", p.line, p.key))
            .collect();
        (c, problems)
    }

    #[test]
    fn a_curriculum_defines_its_themes_and_their_words() {
        let (c, problems) = parse(
            "# 在宅医の参加 {#home-doctors kind=theme}\n\n- en: Home doctors taking part\n- words: 在宅医、往診, 連携+ドクター\n- who: 医師会\n\n# 予算 {#budget kind=theme}\n\n- en: Money\n- words: 予算\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let c = c.expect("curriculum");
        assert_eq!(c.steps.len(), 1, "a theme is not a step");
        let t = &c.themes[0];
        assert_eq!(
            (t.id.as_str(), t.ja.as_str(), t.en.as_str()),
            ("home-doctors", "在宅医の参加", "Home doctors taking part")
        );
        assert_eq!(t.words, ["在宅医", "往診", "連携+ドクター"]);
        assert_eq!(t.who, ["医師会"]);
        assert_eq!(c.themes[1].id, "budget");
    }

    #[test]
    fn a_theme_is_checked_line_by_line() {
        let (c, problems) = parse(
            "# 連携 {#collab kind=theme}\n\n- en: Collaboration\n- words: 連携, ！！, 連携+医師\n- colour: red\n\n# {#x kind=theme}\n\n- words: x\n\n# 予算 {#Budget kind=theme}\n\n- en: Money\n- words: 予算\n\n# 重複 {#collab kind=theme}\n\n- en: Again\n- words: 重複\n\n## 問い {#q kind=text}\n",
        );
        assert_eq!(
            problems,
            [
                "18:author_theme.unknown_key",
                "17:author_theme.generic",
                "17:author_theme.empty_word",
                "20:author_theme.no_name",
                "20:author_theme.missing",
                "24:author_theme.bad_id",
                "29:author_theme.duplicate",
                "34:author_theme.inside",
            ]
        );
        // The good parts are kept: 連携 alone is dropped, 連携+医師 stays.
        let c = c.expect("curriculum");
        assert_eq!(c.themes.len(), 1);
        assert_eq!(c.themes[0].words, ["連携+医師"]);
    }
}
