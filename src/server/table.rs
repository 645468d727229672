//! The table screen: join with the code, say who sits here, follow the step, answer.
//!
//! Every route after joining is addressed by the table's token, so a screen can
//! only ever read and write its own table.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::auth::ClientIp;
use super::devices::Device;
use super::{AppError, AppState, Form, PageLang, REFUSED, see_other, wants_json};
use crate::answer::{Answer, AnswerError};
use crate::content::{Profession, Professions, Prompt, PromptKind, RoleCard, StepKind};
use crate::db::{
    conclusions, conclusions::ConclusionRow, conclusions::SaveOutcome, conclusions::VisitRow,
    sessions, tables, tables::TableRow,
};
use crate::lang::Lang;
use crate::live::{Audience, Viewer};
use crate::render::{self, to_value};
use crate::session::{Onward, PromptPlace, Run, scene_prompt_key, step_prompt_key};
use crate::token::normalize_code;

/// Joining a table from its QR code or the join form (open: the code is the proof).
/// The table screens themselves are [`screen_routes`].
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/j/{code}/{number}", get(join_direct))
        .route("/join", get(join_form).post(join))
}

/// The table screens, one per table of a session. [`app`](super::app) guards them
/// with [`devices::guard`](super::devices::guard): only a device paired with that table
/// gets through. The table's survey and record are here too, under the same guard.
pub fn screen_routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/t/{token}", get(screen))
        .route("/t/{token}/roster", post(set_roster))
        .route("/t/{token}/answer", post(answer))
        .route("/t/{token}/walk", post(walk))
        .route("/t/{token}/events", get(events))
        .route("/t/{token}/survey", get(super::participant::table_view))
        .route(
            "/t/{token}/survey/{step}",
            post(super::participant::table_answer),
        )
        .route("/t/{token}/record.pdf", get(super::export::table_record))
}

/// Prefill for the join form (`/join?code=…` from a printed QR or link).
#[derive(Debug, Deserialize)]
pub struct JoinQuery {
    code: Option<String>,
}

/// The join form.
pub async fn join_form(
    State(state): State<AppState>,
    lang: PageLang,
    Query(q): Query<JoinQuery>,
) -> Result<Response, AppError> {
    state.page(
        lang,
        "join.html",
        context! { code => q.code.unwrap_or_default() },
    )
}

/// What a table types to join.
#[derive(Debug, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    table: String,
}

/// Finds the table for a code and number and opens its screen.
pub async fn join(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: PageLang,
    headers: HeaderMap,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    let table = find_table(&state, ip, &form.code, &form.table).await?;
    super::devices::enter_with_code(&state, lang, &headers, table).await
}

/// The address in a table's QR code: scanning it opens that table's screen directly.
pub async fn join_direct(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: PageLang,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let table = find_table(&state, ip, &code, &number).await?;
    super::devices::enter_with_code(&state, lang, &headers, table).await
}

/// Finds a table by join code and number. Wrong codes are counted per client, so
/// guessing codes is slowed down long before it could succeed (25^6 codes), while a
/// room full of people typing the right code is never held up.
pub(super) async fn find_table(
    state: &AppState,
    ip: ClientIp,
    code: &str,
    number: &str,
) -> Result<TableRow, AppError> {
    let session = super::participant::session_by_code(state, ip, code).await?;
    if session.is_closed() {
        return Err(AppError::user(
            StatusCode::GONE,
            "err.session_closed",
            Vec::new(),
        ));
    }
    let count = session.table_count;
    let number = normalize_code(number)
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=count).contains(n))
        .ok_or_else(|| {
            AppError::user(
                StatusCode::BAD_REQUEST,
                "err.table_range",
                vec![count.to_string()],
            )
        })?;
    state
        .db
        .read(move |conn| tables::table_by_number(conn, &session.id, number))
        .await?
        .ok_or_else(|| AppError::not_found("err.table"))
}

/// The table, its session and what the table has done so far.
struct TableContext {
    table: TableRow,
    run: Run,
    conclusions: Vec<ConclusionRow>,
    visits: Vec<VisitRow>,
}

