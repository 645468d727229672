//! PDF workbook benchmark: time, peak memory and file size for
//! - the bundled programme workbook (`decision-support-basics`) and its facilitator guide,
//! - the record of a 30-table session in which every table answered every prompt,
//! - a synthetic document of about 300 pages.
//!
//! ```text
//! cargo bench --bench pdf                 # every case, 5 runs each (release build)
//! cargo bench --bench pdf -- --runs 3 --case session-30
//! cargo bench --bench pdf -- --save /tmp/pdfs   # also keep each PDF to look at
//! ```
//!
//! Each case runs in a child process of its own, so the peak resident memory it reports
//! (`VmHWM`) belongs to that case alone. Time is the median wall time of the runs, from
//! the built document to the finished file (building the document from content or the
//! database is reported separately); `cpu s` is CPU time per run, which other load on
//! the machine disturbs less (compression runs on two threads).
//! Targets (release, 2 cores): 30 pages under 0.5 s and 500 KB; 300 pages under 5 s and
//! 300 MB peak.

use std::process::{Command, ExitCode};
use std::time::Instant;

use acp_workbook::content::Library;
use acp_workbook::db::Db;
use acp_workbook::pdf::{
    self, Block, Border, Cell, Doc, Heading, Lines, List, Marker, Paper, Para, Span, Table,
};
use acp_workbook::workbook::{self, SessionData};

const CASES: [&str; 4] = ["programme", "guide", "session-30", "synthetic-300"];

fn library() -> Library {
    Library::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|p| panic!("bundled content has problems: {p:?}"))
}

/// A long document with everything a record holds: headings, text, boxes, tables, lines.
fn synthetic(sections: usize) -> Doc {
    let text = "本人が以前「家で最期まで過ごしたい」と話していたことを、長男と長女に伝え、訪問看護師と主治医が見通しを説明したうえで、もう一度みんなで話し合う。Advance care planning is a process, not a form. ";
    let mut body = Vec::new();
    for s in 0..sections {
        body.push(Block::Heading(
            Heading::new(1, format!("ステップ{} 事例を歩く", s + 1)).new_page(),
        ));
        for q in 0..3 {
            body.push(
                Heading::new(
                    2,
                    format!("問い{} 本人の人生にとっての最善は何ですか", q + 1),
                )
                .into(),
            );
            body.push(
                Para::new(vec![Span::bold("テーブル1　"), Span::plain(text.repeat(4))]).into(),
            );
            let mut grid = Table::new(vec![1.0, 1.0]);
            for _ in 0..2 {
                grid.rows.push(
                    (0..2)
                        .map(|_| {
                            Cell::new(vec![
                                Para::new(vec![Span::bold("医学的適応")]).into(),
                                List::of(Marker::Bullet, (0..3).map(|_| Para::text(&text[..90])))
                                    .into(),
                            ])
                        })
                        .collect(),
                );
            }
            body.push(grid.into());
            body.push(
                Table::new(vec![1.0, 4.0])
                    .header(vec![Cell::bold("誰が"), Cell::bold("何を")])
                    .row(vec![Cell::text("訪問看護師"), Cell::text(text.repeat(2))])
                    .row(vec![Cell::text("介護支援専門員"), Cell::text(text)])
                    .border(Border::Rows)
                    .into(),
            );
            body.push(Block::Lines(Lines::new(4)));
        }
    }
    Doc {
        title: "合成ベンチマーク文書".into(),
        kind: "ベンチマーク".into(),
        lang: acp_workbook::lang::Lang::Ja,
        cover: vec![
            Para::new(vec![Span::bold("合成ベンチマーク文書")])
                .size(20)
                .into(),
        ],
        contents: Some("目次".into()),
        body,
    }
}

