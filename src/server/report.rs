//! Reports for the organizer: one session's report (`/s/{id}/report`) and the working
//! group's report across sessions (`/reports`), each as a page, CSV and JSON.
//!
//! The handlers read rows and call the pure builders of [`crate::report`]; charts are
//! drawn here for pages only (the downloads carry the numbers).

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use serde::Deserialize;

use super::auth::Organizer;
mod themes;
use super::{AppError, AppState, PageLang, attachment, session_by_id};
use crate::db::{conclusions, roster, sessions, survey, tables};
use crate::i18n;
use crate::lang::Lang;
use crate::pdf::{Orientation, Paper};
use crate::render::to_value;
use crate::report::chart::{self, Series};
use crate::report::cross::{self, CrossReport, Filter, SessionInput};
use crate::report::groups::{self, GroupReport};
use crate::report::session::{self, Rows, SessionReport};
use crate::report::survey::{QuestionResult, Tally};
use crate::session::Run;
use crate::survey::MIN_RESPONSES;

/// The organizer's reports: one session's, and the working group's across sessions.
/// Each handler takes the [`Organizer`] proof.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/s/{id}/report", get(session_page))
        .route("/s/{id}/report.csv", get(session_csv))
        .route("/s/{id}/report.json", get(session_json))
        .route("/s/{id}/groups", get(groups_page))
        .route("/s/{id}/groups.csv", get(groups_csv))
        .route("/s/{id}/groups.json", get(groups_json))
        .route("/s/{id}/groups.pdf", get(groups_pdf))
        .route("/reports", get(cross_page))
        .route("/reports.csv", get(cross_csv))
        .route("/reports.json", get(cross_json))
        .route("/reports/move", axum::routing::post(themes::move_item))
}

/// A session's report with the rows the group report needs besides.
struct Built {
    run: Run,
    report: SessionReport,
    tables: Vec<tables::TableRow>,
    people: Vec<roster::ParticipantRow>,
}

/// Reads a session's rows and builds its report.
async fn session_report(
    state: &AppState,
    id: &str,
    lang: Lang,
) -> Result<(Run, SessionReport), AppError> {
    let built = build_report(state, id, lang).await?;
    Ok((built.run, built.report))
}

/// Reads a session's rows and builds its report, keeping the tables and the roster.
async fn build_report(state: &AppState, id: &str, lang: Lang) -> Result<Built, AppError> {
    let run = state
        .session_with_content(session_by_id(state, id).await?)
        .await?;
    let sid = id.to_string();
    let (tables, conclusions, visits, people, responses) = state
        .db
        .read(move |conn| {
            Ok((
                tables::tables(conn, &sid)?,
                conclusions::latest_conclusions(conn, &sid)?,
                conclusions::visits(conn, &sid)?,
                roster::participants(conn, &sid)?,
                survey::responses(conn, &sid)?,
            ))
        })
        .await?;
    let rows = Rows {
        tables: &tables,
        conclusions: &conclusions,
        visits: &visits,
        people: &people,
        responses: &responses,
    };
    let report = session::build(&run, &rows, lang);
    Ok(Built {
        run,
        report,
        tables,
        people,
    })
}

/// Reads a session's rows and builds its group report in `lang`.
async fn group_report(
    state: &AppState,
    id: &str,
    lang: Lang,
) -> Result<(Run, GroupReport), AppError> {
    let built = build_report(state, id, lang).await?;
    let groups = groups::build(
        &built.report,
        &built.tables,
        &built.people,
        &built.run.curriculum.report_members,
        &built.run.library.professions,
        lang,
    );
    Ok((built.run, groups))
}

/// The file name of a group report's downloads.
fn groups_file(report: &GroupReport, ext: &str) -> String {
    let id: String = report
        .session
        .id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let date: String = report
        .session
        .held_on
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    format!("groups-{date}-{id}.{ext}")
}

/// GET /s/{id}/groups: the group report in the council's layout.
pub async fn groups_page(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (run, report) = group_report(&state, &id, lang.lang).await?;
    let fields: Vec<String> = report
        .fields
        .iter()
        .map(|f| tr(lang.lang, &format!("groups.field.{}", f.id()), &[]))
        .collect();
    let fields = fields.join(lang.lang.list_separator());
    state.page(
        lang,
        "groups.html",
        context! {
            fields,
            r => to_value(&report),
            session => to_value(&run.session),
            made => crate::db::now_ms(),
        },
    )
}

/// GET /s/{id}/groups.csv.
pub async fn groups_csv(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, report) = group_report(&state, &id, lang.lang).await?;
    Ok(attachment(
        groups::csv(&report, lang.lang),
        "text/csv; charset=utf-8",
        &groups_file(&report, "csv"),
    ))
}

