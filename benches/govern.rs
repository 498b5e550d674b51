//! Benchmarks of the `govern` binary on a generated repository of 10,000
//! assets, 300 controls, 200 teams and 2,000 findings with 1,000 commits of
//! history: check (of the working tree, and of HEAD as `check-to`), build
//! (into memory, and onto disk), drift between two commits 100 commits apart
//! (1% of the assets changed) and across the whole history (`drift-all`),
//! and history over every commit, beside `git log -p` and `git log --raw`
//! over the same range for scale; `tar x` of the built baseline onto the
//! same disk (`tar-x`), the time the disk needs to write that tree;
//! `tomllib` (Python parsing every declaration file) beside check, and
//! `sha256sum` of a release beside verify.
//!
//! `cargo bench --bench govern [-- NAME...] [-- --keep DIR]` (DIR new, or
//! one an earlier run kept: it is generated afresh); runs per case
//! from `GOVERN_BENCH_RUNS` (default 5); the repository's size from
//! `GOVERN_BENCH_SIZE` (`large`, the default, `wide` or `huge`: see
//! `generate::named`) and its commits from `GOVERN_BENCH_COMMITS` (default
//! 1,000); `GOVERN_BENCH_BIN` times another build of govern (an older one,
//! to compare) in place of this one. The cases run round by round, each
//! once a round, so the cases of a ratio meet the same machine and disk.
//! Prints the median, min and max wall time and, where `/usr/bin/time`
//! exists, the median user+system CPU time and the peak memory of the
//! median run; for the cases that write a tree, the bytes of its files;
//! then the ratio of the medians of each pair in [`RATIOS`] that ran.

#[path = "generate/mod.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The ratios of medians printed when both cases ran: each target of
/// the benchmarks, side by side in one run.
const RATIOS: [(&str, &str, &str); 5] = [
    (
        "build-disk",
        "tar-x",
        "the time tar x takes to write the same tree",
    ),
    ("drift", "check-to", "one check of the later side"),
    ("history", "git-log-p", "git log -p over the same commits"),
    (
        "check",
        "tomllib",
        "Python's tomllib parsing the same files",
    ),
    ("verify", "sha256sum", "sha256sum of the same release"),
];

/// The file, in the generated repository's `.git`, that tells a later run
/// with the same `--keep DIR` that the folder is its own to replace.
const MARKER: &str = "govern-bench";

/// Commits of generated history, unless `GOVERN_BENCH_COMMITS` says.
const COMMITS: usize = 1_000;

#[derive(Clone)]
struct Case {
    name: &'static str,
    program: String,
    args: Vec<String>,
    /// A folder removed before each run, outside the timing: builds write
    /// a fresh output, as a CI job does.
    fresh: Option<PathBuf>,
}

/// What one run of a case measured.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// Peak resident memory, KiB.
    rss: Option<u64>,
    /// User and system CPU time, seconds.
    cpu: Option<(f64, f64)>,
}

/// The bytes of the files below `dir`, and how many files there are.
fn tree_size(dir: &Path) -> (u64, u64) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

