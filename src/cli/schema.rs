//! `govern schema`: print the JSON Schema of the declaration files.

use super::{CommandError, Exit, Global};

/// The JSON Schema of governance files, for editors such as taplo and Even
/// Better TOML.
pub const SCHEMA: &str = include_str!("../schema/govern.schema.json");

/// Print a JSON Schema of the declaration files, for editors
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_global: &Global, _args: &Args) -> Result<Exit, CommandError> {
    print!("{SCHEMA}");
    if !SCHEMA.ends_with('\n') {
        println!();
    }
    Ok(Exit::Success)
}
