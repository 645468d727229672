//! UI strings in Japanese (first) and English. Content text is not translated here:
//! a curriculum is written in one language, and English editions are their own files.
//!
//! # The data files
//!
//! The strings live in `src/i18n/ja.txt` and `src/i18n/en.txt`, one file per language
//! with the same keys in the same sections. They sit beside this module, not under
//! `templates/`, because Rust code (PDFs, CSV headers, error messages, the import
//! checks) uses them as much as the templates do, and `templates/` holds only what
//! minijinja renders. Both are compiled in with `include_str!`, so the binary needs no
//! file on disk, and read into one map per language the first time a string is asked
//! for; `serve` calls [`check`] at start-up so a broken file stops it there.
//!
//! The format, line by line:
//!
//! - `[fac]` starts the section of a page or a part (`fac` = the facilitator page);
//!   every key below it starts with `fac.`, so a key's section is its first word;
//! - `fac.notes_chars = {0}文字` is a string: the key, ` = `, then the text to the end
//!   of the line, taken as it is (a text that starts with a space keeps it, as
//!   `unit.min` in English does); `{0}`, `{1}`… are replaced by the arguments in order;
//! - `fac.x.one = …` is the singular of `fac.x`, used when the first argument is 1
//!   (`{0} tables answered` / `{0} table answered`); only a language with plurals has it;
//! - `# …` is a comment, and blank lines are ignored.
//!
//! Anything else is an error that names the file and the line, as are a key twice, a
//! key outside its section, an empty text or one that ends in a space, a `{` that is
//! not an argument, and a key that one language has and the other lacks. Nothing is
//! dropped quietly: [`check`] reports every such line, and the tests run it.
//!
//! # Why not Fluent
//!
//! Fluent (`fluent-bundle`) was weighed for plurals and named arguments and not taken.
//! Japanese has no plural, and of the 815 strings about 45 English ones put a count before
//! a plural noun (`{0} tables answered`, `{0} devices`), so without more, "1 tables answered" would be
//! printed; a `key.one` variant chosen for a count of 1 fixes those in this format, without a
//! selector language. Named arguments would help a translator, but every
//! caller passes positional arguments (`t("key", a, b)` in the templates, `&[String]` in
//! Rust), so they would mean rewriting some 270 call sites that pass arguments. Fluent
//! wraps every argument in Unicode isolation marks (U+2068…U+2069) unless each bundle turns
//! them off, and those marks would end up in the PDFs (whose embedded font subsets need not
//! have a glyph for them) and in CSV cells; its missing-argument errors come back beside
//! the text, easy to ignore. And it adds 9 crates to the tree (`fluent-bundle`,
//! `fluent-syntax`, `fluent-langneg`, `intl_pluralrules`, `intl-memoizer`, `unic-langid`,
//! `unic-langid-impl`, `type-map`, `self_cell`), against a format whose loader is
//! some 150 lines here.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::LazyLock;

use crate::lang::Lang;

/// The data files as compiled in: the language, the path named in errors, the text.
const FILES: [(Lang, &str, &str); 2] = [
    (Lang::Ja, "src/i18n/ja.txt", include_str!("ja.txt")),
    (Lang::En, "src/i18n/en.txt", include_str!("en.txt")),
];

/// One string of a data file, with its line for the errors that point at it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    value: &'static str,
    line: usize,
}

