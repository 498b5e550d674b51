//! SARIF checks shared by the tests: the official schema and GitHub's
//! upload rules.

use serde_json::Value;
use std::collections::BTreeSet;

/// The schema of <https://github.com/oasis-tcs/sarif-spec>,
/// `sarif-2.1/schema/sarif-schema-2.1.0.json` (errata 01).
pub const SCHEMA: &str = include_str!("../schemas/sarif-2.1.0.json");

/// Asserts `log` passes the SARIF schema and GitHub's upload rules, and
/// returns its results.
pub fn valid(log: &Value) -> Vec<Value> {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not SARIF 2.1.0: {errors:#?}\n{log:#}");

    let run = &log["runs"][0];
    let rules: BTreeSet<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap().clone();
    for r in &results {
        let id = r["ruleId"].as_str().expect("every result names its rule");
        assert!(rules.contains(id), "rule `{id}` is not listed: {r:#}");
        let locations = r["locations"].as_array().expect("a result has locations");
        assert!(!locations.is_empty(), "no location: {r:#}");
        for l in locations {
            let physical = &l["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert!(
                !uri.is_empty() && !uri.starts_with('/') && !uri.contains(':'),
                "a plain repository-relative uri: {uri}"
            );
            let line = physical["region"]["startLine"].as_u64().unwrap_or(0);
            assert!(line >= 1, "no line: {r:#}");
        }
    }
    results
}
