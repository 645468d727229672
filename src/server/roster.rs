//! Organizer pages for a session's roster and seating plan: enter or import the
//! participants (CSV, with a template), seat them at balanced tables, move people by
//! hand, print the seating list. Everything here is organizer-only.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::auth::Organizer;
use super::{AppError, AppState, Form, PageLang, see_other, session_by_id};
use std::sync::Arc;

use crate::content::{Library, Professions};
use crate::db::roster::{self as db, ParticipantRow};
use crate::db::sessions::SessionRow;
use crate::render::to_value;
use crate::roster::{Cells, Entry, Problem, entry_of, parse_csv, plan};
use crate::seating;
use crate::session::MAX_SEATS;

/// The organizer's roster and seating pages; each handler takes the
/// [`Organizer`] proof.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/s/{id}/roster", get(view))
        .route("/s/{id}/roster/template.csv", get(template))
        .route("/s/{id}/roster/import", get(to_import).post(import))
        .route("/s/{id}/roster/add", post(add))
        .route("/s/{id}/roster/seats", post(set_seats))
        .route("/s/{id}/roster/{person}/remove", post(remove))
        .route("/s/{id}/seating", get(seating_view).post(assign))
        .route("/s/{id}/seating/move", post(move_person))
        .route("/s/{id}/seating/print", get(print))
}

/// The content a session runs on (its pinned snapshot): its roles name and seat people.
async fn library_of(state: &AppState, session: &SessionRow) -> Result<Arc<Library>, AppError> {
    Ok(state.session_with_content(session.clone()).await?.library)
}

pub(super) async fn people(state: &AppState, id: &str) -> Result<Vec<ParticipantRow>, AppError> {
    let id = id.to_string();
    Ok(state
        .db
        .read(move |conn| db::participants(conn, &id))
        .await?)
}

/// What a successful post reports on the roster page.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    imported: Option<usize>,
    from: Option<String>,
    added: Option<i64>,
    table: Option<i64>,
    /// How many of the imported people the file seated at a table.
    seated: Option<usize>,
    /// The header cells of the imported file that name no column, joined by tabs.
    ignored: Option<String>,
}

/// At most this many unknown column names are echoed back after an import, each clipped
/// to [`IGNORED_NAME_MAX`] characters: a file may have hundreds of columns.
const IGNORED_SHOWN: usize = 10;
const IGNORED_NAME_MAX: usize = 30;

/// The unknown columns as the redirect carries them (`ignored=`), clipped.
fn ignored_query(columns: &[String]) -> String {
    let mut names: Vec<String> = columns
        .iter()
        .filter(|c| !c.trim().is_empty())
        .take(IGNORED_SHOWN)
        .map(|c| c.chars().take(IGNORED_NAME_MAX).collect())
        .collect();
    if columns.len() > IGNORED_SHOWN {
        names.push("…".into());
    }
    serde_urlencoded::to_string([("ignored", names.join("\t"))]).unwrap_or_default()
}

/// The values of the add form, kept when it is refused.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    profession: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    side: String,
}

/// What the roster page says above the roster after a post: what was done, and what
/// the organizer should look at (columns of the file that were not read).
#[derive(Debug, Default)]
struct Notices {
    text: Option<String>,
    warning: Option<String>,
}

