//! The OSCAL export of `govern build`: the same bytes for the same commit,
//! version 5 UUIDs, control ids that are tokens and name back their
//! requirements, and components whose roles and requirements are what the
//! model says (read from model.json and the mapping files of the same
//! build). CI also hands the files to compliance-trestle
//! (`.ci/oscal-validate`).

mod common;

use common::{build, copy_dir, Repo};
use govern::compile::oscal::token;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const DEFINITION: &str = "oscal/component-definition.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/oscal")
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Builds `repo` into a fresh folder with `extra` flags.
fn built(repo: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dist");
    build(repo, &out, extra);
    (tmp, out)
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// Every value of a `key` anywhere in `v`.
fn all<'v>(v: &'v Value, key: &str, out: &mut Vec<&'v Value>) {
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                if k == key {
                    out.push(item);
                }
                all(item, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| all(i, key, out)),
        _ => {}
    }
}

#[test]
fn the_export_is_the_same_for_a_branch_a_commit_and_a_clean_worktree() {
    let mut repo = Repo::new();
    copy_dir(
        &fixture().join("governance"),
        &repo.path().join("governance"),
    );
    let commit = repo.commit("OSCAL fixture");
    let date = repo.git(&["log", "-1", "--format=%cI"]);
    let files = |extra: &[&str]| {
        let (tmp, out) = built(repo.path(), extra);
        let mut files = vec![std::fs::read(out.join(DEFINITION)).unwrap()];
        for f in ["nist-csf-2.0", "eu-ai-act"] {
            files.push(std::fs::read(out.join(format!("oscal/catalogs/{f}.json"))).unwrap());
        }
        drop(tmp);
        files
    };
    let worktree = files(&["--oscal-catalogs"]);
    assert_eq!(worktree, files(&["--oscal-catalogs"]), "two builds");
    assert_eq!(worktree, files(&["--oscal-catalogs", "--rev", "main"]));
    assert_eq!(worktree, files(&["--oscal-catalogs", "--rev", &commit]));
    let doc: Value = serde_json::from_slice(&worktree[0]).unwrap();
    let metadata = &doc["component-definition"]["metadata"];
    // The commit's own date and id, never the clock.
    let time = |s: &str| {
        s.parse::<jiff::Timestamp>()
            .unwrap_or_else(|e| panic!("{s}: {e}"))
    };
    assert_eq!(
        time(metadata["last-modified"].as_str().unwrap()),
        time(date.trim())
    );
    assert_eq!(metadata["version"], commit.as_str());
    assert_eq!(metadata["oscal-version"], "1.1.2");
    // Compact: one line, no spaces between tokens.
    assert_eq!(worktree[0].iter().filter(|b| **b == b'\n').count(), 1);
    assert!(!worktree[0].starts_with(b"{ "));
}

