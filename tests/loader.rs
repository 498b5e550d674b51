//! The loader reads only regular files, and the working tree and `--rev`
//! read the same files of one commit with the same verdicts: special files
//! never block a run, submodules, links out of the folder and paths with
//! control characters are refused in both reads, links inside are followed
//! in both.
#![cfg(unix)]

mod common;

use common::Repo;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SETTINGS: &str = "[organization]\nname = \"Loader Corp\"\n";
const TEAM: &str = "[[team]]\nid = \"platform\"\nhandle = \"@loader/platform\"\n";

/// A repository with settings and one team, committed.
fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", SETTINGS);
    repo.write("governance/teams/platform.toml", TEAM);
    repo.commit("start");
    repo
}

/// Runs `govern --format json check [extra]`, killing it and failing the
/// test when it has not finished in twenty seconds.
fn check(repo: &Repo, extra: &[&str]) -> (Option<i32>, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(repo.path())
        .args([
            "--today",
            "2026-11-23",
            "--color",
            "never",
            "--format",
            "json",
        ])
        .arg("check")
        .args(extra)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("govern runs");
    let started = Instant::now();
    while child.try_wait().expect("govern is waited on").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().ok();
            child.wait().ok();
            panic!("govern check {extra:?} did not finish in 20 seconds");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("govern output is read");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code(), json, stderr)
}

/// The parse errors of a JSON diagnostic list, as (file, message).
fn parse_errors(json: &Value) -> Vec<(String, String)> {
    json.as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "parse-error")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Asserts both reads of HEAD give the same exit code and diagnostics, and
/// returns them.
fn same_in_both(repo: &Repo) -> (Option<i32>, Value) {
    let (code, json, stderr) = check(repo, &[]);
    let (rev_code, rev_json, rev_stderr) = check(repo, &["--rev", "HEAD"]);
    assert_eq!(code, rev_code, "{stderr}\n{rev_stderr}");
    assert_eq!(json, rev_json, "{stderr}\n{rev_stderr}");
    (code, json)
}

#[test]
fn a_fifo_named_toml_is_refused_without_blocking() {
    let repo = repo();
    let fifo = repo.path().join("governance/x.toml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (code, json, stderr) = check(&repo, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        parse_errors(&json),
        [(
            "governance/x.toml".to_string(),
            "the file is a named pipe, not a regular file".to_string()
        )]
    );
}

#[test]
fn a_socket_named_toml_is_refused_without_blocking() {
    let repo = repo();
    let path = repo.path().join("governance/s.toml");
    let _listener = std::os::unix::net::UnixListener::bind(&path).expect("socket binds");
    let (code, json, stderr) = check(&repo, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        parse_errors(&json),
        [(
            "governance/s.toml".to_string(),
            "the file is a socket, not a regular file".to_string()
        )]
    );
}

#[test]
fn a_submodule_is_refused_in_both_reads() {
    let mut other = Repo::new();
    other.write(
        "governance/teams/smuggled.toml",
        "[[team]]\nid = \"smuggled\"\n",
    );
    other.commit("other");
    let mut repo = repo();
    let url = other.path().to_str().unwrap().to_string();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "governance/sub",
    ]);
    repo.commit("add a submodule");
    let (code, json) = same_in_both(&repo);
    assert_eq!(code, Some(1));
    assert_eq!(
        parse_errors(&json),
        [(
            "governance/sub".to_string(),
            "submodules are not read: declare files in this repository".to_string()
        )]
    );
}

#[test]
fn a_governance_folder_that_is_a_link_is_refused_in_both_reads() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("governance.toml"), SETTINGS).unwrap();
    let mut repo = Repo::new();
    repo.write("README.md", "governance lives elsewhere\n");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("governance")).unwrap();
    repo.commit("link the governance folder");
    let (code, _, stderr) = check(&repo, &[]);
    let (rev_code, _, rev_stderr) = check(&repo, &["--rev", "HEAD"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_eq!(rev_code, Some(3), "{rev_stderr}");
    let says = "the governance folder `governance` is a symbolic link, which is not followed";
    assert!(stderr.contains(says), "{stderr}");
    assert!(rev_stderr.contains(says), "{rev_stderr}");
}

#[test]
fn a_path_with_a_newline_is_refused_in_both_reads() {
    let mut repo = repo();
    repo.write(
        "governance/a\nb.toml",
        TEAM.replace("platform", "injected").as_str(),
    );
    repo.commit("a file with a newline in its name");
    let (code, json) = same_in_both(&repo);
    assert_eq!(code, Some(1));
    assert_eq!(
        parse_errors(&json),
        [(
            "governance/a\\nb.toml".to_string(),
            "the path governance/a\\nb.toml holds a control character: rename it".to_string()
        )]
    );
}

#[test]
fn a_link_to_a_declaration_inside_is_followed_in_both_reads() {
    let mut repo = repo();
    repo.write(
        "governance/assets/agent.toml",
        "[[asset]]\nid = \"agent\"\nkind = \"agent\"\nenvironment = \"staging\"\n\
         owners = { accountable = \"nobody\" }\n",
    );
    std::fs::create_dir_all(repo.path().join("governance/shared")).unwrap();
    std::os::unix::fs::symlink(
        "../assets/agent.toml",
        repo.path().join("governance/shared/agent.toml"),
    )
    .unwrap();
    repo.commit("share the agent");
    let (_, json) = same_in_both(&repo);
    let files: Vec<&str> = json
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["file"].as_str())
        .collect();
    // The link is read: the asset it reaches is declared twice.
    assert!(files.contains(&"governance/shared/agent.toml"), "{json}");
    assert!(files.contains(&"governance/assets/agent.toml"), "{json}");
}

#[test]
fn a_link_that_leaves_and_comes_back_is_followed_in_both_reads() {
    let mut repo = repo();
    repo.write(
        "governance/assets/agent.toml",
        "[[asset]]\nid = \"agent\"\nkind = \"agent\"\nenvironment = \"staging\"\n\
         owners = { accountable = \"nobody\" }\n",
    );
    std::os::unix::fs::symlink(
        "../governance/assets/agent.toml",
        repo.path().join("governance/again.toml"),
    )
    .unwrap();
    repo.commit("link through the repository root");
    let (_, json) = same_in_both(&repo);
    let files: Vec<&str> = json
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["file"].as_str())
        .collect();
    // The target lies inside the folder, as a template link's may: the
    // asset is read twice and declared twice.
    assert!(files.contains(&"governance/again.toml"), "{json}");
    assert!(parse_errors(&json).is_empty(), "{json}");
}

#[test]
fn a_link_out_of_the_folder_is_refused_in_both_reads() {
    let mut repo = repo();
    repo.write(
        "elsewhere/team.toml",
        TEAM.replace("platform", "smuggled").as_str(),
    );
    std::os::unix::fs::symlink("../elsewhere", repo.path().join("governance/elsewhere")).unwrap();
    repo.commit("link a folder out of governance");
    let (code, json) = same_in_both(&repo);
    assert_eq!(code, Some(1));
    assert_eq!(
        parse_errors(&json),
        [(
            "governance/elsewhere".to_string(),
            "symbolic link leaves the governance folder (it points to ../elsewhere)".to_string()
        )]
    );
}