/// GET /s/{id}/groups.json.
pub async fn groups_json(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, report) = group_report(&state, &id, lang.lang).await?;
    json(&report, &groups_file(&report, "json"))
}

/// `?orientation=landscape` (portrait when absent) and `?paper=b5` (A4 when absent).
#[derive(Debug, Default, Deserialize)]
pub struct SheetQuery {
    #[serde(default)]
    orientation: Option<String>,
    #[serde(default)]
    paper: Option<String>,
}

/// GET /s/{id}/groups.pdf: the group report on A4 (or B5), portrait or landscape, in
/// the content's language like the session record.
pub async fn groups_pdf(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SheetQuery>,
) -> Result<Response, AppError> {
    let orientation = match q.orientation.as_deref() {
        None | Some("") => Orientation::Portrait,
        Some(o) => Orientation::parse(o).ok_or_else(|| AppError::bad("err.form"))?,
    };
    let paper = match q.paper.as_deref() {
        None | Some("") => Paper::A4,
        Some(p) => Paper::parse(p).ok_or_else(|| AppError::bad("err.form"))?,
    };
    let session = session_by_id(&state, &id).await?;
    let lang = state
        .session_with_content(session)
        .await?
        .curriculum
        .language;
    let (_, report) = group_report(&state, &id, lang).await?;
    let name = groups_file(&report, "pdf");
    let title = report.session.title.clone();
    let made = crate::db::now_ms();
    let landscape = orientation == Orientation::Landscape;
    super::export::send_turned(
        move || {
            Ok(crate::workbook::group_report(
                &report, lang, landscape, made,
            ))
        },
        paper,
        orientation,
        name,
        title,
    )
    .await
}

fn json(value: &impl serde::Serialize, name: &str) -> Result<Response, AppError> {
    let mut body = serde_json::to_vec_pretty(value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("report JSON: {e}")))?;
    body.push(b'\n');
    Ok(attachment(body, "application/json; charset=utf-8", name))
}

/// The file name of a session's downloads: date and the start of the id.
fn session_file(report: &SessionReport, ext: &str) -> String {
    let id: String = report
        .session
        .id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let date: String = report
        .session
        .held_on
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    format!("report-{date}-{id}.{ext}")
}

fn tr(lang: Lang, key: &str, args: &[String]) -> String {
    i18n::format(lang, key, args)
}

