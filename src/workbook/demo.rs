//! Synthetic sessions in which every table answers every prompt it reaches, in the
//! stored shapes: for the PDF benchmark and tests, and to look at a full record without
//! holding a meeting.

use std::sync::Arc;

use rusqlite::Connection;

use crate::answer::{
    Answer, CapacityItem, CapacityItems, DecisionView, HeadedList, OptionView, Pick, PlanRow,
    Rating, StakeholderEntry, ViewWho,
};
use crate::content::{Library, PROFESSIONS, Prompt, PromptKind, SheetView, StepKind};
use crate::db::{conclusions, sessions, sessions::NewSession, sessions::SessionRow, tables};
use crate::session::{Onward, Run, scene_prompt_key, step_prompt_key};

/// A sentence of plausible group-work text.
const SENTENCE: &str = "本人が以前「家で最期まで過ごしたい」と話していたことを、長男と長女に伝え、訪問看護師と主治医が見通しを説明したうえで、もう一度みんなで話し合う。";

fn text(n: usize, max: usize) -> String {
    let mut out = format!("テーブル{n}の意見：");
    while out.chars().count() + SENTENCE.chars().count() <= max.min(240) {
        out.push_str(SENTENCE);
    }
    out.chars().take(max).collect()
}

/// A valid answer to `prompt` from table `n`, or `None` if the sample cannot fit it.
pub fn answer_for(prompt: &Prompt, n: usize) -> Option<Answer> {
    let answer = match &prompt.kind {
        PromptKind::Text { max } => Answer::Text {
            text: text(n, *max),
        },
        PromptKind::Choice { multiple, options } => {
            let mut selected = vec![n % options.len().max(1)];
            if *multiple && options.len() > 1 {
                selected.push((n + 1) % options.len());
            }
            selected.sort_unstable();
            selected.dedup();
            Answer::Choice { selected }
        }
        PromptKind::Scale { min, max, .. } => Answer::Scale {
            value: min + (n as i64) % (max - min + 1).max(1),
        },
        PromptKind::FourBox {} => Answer::FourBox {
            medical: vec![
                "誤嚥性肺炎をくり返している".into(),
                "7か月で体重が4kg減った".into(),
            ],
            preferences: vec!["「管につながれてまで生きたくない」と話していた".into()],
            quality: vec![
                "ゼリーや水ようかんを喜んで食べる".into(),
                format!("テーブル{n}：家での表情が穏やか"),
            ],
            context: vec!["長男は胃ろうを希望、長女は反対".into()],
        },
        PromptKind::ConferenceSheet { view, max } => Answer::ConferenceSheet {
            view: *view,
            medical: text(n, *max),
            person: "家に帰りたい。管はいやだ。".into(),
            family: "長男は長く生きてほしい。長女は母の言葉を守りたい。".into(),
            best: text(n + 1, *max),
            family_care: "長男の「見殺しにしたくない」という気持ちを受け止める。".into(),
            next: if *view == SheetView::Back {
                "次の事例では早めに話し合いの場をもつ。".into()
            } else {
                "来週、家族と主治医・訪問看護師で話し合う。".into()
            },
        },
        PromptKind::DecisionTable { options, max, .. } => {
            let view = |who, lean: usize| DecisionView {
                who,
                options: options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| OptionView {
                        benefits: format!("{o}：栄養と水分が確実にとれる")
                            .chars()
                            .take(*max)
                            .collect(),
                        harms: format!("{o}：本人の意向と違うかもしれない")
                            .chars()
                            .take(*max)
                            .collect(),
                        benefit_weight: Some(((n + i) % 5 + 1) as u8),
                        harm_weight: Some(((n + i + 2) % 5 + 1) as u8),
                    })
                    .collect(),
                leaning: Some(lean % options.len().max(1)),
                sure: [
                    Some(true),
                    Some(n.is_multiple_of(2)),
                    Some(true),
                    Some(!n.is_multiple_of(3)),
                ],
            };
            Answer::DecisionTable {
                views: vec![view(ViewWho::Person, n), view(ViewWho::Family, n + 1)],
            }
        }
        PromptKind::ValuesRanking { cards, top } => Answer::ValuesRanking {
            picks: (0..(*top).min(cards.len()))
                .map(|r| Pick {
                    card: (n + r) % cards.len(),
                    reason: if r == 0 {
                        "いちばん大切だと話していた".into()
                    } else {
                        String::new()
                    },
                })
                .collect(),
        },
        PromptKind::StakeholderMap { people, max } => Answer::StakeholderMap {
            entries: people
                .iter()
                .take(3)
                .map(|p| StakeholderEntry {
                    who: p.key.clone(),
                    wants: "家で穏やかに過ごしてほしい".chars().take(*max).collect(),
                    fears: "急に具合が悪くなること".chars().take(*max).collect(),
                    dissent: if p.key == "patient" {
                        String::new()
                    } else {
                        "方針について意見が分かれている"
                            .chars()
                            .take(*max)
                            .collect()
                    },
                })
                .collect(),
        },
        PromptKind::CapacityCheck { max } => {
            let item = |r: Rating, e: &str| CapacityItem {
                rating: Some(r),
                evidence: e.chars().take(*max).collect(),
            };
            Answer::CapacityCheck {
                items: CapacityItems {
                    understanding: item(Rating::Partial, "説明にうなずくが、内容をくり返せない"),
                    appreciation: item(Rating::Kept, "「私のことね」と言った"),
                    reasoning: item(Rating::Impaired, "二つの方法を比べることは難しい"),
                    expressing: item(Rating::Kept, "「家がいい」とはっきり言う"),
                },
            }
        }
        PromptKind::ActionPlan { people, .. } => {
            let mut rows = vec![
                PlanRow {
                    who: "visiting-nurse".into(),
                    what: "訪問を週2回に増やし、食事の様子を記録する".into(),
                    when: "来週から".into(),
                },
                PlanRow {
                    who: "care-manager".into(),
                    what: "サービス担当者会議を開く".into(),
                    when: "今月中".into(),
                },
            ];
            if let Some(p) = people.first() {
                rows.push(PlanRow {
                    who: p.key.clone(),
                    what: "家族で本人の言葉をふり返る".into(),
                    when: String::new(),
                });
            }
            Answer::ActionPlan { rows }
        }
        PromptKind::ThreeField { max, headings } => {
            let samples = [
                text(n, *max),
                "時間が足りなかった".chars().take(*max).collect(),
                "退院前カンファレンスの前に連絡票を送る"
                    .chars()
                    .take(*max)
                    .collect(),
            ];
            let mut lists: Vec<HeadedList> = headings
                .iter()
                .zip(samples)
                .map(|(h, text)| HeadedList::of(&h.id, text))
                .collect();
            // A heading of the table's own, as groups write them.
            lists.push(HeadedList::own(
                "今後に向けて",
                "年2回、顔の見える会を続ける"
                    .chars()
                    .take(*max)
                    .collect::<String>(),
            ));
            Answer::ThreeField { lists }
        }
    };
    answer.check(prompt).ok()?;
    Some(answer)
}