async fn roster_page(
    state: &AppState,
    lang: PageLang,
    session: SessionRow,
    problems: &[Problem],
    notices: Notices,
    form: &AddForm,
) -> Result<Response, AppError> {
    let people = people(state, &session.id).await?;
    let messages: Vec<String> = problems.iter().map(|p| p.message(lang.lang)).collect();
    let seated = people.iter().any(|p| p.table_number.is_some());
    let capacity = session.table_count * session.seats_per_table;
    let run = state.session_with_content(session.clone()).await?;
    let (library, kept) = (
        &run.library,
        people
            .iter()
            .map(|p| p.profession.as_str())
            .collect::<Vec<_>>(),
    );
    let mut page = state.page(
        lang,
        "roster.html",
        context! {
            session => to_value(&session),
            people => to_value(&people),
            problems => to_value(&messages),
            notice => notices.text,
            warning => notices.warning,
            form => to_value(form),
            professions => to_value(&library.profession_choices(&run.curriculum, &kept)),
            roles => crate::render::roles(library),
            seated,
            capacity,
            max_seats => MAX_SEATS,
        },
    )?;
    if !problems.is_empty() {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(page)
}

/// The import's own address opened directly (the language switch after a refused
/// import does this): the roster page at its import form.
pub async fn to_import(Path(id): Path<String>) -> Response {
    see_other(&format!("/s/{id}/roster#import"))
}

/// The roster page.
pub async fn view(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let text = if let Some(n) = notice.imported {
        // Only the encodings we name ourselves are echoed back.
        let from = notice
            .from
            .filter(|f| ["UTF-8", "Shift_JIS", "UTF-16"].contains(&f.as_str()))
            .unwrap_or_default();
        let mut text = crate::i18n::format(lang.lang, "roster.imported", &[n.to_string(), from]);
        if let Some(seated) = notice.seated.filter(|s| *s > 0 && *s <= n) {
            // Japanese runs sentences together after 。; English needs a space.
            text = format!(
                "{text}{}{}",
                lang.lang.pick("", " "),
                crate::i18n::format(lang.lang, "roster.imported_seated", &[seated.to_string()])
            );
        }
        Some(text)
    } else {
        notice.added.map(|seq| match notice.table {
            Some(t) => crate::i18n::format(
                lang.lang,
                "roster.added_seated",
                &[seq.to_string(), t.to_string()],
            ),
            None => crate::i18n::format(lang.lang, "roster.added", &[seq.to_string()]),
        })
    };
    let warning = notice.ignored.map(|names| {
        let names: Vec<String> = names
            .split('\t')
            .take(IGNORED_SHOWN + 1)
            .map(|n| {
                format!(
                    "「{}」",
                    n.chars().take(IGNORED_NAME_MAX).collect::<String>()
                )
            })
            .collect();
        crate::i18n::format(
            lang.lang,
            "roster.ignored_columns",
            &[names.join(lang.lang.list_separator())],
        )
    });
    let notices = Notices { text, warning };
    roster_page(&state, lang, session, &[], notices, &AddForm::default()).await
}

/// The CSV template: the headers and two example rows, UTF-8 with BOM for Excel.
pub async fn template(_: Organizer) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"roster-template.csv\"",
            ),
        ],
        crate::roster::template_csv(),
    )
        .into_response()
}

/// Imports a CSV file (multipart: `file`, optional `replace`); all or nothing.
pub async fn import(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let upload = super::upload::read(multipart, "roster").await?;
    let replace = upload.has("replace");
    let bytes = Some(upload.bytes).filter(|f| !f.is_empty());
    let Some(bytes) = bytes else {
        let problem = Problem::at_line(0, "roster.err_no_file", &[]);
        return roster_page(
            &state,
            lang,
            session,
            &[problem],
            Notices::default(),
            &AddForm::default(),
        )
        .await;
    };
    let library = library_of(&state, &session).await?;
    let parsed = match parse_csv(&bytes, &library.professions) {
        Ok(parsed) => parsed,
        Err(problems) => {
            return roster_page(
                &state,
                lang,
                session,
                &problems,
                Notices::default(),
                &AddForm::default(),
            )
            .await;
        }
    };
    let session_id = session.id.clone();
    let entries = parsed.entries;
    let seated = entries.iter().filter(|e| e.table.is_some()).count();
    let outcome = state
        .db
        .write(move |conn| {
            // Checked here, against the roster as it is in this write; db only stores.
            let (tables, per_table) = db::seats(conn, &session_id)?;
            let existing = if replace {
                Vec::new()
            } else {
                db::participants(conn, &session_id)?
            };
            let problems = plan::check_against(&existing, &entries, tables, per_table);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            db::import(conn, &session_id, &entries, replace).map(Ok)
        })
        .await?;
    match outcome {
        Ok(n) => {
            let mut to = format!(
                "/s/{}/roster?imported={n}&from={}&seated={seated}",
                session.id, parsed.encoding
            );
            if !parsed.ignored_columns.is_empty() {
                to = format!("{to}&{}", ignored_query(&parsed.ignored_columns));
            }
            Ok(see_other(&to))
        }
        Err(problems) => {
            roster_page(
                &state,
                lang,
                session,
                &problems,
                Notices::default(),
                &AddForm::default(),
            )
            .await
        }
    }
}

