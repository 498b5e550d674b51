//! `govern build` end to end: a deterministic baseline, nothing written on
//! errors, outputs never clobbered, templates overridden by name.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn govern(repo: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govern"))
        .arg("--repo")
        .arg(repo)
        .args(["--today", "2026-11-23", "--color", "never"])
        .args(args)
        .output()
        .expect("govern runs")
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `root`, relative path and bytes, sorted.
fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn building_twice_gives_byte_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let run = govern(&example(), &["build", "--out", out.to_str().unwrap()]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(
        ta.len() > 40,
        "the example baseline has every output: {}",
        ta.len()
    );
    assert_eq!(ta, tb);
}

#[test]
fn the_baseline_has_every_documented_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    let run = govern(&example(), &["build", "--out", out.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for file in [
        "model.json",
        "findings.json",
        "findings.sarif",
        "mapping/summary.md",
        "mapping/nist-csf-2.0.md",
        "mapping/nist-csf-2.0.csv",
        "mapping/nist-csf-2.0.json",
        "raci/billing-agent.md",
        "raci/matrix.csv",
        "raci/teams.md",
        "CODEOWNERS",
        "report.html",
        "oscal/component-definition.json",
        "MANIFEST.json",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    let matrix = std::fs::read_to_string(out.join("raci/matrix.csv")).unwrap();
    assert!(matrix.starts_with("asset,activity,team,role,letter\n"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("MANIFEST.json")).unwrap()).unwrap();
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let on_disk: Vec<String> = tree(&out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p != "MANIFEST.json")
        .collect();
    assert_eq!(listed, on_disk, "the manifest lists every file, sorted");
    // findings.json holds what check reports, in check's JSON shape.
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("findings.json")).unwrap()).unwrap();
    let check = govern(&example(), &["check", "--format", "json"]);
    let reported: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(findings, reported);
    assert!(
        !findings.as_array().unwrap().is_empty(),
        "the example has warnings"
    );
}

#[test]
fn errors_stop_the_build_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let gov = tmp.path().join("governance");
    std::fs::create_dir_all(&gov).unwrap();
    std::fs::write(
        gov.join("assets.toml"),
        "[[asset]]\nid = \"a\"\nkind = \"agent\"\n[asset.owners]\naccountable = \"nobody\"\n",
    )
    .unwrap();
    let out = tmp.path().join("dist");
    let run = govern(tmp.path(), &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists(), "nothing written");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("unknown-reference"), "{stderr}");
}

#[test]
fn an_output_that_is_a_file_or_holds_foreign_files_is_never_clobbered() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("dist-file");
    std::fs::write(&file, "keep me").unwrap();
    let run = govern(&example(), &["build", "--out", file.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");

    let dir = tmp.path().join("dist");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("thesis.docx"), "years of work").unwrap();
    let run = govern(&example(), &["build", "--out", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("thesis.docx"));
    assert_eq!(
        std::fs::read_to_string(dir.join("thesis.docx")).unwrap(),
        "years of work"
    );
}

#[test]
fn a_repository_template_replaces_the_builtin_and_a_broken_one_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("CODEOWNERS"),
        "{% for e in entries %}{{ e.path }} @everyone\n{% endfor %}",
    )
    .unwrap();
    let out = tmp.path().join("dist");
    let args = [
        "build",
        "--out",
        out.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ];
    let run = govern(&example(), &args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let owners = std::fs::read_to_string(out.join("CODEOWNERS")).unwrap();
    assert!(
        owners.contains("/governance/assets/payments.toml @everyone"),
        "{owners}"
    );

    std::fs::write(templates.join("summary.md"), "# ok\n{% if %}\n").unwrap();
    let run = govern(&example(), &args);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("summary.md") && stderr.contains("line 2"),
        "{stderr}"
    );
    let kept = std::fs::read_to_string(out.join("CODEOWNERS")).unwrap();
    assert_eq!(kept, owners, "the previous baseline is untouched");

    // A template that fails while rendering, after other outputs are
    // already staged: nothing of the new baseline is left anywhere.
    std::fs::remove_file(templates.join("summary.md")).unwrap();
    std::fs::write(
        templates.join("raci-asset.md"),
        "# {{ asset.id }}\n\n{% for x in 42 %}{{ x }}{% endfor %}\n",
    )
    .unwrap();
    let run = govern(&example(), &args);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("raci-asset.md") && stderr.contains("line 3"),
        "{stderr}"
    );
    let kept = std::fs::read_to_string(out.join("CODEOWNERS")).unwrap();
    assert_eq!(kept, owners, "the previous baseline is untouched");
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.starts_with('.')).count(),
        0,
        "no staging folder is left: {names:?}"
    );
}

#[test]
fn the_summary_lists_the_first_findings_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let gov = tmp.path().join("governance");
    std::fs::create_dir_all(&gov).unwrap();
    let mut text = String::from("[[team]]\nid = \"t\"\n");
    for i in 0..25 {
        text.push_str(&format!(
            "[[control]]\nid = \"C-{i:02}\"\ntitle = \"Unmapped\"\nowner = \"t\"\n"
        ));
    }
    std::fs::write(gov.join("controls.toml"), text).unwrap();
    let out = tmp.path().join("dist");
    let run = govern(tmp.path(), &["build", "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let listed = stderr.matches("note[unmapped-control]").count();
    assert_eq!(listed, 20, "{stderr}");
    let more = format!(
        "... and 5 more not shown here: {} holds them all",
        out.join("findings.json").display()
    );
    assert!(stderr.contains(&more), "{stderr}");
    assert!(stderr.contains("25 infos"), "{stderr}");
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("findings.json")).unwrap()).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 25);

    let run = govern(tmp.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.matches("note[unmapped-control]").count(), 25);
    assert!(!stderr.contains("not shown"), "{stderr}");
}