/// The key → string map of each language, in the order of [`Lang::ALL`].
type Tables = [HashMap<&'static str, Entry>; 2];

/// Both files read once; an error list if either is malformed (then every lookup
/// misses, and [`check`] — run at start-up and by the tests — says where).
static STRINGS: LazyLock<Result<Tables, Vec<LoadError>>> = LazyLock::new(|| load(&FILES));

/// A line of a data file that cannot be read, or a key only one file has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file, as a path from the crate root (`src/i18n/en.txt`).
    pub file: &'static str,
    /// The line in that file, counted from 1.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

fn index(lang: Lang) -> usize {
    match lang {
        Lang::Ja => 0,
        Lang::En => 1,
    }
}

/// Reads one data file into its map, collecting every malformed line.
fn parse(
    file: &'static str,
    text: &'static str,
) -> Result<HashMap<&'static str, Entry>, Vec<LoadError>> {
    let mut map: HashMap<&'static str, Entry> = HashMap::new();
    let mut sections = HashSet::new();
    let mut section: Option<&str> = None;
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let mut fail = |message: String| {
            errors.push(LoadError {
                file,
                line,
                message,
            })
        };
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if let Some(name) = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                fail(format!(
                    "section [{name}] is not a name: use letters, digits and _"
                ));
            } else if !sections.insert(name) {
                fail(format!(
                    "section [{name}] appears twice; keep one and move its strings there"
                ));
            }
            section = Some(name);
            continue;
        }
        let Some((key, value)) = raw.split_once(" = ") else {
            fail(format!(
                "expected `key = text`, `[section]` or `# comment`, found {raw:?}"
            ));
            continue;
        };
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            fail(format!(
                "key {key:?} is not a key: use letters, digits, `.`, `_` and `-`, then ` = ` and the text"
            ));
            continue;
        }
        match section {
            None => fail(format!(
                "key {key} comes before any section; put it under [{}]",
                key.split('.').next().unwrap_or(key)
            )),
            Some(s)
                if key
                    .split_once('.')
                    .is_none_or(|(p, rest)| p != s || rest.is_empty()) =>
            {
                fail(format!(
                    "key {key} is under [{s}]; keys there start with `{s}.` (move it to its own section)"
                ))
            }
            Some(_) => {}
        }
        if value.is_empty() {
            fail(format!("{key} has no text after ` = `"));
        } else if value.ends_with(char::is_whitespace) {
            fail(format!(
                "the text of {key} ends in a space, which nobody can see; remove it"
            ));
        }
        if let Some(bad) = bad_brace(value) {
            fail(format!(
                "the text of {key} has {bad:?}; braces are only for arguments {{0}}, {{1}}…"
            ));
        }
        if let Some(first) = map.get(key) {
            fail(format!(
                "{key} is defined twice (first on line {}); keep one",
                first.line
            ));
            continue;
        }
        map.insert(key, Entry { value, line });
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

/// The first `{…}` or lone brace in `value` that is not an argument `{0}`, `{1}`….
fn bad_brace(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(at) = rest.find(['{', '}']) {
        let tail = &rest[at..];
        if tail.starts_with('}') {
            return Some("}".to_string());
        }
        let Some(end) = tail.find('}') else {
            return Some(tail.to_string());
        };
        let inside = &tail[1..end];
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_digit()) {
            return Some(tail[..=end].to_string());
        }
        rest = &tail[end + 1..];
    }
    None
}

