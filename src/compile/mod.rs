//! `govern build`: model -> the compiled baseline: model.json, findings,
//! framework mappings, RACI matrices, CODEOWNERS, the HTML report, the OSCAL
//! export and the manifest. The outputs are compiled as parallel tasks; each file goes to a
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
pub mod oscal;
pub mod output;
pub mod raci;
pub mod report;
pub mod runtime;
pub mod templates;

use crate::check::Outcome;
use crate::diag::{self, Severity};
use crate::model::applies::{profile, Profile};
use crate::model::coverage::{self, AssetSet, FrameworkSummary};
use crate::model::{raci as model_raci, Asset, Control, Model};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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
    /// Also writes each reported framework as an OSCAL catalog.
    pub oscal_catalogs: bool,
    /// Leaves the OSCAL export out, for callers that only compare the
    /// text outputs (`drift --artifacts`).
    pub skip_oscal: bool,
}

/// Per-asset results computed once and shared by every output.
pub struct Resolved<'m> {
    pub assets: Vec<ResolvedAsset<'m>>,
    /// Control -> the set of assets it applies to, by their position in
    /// `assets`; controls that apply to none are left out.
    pub applies: BTreeMap<&'m str, AssetSet>,
    /// Each distinct list of controls, in the order assets first have it;
    /// [`ResolvedAsset::profile`] indexes it.
    pub profiles: Vec<Arc<[&'m Control]>>,
}

/// One asset with the controls that apply to it and the teams of its
/// roles. Its RACI is made from those when an output asks
/// ([`ResolvedAsset::raci`]): the cells of every asset held at once would
/// take most of a large build's memory.
pub struct ResolvedAsset<'m> {
    pub asset: &'m Asset,
    /// Shared by every asset that controls cannot tell apart.
    pub controls: Arc<[&'m Control]>,
    /// Its list of controls among [`Resolved::profiles`].
    pub profile: usize,
    model: &'m Model,
    roles: model_raci::RoleTeams<'m>,
}

impl<'m> ResolvedAsset<'m> {
    /// The asset's RACI: one row per activity.
    pub fn raci(&self) -> Vec<model_raci::Row<'m>> {
        model_raci::resolve_with(self.model, &self.roles)
    }
}

/// Resolves controls and role teams for every asset, in parallel. The
/// controls are found once per profile of the assets, not once per asset.
pub fn resolve(model: &Model) -> Resolved<'_> {
    let assets: Vec<&Asset> = model.assets.values().collect();
    let all: Vec<&Control> = model.controls.values().collect();
    // Each profile's controls, and their positions in id order.
    let mut found: Vec<(Arc<[&Control]>, Vec<usize>)> = Vec::new();
    let mut index: HashMap<Profile, usize> = HashMap::new();
    let of: Vec<usize> = assets
        .iter()
        .map(|a| {
            *index.entry(profile(a)).or_insert_with(|| {
                let positions: Vec<usize> = (0..all.len())
                    .filter(|i| all[*i].applies_to.matches(a))
                    .collect();
                found.push((positions.iter().map(|i| all[*i]).collect(), positions));
                found.len() - 1
            })
        })
        .collect();
    let mut sets: Vec<AssetSet> = vec![AssetSet::default(); model.controls.len()];
    for (i, p) in of.iter().enumerate() {
        for c in &found[*p].1 {
            sets[*c].insert(i);
        }
    }
    let applies = model
        .controls
        .keys()
        .zip(sets)
        .filter(|(_, set)| !set.is_empty())
        .map(|(c, set)| (c.as_str(), set))
        .collect();
    let assets: Vec<ResolvedAsset> = assets
        .into_par_iter()
        .zip(of)
        .map(|(asset, p)| {
            let controls = found[p].0.clone();
            ResolvedAsset {
                asset,
                profile: p,
                roles: model_raci::RoleTeams::with_controls(model, asset, &controls),
                controls,
                model,
            }
        })
        .collect();
    let profiles = found.into_iter().map(|(controls, _)| controls).collect();
    Resolved {
        assets,
        applies,
        profiles,
    }
}