/// The chart of one survey question (none for comments), and of its change.
fn question_charts(q: &QuestionResult, lang: Lang, charts: &mut BTreeMap<String, String>) {
    let people = tr(lang, "report.chart.people", &[]);
    if q.answered == 0 {
        // A skipped question: the page says nobody answered, an empty chart says nothing.
        return;
    }
    match &q.result {
        Tally::Scale {
            points,
            mean,
            labels,
            min,
            ..
        } => {
            let points: Vec<(i64, String, usize)> = points
                .iter()
                .map(|p| {
                    let label = labels
                        .iter()
                        .find(|(v, _)| *v == p.value)
                        .map(|(_, l)| l.clone())
                        .unwrap_or_default();
                    (p.value, label, p.count)
                })
                .collect();
            let mean = mean.map(|m| (m, tr(lang, "report.mean", &[format!("{m:.1}")])));
            charts.insert(
                format!("q:{}", q.key),
                chart::scale(&q.title, &points, mean, *min, &people),
            );
        }
        Tally::Choice { options, .. } => {
            let categories: Vec<String> = options.iter().map(|o| o.label.clone()).collect();
            let series = [Series {
                name: String::new(),
                color: chart::ACCENT,
                values: options.iter().map(|o| o.count as f64).collect(),
                texts: options
                    .iter()
                    .map(|o| people_share(o.count, q.answered, lang))
                    .collect(),
            }];
            charts.insert(
                format!("q:{}", q.key),
                chart::horizontal_bars(&q.title, &categories, &series, None),
            );
        }
        Tally::Text { .. } => {}
    }
    let Some(change) = &q.before else {
        return;
    };
    let Some(before) = &change.result else {
        return;
    };
    let title = tr(lang, "report.change_title", std::slice::from_ref(&q.title));
    let name = |key: &str, n: usize| tr(lang, key, &[n.to_string()]);
    let share = |count: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            count as f64 * 100.0 / of as f64
        }
    };
    let pct = |x: f64| format!("{x:.0}%");
    match (before, &q.result) {
        (
            Tally::Scale {
                points: b,
                mean: bm,
                min,
                labels,
                ..
            },
            Tally::Scale {
                points: a,
                mean: am,
                ..
            },
        ) => {
            let categories: Vec<(String, String)> = b
                .iter()
                .map(|p| {
                    let label = labels
                        .iter()
                        .find(|(v, _)| *v == p.value)
                        .map(|(_, l)| l.clone())
                        .unwrap_or_default();
                    (p.value.to_string(), label)
                })
                .collect();
            let serie = |key: &str, color, points: &[crate::report::survey::PointCount], n| {
                let values: Vec<f64> = points.iter().map(|p| share(p.count, n)).collect();
                Series {
                    name: name(key, n),
                    color,
                    texts: values.iter().map(|v| pct(*v)).collect(),
                    values,
                }
            };
            let series = [
                serie("report.chart.before", chart::BEFORE, b, change.answered),
                serie("report.chart.after", chart::ACCENT, a, q.answered),
            ];
            let mut markers = Vec::new();
            for (mean, key, color) in [
                (bm, "report.chart.before_mean", chart::BEFORE_MEAN),
                (am, "report.chart.after_mean", chart::ACCENT),
            ] {
                if let Some(m) = mean {
                    markers.push(chart::Marker {
                        at: m - *min as f64 + 0.5,
                        text: tr(lang, key, &[format!("{m:.1}")]),
                        color,
                    });
                }
            }
            charts.insert(
                format!("change:{}", q.key),
                chart::vertical_bars(
                    &title,
                    &categories,
                    &series,
                    &markers,
                    &tr(lang, "report.chart.percent", &[]),
                ),
            );
        }
        (Tally::Choice { options: b, .. }, Tally::Choice { options: a, .. }) => {
            let categories: Vec<String> = a.iter().map(|o| o.label.clone()).collect();
            let serie = |key: &str, color, options: &[crate::report::survey::OptionCount], n| {
                let values: Vec<f64> = options.iter().map(|o| share(o.count, n)).collect();
                Series {
                    name: name(key, n),
                    color,
                    texts: values.iter().map(|v| pct(*v)).collect(),
                    values,
                }
            };
            let series = [
                serie("report.chart.before", chart::BEFORE, b, change.answered),
                serie("report.chart.after", chart::ACCENT, a, q.answered),
            ];
            charts.insert(
                format!("change:{}", q.key),
                chart::horizontal_bars(&title, &categories, &series, Some(100.0)),
            );
        }
        _ => {}
    }
}

/// "12人（40%）".
fn people_share(count: usize, of: usize, lang: Lang) -> String {
    let share = if of == 0 {
        0.0
    } else {
        count as f64 * 100.0 / of as f64
    };
    tr(
        lang,
        "report.chart.count_share",
        &[count.to_string(), format!("{share:.0}")],
    )
}

/// Charts as template values: the SVG is ours (plotters escapes every text), so it is
/// passed as safe markup; nothing typed is ever marked safe on its own.
fn chart_values(charts: BTreeMap<String, String>) -> Value {
    Value::from(
        charts
            .into_iter()
            .filter(|(_, svg)| !svg.is_empty())
            .map(|(k, svg)| (k, Value::from_safe_string(svg)))
            .collect::<BTreeMap<String, Value>>(),
    )
}

/// GET /s/{id}/report: the session's report page.
pub async fn session_page(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (run, report) = session_report(&state, &id, lang.lang).await?;
    let unprintable = super::export::unprintable_lines(&state, &run, None, lang.lang).await?;
    let mut charts = BTreeMap::new();
    for step in &report.surveys {
        for q in &step.questions {
            question_charts(q, lang.lang, &mut charts);
        }
    }
    // The prompts of the conclusions shown, for `answer_view`.
    let prompts: BTreeMap<&str, &crate::content::Prompt> = report
        .tables
        .iter()
        .flat_map(|t| t.conclusions.iter())
        .filter_map(|c| run.prompt(&c.key).map(|(p, _)| (c.key.as_str(), p)))
        .collect();
    state.page(
        lang,
        "report.html",
        context! {
            r => to_value(&report),
            session => to_value(&run.session),
            prompts => to_value(&prompts),
            charts => chart_values(charts),
            min => MIN_RESPONSES,
            made => crate::db::now_ms(),
            unprintable,
        },
    )
}

/// GET /s/{id}/report.csv.
pub async fn session_csv(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, report) = session_report(&state, &id, lang.lang).await?;
    let body = crate::report::csv::session(&report, lang.lang);
    Ok(attachment(
        body,
        "text/csv; charset=utf-8",
        &session_file(&report, "csv"),
    ))
}

