//! What happens in a running session, independent of HTTP: which step is current,
//! which prompts a table may answer now, where a table's case walk goes next (here);
//! how the tables' answers to one prompt compare ([`compare`]); and the per-step
//! reports that the facilitator view and the record page both draw (`session/steps.rs`).

mod compare;
mod steps;

use std::sync::Arc;

use serde::Serialize;

use crate::content::{Branch, Case, CaseWalk, Curriculum, Library, Prompt, Scene, Step};
use crate::db::{conclusions::VisitRow, sessions::SessionRow};

pub use compare::{
    BoxColumn, CardTally, Comparison, OptionSummary, PlanItem, Said, TableItems, ViewRef, WhoGroup,
    compare,
};
pub use steps::{
    PromptReport, SceneReport, StepReport, StepTime, WalkReport, step_reports, step_times,
};

/// Most tables a session may have (the largest meetings seat about 30). The database
/// checks the same bound on `session.table_count` (migration 0001), so the new-session
/// form and an import refuse more before the insert would fail.
pub const MAX_TABLES: i64 = 60;

/// Most seats a table may be given, the roster page's bound and an import's. The
/// database checks the same bound on `session.seats_per_table` (migration 0004).
pub const MAX_SEATS: i64 = 30;

/// A session together with the content snapshot it runs on.
#[derive(Clone)]
pub struct Run {
    /// The stored session.
    pub session: SessionRow,
    /// The content the session started with.
    pub library: Arc<Library>,
    /// The session's curriculum.
    pub curriculum: Arc<Curriculum>,
}

/// Where a prompt lives.
#[derive(Debug, Clone, Copy)]
pub enum PromptPlace<'a> {
    /// In a curriculum step.
    Step(&'a Step),
    /// In a scene of a case.
    Scene(&'a Case, &'a Scene),
}

/// The key a conclusion is stored under: stable across content edits of other prompts.
pub fn step_prompt_key(curriculum: &Curriculum, prompt: &Prompt) -> String {
    format!("curriculum:{}:{}", curriculum.id, prompt.id)
}

/// The key of a prompt in a case scene.
pub fn scene_prompt_key(case: &Case, prompt: &Prompt) -> String {
    format!("case:{}:{}", case.id, prompt.id)
}

/// A prompt of `curriculum` or of a case in `library` by its stored key, with where it
/// lives (what a table's save and an import both look answers up by).
pub fn prompt_by_key<'a>(
    library: &'a Library,
    curriculum: &'a Curriculum,
    key: &str,
) -> Option<(&'a Prompt, PromptPlace<'a>)> {
    let mut parts = key.splitn(3, ':');
    match (parts.next()?, parts.next()?, parts.next()?) {
        ("curriculum", id, prompt_id) if id == curriculum.id => curriculum
            .step_prompts()
            .find(|(_, p)| p.id == prompt_id)
            .map(|(s, p)| (p, PromptPlace::Step(s))),
        ("case", id, prompt_id) => {
            let case = library.cases.get(id)?;
            case.scenes.iter().find_map(|scene| {
                scene
                    .prompts
                    .iter()
                    .find(|p| p.id == prompt_id)
                    .map(|p| (p, PromptPlace::Scene(case, scene)))
            })
        }
        _ => None,
    }
}

/// Where a table's walk goes after its last scene.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Onward<'a> {
    /// The table may go on to this scene.
    Next {
        /// The scene.
        scene: &'a Scene,
    },
    /// The table chooses an option.
    Branch {
        /// The branch.
        branch: &'a Branch,
    },
    /// The walk of this step is over.
    End,
}

