//! Reads the roles a district declares (`# 腎臓内科医 {#nephrologist kind=profession}`)
//! and checks them across the whole library: see [`crate::content::profession`].
//!
//! Declarations are read in a first pass over every file, before any case or curriculum
//! is parsed, so a role declared in one file can be named in another. The case and
//! curriculum parsers then drop the declaration sections ([`without_declarations`]).

use std::collections::BTreeMap;

use super::frontmatter::clip;
use super::{FileParser, Section, is_slug};
use crate::content::profession::{DeclaredRole, PROFESSIONS, Professions};
use crate::content::{Problem, Profession};

/// The `kind=` of a role declaration.
pub const KIND: &str = "profession";

/// The field lines a declaration takes, required ones first.
const KEYS: [&str; 4] = ["en", "short", "counts-as", "short-en"];
const REQUIRED: [&str; 3] = ["en", "short", "counts-as"];

/// One declaration as read from its file.
pub struct Declaration {
    /// File that declares it.
    pub path: String,
    /// Line of its heading.
    pub line: usize,
    /// Line of its `- counts-as:`, where a wrong value is reported.
    counts_as_line: usize,
    /// What it declares.
    pub role: DeclaredRole,
}

/// The roles one file declares; problems in the declarations go to `problems`. Other
/// problems of the file are left to its own parser.
pub fn declarations(path: &str, text: &str, problems: &mut Vec<Problem>) -> Vec<Declaration> {
    // A quick look first: most files declare nothing (and every case says
    // `profession=` on its role cards).
    if !text.contains("kind=profession") {
        return Vec::new();
    }
    let none = Professions::default();
    let mut ignored = Vec::new();
    let mut fp = FileParser {
        path,
        problems: &mut ignored,
        professions: &none,
    };
    let Some(head) = fp.head(text, &[], "") else {
        return Vec::new();
    };
    let (_, sections) = fp.sections(text, head.body_offset, &head.lines);
    sections
        .iter()
        .filter(|s| s.level == 1 && s.kind.as_deref() == Some(KIND))
        .filter_map(|s| declaration(path, s, problems))
        .collect()
}

fn declaration(path: &str, section: &Section, problems: &mut Vec<Problem>) -> Option<Declaration> {
    let problem = |problems: &mut Vec<Problem>, line, key, args: &[&dyn std::fmt::Display]| {
        problems.push(Problem::keyed(path, line, key, args));
    };
    for (key, _) in &section.attrs {
        if key != "kind" {
            problem(problems, section.line, "author_role.attr", &[&clip(key)]);
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
                problem(problems, line, "author_role.twice", &[&key])
            }
            Some(known) => {
                fields.insert(known, (line, value.trim().to_string()));
            }
            None => problem(
                problems,
                line,
                "author_role.unknown_key",
                &[&clip(key), &KEYS.join(", ")],
            ),
        }
    }
    let mut complete = true;
    let id = match section.id.as_deref() {
        None => {
            problem(problems, section.line, "author_role.no_id", &[]);
            complete = false;
            String::new()
        }
        Some(id) if !is_slug(id) => {
            problem(problems, section.line, "author_role.bad_id", &[&clip(id)]);
            complete = false;
            String::new()
        }
        Some(id) => id.to_string(),
    };
    if section.title.is_empty() {
        problem(problems, section.line, "author_role.no_name", &[]);
        complete = false;
    }
    for key in REQUIRED {
        if fields.get(key).is_none_or(|(_, v)| v.is_empty()) {
            let line = fields.get(key).map_or(section.line, |(l, _)| *l);
            problem(problems, line, "author_role.missing", &[&key]);
            complete = false;
        }
    }
    if !complete {
        return None;
    }
    let value = |key: &str| fields.get(key).map(|(_, v)| v.clone()).unwrap_or_default();
    let en = value("en");
    Some(Declaration {
        path: path.to_string(),
        line: section.line,
        counts_as_line: fields.get("counts-as").map_or(section.line, |(l, _)| *l),
        role: DeclaredRole {
            id,
            ja: section.title.clone(),
            short_en: fields
                .get("short-en")
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| en.clone()),
            en,
            short: value("short"),
            counts_as: value("counts-as"),
        },
    })
}

