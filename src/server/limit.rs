//! A per-table limit on saves, so one screen stuck in a loop cannot flood the server.
//! Keyed by table, never by address: a whole hall may share one public address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Saves a table may make in a burst.
pub const BURST: f64 = 20.0;
/// Saves a table regains per second (autosave sends at most about one a second).
pub const PER_SECOND: f64 = 5.0;

/// Token buckets by table id.
#[derive(Default)]
pub struct SaveLimiter {
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl SaveLimiter {
    /// Takes one save from the table's bucket; false when the table must slow down.
    pub fn allow(&self, table_id: i64) -> bool {
        self.allow_at(table_id, Instant::now())
    }

    fn allow_at(&self, table_id: i64, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(table_id).or_insert((BURST, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*last).as_secs_f64() * PER_SECOND).min(BURST);
        *last = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            true
        } else {
            *tokens = refilled;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_limited_then_refilled() {
        let limiter = SaveLimiter::default();
        let start = Instant::now();
        let allowed = (0..30).filter(|_| limiter.allow_at(1, start)).count();
        assert_eq!(allowed, BURST as usize);
        assert!(
            limiter.allow_at(2, start),
            "another table has its own bucket"
        );
        assert!(limiter.allow_at(1, start + Duration::from_millis(250)));
    }
}