async fn load(state: &AppState, token: String) -> Result<TableContext, AppError> {
    // One trip to the database, and only this table's rows: a save must not get slower
    // as the whole session's history grows.
    let (table, session, conclusions, visits) = state
        .db
        .read(move |conn| {
            let Some(table) = tables::table_by_token(conn, &token)? else {
                return Ok(None);
            };
            let session = sessions::session(conn, &table.session_id)?;
            let conclusions = conclusions::latest_conclusions_of_table(conn, table.id)?;
            let visits = conclusions::visits_of_table(conn, table.id)?;
            Ok(Some((table, session, conclusions, visits)))
        })
        .await?
        .ok_or_else(|| AppError::not_found("err.table_link"))?;
    let session = session.ok_or_else(|| AppError::not_found("err.session"))?;
    let run = state.session_with_content(session).await?;
    Ok(TableContext {
        conclusions,
        visits,
        table,
        run,
    })
}

/// A prompt on the table screen with the table's saved answer.
#[derive(Serialize)]
pub(super) struct PromptView<'a> {
    key: String,
    prompt: &'a Prompt,
    /// The saved answer when it fits the prompt (the form starts from it).
    answer: Option<Answer>,
    version: i64,
    saved_at: Option<i64>,
    /// For an action plan: the professions at this table, offered first as who.
    roster: Vec<Profession>,
    /// For an action plan: every other profession.
    other_professions: Vec<Profession>,
}

/// A prompt as a table with `seated` professions sees it, with its newest answer among
/// `conclusions` (none in a preview).
pub(super) fn prompt_view<'a>(
    key: String,
    prompt: &'a Prompt,
    conclusions: &[ConclusionRow],
    seated: &[String],
    professions: &Professions,
) -> PromptView<'a> {
    let saved = conclusions.iter().find(|c| c.prompt_key == key);
    let (roster, other_professions) = if matches!(prompt.kind, PromptKind::ActionPlan { .. }) {
        professions
            .all()
            .into_iter()
            .partition(|p| seated.iter().any(|id| id == p.id))
    } else {
        (Vec::new(), Vec::new())
    };
    PromptView {
        key,
        prompt,
        // An answer the form cannot show (written by an older import) starts the form
        // empty; the version is kept, so saving over it works.
        answer: saved.and_then(|c| c.answer.fitting(prompt)).cloned(),
        version: saved.map_or(0, |c| c.version),
        saved_at: saved.map(|c| c.saved_at),
        roster,
        other_professions,
    }
}

/// Who at a table with `seated` professions reads `card`: its own profession, or, for a
/// card of a role content declared (腎臓内科医) at a table with no one of that role, the
/// built-in it counts as (病院医師), who reads it for them. `None`: no one here does.
fn card_reader(card: &RoleCard, seated: &[String]) -> Option<Reader> {
    let at_table = |id: &str| seated.iter().any(|s| s == id);
    if at_table(card.profession.id) {
        Some(Reader::Own)
    } else if card.profession.is_declared() && at_table(card.profession.counts_as) {
        Profession::builtin(card.profession.counts_as).map(Reader::StandIn)
    } else {
        None
    }
}

/// See [`card_reader`].
enum Reader {
    Own,
    StandIn(Profession),
}

/// One scene of a walk as a table with `seated` professions sees it (the table screen
/// and the preview draw it with the `scene_card` macro): the role cards of the
/// professions present (a declared role's card with `stand_in`, the built-in who reads
/// it, when no one of that role sits here; see [`card_reader`]), the professions whose
/// cards this table does not get (their 「いないため」 line), and the scene's prompts with
/// the table's answers.
pub(super) fn scene_entry(
    case: &crate::content::Case,
    scene: &crate::content::Scene,
    via: Option<&str>,
    conclusions: &[ConclusionRow],
    seated: &[String],
    professions: &Professions,
) -> minijinja::Value {
    let mut cards = Vec::new();
    let mut absent = Vec::new();
    for card in &scene.role_cards {
        match card_reader(card, seated) {
            Some(reader) => {
                let stand_in = match reader {
                    Reader::Own => None,
                    Reader::StandIn(p) => Some(p),
                };
                cards.push(context! {
                    profession => to_value(&card.profession),
                    own_title => card.own_title(),
                    text => to_value(&card.text),
                    stand_in => to_value(&stand_in),
                });
            }
            None => absent.push(card.profession),
        }
    }
    let prompts: Vec<_> = scene
        .prompts
        .iter()
        .map(|p| {
            prompt_view(
                scene_prompt_key(case, p),
                p,
                conclusions,
                seated,
                professions,
            )
        })
        .collect();
    context! {
        scene => to_value(scene),
        via => to_value(&via),
        cards => cards,
        absent => to_value(&absent),
        prompts => to_value(&prompts),
    }
}

