//! A session's complete data as one JSON file, to keep or to move to another server,
//! and its conclusions as CSV for spreadsheets ([`csv`]).
//!
//! The file (format `acp-workbook/session`, [`VERSION`]) holds everything a session is:
//! the session, the content snapshot it runs on, its tables, every version of every
//! conclusion, scene paths, step timers, the event log, the roster and the survey
//! responses. It names things by their stable ids (the session's UUID, table numbers,
//! roster numbers, a conclusion's table, prompt key and version, a survey response's
//! uid), never by this server's row ids, and it holds no secrets: no join code,
//! facilitator or projector key, table token. An import makes fresh ones, so links from
//! the other server do not work here. The README documents the format field by field.

mod check;
pub mod csv;
mod format;
mod problem;
mod read;
mod write;

pub use check::{parse, text_of};
pub use format::{
    ConclusionPart, ContentPart, EventPart, FORMAT, PersonPart, SessionExport, SessionPart,
    SurveyPart, TablePart, ThemeMovePart, TimerPart, VERSION, VisitPart, file_name, to_json,
};
pub use problem::{ImportError, Problem};
pub use read::export_session;
pub use write::{ImportedSession, import_session};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::problem::MAX_PROBLEMS;
    use super::*;
    use crate::content::Sources;

    /// A small valid file: the fixture curriculum `mini`, two tables, one answer.
    fn minimal() -> SessionExport {
        let mut files = BTreeMap::new();
        files.insert(
            "curricula/mini.md".to_string(),
            include_str!("../../tests/fixtures/content/curricula/mini.md").to_string(),
        );
        files.insert(
            "cases/mini-case.md".to_string(),
            include_str!("../../tests/fixtures/content/cases/mini-case.md").to_string(),
        );
        let hash = Sources {
            files: files.clone(),
        }
        .hash();
        SessionExport {
            format: FORMAT.into(),
            version: VERSION,
            generator: "acp-workbook test".into(),
            exported_at: 10,
            session: SessionPart {
                id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427".into(),
                curriculum_id: "mini".into(),
                title: "テスト研修会".into(),
                held_on: "2026-11-30".into(),
                place: String::new(),
                table_count: 2,
                seats_per_table: 8,
                rehearsal: false,
                status: "open".into(),
                current_step: 2,
                pace: "free".into(),
                spotlight: vec![2],
                created_at: 1,
                closed_at: None,
                purged_at: None,
                notes: String::new(),
            },
            content: ContentPart {
                hash,
                created_at: 1,
                files,
            },
            tables: (1..=2)
                .map(|number| TablePart {
                    number,
                    professions: vec!["visiting-nurse".into()],
                    joined_at: Some(2),
                })
                .collect(),
            conclusions: vec![ConclusionPart {
                table: 1,
                prompt_key: "curriculum:mini:q-wish".into(),
                version: 1,
                answer: serde_json::json!({"kind": "text", "text": "家に帰りたい"}),
                step_index: 2,
                saved_at: 5,
            }],
            scene_visits: vec![VisitPart {
                table: 2,
                step_index: 1,
                seq: 0,
                case_id: "mini-case".into(),
                scene_id: "s1".into(),
                via_option: None,
                at: 4,
            }],
            step_timers: Vec::new(),
            events: vec![EventPart {
                at: 5,
                actor: "table".into(),
                table: Some(1),
                kind: "conclusion.saved".into(),
                data: serde_json::json!({"prompt": "curriculum:mini:q-wish", "version": 1}),
            }],
            roster: vec![PersonPart {
                seq: 1,
                name: "山田".into(),
                profession: "visiting-nurse".into(),
                organization: "北部訪問看護ステーション".into(),
                area: String::new(),
                side: "home".into(),
                table_number: Some(1),
                pinned: false,
                late: false,
                checked_in_at: None,
                created_at: 1,
            }],
            survey_responses: vec![SurveyPart {
                uid: "2c5ea4c0-4067-41fb-aa3b-2b4bd2d7b8d8".into(),
                step_index: 3,
                respondent: "r1".into(),
                profession: String::new(),
                answers: serde_json::json!({"q1": {"scale": 4}}),
                submitted_at: 6,
            }],
            theme_moves: Vec::new(),
        }
    }

    fn problems_of(x: &SessionExport) -> Vec<String> {
        match parse(&to_json(x)) {
            Err(e @ ImportError::Invalid(_)) => e.problems(crate::lang::Lang::En),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_file_reads_back_as_written() {
        let x = minimal();
        assert_eq!(parse(&to_json(&x)).expect("valid"), x);
        // Fields a later version adds are ignored by this one.
        let mut value = serde_json::to_value(&x).expect("json");
        value["session"]["colour"] = "blue".into();
        assert_eq!(parse(&value.to_string()).expect("valid"), x);
    }

    #[test]
    fn text_that_is_not_json_names_its_line_and_column() {
        let e = parse("{\n  \"format\": ,\n}").expect_err("broken");
        let ImportError::NotJson { line, column, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!((*line, *column), (2, 13));
        assert!(
            e.message(crate::lang::Lang::En)
                .starts_with("This is not valid JSON (line 2, column 13: expected value)"),
            "{}",
            e.message(crate::lang::Lang::En)
        );
        assert!(matches!(
            parse(""),
            Err(ImportError::NotJson { line: 1, .. })
        ));
        assert!(matches!(text_of(b"\xFF\xFE{}"), Err(ImportError::NotText)));
        assert_eq!(text_of(b"\xEF\xBB\xBF{}").expect("text"), "{}");
    }

    #[test]
    fn other_json_is_not_a_session_file() {
        for text in [
            "[]",
            "{}",
            r#"{"format": "acp-workbook/roster", "version": 1}"#,
        ] {
            let e = parse(text).expect_err(text);
            assert!(
                matches!(e, ImportError::NotSessionFile { .. }),
                "{text}: {e:?}"
            );
            assert!(
                e.message(crate::lang::Lang::Ja)
                    .contains("研修会データではありません")
            );
        }
    }

    #[test]
    fn a_newer_format_is_refused_before_anything_else_is_read() {
        let mut value = serde_json::to_value(minimal()).expect("json");
        value["version"] = 2.into();
        value["session"] = "different in version 2".into();
        let e = parse(&value.to_string()).expect_err("newer");
        assert!(
            matches!(e, ImportError::NewerVersion { version: 2, .. }),
            "{e:?}"
        );
        assert!(
            e.message(crate::lang::Lang::En)
                .contains("acp-workbook test")
        );
        assert!(
            e.message(crate::lang::Lang::En)
                .contains("Update this server's ACP Workbook first")
        );
        value["version"] = "1".into();
        let e = parse(&value.to_string()).expect_err("a string");
        assert_eq!(
            e.problems(crate::lang::Lang::En),
            ["version: format version \"1\" cannot be read (a whole number from 1 to 1)"]
        );
    }

    #[test]
    fn a_missing_or_mistyped_field_is_named_by_its_path() {
        let mut value = serde_json::to_value(minimal()).expect("json");
        value["session"]
            .as_object_mut()
            .expect("object")
            .remove("title");
        let e = parse(&value.to_string()).expect_err("missing");
        assert_eq!(
            e.problems(crate::lang::Lang::En),
            ["session.title: this field is missing"]
        );
        assert_eq!(
            e.problems(crate::lang::Lang::Ja),
            ["session.title: この項目がありません"]
        );
        let mut value = serde_json::to_value(minimal()).expect("json");
        value["tables"][1]["number"] = "two".into();
        let e = parse(&value.to_string()).expect_err("mistyped");
        let problems = e.problems(crate::lang::Lang::En);
        assert!(
            problems[0].starts_with("tables[1].number: wrong value (invalid type: string \"two\""),
            "{problems:?}"
        );
    }

    #[test]
    fn references_between_the_parts_are_checked() {
        let mut x = minimal();
        x.conclusions[0].table = 5;
        x.conclusions.push(x.conclusions[0].clone());
        x.scene_visits[0].table = 0;
        x.events[0].table = Some(3);
        x.roster.push(PersonPart {
            table_number: Some(9),
            ..x.roster[0].clone()
        });
        x.survey_responses.push(SurveyPart {
            answers: serde_json::json!({"q1": 4}),
            ..x.survey_responses[0].clone()
        });
        x.session.spotlight = vec![4];
        assert_eq!(
            problems_of(&x),
            [
                "session.spotlight[0]: there is no table 4 (the session's tables are 1 to 2)",
                "conclusions[0].table: there is no table 5 (the session's tables are 1 to 2)",
                "conclusions[1].table: there is no table 5 (the session's tables are 1 to 2)",
                "conclusions[1].version: table=5, prompt_key=curriculum:mini:q-wish, version=1 appears twice",
                "scene_visits[0].table: there is no table 0 (the session's tables are 1 to 2)",
                "events[0].table: there is no table 3 (the session's tables are 1 to 2)",
                "roster[1].seq: 1 appears twice",
                "roster[1].table_number: there is no table 9 (the session's tables are 1 to 2)",
                "survey_responses[1].uid: 2c5ea4c0-4067-41fb-aa3b-2b4bd2d7b8d8 appears twice",
                "survey_responses[1].respondent: step_index=3, respondent=r1 appears twice",
                "survey_responses[1].answers.q1: wrong value (invalid type: integer `4`, expected string or map)",
            ]
        );
    }

    #[test]
    fn session_values_and_tables_are_checked() {
        let mut x = minimal();
        x.session.id = "SESSION-1".into();
        x.session.held_on = "30.11.2026".into();
        x.session.status = "archived".into();
        x.session.current_step = 9;
        x.tables.remove(1);
        let problems = problems_of(&x);
        for expected in [
            "session.id: “SESSION-1” is not a UUID",
            "session.held_on: “30.11.2026” is not a date (YYYY-MM-DD)",
            "session.status: “archived” is not allowed (use one of open, closed)",
            "session.current_step: 9 is not between 0 and 3",
            "tables: tables 2 are missing",
            "scene_visits[0].table: there is no table 2",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "{expected} in {problems:?}"
            );
        }
    }

    #[test]
    fn the_content_must_match_its_hash_and_load() {
        let mut x = minimal();
        x.content
            .files
            .entry("curricula/mini.md".into())
            .and_modify(|t| t.push_str("\n追記\n"));
        assert!(problems_of(&x)[0].starts_with("content.hash: the content files do not match"));
        let mut x = minimal();
        x.content.files.insert(
            "curricula/mini.md".into(),
            "---\nid: mini\n---\n# 見出し {kind=nonsense}\n".into(),
        );
        x.content.hash = Sources {
            files: x.content.files.clone(),
        }
        .hash();
        let problems = problems_of(&x);
        assert!(
            problems.iter().any(|p| p
                .starts_with("content.files: the content files do not load: curricula/mini.md:")),
            "{problems:?}"
        );
        let mut x = minimal();
        x.session.curriculum_id = "other".into();
        assert_eq!(
            problems_of(&x),
            ["session.curriculum_id: the curriculum “other” is not in content.files"]
        );
    }

    #[test]
    fn a_long_list_of_problems_is_cut_and_counted() {
        let mut x = minimal();
        x.conclusions = (0..40)
            .map(|i| ConclusionPart {
                table: 100 + i,
                ..x.conclusions[0].clone()
            })
            .collect();
        let problems = problems_of(&x);
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(problems[MAX_PROBLEMS], "and 10 more");
    }

    #[test]
    fn file_names_are_dated_ascii() {
        assert_eq!(
            file_name(
                "2026-11-30",
                "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                "session",
                "json"
            ),
            "2026-11-30-session-1b4e28ba.json"
        );
        assert_eq!(
            file_name("2026-11-30\"", "../x", "table-2", "csv"),
            "2026-11-30-table-2-x.csv"
        );
    }

    /// The README documents every field the file has.
    #[test]
    fn the_readme_documents_every_field() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("## Exchange format (session JSON)")
            .expect("the section");
        let section = &readme[start..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
        let value = serde_json::to_value(minimal()).expect("json");
        let mut missing = Vec::new();
        let mut look = |key: &str| {
            // `id`, `tables[]`, `session.id`, `content.hash`…
            let forms = [
                format!("`{key}`"),
                format!("`{key}[]`"),
                format!(".{key}`"),
                format!("`{key}."),
            ];
            if !forms.iter().any(|f| section.contains(f.as_str())) {
                missing.push(key.to_string());
            }
        };
        let object = value.as_object().expect("object");
        for (key, part) in object {
            look(key);
            let inner = match part {
                serde_json::Value::Array(items) => items.first(),
                other => Some(other),
            };
            if let Some(serde_json::Value::Object(fields)) = inner {
                for field in fields.keys() {
                    look(field);
                }
            }
        }
        assert!(missing.is_empty(), "not in the README: {missing:?}");
    }
}
