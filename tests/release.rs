//! Signed releases on real temporary repositories: keygen, release, verify,
//! signers, interoperability with OpenSSH's `ssh-keygen -Y sign|verify`,
//! and every tamper case failing with a message that says what is wrong.

mod common;

use common::govern_in;
use common::release::{
    assert_fails, keygen, release, released, repo_with, settings, ssh_keygen, ssh_sign, ssh_verify,
    ASSETS,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

#[test]
fn keygen_writes_a_private_key_0600_and_never_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keygen(dir.path(), "k");
    assert!(public.starts_with("ssh-ed25519 AAAA"), "{public}");
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = govern_in(dir.path(), &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(again.code, Some(2), "{}", again.stderr);
    assert!(again.stderr.contains("exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        text,
        "the key is untouched"
    );
}

#[test]
fn a_release_round_trips_with_signers_and_with_trust() {
    let release = released();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(release.dist.join("MANIFEST.json")).unwrap())
            .unwrap();
    let head = release.repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(manifest["commit"].as_str(), Some(head.trim()));
    assert_eq!(manifest["dirty"], false);
    let sig = std::fs::read_to_string(release.dist.join("MANIFEST.json.sig")).unwrap();
    assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----\n"));
    assert!(sig.lines().all(|l| l.len() <= 70), "armored at 70 columns");

    let allowed = release.allowed_signers();
    let with_file = release.verify(&["--signers", allowed.to_str().unwrap()]);
    assert_eq!(with_file.code, Some(0), "{}", with_file.stderr);
    assert!(
        with_file
            .stdout
            .contains("signed by office (governance-office)"),
        "{}",
        with_file.stdout
    );
    assert!(
        with_file.stdout.contains(head.trim()),
        "{}",
        with_file.stdout
    );

    let with_trust = release.verify(&["--trust", "HEAD"]);
    assert_eq!(with_trust.code, Some(0), "{}", with_trust.stderr);
}

#[test]
fn verify_without_a_trust_anchor_refuses_and_says_why() {
    let release = released();
    let run = release.verify(&[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("trust anchor"), "{}", run.stderr);
    assert!(run.stderr.contains("add their own key"), "{}", run.stderr);
}

#[test]
fn openssh_verifies_a_govern_signature() {
    let release = released();
    let allowed = release.allowed_signers();
    let text = std::fs::read_to_string(&allowed).unwrap();
    assert!(
        text.contains("namespaces=\"govern-baseline,git\""),
        "{text}"
    );
    let out = ssh_verify(&allowed, "office", &release.dist);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn govern_verifies_an_openssh_signature_and_releases_with_an_openssh_key() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = ssh_keygen(keys.path(), "ssh-made", "");
    let repo = repo_with(&[("ssh-made", &public, None)]);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, &[]);
    assert_eq!(
        run.code,
        Some(0),
        "a key from ssh-keygen works: {}",
        run.stderr
    );

    ssh_sign(&key, &dist);
    let verify = repo.govern(&["verify", dist.to_str().unwrap(), "--trust", "HEAD"]);
    assert_eq!(
        verify.code,
        Some(0),
        "a signature from ssh-keygen -Y sign verifies: {}",
        verify.stderr
    );
}

#[test]
fn a_passphrase_protected_key_gets_a_clear_error() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = ssh_keygen(keys.path(), "locked", "correct horse");
    let repo = repo_with(&[("locked", &public, None)]);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, &[]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("passphrase"), "{}", run.stderr);
    assert!(!dist.exists(), "nothing written");
}

#[test]
fn release_refuses_an_unlisted_key_and_a_dirty_tree() {
    let keys = tempfile::tempdir().unwrap();
    let (listed, public) = keygen(keys.path(), "listed");
    let (stranger, _) = keygen(keys.path(), "stranger");
    let repo = repo_with(&[("listed", &public, None)]);
    let dist = repo.path().join("dist");

    let unlisted = release(&repo, &stranger, &dist, &[]);
    assert_eq!(unlisted.code, Some(1), "{}", unlisted.stderr);
    assert!(
        unlisted.stderr.contains("not a listed, valid [[signer]]"),
        "{}",
        unlisted.stderr
    );
    assert!(!dist.exists());

    repo.write("governance/assets.toml", &ASSETS.replace("notes", "drafts"));
    let dirty = release(&repo, &listed, &dist, &[]);
    assert_eq!(dirty.code, Some(2), "{}", dirty.stderr);
    assert!(dirty.stderr.contains("--allow-dirty"), "{}", dirty.stderr);
    assert!(!dist.exists());

    let allowed = release(&repo, &listed, &dist, &["--allow-dirty"]);
    assert_eq!(allowed.code, Some(0), "{}", allowed.stderr);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join("MANIFEST.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["dirty"], true,
        "the manifest records --allow-dirty"
    );
    let model = std::fs::read_to_string(dist.join("model.json")).unwrap();
    assert!(
        model.contains("\"notes\"") && !model.contains("\"drafts\""),
        "built from HEAD"
    );
}

