//! The command line: `serve` (the default), `preview`, `check`, `backup`, `restore`, `export`, `import`, `typeup`, `new`, `share`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Runs facilitated advance-care-planning case-review sessions from curriculum files.
#[derive(Debug, Parser)]
#[command(name = "acp-workbook", version, about)]
pub struct Cli {
    /// What to do; without one, `serve` runs with its defaults.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app on the bundled (or given) content.
    Serve(ServeArgs),
    /// Preview the content on your own computer, without sign-in: each case as a table
    /// sees it and each curriculum step by step; a page updates itself when you save a file.
    Preview(PreviewArgs),
    /// Load every curriculum and case and print every problem as `file:line: message`.
    Check(CheckArgs),
    /// Copy the database to a file while the server keeps running (SQLite online backup).
    Backup(BackupArgs),
    /// Bring back a database from a backup file (stop the server first).
    Restore(RestoreArgs),
    /// Make a workbook PDF: a curriculum's blank workbook or facilitator guide, or the
    /// record of a session or of one table (e.g. `export programme decision-support-basics --out w.pdf`);
    /// or a session's data as JSON (`export json`) or CSV (`export csv`).
    Export(ExportArgs),
    /// Import a session file exported on another server (`export json`, or the record
    /// page's download): all of it or nothing, with new links and join code.
    Import(ImportArgs),
    /// Type up a finished session's results reported on paper or in Word from a CSV file
    /// (テーブル,設問,見出し,内容): checked as a table's save is, all or nothing, every
    /// problem with its line; each answer is stored as a new version on top.
    Typeup(TypeupArgs),
    /// Start a new content file to fill in, with every section an author needs and
    /// comments in Japanese: `new case ID` writes `cases/ID.md`, `new curriculum ID`
    /// writes `curricula/ID.md`. Never overwrites a file.
    New(NewArgs),
    /// Share a programme with another district: `share export ID --out FILE` writes the
    /// curriculum and its cases as one file; `share import FILE` checks it with the
    /// whole content folder and writes it there (a newer version replaces, the old
    /// file is kept beside it), all or nothing.
    Share(ShareArgs),
}

/// Options of `share`.
#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Export or import.
    #[command(subcommand)]
    pub action: ShareAction,
    /// The folder holding `curricula/` and `cases/`.
    #[arg(long, global = true, env = "ACP_CONTENT", default_value = ".")]
    pub content: PathBuf,
    /// The language of the messages: ja (the default) or en.
    #[arg(long, global = true, default_value = "ja")]
    pub lang: String,
}

/// What `share` does.
#[derive(Debug, Subcommand)]
pub enum ShareAction {
    /// Write the programme file of a curriculum (its id, the `id:` line of its file).
    Export {
        /// The curriculum's id.
        curriculum: String,
        /// The file to write (replaced if it exists); `-` writes to standard output.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Bring a programme file from another server into the content folder.
    Import {
        /// The programme file (`….programme.json`).
        file: PathBuf,
    },
}

/// Options of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Which file to start.
    #[command(subcommand)]
    pub file: NewFile,
    /// The language of the messages: ja (the default) or en.
    #[arg(long, global = true, default_value = "ja")]
    pub lang: String,
}

/// The files `new` starts.
#[derive(Debug, Subcommand)]
pub enum NewFile {
    /// A case: `cases/ID.md` with the patient, a family member, scenes with role
    /// cards, prompts, a branch and facilitator notes.
    Case {
        /// The case's id: lower-case letters, digits and single hyphens, e.g. `home-dialysis`.
        id: String,
        /// The folder holding `curricula/` and `cases/`.
        #[arg(long, env = "ACP_CONTENT", default_value = ".")]
        content: PathBuf,
    },
    /// A curriculum: `curricula/ID.md` with a lecture, a case walk, group work, a
    /// plenary and a survey, each with facilitator notes and minutes that add up.
    Curriculum {
        /// The curriculum's id: lower-case letters, digits and single hyphens.
        id: String,
        /// The folder holding `curricula/` and `cases/`.
        #[arg(long, env = "ACP_CONTENT", default_value = ".")]
        content: PathBuf,
        /// The case its case-walk step walks; by default the folder's first case in Japanese.
        #[arg(long)]
        case: Option<String>,
    },
}

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The session file (`….json`).
    pub file: PathBuf,
    /// The database to import into (created if missing).
    #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
    pub db: PathBuf,
}