/// The library's professions from every file's declarations, reporting an id declared
/// twice or taken by a built-in, a `counts-as` that is not a built-in, and a Japanese
/// name another profession already has (a roster naming it could mean either).
pub fn professions(declarations: Vec<Declaration>, problems: &mut Vec<Problem>) -> Professions {
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = PROFESSIONS
        .iter()
        .map(|p| (p.ja.to_string(), p.id.to_string()))
        .collect();
    let mut out = Vec::new();
    for d in declarations {
        let problem = |problems: &mut Vec<Problem>, line, key, args: &[&dyn std::fmt::Display]| {
            problems.push(Problem::keyed(&d.path, line, key, args));
        };
        let id = &d.role.id;
        if Profession::builtin(id).is_some() {
            problem(problems, d.line, "author_role.builtin", &[id]);
            continue;
        }
        if let Some((path, line)) = seen.get(id) {
            problem(problems, d.line, "author_role.duplicate", &[id, path, line]);
            continue;
        }
        seen.insert(id.clone(), (d.path.clone(), d.line));
        let counts_as = &d.role.counts_as;
        if Profession::builtin(counts_as).is_none() {
            let hint_ids = PROFESSIONS
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", ");
            problem(
                problems,
                d.counts_as_line,
                "author_role.counts_as",
                &[&clip(counts_as), &hint_ids],
            );
            continue;
        }
        if let Some(other) = names.get(&d.role.ja) {
            problem(
                problems,
                d.line,
                "author_role.same_name",
                &[&d.role.ja, other],
            );
            continue;
        }
        names.insert(d.role.ja.clone(), id.clone());
        out.push((Profession::declared(&d.role), d.path));
    }
    Professions::new(out)
}

