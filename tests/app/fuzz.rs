//! Property tests (a fixed budget, run in CI): the content parser and the answer
//! decoders never panic or hang on any input, and whatever an answer decoder accepts
//! matches its prompt's shape.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use acp_workbook::answer::Answer;
use acp_workbook::content::{Library, Sources};
use proptest::prelude::*;

/// Each input must finish well within this: a hang shows up as a failure, not a stuck run.
const PER_CASE: Duration = Duration::from_secs(2);

fn bundled(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).expect("bundled file")
}

fn parse(files: BTreeMap<String, String>) {
    let started = Instant::now();
    let _ = Library::from_sources(Sources { files });
    assert!(
        started.elapsed() < PER_CASE,
        "parsing took {:?}",
        started.elapsed()
    );
}

/// Edits a valid file at random: the shapes authors really produce are near-misses.
fn mutate(text: &str, edits: &[(usize, u8, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, op, insert) in edits {
        if chars.is_empty() {
            break;
        }
        let at = at % chars.len();
        match op % 3 {
            0 => {
                chars.remove(at);
            }
            1 => {
                for (i, c) in insert.chars().enumerate() {
                    chars.insert((at + i).min(chars.len()), c);
                }
            }
            _ => {
                let end = (at + insert.chars().count() + 1).min(chars.len());
                chars.splice(at..end, insert.chars());
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_case_or_curriculum_never_panics(text in "\\PC{0,400}", with_front_matter in any::<bool>()) {
        let text = if with_front_matter { format!("---\nid: x\n{text}") } else { text };
        let mut files = BTreeMap::new();
        files.insert("cases/fuzz.md".to_string(), text.clone());
        files.insert("curricula/fuzz.md".to_string(), text);
        parse(files);
    }

    #[test]
    fn mutated_bundled_files_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), "[#{}=\\-:>\n a-z0-9{}ー場面]{0,12}"), 1..12),
    ) {
        let mut files = BTreeMap::new();
        files.insert("cases/als-ventilation.md".to_string(), mutate(&bundled("cases/als-ventilation.md"), &edits));
        files.insert("curricula/decision-support-basics.md".to_string(), mutate(&bundled("curricula/decision-support-basics.md"), &edits));
        files.insert("cases/dementia-tube-feeding.md".to_string(), bundled("cases/dementia-tube-feeding.md"));
        files.insert("cases/heart-failure-home.md".to_string(), bundled("cases/heart-failure-home.md"));
        parse(files);
    }

    #[test]
    fn answer_decoders_never_panic_and_accept_only_fitting_shapes(
        pairs in proptest::collection::vec(("[a-z_.0-9]{1,24}", "\\PC{0,40}"), 0..24),
        prompt_index in any::<usize>(),
    ) {
        let library = fixture_library();
        let prompts: Vec<_> = library
            .cases
            .values()
            .flat_map(|c| c.scenes.iter().flat_map(|s| s.prompts.iter()))
            .chain(library.curricula.values().flat_map(|c| c.steps.iter().flat_map(|s| s.prompts.iter())))
            .collect();
        let prompt = prompts[prompt_index % prompts.len()];
        let started = Instant::now();
        if let Ok(answer) = Answer::from_form(prompt, &pairs) {
            prop_assert!(answer.check(prompt).is_ok(), "accepted {answer:?} that does not fit {}", prompt.id);
            let json = serde_json::to_value(&answer).expect("json");
            let back: Answer = serde_json::from_value(json).expect("round trip");
            prop_assert_eq!(back, answer);
        }
        prop_assert!(started.elapsed() < PER_CASE);
    }

    #[test]
    fn stored_json_of_any_shape_is_checked_not_trusted(json in "\\PC{0,200}") {
        let library = fixture_library();
        if let Ok(answer) = serde_json::from_str::<Answer>(&json) {
            for case in library.cases.values() {
                for prompt in case.scenes.iter().flat_map(|s| s.prompts.iter()) {
                    let _ = answer.check(prompt);
                }
            }
        }
    }
}

fn fixture_library() -> Library {
    Library::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content"))
        .expect("fixtures load")
}
