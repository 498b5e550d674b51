//! Signed releases for the tests: keys made by govern and by OpenSSH,
//! repositories that declare signers, a released `dist/`, and OpenSSH's
//! own sign and verify to compare with.

use super::{govern_in, Repo, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TEAMS: &str = "[[team]]\nid = \"governance-office\"\n\n[[team]]\nid = \"product\"\n";
pub const ASSETS: &str =
    "[[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"product\" }\n";

pub fn settings(signers: &[(&str, &str, Option<&str>)]) -> String {
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
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let run = govern_in(dir, &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let public = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    (key, public.trim().to_string())
}

/// A key made by OpenSSH.
pub fn ssh_keygen(dir: &Path, name: &str, passphrase: &str) -> (PathBuf, String) {
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
pub fn repo_with(signers: &[(&str, &str, Option<&str>)]) -> Repo {
    let mut repo = Repo::new();
    repo.write("governance/governance.toml", &settings(signers));
    repo.write("governance/teams.toml", TEAMS);
    repo.write("governance/assets.toml", ASSETS);
    repo.commit("Declare governance and its signers");
    repo
}

pub struct Release {
    pub keys: tempfile::TempDir,
    pub repo: Repo,
    pub key: PathBuf,
    pub dist: PathBuf,
}

impl Release {
    pub fn dist_arg(&self) -> &str {
        self.dist.to_str().unwrap()
    }

    pub fn verify(&self, extra: &[&str]) -> Run {
        let mut args = vec!["verify", self.dist_arg()];
        args.extend_from_slice(extra);
        self.repo.govern(&args)
    }

    /// Writes the allowed_signers file of HEAD and returns its path.
    pub fn allowed_signers(&self) -> PathBuf {
        let path = self.keys.path().join("allowed_signers");
        let run = self
            .repo
            .govern(&["signers", "--out", path.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        path
    }
}

/// A released repository: one signer `office`, released into `dist/`.
pub fn released() -> Release {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_with(&[("office", &public, None)]);
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    Release {
        keys,
        repo,
        key,
        dist,
    }
}

/// Runs `govern release --key KEY --out DIST` in `repo`, with `extra` flags.
pub fn release(repo: &Repo, key: &Path, dist: &Path, extra: &[&str]) -> Run {
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

pub fn assert_fails(run: &Run, says: &str) {
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("verification failed"), "{}", run.stderr);
    assert!(
        run.stderr.contains(says),
        "expected `{says}` in: {}",
        run.stderr
    );
}

pub fn ssh_verify(allowed: &Path, signer: &str, dist: &Path) -> std::process::Output {
    Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", signer, "-n", "govern-baseline", "-s"])
        .arg(dist.join("MANIFEST.json.sig"))
        .stdin(std::fs::File::open(dist.join("MANIFEST.json")).unwrap())
        .output()
        .unwrap()
}

pub fn ssh_sign(key: &Path, dist: &Path) {
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

/// Runs govern in `cwd` as `run` does, but kills it and fails the test if
/// it has not finished within `seconds`: for inputs that could make it block.
pub fn govern_within(cwd: &Path, seconds: u64, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(cwd)
        .args(["--today", "2026-11-23", "--color", "never"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("govern runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("govern {args:?} did not finish within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Rewrites MANIFEST.json of `dist` through `edit` and signs it again with
/// `key`, as someone holding a trusted key could.
pub fn resign(dist: &Path, key: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dist.join("MANIFEST.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    ssh_sign(key, dist);
}
