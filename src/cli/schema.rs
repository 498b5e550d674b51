//! `govern schema`: print the JSON Schema of the declaration files.

use super::{out, CommandError, Exit, Global};

/// Print a JSON Schema of the declaration files, for editors (taplo, Even
/// Better TOML)
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_global: &Global, _args: &Args) -> Result<Exit, CommandError> {
    out::stdout(crate::schema::render())?;
    Ok(Exit::Success)
}
