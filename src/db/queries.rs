//! Re-exports the per-kind row modules under their old path while callers move over.

pub use super::conclusions::*;
pub use super::events::*;
pub use super::sessions::*;
pub use super::tables::*;
pub use super::timers::*;
