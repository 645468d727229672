//! The facilitator's wall: every table of a session as one compact tile (who sits
//! there, where it is, which prompts have text, its last save, a state in words), and
//! one table's full answers for the panel beside the wall.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{AppError, AppState, PageLang, session_for_key};
use crate::answer::ShownAnswer;
use crate::content::Prompt;
use crate::db::{TimerState, now_ms};
use crate::db::{
    conclusions, conclusions::ConclusionRow, conclusions::VisitRow, events, tables,
    tables::TableRow,
};
use crate::lang::Lang;
use crate::render::to_value;
use crate::session::{PromptReport, Run, StepReport, step_reports};
use crate::timer::Clock;

/// The facilitator's wall of table tiles, behind the `/f/{key}` link.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/f/{key}/tables/{n}", get(table_detail))
        .route("/f/{key}/tiles/{n}", get(tile))
}

/// A table whose last save is older than this (and that has prompts to answer) is idle.
pub const IDLE_MS: i64 = 5 * 60_000;

/// Professions shown on a tile before "+N".
const SHOWN_PROFESSIONS: usize = 4;

/// Every state a tile can be in, in the order the filter lists them.
pub const STATES: [&str; 6] = ["absent", "working", "idle", "behind", "locked", "done"];

/// One prompt of the current step on a tile: a tick when it has text.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    /// The prompt's key, as the staff `saved` event names it, so the wall's script can
    /// tell whether a save changes this tick.
    pub key: String,
    /// The question, for the tick's title.
    pub title: String,
    /// Whether the table's newest answer has any text.
    pub filled: bool,
    /// The stored answer no longer fits the prompt (the content changed since).
    pub stale: bool,
}

/// One table on the wall.
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    /// The table's number as the hall sees it on its sign (1-based), also its tile's id.
    pub number: i64,
    /// `absent`, `working`, `idle`, `behind`, `locked` or `done`.
    pub state: &'static str,
    /// Short profession labels, at most [`SHOWN_PROFESSIONS`].
    pub professions: Vec<String>,
    /// How many more professions sit there.
    pub more: usize,
    /// Every profession in full, for the tile's title.
    pub professions_full: String,
    /// The scene it stands at (case walks), else empty.
    pub scene: String,
    /// The branch option that led there.
    pub via: Option<String>,
    /// The current step's prompts (or those of the scenes on its path).
    pub ticks: Vec<Tick>,
    /// Newest save of the table in any step (ms).
    pub last_save: Option<i64>,
    /// Some stored answer no longer fits its prompt.
    pub stale: bool,
    /// The facilitator has put this table's answers on the projector (the tile is marked).
    pub spotlight: bool,
}

/// Whether a stored answer has text, and whether it still fits its prompt.
fn tick(key: &str, prompt: &Prompt, answer: Option<&ShownAnswer>) -> Tick {
    let (filled, stale) = match answer {
        None => (false, false),
        Some(shown) => match shown.answer() {
            // Whether there is text does not depend on the language of the labels.
            Some(a) if a.check(prompt).is_ok() => (
                !a.plain(prompt, crate::lang::Lang::Ja).trim().is_empty(),
                false,
            ),
            // Saved, but in a shape the prompt no longer has: it counts as text, flagged.
            _ => (true, true),
        },
    };
    Tick {
        key: key.to_string(),
        title: prompt.title.clone(),
        filled,
        stale,
    }
}

