//! The content model: curricula and cases as loaded from files, immutable at run time.

use serde::Serialize;

use super::Profession;
use super::markdown::Markdown;

/// A teaching programme (教育プログラム).
#[derive(Debug, Clone, Serialize)]
pub struct Curriculum {
    /// Slug id, unique among curricula.
    pub id: String,
    /// Title shown everywhere.
    pub title: String,
    /// Content language (`ja` or `en`).
    pub language: String,
    /// Author-given version string.
    pub version: String,
    /// Planned length in minutes.
    pub duration: u32,
    /// Professions the programme is written for.
    pub audience: Vec<Profession>,
    /// Learning objectives.
    pub objectives: Vec<String>,
    /// One-line summary, may be empty.
    pub summary: String,
    /// Ordered steps.
    pub steps: Vec<Step>,
    /// File the curriculum came from, relative to the content folder.
    pub path: String,
}

/// The kinds of curriculum step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// A talk or reading.
    Lecture,
    /// Tables walk scenes of a case.
    CaseWalk,
    /// Timed group work with prompts.
    GroupWork,
    /// Individual or group reflection.
    Reflection,
    /// The closing survey.
    Survey,
    /// Tables report to the room.
    Plenary,
}

impl StepKind {
    /// Every kind with its id as written in files.
    pub const ALL: [(&'static str, StepKind); 6] = [
        ("lecture", StepKind::Lecture),
        ("case-walk", StepKind::CaseWalk),
        ("group-work", StepKind::GroupWork),
        ("reflection", StepKind::Reflection),
        ("survey", StepKind::Survey),
        ("plenary", StepKind::Plenary),
    ];

    /// Parses a kind id.
    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, kind)| *kind)
    }
}

/// One unit of a curriculum.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Slug id, unique in the curriculum.
    pub id: String,
    /// Heading text.
    pub title: String,
    /// What kind of step.
    pub kind: StepKind,
    /// Planned minutes (the time box of group work).
    pub minutes: Option<u32>,
    /// Text shown on table screens.
    pub body: Markdown,
    /// Notes for the facilitator only.
    pub facilitator_notes: Vec<Markdown>,
    /// Prompts the tables answer in this step.
    pub prompts: Vec<Prompt>,
    /// For a case walk: which case and scenes.
    pub walk: Option<CaseWalk>,
    /// Line of the step heading.
    pub line: usize,
}

/// The case and scenes a case-walk step covers.
#[derive(Debug, Clone, Serialize)]
pub struct CaseWalk {
    /// Id of the case.
    pub case: String,
    /// Scenes named by the step; empty means the whole case.
    pub scenes: Vec<String>,
}

/// A question tables answer (問い).
#[derive(Debug, Clone, Serialize)]
pub struct Prompt {
    /// Slug id, unique in its file; stored with every conclusion.
    pub id: String,
    /// The question.
    pub title: String,
    /// Help text under the question.
    pub help: Markdown,
    /// The shape of the answer.
    #[serde(flatten)]
    pub kind: PromptKind,
    /// Line of the prompt heading.
    pub line: usize,
}

/// The prompt kinds and their settings. More kinds (four-box, decision table, …) slot in here.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PromptKind {
    /// Free text up to `max` characters.
    Text {
        /// Largest answer in characters.
        max: usize,
    },
    /// One or several of the listed options.
    Choice {
        /// Whether several options may be chosen.
        multiple: bool,
        /// The options in order.
        options: Vec<String>,
    },
    /// A whole number from `min` to `max`.
    Scale {
        /// Lowest value.
        min: i64,
        /// Highest value.
        max: i64,
        /// Labels for some values, e.g. the two ends.
        labels: Vec<(i64, String)>,
    },
}

/// The prompt kind ids that files may use.
pub const PROMPT_KINDS: [&str; 3] = ["text", "choice", "scale"];

