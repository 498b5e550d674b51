//! Helpers shared by the integration tests: Git repositories in temporary
//! folders with pinned dates, and running `govern` in them.
#![allow(dead_code)]

pub mod release;
pub mod sarif;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// 2026-09-21T...Z: the first commit of every test repository is a day later.
pub const PINNED: i64 = 1_790_000_000;

/// A Git repository in a temporary folder, committed with pinned dates.
pub struct Repo {
    pub dir: tempfile::TempDir,
    pub clock: i64,
}

pub fn git_in(dir: &Path, args: &[&str], date: i64) -> Output {
    let date = format!("{date} +0000");
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env("GIT_AUTHOR_NAME", "Ada Governance")
        .env("GIT_AUTHOR_EMAIL", "ada@git.example")
        .env("GIT_COMMITTER_NAME", "Ada Governance")
        .env("GIT_COMMITTER_EMAIL", "ada@git.example")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        git_in(dir.path(), &["init", "-q", "-b", "main"], PINNED);
        Repo { dir, clock: PINNED }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let full = self.path().join(path);
        let text = std::fs::read_to_string(&full).unwrap();
        assert!(text.contains(from), "{path} has no `{from}`");
        std::fs::write(full, text.replacen(from, to, 1)).unwrap();
    }

    pub fn git(&self, args: &[&str]) -> String {
        String::from_utf8(git_in(self.path(), args, self.clock).stdout).unwrap()
    }

    /// Commits everything a day after the previous commit; returns the id.
    pub fn commit(&mut self, subject: &str) -> String {
        self.clock += 86_400;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", subject]);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    pub fn govern(&self, args: &[&str]) -> Run {
        govern_in(self.path(), args)
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", self.stdout, self.stderr))
    }
}

pub fn govern_in(cwd: &Path, args: &[&str]) -> Run {
    govern_on(cwd, "2026-11-23", args)
}

/// Runs govern in `cwd` as of `today`.
pub fn govern_on(cwd: &Path, today: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(cwd)
        .args(["--today", today, "--color", "never"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("govern runs");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Copies the folder `from`, with everything below it, to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `govern --repo REPO build --out OUT [extra...]` and asserts it
/// succeeds.
pub fn build(repo: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "--repo",
        repo.to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = govern_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// Runs a Python `script` with `input` as JSON on its standard input;
/// `install` names the packages to `pip install` when Python lacks them.
pub fn python(script: &str, input: &Value, install: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("python3 runs ({e}): install Python 3, then `pip install {install}`")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
