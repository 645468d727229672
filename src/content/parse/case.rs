//! Reads a case file: the patient, the family, the scenes and what each scene holds.

use std::collections::BTreeMap;

use super::frontmatter::clip;
use super::prompt::{prompt, unknown_prompt_kind};
use super::{FileParser, Section, duplicate, items};
use crate::content::markdown::Markdown;
use crate::content::model::*;
use crate::content::{Problem, Professions};

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
    let head = fp.head(text, &["team"], "case")?;
    let (fields, end_line) = (&head.fields, head.end_line);
    let team = fp
        .required(fields, "team", end_line)
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
            PromptKind::ActionPlan { people, .. } => {
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
