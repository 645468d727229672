//! The professions (職種) that sit at tables and appear in cases: the 19 built in, and
//! the roles a district's content declares (腎臓内科医, 透析室看護師, 都道府県職員…).
//!
//! # Declared roles
//!
//! A case or a curriculum file may declare further roles as level-1 sections,
//! `# 腎臓内科医 {#nephrologist kind=profession}`, with field lines `- en:`, `- short:`,
//! `- counts-as:` and optionally `- short-en:` (read by `parse::role`). A declared role is
//! library-wide: any file of the same content folder may name it wherever a built-in id
//! goes (a case's `team`, a role card's `profession=`, a curriculum's `audience`), and a
//! table may choose it. Screens, role cards, the 「いないため」 lines, rosters and the PDFs
//! show its own names; what counts by profession across districts — balanced seating,
//! the report's counts grouped by built-in, session comparisons — takes the built-in it
//! `counts-as`.
//!
//! # Which library's roles
//!
//! [`Professions`] is the list a [`super::Library`] knows: the built-ins, then the roles
//! its files declare, in file order. A session looks ids up in the library of its pinned
//! snapshot, a new session in the current one, so renaming a role later never relabels a
//! past record. An id that the library in use does not know (a table stored before its
//! role was removed) is shown as the id itself; nothing panics on it.
//!
//! # Why `&'static str`
//!
//! [`Profession`] stays a small `Copy` value, as it was when only built-ins existed, so
//! the model and the screens pass it around freely. A declared role's strings are
//! interned once per distinct declaration (id, names, counts-as) for the life of the
//! process: reloading the same content, or parsing a session's snapshot again, reuses
//! them, so memory grows only with the declarations authors actually write.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, Mutex};

use crate::lang::Lang;
use serde::Serialize;

/// A profession as written in content files (`visiting-nurse`) with its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Profession {
    /// The id used in content files and stored in the database.
    pub id: &'static str,
    /// Japanese label.
    pub ja: &'static str,
    /// English label.
    pub en: &'static str,
    /// Japanese short name for a wall tile or a narrow column (訪看, ケアマネ).
    pub short: &'static str,
    /// English short name (VN, CM).
    pub short_en: &'static str,
    /// The built-in profession this one counts as in seating and grouped counts: its own
    /// id for a built-in.
    pub counts_as: &'static str,
}

/// Every profession the product knows, in the order forms list them.
pub const PROFESSIONS: &[Profession] = &[
    p(
        "physician-clinic",
        "診療所医師・在宅医",
        "Clinic / home physician",
        "在宅医",
        "GP",
    ),
    p(
        "physician-hospital",
        "病院医師",
        "Hospital physician",
        "病院医",
        "Hosp. Dr",
    ),
    p("dentist", "歯科医師", "Dentist", "歯科医", "Dentist"),
    p("pharmacist", "薬剤師", "Pharmacist", "薬剤師", "Pharm."),
    p(
        "visiting-nurse",
        "訪問看護師",
        "Visiting nurse",
        "訪看",
        "VN",
    ),
    p(
        "hospital-nurse",
        "病院看護師",
        "Hospital nurse",
        "病院看",
        "Hosp. RN",
    ),
    p(
        "care-manager",
        "介護支援専門員（ケアマネジャー）",
        "Care manager",
        "ケアマネ",
        "CM",
    ),
    p(
        "msw",
        "医療ソーシャルワーカー（MSW）",
        "Medical social worker (MSW)",
        "MSW",
        "MSW",
    ),
    p(
        "community-support",
        "地域包括支援センター職員",
        "Community general support centre staff",
        "包括",
        "CGSC",
    ),
    p(
        "physical-therapist",
        "理学療法士",
        "Physical therapist",
        "PT",
        "PT",
    ),
    p(
        "occupational-therapist",
        "作業療法士",
        "Occupational therapist",
        "OT",
        "OT",
    ),
    p(
        "speech-therapist",
        "言語聴覚士",
        "Speech therapist",
        "ST",
        "ST",
    ),
    p("dietitian", "管理栄養士", "Dietitian", "栄養士", "Diet."),
    p(
        "dental-hygienist",
        "歯科衛生士",
        "Dental hygienist",
        "衛生士",
        "DH",
    ),
    p(
        "care-worker",
        "介護職・ホームヘルパー",
        "Care worker / home helper",
        "介護職",
        "Care",
    ),
    p(
        "welfare-commissioner",
        "民生委員",
        "Welfare commissioner",
        "民生委員",
        "Welfare",
    ),
    p("citizen", "市民", "Citizen", "市民", "Citizen"),
    p(
        "city-staff",
        "市職員（行政）",
        "City staff",
        "市職員",
        "City",
    ),
    p("student", "学生", "Student", "学生", "Student"),
];