/// Checks the add form as a roster file's row is checked; the problems have no line.
fn entry_from_form(form: &AddForm, professions: &Professions) -> Result<Entry, Vec<Problem>> {
    let cells = Cells {
        name: form.name.clone(),
        profession: form.profession.clone(),
        organization: form.organization.clone(),
        area: form.area.clone(),
        side: form.side.clone(),
        table: String::new(),
    }
    .cleaned();
    entry_of(0, &cells, professions)
}

/// Adds one person; on the day (once seated) the person gets a seat at once.
pub async fn add(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let library = library_of(&state, &session).await?;
    let entry = match entry_from_form(&form, &library.professions) {
        Ok(entry) => entry,
        Err(problems) => {
            return roster_page(&state, lang, session, &problems, Notices::default(), &form).await;
        }
    };
    let session_id = session.id.clone();
    let outcome = state
        .db
        .write(move |conn| {
            // Seating is planned here, before the store call, from the roster as it is
            // in this write; db stores the placement it is given.
            let (tables, per_table) = db::seats(conn, &session_id)?;
            let existing = db::participants(conn, &session_id)?;
            let problems =
                plan::check_against(&existing, std::slice::from_ref(&entry), tables, per_table);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            let placement =
                plan::newcomer(&existing, tables, per_table, &entry, &library.professions);
            db::add(conn, &session_id, &entry, placement).map(Ok)
        })
        .await?;
    match outcome {
        Ok((seq, Some(table))) => Ok(see_other(&format!(
            "/s/{}/roster?added={seq}&table={table}",
            session.id
        ))),
        Ok((seq, None)) => Ok(see_other(&format!("/s/{}/roster?added={seq}", session.id))),
        Err(problems) => {
            roster_page(&state, lang, session, &problems, Notices::default(), &form).await
        }
    }
}

