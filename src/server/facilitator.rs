//! The facilitator's view of one session: pace the steps and timers, watch every
//! table live, choose what the projector shows, close.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{
    AppError, AppState, Form, PageLang, REFUSED, base_url, qr_svg, see_other, session_for_key,
};
use crate::db::{TimerState, conclusions, events, now_ms, sessions, tables, timers};
use crate::live::{Audience, Viewer};
use crate::render::to_value;
use crate::session::{Run, step_reports, step_times};
use crate::text::NOTES_MAX;
use crate::timer::{self, Action};

/// The facilitator's console, behind the session's secret `/f/{key}` link (no sign-in).
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/f/{key}", get(view))
        .route("/f/{key}/step", post(set_step))
        .route("/f/{key}/close", post(close))
        .route("/f/{key}/notes", post(save_notes))
        .route("/f/{key}/notes/copy", post(copy_notes))
        .route("/f/{key}/events", get(events))
        .route("/f/{key}/timer", post(timer))
        .route("/f/{key}/pace", post(pace))
        .route("/f/{key}/spotlight", post(spotlight))
        .route("/f/{key}/runsheet", get(runsheet))
        .route("/f/{key}/qr", get(qr_sheet))
        .route("/f/{key}/qr/{number}", get(table_qr))
}

/// Flags of the facilitator page: `notes` after the notes were saved, `show` a wall filter.
#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    notes: Option<String>,
    show: Option<String>,
}

/// The live overview of a session.
pub async fn view(
    State(state): State<AppState>,
    lang: PageLang,
    Path(key): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ViewQuery>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let id = run.session.id.clone();
    let curriculum_id = run.session.curriculum_id.clone();
    let (tables, conclusions, visits, changes, survey_counts, rehearsals) = state
        .db
        .read(move |conn| {
            Ok((
                tables::tables(conn, &id)?,
                conclusions::latest_conclusions(conn, &id)?,
                conclusions::visits(conn, &id)?,
                events::step_changes(conn, &id)?,
                crate::db::survey::counts(conn, &id)?,
                sessions::rehearsals_with_notes(conn, &curriculum_id, &id)?,
            ))
        })
        .await?;
    let current = run.session.current_step.max(0) as usize;
    let report = step_reports(&run, Some(current), &tables, &conclusions, &visits)
        .into_iter()
        .next();
    // Which tables have saved or moved in this step: the rest have not started.
    let started = super::wall::started_tables(&run, &tables, &conclusions, &visits);
    let clock = state.clock(&run).await?;
    let behind = super::wall::late_tables(
        &run,
        &tables,
        &conclusions,
        &visits,
        &changes,
        clock.as_ref(),
    );
    let tiles = super::wall::tiles(&super::wall::WallInput {
        run: &run,
        report: report.as_ref(),
        tables: &tables,
        conclusions: &conclusions,
        visits: &visits,
        clock: clock.as_ref(),
        late: &behind,
        now: now_ms(),
        lang: lang.lang,
    });
    let counts = super::wall::counts(&tiles);
    // `?show=<state>`: the wall's filter without script.
    let show = q
        .show
        .as_deref()
        .filter(|s| super::wall::STATES.contains(s))
        .unwrap_or("all");
    let listeners = state.hub.listeners(&run.session.id);
    let devices = super::devices::of_session(&state, &run.session.id).await?;
    state.page(
        lang,
        "facilitator.html",
        context! {
            session => to_value(&run.session),
            curriculum => to_value(&run.curriculum),
            tables => to_value(&tables),
            report => to_value(&report),
            started => to_value(&started),
            behind => to_value(&behind),
            clock => to_value(&clock),
            listeners,
            current,
            survey_counts => to_value(&survey_counts.into_iter().collect::<std::collections::BTreeMap<i64, i64>>()),
            survey_crowded => to_value(&state.survey_limit.crowded(&run.session.id).into_iter().collect::<std::collections::BTreeMap<i64, u32>>()),
            notes_saved => q.notes.is_some(),
            rehearsals => to_value(&rehearsals),
            devices => to_value(&devices),
            tiles => to_value(&tiles),
            counts => to_value(&counts),
            show,
            idle_minutes => super::wall::IDLE_MS / 60_000,
        },
    )
}

