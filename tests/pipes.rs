//! Every command that writes, with its streams taken away: a reader that
//! closed its end of the pipe (`govern history | head -1`) ends the command
//! quietly with exit 0, a full device (`> /dev/full`) is exit 3 with a
//! message when standard error still works, and nothing ever panics.

mod common;

use common::release::released;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One way of running a command.
struct Case {
    cwd: PathBuf,
    args: Vec<String>,
    /// Whether the command writes to standard output, and to standard error.
    stdout: bool,
    stderr: bool,
}

/// What a run did.
struct Ended {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Where a stream of the command goes.
enum Sink {
    Captured,
    ClosedPipe,
    Full,
}

impl Sink {
    fn stdio(&self) -> Stdio {
        match self {
            Sink::Captured => Stdio::piped(),
            Sink::ClosedPipe => {
                let (reader, writer) = std::io::pipe().unwrap();
                // Closed before the command starts, so its first write fails.
                drop(reader);
                writer.into()
            }
            Sink::Full => OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .map(Stdio::from)
                .unwrap(),
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn case(cwd: &Path, args: &[&str], stdout: bool, stderr: bool) -> Case {
    Case {
        cwd: cwd.to_path_buf(),
        args: args.iter().map(|a| a.to_string()).collect(),
        stdout,
        stderr,
    }
}

/// Runs `case` with its streams sent to `out` and `err`; `FRESH` in the
/// arguments becomes a new path, for commands that never overwrite.
fn run(case: &Case, out: Sink, err: Sink) -> Ended {
    let fresh = tempfile::tempdir().unwrap();
    let args = case.args.iter().map(|a| {
        if a == "FRESH" {
            fresh.path().join("new").to_str().unwrap().to_string()
        } else {
            a.clone()
        }
    });
    let output = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(&case.cwd)
        .args(["--today", "2026-11-23", "--color", "never"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .stdout(out.stdio())
        .stderr(err.stdio())
        .output()
        .unwrap();
    let ended = Ended {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !ended.stderr.contains("panicked"),
        "{:?}: {}",
        case.args,
        ended.stderr
    );
    assert_ne!(ended.code, Some(101), "{:?} panicked", case.args);
    ended
}

/// Runs `case` normally, then with each stream closed and full, and checks
/// the exit code and messages of each.
fn survives(case: Case) {
    let what = &case.args;
    let normal = run(&case, Sink::Captured, Sink::Captured);
    assert!(
        matches!(normal.code, Some(0 | 1)),
        "{what:?}: {:?} {}",
        normal.code,
        normal.stderr
    );
    // The cases below can only fail if the stream is really written.
    assert_eq!(
        !normal.stdout.is_empty(),
        case.stdout,
        "{what:?} stdout: {}",
        normal.stdout
    );
    assert_eq!(
        !normal.stderr.is_empty(),
        case.stderr,
        "{what:?} stderr: {}",
        normal.stderr
    );

    let closed = run(&case, Sink::ClosedPipe, Sink::Captured);
    if case.stdout {
        assert_eq!(closed.code, Some(0), "{what:?}: {}", closed.stderr);
        assert!(
            !closed.stderr.contains("cannot write"),
            "{what:?}: {}",
            closed.stderr
        );
    } else {
        assert_eq!(closed.code, normal.code, "{what:?}: {}", closed.stderr);
    }

    let full = run(&case, Sink::Full, Sink::Captured);
    if case.stdout {
        assert_eq!(full.code, Some(3), "{what:?}: {}", full.stderr);
        assert!(
            full.stderr
                .contains("error: cannot write to standard output"),
            "{what:?}: {}",
            full.stderr
        );
        assert!(
            full.stderr.contains("No space left on device"),
            "{what:?}: {}",
            full.stderr
        );
    } else {
        assert_eq!(full.code, normal.code, "{what:?}: {}", full.stderr);
    }

    let closed = run(&case, Sink::Captured, Sink::ClosedPipe);
    let expected = if case.stderr { Some(0) } else { normal.code };
    assert_eq!(closed.code, expected, "{what:?} with standard error closed");

    let full = run(&case, Sink::Captured, Sink::Full);
    let expected = if case.stderr { Some(3) } else { normal.code };
    assert_eq!(full.code, expected, "{what:?} with standard error full");
}

#[test]
fn check_in_every_format() {
    let root = root();
    survives(case(&root, &["check"], false, true));
    survives(case(&root, &["check", "--format", "json"], true, false));
    survives(case(&root, &["check", "--format", "sarif"], true, false));
}

#[test]
fn build_summary_and_json_report() {
    let root = root();
    survives(case(&root, &["build", "--out", "FRESH"], false, true));
    survives(case(
        &root,
        &["--format", "json", "build", "--out", "FRESH"],
        true,
        true,
    ));
}

#[test]
fn explain_as_text_and_json() {
    let root = root();
    survives(case(&root, &["explain", "code-review-agent"], true, false));
    survives(case(
        &root,
        &["--format", "json", "explain", "code-review-agent"],
        true,
        false,
    ));
}

#[test]
fn schema() {
    survives(case(&root(), &["schema"], true, false));
}

#[test]
fn history_and_drift_of_a_repository() {
    let release = released();
    let repo = release.repo.path();
    survives(case(repo, &["history"], true, false));
    survives(case(repo, &["--format", "json", "history"], true, false));
    survives(case(
        repo,
        &["drift", "--from", "HEAD", "--to", "HEAD"],
        true,
        false,
    ));
    survives(case(
        repo,
        &[
            "--format", "json", "drift", "--from", "HEAD", "--to", "HEAD",
        ],
        true,
        false,
    ));
}

#[test]
fn signers_verify_and_release() {
    let release = released();
    let repo = release.repo.path();
    survives(case(repo, &["signers"], true, false));
    survives(case(repo, &["--format", "pem", "signers"], true, false));
    survives(case(
        repo,
        &["verify", release.dist_arg(), "--trust", "HEAD"],
        true,
        false,
    ));
    let key = release.key.to_str().unwrap();
    survives(case(
        repo,
        &["release", "--key", key, "--out", "FRESH"],
        false,
        true,
    ));
}

#[test]
fn keygen_and_init() {
    let release = released();
    let key = release.key.to_str().unwrap();
    let dir = release.keys.path();
    survives(case(dir, &["keygen", "--public-pem", key], true, false));
    survives(case(dir, &["keygen", "--out", "FRESH"], true, true));
    survives(case(dir, &["init", "FRESH"], false, true));
}

#[test]
fn an_error_message_that_cannot_be_written_keeps_its_exit_code() {
    let root = root();
    let usage = case(&root, &["explain", "no-such-asset"], false, true);
    let normal = run(&usage, Sink::Captured, Sink::Captured);
    assert_eq!(normal.code, Some(2), "{}", normal.stderr);
    assert!(normal.stderr.contains("no asset `no-such-asset`"));
    for err in [Sink::ClosedPipe, Sink::Full] {
        assert_eq!(run(&usage, Sink::Captured, err).code, Some(2));
    }
}
