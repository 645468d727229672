//! The connection layer: accepts TCP connections and serves HTTP/1 on them with limits
//! that cost nothing to trigger, so one client on the hall network cannot make the
//! server unreachable for the others.
//!
//! - A request head must arrive within the header timeout, and a connection waiting for
//!   its next request is closed after the same time (hyper's header-read timer runs
//!   whenever the server waits for a request head, idle keep-alive included).
//! - A request body must arrive whole within the body timeout (a deadline for the whole
//!   body, not between pieces, so a trickle of one byte at a time does not keep it open).
//! - One address may hold [`ConnLimits::per_address`] connections (streams and plain
//!   ones); beyond that it gets a short 503 and the connection is closed. All addresses
//!   together hold at most [`ConnLimits::total`], kept below the open-files limit.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::{Frame, Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The limits of every connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Time for a request head to arrive, and for an idle connection to send its next one.
    pub header_timeout: Duration,
    /// Time for a whole request body to arrive.
    pub body_timeout: Duration,
    /// Open connections one client address may hold.
    pub per_address: usize,
    /// Open connections of all clients together.
    pub total: usize,
}

/// Default time for a request head: a phone on poor Wi-Fi sends one in well under a second.
pub const HEADER_TIMEOUT_SECS: u64 = 10;
/// Default time for a request body (the largest is an imported session file).
pub const BODY_TIMEOUT_SECS: u64 = 30;
/// Default open connections per address: a hall behind one NAT (215 people, browsers
/// open up to six connections each) stays well under it.
pub const CONNECTIONS_PER_ADDRESS: usize = 1000;
/// Files kept free for the database, content and logs when the cap of all connections
/// is derived from the open-files limit.
pub const FD_RESERVE: usize = 256;

impl ConnLimits {
    /// The cap of all connections for an open-files limit: safely below it.
    pub fn total_for_fd_limit(fd_limit: u64) -> usize {
        let limit = usize::try_from(fd_limit).unwrap_or(usize::MAX).min(1 << 20);
        limit.saturating_sub(FD_RESERVE.max(limit / 10)).max(64)
    }
}

/// What a refused connection reads (Japanese first, then English).
const BUSY: &str = "この端末（アドレス）からの接続が多すぎます。開いている画面をいくつか閉じてから、もう一度開いてください。\nToo many connections from this device (address). Close some open screens, then try again.\n";

/// Refusals being written at once; beyond that a refused connection is just closed.
const REFUSALS_AT_ONCE: usize = 256;

/// Open connections, per address and in all.
#[derive(Default)]
struct Counts {
    by_address: HashMap<IpAddr, usize>,
    total: usize,
}

/// One open connection's place, given back when the connection ends.
struct Place {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.by_address.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.by_address.remove(&self.ip);
            }
        }
    }
}

fn take_place(counts: &Arc<Mutex<Counts>>, ip: IpAddr, limits: &ConnLimits) -> Option<Place> {
    let mut c = counts.lock().unwrap_or_else(|p| p.into_inner());
    if c.total >= limits.total {
        return None;
    }
    let n = c.by_address.entry(ip).or_insert(0);
    if *n >= limits.per_address {
        return None;
    }
    *n += 1;
    c.total += 1;
    Some(Place {
        counts: counts.clone(),
        ip,
    })
}

