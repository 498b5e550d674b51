//! `govern drift` and `govern history`: the semantic diff of two compiled
//! models, blame of each change to the commit that introduced it, and the
//! ownership timeline of first-parent history.

pub mod blame;
pub mod changes;
pub mod history;
pub mod sarif;
pub mod since;

pub use changes::{diff, Change, Kind, Severity};
