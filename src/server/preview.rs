//! The authors' previews: a case as a table with chosen professions sees it, scene by
//! scene down any branch, beside the facilitator's notes; a curriculum's timetable and
//! every step as the table screen and the projector show it.
//!
//! The place (the professions, the scenes walked) is in the query, so a reload keeps it.
//! Each page follows the content's version through `/preview/events` (`preview.js`) and
//! reloads itself after a save. While a file has problems the pages show them and keep
//! showing the last good version.
//!
//! [`routes`] has no guard of its own: [`app`](super::app) puts it behind the organizer's
//! sign-in, and `acp-workbook preview` serves it alone on the author's own computer.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Serialize;

use super::table::{prompt_view, scene_entry};
use super::{AppError, AppState, PageLang};
use crate::content::{Case, Library, Profession, Scene, StepKind};
use crate::render::to_value;
use crate::session::{Onward, onward, scene_prompt_key, step_prompt_key};

/// The preview pages and their live stream.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/preview", get(index))
        .route("/preview/cases/{id}", get(case_page))
        .route("/preview/curricula/{id}", get(curriculum_page))
        .route("/preview/events", get(events))
}

/// The professions a preview's table may choose from: the built-in ones and the roles
/// the content declares, as a table's chooser offers them.
fn profession_choices(library: &Library) -> Vec<Profession> {
    library.professions.all()
}

/// What every preview page carries: the version it was drawn at (its script reloads
/// the page when the stream says another).
fn version_tag(state: &AppState) -> String {
    state.content_status().tag()
}

/// The list of curricula and cases to preview.
pub async fn index(State(state): State<AppState>, lang: PageLang) -> Result<Response, AppError> {
    let library = state.library();
    let curricula: Vec<_> = library.curricula.values().cloned().collect();
    let cases: Vec<_> = library.cases.values().cloned().collect();
    state.page(
        lang,
        "preview.html",
        context! {
            view => "index",
            content_version => version_tag(&state),
            curricula => to_value(&curricula),
            cases => to_value(&cases),
        },
    )
}

/// The query's pairs, read leniently (a preview opens whatever its address carries).
fn pairs(query: Option<String>) -> Vec<(String, String)> {
    query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default()
}

/// The address of a case preview at a place.
fn case_href(case: &Case, professions: &[String], path: &[&Scene]) -> String {
    let ids = path
        .iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let mut query: Vec<(&str, &str)> = vec![("set", "1")];
    query.extend(professions.iter().map(|p| ("p", p.as_str())));
    query.push(("path", &ids));
    format!(
        "/preview/cases/{}?{}",
        case.id,
        serde_urlencoded::to_string(&query).unwrap_or_default()
    )
}

/// The scenes named by `path=s1,s2,…` as far as each follows from the one before (by
/// `next`, the file's order or a branch option), with the option that led there. A
/// scene renamed or a branch changed since the address was made cuts the walk there,
/// so an edit never leaves the page on a path the table could not take.
fn walk<'a>(case: &'a Case, ids: &str) -> Vec<(&'a Scene, Option<String>)> {
    let mut out: Vec<(&Scene, Option<String>)> = Vec::new();
    for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some(scene) = case.scene(id) else { break };
        let via = match out.last() {
            None => None,
            Some((previous, _)) => match onward(None, case, &[*previous]) {
                Onward::Next { scene: next } if next.id == scene.id => None,
                Onward::Branch { branch } => {
                    match branch.options.iter().find(|o| o.target == scene.id) {
                        Some(option) => Some(option.label.clone()),
                        None => break,
                    }
                }
                _ => break,
            },
        };
        out.push((scene, via));
    }
    if out.is_empty()
        && let Some(first) = case.scenes.first()
    {
        out.push((first, None));
    }
    out
}

/// A choice of the professions form.
#[derive(Serialize)]
struct ProfessionChoice {
    profession: Profession,
    checked: bool,
    in_team: bool,
}

/// A curriculum that walks the case, with its workbook links.
#[derive(Serialize)]
struct UsedBy {
    id: String,
    title: String,
}

