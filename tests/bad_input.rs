//! Bad input of every kind gets a diagnostic naming the file, line and
//! column, and the documented exit code; never a panic or a stack overflow.

use std::path::Path;
use std::process::{Command, Output};

const VALID_TEAMS: &str = "[[team]]\nid = \"platform\"\n";

/// A repository whose governance folder holds one valid file and `name`
/// with `bytes`.
fn repo_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let governance = dir.path().join("governance");
    std::fs::create_dir_all(governance.join("teams")).unwrap();
    std::fs::write(governance.join("teams/platform.toml"), VALID_TEAMS).unwrap();
    std::fs::write(governance.join(name), bytes).unwrap();
    dir
}

fn check(repo: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govern"))
        .args(["--today", "2026-11-23", "--color", "never", "--repo"])
        .arg(repo)
        .arg("check")
        .args(extra)
        .output()
        .expect("govern runs")
}

/// Runs check on a repository holding `bytes` as governance/bad.toml and
/// asserts exit 1 and a diagnostic at `place` whose text holds `says`.
fn assert_diagnosed(bytes: &[u8], place: &str, says: &str) -> String {
    let repo = repo_with("bad.toml", bytes);
    let out = check(repo.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&format!("governance/bad.toml:{place}")),
        "no diagnostic at governance/bad.toml:{place}:\n{stderr}"
    );
    assert!(stderr.contains(says), "no `{says}` in:\n{stderr}");
    stderr
}

#[test]
fn broken_toml_is_a_parse_error_at_its_place() {
    assert_diagnosed(
        b"[[team]]\nid = \"a\nname = 1\n",
        "2:8",
        "invalid TOML: invalid basic string",
    );
}

#[test]
fn wrong_types_are_invalid_values_at_the_value() {
    let stderr = assert_diagnosed(
        b"[[team]]\nid = \"a\"\nactive = \"yes\"\n",
        "3:10",
        "`active` in [[team]] must be true or false, found a string",
    );
    assert!(stderr.contains("error[invalid-value]"));
}

#[test]
fn an_empty_file_declares_nothing() {
    assert_diagnosed(b"\n# only a comment\n", "1:1", "file is empty");
}

#[test]
fn a_binary_file_is_refused() {
    let mut bytes = b"[[team]]\nid = \"a\"\n".to_vec();
    bytes.extend_from_slice(&[0, 159, 146, 150, 0, 1, 2]);
    assert_diagnosed(&bytes, "1:1", "binary");
}

#[test]
fn non_utf8_text_is_refused_at_the_first_bad_byte() {
    assert_diagnosed(b"[[team]]\nid = \"caf\xe9\"\n", "2:10", "not UTF-8");
}

#[test]
fn a_five_megabyte_file_is_refused_unparsed() {
    let mut bytes = b"[[team]]\nid = \"big\"\nname = \"".to_vec();
    bytes.resize(5 * 1024 * 1024, b'a');
    bytes.extend_from_slice(b"\"\n");
    assert_diagnosed(&bytes, "1:1", "over the limit of 4 MiB");
}

#[test]
fn arrays_nested_thousands_deep_do_not_overflow_the_stack() {
    let text = format!("x = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    assert_diagnosed(text.as_bytes(), "1:", "nest more than 64 levels");
}

#[test]
fn inline_tables_nested_thousands_deep_do_not_overflow_the_stack() {
    let text = format!("x = {}1{}\n", "{ a = ".repeat(5000), " }".repeat(5000));
    assert_diagnosed(text.as_bytes(), "1:", "nest more than 64 levels");
}

#[test]
fn table_headers_nested_thousands_deep_do_not_overflow_the_stack() {
    let text = format!("[{}]\nx = 1\n", vec!["a"; 5000].join("."));
    assert_diagnosed(text.as_bytes(), "1:1", "nest more than 64 levels");
}

#[test]
fn dotted_keys_thousands_deep_do_not_overflow_the_stack() {
    let text = format!("{} = 1\n", vec!["a"; 5000].join("."));
    assert_diagnosed(text.as_bytes(), "1:", "invalid TOML");
}

#[test]
fn duplicate_keys_are_a_parse_error_at_the_second() {
    assert_diagnosed(
        b"[[team]]\nid = \"a\"\nid = \"b\"\n",
        "3:1",
        "duplicate key",
    );
}

#[test]
fn unknown_keys_suggest_the_closest() {
    assert_diagnosed(
        b"[[team]]\nid = \"a\"\nhandel = \"@acme/a\"\n",
        "3:1",
        "did you mean `handle`?",
    );
}

#[test]
fn every_bad_file_is_reported_in_one_run() {
    let repo = repo_with("one.toml", b"[[team]]\nid = 5\n");
    std::fs::write(repo.path().join("governance/two.toml"), b"[[team]\n").unwrap();
    let out = check(repo.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("governance/one.toml:2:6"), "{stderr}");
    assert!(stderr.contains("governance/two.toml:1:"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_governance_folder_is_refused() {
    let repo = repo_with(
        "ok.toml",
        VALID_TEAMS.replace("platform", "other").as_bytes(),
    );
    let outside = repo.path().join("outside.toml");
    std::fs::write(&outside, "[[team]]\nid = \"smuggled\"\n").unwrap();
    std::os::unix::fs::symlink(&outside, repo.path().join("governance/link.toml")).unwrap();
    let out = check(repo.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("governance/link.toml:1:1"), "{stderr}");
    assert!(
        stderr.contains("symbolic link leaves the governance folder"),
        "{stderr}"
    );
}

#[test]
fn a_missing_governance_folder_is_an_environment_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no governance folder at"), "{stderr}");
    assert!(stderr.contains("govern init"), "{stderr}");
}

#[test]
fn a_repo_that_does_not_exist_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(&dir.path().join("nowhere"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nowhere is not a folder"), "{stderr}");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let repo = repo_with("ok.toml", b"[[team]]\nid = \"b\"\n");
    let out = check(repo.path(), &["--bogus"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unexpected argument '--bogus'"), "{stderr}");
}
