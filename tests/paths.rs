//! Paths in every output are plain repository-relative file paths, never
//! suffixed with a revision, so a baseline is the same bytes whichever way
//! its commit is named: `build --rev R` for any spelling of R, `build` of a
//! clean working tree at R, and `release` at R.

mod common;

use common::release::{keygen, release, repo_with};
use common::{build, Repo};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

const SETTINGS: &str = r#"[organization]
name = "Paths Corp"

[policy]
frameworks = ["owasp-agentic-top10-2026"]
"#;

const TEAMS: &str = r#"[[team]]
id = "product"
handle = "@paths/product"

[[team]]
id = "platform"
handle = "@paths/platform"

[[team]]
id = "secops"
handle = "@paths/secops"
"#;

const AGENT: &str = r#"[[asset]]
id = "agent"
kind = "agent"
environment = "staging"
owners = { accountable = "product", operator = "platform" }
identity = { type = "workload", max-ttl = "15m" }

[[asset.tool]]
id = "tickets.read"
access = "read"
decision = "allow"
"#;

const NOTES: &str = r#"[[asset]]
id = "notes"
kind = "dataset"
owners = { accountable = "product" }
"#;

const CONTROLS: &str = r#"[[control]]
id = "ALLOWLIST"
title = "Agents call only declared tools"
owner = "secops"
applies-to = { kinds = ["agent"] }
maps-to = ["owasp-agentic-top10-2026:ASI02"]
enforce = ["tool-allowlist"]
"#;

/// A repository of three commits; the last is tagged `v2`, on `main`.
fn history() -> (Repo, String) {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets/agent.toml", AGENT);
    // A template of the repository's own, which a revision reads from Git.
    repo.write(
        "templates/CODEOWNERS",
        &format!("# Paths Corp\n{}", include_str!("../templates/CODEOWNERS")),
    );
    repo.commit("Declare the agent");
    repo.write("governance/controls.toml", CONTROLS);
    repo.commit("Allow the agent only its declared tools");
    repo.write("governance/assets/notes.toml", NOTES);
    let head = repo.commit("Declare the notes dataset");
    repo.git(&["tag", "v2"]);
    (repo, head)
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    assert!(!out.is_empty(), "{} is empty", dir.display());
    out
}

/// Asserts two baselines hold the same files with the same bytes.
fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    for (path, bytes) in a {
        assert!(
            b[path] == *bytes,
            "{what}: {path} differs\n--- one\n{}\n--- other\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[path])
        );
    }
}

/// The text of a compiled file; a gzipped bundle is unpacked first, since
/// its tar holds file contents in the clear.
fn text(path: &str, bytes: &[u8]) -> String {
    if path.ends_with(".gz") {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut plain)
            .unwrap();
        return String::from_utf8_lossy(&plain).into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn build_rev(repo: &Repo, out: &Path, rev: &str) -> BTreeMap<String, Vec<u8>> {
    build(repo.path(), out, &["--rev", rev]);
    tree(out)
}

#[test]
fn build_of_a_commit_is_the_same_bytes_however_it_is_named() {
    let (repo, head) = history();
    let out = tempfile::tempdir().unwrap();
    let short = &head[..7];
    let spellings = ["HEAD", head.as_str(), short, "main", "v2"];
    let baselines: Vec<_> = spellings
        .iter()
        .enumerate()
        .map(|(i, rev)| build_rev(&repo, &out.path().join(i.to_string()), rev))
        .collect();
    for (rev, baseline) in spellings.iter().zip(&baselines).skip(1) {
        assert_same(
            &baselines[0],
            baseline,
            &format!("--rev HEAD and --rev {rev}"),
        );
    }

    // The working tree is clean, so building it records HEAD too.
    build(repo.path(), &out.path().join("worktree"), &[]);
    let worktree = tree(&out.path().join("worktree"));
    assert_same(&baselines[0], &worktree, "--rev HEAD and the working tree");

    // Another commit is another baseline: the revision was read at all.
    let earlier = build_rev(&repo, &out.path().join("earlier"), "HEAD~1");
    assert_ne!(earlier["model.json"], baselines[0]["model.json"]);

    let model: serde_json::Value = serde_json::from_slice(&baselines[0]["model.json"]).unwrap();
    assert!(
        model
            .to_string()
            .contains("\"governance/assets/notes.toml\""),
        "model.json names no plain declaration file: {model}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&baselines[0]["MANIFEST.json"]).unwrap();
    assert_eq!(manifest["commit"], head.as_str());
    assert_eq!(manifest["dirty"], false);

    for (rev, baseline) in spellings.iter().zip(&baselines) {
        for (path, bytes) in baseline {
            let text = text(path, bytes);
            for suffix in [".toml@", "@HEAD", "@main", "@v2", &format!("@{short}")] {
                assert!(
                    !text.contains(suffix),
                    "{path} of --rev {rev} holds `{suffix}`"
                );
            }
        }
    }
}

#[test]
fn codeowners_of_a_revision_lists_plain_declaration_paths() {
    let (repo, _) = history();
    let out = tempfile::tempdir().unwrap();
    let baseline = build_rev(&repo, out.path(), "HEAD~1");
    let codeowners = String::from_utf8(baseline["CODEOWNERS"].clone()).unwrap();
    assert!(codeowners.starts_with("# Paths Corp\n"), "{codeowners}");
    let rules: Vec<&str> = codeowners
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(
        rules.contains(&"/governance/assets/agent.toml @paths/product"),
        "{codeowners}"
    );
    for rule in rules {
        let path = rule.split(' ').next().unwrap();
        assert!(
            path.starts_with("/governance/") && path.ends_with(".toml"),
            "CODEOWNERS rule `{rule}` names no plain path"
        );
    }
}

/// A repository whose HEAD hands the agent to a team that does not exist.
fn broken() -> Repo {
    let (mut repo, _) = history();
    repo.edit(
        "governance/assets/agent.toml",
        "accountable = \"product\"",
        "accountable = \"nobody\"",
    );
    repo.commit("Hand the agent to nobody");
    repo
}

#[test]
fn check_of_a_revision_names_plain_files_in_json_and_sarif() {
    let repo = broken();
    let json = repo.govern(&["--format", "json", "check", "--rev", "HEAD"]);
    assert_eq!(json.code, Some(1), "{}", json.stderr);
    let diagnostics = json.json();
    let files: Vec<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"governance/assets/agent.toml"),
        "{}",
        json.stdout
    );
    assert!(!json.stdout.contains('@'), "{}", json.stdout);

    let sarif = repo.govern(&["--format", "sarif", "check", "--rev", "HEAD"]);
    assert_eq!(sarif.code, Some(1), "{}", sarif.stderr);
    let log = sarif.json();
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"governance/assets/agent.toml"),
        "{}",
        sarif.stdout
    );
    assert!(!sarif.stdout.contains(".toml@"), "{}", sarif.stdout);
}

