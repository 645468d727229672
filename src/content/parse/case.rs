//! Reads a case file: the patient, the family, the scenes and what each scene holds.

use std::collections::BTreeMap;

use super::frontmatter::clip;
use super::prompt::{prompt, unknown_prompt_kind};
use super::{FileParser, Section, bullet, duplicate, items};
use crate::content::markdown::Markdown;
use crate::content::model::*;
use crate::content::{Problem, Professions, suggest};

/// The field lines read at the top of a section.
struct Fields<'a> {
    /// `(line, key, value)` in file order.
    found: Vec<(usize, String, String)>,
    /// Known keys a misspelt key was reported for: they count as given.
    covered: Vec<&'static str>,
    /// The text after the field lines.
    rest: &'a str,
}

impl Fields<'_> {
    /// The first value of `key` with its line.
    fn value(&self, key: &str) -> Option<(usize, String)> {
        self.found
            .iter()
            .find(|(_, k, _)| k == key)
            .map(|(line, _, v)| (*line, v.clone()))
    }
}

/// Field lines (`- key: value`) at the top of a section, and the text after them.
///
/// Each slip is reported once and the line still read: a full-width colon
/// (`- name：花子`), a full-width space after the `-`, or a key that is not known (with
/// the known key it is nearest to, which then counts as given). A tab after the `-`
/// is a space, as in Markdown. The field lines end at the first line that is not
/// `- word: value`, so a story that starts with a Japanese list stays text.
fn field_lines<'a>(
    fp: &mut FileParser,
    section: &Section<'a>,
    known: &[&'static str],
) -> Fields<'a> {
    let mut found = Vec::new();
    let mut covered = Vec::new();
    let mut consumed = 0;
    for (index, raw) in section.body.split_inclusive('\n').enumerate() {
        let line_no = section.body_line + index;
        let line = raw.trim();
        if line.is_empty() {
            consumed += raw.len();
            continue;
        }
        let (item, full_width_space) = match bullet(line) {
            Some(item) => (item, false),
            None => match line
                .strip_prefix(['-', '*'])
                .and_then(|r| r.strip_prefix('\u{3000}'))
            {
                Some(item) => (item, true),
                None => break,
            },
        };
        let Some(at) = item.find([':', '：']) else {
            break;
        };
        let key = item[..at].trim();
        let full_width_colon = item[at..].starts_with('：');
        let value = item[at..].trim_start_matches([':', '：']).trim();
        let is_word = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if !is_word {
            break;
        }
        if !known.contains(&key) {
            let near = suggest::closest(key, known.iter().copied());
            covered.extend(near);
            fp.problem_near(
                line_no,
                "author.field_unknown",
                &[&key, &known.join(", ")],
                near,
            );
        } else if full_width_colon {
            fp.problem(line_no, "author.field_fullwidth_colon", &[&key, &value]);
        } else if full_width_space {
            fp.problem(line_no, "author.field_fullwidth_space", &[&key, &value]);
        }
        found.push((line_no, key.to_string(), value.to_string()));
        consumed += raw.len();
    }
    Fields {
        found,
        covered,
        rest: &section.body[consumed..],
    }
}

/// The kinds of a case's level-1 headings.
const CASE_SECTION_KINDS: [&str; 4] = ["patient", "family", "scene", "facilitator"];

