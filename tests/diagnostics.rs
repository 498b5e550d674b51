//! One snapshot case per diagnostic code: `tests/diagnostics/<code>.toml`
//! holds the governance files of the case (after `_base.toml`, whose files it
//! may replace), and the rendered diagnostics are pinned under
//! `tests/diagnostics/snapshots/`.

use govern::check::{check, check_two, Keep};
use govern::diag::{human, Code, Severity};
use govern::load::{Body, Input};
use jiff::civil::date;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// Splits a case file at its `# === <path>` lines into (path, text) files;
/// the lines before the first marker describe the case.
fn files_of(text: &str) -> (String, BTreeMap<String, String>) {
    let mut description = String::new();
    let mut files = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# === ") {
            current = Some(name.trim().to_string());
            files.insert(name.trim().to_string(), String::new());
        } else if let Some(name) = &current {
            let body = files.get_mut(name).expect("inserted at its marker");
            body.push_str(line);
            body.push('\n');
        } else {
            description.push_str(line.trim_start_matches('#').trim());
            description.push(' ');
        }
    }
    (description.trim().to_string(), files)
}

/// The inputs of the case in `file`, with `rules` as the `[rules]` table
/// of its governance.toml when not empty.
fn inputs(file: &Path, rules: &str) -> (String, Vec<Input>) {
    let (_, mut files) =
        files_of(&std::fs::read_to_string(cases_dir().join("_base.toml")).unwrap());
    let (description, case) = files_of(&std::fs::read_to_string(file).unwrap());
    files.extend(case);
    if !rules.is_empty() {
        let settings = files
            .get_mut("governance/governance.toml")
            .expect("every case has settings");
        assert!(!settings.contains("[rules]"), "{}", file.display());
        settings.push_str(&format!("\n[rules]\n{rules}"));
    }
    let inputs = files
        .into_iter()
        .map(|(name, text)| Input {
            is_settings: name == "governance/governance.toml",
            name,
            body: Body::Bytes(text.into_bytes()),
        })
        .collect();
    (description, inputs)
}

/// Runs the case in `file` and returns its description, the codes it
/// raised and the rendered diagnostics.
fn run(file: &Path) -> (String, Vec<Code>, String) {
    let (description, inputs) = inputs(file, "");
    let outcome = check(inputs, date(2026, 11, 23));
    let codes = outcome.diagnostics.iter().map(|d| d.code).collect();
    let rendered = human::render(&outcome.sources, &outcome.diagnostics, false)
        .expect("every diagnostic renders");
    (description, codes, rendered)
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    files.sort();
    files
}

#[test]
fn every_code_has_a_case() {
    let names: Vec<String> = case_files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for code in Code::ALL {
        assert!(
            names.iter().any(|n| n == code.name()),
            "no case tests/diagnostics/{}.toml",
            code.name()
        );
    }
    for name in &names {
        assert!(Code::from_name(name).is_some(), "case {name} names no code");
    }
}

#[test]
fn the_clean_case_has_no_diagnostics() {
    let (_, codes, rendered) = run(&cases_dir().join("_clean.toml"));
    assert!(codes.is_empty(), "{rendered}");
}

#[test]
fn each_case_raises_its_code() {
    let wrong: Vec<String> = case_files()
        .iter()
        .filter_map(|file| {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let (_, codes, rendered) = run(file);
            let code = Code::from_name(&name).unwrap();
            (!codes.contains(&code))
                .then(|| format!("case {name} raised {codes:?}, not `{name}`:\n{rendered}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every case renders as pinned; `insta::glob!` shows every case that
/// differs, not only the first.
#[test]
fn each_case_renders_as_pinned() {
    insta::glob!("diagnostics/[!_]*.toml", |file| {
        let (description, _, rendered) = run(file);
        insta::with_settings!({
            snapshot_path => cases_dir().join("snapshots"),
            prepend_module_to_snapshot => false,
            description => description,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("case", rendered);
        });
    });
}

/// A check that keeps errors alone (each side of a drift) skips the rules
/// and checks whose diagnostics it would drop, and must still find every
/// error a full check finds: in every case, under the default levels, with
/// each rule's code kept alone as an error, and with all of them raised.
#[test]
fn keeping_errors_finds_every_error_a_full_check_finds() {
    let today = date(2026, 11, 23);
    let level = |code: Code, level: &str| format!("{code} = \"{level}\"\n");
    // Each `[rules]`, with the code it keeps alone.
    let mut levels = vec![(None, String::new())];
    // Each code alone kept, as an error, and every other rule's code off:
    // a rule that reports a code it does not list is then skipped.
    levels.extend(Code::rules().map(|kept| {
        let off = Code::rules()
            .filter(|c| *c != kept)
            .map(|c| level(c, "off"));
        (Some(kept), level(kept, "error") + &off.collect::<String>())
    }));
    levels.push((None, Code::rules().map(|c| level(c, "error")).collect()));
    let mut raised = std::collections::BTreeSet::new();
    for file in case_files() {
        for (kept, rules) in &levels {
            let inputs = inputs(&file, rules).1;
            let full = check(inputs.clone(), today);
            let errors: Vec<_> = full
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            let (before, after) = check_two(
                inputs.clone(),
                inputs,
                Default::default(),
                today,
                Keep::Errors,
            );
            for side in [&before, &after] {
                assert_eq!(
                    side.diagnostics.iter().collect::<Vec<_>>(),
                    errors,
                    "{} with [rules] {rules}",
                    file.display()
                );
            }
            raised.extend(
                errors
                    .iter()
                    .map(|d| Some(d.code))
                    .filter(|code| code == kept),
            );
        }
    }
    // Each rule code, raised alone, was an error in its own case: the
    // comparisons above met every code as an error, not only empty lists.
    assert_eq!(raised.len(), Code::rules().count(), "{raised:?}");
}
