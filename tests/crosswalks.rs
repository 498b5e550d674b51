//! Coverage through crosswalks, as SPEC section 2 defines it, read back
//! from a build's `mapping/` files: every relation, a partial mapping
//! reaching only as partial, direct mappings never weakened, no chaining,
//! the policy switch, built-in crosswalks and their replacement, drift on a
//! crosswalk edit, and the diagnostics of bad crosswalks.

mod common;

use common::Repo;
use govern::check::check;
use govern::diag::human;
use govern::load::{Body, Input};
use serde_json::{json, Value};

const FROM: &str = r#"
[framework]
id = "src-fw"
name = "Source"
[[requirement]]
id = "S1"
[[requirement]]
id = "S2"
[[requirement]]
id = "S3"
[[requirement]]
id = "S4"
[[requirement]]
id = "S5"
[[requirement]]
id = "S6"
"#;

const TO: &str = r#"
[framework]
id = "dst-fw"
name = "Destination"
[[requirement]]
id = "Y-EQ"
[[requirement]]
id = "Y-SUB"
[[requirement]]
id = "Y-SUP"
[[requirement]]
id = "Y-INT"
[[requirement]]
id = "Y-PART"
[[requirement]]
id = "Y-DIRECT"
[[requirement]]
id = "Y-DP"
[[requirement]]
id = "P"
[[requirement]]
id = "P.1"
parent = "P"
[[requirement]]
id = "P.2"
parent = "P"
[[requirement]]
id = "Y-PAPER"
"#;

const OTHER: &str = r#"
[framework]
id = "other-fw"
name = "Further"
[[requirement]]
id = "O1"
[[requirement]]
id = "O2"
"#;

const CROSSWALK: &str = r#"
[crosswalk]
id = "src-to-dst"
from = "src-fw"
to = "dst-fw"
source = "written for this test"

[[link]]
from = "S1"
to = ["Y-EQ", "Y-DP"]
relation = "equal"
[[link]]
from = "S2"
to = ["Y-SUB"]
relation = "subset"
[[link]]
from = "S3"
to = ["Y-SUP", "P"]
relation = "superset"
[[link]]
from = "S4"
to = ["Y-INT"]
relation = "intersect"
[[link]]
from = "S5"
to = ["Y-PART"]
relation = "equal"
[[link]]
from = "S1"
to = ["Y-DIRECT"]
relation = "intersect"
[[link]]
from = "S6"
to = ["Y-PAPER"]
relation = "equal"
"#;

/// A second crosswalk out of `dst-fw`: what reaches `Y-EQ` only through
/// the first must not travel on.
const ONWARD: &str = r#"
[crosswalk]
id = "dst-to-other"
from = "dst-fw"
to = "other-fw"
[[link]]
from = "Y-EQ"
to = ["O1"]
relation = "equal"
[[link]]
from = "Y-DIRECT"
to = ["O2"]
relation = "equal"
"#;

const DECLARATIONS: &str = r#"
[[team]]
id = "owners"

[[asset]]
id = "agent"
kind = "agent"
environment = "staging"
owners = { accountable = "owners" }

[[control]]
id = "C-FULL"
title = "Full mappings to the source"
owner = "owners"
maps-to = ["src-fw:S1", "src-fw:S2", "src-fw:S3", "src-fw:S4"]

[[control]]
id = "C-PART"
title = "A partial mapping to the source"
owner = "owners"
maps-to = [{ ref = "src-fw:S5", coverage = "partial" }]

[[control]]
id = "C-PAPER"
title = "Applies to no asset"
owner = "owners"
applies-to = { kinds = ["rag"] }
maps-to = ["src-fw:S6"]

[[control]]
id = "C-DIRECT"
title = "Direct mappings to the destination"
owner = "owners"
maps-to = ["dst-fw:Y-DIRECT", { ref = "dst-fw:Y-DP", coverage = "partial" }]
"#;

const POLICY: &str = "[policy]\nframeworks = [\"src-fw\", \"dst-fw\", \"other-fw\"]\n";

fn repo(policy: &str) -> Repo {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", policy);
    repo.write("governance/frameworks/src-fw.toml", FROM);
    repo.write("governance/frameworks/dst-fw.toml", TO);
    repo.write("governance/frameworks/other-fw.toml", OTHER);
    repo.write("governance/frameworks/src-to-dst.toml", CROSSWALK);
    repo.write("governance/frameworks/dst-to-other.toml", ONWARD);
    repo.write("governance/declarations.toml", DECLARATIONS);
    repo.commit("Declare");
    repo
}

