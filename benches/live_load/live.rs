//! The live streams: SSE parsing and what every screen's stream reports.

use super::*;

// ---------------------------------------------------------------------------------------
// Server-Sent Events.

/// Splits a stream of bytes into SSE events (`event:` and `data:` lines, blank line ends one).
#[derive(Default)]
pub(crate) struct SseParser {
    pub(crate) pending: Vec<u8>,
    pub(crate) name: String,
    pub(crate) data: String,
}

impl SseParser {
    pub(crate) fn push(&mut self, bytes: &[u8], mut on_event: impl FnMut(&str, &str)) {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(offset) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + offset;
            let line = &self.pending[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                if !self.name.is_empty() || !self.data.is_empty() {
                    let name = if self.name.is_empty() {
                        "message"
                    } else {
                        self.name.as_str()
                    };
                    on_event(name, &self.data);
                }
                self.name.clear();
                self.data.clear();
            } else if line[0] != b':' {
                let (field, value) = match line.iter().position(|&b| b == b':') {
                    Some(i) => (
                        &line[..i],
                        line[i + 1..].strip_prefix(b" ").unwrap_or(&line[i + 1..]),
                    ),
                    None => (line, &b""[..]),
                };
                let value = String::from_utf8_lossy(value);
                match field {
                    b"event" => {
                        self.name.clear();
                        self.name.push_str(&value);
                    }
                    b"data" => {
                        if !self.data.is_empty() {
                            self.data.push('\n');
                        }
                        self.data.push_str(&value);
                    }
                    _ => {}
                }
            }
            start = end + 1;
        }
        self.pending.drain(..start);
    }
}

/// Which screen a stream stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Facilitator,
    Projector,
    Table,
}

/// The staff `saved` event's data (its rendered `html` is not needed here).
#[derive(Deserialize)]
pub(crate) struct SavedEvent {
    pub(crate) table: i64,
    pub(crate) key: String,
    pub(crate) version: i64,
}

/// What every stream reports.
#[derive(Default)]
pub(crate) struct Live {
    pub(crate) hello: AtomicUsize,
    pub(crate) step: AtomicUsize,
    pub(crate) failed: AtomicUsize,
    pub(crate) resync: AtomicU64,
    pub(crate) projector_saved: AtomicU64,
    pub(crate) table_saved: AtomicU64,
    pub(crate) staff_matched: AtomicU64,
    pub(crate) staff_unmatched: AtomicU64,
    /// Saves sent and not yet seen by their facilitator: (session, table, version) → sent at.
    pub(crate) pending: Mutex<HashMap<(usize, i64, i64), Instant>>,
    /// Save → facilitator event times, with when the save was sent.
    pub(crate) latencies: Mutex<Vec<(Instant, Duration)>>,
    pub(crate) first_error: Mutex<Option<String>>,
}

impl Live {
    pub(crate) fn fail(&self, what: String) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        self.first_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(what);
    }

    pub(crate) fn on_event(&self, role: Role, session: usize, name: &str, data: &str, at: Instant) {
        match name {
            "hello" => {
                self.hello.fetch_add(1, Ordering::Relaxed);
            }
            "step" => {
                self.step.fetch_add(1, Ordering::Relaxed);
            }
            "resync" => {
                self.resync.fetch_add(1, Ordering::Relaxed);
            }
            "saved" => match role {
                Role::Facilitator => {
                    let sent = serde_json::from_str::<SavedEvent>(data)
                        .ok()
                        .filter(|e| e.key == PROMPT_KEY)
                        .and_then(|e| {
                            self.pending
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .remove(&(session, e.table, e.version))
                        });
                    match sent {
                        Some(sent) => {
                            self.staff_matched.fetch_add(1, Ordering::Relaxed);
                            let took = at.saturating_duration_since(sent);
                            self.latencies
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push((sent, took));
                        }
                        None => {
                            self.staff_unmatched.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                Role::Projector => {
                    self.projector_saved.fetch_add(1, Ordering::Relaxed);
                }
                Role::Table => {
                    self.table_saved.fetch_add(1, Ordering::Relaxed);
                }
            },
            _ => {}
        }
    }
}

/// One screen's live stream.
pub(crate) struct Screen {
    pub(crate) path: String,
    pub(crate) role: Role,
    pub(crate) session: usize,
    /// The device's own address: the server allows a few dozen streams per client
    /// address, and in a hall every device has its own. All of 127.0.0.0/8 is loopback.
    pub(crate) source: Ipv4Addr,
}

/// A loopback address per device: 127.1.0.1, 127.1.0.2, … (250 per third octet).
pub(crate) fn device_address(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(
        127,
        1 + (i / 62_500) as u8,
        ((i / 250) % 250) as u8,
        (i % 250 + 1) as u8,
    )
}

/// Follows one live stream until the server ends it; the permit is let go at `hello`.
pub(crate) async fn follow(
    addr: SocketAddr,
    screen: Screen,
    live: Arc<Live>,
    permit: OwnedSemaphorePermit,
) {
    if let Err(e) = follow_stream(addr, &screen, &live, permit).await {
        live.fail(format!("{} from {}: {e}", screen.path, screen.source));
    }
}

pub(crate) async fn follow_stream(
    addr: SocketAddr,
    screen: &Screen,
    live: &Live,
    permit: OwnedSemaphorePermit,
) -> io::Result<()> {
    let Screen {
        path,
        role,
        session,
        source,
    } = screen;
    let (role, session) = (*role, *session);
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((*source, 0)))?;
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nCookie: {DEVICE}\r\n\r\n"
    );
    write_all(&stream, request.as_bytes()).await?;
    let mut buf = Vec::new();
    let head_end = read_head(&stream, &mut buf).await?;
    let head = parse_head(&buf[..head_end])?;
    if head.status != 200 || !head.chunked {
        return Err(bad(format!(
            "status {} (chunked: {})",
            head.status, head.chunked
        )));
    }
    let mut chunks = Chunked {
        raw: buf.split_off(head_end),
        state: ChunkState::Size,
    };
    let mut sse = SseParser::default();
    let mut payload = Vec::new();
    let mut permit = Some(permit);
    let mut at = Instant::now();
    loop {
        payload.clear();
        let done = chunks.decode(&mut payload)?;
        let mut greeted = false;
        sse.push(&payload, |name, data| {
            greeted |= name == "hello";
            live.on_event(role, session, name, data, at);
        });
        if greeted {
            permit.take();
        }
        if done || read_more(&stream, &mut chunks.raw).await? == 0 {
            return Ok(());
        }
        at = Instant::now();
    }
}