/// GET /s/{id}/report.json.
pub async fn session_json(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, report) = session_report(&state, &id, lang.lang).await?;
    json(&report, &session_file(&report, "json"))
}

/// The filter form of `/reports`, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct CrossQuery {
    #[serde(default)]
    pub(super) curriculum: String,
    #[serde(default)]
    pub(super) from: String,
    #[serde(default)]
    pub(super) to: String,
}

/// A curriculum offered in the filter.
#[derive(Debug, serde::Serialize)]
pub(super) struct Choice {
    id: String,
    title: String,
}

/// What `/reports` works from: the curricula on offer and either the report or the
/// problems with the filter.
pub(super) struct Cross {
    curricula: Vec<Choice>,
    pub(super) result: Result<CrossReport, Vec<cross::FilterError>>,
}

/// The title of a curriculum on offer.
fn title_of<'c>(curricula: &'c [Choice], id: Option<&str>) -> Option<&'c str> {
    let id = id?;
    curricula
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.title.as_str())
}

pub(super) async fn cross_report(
    state: &AppState,
    q: &CrossQuery,
    lang: Lang,
) -> Result<Cross, AppError> {
    let all = state.db.read(sessions::sessions).await?;
    // Every curriculum that has sessions, and those on offer now.
    let mut curricula: Vec<Choice> = Vec::new();
    let mut ids: Vec<String> = all.iter().map(|s| s.curriculum_id.clone()).collect();
    ids.extend(state.library().curricula.keys().cloned());
    ids.sort();
    ids.dedup();
    for id in ids {
        let title = state
            .library()
            .curricula
            .get(&id)
            .map_or_else(|| id.clone(), |c| c.title.clone());
        curricula.push(Choice { id, title });
    }
    curricula.sort_by(|a, b| a.title.cmp(&b.title));
    let known: Vec<String> = curricula.iter().map(|c| c.id.clone()).collect();
    let filter = match Filter::parse(&q.curriculum, &q.from, &q.to, &known) {
        Ok(filter) => filter,
        Err(errors) => {
            return Ok(Cross {
                curricula,
                result: Err(errors),
            });
        }
    };
    let (selected, rehearsals) = filter.select(&all);
    let ids: Vec<String> = selected.iter().map(|s| s.id.clone()).collect();
    let rows = state
        .db
        .read(move |conn| {
            ids.iter()
                .map(|id| {
                    Ok((
                        tables::tables(conn, id)?,
                        conclusions::latest_conclusions(conn, id)?,
                        roster::participants(conn, id)?,
                        survey::responses(conn, id)?,
                        crate::db::themes::session_moves(conn, id)?,
                    ))
                })
                .collect::<Result<Vec<_>, crate::db::DbError>>()
        })
        .await?;
    let mut inputs = Vec::with_capacity(selected.len());
    let mut moves = Vec::new();
    for (session, (tables, conclusions, people, responses, moved)) in selected.into_iter().zip(rows)
    {
        moves.extend(moved);
        let run = state.session_with_content(session).await?;
        inputs.push(SessionInput {
            session: run.session,
            curriculum: run.curriculum,
            professions: run.library.professions.clone(),
            tables,
            conclusions,
            people,
            responses,
        });
    }
    Ok(Cross {
        curricula,
        result: Ok({
            let mut report =
                cross::build(filter, rehearsals, &inputs, lang, &cross::moves_map(&moves));
            report.stale_moves = cross::stale_moves(&report, &moves, lang);
            report
        }),
    })
}

