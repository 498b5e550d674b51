//! Every SARIF log govern writes (check, build's findings.sarif, drift) is
//! valid against the official OASIS SARIF 2.1.0 schema and keeps the rules
//! GitHub code scanning applies on upload: a location with a line on every
//! result, and every ruleId listed among the driver's rules.

mod common;

use common::sarif::{valid, SCHEMA};
use common::{build, govern_in, Repo};
use serde_json::Value;
use std::path::Path;

fn uri(result: &Value) -> &str {
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
}

fn line(result: &Value) -> usize {
    result["locations"][0]["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .unwrap() as usize
}

/// The text of the line a result points at, read from `rev`.
fn pointed_line(repo: &Repo, rev: &str, result: &Value) -> String {
    let text = repo.git(&["show", &format!("{rev}:{}", uri(result))]);
    text.lines()
        .nth(line(result) - 1)
        .unwrap_or_else(|| panic!("{} has no line {}", uri(result), line(result)))
        .to_string()
}

#[test]
fn check_sarif_of_the_bundled_example_is_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = govern_in(
        root,
        &[
            "--repo",
            root.to_str().unwrap(),
            "check",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(run.code, Some(0), "warnings only: {}", run.stderr);
    let results = valid(&run.json());
    assert!(!results.is_empty(), "the example has warnings to show");
    for r in &results {
        assert!(root.join(uri(r)).is_file(), "{} exists", uri(r));
    }
}

#[test]
fn check_sarif_of_a_repository_with_errors_is_valid() {
    let repo = Repo::new();
    repo.write(
        "governance/governance.toml",
        "[organization]\nname = \"Broken\"\n",
    );
    repo.write("governance/teams.toml", "[[team]]\nid = \"eng\"\n");
    repo.write(
        "governance/assets.toml",
        "[[asset]]\nid = \"agent\"\nkind = \"agent\"\nowners = { accountable = \"nobody\" }\n\n[[asset]]\nid = \"agent\"\nkind = \"toaster\"\n",
    );
    let run = repo.govern(&["check", "--format", "sarif"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let results = valid(&run.json());
    assert!(
        results.iter().any(|r| r["level"] == "error"),
        "errors are reported: {results:#?}"
    );
    let nobody = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("nobody"))
        .expect("the unknown team is reported");
    assert_eq!(uri(nobody), "governance/assets.toml");
    assert_eq!(line(nobody), 4);
}

#[test]
fn findings_sarif_of_a_build_is_valid() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("dist");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    build(root, &out, &[]);
    let text = std::fs::read_to_string(out.join("findings.sarif")).unwrap();
    let results = valid(&serde_json::from_str(&text).unwrap());
    for r in &results {
        assert!(root.join(uri(r)).is_file(), "{} exists", uri(r));
    }
}

const SETTINGS: &str = "[organization]\nname = \"Sarif Corp\"\n\n[[signer]]\nid = \"office\"\nteam = \"product\"\npublic-key = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEl0iEx5QSmLnK5Rb9IY1mx9ueFbX0ol+cLWhSYGzoUn office\"\n\n[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n";

const TEAMS: &str =
    "[[team]]\nid = \"product\"\n\n[[team]]\nid = \"eng\"\n\n[[team]]\nid = \"secops\"\n";

const ASSETS: &str = r#"[[asset]]
id = "agent"
kind = "agent"
owners = { accountable = "product", remediation = "eng" }

[[asset.tool]]
id = "tickets.read"
access = "read"
decision = "allow"
"#;

const CONTROLS: &str = r#"[[control]]
id = "ALLOWLIST"
title = "Agents call only declared tools"
owner = "secops"
applies-to = { kinds = ["agent"] }
maps-to = ["owasp-agentic-top10-2026:ASI02"]
"#;

/// The changes of kind `kind`, asserting there is at least one.
fn of_kind<'r>(results: &'r [Value], kind: &str) -> Vec<&'r Value> {
    let found: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == kind).collect();
    assert!(!found.is_empty(), "no {kind} in {results:#?}");
    found
}

