//! CODEOWNERS read by a CODEOWNERS parser from the ecosystem (Python's
//! `codeowners`, a port of the matcher that mirrors GitHub's): every
//! declaration file, odd names included, is owned by the teams that own
//! what it declares; forged handles stop check and build.

mod common;

use common::{govern_in, Repo};
use std::collections::BTreeMap;
use std::path::Path;

/// Asks the `codeowners` parser for the owners of each path under `text`.
fn owners_of(text: &str, paths: &[&str]) -> BTreeMap<String, Vec<String>> {
    const SCRIPT: &str = "import json, sys\n\
        from codeowners import CodeOwners\n\
        given = json.load(sys.stdin)\n\
        owners = CodeOwners(given['text'])\n\
        print(json.dumps({p: [o[1] for o in owners.of(p)] for p in given['paths']}))\n";
    let out = common::python(
        SCRIPT,
        &serde_json::json!({"text": text, "paths": paths}),
        "codeowners",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the codeowners parser failed (`pip install codeowners`): {stderr}"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Builds `repo` into a fresh folder and returns its CODEOWNERS.
fn codeowners(repo: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let dist = out.path().join("dist");
    common::build(repo, &dist, &[]);
    std::fs::read_to_string(dist.join("CODEOWNERS")).unwrap()
}

/// Every `.toml` below `root/governance`, repository-relative, sorted.
fn declaration_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("governance")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn assert_owners(text: &str, expected: &[(&str, &[&str])]) {
    let paths: Vec<&str> = expected.iter().map(|(p, _)| *p).collect();
    let found = owners_of(text, &paths);
    for (path, want) in expected {
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        let mut got = found[*path].clone();
        got.sort();
        assert_eq!(got, want, "owners of {path} in\n{text}");
    }
}

#[test]
fn every_file_of_the_example_is_owned_by_the_owners_of_what_it_declares() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = codeowners(root);
    let gov: &[&str] = &["@acme/governance-office"];
    let expected: &[(&str, &[&str])] = &[
        ("governance/governance.toml", gov),
        ("governance/teams/governance.toml", gov),
        ("governance/controls/governance.toml", gov),
        ("governance/assets/risk-and-compliance.toml", gov),
        (
            "governance/assets/payments.toml",
            &["@acme/payments-product"],
        ),
        ("governance/assets/support.toml", &["@acme/support-product"]),
        ("governance/assets/people.toml", &["@acme/people-ops"]),
        (
            "governance/assets/engineering.toml",
            &["@acme/devex", "@acme/engineering"],
        ),
        (
            "governance/assets/ml-platform.toml",
            &[
                "@acme/engineering",
                "@acme/ml-platform",
                "@acme/support-product",
            ],
        ),
        (
            "governance/assets/security.toml",
            &["@acme/jordan-rivera", "@acme/secops", "@acme/security"],
        ),
        (
            "governance/controls/agents.toml",
            &["@acme/iam", "@acme/ml-platform", "@acme/security-eng"],
        ),
        (
            "governance/controls/data-and-models.toml",
            &["@acme/data-platform", "@acme/ml-platform"],
        ),
        (
            "governance/controls/identity.toml",
            &["@acme/iam", "@acme/security-eng"],
        ),
        (
            "governance/controls/operations.toml",
            &["@acme/platform-sre", "@acme/secops"],
        ),
        (
            "governance/exceptions/2026.toml",
            &[
                "@acme/engineering",
                "@acme/payments-product",
                "@acme/support-product",
            ],
        ),
        (
            "governance/findings/2026.toml",
            &[
                "@acme/engineering",
                "@acme/payments-product",
                "@acme/support-product",
            ],
        ),
        (
            "governance/teams/business.toml",
            &[
                "@acme/it-service-desk",
                "@acme/payments-product",
                "@acme/people-ops",
                "@acme/support-ops",
                "@acme/support-product",
            ],
        ),
        (
            "governance/teams/security.toml",
            &[
                "@acme/iam",
                "@acme/jordan-rivera",
                "@acme/secops",
                "@acme/security",
                "@acme/security-eng",
            ],
        ),
        (
            "governance/teams/vendors.toml",
            &["@acme/vendor-llm", "@acme/vendor-search"],
        ),
        // Not declared yet: a file added later falls to the governance office.
        ("governance/assets/added-later.toml", gov),
    ];
    assert_owners(&text, expected);
    let listed: Vec<&str> = expected.iter().map(|(p, _)| *p).collect();
    for file in declaration_files(root) {
        if file != "governance/teams/engineering.toml" {
            assert!(listed.contains(&file.as_str()), "{file} is not checked");
        }
    }
    let engineering = &owners_of(&text, &["governance/teams/engineering.toml"])
        ["governance/teams/engineering.toml"];
    assert!(
        engineering.contains(&"@acme/payments-eng".to_string()) && engineering.len() == 8,
        "{engineering:?}"
    );
}

const TEAMS: &str = r#"
[[team]]
id = "governance-office"
functions = ["governance"]
handle = "@acme/governance-office"

[[team]]
id = "payments"
handle = "@acme/payments"

[[team]]
id = "support"
handle = "support-lead@acme.example"

[[team]]
id = "security"
handle = "@octocat"

[[team]]
id = "sre"
parent = "security"
"#;

fn asset(id: &str, owner: &str) -> String {
    format!(
        "[[asset]]\nid = \"{id}\"\nkind = \"rag\"\nenvironment = \"staging\"\n\
         owners = {{ accountable = \"{owner}\" }}\n"
    )
}

/// A repository whose declaration files have names that mean something to
/// gitignore patterns.
fn odd_names() -> Repo {
    let mut repo = Repo::new();
    repo.write(
        "governance/governance.toml",
        "[organization]\nname = \"Odd\"\n[policy]\nframeworks = [\"nist-csf-2.0\"]\n",
    );
    repo.write("governance/teams/all teams.toml", TEAMS);
    repo.write(
        "governance/assets/with space.toml",
        &asset("spaced", "payments"),
    );
    repo.write(
        "governance/assets/star[1].toml",
        &asset("starred", "support"),
    );
    // What `star[1].toml` would match if `[1]` were left a character class.
    repo.write("governance/assets/star1.toml", &asset("plain", "security"));
    repo.write("governance/assets/#hash.toml", &asset("hashed", "payments"));
    repo.write(
        "governance/assets/mixed*?.toml",
        &format!("{}\n{}", asset("one", "payments"), asset("two", "support")),
    );
    repo.write(
        "governance/controls/back\\slash.toml",
        "[[control]]\nid = \"C-1\"\ntitle = \"Review\"\nowner = \"sre\"\n\
         maps-to = [\"nist-csf-2.0:GV.RM-06\"]\n",
    );
    repo.write(
        "governance/exceptions/[x].toml",
        "[[exception]]\nid = \"E-1\"\nasset = \"starred\"\ncontrol = \"C-1\"\n\
         approved-by = \"support\"\nreason = \"r\"\ngranted = 2026-11-01\nexpires = 2026-12-01\n",
    );
    repo.write(
        "governance/frameworks/acme policy.toml",
        "[framework]\nid = \"acme-policy\"\nname = \"Acme policy\"\n\n\
         [[requirement]]\nid = \"AP-1\"\ntitle = \"Owned\"\n",
    );
    repo.commit("odd names");
    repo
}

#[test]
fn names_with_spaces_hashes_and_glob_characters_match_only_their_file() {
    let repo = odd_names();
    let text = codeowners(repo.path());
    assert!(
        !text.contains("\n*"),
        "no line may start with a glob:\n{text}"
    );
    let gov: &[&str] = &["@acme/governance-office"];
    let expected: &[(&str, &[&str])] = &[
        ("governance/governance.toml", gov),
        ("governance/frameworks/acme policy.toml", gov),
        (
            "governance/teams/all teams.toml",
            &[
                "@acme/governance-office",
                "@acme/payments",
                "@octocat",
                "support-lead@acme.example",
            ],
        ),
        ("governance/assets/with space.toml", &["@acme/payments"]),
        (
            "governance/assets/star[1].toml",
            &["support-lead@acme.example"],
        ),
        ("governance/assets/star1.toml", &["@octocat"]),
        ("governance/assets/#hash.toml", &["@acme/payments"]),
        (
            "governance/assets/mixed*?.toml",
            &["@acme/payments", "support-lead@acme.example"],
        ),
        // The control owner `sre` has no handle: the file is left to the
        // governance folder's line.
        ("governance/controls/back\\slash.toml", gov),
        (
            "governance/exceptions/[x].toml",
            &["support-lead@acme.example"],
        ),
        // Names the escaped patterns must not reach.
        ("governance/assets/mixedab.toml", gov),
        ("governance/exceptions/x.toml", gov),
    ];
    assert_owners(&text, expected);
    let listed: Vec<&str> = expected.iter().map(|(p, _)| *p).collect();
    for file in declaration_files(repo.path()) {
        assert!(listed.contains(&file.as_str()), "{file} is not checked");
    }
    assert!(
        text.contains("any one of them can approve a change\n/governance/assets/mixed\\*\\?.toml "),
        "{text}"
    );
}

#[test]
fn a_file_mixing_accountable_owners_is_warned_about() {
    let repo = odd_names();
    let run = repo.govern(&["check"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(
        out.matches("warning[owners-mixed-in-file]").count(),
        1,
        "{out}"
    );
    assert!(out.contains("governance/assets/mixed*?.toml:"), "{out}");
}

#[test]
fn forged_handles_are_invalid_values_and_nothing_is_written() {
    for forged in [
        "@acme/engineering\\n* @evil/x",
        "@acme/engineering @evil",
        "payments team",
        "@acme/engineering\\r@evil",
        "@acme/engineering\\t@evil",
        "@acme/engineering,@evil",
    ] {
        let mut repo = odd_names();
        repo.edit(
            "governance/teams/all teams.toml",
            "handle = \"@acme/payments\"",
            &format!("handle = \"{forged}\""),
        );
        repo.commit("forge a handle");
        let run = repo.govern(&["check"]);
        let out = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, Some(1), "{forged}: {out}");
        assert!(out.contains("error[invalid-value]"), "{forged}: {out}");
        assert!(
            out.contains("governance/teams/all teams.toml:9:10"),
            "{forged}: the diagnostic points at the handle: {out}"
        );
        let dist = repo.path().join("dist");
        let run = govern_in(repo.path(), &["build", "--out", dist.to_str().unwrap()]);
        assert_eq!(run.code, Some(1), "{forged}: {}", run.stderr);
        assert!(!dist.exists(), "{forged}: build wrote {}", dist.display());
    }
}
