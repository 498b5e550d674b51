//! The CSV outputs (`mapping/<framework>.csv`, `raci/matrix.csv`) read back
//! by a real CSV parser: no cell starts as a spreadsheet formula, whatever
//! the declarations hold, and each cell gives back its text once the one
//! quote that marks it as text is dropped.

mod common;

use common::Repo;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Requirements whose ids and titles a spreadsheet would run, and one that
/// already starts with the quote that marks text.
const CATALOG: &str = r#"
[framework]
id = "inject-fw"
name = "=Framework"
version = "-1"

[[requirement]]
id = "=1+2"
title = '=HYPERLINK("http://x")'

[[requirement]]
id = "+A"
parent = "=1+2"
title = "+SUM(1,2)"

[[requirement]]
id = "-B"
parent = "=1+2"
title = "-2+3;=1+2"

[[requirement]]
id = "@C"
title = "@cmd"

[[requirement]]
id = "D"
title = "\t=1+2"

[[requirement]]
id = "E"
title = "\r\n=1+2"

[[requirement]]
id = "F"
title = "'already text"
"#;

const DECLARATIONS: &str = r#"
[[team]]
id = "sec-ops.1"
name = "=Security operations"

[[team]]
id = "eng_2"
name = "@Engineering"

[[asset]]
id = "agent.a-1"
name = "=HYPERLINK(\"http://x\")"
kind = "agent"
environment = "staging"
owners = { accountable = "sec-ops.1", operator = "eng_2" }

[[asset]]
id = "9-store"
name = "-store"
kind = "dataset"
owners = { accountable = "eng_2" }

[[control]]
id = "CTRL-1"
title = "+Control"
owner = "sec-ops.1"
maps-to = ["inject-fw:+A", "inject-fw:@C", { ref = "inject-fw:-B", coverage = "partial" }]
"#;

const SETTINGS: &str = r#"
[organization]
name = "=Org"

[policy]
frameworks = ["inject-fw"]

[[activity]]
id = "approve-use-case"
title = "=Approve"
accountable = "accountable"
responsible = ["operator"]
informed = ["operator"]
"#;

/// What a spreadsheet would run when it leads a cell.
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Reads a CSV file as rows of cells, asserting no cell starts as a formula,
/// and returns the cells with the quote that marks text dropped.
fn read(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            record
                .iter()
                .map(|cell| {
                    assert!(
                        !cell.starts_with(FORMULA),
                        "{}: a cell starts as a formula: {cell:?}",
                        path.display()
                    );
                    cell.strip_prefix('\'').unwrap_or(cell).to_string()
                })
                .collect()
        })
        .collect()
}

/// Builds the declarations; returns the repository, which holds the build
/// while it lives, and the build's folder.
fn build() -> (Repo, PathBuf) {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/frameworks/inject-fw.toml", CATALOG);
    repo.write("governance/declarations.toml", DECLARATIONS);
    repo.commit("Declare");
    let dist = repo.path().join("dist");
    common::build(repo.path(), &dist, &[]);
    (repo, dist)
}

#[test]
fn csv_outputs_hold_no_formula_and_give_back_their_text() {
    let (_repo, dist) = build();

    let path = dist.join("mapping/inject-fw.csv");
    let rows = read(&path);
    assert_eq!(
        rows[0],
        [
            "requirement",
            "parent",
            "title",
            "status",
            "controls",
            "assets"
        ]
    );
    let by_id: BTreeMap<&str, &Vec<String>> =
        rows[1..].iter().map(|r| (r[0].as_str(), r)).collect();
    let expect = [
        ("=1+2", "", "=HYPERLINK(\"http://x\")", "partial"),
        ("+A", "=1+2", "+SUM(1,2)", "covered"),
        ("-B", "=1+2", "-2+3;=1+2", "partial"),
        ("@C", "", "@cmd", "covered"),
        ("D", "", "\t=1+2", "gap"),
        ("E", "", "\r\n=1+2", "gap"),
        ("F", "", "'already text", "gap"),
    ];
    assert_eq!(by_id.len(), expect.len(), "{rows:?}");
    for (id, parent, title, status) in expect {
        let row = by_id
            .get(id)
            .unwrap_or_else(|| panic!("no row {id:?} in {rows:?}"));
        assert_eq!(row.len(), 6, "{row:?}");
        assert_eq!((row[1].as_str(), row[2].as_str()), (parent, title), "{id}");
        assert_eq!(row[3], status, "{id}");
    }
    assert_eq!(by_id["+A"][4], "CTRL-1");
    assert_eq!(by_id["+A"][5], "9-store agent.a-1");
    // The quote goes inside the field, which RFC 4180 quoting wraps.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\n'=1+2,,\"'=HYPERLINK(\"\"http://x\"\")\",partial,"),
        "{text}"
    );

    let rows = read(&dist.join("raci/matrix.csv"));
    assert_eq!(rows[0], ["asset", "activity", "team", "role", "letter"]);
    let mut cells: Vec<[&str; 5]> = rows[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 5, "{r:?}");
            [&r[0], &r[1], &r[2], &r[3], &r[4]].map(String::as_str)
        })
        .collect();
    cells.sort_unstable();
    assert_eq!(
        cells,
        [
            ["9-store", "approve-use-case", "eng_2", "accountable", "A"],
            ["9-store", "approve-use-case", "eng_2", "accountable", "R"],
            ["agent.a-1", "approve-use-case", "eng_2", "operator", "I"],
            ["agent.a-1", "approve-use-case", "eng_2", "operator", "R"],
            [
                "agent.a-1",
                "approve-use-case",
                "sec-ops.1",
                "accountable",
                "A"
            ],
        ]
    );
}
