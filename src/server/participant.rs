//! A participant's own phone: check in from the seating list and answer the
//! individual survey. Reached with the join code only (`/a/{code}`), it can read and
//! write nothing of any table: a phone is never a table screen.
//!
//! One phone answers each survey step once. The phone keeps a random id in a cookie;
//! the server stores only a hash of it with the answers, so answers name no one and
//! a before and an after answer from the same phone can still be paired.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use minijinja::context;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::auth::{ClientIp, cookie_value};
use super::{AppError, AppState, Form, PageLang, see_other};
use crate::content::Step;
use crate::db::roster::ParticipantRow;
use crate::db::sessions::SessionRow;
use crate::db::survey::{self as db_survey, Submitted};
use crate::live::Audience;
use crate::render::to_value;
use crate::session::Run;
use crate::survey::{self, SurveyError};
use crate::token::normalize_code;

/// A participant's own phone: joining, checking in, answering surveys. Open to
/// anyone with the join code; the survey and check-in limits per address run inside.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/join/phone", post(join))
        .route("/a/{code}", get(view))
        .route("/a/{code}/checkin", post(check_in))
        .route("/a/{code}/qr.svg", get(qr))
        .route("/a/{code}/survey/{step}", post(answer))
}

/// The phone's random id (its value never leaves the phone except in this cookie).
const RESPONDENT_COOKIE: &str = "acp_r";
/// The roster number this phone checked in as.
const SEAT_COOKIE: &str = "acp_seat";
/// How long a phone keeps its ids: long enough for a one-day meeting and its survey.
const COOKIE_DAYS: u32 = 7;

/// The session of a join code, counting wrong codes per client like table joins do
/// (see [`super::limit::JoinLimiter`]: guessing is bounded, a room never locked out).
pub async fn session_by_code(
    state: &AppState,
    ClientIp(ip): ClientIp,
    code: &str,
) -> Result<SessionRow, AppError> {
    let code = normalize_code(code);
    if code.is_empty() {
        return Err(AppError::bad("err.join_code_empty"));
    }
    let admit = state.join_limit.admit(ip, &code);
    if admit == super::limit::Admit::Refused {
        return Err(AppError::user(
            StatusCode::TOO_MANY_REQUESTS,
            "err.too_many_attempts",
            Vec::new(),
        ));
    }
    let typed = code.clone();
    let (session, typo) = state
        .db
        .write(move |conn| {
            let session = crate::db::sessions::session_by_join_code(conn, &typed)?;
            // Only a wrong code is compared with the open sessions' codes.
            let typo = session.is_none()
                && crate::db::sessions::open_join_codes(conn)?
                    .iter()
                    .any(|open| super::limit::near_miss(&typed, open));
            Ok((session, typo))
        })
        .await?;
    match session {
        Some(session) => {
            state.join_limit.joined(ip, &code, admit);
            Ok(session)
        }
        None => {
            if typo {
                state.join_limit.typo(ip, &code, admit);
            }
            Err(AppError::not_found("err.join_code"))
        }
    }
}

