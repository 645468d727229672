//! Warnings: things in content that loads and checks but that an author will want to
//! look at — minutes that do not add up, a step or scene without facilitator notes, a
//! role card for a profession outside the case's team, prompts that cannot fit their
//! time, a case no curriculum uses. They are shown (by `check`, on the organizer's
//! curriculum page) and never block anything.
//!
//! Each warning is a [`Problem`] with a key in the `[warn]` section of the i18n files
//! (the message `warn.x`, the hint `warn.x.hint`), so it has its `file:line`, Japanese
//! and English text and a hint like every problem.

use std::collections::BTreeSet;

use super::{Case, Curriculum, Library, Problem, PromptKind, StepKind};

/// Least minutes a table needs for one prompt of a kind: a deliberately low estimate
/// (reading the question, talking briefly, typing a short answer), so that a warning
/// means the prompts cannot fit even when a table is quick.
///
/// | kind | minutes |
/// |---|---|
/// | `choice`, `scale` | 1 |
/// | `text`, `values-ranking` | 2 |
/// | `capacity-check` | 3 |
/// | `four-box`, `decision-table`, `stakeholder-map`, `action-plan`, `three-field` | 4 |
/// | `conference-sheet` | 5 |
pub fn prompt_minutes(kind: &PromptKind) -> u32 {
    match kind {
        PromptKind::Choice { .. } | PromptKind::Scale { .. } => 1,
        PromptKind::Text { .. } | PromptKind::ValuesRanking { .. } => 2,
        PromptKind::CapacityCheck { .. } => 3,
        PromptKind::FourBox {}
        | PromptKind::DecisionTable { .. }
        | PromptKind::StakeholderMap { .. }
        | PromptKind::ActionPlan { .. }
        | PromptKind::ThreeField { .. } => 4,
        PromptKind::ConferenceSheet { .. } => 5,
    }
}

/// The attributes of a facilitator-notes heading, an argument of the hints (the
/// i18n files keep braces for arguments).
const NOTES_ATTRS: &str = "{kind=facilitator}";

