//! A per-table limit on saves, so one screen stuck in a loop cannot flood the server.
//! Keyed by table, never by address: a whole hall may share one public address.
//! Also the join-code limit ([`JoinLimiter`]), which must never lock out a room.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// Guesses of codes that match no session, per address per [`JOIN_WINDOW`].
pub const JOIN_GUESSES: u32 = 30;
/// Tries of one mistyped code (one character off an open session's code) per address
/// per window, before they count as guesses too.
pub const JOIN_TYPO_TRIES: u32 = 20;
/// The window of the join limits.
pub const JOIN_WINDOW: Duration = Duration::from_secs(600);
/// How long an address that joined a session keeps its exemption for that code.
const JOINED_KEPT: Duration = Duration::from_secs(24 * 3600);

/// What the join limit says about one typed code from one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Evaluate it without counting: someone at this address joined with this very
    /// code (a guesser cannot have it), or the address is unknown (in-process tests).
    Known,
    /// Evaluate it; one guess is reserved until it is known to be right or a typo.
    Reserved,
    /// Refused without evaluating: too many guesses from this address.
    Refused,
}

/// Join-code attempts, so that guessing stays bounded (about [`JOIN_GUESSES`] codes
/// per ten minutes per address, however many arrive at once: a guess is reserved
/// before it is evaluated) while a room behind one address is never locked out:
/// - a right code refunds its reservation, and from then on that code is always
///   accepted from that address (the exemption comes from knowing the code);
/// - a typo of an open session's code (one character wrong, missing, extra, or two
///   swapped — what copying from the projector produces) does not use up the
///   address's guesses; it has its own [`JOIN_TYPO_TRIES`] per typed code.
#[derive(Default)]
pub struct JoinLimiter {
    inner: Mutex<JoinInner>,
}

#[derive(Default)]
struct JoinInner {
    guesses: HashMap<IpAddr, (u32, Instant)>,
    typos: HashMap<(IpAddr, String), (u32, Instant)>,
    joined: HashMap<(IpAddr, String), Instant>,
}

impl JoinLimiter {
    /// Decides whether a typed (normalized) code may be evaluated.
    pub fn admit(&self, ip: Option<IpAddr>, code: &str) -> Admit {
        let Some(ip) = ip else { return Admit::Known };
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.guesses.len() + inner.typos.len() + inner.joined.len() > 50_000 {
            inner.guesses.retain(|_, (_, t)| t.elapsed() < JOIN_WINDOW);
            inner.typos.retain(|_, (_, t)| t.elapsed() < JOIN_WINDOW);
            inner.joined.retain(|_, t| t.elapsed() < JOINED_KEPT);
        }
        if inner
            .joined
            .get(&(ip, code.to_string()))
            .is_some_and(|t| t.elapsed() < JOINED_KEPT)
        {
            return Admit::Known;
        }
        let entry = inner.guesses.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= JOIN_WINDOW {
            *entry = (0, Instant::now());
        }
        if entry.0 >= JOIN_GUESSES {
            return Admit::Refused;
        }
        entry.0 += 1;
        Admit::Reserved
    }

    /// The code was right: the reservation is refunded and the address keeps the code.
    pub fn joined(&self, ip: Option<IpAddr>, code: &str, admit: Admit) {
        let Some(ip) = ip else { return };
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if admit == Admit::Reserved
            && let Some(entry) = inner.guesses.get_mut(&ip)
        {
            entry.0 = entry.0.saturating_sub(1);
        }
        inner.joined.insert((ip, code.to_string()), Instant::now());
    }

