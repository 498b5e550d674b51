use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    govern::cli::run(govern::cli::Cli::parse())
}
