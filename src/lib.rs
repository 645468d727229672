//! acp-workbook: a decision-support workbook and case-study engine for advance care planning.
//!
//! The binary (`src/main.rs`) only parses the command line; everything else is here.

pub mod answer;
pub mod cli;
pub mod cmd;
pub mod content;
pub mod db;
pub mod exchange;
pub mod i18n;
pub mod live;
pub mod pdf;
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
pub mod workbook;

pub use server::{AppState, app};
