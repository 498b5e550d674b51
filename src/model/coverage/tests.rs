use super::*;

const CATALOG: &str = r#"
[framework]
id = "test-fw"
name = "Test Framework"

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
title = "Only on paper"
[[requirement]]
id = "C"
title = "Never mapped"
"#;

const DECLARATIONS: &str = r#"
[[team]]
id = "owners"

[[asset]]
id = "bot"
kind = "agent"
owners = { accountable = "owners" }

[[control]]
id = "FULL"
title = "Agents, fully"
owner = "owners"
applies-to = { kinds = ["agent"] }
maps-to = ["test-fw:A.1"]

[[control]]
id = "PARENT"
title = "Everything, mapped to a parent"
owner = "owners"
maps-to = ["test-fw:A"]

[[control]]
id = "PAPER"
title = "Applies to no asset"
owner = "owners"
applies-to = { kinds = ["rag"] }
maps-to = ["test-fw:B"]
"#;

fn model() -> Model {
    crate::check::files(&[
        (
            "governance/governance.toml",
            "[policy]\nframeworks = [\"test-fw\"]\n",
        ),
        ("governance/frameworks/test-fw.toml", CATALOG),
        ("governance/declarations.toml", DECLARATIONS),
    ])
    .model
}

#[test]
fn leaves_are_covered_partial_or_gaps_and_parents_roll_up() {
    let model = model();
    let applies = super::super::applies::by_control(&model);
    let coverage = frameworks(&model, &applies);
    assert_eq!(coverage.len(), 1, "only the framework the policy names");
    let f = &coverage[0];
    let status: Vec<(&str, Status, &[&str])> = f
        .requirements
        .iter()
        .map(|r| (r.id, r.status, r.controls.as_slice()))
        .collect();
    assert_eq!(
        status,
        [
            ("A", Status::Partial, &["FULL", "PARENT"][..]),
            ("A.1", Status::Covered, &["FULL", "PARENT"][..]),
            // Reached only through the mapping to its parent.
            ("A.2", Status::Partial, &["PARENT"][..]),
            // A control that applies to no asset counts for nothing.
            ("B", Status::Gap, &[][..]),
            ("C", Status::Gap, &[][..]),
        ]
    );
    let s = f.summary;
    assert_eq!((s.total, s.covered, s.partial, s.gaps), (4, 1, 1, 2));
    // (1 + 1/2) of 4 leaves.
    assert_eq!(s.percent, 37.5);
    assert_eq!(f.requirements[2].assets, ["bot"]);
}

#[test]
fn summaries_count_as_the_full_coverage_does() {
    let check = |model: &Model| {
        let applies = super::super::applies::by_control(model);
        let full: Vec<(&str, Summary)> = frameworks(model, &applies)
            .iter()
            .map(|f| (f.framework, f.summary))
            .collect();
        let applied: BTreeSet<&str> = applies
            .iter()
            .filter(|(_, a)| !a.is_empty())
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(summaries(model, &applied), full);
        full.len()
    };
    assert_eq!(check(&model()), 1);
    // The example repository, under the default frameworks.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = crate::load::worktree::inputs(root, "governance").expect("the example");
    let example = crate::check::check(inputs, jiff::civil::Date::constant(2026, 11, 23));
    assert!(check(&example.model) > 1);
    // Crosswalks into a catalog with a parent, carried full and partial.
    let crossed = crate::check::files(&[
        (
            "governance/governance.toml",
            "[policy]\nframeworks = [\"test-fw\", \"owasp-agentic-threats-mitigations\"]\n",
        ),
        ("governance/frameworks/test-fw.toml", CATALOG),
        ("governance/declarations.toml", DECLARATIONS),
        (
            "governance/frameworks/walk.toml",
            r#"
[crosswalk]
id = "walk"
from = "owasp-agentic-top10-2026"
to = "test-fw"
[[link]]
from = "ASI01"
to = ["A", "C"]
relation = "superset"
[[link]]
from = "ASI02"
to = ["B"]
relation = "equal"
"#,
        ),
        (
            "governance/more.toml",
            r#"
[[control]]
id = "AGENTIC"
title = "Agentic risks"
owner = "owners"
maps-to = ["owasp-agentic-top10-2026:ASI01", { ref = "owasp-agentic-top10-2026:ASI03", coverage = "partial" }]
"#,
        ),
    ]);
    let unknown = crossed
        .diagnostics
        .iter()
        .filter(|d| d.code == crate::diag::Code::UnknownReference);
    assert_eq!(unknown.count(), 0, "{:?}", crossed.diagnostics);
    assert_eq!(check(&crossed.model), 2);
    let applies = super::super::applies::by_control(&crossed.model);
    let derived: Vec<usize> = frameworks(&crossed.model, &applies)
        .iter()
        .map(|f| f.summary.derived)
        .collect();
    // test-fw: C only through the crosswalk (the link to A adds nothing
    // its leaves lack); the threats: T3, partial from ASI03, and T6 and T7
    // from ASI01, through the built-in crosswalk.
    assert_eq!(derived, [1, 3]);
}

#[test]
fn asset_sets_hold_their_assets_in_any_order() {
    let ids: Vec<AssetId> = (0..130).map(|i| AssetId(format!("a{i:03}"))).collect();
    let all: Vec<&AssetId> = ids.iter().collect();
    let pick = |n: &[usize]| -> Vec<&AssetId> { n.iter().map(|&i| &ids[i]).collect() };
    let names: Vec<&str> = ids.iter().map(|a| a.as_str()).collect();
    let ordered = AssetSet::of(&all, &pick(&[0, 63, 64, 129]));
    assert_eq!(ordered.names(&names), ["a000", "a063", "a064", "a129"]);
    let shuffled = AssetSet::of(&all, &pick(&[129, 5, 64, 5]));
    assert_eq!(shuffled.names(&names), ["a005", "a064", "a129"]);
    let mut union = AssetSet::default();
    union.union(&ordered);
    union.union(&shuffled);
    assert_eq!(
        union.names(&names),
        ["a000", "a005", "a063", "a064", "a129"]
    );
}