fn govern(root: &Path, args: &[&str]) -> Case {
    let mut all = vec![
        "--repo".to_string(),
        root.display().to_string(),
        "--today".into(),
        "2026-11-23".into(),
        "--color".into(),
        "never".into(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    Case {
        name: "",
        program: std::env::var("GOVERN_BENCH_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_govern").into()),
        args: all,
        fresh: None,
    }
}

/// Releases the generated repository, signed by a new key declared as a
/// `[[signer]]` in a clone (so the history the other cases walk is
/// untouched); returns the release folder and its allowed_signers file.
fn signed_release(root: &Path) -> (PathBuf, PathBuf) {
    let clone = root.join("release-repo");
    let run = |program: &str, args: &[&str], dir: &Path| {
        let out = Command::new(program)
            .args(args)
            .current_dir(dir)
            .env("GOVERN_TODAY", "2026-11-23")
            .output()
            .expect("the setup command runs");
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let govern = env!("CARGO_BIN_EXE_govern");
    let _ = std::fs::remove_dir_all(&clone);
    run(
        "git",
        &[
            "clone",
            "-q",
            &root.display().to_string(),
            &clone.display().to_string(),
        ],
        root,
    );
    let key = clone.join("release-key");
    run(
        govern,
        &["keygen", "--out", &key.display().to_string()],
        &clone,
    );
    let public = std::fs::read_to_string(clone.join("release-key.pub")).expect("public key");
    let settings = clone.join("governance/governance.toml");
    let mut text = std::fs::read_to_string(&settings).expect("governance.toml");
    let team = first_team(&clone);
    text.push_str(&format!(
        "\n[[signer]]\nid = \"bench\"\nteam = \"{team}\"\npublic-key = \"{}\"\n",
        public.trim()
    ));
    std::fs::write(&settings, text).expect("write governance.toml");
    let git_id = [
        "-c",
        "user.name=Bench",
        "-c",
        "user.email=bench@example.invalid",
    ];
    run(
        "git",
        &[&git_id[..], &["commit", "-qam", "Declare a release signer"]].concat(),
        &clone,
    );
    let release = root.join("release");
    let _ = std::fs::remove_dir_all(&release);
    let out = release.display().to_string();
    run(
        govern,
        &[
            "release",
            "--key",
            &key.display().to_string(),
            "--out",
            &out,
        ],
        &clone,
    );
    let allowed = root.join("allowed_signers");
    run(
        govern,
        &["signers", "--out", &allowed.display().to_string()],
        &clone,
    );
    (release, allowed)
}

/// The id of the first team the generated repository declares.
fn first_team(root: &Path) -> String {
    let teams = std::fs::read_dir(root.join("governance/teams"))
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .unwrap_or_default();
    teams
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or("governance")
        .to_string()
}

/// Runs `case` once.
fn once(case: &Case, root: &Path) -> Sample {
    if let Some(dir) = &case.fresh {
        let _ = std::fs::remove_dir_all(dir);
    }
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M %U %S", &case.program]);
        c
    } else {
        Command::new(&case.program)
    };
    cmd.args(&case.args)
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().expect("the benchmark command runs");
    let elapsed = start.elapsed();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0) | Some(1)),
        "{} {:?} failed: {:?}\n{}",
        case.program,
        case.args,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last: Vec<&str> = match time.exists() {
        true => stderr
            .lines()
            .last()
            .unwrap_or("")
            .split_whitespace()
            .collect(),
        false => Vec::new(),
    };
    let field = |i: usize| last.get(i).and_then(|f| f.parse::<f64>().ok());
    Sample {
        wall: elapsed,
        rss: field(0).map(|k| k as u64),
        cpu: field(1).zip(field(2)),
    }
}