/// Charts of the cross-session page: participants by profession over time and each
/// scale question's means.
fn cross_charts(report: &CrossReport, lang: Lang) -> BTreeMap<String, String> {
    let mut charts = BTreeMap::new();
    if report.sessions.is_empty() {
        return charts;
    }
    let dates: Vec<Vec<String>> = report
        .sessions
        .iter()
        .map(|s| chart::date_label(&s.held_on))
        .collect();
    // The eight largest professions keep their colour; the rest are stacked as one.
    let mut order: Vec<&crate::report::cross::ProfessionLine> = report.professions.iter().collect();
    order.sort_by_key(|p| std::cmp::Reverse(p.total));
    let shown = chart::PALETTE.len() - 1;
    let mut series: Vec<Series> = Vec::new();
    let mut rest = vec![0.0; report.sessions.len()];
    for (i, p) in order.iter().enumerate() {
        if i < shown || order.len() == shown + 1 {
            series.push(Series {
                name: p.label.clone(),
                color: chart::PALETTE[i.min(shown)],
                values: p.counts.iter().map(|c| *c as f64).collect(),
                texts: Vec::new(),
            });
        } else {
            for (r, c) in rest.iter_mut().zip(&p.counts) {
                *r += *c as f64;
            }
        }
    }
    if order.len() > shown + 1 {
        series.push(Series {
            name: tr(lang, "reports.other_professions", &[]),
            color: chart::PALETTE[shown],
            values: rest,
            texts: Vec::new(),
        });
    }
    if !series.is_empty() {
        charts.insert(
            "professions".to_string(),
            chart::stacked(
                &tr(lang, "reports.professions", &[]),
                &dates,
                &series,
                &tr(lang, "report.chart.people", &[]),
            ),
        );
    }
    for trend in &report.survey_trends {
        let hidden = tr(lang, "reports.hidden_short", &[MIN_RESPONSES.to_string()]);
        let labels: Vec<Vec<String>> = trend
            .points
            .iter()
            .map(|p| {
                let mut label = chart::date_label(&p.held_on);
                if p.mean.is_none() {
                    label.push(hidden.clone());
                }
                label
            })
            .collect();
        let values: Vec<Option<f64>> = trend.points.iter().map(|p| p.mean).collect();
        charts.insert(
            format!("trend:{}", trend.key),
            chart::trend(
                &trend.title,
                &labels,
                &values,
                (trend.min as f64, trend.max as f64),
            ),
        );
    }
    charts
}

/// GET /reports: the working group's report, with its filter form.
pub async fn cross_page(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Query(q): Query<CrossQuery>,
) -> Result<Response, AppError> {
    let cross = cross_report(&state, &q, lang.lang).await?;
    let form =
        context! { curriculum => q.curriculum.trim(), from => q.from.trim(), to => q.to.trim() };
    let (report, errors, charts, query, title) = match &cross.result {
        Ok(report) => (
            Some(report),
            Vec::new(),
            cross_charts(report, lang.lang),
            report.filter.query(),
            title_of(&cross.curricula, report.filter.curriculum.as_deref()),
        ),
        Err(errors) => (
            None,
            errors
                .iter()
                .map(|e| tr(lang.lang, e.key, &e.args))
                .collect(),
            BTreeMap::new(),
            String::new(),
            None,
        ),
    };
    let bad = report.is_none();
    let themes = report
        .map(|r| r.theme_choices(lang.lang))
        .unwrap_or_default();
    let mut page = state.page(
        lang,
        "reports.html",
        context! {
            report => to_value(&report),
            curricula => to_value(&cross.curricula),
            curriculum_title => title,
            form,
            errors => to_value(&errors),
            charts => chart_values(charts),
            query,
            theme_choices => to_value(&themes),
            min => MIN_RESPONSES,
            made => crate::db::now_ms(),
        },
    )?;
    if bad {
        *page.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(page)
}

/// The report for a download (with the curricula on offer), or the first problem with
/// the filter as an error page.
pub(super) async fn cross_download(
    state: &AppState,
    q: &CrossQuery,
    lang: Lang,
) -> Result<(Vec<Choice>, CrossReport), AppError> {
    let Cross { curricula, result } = cross_report(state, q, lang).await?;
    match result {
        Ok(report) => Ok((curricula, report)),
        Err(errors) => {
            let (key, args) = errors
                .into_iter()
                .next()
                .map_or_else(|| ("err.form", Vec::new()), |e| (e.key, e.args));
            Err(AppError::user(StatusCode::BAD_REQUEST, key, args))
        }
    }
}

fn cross_file(report: &CrossReport, ext: &str) -> String {
    let part = |d: &Option<String>| d.clone().unwrap_or_else(|| "all".to_string());
    format!(
        "reports-{}-{}.{ext}",
        part(&report.filter.from),
        part(&report.filter.to)
    )
}

/// GET /reports.csv.
pub async fn cross_csv(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Query(q): Query<CrossQuery>,
) -> Result<Response, AppError> {
    let (curricula, report) = cross_download(&state, &q, lang.lang).await?;
    let title = title_of(&curricula, report.filter.curriculum.as_deref());
    let body = crate::report::csv::cross(&report, lang.lang, title);
    Ok(attachment(
        body,
        "text/csv; charset=utf-8",
        &cross_file(&report, "csv"),
    ))
}

/// GET /reports.json.
pub async fn cross_json(
    _: Organizer,
    State(state): State<AppState>,
    lang: PageLang,
    Query(q): Query<CrossQuery>,
) -> Result<Response, AppError> {
    let (_, report) = cross_download(&state, &q, lang.lang).await?;
    json(&report, &cross_file(&report, "json"))
}
