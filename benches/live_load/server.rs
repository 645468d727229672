//! The server child process, and what the benchmark reads of it and of the machine from /proc.

use super::*;

/// The server child process; killed when dropped, whatever happened.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    pub(crate) log: PathBuf,
    /// The organizer password the server was started with.
    pub(crate) password: String,
}

impl Server {
    pub(crate) fn launch(
        binary: &Path,
        root: &Path,
        db: &Path,
        log: &Path,
    ) -> anyhow::Result<Self> {
        let addr = process::free_addr()?;
        let password = process::fresh_password("live-load");
        let child = process::serve_command(binary, root, db, addr, &password)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        Ok(Self {
            child,
            addr,
            log: log.to_path_buf(),
            password,
        })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    pub(crate) async fn wait_ready(&mut self, pool: &Pool) -> anyhow::Result<()> {
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited ({status}) before it was ready:\n{}",
                    self.log_tail()
                );
            }
            if let Ok(reply) = pool.get("/healthz").await
                && reply.status == 200
            {
                return Ok(());
            }
            ensure!(
                Instant::now() < until,
                "the server did not answer /healthz within 30 s:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs in as the organizer; the cookies to send (none for a server without sign-in).
    pub(crate) async fn sign_in(&self, pool: &Pool) -> anyhow::Result<Vec<String>> {
        let body = format!("secret={}", form_encode(&self.password));
        let reply = pool.post("/signin", &body, false).await?;
        match reply.status {
            303 if !reply.cookies.is_empty() => Ok(reply.cookies),
            404 | 405 => Ok(Vec::new()),
            status => {
                // Creating sessions will say whether the server insists.
                eprintln!("  warning: organizer sign-in answered {status}; going on without it");
                Ok(Vec::new())
            }
        }
    }

    pub(crate) fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// CPU time of a process (user + system) from /proc/<pid>/stat.
pub(crate) fn cpu_time(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_secs_f64((ticks(11) + ticks(12)) as f64 / CLOCK_TICKS)
}

/// CPU time the whole machine spent busy (all cores), from /proc/stat.
pub(crate) fn machine_busy() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    Duration::from_secs_f64(total.saturating_sub(idle) as f64 / CLOCK_TICKS)
}

/// Waits (up to `limit`) until the machine has been nearly idle for three seconds in a row,
/// so a build running beside the benchmark does not end up in its numbers.
pub(crate) fn wait_for_quiet(limit: Duration) {
    let until = Instant::now() + limit;
    let mut quiet = 0;
    let mut told = false;
    while quiet < 3 {
        let before = machine_busy();
        std::thread::sleep(Duration::from_secs(1));
        let busy = (machine_busy() - before).as_secs_f64();
        quiet = if busy < 0.25 { quiet + 1 } else { 0 };
        if quiet == 0 && Instant::now() >= until {
            eprintln!("  warning: the machine is still busy ({busy:.1} cores); measuring anyway");
            return;
        }
        if quiet == 0 && !told {
            println!("  waiting for the machine to quiet down (it is using {busy:.1} cores)…");
            told = true;
        }
    }
}
