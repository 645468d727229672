//! Reads a curriculum file: its steps, their prompts and the survey questions.

use std::collections::BTreeMap;

use super::frontmatter::clip;
use super::prompt::{prompt, unknown_prompt_kind};
use super::{FileParser, duplicate};
use crate::content::markdown::Markdown;
use crate::content::model::*;
use crate::content::{Problem, Professions, suggest};

/// Prompt kinds a survey question may have.
const SURVEY_KINDS: [&str; 3] = ["scale", "choice", "text"];

/// True when two questions of the same kind are asked the same way, so their answers
/// can be compared: a choice with the same options (and single or multiple), a scale
/// with the same range.
fn asked_alike(before: &PromptKind, after: &PromptKind) -> bool {
    match (before, after) {
        (
            PromptKind::Choice {
                multiple: m1,
                options: o1,
            },
            PromptKind::Choice {
                multiple: m2,
                options: o2,
            },
        ) => m1 == m2 && o1 == o2,
        (PromptKind::Scale { min: a, max: b, .. }, PromptKind::Scale { min: c, max: d, .. }) => {
            (a, b) == (c, d)
        }
        _ => true,
    }
}

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
                _ if survey.phase == SurveyPhase::Before => {
                    fp.problem(question.line, "author.before_in_before_survey", &[])
                }
                None => {
                    let near = suggest::closest(before, before_questions.keys().copied());
                    fp.problem_near(
                        question.line,
                        "author.before_missing",
                        &[&clip(before)],
                        near,
                    )
                }
                Some(earlier)
                    if std::mem::discriminant(&earlier.kind)
                        != std::mem::discriminant(&question.kind) =>
                {
                    fp.problem(question.line, "author.before_other_kind", &[&clip(before)])
                }
                Some(earlier) if !asked_alike(&earlier.kind, &question.kind) => fp.problem(
                    question.line,
                    "author.before_asked_differently",
                    &[&clip(before)],
                ),
                Some(_) => {}
            }
        }
    }
}

/// Reads `report_members: area, profession`: what the group report's members column
/// shows, in the order written; a word that names no roster column is reported.
fn report_members(fp: &mut FileParser, field: &super::frontmatter::Field) -> Vec<MemberField> {
    let mut out = Vec::new();
    let items = field.list();
    if items.is_empty() {
        fp.problem(field.line, "author.fm_empty", &[&"report_members"]);
    }
    for (line, word) in items {
        match MemberField::parse(&word) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => fp.problem(line, "author.report_members_twice", &[&clip(&word)]),
            None => {
                let ids = MemberField::WORDS.iter().map(|(f, _)| f.id());
                let near = suggest::closest(&word, ids.clone());
                let ids: Vec<&str> = ids.collect();
                fp.problem_near(
                    line,
                    "author.report_members_unknown",
                    &[&clip(&word), &ids.join(", ")],
                    near,
                )
            }
        }
    }
    out
}