#[test]
fn a_release_built_twice_from_one_commit_has_the_same_manifest() {
    let done = released();
    let first = std::fs::read(done.dist.join("MANIFEST.json")).unwrap();
    let again = done.repo.path().join("again");
    let run = release(&done.repo, &done.key, &again, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(std::fs::read(again.join("MANIFEST.json")).unwrap(), first);
}

#[test]
fn tag_names_the_manifest_hash() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_with(&[("office", &public, None)]);
    repo.git(&["config", "user.name", "Ada Governance"]);
    repo.git(&["config", "user.email", "ada@release.example"]);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, &["--tag", "baseline-1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let digest: String = Sha256::digest(std::fs::read(dist.join("MANIFEST.json")).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        repo.git(&["cat-file", "-t", "baseline-1"]).trim(),
        "tag",
        "annotated"
    );
    let tag = repo.git(&["cat-file", "-p", "baseline-1"]);
    assert!(tag.contains(&digest), "{tag}");
    assert_eq!(
        repo.git(&["rev-parse", "baseline-1^{commit}"]),
        repo.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn a_changed_byte_in_any_file_fails() {
    let release = released();
    let allowed = release.allowed_signers();
    let path = release.dist.join("report.html");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    assert_fails(
        &release.verify(&["--signers", allowed.to_str().unwrap()]),
        "report.html was changed",
    );
}

#[test]
fn an_added_file_fails() {
    let release = released();
    let allowed = release.allowed_signers();
    std::fs::write(release.dist.join("raci/extra.md"), "# smuggled\n").unwrap();
    assert_fails(
        &release.verify(&["--signers", allowed.to_str().unwrap()]),
        "raci/extra.md is not listed",
    );
}

#[test]
fn a_removed_file_fails() {
    let release = released();
    let allowed = release.allowed_signers();
    std::fs::remove_file(release.dist.join("CODEOWNERS")).unwrap();
    assert_fails(
        &release.verify(&["--signers", allowed.to_str().unwrap()]),
        "CODEOWNERS is listed in the manifest but missing",
    );
}

#[test]
fn an_edited_manifest_fails() {
    let release = released();
    let allowed = release.allowed_signers();
    let path = release.dist.join("MANIFEST.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"dirty\": false", "\"dirty\": true")).unwrap();
    assert_fails(
        &release.verify(&["--signers", allowed.to_str().unwrap()]),
        "the manifest or the signature was altered",
    );
}

#[test]
fn a_signature_by_another_key_fails() {
    let release = released();
    let allowed = release.allowed_signers();
    let (other, _) = ssh_keygen(release.keys.path(), "intruder", "");
    ssh_sign(&other, &release.dist);
    assert_fails(
        &release.verify(&["--signers", allowed.to_str().unwrap()]),
        "is not in allowed_signers",
    );
    let out = ssh_verify(&allowed, "office", &release.dist);
    assert!(!out.status.success(), "OpenSSH rejects it too");
}

#[test]
fn a_signer_added_in_the_release_commit_is_not_trusted_by_the_commit_before() {
    let keys = tempfile::tempdir().unwrap();
    let (_, office) = keygen(keys.path(), "office");
    let (mallory_key, mallory) = keygen(keys.path(), "mallory");
    let mut repo = repo_with(&[("office", &office, None)]);
    repo.write(
        "governance/governance.toml",
        &settings(&[("office", &office, None), ("mallory", &mallory, None)]),
    );
    repo.commit("Add a signer");
    let dist = repo.path().join("dist");
    let run = release(&repo, &mallory_key, &dist, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    let own_commit = repo.govern(&["verify", dist.to_str().unwrap(), "--trust", "HEAD"]);
    assert_eq!(
        own_commit.code,
        Some(0),
        "the release commit lists mallory: {}",
        own_commit.stderr
    );
    let before = repo.govern(&["verify", dist.to_str().unwrap(), "--trust", "HEAD~1"]);
    assert_fails(&before, "is not in the [[signer]] entries");
}
