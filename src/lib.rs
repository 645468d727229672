//! acp-workbook: a decision-support workbook and case-study engine for advance care planning.
//!
//! One server runs facilitated case-review sessions from curriculum files: tables walk a
//! case and save their group conclusions, the facilitator sees every table live, and the
//! working group prints workbooks, records and reports. The binary (`src/main.rs`) only
//! parses the command line; everything else is here.
//!
//! # The parts, and what each may use
//!
//! | Part | Holds | May use | Never uses |
//! |---|---|---|---|
//! | [`content`] | curriculum and case files: parse, check, the model ([`content::model`]) | `text`, `lang` | anything else: no database, no server |
//! | [`answer`] | a table's typed [`answer::Answer`] per prompt kind: form decoding, checks, text in a language, the free-text purge, stored and shown forms | `content`, `text`, `i18n`, `lang` | `db`, `server` |
//! | [`session`] | session rules (which step, who may answer) and limits (tables, seats); comparisons across tables (`compare.rs`); step reports and step times (`steps.rs`) | `content`, `answer`, `db` rows | `server` |
//! | [`roster`], [`seating`], [`survey`], [`timer`] | domain rules for people, balanced seating, surveys, step clocks | `content`, `text` | `server` |
//! | [`db`] | every SQL statement, one file per kind of row; the writer thread and read pool ([`db::Db`]) | `content` and `answer` types, `roster`/`survey` types | domain rules (seating is planned before the store call), `server` |
//! | [`report`], [`workbook`], [`pdf`] | reports, CSV/JSON, workbook and record PDFs; `pdf` lays out [`pdf::Doc`] blocks | `db` rows, `session`, `answer`, `content` | `server` (a PDF never needs a request) |
//! | [`exchange`] | export/import of a whole session as one file | `db`, `content`, `answer` | `server` |
//! | [`live`] | the hub: fans events out to the screens of a session; knows no rows | nothing of the crate | `db`, `server` |
//! | [`problem`] | one [`problem::Problem`] for what users hand in (a roster CSV, a session file, a form): a place (line or JSON path), a message key, worded in the reader's language; authors' file problems are [`content::Problem`] | `answer` (a refused answer's reason), `i18n`, `lang` | `db`, `server` |
//! | [`text`] | cleaning every text from outside, length limits, CSV for Excel ([`text::csv`]: BOM, formula guard), local times ([`text::time`]) | nothing of the crate | — (every part may use it) |
//! | [`render`], [`i18n`], [`lang`] | minijinja templates with their own [`render::RenderError`]; UI strings in both languages (data files `src/i18n/ja.txt`, `en.txt`); the [`lang::Lang`] of a page or a text, decided once where it enters (the `lang` cookie in `server::PageLang`, a curriculum's `language:`) | `content`, `text` | `server` |
//! | [`server`] | axum routes, one file per role, each with `routes()`; the organizer's routes behind one `organizer_only` layer, table screens behind the device guard; limits, error pages | all of the above | — (nothing below imports it) |
//! | [`cmd`], [`cli`] | the commands (`serve`, `check`, `export`, `import`, `backup`) | all of the above | — |
//!
//! # The path of a save
//!
//! 1. The table screen (`templates/table.html`, `macros.html` `prompt_form`, autosave in
//!    `templates/static/live.js`) posts the form to `POST /t/{token}/answer`.
//! 2. `server::table::answer` passes the table-device gate (`server::devices`), the save
//!    limiter and the step rules (`session`), then decodes the form into an
//!    [`answer::Answer`] with `Answer::from_form`, which checks it against its prompt.
//! 3. `db::conclusions::save_conclusion_by` runs on the writer thread ([`db::Db::write`]):
//!    it compares the base version (a conflict returns the current row), appends a new
//!    version and a `saved` event, and is acknowledged only after its group's COMMIT.
//! 4. The reply goes back first; then `publish_saved` renders `cell.html` once per language
//!    and the [`live`] hub sends a `saved` event to the staff (facilitator page, wall tile,
//!    projector tallies) and to the table's other devices.
//! 5. Reports and PDFs read the latest versions (`db::conclusions::latest_conclusions`)
//!    through the read pool: `workbook::record` builds the session-record [`pdf::Doc`],
//!    `report` the report page, CSV and JSON, `exchange` the export file.
//!
//! # Adding a prompt kind
//!
//! Every file a new kind touches (grep an existing kind such as `FourBox` / `four-box`):
//!
//! - `src/content/model.rs` — a `PromptKind` variant with its settings;
//! - `src/content/parse/prompt.rs` — reading its `kind=` and settings, with problems for bad ones;
//! - `src/answer/mod.rs` — the `Answer` variant and its parts;
//! - `src/answer/form.rs` — `from_form` and `to_form`;
//! - `src/answer/check.rs` — `check` against the prompt's settings (and any new `AnswerError`);
//! - `src/answer/text.rs` — `plain` text and `fields_in` labelled fields, both in a `Lang`;
//! - `src/answer/purge.rs` — `without_free_text`: which of its fields are free text (purged
//!   with personal data), with a test;
//! - `templates/macros.html` / `templates/prompt_kinds.html` — the form on the table screen and its view;
//! - `templates/static/app.css` — its layout;
//! - `src/session/compare.rs` — how answers of that kind compare across tables (`compare`);
//! - `src/report/session.rs` (and `report/cross.rs` if it has text for themes) — report lines;
//! - `src/workbook/forms.rs`, `src/workbook/answers.rs`, `src/workbook/demo.rs` — the blank
//!   workbook page, the printed answer and the demo answer;
//! - `src/i18n/ja.txt`, `src/i18n/en.txt` — its labels in Japanese and English (section `[kinds]`);
//! - `tests/fixtures/content/cases/all-kinds.md`, `tests/app/prompt_kinds.rs` — a fixture and
//!   a test that saves, shows and prints it.

pub mod answer;
pub mod cli;
pub mod cmd;
pub mod content;
pub mod db;
pub mod exchange;
pub mod i18n;
pub mod lang;
pub mod live;
pub mod pdf;
pub mod problem;
pub mod render;
pub mod report;
pub mod roster;
pub mod seating;
pub mod server;
pub mod session;
pub mod survey;
pub mod text;
pub mod timer;
pub mod token;
pub mod typeup;
pub mod workbook;

pub use server::{AppState, app};