/// The notes form.
#[derive(Debug, Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    notes: String,
}

/// Saves the facilitator's own notes (also after the session has ended: notes are
/// often finished afterwards).
pub async fn save_notes(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<NotesForm>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key.clone()).await?;
    let form = NotesForm {
        notes: crate::text::clean_text(&form.notes),
    };
    if form.notes.chars().count() > NOTES_MAX {
        return Err(
            AppError::user(REFUSED, "err.notes_long", vec![NOTES_MAX.to_string()])
                .keeping(Some(form.notes)),
        );
    }
    let id = run.session.id.clone();
    state
        .db
        .write(move |conn| crate::db::sessions::set_notes(conn, &id, &form.notes))
        .await?;
    Ok(see_other(&format!("/f/{key}?notes=saved#notes")))
}

/// Which rehearsal's notes to copy.
#[derive(Debug, Deserialize)]
pub struct CopyNotesForm {
    #[serde(default)]
    from: String,
}

/// Adds a rehearsal's notes under this session's own, with a line saying where they
/// came from. Only rehearsals of the same curriculum qualify.
pub async fn copy_notes(
    State(state): State<AppState>,
    lang: PageLang,
    Path(key): Path<String>,
    Form(form): Form<CopyNotesForm>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key.clone()).await?;
    let (id, curriculum_id) = (run.session.id.clone(), run.session.curriculum_id.clone());
    let heading = crate::i18n::text(lang.lang, "fac.notes_from").unwrap_or("");
    let heading = heading.to_string();
    let copied = state
        .db
        .write(move |conn| {
            let Some(source) = sessions::rehearsals_with_notes(conn, &curriculum_id, &id)?
                .into_iter()
                .find(|s| s.id == form.from)
            else {
                return Ok(false);
            };
            let own = crate::db::sessions::notes(conn, &id)?;
            let line = heading
                .replace("{0}", &source.title)
                .replace("{1}", &source.held_on);
            let joined = if own.trim().is_empty() {
                format!("{line}\n{}", source.notes.trim_end())
            } else {
                format!("{}\n\n{line}\n{}", own.trim_end(), source.notes.trim_end())
            };
            crate::db::sessions::set_notes(conn, &id, &joined)?;
            Ok(true)
        })
        .await?;
    if !copied {
        return Err(AppError::not_found("err.no_rehearsal"));
    }
    Ok(see_other(&format!("/f/{key}?notes=saved#notes")))
}

/// The facilitator's live stream: every table's saves and moves.
pub async fn events(
    State(state): State<AppState>,
    super::auth::ClientIp(ip): super::auth::ClientIp,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    super::live_stream(&state, &run, Viewer::Staff, ip, None).await
}

/// The session of a facilitator link, refused once it has ended: an ended session's
/// steps, timers, pace and spotlight no longer change.
async fn open_run(state: &AppState, key: &str) -> Result<Run, AppError> {
    let run = session_for_key(state, key.to_string()).await?;
    if run.session.is_closed() {
        return Err(AppError::user(
            REFUSED,
            "err.closed_facilitator",
            Vec::new(),
        ));
    }
    Ok(run)
}

/// Which step to move to.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    to: String,
}

/// Moves the whole session to another step; every screen follows.
pub async fn set_step(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let run = open_run(&state, &key).await?;
    let to = form
        .to
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|to| run.step(*to).is_some())
        .ok_or_else(|| AppError::bad("err.no_such_step"))?;
    let from = run.session.current_step;
    if to != from {
        let id = run.session.id.clone();
        state
            .db
            .write(move |conn| sessions::set_current_step(conn, &id, from, to))
            .await?;
        state.hub.publish(
            &run.session.id,
            Audience::All,
            "step",
            &serde_json::json!({ "step": to }),
        );
    }
    Ok(see_other(&format!("/f/{key}")))
}

