//! `govern escalations` against `govern check`: every diagnostic that asks
//! an owner to act is an item under the team that must act, with its role,
//! due date and the teams to inform; a governance function is informed,
//! never the team that acts on remediation.

mod common;

use common::Repo;
use serde_json::Value;
use std::collections::BTreeMap;

const SETTINGS: &str = r#"[organization]
name = "Escalation Corp"

[policy]
frameworks = ["nist-csf-2.0"]

[[signer]]
id = "office-key"
team = "office"
public-key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEl0iEx5QSmLnK5Rb9IY1mx9ueFbX0ol+cLWhSYGzoUn office"
expires = 2026-11-30
"#;

const TEAMS: &str = r#"[[team]]
id = "owner"
name = "Product Owner"
contact = "owner@corp.example"
handle = "@corp/owner"
[[team]]
id = "fixers"
[[team]]
id = "controls"
[[team]]
id = "office"
functions = ["governance"]
[[team]]
id = "desk"
functions = ["service-desk"]
[[team]]
id = "gone"
active = false
"#;

/// One asset of each kind of responsibility: `fixed` has a remediation
/// owner, `tracked` has the governance office as its remediation owner.
const ASSETS: &str = r#"[[asset]]
id = "fixed"
kind = "rag"
risk = "high"
owners = { accountable = "owner", remediation = "fixers", attested = 2026-01-02 }
trust = { score = 40, assessed = 2026-11-01 }

[[asset]]
id = "tracked"
kind = "rag"
owners = { accountable = "owner", remediation = "office" }
trust = { score = 90, assessed = 2026-06-01 }

[[asset]]
id = "queued"
kind = "rag"
owners = { accountable = "owner", remediation = "desk" }
trust = { score = 30, assessed = 2026-11-20 }

[[asset]]
id = "left"
kind = "rag"
owners = { accountable = "owner", remediation = "gone" }
trust = { score = 30, assessed = 2026-11-20 }
"#;

const CONTROLS: &str = r#"[[control]]
id = "SEC-1"
title = "Rotate secrets"
owner = "controls"
maps-to = ["nist-csf-2.0:GV.RM-06"]
retest-every = "30d"
tested = 2026-09-01
"#;

const RECORDS: &str = r#"[[exception]]
id = "EXC-OLD"
asset = "fixed"
control = "SEC-1"
approved-by = "owner"
granted = 2026-09-01
expires = 2026-11-01

[[exception]]
id = "EXC-SOON"
asset = "tracked"
control = "SEC-1"
approved-by = "owner"
granted = 2026-11-01
expires = 2026-12-01

[[finding]]
id = "F-LATE"
asset = "tracked"
control = "SEC-1"
severity = "high"
opened = 2026-11-02
retest-by = 2026-11-10

[[finding]]
id = "F-FIXED"
asset = "fixed"
control = "SEC-1"
opened = 2026-11-02
status = "remediated"
closed = 2026-11-20
closed-by = "fixers"
retested = 2026-11-19
root-cause = "Key kept in the image"
signed-off-by = "fixers"

[[finding]]
id = "F-BARE"
asset = "fixed"
control = "SEC-1"
opened = 2026-11-02
status = "remediated"

[[finding]]
id = "F-ACCEPTED"
asset = "fixed"
control = "SEC-1"
opened = 2026-11-02
status = "accepted"
"#;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.write("governance/controls.toml", CONTROLS);
    repo.write("governance/records.toml", RECORDS);
    repo
}

/// Every item, by its message: (team, item).
fn items(groups: &Value) -> BTreeMap<String, (String, Value)> {
    let mut out = BTreeMap::new();
    for g in groups.as_array().unwrap() {
        for item in g["items"].as_array().unwrap() {
            let message = item["message"].as_str().unwrap().to_string();
            let team = g["team"].as_str().unwrap().to_string();
            assert!(
                out.insert(message.clone(), (team, item.clone())).is_none(),
                "{message} is listed twice"
            );
        }
    }
    out
}

/// (code, what it is about, team that acts, role, due, teams to inform)
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
);

