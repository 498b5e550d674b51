//! `govern build`: model -> the compiled baseline: model.json, findings,
//! framework mappings, RACI matrices, CODEOWNERS, the HTML report and the
//! manifest. The outputs are compiled as parallel tasks; each file goes to a
//! store as soon as it is ready: memory (a [`Baseline`]), or the staging
//! folder of `output`, which is moved into place whole once every file and
//! the manifest are written.
//!
//! The same model gives byte-identical files: maps are walked in id order,
//! JSON keys are sorted, and no clock is read.

pub mod cedar;
pub mod codeowners;
pub mod json;
pub mod manifest;
pub mod mapping;
mod model_json;
pub mod opa;
pub mod output;
pub mod raci;
pub mod report;
pub mod runtime;
pub mod templates;

use crate::check::Outcome;
use crate::diag::{self, Severity};
use crate::model::coverage::{self, FrameworkSummary};
use crate::model::{applies, raci as model_raci, Asset, AssetId, Control, ControlId, Model};
use rayon::prelude::*;
use std::collections::BTreeMap;
pub use templates::Templates;

/// Where the compiled model came from, for the manifest and bundles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The commit built, or HEAD when the working tree matches it.
    pub commit: Option<String>,
    /// The Git tree id of the governance folder.
    pub tree: Option<String>,
    /// True when the working tree differs from the commit.
    pub dirty: bool,
    /// The commit's date (RFC 3339), which dates a release.
    pub date: Option<String>,
}

impl Provenance {
    /// The provenance of a build outside any commit.
    pub fn default_dirty() -> Self {
        Provenance {
            commit: None,
            tree: None,
            dirty: true,
            date: None,
        }
    }

    /// The bundle revision: the commit when the input matches it exactly.
    pub fn revision(&self) -> String {
        match (&self.commit, self.dirty) {
            (Some(commit), false) => commit.clone(),
            _ => "worktree".into(),
        }
    }
}

/// Options of one compile run.
#[derive(Default)]
pub struct Options<'a> {
    /// Signs the OPA bundle with this key (`.signatures.json`).
    pub bundle_key: Option<&'a ed25519_dalek::SigningKey>,
}

/// Per-asset results computed once and shared by every output.
pub struct Resolved<'m> {
    pub assets: Vec<ResolvedAsset<'m>>,
    /// Control -> the assets it applies to, in id order.
    pub applies: BTreeMap<&'m ControlId, Vec<&'m AssetId>>,
}

/// One asset with the controls that apply to it and its RACI.
pub struct ResolvedAsset<'m> {
    pub asset: &'m Asset,
    pub controls: Vec<&'m Control>,
    pub raci: Vec<model_raci::Row<'m>>,
}

/// Resolves controls and RACI for every asset, in parallel.
pub fn resolve(model: &Model) -> Resolved<'_> {
    let assets: Vec<ResolvedAsset> = model
        .assets
        .values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|asset| {
            let controls: Vec<&Control> = model.controls_for(asset).collect();
            let roles = model_raci::RoleTeams::with_controls(model, asset, &controls);
            ResolvedAsset {
                asset,
                raci: model_raci::resolve_with(model, &roles),
                controls,
            }
        })
        .collect();
    let applies = applies::by_control_from(
        model,
        assets.iter().map(|r| (r.asset, r.controls.as_slice())),
    );
    Resolved { assets, applies }
}

/// Why a baseline could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Template(#[from] templates::Error),
    #[error(transparent)]
    Output(#[from] output::Error),
}

/// The compiled baseline: each file as the store passed to
/// [`compile_into`] kept it, by path relative to the output folder.
#[derive(Debug)]
pub struct Compiled<F> {
    pub files: BTreeMap<String, F>,
    /// Coverage per framework, for the command's summary.
    pub coverage: Vec<FrameworkSummary>,
    /// Assets whose accountable owner has no handle for CODEOWNERS.
    pub unowned_paths: Vec<String>,
}

impl<F> Default for Compiled<F> {
    fn default() -> Self {
        Compiled {
            files: BTreeMap::new(),
            coverage: Vec::new(),
            unowned_paths: Vec::new(),
        }
    }
}

/// A baseline held in memory: the bytes of every file.
pub type Baseline = Compiled<Vec<u8>>;

/// Compiles every output of the baseline except the manifest, in memory.
pub fn compile(
    outcome: &Outcome,
    templates: &Templates,
    provenance: &Provenance,
    options: &Options<'_>,
) -> Result<Baseline, Error> {
    compile_into(outcome, templates, provenance, options, &|_, pieces| {
        Ok(pieces.concat())
    })
}

/// Keeps one compiled file, given its path and bytes: in memory, or written
/// out with what the manifest records of it.
pub type Store<'s, F> = dyn Fn(&str, Pieces) -> Result<F, Error> + Sync + 's;