/// A scenario (事例).
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Slug id, unique among cases.
    pub id: String,
    /// Title.
    pub title: String,
    /// Content language.
    pub language: String,
    /// Author-given version.
    pub version: String,
    /// One-line summary, may be empty.
    pub summary: String,
    /// Introduction text before the first heading.
    pub intro: Markdown,
    /// The person at the centre of the case (本人).
    pub patient: Patient,
    /// Family members and others close to the person (家族等).
    pub family: Vec<FamilyMember>,
    /// Professions in the care team.
    pub team: Vec<Profession>,
    /// Scenes in time order.
    pub scenes: Vec<Scene>,
    /// Learning points and other notes for the facilitator only.
    pub facilitator_notes: Vec<Markdown>,
    /// File the case came from, relative to the content folder.
    pub path: String,
}

/// The patient (本人).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Patient {
    /// Fictional name.
    pub name: String,
    /// Age in years.
    pub age: u32,
    /// Illness and course.
    pub illness: String,
    /// Living situation.
    pub living: String,
    /// Long-term care level, if any (要介護3).
    pub care_level: String,
    /// Things the person has said.
    pub said: Vec<String>,
    /// Life history and other text.
    pub story: Markdown,
}

/// A family member or other close person (家族等).
#[derive(Debug, Clone, Serialize)]
pub struct FamilyMember {
    /// Slug id if given.
    pub id: String,
    /// Heading text.
    pub title: String,
    /// Name, may be empty.
    pub name: String,
    /// Relation to the patient.
    pub relation: String,
    /// Lives with the patient (true) or apart.
    pub lives_with: bool,
    /// What they think and want.
    pub stance: String,
    /// Expected to speak for the patient.
    pub surrogate: bool,
    /// Further text.
    pub story: Markdown,
}

/// One moment of a case (場面).
#[derive(Debug, Clone, Serialize)]
pub struct Scene {
    /// Slug id, unique in the case.
    pub id: String,
    /// Heading text.
    pub title: String,
    /// When and where, e.g. 2025年10月・外来.
    pub when: String,
    /// The narrative.
    pub narrative: Markdown,
    /// What each profession knows.
    pub role_cards: Vec<RoleCard>,
    /// Prompts for this scene.
    pub prompts: Vec<Prompt>,
    /// Options that lead to other scenes.
    pub branch: Option<Branch>,
    /// Explicit next scene.
    pub next: Option<String>,
    /// The case ends after this scene.
    pub end: bool,
    /// Notes for the facilitator only.
    pub facilitator_notes: Vec<Markdown>,
    /// Line of the scene heading.
    pub line: usize,
}

/// Information only one profession holds in a scene (職種別情報).
#[derive(Debug, Clone, Serialize)]
pub struct RoleCard {
    /// Whose card it is.
    pub profession: Profession,
    /// Heading text.
    pub title: String,
    /// The card's text.
    pub text: Markdown,
}

/// A decision point that leads to different scenes.
#[derive(Debug, Clone, Serialize)]
pub struct Branch {
    /// The question asked.
    pub question: String,
    /// The options.
    pub options: Vec<BranchOption>,
    /// Line of the branch heading.
    pub line: usize,
}

/// One option of a branch.
#[derive(Debug, Clone, Serialize)]
pub struct BranchOption {
    /// What the table chooses.
    pub label: String,
    /// The scene it leads to.
    pub target: String,
    /// Line of the option.
    pub line: usize,
}

impl Case {
    /// Finds a scene by id.
    pub fn scene(&self, id: &str) -> Option<&Scene> {
        self.scenes.iter().find(|s| s.id == id)
    }

    /// The scene that follows `id` when no branch is taken, if any.
    pub fn default_next(&self, id: &str) -> Option<&Scene> {
        let index = self.scenes.iter().position(|s| s.id == id)?;
        let scene = &self.scenes[index];
        if scene.end || scene.branch.is_some() {
            return None;
        }
        match &scene.next {
            Some(next) => self.scene(next),
            None => self.scenes.get(index + 1),
        }
    }
}

impl Curriculum {
    /// Every prompt of the curriculum's own steps.
    pub fn step_prompts(&self) -> impl Iterator<Item = (&Step, &Prompt)> {
        self.steps
            .iter()
            .flat_map(|s| s.prompts.iter().map(move |p| (s, p)))
    }
}
