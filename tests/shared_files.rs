//! Drift and history reuse what did not change: drift parses a file that is
//! equal on both sides once, history parses each file version once and
//! within it each asset whose text is new. These cases change the meaning
//! of an unchanged file from elsewhere, shift files between the sides,
//! touch two files in one commit and revert, so that a reuse that went
//! wrong would show as a wrong report.

mod common;

use common::Repo;
use serde_json::Value;

const SETTINGS: &str = "[organization]\nname = \"Shared Corp\"\n";

const TEAMS: &str = r#"[[team]]
id = "product"

[[team]]
id = "platform"

[[team]]
id = "eng"

[[team]]
id = "secops"
"#;

const ASSETS: &str = r#"[[asset]]
id = "agent"
kind = "agent"
environment = "production"
owners = { accountable = "product", operator = "platform", remediation = "eng" }

[[asset]]
id = "notes"
kind = "dataset"
owners = { accountable = "product", remediation = "eng" }
"#;

const CONTROLS: &str = r#"[[control]]
id = "AGENTS"
title = "Agents are reviewed"
owner = "secops"
applies-to = { kinds = ["agent"] }
maps-to = ["owasp-agentic-top10-2026:ASI02"]
"#;

fn base() -> Repo {
    let repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo
}

/// The changes of a drift as `kind asset role before -> after` lines.
fn changes(repo: &Repo, from: &str, to: &str) -> Vec<String> {
    let run = repo.govern(&["drift", "--from", from, "--to", to, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json = run.json();
    json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
            format!(
                "{} {} {} {} -> {}",
                s("kind"),
                s("asset"),
                s("role"),
                s("before"),
                s("after")
            )
        })
        .collect()
}

#[test]
fn an_unchanged_file_drifts_when_another_file_changes_its_meaning() {
    let mut repo = base();
    let from = repo.commit("Base");
    // assets.toml stays byte for byte the same; its teams and controls move.
    repo.edit(
        "governance/teams.toml",
        "id = \"platform\"\n",
        "id = \"platform\"\nactive = false\n",
    );
    repo.edit(
        "governance/controls.toml",
        "kinds = [\"agent\"]",
        "kinds = [\"mcp-server\"]",
    );
    repo.commit("Retire platform and narrow the agent control");
    let found = changes(&repo, &from, "HEAD");
    assert!(
        found.contains(&"asset-orphaned agent operator platform -> -".to_string()),
        "{found:#?}"
    );
    assert!(
        found.contains(&"coverage-dropped - applies-to AGENTS -> agent".to_string()),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|c| c.starts_with("raci-changed agent")),
        "the agent lost its control owner: {found:#?}"
    );
    // And back: the same files, the other way round.
    let back = changes(&repo, "HEAD", &from);
    assert!(
        !back.iter().any(|c| c.starts_with("asset-orphaned")),
        "{back:#?}"
    );
    assert!(
        back.iter().any(|c| c.starts_with("raci-changed agent")),
        "{back:#?}"
    );
}