/// Where a walk goes after `path` (the scenes visited, in order) in a step that walks
/// `walk` (`None`: the whole case, as a preview walks it).
pub fn onward<'a>(walk: Option<&CaseWalk>, case: &'a Case, path: &[&'a Scene]) -> Onward<'a> {
    let Some(last) = path.last() else {
        return Onward::End;
    };
    if let Some(branch) = &last.branch {
        return Onward::Branch { branch };
    }
    let listed = walk.map(|w| &w.scenes[..]).unwrap_or(&[]);
    match case.default_next(&last.id) {
        // A step that lists scenes stops where the listed ones run out, unless the
        // table arrived here by a branch (then the branch's own line continues).
        Some(next)
            if listed.is_empty() || listed.contains(&next.id) || !listed.contains(&last.id) =>
        {
            Onward::Next { scene: next }
        }
        _ => Onward::End,
    }
}

impl Run {
    /// The step at `index`, if any.
    pub fn step(&self, index: i64) -> Option<&Step> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.curriculum.steps.get(i))
    }

    /// The current step (the first if the stored index is out of range).
    pub fn current_step(&self) -> &Step {
        self.step(self.session.current_step)
            .unwrap_or(&self.curriculum.steps[0])
    }

    /// The case a case-walk step walks.
    pub fn walk_case(&self, step: &Step) -> Option<&Case> {
        step.walk
            .as_ref()
            .and_then(|w| self.library.cases.get(&w.case))
            .map(|c| &**c)
    }

    /// The scene a walk starts at.
    pub fn walk_start<'a>(&self, step: &Step, case: &'a Case) -> Option<&'a Scene> {
        match step.walk.as_ref().and_then(|w| w.scenes.first()) {
            Some(first) => case.scene(first),
            None => case.scenes.first(),
        }
    }

    /// Where the walk goes after `path` (the scenes visited, in order).
    pub fn onward<'a>(&self, step: &Step, case: &'a Case, path: &[&'a Scene]) -> Onward<'a> {
        onward(step.walk.as_ref(), case, path)
    }

    /// A prompt by its stored key, with where it lives.
    pub fn prompt(&self, key: &str) -> Option<(&Prompt, PromptPlace<'_>)> {
        prompt_by_key(&self.library, &self.curriculum, key)
    }

    /// True when `table` may save an answer to the prompt at `key` now: the prompt
    /// belongs to the current step, or to a scene on the table's path in it.
    pub fn may_answer(&self, key: &str, path: &[VisitRow]) -> bool {
        let step = self.current_step();
        match self.prompt(key) {
            Some((_, PromptPlace::Step(s))) => s.id == step.id,
            Some((_, PromptPlace::Scene(case, scene))) => {
                self.walk_case(step).is_some_and(|c| c.id == case.id)
                    && self
                        .path_scenes(self.session.current_step, path)
                        .iter()
                        .any(|(s, _)| s.id == scene.id)
            }
            None => false,
        }
    }

    /// The scenes of one table's path in one step. A table that has not moved yet
    /// stands at the walk's first scene once the session has reached the step.
    pub fn path_scenes<'a>(
        &'a self,
        step_index: i64,
        visits: &[VisitRow],
    ) -> Vec<(&'a Scene, Option<String>)> {
        let Some(step) = self.step(step_index) else {
            return Vec::new();
        };
        let Some(case) = self.walk_case(step) else {
            return Vec::new();
        };
        let stored: Vec<_> = visits
            .iter()
            .filter(|v| v.step_index == step_index && v.case_id == case.id)
            .filter_map(|v| case.scene(&v.scene_id).map(|s| (s, v.via_option.clone())))
            .collect();
        if stored.is_empty() && step_index <= self.session.current_step {
            return self
                .walk_start(step, case)
                .map(|s| vec![(s, None)])
                .unwrap_or_default();
        }
        stored
    }
}

/// One table's newest answer to one prompt, for reports (templates and PDFs draw it
/// as one cell of a prompt's row; `pdf::Cell` is a table cell of a printed page).
#[derive(Debug, Clone, Serialize)]
pub struct TableAnswer {
    /// The table's number in the session, from 1.
    pub table: i64,
    /// The answer as pages show it for its prompt, if the table has saved one.
    pub answer: Option<crate::answer::ShownAnswer>,
    /// Its version: 0 when the table has saved nothing, else 1 and up.
    pub version: i64,
    /// When its newest version was saved (Unix ms); `None` when nothing is saved.
    pub saved_at: Option<i64>,
}
