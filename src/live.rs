//! Live updates: one broadcast hub per session, streamed to screens as Server-Sent Events.
//!
//! A session has one channel for its staff screens (facilitator, projectors) and one per
//! table, so a save wakes only the screens that show it — not every screen in the room.
//! Each event is serialized once and shared by every subscriber. A subscriber that
//! falls behind (a screen that stopped reading) does not make the server buffer without
//! bound: the channel keeps at most [`CAPACITY`] events, and a lagging receiver is told
//! to `resync` (refetch its state) instead of receiving the missed events.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::broadcast;

/// Events kept per session for its slow staff readers: 30 tables at a few saves a second
/// fill it in about a minute, far longer than a screen that still reads falls behind.
/// Every channel holds its whole buffer from the start (a slot of ~40 bytes, the event
/// itself behind an `Arc`), so with 85 sessions in a hall the size shows in memory.
pub const CAPACITY: usize = 512;

/// Who may receive an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every screen of the session.
    All,
    /// Facilitator and projector views only (they may see every table's answers).
    Staff,
    /// One table's screens only.
    Table(i64),
}

/// A serialized event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Which of the session's channels it is sent to, and which screens on them pass it on.
    pub audience: Audience,
    /// The SSE `event:` name the page scripts listen for (`saved`, `step`, `timer`, `ended`…).
    pub name: &'static str,
    /// JSON payload, serialized once.
    pub data: Arc<str>,
}

/// Which events a stream passes on.
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    /// A facilitator or projector: common and staff events.
    Staff,
    /// A table screen: events for all and for this table.
    Table(i64),
}

impl Viewer {
    fn sees(self, audience: Audience) -> bool {
        match (self, audience) {
            (_, Audience::All) => true,
            (Viewer::Staff, Audience::Staff) => true,
            (Viewer::Table(own), Audience::Table(id)) => own == id,
            (Viewer::Staff, Audience::Table(_)) | (Viewer::Table(_), Audience::Staff) => false,
        }
    }
}

/// Open streams one client address may hold: a device has a handful of tabs at most,
/// but a hall behind one router shares one address (30 table screens, facilitators,
/// projectors and phones). Half of the per-address connection cap
/// (`server::conn::CONNECTIONS_PER_ADDRESS`), so pages and saves still get through.
pub const STREAMS_PER_CLIENT: usize = 500;

/// The broadcast channels of all sessions.
#[derive(Default)]
pub struct Hub {
    sessions: Mutex<HashMap<String, Channels>>,
    streams: Mutex<HashMap<IpAddr, usize>>,
}

/// One session's channels.
#[derive(Default)]
struct Channels {
    staff: Option<broadcast::Sender<Arc<Event>>>,
    tables: HashMap<i64, broadcast::Sender<Arc<Event>>>,
}

/// Events kept per table for its slow readers: a table hears only step, timer and its own
/// saves (at most 5 a second, `server::limit`), and a small buffer matters when a hall
/// has thousands of tables' channels (2,550 in the hall benchmark).
pub const TABLE_CAPACITY: usize = 32;

fn channel(capacity: usize) -> broadcast::Sender<Arc<Event>> {
    broadcast::channel(capacity).0
}

/// Counts one open stream of a client until dropped (when the stream ends).
pub struct StreamGuard {
    hub: Arc<Hub>,
    ip: Option<IpAddr>,
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        if let Some(ip) = self.ip {
            let mut streams = self.hub.streams.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(count) = streams.get_mut(&ip) {
                *count -= 1;
                if *count == 0 {
                    streams.remove(&ip);
                }
            }
        }
    }
}

impl Hub {
    /// Subscribes a screen to the events it may see.
    pub fn subscribe(&self, session: &str, viewer: Viewer) -> broadcast::Receiver<Arc<Event>> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let channels = sessions.entry(session.to_string()).or_default();
        // Channels nobody listens to any more are dropped, so memory follows open screens.
        channels
            .tables
            .retain(|_, sender| sender.receiver_count() > 0);
        match viewer {
            Viewer::Staff => channels
                .staff
                .get_or_insert_with(|| channel(CAPACITY))
                .subscribe(),
            Viewer::Table(id) => channels
                .tables
                .entry(id)
                .or_insert_with(|| channel(TABLE_CAPACITY))
                .subscribe(),
        }
    }

    /// Sends an event to the screens of the session that may see it (nobody listening is fine).
    pub fn publish(
        &self,
        session: &str,
        audience: Audience,
        name: &'static str,
        data: &impl Serialize,
    ) {
        let data: Arc<str> = serde_json::to_string(data)
            .unwrap_or_else(|_| "{}".into())
            .into();
        // One allocation shared by every channel's slot, not a copy per channel.
        let event = Arc::new(Event {
            audience,
            name,
            data,
        });
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let Some(channels) = sessions.get(session) else {
            return;
        };
        let send = |sender: &broadcast::Sender<Arc<Event>>| {
            let _ = sender.send(event.clone());
        };
        match audience {
            Audience::All => {
                channels.staff.iter().for_each(send);
                channels.tables.values().for_each(send);
            }
            Audience::Staff => channels.staff.iter().for_each(send),
            Audience::Table(id) => channels.tables.get(&id).into_iter().for_each(send),
        }
    }

    /// Takes a place for one more stream of this client, or None when it has too many.
    pub fn open_stream(self: &Arc<Self>, ip: Option<IpAddr>) -> Option<StreamGuard> {
        if let Some(ip) = ip {
            let mut streams = self.streams.lock().unwrap_or_else(|p| p.into_inner());
            let count = streams.entry(ip).or_insert(0);
            if *count >= STREAMS_PER_CLIENT {
                return None;
            }
            *count += 1;
        }
        Some(StreamGuard {
            hub: self.clone(),
            ip,
        })
    }

    /// Number of open streams of a session (for the facilitator view and tests).
    pub fn listeners(&self, session: &str) -> usize {
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.get(session).map_or(0, |c| {
            c.staff.as_ref().map_or(0, |s| s.receiver_count())
                + c.tables.values().map(|s| s.receiver_count()).sum::<usize>()
        })
    }
}

