//! Step timers: the server owns the clock, so every screen shows the same remaining
//! time whatever its own clock says. When time is up the step's answers lock until
//! the facilitator reopens them.

use serde::Serialize;

use crate::db::TimerState;
use crate::db::timers::TimerRow;

/// What the facilitator does to a timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Start, or resume after a pause.
    Start,
    /// Stop the clock, keeping the time left.
    Pause,
    /// Add minutes (also reopens a step whose time was up).
    Add(i64),
    /// End now and lock the answers.
    End,
    /// Unlock the answers; the clock stays stopped.
    Reopen,
}

impl Action {
    /// Parses the form value (`start`, `pause`, `add`, `end`, `reopen`).
    pub fn parse(action: &str, minutes: Option<i64>) -> Option<Self> {
        Some(match action {
            "start" => Action::Start,
            "pause" => Action::Pause,
            "add" => Action::Add(minutes.filter(|m| (1..=60).contains(m))?),
            "end" => Action::End,
            "reopen" => Action::Reopen,
            _ => return None,
        })
    }

    /// The name stored in the event log.
    pub fn name(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Pause => "pause",
            Action::Add(_) => "add",
            Action::End => "end",
            Action::Reopen => "reopen",
        }
    }
}

/// A fresh timer for a step with a time box of `minutes`.
pub fn ready(step_index: i64, minutes: u32, now: i64) -> TimerRow {
    TimerRow {
        step_index,
        duration_ms: i64::from(minutes) * 60_000,
        elapsed_ms: 0,
        started_at: None,
        state: TimerState::Ready,
        locked: false,
        updated_at: now,
    }
}

/// Milliseconds left at `now` (negative once overdue while still marked running).
pub fn remaining(timer: &TimerRow, now: i64) -> i64 {
    let running = timer.started_at.map_or(0, |s| (now - s).max(0));
    timer.duration_ms - timer.elapsed_ms - running
}

/// The timer as it stands at `now`: a running clock that has reached zero has ended
/// and locked, even before anyone stored that.
pub fn effective(timer: &TimerRow, now: i64) -> TimerRow {
    if timer.state == TimerState::Running && remaining(timer, now) <= 0 {
        return TimerRow {
            elapsed_ms: timer.duration_ms,
            started_at: None,
            state: TimerState::Ended,
            locked: true,
            updated_at: timer.started_at.unwrap_or(now) + (timer.duration_ms - timer.elapsed_ms),
            ..timer.clone()
        };
    }
    timer.clone()
}

/// Applies a facilitator's action at `now`.
pub fn apply(timer: &TimerRow, action: Action, now: i64) -> TimerRow {
    let current = effective(timer, now);
    let mut next = current.clone();
    next.updated_at = now;
    match action {
        Action::Start if current.state != TimerState::Running && remaining(&current, now) > 0 => {
            next.state = TimerState::Running;
            next.started_at = Some(now);
            next.locked = false;
        }
        Action::Pause if current.state == TimerState::Running => {
            next.elapsed_ms = current.duration_ms - remaining(&current, now);
            next.started_at = None;
            next.state = TimerState::Paused;
        }
        Action::Add(minutes) => {
            next.duration_ms += minutes * 60_000;
            if current.state == TimerState::Ended {
                // More time after the end: the table can write again, the clock waits for start.
                next.state = TimerState::Paused;
                next.locked = false;
            }
        }
        Action::End => {
            next.elapsed_ms = current.duration_ms.max(current.elapsed_ms);
            next.started_at = None;
            next.state = TimerState::Ended;
            next.locked = true;
        }
        Action::Reopen => {
            next.locked = false;
        }
        _ => {}
    }
    next
}

/// What screens need to draw the clock; `remaining_ms` is measured at `server_now`.
#[derive(Debug, Clone, Serialize)]
pub struct Clock {
    /// The index of the step this clock belongs to (0-based, in curriculum order); a screen
    /// ignores a clock for a step it is not showing.
    pub step: i64,
    /// `ready`, `running`, `paused` or `ended`.
    pub state: TimerState,
    /// Milliseconds left at `server_now` (never negative).
    pub remaining_ms: i64,
    /// The time box in milliseconds.
    pub duration_ms: i64,
    /// Whether answers are locked.
    pub locked: bool,
    /// The server's clock when this was measured.
    pub server_now: i64,
    /// Remaining time as `m:ss`, for pages drawn without script.
    pub label: String,
}

/// The clock to show at `now`.
pub fn clock(timer: &TimerRow, now: i64) -> Clock {
    let t = effective(timer, now);
    let left = remaining(&t, now).max(0);
    // Round up to the second, as the screens do: 0:00 only when time is really up.
    let seconds = (left + 999) / 1000;
    Clock {
        step: t.step_index,
        label: format!("{}:{:02}", seconds / 60, seconds % 60),
        remaining_ms: left,
        duration_ms: t.duration_ms,
        state: t.state,
        locked: t.locked,
        server_now: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_clock_counts_down_pauses_and_locks_at_zero() {
        let t = ready(2, 10, 0);
        let t = apply(&t, Action::Start, 1_000);
        assert_eq!(remaining(&t, 61_000), 540_000);
        let t = apply(&t, Action::Pause, 61_000);
        assert_eq!(t.state, TimerState::Paused);
        assert_eq!(
            remaining(&t, 999_999),
            540_000,
            "a paused clock does not move"
        );
        let t = apply(&t, Action::Start, 100_000);
        assert!(!effective(&t, 639_999).locked);
        let done = effective(&t, 640_000);
        assert_eq!((done.state, done.locked), (TimerState::Ended, true));
        assert_eq!(clock(&t, 700_000).remaining_ms, 0);
    }

    #[test]
    fn adding_minutes_after_the_end_unlocks_and_reopen_unlocks() {
        let t = apply(
            &apply(&ready(0, 1, 0), Action::Start, 0),
            Action::End,
            10_000,
        );
        assert!(t.locked);
        let more = apply(&t, Action::Add(2), 20_000);
        assert!(!more.locked);
        assert_eq!(remaining(&more, 20_000), 120_000);
        assert!(!apply(&t, Action::Reopen, 20_000).locked);
        assert_eq!(Action::parse("add", Some(0)), None);
        assert_eq!(Action::parse("add", Some(5)), Some(Action::Add(5)));
    }
}
