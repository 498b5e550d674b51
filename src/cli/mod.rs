//! The command line: clap derive, one file per subcommand, dispatched from
//! one enum. This is the only module that prints or picks an exit code.
//!
//! Exit codes, for every command: 0 success; 1 the governance content is
//! wrong; 2 usage error; 3 the environment failed. Every write goes
//! through [`out`], which says what a closed pipe or a full disk does.

mod build;
mod check;
mod drift;
mod error;
mod escalations;
mod explain;
mod fmt;
mod format;
mod global;
mod history;
mod import;
mod init;
mod key;
mod keygen;
mod names;
mod out;
mod release;
mod schema;
mod signers;
mod source;
mod verify;

pub use error::{CommandError, Exit};
pub use format::Format;
pub use global::Global;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

// Parse with [`parse`], never `Cli::parse`, which would let any command
// take any format.
/// Compile governance-as-code: check declarations of AI assets, owners and
/// controls, and build framework mappings, RACI matrices and policy bundles
#[derive(Debug, Parser)]
#[command(name = "govern", version, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 success, 1 governance content is wrong, 2 usage error, 3 environment failure."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::Args),
    Check(check::Args),
    Drift(drift::Args),
    Escalations(escalations::Args),
    Explain(explain::Args),
    Fmt(fmt::Args),
    History(history::Args),
    Import(import::Args),
    Init(init::Args),
    Keygen(keygen::Args),
    Release(release::Args),
    Schema(schema::Args),
    Signers(signers::Args),
    Verify(verify::Args),
}

/// Parses the process's command line; on a usage error, or for `--help`
/// and `--version`, prints clap's message and exits (2 for an error).
pub fn parse() -> Cli {
    parse_from(std::env::args_os()).unwrap_or_else(|e| e.exit())
}

/// Parses `args`, the program name first. Unlike `Cli::parse`, this holds
/// every command to the formats it writes (see [`format`]).
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut command = format::per_command(Cli::command());
    let matches = command.try_get_matches_from_mut(args)?;
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
    if let Some(name) = matches.subcommand_name() {
        format::check(&command, name, cli.global.format)?;
    }
    Ok(cli)
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match &cli.command {
        Command::Build(args) => build::run(&cli.global, args),
        Command::Check(args) => check::run(&cli.global, args),
        Command::Drift(args) => drift::run(&cli.global, args),
        Command::Escalations(args) => escalations::run(&cli.global, args),
        Command::History(args) => history::run(&cli.global, args),
        Command::Import(args) => import::run(&cli.global, args),
        Command::Explain(args) => explain::run(&cli.global, args),
        Command::Init(args) => init::run(&cli.global, args),
        Command::Fmt(args) => fmt::run(&cli.global, args),
        Command::Schema(args) => schema::run(&cli.global, args),
        Command::Keygen(args) => keygen::run(&cli.global, args),
        Command::Release(args) => release::run(&cli.global, args),
        Command::Signers(args) => signers::run(&cli.global, args),
        Command::Verify(args) => verify::run(&cli.global, args),
    };
    match result {
        Ok(exit) => exit.code(),
        Err(error) => {
            // The exit code is decided; a message that cannot be written
            // changes nothing.
            let _ = error.print(cli.global.color_stderr());
            error.exit().code()
        }
    }
}