/// Compiles every output of the baseline except the manifest, handing each
/// file to `store` as soon as it is ready; what `store` returns is kept.
/// The outputs are independent tasks, run in parallel, and a build that
/// stores files on disk as they come never holds the whole baseline.
pub fn compile_into<F: Send>(
    outcome: &Outcome,
    templates: &Templates,
    provenance: &Provenance,
    options: &Options<'_>,
    store: &Store<'_, F>,
) -> Result<Compiled<F>, Error> {
    let model = &outcome.model;
    let resolved = resolve(model);
    let coverage = coverage::frameworks(model, &resolved.applies);
    let owners = codeowners::build(model, &outcome.sources);
    type Task<'t> = Box<dyn Fn() -> Result<Vec<File>, Error> + Send + Sync + 't>;
    let tasks: Vec<Task> = vec![
        Box::new(|| {
            let text = model_json::render(model, &outcome.sources, &resolved);
            Ok(vec![("model.json".into(), text)])
        }),
        Box::new(|| Ok(findings_files(outcome))),
        Box::new(|| mapping::files(model, &coverage, templates)),
        Box::new(|| raci::pages(&resolved, templates)),
        Box::new(|| raci::matrix(&resolved, templates)),
        Box::new(|| raci::teams(model, &resolved, templates)),
        Box::new(|| {
            let text = templates.render("CODEOWNERS", &owners)?;
            Ok(vec![("CODEOWNERS".into(), text.into())])
        }),
        Box::new(|| {
            let report = report::context(outcome, &resolved, &coverage, provenance);
            let text = templates.render("report.html", &report)?;
            Ok(vec![("report.html".into(), text.into())])
        }),
        Box::new(|| bundle_files(model, &resolved, templates, provenance, options)),
    ];
    let results: Vec<Result<Vec<(String, F)>, Error>> = tasks
        .par_iter()
        .map(|task| {
            task()?
                .into_par_iter()
                .map(|(path, bytes)| {
                    let kept = store(&path, bytes)?;
                    Ok((path, kept))
                })
                .collect()
        })
        .collect();
    let mut out = Compiled::default();
    for result in results {
        out.files.extend(result?);
    }
    out.unowned_paths = owners.unowned.iter().map(|u| u.path.clone()).collect();
    out.coverage = coverage.iter().map(Into::into).collect();
    Ok(out)
}

/// `findings.json` and `findings.sarif`: the warnings and infos of check.
fn findings_files(outcome: &Outcome) -> Vec<File> {
    let reported: Vec<diag::Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .cloned()
        .collect();
    vec![
        (
            "findings.json".into(),
            diag::json::render(&outcome.sources, &reported).into(),
        ),
        (
            "findings.sarif".into(),
            diag::sarif::render(&outcome.sources, &reported, env!("CARGO_PKG_VERSION")).into(),
        ),
    ]
}

/// One output file: path and bytes.
pub(crate) type File = (String, Pieces);

/// The bytes of one output file in pieces, written one after another: the
/// largest outputs are rendered in parallel chunks and never copied into
/// one buffer.
#[derive(Debug, Default)]
pub struct Pieces(pub Vec<Vec<u8>>);

impl Pieces {
    /// The bytes in one buffer.
    pub fn concat(self) -> Vec<u8> {
        match <[Vec<u8>; 1]>::try_from(self.0) {
            Ok([one]) => one,
            Err(pieces) => pieces.concat(),
        }
    }
}

impl From<Vec<u8>> for Pieces {
    fn from(bytes: Vec<u8>) -> Self {
        Pieces(vec![bytes])
    }
}

impl From<String> for Pieces {
    fn from(text: String) -> Self {
        Pieces(vec![text.into_bytes()])
    }
}

/// The OPA bundle (signed when a key is given) and the Cedar policy set.
fn bundle_files(
    model: &Model,
    resolved: &Resolved<'_>,
    templates: &Templates,
    provenance: &Provenance,
    options: &Options<'_>,
) -> Result<Vec<File>, Error> {
    let runtimes = runtime::all(model, resolved);
    let (opa_archive, cedar_files) = rayon::join(
        || -> Result<Vec<u8>, Error> {
            let mut opa_files = opa::files(&runtimes, provenance, templates)?;
            if let Some(key) = options.bundle_key {
                let signatures = opa::signatures(&opa_files, key);
                opa_files.insert(".signatures.json".into(), signatures);
            }
            Ok(opa::archive(&opa_files))
        },
        || cedar::files(&runtimes, templates),
    );
    let mut files = vec![("bundles/opa/bundle.tar.gz".to_string(), opa_archive?.into())];
    files.extend(
        cedar_files?
            .into_iter()
            .map(|(path, bytes)| (path, bytes.into())),
    );
    Ok(files)
}