/// Query flags of the table screen.
#[derive(Debug, Deserialize)]
pub struct ScreenQuery {
    roster: Option<String>,
}

/// The table screen: the roster form first, then the current step.
pub async fn screen(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Extension(device): Device,
    Path(token): Path<String>,
    Query(q): Query<ScreenQuery>,
) -> Result<Response, AppError> {
    let ctx = load(&state, token).await?;
    let TableContext {
        table,
        run,
        conclusions,
        visits,
    } = &ctx;
    if (table.professions.is_empty() || q.roster.is_some()) && !run.session.is_closed() {
        // A table that has not said who sits there is offered the seating plan's professions.
        let mut shown = table.clone();
        if shown.professions.is_empty() {
            let (session_id, number) = (table.session_id.clone(), table.number);
            shown.professions = state
                .db
                .read(move |conn| crate::db::roster::seated_professions(conn, &session_id, number))
                .await?;
        }
        return state.page(
            lang,
            "table_setup.html",
            context! { table => to_value(&shown), session => to_value(&run.session), professions => to_value(&run.library.profession_choices(&run.curriculum, &shown.professions.iter().map(String::as_str).collect::<Vec<_>>())), audience => to_value(&run.curriculum.audience), roles => render::roles(&run.library) },
        );
    }
    let index = run.session.current_step;
    let step = run.current_step();
    let prompts: Vec<_> = step
        .table_prompts()
        .iter()
        .map(|p| {
            prompt_view(
                step_prompt_key(&run.curriculum, p),
                p,
                conclusions,
                &table.professions,
                &run.library.professions,
            )
        })
        .collect();
    let case = run
        .walk_case(step)
        .filter(|_| step.kind == StepKind::CaseWalk);
    let (path, onward) = match case {
        Some(case) => {
            let scenes = run.path_scenes(index, visits);
            let onward = run.onward(
                step,
                case,
                &scenes.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            );
            let path: Vec<_> = scenes
                .iter()
                .map(|(scene, via)| {
                    scene_entry(
                        case,
                        scene,
                        via.as_deref(),
                        conclusions,
                        &table.professions,
                        &run.library.professions,
                    )
                })
                .collect();
            (path, Some(onward))
        }
        None => (Vec::new(), None),
    };
    let clock = state.clock(run).await?;
    let pairing = if run.session.is_closed() {
        None
    } else {
        Some(super::devices::pairing_code(&state, table).await?)
    };
    state.page(
        lang,
        "table.html",
        context! {
            pairing,
            device => device.label,
            clock => to_value(&clock),
            table => to_value(table),
            session => to_value(&run.session),
            curriculum => to_value(&run.curriculum),
            step => to_value(step),
            index,
            total => run.curriculum.steps.len(),
            prompts => to_value(&prompts),
            case => to_value(&case),
            path,
            onward => to_value(&onward),
            roles => render::roles(&run.library),
            phone_url => (step.kind == StepKind::Survey)
                .then(|| super::participant::phone_url(&headers, &run.session.join_code)),
        },
    )
}

