//! A small HTTP/1.1 client: enough for thousands of streams and keep-alive saves.

use super::*;

// ---------------------------------------------------------------------------------------
// Hand-written HTTP/1.1 over tokio's TcpStream (readiness + try_read/try_write, which
// need no extra tokio features).

pub(crate) async fn write_all(stream: &TcpStream, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        stream.writable().await?;
        match stream.try_write(buf) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Appends what the socket has (waiting for at least one byte); `Ok(0)` at its end.
pub(crate) async fn read_more(stream: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        stream.readable().await?;
        // Declared after the await so it is not kept in every idle stream's future.
        let mut chunk = [0u8; 8192];
        match stream.try_read(&mut chunk) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn bad(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Reads until the end of the response head; returns its length.
pub(crate) async fn read_head(stream: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            return Ok(i + 4);
        }
        if buf.len() > 64 * 1024 {
            return Err(bad("response head over 64 KB"));
        }
        if read_more(stream, buf).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}

/// What the client needs from a response head.
pub(crate) struct Head {
    pub(crate) status: u16,
    pub(crate) length: Option<usize>,
    pub(crate) chunked: bool,
    pub(crate) close: bool,
    pub(crate) location: Option<String>,
    /// `name=value` of each `Set-Cookie`.
    pub(crate) cookies: Vec<String>,
}

pub(crate) fn parse_head(head: &[u8]) -> io::Result<Head> {
    let text = std::str::from_utf8(head).map_err(|_| bad("response head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let mut head = Head {
        status,
        length: None,
        chunked: false,
        close: false,
        location: None,
        cookies: Vec::new(),
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => head.length = value.parse().ok(),
            "transfer-encoding" => head.chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => head.close = value.eq_ignore_ascii_case("close"),
            "location" => head.location = Some(value.to_string()),
            "set-cookie" => head
                .cookies
                .extend(value.split(';').next().map(|c| c.trim().to_string())),
            _ => {}
        }
    }
    Ok(head)
}

/// Incremental decoder of a chunked body: feed `raw`, take the payload out.
#[derive(Default)]
pub(crate) struct Chunked {
    pub(crate) raw: Vec<u8>,
    pub(crate) state: ChunkState,
}

#[derive(Default, Clone, Copy)]
pub(crate) enum ChunkState {
    #[default]
    Size,
    Data(usize),
    DataEnd,
    Done,
}

impl Chunked {
    /// Moves every complete piece of payload from `raw` to `out`; true at the last chunk.
    pub(crate) fn decode(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        let mut at = 0;
        let done = loop {
            let rest = &self.raw[at..];
            match self.state {
                ChunkState::Size => {
                    let Some(end) = find(rest, b"\r\n") else {
                        break false;
                    };
                    let line = std::str::from_utf8(&rest[..end]).map_err(|_| bad("chunk size"))?;
                    let hex = line.split(';').next().unwrap_or("").trim();
                    let size = usize::from_str_radix(hex, 16)
                        .map_err(|_| bad(format!("chunk size {hex:?}")))?;
                    at += end + 2;
                    self.state = if size == 0 {
                        ChunkState::Done
                    } else {
                        ChunkState::Data(size)
                    };
                }
                ChunkState::Data(left) => {
                    if rest.is_empty() {
                        break false;
                    }
                    let n = left.min(rest.len());
                    out.extend_from_slice(&rest[..n]);
                    at += n;
                    self.state = if n == left {
                        ChunkState::DataEnd
                    } else {
                        ChunkState::Data(left - n)
                    };
                }
                ChunkState::DataEnd => {
                    if rest.len() < 2 {
                        break false;
                    }
                    at += 2;
                    self.state = ChunkState::Size;
                }
                ChunkState::Done => break true,
            }
        };
        self.raw.drain(..at);
        Ok(done)
    }
}

/// A response read whole.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) cookies: Vec<String>,
    pub(crate) body: Vec<u8>,
}

/// Sends one request and reads its response; the flag says whether the connection may be reused.
pub(crate) async fn exchange(stream: &TcpStream, request: &[u8]) -> io::Result<(Reply, bool)> {
    write_all(stream, request).await?;
    let mut buf = Vec::new();
    let head_end = read_head(stream, &mut buf).await?;
    let head = parse_head(&buf[..head_end])?;
    let mut body = buf.split_off(head_end);
    let mut keep = !head.close;
    if head.chunked {
        let mut chunks = Chunked {
            raw: body,
            state: ChunkState::Size,
        };
        let mut out = Vec::new();
        while !chunks.decode(&mut out)? {
            if read_more(stream, &mut chunks.raw).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        body = out;
    } else if let Some(length) = head.length {
        while body.len() < length {
            if read_more(stream, &mut body).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        body.truncate(length);
    } else {
        while read_more(stream, &mut body).await? > 0 {}
        keep = false;
    }
    Ok((
        Reply {
            status: head.status,
            location: head.location,
            cookies: head.cookies,
            body,
        },
        keep,
    ))
}

/// Keep-alive connections for plain requests.
pub(crate) struct Pool {
    pub(crate) addr: SocketAddr,
    pub(crate) idle: Mutex<Vec<TcpStream>>,
    /// A `Cookie` header line sent with every request (the organizer's sign-in).
    pub(crate) cookie: String,
}

impl Pool {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            idle: Mutex::new(Vec::new()),
            cookie: String::new(),
        }
    }

    /// A pool whose requests carry `cookies`.
    pub(crate) fn with_cookies(addr: SocketAddr, cookies: &[String]) -> Self {
        let cookie = if cookies.is_empty() {
            String::new()
        } else {
            format!("Cookie: {}\r\n", cookies.join("; "))
        };
        Self {
            cookie,
            ..Self::new(addr)
        }
    }

    pub(crate) async fn connect(&self) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// Opens `n` connections ahead, so measured saves do not pay for a handshake.
    pub(crate) async fn warm(&self, n: usize) -> io::Result<()> {
        for _ in 0..n {
            let stream = self.connect().await?;
            self.idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(stream);
        }
        Ok(())
    }

    pub(crate) async fn request(&self, request: &[u8]) -> io::Result<Reply> {
        let mut attempt = 0;
        loop {
            // A retry takes a fresh connection: the next kept one may be as stale as the
            // last (the server closes a connection idle for its header timeout, 10 s).
            let pooled = if attempt == 0 {
                self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop()
            } else {
                None
            };
            let reused = pooled.is_some();
            let stream = match pooled {
                Some(stream) => stream,
                None => self.connect().await?,
            };
            match exchange(&stream, request).await {
                Ok((reply, keep)) => {
                    if keep {
                        self.idle
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(stream);
                    }
                    return Ok(reply);
                }
                // A kept connection the server had closed: try once on a fresh one. Saves
                // are safe to repeat (the same text on the same base is not a new version).
                Err(_) if reused && attempt == 0 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    pub(crate) async fn get(&self, path: &str) -> io::Result<Reply> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{}\r\n",
            self.addr, self.cookie
        );
        self.request(request.as_bytes()).await
    }

    pub(crate) async fn post(&self, path: &str, body: &str, json: bool) -> io::Result<Reply> {
        let accept = if json {
            "application/json"
        } else {
            "text/html"
        };
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\n{}Content-Type: application/x-www-form-urlencoded\r\nAccept: {accept}\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            self.cookie,
            body.len()
        );
        self.request(request.as_bytes()).await
    }

    /// Posts a form that must answer 303; returns where it points.
    pub(crate) async fn post_redirect(&self, path: &str, body: &str) -> anyhow::Result<String> {
        let reply = self
            .post(path, body, false)
            .await
            .with_context(|| format!("POST {path}"))?;
        ensure!(
            reply.status == 303,
            "POST {path}: status {} (wanted 303): {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
                .chars()
                .take(300)
                .collect::<String>()
        );
        reply
            .location
            .ok_or_else(|| anyhow!("POST {path}: 303 without Location"))
    }
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub(crate) fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
