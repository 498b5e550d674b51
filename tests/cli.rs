//! The command line as data: every case in `tests/cmd/` runs `govern` with
//! its arguments and pins the exit code, stdout and stderr. Regenerate the
//! expected output after a deliberate change with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

#[test]
fn init_writes_a_repository_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let govern = env!("CARGO_BIN_EXE_govern");
    let repo = dir.path().join("acme");
    let init = std::process::Command::new(govern)
        .arg("init")
        .arg(&repo)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(repo.join("governance/governance.toml").is_file());
    let check = std::process::Command::new(govern)
        .args(["--today", "2026-11-23", "--repo"])
        .arg(&repo)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let diagnostics: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let errors = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 0, "{diagnostics}");
    let again = std::process::Command::new(govern)
        .arg("init")
        .arg(&repo)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "init never writes over a repository"
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn a_repository_catalog_replaces_the_builtin_of_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let governance = dir.path().join("governance");
    std::fs::create_dir_all(governance.join("frameworks")).unwrap();
    std::fs::write(
        governance.join("frameworks/csf.toml"),
        "[framework]\nid = \"nist-csf-2.0\"\nname = \"Acme's own CSF\"\n\n\
         [[requirement]]\nid = \"ACME-1\"\ntitle = \"Acme's first requirement\"\n",
    )
    .unwrap();
    std::fs::write(
        governance.join("declarations.toml"),
        "[[team]]\nid = \"secops\"\n\n\
         [[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"secops\" }\n\n\
         [[control]]\nid = \"OWN\"\ntitle = \"Maps to the repository's catalog\"\nowner = \"secops\"\n\
         maps-to = [\"nist-csf-2.0:ACME-1\"]\n\n\
         [[control]]\nid = \"GONE\"\ntitle = \"Maps to a built-in requirement\"\nowner = \"secops\"\n\
         maps-to = [\"nist-csf-2.0:GV.RM-06\"]\n",
    )
    .unwrap();
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_govern"))
        .args(["--today", "2026-11-23", "--repo"])
        .arg(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let diagnostics: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{diagnostics}");
    assert_eq!(errors[0]["code"], "unknown-reference");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("GV.RM-06"),
        "the built-in requirement is gone: {diagnostics}"
    );
}

#[test]
fn check_writes_sarif_that_code_scanning_reads() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_govern"))
            .args([
                "--today",
                "2026-11-23",
                "--repo",
                root,
                "check",
                "--format",
                format,
            ])
            .output()
            .unwrap()
    };
    let sarif: serde_json::Value = serde_json::from_slice(&run("sarif").stdout).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        govern::diag::Code::ALL.len(),
        "every code is a rule"
    );
    for rule in rules {
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(rule["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let diagnostics = json.as_array().unwrap();
    assert_eq!(
        results.len(),
        diagnostics.len(),
        "one result per diagnostic"
    );
    for (result, diagnostic) in results.iter().zip(diagnostics) {
        assert_eq!(result["ruleId"], diagnostic["code"]);
        let text = result["message"]["text"].as_str().unwrap();
        assert!(
            text.starts_with(diagnostic["message"].as_str().unwrap()),
            "{text}"
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], diagnostic["file"]);
        assert_eq!(location["artifactLocation"]["uriBaseId"], "SRCROOT");
        assert_eq!(location["region"]["startLine"], diagnostic["line"]);
        assert_eq!(location["region"]["startColumn"], diagnostic["column"]);
        assert!(diagnostic["file"]
            .as_str()
            .unwrap()
            .starts_with("governance/"));
    }
}