/// The sections of a file without its role declarations, which [`declarations`] has
/// read. A `kind=` heading under a declaration belongs to nothing: it is reported, not
/// added to the step or scene before it.
pub fn without_declarations<'a>(
    fp: &mut FileParser,
    sections: Vec<Section<'a>>,
) -> Vec<Section<'a>> {
    let mut out = Vec::with_capacity(sections.len());
    let mut in_declaration = false;
    for section in sections {
        if section.level == 1 {
            in_declaration = section.kind.as_deref() == Some(KIND);
        }
        if !in_declaration {
            out.push(section);
        } else if section.level > 1 {
            fp.problems.push(Problem::keyed(
                fp.path,
                section.line,
                "author_role.inside",
                &[],
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use crate::content::{Library, Problem, Sources};
    use crate::lang::Lang;

    const CASE_HEAD: &str = "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nteam: TEAM\n---\n\n# 本人 {kind=patient}\n\n- name: A\n- age: 80\n- illness: x\n- living: y\n\n";
    const SCENE: &str = "# 場面1 {#s1 kind=scene end}\n\n本文。\n\n## 情報 {kind=role profession=ROLE}\n\nカード。\n";
    const NEPHROLOGIST: &str = "# 腎臓内科医 {#nephrologist kind=profession}\n\n- en: Nephrologist\n- short: 腎内\n- counts-as: physician-hospital\n\n";

    fn case(team: &str, declarations: &str, role: &str) -> String {
        format!(
            "{}{declarations}{}",
            CASE_HEAD.replace("TEAM", team),
            SCENE.replace("ROLE", role)
        )
    }

    fn load(files: &[(&str, String)]) -> Result<Library, Vec<Problem>> {
        let files: BTreeMap<String, String> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.clone()))
            .collect();
        Library::from_sources(Sources { files })
    }

    /// The problems' keys (English text for the older, unkeyed ones) with their lines.
    fn problems(files: &[(&str, String)]) -> Vec<(String, usize, String)> {
        load(files)
            .expect_err("problems")
            .iter()
            .map(|p| {
                (
                    p.key().map_or_else(|| p.message(Lang::En), str::to_string),
                    p.line,
                    p.message(Lang::Ja),
                )
            })
            .collect()
    }

    #[test]
    fn a_declared_role_is_a_profession_of_the_whole_library() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district");
        let library = Library::load(&dir).unwrap_or_else(|p| panic!("{p:?}"));
        let declared: Vec<_> = library.professions.declared().map(|p| p.id).collect();
        assert_eq!(
            declared,
            ["nephrologist", "dialysis-nurse", "prefecture-staff"]
        );
        let nephrologist = library.professions.find("nephrologist").expect("declared");
        assert_eq!(
            (
                nephrologist.ja,
                nephrologist.en,
                nephrologist.short,
                nephrologist.short_en
            ),
            ("腎臓内科医", "Nephrologist", "腎内", "Neph.")
        );
        assert_eq!(nephrologist.counts_as, "physician-hospital");
        // `short-en` defaults to the English name.
        let nurse = library
            .professions
            .find("dialysis-nurse")
            .expect("declared");
        assert_eq!(
            (nurse.short, nurse.short_en),
            ("透析看", "Dialysis unit nurse")
        );
        let case = &library.cases["dialysis-decision"];
        assert_eq!(case.scenes[0].role_cards[0].profession, nephrologist);
        assert_eq!(case.team[0], nephrologist);
        // A declaration's note text is no part of the case.
        assert!(!case.intro.html.contains("判断する病院の医師"));
        // The curriculum's own role, in its audience.
        let audience: Vec<_> = library.curricula["dialysis"]
            .audience
            .iter()
            .map(|p| p.ja)
            .collect();
        assert_eq!(
            audience,
            ["腎臓内科医", "透析室看護師", "訪問看護師", "都道府県職員"]
        );
    }

    #[test]
    fn a_session_snapshot_takes_the_files_that_declare_its_roles() {
        let curriculum = |id: &str, case: &str| {
            format!(
                "---\nid: {id}\ntitle: t\nlanguage: ja\nversion: 1\nduration: 30\naudience: msw\nobjectives:\n- o\n---\n\n# 読む {{#walk kind=case-walk case={case} minutes=10}}\n"
            )
        };
        let files = [
            ("cases/a.md", case("msw", "", "msw")),
            (
                "cases/b.md",
                case("nephrologist", "", "nephrologist").replace("id: c", "id: b"),
            ),
            ("curricula/x.md", curriculum("x", "b")),
            (
                "curricula/y.md",
                curriculum("y", "c").replace("# 読む", &format!("{NEPHROLOGIST}# 読む")),
            ),
            ("curricula/z.md", curriculum("z", "c")),
        ];
        let library = load(&files).unwrap_or_else(|p| panic!("{p:?}"));
        let bundle = library.bundle_sources("x").expect("bundle");
        let names: Vec<_> = bundle.files.keys().map(String::as_str).collect();
        // b names a role that y declares; y walks a, which comes too.
        assert_eq!(
            names,
            [
                "cases/a.md",
                "cases/b.md",
                "curricula/x.md",
                "curricula/y.md"
            ]
        );
        let snapshot = Library::from_sources(bundle).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(
            snapshot.professions.label("nephrologist", Lang::Ja),
            "腎臓内科医"
        );
        let plain = library.bundle_sources("z").expect("bundle");
        assert_eq!(
            plain.files.keys().collect::<Vec<_>>(),
            ["cases/a.md", "curricula/z.md"]
        );
    }

    #[test]
    fn check_reports_each_mistake_in_a_declaration() {
        let declared = |body: &str| case("msw", body, "msw");
        let cases = [
            (
                "# 病院医師2 {#physician-hospital kind=profession}\n\n- en: X\n- short: X\n- counts-as: msw\n\n",
                "author_role.builtin",
                16,
            ),
            (
                "# 腎臓内科医 {#nephrologist kind=profession}\n\n- en: Nephrologist\n- short: 腎内\n- counts-as: nephrology\n\n",
                "author_role.counts_as",
                20,
            ),
            (
                "# 腎臓内科医 {#nephrologist kind=profession}\n\n- en: Nephrologist\n- counts-as: msw\n\n",
                "author_role.missing",
                16,
            ),
            (
                "# 腎臓内科医 {#nephrologist kind=profession}\n\n- en: Nephrologist\n- short: 腎内\n- short-en:\n- counts-as: msw\n- count-as: msw\n\n",
                "author_role.unknown_key",
                22,
            ),
            (
                "# 腎臓内科医 {kind=profession}\n\n- en: Nephrologist\n- short: 腎内\n- counts-as: msw\n\n",
                "author_role.no_id",
                16,
            ),
            (
                "# 腎臓内科医 {#Nephro kind=profession}\n\n- en: Nephrologist\n- short: 腎内\n- counts-as: msw\n\n",
                "author_role.bad_id",
                16,
            ),
            (
                "# 薬剤師 {#pharmacist-2 kind=profession}\n\n- en: Pharmacist 2\n- short: 薬\n- counts-as: pharmacist\n\n",
                "author_role.same_name",
                16,
            ),
            (
                "# 腎臓内科医 {#nephrologist kind=profession}\n\n- en: Nephrologist\n- en: Again\n- short: 腎内\n- counts-as: msw\n\n",
                "author_role.twice",
                19,
            ),
            (
                "# 腎臓内科医 {#nephrologist kind=profession end}\n\n- en: Nephrologist\n- short: 腎内\n- counts-as: msw\n\n",
                "author_role.attr",
                16,
            ),
            (
                "# 腎臓内科医 {#nephrologist kind=profession}\n\n- en: Nephrologist\n- short: 腎内\n- counts-as: msw\n\n## 問い {#q kind=text}\n\n",
                "author_role.inside",
                22,
            ),
        ];
        for (body, key, line) in cases {
            let found = problems(&[("cases/c.md", declared(body))]);
            assert_eq!(
                found
                    .iter()
                    .map(|(k, l, _)| (k.as_str(), *l))
                    .collect::<Vec<_>>(),
                [(key, line)],
                "{body}: {found:?}"
            );
            assert!(!found[0].2.contains(key), "Japanese text for {key}");
        }
    }

    #[test]
    fn check_reports_a_role_declared_twice_and_unknown_roles() {
        let files = [
            ("cases/a.md", case("msw", NEPHROLOGIST, "msw")),
            (
                "cases/b.md",
                case("msw", NEPHROLOGIST, "msw").replace("id: c", "id: b"),
            ),
        ];
        let found = problems(&files);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1),
            ("author_role.duplicate", 16)
        );
        assert!(found[0].2.contains("cases/a.md"), "{}", found[0].2);
        // A role card and a team naming a role nobody declared: reported as before,
        // with the declared roles among the ids the hint offers.
        let files = [(
            "cases/a.md",
            case("nephrologist, nephrolgist", NEPHROLOGIST, "nefrologist"),
        )];
        let problems = load(&files).expect_err("unknown");
        assert_eq!(problems.len(), 2, "{problems:?}");
        for p in &problems {
            assert!(p.message(Lang::En).contains("unknown profession"), "{p}");
            assert!(p.hint(Lang::En).contains("nephrologist"), "{p}");
        }
    }

    /// The cases README's list of professions has every built-in with its short name, and
    /// its example declaration reads as it says.
    #[test]
    fn the_readme_lists_the_short_names_and_its_example_declares_a_role() {
        let readme = include_str!("../../../cases/README.md");
        for p in crate::content::PROFESSIONS {
            let row = format!("| `{}` | ", p.id);
            let line = readme
                .lines()
                .find(|l| l.starts_with(&row))
                .unwrap_or_else(|| panic!("no row for {}", p.id));
            assert!(line.ends_with(&format!(" | {} |", p.short)), "{line}");
        }
        let section = &readme[readme.find("### 地区で職種を加える").expect("section")..];
        let example = section
            .split("```markdown\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("example");
        let library = load(&[("cases/c.md", case("nephrologist", example, "nephrologist"))])
            .unwrap_or_else(|p| panic!("{p:?}"));
        let role = library.professions.find("nephrologist").expect("declared");
        assert_eq!(
            (role.ja, role.en, role.short, role.counts_as),
            ("腎臓内科医", "Nephrologist", "腎内", "physician-hospital")
        );
    }
}
