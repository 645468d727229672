//! What the benchmarks share about the server they launch: finding (and building) the
//! release binary, the `serve` command line, and reading a process's memory from /proc.
//!
//! Each benchmark includes this file with `#[path]`, as a module of its own crate: Cargo
//! has no library for benches to share without making one for the package.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, ensure};

/// The release server binary next to the running benchmark
/// (`target/release/acp-workbook`), built first when missing or when `build` is set
/// (`cargo build --release` is a no-op when it is up to date). Warns when `src/` or
/// `templates/` changed after the binary was built, since the numbers would then
/// measure older code.
pub(crate) fn server_binary(root: &Path, build: bool) -> anyhow::Result<PathBuf> {
    // This executable is target/release/deps/<bench>-<hash>.
    let release = std::env::current_exe()?
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target/release"));
    let binary = release.join("acp-workbook");
    if build || !binary.exists() {
        println!("building the release server (cargo build --release --bin acp-workbook)…");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "acp-workbook"])
            .current_dir(root)
            .status()
            .context("running cargo build --release")?;
        ensure!(status.success(), "cargo build --release failed");
    }
    ensure!(
        binary.exists(),
        "{} is missing: run cargo build --release",
        binary.display()
    );
    let built = std::fs::metadata(&binary)?.modified()?;
    let newest = ["src", "templates"]
        .iter()
        .filter_map(|dir| newest_file(&root.join(dir)))
        .max();
    if newest.is_some_and(|newest| newest > built) {
        eprintln!(
            "warning: src/ or templates/ changed after {} was built; rebuild to measure the current code",
            binary.display()
        );
    }
    Ok(binary)
}

/// The latest modification time of any file under `dir`.
fn newest_file(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_file(&path)
        } else {
            entry.metadata().ok().and_then(|m| m.modified().ok())
        };
        newest = newest.max(time);
    }
    newest
}

/// A free loopback address to serve on: bind, note it, let go (the server binds with
/// SO_REUSEADDR, so the port is free again for it).
pub(crate) fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// An organizer password no earlier run used, so the benchmark can sign in.
pub(crate) fn fresh_password(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!("{prefix}-{nanos}")
}

/// `acp-workbook serve` on `addr` over the database `db` and the content in `root`,
/// with that organizer password and warnings-only logging; the caller adds its own
/// environment and where the output goes.
pub(crate) fn serve_command(
    binary: &Path,
    root: &Path,
    db: &Path,
    addr: SocketAddr,
    password: &str,
) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--db")
        .arg(db)
        .arg("--content")
        .arg(root)
        .env("ACP_LOG", "acp_workbook=warn")
        .env("ACP_ORGANIZER_PASSWORD", password);
    command
}

/// Memory of a process from /proc/<pid>/status, in KB: (VmRSS, VmHWM); 0 when unknown.
pub(crate) fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