    /// The code was a typo of an open session's code: its guess is refunded while this
    /// typed code has tries left.
    pub fn typo(&self, ip: Option<IpAddr>, code: &str, admit: Admit) {
        let Some(ip) = ip else { return };
        if admit != Admit::Reserved {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let tries = inner
            .typos
            .entry((ip, code.to_string()))
            .or_insert((0, Instant::now()));
        if tries.1.elapsed() >= JOIN_WINDOW {
            *tries = (0, Instant::now());
        }
        tries.0 += 1;
        if tries.0 <= JOIN_TYPO_TRIES
            && let Some(entry) = inner.guesses.get_mut(&ip)
        {
            entry.0 = entry.0.saturating_sub(1);
        }
    }
}

/// True when `typed` is one slip away from `code`: one character wrong, missing or
/// extra, or two neighbours swapped.
pub fn near_miss(typed: &str, code: &str) -> bool {
    let (a, b) = (typed.as_bytes(), code.as_bytes());
    if a == b {
        return false;
    }
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return diff.len() == 1
            || (diff.len() == 2
                && diff[1] == diff[0] + 1
                && a[diff[0]] == b[diff[1]]
                && a[diff[1]] == b[diff[0]]);
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let first = (0..short.len())
        .find(|&i| long[i] != short[i])
        .unwrap_or(short.len());
    long[first + 1..] == short[first..]
}

/// Survey answers one address may give to one survey step (phones and a table screen
/// together). A table screen answers for its few seats and a phone once, so on a hall
/// network where each device has its own address this is never reached. Behind one
/// router (NAT) the whole hall shares one address: raise it for such a hall with
/// `ACP_SURVEY_ANSWERS_PER_ADDRESS` (the trade-off: one device could then send that many).
pub const SURVEY_ANSWERS_PER_ADDRESS: u32 = 20;
/// From this many answers to one step from one address, the facilitator is told.
pub const SURVEY_FLAG_FROM: u32 = 5;
/// Check-ins (and failed check-in numbers) one address may try per ten minutes; like
/// survey answers, raise it for a hall behind one router (`ACP_CHECKINS_PER_ADDRESS`).
pub const CHECKINS_PER_ADDRESS: u32 = 20;

/// Survey answers per (session, survey step, address), kept while the server runs.
pub struct SurveyLimiter {
    max: u32,
    counts: Mutex<HashMap<(String, i64, IpAddr), u32>>,
}

impl SurveyLimiter {
    /// A limit of `max` answers per address per step.
    pub fn new(max: u32) -> Self {
        Self {
            max: max.max(1),
            counts: Mutex::default(),
        }
    }

    /// Takes a place for one answer before it is stored; false when the address has
    /// given its answers to this step.
    pub fn reserve(&self, session: &str, step: i64, ip: Option<IpAddr>) -> bool {
        let Some(ip) = ip else { return true };
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry((session.to_string(), step, ip)).or_insert(0);
        if *n >= self.max {
            return false;
        }
        *n += 1;
        true
    }

    /// Gives back a place when the answer was not stored.
    pub fn refund(&self, session: &str, step: i64, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&(session.to_string(), step, ip)) {
            *n = n.saturating_sub(1);
        }
    }

    /// For each survey step of a session: the most answers that came from one address,
    /// where that is [`SURVEY_FLAG_FROM`] or more.
    pub fn crowded(&self, session: &str) -> HashMap<i64, u32> {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut most: HashMap<i64, u32> = HashMap::new();
        for ((s, step, _), n) in counts.iter() {
            if s == session && *n >= SURVEY_FLAG_FROM {
                let m = most.entry(*step).or_insert(0);
                *m = (*m).max(*n);
            }
        }
        most
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn near_misses_are_one_slip_away() {
        for typo in ["ACDEFH", "CADEFG", "ACDEF", "ACDEFGH", "ADEFG", "XACDEFG"] {
            assert!(near_miss(typo, "ACDEFG"), "{typo}");
        }
        for other in ["ACDEFG", "ACDXYG", "GFEDCA", "ACD", "QQQQQQ", ""] {
            assert!(!near_miss(other, "ACDEFG"), "{other}");
        }
    }

    #[test]
    fn guesses_are_reserved_and_a_known_code_is_always_admitted() {
        let limiter = JoinLimiter::default();
        let ip = Some(IpAddr::from([10, 0, 0, 1]));
        let admits: Vec<_> = (0..40)
            .map(|i| limiter.admit(ip, &format!("G{i}")))
            .collect();
        assert_eq!(admits.iter().filter(|a| **a == Admit::Reserved).count(), 30);
        assert_eq!(limiter.admit(ip, "RIGHT"), Admit::Refused);
        limiter.joined(ip, "RIGHT", Admit::Known);
        assert_eq!(limiter.admit(ip, "RIGHT"), Admit::Known);
        assert_eq!(limiter.admit(ip, "OTHER"), Admit::Refused);
        assert_eq!(
            limiter.admit(Some(IpAddr::from([10, 0, 0, 2])), "RIGHT"),
            Admit::Reserved,
            "another address has its own guesses and no exemption"
        );
    }

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