/// Why a baseline could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Template(templates::Error),
    #[error(transparent)]
    Output(#[from] output::Error),
    /// A write into a file being made failed; the [`Store`] that made the
    /// file names it, as an [`Error::Output`].
    #[error("cannot write a compiled file")]
    Stream(#[from] std::io::Error),
}

impl From<templates::Error> for Error {
    /// A failure to write what a template rendered is a failure to write
    /// the file, which the store names.
    fn from(e: templates::Error) -> Self {
        match e {
            templates::Error::Write(e) => Error::Stream(e),
            e => Error::Template(e),
        }
    }
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
    compile_into(outcome, templates, provenance, options, &Memory)
}

/// What fills one file: it writes the file's bytes, in order, into the
/// writer it is given, which buffers them.
pub type Fill<'f> = dyn FnMut(&mut dyn Write) -> Result<(), Error> + 'f;

/// Where compiled files go as they are made: memory, or the staging folder
/// of a build onto disk ([`output::Staging`]). Each output task makes its
/// files one after another from one thread, so a folder's files are
/// created by one thread and a file is never held whole before it is
/// written.
pub trait Store: Sync {
    /// What is kept of each file: its bytes, or what the manifest records.
    type Kept: Send;

    /// Makes the file `path` (relative to the output folder, `/` between
    /// folders) from what `fill` writes. An [`Error::Stream`] that `fill`
    /// returns is reported as a failure to write `path`.
    fn file(&self, path: &str, fill: &mut Fill<'_>) -> Result<Self::Kept, Error>;

    /// Makes the file `path` from `bytes`, already whole: what [`file`]
    /// makes of a fill that writes them.
    ///
    /// [`file`]: Store::file
    fn whole(&self, path: &str, bytes: &[u8]) -> Result<Self::Kept, Error> {
        self.file(path, &mut |w| Ok(w.write_all(bytes)?))
    }
}

/// The store of [`compile`]: every file's bytes in memory.
pub struct Memory;

impl Store for Memory {
    type Kept = Vec<u8>;

    fn file(&self, _: &str, fill: &mut Fill<'_>) -> Result<Vec<u8>, Error> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        Ok(bytes)
    }
}

/// The files one output task made: path and what the store kept.
type Made<K> = Vec<(String, K)>;

/// Stores a file whose bytes are already whole.
fn whole<S: Store + ?Sized>(
    store: &S,
    path: &str,
    bytes: &[u8],
) -> Result<(String, S::Kept), Error> {
    Ok((path.to_string(), store.whole(path, bytes)?))
}

/// [`crate::stream::stream`] for the compiled files, whose renderers fail
/// with an [`Error`].
pub(crate) fn stream<T: Sync>(
    items: &[T],
    chunk: usize,
    w: &mut dyn Write,
    render: impl Fn(bool, &[T], &mut Vec<u8>) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    crate::stream::stream(items, chunk, w, render)
}

/// One output task of [`compile_into`]: the files it made.
type Task<'t, K> = Box<dyn Fn() -> Result<Made<K>, Error> + Send + Sync + 't>;

/// Runs `tasks`, listed largest first, on every thread: each thread takes
/// the next task not yet begun. The long tasks start at once and the short
/// ones fill in around them, so no thread is left alone with a long task
/// at the end. The results are in the order of `tasks`. Every pool thread
/// joins the broadcast before it returns, so a call from inside the pool
/// waits for threads busy elsewhere: build calls it from its own thread.
fn largest_first<R: Send>(tasks: &[Box<dyn Fn() -> R + Send + Sync + '_>]) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let done: Vec<Mutex<Option<R>>> = tasks.iter().map(|_| Mutex::new(None)).collect();
    rayon::broadcast(|_| loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(task) = tasks.get(i) else { break };
        let result = task();
        *done[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    });
    done.into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every task ran: the threads stop only when none is left")
        })
        .collect()
}

/// Compiles every output of the baseline except the manifest, handing each
/// file to `store` as it is made; what `store` keeps is returned. The
/// outputs are independent tasks, run in parallel; the large files are
/// written as they are rendered, so a build onto disk never holds the
/// baseline, nor even one whole large file, in memory.
pub fn compile_into<S: Store>(
    outcome: &Outcome,
    templates: &Templates,
    provenance: &Provenance,
    options: &Options<'_>,
    store: &S,
) -> Result<Compiled<S::Kept>, Error> {
    let model = &outcome.model;
    let resolved = resolve(model);
    let coverage = coverage::frameworks_of(model, &resolved.applies);
    let owners = codeowners::build(model, &outcome.sources);
    // Largest first (see `largest_first`), as a build of 10,000 assets
    // measures them.
    let tasks: Vec<Task<S::Kept>> = vec![
        Box::new(|| {
            if options.skip_oscal {
                return Ok(Vec::new());
            }
            let context =
                oscal::Context::new(model, provenance, outcome.today, options.oscal_catalogs);
            oscal::files(&context, &resolved, options.oscal_catalogs, store)
        }),
        Box::new(|| {
            let report = report::context(outcome, &resolved, &coverage, provenance);
            let kept = store.file("report.html", &mut |w| {
                Ok(templates.render_to("report.html", &report, w)?)
            })?;
            Ok(vec![("report.html".into(), kept)])
        }),
        Box::new(|| raci::pages(&resolved, templates, store)),
        Box::new(|| bundle_files(model, &resolved, templates, provenance, options, store)),
        Box::new(|| findings_sarif(outcome, store)),
        Box::new(|| findings_json(outcome, store)),
        Box::new(|| {
            let kept = store.file("raci/teams.md", &mut |w| {
                raci::teams(model, &resolved, templates, w)
            })?;
            Ok(vec![("raci/teams.md".into(), kept)])
        }),
        Box::new(|| {
            let kept = store.file("model.json", &mut |w| {
                model_json::write(model, &outcome.sources, &resolved, w)
            })?;
            Ok(vec![("model.json".into(), kept)])
        }),
        Box::new(|| {
            let kept = store.file(raci::MATRIX, &mut |w| raci::matrix(&resolved, templates, w))?;
            Ok(vec![(raci::MATRIX.into(), kept)])
        }),
        Box::new(|| mapping::files(model, &coverage, templates, store)),
        Box::new(|| {
            let text = templates.render("CODEOWNERS", &owners)?;
            Ok(vec![whole(store, "CODEOWNERS", text.as_bytes())?])
        }),
    ];
    let results = largest_first(&tasks);
    let mut out = Compiled::default();
    for result in results {
        out.files.extend(result?);
    }
    out.unowned_paths = owners.unowned.iter().map(|u| u.path.clone()).collect();
    out.coverage = coverage.iter().map(Into::into).collect();
    Ok(out)
}

/// The warnings and infos of check, which `findings.json` and
/// `findings.sarif` hold.
fn reported(outcome: &Outcome) -> impl Iterator<Item = &diag::Diagnostic> + Clone {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Error)
}

