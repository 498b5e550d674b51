//! `govern fmt`: idempotent on every TOML file of the suite, keeping
//! comments and meaning; a messed-up copy of the example formats back to the
//! example byte for byte, so check and build make the same of it; `--check`
//! and the command's exit codes.

mod common;

use common::Repo;
use govern::fmt::format;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Table, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.toml` below `dir`.
fn tomls(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            tomls(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn comments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .filter_map(|l| l.find('#').map(|at| l[at..].trim_end().to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn formatting_is_idempotent_and_keeps_comments_and_meaning_on_every_file_of_the_suite() {
    let mut files = Vec::new();
    for dir in ["governance", "tests", "frameworks"] {
        tomls(&root().join(dir), &mut files);
    }
    assert!(files.len() > 50, "{}", files.len());
    let mut formatted = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let is_settings = path.ends_with("governance.toml");
        let Ok(once) = format(&text, is_settings) else {
            // Not TOML (a parse-error fixture): nothing to compare.
            assert!(text.parse::<DocumentMut>().is_err(), "{}", path.display());
            continue;
        };
        formatted += 1;
        let twice = format(&once, is_settings).unwrap();
        assert_eq!(
            twice,
            once,
            "fmt twice differs from once: {}",
            path.display()
        );
        assert_eq!(
            comments(&once),
            comments(&text),
            "comments of {}",
            path.display()
        );
        let before: toml::Table = toml::from_str(&text).unwrap_or_default();
        let after: toml::Table = toml::from_str(&once).unwrap_or_default();
        assert_eq!(before, after, "meaning of {}", path.display());
    }
    assert!(formatted > 50, "{formatted}");
}

/// Lays out a document as badly as TOML allows without changing what it
/// says: keys in reverse order, wide spacing, literal strings, arrays one
/// item a line.
fn mess(t: &mut Table) {
    let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
    let rank = |k: &str| keys.len() - keys.iter().position(|x| x == k).unwrap();
    t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
    for (mut key, item) in t.iter_mut() {
        match item {
            Item::Value(v) => {
                key.leaf_decor_mut().set_suffix("   ");
                let suffix = v
                    .decor()
                    .suffix()
                    .and_then(|s| s.as_str())
                    .map(String::from);
                v.decor_mut().set_prefix("    ");
                if let Some(s) = suffix {
                    v.decor_mut().set_suffix(s);
                }
                mess_value(v);
            }
            Item::Table(sub) => mess(sub),
            Item::ArrayOfTables(list) => list.iter_mut().for_each(mess),
            Item::None => {}
        }
    }
}

fn mess_value(v: &mut Value) {
    match v {
        Value::String(s) => {
            let text = s.value().clone();
            if !text.contains('\'') && !text.contains('\n') && !text.contains('\\') {
                let decor = s.decor().clone();
                let mut literal: Value = format!("'{text}'").parse().unwrap();
                *literal.decor_mut() = decor;
                *v = literal;
            }
        }
        Value::Array(a) => {
            let commented = a.iter().any(|v| {
                v.decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.contains('#'))
            });
            if !commented {
                for item in a.iter_mut() {
                    item.decor_mut().set_prefix("\n      ");
                }
                a.set_trailing("\n");
            }
        }
        Value::InlineTable(t) => {
            for (_, v) in t.iter_mut() {
                if let Value::String(_) = v {
                    mess_value(v);
                }
            }
        }
        _ => {}
    }
}

/// (code, message) of every diagnostic of the example as `files` declare it.
fn diagnostics(files: &[(String, String)]) -> Vec<(String, String)> {
    let inputs = files
        .iter()
        .map(|(name, text)| govern::load::Input {
            name: name.clone(),
            is_settings: name == "governance/governance.toml",
            body: govern::load::Body::Bytes(text.clone().into_bytes()),
        })
        .collect();
    let outcome = govern::check::check(inputs, jiff::civil::date(2026, 11, 23));
    let mut out: Vec<(String, String)> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code.name().to_string(), d.message.clone()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_messed_up_example_formats_back_to_the_example_byte_for_byte() {
    let mut files = Vec::new();
    tomls(&root().join("governance"), &mut files);
    files.sort();
    let mut original = Vec::new();
    let mut messy = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let mut doc: DocumentMut = text.parse().unwrap();
        mess(doc.as_table_mut());
        let messed = doc.to_string();
        assert_ne!(messed, text, "{name} was not messed up");
        let is_settings = name == "governance/governance.toml";
        // The example is kept formatted, and formatting restores it.
        assert_eq!(
            format(&text, is_settings).unwrap(),
            text,
            "{name} is not canonical"
        );
        assert_eq!(format(&messed, is_settings).unwrap(), text, "{name}");
        original.push((name.clone(), text));
        messy.push((name, messed));
    }
    // The messy copy means the same to check, at other places.
    assert_eq!(diagnostics(&messy), diagnostics(&original));
}

const MESSY: &str = "[[team]]\nname='Platform'\nid = 'platform'\n";
const CANONICAL: &str = "[[team]]\nid = \"platform\"\nname = \"Platform\"\n";

fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.write(
        "governance/governance.toml",
        "[organization]\nname = \"Acme\"\n",
    );
    repo.write("governance/teams.toml", MESSY);
    repo.write(
        "governance/more/ok.toml",
        CANONICAL.replace("platform", "ops").as_str(),
    );
    repo.commit("Declare");
    repo
}

#[test]
fn check_lists_what_would_change_and_changes_nothing() {
    let repo = repo();
    let run = repo.govern(&["fmt", "--check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "governance/teams.toml\n");
    assert!(
        run.stderr.contains("1 of 3 files would be reformatted"),
        "{}",
        run.stderr
    );
    let read = || std::fs::read_to_string(repo.path().join("governance/teams.toml")).unwrap();
    assert_eq!(read(), MESSY);

    let run = repo.govern(&["fmt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("reformatted 1 of 3 files"),
        "{}",
        run.stderr
    );
    assert_eq!(read(), CANONICAL);
    let run = repo.govern(&["fmt", "--check"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (Some(0), ""),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_pick_files_and_folders_of_the_governance_folder() {
    let repo = repo();
    repo.write("governance/more/messy.toml", MESSY);
    let run = repo.govern(&["fmt", "--check", "governance/more"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "governance/more/messy.toml\n");
    let run = repo.govern(&["fmt", "governance/teams.toml"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let messy = std::fs::read_to_string(repo.path().join("governance/more/messy.toml")).unwrap();
    assert_eq!(messy, MESSY, "a file not named is left alone");
    let run = repo.govern(&["fmt", "README.md"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("names no declaration file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_toml_is_reported_and_left_alone() {
    let repo = repo();
    let broken = "[[team]]\nid = \"x\"\nname = \n";
    repo.write("governance/broken.toml", broken);
    let run = repo.govern(&["fmt"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("governance/broken.toml:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("left alone"), "{}", run.stderr);
    let kept = std::fs::read_to_string(repo.path().join("governance/broken.toml")).unwrap();
    assert_eq!(kept, broken);
    // The other files were still formatted.
    let teams = std::fs::read_to_string(repo.path().join("governance/teams.toml")).unwrap();
    assert_eq!(teams, CANONICAL);
}

#[cfg(unix)]
#[test]
fn a_link_is_left_alone_and_its_file_formatted_where_it_lies() {
    let repo = repo();
    std::os::unix::fs::symlink("teams.toml", repo.path().join("governance/alias.toml")).unwrap();
    let run = repo.govern(&["fmt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("governance/alias.toml: note: a symbolic link"),
        "{}",
        run.stderr
    );
    let link = std::fs::symlink_metadata(repo.path().join("governance/alias.toml")).unwrap();
    assert!(link.file_type().is_symlink());
    let teams = std::fs::read_to_string(repo.path().join("governance/teams.toml")).unwrap();
    assert_eq!(teams, CANONICAL);
}