const fn p(
    id: &'static str,
    ja: &'static str,
    en: &'static str,
    short: &'static str,
    short_en: &'static str,
) -> Profession {
    Profession {
        id,
        ja,
        en,
        short,
        short_en,
        counts_as: id,
    }
}

impl Profession {
    /// Looks a built-in profession up by its id. Declared roles are found through the
    /// library in use: [`Professions::find`].
    pub fn builtin(id: &str) -> Option<Profession> {
        PROFESSIONS.iter().copied().find(|p| p.id == id)
    }

    /// The label in the given UI language.
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }

    /// The short name in the given UI language.
    pub fn short_label(&self, lang: Lang) -> &'static str {
        lang.pick(self.short, self.short_en)
    }

    /// Whether content declared this role (it is not one of the built-ins).
    pub fn is_declared(&self) -> bool {
        self.counts_as != self.id
    }

    /// A declared role as a `Profession`, its strings interned (see the module doc).
    pub fn declared(role: &DeclaredRole) -> Profession {
        static TABLE: LazyLock<Mutex<HashMap<DeclaredRole, Profession>>> =
            LazyLock::new(Default::default);
        let mut table = TABLE.lock().unwrap_or_else(|p| p.into_inner());
        *table.entry(role.clone()).or_insert_with(|| {
            let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
            Profession {
                id: leak(&role.id),
                ja: leak(&role.ja),
                en: leak(&role.en),
                short: leak(&role.short),
                short_en: leak(&role.short_en),
                counts_as: leak(&role.counts_as),
            }
        })
    }
}

/// A role as a content file declares it, before it is interned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeclaredRole {
    /// Slug id, not a built-in's.
    pub id: String,
    /// Japanese name: the heading text.
    pub ja: String,
    /// English name (`- en:`).
    pub en: String,
    /// Japanese short name (`- short:`).
    pub short: String,
    /// English short name (`- short-en:`, else the English name).
    pub short_en: String,
    /// A built-in id (`- counts-as:`).
    pub counts_as: String,
}

/// Only the built-ins, for a document or a check with no content at hand.
pub static BUILTIN: Professions = Professions {
    declared: Vec::new(),
};

/// The professions a library knows: the built-ins, then the roles its files declare.
#[derive(Debug, Clone, Default)]
pub struct Professions {
    /// Declared roles in file order, each with the file that declares it.
    declared: Vec<(Profession, String)>,
}

impl Professions {
    /// Built-ins and the given declared roles (already checked: unique, not built-in ids,
    /// counting as a built-in), each with the file that declares it.
    pub fn new(declared: Vec<(Profession, String)>) -> Self {
        Self { declared }
    }

    /// Every profession, built-ins first, in the order forms list them.
    pub fn all(&self) -> Vec<Profession> {
        PROFESSIONS
            .iter()
            .copied()
            .chain(self.declared.iter().map(|(p, _)| *p))
            .collect()
    }

