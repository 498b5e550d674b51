//! `govern release --tag NAME`: an annotated tag signed as `git tag -s`
//! signs with `gpg.format=ssh`, checked by the real `git verify-tag`; and
//! every reason to refuse a tag found before anything is written.

mod common;

use common::release::{keygen, repo_with, ASSETS};
use common::{Repo, Run};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A committed repository with one signer `office` and a tagger identity.
fn repo_signed_by(public: &str) -> Repo {
    let repo = repo_with(&[("office", public, None)]);
    repo.git(&["config", "user.name", "Ada Governance"]);
    repo.git(&["config", "user.email", "ada@release.example"]);
    repo
}

fn release(repo: &Repo, key: &Path, dist: &Path, tag: &str) -> Run {
    repo.govern(&[
        "release",
        "--key",
        key.to_str().unwrap(),
        "--out",
        dist.to_str().unwrap(),
        &format!("--tag={tag}"),
    ])
}

/// Writes an allowed_signers file that lets `key` sign tags as `office`.
fn allowed_signers(dir: &Path, key: &str) -> PathBuf {
    let path = dir.join("allowed_signers");
    std::fs::write(
        &path,
        format!("office namespaces=\"govern-baseline,git\" {key}\n"),
    )
    .unwrap();
    path
}

/// Runs the real `git verify-tag` with SSH signatures and `allowed`.
fn verify_tag(repo: &Repo, allowed: &Path, tag: &str) -> Output {
    Command::new("git")
        .current_dir(repo.path())
        .args(["-c", "gpg.format=ssh", "-c"])
        .arg(format!("gpg.ssh.allowedSignersFile={}", allowed.display()))
        .args(["verify-tag", tag])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn git_verify_tag_accepts_the_tag_and_it_names_the_manifest_digest() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, "baseline-1");
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    // The allowed_signers file that `govern signers` writes is what Git reads.
    let allowed = keys.path().join("allowed_signers");
    let signers = repo.govern(&["signers", "--out", allowed.to_str().unwrap()]);
    assert_eq!(signers.code, Some(0), "{}", signers.stderr);
    let out = verify_tag(&repo, &allowed, "baseline-1");
    assert!(
        out.status.success(),
        "git verify-tag: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Good \"git\" signature for office"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let tag = repo.git(&["cat-file", "-p", "baseline-1"]);
    let digest = sha256_hex(&std::fs::read(dist.join("MANIFEST.json")).unwrap());
    assert!(
        tag.contains(&format!("MANIFEST.json sha256 {digest}\n")),
        "{tag}"
    );
    assert!(tag.contains("\n-----BEGIN SSH SIGNATURE-----\n"), "{tag}");
    assert!(tag.ends_with("-----END SSH SIGNATURE-----\n"), "{tag}");
    assert!(
        tag.contains("\ntagger Ada Governance <ada@release.example> "),
        "{tag}"
    );
    assert_eq!(
        repo.git(&["rev-parse", "baseline-1^{commit}"]),
        repo.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn git_verify_tag_rejects_the_tag_when_another_key_is_allowed() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let (_, other) = keygen(keys.path(), "other");
    let repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, "baseline-1");
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    let allowed = allowed_signers(keys.path(), &other);
    let out = verify_tag(&repo, &allowed, "baseline-1");
    assert!(
        !out.status.success(),
        "git verify-tag accepted a tag signed by a key it does not allow: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_existing_tag_is_refused_and_the_previous_release_is_untouched() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let mut repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    let first = release(&repo, &key, &dist, "baseline-1");
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let manifest = std::fs::read(dist.join("MANIFEST.json")).unwrap();
    let tag_before = repo.git(&["rev-parse", "baseline-1"]);

    repo.write("governance/assets.toml", &ASSETS.replace("notes", "drafts"));
    repo.commit("Rename the dataset");
    let again = release(&repo, &key, &dist, "baseline-1");
    assert_eq!(again.code, Some(2), "{}", again.stderr);
    assert!(
        again.stderr.contains("tag baseline-1 already exists"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(dist.join("MANIFEST.json")).unwrap(),
        manifest,
        "the previous release is untouched"
    );
    assert_eq!(repo.git(&["rev-parse", "baseline-1"]), tag_before);

    let fresh = repo.path().join("fresh");
    let refused = release(&repo, &key, &fresh, "baseline-1");
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(!fresh.exists(), "nothing written");
}

#[test]
fn an_invalid_tag_name_is_refused_before_anything_is_written() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    for name in ["two words", "a..b", "-dash", "ends.lock", "x:y"] {
        let run = release(&repo, &key, &dist, name);
        assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("`{name}` is not a valid tag name")),
            "{}",
            run.stderr
        );
        assert!(!dist.exists(), "{name}: nothing written");
    }
    assert_eq!(repo.git(&["tag", "--list"]), "");
}

#[test]
fn a_tag_without_a_tagger_identity_is_refused_before_anything_is_written() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_signed_by(&public);
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    let dist = repo.path().join("dist");
    let out = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(repo.path())
        .args([
            "--today",
            "2026-11-23",
            "--color",
            "never",
            "release",
            "--key",
        ])
        .arg(&key)
        .arg("--out")
        .arg(&dist)
        .args(["--tag", "baseline-1"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("EMAIL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("user.name and user.email"), "{stderr}");
    assert!(stderr.contains("git config user.email"), "{stderr}");
    assert!(!dist.exists(), "nothing written");
    assert_eq!(repo.git(&["tag", "--list"]), "");
}

#[test]
fn a_tag_that_would_clash_with_a_tag_folder_or_a_branch_is_refused_first() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_signed_by(&public);
    repo.git(&["tag", "v1"]);
    repo.git(&["tag", "group/a"]);
    let dist = repo.path().join("dist");
    for (name, says) in [
        ("v1/x", "refs/tags/v1 exists"),
        ("group", "refs/tags/group/a exists"),
        ("main", "refs/heads/main exists"),
        ("HEAD", "not a valid tag name"),
        ("refs/heads/x", "not a valid tag name"),
    ] {
        let run = release(&repo, &key, &dist, name);
        assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
        assert!(!dist.exists(), "{name}: nothing written");
    }
    let long = "x".repeat(300);
    let run = release(&repo, &key, &dist, &long);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}