/// Options of `typeup`.
#[derive(Debug, Args)]
pub struct TypeupArgs {
    /// The session's id (the last part of its record page address) or its join code.
    pub session: String,
    /// The CSV file (UTF-8 or Excel's Shift_JIS).
    pub file: PathBuf,
    /// The SQLite database file.
    #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
    pub db: PathBuf,
    /// Only check the file and say what would be saved; save nothing.
    #[arg(long)]
    pub check: bool,
    /// The language of the messages: `ja` (日本語) or `en`.
    #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
    pub lang: String,
}

/// Options of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The database to copy.
    #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
    pub db: PathBuf,
    /// Where to write the copy (must not exist yet).
    #[arg(long)]
    pub out: PathBuf,
}

/// Options of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to bring back.
    #[arg(long)]
    pub from: PathBuf,
    /// The database to replace; its current contents are kept beside it first.
    #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
    pub db: PathBuf,
}

/// Options of `serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on. Use 0.0.0.0:8080 so tablets on the hall's network can join.
    #[arg(long, env = "ACP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The SQLite database file (created if missing).
    #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
    pub db: PathBuf,
    /// The folder holding `curricula/` and `cases/`.
    #[arg(long, env = "ACP_CONTENT", default_value = ".")]
    pub content: PathBuf,
    /// The language of the content problems printed when the server refuses to start:
    /// `ja` (日本語) or `en`.
    #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
    pub lang: String,
    /// The organizer's password. Without it, a new sign-in code is printed at each start.
    #[arg(long, env = "ACP_ORGANIZER_PASSWORD", hide_env_values = true)]
    pub organizer_password: Option<String>,
    /// Seconds a device may take to send a request's head; an idle connection is closed
    /// after the same time (the browser opens a new one when it needs it).
    #[arg(long, env = "ACP_HEADER_TIMEOUT_SECS", default_value_t = crate::server::conn::HEADER_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,
    /// Seconds a device may take to send a whole request body (a form, an imported file).
    #[arg(long, env = "ACP_BODY_TIMEOUT_SECS", default_value_t = crate::server::conn::BODY_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout_secs: u64,
    /// Open connections one network address may hold (a hall behind one router shares one).
    #[arg(long, env = "ACP_CONNECTIONS_PER_ADDRESS", default_value_t = crate::server::conn::CONNECTIONS_PER_ADDRESS)]
    pub connections_per_address: usize,
    /// Open connections of all devices together; by default a little below the open-files limit.
    #[arg(long, env = "ACP_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Survey answers one network address may give to each survey step.
    #[arg(long, env = "ACP_SURVEY_ANSWERS_PER_ADDRESS", default_value_t = crate::server::limit::SURVEY_ANSWERS_PER_ADDRESS)]
    pub survey_answers_per_address: u32,
    /// Phone check-ins one network address may try per ten minutes.
    #[arg(long, env = "ACP_CHECKINS_PER_ADDRESS", default_value_t = crate::server::limit::CHECKINS_PER_ADDRESS)]
    pub checkins_per_address: u32,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: PathBuf::from("data/acp-workbook.db"),
            content: PathBuf::from("."),
            lang: "ja".to_string(),
            organizer_password: std::env::var("ACP_ORGANIZER_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
            header_timeout_secs: crate::server::conn::HEADER_TIMEOUT_SECS,
            body_timeout_secs: crate::server::conn::BODY_TIMEOUT_SECS,
            connections_per_address: crate::server::conn::CONNECTIONS_PER_ADDRESS,
            max_connections: None,
            survey_answers_per_address: crate::server::limit::SURVEY_ANSWERS_PER_ADDRESS,
            checkins_per_address: crate::server::limit::CHECKINS_PER_ADDRESS,
        }
    }
}