#[test]
fn check_of_a_revision_says_once_which_commit_it_read() {
    let repo = broken();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = repo.govern(&["check", "--rev", "HEAD"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with(&format!("declarations at HEAD ({})\n", &head[..10])),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("governance/assets/agent.toml:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(".toml@"), "{}", run.stderr);

    // The working tree is no revision: no header.
    let worktree = repo.govern(&["check"]);
    assert_eq!(worktree.code, Some(1), "{}", worktree.stderr);
    assert!(
        !worktree.stderr.contains("declarations at"),
        "{}",
        worktree.stderr
    );
}

#[test]
fn drift_sarif_and_errors_name_plain_files() {
    let repo = broken();
    let sarif = repo.govern(&[
        "--format", "sarif", "drift", "--from", "HEAD~1", "--to", "HEAD",
    ]);
    assert_eq!(sarif.code, Some(0), "{}", sarif.stderr);
    let log = sarif.json();
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains(&"governance/assets/agent.toml"),
        "{}",
        sarif.stdout
    );
    assert!(!sarif.stdout.contains(".toml@"), "{}", sarif.stdout);

    let json = repo.govern(&[
        "--format", "json", "drift", "--from", "HEAD~1", "--to", "HEAD",
    ]);
    let report = json.json();
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["side"] == "to"
            && e["error"]
                .as_str()
                .unwrap()
                .starts_with("governance/assets/agent.toml:")),
        "{}",
        json.stdout
    );
    assert_eq!(report["to"]["rev"], "HEAD");
}

#[test]
fn release_is_the_build_of_its_commit_and_its_signature() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_with(&[("office", &public, None)]);
    let dist = keys.path().join("dist");
    let run = release(&repo, &key, &dist, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut released = tree(&dist);
    assert!(released.remove("MANIFEST.json.sig").is_some());

    let head = repo.git(&["rev-parse", "HEAD"]);
    let built = build_rev(&repo, &keys.path().join("built"), head.trim());
    assert_same(&built, &released, "build --rev and release");
}

#[test]
fn a_refused_signer_is_named_by_its_file_line_and_revision() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_with(&[("office", &public, Some("2026-01-01"))]);
    let run = release(&repo, &key, &keys.path().join("dist"), &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("(governance/governance.toml:8 expires at HEAD)"),
        "{}",
        run.stderr
    );
}

#[test]
fn drift_artifacts_show_only_real_changes() {
    let (repo, _) = history();
    for args in [
        &["--from", "v2", "--to", "main"][..],
        &["--from", "HEAD"][..],
        &["--from", "HEAD~1", "--to", "HEAD"][..],
    ] {
        let mut all = vec!["--format", "json", "drift", "--artifacts"];
        all.extend_from_slice(args);
        let run = repo.govern(&all);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let artifacts = run.json()["artifacts"].as_array().unwrap().clone();
        let paths: Vec<&str> = artifacts
            .iter()
            .map(|a| a["path"].as_str().unwrap())
            .collect();
        if args[1] == "HEAD~1" {
            // A real change still shows, and only where it is.
            assert!(paths.contains(&"CODEOWNERS"), "{paths:?}");
            let codeowners = artifacts
                .iter()
                .find(|a| a["path"] == "CODEOWNERS")
                .unwrap();
            let diff = codeowners["diff"].as_str().unwrap();
            assert!(
                diff.contains("\n+/governance/assets/notes.toml @paths/product\n"),
                "{diff}"
            );
            assert!(!diff.contains("\n-/governance/assets/agent.toml"), "{diff}");
        } else {
            assert!(paths.is_empty(), "{args:?} diffs {paths:?}");
        }
    }
}
