//! `govern import` end to end: sheets made in the test (CSV text, XLSX
//! workbooks written with rust_xlsxwriter) imported into a small governance
//! repository, then checked and built by govern itself.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TEAMS: &str = r#"
[[team]]
id = "payments-product"
functions = ["product"]

[[team]]
id = "payments-eng"
functions = ["engineering"]

[[team]]
id = "ml-platform"
functions = ["engineering"]

[[team]]
id = "iam"
functions = ["security"]

[[team]]
id = "governance-office"
functions = ["governance"]

[[team]]
id = "llm-vendor"
kind = "vendor"
"#;

/// A governance repository with teams and no assets.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("governance/teams")).unwrap();
        std::fs::write(
            dir.path().join("governance/governance.toml"),
            "[organization]\nname = \"Test\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("governance/teams/teams.toml"), TEAMS).unwrap();
        Repo { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn put(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn govern(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_govern"))
            .current_dir(self.dir.path())
            .args(["--repo", ".", "--today", "2026-11-23", "--color", "never"])
            .args(args)
            .output()
            .unwrap()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn exists(&self, name: &str) -> bool {
        self.path(name).exists()
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const OUT: &str = "governance/assets/imported-assets.toml";

/// A sheet as people keep one: a BOM, semicolons, headers in their own
/// words, a list cell with a quoted newline, a column the map names and one
/// it ignores.
const SHEET: &str = "\u{feff}Asset ID;Name;Kind;Risk;Environment;Business Owner;Operator;\
Remediation;Approver;Revoker;Reviewers;Tags;Attested;Spiffe ID;Max-TTL;Notes\n\
billing-agent;\"Billing \"\"support\"\" agent\";Agent;High;Production;payments-product;ml-platform;\
payments-eng;iam;iam;\"iam\ngovernance-office\";\"customer-facing; payments\";2026-11-01;\
spiffe://acme.example/billing;15m;kept out\n\
support-kb;Support KB;RAG;low;;payments-product;;;;;;;;;;\n";

const MAP: &str = "\"Business Owner\" = \"owners.accountable\"\n\
\"Notes\" = \"ignore\"\n\
environment = \"staging\"\n\
[owners]\n\
attested = 2026-11-02\n";

const EXPECTED: &str = r#"# Written by `govern import` from "assets.csv".
# `govern import` may rewrite it: change the sheet and import it again.

[[asset]]
id = "billing-agent"
name = "Billing \"support\" agent"
kind = "agent"
environment = "production"
risk = "high"
tags = ["customer-facing", "payments"]

[asset.owners]
accountable = "payments-product"
operator = "ml-platform"
remediation = "payments-eng"
approver = "iam"
revoker = "iam"
reviewers = ["iam", "governance-office"]
attested = 2026-11-01

[asset.identity]
spiffe-id = "spiffe://acme.example/billing"
max-ttl = "15m"

[[asset]]
id = "support-kb"
name = "Support KB"
kind = "rag"
environment = "staging"
risk = "low"

[asset.owners]
accountable = "payments-product"
attested = 2026-11-02
"#;

#[test]
fn a_csv_sheet_with_a_map_is_written_in_canonical_form_and_passes_check() {
    let repo = Repo::new();
    repo.put("assets.csv", SHEET);
    repo.put("map.toml", MAP);
    let out = repo.govern(&["import", "assets", "assets.csv", "--map", "map.toml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(repo.read(OUT), EXPECTED);
    assert!(
        stderr(&out).contains(&format!(
            "read 2 assets: 0 errors, 0 warnings, 0 infos; wrote {OUT}"
        )),
        "{}",
        stderr(&out)
    );
    let check = repo.govern(&["check"]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    // What import writes is what `govern fmt` keeps.
    let fmt = repo.govern(&["fmt", "--check"]);
    assert_eq!(
        code(&fmt),
        0,
        "{}{}",
        String::from_utf8_lossy(&fmt.stdout),
        stderr(&fmt)
    );
}

#[test]
fn importing_the_same_sheet_again_gives_the_same_bytes_and_dry_run_writes_nothing() {
    let repo = Repo::new();
    repo.put("assets.csv", SHEET);
    repo.put("map.toml", MAP);
    let dry = repo.govern(&[
        "import",
        "assets",
        "assets.csv",
        "--map",
        "map.toml",
        "--dry-run",
    ]);
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    assert_eq!(String::from_utf8_lossy(&dry.stdout), EXPECTED);
    assert!(!repo.exists(OUT), "--dry-run wrote the file");
    let first = repo.govern(&["import", "assets", "assets.csv", "--map", "map.toml"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let bytes = std::fs::read(repo.path(OUT)).unwrap();
    // The second import replaces the first: its assets are not duplicates.
    let second = repo.govern(&["import", "assets", "assets.csv", "--map", "map.toml"]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert_eq!(std::fs::read(repo.path(OUT)).unwrap(), bytes);
}

#[test]
fn a_file_not_written_by_an_import_of_this_sheet_is_never_overwritten() {
    let repo = Repo::new();
    repo.put("assets.csv", SHEET);
    repo.put("map.toml", MAP);
    std::fs::create_dir_all(repo.path("governance/assets")).unwrap();
    let hand = "# kept by hand\n";
    repo.put(OUT, hand);
    let out = repo.govern(&["import", "assets", "assets.csv", "--map", "map.toml"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("was not written by `govern import` from this sheet"));
    assert_eq!(repo.read(OUT), hand);
    // Nor one an import of another sheet wrote.
    repo.put("other.csv", SHEET);
    let other = repo.govern(&[
        "import",
        "assets",
        "other.csv",
        "--map",
        "map.toml",
        "--out",
        "x.toml",
    ]);
    assert_eq!(code(&other), 0, "{}", stderr(&other));
    let written = repo.read("x.toml");
    let again = repo.govern(&[
        "import",
        "assets",
        "assets.csv",
        "--map",
        "map.toml",
        "--out",
        "x.toml",
    ]);
    assert_eq!(code(&again), 2, "{}", stderr(&again));
    assert_eq!(repo.read("x.toml"), written);
}

#[test]
fn every_problem_is_reported_at_its_cell_and_nothing_is_written() {
    let repo = Repo::new();
    repo.put(
        "assets.csv",
        "id,kind,risk,owner,attested,trust score,Colour\n\
         a1,agent,hihg,payments-product,01/02/2026,lots,red\n\
         a2,,low,llm-vendor,,,\n\
         a1,model,low,payments-product,,,\n\
         bad id,model,low,payments-product,,,\n\
         a3,model,low,nobody,,,\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    for line in [
        "assets.csv:1:7: error[unknown-field]: the column `Colour` matches no field of [[asset]]",
        "assets.csv:2:5: error[invalid-value]: `owners.attested` must be a date, found `01/02/2026`",
        "assets.csv:2:6: error[invalid-value]: `trust.score` must be a whole number, found `lots`",
        "assets.csv:3:2: error[missing-field]: the row has no `kind`, which [[asset]] requires",
        "assets.csv:2:3: error[invalid-value]: `risk` has no value \"hihg\"",
        "assets.csv:3:4: error[vendor-accountable]:",
        "assets.csv:4:1: error[duplicate-id]: duplicate asset id `a1`",
        "  = note: asset `a1` first declared here: assets.csv:2:1",
        "assets.csv:6:4: error[unknown-reference]: `accountable` names unknown team `nobody`",
        "assets.csv:5:1: error[invalid-value]: `id` is not a valid id: \"bad id\"",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    assert!(err.contains("nothing written"), "{err}");
    assert!(!repo.exists(OUT));
}

#[test]
fn hostile_cells_are_reported_not_written_raw() {
    let repo = Repo::new();
    repo.put(
        "assets.csv",
        "id,kind,description\n\
         a,model,\"line\u{1b}[31m\nnext \\\" quote\",stray\n\
         ,,\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv", "--dry-run"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("assets.csv:2:4: error[unknown-field]: a cell right of the last column"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "a terminal escape reached the report"
    );
    repo.put(
        "assets.csv",
        "id,kind,owner,description\na,model,payments-product,\"bell\u{7}\ttab \\ \"\"q\"\"\"\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("description = \"bell\\u0007\\ttab \\\\ \\\"q\\\"\"\n"),
        "{text}"
    );
    let parsed: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(
        parsed["asset"][0]["description"].as_str(),
        Some("bell\u{7}\ttab \\ \"q\"")
    );
}

#[test]
fn the_warnings_the_rows_bring_are_listed_and_the_file_is_written() {
    let repo = Repo::new();
    repo.put(
        "assets.csv",
        "id,kind,environment,risk,accountable,remediation\n\
         scorer,model,development,high,payments-product,governance-office\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert!(
        err.contains("assets.csv:2:6: warning[governance-remediation]"),
        "{err}"
    );
    assert!(err.contains("assets.csv:2: warning[attestation-stale]: high asset `scorer` has no ownership attestation"), "{err}");
    assert!(err.contains("0 errors, 2 warnings"), "{err}");
    assert!(repo.exists(OUT));
}

#[test]
fn a_required_column_that_is_missing_is_said_once() {
    let repo = Repo::new();
    repo.put(
        "assets.csv",
        "id,owner\na,payments-product\nb,payments-product\nc,payments-product\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert_eq!(err.matches("error[missing-field]").count(), 1, "{err}");
    assert!(
        err.contains(
            "assets.csv:1: error[missing-field]: no column gives `kind`, which [[asset]] requires"
        ),
        "{err}"
    );
    repo.put(
        "map.toml",
        "kind = \"dataset\"\nenvironment = \"development\"\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv", "--map", "map.toml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn map_file_problems_name_their_line() {
    let repo = Repo::new();
    repo.put(
        "assets.csv",
        "id,kind,Business Owner\na,model,payments-product\n",
    );
    repo.put(
        "map.toml",
        "\"Business Owner\" = \"owners.acountable\"\nrisk = [1]\n\"Team\" = 3\n",
    );
    let out = repo.govern(&["import", "assets", "assets.csv", "--map", "map.toml"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("map.toml:1:1: error[unknown-field]: the header `Business Owner` is mapped to `owners.acountable`, which names no field"), "{err}");
    assert!(err.contains("it could be owners.accountable"), "{err}");
    assert!(
        err.contains("map.toml:2:1: error[invalid-value]: the default for `risk`"),
        "{err}"
    );
    assert!(
        err.contains("map.toml:3:1: error[unknown-field]: `Team` is neither a field"),
        "{err}"
    );
    let broken = repo.put("broken.toml", "a = \n");
    let out = repo.govern(&[
        "import",
        "assets",
        "assets.csv",
        "--map",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("error[parse-error]: the map file is not TOML"),
        "{}",
        stderr(&out)
    );
}

/// A workbook with a cover sheet and an Assets sheet that starts at B2,
/// with typed cells: dates, numbers, booleans.
fn workbook(bad_score: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Cover")
        .unwrap()
        .write_string(0, 0, "Inventory")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Assets").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, header) in [
        "ID",
        "Kind",
        "Environment",
        "Accountable Owner",
        "Attested",
        "Trust score",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, 1 + c as u16, *header).unwrap();
    }
    for (r, id) in ["dataset-1", "dataset-2"].iter().enumerate() {
        let row = 2 + r as u32;
        sheet.write_string(row, 1, *id).unwrap();
        sheet.write_string(row, 2, "Dataset").unwrap();
        sheet.write_string(row, 3, "development").unwrap();
        sheet.write_string(row, 4, "payments-product").unwrap();
        let day = ExcelDateTime::from_ymd(2026, 10, 1 + r as u8).unwrap();
        sheet
            .write_datetime_with_format(row, 5, &day, &date)
            .unwrap();
        if bad_score && r == 1 {
            sheet.write_number(row, 6, 64.5).unwrap();
        } else {
            sheet.write_number(row, 6, 80 + r as u32).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_sheet_is_read_with_its_date_and_number_cells() {
    let repo = Repo::new();
    repo.put("inventory.xlsx", workbook(false));
    let out = repo.govern(&["import", "assets", "inventory.xlsx", "--sheet", "Assets"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = repo.read("governance/assets/imported-inventory.toml");
    assert!(text
        .starts_with("# Written by `govern import` from \"inventory.xlsx\", sheet \"Assets\".\n"));
    assert!(text.contains("[[asset]]\nid = \"dataset-2\"\nkind = \"dataset\"\nenvironment = \"development\"\n\n[asset.owners]\naccountable = \"payments-product\"\nattested = 2026-10-02\n\n[asset.trust]\nscore = 81\n"), "{text}");
    let again = repo.govern(&["import", "assets", "inventory.xlsx", "--sheet", "Assets"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(repo.read("governance/assets/imported-inventory.toml"), text);
    let fmt = repo.govern(&["fmt", "--check"]);
    assert_eq!(code(&fmt), 0, "{}", stderr(&fmt));
}

#[test]
fn a_workbook_problem_names_the_sheet_and_cell() {
    let repo = Repo::new();
    repo.put("inventory.xlsx", workbook(true));
    let out = repo.govern(&["import", "assets", "inventory.xlsx", "--sheet", "Assets"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("inventory.xlsx:Assets!G4: error[invalid-value]: `trust.score` must be a whole number, found `64.5`"), "{err}");
    // The first sheet is the default, and it has no asset columns.
    let first = repo.govern(&["import", "assets", "inventory.xlsx"]);
    assert!(
        stderr(&first).contains("inventory.xlsx:Cover!A1: error[unknown-field]"),
        "{}",
        stderr(&first)
    );
    let missing = repo.govern(&["import", "assets", "inventory.xlsx", "--sheet", "Nope"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("its sheets are Cover, Assets"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn input_that_is_no_sheet_is_refused_with_its_exit_code() {
    let repo = Repo::new();
    repo.put("fake.xlsx", "not a zip");
    let out = repo.govern(&["import", "assets", "fake.xlsx"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("fake.xlsx is not a workbook"),
        "{}",
        stderr(&out)
    );
    repo.put("a.csv", "id\n");
    let empty = repo.govern(&["import", "assets", "a.csv"]);
    assert_eq!(code(&empty), 1);
    assert!(
        stderr(&empty)
            .contains("a.csv:1: error[missing-field]: the sheet has no rows under its header"),
        "{}",
        stderr(&empty)
    );
    let sheet = repo.govern(&["import", "assets", "a.csv", "--sheet", "x"]);
    assert_eq!(code(&sheet), 2);
    let kind = repo.govern(&["import", "assets", "a.txt"]);
    assert_eq!(code(&kind), 2);
    let txt = repo.govern(&["import", "assets", "a.csv", "--out", "a.txt"]);
    assert_eq!(code(&txt), 2, "{}", stderr(&txt));
    let gone = repo.govern(&["import", "assets", "gone.csv"]);
    assert_eq!(code(&gone), 2, "{}", stderr(&gone));
    repo.put("latin1.csv", b"id,name\na,caf\xe9\n");
    let bytes = repo.govern(&["import", "assets", "latin1.csv"]);
    assert_eq!(code(&bytes), 1);
    assert!(
        stderr(&bytes).contains("latin1.csv is not UTF-8 text (line 2)"),
        "{}",
        stderr(&bytes)
    );
}

#[test]
fn teams_and_controls_import_too() {
    let repo = Repo::new();
    repo.put(
        "teams.csv",
        "Team ID,Name,Kind,Functions,Active\nrisk-office,Risk office,Team,risk; compliance,yes\n",
    );
    let out = repo.govern(&["import", "teams", "teams.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        repo.read("governance/teams/imported-teams.toml").split_once("\n\n").unwrap().1,
        "[[team]]\nid = \"risk-office\"\nname = \"Risk office\"\nkind = \"team\"\nfunctions = [\"risk\", \"compliance\"]\nactive = true\n"
    );
    repo.put(
        "controls.csv",
        "ID,Title,Owner,Severity,Kinds,Maps to,Retest every,Tested\n\
         C-1,Rotate keys,iam,high,agent;nhi,nist-csf-2.0:GV.RM-06,90d,2026-11-01\n",
    );
    let out = repo.govern(&["import", "controls", "controls.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        repo.read("governance/controls/imported-controls.toml").split_once("\n\n").unwrap().1,
        "[[control]]\nid = \"C-1\"\ntitle = \"Rotate keys\"\nowner = \"iam\"\nseverity = \"high\"\nmaps-to = [\"nist-csf-2.0:GV.RM-06\"]\nretest-every = \"90d\"\ntested = 2026-11-01\n\n[control.applies-to]\nkinds = [\"agent\", \"nhi\"]\n"
    );
}

/// 1,000 assets in a generated sheet: imported, checked and built.
#[test]
fn a_thousand_assets_round_trip_through_import_check_and_build() {
    let repo = Repo::new();
    let mut sheet = String::from("id,name,kind,environment,risk,owner,operator,remediation,approver,revoker,attested,depends on,tags\n");
    for i in 0..1000 {
        let depends = if i > 0 {
            format!("asset-{:04}", i - 1)
        } else {
            String::new()
        };
        sheet.push_str(&format!(
            "asset-{i:04},Asset {i},dataset,development,low,payments-product,ml-platform,payments-eng,iam,iam,2026-11-01,{depends},\"bulk;n{}\"\n",
            i % 7
        ));
    }
    repo.put("bulk.csv", &sheet);
    let started = std::time::Instant::now();
    let out = repo.govern(&["import", "assets", "bulk.csv"]);
    let took = started.elapsed();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    eprintln!("imported 1,000 assets in {took:?}");
    let text = repo.read("governance/assets/imported-bulk.toml");
    assert_eq!(text.matches("[[asset]]").count(), 1000);
    let check = repo.govern(&["check"]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    assert!(stderr(&check).contains("1000 assets"), "{}", stderr(&check));
    let build = repo.govern(&["build", "--out", "dist"]);
    assert_eq!(code(&build), 0, "{}", stderr(&build));
    let matrix = std::fs::read_to_string(repo.path("dist/raci/matrix.csv")).unwrap();
    for id in ["asset-0000", "asset-0999"] {
        assert!(
            matrix.contains(&format!("\n{id},")),
            "{id} not in the RACI matrix"
        );
    }
    assert!(Path::new(&repo.path("dist/MANIFEST.json")).exists());
    let fmt = repo.govern(&["fmt", "--check"]);
    assert_eq!(code(&fmt), 0, "{}", stderr(&fmt));
}

/// Returns the body of the first fenced block of `lang` after `heading` in
/// the README.
fn readme_block(heading: &str, lang: &str) -> String {
    let readme = include_str!("../README.md");
    let section = &readme[readme.find(heading).expect("the README has the section")..];
    let fence = format!("```{lang}\n");
    let start = section.find(&fence).expect("the section has the block") + fence.len();
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_string()
}

#[test]
fn the_readme_example_imports_as_it_says() {
    let repo = Repo::new();
    let heading = "## Importing an inventory from a spreadsheet";
    repo.put("inventory.csv", readme_block(heading, "text"));
    repo.put("map.toml", readme_block(heading, "toml"));
    let out = repo.govern(&["import", "assets", "inventory.csv", "--map", "map.toml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = repo.read("governance/assets/imported-inventory.toml");
    assert!(
        text.contains("[[asset]]\nid = \"billing-agent\"\n"),
        "{text}"
    );
    assert!(
        text.contains("tags = [\"customer-facing\", \"payments\"]\n"),
        "{text}"
    );
    assert!(
        text.contains("kind = \"rag\"\nenvironment = \"staging\"\n"),
        "{text}"
    );
    assert!(
        !text.contains("pilot"),
        "the ignored Notes column was written"
    );
}

#[test]
fn rows_that_clash_with_the_repository_are_told_at_their_cells() {
    let repo = Repo::new();
    repo.put(
        "teams.csv",
        "id,name,parent\niam,Second IAM,\nnew-team,New,nowhere\n",
    );
    let out = repo.govern(&["import", "teams", "teams.csv"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("teams.csv:2:1: error[duplicate-id]: duplicate team id `iam`"),
        "{err}"
    );
    assert!(
        err.contains("governance/teams/teams.toml:"),
        "the other declaration is named: {err}"
    );
    assert!(
        err.contains(
            "teams.csv:3:3: error[unknown-reference]: `parent` names unknown team `nowhere`"
        ),
        "{err}"
    );
    assert!(!repo.exists("governance/teams/imported-teams.toml"));
}