#[test]
fn every_item_check_asks_for_is_listed_under_the_team_that_acts() {
    let repo = repo();
    let check = repo.govern(&["check", "--format", "json"]).json();
    let run = repo.govern(&["escalations", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let items = items(&run.json());
    let expected: &[Expected] = &[
        (
            "trust-below-threshold",
            "fixed",
            "fixers",
            "remediation",
            None,
            &["owner"],
        ),
        // A triage queue and an inactive team cannot remediate: the
        // accountable owner acts, and they are informed.
        (
            "trust-below-threshold",
            "queued",
            "owner",
            "accountable",
            None,
            &["desk"],
        ),
        (
            "trust-below-threshold",
            "left",
            "owner",
            "accountable",
            None,
            &["gone"],
        ),
        (
            "attestation-stale",
            "fixed",
            "owner",
            "accountable",
            Some("2026-07-01"),
            &[],
        ),
        (
            "trust-stale",
            "tracked",
            "owner",
            "accountable",
            Some("2026-08-30"),
            &[],
        ),
        (
            "finding-escalation",
            "F-LATE",
            "owner",
            "accountable",
            Some("2026-11-09"),
            &["office"],
        ),
        (
            "finding-retest-overdue",
            "F-LATE",
            "owner",
            "accountable",
            Some("2026-11-10"),
            &["office"],
        ),
        (
            "finding-closure-incomplete",
            "F-FIXED",
            "owner",
            "accountable",
            Some("2026-11-20"),
            &[],
        ),
        (
            "finding-closure-incomplete",
            "F-BARE",
            "fixers",
            "remediation",
            Some("2026-11-02"),
            &["owner"],
        ),
        // An accepted risk is closed by the accountable owner alone.
        (
            "finding-closure-incomplete",
            "F-ACCEPTED",
            "owner",
            "accountable",
            Some("2026-11-02"),
            &[],
        ),
        (
            "control-retest-overdue",
            "SEC-1",
            "controls",
            "control-owner",
            Some("2026-10-01"),
            &[],
        ),
        (
            "exception-expired",
            "EXC-OLD",
            "owner",
            "accountable",
            Some("2026-11-01"),
            &[],
        ),
        (
            "exception-expiring",
            "EXC-SOON",
            "owner",
            "accountable",
            Some("2026-12-01"),
            &[],
        ),
        (
            "signer-expiring",
            "office-key",
            "office",
            "signer",
            Some("2026-11-30"),
            &[],
        ),
    ];
    let actionable: Vec<&Value> = check
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| expected.iter().any(|e| d["code"] == e.0))
        .collect();
    assert_eq!(actionable.len(), expected.len(), "{actionable:#?}");
    assert_eq!(items.len(), expected.len(), "{items:#?}");
    for d in actionable {
        let message = d["message"].as_str().unwrap();
        let (team, item) = items
            .get(message)
            .unwrap_or_else(|| panic!("`{message}` is not escalated"));
        let about = [
            &item["asset"],
            &item["control"],
            &item["finding"],
            &item["exception"],
        ];
        let (code, subject, acting, role, due, inform) = expected
            .iter()
            .find(|e| {
                d["code"] == e.0
                    && (about.iter().any(|a| **a == e.1) || message.contains(&format!("`{}`", e.1)))
                    && (e.0 != "finding-closure-incomplete" || item["finding"] == e.1)
            })
            .unwrap_or_else(|| panic!("no expectation for {d}"));
        assert_eq!(item["code"], *code);
        assert_eq!(item["severity"], d["severity"], "{code} on {subject}");
        assert_eq!(team, acting, "{code} on {subject}");
        assert_eq!(item["role"], *role, "{code} on {subject}");
        assert_eq!(item["due"].as_str(), *due, "{code} on {subject}");
        let listed: Vec<&str> = item["inform"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(listed, *inform, "{code} on {subject}");
    }
}

#[test]
fn items_come_most_overdue_first_and_count_days_from_today() {
    let groups = repo().govern(&["escalations", "--format", "json"]).json();
    for g in groups.as_array().unwrap() {
        // Undated items first, then the most overdue.
        let order: Vec<(bool, i64)> = g["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (!i["due"].is_null(), -i["overdue_days"].as_i64().unwrap()))
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "{}", g["team"]);
    }
    let first: Vec<(bool, i64)> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let i = &g["items"][0];
            (!i["due"].is_null(), -i["overdue_days"].as_i64().unwrap())
        })
        .collect();
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(first, sorted, "teams come by their most urgent item");
    let owner = &groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["team"] == "owner")
        .unwrap();
    assert_eq!(owner["name"], "Product Owner");
    assert_eq!(owner["contact"], "owner@corp.example");
    assert_eq!(owner["handle"], "@corp/owner");
    let soon = owner["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["exception"] == "EXC-SOON")
        .unwrap();
    assert_eq!(soon["overdue_days"], -8, "due in 8 days from 2026-11-23");
}

#[test]
fn teams_and_fail_on_narrow_and_gate() {
    let repo = repo();
    let run = repo.govern(&["escalations", "--team", "controls", "--format", "json"]);
    let groups = run.json();
    let teams: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["team"].as_str().unwrap())
        .collect();
    assert_eq!(teams, ["controls"]);
    let run = repo.govern(&["escalations", "--team", "controls", "--fail-on", "warning"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let run = repo.govern(&["escalations", "--team", "controls", "--fail-on", "error"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The expired exception is an error, and it is the owner's.
    let run = repo.govern(&["escalations", "--team", "owner", "--fail-on", "error"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let run = repo.govern(&["escalations", "--team", "contrls"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("did you mean `controls`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_rule_turned_off_is_no_item() {
    let repo = repo();
    repo.write(
        "governance/governance.toml",
        &format!("{SETTINGS}\n[rules]\ncontrol-retest-overdue = \"off\"\n"),
    );
    let groups = repo.govern(&["escalations", "--format", "json"]).json();
    assert!(
        !groups
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["team"] == "controls"),
        "{groups:#}"
    );
}
