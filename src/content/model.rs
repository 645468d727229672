//! The content model: curricula and cases as loaded from files, immutable at run time.

use serde::Serialize;

use super::Profession;
use super::markdown::Markdown;
use crate::lang::Lang;

/// A teaching programme (教育プログラム).
#[derive(Debug, Clone, Serialize)]
pub struct Curriculum {
    /// Slug id, unique among curricula.
    pub id: String,
    /// Title shown everywhere.
    pub title: String,
    /// Content language: the language of its workbooks and the reports read in it.
    pub language: Lang,
    /// Author-given version string.
    pub version: String,
    /// Planned length in minutes.
    pub duration: u32,
    /// Professions the programme is written for.
    pub audience: Vec<Profession>,
    /// Learning objectives (学習目標), one per list item, shown on the cover and in the guide.
    pub objectives: Vec<String>,
    /// One-line summary, may be empty.
    pub summary: String,
    /// The steps in the order the session runs them; never empty.
    pub steps: Vec<Step>,
    /// What the members column of the group report shows of the people at each table
    /// (`report_members:`); never empty, the professions when not given.
    pub report_members: Vec<MemberField>,
    /// File the curriculum came from, relative to the content folder.
    pub path: String,
    /// Themes of its own for the cross-session report (`kind=theme` sections), in file
    /// order; the built-in themes are used beside them.
    pub themes: Vec<Theme>,
}

/// A theme an analyst files report items under, with the words that put an item
/// there (see `report::items`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    /// Stable id, kept in the JSON and CSV downloads and in the organizer's moves.
    pub id: String,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// Words looked for in an item, written normalised (NFKC, lower case, letters and
    /// digits only). An entry joined with `+` (「連携+医師」) needs every part; a
    /// generic word such as 連携 is only ever a part, so it decides nothing by itself.
    pub words: Vec<String>,
    /// Names of the theme's people or bodies (医師会, 保健所, 住民), written the same
    /// way: they count half, so an item is filed by what it is about before whom it
    /// names in passing.
    pub who: Vec<String>,
}

impl Theme {
    /// The label in the given UI language.
    pub fn label(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

/// What the members column of a group report shows of the roster people at a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberField {
    /// Their professions (as the content labels them), with how many of each.
    Profession,
    /// Their organizations.
    Organization,
    /// Their areas (district, municipality, prefecture).
    Area,
    /// Their names.
    Name,
}

impl MemberField {
    /// Every field with the words an author may write for it, the id first. They are the
    /// roster file's column names too (`roster::parse` reads its header with them), so
    /// `report_members: 都道府県` names the column a roster calls 都道府県.
    pub const WORDS: [(MemberField, &'static [&'static str]); 4] = [
        (MemberField::Profession, &["profession", "職種", "job"]),
        (
            MemberField::Organization,
            &[
                "organization",
                "organisation",
                "affiliation",
                "所属",
                "所属機関",
                "所属先",
                "所属機関名",
                "事業所",
                "事業所名",
                "施設",
                "施設名",
            ],
        ),
        (
            MemberField::Area,
            &[
                "area",
                "district",
                "region",
                "prefecture",
                "municipality",
                "地区",
                "地域",
                "エリア",
                "圏域",
                "都道府県",
                "市町村",
                "市区町村",
            ],
        ),
        (
            MemberField::Name,
            &["name", "氏名", "名前", "お名前", "fullname"],
        ),
    ];

    /// Reads one word of `report_members:` (any case).
    pub fn parse(word: &str) -> Option<MemberField> {
        let word = word.trim().to_lowercase();
        Self::WORDS
            .iter()
            .find(|(_, words)| words.contains(&word.as_str()))
            .map(|(field, _)| *field)
    }

    /// The id written in files and downloads.
    pub fn id(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("profession", |(_, words)| words[0])
    }
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
    /// For a survey step: when it is asked and which questions repeat a "before" one.
    pub survey: Option<SurveySettings>,
    /// Line of the step heading.
    pub line: usize,
}

impl Step {
    /// The prompts tables answer together: none in a survey step, whose questions
    /// each person answers alone on their own phone.
    pub fn table_prompts(&self) -> &[Prompt] {
        if self.kind == StepKind::Survey {
            &[]
        } else {
            &self.prompts
        }
    }
}