/// Tars the baseline in `out` into `archive`, building it first when
/// `out` does not hold one: the input of the `tar-x` case, made outside
/// its timing.
fn tar_of_build(build: &Case, out: &Path, archive: &Path, root: &Path) {
    if !out.join("MANIFEST.json").is_file() {
        once(build, root);
    }
    let status = Command::new("tar")
        .args(["cf", &archive.display().to_string(), "-C"])
        .arg(out)
        .arg(".")
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar cf {}", archive.display());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let only: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--keep"))
        .map(|(_, a)| a)
        .collect();
    let runs: usize = match std::env::var("GOVERN_BENCH_RUNS") {
        Ok(r) => r.parse().ok().filter(|&n| n > 0).unwrap_or_else(|| {
            panic!("GOVERN_BENCH_RUNS is `{r}`; use a whole number of runs, 1 or more")
        }),
        Err(_) => 5,
    };
    let root = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("govern-bench-{}", std::process::id()))
    });
    // The folder is generated afresh: one that holds anything but an
    // earlier run's repository is left alone.
    let marker = root.join(".git").join(MARKER);
    let occupied = std::fs::read_dir(&root).is_ok_and(|mut d| d.next().is_some());
    if occupied && !marker.is_file() {
        panic!(
            "{} holds files this benchmark did not make; name a new folder or one an earlier run kept",
            root.display()
        );
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("bench folder");
    let size = match std::env::var("GOVERN_BENCH_SIZE") {
        Ok(name) => generate::named(&name)
            .unwrap_or_else(|| panic!("GOVERN_BENCH_SIZE is `{name}`; use large, wide or huge")),
        Err(_) => generate::LARGE,
    };
    let commits: usize = std::env::var("GOVERN_BENCH_COMMITS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|c| *c > 1)
        .unwrap_or(COMMITS);
    let start = Instant::now();
    generate::generate(&root, &size).expect("generate the repository");
    generate::history(&root, &size, commits).expect("generate history");
    std::fs::write(&marker, "").expect("mark the generated repository");
    eprintln!(
        "generated {} assets, {} controls, {} teams, {} findings, {commits} commits in {:.1?} at {}",
        size.assets,
        size.controls,
        size.teams,
        size.findings,
        start.elapsed(),
        root.display()
    );
    // Builds go to memory (tmpfs) where there is one, so the figure is
    // govern's own work; `build-disk` writes below the repository instead.
    let shm = Path::new("/dev/shm");
    let out_mem = if shm.is_dir() {
        shm.join(format!("govern-bench-{}-out", std::process::id()))
    } else {
        root.join("out-mem")
    };
    let out_disk = root.join("out");
    let first = format!("HEAD~{}", commits - 1);
    // Each commit changes one operator in one assets file, and 100
    // commits in a row touch 100 different files: this range changes 1% of
    // 10,000 assets.
    let recent = format!("HEAD~{}", (commits - 1).min(100));
    let mut cases = vec![
        Case {
            name: "check",
            ..govern(&root, &["check", "--format", "json"])
        },
        Case {
            name: "build",
            fresh: Some(out_mem.clone()),
            ..govern(&root, &["build", "--out", &out_mem.display().to_string()])
        },
        Case {
            name: "build-disk",
            fresh: Some(out_disk.clone()),
            ..govern(&root, &["build", "--out", &out_disk.display().to_string()])
        },
        Case {
            name: "check-to",
            ..govern(&root, &["check", "--rev", "HEAD", "--format", "json"])
        },
        Case {
            name: "drift",
            ..govern(
                &root,
                &[
                    "drift", "--from", &recent, "--to", "HEAD", "--format", "json",
                ],
            )
        },
        Case {
            name: "drift-all",
            ..govern(
                &root,
                &[
                    "drift", "--from", &first, "--to", "HEAD", "--format", "json",
                ],
            )
        },
        Case {
            name: "history",
            ..govern(&root, &["history", "--format", "json"])
        },
        Case {
            name: "git-log-p",
            program: "git".into(),
            args: ["log", "-p", "--first-parent", "--format=%H", "HEAD"]
                .map(String::from)
                .to_vec(),
            fresh: None,
        },
        Case {
            name: "git-log-raw",
            program: "git".into(),
            args: ["log", "--first-parent", "--raw", "--format=%H", "HEAD"]
                .map(String::from)
                .to_vec(),
            fresh: None,
        },
    ];
    // What merely parsing the same files costs Python: check should stay
    // well under it (0.3x at 100,000 assets).
    cases.push(Case {
        name: "tomllib",
        program: "python3".into(),
        args: vec![
            "-c".into(),
            "import os, sys, tomllib\nfor d, _, fs in os.walk(sys.argv[1]):\n    for f in fs:\n        if f.endswith('.toml'):\n            tomllib.load(open(os.path.join(d, f), 'rb'))".into(),
            root.join("governance").display().to_string(),
        ],
        fresh: None,
    });
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o.as_str() == name);
    let archive = root.join("out.tar");
    let untarred = root.join("untarred");
    if wanted("tar-x") {
        cases.push(Case {
            name: "tar-x",
            program: "sh".into(),
            args: vec![
                "-c".into(),
                format!(
                    "mkdir '{0}' && exec tar xf '{1}' -C '{0}'",
                    untarred.display(),
                    archive.display()
                ),
            ],
            fresh: Some(untarred.clone()),
        });
    }
    if wanted("verify") || wanted("sha256sum") {
        let (release, allowed) = signed_release(&root);
        cases.push(Case {
            name: "verify",
            ..govern(
                &root,
                &[
                    "verify",
                    &release.display().to_string(),
                    "--signers",
                    &allowed.display().to_string(),
                ],
            )
        });
        cases.push(Case {
            name: "sha256sum",
            program: "sh".into(),
            args: vec![
                "-c".into(),
                format!(
                    "cd '{}' && find . -type f -print0 | xargs -0 sha256sum > /dev/null",
                    release.display()
                ),
            ],
            fresh: None,
        });
    }
    cases.retain(|c| only.is_empty() || only.iter().any(|o| o.as_str() == c.name));
    if cases.iter().any(|c| c.name == "tar-x") {
        let build = cases
            .iter()
            .find(|c| c.name == "build-disk")
            .cloned()
            .unwrap_or_else(|| Case {
                name: "build-disk",
                fresh: Some(out_disk.clone()),
                ..govern(&root, &["build", "--out", &out_disk.display().to_string()])
            });
        tar_of_build(&build, &out_disk, &archive, &root);
    }
    // Round by round, each case once a round, so that cases compared as a
    // ratio meet the same state of the machine and of the disk.
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); cases.len()];
    for _ in 0..runs {
        for (case, samples) in cases.iter().zip(&mut samples) {
            samples.push(once(case, &root));
        }
    }
    let mut medians: Vec<(&str, Duration)> = Vec::new();
    for (case, mut samples) in cases.iter().zip(samples) {
        samples.sort_by_key(|s| s.wall);
        let median = samples[samples.len() / 2];
        let memory = median
            .rss
            .map(|kib| format!(", peak {:.0} MiB", kib as f64 / 1024.0))
            .unwrap_or_default();
        let mut cpus: Vec<f64> = samples
            .iter()
            .filter_map(|s| s.cpu.map(|(u, s)| u + s))
            .collect();
        cpus.sort_by(f64::total_cmp);
        let cpu = match (cpus.get(cpus.len() / 2), median.cpu) {
            (Some(total), Some((user, sys))) => {
                format!(", user+sys {total:.2} s (median run: user {user:.2}, sys {sys:.2})")
            }
            _ => String::new(),
        };
        let written = match case.fresh.as_deref() {
            Some(dir) if case.name != "build" => {
                let (bytes, files) = tree_size(dir);
                format!(", wrote {bytes} bytes in {files} files")
            }
            _ => String::new(),
        };
        println!(
            "{:<12} median {:>8.1} ms  (min {:.1}, max {:.1}, {runs} runs){memory}{cpu}{written}",
            case.name,
            median.wall.as_secs_f64() * 1e3,
            samples[0].wall.as_secs_f64() * 1e3,
            samples[samples.len() - 1].wall.as_secs_f64() * 1e3,
        );
        medians.push((case.name, median.wall));
    }
    let _ = std::fs::remove_dir_all(&untarred);
    let _ = std::fs::remove_file(&archive);
    let median_of = |name| medians.iter().find(|(n, _)| *n == name).map(|m| m.1);
    for (case, against, what) in RATIOS {
        if let (Some(case_median), Some(against_median)) = (median_of(case), median_of(against)) {
            println!(
                "{case} / {against}: {:.2}x {what}",
                case_median.as_secs_f64() / against_median.as_secs_f64()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out_mem);
    // A baseline at scale is gigabytes: it goes even from a kept folder.
    let _ = std::fs::remove_dir_all(&out_disk);
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}