/// `GET /preview/cases/{id}?p=…&path=…`: the case as a table with the professions `p`
/// sees it (the case's team when none are given), along the scenes of `path`.
pub async fn case_page(
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let library = state.library();
    let case = library
        .cases
        .get(&id)
        .cloned()
        .ok_or_else(|| AppError::not_found("err.case"))?;
    let query = pairs(query);
    let choices = profession_choices(&library);
    let professions: Vec<String> = if query.iter().any(|(k, _)| k == "set" || k == "p") {
        let mut chosen: Vec<String> = Vec::new();
        for (_, value) in query.iter().filter(|(k, _)| k == "p") {
            if choices.iter().any(|p| p.id == value) && !chosen.contains(value) {
                chosen.push(value.clone());
            }
        }
        chosen
    } else {
        case.team.iter().map(|p| p.id.to_string()).collect()
    };
    let ids = query
        .iter()
        .find(|(k, _)| k == "path")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let path = walk(&case, ids);
    let scenes: Vec<&Scene> = path.iter().map(|(s, _)| *s).collect();
    let entries: Vec<_> = path
        .iter()
        .map(|(scene, via)| {
            let with_cards: Vec<&str> = scene
                .role_cards
                .iter()
                .map(|c| c.profession.label(lang.lang))
                .collect();
            context! {
                entry => scene_entry(&case, scene, via.as_deref(), &[], &professions, &library.professions),
                notes => to_value(&scene.facilitator_notes),
                with_cards => with_cards.join("、"),
            }
        })
        .collect();
    let onward = match onward(None, &case, &scenes) {
        Onward::Next { scene } => {
            let mut next = scenes.clone();
            next.push(scene);
            context! { kind => "next", title => scene.title.clone(), href => case_href(&case, &professions, &next) }
        }
        Onward::Branch { branch } => {
            let options: Vec<_> = branch
                .options
                .iter()
                .filter_map(|o| {
                    let target = case.scene(&o.target)?;
                    let mut next = scenes.clone();
                    next.push(target);
                    Some(context! { label => o.label.clone(), title => target.title.clone(), href => case_href(&case, &professions, &next) })
                })
                .collect();
            context! { kind => "branch", question => branch.question.clone(), options }
        }
        Onward::End => context! { kind => "end" },
    };
    let back =
        (scenes.len() > 1).then(|| case_href(&case, &professions, &scenes[..scenes.len() - 1]));
    let restart = case_href(&case, &professions, &scenes[..1.min(scenes.len())]);
    let all_scenes: Vec<_> = case
        .scenes
        .iter()
        .map(|s| context! { id => s.id.clone(), title => s.title.clone(), href => case_href(&case, &professions, &[s]) })
        .collect();
    let mut choices: Vec<_> = choices
        .into_iter()
        .map(|p| ProfessionChoice {
            checked: professions.iter().any(|id| id == p.id),
            in_team: case.team.contains(&p),
            profession: p,
        })
        .collect();
    // The case's team first: the tables an author has in mind.
    choices.sort_by_key(|c| !c.in_team);
    let used_by: Vec<_> = library
        .curricula
        .values()
        .filter(|c| {
            c.steps
                .iter()
                .any(|s| s.walk.as_ref().is_some_and(|w| w.case == case.id))
        })
        .map(|c| UsedBy {
            id: c.id.clone(),
            title: c.title.clone(),
        })
        .collect();
    let path_ids = scenes
        .iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(",");
    state.page(
        lang,
        "preview.html",
        context! {
            view => "case",
            content_version => version_tag(&state),
            case => to_value(&case),
            choices => to_value(&choices),
            path_ids,
            entries,
            onward,
            back,
            restart,
            all_scenes,
            used_by => to_value(&used_by),
        },
    )
}

/// `GET /preview/curricula/{id}`: the timetable with the minutes summed, and every
/// step as the table screen and the projector show it, with the facilitator's notes.
pub async fn curriculum_page(
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let library = state.library();
    let curriculum = library
        .curricula
        .get(&id)
        .cloned()
        .ok_or_else(|| AppError::not_found("err.curriculum"))?;
    let mut at = 0u32;
    let steps: Vec<_> = curriculum
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let start = at;
            at += step.minutes.unwrap_or(0);
            let prompts: Vec<_> = step
                .table_prompts()
                .iter()
                .map(|p| prompt_view(step_prompt_key(&curriculum, p), p, &[], &[], &library.professions))
                .collect();
            // Survey questions are each person's, on their phone: shown as a phone shows them.
            let phone: Vec<_> = if step.kind == StepKind::Survey {
                step.prompts
                    .iter()
                    .map(|p| prompt_view(step_prompt_key(&curriculum, p), p, &[], &[], &library.professions))
                    .collect()
            } else {
                Vec::new()
            };
            let case = step
                .walk
                .as_ref()
                .and_then(|w| library.cases.get(&w.case).map(|c| (w, c)))
                .map(|(w, c)| {
                    let start: Vec<&Scene> = w
                        .scenes
                        .first()
                        .and_then(|s| c.scene(s))
                        .or_else(|| c.scenes.first())
                        .into_iter()
                        .collect();
                    let team: Vec<String> = c.team.iter().map(|p| p.id.to_string()).collect();
                    let scenes: Vec<_> = crate::workbook::walk_scenes(step, c)
                        .iter()
                        .map(|s| {
                            context! { title => s.title.clone(), prompts => to_value(&s.prompts.iter().map(|p| prompt_view(scene_prompt_key(c, p), p, &[], &[], &library.professions)).collect::<Vec<_>>()) }
                        })
                        .collect();
                    context! { id => c.id.clone(), title => c.title.clone(), href => case_href(c, &team, &start), scenes }
                });
            context! {
                index,
                step => to_value(step),
                start,
                end => at,
                prompts => to_value(&prompts),
                phone => to_value(&phone),
                case,
            }
        })
        .collect();
    state.page(
        lang,
        "preview.html",
        context! {
            view => "curriculum",
            content_version => version_tag(&state),
            curriculum => to_value(&curriculum),
            steps,
            total => at,
            mismatch => at != curriculum.duration,
        },
    )
}

/// `GET /preview/events`: the content's version now and after every change, for the
/// preview pages' script to reload when it differs from the one they were drawn at.
pub async fn events(State(state): State<AppState>) -> Response {
    let changes = state.content_changes();
    let stream = futures_util::stream::unfold((changes, true), |(mut changes, first)| async move {
        if !first {
            changes.changed().await.ok()?;
        }
        let tag = changes.borrow_and_update().tag();
        Some((
            Ok::<_, Infallible>(SseEvent::default().event("content").data(tag)),
            (changes, false),
        ))
    });
    Sse::new(stream)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("keep-alive"),
        )
        .into_response()
}