/// `findings.json`: the reported diagnostics as check's JSON array.
fn findings_json<S: Store>(outcome: &Outcome, store: &S) -> Result<Made<S::Kept>, Error> {
    let kept = store.file("findings.json", &mut |w| {
        Ok(diag::json::write(w, &outcome.sources, reported(outcome))?)
    })?;
    Ok(vec![("findings.json".into(), kept)])
}

/// `findings.sarif`: the reported diagnostics as a SARIF log.
fn findings_sarif<S: Store>(outcome: &Outcome, store: &S) -> Result<Made<S::Kept>, Error> {
    let version = env!("CARGO_PKG_VERSION");
    let kept = store.file("findings.sarif", &mut |w| {
        Ok(diag::sarif::write(
            w,
            &outcome.sources,
            reported(outcome),
            version,
        )?)
    })?;
    Ok(vec![("findings.sarif".into(), kept)])
}

/// The OPA bundle (signed when a key is given) and the Cedar policy set.
fn bundle_files<S: Store>(
    model: &Model,
    resolved: &Resolved<'_>,
    templates: &Templates,
    provenance: &Provenance,
    options: &Options<'_>,
    store: &S,
) -> Result<Made<S::Kept>, Error> {
    let runtime = runtime::all(model, resolved);
    let (opa_archive, cedar_files) = rayon::join(
        || -> Result<(String, S::Kept), Error> {
            let path = "bundles/opa/bundle.tar.gz";
            let kept = store.file(path, &mut |w| match options.bundle_key {
                None => opa::write_unsigned(&runtime, provenance, templates, w),
                Some(key) => opa::write_signed(&runtime, provenance, templates, key, w),
            })?;
            Ok((path.into(), kept))
        },
        || cedar::files(&runtime, templates, store),
    );
    let mut files = vec![opa_archive?];
    files.extend(cedar_files?);
    Ok(files)
}