/// Options of `preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The folder holding `curricula/` and `cases/`.
    #[arg(long, env = "ACP_CONTENT", default_value = ".")]
    pub content: PathBuf,
    /// Address to listen on; only this computer by default (the previews need no sign-in).
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub addr: SocketAddr,
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The folder holding `curricula/` and `cases/`.
    #[arg(long, env = "ACP_CONTENT", default_value = ".")]
    pub content: PathBuf,
    /// The language of the problems: `ja` (日本語) or `en`.
    #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
    pub lang: String,
}

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Which document.
    #[command(subcommand)]
    pub document: ExportDocument,
    /// The language of the warnings (characters a PDF cannot print, and where they were
    /// typed): ja (the default) or en.
    #[arg(long, global = true, default_value = "ja", value_parser = ["ja", "en"])]
    pub lang: String,
}

/// The documents `export` makes.
#[derive(Debug, Subcommand)]
pub enum ExportDocument {
    /// The blank teaching-programme workbook of a curriculum, for participants to write in.
    Programme {
        /// The curriculum's id (the `id:` line at the top of its file).
        curriculum: String,
        /// The folder holding `curricula/` and `cases/`.
        #[arg(long, env = "ACP_CONTENT", default_value = ".")]
        content: PathBuf,
        #[command(flatten)]
        output: ExportOutput,
    },
    /// The facilitator guide: the workbook plus facilitator notes, timings, a run sheet,
    /// every role card and the learning points of each case.
    Guide {
        /// The curriculum's id (the `id:` line at the top of its file).
        curriculum: String,
        /// The folder holding `curricula/` and `cases/`.
        #[arg(long, env = "ACP_CONTENT", default_value = ".")]
        content: PathBuf,
        #[command(flatten)]
        output: ExportOutput,
    },
    /// The record of a session: roster, every step, every table's conclusions, paths, tallies.
    Session {
        /// The session's id (the last part of its record page address) or its join code.
        session: String,
        /// The SQLite database file.
        #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
        db: PathBuf,
        #[command(flatten)]
        output: ExportOutput,
    },
    /// The record of one table of a session, for the table to take home.
    Table {
        /// The session's id or join code.
        session: String,
        /// The table number.
        table: i64,
        /// The SQLite database file.
        #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
        db: PathBuf,
        #[command(flatten)]
        output: ExportOutput,
    },
    /// A session's complete data as JSON: every version of every conclusion, paths,
    /// timers, the event log, the roster, the survey and the content it ran on. Import it
    /// on another server with `import FILE`.
    Json {
        /// The session's id or join code.
        session: String,
        /// The SQLite database file.
        #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
        db: PathBuf,
        #[command(flatten)]
        output: DataOutput,
    },
    /// A session's newest conclusions as CSV for Excel (UTF-8 with BOM), one answer
    /// field per row: every table, or one with `--table N`.
    Csv {
        /// The session's id or join code.
        session: String,
        /// Only this table.
        #[arg(long)]
        table: Option<i64>,
        /// The SQLite database file.
        #[arg(long, env = "ACP_DB", default_value = "data/acp-workbook.db")]
        db: PathBuf,
        #[command(flatten)]
        output: DataOutput,
    },
}

/// Where the data exports (`json`, `csv`) write.
#[derive(Debug, Args)]
pub struct DataOutput {
    /// The file to write (replaced if it exists); `-` writes to standard output.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// Where and on what paper `export` writes.
#[derive(Debug, Args)]
pub struct ExportOutput {
    /// The PDF file to write (replaced if it exists).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Paper size: a4 or b5 (JIS B5, 182 × 257 mm).
    #[arg(long, value_enum, default_value_t = PaperSize::A4)]
    pub paper: PaperSize,
}

/// Paper sizes for `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperSize {
    /// A4, 210 × 297 mm.
    A4,
    /// JIS B5, 182 × 257 mm.
    B5,
}