fn ticks_of(prompts: &[PromptReport<'_>], at: usize) -> Vec<Tick> {
    prompts
        .iter()
        .map(|pr| {
            tick(
                &pr.key,
                pr.prompt,
                pr.cells.get(at).and_then(|c| c.answer.as_ref()),
            )
        })
        .collect()
}

/// What the wall needs beyond the rows: the step's clock and who is behind by time.
pub struct WallInput<'r, 'a> {
    /// The session with its pinned content, for the steps and prompts the tiles show.
    pub run: &'a Run,
    /// The current step's report.
    pub report: Option<&'r StepReport<'a>>,
    /// Every table of the session, also those nobody has joined (they show as absent).
    pub tables: &'r [TableRow],
    /// The newest version of each table's answer to each prompt, for the ticks and last save.
    pub conclusions: &'r [ConclusionRow],
    /// Each table's moves through a branching case, for the scene it stands at and how it got there.
    pub visits: &'r [VisitRow],
    /// The current step's clock.
    pub clock: Option<&'r Clock>,
    /// Tables past half the step's time with nothing saved.
    pub late: &'r [i64],
    /// The time the wall is drawn for (ms since the epoch): idle and "N min ago" count from it.
    pub now: i64,
    /// The facilitator's UI language, for the short profession labels.
    pub lang: Lang,
}

/// Every table's tile.
pub fn tiles(input: &WallInput<'_, '_>) -> Vec<Tile> {
    let run = input.run;
    let locked = input.clock.is_some_and(|c| c.locked);
    let free = run.session.pace == crate::db::Pace::Free;
    // Where each table stands in a case walk (path length), for "behind the majority".
    let depth: Vec<usize> = input
        .report
        .map(|r| r.walks.iter().map(|w| w.scenes.len()).collect())
        .unwrap_or_default();
    let majority = {
        let mut sorted: Vec<usize> = input
            .tables
            .iter()
            .zip(&depth)
            .filter(|(t, _)| joined(t))
            .map(|(_, d)| *d)
            .collect();
        sorted.sort_unstable();
        sorted.get(sorted.len() / 2).copied().unwrap_or(0)
    };
    input
        .tables
        .iter()
        .enumerate()
        .map(|(at, table)| {
            let walk = input
                .report
                .and_then(|r| r.walks.iter().find(|w| w.table == table.number));
            let mut ticks = input
                .report
                .map(|r| ticks_of(&r.prompts, at))
                .unwrap_or_default();
            let (mut scene, mut via, mut walk_end) = (String::new(), None, true);
            if let Some(w) = walk.filter(|_| joined(table)) {
                for sr in &w.scenes {
                    ticks.extend(ticks_of(&sr.prompts, 0));
                }
                if let Some(last) = w.scenes.last() {
                    scene = last.scene.title.clone();
                    via = last.via.clone();
                    walk_end = last.scene.end
                        || (last.scene.branch.is_none() && last.scene.next.is_none());
                }
            }
            let last_save = input
                .conclusions
                .iter()
                .filter(|c| c.table_id == table.id)
                .map(|c| c.saved_at)
                .max();
            let stale = ticks.iter().any(|t| t.stale);
            let state = if !joined(table) {
                "absent"
            } else if locked {
                "locked"
            } else if !ticks.is_empty() && walk_end && ticks.iter().all(|t| t.filled) {
                "done"
            } else if input.late.contains(&table.number)
                || (free && walk.is_some() && depth.get(at).is_some_and(|d| *d < majority))
            {
                "behind"
            } else if !ticks.is_empty()
                && last_save.is_none_or(|at| input.now - at > IDLE_MS)
                // A table walking the case moves on without typing: that is not idle.
                && !input.visits.iter().any(|v| {
                    v.table_id == table.id
                        && v.step_index == run.session.current_step
                        && v.seq > 0
                })
            {
                "idle"
            } else {
                "working"
            };
            let full: Vec<String> = table
                .professions
                .iter()
                .map(|p| run.library.professions.label(p, input.lang))
                .collect();
            Tile {
                number: table.number,
                state,
                professions: table
                    .professions
                    .iter()
                    .take(SHOWN_PROFESSIONS)
                    .map(|p| run.library.professions.short(p, input.lang))
                    .collect(),
                more: table.professions.len().saturating_sub(SHOWN_PROFESSIONS),
                professions_full: full.join("、"),
                scene,
                via,
                ticks,
                last_save,
                stale,
                spotlight: run.session.spotlight.contains(&table.number),
            }
        })
        .collect()
}

fn joined(table: &TableRow) -> bool {
    table.joined_at.is_some() || !table.professions.is_empty()
}

/// How many tiles are in each state, in [`STATES`] order.
pub fn counts(tiles: &[Tile]) -> Vec<(&'static str, usize)> {
    STATES
        .iter()
        .map(|s| (*s, tiles.iter().filter(|t| t.state == *s).count()))
        .collect()
}

/// `?fragment=1`: the part alone, for the wall's script; without it a whole page.
#[derive(Debug, Default, Deserialize)]
pub struct PartQuery {
    fragment: Option<String>,
}

/// Everything the wall's pieces are drawn from, loaded once.
struct Loaded {
    tables: Vec<TableRow>,
    conclusions: Vec<ConclusionRow>,
    visits: Vec<VisitRow>,
    changes: Vec<(i64, i64, i64)>,
}

async fn load(state: &AppState, run: &Run) -> Result<Loaded, AppError> {
    let id = run.session.id.clone();
    Ok(state
        .db
        .read(move |conn| {
            Ok(Loaded {
                tables: tables::tables(conn, &id)?,
                conclusions: conclusions::latest_conclusions(conn, &id)?,
                visits: conclusions::visits(conn, &id)?,
                changes: events::step_changes(conn, &id)?,
            })
        })
        .await?)
}

/// The table number in a path, or 404 saying the range.
fn table_number(run: &Run, n: &str) -> Result<i64, AppError> {
    super::number_in(n, 1..=run.session.table_count).ok_or_else(|| {
        AppError::user(
            StatusCode::NOT_FOUND,
            "err.table_range",
            vec![run.session.table_count.to_string()],
        )
    })
}

/// One table's full answers in the current step: a fragment for the panel beside the
/// wall (`?fragment=1`), or a page of its own when the browser runs no script.
pub async fn table_detail(
    State(state): State<AppState>,
    lang: PageLang,
    Path((key, n)): Path<(String, String)>,
    Query(q): Query<PartQuery>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let number = table_number(&run, &n)?;
    let rows = load(&state, &run).await?;
    let Some(at) = rows.tables.iter().position(|t| t.number == number) else {
        return Err(AppError::not_found("err.page"));
    };
    let current = run.session.current_step.max(0) as usize;
    let own = std::slice::from_ref(&rows.tables[at]);
    let report = step_reports(&run, Some(current), own, &rows.conclusions, &rows.visits)
        .into_iter()
        .next();
    let tile = tile_of(&state, &run, &rows, number, &lang).await?;
    let template = if q.fragment.is_some() {
        "wall_detail.html"
    } else {
        "wall_detail_page.html"
    };
    state.page(
        lang,
        template,
        context! {
            session => to_value(&run.session),
            curriculum => to_value(&run.curriculum),
            table => to_value(&rows.tables[at]),
            tl => to_value(&tile),
            report => to_value(&report),
            current,
        },
    )
}

/// One tile, for the wall's script to swap in after a save.
pub async fn tile(
    State(state): State<AppState>,
    lang: PageLang,
    Path((key, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let run = session_for_key(&state, key).await?;
    let number = table_number(&run, &n)?;
    let rows = load(&state, &run).await?;
    let tile = tile_of(&state, &run, &rows, number, &lang)
        .await?
        .ok_or_else(|| AppError::not_found("err.page"))?;
    state.page(
        lang,
        "wall_tile.html",
        context! { session => to_value(&run.session), tl => to_value(&tile) },
    )
}

/// One table's tile. Its state depends on the others (behind the median, late), so
/// every table's tile is worked out and the one asked for is kept.
async fn tile_of(
    state: &AppState,
    run: &Run,
    rows: &Loaded,
    number: i64,
    lang: &PageLang,
) -> Result<Option<Tile>, AppError> {
    let current = run.session.current_step.max(0) as usize;
    let report = step_reports(
        run,
        Some(current),
        &rows.tables,
        &rows.conclusions,
        &rows.visits,
    )
    .into_iter()
    .next();
    let clock = state.clock(run).await?;
    let late = late_tables(
        run,
        &rows.tables,
        &rows.conclusions,
        &rows.visits,
        &rows.changes,
        clock.as_ref(),
    );
    Ok(tiles(&WallInput {
        run,
        report: report.as_ref(),
        tables: &rows.tables,
        conclusions: &rows.conclusions,
        visits: &rows.visits,
        clock: clock.as_ref(),
        late: &late,
        now: now_ms(),
        lang: lang.lang,
    })
    .into_iter()
    .find(|t| t.number == number))
}

/// When the session entered its current step (ms): the last step change, or its creation.
fn step_started_at(run: &Run, changes: &[(i64, i64, i64)]) -> i64 {
    changes
        .iter()
        .rev()
        .find(|(_, _, to)| *to == run.session.current_step)
        .map_or(run.session.created_at, |(at, _, _)| *at)
}

/// Tables that have saved or moved in the current step.
pub fn started_tables(
    run: &Run,
    tables: &[TableRow],
    conclusions: &[ConclusionRow],
    visits: &[VisitRow],
) -> Vec<i64> {
    let step = run.session.current_step;
    tables
        .iter()
        .filter(|t| {
            conclusions
                .iter()
                .any(|c| c.table_id == t.id && c.step_index == step)
                || visits
                    .iter()
                    .any(|v| v.table_id == t.id && v.step_index == step && v.seq > 0)
        })
        .map(|t| t.number)
        .collect()
}

/// Behind schedule: past half the step's planned time (or its timer) with nothing
/// from the table, in a step that asks something of tables.
pub fn late_tables(
    run: &Run,
    tables: &[TableRow],
    conclusions: &[ConclusionRow],
    visits: &[VisitRow],
    changes: &[(i64, i64, i64)],
    clock: Option<&Clock>,
) -> Vec<i64> {
    let step = run.current_step();
    let half_gone = match (clock, step.minutes) {
        (Some(c), _) if c.state != TimerState::Ready => c.remaining_ms * 2 < c.duration_ms,
        (_, Some(minutes)) => {
            (now_ms() - step_started_at(run, changes)) * 2 > i64::from(minutes) * 60_000
        }
        _ => false,
    };
    let asks = !step.table_prompts().is_empty() || run.walk_case(step).is_some();
    if !half_gone || !asks || run.session.is_closed() {
        return Vec::new();
    }
    let started = started_tables(run, tables, conclusions, visits);
    tables
        .iter()
        .filter(|t| !started.contains(&t.number))
        .map(|t| t.number)
        .collect()
}