impl Library {
    /// Every warning of the library, sorted by file and line. Paths are relative to
    /// the content folder (`cases/x.md`), as in the library's sources.
    pub fn warnings(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for curriculum in self.curricula.values() {
            self.curriculum_warnings_into(curriculum, &mut out);
        }
        for case in self.cases.values() {
            self.case_warnings_into(case, &mut out);
        }
        let used: BTreeSet<&str> = self
            .curricula
            .values()
            .flat_map(|c| c.steps.iter())
            .filter_map(|s| s.walk.as_ref().map(|w| w.case.as_str()))
            .collect();
        for case in self.cases.values() {
            if !used.contains(case.id.as_str()) {
                let line = self.front_matter_line(&case.path, "id");
                out.push(Problem::keyed(
                    &case.path,
                    line,
                    "warn.unused_case",
                    &[
                        &case.id,
                        &format!("{{#walk kind=case-walk case={} minutes=20}}", case.id),
                    ],
                ));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The warnings a curriculum's page shows: those of its own file and of the cases
    /// it walks (an unused case is no business of a curriculum's page).
    pub fn warnings_for(&self, curriculum_id: &str) -> Vec<Problem> {
        let Some(curriculum) = self.curricula.get(curriculum_id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.curriculum_warnings_into(curriculum, &mut out);
        let walked: BTreeSet<&str> = curriculum
            .steps
            .iter()
            .filter_map(|s| s.walk.as_ref().map(|w| w.case.as_str()))
            .collect();
        for case in walked.iter().filter_map(|id| self.cases.get(*id)) {
            self.case_warnings_into(case, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    /// The line of the front-matter field `key` in the file at `path`, or 1.
    fn front_matter_line(&self, path: &str, key: &str) -> usize {
        let Some(text) = self.sources.files.get(path) else {
            return 1;
        };
        let prefix = format!("{key}:");
        // Between the opening `---` (line 1) and the closing one.
        text.lines()
            .enumerate()
            .skip(1)
            .take_while(|(_, l)| l.trim() != "---")
            .find(|(_, l)| l.trim_start().starts_with(&prefix))
            .map_or(1, |(i, _)| i + 1)
    }

    /// The line of the role-card heading for `profession` in the scene that starts at
    /// `scene_line` of the file at `path` (the scene's line when it cannot be found).
    fn role_card_line(&self, path: &str, scene_line: usize, profession: &str) -> usize {
        let Some(text) = self.sources.files.get(path) else {
            return scene_line;
        };
        let wanted = format!("profession={profession}");
        text.lines()
            .enumerate()
            .skip(scene_line)
            .take_while(|(_, l)| !(l.starts_with("# ") && l.contains("kind=scene")))
            .find(|(_, l)| {
                l.starts_with('#')
                    && l.contains("kind=role")
                    && l.split(|c: char| c.is_whitespace() || c == '}')
                        .any(|w| w == wanted)
            })
            .map_or(scene_line, |(i, _)| i + 1)
    }

    fn curriculum_warnings_into(&self, curriculum: &Curriculum, out: &mut Vec<Problem>) {
        let path = curriculum.path.as_str();
        // Minutes: a sum over the duration is always wrong; a sum under it only when
        // every step has minutes (a step without them takes the rest of the time).
        let sum: u32 = curriculum.steps.iter().filter_map(|s| s.minutes).sum();
        let all_timed = curriculum.steps.iter().all(|s| s.minutes.is_some());
        if sum > curriculum.duration || (all_timed && sum < curriculum.duration) {
            out.push(Problem::keyed(
                path,
                self.front_matter_line(path, "duration"),
                "warn.minutes_sum",
                &[&sum, &curriculum.duration],
            ));
        }
        for step in &curriculum.steps {
            if step.facilitator_notes.is_empty() {
                out.push(Problem::keyed(
                    path,
                    step.line,
                    "warn.step_notes",
                    &[&step.title, &NOTES_ATTRS],
                ));
            }
            let Some(minutes) = step.minutes else {
                continue;
            };
            let prompts = step.table_prompts();
            let need: u32 = prompts.iter().map(|p| prompt_minutes(&p.kind)).sum();
            if need > minutes {
                out.push(Problem::keyed(
                    path,
                    step.line,
                    "warn.step_time",
                    &[&step.title, &prompts.len(), &need, &minutes],
                ));
            }
            if step.kind != StepKind::CaseWalk {
                continue;
            }
            let Some(case) = step.walk.as_ref().and_then(|w| self.cases.get(&w.case)) else {
                continue;
            };
            for scene in crate::workbook::walk_scenes(step, case) {
                let need: u32 = scene.prompts.iter().map(|p| prompt_minutes(&p.kind)).sum();
                if need > minutes {
                    out.push(Problem::keyed(
                        &case.path,
                        scene.line,
                        "warn.scene_time",
                        &[
                            &scene.title,
                            &scene.prompts.len(),
                            &need,
                            &curriculum.path,
                            &step.title,
                            &minutes,
                        ],
                    ));
                }
            }
        }
    }
}

impl Library {
    fn case_warnings_into(&self, case: &Case, out: &mut Vec<Problem>) {
        for scene in &case.scenes {
            if scene.facilitator_notes.is_empty() {
                out.push(Problem::keyed(
                    &case.path,
                    scene.line,
                    "warn.scene_notes",
                    &[&scene.title, &NOTES_ATTRS],
                ));
            }
            for card in &scene.role_cards {
                if !case.team.contains(&card.profession) {
                    out.push(Problem::keyed(
                        &case.path,
                        self.role_card_line(&case.path, scene.line, card.profession.id),
                        "warn.role_not_in_team",
                        &[&scene.title, &card.profession.id, &card.profession.ja],
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Sources;
    use crate::lang::Lang;

    fn bundled() -> Library {
        Library::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("bundled content")
    }

    /// The bundled content gives no warning: each one it gave was reviewed (the
    /// unused cases and the surveys without notes were gaps the content has since
    /// filled). A warning here is a false alarm of a rule, or a real gap in the content.
    #[test]
    fn bundled_content_gives_no_warnings() {
        let warnings: Vec<String> = bundled()
            .warnings()
            .iter()
            .map(|w| w.render(Lang::Ja))
            .collect();
        assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    }

    const CURRICULUM: &str = "---\nid: c\ntitle: 研修\nlanguage: ja\nversion: 1\nduration: 30\naudience: msw\nobjectives:\n- o\n---\n\n# 講義 {#l kind=lecture minutes=10}\n\n## ファシリテーターへ {kind=facilitator}\n\nメモ\n\n# 事例 {#w kind=case-walk case=k minutes=20}\n\n## ファシリテーターへ {kind=facilitator}\n\nメモ\n";

    const CASE: &str = "---\nid: k\ntitle: 事例\nlanguage: ja\nversion: 1\nteam: msw, visiting-nurse\n---\n\n# 本人 {kind=patient}\n\n- name: 花子\n- age: 80\n- illness: 心不全\n- living: 独居\n\n# 場面1 {#s1 kind=scene}\n\n話。\n\n## 訪問看護師 {kind=role profession=visiting-nurse}\n\n情報。\n\n## ファシリテーターへ {kind=facilitator}\n\nメモ\n";

    fn library(curriculum: &str, case: &str) -> Library {
        let mut files = std::collections::BTreeMap::new();
        files.insert("curricula/c.md".to_string(), curriculum.to_string());
        files.insert("cases/k.md".to_string(), case.to_string());
        Library::from_sources(Sources { files }).unwrap_or_else(|p| {
            panic!(
                "{}",
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    }

    /// (path, line, key) of each warning, and every warning rendered in both languages
    /// (so a key without its strings or its hint fails here).
    fn warnings(library: &Library) -> Vec<(String, usize, &'static str)> {
        library
            .warnings()
            .iter()
            .map(|w| {
                for lang in [Lang::Ja, Lang::En] {
                    let text = w.render(lang);
                    assert!(!w.message(lang).starts_with("warn."), "{text}");
                    assert!(!w.hint(lang).starts_with("warn."), "{text}");
                }
                (w.path.clone(), w.line, w.key())
            })
            .collect()
    }

    #[test]
    fn content_without_anything_to_say_has_no_warnings() {
        assert_eq!(warnings(&library(CURRICULUM, CASE)), vec![]);
    }

    #[test]
    fn minutes_that_do_not_add_up_are_named_at_the_duration() {
        let over = CURRICULUM.replace("minutes=20}", "minutes=25}");
        assert_eq!(
            warnings(&library(&over, CASE)),
            vec![("curricula/c.md".into(), 6, "warn.minutes_sum")]
        );
        let w = &library(&over, CASE).warnings()[0];
        assert!(
            w.message(Lang::Ja).contains("35分"),
            "{}",
            w.message(Lang::Ja)
        );
        assert!(
            w.message(Lang::En).contains("35"),
            "{}",
            w.message(Lang::En)
        );
        let under = CURRICULUM.replace("minutes=20}", "minutes=15}");
        assert_eq!(
            warnings(&library(&under, CASE)),
            vec![("curricula/c.md".into(), 6, "warn.minutes_sum")]
        );
        // A step without minutes takes the rest: fewer minutes is then not a mistake.
        let untimed = CURRICULUM.replace(" minutes=20}", "}");
        assert_eq!(warnings(&library(&untimed, CASE)), vec![]);
    }

    #[test]
    fn steps_and_scenes_without_notes_are_named() {
        let curriculum =
            CURRICULUM.replacen("## ファシリテーターへ {kind=facilitator}\n\nメモ\n", "", 1);
        let case = CASE.replace("## ファシリテーターへ {kind=facilitator}\n\nメモ\n", "");
        assert_eq!(
            warnings(&library(&curriculum, &case)),
            vec![
                ("cases/k.md".into(), 16, "warn.scene_notes"),
                ("curricula/c.md".into(), 12, "warn.step_notes"),
            ]
        );
        let w = library(&curriculum, &case).warnings();
        assert!(w[0].message(Lang::Ja).contains("場面1"));
        assert!(w[1].hint(Lang::Ja).contains("{kind=facilitator}"));
    }

    #[test]
    fn a_role_card_outside_the_team_is_named_at_its_heading() {
        let case = CASE.replace("team: msw, visiting-nurse", "team: msw");
        assert_eq!(
            warnings(&library(CURRICULUM, &case)),
            vec![("cases/k.md".into(), 20, "warn.role_not_in_team")]
        );
        let w = &library(CURRICULUM, &case).warnings()[0];
        assert!(
            w.message(Lang::Ja).contains("訪問看護師"),
            "{}",
            w.message(Lang::Ja)
        );
        assert!(
            w.hint(Lang::En).contains("visiting-nurse"),
            "{}",
            w.hint(Lang::En)
        );
    }

    #[test]
    fn prompts_that_cannot_fit_their_minutes_are_named() {
        // Four worksheets (4 minutes each at least) in a scene walked in ten minutes.
        let sheets = "## 表1 {kind=four-box}\n\n## 表2 {kind=four-box}\n\n## 表3 {kind=three-field}\n\n## 表4 {kind=action-plan}\n\n";
        let case = CASE.replace("## 訪問看護師", &format!("{sheets}## 訪問看護師"));
        let curriculum = CURRICULUM
            .replace("kind=lecture minutes=10}", "kind=lecture minutes=20}")
            .replace("case=k minutes=20}", "case=k minutes=10}");
        assert_eq!(
            warnings(&library(&curriculum, &case)),
            vec![("cases/k.md".into(), 16, "warn.scene_time")]
        );
        let w = &library(&curriculum, &case).warnings()[0];
        assert!(
            w.message(Lang::Ja).contains("16分"),
            "{}",
            w.message(Lang::Ja)
        );
        assert!(
            w.message(Lang::Ja).contains("10分"),
            "{}",
            w.message(Lang::Ja)
        );
        // The same prompts fit twenty minutes.
        assert_eq!(warnings(&library(CURRICULUM, &case)), vec![]);
        // A step's own prompts count against its own minutes.
        let gw = CURRICULUM.replace(
            "# 講義 {#l kind=lecture minutes=10}\n",
            &format!("# 講義 {{#l kind=group-work minutes=10}}\n\n{sheets}"),
        );
        assert_eq!(
            warnings(&library(&gw, CASE)),
            vec![("curricula/c.md".into(), 12, "warn.step_time")]
        );
    }

    #[test]
    fn a_case_no_curriculum_walks_is_named_at_its_id() {
        let curriculum = CURRICULUM.replace("kind=case-walk case=k", "kind=group-work");
        assert_eq!(
            warnings(&library(&curriculum, CASE)),
            vec![("cases/k.md".into(), 2, "warn.unused_case")]
        );
        // The curriculum's page leaves out cases it does not walk.
        assert_eq!(library(&curriculum, CASE).warnings_for("c"), vec![]);
    }
}
