//! Git behaviour on real temporary repositories with pinned dates: reading
//! revisions, drift of every kind, blame, history, and the awkward cases
//! (not a repository, empty, bad revision, shallow, detached, bare,
//! subfolder, merges, moved declarations).

mod common;

use common::{git_in, govern_in, Repo, PINNED};
use serde_json::Value;
use std::collections::BTreeSet;

const SETTINGS: &str = r#"[organization]
name = "Git Corp"

[policy]
frameworks = ["owasp-agentic-top10-2026"]
"#;

const TEAMS: &str = r#"[[team]]
id = "product"
handle = "@git/product"

[[team]]
id = "platform"

[[team]]
id = "iam"

[[team]]
id = "eng"

[[team]]
id = "secops"
"#;

const ASSETS: &str = r#"[[asset]]
id = "agent"
kind = "agent"
environment = "staging"
owners = { accountable = "product", operator = "platform", remediation = "eng", approver = "iam", revoker = "iam" }
identity = { type = "workload", max-ttl = "15m" }
trust = { score = 90 }

[[asset.tool]]
id = "tickets.read"
access = "read"
decision = "allow"

[[asset]]
id = "notes"
kind = "dataset"
owners = { accountable = "product", remediation = "eng" }
"#;

const CONTROLS: &str = r#"[[control]]
id = "ALLOWLIST"
title = "Agents call only declared tools"
owner = "secops"
applies-to = { kinds = ["agent"] }
maps-to = ["owasp-agentic-top10-2026:ASI02"]
enforce = ["tool-allowlist"]

[[control]]
id = "INVENTORY"
title = "Every asset is in the inventory"
owner = "secops"
maps-to = ["owasp-agentic-top10-2026:ASI10"]
"#;

/// A repository whose first commit-to-be holds the base governance.
fn base() -> Repo {
    let repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo
}

fn kinds(drift: &Value) -> BTreeSet<String> {
    drift["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn check_reads_a_revision_from_git_objects_and_says_which() {
    let mut repo = base();
    repo.commit("Declare the base governance");
    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\", remediation",
        "accountable = \"nobody\", remediation",
    );
    let worktree = repo.govern(&["check"]);
    assert_eq!(worktree.code, Some(1), "{}", worktree.stderr);
    let head = repo.govern(&["check", "--rev", "HEAD"]);
    assert_eq!(head.code, Some(0), "{}", head.stderr);

    repo.commit("Hand notes to nobody");
    let broken = repo.govern(&["check", "--rev", "HEAD"]);
    assert_eq!(broken.code, Some(1));
    assert!(
        broken.stderr.starts_with("declarations at HEAD (")
            && broken.stderr.contains("governance/assets.toml:"),
        "{}",
        broken.stderr
    );
    let before = repo.govern(&["check", "--rev", "HEAD~1"]);
    assert_eq!(before.code, Some(0), "{}", before.stderr);
}