/// Removes one person from the roster.
pub async fn remove(
    _: Organizer,
    State(state): State<AppState>,
    Path((id, person)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let session_id = session.id.clone();
    let removed = state
        .db
        .write(move |conn| db::remove(conn, &session_id, person))
        .await?;
    if !removed {
        return Err(AppError::not_found("err.participant"));
    }
    Ok(see_other(&format!("/s/{}/roster", session.id)))
}

/// The seats form.
#[derive(Debug, Deserialize)]
pub struct SeatsForm {
    #[serde(default)]
    seats: String,
}

/// Sets the seats per table (the roster may not outgrow tables × seats).
pub async fn set_seats(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<SeatsForm>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let seats = super::number_in(&form.seats, 1..=MAX_SEATS).ok_or_else(|| {
        AppError::user(
            StatusCode::UNPROCESSABLE_ENTITY,
            "err.seats",
            vec![MAX_SEATS.to_string()],
        )
    })?;
    let session_id = session.id.clone();
    let count = state
        .db
        .read(move |conn| db::participants(conn, &session_id))
        .await?
        .len();
    if (seats * session.table_count) < count as i64 {
        return Err(AppError::user(
            StatusCode::UNPROCESSABLE_ENTITY,
            "err.seats_too_few",
            vec![count.to_string(), (seats * session.table_count).to_string()],
        ));
    }
    let session_id = session.id.clone();
    state
        .db
        .write(move |conn| db::set_seats(conn, &session_id, seats))
        .await?;
    Ok(see_other(&format!("/s/{}/roster", session.id)))
}

/// One table of the plan, for the pages.
#[derive(Debug, Serialize)]
struct PlanTable {
    number: i64,
    people: Vec<ParticipantRow>,
}

/// The plan grouped by table, the people without a seat, and how well it spreads.
fn plan(
    session: &SessionRow,
    people: Vec<ParticipantRow>,
    professions: &Professions,
) -> (Vec<PlanTable>, Vec<ParticipantRow>, seating::Spread) {
    let tables = usize::try_from(session.table_count).unwrap_or(0);
    let seated: Vec<&ParticipantRow> = people
        .iter()
        .filter(|p| {
            p.table_number
                .is_some_and(|t| t >= 1 && t <= session.table_count)
        })
        .collect();
    let spread = seating::spread(
        &seated
            .iter()
            .map(|p| plan::person(p, false, professions))
            .collect::<Vec<_>>(),
        &seated
            .iter()
            .map(|p| p.table_number.map_or(0, |t| (t - 1) as usize))
            .collect::<Vec<_>>(),
        tables,
    );
    let mut by_table: Vec<PlanTable> = (1..=session.table_count)
        .map(|number| PlanTable {
            number,
            people: Vec::new(),
        })
        .collect();
    let mut unseated = Vec::new();
    for p in people {
        match p
            .table_number
            .and_then(|t| usize::try_from(t - 1).ok())
            .and_then(|i| by_table.get_mut(i))
        {
            Some(table) => table.people.push(p),
            None => unseated.push(p),
        }
    }
    (by_table, unseated, spread)
}

/// The seating plan page.
pub async fn seating_view(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let people = people(&state, &session.id).await?;
    let total = people.len();
    let library = library_of(&state, &session).await?;
    let (tables, unseated, spread) = plan(&session, people, &library.professions);
    state.page(
        lang,
        "seating.html",
        context! { session => to_value(&session), tables => to_value(&tables), unseated => to_value(&unseated), spread => to_value(&spread), total, roles => crate::render::roles(&library) },
    )
}

/// The printable seating list: by table, then an index of who sits where.
pub async fn print(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let people = people(&state, &session.id).await?;
    let index = people.clone();
    let library = library_of(&state, &session).await?;
    let (tables, unseated, _) = plan(&session, people, &library.professions);
    state.page(
        lang,
        "seating_print.html",
        context! { session => to_value(&session), tables => to_value(&tables), unseated => to_value(&unseated), index => to_value(&index), roles => crate::render::roles(&library) },
    )
}

/// The assign form.
#[derive(Debug, Deserialize)]
pub struct AssignForm {
    /// Present when people moved by hand keep their seats.
    #[serde(default)]
    keep: Option<String>,
}

/// Seats everyone at balanced tables.
pub async fn assign(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let session_id = session.id.clone();
    let keep = form.keep.is_some();
    let library = library_of(&state, &session).await?;
    state
        .db
        .write(move |conn| {
            let (tables, _) = db::seats(conn, &session_id)?;
            let people = db::participants(conn, &session_id)?;
            let seats = plan::balanced(&people, tables, keep, &library.professions);
            db::store_plan(conn, &session_id, &seats, keep)
        })
        .await?;
    Ok(see_other(&format!("/s/{}/seating", session.id)))
}

/// The move form: a person's row id and the table to move them to.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    table: String,
}

/// Moves one person to another table; they keep it when the plan is made again.
pub async fn move_person(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let session = session_by_id(&state, &id).await?;
    let person = form
        .person
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::not_found("err.participant"))?;
    let table = super::number_in(&form.table, 1..=session.table_count).ok_or_else(|| {
        AppError::user(
            StatusCode::UNPROCESSABLE_ENTITY,
            "err.move_table",
            vec![session.table_count.to_string()],
        )
    })?;
    let session_id = session.id.clone();
    let moved = state
        .db
        .write(move |conn| db::move_to(conn, &session_id, person, table))
        .await?;
    if !moved {
        return Err(AppError::not_found("err.participant"));
    }
    Ok(see_other(&format!(
        "/s/{}/seating#table-{table}",
        session.id
    )))
}