/// Roster form: repeated `profession` fields.
pub async fn set_roster(
    State(state): State<AppState>,
    Extension(device): Device,
    Path(token): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let ctx = load(&state, token.clone()).await?;
    if ctx.run.session.is_closed() {
        return Err(AppError::user(
            StatusCode::GONE,
            "err.session_closed",
            Vec::new(),
        ));
    }
    let mut chosen: Vec<String> = Vec::new();
    for (_, id) in form.iter().filter(|(k, _)| k == "profession") {
        let profession = (ctx.run.library.professions)
            .find(id)
            .ok_or_else(|| AppError::bad("err.profession"))?;
        if !chosen.iter().any(|c| c == profession.id) {
            chosen.push(profession.id.to_string());
        }
    }
    if chosen.is_empty() {
        return Err(AppError::bad("err.roster_empty"));
    }
    let table = ctx.table;
    let (session_id, number) = (table.session_id.clone(), table.number);
    state
        .db
        .write(move |conn| tables::set_professions_by(conn, &table, &chosen, Some(device.label)))
        .await?;
    state.hub.publish(
        &session_id,
        Audience::Staff,
        "roster",
        &serde_json::json!({ "table": number }),
    );
    Ok(see_other(&format!("/t/{token}")))
}

/// The message for an answer that does not fit its prompt.
fn refusal(
    error: &AnswerError,
    lang: crate::lang::Lang,
) -> (StatusCode, &'static str, Vec<String>) {
    let (key, args) = error.message(lang);
    let status = if error.is_too_long() {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, key, args)
}

/// Saves the table's answer to one prompt of the current step. A page script
/// (autosave) asks for JSON; a plain form post gets a redirect or a page.
pub async fn answer(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Extension(device): Device,
    Path(token): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    // Everything typed is shown back if the save is refused, for structured kinds too.
    let typed = crate::answer::typed_text(&form);
    let refuse = |status, key, args| AppError::user(status, key, args).keeping(typed.clone());
    let ctx = load(&state, token.clone()).await?;
    let run = &ctx.run;
    if run.session.is_closed() {
        return Err(refuse(
            StatusCode::GONE,
            "err.session_closed_save",
            Vec::new(),
        ));
    }
    if !state.limiter.allow(ctx.table.id) {
        return Err(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "err.too_many_saves",
            Vec::new(),
        ));
    }
    let key = field("prompt").unwrap_or_default();
    let (prompt, place) = run
        .prompt(&key)
        .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, "err.form", Vec::new()))?;
    if !run.may_answer(&key, &ctx.visits) {
        return Err(refuse(REFUSED, "err.not_current_step", Vec::new()));
    }
    let base = field("base")
        .and_then(|b| b.trim().parse::<i64>().ok())
        .unwrap_or(0);
    // Decoded here, refused only after the lock check below, in the order a table sees.
    let decoded = Answer::from_form(prompt, &form);
    let (table, save_key, job_run) = (ctx.table.clone(), key.clone(), run.clone());
    // One job on the writer: the session's state, the table's path and the step's clock
    // are read again where the save is stored, so a step moved, a session closed or a
    // clock locked since the page's rows were read refuses the save instead of racing it.
    let checked = state
        .db
        .write(move |conn| {
            let Some(session) = sessions::session(conn, &table.session_id)? else {
                return Ok(Checked::Closed);
            };
            let run = Run { session, ..job_run };
            if run.session.is_closed() {
                return Ok(Checked::Closed);
            }
            let visits = conclusions::visits_of_table(conn, table.id)?;
            if !run.may_answer(&save_key, &visits) {
                return Ok(Checked::NotCurrentStep);
            }
            if crate::server::step_clock(conn, &run)?.is_some_and(|c| c.locked) {
                return Ok(Checked::Locked);
            }
            let answer = match decoded {
                Ok(answer) => answer,
                Err(e) => return Ok(Checked::BadForm(e)),
            };
            conclusions::save_conclusion_by(
                conn,
                &table,
                &save_key,
                base,
                &answer,
                run.session.current_step,
                Some(device.label),
            )
            .map(|outcome| Checked::Stored(Box::new((outcome, answer))))
        })
        .await?;
    let (outcome, answer) = match checked {
        Checked::Stored(stored) => *stored,
        Checked::Closed => {
            return Err(refuse(
                StatusCode::GONE,
                "err.session_closed_save",
                Vec::new(),
            ));
        }
        Checked::NotCurrentStep => {
            return Err(refuse(REFUSED, "err.not_current_step", Vec::new()));
        }
        Checked::Locked => return Err(refuse(StatusCode::LOCKED, "err.locked", Vec::new())),
        Checked::BadForm(e) => {
            let (status, key, args) = refusal(&e, lang.lang);
            return Err(refuse(status, key, args));
        }
    };
    match outcome {
        SaveOutcome::Saved(row) => {
            let label = crate::i18n::format(
                lang.lang,
                "answer.saved_at",
                &[crate::text::time::hm(row.saved_at), row.version.to_string()],
            );
            let short = crate::i18n::format(
                lang.lang,
                "answer.saved_short",
                &[crate::text::time::hm(row.saved_at), row.version.to_string()],
            );
            let reply = if json {
                axum::Json(serde_json::json!({ "version": row.version, "saved_at": row.saved_at, "label": label, "short": short }))
                    .into_response()
            } else {
                see_other(&format!("/t/{token}#p-{}", prompt.id))
            };
            // Reply first, then tell the others (the facilitator's cell, the table's other
            // devices) from a task of its own, so the reply never waits behind the fan-out.
            let (state, table, prompt) = (state.clone(), ctx.table.clone(), prompt.clone());
            tokio::spawn(async move { publish_saved(&state, &table, &prompt, &row) });
            Ok(reply)
        }
        SaveOutcome::Conflict { current } => {
            let text_lang = lang.lang;
            // An answer of another shape (an older import) has no text to show here; the
            // page draws what is stored.
            let theirs_plain = current
                .answer
                .answer()
                .map(|a| a.plain(prompt, text_lang))
                .unwrap_or_default();
            if json {
                let body = serde_json::json!({
                    "conflict": true,
                    "version": current.version,
                    "theirs": theirs_plain,
                    "theirs_answer": current.answer,
                    "label": crate::i18n::format(lang.lang, "conflict.theirs", &[crate::text::time::hm(current.saved_at), current.version.to_string()]),
                });
                return Ok((StatusCode::CONFLICT, axum::Json(body)).into_response());
            }
            let scene = match place {
                PromptPlace::Scene(_, scene) => Some(scene.title.clone()),
                PromptPlace::Step(_) => None,
            };
            let mut page = state.page(
                lang,
                "conflict.html",
                context! {
                    table => to_value(&ctx.table),
                    prompt => to_value(prompt),
                    key,
                    scene,
                    mine => answer.plain(prompt, text_lang),
                    theirs => theirs_plain,
                    current => to_value(&current),
                    mine_answer => to_value(&answer),
                    mine_fields => to_value(&answer.to_form()),
                },
            )?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
    }
}