/// Parses a case file. Returns what could be read even when there are problems.
pub fn case(
    path: &str,
    text: &str,
    professions: &Professions,
    problems: &mut Vec<Problem>,
) -> Option<Case> {
    let mut fp = FileParser {
        path,
        problems,
        professions,
    };
    let head = fp.head(text, &["team"], "author.bad_id_case")?;
    let (fields, end_line) = (&head.fields, head.end_line);
    let team = fp
        .required(fields, "team", end_line, &head.covered)
        .map(|f| fp.professions(&f))
        .unwrap_or_default();

    let (intro, sections) = fp.sections(text, head.body_offset, &head.lines);
    let sections = super::role::without_declarations(&mut fp, sections);
    let mut patient: Option<(usize, Patient)> = None;
    let mut family = Vec::new();
    let mut scenes: Vec<Scene> = Vec::new();
    let mut notes = Vec::new();
    let mut scene_ids = BTreeMap::new();
    let mut prompt_ids = BTreeMap::new();
    let mut family_ids = BTreeMap::new();
    let mut last_top = "";
    let child_kinds: Vec<&str> = PROMPT_KINDS
        .iter()
        .chain(&["role", "branch", "facilitator"])
        .copied()
        .collect();
    for section in &sections {
        if section.level == 1 {
            let section = &fp.with_near_kind(
                section,
                &CASE_SECTION_KINDS,
                "author.case_section_kind_unknown",
                "",
            );
            last_top = match section.kind.as_deref() {
                Some("patient") => {
                    fp.check_attrs(section, &[]);
                    let fields = field_lines(
                        &mut fp,
                        section,
                        &["name", "age", "illness", "living", "care-level", "said"],
                    );
                    let value = |key: &str| fields.value(key);
                    let mut need = |key: &str| {
                        value(key).map(|(_, v)| v).unwrap_or_else(|| {
                            if !fields.covered.contains(&key) {
                                fp.problem(section.line, "author.patient_field_missing", &[&key]);
                            }
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
                                    "author.age_bad",
                                    &[&clip(&age_text)],
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
                        said: fields
                            .found
                            .iter()
                            .filter(|(_, k, _)| k == "said")
                            .map(|(_, _, v)| v.clone())
                            .collect(),
                        story: Markdown::new(fields.rest),
                    };
                    if let Some((first, _)) = &patient {
                        fp.problem(
                            section.line,
                            "author.patient_twice",
                            &[first, &"{kind=patient}"],
                        );
                    } else {
                        patient = Some((section.line, p));
                    }
                    "patient"
                }
                Some("family") => {
                    fp.check_attrs(section, &[]);
                    let member_id = section.id.clone().unwrap_or_default();
                    if !member_id.is_empty()
                        && fp.slug(section.line, &member_id, "author.bad_id_family")
                    {
                        duplicate(
                            &mut fp,
                            &mut family_ids,
                            &member_id,
                            section.line,
                            "author.duplicate_family",
                        );
                    }
                    let fields = field_lines(
                        &mut fp,
                        section,
                        &["name", "relation", "lives", "stance", "surrogate"],
                    );
                    let value = |key: &str| fields.value(key);
                    let mut need = |key: &str| {
                        value(key).unwrap_or_else(|| {
                            if !fields.covered.contains(&key) {
                                fp.problem(section.line, "author.family_field_missing", &[&key]);
                            }
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
                            fp.problem(lives_line, "author.lives_bad", &[&clip(other)]);
                            false
                        }
                    };
                    let surrogate = match value("surrogate") {
                        None => false,
                        Some((_, v)) if matches!(v.as_str(), "yes" | "はい" | "true") => true,
                        Some((_, v)) if matches!(v.as_str(), "no" | "いいえ" | "false") => false,
                        Some((line, v)) => {
                            fp.problem(line, "author.surrogate_bad", &[&clip(&v)]);
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
                        story: Markdown::new(fields.rest),
                    });
                    "family"
                }
                Some("scene") => {
                    fp.check_attrs(section, &["next", "end"]);
                    let scene_id = match &section.id {
                        Some(id) => id.clone(),
                        None => {
                            fp.problem(section.line, "author.scene_no_id", &[&"{#s1 kind=scene}"]);
                            format!("scene-{}", scenes.len() + 1)
                        }
                    };
                    if fp.slug(section.line, &scene_id, "author.bad_id_scene") {
                        duplicate(
                            &mut fp,
                            &mut scene_ids,
                            &scene_id,
                            section.line,
                            "author.duplicate_scene",
                        );
                    }
                    let fields = field_lines(&mut fp, section, &["when"]);
                    let next = match section.attr("next") {
                        Some(Some(n)) => Some(n.to_string()),
                        Some(None) => {
                            fp.problem(section.line, "author.next_no_value", &[]);
                            None
                        }
                        None => None,
                    };
                    scenes.push(Scene {
                        id: scene_id,
                        title: section.title.clone(),
                        when: fields
                            .found
                            .into_iter()
                            .map(|(_, _, v)| v)
                            .next()
                            .unwrap_or_default(),
                        narrative: Markdown::new(fields.rest),
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
                    fp.check_attrs(section, &[]);
                    notes.push(Markdown::new(section.body));
                    "facilitator"
                }
                Some(other) => {
                    let near = suggest::closest(other, CASE_SECTION_KINDS);
                    fp.problem_near(
                        section.line,
                        "author.case_section_kind_unknown",
                        &[&clip(other)],
                        near,
                    );
                    "broken"
                }
                None => {
                    fp.problem(
                        section.line,
                        "author.case_heading_no_kind",
                        &[
                            &"{kind=patient}",
                            &"{#eldest-son kind=family}",
                            &"{#s1 kind=scene}",
                            &"{kind=facilitator}",
                        ],
                    );
                    "broken"
                }
            };
            continue;
        }
        let section = &fp.with_near_kind(
            section,
            &child_kinds,
            "author.prompt_kind_unknown_scene",
            &PROMPT_KINDS.join(" | "),
        );
        let kind = section.kind.as_deref().unwrap_or("");
        let Some(scene) = scenes.last_mut().filter(|_| last_top == "scene") else {
            // Under a level-1 heading already reported (no kind, an unknown kind), a
            // role card or prompt is not a mistake of its own.
            if last_top != "broken" {
                fp.problem(
                    section.line,
                    "author.outside_scene",
                    &[&kind, &"# ... {#s1 kind=scene}"],
                );
            }
            continue;
        };
        if section.level != 2 {
            fp.problem(section.line, "author.scene_child_level", &[]);
            continue;
        }
        match kind {
            "role" => {
                fp.check_attrs(section, &["profession"]);
                match section.attr("profession") {
                    Some(Some(id)) => match fp.professions.find(id) {
                        Some(profession) => scene.role_cards.push(RoleCard {
                            profession,
                            title: section.title.clone(),
                            text: Markdown::new(section.body),
                        }),
                        None => fp.unknown_profession(section.line, id),
                    },
                    _ => fp.problem(
                        section.line,
                        "author.role_no_profession",
                        &[&"{kind=role profession=visiting-nurse}"],
                    ),
                }
            }
            "branch" => {
                fp.check_attrs(section, &[]);
                let (list, _) = items(section);
                if list.len() < 2 {
                    fp.problem(section.line, "author.branch_too_few", &[]);
                }
                let mut options = Vec::new();
                for (line, item) in list {
                    let parts = item.rsplit_once("->").or_else(|| item.rsplit_once('→'));
                    match parts.map(|(l, t)| (l.trim(), t.trim())) {
                        Some((label, target)) if !target.is_empty() && !label.is_empty() => {
                            // Not checked as a slug here: a target that names no scene
                            // (`s3B`) is reported once the scenes are known, with the
                            // id it is nearest to.
                            options.push(BranchOption {
                                label: label.to_string(),
                                target: target.to_string(),
                                line,
                            });
                        }
                        _ => fp.problem(line, "author.branch_no_target", &[&clip(&item)]),
                    }
                }
                if scene.branch.is_some() {
                    fp.problem(section.line, "author.branch_twice", &[&"{kind=branch}"]);
                }
                scene.branch = Some(Branch {
                    question: section.title.clone(),
                    options,
                    line: section.line,
                });
            }
            "facilitator" => {
                fp.check_attrs(section, &[]);
                scene.facilitator_notes.push(Markdown::new(section.body));
            }
            kind if PROMPT_KINDS.contains(&kind) => {
                let default_id = format!("{}-q{}", scene.id, scene.prompts.len() + 1);
                if let Some(p) = prompt(&mut fp, section, default_id, kind, true) {
                    duplicate(
                        &mut fp,
                        &mut prompt_ids,
                        &p.id,
                        p.line,
                        "author.duplicate_prompt",
                    );
                    scene.prompts.push(p);
                }
            }
            kind => unknown_prompt_kind(
                &mut fp,
                section,
                kind,
                "author.prompt_kind_unknown_scene",
                &["role", "branch", "facilitator"],
            ),
        }
    }
    let patient = match patient {
        Some((_, p)) => p,
        None => {
            fp.problem(end_line, "author.no_patient", &[&"# 本人 {kind=patient}"]);
            Patient::default()
        }
    };
    // Prompts that name people know them only now that the whole case is read.
    for prompt in scenes.iter_mut().flat_map(|s| s.prompts.iter_mut()) {
        match &mut prompt.kind {
            PromptKind::StakeholderMap { people, .. } => {
                *people = Person::of_case(&patient, &family, Some(team.as_slice()));
            }
            PromptKind::ActionPlan { people, .. } => {
                *people = Person::of_case(&patient, &family, None);
            }
            _ => {}
        }
    }
    if scenes.is_empty() {
        fp.problem(
            end_line,
            "author.no_scenes",
            &[&"# 場面1 ... {#s1 kind=scene}"],
        );
    }
    Some(Case {
        id: head.id.unwrap_or_default(),
        title: head.title,
        language: head.language,
        version: head.version,
        summary: head.summary,
        intro,
        patient,
        family,
        team,
        scenes,
        facilitator_notes: notes,
        path: path.to_string(),
    })
}
