//! Benchmarks of hostile input shapes, each of which once took time
//! quadratic in its size: a chain of 100,000 team parents and a loop of
//! 100,000 teams, the same for the requirements of one catalog (check and
//! build of each), and `drift --artifacts` after 1,000 and 4,000 assets are
//! added to the 10,000-asset repository of `benches/govern.rs`.
//!
//! `cargo bench --bench shapes [-- NAME...]`; runs per case from
//! `GOVERN_BENCH_RUNS` (default 3), shapes' length from
//! `GOVERN_BENCH_SHAPE` (default 100,000). Prints the median, min and max
//! wall time of each case.

#[path = "generate/mod.rs"]
#[allow(dead_code)]
mod generate;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("files sit in folders")).expect("mkdir");
    std::fs::write(path, text).expect("write a generated file");
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@bench.example",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .stdout(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn settings(root: &Path, frameworks: &str) {
    write(
        root,
        "governance/governance.toml",
        &format!("[organization]\nname = \"Hostile\"\n\n[policy]\n{frameworks}"),
    );
}

/// `n` teams, each the parent of the next, 50 to a file; with `cycle` the
/// first has the last as its parent.
fn teams(root: &Path, n: usize, cycle: bool) {
    settings(root, "");
    for chunk in 0..n.div_ceil(50) {
        let mut s = String::new();
        for t in chunk * 50..((chunk + 1) * 50).min(n) {
            let _ = writeln!(s, "[[team]]\nid = \"t{t:06}\"");
            let parent = match t {
                0 if cycle => Some(n - 1),
                0 => None,
                _ => Some(t - 1),
            };
            if let Some(p) = parent {
                let _ = writeln!(s, "parent = \"t{p:06}\"");
            }
            s.push('\n');
        }
        write(root, &format!("governance/teams/teams-{chunk:05}.toml"), &s);
    }
    write(
        root,
        "governance/assets/a.toml",
        &format!(
            "[[asset]]\nid = \"a1\"\nkind = \"model\"\nowners.accountable = \"t{:06}\"\n",
            n - 1
        ),
    );
}

/// One catalog of `n` requirements, each the parent of the next, written
/// compactly so that 100,000 fit in one 4 MiB file; with `cycle` the
/// first has the last as its parent. One control maps to the top and one
/// to the middle.
fn requirements(root: &Path, n: usize, cycle: bool) {
    settings(root, "frameworks = [\"hostile\"]\n");
    let mut s = String::from("requirement = [\n");
    for r in 0..n {
        match r {
            0 if cycle => {
                let _ = writeln!(s, "{{id=\"r0\",parent=\"r{}\"}},", n - 1);
            }
            0 => s.push_str("{id=\"r0\"},\n"),
            _ => {
                let _ = writeln!(s, "{{id=\"r{r}\",parent=\"r{}\"}},", r - 1);
            }
        }
    }
    s.push_str("]\n\n[framework]\nid = \"hostile\"\n");
    write(root, "governance/frameworks/hostile.toml", &s);
    write(
        root,
        "governance/teams/t.toml",
        "[[team]]\nid = \"t\"\nhandle = \"@t\"\n",
    );
    write(
        root,
        "governance/controls/c.toml",
        &format!(
            "[[control]]\nid = \"C1\"\ntitle = \"c\"\nowner = \"t\"\nmaps-to = [\"hostile:r0\", \"hostile:r{}\"]\n",
            n / 2
        ),
    );
    write(
        root,
        "governance/assets/a.toml",
        "[[asset]]\nid = \"a1\"\nkind = \"model\"\nowners.accountable = \"t\"\n",
    );
}

/// The 10,000-asset repository, committed, then `added` more assets in
/// new files, committed on top.
fn grown(root: &Path, added: usize) {
    let size = generate::LARGE;
    generate::generate(root, &size).expect("generate the repository");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(
        root,
        &["commit", "-qm", "Generate the governance repository"],
    );
    let more = generate::Size {
        assets: size.assets + added,
        ..size
    };
    for f in size.assets / 50..more.assets.div_ceil(50) {
        write(
            root,
            &format!("governance/assets/area-{f:03}.toml"),
            &generate::assets_file(&more, f, 0),
        );
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "Add assets"]);
}

struct Case {
    name: String,
    root: PathBuf,
    args: Vec<String>,
}

fn case(name: &str, root: &Path, args: &[&str]) -> Case {
    let mut all: Vec<String> = ["--repo", &root.display().to_string()]
        .iter()
        .chain(&["--today", "2026-11-23", "--color", "never"])
        .map(|s| s.to_string())
        .collect();
    all.extend(args.iter().map(|a| a.to_string()));
    Case {
        name: name.to_string(),
        root: root.to_path_buf(),
        args: all,
    }
}

fn once(case: &Case) -> Duration {
    let out = case.root.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_govern"))
        .args(&case.args)
        .current_dir(&case.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("govern runs");
    let elapsed = start.elapsed();
    assert!(
        matches!(status.code(), Some(0) | Some(1)),
        "govern {:?} failed: {status}",
        case.args
    );
    elapsed
}

fn main() {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.starts_with(o.as_str()));
    let runs: usize = std::env::var("GOVERN_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let n: usize = std::env::var("GOVERN_BENCH_SHAPE")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|n| *n > 1)
        .unwrap_or(100_000);
    let base = std::env::temp_dir().join(format!("govern-shapes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let mut cases = Vec::new();
    type Make = fn(&Path, usize, bool);
    let shapes: [(&str, Make, bool); 4] = [
        ("team-chain", teams, false),
        ("team-cycle", teams, true),
        ("requirement-chain", requirements, false),
        ("requirement-cycle", requirements, true),
    ];
    for (name, make, cycle) in shapes {
        if !wanted(name) {
            continue;
        }
        let root = base.join(name);
        make(&root, n, cycle);
        cases.push(case(&format!("{name}-check"), &root, &["check"]));
        cases.push(case(
            &format!("{name}-build"),
            &root,
            &["build", "--out", "out"],
        ));
    }
    for added in [1_000, 4_000] {
        let name = format!("artifacts-{added}");
        if !wanted(&name) {
            continue;
        }
        let root = base.join(&name);
        grown(&root, added);
        cases.push(case(
            &name,
            &root,
            &["drift", "--from", "HEAD~1", "--to", "HEAD", "--artifacts"],
        ));
    }
    for case in &cases {
        let mut samples: Vec<Duration> = (0..runs).map(|_| once(case)).collect();
        samples.sort();
        println!(
            "{:<24} median {:>8.1} ms  (min {:.1}, max {:.1}, {runs} runs)",
            case.name,
            samples[samples.len() / 2].as_secs_f64() * 1e3,
            samples[0].as_secs_f64() * 1e3,
            samples[samples.len() - 1].as_secs_f64() * 1e3,
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}
