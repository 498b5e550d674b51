//! `govern explain ASSET`: one asset whole: owners, RACI, the controls that
//! apply with their framework references, exceptions, findings and tools.

use super::format::Format;
use super::{names, out, source, CommandError, Exit, Global};
use crate::explain::Explanation;

/// Show one asset whole: owners, RACI, controls, exceptions, findings, tools
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The asset id
    pub asset: String,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let outcome = source::load(global, None)?.outcome;
    let known = outcome.model.assets.keys().map(|k| k.as_str());
    names::require("asset", &args.asset, "", known)?;
    let explanation = Explanation::of(&outcome, &outcome.model.assets[args.asset.as_str()]);
    match global.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&explanation)
                .map_err(|e| CommandError::environment(&e))?;
            out::stdout(format_args!("{text}\n"))?;
        }
        // Explain writes only human and json: `format::WRITES`.
        _ => out::stdout(explanation.to_string())?,
    }
    Ok(Exit::Success)
}
