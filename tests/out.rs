//! What `govern build --out` accepts, on real files: an absent path or a
//! real directory that is empty or holds a previous baseline. Anything else
//! (a file, a link, a named pipe, a socket, a device, a folder of foreign
//! files) is refused with exit 2 and left exactly as it was. Staging folders
//! of builds that died are removed by the next build into the same place,
//! and an interrupted build removes its own.
#![cfg(unix)]

mod common;

#[allow(dead_code)]
#[path = "../benches/generate/mod.rs"]
mod generate;

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The repository root, whose bundled example builds in a moment.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `govern --repo REPO build --out OUT`.
fn build(repo: &Path, out: &Path) -> common::Run {
    common::govern_in(
        Path::new(ROOT),
        &[
            "--repo",
            repo.to_str().unwrap(),
            "build",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

/// What a path is, as far as a user would notice a change: its type and
/// inode, a link's target, a file's bytes, and a folder's entries, all
/// without following links.
#[derive(Debug, PartialEq)]
struct Seen {
    kind: String,
    ino: u64,
    target: Option<PathBuf>,
    bytes: Option<Vec<u8>>,
    entries: Vec<(String, Seen)>,
}

fn seen(path: &Path) -> Seen {
    let meta = std::fs::symlink_metadata(path).unwrap();
    let t = meta.file_type();
    let kind = if t.is_symlink() {
        "link"
    } else if t.is_dir() {
        "dir"
    } else if t.is_file() {
        "file"
    } else if t.is_fifo() {
        "fifo"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() {
        "char"
    } else {
        "other"
    };
    let mut entries = Vec::new();
    if t.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            entries.push((name, seen(&entry.path())));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Seen {
        kind: kind.into(),
        ino: meta.ino(),
        target: t.is_symlink().then(|| std::fs::read_link(path).unwrap()),
        bytes: t.is_file().then(|| std::fs::read(path).unwrap()),
        entries,
    }
}

/// The names in `dir` that look like staging folders.
fn staging_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".govern-"))
        .collect();
    names.sort();
    names
}

/// Builds into `out`, which must be refused with exit 2 and a message
/// naming `says`, leaving `out`, and everything `also` names, as it was.
fn refused(out: &Path, says: &str, also: &[&Path]) {
    let before: Vec<Seen> = std::iter::once(out)
        .chain(also.iter().copied())
        .map(seen)
        .collect();
    let run = build(Path::new(ROOT), out);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains(says), "{}", run.stderr);
    let after: Vec<Seen> = std::iter::once(out)
        .chain(also.iter().copied())
        .map(seen)
        .collect();
    assert_eq!(before, after, "the refused output changed");
    assert_eq!(staging_in(out.parent().unwrap()), Vec::<String>::new());
}

#[test]
fn a_link_to_a_folder_is_refused_and_its_target_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real");
    common::build(Path::new(ROOT), &target, &[]);
    let link = dir.path().join("dist");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    refused(&link, "is a symbolic link", &[&target]);
}

#[test]
fn a_link_to_a_file_or_to_nothing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let link = dir.path().join("dist");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    refused(&link, "is a symbolic link", &[&file]);
    let dangling = dir.path().join("gone");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    refused(&dangling, "is a symbolic link", &[]);
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn a_named_pipe_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("dist");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    refused(&fifo, "is a named pipe", &[]);
}

#[test]
fn a_socket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("dist");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    refused(&socket, "is a socket", &[]);
}

#[test]
fn a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dist");
    std::fs::write(&file, "precious").unwrap();
    refused(&file, "is a file", &[]);
}

#[test]
fn a_folder_with_a_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    common::build(Path::new(ROOT), &out, &[]);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    refused(&out, "notes.txt", &[]);
}

#[test]
fn a_link_inside_a_previous_baseline_is_refused_and_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    common::build(Path::new(ROOT), &out, &[]);
    let outside = dir.path().join("outside.md");
    std::fs::write(&outside, "not govern's").unwrap();
    let listed = out.join("raci/teams.md");
    std::fs::remove_file(&listed).unwrap();
    std::os::unix::fs::symlink(&outside, &listed).unwrap();
    refused(&out, "raci/teams.md, a symbolic link", &[&outside]);
}

#[test]
fn a_pipe_inside_a_previous_baseline_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    common::build(Path::new(ROOT), &out, &[]);
    let made = Command::new("mkfifo")
        .arg(out.join("MANIFEST.json.sig"))
        .status()
        .unwrap();
    assert!(made.success());
    refused(&out, "MANIFEST.json.sig, a named pipe", &[]);
}