/// When a survey step is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SurveyPhase {
    /// At the start, before the teaching (`phase=before`).
    Before,
    /// At the end (the default).
    After,
}

/// The settings of a survey step. Its prompts are individual questions, answered by
/// each person on their own phone, never by a table.
#[derive(Debug, Clone, Serialize)]
pub struct SurveySettings {
    /// Before or after the teaching.
    pub phase: SurveyPhase,
    /// Question id -> id of the same question asked before (`before=<id>`), so the
    /// report can show the change.
    pub before: std::collections::BTreeMap<String, String>,
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
    /// The question as the tables see it (the prompt heading).
    pub title: String,
    /// Help text under the question.
    pub help: Markdown,
    /// The shape of the answer.
    #[serde(flatten)]
    pub kind: PromptKind,
    /// Line of the prompt heading.
    pub line: usize,
}

/// The prompt kinds and their settings.
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
        /// The options in the order the author listed them; answers store their index.
        options: Vec<String>,
    },
    /// A whole number from `min` to `max`.
    Scale {
        /// Lowest value a table may choose, inclusive.
        min: i64,
        /// Highest value a table may choose, inclusive.
        max: i64,
        /// Labels for some values, e.g. the two ends.
        labels: Vec<(i64, String)>,
    },
    /// Jonsen's four topics: a list of items per box ([`FOUR_BOXES`]).
    FourBox {},
    /// The clinical-ethics conference worksheet, looking forward or back.
    ConferenceSheet {
        /// The view the form opens with; the table can switch it.
        view: SheetView,
        /// Largest text per field in characters.
        max: usize,
    },
    /// An option grid (Ottawa guide style) for the person and one family member.
    DecisionTable {
        /// The options, at least two, no duplicates.
        options: Vec<String>,
        /// Who fills in the second view (`family=長男`); empty means the default label.
        family: String,
        /// Largest benefits or harms text per option in characters.
        max: usize,
    },
    /// A values card sort: pick and rank the `top` cards that matter most.
    ValuesRanking {
        /// The deck, no duplicates.
        cards: Vec<String>,
        /// How many cards a table ranks.
        top: usize,
    },
    /// Every person involved with what they want and fear, and where they disagree.
    StakeholderMap {
        /// The people a table fills in, in order.
        people: Vec<Person>,
        /// Largest text per field in characters.
        max: usize,
    },
    /// The four abilities of decision-making capacity, each rated with evidence.
    CapacityCheck {
        /// Largest evidence text per ability in characters.
        max: usize,
    },
    /// Who does what by when.
    ActionPlan {
        /// People besides the professions who can take on a row (the patient, family).
        people: Vec<Person>,
        /// The roles the content declares, which a row may name like a built-in
        /// profession (the library's, so the prompt checks a row on its own).
        roles: Vec<Profession>,
    },
    /// The group-work report of the real meetings: headed lists, by default what
    /// worked, what was hard and the measures. A table may leave a heading empty and
    /// add headings of its own (at most [`OWN_HEADINGS_MAX`]).
    ThreeField {
        /// Largest text per list in characters.
        max: usize,
        /// The curriculum's headings, in order (never empty; the three defaults when
        /// the file names none).
        headings: Vec<ListHeading>,
    },
}

/// Most headings of its own a table may add to a three-field report.
pub const OWN_HEADINGS_MAX: usize = 5;

/// Most headings a curriculum may give a three-field report: with a table's own
/// ([`OWN_HEADINGS_MAX`]) the form still fits a tablet screen and one request.
pub const HEADINGS_MAX: usize = 8;

/// Longest heading a table types for a list of its own, in characters.
pub const OWN_HEADING_LEN_MAX: usize = 60;

/// How an analyst reads a headed list of a three-field report (themes and the
/// council's columns): what worked, what was hard, what to do next, or something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListRole {
    /// 効果があった取り組み.
    Worked,
    /// 苦労した点・課題.
    Hard,
    /// 具体的方策・今後の取り組み.
    Measures,
    /// Any other heading.
    Other,
}

