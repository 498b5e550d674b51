//! govern: a Git-backed governance-as-code compiler.
//!
//! The data flows one way: `load` reads declaration files into raw,
//! span-keeping types; `check` resolves them into the validated `model` and
//! runs the governance rules, collecting `diag`nostics; `cli` prints and
//! picks exit codes.
#![forbid(unsafe_code)]
// Every write to standard output or standard error goes through
// `cli::out`, which returns its failures; `print!` would panic on a closed
// pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod compile;
pub mod diag;
pub mod drift;
pub mod explain;
pub mod git;
pub mod load;
pub mod model;
pub mod schema;
pub mod sign;
pub mod source;
