//! The professions (職種) that sit at tables and appear in cases.

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
}

/// Every profession the product knows, in the order forms list them.
pub const PROFESSIONS: &[Profession] = &[
    p(
        "physician-clinic",
        "診療所医師・在宅医",
        "Clinic / home physician",
    ),
    p("physician-hospital", "病院医師", "Hospital physician"),
    p("dentist", "歯科医師", "Dentist"),
    p("pharmacist", "薬剤師", "Pharmacist"),
    p("visiting-nurse", "訪問看護師", "Visiting nurse"),
    p("hospital-nurse", "病院看護師", "Hospital nurse"),
    p(
        "care-manager",
        "介護支援専門員（ケアマネジャー）",
        "Care manager",
    ),
    p(
        "msw",
        "医療ソーシャルワーカー（MSW）",
        "Medical social worker (MSW)",
    ),
    p(
        "community-support",
        "地域包括支援センター職員",
        "Community general support centre staff",
    ),
    p("physical-therapist", "理学療法士", "Physical therapist"),
    p(
        "occupational-therapist",
        "作業療法士",
        "Occupational therapist",
    ),
    p("speech-therapist", "言語聴覚士", "Speech therapist"),
    p("dietitian", "管理栄養士", "Dietitian"),
    p("dental-hygienist", "歯科衛生士", "Dental hygienist"),
    p(
        "care-worker",
        "介護職・ホームヘルパー",
        "Care worker / home helper",
    ),
    p("welfare-commissioner", "民生委員", "Welfare commissioner"),
    p("citizen", "市民", "Citizen"),
    p("city-staff", "市職員（行政）", "City staff"),
    p("student", "学生", "Student"),
];

const fn p(id: &'static str, ja: &'static str, en: &'static str) -> Profession {
    Profession { id, ja, en }
}

impl Profession {
    /// Looks a profession up by its id.
    pub fn find(id: &str) -> Option<Profession> {
        PROFESSIONS.iter().copied().find(|p| p.id == id)
    }

    /// The label in the given UI language.
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

/// The hint printed with an unknown-profession problem.
pub fn known_ids() -> String {
    PROFESSIONS
        .iter()
        .map(|p| p.id)
        .collect::<Vec<_>>()
        .join(", ")
}