#[test]
fn drift_sarif_points_every_change_at_its_line_on_the_side_it_names() {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo.write(
        "governance/assets/legacy.toml",
        "# kept for the old reports\n\n[[asset]]\nid = \"legacy\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n",
    );
    repo.commit("Base");

    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\"",
        "accountable = \"eng\"",
    );
    repo.edit(
        "governance/assets.toml",
        "access = \"read\"",
        "access = \"write\"",
    );
    repo.edit(
        "governance/governance.toml",
        "office\"\n\n[policy]",
        "laptop\"\n\n[policy]",
    );
    std::fs::remove_file(repo.path().join("governance/assets/legacy.toml")).unwrap();
    repo.write(
        "governance/more.toml",
        "[[asset]]\nid = \"fresh\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n\n[[exception]]\nid = \"EXC-1\"\nasset = \"agent\"\ncontrol = \"ALLOWLIST\"\napproved-by = \"product\"\ngranted = 2026-11-01\nexpires = 2026-12-01\n",
    );
    repo.commit("Reorganise");

    let run = repo.govern(&[
        "drift", "--from", "HEAD~1", "--to", "HEAD", "--format", "sarif",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let results = valid(&run.json());

    // Every result names a file that exists on its side, at a line it has.
    for r in &results {
        let text = r["message"]["text"].as_str().unwrap();
        let rev = if text.contains("; it was declared at ") {
            "HEAD~1"
        } else {
            "HEAD"
        };
        pointed_line(&repo, rev, r);
    }

    let owner = of_kind(&results, "owner-changed");
    assert_eq!(uri(owner[0]), "governance/assets.toml");
    assert!(pointed_line(&repo, "HEAD", owner[0]).contains("accountable = \"eng\""));

    let widened = of_kind(&results, "privilege-widened");
    assert_eq!(uri(widened[0]), "governance/assets.toml");
    assert_eq!(line(widened[0]), 6, "the [[asset.tool]] on the to side");

    let signer = of_kind(&results, "signer-changed");
    assert_eq!(uri(signer[0]), "governance/governance.toml");
    assert!(pointed_line(&repo, "HEAD", signer[0]).contains("id = \"office\""));

    let added = of_kind(&results, "asset-added");
    assert_eq!(uri(added[0]), "governance/more.toml");
    assert!(pointed_line(&repo, "HEAD", added[0]).contains("\"fresh\""));

    let exception = of_kind(&results, "exception-added");
    assert_eq!(uri(exception[0]), "governance/more.toml");
    assert!(pointed_line(&repo, "HEAD", exception[0]).contains("\"EXC-1\""));

    let removed = of_kind(&results, "asset-removed");
    assert_eq!(uri(removed[0]), "governance/assets/legacy.toml");
    assert_eq!(line(removed[0]), 4);
    assert!(pointed_line(&repo, "HEAD~1", removed[0]).contains("\"legacy\""));
    assert_eq!(
        removed[0]["message"]["text"],
        "asset `legacy` was removed; it was declared at governance/assets/legacy.toml:4 at HEAD~1"
    );
    assert!(
        !repo.path().join(uri(removed[0])).exists(),
        "the file is gone from the to side"
    );
}

#[test]
fn a_removed_signer_points_at_its_signer_table_on_the_from_side() {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo.commit("Base");
    let without = SETTINGS.split("[[signer]]").next().unwrap().to_string()
        + "[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n";
    repo.write("governance/governance.toml", &without);

    let run = repo.govern(&["drift", "--from", "HEAD", "--format", "sarif"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let results = valid(&run.json());
    let signer = of_kind(&results, "signer-changed");
    assert_eq!(uri(signer[0]), "governance/governance.toml");
    assert_eq!(line(signer[0]), 5, "the signer's id at HEAD");
    assert!(pointed_line(&repo, "HEAD", signer[0]).contains("id = \"office\""));
    assert_eq!(
        signer[0]["message"]["text"],
        "release signer `office` was removed; it was declared at governance/governance.toml:5 at HEAD"
    );
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in {text}"))
        + 1
}

/// The one coverage-dropped result whose message starts with `start`.
fn coverage_change<'r>(results: &'r [Value], start: &str) -> &'r Value {
    let found: Vec<&Value> = of_kind(results, "coverage-dropped")
        .into_iter()
        .filter(|r| r["message"]["text"].as_str().unwrap().starts_with(start))
        .collect();
    assert_eq!(found.len(), 1, "{start}: {results:#?}");
    found[0]
}

#[test]
fn a_builtin_framework_whose_coverage_fell_points_at_its_policy_line() {
    let mut repo = Repo::new();
    let settings = "[organization]\nname = \"Sarif Corp\"\n\n# what the report covers\n[policy]\ntrust-threshold = 60\nframeworks = [\"owasp-agentic-top10-2026\"]\n";
    repo.write("governance/governance.toml", settings);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo.commit("Base");
    repo.write("governance/controls.toml", "");
    repo.commit("Drop the allowlist");

    let run = repo.govern(&[
        "drift", "--from", "HEAD~1", "--to", "HEAD", "--format", "sarif",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let results = valid(&run.json());
    let fell = coverage_change(&results, "coverage of owasp-agentic-top10-2026 fell from");
    assert_eq!(uri(fell), "governance/governance.toml");
    assert_eq!(line(fell), line_of(settings, "frameworks = "));
    assert_ne!(line(fell), 1);
    assert!(pointed_line(&repo, "HEAD", fell).contains("\"owasp-agentic-top10-2026\""));
    assert!(
        !fell["message"]["text"]
            .as_str()
            .unwrap()
            .contains("it was declared at"),
        "the to side is named by no revision: {fell:#}"
    );
}

#[test]
fn a_framework_no_longer_reported_on_points_at_the_policy_that_named_it() {
    let mut repo = Repo::new();
    let organization = "[organization]\nname = \"Sarif Corp\"\n";
    repo.write("governance/governance.toml", organization);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo.commit("Base, on the default frameworks");
    let two = format!(
        "{organization}\n[policy]\nframeworks = [\n  \"owasp-agentic-top10-2026\",\n  \"nist-csf-2.0\",\n]\n"
    );
    repo.write("governance/governance.toml", &two);
    repo.commit("Report on two frameworks");
    let one = format!("{organization}\n[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n");
    repo.write("governance/governance.toml", &one);
    repo.commit("Report on one");

    // The defaults left out: the later list, which names none of them.
    let run = repo.govern(&[
        "drift", "--from", "HEAD~2", "--to", "HEAD~1", "--format", "sarif",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let results = valid(&run.json());
    let left = coverage_change(&results, "framework `csa-maestro` is no longer reported on");
    assert_eq!(uri(left), "governance/governance.toml");
    assert_eq!(line(left), line_of(&two, "frameworks = ["));
    assert_eq!(
        left["message"]["text"],
        "framework `csa-maestro` is no longer reported on (its coverage was 0%)"
    );
    let left = of_kind(&results, "coverage-dropped");
    assert_eq!(left.len(), 3, "three of the five defaults: {left:#?}");

    // One named before: its own element on the from side.
    let run = repo.govern(&[
        "drift", "--from", "HEAD~1", "--to", "HEAD", "--format", "sarif",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let results = valid(&run.json());
    let gone = coverage_change(
        &results,
        "framework `nist-csf-2.0` is no longer reported on",
    );
    assert_eq!(uri(gone), "governance/governance.toml");
    let at = line_of(&two, "\"nist-csf-2.0\"");
    assert_eq!(line(gone), at);
    assert!(pointed_line(&repo, "HEAD~1", gone).contains("\"nist-csf-2.0\""));
    assert_eq!(
        gone["message"]["text"],
        format!("framework `nist-csf-2.0` is no longer reported on (its coverage was 0%); it was declared at governance/governance.toml:{at} at HEAD~1")
    );

    // And in JSON, the coverage it had.
    let run = repo.govern(&[
        "drift", "--from", "HEAD~1", "--to", "HEAD", "--format", "json",
    ]);
    let changes = run.json()["changes"].as_array().unwrap().clone();
    let gone: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "coverage-dropped")
        .collect();
    assert_eq!(gone.len(), 1, "{changes:#?}");
    assert_eq!(
        (
            gone[0]["role"].as_str(),
            gone[0]["before"].as_str(),
            gone[0]["after"].as_str()
        ),
        (Some("framework"), Some("0%"), None)
    );
}

#[test]
fn the_schema_rejects_a_result_without_a_message() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let log = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "govern"}}, "results": [{"ruleId": "x"}]}],
    });
    assert!(!validator.is_valid(&log), "a result needs a message");
}