impl ListRole {
    /// Every role with the word a file writes for it (`role=measures`).
    pub const ALL: [(ListRole, &'static str); 4] = [
        (ListRole::Worked, "worked"),
        (ListRole::Hard, "hard"),
        (ListRole::Measures, "measures"),
        (ListRole::Other, "other"),
    ];

    /// The role a file names with `role=`, if it is one.
    pub fn parse(word: &str) -> Option<ListRole> {
        Self::ALL
            .iter()
            .find(|(_, w)| *w == word)
            .map(|(role, _)| *role)
    }

    /// The role of a heading a table (or a paper report) wrote itself, read from its
    /// words; [`ListRole::Other`] when nothing in it says.
    pub fn guess(heading: &str) -> ListRole {
        let h = heading.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
        if has(&[
            "方策",
            "対策",
            "今後",
            "これから",
            "取り組みたい",
            "やりたい",
            "したいこと",
            "改善",
            "提案",
            "解決",
            "measure",
            "next step",
            "plan",
        ]) {
            ListRole::Measures
        } else if has(&[
            "苦労",
            "課題",
            "困難",
            "困った",
            "難しかった",
            "問題",
            "hard",
            "difficult",
            "challenge",
        ]) {
            ListRole::Hard
        } else if has(&[
            "効果",
            "良かった",
            "よかった",
            "成果",
            "うまくいった",
            "worked",
            "success",
        ]) {
            ListRole::Worked
        } else {
            ListRole::Other
        }
    }
}

/// A heading of a three-field report as the curriculum gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListHeading {
    /// Stable id, what an answer's list names in `of` (`worked`, `hard`, `measures`
    /// for the defaults).
    pub id: String,
    /// The heading as written in the file; empty for a default, which is shown in the
    /// reader's language (`kinds.three.{id}`).
    pub label: String,
    /// How an analyst reads it.
    pub role: ListRole,
}

impl ListHeading {
    /// The three default headings: what worked, what was hard, the measures.
    pub fn defaults() -> Vec<ListHeading> {
        [
            ("worked", ListRole::Worked),
            ("hard", ListRole::Hard),
            ("measures", ListRole::Measures),
        ]
        .into_iter()
        .map(|(id, role)| ListHeading {
            id: id.to_string(),
            label: String::new(),
            role,
        })
        .collect()
    }

    /// The heading as a reader of `lang` sees it.
    pub fn label(&self, lang: crate::lang::Lang) -> String {
        if self.label.is_empty() {
            crate::i18n::text(lang, &format!("kinds.three.{}", self.id))
                .unwrap_or(&self.id)
                .to_string()
        } else {
            self.label.clone()
        }
    }
}

/// The prompt kind ids that files may use.
pub const PROMPT_KINDS: [&str; 11] = [
    "text",
    "choice",
    "scale",
    "four-box",
    "conference-sheet",
    "decision-table",
    "values-ranking",
    "stakeholder-map",
    "capacity-check",
    "action-plan",
    "three-field",
];

/// The boxes of a four-box prompt, in display order (a 2×2 grid read row by row).
pub const FOUR_BOXES: [&str; 4] = ["medical", "preferences", "quality", "context"];

/// The fields of a conference sheet, in display order.
pub const SHEET_FIELDS: [&str; 6] = ["medical", "person", "family", "best", "family_care", "next"];

/// The four abilities of a capacity check, in display order.
pub const ABILITIES: [&str; 4] = ["understanding", "appreciation", "reasoning", "expressing"];

/// The fields of a three-field report, in display order.
pub const THREE_FIELDS: [&str; 3] = ["worked", "hard", "measures"];

/// Which way a conference sheet looks: planning ahead or reviewing what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SheetView {
    /// 前向き検討: what should we do.
    Forward,
    /// 振り返り: what was done, and what would have been best.
    Back,
}

impl SheetView {
    /// Parses `forward` or `back`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "forward" => Some(Self::Forward),
            "back" => Some(Self::Back),
            _ => None,
        }
    }

    /// The code [`SheetView::parse`] reads, also the last part of its i18n keys
    /// (`kinds.sheet.view.back`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Back => "back",
        }
    }
}

/// Someone a stakeholder map or an action plan can name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// The key stored in answers: `patient`, `family:0`, `profession:visiting-nurse`, `item:0`.
    pub key: String,
    /// Text from the content: the patient's name, a family member's heading and name,
    /// or the list item. Empty for professions, which the UI labels in its own language.
    pub label: String,
    /// The profession, for `profession:` keys.
    pub profession: Option<Profession>,
}

