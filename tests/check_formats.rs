//! The CI formats of `govern check` say what `--format json` says: each
//! workflow command of `--format github`, unescaped as GitHub's runner does,
//! gives back a diagnostic's file, position, code and message; each row of
//! `--format markdown` sits under its file; `--summary` counts the array.
//! They run on the example organisation and on a folder whose paths and
//! messages hold spaces, `%`, `,`, `|`, line breaks and carriage returns.

use serde_json::Value;
use std::process::Command;

const DIRS: [&str; 2] = ["governance", "tests/cmd/check-ci.governance"];

fn check(dir: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_govern"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--today", "2026-11-23", "--dir", dir, "check"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

fn diagnostics(dir: &str) -> Vec<Value> {
    let (_, text) = check(dir, &["--format", "json"]);
    let value: Value = serde_json::from_str(&text).unwrap();
    value.as_array().unwrap().clone()
}

/// Undoes the escapes of a workflow command, as `@actions/core` writes them
/// and the runner reads them.
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn each_workflow_command_is_one_diagnostic_in_full() {
    for dir in DIRS {
        let expected = diagnostics(dir);
        let (code, text) = check(dir, &["--format", "github"]);
        let (json_code, _) = check(dir, &["--format", "json"]);
        assert_eq!(code, json_code, "{dir}: the same exit code");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{dir}: one line each\n{text}");
        assert!(!text.contains('\r'), "{dir}");
        for (line, d) in lines.iter().zip(&expected) {
            let kind = match d["severity"].as_str().unwrap() {
                "error" => "error",
                "warning" => "warning",
                _ => "notice",
            };
            let rest = line
                .strip_prefix(&format!("::{kind} "))
                .unwrap_or_else(|| panic!("{dir}: {line}"));
            let (props, message) = rest.split_once("::").expect("a message");
            let props: Vec<(&str, String)> = props
                .split(',')
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("key=value");
                    (k, unescape(v))
                })
                .collect();
            let number = |key: &str| d[key].as_u64().unwrap().to_string();
            assert_eq!(
                props,
                [
                    ("file", d["file"].as_str().unwrap().to_string()),
                    ("line", number("line")),
                    ("col", number("column")),
                    ("endLine", number("end_line")),
                    ("endColumn", number("end_column")),
                    ("title", d["code"].as_str().unwrap().to_string()),
                ],
                "{dir}: {line}"
            );
            let message = unescape(message);
            assert!(
                message.starts_with(d["message"].as_str().unwrap()),
                "{dir}: {message}"
            );
            if let Some(help) = d["help"].as_str() {
                assert!(message.ends_with(&format!("\nhelp: {help}")), "{message}");
            }
            for label in d["labels"].as_array().unwrap() {
                let at = format!(
                    "\n{}:{}:{}: {}",
                    label["file"].as_str().unwrap(),
                    label["line"],
                    label["column"],
                    label["message"].as_str().unwrap()
                );
                assert!(message.contains(&at), "{message}");
            }
        }
    }
}

#[test]
fn the_escapes_reach_the_output() {
    let (_, text) = check(DIRS[1], &["--format", "github"]);
    assert!(
        text.contains("::error file=tests/cmd/check-ci.governance/teams and people/owners.toml,line=11,col=1,endLine=11,endColumn=16,title=unknown-field::unknown field `100%25 | done%0D` in [[team]]%0Ahelp: "),
        "{text}"
    );
    assert!(
        text.contains("file=tests/cmd/check-ci.governance/50%25 rollout%2C v2/assets.toml,"),
        "{text}"
    );
    let (_, text) = check(DIRS[1], &["--format", "markdown"]);
    assert!(
        text.contains("\n| 11:1 | **error** | `unknown-field` | unknown field `100% \\| done ` in [[team]]<br>help: "),
        "{text}"
    );
    assert!(
        text.contains(
            "\n| 10:1 | **error** | `unknown-field` | unknown field `line break` in [[team]]<br>"
        ),
        "{text}"
    );
}

#[test]
fn markdown_lists_every_diagnostic_under_its_file_and_counts_by_code() {
    for dir in DIRS {
        let expected = diagnostics(dir);
        let (_, text) = check(dir, &["--format", "markdown"]);
        let (_, summary) = check(dir, &["--format", "json", "--summary"]);
        let summary: Value = serde_json::from_str(&summary).unwrap();
        for (code, n) in summary["by_code"].as_object().unwrap() {
            let row = text
                .lines()
                .find(|l| l.starts_with(&format!("| `{code}` | ")))
                .unwrap_or_else(|| panic!("{dir}: no count for {code}\n{text}"));
            assert!(row.ends_with(&format!(" | {n} |")), "{dir}: {row}");
        }
        // Walk the text once: each diagnostic's row comes in order, after
        // the heading of its file.
        let mut rest = text.as_str();
        for d in &expected {
            let heading = format!("\n### `{}`\n", d["file"].as_str().unwrap());
            let row = format!(
                "\n| {}:{} | **{}** | `{}` | ",
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            );
            let at = rest
                .find(&row)
                .unwrap_or_else(|| panic!("{dir}: no row {row:?}"));
            if let Some(h) = rest.find(&heading) {
                assert!(h < at, "{dir}: {row:?} before its heading");
            } else {
                assert!(text[..text.len() - rest.len()].contains(&heading), "{dir}");
            }
            rest = &rest[at + 1..];
        }
    }
}

#[test]
fn the_summary_counts_the_array_it_holds() {
    for dir in DIRS {
        let expected = diagnostics(dir);
        let (code, text) = check(dir, &["--format", "json", "--summary"]);
        let (json_code, _) = check(dir, &["--format", "json"]);
        assert_eq!(code, json_code, "{dir}");
        let summary: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(summary["diagnostics"].as_array().unwrap(), &expected);
        for (key, severity) in [
            ("errors", "error"),
            ("warnings", "warning"),
            ("infos", "info"),
        ] {
            let n = expected
                .iter()
                .filter(|d| d["severity"] == severity)
                .count();
            assert_eq!(summary[key], n, "{dir}: {key}");
        }
        let total: u64 = summary["by_code"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(total as usize, expected.len(), "{dir}");
    }
}

#[test]
fn the_ci_formats_are_byte_identical_run_to_run() {
    for format in ["github", "markdown"] {
        let first = check(DIRS[1], &["--format", format]);
        assert_eq!(first, check(DIRS[1], &["--format", format]), "{format}");
    }
}