/// Reads both files and checks that each has every key of the other.
fn load(files: &[(Lang, &'static str, &'static str); 2]) -> Result<Tables, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut tables: Tables = [HashMap::new(), HashMap::new()];
    for (lang, file, text) in files {
        match parse(file, text) {
            Ok(map) => tables[index(*lang)] = map,
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (lang, file, _) in files {
        let (other_lang, other_file, _) = files[1 - index(*lang)];
        let (mine, theirs) = (&tables[index(*lang)], &tables[index(other_lang)]);
        for (key, entry) in mine {
            if let Some(base) = key.strip_suffix(ONE) {
                // A singular belongs to its language alone, beside its base string.
                if !mine.contains_key(base) {
                    errors.push(LoadError {
                        file,
                        line: entry.line,
                        message: format!(
                            "{key} is the singular of {base}, which {file} does not have; add {base} or remove this line"
                        ),
                    });
                }
                continue;
            }
            if !theirs.contains_key(key) {
                errors.push(LoadError {
                    file,
                    line: entry.line,
                    message: format!(
                        "{key} has no {} string in {other_file}; add it there under [{}]",
                        other_lang.pick("Japanese", "English"),
                        key.split('.').next().unwrap_or(key)
                    ),
                });
            }
        }
    }
    errors.sort_by(|a, b| (a.file, a.line).cmp(&(b.file, b.line)));
    if errors.is_empty() {
        Ok(tables)
    } else {
        Err(errors)
    }
}

/// Reads the compiled-in strings and reports every malformed line. `serve` calls it
/// before it listens, so a broken data file stops the server instead of showing keys.
pub fn check() -> Result<(), Vec<LoadError>> {
    STRINGS.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The sections whose keys are problems in content files (`content::Problem`): each
/// message `SECTION.x` has its hint `SECTION.x.hint`. Add a section here when problems of
/// a new part of the content get their own (`author_role`, `warn`).
pub const AUTHOR_SECTIONS: &[&str] = &["author", "author_role", "author_theme", "warn"];

/// Keys in the [`AUTHOR_SECTIONS`] that are parts of every problem, not problems.
pub const AUTHOR_LABELS: &[&str] = &[
    "author.hint",
    "author.did_you_mean",
    "warn.label",
    "warn.title",
    "warn.lead",
    "warn.count",
];

/// The string for `key` in `lang`, if there is one.
pub fn text(lang: Lang, key: &str) -> Option<&'static str> {
    let tables = STRINGS.as_ref().ok()?;
    tables[index(lang)].get(key).map(|e| e.value)
}

/// The ending of a singular variant: `curriculum.steps.one = {0} step` is used instead
/// of `curriculum.steps = {0} steps` when the first argument is 1. A language that
/// writes no plural (Japanese) simply has none, so only the base key must be in both.
const ONE: &str = ".one";

/// The string for `key` with `{0}`, `{1}`… replaced; the key itself if unknown. When
/// the first argument is `1` and the language has `key.one`, that is used.
pub fn format(lang: Lang, key: &str, args: &[String]) -> String {
    let singular = (args.first().map(String::as_str) == Some("1"))
        .then(|| text(lang, &format!("{key}{ONE}")))
        .flatten();
    let mut out = singular
        .or_else(|| text(lang, key))
        .unwrap_or(key)
        .to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// Every key, for the test that templates only use known keys.
pub fn keys() -> impl Iterator<Item = &'static str> {
    STRINGS
        .as_ref()
        .ok()
        .into_iter()
        .flat_map(|tables| tables[0].keys().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files(dir: &Path, ext: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(std::fs::read_to_string(&path).expect("file"));
            }
        }
    }

    /// A count of 1 takes the singular where the language has one; Japanese has none and
    /// keeps its one string; a singular without its base string is refused.
    #[test]
    fn one_takes_the_singular() {
        let one = |lang| format(lang, "proj.answered", &["1".to_string()]);
        assert_eq!(one(Lang::En), "1 table answered");
        assert_eq!(
            format(Lang::En, "proj.answered", &["2".into()]),
            "2 tables answered"
        );
        assert_eq!(
            one(Lang::Ja),
            format(Lang::Ja, "proj.answered", &["1".into()])
        );
        assert!(!one(Lang::Ja).is_empty() && !one(Lang::Ja).contains("table"));
        assert_eq!(
            format(Lang::En, "curriculum.steps", &["11".into()]),
            "11 steps"
        );
        let files = [
            (Lang::Ja, "ja.txt", "[a]\na.x = {0}件\n"),
            (
                Lang::En,
                "en.txt",
                "[a]\na.x = {0} items\na.y.one = 1 item\n",
            ),
        ];
        let errors = load(&files).expect_err("a singular without its base");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("a.y.one"),
            "{}",
            errors[0].message
        );
        let files = [
            (Lang::Ja, "ja.txt", "[a]\na.x = {0}件\n"),
            (
                Lang::En,
                "en.txt",
                "[a]\na.x = {0} items\na.x.one = 1 item\n",
            ),
        ];
        assert!(load(&files).is_ok());
    }

    /// Every message for content authors (`author.X`, and the other
    /// [`AUTHOR_SECTIONS`]) has its hint (`author.X.hint`): `content::Problem::hint`
    /// builds the hint's key from the message's.
    #[test]
    fn every_author_message_has_a_hint() {
        let messages: Vec<&str> = keys()
            .filter(|k| {
                AUTHOR_SECTIONS.contains(&k.split('.').next().unwrap_or(""))
                    && !k.ends_with(".hint")
                    && !AUTHOR_LABELS.contains(k)
            })
            .collect();
        assert!(messages.len() > 50, "{messages:?}");
        for key in messages {
            let hint = format!("{key}.hint");
            assert!(text(Lang::Ja, &hint).is_some(), "{key} has no {hint}");
        }
    }

    /// Every literal key used anywhere in the code or the templates has both languages.
    /// A literal counts as a key when it starts with the prefix of a defined key
    /// (`err.`, `me.`, `pdf.`…) and is not a file name. Prefixes that event kinds and
    /// export paths share (`session.created`, `roster.checked_in`) are left out.
    #[test]
    fn every_used_key_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        files(&root.join("templates"), "html", &mut texts);
        files(&root.join("src"), "rs", &mut texts);
        const SHARED: [&str; 6] = ["pace", "roster", "seating", "session", "step", "timer"];
        let mut prefixes: Vec<&str> = keys()
            .filter_map(|k| k.split_once('.').map(|(p, _)| p))
            .filter(|p| !SHARED.contains(p))
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        const FILES: [&str; 11] = [
            ".html", ".csv", ".json", ".pdf", ".md", ".rs", ".svg", ".css", ".js", ".sql", ".txt",
        ];
        let mut used = Vec::new();
        for text in &texts {
            for part in text.split('"').skip(1).step_by(2) {
                let known = part
                    .split_once('.')
                    .is_some_and(|(p, rest)| !rest.is_empty() && prefixes.contains(&p));
                if known
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                    && !part.ends_with('.')
                    && !part.ends_with('_')
                    && !FILES.iter().any(|ext| part.ends_with(ext))
                {
                    used.push(part.to_string());
                }
            }
        }
        assert!(used.len() > 300, "the scan found the keys: {used:?}");
        for lang in Lang::ALL {
            let missing: Vec<_> = used.iter().filter(|k| text(lang, k).is_none()).collect();
            assert!(
                missing.is_empty(),
                "keys without {lang} strings: {missing:?}"
            );
        }
        // A key defined twice is refused by the loader (`a_key_twice_is_an_error`).
    }

    #[test]
    fn arguments_are_filled_in() {
        assert_eq!(format(Lang::Ja, "table.name", &["3".into()]), "テーブル3");
        assert_eq!(format(Lang::En, "table.name", &["3".into()]), "Table 3");
        assert_eq!(format(Lang::En, "no.such.key", &[]), "no.such.key");
    }

    /// Both compiled-in files read without a single error; otherwise the test names
    /// every bad line as `file:line: message`.
    #[test]
    fn the_data_files_load() {
        if let Err(errors) = check() {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("the string files have errors:\n{}", lines.join("\n"));
        }
        assert!(keys().count() > 800, "the strings were read");
    }

    /// Every key of one language file is in the other, both ways round.
    #[test]
    fn each_file_has_every_key_of_the_other() {
        let tables = STRINGS.as_ref().expect("the files load");
        for lang in Lang::ALL {
            let other = &tables[1 - index(lang)];
            let missing: Vec<_> = tables[index(lang)]
                .keys()
                // A singular (`x.one`) is one language's own, beside a shared base key.
                .filter(|k| !other.contains_key(*k) && !k.ends_with(ONE))
                .collect();
            assert!(missing.is_empty(), "keys only in {lang}: {missing:?}");
        }
        let ja = "[a]\na.first = 一\na.two = 二\n";
        let en = "[a]\na.first = one\n";
        let errors = load(&[(Lang::Ja, "ja.txt", ja), (Lang::En, "en.txt", en)])
            .expect_err("a.two has no English");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].to_string(),
            "ja.txt:3: a.two has no English string in en.txt; add it there under [a]"
        );
    }

    #[test]
    fn a_key_twice_is_an_error() {
        let errors = parse("en.txt", "[a]\na.x = one\n# note\na.x = two\n").expect_err("twice");
        assert_eq!(
            errors[0].to_string(),
            "en.txt:4: a.x is defined twice (first on line 2); keep one"
        );
    }

    /// A malformed line is an error naming its file and line, never a dropped string.
    #[test]
    fn malformed_lines_name_the_file_and_line() {
        let cases = [
            ("[a]\na.x text\n", 2, "expected `key = text`"),
            ("a.x = text\n", 1, "before any section"),
            ("[a]\nb.x = text\n", 2, "keys there start with `a.`"),
            ("[a]\na.x = \n", 2, "has no text"),
            ("[a]\na.x = text \n", 2, "ends in a space"),
            ("[a]\na.x = {name}\n", 2, "braces are only for arguments"),
            ("[a]\na.x = {0\n", 2, "braces are only for arguments"),
            ("[a]\n[a]\n", 2, "appears twice"),
            ("[a]\nbad key = text\n", 2, "is not a key"),
        ];
        for (text, line, message) in cases {
            let errors = parse("x.txt", text).expect_err(text);
            assert_eq!(errors[0].file, "x.txt");
            assert_eq!(errors[0].line, line, "{text:?}: {errors:?}");
            assert!(errors[0].message.contains(message), "{text:?}: {errors:?}");
        }
        let ok = parse("x.txt", "# c\n\n[a]\na.x =  min\na.y = {0} of {1}\n").expect("ok");
        assert_eq!(ok["a.x"].value, " min");
        assert_eq!(ok["a.y"].value, "{0} of {1}");
    }
}