impl Person {
    /// The people of a case: the patient, each family member, and (when `team` is set)
    /// each profession of the care team.
    pub fn of_case(
        patient: &Patient,
        family: &[FamilyMember],
        team: Option<&[Profession]>,
    ) -> Vec<Person> {
        let mut people = vec![Person {
            key: "patient".into(),
            label: patient.name.clone(),
            profession: None,
        }];
        people.extend(family.iter().enumerate().map(|(n, m)| Person {
            key: format!("family:{n}"),
            label: if m.name.is_empty() {
                m.title.clone()
            } else {
                format!("{}（{}）", m.title, m.name)
            },
            profession: None,
        }));
        people.extend(team.unwrap_or_default().iter().map(|p| Person {
            key: format!("profession:{}", p.id),
            label: String::new(),
            profession: Some(*p),
        }));
        people
    }
}

/// A scenario (事例).
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Slug id, unique among cases.
    pub id: String,
    /// Title shown on table screens and in printed documents.
    pub title: String,
    /// Language of the case's text, like its curriculum's.
    pub language: Lang,
    /// Author-given version string, free form (`1.2`, `2026-11`).
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
    /// What happens in the scene, shown to every table.
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

impl RoleCard {
    /// The card's heading when it says more than whose card it is; `None` for a heading
    /// such as 「診療所医師の情報」 or "What the clinic doctor knows", which only names the
    /// profession the screen's tag already names (「診療所医師・在宅医の情報」).
    pub fn own_title(&self) -> Option<&str> {
        let title = self.title.trim();
        let named = if let Some(name) = title.strip_suffix("の情報") {
            let p = &self.profession;
            [p.ja, p.short]
                .iter()
                .flat_map(|label| label.split(['・', '（', '）']))
                .any(|part| !part.is_empty() && part == name.trim())
        } else if let Some(name) = title
            .strip_prefix("What the ")
            .and_then(|r| r.strip_suffix(" knows"))
        {
            let words = |s: &str| -> Vec<String> {
                s.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(|w| match w.to_lowercase().as_str() {
                        "doctor" => "physician".to_string(),
                        other => other.to_string(),
                    })
                    .collect()
            };
            let label = words(&format!(
                "{} {}",
                self.profession.en, self.profession.short_en
            ));
            let name = words(name);
            !name.is_empty() && name.iter().all(|w| label.contains(w))
        } else {
            false
        };
        (!named && !title.is_empty()).then_some(title)
    }
}

/// A decision point that leads to different scenes.
#[derive(Debug, Clone, Serialize)]
pub struct Branch {
    /// The question asked.
    pub question: String,
    /// The choices, each leading to a scene; at least two.
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
    /// Every prompt tables answer in the curriculum's own steps (survey questions are not theirs).
    pub fn step_prompts(&self) -> impl Iterator<Item = (&Step, &Prompt)> {
        self.steps
            .iter()
            .flat_map(|s| s.table_prompts().iter().map(move |p| (s, p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, title: &str) -> RoleCard {
        RoleCard {
            profession: Profession::builtin(id).expect("built-in"),
            title: title.to_string(),
            text: Markdown::default(),
        }
    }

    /// A heading that only names whose card it is is not shown beside the tag that
    /// names it; one that says more is.
    #[test]
    fn a_role_cards_heading_is_its_own_only_when_it_says_more_than_whose_it_is() {
        for (id, title) in [
            ("physician-clinic", "診療所医師の情報"),
            ("physician-clinic", "在宅医の情報"),
            ("care-worker", "介護職の情報"),
            ("care-manager", "介護支援専門員の情報"),
            ("msw", "医療ソーシャルワーカーの情報"),
            ("city-staff", "市職員の情報"),
            ("physician-clinic", "What the clinic doctor knows"),
            ("physician-hospital", "What the hospital doctor knows"),
            ("msw", "What the medical social worker knows"),
            ("care-worker", "What the care worker knows"),
        ] {
            assert_eq!(card(id, title).own_title(), None, "{title}");
        }
        for (id, title) in [
            ("city-staff", "救急隊とのふりかえりで、市職員が聞いたこと"),
            ("city-staff", "救急隊の情報"),
            ("visiting-nurse", "病院看護師の情報"),
            ("pharmacist", "What the hospital pharmacist knows"),
        ] {
            assert_eq!(card(id, title).own_title(), Some(title), "{title}");
        }
    }
}
