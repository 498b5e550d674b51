//! `govern schema`: print the JSON Schema of the declaration files.

use super::global::Format;
use super::{out, CommandError, Exit, Global};

/// Print a JSON Schema of the declaration files, for editors (taplo, Even
/// Better TOML)
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(global: &Global, _args: &Args) -> Result<Exit, CommandError> {
    global.require_format("schema", &[Format::Human])?;
    out::stdout(crate::schema::render())?;
    Ok(Exit::Success)
}