#[test]
fn files_added_and_removed_keep_every_location_on_its_own_side() {
    let mut repo = base();
    repo.write(
        "governance/zz-old.toml",
        "[[asset]]\nid = \"legacy\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n",
    );
    let from = repo.commit("Base");
    // A file that sorts first shifts every other file of the later side.
    repo.write(
        "governance/aa-new.toml",
        "[[asset]]\nid = \"fresh\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n",
    );
    std::fs::remove_file(repo.path().join("governance/zz-old.toml")).expect("remove");
    repo.edit(
        "governance/assets.toml",
        "operator = \"platform\"",
        "operator = \"secops\"",
    );
    repo.commit("Swap the legacy dataset for a fresh one");
    let found = changes(&repo, &from, "HEAD");
    for change in [
        "asset-added fresh - - -> eng",
        "asset-removed legacy - - -> -",
        "owner-changed agent operator platform -> secops",
    ] {
        assert!(found.contains(&change.to_string()), "{change}: {found:#?}");
    }
    let run = repo.govern(&[
        "drift", "--from", &from, "--to", "HEAD", "--format", "sarif",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let sarif = run.json();
    let at = |rule: &str| -> (String, u64) {
        let result = sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {sarif}"));
        let location = &result["locations"][0]["physicalLocation"];
        (
            location["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .to_string(),
            location["region"]["startLine"].as_u64().expect("line"),
        )
    };
    // The removal points into the earlier side, the rest into the later.
    assert_eq!(at("asset-removed"), ("governance/zz-old.toml".into(), 2));
    assert_eq!(at("asset-added"), ("governance/aa-new.toml".into(), 2));
    assert_eq!(at("owner-changed"), ("governance/assets.toml".into(), 5));
}

/// The history of `args` as `asset role before -> after (subject)` lines.
fn history(repo: &Repo, args: &[&str]) -> Vec<String> {
    let mut all = vec!["history", "--format", "json"];
    all.extend(args);
    let run = repo.govern(&all);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = run.json();
    json.as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
            format!(
                "{} {} {} -> {} ({})",
                s("asset"),
                s("role"),
                s("before"),
                s("after"),
                &s("commit")[..7]
            )
        })
        .collect()
}

#[test]
fn history_over_commits_that_touch_two_files_and_a_revert() {
    let mut repo = base();
    repo.commit("Base");
    // One commit: the agent's operator changes in assets.toml, and notes
    // moves to a file of its own with a new remediation team.
    repo.write(
        "governance/assets.toml",
        &ASSETS
            .replace("operator = \"platform\"", "operator = \"secops\"")
            .replace(
                "\n[[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"product\", remediation = \"eng\" }\n",
                "",
            ),
    );
    repo.write(
        "governance/notes.toml",
        "[[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"product\", remediation = \"secops\" }\n",
    );
    let both = repo.commit("Secops takes the agent and the notes");
    let both = &both[..7];
    repo.git(&["revert", "--no-edit", "HEAD"]);
    let revert = repo.git(&["rev-parse", "--short=7", "HEAD"]);
    let revert = revert.trim();
    let found = history(&repo, &["--since", "2000-01-01"]);
    let found: Vec<&String> = found.iter().filter(|e| !e.contains("- -> ")).collect();
    assert_eq!(
        found,
        [
            &format!("agent operator platform -> secops ({both})"),
            &format!("notes remediation eng -> secops ({both})"),
            &format!("agent operator secops -> platform ({revert})"),
            &format!("notes remediation secops -> eng ({revert})"),
        ],
    );
}

#[test]
fn history_reads_a_changed_asset_among_unchanged_ones_alike() {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    let asset = |id: &str, operator: &str| {
        format!("[[asset]]\nid = \"{id}\"\nkind = \"dataset\"\n\n[asset.owners]\naccountable = \"product\"\noperator = \"{operator}\"\n\n")
    };
    let file = |ops: &[(&str, &str)]| -> String { ops.iter().map(|(i, o)| asset(i, o)).collect() };
    repo.write(
        "governance/assets.toml",
        &file(&[("a", "eng"), ("b", "eng"), ("c", "eng")]),
    );
    let first = repo.commit("Three datasets");
    // One asset's owners change in the middle of the file, and one is
    // added before it.
    repo.write(
        "governance/assets.toml",
        &file(&[
            ("a", "eng"),
            ("new", "platform"),
            ("b", "secops"),
            ("c", "eng"),
        ]),
    );
    let second = repo.commit("A new dataset; secops runs b");
    // A multi-line string makes the file be read whole; `c` changes there.
    repo.write(
        "governance/assets.toml",
        &(file(&[("a", "eng"), ("new", "platform"), ("b", "secops")])
            + "[[asset]]\nid = \"c\"\nkind = \"dataset\"\ndescription = \"\"\"\n[[asset]]\n\"\"\"\n\n[asset.owners]\naccountable = \"product\"\noperator = \"platform\"\n"),
    );
    let third = repo.commit("Platform runs c");
    let found = history(&repo, &["--role", "operator"]);
    let (first, second, third) = (&first[..7], &second[..7], &third[..7]);
    assert_eq!(
        found,
        [
            format!("a operator - -> eng ({first})"),
            format!("b operator - -> eng ({first})"),
            format!("c operator - -> eng ({first})"),
            format!("b operator eng -> secops ({second})"),
            format!("new operator - -> platform ({second})"),
            format!("c operator eng -> platform ({third})"),
        ]
    );
}

#[test]
fn history_reads_a_first_commit_of_many_files_as_one_at_a_time() {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    let asset = |id: usize, operator: &str| {
        format!("[[asset]]\nid = \"a{id:02}\"\nkind = \"dataset\"\n\n[asset.owners]\naccountable = \"product\"\noperator = \"{operator}\"\n")
    };
    // Enough files in one commit that they are parsed side by side; one is
    // read whole (a multi-line string), and two files share one version.
    for i in 0..24 {
        let mut text = asset(i, "eng");
        if i == 5 {
            text.push_str("description = \"\"\"\n[[asset]]\n\"\"\"\n");
        }
        repo.write(&format!("governance/assets/f{i:02}.toml"), &text);
    }
    repo.write("governance/assets/copy.toml", &asset(3, "eng"));
    let first = repo.commit("Twenty-four datasets");
    repo.write("governance/assets/f07.toml", &asset(7, "secops"));
    let second = repo.commit("Secops runs a07");
    let found = history(&repo, &["--role", "operator"]);
    let (first, second) = (&first[..7], &second[..7]);
    let mut expected: Vec<String> = (0..24)
        .map(|i| format!("a{i:02} operator - -> eng ({first})"))
        .collect();
    expected.push(format!("a07 operator eng -> secops ({second})"));
    assert_eq!(found, expected);
}

#[test]
fn history_reads_a_later_commit_of_many_files_as_one_at_a_time() {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    let asset = |id: usize, operator: &str| {
        format!("[[asset]]\nid = \"a{id:02}\"\nkind = \"dataset\"\n\n[asset.owners]\naccountable = \"product\"\noperator = \"{operator}\"\n")
    };
    for i in 0..4 {
        repo.write(&format!("governance/assets/f{i:02}.toml"), &asset(i, "eng"));
    }
    let first = repo.commit("Four datasets");
    // A later commit brings many new versions at once, which are parsed
    // side by side: one is read whole (a multi-line string), two files
    // share one version and one file is deleted.
    for i in 1..24 {
        let operator = if i % 2 == 0 { "secops" } else { "platform" };
        let mut text = asset(i, operator);
        if i == 5 {
            text.push_str("description = \"\"\"\n[[asset]]\n\"\"\"\n");
        }
        repo.write(&format!("governance/assets/f{i:02}.toml"), &text);
    }
    repo.write("governance/assets/copy.toml", &asset(7, "platform"));
    repo.git(&["rm", "-q", "governance/assets/f00.toml"]);
    let second = repo.commit("Twenty-three datasets, shared out");
    let found = history(&repo, &["--role", "operator"]);
    let (first, second) = (&first[..7], &second[..7]);
    let mut expected: Vec<String> = (0..4)
        .map(|i| format!("a{i:02} operator - -> eng ({first})"))
        .collect();
    expected.push(format!("a00 operator eng -> - ({second})"));
    expected.push(format!("a01 operator eng -> platform ({second})"));
    expected.push(format!("a02 operator eng -> secops ({second})"));
    expected.push(format!("a03 operator eng -> platform ({second})"));
    for i in 4..24 {
        let operator = if i % 2 == 0 { "secops" } else { "platform" };
        expected.push(format!("a{i:02} operator - -> {operator} ({second})"));
    }
    assert_eq!(found, expected);
}
