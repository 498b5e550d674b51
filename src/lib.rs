//! govern: a Git-backed governance-as-code compiler.
//!
//! The data flows one way: `read` is where every command gets its
//! declarations, from the working tree or a Git revision (through `git`),
//! with their provenance; it has `load` read the files into raw,
//! span-keeping types and `check` resolve them into the validated `model`
//! and run the governance rules, collecting `diag`nostics. `compile` and
//! `drift` turn checked models into artifacts and reports; `sign` signs and
//! verifies them; `cli` parses the command line, calls into these, prints
//! and picks exit codes.
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
pub mod escalate;
pub mod explain;
pub mod file_kind;
pub mod fmt;
pub mod git;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod read;
pub mod replace;
pub mod schema;
pub mod sign;
pub mod source;
pub mod stream;
pub mod vocab;