/// The name of the event that tells a screen its session has ended: the screen shows the
/// end state, closes its stream and never reconnects.
pub const ENDED: &str = "ended";

/// An SSE response that starts with `hello` (the current state, so a reconnecting screen
/// resumes where the session is) and then follows the session's events for `viewer`.
/// When the session ends, the stream sends `ended` with this screen's own `ended` data
/// (a table's record link) and finishes, so no screen waits on a stream that has nothing
/// more to say.
pub fn stream(
    receiver: broadcast::Receiver<Arc<Event>>,
    viewer: Viewer,
    hello: String,
    ended: String,
    guard: StreamGuard,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let first =
        futures_util::stream::once(
            async move { Ok(SseEvent::default().event("hello").data(hello)) },
        );
    // The guard travels with the stream and frees the client's place when it ends.
    let rest = futures_util::stream::unfold(Some((receiver, guard)), move |open| {
        let ended = ended.clone();
        async move {
            let (mut receiver, guard) = open?;
            loop {
                match receiver.recv().await {
                    Ok(event) if event.name == ENDED => {
                        // Each screen gets its own end data; nothing follows it.
                        let sse = SseEvent::default().event(ENDED).data(ended);
                        drop(guard);
                        return Some((Ok(sse), None));
                    }
                    Ok(event) if viewer.sees(event.audience) => {
                        let sse = SseEvent::default().event(event.name).data(&*event.data);
                        return Some((Ok(sse), Some((receiver, guard))));
                    }
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::debug!(
                            "a live screen missed {missed} events; asking it to resync"
                        );
                        return Some((
                            Ok(SseEvent::default().event("resync").data("{}")),
                            Some((receiver, guard)),
                        ));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(first, rest)).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("keep-alive"),
    )
}

/// The stream of a session that has already ended: `hello` (the final state), then
/// `ended`, then the end of the response. A 200 the browser reads to the end, not an
/// error it would retry or a page would treat as a lost connection.
pub fn ended_stream(
    hello: String,
    ended: String,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    Sse::new(futures_util::stream::iter([
        Ok(SseEvent::default().event("hello").data(hello)),
        Ok(SseEvent::default().event(ENDED).data(ended)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_screen_is_woken_only_by_what_it_may_see() {
        let hub = Hub::default();
        let mut table1 = hub.subscribe("s", Viewer::Table(1));
        let mut table2 = hub.subscribe("s", Viewer::Table(2));
        let mut staff = hub.subscribe("s", Viewer::Staff);
        hub.publish("s", Audience::Table(2), "saved", &"table 2's own");
        hub.publish("s", Audience::Staff, "saved", &"answers");
        hub.publish("s", Audience::All, "step", &1);
        hub.publish("other", Audience::All, "step", &1);
        let names = |rx: &mut broadcast::Receiver<Arc<Event>>| {
            let mut seen = Vec::new();
            while let Ok(event) = rx.try_recv() {
                seen.push(event.name);
            }
            seen
        };
        assert_eq!(names(&mut table1), ["step"]);
        assert_eq!(names(&mut table2), ["saved", "step"]);
        assert_eq!(names(&mut staff), ["saved", "step"]);
        assert_eq!(hub.listeners("s"), 3);
    }

    #[test]
    fn a_client_holds_a_limited_number_of_streams() {
        let hub = Arc::new(Hub::default());
        let ip: IpAddr = [192, 168, 1, 20].into();
        let guards: Vec<_> = (0..STREAMS_PER_CLIENT)
            .map(|_| hub.open_stream(Some(ip)).expect("a place"))
            .collect();
        assert!(hub.open_stream(Some(ip)).is_none());
        assert!(
            hub.open_stream(Some([192, 168, 1, 21].into())).is_some(),
            "another device is not affected"
        );
        drop(guards);
        assert!(
            hub.open_stream(Some(ip)).is_some(),
            "closed streams free their places"
        );
    }

    #[tokio::test]
    async fn a_reader_that_falls_behind_is_bounded_and_told_to_resync() {
        let hub = Hub::default();
        let mut slow = hub.subscribe("s", Viewer::Staff);
        for i in 0..(CAPACITY + 10) {
            hub.publish("s", Audience::All, "saved", &i);
        }
        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(10))
        ));
        // After the lag it continues with what the channel still holds, never more than CAPACITY.
        let mut count = 0;
        while slow.try_recv().is_ok() {
            count += 1;
        }
        assert_eq!(count, CAPACITY);
    }
}