/// The repositories the compile tests build: the example and the bundles
/// fixture, checked on the pinned day.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::check::Outcome;
    use std::path::{Path, PathBuf};

    /// Checks the repository at `repo`, which must have no errors.
    pub fn outcome(repo: &Path) -> Outcome {
        let inputs = crate::load::worktree::inputs(repo, "governance").unwrap();
        let today = jiff::civil::Date::new(2026, 11, 23).unwrap();
        let outcome = crate::check::check(inputs, today);
        assert!(!outcome.has_errors(), "{}", repo.display());
        outcome
    }

    pub fn repos() -> [PathBuf; 2] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        [root.to_path_buf(), root.join("tests/fixtures/bundles")]
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{outcome, repos};
    use super::*;
    use crate::compile::manifest::sha256_hex;
    use std::path::Path;

    /// Builds `outcome` in memory and onto disk; checks that both give the
    /// same files, byte for byte, and that what the disk store kept of each
    /// file (the manifest's hash and size) is true of the written file.
    fn same_on_disk(outcome: &Outcome, templates: &Templates) -> Baseline {
        let options = Options::default();
        let provenance = Provenance::default_dirty();
        let memory = compile(outcome, templates, &provenance, &options).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let staging = output::Staging::begin(&out).unwrap();
        let disk = compile_into(outcome, templates, &provenance, &options, &staging).unwrap();
        staging.commit().unwrap();
        assert_eq!(
            memory.files.keys().collect::<Vec<_>>(),
            disk.files.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &memory.files {
            let written = std::fs::read(out.join(path)).unwrap();
            assert!(written == *bytes, "{path} differs on disk");
            let entry = &disk.files[path];
            assert_eq!(entry.size, written.len(), "{path}");
            assert_eq!(entry.sha256, sha256_hex(&written), "{path}");
        }
        memory
    }

    #[test]
    fn tasks_run_once_each_and_give_their_results_in_order() {
        let runs: Vec<AtomicUsize> = (0..40).map(|_| AtomicUsize::new(0)).collect();
        let tasks: Vec<Box<dyn Fn() -> usize + Send + Sync + '_>> = (0..runs.len())
            .map(|i| {
                let runs = &runs;
                Box::new(move || {
                    runs[i].fetch_add(1, Ordering::SeqCst);
                    // Tasks use the threads themselves, as streamed files do.
                    (0..100).into_par_iter().map(|n| n * i).sum::<usize>()
                }) as Box<dyn Fn() -> usize + Send + Sync>
            })
            .collect();
        // Even from inside the pool, twice at once, each call runs its own
        // tasks and no thread waits forever.
        let (a, b) = rayon::join(|| largest_first(&tasks), || largest_first(&tasks));
        let expected: Vec<usize> = (0..runs.len()).map(|i| 4950 * i).collect();
        assert_eq!(a, expected);
        assert_eq!(b, expected);
        assert!(runs.iter().all(|r| r.load(Ordering::SeqCst) == 2));
        assert!(largest_first::<usize>(&[]).is_empty());
    }

    #[test]
    fn the_baseline_on_disk_is_the_baseline_in_memory() {
        for repo in repos() {
            let templates = Templates::with(Vec::new()).unwrap();
            let baseline = same_on_disk(&outcome(&repo), &templates);
            assert!(baseline.files.len() > 10, "{}", repo.display());
        }
    }

    #[test]
    fn model_json_is_one_entity_a_line_without_the_transposed_assets() {
        let baseline = same_on_disk(&outcome(&repos()[0]), &Templates::with(Vec::new()).unwrap());
        let bytes = &baseline.files["model.json"];
        let model: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        // Laid out as json::lines lays out the whole value, keys in order.
        assert!(json::lines_bytes(&model, 2) == *bytes);
        let assets = model["assets"].as_array().unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("    {\"controls\":"))
                .count(),
            assets.len()
        );
        for control in model["controls"].as_array().unwrap() {
            assert!(control.get("assets").is_none(), "{control}");
        }
    }

    #[test]
    fn the_direct_matrix_is_what_the_builtin_template_renders() {
        for repo in repos() {
            let outcome = outcome(&repo);
            let resolved = resolve(&outcome.model);
            let builtin = Templates::with(Vec::new()).unwrap();
            let mut direct = Vec::new();
            raci::matrix(&resolved, &builtin, &mut direct).unwrap();
            // The built-in text with a comment, loaded as an override,
            // renders the same rows through the template.
            let (_, text) = templates::BUILTIN
                .iter()
                .find(|(n, _)| *n == "raci-matrix.csv")
                .unwrap();
            let rendered = Templates::with(vec![templates::Override {
                name: "raci-matrix.csv".into(),
                origin: "templates/raci-matrix.csv".into(),
                text: format!("{text}{{# the same rows #}}"),
            }])
            .unwrap();
            let mut templated = Vec::new();
            raci::matrix(&resolved, &rendered, &mut templated).unwrap();
            assert!(direct.len() > 1000, "{}", repo.display());
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(templated).unwrap()
            );
        }
    }

    #[test]
    fn the_direct_raci_pages_are_what_the_builtin_template_renders() {
        let builtin = Templates::with(Vec::new()).unwrap();
        let (_, text) = templates::BUILTIN
            .iter()
            .find(|(n, _)| *n == "raci-asset.md")
            .unwrap();
        // The built-in text with a comment, loaded as an override, is
        // rendered by minijinja.
        let rendered = Templates::with(vec![templates::Override {
            name: "raci-asset.md".into(),
            origin: "templates/raci-asset.md".into(),
            text: format!("{text}{{# the same page #}}"),
        }])
        .unwrap();
        for repo in repos() {
            let outcome = outcome(&repo);
            let direct = compile(
                &outcome,
                &builtin,
                &Provenance::default(),
                &Options::default(),
            )
            .unwrap();
            let templated = compile(
                &outcome,
                &rendered,
                &Provenance::default(),
                &Options::default(),
            )
            .unwrap();
            let pages: Vec<&String> = direct
                .files
                .keys()
                .filter(|p| p.starts_with("raci/") && p.ends_with(".md") && *p != "raci/teams.md")
                .collect();
            assert!(pages.len() >= 3, "{}", repo.display());
            for page in pages {
                assert_eq!(
                    String::from_utf8_lossy(&direct.files[page]),
                    String::from_utf8_lossy(&templated.files[page]),
                    "{page}"
                );
            }
        }
    }

    #[test]
    fn overrides_of_the_streamed_files_are_used_on_disk_and_in_memory() {
        let overrides = vec![
            templates::Override {
                name: "raci-matrix.csv".into(),
                origin: "templates/raci-matrix.csv".into(),
                text: "{% if header %}who,what\n{% endif %}{% for r in rows %}{{ r[0] }}:{{ r[2] }}={{ r[4] }}\n{% endfor %}".into(),
            },
            templates::Override {
                name: "raci-asset.md".into(),
                origin: "templates/raci-asset.md".into(),
                text: "{{ asset.id }}: {{ teams | length }} teams\n{% for a in activities %}{{ a.id }} {{ a.cells | join('|') }}\n{% endfor %}".into(),
            },
        ];
        let templates = Templates::with(overrides).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let baseline = same_on_disk(&outcome(root), &templates);
        let matrix = String::from_utf8(baseline.files[raci::MATRIX].clone()).unwrap();
        assert_eq!(matrix.lines().next(), Some("who,what"));
        assert_eq!(matrix.matches("who,what").count(), 1, "one header");
        assert!(
            matrix.contains("\nbilling-agent:payments-product=A\n"),
            "{matrix}"
        );
        let page = String::from_utf8(baseline.files["raci/billing-agent.md"].clone()).unwrap();
        assert!(page.starts_with("billing-agent: 9 teams\n"), "{page}");
        // The grid of old, one cell per team, for templates that read it.
        assert!(
            page.contains("\napprove-use-case |C|C/I||A/R/C||||C\n"),
            "{page}"
        );
    }
}