#[test]
fn drift_reports_every_change_kind_with_severity_role_before_and_after() {
    let mut repo = base();
    repo.write(
        "governance/exceptions.toml",
        r#"[[exception]]
id = "EXC-1"
asset = "agent"
control = "ALLOWLIST"
approved-by = "product"
granted = 2026-11-01
expires = 2026-12-01
"#,
    );
    repo.write(
        "governance/findings.toml",
        r#"[[finding]]
id = "F-1"
asset = "notes"
control = "INVENTORY"
opened = 2026-11-20
"#,
    );
    repo.write(
        "governance/old.toml",
        "[[asset]]\nid = \"legacy\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n",
    );
    let from = repo.commit("Base");

    // Ownership: accountable moves, remediation is emptied, a team leaves.
    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\", operator",
        "accountable = \"eng\", operator",
    );
    repo.edit(
        "governance/assets.toml",
        "owners = { accountable = \"product\", remediation = \"eng\" }",
        "owners = { accountable = \"product\" }",
    );
    repo.edit(
        "governance/teams.toml",
        "id = \"iam\"\n",
        "id = \"iam\"\nactive = false\n",
    );
    // Privileges: a write tool added, max-ttl raised; trust falls.
    repo.edit(
        "governance/assets.toml",
        "max-ttl = \"15m\"",
        "max-ttl = \"1h\"",
    );
    repo.edit("governance/assets.toml", "score = 90", "score = 40");
    repo.edit(
        "governance/assets.toml",
        "[[asset]]\nid = \"notes\"",
        "[[asset.tool]]\nid = \"refunds.create\"\naccess = \"write\"\ndecision = \"step-up\"\n\n[[asset]]\nid = \"notes\"",
    );
    // Coverage: a control removed. Exceptions: one extended, one added.
    repo.edit(
        "governance/controls.toml",
        "[[control]]\nid = \"INVENTORY\"",
        "[[control]]\nid = \"INVENTORY-GONE\"",
    );
    repo.edit(
        "governance/exceptions.toml",
        "expires = 2026-12-01",
        "expires = 2027-01-15",
    );
    repo.write(
        "governance/exceptions-2.toml",
        "[[exception]]\nid = \"EXC-2\"\nasset = \"notes\"\ncontrol = \"INVENTORY-GONE\"\napproved-by = \"product\"\ngranted = 2026-11-20\nexpires = 2026-12-20\n",
    );
    // Findings: one closed, one opened. Assets: one removed, one added.
    repo.edit("governance/findings.toml", "control = \"INVENTORY\"\nopened = 2026-11-20", "control = \"INVENTORY-GONE\"\nopened = 2026-11-20\nstatus = \"remediated\"\n\n[[finding]]\nid = \"F-2\"\nasset = \"agent\"\ncontrol = \"ALLOWLIST\"\nopened = 2026-11-21");
    std::fs::remove_file(repo.path().join("governance/old.toml")).unwrap();
    repo.write(
        "governance/new.toml",
        "[[asset]]\nid = \"fresh\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n",
    );
    // Signers and a narrowed privilege on a second commit.
    repo.edit("governance/governance.toml", "[policy]", "[[signer]]\nid = \"office\"\nteam = \"product\"\npublic-key = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEl0iEx5QSmLnK5Rb9IY1mx9ueFbX0ol+cLWhSYGzoUn office\"\n\n[policy]");
    repo.commit("Reorganise");

    let run = repo.govern(&["drift", "--from", &from, "--to", "HEAD", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let drift = run.json();
    let found = kinds(&drift);
    for kind in [
        "asset-orphaned",
        "signer-changed",
        "owner-changed",
        "owner-removed",
        "privilege-widened",
        "trust-dropped",
        "coverage-dropped",
        "exception-added",
        "exception-extended",
        "asset-added",
        "asset-removed",
        "finding-opened",
        "finding-closed",
        "raci-changed",
    ] {
        assert!(found.contains(kind), "no {kind} in {found:?}");
    }
    let changes = drift["changes"].as_array().unwrap();
    let moved = changes
        .iter()
        .find(|c| c["kind"] == "owner-changed" && c["role"] == "accountable")
        .expect("the accountable move");
    assert_eq!(moved["asset"], "agent");
    assert_eq!(moved["severity"], "high");
    assert_eq!(
        (moved["before"].as_str(), moved["after"].as_str()),
        (Some("product"), Some("eng"))
    );
    let orphan = changes
        .iter()
        .find(|c| c["kind"] == "asset-orphaned")
        .unwrap();
    assert_eq!(orphan["severity"], "critical");
    assert_eq!(drift["to"]["rev"], "HEAD");

    // Narrowing back is info only.
    repo.edit(
        "governance/assets.toml",
        "max-ttl = \"1h\"",
        "max-ttl = \"15m\"",
    );
    let narrowed = repo.govern(&["drift", "--from", "HEAD", "--format", "json"]);
    assert_eq!(narrowed.code, Some(0), "{}", narrowed.stderr);
    let narrowed = narrowed.json();
    assert!(
        kinds(&narrowed).contains("privilege-narrowed"),
        "{narrowed}"
    );
    assert!(narrowed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["severity"] == "info"));
}

