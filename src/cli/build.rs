//! `govern build`: check, then compile the baseline into the output folder.

use super::{check, key, out, source, CommandError, Exit, Global};
use crate::check::Outcome;
use crate::compile::{self, manifest, output, Provenance, Templates};
use crate::read::Checked;
use std::path::{Path, PathBuf};

mod interrupt;

/// Check the declarations and compile the baseline: framework mappings,
/// RACI matrices, CODEOWNERS, findings, an HTML report, an OSCAL export and
/// a manifest
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder; replaced whole, never half-written
    #[arg(long, value_name = "DIR", default_value = "dist")]
    pub out: PathBuf,

    /// Folder of templates that replace the built-in ones by name
    /// [default: templates/ beside the governance folder]
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Build this revision, read from Git objects, instead of the working tree
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Sign the OPA bundle with this Ed25519 key in OpenSSH format
    /// (`.signatures.json`, EdDSA; OPA verifies it from version 1.8)
    #[arg(long, value_name = "KEY")]
    pub sign_bundle: Option<PathBuf>,

    /// Also write each reported framework as an OSCAL catalog in
    /// oscal/catalogs/, which the component definition then points at
    #[arg(long)]
    pub oscal_catalogs: bool,
}

/// How many warnings and infos a successful build writes out in full.
const SHOWN: usize = 20;

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let Checked {
        outcome,
        provenance,
        commit,
    } = source::load(global, args.rev.as_deref())?;
    if outcome.has_errors() {
        check::report(global, &outcome)?;
        out::stderr("build stopped: fix the errors above; nothing was written\n")?;
        return Ok(Exit::Content);
    }
    let templates = source::templates(
        global,
        args.templates.as_deref(),
        args.rev.as_deref(),
        commit,
    )?;
    let key = match &args.sign_bundle {
        Some(path) => Some(key::read(path)?),
        None => None,
    };
    let options = compile::Options {
        bundle_key: key.as_ref().map(|k| &k.signing),
        oscal_catalogs: args.oscal_catalogs,
        skip_oscal: false,
    };
    let written = write(
        &args.out,
        &outcome,
        &templates,
        &provenance,
        &options,
        |_| Ok(Vec::new()),
    )?;
    let baseline = &written.compiled;
    // Every warning is in findings.json; the summary lists the first few.
    let elsewhere = format!(
        "{} holds them all, and `govern check` lists them",
        args.out.join("findings.json").display()
    );
    check::report_some(global, &outcome, SHOWN, &elsewhere)?;
    let mut summary = String::new();
    for f in &baseline.coverage {
        summary.push_str(&format!(
            "  {:<28} {:>5.1}%  ({} covered, {} partial, {} gaps of {})\n",
            f.framework,
            f.summary.percent,
            f.summary.covered,
            f.summary.partial,
            f.summary.gaps,
            f.summary.total
        ));
    }
    for path in &baseline.unowned_paths {
        summary.push_str(&format!(
            "  note: CODEOWNERS has no handle for the owners of {path}\n"
        ));
    }
    summary.push_str(&format!(
        "wrote {} files to {}; open {} for the dashboard\n",
        written.files,
        args.out.display(),
        args.out.join("report.html").display()
    ));
    out::stderr(summary)?;
    // The process ends here: let the system reclaim the model and the
    // baseline at once instead of freeing millions of small allocations.
    std::mem::forget(outcome);
    std::mem::forget(written);
    Ok(Exit::Success)
}

/// A baseline written to its output folder.
pub(super) struct Written {
    /// What the manifest records of each compiled file, with the summary.
    pub compiled: compile::Compiled<manifest::Entry>,
    /// The bytes of MANIFEST.json.
    pub manifest: Vec<u8>,
    /// How many files were written, the manifest and those beside it
    /// included.
    pub files: usize,
}

/// Compiles the baseline into `out` through a staging folder: every file as
/// it is ready, then MANIFEST.json, then the files `beside` makes from the
/// manifest's bytes (a release's signature); then moves it into place whole.
/// On any error the staging folder is removed and `out` stays as it was.
pub(super) fn write(
    out: &Path,
    outcome: &Outcome,
    templates: &Templates,
    provenance: &Provenance,
    options: &compile::Options<'_>,
    beside: impl FnOnce(&[u8]) -> Result<Vec<(&'static str, Vec<u8>)>, CommandError>,
) -> Result<Written, CommandError> {
    interrupt::guard();
    let staging = output::Staging::begin(out).map_err(output_error)?;
    let compiled = compile::compile_into(outcome, templates, provenance, options, &staging)
        .map_err(compile_error)?;
    let manifest = manifest::document(&compiled.files, provenance);
    let extra = beside(&manifest)?;
    staging
        .put(manifest::MANIFEST, &manifest)
        .map_err(output_error)?;
    for (name, bytes) in &extra {
        staging.put(name, bytes).map_err(output_error)?;
    }
    staging.commit().map_err(output_error)?;
    Ok(Written {
        files: compiled.files.len() + 1 + extra.len(),
        compiled,
        manifest,
    })
}

/// The error of an output folder that cannot be written or replaced.
fn output_error(e: output::Error) -> CommandError {
    if e.is_refusal() {
        CommandError::usage(e.to_string()).hint(
            "give --out a new path, an empty folder, or one that a previous `govern build` wrote; it was left as it is",
        )
    } else {
        CommandError::environment(&e)
    }
}

/// The error of a compile that failed on a template or while writing.
fn compile_error(e: compile::Error) -> CommandError {
    match e {
        compile::Error::Output(e) => output_error(e),
        e => source::template_error(e),
    }
}
