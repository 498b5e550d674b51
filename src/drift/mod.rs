//! `govern drift` and `govern history`: the semantic diff of two compiled
//! models, blame of each change to the commit that introduced it, the
//! report that holds them with its renderers (human, Markdown, JSON,
//! SARIF), the `--since` window, and the ownership timeline of first-parent
//! history.

mod applied;
pub mod blame;
pub mod changes;
mod crosswalks;
pub mod history;
pub mod human;
pub mod json;
pub mod markdown;
mod privileges;
pub mod report;
mod same;
pub mod sarif;
pub mod since;
mod unchanged;

pub use changes::{diff, Change, Kind, Severity};
pub use report::Report;
