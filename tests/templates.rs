//! Templates are data, never a way out of the build: overrides that leave
//! `templates/` or are no regular file are refused in the working tree and
//! under `--rev` alike, renders that loop or grow without end are stopped,
//! undefined values are errors, and unknown names are warned of.

mod common;

use common::{Repo, Run};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A repository holding a copy of the example governance folder, committed.
fn repo() -> Repo {
    let mut repo = Repo::new();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("governance"),
        &repo.path().join("governance"),
    );
    repo.commit("declare the example");
    repo
}

/// Runs `govern build --out dist [extra...]` in `repo`, killing it and
/// failing the test if it has not ended within `limit`.
fn build_within(repo: &Repo, extra: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(repo.path())
        .args(["--today", "2026-11-23", "--color", "never", "build"])
        .args(["--out", "dist"])
        .args(extra)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("govern runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("govern build {extra:?} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn build(repo: &Repo, extra: &[&str]) -> Run {
    build_within(repo, extra, Duration::from_secs(60))
}

/// Asserts a build failed as a content problem and wrote nothing.
fn refused(repo: &Repo, run: &Run) {
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        !repo.path().join("dist").exists(),
        "nothing is written: {}",
        run.stderr
    );
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(unix)]
#[test]
fn a_link_to_etc_passwd_is_refused_in_the_tree_and_at_a_commit() {
    let mut repo = repo();
    std::fs::create_dir(repo.path().join("templates")).unwrap();
    link("/etc/passwd", &repo.path().join("templates/CODEOWNERS"));
    let run = build(&repo, &[]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/CODEOWNERS") && run.stderr.contains("leaves its folder"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("root:"), "{}", run.stderr);

    // Committed, the same link is refused under --rev, not rendered as its
    // target's name.
    repo.commit("link a template out of the repository");
    let run = build(&repo, &["--rev", "HEAD"]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/CODEOWNERS at HEAD")
            && run.stderr.contains("leaves its folder")
            && run.stderr.contains("/etc/passwd"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_inside_templates_renders_alike_in_the_tree_and_at_a_commit() {
    let mut repo = repo();
    repo.write("templates/shared/owners.txt", "* @linked {{ 40 + 2 }}\n");
    link(
        "shared/owners.txt",
        &repo.path().join("templates/CODEOWNERS"),
    );
    link(
        "../templates/shared/owners.txt",
        &repo.path().join("templates/summary.md"),
    );
    let run = build(&repo, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let dist = repo.path().join("dist");
    let owners = std::fs::read_to_string(dist.join("CODEOWNERS")).unwrap();
    assert_eq!(owners, "* @linked 42\n");
    let summary = std::fs::read_to_string(dist.join("mapping/summary.md")).unwrap();
    assert_eq!(summary, "* @linked 42\n");

    repo.commit("share one template between two outputs");
    std::fs::remove_dir_all(&dist).unwrap();
    let run = build(&repo, &["--rev", "HEAD"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dist.join("CODEOWNERS")).unwrap(),
        owners
    );
    assert_eq!(
        std::fs::read_to_string(dist.join("mapping/summary.md")).unwrap(),
        summary
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_override_is_refused_without_blocking() {
    let repo = repo();
    std::fs::create_dir(repo.path().join("templates")).unwrap();
    let fifo = repo.path().join("templates/summary.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let run = build_within(&repo, &[], Duration::from_secs(30));
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/summary.md") && run.stderr.contains("a named pipe"),
        "{}",
        run.stderr
    );

    // Nor through a link that stays inside the folder.
    std::fs::rename(&fifo, repo.path().join("templates/pipe")).unwrap();
    link("pipe", &fifo);
    let run = build_within(&repo, &[], Duration::from_secs(30));
    refused(&repo, &run);
    assert!(run.stderr.contains("a named pipe"), "{}", run.stderr);
}

#[test]
fn an_endless_template_runs_out_of_fuel_at_once() {
    let repo = repo();
    repo.write(
        "templates/raci-matrix.csv",
        "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
    );
    let start = Instant::now();
    let run = build_within(&repo, &[], Duration::from_secs(30));
    refused(&repo, &run);
    assert!(
        run.stderr.contains("raci-matrix.csv") && run.stderr.contains("ran out of fuel"),
        "{}",
        run.stderr
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "stopped after {:?}",
        start.elapsed()
    );
}

#[test]
fn a_template_that_grows_without_end_is_stopped() {
    let repo = repo();
    repo.write(
        "templates/summary.md",
        "{% for a in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}",
    );
    let run = build_within(&repo, &[], Duration::from_secs(30));
    refused(&repo, &run);
    assert!(
        run.stderr.contains("summary.md") && run.stderr.contains("rendered more than"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_undefined_variable_names_the_template_and_line() {
    let repo = repo();
    repo.write("templates/summary.md", "# summary\n{{ no_such_thing }}\n");
    let run = build(&repo, &[]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/summary.md")
            && run.stderr.contains("line 2")
            && run.stderr.contains("undefined"),
        "{}",
        run.stderr
    );

    std::fs::remove_file(repo.path().join("templates/summary.md")).unwrap();
    repo.write(
        "templates/raci-asset.md",
        "# {{ asset.id }}\n\n{{ asset.nmae }}\n",
    );
    let run = build(&repo, &[]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/raci-asset.md")
            && run.stderr.contains("line 3")
            && run.stderr.contains("undefined"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_override_name_is_a_warning_that_lists_the_names() {
    let repo = repo();
    repo.write("templates/summray.md", "misspelt\n");
    let run = build(&repo, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let warning = run
        .stderr
        .lines()
        .find(|l| l.starts_with("warning:") && l.contains("templates/summray.md"))
        .unwrap_or_else(|| panic!("no warning: {}", run.stderr));
    assert!(
        warning.contains("summary.md") && warning.contains("report.html"),
        "{warning}"
    );
    let summary = std::fs::read_to_string(repo.path().join("dist/mapping/summary.md")).unwrap();
    assert!(!summary.contains("misspelt"), "{summary}");
}

#[test]
fn templates_as_a_file_is_an_error_in_the_tree_and_at_a_commit() {
    let mut repo = repo();
    repo.write("templates", "not a folder\n");
    let run = build(&repo, &[]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates") && run.stderr.contains("not a folder"),
        "{}",
        run.stderr
    );
    repo.commit("commit a file named templates");
    let run = build(&repo, &["--rev", "HEAD"]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates at HEAD") && run.stderr.contains("not a folder"),
        "{}",
        run.stderr
    );

    // As the --templates argument, it is a usage error.
    let run = build(&repo, &["--templates", "templates"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(!repo.path().join("dist").exists());
}

#[test]
fn a_folder_where_a_template_is_expected_is_an_error() {
    let mut repo = repo();
    repo.write("templates/report.html/index.html", "<p>hi</p>\n");
    let run = build(&repo, &[]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/report.html") && run.stderr.contains("a folder"),
        "{}",
        run.stderr
    );
    repo.commit("commit a folder named like a template");
    let run = build(&repo, &["--rev", "HEAD"]);
    refused(&repo, &run);
    assert!(
        run.stderr.contains("templates/report.html at HEAD") && run.stderr.contains("a folder"),
        "{}",
        run.stderr
    );
}
