//! Framework coverage as SPEC section 4 defines it, read back from a
//! build's `mapping/` files: full and partial mappings, a mapping to a
//! parent counting as partial on every leaf below it, controls on paper
//! covering nothing, parents rolled up from their leaves, and the summary
//! and percentage over leaves only.

mod common;

use common::Repo;
use serde_json::{json, Value};

const CATALOG: &str = r#"
[framework]
id = "test-fw"
name = "Test Framework"
version = "1"

[[requirement]]
id = "A"
title = "Area A"
[[requirement]]
id = "A.1"
parent = "A"
title = "First of A"
[[requirement]]
id = "A.2"
parent = "A"
title = "Second of A"
[[requirement]]
id = "B"
title = "Area B"
[[requirement]]
id = "B.1"
parent = "B"
title = "First of B"
[[requirement]]
id = "B.2"
parent = "B"
title = "Second of B"
[[requirement]]
id = "C"
title = "Only on paper"
[[requirement]]
id = "D"
title = "Covered on its own"
[[requirement]]
id = "E"
title = "Never mapped"
"#;

const DECLARATIONS: &str = r#"
[[team]]
id = "owners"

[[asset]]
id = "agent-1"
kind = "agent"
environment = "staging"
owners = { accountable = "owners" }

[[asset]]
id = "agent-2"
kind = "agent"
environment = "staging"
owners = { accountable = "owners" }

[[asset]]
id = "store"
kind = "dataset"
owners = { accountable = "owners" }

[[control]]
id = "FULL-A1"
title = "Agents, fully"
owner = "owners"
applies-to = { kinds = ["agent"] }
maps-to = ["test-fw:A.1", "test-fw:D"]

[[control]]
id = "PART-A2"
title = "Datasets, partly"
owner = "owners"
applies-to = { kinds = ["dataset"] }
maps-to = [{ ref = "test-fw:A.2", coverage = "partial" }]

[[control]]
id = "PARENT-B"
title = "Everything, mapped to a parent"
owner = "owners"
maps-to = ["test-fw:B"]

[[control]]
id = "PAPER"
title = "Applies to no asset"
owner = "owners"
applies-to = { kinds = ["rag"] }
maps-to = ["test-fw:B.1", "test-fw:C"]
"#;

/// Builds the declarations; returns the mapping folder's JSON, CSV and
/// Markdown of the test framework.
fn build() -> (Value, String, String) {
    let mut repo = Repo::new();
    repo.write(
        "governance/governance.toml",
        "[policy]\nframeworks = [\"test-fw\"]\n",
    );
    repo.write("governance/frameworks/test-fw.toml", CATALOG);
    repo.write("governance/declarations.toml", DECLARATIONS);
    repo.commit("Declare");
    let dist = repo.path().join("dist");
    common::build(repo.path(), &dist, &[]);
    let read = |name: &str| std::fs::read_to_string(dist.join("mapping").join(name)).unwrap();
    let json = serde_json::from_str(&read("test-fw.json")).unwrap();
    (json, read("test-fw.csv"), read("test-fw.md"))
}

fn requirement<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no requirement {id}"))
}

#[test]
fn requirements_are_covered_partial_or_gaps_as_the_spec_defines() {
    let (doc, _, _) = build();
    let expect = [
        // A leaf reached by a full mapping is covered.
        (
            "A.1",
            "covered",
            json!(["FULL-A1"]),
            json!(["agent-1", "agent-2"]),
        ),
        // Only a partial mapping: partial.
        ("A.2", "partial", json!(["PART-A2"]), json!(["store"])),
        // One leaf covered, one partial: the parent is partial, with both.
        (
            "A",
            "partial",
            json!(["FULL-A1", "PART-A2"]),
            json!(["agent-1", "agent-2", "store"]),
        ),
        // A full mapping to a parent is partial on each leaf below it, and
        // a control that applies to no asset does not count.
        (
            "B.1",
            "partial",
            json!(["PARENT-B"]),
            json!(["agent-1", "agent-2", "store"]),
        ),
        (
            "B.2",
            "partial",
            json!(["PARENT-B"]),
            json!(["agent-1", "agent-2", "store"]),
        ),
        (
            "B",
            "partial",
            json!(["PARENT-B"]),
            json!(["agent-1", "agent-2", "store"]),
        ),
        ("C", "gap", json!([]), json!([])),
        (
            "D",
            "covered",
            json!(["FULL-A1"]),
            json!(["agent-1", "agent-2"]),
        ),
        ("E", "gap", json!([]), json!([])),
    ];
    for (id, status, controls, assets) in expect {
        let r = requirement(&doc, id);
        assert_eq!(r["status"], status, "{id}: {r}");
        assert_eq!(r["controls"], controls, "{id}: {r}");
        assert_eq!(r["assets"], assets, "{id}: {r}");
    }
    assert_eq!(requirement(&doc, "A.1")["parent"], "A");
    assert_eq!(requirement(&doc, "A")["parent"], Value::Null);
    let order: Vec<&str> = doc["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["A", "A.1", "A.2", "B", "B.1", "B.2", "C", "D", "E"],
        "rows keep catalog order"
    );
}

#[test]
fn the_summary_counts_leaves_and_partials_count_half() {
    let (doc, _, md) = build();
    assert_eq!(doc["framework"], "test-fw");
    assert_eq!(doc["version"], "1");
    // Leaves: A.1 and D covered; A.2, B.1 and B.2 partial; C and E gaps.
    // 100 x (2 + 3/2) / 7 = 50.0.
    assert_eq!(
        doc["summary"],
        json!({"total": 7, "covered": 2, "partial": 3, "gaps": 2, "derived": 0, "percent": 50.0})
    );
    assert!(md.contains("**50.0%** of 7 requirements"), "{md}");
    let gaps = &md[md.find("## Gaps").expect("a gaps section")..];
    assert!(gaps.contains("**C**: Only on paper"), "{gaps}");
    assert!(gaps.contains("**E**: Never mapped"), "{gaps}");
    assert!(!gaps.contains("**B.1**"), "{gaps}");
}

#[test]
fn the_csv_lists_controls_and_assets_per_requirement() {
    let (_, csv, _) = build();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "requirement,parent,title,status,controls,assets");
    assert!(
        lines.contains(&"A,,Area A,partial,FULL-A1 PART-A2,agent-1 agent-2 store"),
        "{csv}"
    );
    assert!(
        lines.contains(&"A.1,A,First of A,covered,FULL-A1,agent-1 agent-2"),
        "{csv}"
    );
    assert!(lines.contains(&"C,,Only on paper,gap,,"), "{csv}");
    assert_eq!(lines.len(), 10, "a header and one row per requirement");
}