/// What the save's job on the writer found: the save's outcome, or why it was refused.
enum Checked {
    /// The rechecks passed and the save ran; the decoded answer comes back with it.
    Stored(Box<(SaveOutcome, Answer)>),
    /// The session is closed (or gone) now.
    Closed,
    /// The prompt is no longer one the table may answer (the step moved on).
    NotCurrentStep,
    /// The step's clock is locked.
    Locked,
    /// The form did not decode (refused after the lock, as before the job existed).
    BadForm(AnswerError),
}

/// Tells the facilitator views (with the rendered cell) and the table's own devices.
fn publish_saved(state: &AppState, table: &TableRow, prompt: &Prompt, row: &ConclusionRow) {
    // Rendered once per UI language (structured answers carry labels), not per viewer.
    let cell = |lang: Lang| {
        state
            .templates
            .fragment(
                "cell.html",
                context! { lang => lang.code(), prompt => to_value(prompt), answer => to_value(&row.answer), saved_at => row.saved_at, version => row.version },
            )
            .unwrap_or_default()
    };
    state.hub.publish(
        &table.session_id,
        Audience::Staff,
        "saved",
        &serde_json::json!({
            "table": table.number,
            "key": row.prompt_key,
            "version": row.version,
            // For the wall's tile: when, in which step, and whether the answer has text.
            "saved_at": row.saved_at,
            "step": row.step_index,
            "prompt": prompt.id,
            // Whether there is text does not depend on the language of the labels.
            "has_text": row.answer.answer()
                .is_some_and(|a| !a.plain(prompt, crate::lang::Lang::Ja).trim().is_empty()),
            "html": cell(Lang::Ja),
            "html_en": cell(Lang::En),
        }),
    );
    state.hub.publish(
        &table.session_id,
        Audience::Table(table.id),
        "saved",
        &serde_json::json!({ "key": row.prompt_key, "version": row.version, "answer": row.answer }),
    );
}

