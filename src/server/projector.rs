//! The projector: a read-only, large-type plenary view of the current step — the timer,
//! how to join, the table(s) the facilitator spotlights, and live tallies.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use super::{AppError, AppState, PageLang, base_url, qr_svg, session_for_projector};
use crate::answer::Answer;
use crate::content::{Prompt, PromptKind};
use crate::db::{conclusions, tables};
use crate::live::Viewer;
use crate::render::to_value;
use crate::session::{StepReport, TableAnswer, step_reports};

/// The projector screen, behind the session's `/p/{key}` link (shows no answers).
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/p/{key}", get(view))
        .route("/p/{key}/events", get(events))
        .route("/p/{key}/qr", get(join_qr))
}

/// Counts of one choice or scale prompt across tables.
#[derive(Debug, Serialize)]
struct Tally {
    title: String,
    answered: usize,
    rows: Vec<TallyRow>,
}

#[derive(Debug, Serialize)]
struct TallyRow {
    label: String,
    count: usize,
    percent: usize,
}

fn tally(prompt: &Prompt, cells: &[&TableAnswer]) -> Option<Tally> {
    let labels: Vec<String> = match &prompt.kind {
        PromptKind::Choice { options, .. } => options.clone(),
        PromptKind::Scale { min, max, labels } => (*min..=*max)
            .map(|n| match labels.iter().find(|(k, _)| *k == n) {
                Some((_, l)) => format!("{n}（{l}）"),
                None => n.to_string(),
            })
            .collect(),
        _ => return None,
    };
    let mut counts = vec![0usize; labels.len()];
    let mut answered = 0;
    for shown in cells.iter().filter_map(|c| c.answer.as_ref()) {
        // Every saved answer counts as answered; one that no longer fits adds no vote.
        answered += 1;
        match (&prompt.kind, shown.answer()) {
            (PromptKind::Choice { .. }, Some(Answer::Choice { selected })) => {
                for i in selected {
                    if let Some(c) = counts.get_mut(*i) {
                        *c += 1;
                    }
                }
            }
            (PromptKind::Scale { min, .. }, Some(Answer::Scale { value })) => {
                if let Some(c) = usize::try_from(value - min)
                    .ok()
                    .and_then(|i| counts.get_mut(i))
                {
                    *c += 1;
                }
            }
            _ => {}
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let rows = labels
        .into_iter()
        .zip(counts)
        .map(|(label, count)| TallyRow {
            label,
            count,
            percent: count * 100 / most,
        })
        .collect();
    Some(Tally {
        title: prompt.title.clone(),
        answered,
        rows,
    })
}

/// Tallies of every choice and scale prompt in the step, from tables' own answers and
/// their case walks.
fn tallies(report: &StepReport) -> Vec<Tally> {
    let mut out: Vec<Tally> = report
        .prompts
        .iter()
        .filter_map(|p| tally(p.prompt, &p.cells.iter().collect::<Vec<_>>()))
        .collect();
    let mut by_key: BTreeMap<&str, (&Prompt, Vec<&TableAnswer>)> = BTreeMap::new();
    for walk in &report.walks {
        for scene in &walk.scenes {
            for p in &scene.prompts {
                by_key
                    .entry(&p.key)
                    .or_insert((p.prompt, Vec::new()))
                    .1
                    .extend(p.cells.iter());
            }
        }
    }
    out.extend(
        by_key
            .values()
            .filter_map(|(prompt, cells)| tally(prompt, cells)),
    );
    out
}

/// The projector page.
pub async fn view(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_projector(&state, key).await?;
    let id = run.session.id.clone();
    let (tables, conclusions, visits, survey_counts) = state
        .db
        .read(move |conn| {
            Ok((
                tables::tables(conn, &id)?,
                conclusions::latest_conclusions(conn, &id)?,
                conclusions::visits(conn, &id)?,
                crate::db::survey::counts(conn, &id)?,
            ))
        })
        .await?;
    let current = run.session.current_step.max(0) as usize;
    let report = step_reports(&run, Some(current), &tables, &conclusions, &visits)
        .into_iter()
        .next();
    let tallies = report.as_ref().map(tallies).unwrap_or_default();
    let clock = state.clock(&run).await?;
    // In a survey step the room needs the phone page, and how many have answered.
    let survey = (run.current_step().kind == crate::content::StepKind::Survey).then(|| {
        context! {
            url => super::participant::phone_url(&headers, &run.session.join_code),
            answered => survey_counts.iter().find(|(s, _)| *s == current as i64).map_or(0, |(_, n)| *n),
        }
    });
    state.page(
        lang,
        "projector.html",
        context! {
            survey,
            session => to_value(&run.session),
            step => to_value(run.current_step()),
            current,
            total => run.curriculum.steps.len(),
            report => to_value(&report),
            tallies => to_value(&tallies),
            clock => to_value(&clock),
            spotlight => to_value(&run.session.spotlight),
        },
    )
}

/// The projector's live stream.
pub async fn events(
    State(state): State<AppState>,
    super::auth::ClientIp(ip): super::auth::ClientIp,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_projector(&state, key).await?;
    super::live_stream(&state, &run, Viewer::Staff, ip, None).await
}

/// The QR code of the join page with the code filled in.
pub async fn join_qr(
    headers: HeaderMap,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_projector(&state, key).await?;
    Ok(qr_svg(&format!(
        "{}/join?code={}",
        base_url(&headers),
        run.session.join_code
    )))
}