#[test]
fn every_uuid_is_version_5_and_unique_and_every_party_is_declared() {
    for repo in [root(), fixture()] {
        let (_tmp, out) = built(&repo, &["--oscal-catalogs"]);
        let doc = read(&out.join(DEFINITION));
        let mut found = Vec::new();
        all(&doc, "uuid", &mut found);
        let mut uuids: Vec<String> = found
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        for catalog in std::fs::read_dir(out.join("oscal/catalogs")).unwrap() {
            let catalog = read(&catalog.unwrap().path());
            let mut seen = Vec::new();
            all(&catalog, "uuid", &mut seen);
            assert_eq!(seen.len(), 1, "a catalog's only uuid is its own");
            uuids.push(seen[0].as_str().unwrap().to_string());
        }
        let mut unique = BTreeSet::new();
        for text in &uuids {
            let parsed = uuid::Uuid::parse_str(text).unwrap();
            assert_eq!(parsed.get_version_num(), 5, "{text}");
            assert_eq!(
                parsed.hyphenated().to_string(),
                *text,
                "lowercase, hyphenated"
            );
            assert!(unique.insert(text.as_str()), "{text} twice");
        }
        assert!(uuids.len() > 20, "{}", repo.display());
        let parties: BTreeSet<&str> = doc["component-definition"]["metadata"]["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["uuid"].as_str().unwrap())
            .collect();
        let mut named = Vec::new();
        all(&doc, "party-uuids", &mut named);
        assert!(!named.is_empty());
        for list in named {
            for party in strs(list) {
                assert!(parties.contains(party), "{party} is not a party");
            }
        }
    }
}

#[test]
fn every_requirement_of_every_builtin_catalog_has_a_token_that_names_it_back() {
    let inputs = govern::load::worktree::inputs(&fixture(), "governance").unwrap();
    let outcome = govern::check::check(inputs, jiff::civil::date(2026, 11, 23));
    let builtin: Vec<_> = outcome
        .model
        .frameworks
        .values()
        .filter(|f| f.builtin)
        .collect();
    assert_eq!(builtin.len(), 8);
    let mut checked = 0;
    for f in builtin {
        let mut tokens = BTreeSet::new();
        for r in &f.requirements {
            let id = r.id.value.as_str();
            let t = token::token(id);
            assert!(token::is_token(&t), "{}: {id:?} -> {t}", f.id.value);
            assert_eq!(token::requirement(&t).as_deref(), Some(id), "{t}");
            assert!(tokens.insert(t), "{}: {id} shares its token", f.id.value);
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
    assert_eq!(token::token("GOVERN 1.1"), "govern-1.1");
}

/// Per framework, each requirement with (coverage, controls, exceptions).
type Requirements = BTreeMap<String, BTreeMap<String, (String, Vec<String>, Vec<String>)>>;

/// What the model says a component holds: owners by role, and per
/// framework each requirement with (coverage, controls, exceptions).
struct Expected {
    roles: BTreeMap<String, BTreeSet<String>>,
    requirements: Requirements,
}

/// The expectations of every asset, from model.json and mapping/*.json.
fn expected(out: &Path, today: &str) -> BTreeMap<String, Expected> {
    let model = read(&out.join("model.json"));
    let frameworks = strs(&model["policy"]["frameworks"]);
    // Framework -> requirements with children.
    let parents: BTreeMap<&str, BTreeSet<String>> = frameworks
        .iter()
        .map(|f| {
            let mapping = read(&out.join(format!("mapping/{f}.json")));
            let set = mapping["requirements"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|r| r["parent"].as_str().map(str::to_string))
                .collect();
            (*f, set)
        })
        .collect();
    let controls: BTreeMap<&str, &Value> = model["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c))
        .collect();
    let mut out = BTreeMap::new();
    for asset in model["assets"].as_array().unwrap() {
        let id = asset["id"].as_str().unwrap();
        let mut roles: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (role, team) in asset["owners"].as_object().unwrap() {
            let teams: Vec<&str> = match team {
                Value::String(t) => vec![t.as_str()],
                Value::Array(_) => strs(team),
                _ => vec![],
            };
            if role != "attested" && !teams.is_empty() {
                roles.insert(role.clone(), teams.iter().map(|t| t.to_string()).collect());
            }
        }
        let in_force: Vec<(&str, &str)> = model["exceptions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["asset"] == id)
            .filter(|e| {
                e["granted"].as_str().unwrap() <= today && today <= e["expires"].as_str().unwrap()
            })
            .map(|e| (e["control"].as_str().unwrap(), e["id"].as_str().unwrap()))
            .collect();
        let mut requirements = Requirements::new();
        for control in strs(&asset["controls"]) {
            for m in controls[control]["maps-to"].as_array().unwrap() {
                let target = m["ref"].as_str().unwrap();
                let (f, r) = target.split_once(':').unwrap();
                if !frameworks.contains(&f) {
                    continue;
                }
                let entry = requirements
                    .entry(f.to_string())
                    .or_default()
                    .entry(r.to_string())
                    .or_insert_with(|| ("partial".into(), vec![], vec![]));
                if m["coverage"] == "full" && !parents[f].contains(r) {
                    entry.0 = "full".into();
                }
                if !entry.1.iter().any(|c| c == control) {
                    entry.1.push(control.to_string());
                    for (c, e) in &in_force {
                        if *c == control {
                            entry.2.push(e.to_string());
                        }
                    }
                }
            }
        }
        out.insert(
            id.to_string(),
            Expected {
                roles,
                requirements,
            },
        );
    }
    out
}

fn prop<'v>(props: &'v Value, name: &str) -> Vec<&'v str> {
    props
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == name)
        .inspect(|p| assert_eq!(p["ns"], "urn:govern:oscal"))
        .map(|p| p["value"].as_str().unwrap())
        .collect()
}

#[test]
fn components_hold_the_owners_and_the_requirements_the_model_gives_them() {
    for repo in [root(), fixture()] {
        let (_tmp, out) = built(&repo, &["--oscal-catalogs"]);
        let expected = expected(&out, "2026-11-23");
        let doc = read(&out.join(DEFINITION));
        let doc = &doc["component-definition"];
        let party: BTreeMap<&str, &str> = doc["metadata"]["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["uuid"].as_str().unwrap(),
                    p["short-name"].as_str().unwrap(),
                )
            })
            .collect();
        let teams = |v: &Value| -> BTreeSet<String> {
            strs(&v["party-uuids"])
                .iter()
                .map(|u| party[u].to_string())
                .collect()
        };
        let components = doc["components"].as_array().unwrap();
        assert_eq!(components.len(), expected.len(), "a component per asset");
        // UUIDs as the README derives them.
        let v5 = |ns: &uuid::Uuid, name: &str| uuid::Uuid::new_v5(ns, name.as_bytes());
        let govern = v5(&uuid::Uuid::NAMESPACE_URL, "urn:govern:oscal");
        let model = read(&out.join("model.json"));
        let namespace = v5(&govern, model["organization"].as_str().unwrap());
        assert_eq!(
            doc["uuid"],
            v5(&namespace, "component-definition").to_string()
        );
        let mut excepted = 0;
        for component in components {
            let asset = prop(&component["props"], "asset")[0];
            let uuid = v5(&namespace, &format!("component/{asset}"));
            assert_eq!(component["uuid"], uuid.to_string());
            let want = &expected[asset];
            let roles: BTreeMap<String, BTreeSet<String>> = component["responsible-roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (r["role-id"].as_str().unwrap().to_string(), teams(r)))
                .collect();
            assert_eq!(roles, want.roles, "{asset}");
            let mut got = Requirements::new();
            for implementation in component["control-implementations"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let source = implementation["source"].as_str().unwrap();
                let framework = source
                    .strip_prefix("catalogs/")
                    .and_then(|s| s.strip_suffix(".json"))
                    .unwrap()
                    .to_string();
                let held = v5(&uuid, &framework);
                assert_eq!(implementation["uuid"], held.to_string());
                for r in implementation["implemented-requirements"]
                    .as_array()
                    .unwrap()
                {
                    let id = token::requirement(r["control-id"].as_str().unwrap()).unwrap();
                    assert_eq!(r["uuid"], v5(&held, &id).to_string());
                    let controls: Vec<String> = r["description"]
                        .as_str()
                        .unwrap()
                        .split(", ")
                        .map(str::to_string)
                        .collect();
                    // The control owners are the owners of those controls.
                    let owners = teams(&r["responsible-roles"][0]);
                    assert_eq!(r["responsible-roles"][0]["role-id"], "control-owners");
                    let declared: BTreeSet<String> = model["controls"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|c| controls.iter().any(|id| c["id"] == id.as_str()))
                        .map(|c| c["owner"].as_str().unwrap().to_string())
                        .collect();
                    assert_eq!(owners, declared, "{asset} {id}");
                    let coverage = prop(&r["props"], "coverage");
                    assert_eq!(coverage.len(), 1);
                    let exceptions: Vec<String> = prop(&r["props"], "exception")
                        .iter()
                        .map(|e| e.to_string())
                        .collect();
                    excepted += exceptions.len();
                    let entry = (coverage[0].to_string(), controls, exceptions);
                    assert!(
                        got.entry(framework.clone())
                            .or_default()
                            .insert(id, entry)
                            .is_none(),
                        "a requirement once"
                    );
                }
            }
            assert_eq!(got, want.requirements, "{asset}");
        }
        // The example's exceptions and the fixture's one in force show.
        assert!(excepted > 0, "{}", repo.display());
    }
}

#[test]
fn with_catalogs_each_implementation_points_at_a_catalog_holding_its_requirements() {
    let (_tmp, out) = built(&fixture(), &["--oscal-catalogs"]);
    let doc = read(&out.join(DEFINITION));
    let mut implementations = Vec::new();
    all(&doc, "control-implementations", &mut implementations);
    let mut checked = 0;
    for list in implementations {
        for implementation in list.as_array().unwrap() {
            let source = implementation["source"].as_str().unwrap();
            assert!(source.starts_with("catalogs/"), "{source}");
            let catalog = read(&out.join("oscal").join(source));
            let mut ids = Vec::new();
            all(&catalog, "id", &mut ids);
            let ids: BTreeSet<&str> = ids.iter().filter_map(|v| v.as_str()).collect();
            for r in implementation["implemented-requirements"]
                .as_array()
                .unwrap()
            {
                assert!(ids.contains(r["control-id"].as_str().unwrap()), "{r}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "{checked}");
    // A requirement's children nest below it, each labelled with its id.
    let csf = read(&out.join("oscal/catalogs/nist-csf-2.0.json"));
    let gv = csf["catalog"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "gv")
        .unwrap();
    assert_eq!(
        gv["props"][0],
        serde_json::json!({"name": "label", "value": "GV"})
    );
    let children: Vec<&str> = gv["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(children.contains(&"gv.rm"), "{children:?}");
    // Without the flag, sources are the catalogs' URLs or urns.
    let (_tmp, plain) = built(&fixture(), &[]);
    assert!(!plain.join("oscal/catalogs").exists());
    let doc = read(&plain.join(DEFINITION));
    let mut sources = Vec::new();
    all(&doc, "source", &mut sources);
    let sources: BTreeSet<&str> = sources.iter().map(|s| s.as_str().unwrap()).collect();
    assert!(
        sources.contains("https://eur-lex.europa.eu/eli/reg/2024/1689/oj"),
        "{sources:?}"
    );
    assert!(
        sources.contains("https://doi.org/10.6028/NIST.AI.100-1"),
        "{sources:?}"
    );
}

#[test]
fn a_repository_outside_git_with_nothing_declared_is_dated_at_the_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("governance")).unwrap();
    std::fs::write(
        repo.join("governance/governance.toml"),
        "[organization]\nname = \" \"\n",
    )
    .unwrap();
    let (_out_tmp, out) = built(&repo, &[]);
    let doc = read(&out.join(DEFINITION));
    let definition = doc["component-definition"].as_object().unwrap();
    let metadata = &definition["metadata"];
    assert_eq!(metadata["last-modified"], "1970-01-01T00:00:00+00:00");
    assert_eq!(metadata["version"], "worktree");
    assert_eq!(metadata["title"], "AI assets, their owners and controls");
    // OSCAL arrays are never empty: what there is none of is left out.
    assert!(definition.get("components").is_none(), "{definition:?}");
    assert!(metadata.get("parties").is_none(), "{metadata}");
    assert_eq!(metadata["roles"].as_array().unwrap().len(), 8);
}
