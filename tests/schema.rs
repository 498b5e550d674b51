//! `govern schema` and `check` agree: every TOML file of the test suite
//! passes the JSON Schema (checked by a real JSON Schema validator, on the
//! file converted to JSON as an editor converts it) exactly when check finds
//! no problem of the format in it.

use govern::check::check;
use govern::diag::Code;
use govern::load::{Body, Input, BUILTIN_CATALOGS};
use jiff::civil::date;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The problems a file's format can have, which a schema can describe.
/// References between files, duplicates and cycles are beyond one file.
const FORMAT_CODES: [Code; 4] = [
    Code::ParseError,
    Code::UnknownField,
    Code::MissingField,
    Code::InvalidValue,
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.toml` below `dir`, recursively.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Splits a case file at its `# === <path>` lines; a file without markers
/// is one declaration file.
fn split(text: &str) -> Vec<(String, String)> {
    if !text.lines().any(|l| l.starts_with("# === ")) {
        return vec![("governance/case.toml".into(), text.to_string())];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# === ") {
            files.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    files
}

/// Every declaration file of the suite, named by where it comes from.
fn fixtures() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut cases = Vec::new();
    for dir in ["tests/diagnostics", "tests/schema"] {
        toml_files(&root().join(dir), &mut cases);
    }
    for path in cases {
        let text = std::fs::read_to_string(&path).unwrap();
        for (name, body) in split(&text) {
            out.push((format!("{} {name}", path.display()), name, body));
        }
    }
    let mut plain = Vec::new();
    for dir in ["governance", "tests/fixtures"] {
        toml_files(&root().join(dir), &mut plain);
    }
    for entry in std::fs::read_dir(root().join("tests/cmd")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, &mut plain);
        }
    }
    for path in plain {
        // governance.toml at the root of a governance folder holds settings.
        let at_root = path.parent().and_then(Path::file_name).is_some_and(|d| {
            let d = d.to_string_lossy();
            d == "governance" || d.ends_with(".governance")
        });
        let name = if at_root && path.ends_with("governance.toml") {
            "governance/governance.toml".to_string()
        } else {
            "governance/case.toml".to_string()
        };
        let body = std::fs::read_to_string(&path).unwrap();
        out.push((path.display().to_string(), name, body));
    }
    for (name, text) in BUILTIN_CATALOGS {
        out.push((
            format!("built-in {name}"),
            "governance/case.toml".into(),
            text.to_string(),
        ));
    }
    out
}

/// Converts TOML to JSON as editors do: dates and times become strings.
fn to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

/// The format problems check finds in one file, checked alone.
fn check_problems(name: &str, body: &str) -> Vec<String> {
    let input = Input {
        name: name.to_string(),
        is_settings: name == "governance/governance.toml",
        body: Body::Bytes(body.as_bytes().to_vec()),
    };
    let outcome = check(vec![input], date(2026, 11, 23));
    outcome
        .diagnostics
        .iter()
        .filter(|d| FORMAT_CODES.contains(&d.code))
        .filter(|d| outcome.sources.name(d.span.file) == name)
        .map(|d| format!("{}: {}", d.code.name(), d.message))
        .collect()
}

/// A quoted date is a string once TOML becomes JSON, so a validator that
/// reads JSON cannot tell it from a date; TOML-aware editors (tombi) read
/// `"format": "date"` as a TOML local date and refuse it, as check does.
fn only_quoted_dates(problems: &[String]) -> bool {
    !problems.is_empty()
        && problems.iter().all(|p| {
            p.starts_with("invalid-value") && p.ends_with("must be a date, found a string")
        })
}

#[test]
fn a_file_passes_the_schema_exactly_when_check_finds_no_format_problem() {
    let schema = govern::schema::schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema is a valid JSON Schema");
    let (mut both_pass, mut both_fail, mut unparsed) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for (origin, name, body) in fixtures() {
        let problems = check_problems(&name, &body);
        let Ok(parsed) = toml::from_str::<toml::Table>(&body) else {
            // An editor shows a syntax error; check reports parse-error.
            assert!(
                problems.iter().any(|p| p.starts_with("parse-error")),
                "{origin}: {problems:?}"
            );
            unparsed += 1;
            continue;
        };
        let json = to_json(toml::Value::Table(parsed));
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        match (errors.is_empty(), problems.is_empty()) {
            (true, true) => both_pass += 1,
            (false, false) => both_fail += 1,
            (true, false) if only_quoted_dates(&problems) => both_fail += 1,
            _ => disagreements.push(format!(
                "{origin}\n  schema: {errors:?}\n  check: {problems:?}"
            )),
        }
    }
    assert!(
        disagreements.is_empty(),
        "schema and check disagree on {} files:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // Both verdicts occur, so the comparison compared something.
    assert!(both_pass > 20, "{both_pass} files passed both");
    assert!(both_fail > 5, "{both_fail} files failed both");
    assert!(
        unparsed >= 1,
        "a case of invalid TOML is among the fixtures"
    );
}

#[test]
fn the_schema_refuses_what_check_refuses_in_the_focused_cases() {
    let schema = govern::schema::schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let verdict = |case: &str| {
        let text = std::fs::read_to_string(root().join("tests/schema").join(case)).unwrap();
        let (_, body) = split(&text).remove(0);
        let json = to_json(toml::Value::Table(toml::from_str(&body).unwrap()));
        validator.is_valid(&json)
    };
    // Left to a governance rule, which reports it at its own level.
    assert!(verdict("trust-without-score.toml"));
    assert!(verdict("control-without-owner.toml"));
    assert!(verdict("asset-without-owners.toml"));
    // Required by the format.
    assert!(!verdict("activity-without-accountable.toml"));
    assert!(!verdict("integer-out-of-range.toml"));
    assert!(!verdict("unknown-key.toml"));
    assert!(!verdict("bad-word.toml"));
    assert!(!verdict("catalog-without-framework-id.toml"));
}

#[test]
fn team_handles_are_checked_by_the_handle_pattern() {
    // The pattern itself is held to `Handle::parse` in `model::handle`.
    let schema = govern::schema::schema();
    let handle = &schema["properties"]["team"]["items"]["properties"]["handle"];
    assert_eq!(handle["pattern"], govern::model::handle::PATTERN);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let team = |h: &str| serde_json::json!({ "team": [{ "id": "t", "handle": h }] });
    assert!(validator.is_valid(&team("@acme/payments-eng")));
    assert!(!validator.is_valid(&team("payments team")));
}

#[test]
fn the_readme_field_reference_is_generated_from_the_format() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- fields:start -->\n", "<!-- fields:end -->");
    let from = readme
        .find(start)
        .expect("README marks the field reference")
        + start.len();
    let to = readme.find(end).expect("README marks its end");
    let generated = govern::schema::reference();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{generated}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[from..to],
        generated,
        "the README's field reference is out of date: run UPDATE_README=1 cargo test --test schema"
    );
    assert!(generated.contains("| `accountable` | id | by `missing-owner` |"));
}
