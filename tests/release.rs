//! Signed releases on real temporary repositories: keygen, release, verify,
//! signers, interoperability with OpenSSH's `ssh-keygen -Y sign|verify`,
//! and every tamper case failing with a message that says what is wrong.

mod common;

use common::{govern_in, govern_on, Repo, Run};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

const TEAMS: &str = "[[team]]\nid = \"governance-office\"\n\n[[team]]\nid = \"product\"\n";
const ASSETS: &str =
    "[[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"product\" }\n";

fn settings(signers: &[(&str, &str, Option<&str>)]) -> String {
    let mut text = String::from("[organization]\nname = \"Release Corp\"\n\n[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n");
    for (id, key, expires) in signers {
        text.push_str(&format!(
            "\n[[signer]]\nid = \"{id}\"\nteam = \"governance-office\"\npublic-key = \"{key}\"\n"
        ));
        if let Some(day) = expires {
            text.push_str(&format!("expires = {day}\n"));
        }
    }
    text
}

/// A key made by `govern keygen`: (private key path, public key line).
fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let run = govern_in(dir, &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let public = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    (key, public.trim().to_string())
}

/// A key made by OpenSSH.
fn ssh_keygen(dir: &Path, name: &str, passphrase: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-C", name, "-N", passphrase, "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen runs (apt-get install openssh-client)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    (key, public.trim().to_string())
}

/// A committed repository whose governance.toml lists `signers`.
fn repo_with(signers: &[(&str, &str, Option<&str>)]) -> Repo {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", &settings(signers));
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.commit("Declare governance and its signers");
    repo
}

struct Release {
    _keys: tempfile::TempDir,
    repo: Repo,
    key: PathBuf,
    dist: PathBuf,
}

impl Release {
    fn dist_arg(&self) -> &str {
        self.dist.to_str().unwrap()
    }

    fn verify(&self, extra: &[&str]) -> Run {
        let mut args = vec!["verify", self.dist_arg()];
        args.extend_from_slice(extra);
        self.repo.govern(&args)
    }

    /// Writes the allowed_signers file of HEAD and returns its path.
    fn allowed_signers(&self) -> PathBuf {
        let path = self._keys.path().join("allowed_signers");
        let run = self
            .repo
            .govern(&["signers", "--out", path.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        path
    }
}

/// A released repository: one signer `office`, released into `dist/`.
fn released() -> Release {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_with(&[("office", &public, None)]);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    Release {
        _keys: keys,
        repo,
        key,
        dist,
    }
}

/// Runs `govern release --key KEY --out DIST` in `repo`, with `extra` flags.
fn release(repo: &Repo, key: &Path, dist: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "release",
        "--key",
        key.to_str().unwrap(),
        "--out",
        dist.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    repo.govern(&args)
}

fn assert_fails(run: &Run, says: &str) {
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("verification failed"), "{}", run.stderr);
    assert!(
        run.stderr.contains(says),
        "expected `{says}` in: {}",
        run.stderr
    );
}

fn ssh_verify(allowed: &Path, signer: &str, dist: &Path) -> std::process::Output {
    Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", signer, "-n", "govern-baseline", "-s"])
        .arg(dist.join("MANIFEST.json.sig"))
        .stdin(std::fs::File::open(dist.join("MANIFEST.json")).unwrap())
        .output()
        .unwrap()
}

fn ssh_sign(key: &Path, dist: &Path) {
    let _ = std::fs::remove_file(dist.join("MANIFEST.json.sig"));
    let out = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "govern-baseline", "-f"])
        .arg(key)
        .arg(dist.join("MANIFEST.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

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
    assert_ne!(again.code, Some(0));
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
        unlisted
            .stderr
            .contains("not a listed, unexpired [[signer]]"),
        "{}",
        unlisted.stderr
    );
    assert!(!dist.exists());

    repo.write("governance/assets.toml", &ASSETS.replace("notes", "drafts"));
    let dirty = release(&repo, &listed, &dist, &[]);
    assert_ne!(dirty.code, Some(0), "{}", dirty.stderr);
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
    let (other, _) = ssh_keygen(release._keys.path(), "intruder", "");
    ssh_sign(&other, &release.dist);
    assert_fails(
        &release.verify(&["--signers", allowed.to_str().unwrap()]),
        "not a trusted signer",
    );
    let out = ssh_verify(&allowed, "office", &release.dist);
    assert!(!out.status.success(), "OpenSSH rejects it too");
}

#[test]
fn a_signer_that_expired_before_the_release_fails() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "old");
    // The commit is dated 2026-09-22; the key expired on 2026-09-01.
    let repo = repo_with(&[("old", &public, Some("2026-09-01"))]);
    let dist = repo.path().join("dist");
    let refused = release(&repo, &key, &dist, &[]);
    assert_eq!(
        refused.code,
        Some(1),
        "release refuses an expired signer: {}",
        refused.stderr
    );
    // Signed anyway, with a clock turned back.
    let signed = govern_on(
        repo.path(),
        "2026-08-31",
        &[
            "release",
            "--key",
            key.to_str().unwrap(),
            "--out",
            dist.to_str().unwrap(),
        ],
    );
    assert_eq!(signed.code, Some(0), "{}", signed.stderr);
    let allowed = keys.path().join("allowed_signers");
    let run = repo.govern(&["signers", "--out", allowed.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(std::fs::read_to_string(&allowed)
        .unwrap()
        .contains("valid-before=\"20260901235959Z\""));
    let verify = repo.govern(&[
        "verify",
        dist.to_str().unwrap(),
        "--signers",
        allowed.to_str().unwrap(),
    ]);
    assert_fails(
        &verify,
        "key of old expired at 2026-09-02T00:00:00Z (allowed_signers:2 valid-before)",
    );
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
    assert_fails(&before, "not a trusted signer");
}