fn build(case: &str) -> Doc {
    match case {
        "programme" | "guide" => {
            let library = library();
            let c = &library.curricula["decision-support-basics"];
            if case == "guide" {
                workbook::guide(c, &library)
            } else {
                workbook::programme(c, &library)
            }
        }
        "session-30" => {
            let library = library();
            let db = Db::open_in_memory().expect("db");
            let data = db
                .write_blocking(move |conn| {
                    let session = workbook::demo::session(
                        conn,
                        &library,
                        "decision-support-basics",
                        30,
                        false,
                    )
                    .expect("session");
                    let run = workbook::load_run(conn, session).expect("run");
                    SessionData::load(conn, run)
                })
                .expect("data");
            workbook::session_record(&data)
        }
        _ => synthetic(72),
    }
}

/// CPU seconds this process has used (user + system), from `/proc/self/stat`.
fn cpu_s() -> f64 {
    // Fields after the command name; utime and stime are the 12th and 13th, in ticks
    // of 1/100 s on Linux.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// Runs one case in this process and prints one machine-readable line.
fn child(case: &str, runs: usize, save: Option<&str>) {
    let started = Instant::now();
    let doc = build(case);
    let build_s = started.elapsed().as_secs_f64();
    let mut times = Vec::new();
    let mut last = None;
    let cpu = cpu_s();
    for _ in 0..runs {
        let t = Instant::now();
        let out = pdf::render(&doc, Paper::A4, &mut |_| {}).expect("render");
        times.push(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    let cpu = (cpu_s() - cpu) / runs as f64;
    times.sort_by(f64::total_cmp);
    let out = last.expect("at least one run");
    if let Some(dir) = save {
        let path = std::path::Path::new(dir).join(format!("{case}.pdf"));
        if let Err(e) = std::fs::write(&path, &out.bytes) {
            eprintln!("cannot write {}: {e}", path.display());
        }
    }
    println!(
        "RESULT {case} {} {:.3} {:.3} {} {} {:.3} {:.3}",
        out.pages,
        times[times.len() / 2],
        times[0],
        out.bytes.len(),
        peak_kb(),
        build_s,
        cpu
    );
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: usize = value("--runs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .clamp(1, 50);
    let save = value("--save");
    if let Some(case) = value("--child") {
        child(&case, runs, save.as_deref());
        return ExitCode::SUCCESS;
    }
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; the targets are for `cargo bench` (release)");
    }
    let only = value("--case");
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("cannot find this benchmark's executable: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{:<14} {:>6} {:>10} {:>10} {:>8} {:>10} {:>9} {:>9}",
        "case", "pages", "median s", "best s", "cpu s", "size KB", "peak MB", "build s"
    );
    for case in CASES
        .iter()
        .filter(|c| only.as_deref().is_none_or(|o| o == **c))
    {
        let mut command = Command::new(&exe);
        command.args(["--child", case, "--runs", &runs.to_string()]);
        if let Some(dir) = &save {
            command.args(["--save", dir]);
        }
        let output = command.output();
        let line = match &output {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
                .lines()
                .find(|l| l.starts_with("RESULT "))
                .map(str::to_string),
            _ => None,
        };
        let Some(line) = line else {
            eprintln!("{case}: the run failed: {output:?}");
            return ExitCode::FAILURE;
        };
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        let pages = num(2);
        let (median, best, size, peak) = (num(3), num(4), num(5) / 1024.0, num(6) / 1024.0);
        let target = if pages >= 200.0 {
            format!(
                "target <5 s, <300 MB: {}",
                if median < 5.0 && peak < 300.0 {
                    "met"
                } else {
                    "MISSED"
                }
            )
        } else if pages <= 40.0 {
            format!(
                "target <0.5 s, <500 KB: {}",
                if median < 0.5 && size < 500.0 {
                    "met"
                } else {
                    "MISSED"
                }
            )
        } else {
            String::new()
        };
        println!(
            "{case:<14} {pages:>6} {median:>10.3} {best:>10.3} {:>8.3} {size:>10.0} {peak:>9.1} {:>9.3}  {target}",
            num(8),
            num(7)
        );
    }
    ExitCode::SUCCESS
}
