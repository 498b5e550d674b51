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
    assert_ne!(
        again.status.code(),
        Some(0),
        "init never writes over a repository"
    );
}