/// `people` individual answers to a survey step, spread over each question's range.
fn survey_answers(
    conn: &mut Connection,
    session_id: &str,
    step_index: i64,
    step: &crate::content::Step,
    people: usize,
) -> Result<(), crate::db::DbError> {
    use crate::content::PromptKind;
    use crate::survey::{SurveyAnswer, SurveyAnswers};
    for person in 0..people {
        let mut answers = SurveyAnswers::new();
        for (q, question) in step.prompts.iter().enumerate() {
            let answer = match &question.kind {
                PromptKind::Scale { min, max, .. } => {
                    let span = (max - min + 1) as usize;
                    SurveyAnswer::Scale(min + ((person * 7 + q * 3) % span) as i64)
                }
                PromptKind::Choice { options, .. } if !options.is_empty() => {
                    SurveyAnswer::Choice(vec![options[(person + q) % options.len()].clone()])
                }
                PromptKind::Text { .. } if person % 5 == 0 => {
                    SurveyAnswer::Text("他職種の考え方を知ることができた。".into())
                }
                _ => continue,
            };
            answers.insert(question.id.clone(), answer);
        }
        if !answers.is_empty() {
            let respondent = format!("demo-{person}");
            crate::db::survey::submit(conn, session_id, step_index, &respondent, "", &answers)?;
        }
    }
    Ok(())
}