/// The close form: a checkbox confirms it was meant.
#[derive(Debug, Deserialize)]
pub struct CloseForm {
    confirm: Option<String>,
}

/// Ends the session: tables can no longer save; the record stays readable.
pub async fn close(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    if form.confirm.as_deref() != Some("yes") {
        return Err(AppError::bad("err.close_confirm"));
    }
    let run = session_for_key(&state, key).await?;
    let id = run.session.id.clone();
    state
        .db
        .write(move |conn| sessions::close_session(conn, &id))
        .await?;
    state.hub.publish(
        &run.session.id,
        Audience::All,
        crate::live::ENDED,
        &serde_json::json!({}),
    );
    Ok(see_other(&format!(
        "/f/{}/record",
        run.session.facilitator_key
    )))
}

/// A timer button: `action` and, for `add`, `minutes`.
#[derive(Debug, Deserialize)]
pub struct TimerForm {
    action: String,
    minutes: Option<String>,
}

/// Starts, pauses, extends, ends or reopens the current step's timer.
pub async fn timer(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<TimerForm>,
) -> Result<Response, AppError> {
    let run = open_run(&state, &key).await?;
    let minutes = form
        .minutes
        .as_deref()
        .and_then(|m| m.trim().parse::<i64>().ok());
    let action = Action::parse(form.action.trim(), minutes)
        .ok_or_else(|| AppError::bad("err.timer_action"))?;
    let Some(box_minutes) = run.current_step().minutes else {
        return Err(AppError::bad("err.no_timer"));
    };
    let (id, index) = (run.session.id.clone(), run.session.current_step);
    let stored = state
        .db
        .read({
            let id = id.clone();
            move |conn| timers::timer(conn, &id, index)
        })
        .await?;
    let now = now_ms();
    let before = stored.unwrap_or_else(|| timer::ready(index, box_minutes, now));
    let after = timer::apply(&before, action, now);
    let row = after.clone();
    state
        .db
        .write(move |conn| timers::put_timer(conn, &id, &row, action.name()))
        .await?;
    state.hub.publish(
        &run.session.id,
        Audience::All,
        "timer",
        &timer::clock(&after, now),
    );
    if after.state == TimerState::Running {
        watch_expiry(state.clone(), run.session.id.clone(), after, now);
    }
    Ok(see_other(&format!("/f/{key}")))
}

/// Locks the step when its running timer reaches zero, and tells every screen. A later
/// change to the timer (pause, more minutes) makes this watcher stand down.
fn watch_expiry(state: AppState, session_id: String, running: timers::TimerRow, now: i64) {
    let wait = timer::remaining(&running, now).max(0) as u64;
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        let index = running.step_index;
        let id = session_id.clone();
        let result = state
            .db
            .write(move |conn| {
                let Some(stored) = timers::timer(conn, &id, index)? else {
                    return Ok(None);
                };
                if stored != running {
                    return Ok(None);
                }
                let ended = timer::effective(&stored, now_ms());
                if ended.state != TimerState::Ended {
                    return Ok(None);
                }
                timers::put_timer(conn, &id, &ended, "expired")?;
                Ok(Some(ended))
            })
            .await;
        match result {
            Ok(Some(ended)) => state.hub.publish(
                &session_id,
                Audience::All,
                "timer",
                &timer::clock(&ended, now_ms()),
            ),
            Ok(None) => {}
            Err(e) => tracing::error!("timer expiry for session {session_id}: {e}"),
        }
    });
}

/// Hold tables on the facilitator's pace, or let them walk cases at their own pace.
#[derive(Debug, Deserialize)]
pub struct PaceForm {
    pace: String,
}

/// Sets the pace; table screens update their walk buttons.
pub async fn pace(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<PaceForm>,
) -> Result<Response, AppError> {
    let run = open_run(&state, &key).await?;
    let Some(pace) = crate::db::Pace::from_code(&form.pace) else {
        return Err(AppError::bad("err.form"));
    };
    let id = run.session.id.clone();
    state
        .db
        .write(move |conn| sessions::set_pace(conn, &id, pace))
        .await?;
    state.hub.publish(
        &run.session.id,
        Audience::All,
        "pace",
        &serde_json::json!({ "pace": pace }),
    );
    Ok(see_other(&format!("/f/{key}")))
}