/// The address a client is counted under (an IPv4 client on an IPv6 socket as IPv4).
fn client_address(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open requests
/// finish for a few seconds.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()>,
) {
    let counts: Arc<Mutex<Counts>> = Arc::default();
    let refusing = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of open files or similar: wait a moment instead of spinning.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small live events must not wait for Nagle's algorithm.
        let _ = tcp.set_nodelay(true);
        let ip = client_address(remote.ip());
        let Some(place) = take_place(&counts, ip, &limits) else {
            if refusing.fetch_add(1, Ordering::SeqCst) < REFUSALS_AT_ONCE {
                let refusing = refusing.clone();
                tokio::spawn(async move {
                    refuse(tcp).await;
                    refusing.fetch_sub(1, Ordering::SeqCst);
                });
            } else {
                refusing.fetch_sub(1, Ordering::SeqCst);
                drop(tcp);
            }
            continue;
        };
        let app = app.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _place = place;
            let remote = SocketAddr::new(ip, remote.port());
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                let mut app = app.clone();
                req.extensions_mut().insert(ConnectInfo(remote));
                let req = req.map(|body| Deadline::new(body, limits.body_timeout));
                async move {
                    std::future::poll_fn(|cx| {
                        tower_service::Service::<hyper::Request<Deadline>>::poll_ready(&mut app, cx)
                    })
                    .await?;
                    tower_service::Service::call(&mut app, req).await
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(64 * 1024);
            let conn = builder.serve_connection(TokioIo::new(tcp), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = stop.wait_for(|stop| *stop) => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Live streams never end by themselves: wait for open requests a short while only.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while counts.lock().unwrap_or_else(|p| p.into_inner()).total > 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Tells a client over its cap why, and closes the connection.
async fn refuse(mut tcp: TcpStream) {
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nretry-after: 10\r\nconnection: close\r\n\r\n{BUSY}",
        BUSY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        tcp.write_all(response.as_bytes()).await?;
        tcp.shutdown().await?;
        // Read what the client sent, so closing does not reset the connection before
        // it has read the answer.
        let mut sink = [0u8; 4096];
        let mut read = 0;
        while read < 64 * 1024 {
            match tcp.read(&mut sink).await? {
                0 => break,
                n => read += n,
            }
        }
        std::io::Result::Ok(())
    })
    .await;
}

/// A request body that must arrive whole before a deadline.
pub struct Deadline {
    body: Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

/// The error of a request body that did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct BodyTimedOut;

impl Deadline {
    fn new(body: Incoming, timeout: Duration) -> Self {
        Self {
            body,
            sleep: Box::pin(tokio::time::sleep(timeout)),
        }
    }
}

impl axum::body::HttpBody for Deadline {
    type Data = axum::body::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if self.body.is_end_stream() {
            return Poll::Ready(None);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimedOut))));
        }
        Pin::new(&mut self.body)
            .poll_frame(cx)
            .map_err(|e| Box::new(e) as axum::BoxError)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_capped_per_address_and_in_all_and_given_back() {
        let counts: Arc<Mutex<Counts>> = Arc::default();
        let limits = ConnLimits {
            header_timeout: Duration::from_secs(1),
            body_timeout: Duration::from_secs(1),
            per_address: 3,
            total: 5,
        };
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let c: IpAddr = [10, 0, 0, 3].into();
        let held: Vec<_> = (0..3)
            .map(|_| take_place(&counts, a, &limits).expect("a place"))
            .collect();
        assert!(take_place(&counts, a, &limits).is_none(), "a is at its cap");
        let b_held: Vec<_> = (0..2)
            .map(|_| take_place(&counts, b, &limits).expect("b"))
            .collect();
        assert!(
            take_place(&counts, c, &limits).is_none(),
            "all places are taken"
        );
        drop(held);
        assert!(take_place(&counts, c, &limits).is_some());
        drop(b_held);
        assert_eq!(counts.lock().expect("lock").total, 0);
    }

    #[test]
    fn the_cap_of_all_connections_stays_below_the_open_files_limit() {
        assert_eq!(ConnLimits::total_for_fd_limit(20_000), 18_000);
        assert_eq!(ConnLimits::total_for_fd_limit(1024), 768);
        assert!(ConnLimits::total_for_fd_limit(u64::MAX) < 1 << 20);
    }

    #[test]
    fn mapped_ipv4_clients_count_as_ipv4() {
        let mapped: IpAddr = "::ffff:192.168.1.20".parse().expect("ip");
        assert_eq!(client_address(mapped), IpAddr::from([192, 168, 1, 20]));
    }
}