/// Creates a session of `curriculum_id` with `tables` tables and, unless `empty`, has
/// every table walk every case and answer every prompt; the plenary shows tables 1 and 2.
pub fn session(
    conn: &mut Connection,
    library: &Library,
    curriculum_id: &str,
    tables: i64,
    empty: bool,
) -> Result<SessionRow, String> {
    let sources = library
        .bundle_sources(curriculum_id)
        .ok_or_else(|| format!("no curriculum {curriculum_id}"))?;
    let db = |e: crate::db::DbError| e.to_string();
    let session = sessions::create_session(
        conn,
        &NewSession {
            curriculum_id: curriculum_id.into(),
            content_hash: sources.hash(),
            sources,
            title: "合同研修会（サンプル）".into(),
            held_on: "2026-11-30".into(),
            place: "市民会館 大会議室".into(),
            table_count: tables,
            rehearsal: false,
        },
    )
    .map_err(db)?;
    let rows = tables::tables(conn, &session.id).map_err(db)?;
    for t in &rows {
        let n = t.number as usize;
        let professions: Vec<String> = (0..4)
            .map(|k| {
                PROFESSIONS[(n * 3 + k * 5) % PROFESSIONS.len()]
                    .id
                    .to_string()
            })
            .collect();
        tables::set_professions(conn, t, &professions).map_err(db)?;
    }
    if empty {
        return Ok(session);
    }
    let curriculum = library
        .curricula
        .get(curriculum_id)
        .cloned()
        .ok_or_else(|| format!("no curriculum {curriculum_id}"))?;
    let run = Run {
        session: session.clone(),
        library: Arc::new(library.clone()),
        curriculum: curriculum.clone(),
    };
    for (index, step) in curriculum.steps.iter().enumerate() {
        let i = index as i64;
        if i > 0 {
            sessions::set_current_step(conn, &session.id, i - 1, i).map_err(db)?;
        }
        if step.kind == StepKind::Survey {
            survey_answers(conn, &session.id, i, step, rows.len() * 6).map_err(db)?;
        }
        for t in &rows {
            let n = t.number as usize;
            for prompt in step.table_prompts() {
                if let Some(a) = answer_for(prompt, n) {
                    let key = step_prompt_key(&curriculum, prompt);
                    conclusions::save_conclusion(conn, t, &key, 0, &a, i).map_err(db)?;
                }
            }
            let Some(case) = run.walk_case(step) else {
                continue;
            };
            if step.kind != StepKind::CaseWalk {
                continue;
            }
            let mut path = Vec::new();
            let mut next = run.walk_start(step, case).map(|s| (s, None::<String>));
            while let Some((scene, via)) = next.take() {
                if path.len() > case.scenes.len() {
                    break;
                }
                let seq = path.len() as i64;
                conclusions::append_visit(conn, t, i, seq, &case.id, &scene.id, via.as_deref())
                    .map_err(db)?;
                for prompt in &scene.prompts {
                    if let Some(a) = answer_for(prompt, n) {
                        let key = scene_prompt_key(case, prompt);
                        conclusions::save_conclusion(conn, t, &key, 0, &a, i).map_err(db)?;
                    }
                }
                path.push(scene);
                next = match run.onward(step, case, &path) {
                    Onward::Next { scene } => Some((scene, None)),
                    Onward::Branch { branch } => {
                        let option = &branch.options[n % branch.options.len().max(1)];
                        case.scene(&option.target)
                            .map(|s| (s, Some(option.label.clone())))
                    }
                    Onward::End => None,
                };
            }
        }
        if matches!(step.kind, StepKind::GroupWork | StepKind::Plenary) {
            sessions::set_spotlight(conn, &session.id, &[1, 2.min(tables)]).map_err(db)?;
        }
    }
    sessions::session(conn, &session.id)
        .map_err(db)?
        .ok_or_else(|| "the session vanished".to_string())
}
