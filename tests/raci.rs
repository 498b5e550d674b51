//! The RACI of SPEC section 2, read back from a build's `raci/matrix.csv`
//! and `raci/<asset>.md`: letters per role, derived roles, the fallback of
//! responsible to accountable, and roles joined by `+`.

mod common;

use common::Repo;
use std::collections::BTreeSet;

const DECLARATIONS: &str = r#"
[[team]]
id = "product"
[[team]]
id = "platform"
[[team]]
id = "iam"
[[team]]
id = "eng"
[[team]]
id = "secops"
[[team]]
id = "far"
[[team]]
id = "control-team"
[[team]]
id = "excepted-team"

[[asset]]
id = "agent"
kind = "agent"
environment = "staging"
depends-on = ["store"]
owners = { accountable = "product", operator = "platform", remediation = "eng", approver = "iam", revoker = "iam", reviewers = ["secops"], incident = "secops" }
identity = { type = "workload", max-ttl = "15m" }

[[asset]]
id = "store"
kind = "dataset"
depends-on = ["archive"]
owners = { accountable = "eng" }

[[asset]]
id = "archive"
kind = "dataset"
owners = { accountable = "far" }

[[control]]
id = "EVERYWHERE"
title = "Applies to every asset"
owner = "control-team"
maps-to = ["owasp-agentic-top10-2026:ASI10"]

[[control]]
id = "RAG-ONLY"
title = "Applies to RAG systems only"
owner = "excepted-team"
applies-to = { kinds = ["rag"] }
maps-to = ["owasp-agentic-top10-2026:ASI06"]

[[exception]]
id = "EXC-1"
asset = "agent"
control = "RAG-ONLY"
approved-by = "product"
granted = 2026-11-01
expires = 2026-12-31
"#;

/// Builds the declarations and returns the matrix rows and the agent's page.
fn build() -> (BTreeSet<String>, Vec<String>, String) {
    let mut repo = Repo::new();
    repo.write(
        "governance/governance.toml",
        "[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n",
    );
    repo.write("governance/declarations.toml", DECLARATIONS);
    repo.commit("Declare");
    let dist = repo.path().join("dist");
    common::build(repo.path(), &dist, &[]);
    let matrix = std::fs::read_to_string(dist.join("raci/matrix.csv")).unwrap();
    let lines: Vec<String> = matrix.lines().map(str::to_string).collect();
    assert_eq!(lines[0], "asset,activity,team,role,letter");
    let rows: BTreeSet<String> = lines[1..].iter().cloned().collect();
    let page = std::fs::read_to_string(dist.join("raci/agent.md")).unwrap();
    (rows, lines[1..].to_vec(), page)
}

#[test]
fn roles_give_their_letters_and_derived_roles_resolve() {
    let (rows, all, page) = build();
    assert_eq!(rows.len(), all.len(), "a team holds a letter once per cell");
    for row in [
        "agent,approve-use-case,product,accountable,A",
        "agent,approve-use-case,product,accountable,R",
        "agent,approve-use-case,iam,approver,C",
        "agent,approve-use-case,platform,operator,I",
        // The remediation owner and the accountable owner of the direct
        // dependency are the same team: one letter, both roles.
        "agent,approve-production-access,eng,remediation+dependency-owners,C",
        "agent,operate,platform,operator,R",
        "agent,review-actions,secops,reviewers,R",
        "agent,revoke-access,iam,revoker,R",
        "agent,remediate-findings,control-team,control-owners,C",
        // The owner of an excepted control is consulted too.
        "agent,remediate-findings,excepted-team,control-owners,C",
        "agent,respond-to-incidents,secops,incident,R",
        "agent,respond-to-incidents,secops,reviewers,I",
        // No remediation owner: the accountable owner is responsible.
        "store,remediate-findings,eng,accountable,R",
    ] {
        assert!(rows.contains(row), "no row {row}");
    }
    assert!(
        !rows
            .iter()
            .any(|r| r.starts_with("agent,") && r.contains(",far,")),
        "dependency-owners are direct dependencies only"
    );
    let use_case = page
        .lines()
        .find(|l| l.starts_with("| Approve the use case"))
        .expect("the activity row");
    assert!(use_case.contains(" A/R |"), "{use_case}");
}