/// The phone's random id, if it has one.
fn phone_id(headers: &HeaderMap) -> Option<&str> {
    let id = cookie_value(headers, RESPONDENT_COOKIE)?;
    (id.len() >= 16 && id.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(id)
}

/// The hashed respondent of this phone for one session, if it has an id yet.
fn respondent(headers: &HeaderMap, session_id: &str) -> Option<String> {
    Some(respondent_of(session_id, phone_id(headers)?))
}

/// What is stored for the phone that checked a person in: a hash derived apart from
/// the survey respondent's, so a name on the roster never links to survey answers.
fn checker_of(session_id: &str, id: &str) -> String {
    let digest = Sha256::digest(format!("checkin:{session_id}:{id}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored for a phone's id in one session: a hash that names no one.
fn respondent_of(session_id: &str, id: &str) -> String {
    let digest = Sha256::digest(format!("{session_id}:{id}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The roster number this phone checked in as, for this session's code.
fn seat(headers: &HeaderMap, code: &str) -> Option<i64> {
    let value = cookie_value(headers, SEAT_COOKIE)?;
    let (for_code, seq) = value.split_once('.')?;
    (for_code == code).then(|| seq.parse().ok()).flatten()
}

fn set_cookie(response: &mut Response, code: &str, name: &str, value: &str) {
    let cookie = format!(
        "{name}={value}; Path=/a/{code}; Max-Age={}; HttpOnly; SameSite=Lax",
        COOKIE_DAYS * 24 * 3600
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Who answers: a participant's own phone, or a table screen handed from person to
/// person for those without a phone.
#[derive(Clone, Copy)]
pub enum Device<'a> {
    /// A phone, by the session's join code.
    Phone {
        /// The session's join code from the phone page's address; one answer per person.
        code: &'a str,
    },
    /// A table screen, by its token; each answer from it is a new person.
    Table {
        /// The table's token.
        token: &'a str,
        /// The table's number.
        number: i64,
    },
}

impl Device<'_> {
    /// Where this device's survey page lives; forms post under it.
    fn base(&self) -> String {
        match self {
            Device::Phone { code } => format!("/a/{code}"),
            Device::Table { token, .. } => format!("/t/{token}/survey"),
        }
    }
}

/// One survey step as the phone shows it.
#[derive(Serialize)]
struct SurveyView<'a> {
    index: usize,
    step: &'a Step,
    open: bool,
    answered: bool,
    /// A before survey the session has moved past: no longer offered.
    missed: bool,
}

/// What the phone page shows besides the survey forms.
#[derive(Default)]
struct Notice {
    /// Message key and arguments shown at the top.
    message: Option<(&'static str, Vec<String>)>,
    /// Whether the message is an error.
    error: bool,
    /// The survey step and fields that were refused, shown back as typed.
    typed: Option<(usize, Vec<(String, String)>)>,
    /// The question the error is about.
    question: Option<String>,
}

async fn page(
    state: &AppState,
    lang: PageLang,
    headers: &HeaderMap,
    run: &Run,
    device: Device<'_>,
    notice: Notice,
) -> Result<Response, AppError> {
    let session = &run.session;
    let kiosk = matches!(device, Device::Table { .. });
    let code = session.join_code.as_str();
    // A table screen answers for a new person each time: it has no id of its own.
    let known = if kiosk {
        None
    } else {
        respondent(headers, &session.id)
    };
    let new_id = (!kiosk && known.is_none()).then(crate::token::secret);
    let me = match (&new_id, known) {
        (Some(id), _) => respondent_of(&session.id, id),
        (None, known) => known.unwrap_or_default(),
    };
    let seat = if kiosk { None } else { seat(headers, code) };
    // The seat is shown only to the phone that checked that person in.
    let checker = new_id
        .as_deref()
        .or_else(|| phone_id(headers))
        .map(|id| checker_of(&session.id, id))
        .unwrap_or_default();
    let id = session.id.clone();
    let (answered, roster, seat) = state
        .db
        .write(move |conn| {
            let seat = match seat {
                Some(seq) => crate::db::roster::checked_in_by(conn, &id, seq)?
                    .filter(|by| *by == checker)
                    .map(|_| seq),
                None => None,
            };
            let answered = if kiosk {
                Vec::new()
            } else {
                db_survey::answered_steps(conn, &id, &me)?
            };
            let roster = if kiosk {
                Vec::new()
            } else {
                crate::db::roster::participants(conn, &id)?
            };
            Ok((answered, roster, seat))
        })
        .await?;
    let current = session.current_step.max(0) as usize;
    let surveys: Vec<SurveyView> = survey::survey_steps(&run.curriculum)
        .map(|(index, step)| {
            let open = survey::is_open(step, index, current, session.is_closed());
            SurveyView {
                index,
                step,
                open,
                answered: answered.contains(&(index as i64)),
                missed: !open
                    && survey::phase(step) == crate::content::SurveyPhase::Before
                    && current > index,
            }
        })
        .collect();
    // Waiting for a survey that has not opened yet: the page reloads itself now and then.
    let waiting = !session.is_closed()
        && surveys.iter().all(|s| !s.open || s.answered)
        && surveys.iter().any(|s| !s.open && !s.answered && !s.missed);
    // The desk may have undone a mistaken check-in: only a standing one counts.
    let me_seated: Option<&ParticipantRow> = seat.and_then(|seq| {
        roster
            .iter()
            .find(|p| p.seq == seq && p.checked_in_at.is_some())
    });
    let (message, args) = notice.message.unwrap_or(("", Vec::new()));
    // What was typed into a refused form, by question (and `profession`).
    let (typed_step, typed) = notice.typed.unwrap_or((usize::MAX, Vec::new()));
    let mut typed_by_field: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (field, value) in typed {
        typed_by_field.entry(field).or_default().push(value);
    }
    let mut response = state.page(
        lang,
        "me.html",
        context! {
            session => to_value(session),
            curriculum_title => run.curriculum.title.clone(),
            code,
            token => match device { Device::Table { token, .. } => token, Device::Phone { .. } => "" },
            kiosk,
            surveys => to_value(&surveys),
            waiting,
            has_roster => !roster.is_empty(),
            seated => to_value(&me_seated),
            professions => to_value(&run.library.profession_choices(&run.curriculum, &me_seated.map(|p| p.profession.as_str()).into_iter().collect::<Vec<_>>())),
            roles => crate::render::roles(&run.library),
            message,
            message_args => args,
            error => notice.error,
            error_question => notice.question,
            typed_step,
            typed => to_value(&typed_by_field),
        },
    )?;
    if let Some(id) = new_id {
        set_cookie(&mut response, code, RESPONDENT_COOKIE, &id);
    }
    if notice.error {
        *response.status_mut() = match message {
            "me.already_answered" => StatusCode::CONFLICT,
            "me.checkin_limit" | "me.survey_limit" => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::BAD_REQUEST,
        };
    }
    Ok(response)
}

/// The phone page: check-in, then the survey when it opens.
pub async fn view(
    State(state): State<AppState>,
    lang: PageLang,
    ip: ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_code(&state, ip, &code).await?;
    let code = session.join_code.clone();
    let run = state.session_with_content(session).await?;
    page(
        &state,
        lang,
        &headers,
        &run,
        Device::Phone { code: &code },
        Notice::default(),
    )
    .await
}

/// What a phone types on the join page.
#[derive(Debug, serde::Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    code: String,
}

/// The join page's phone button: opens the phone page of the code's session.
pub async fn join(
    State(state): State<AppState>,
    ip: ClientIp,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    let session = session_by_code(&state, ip, &form.code).await?;
    Ok(see_other(&format!("/a/{}", session.join_code)))
}

/// The QR code of this page, shown on the projector and on table screens in a survey.
pub async fn qr(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_code(&state, ip, &code).await?;
    Ok(super::qr_svg(&phone_url(&headers, &session.join_code)))
}

/// The address of a session's phone page.
pub fn phone_url(headers: &HeaderMap, code: &str) -> String {
    format!("{}/a/{code}", super::base_url(headers))
}

/// What a phone sends to check in: the person's number on the seating list.
#[derive(Debug, serde::Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    number: String,
}

/// Checks a person in by their roster number and tells them where they sit.
pub async fn check_in(
    State(state): State<AppState>,
    lang: PageLang,
    ip: ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(form): Form<CheckInForm>,
) -> Result<Response, AppError> {
    let session = session_by_code(&state, ip, &code).await?;
    let code = session.join_code.clone();
    let run = state.session_with_content(session).await?;
    let device = Device::Phone { code: &code };
    let fail = |key: &'static str, args: Vec<String>| Notice {
        message: Some((key, args)),
        error: true,
        ..Notice::default()
    };
    if run.session.is_closed() {
        let notice = fail("me.checkin_closed", Vec::new());
        return page(&state, lang, &headers, &run, device, notice).await;
    }
    let Ok(seq) = normalize_code(&form.number).parse::<i64>() else {
        let notice = fail("me.checkin_number", Vec::new());
        return page(&state, lang, &headers, &run, device, notice).await;
    };
    let Some(checker) = phone_id(&headers).map(|id| checker_of(&run.session.id, id)) else {
        // No cookie came back: the page sets one, so the phone blocks cookies.
        let notice = fail("me.no_cookie", Vec::new());
        return page(&state, lang, &headers, &run, device, notice).await;
    };
    // Every try counts (a wrong number, or a check-in from a fresh cookie), so one
    // device cannot walk the roster number by number.
    if !state.checkin_attempts.reserve(ip.0) {
        let notice = fail("me.checkin_limit", Vec::new());
        return page(&state, lang, &headers, &run, device, notice).await;
    }
    let earlier = seat(&headers, &code);
    let id = run.session.id.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let roster = crate::db::roster::participants(conn, &id)?;
            // One phone checks in one person, unless the desk undid that check-in.
            if let Some(already) = earlier.and_then(|s| {
                roster
                    .iter()
                    .find(|p| p.seq == s && p.checked_in_at.is_some() && s != seq)
            }) && crate::db::roster::checked_in_by(conn, &id, already.seq)?.as_deref()
                == Some(checker.as_str())
            {
                return Ok(Err(("me.checkin_already", already.seq)));
            }
            let Some(person) = roster.iter().find(|p| p.seq == seq) else {
                return Ok(Err(("me.checkin_unknown", seq)));
            };
            match crate::db::roster::phone_check_in(conn, &id, person.id, &checker)? {
                crate::db::roster::PhoneCheckIn::Mine => Ok(Ok(())),
                crate::db::roster::PhoneCheckIn::Taken => Ok(Err(("me.checkin_taken", seq))),
            }
        })
        .await?;
    if let Err((key, n)) = outcome {
        let notice = fail(key, vec![n.to_string()]);
        return page(&state, lang, &headers, &run, device, notice).await;
    }
    state
        .hub
        .publish(&run.session.id, Audience::Staff, "roster", &seq);
    let mut response = see_other(&format!("/a/{code}"));
    set_cookie(&mut response, &code, SEAT_COOKIE, &format!("{code}.{seq}"));
    Ok(response)
}

/// Stores one person's answers to a survey step, from their phone.
pub async fn answer(
    State(state): State<AppState>,
    lang: PageLang,
    ip: ClientIp,
    headers: HeaderMap,
    Path((code, step)): Path<(String, usize)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let session = session_by_code(&state, ip, &code).await?;
    let code = session.join_code.clone();
    let run = state.session_with_content(session).await?;
    let device = Device::Phone { code: &code };
    answer_as(&state, lang, ip, &headers, &run, device, step, fields).await
}

/// A table screen's survey page, for people without a phone: each person answers in
/// turn, and the form clears for the next.
pub async fn table_view(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::extract::Query(q): axum::extract::Query<KioskQuery>,
) -> Result<Response, AppError> {
    let (run, number) = table_run(&state, token.clone()).await?;
    let notice = Notice {
        message: q.sent.map(|_| ("me.kiosk_next", Vec::new())),
        ..Notice::default()
    };
    let device = Device::Table {
        token: &token,
        number,
    };
    page(&state, lang, &headers, &run, device, notice).await
}

/// Shown after a table screen sent one person's answers.
#[derive(Debug, serde::Deserialize)]
pub struct KioskQuery {
    sent: Option<usize>,
}

/// Stores one person's answers given on a table screen.
pub async fn table_answer(
    State(state): State<AppState>,
    lang: PageLang,
    ip: ClientIp,
    headers: HeaderMap,
    Path((token, step)): Path<(String, usize)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (run, number) = table_run(&state, token.clone()).await?;
    let device = Device::Table {
        token: &token,
        number,
    };
    answer_as(&state, lang, ip, &headers, &run, device, step, fields).await
}

async fn table_run(state: &AppState, token: String) -> Result<(Run, i64), AppError> {
    let found = state
        .db
        .read(move |conn| {
            let Some(table) = crate::db::tables::table_by_token(conn, &token)? else {
                return Ok(None);
            };
            Ok(crate::db::sessions::session(conn, &table.session_id)?.map(|s| (s, table.number)))
        })
        .await?
        .ok_or_else(|| AppError::not_found("err.table_link"))?;
    Ok((state.session_with_content(found.0).await?, found.1))
}

#[allow(clippy::too_many_arguments)]
async fn answer_as(
    state: &AppState,
    lang: PageLang,
    ClientIp(ip): ClientIp,
    headers: &HeaderMap,
    run: &Run,
    device: Device<'_>,
    step: usize,
    fields: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let current = run.session.current_step.max(0) as usize;
    let Some((index, survey_step)) =
        survey::survey_steps(&run.curriculum).find(|(i, _)| *i == step)
    else {
        return Err(AppError::not_found("me.no_such_survey"));
    };
    let refuse = |key: &'static str, args: Vec<String>, question: Option<String>| Notice {
        message: Some((key, args)),
        error: true,
        typed: Some((index, fields.clone())),
        question,
    };
    let me = match device {
        Device::Phone { .. } => respondent(headers, &run.session.id),
        // Not hashed: it names a table and a random id, never a person.
        Device::Table { number, .. } => Some(format!("table:{number}:{}", uuid::Uuid::new_v4())),
    };
    let Some(me) = me else {
        // No cookie came back: the page sets one, so the phone blocks cookies.
        let notice = refuse("me.no_cookie", Vec::new(), None);
        return page(state, lang, headers, run, device, notice).await;
    };
    if !survey::is_open(survey_step, index, current, run.session.is_closed()) {
        let notice = refuse("me.survey_closed", Vec::new(), None);
        return page(state, lang, headers, run, device, notice).await;
    }
    let answers = match survey::parse_form(survey_step, &fields) {
        Ok(answers) => answers,
        Err(e) => {
            let (key, args) = survey_error(&e, survey_step);
            let notice = refuse(key, args, e.question().map(str::to_string));
            return page(state, lang, headers, run, device, notice).await;
        }
    };
    let profession = fields
        .iter()
        .find(|(k, _)| k == "profession")
        .map(|(_, p)| p.as_str())
        .filter(|p| run.library.professions.find(p).is_some())
        .unwrap_or("")
        .to_string();
    // One address gives a bounded number of answers per step, reserved before storing.
    if !state
        .survey_limit
        .reserve(&run.session.id, index as i64, ip)
    {
        let notice = refuse("me.survey_limit", Vec::new(), None);
        return page(state, lang, headers, run, device, notice).await;
    }
    let id = run.session.id.clone();
    // A table screen answers for at most as many people as the table seats.
    let kiosk_limit = match device {
        Device::Table { number, .. } => Some((number, run.session.seats_per_table)),
        Device::Phone { .. } => None,
    };
    let outcome = state
        .db
        .write(move |conn| {
            if let Some((number, seats)) = kiosk_limit
                && db_survey::table_answers(conn, &id, index as i64, number)? >= seats
            {
                return Ok(None);
            }
            let outcome = db_survey::submit(conn, &id, index as i64, &me, &profession, &answers)?;
            Ok(Some((outcome, db_survey::counts(conn, &id)?)))
        })
        .await;
    if !matches!(outcome, Ok(Some((Submitted::Saved, _)))) {
        state.survey_limit.refund(&run.session.id, index as i64, ip);
    }
    let Some(outcome) = outcome? else {
        let notice = refuse(
            "me.kiosk_full",
            vec![run.session.seats_per_table.to_string()],
            None,
        );
        return page(state, lang, headers, run, device, notice).await;
    };
    match outcome {
        (Submitted::Saved, counts) => {
            state
                .hub
                .publish(&run.session.id, Audience::Staff, "survey", &counts);
            Ok(match device {
                Device::Phone { code } => see_other(&format!("/a/{code}#survey-{index}")),
                Device::Table { .. } => see_other(&format!("{}?sent={index}", device.base())),
            })
        }
        (Submitted::AlreadyAnswered, _) => {
            let notice = Notice {
                message: Some(("me.already_answered", Vec::new())),
                error: true,
                ..Notice::default()
            };
            page(state, lang, headers, run, device, notice).await
        }
    }
}

/// The message of a refused survey form, naming the question by its title.
fn survey_error(error: &SurveyError, step: &Step) -> (&'static str, Vec<String>) {
    let title = |id: &str| {
        step.prompts
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.title.clone())
    };
    match error {
        SurveyError::Empty => ("me.err_empty", Vec::new()),
        SurveyError::Scale(q) => ("me.err_scale", vec![title(q)]),
        SurveyError::Choice(q) => ("me.err_choice", vec![title(q)]),
        SurveyError::OneOnly(q) => ("me.err_one", vec![title(q)]),
        SurveyError::TooLong(q, max) => ("me.err_long", vec![title(q), max.to_string()]),
    }
}