/// Spotlight: repeated `table` fields, at most two.
pub async fn spotlight(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let run = open_run(&state, &key).await?;
    let mut tables: Vec<i64> = Vec::new();
    for (_, value) in form.iter().filter(|(k, _)| k == "table") {
        let n = super::number_in(value, 1..=run.session.table_count)
            .ok_or_else(|| AppError::bad("err.form"))?;
        if !tables.contains(&n) {
            tables.push(n);
        }
    }
    if tables.len() > 2 {
        return Err(AppError::bad("err.spotlight_two"));
    }
    let id = run.session.id.clone();
    let chosen = tables.clone();
    state
        .db
        .write(move |conn| sessions::set_spotlight(conn, &id, &chosen))
        .await?;
    state.hub.publish(
        &run.session.id,
        Audience::Staff,
        "spotlight",
        &serde_json::json!({ "tables": tables }),
    );
    Ok(see_other(&format!("/f/{key}")))
}

/// One row of the run sheet.
#[derive(Debug, Serialize)]
struct RunRow {
    index: usize,
    title: String,
    kind: String,
    planned: Option<u32>,
    planned_start: u32,
    actual_start: Option<i64>,
    actual_ms: i64,
}

/// Planned against actual times per step.
pub async fn runsheet(
    State(state): State<AppState>,
    lang: PageLang,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let id = run.session.id.clone();
    let changes = state
        .db
        .read(move |conn| events::step_changes(conn, &id))
        .await?;
    let times = step_times(&run, &changes, now_ms());
    let mut planned_start = 0;
    let rows: Vec<RunRow> = run
        .curriculum
        .steps
        .iter()
        .zip(&times)
        .enumerate()
        .map(|(index, (s, time))| {
            let row = RunRow {
                index,
                title: s.title.clone(),
                kind: serde_json::to_value(s.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                planned: s.minutes,
                planned_start,
                actual_start: time.first_start,
                actual_ms: time.spent_ms,
            };
            planned_start += s.minutes.unwrap_or(0);
            row
        })
        .collect();
    let planned_total: u32 = run.curriculum.steps.iter().filter_map(|s| s.minutes).sum();
    let actual_total: i64 = rows.iter().map(|r| r.actual_ms).sum();
    state.page(
        lang,
        "runsheet.html",
        context! { session => to_value(&run.session), curriculum => to_value(&run.curriculum), rows => to_value(&rows), planned_total, actual_total },
    )
}

/// A printable sheet of every table's QR code.
pub async fn qr_sheet(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let id = run.session.id.clone();
    let tables = state.db.read(move |conn| tables::tables(conn, &id)).await?;
    // Each card's address carries the table's QR key: the card joins even a claimed table.
    let cards: Vec<_> = tables
        .iter()
        .map(|t| context! { number => t.number, key => super::devices::qr_key(&t.token) })
        .collect();
    let base = base_url(&headers);
    state.page(
        lang,
        "qr_sheet.html",
        context! { session => to_value(&run.session), cards, base },
    )
}

/// The QR code that opens table `number`'s screen directly.
pub async fn table_qr(
    headers: HeaderMap,
    State(state): State<AppState>,
    Path((key, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let number = number
        .trim_end_matches(".svg")
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=run.session.table_count).contains(n))
        .ok_or_else(|| {
            AppError::user(
                axum::http::StatusCode::NOT_FOUND,
                "err.table_range",
                vec![run.session.table_count.to_string()],
            )
        })?;
    let session_id = run.session.id.clone();
    let table = state
        .db
        .read(move |conn| tables::table_by_number(conn, &session_id, number))
        .await?
        .ok_or_else(|| AppError::not_found("err.table"))?;
    Ok(qr_svg(&format!(
        "{}/j/{}/{number}/{}",
        base_url(&headers),
        run.session.join_code,
        super::devices::qr_key(&table.token)
    )))
}