/// Parses a curriculum file. Returns what could be read even when there are problems.
pub fn curriculum(
    path: &str,
    text: &str,
    professions: &Professions,
    problems: &mut Vec<Problem>,
) -> Option<Curriculum> {
    let mut fp = FileParser {
        path,
        problems,
        professions,
    };
    let head = fp.head(
        text,
        &["duration", "audience", "objectives", "report_members"],
        "author.bad_id_curriculum",
    )?;
    let (fields, end_line, covered) = (&head.fields, head.end_line, &head.covered);
    let duration = fp
        .required(fields, "duration", end_line, covered)
        .and_then(|f| fp.minutes(f.line, &f.text(), "duration"))
        .unwrap_or(0);
    let audience = fp
        .required(fields, "audience", end_line, covered)
        .map(|f| fp.professions(&f))
        .unwrap_or_default();
    let objectives = fp
        .required(fields, "objectives", end_line, covered)
        .map(|f| f.list().into_iter().map(|(_, s)| s).collect())
        .unwrap_or_default();
    let report_members = fields
        .get("report_members")
        .map(|f| report_members(&mut fp, f))
        .unwrap_or_default();

    let (_, sections) = fp.sections(text, head.body_offset, &head.lines);
    let sections = super::role::without_declarations(&mut fp, sections);
    let (sections, themes) = super::theme::themes(&mut fp, sections);
    let mut steps: Vec<Step> = Vec::new();
    let mut step_ids = BTreeMap::new();
    let mut prompt_ids = BTreeMap::new();
    let step_kinds: Vec<&str> = StepKind::ALL.iter().map(|(k, _)| *k).collect();
    let child_kinds: Vec<&str> = PROMPT_KINDS
        .iter()
        .chain(&["facilitator"])
        .copied()
        .collect();
    for section in &sections {
        if section.level == 1 {
            let section = &fp.with_near_kind(
                section,
                &step_kinds,
                "author.step_kind_unknown",
                &step_kinds.join(" | "),
            );
            let step_id = section
                .id
                .clone()
                .unwrap_or_else(|| format!("step-{}", steps.len() + 1));
            if fp.slug(section.line, &step_id, "author.bad_id_step") {
                duplicate(
                    &mut fp,
                    &mut step_ids,
                    &step_id,
                    section.line,
                    "author.duplicate_step",
                );
            }
            let kinds = || StepKind::ALL.iter().map(|(k, _)| *k);
            let kind = match section.kind.as_deref() {
                None => {
                    fp.problem(
                        section.line,
                        "author.step_no_kind",
                        &[
                            &"{#opening kind=lecture minutes=10}",
                            &kinds().collect::<Vec<_>>().join(" | "),
                        ],
                    );
                    StepKind::Lecture
                }
                Some(k) => StepKind::parse(k).unwrap_or_else(|| {
                    fp.problem_near(
                        section.line,
                        "author.step_kind_unknown",
                        &[&clip(k), &kinds().collect::<Vec<_>>().join(" | ")],
                        suggest::closest(k, kinds()),
                    );
                    StepKind::Lecture
                }),
            };
            let allowed: &[&str] = match kind {
                StepKind::CaseWalk => &["minutes", "case", "scenes"],
                StepKind::Survey => &["minutes", "phase"],
                _ => &["minutes"],
            };
            fp.check_attrs(section, allowed);
            let minutes = match section.attr("minutes") {
                Some(Some(v)) => fp.minutes(section.line, v, "minutes"),
                Some(None) => fp.minutes(section.line, "", "minutes"),
                None => None,
            };
            if kind == StepKind::GroupWork && minutes.is_none() {
                fp.problem(section.line, "author.group_work_no_minutes", &[]);
            }
            let walk = (kind == StepKind::CaseWalk).then(|| {
                let case = match section.attr("case") {
                    Some(Some(c)) => c.to_string(),
                    _ => {
                        fp.problem(section.line, "author.case_walk_no_case", &[]);
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
                            "author.phase_bad",
                            &[&clip(other.unwrap_or(""))],
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
                "author.before_first_step",
                &[&"# ... {kind=...}"],
            );
            continue;
        };
        if section.level != 2 {
            fp.problem(section.line, "author.step_child_level", &[]);
            continue;
        }
        let section = &fp.with_near_kind(
            section,
            &child_kinds,
            "author.prompt_kind_unknown_step",
            &PROMPT_KINDS.join(" | "),
        );
        match section.kind.as_deref().unwrap_or("") {
            "facilitator" => {
                fp.check_attrs(section, &[]);
                step.facilitator_notes.push(Markdown::new(section.body));
            }
            kind if PROMPT_KINDS.contains(&kind) => {
                let default_id = format!("{}-q{}", step.id, step.prompts.len() + 1);
                let Some(survey) = step.survey.as_mut() else {
                    if let Some(p) = prompt(&mut fp, section, default_id, kind, false) {
                        duplicate(
                            &mut fp,
                            &mut prompt_ids,
                            &p.id,
                            p.line,
                            "author.duplicate_prompt",
                        );
                        step.prompts.push(p);
                    }
                    continue;
                };
                if !SURVEY_KINDS.contains(&kind) {
                    fp.problem(section.line, "author.survey_kind_bad", &[&kind]);
                    continue;
                }
                // `before=<id>` is a survey setting, not a prompt setting.
                let before = section.attr("before").map(|v| v.unwrap_or("").to_string());
                let mut plain = section.clone();
                plain.attrs.retain(|(k, _)| k != "before");
                if let Some(p) = prompt(&mut fp, &plain, default_id, kind, false) {
                    duplicate(
                        &mut fp,
                        &mut prompt_ids,
                        &p.id,
                        p.line,
                        "author.duplicate_prompt",
                    );
                    if let Some(before) = before {
                        survey.before.insert(p.id.clone(), before);
                    }
                    step.prompts.push(p);
                }
            }
            kind => unknown_prompt_kind(
                &mut fp,
                section,
                kind,
                "author.prompt_kind_unknown_step",
                &["facilitator"],
            ),
        }
    }
    check_survey_pairs(&mut fp, &steps);
    if steps.is_empty() {
        fp.problem(
            end_line + 1,
            "author.no_steps",
            &[&"# 開会 {#opening kind=lecture minutes=5}"],
        );
    }
    Some(Curriculum {
        id: head.id.unwrap_or_default(),
        title: head.title,
        language: head.language,
        version: head.version,
        duration,
        audience,
        objectives,
        summary: head.summary,
        steps,
        report_members: if report_members.is_empty() {
            vec![MemberField::Profession]
        } else {
            report_members
        },
        path: path.to_string(),
        themes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a curriculum of `steps`; returns it and the problems as text.
    fn curriculum_of(steps: &str) -> (Option<Curriculum>, Vec<String>) {
        let text = format!(
            "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nduration: 30\naudience: msw\nobjectives:\n- o\n---\n\n{steps}"
        );
        let mut problems = Vec::new();
        let c = curriculum("c.md", &text, &Default::default(), &mut problems);
        (
            c,
            problems
                .iter()
                .map(|p| p.render(crate::lang::Lang::En))
                .collect(),
        )
    }

    /// Parses a curriculum whose front matter ends with `extra`.
    fn with_front(extra: &str) -> (Option<Curriculum>, Vec<String>) {
        let text = format!(
            "---\nid: c\ntitle: t\nlanguage: ja\nversion: 1\nduration: 30\naudience: msw\nobjectives:\n- o\n{extra}---\n\n# 講義 {{#l kind=lecture minutes=30}}\n"
        );
        let mut problems = Vec::new();
        let c = curriculum("c.md", &text, &Default::default(), &mut problems);
        (
            c,
            problems
                .iter()
                .map(|p| p.render(crate::lang::Lang::En))
                .collect(),
        )
    }

    #[test]
    fn report_members_name_roster_columns_in_either_language() {
        let (c, problems) = with_front("");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.unwrap().report_members, [MemberField::Profession]);
        let (c, problems) = with_front("report_members: 都道府県、profession\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            c.unwrap().report_members,
            [MemberField::Area, MemberField::Profession]
        );
        let (c, problems) = with_front("report_members:\n- Organization\n- 氏名\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            c.unwrap().report_members,
            [MemberField::Organization, MemberField::Name]
        );
    }

    #[test]
    fn a_report_members_word_that_names_no_column_is_named_with_its_line() {
        let (c, problems) = with_front("report_members: area, profesion, area\n");
        // Line 10 of the file: the key's line, where a one-line list is written.
        assert!(
            problems.iter().any(|p| p.starts_with("c.md:10:")
                && p.contains("`profesion`")
                && p.contains("profession")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("c.md:10:") && p.contains("`area` is given twice")),
            "{problems:?}"
        );
        // What could be read is kept.
        assert_eq!(c.unwrap().report_members, [MemberField::Area]);
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
                "unknown setting `phase` for kind=lecture",
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