#[test]
fn fail_on_blame_markdown_and_artifacts() {
    let mut repo = base();
    let from = repo.commit("Base");
    repo.clock += 3600;
    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\", operator",
        "accountable = \"eng\", operator",
    );
    let moved = repo.commit("Move the agent to engineering");
    repo.write(
        "governance/new.toml",
        "[[asset]]\nid = \"fresh\"\nkind = \"dataset\"\nowners = { accountable = \"eng\" }\n",
    );
    let added = repo.commit("Add a dataset");

    let high = repo.govern(&[
        "drift",
        "--from",
        &from,
        "--to",
        "HEAD",
        "--fail-on",
        "high",
    ]);
    assert_eq!(high.code, Some(1), "{}", high.stderr);
    let critical = repo.govern(&[
        "drift",
        "--from",
        &from,
        "--to",
        "HEAD",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(critical.code, Some(0), "{}", critical.stderr);

    let blamed = repo
        .govern(&[
            "drift", "--from", &from, "--to", "HEAD", "--blame", "--format", "json",
        ])
        .json();
    for change in blamed["changes"].as_array().unwrap() {
        let commit = &change["commit"];
        let expected = if change["kind"] == "asset-added" {
            &added
        } else {
            &moved
        };
        assert_eq!(commit["id"].as_str(), Some(expected.as_str()), "{change}");
        assert_eq!(commit["author"], "Ada Governance <ada@git.example>");
        assert!(
            commit["date"].as_str().unwrap().ends_with("+00:00"),
            "{commit}"
        );
    }
    let subjects: BTreeSet<&str> = blamed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["commit"]["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        BTreeSet::from(["Add a dataset", "Move the agent to engineering"])
    );

    let markdown = repo.govern(&[
        "drift", "--from", &from, "--to", "HEAD", "--format", "markdown", "--blame",
    ]);
    let text = &markdown.stdout;
    let summary = text
        .find("| Severity | Changes |")
        .expect("a summary table");
    let details = text.find("### Changes").expect("details");
    assert!(summary < details, "summary first:\n{text}");
    assert!(text.contains("| high | 1 |"), "{text}");
    assert!(text.contains("Move the agent to engineering"), "{text}");

    let sarif = repo
        .govern(&[
            "drift", "--from", &from, "--to", "HEAD", "--format", "sarif",
        ])
        .json();
    let results = &common::sarif::valid(&sarif);
    assert_eq!(results.len(), blamed["changes"].as_array().unwrap().len());
    let moved_result = results
        .iter()
        .find(|r| r["ruleId"] == "owner-changed")
        .expect("the move is a result");
    assert_eq!(moved_result["level"], "error", "high drift is an error");
    assert_eq!(
        moved_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "governance/assets.toml"
    );

    // --since takes the newest first-parent commit at or before the time:
    // a date before the move, or seven days before --today's end.
    let since_date = repo
        .govern(&["drift", "--since", "2026-09-23", "--format", "json"])
        .json();
    assert_eq!(since_date["from"]["commit"].as_str(), Some(from.as_str()));
    assert_eq!(kinds(&since_date), kinds(&blamed));
    let since_week = repo
        .govern(&["drift", "--since", "7d", "--format", "json"])
        .json();
    assert_eq!(since_week["from"]["commit"].as_str(), Some(added.as_str()));
    assert_eq!(since_week["changes"], serde_json::json!([]));

    let artifacts = repo.govern(&["drift", "--from", &from, "--to", "HEAD", "--artifacts"]);
    assert_eq!(artifacts.code, Some(0), "{}", artifacts.stderr);
    let out = format!("{}{}", artifacts.stdout, artifacts.stderr);
    assert!(
        out.contains("--- ") && out.contains("+++ ") && out.contains("@@"),
        "{out}"
    );
    assert!(out.contains("raci/agent.md"), "{out}");
}

#[test]
fn a_declaration_moved_to_another_file_is_not_drift() {
    let mut repo = base();
    let from = repo.commit("Base");
    let (agent, notes) = ASSETS.split_at(ASSETS.find("[[asset]]\nid = \"notes\"").unwrap());
    repo.write("governance/assets.toml", notes);
    repo.write("governance/agents/agent.toml", agent);
    repo.commit("Move the agent to its own file");
    let run = repo.govern(&["drift", "--from", &from, "--to", "HEAD", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.json()["changes"],
        serde_json::json!([]),
        "no false drift"
    );
}

/// The `applies-to` changes of drift: the assets a control no longer
/// applies to, in id order, among those the later side still holds.
fn applies_to_drops(repo: &Repo, from: &str) -> Vec<(String, String)> {
    let run = repo.govern(&["drift", "--from", from, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["role"] == "applies-to")
        .map(|c| {
            assert_eq!(c["kind"], "coverage-dropped");
            (
                c["before"].as_str().unwrap().to_string(),
                c["after"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn drift_names_the_assets_a_control_no_longer_applies_to() {
    let mut repo = base();
    let agent = &ASSETS[..ASSETS.find("[[asset]]\nid = \"notes\"").unwrap()];
    for id in ["bot", "zeta", "gone"] {
        repo.write(
            &format!("governance/{id}.toml"),
            &agent.replace("id = \"agent\"", &format!("id = \"{id}\"")),
        );
    }
    let from = repo.commit("Four agents");
    assert_eq!(applies_to_drops(&repo, &from), vec![]);

    // One agent becomes an LLM app, one is removed: only the first is
    // named, as the later side no longer holds the second.
    repo.edit(
        "governance/bot.toml",
        "kind = \"agent\"",
        "kind = \"llm-app\"",
    );
    std::fs::remove_file(repo.path().join("governance/gone.toml")).unwrap();
    assert_eq!(
        applies_to_drops(&repo, &from),
        vec![("ALLOWLIST".to_string(), "bot".to_string())]
    );

    // The control itself narrows to production: every agent still held
    // leaves it, in id order.
    repo.edit(
        "governance/controls.toml",
        "applies-to = { kinds = [\"agent\"] }",
        "applies-to = { kinds = [\"agent\"], environments = [\"prod\"] }",
    );
    assert_eq!(
        applies_to_drops(&repo, &from),
        vec![("ALLOWLIST".to_string(), "agent, bot, zeta".to_string())]
    );
}

#[test]
fn drift_keeps_going_when_a_side_has_check_errors() {
    let mut repo = base();
    let from = repo.commit("Base");
    repo.edit("governance/teams.toml", "[[team]]\nid = \"platform\"\n", "");
    repo.commit("Remove the platform team");
    let run = repo.govern(&["drift", "--from", &from, "--to", "HEAD", "--format", "json"]);
    assert_eq!(
        run.code,
        Some(0),
        "exit depends on --fail-on alone: {}",
        run.stderr
    );
    let drift = run.json();
    let orphaned: Vec<&Value> = drift["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "asset-orphaned")
        .collect();
    assert_eq!(orphaned.len(), 1, "{drift}");
    assert_eq!(orphaned[0]["role"], "operator");
    assert_eq!(orphaned[0]["before"], "platform");
    let errors = drift["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(
            |e| e["side"] == "to" && e["error"].as_str().unwrap().contains("unknown-reference")
        ),
        "the errors are reported: {drift}"
    );
    let human = repo.govern(&["drift", "--from", &from, "--to", "HEAD"]);
    assert_eq!(human.code, Some(0));
    assert!(
        human.stdout.contains("check error on the to side"),
        "{}",
        human.stdout
    );
}

#[test]
fn history_follows_first_parents_through_merges() {
    let mut repo = base();
    repo.commit("Base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\", operator",
        "accountable = \"eng\", operator",
    );
    let side = repo.commit("On a branch: move the agent");
    repo.git(&["checkout", "-q", "main"]);
    repo.edit(
        "governance/controls.toml",
        "Every asset is in the inventory",
        "Every asset is listed",
    );
    repo.commit("Reword a control");
    repo.clock += 86_400;
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge the move", "side"]);
    let merge = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.edit(
        "governance/assets.toml",
        "operator = \"platform\"",
        "operator = \"secops\"",
    );
    let last = repo.commit("Secops operates the agent");

    let run = repo.govern(&["history", "agent", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let history = run.json();
    let entries = history.as_array().unwrap();
    let accountable = entries
        .iter()
        .find(|e| e["role"] == "accountable" && e["after"] == "eng")
        .expect("the move");
    assert_eq!(
        accountable["commit"].as_str(),
        Some(merge.as_str()),
        "first-parent: the merge brought it"
    );
    assert_ne!(accountable["commit"].as_str(), Some(side.as_str()));
    assert_eq!(accountable["before"], "product");
    let dates: Vec<&str> = entries
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    assert_eq!(
        entries.last().unwrap()["commit"].as_str(),
        Some(last.as_str())
    );

    let operators = repo
        .govern(&["history", "agent", "--role", "operator", "--format", "json"])
        .json();
    assert!(
        operators
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["role"] == "operator"),
        "{operators}"
    );
    assert!(operators
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["after"] == "secops"));

    let recent = repo
        .govern(&[
            "history",
            "agent",
            "--since",
            "2026-09-25",
            "--format",
            "json",
        ])
        .json();
    let recent = recent.as_array().unwrap();
    assert!(!recent.is_empty());
    assert!(
        recent
            .iter()
            .all(|e| e["date"].as_str().unwrap() >= "2026-09-25"),
        "{recent:?}"
    );
    assert!(recent.iter().any(|e| e["after"] == "secops"));
    assert!(!recent
        .iter()
        .any(|e| e["after"] == "eng" && e["role"] == "remediation"));

    for derived in ["control-owners", "owner"] {
        let bad = repo.govern(&["history", "--role", derived]);
        assert_eq!(bad.code, Some(2), "{}", bad.stderr);
        assert!(
            bad.stderr.contains(
                "use one of: accountable, operator, remediation, approver, revoker, reviewers, incident"
            ),
            "{}",
            bad.stderr
        );
    }

    let human = repo.govern(&["history", "agent"]);
    assert_eq!(human.code, Some(0));
    assert!(human.stdout.contains("Ada Governance"), "{}", human.stdout);
}

#[test]
fn history_refuses_an_asset_it_never_saw_and_takes_one_deleted_earlier() {
    let mut repo = base();
    repo.write(
        "governance/retired.toml",
        "[[asset]]\nid = \"old-model\"\nkind = \"model\"\nowners = { accountable = \"product\" }\n",
    );
    repo.commit("Base, with an old model");
    repo.edit(
        "governance/assets.toml",
        "operator = \"platform\"",
        "operator = \"secops\"",
    );
    repo.commit("Secops operates the agent");
    std::fs::remove_file(repo.path().join("governance/retired.toml")).unwrap();
    repo.commit("Delete the old model");

    let typo = repo.govern(&["history", "agnet"]);
    assert_eq!(typo.code, Some(2), "{}", typo.stderr);
    assert_eq!(typo.stdout, "", "nothing printed as if it had no changes");
    assert!(
        typo.stderr
            .contains("error: no asset `agnet` in the history of HEAD")
            && typo.stderr.contains("hint: did you mean `agent`?"),
        "{}",
        typo.stderr
    );
    let json = repo.govern(&["history", "agent", "agnet", "--format", "json"]);
    assert_eq!(json.code, Some(2), "{}", json.stderr);
    assert!(
        json.stderr.contains("did you mean `agent`?"),
        "{}",
        json.stderr
    );

    let known = repo.govern(&["history", "agent"]);
    assert_eq!(known.code, Some(0), "{}", known.stderr);
    assert!(
        known.stdout.contains("platform -> secops"),
        "{}",
        known.stdout
    );

    let deleted = repo.govern(&["history", "old-model", "--format", "json"]);
    assert_eq!(
        deleted.code,
        Some(0),
        "an asset deleted earlier: {}",
        deleted.stderr
    );
    let entries = deleted.json();
    assert!(
        entries
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["asset"] == "old-model"
                && e["role"] == "accountable"
                && e["after"].is_null()),
        "its deletion is in its timeline: {entries}"
    );
    // --since walks from the newest commit before the window: an asset
    // deleted before it is not in the history walked.
    let before = repo.govern(&["history", "old-model", "--since", "2026-09-25"]);
    assert_eq!(before.code, Some(2), "{}", before.stderr);
    assert!(
        before
            .stderr
            .contains("no asset `old-model` in the history of HEAD since 2026-09-25"),
        "{}",
        before.stderr
    );

    let role = repo.govern(&["history", "agent", "--role", "acountable"]);
    assert_eq!(role.code, Some(2), "{}", role.stderr);
    assert!(
        role.stderr.contains("no owner role `acountable`")
            && role.stderr.contains("did you mean `accountable`?"),
        "{}",
        role.stderr
    );
}

#[test]
fn outside_a_repository_git_commands_fail_with_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("governance")).unwrap();
    std::fs::write(dir.path().join("governance/teams.toml"), TEAMS).unwrap();
    let check = govern_in(dir.path(), &["--repo", ".", "check"]);
    assert_eq!(
        check.code,
        Some(0),
        "check of a plain folder works: {}",
        check.stderr
    );
    let drift = govern_in(dir.path(), &["--repo", ".", "drift", "--from", "HEAD"]);
    assert_eq!(drift.code, Some(3), "{}", drift.stderr);
    assert!(
        drift.stderr.contains("is not inside a Git repository") && drift.stderr.contains("hint:"),
        "{}",
        drift.stderr
    );
}

#[test]
fn an_empty_repository_says_so() {
    let repo = base();
    let run = repo.govern(&["drift", "--from", "HEAD"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("no commits"), "{}", run.stderr);
    let history = repo.govern(&["history"]);
    assert_eq!(history.code, Some(3), "{}", history.stderr);
}

#[test]
fn a_bad_revision_is_a_usage_error_with_a_hint() {
    let mut repo = base();
    repo.commit("Base");
    for args in [
        vec!["check", "--rev", "no-such-branch"],
        vec!["drift", "--from", "no-such-branch"],
        vec!["build", "--rev", "v9.9"],
    ] {
        let run = repo.govern(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("git log --oneline"), "{}", run.stderr);
    }
}

#[test]
fn a_shallow_clone_that_lacks_the_history_says_to_fetch_it() {
    let mut repo = base();
    for i in 0..4 {
        repo.write(
            "governance/n.toml",
            &format!("[[team]]\nid = \"team-{i}\"\n"),
        );
        repo.commit(&format!("Commit {i}"));
    }
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git_in(
        clones.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        PINNED,
    );
    let shallow = clones.path().join("shallow");

    let from = govern_in(&shallow, &["drift", "--from", "HEAD~3"]);
    assert_eq!(from.code, Some(3), "{}", from.stderr);
    assert!(from.stderr.contains("shallow"), "{}", from.stderr);
    assert!(
        from.stderr.contains("git fetch --unshallow"),
        "{}",
        from.stderr
    );

    let since = govern_in(&shallow, &["drift", "--since", "2026-01-01"]);
    assert_eq!(since.code, Some(3), "{}", since.stderr);
    assert!(since.stderr.contains("shallow"), "{}", since.stderr);

    let history = govern_in(&shallow, &["history"]);
    assert_eq!(history.code, Some(3), "{}", history.stderr);
    assert!(
        history.stderr.contains("git fetch --unshallow"),
        "{}",
        history.stderr
    );

    let head = govern_in(&shallow, &["check", "--rev", "HEAD"]);
    assert_eq!(
        head.code,
        Some(0),
        "what the clone has still reads: {}",
        head.stderr
    );
}

#[test]
fn a_detached_head_reads_like_any_commit() {
    let mut repo = base();
    let first = repo.commit("Base");
    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\", operator",
        "accountable = \"eng\", operator",
    );
    repo.commit("Move");
    repo.git(&["checkout", "-q", "--detach", &first]);
    let check = repo.govern(&["check", "--rev", "HEAD"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let drift = repo.govern(&[
        "drift", "--from", "HEAD", "--to", "main", "--format", "json",
    ]);
    assert_eq!(drift.code, Some(0), "{}", drift.stderr);
    assert!(kinds(&drift.json()).contains("owner-changed"));
}

#[test]
fn a_bare_repository_reads_revisions_and_has_no_working_tree() {
    let mut repo = base();
    repo.commit("Base");
    repo.edit(
        "governance/assets.toml",
        "accountable = \"product\", operator",
        "accountable = \"eng\", operator",
    );
    repo.commit("Move");
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git_in(
        clones.path(),
        &["clone", "-q", "--bare", &url, "bare.git"],
        PINNED,
    );
    let bare = clones.path().join("bare.git");
    let bare_arg = bare.to_str().unwrap();

    let check = govern_in(
        clones.path(),
        &["--repo", bare_arg, "check", "--rev", "HEAD"],
    );
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let drift = govern_in(
        clones.path(),
        &[
            "--repo", bare_arg, "drift", "--from", "HEAD~1", "--to", "HEAD", "--format", "json",
        ],
    );
    assert_eq!(drift.code, Some(0), "{}", drift.stderr);
    assert!(kinds(&drift.json()).contains("owner-changed"));
    let worktree = govern_in(
        clones.path(),
        &["--repo", bare_arg, "drift", "--from", "HEAD~1"],
    );
    assert_eq!(
        worktree.code,
        Some(3),
        "a bare repository has no working tree to compare: {}",
        worktree.stderr
    );
    assert!(
        worktree.stderr.contains("no governance folder at"),
        "{}",
        worktree.stderr
    );
}

#[test]
fn commands_run_from_a_subfolder_find_the_repository() {
    let mut repo = base();
    repo.commit("Base");
    let sub = repo.path().join("governance");
    let check = govern_in(&sub, &["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(
        check.stderr.contains("checked 5 teams, 2 assets"),
        "{}",
        check.stderr
    );
    let drift = govern_in(&sub, &["drift", "--from", "HEAD", "--format", "json"]);
    assert_eq!(drift.code, Some(0), "{}", drift.stderr);
}

#[test]
fn the_manifest_records_the_commit_and_whether_the_tree_was_dirty() {
    let mut repo = base();
    let head = repo.commit("Base");
    let out = tempfile::tempdir().unwrap();
    let dist = out.path().join("dist");
    let dist_arg = dist.to_str().unwrap();
    let clean = repo.govern(&["build", "--out", dist_arg]);
    assert_eq!(clean.code, Some(0), "{}", clean.stderr);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join("MANIFEST.json")).unwrap()).unwrap();
    assert_eq!(manifest["commit"].as_str(), Some(head.as_str()));
    assert_eq!(manifest["dirty"], false);
    let tree = repo.git(&["rev-parse", "HEAD:governance"]);
    assert_eq!(manifest["tree"].as_str(), Some(tree.trim()));

    repo.edit("governance/assets.toml", "score = 90", "score = 91");
    let dirty = repo.govern(&["build", "--out", dist_arg]);
    assert_eq!(dirty.code, Some(0), "{}", dirty.stderr);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join("MANIFEST.json")).unwrap()).unwrap();
    assert_eq!(manifest["dirty"], true);
}

#[test]
fn build_of_a_revision_uses_that_revisions_files_and_templates() {
    let mut repo = base();
    repo.write("templates/CODEOWNERS", "# owners as of the commit\n");
    repo.commit("Base with a CODEOWNERS template");
    repo.write("templates/CODEOWNERS", "# owners in the working tree\n");
    repo.edit("governance/assets.toml", "score = 90", "score = 91");
    let out = tempfile::tempdir().unwrap();
    let dist = out.path().join("dist");
    let run = repo.govern(&["build", "--rev", "HEAD", "--out", dist.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let owners = std::fs::read_to_string(dist.join("CODEOWNERS")).unwrap();
    assert_eq!(owners, "# owners as of the commit\n");
    let model = std::fs::read_to_string(dist.join("model.json")).unwrap();
    assert!(model.contains("\"score\":90") && !model.contains("\"score\":91"));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join("MANIFEST.json")).unwrap()).unwrap();
    assert_eq!(manifest["dirty"], false);
}
