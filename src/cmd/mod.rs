//! One module per subcommand.

pub mod backup;
pub mod check;
pub mod export;
pub mod import;
pub mod new;
pub mod preview;
pub mod serve;
pub mod share;
pub mod typeup;

/// Exit code when content (or a session file to import) has problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code when the server could not start for another reason.
pub const EXIT_FAILURE: u8 = 2;