/// Moving along the case: the path length the screen saw, and the option chosen.
#[derive(Debug, Deserialize)]
pub struct WalkForm {
    seq: String,
    option: Option<String>,
}

/// Moves the table to the next scene, or down the branch it chose.
pub async fn walk(
    State(state): State<AppState>,
    Extension(device): Device,
    Path(token): Path<String>,
    Form(form): Form<WalkForm>,
) -> Result<Response, AppError> {
    let ctx = load(&state, token.clone()).await?;
    let run = &ctx.run;
    if run.session.is_closed() {
        return Err(AppError::user(
            StatusCode::GONE,
            "err.session_closed",
            Vec::new(),
        ));
    }
    if run.session.pace == crate::db::Pace::Hold {
        return Err(AppError::user(REFUSED, "err.hold", Vec::new()));
    }
    let index = run.session.current_step;
    let step = run.current_step();
    let case = run
        .walk_case(step)
        .ok_or_else(|| AppError::user(REFUSED, "err.not_current_step", Vec::new()))?;
    let path = run.path_scenes(index, &ctx.visits);
    let seen = form.seq.trim().parse::<usize>().ok();
    if seen != Some(path.len()) {
        // Another device of this table already moved on: show where the table is now.
        return Ok(see_other(&format!("/t/{token}")));
    }
    let scenes: Vec<_> = path.iter().map(|(s, _)| *s).collect();
    let (target, via) = match run.onward(step, case, &scenes) {
        Onward::Next { scene } => (scene, None),
        Onward::Branch { branch } => {
            let option = form
                .option
                .as_deref()
                .and_then(|o| o.trim().parse::<usize>().ok())
                .and_then(|i| branch.options.get(i))
                .ok_or_else(|| AppError::bad("err.branch_option"))?;
            let scene = case
                .scene(&option.target)
                .ok_or_else(|| AppError::bad("err.branch_option"))?;
            (scene, Some(option.label.clone()))
        }
        Onward::End => return Err(AppError::user(REFUSED, "err.walk_end", Vec::new())),
    };
    let stored = ctx.visits.iter().filter(|v| v.step_index == index).count();
    let table = ctx.table.clone();
    let case_id = case.id.clone();
    let start = scenes.first().map(|s| s.id.clone()).unwrap_or_default();
    let target = target.id.clone();
    let seq = path.len() as i64;
    state
        .db
        .write(move |conn| {
            if stored == 0 {
                // The first scene was only implied until now: record it before the move.
                conclusions::append_visit_by(
                    conn,
                    &table,
                    index,
                    0,
                    &case_id,
                    &start,
                    None,
                    Some(device.label),
                )?;
            }
            conclusions::append_visit_by(
                conn,
                &table,
                index,
                seq,
                &case_id,
                &target,
                via.as_deref(),
                Some(device.label),
            )
        })
        .await?;
    let event = serde_json::json!({ "table": ctx.table.number, "seq": seq });
    state.hub.publish(
        &ctx.table.session_id,
        Audience::Table(ctx.table.id),
        "walk",
        &event,
    );
    state
        .hub
        .publish(&ctx.table.session_id, Audience::Staff, "walk", &event);
    Ok(see_other(&format!("/t/{token}#scene-{seq}")))
}

/// The table's live stream: step changes, timers, its own saves from other devices.
pub async fn events(
    State(state): State<AppState>,
    super::auth::ClientIp(ip): super::auth::ClientIp,
    Extension(device): Device,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let record_pdf = format!("/t/{token}/record.pdf");
    let ctx = load(&state, token).await?;
    let stream = super::live_stream(
        &state,
        &ctx.run,
        Viewer::Table(ctx.table.id),
        ip,
        Some(record_pdf),
    )
    .await?;
    Ok(super::devices::end_on_release(&state, &device, stream))
}