#[test]
fn a_character_device_is_refused_and_stays_one() {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    if std::fs::metadata(&probe).unwrap().uid() != 0 {
        eprintln!("note: not root, so no character device can be made; skipped");
        return;
    }
    let device = dir.path().join("null");
    let made = Command::new("mknod")
        .args([device.to_str().unwrap(), "c", "1", "3"])
        .status()
        .unwrap();
    assert!(made.success(), "mknod as root");
    refused(&device, "is a character device", &[]);
    assert!(std::fs::symlink_metadata(&device)
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn a_parent_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "precious").unwrap();
    let before = seen(&file);
    let run = build(Path::new(ROOT), &file.join("deeper/dist"));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);
    assert_eq!(seen(&file), before);
}

/// The id of a process that has ended and been reaped.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    assert!(!Path::new(&format!("/proc/{pid}")).exists());
    pid
}

/// Makes a staging-like folder with a file in it.
fn stale(parent: &Path, name: &str) -> PathBuf {
    let path = parent.join(name);
    std::fs::create_dir_all(path.join("raci")).unwrap();
    std::fs::write(path.join("raci/half.md"), "half").unwrap();
    path
}

#[test]
fn staging_folders_of_dead_builds_are_removed_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let pid = dead_pid();
    stale(dir.path(), &format!(".dist.govern-new-{pid}"));
    stale(dir.path(), &format!(".dist.govern-old-{pid}"));
    let keep = [
        stale(dir.path(), &format!(".other.govern-new-{pid}")),
        stale(dir.path(), &format!(".dist.govern-new-{pid}x")),
        stale(dir.path(), &format!(".dist.govern-new-0{pid}")),
        stale(dir.path(), ".dist.keep"),
    ];
    let target = stale(dir.path(), "target");
    let link = dir.path().join(format!(".dist.govern-old-{}", pid + 1));
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let before: Vec<Seen> = keep
        .iter()
        .chain([&target, &link])
        .map(|p| seen(p))
        .collect();

    let run = build(Path::new(ROOT), &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!dir.path().join(format!(".dist.govern-new-{pid}")).exists());
    assert!(!dir.path().join(format!(".dist.govern-old-{pid}")).exists());
    let after: Vec<Seen> = keep
        .iter()
        .chain([&target, &link])
        .map(|p| seen(p))
        .collect();
    assert_eq!(before, after, "only this output's dead staging folders go");
    assert!(out.join("MANIFEST.json").is_file());
}

#[test]
fn a_staging_folder_that_is_locked_or_whose_process_runs_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let locked = stale(dir.path(), &format!(".dist.govern-new-{}", dead_pid()));
    let held = std::fs::File::open(&locked).unwrap();
    held.lock().unwrap();
    let mut sleeper: Child = Command::new("sleep").arg("600").spawn().unwrap();
    let running = stale(dir.path(), &format!(".dist.govern-new-{}", sleeper.id()));

    let run = build(Path::new(ROOT), &out);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        locked.join("raci/half.md").is_file(),
        "a locked folder is in use"
    );
    assert!(running.join("raci/half.md").is_file(), "its process runs");
    drop(held);
}

/// Starts a build of a generated repository large enough to be caught
/// while it writes, and waits until its staging folder is there. `None`
/// when the build ended first.
fn build_in_flight(repo: &Path, out: &Path) -> (Child, Option<PathBuf>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govern"))
        .args(["--today", "2026-11-23", "--color", "never", "--repo"])
        .arg(repo)
        .arg("build")
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = out
        .parent()
        .unwrap()
        .join(format!(".dist.govern-new-{}", child.id()));
    loop {
        if staging.join("raci").is_dir() {
            return (child, Some(staging));
        }
        if child.try_wait().unwrap().is_some() {
            return (child, None);
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// A generated repository of 2,500 assets: a debug build of it spends
/// seconds writing, where a signal is sure to find it.
fn large_repo() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let size = generate::Size {
        teams: 200,
        assets: 2_500,
        controls: 300,
        findings: 500,
        exceptions: 125,
    };
    generate::generate(repo.path(), &size).unwrap();
    repo
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn sigterm_removes_the_staging_folder_and_keeps_the_old_baseline() {
    let repo = large_repo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    common::build(Path::new(ROOT), &out, &[]);
    let before = seen(&out);
    let (mut child, staging) = build_in_flight(repo.path(), &out);
    let staging = staging.expect("the build was caught while writing");
    signal(&child, "TERM");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "{status}");
    assert!(!staging.exists());
    assert_eq!(staging_in(dir.path()), Vec::<String>::new());
    assert_eq!(seen(&out), before, "the previous baseline is kept");
}

#[test]
fn a_killed_build_leaves_a_staging_folder_that_the_next_build_removes() {
    let repo = large_repo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let (mut child, staging) = build_in_flight(repo.path(), &out);
    let staging = staging.expect("the build was caught while writing");
    signal(&child, "KILL");
    child.wait().unwrap();
    assert!(staging.is_dir(), "SIGKILL cannot be caught");

    let run = build(Path::new(ROOT), &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!staging.exists());
    assert_eq!(staging_in(dir.path()), Vec::<String>::new());
}