/// Builds `repo` and returns `mapping/<framework>.json` and `.md`.
fn mapping(repo: &Repo, framework: &str) -> (Value, String) {
    let dist = repo.path().join("dist");
    common::build(repo.path(), &dist, &[]);
    let read = |ext: &str| {
        std::fs::read_to_string(dist.join("mapping").join(format!("{framework}.{ext}"))).unwrap()
    };
    (serde_json::from_str(&read("json")).unwrap(), read("md"))
}

fn requirement<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no requirement {id}"))
}

/// Each requirement's (status, derived) in `doc`.
fn statuses(doc: &Value) -> Vec<(String, String, bool)> {
    doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["derived"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn expect(rows: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    rows.iter()
        .map(|(id, status, derived)| (id.to_string(), status.to_string(), *derived))
        .collect()
}

#[test]
fn each_relation_carries_full_or_partial_coverage() {
    let repo = repo(POLICY);
    let (dst, md) = mapping(&repo, "dst-fw");
    assert_eq!(
        statuses(&dst),
        expect(&[
            // equal and superset carry a full mapping as full.
            ("Y-EQ", "covered", true),
            // subset and intersect carry it as partial.
            ("Y-SUB", "partial", true),
            ("Y-SUP", "covered", true),
            ("Y-INT", "partial", true),
            // A partial mapping reaches only as partial, whatever the relation.
            ("Y-PART", "partial", true),
            // Covered directly: a derived partial does not weaken it.
            ("Y-DIRECT", "covered", false),
            // Partial directly, covered through an equal link: a crosswalk
            // raises it, but it is reached directly, so not derived.
            ("Y-DP", "covered", false),
            // A link to a parent hands partial coverage to its leaves.
            ("P", "partial", true),
            ("P.1", "partial", true),
            ("P.2", "partial", true),
            // A control that applies to no asset carries nothing.
            ("Y-PAPER", "gap", false),
        ])
    );
    assert_eq!(
        dst["summary"],
        json!({"total": 10, "covered": 4, "partial": 5, "gaps": 1, "derived": 7, "percent": 65.0})
    );
    // Controls and assets stay those of direct mappings; the link names
    // what was carried.
    let eq = requirement(&dst, "Y-EQ");
    assert_eq!(eq["controls"], json!([]));
    assert_eq!(eq["assets"], json!([]));
    assert_eq!(
        eq["via"],
        json!([{"crosswalk": "src-to-dst", "from": "S1", "relation": "equal"}])
    );
    let direct = requirement(&dst, "Y-DIRECT");
    assert_eq!(direct["controls"], json!(["C-DIRECT"]));
    assert_eq!(direct["assets"], json!(["agent"]));
    assert_eq!(direct["via"][0]["relation"], "intersect");
    assert!(requirement(&dst, "Y-PAPER").get("via").is_none());
    // The Markdown marks derived statuses and lists the links.
    assert!(md.contains("7 only through crosswalks"), "{md}");
    assert!(md.contains("| covered (derived) |"), "{md}");
    assert!(md.contains("## Reached through crosswalks"), "{md}");
    assert!(md.contains("- **Y-SUB**: S2 (subset, src-to-dst)"), "{md}");
    // So does the report: the count, and each derived square of the map.
    let report = std::fs::read_to_string(repo.path().join("dist/report.html")).unwrap();
    assert!(report.contains("7 only through crosswalks"));
    let derived: Vec<&str> = report
        .match_indices(" derived\" href=")
        .map(|(at, _)| {
            let title = &report[at..];
            let start = title.find("title=\"").unwrap() + 7;
            &title[start..start + title[start..].find(':').unwrap()]
        })
        .collect();
    assert_eq!(
        derived,
        // dst-fw's, then other-fw's O2.
        ["Y-EQ", "Y-SUB", "Y-SUP", "Y-INT", "Y-PART", "P.1", "P.2", "O2"]
    );
}

#[test]
fn crosswalks_do_not_chain() {
    let repo = repo(POLICY);
    let (other, _) = mapping(&repo, "other-fw");
    // O1 is reached from Y-EQ, which only a crosswalk covers; O2 from
    // Y-DIRECT, which a control maps to directly.
    assert_eq!(
        statuses(&other),
        expect(&[("O1", "gap", false), ("O2", "covered", true)])
    );
    assert_eq!(
        requirement(&other, "O2")["via"],
        json!([{"crosswalk": "dst-to-other", "from": "Y-DIRECT", "relation": "equal"}])
    );
    // The source framework itself is reached directly only.
    let (src, _) = mapping(&repo, "src-fw");
    assert_eq!(src["summary"]["derived"], 0);
}

#[test]
fn the_policy_switch_turns_derived_coverage_off() {
    let repo = repo(&format!("{POLICY}crosswalks = false\n"));
    let (dst, md) = mapping(&repo, "dst-fw");
    assert_eq!(
        dst["summary"],
        json!({"total": 10, "covered": 1, "partial": 1, "gaps": 8, "derived": 0, "percent": 15.0})
    );
    assert!(dst["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("via").is_none() && r.get("derived").is_none()));
    assert!(!md.contains("crosswalks"), "{md}");
}

/// A repository reporting on the OWASP agentic threats, with one control
/// mapped to the Agentic Top 10's ASI03.
fn agentic(extra: &[(&str, &str)]) -> Value {
    let mut repo = Repo::new();
    repo.write(
        "governance/governance.toml",
        "[policy]\nframeworks = [\"owasp-agentic-threats-mitigations\"]\n",
    );
    repo.write(
        "governance/declarations.toml",
        r#"
[[team]]
id = "owners"
[[asset]]
id = "agent"
kind = "agent"
environment = "staging"
owners = { accountable = "owners" }
[[control]]
id = "PRIVILEGE"
title = "Least privilege for agents"
owner = "owners"
maps-to = ["owasp-agentic-top10-2026:ASI03"]
"#,
    );
    for (path, text) in extra {
        repo.write(path, text);
    }
    repo.commit("Declare");
    mapping(&repo, "owasp-agentic-threats-mitigations").0
}

#[test]
fn built_in_crosswalks_apply_and_a_repository_crosswalk_replaces_one() {
    // The Agentic Top 10 says ASI03 maps one-to-one to T3.
    let builtin = agentic(&[]);
    assert_eq!(requirement(&builtin, "T3")["status"], "covered");
    assert_eq!(
        requirement(&builtin, "T3")["via"][0]["crosswalk"],
        "owasp-agentic-top10-2026-to-threats-mitigations"
    );
    assert_eq!(builtin["summary"]["derived"], 1);

    let replaced = agentic(&[(
        "governance/frameworks/mine.toml",
        r#"
[crosswalk]
id = "owasp-agentic-top10-2026-to-threats-mitigations"
from = "owasp-agentic-top10-2026"
to = "owasp-agentic-threats-mitigations"
[[link]]
from = "ASI03"
to = ["T9"]
relation = "intersect"
"#,
    )]);
    assert_eq!(requirement(&replaced, "T3")["status"], "gap");
    assert_eq!(requirement(&replaced, "T9")["status"], "partial");

    // A built-in crosswalk was stated for the built-in catalogs: once the
    // repository replaces one, it no longer applies.
    let own_catalog = agentic(&[(
        "governance/frameworks/top10.toml",
        "[framework]\nid = \"owasp-agentic-top10-2026\"\n[[requirement]]\nid = \"ASI03\"\n",
    )]);
    assert_eq!(requirement(&own_catalog, "T3")["status"], "gap");
    assert_eq!(own_catalog["summary"]["derived"], 0);
}

#[test]
fn drift_reports_coverage_lost_through_a_crosswalk_edit() {
    let mut repo = repo(POLICY);
    let from = repo.git(&["rev-parse", "HEAD"]);
    repo.edit(
        "governance/frameworks/src-to-dst.toml",
        "to = [\"Y-EQ\", \"Y-DP\"]\nrelation = \"equal\"",
        "to = [\"Y-EQ\", \"Y-DP\"]\nrelation = \"intersect\"",
    );
    repo.commit("Weaken a link");
    let run = repo.govern(&[
        "--format",
        "json",
        "drift",
        "--from",
        from.trim(),
        "--to",
        "HEAD",
    ]);
    let drift = run.json();
    let dropped: Vec<&Value> = drift["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "coverage-dropped")
        .collect();
    let links: Vec<&str> = dropped
        .iter()
        .filter(|c| c["role"] == "crosswalk")
        .map(|c| c["before"].as_str().unwrap())
        .collect();
    // The edit is named link by link, where it was made.
    assert_eq!(
        links,
        ["S1 -> Y-DP (equal)", "S1 -> Y-EQ (equal)"],
        "{drift}"
    );
    let dropped: Vec<&Value> = dropped
        .into_iter()
        .filter(|c| c["role"] == "framework")
        .collect();
    assert_eq!(dropped.len(), 1, "{drift}");
    // Y-EQ and Y-DP fall from covered to partial: 6.5 of 10 to 5.5.
    assert_eq!(
        (dropped[0]["before"].as_str(), dropped[0]["after"].as_str()),
        (Some("65%"), Some("55%"))
    );
    assert!(dropped[0]["message"].as_str().unwrap().contains("dst-fw"));
}

/// Checks `files` with the test frameworks and renders the diagnostics.
fn diagnostics(files: &[(&str, &str)]) -> String {
    let policy = "[policy]\nframeworks = [\"src-fw\", \"dst-fw\"]\n";
    let inputs = [
        ("governance/governance.toml", policy),
        ("governance/frameworks/src-fw.toml", FROM),
        ("governance/frameworks/dst-fw.toml", TO),
    ]
    .iter()
    .chain(files)
    .map(|(name, text)| Input {
        name: name.to_string(),
        is_settings: *name == "governance/governance.toml",
        body: Body::Bytes(text.as_bytes().to_vec()),
    })
    .collect();
    let outcome = check(inputs, jiff::civil::date(2026, 11, 23));
    human::render(&outcome.sources, &outcome.diagnostics, false).unwrap()
}

#[test]
fn bad_crosswalks_are_diagnosed_where_they_are_written() {
    let rendered = diagnostics(&[
        (
            "governance/frameworks/typos.toml",
            r#"[crosswalk]
id = "typos"
from = "src-fw"
to = "dst-fw"

[[link]]
from = "S7"
to = ["Y-EQ", "Y-SUBB"]
relation = "equal"

[[link]]
from = "S1"
to = ["Y-EQ"]
relation = "overlaps"

[[link]]
from = "S2"
to = ["Y-SUB"]

[[link]]
to = ["Y-EQQ"]
relation = "equal"

[[link]]
from = "S3"
to = []
relation = "equal"
"#,
        ),
        (
            "governance/frameworks/nowhere.toml",
            "[crosswalk]\nid = \"nowhere\"\nfrom = \"src-fx\"\nto = \"dst-fw\"\n",
        ),
        (
            "governance/frameworks/nowhere-again.toml",
            "[crosswalk]\nid = \"nowhere\"\nfrom = \"src-fw\"\nto = \"dst-fw\"\n",
        ),
        (
            "governance/frameworks/again.toml",
            "[crosswalk]\nid = \"typos\"\nfrom = \"src-fw\"\nto = \"dst-fw\"\n",
        ),
    ]);
    insta::assert_snapshot!(rendered);
    for expected in [
        "unknown-reference",
        "framework `src-fw` has no requirement `S7`",
        "did you mean `Y-SUB`?",
        "unknown framework `src-fx`",
        "did you mean `src-fw`?",
        "invalid-value",
        "missing-field",
        "duplicate crosswalk id `typos`",
        // A second declaration of an id whose first is broken is one too.
        "duplicate crosswalk id `nowhere`",
        // A link without `from` still has its `to` checked.
        "did you mean `Y-EQ`?",
        "its `to` list is empty",
    ] {
        assert!(
            rendered.contains(expected),
            "no {expected:?} in\n{rendered}"
        );
    }
}

#[test]
fn a_good_crosswalk_raises_nothing() {
    let rendered = diagnostics(&[("governance/frameworks/src-to-dst.toml", CROSSWALK)]);
    assert!(rendered.is_empty(), "{rendered}");
}

#[test]
fn drift_names_a_weakened_link_even_where_another_edit_makes_up_for_it() {
    let mut repo = repo(POLICY);
    let from = repo.git(&["rev-parse", "HEAD"]);
    // S1's links lose their full reach and S6's link goes, while a new
    // control maps Y-EQ and Y-DP directly: the percentage stays.
    repo.edit(
        "governance/frameworks/src-to-dst.toml",
        "to = [\"Y-EQ\", \"Y-DP\"]\nrelation = \"equal\"",
        "to = [\"Y-EQ\", \"Y-DP\"]\nrelation = \"subset\"",
    );
    repo.write(
        "governance/more.toml",
        "[[control]]\nid = \"C-NEW\"\ntitle = \"t\"\nowner = \"owners\"\nmaps-to = [\"dst-fw:Y-EQ\", \"dst-fw:Y-DP\"]\n",
    );
    repo.edit(
        "governance/frameworks/src-to-dst.toml",
        "[[link]]\nfrom = \"S6\"\nto = [\"Y-PAPER\"]\nrelation = \"equal\"\n",
        "",
    );
    repo.commit("Map directly, weaken the crosswalk");
    let run = repo.govern(&[
        "--format",
        "json",
        "drift",
        "--from",
        from.trim(),
        "--to",
        "HEAD",
    ]);
    let drift = run.json();
    let crosswalk: Vec<(&str, Option<&str>)> = drift["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "coverage-dropped" && c["role"] == "crosswalk")
        .map(|c| (c["before"].as_str().unwrap(), c["after"].as_str()))
        .collect();
    assert_eq!(
        crosswalk,
        [
            ("S6 -> Y-PAPER (equal)", None),
            ("S1 -> Y-DP (equal)", Some("S1 -> Y-DP (subset)")),
            ("S1 -> Y-EQ (equal)", Some("S1 -> Y-EQ (subset)")),
        ],
        "{drift}"
    );
    // The framework's coverage itself did not fall.
    assert!(!drift["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["role"] == "framework"));
}
