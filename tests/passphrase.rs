//! Keys protected by a passphrase: `release --key` and `build
//! --sign-bundle` decrypt them in memory with `GOVERN_KEY_PASSPHRASE`, and
//! never change the key file.

mod common;

use common::release::{repo_with, ssh_keygen};
use common::Repo;
use std::path::{Path, PathBuf};
use std::process::Command;

const PASSPHRASE: &str = "correct horse";

/// A key made by OpenSSH with a passphrase: (private key path, public line).
fn locked_key(dir: &Path) -> (PathBuf, String) {
    ssh_keygen(dir, "locked", PASSPHRASE)
}

/// A committed repository whose only signer is `public`.
fn repo_signed_by(public: &str) -> Repo {
    repo_with(&[("locked", public, None)])
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs govern in `cwd` with `GOVERN_KEY_PASSPHRASE` set to `passphrase`,
/// or unset.
fn govern(cwd: &Path, passphrase: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govern"));
    command
        .current_dir(cwd)
        .args(["--today", "2026-11-23", "--color", "never"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GOVERN_KEY_PASSPHRASE");
    if let Some(p) = passphrase {
        command.env("GOVERN_KEY_PASSPHRASE", p);
    }
    let out = command.output().expect("govern runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: out.status.code(),
        stderr,
    }
}

fn release(repo: &Repo, key: &Path, dist: &Path, passphrase: Option<&str>) -> Run {
    govern(
        repo.path(),
        passphrase,
        &[
            "release",
            "--key",
            key.to_str().unwrap(),
            "--out",
            dist.to_str().unwrap(),
        ],
    )
}

/// Asserts that a refusal never suggests stripping the passphrase from the
/// original key.
fn assert_no_key_edit(run: &Run) {
    assert!(!run.stderr.contains("ssh-keygen -p"), "{}", run.stderr);
}

#[test]
fn an_encrypted_key_releases_with_its_passphrase_and_the_signature_verifies() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = locked_key(keys.path());
    let before = std::fs::read(&key).unwrap();
    let repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, Some(PASSPHRASE));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let verify = govern(
        repo.path(),
        None,
        &["verify", dist.to_str().unwrap(), "--trust", "HEAD"],
    );
    assert_eq!(verify.code, Some(0), "{}", verify.stderr);
    assert_eq!(
        std::fs::read(&key).unwrap(),
        before,
        "the key file is unchanged"
    );
}

#[test]
fn an_encrypted_key_without_a_passphrase_is_refused_with_a_hint() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = locked_key(keys.path());
    let before = std::fs::read(&key).unwrap();
    let repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    for passphrase in [None, Some("")] {
        let run = release(&repo, &key, &dist, passphrase);
        assert_eq!(run.code, Some(3), "{}", run.stderr);
        assert!(
            run.stderr.contains("is protected by a passphrase"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("hint: set GOVERN_KEY_PASSPHRASE to its passphrase"),
            "{}",
            run.stderr
        );
        assert_no_key_edit(&run);
        assert!(!dist.exists(), "nothing written");
    }
    assert_eq!(
        std::fs::read(&key).unwrap(),
        before,
        "the key file is unchanged"
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_says_so() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = locked_key(keys.path());
    let before = std::fs::read(&key).unwrap();
    let repo = repo_signed_by(&public);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, Some("wrong horse"));
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "the passphrase in GOVERN_KEY_PASSPHRASE does not decrypt {}",
            key.display()
        )),
        "{}",
        run.stderr
    );
    assert_no_key_edit(&run);
    assert!(!dist.exists(), "nothing written");
    assert_eq!(
        std::fs::read(&key).unwrap(),
        before,
        "the key file is unchanged"
    );
}

#[test]
fn build_signs_the_bundle_with_an_encrypted_key_and_its_passphrase() {
    let keys = tempfile::tempdir().unwrap();
    let (key, _) = locked_key(keys.path());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist = keys.path().join("dist");
    let args = [
        "--repo",
        root.to_str().unwrap(),
        "build",
        "--out",
        dist.to_str().unwrap(),
        "--sign-bundle",
        key.to_str().unwrap(),
    ];
    let refused = govern(root, None, &args);
    assert_eq!(refused.code, Some(3), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("set GOVERN_KEY_PASSPHRASE"),
        "{}",
        refused.stderr
    );
    assert_no_key_edit(&refused);
    assert!(!dist.exists(), "nothing written");

    let wrong = govern(root, Some("wrong horse"), &args);
    assert_eq!(wrong.code, Some(3), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("does not decrypt"),
        "{}",
        wrong.stderr
    );

    let signed = govern(root, Some(PASSPHRASE), &args);
    assert_eq!(signed.code, Some(0), "{}", signed.stderr);
    let bundle = std::fs::File::open(dist.join("bundles/opa/bundle.tar.gz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bundle));
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n == ".signatures.json"),
        "the bundle is signed: {names:?}"
    );
}