    /// The roles the content declares, in file order.
    pub fn declared(&self) -> impl Iterator<Item = Profession> + '_ {
        self.declared.iter().map(|(p, _)| *p)
    }

    /// The file that declares role `id`, when content declares it.
    pub fn declared_in(&self, id: &str) -> Option<&str> {
        self.declared
            .iter()
            .find(|(p, _)| p.id == id)
            .map(|(_, path)| path.as_str())
    }

    /// A built-in or declared profession by id.
    pub fn find(&self, id: &str) -> Option<Profession> {
        Profession::builtin(id).or_else(|| self.declared().find(|p| p.id == id))
    }

    /// The label of `id` in `lang`, or the id itself when this library does not know it.
    pub fn label(&self, id: &str, lang: Lang) -> String {
        self.find(id)
            .map_or_else(|| id.to_string(), |p| p.label(lang).to_string())
    }

    /// The short name of `id` in `lang`, or the id itself when unknown.
    pub fn short(&self, id: &str, lang: Lang) -> String {
        self.find(id)
            .map_or_else(|| id.to_string(), |p| p.short_label(lang).to_string())
    }

    /// The built-in `id` counts as; an unknown id counts as itself.
    pub fn counts_as<'a>(&self, id: &'a str) -> &'a str {
        match self.find(id) {
            Some(p) => p.counts_as,
            None => id,
        }
    }

    /// Position of `id` in [`Professions::all`]; unknown ids sort last.
    pub fn rank(&self, id: &str) -> usize {
        self.all()
            .iter()
            .position(|p| p.id == id)
            .unwrap_or(usize::MAX)
    }

    /// Every profession's id, for the hint of an unknown-profession problem.
    pub fn known_ids(&self) -> String {
        self.all()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What an author may have meant by an unknown profession: each profession's id,
    /// Japanese and English names and short names, for "did you mean".
    pub fn candidates(&self) -> Vec<(Profession, Vec<&'static str>)> {
        self.all()
            .into_iter()
            .map(|p| (p, vec![p.id, p.ja, p.en, p.short, p.short_en]))
            .collect()
    }

    /// The declared roles' labels by id, for templates: `profession(id)` reads them from
    /// the page's `roles` (see `render::profession_label`).
    pub fn declared_labels(&self) -> BTreeMap<&'static str, [&'static str; 4]> {
        self.declared()
            .map(|p| (p.id, [p.ja, p.en, p.short, p.short_en]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nephrologist() -> DeclaredRole {
        DeclaredRole {
            id: "nephrologist".into(),
            ja: "腎臓内科医".into(),
            en: "Nephrologist".into(),
            short: "腎内".into(),
            short_en: "Neph.".into(),
            counts_as: "physician-hospital".into(),
        }
    }

    #[test]
    fn declared_roles_are_found_labelled_and_counted_as_their_builtin() {
        let role = Profession::declared(&nephrologist());
        assert!(role.is_declared());
        assert!(!Profession::builtin("msw").unwrap().is_declared());
        let list = Professions::new(vec![(role, "cases/d.md".into())]);
        assert_eq!(list.find("nephrologist"), Some(role));
        assert_eq!(list.label("nephrologist", Lang::Ja), "腎臓内科医");
        assert_eq!(list.short("nephrologist", Lang::En), "Neph.");
        assert_eq!(list.counts_as("nephrologist"), "physician-hospital");
        assert_eq!(list.counts_as("msw"), "msw");
        assert_eq!(list.rank("nephrologist"), PROFESSIONS.len());
        assert_eq!(list.declared_in("nephrologist"), Some("cases/d.md"));
        // An id the library does not know shows as itself and sorts last.
        assert_eq!(list.label("gone", Lang::Ja), "gone");
        assert_eq!(list.counts_as("gone"), "gone");
        assert_eq!(list.rank("gone"), usize::MAX);
        assert!(Professions::default().find("nephrologist").is_none());
    }

    #[test]
    fn a_declaration_is_interned_once() {
        let a = Profession::declared(&nephrologist());
        let b = Profession::declared(&nephrologist());
        assert!(std::ptr::eq(a.ja, b.ja));
        let mut renamed = nephrologist();
        renamed.ja = "腎臓内科の医師".into();
        assert_eq!(Profession::declared(&renamed).ja, "腎臓内科の医師");
        assert_eq!(a.ja, "腎臓内科医");
    }

    #[test]
    fn every_builtin_has_a_short_name() {
        for p in PROFESSIONS {
            assert!(!p.short.is_empty() && !p.short_en.is_empty(), "{}", p.id);
            assert_eq!(p.counts_as, p.id);
        }
    }
}
