//! Stored times (Unix milliseconds) as people read them: in the server's local time
//! zone, the one the session was held in. Every page, PDF and CSV formats them here.

use chrono::TimeZone;

/// Local date and time, `2026-11-30 14:05`; empty for a time chrono cannot place.
pub fn datetime(ms: i64) -> String {
    local(ms, "%Y-%m-%d %H:%M")
}

/// Local time of day, `14:05`; empty for a time chrono cannot place.
pub fn hm(ms: i64) -> String {
    local(ms, "%H:%M")
}

/// `ms` in the local zone with a chrono `pattern`.
fn local(ms: i64, pattern: &str) -> String {
    chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format(pattern).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_their_shape() {
        let at = chrono::Local
            .with_ymd_and_hms(2026, 11, 30, 14, 5, 0)
            .single()
            .expect("a local time")
            .timestamp_millis();
        assert_eq!(datetime(at), "2026-11-30 14:05");
        assert_eq!(hm(at), "14:05");
        assert_eq!(datetime(i64::MAX), "");
    }
}
