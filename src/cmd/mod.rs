//! One module per subcommand.

pub mod backup;
pub mod check;
pub mod export;
pub mod serve;

/// Exit code when content has problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code when the server could not start for another reason.
pub const EXIT_FAILURE: u8 = 2;
