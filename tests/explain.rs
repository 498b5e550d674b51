//! `govern explain`: the JSON holds everything the text shows, and an
//! asset's problems are the diagnostics that point into its declarations.

mod common;

use common::{govern_in, Repo};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Splits text into the words compared between the two outputs.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || ",()[]:".contains(c))
        .filter(|w| !w.is_empty())
}

/// Every word of every key and value of `json`; keys spelt as in the text
/// (`max-ttl` for `max_ttl`).
fn json_words(json: &Value, out: &mut BTreeSet<String>) {
    match json {
        Value::Object(map) => {
            for (key, value) in map {
                out.insert(key.replace('_', "-"));
                json_words(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| json_words(v, out)),
        Value::String(s) => out.extend(words(s).map(String::from)),
        Value::Number(n) => {
            out.insert(n.to_string());
        }
        Value::Bool(_) | Value::Null => {}
    }
}

/// The words of the text's own layout, which name no value.
const LAYOUT: &[&str] = &[
    "Owners",
    "Identity",
    "Trust",
    "Tools",
    "RACI",
    "Exceptions",
    "Findings",
    "Problems",
    "in",
    "declared",
    "depends",
    "on",
    "maps",
    "to",
    "granted",
    "enforces",
    "until",
    "approved",
    "by",
    "no",
    "never",
    "Open",
    "items",
    "as",
];

/// Runs explain both ways on `asset` and checks that every word of the
/// text is in the JSON; returns the JSON.
fn explain_both_ways(dir: &Path, asset: &str) -> Value {
    let human = govern_in(dir, &["explain", asset]);
    assert_eq!(human.code, Some(0), "{}", human.stderr);
    let json = govern_in(dir, &["explain", asset, "--format", "json"]);
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let json = json.json();
    let mut known = BTreeSet::new();
    json_words(&json, &mut known);
    let controls = json["controls"].as_array().unwrap().len();
    let mut missing = Vec::new();
    for line in human.stdout.lines() {
        // The count of controls is the length of the array.
        if line == format!("Controls ({controls} apply)") {
            continue;
        }
        for word in words(line) {
            if !LAYOUT.contains(&word) && !known.contains(word) {
                missing.push(format!("{word:?} in {line:?}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "the text of {asset} shows what the JSON lacks:\n{}\n{}",
        missing.join("\n"),
        human.stdout
    );
    json
}

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_json_of_an_asset_holds_everything_its_text_shows() {
    let json = explain_both_ways(example(), "billing-agent");
    assert_eq!(json["id"], "billing-agent");
    assert_eq!(json["name"], "Billing support agent");
    assert_eq!(json["file"], "governance/assets/payments.toml");
    assert_eq!(
        json["description"],
        "Answers billing tickets and issues small refunds"
    );
    assert_eq!(
        json["depends_on"],
        serde_json::json!(["payments-mcp", "support-kb", "model-gateway-sa"])
    );
    assert_eq!(
        json["tags"],
        serde_json::json!(["customer-facing", "payments", "multi-agent"])
    );
    let owners = &json["owners"];
    assert_eq!(owners["accountable"], "payments-product");
    assert_eq!(owners["reviewers"], serde_json::json!(["secops"]));
    assert_eq!(owners["attested"], "2026-10-01");
    assert_eq!(json["teams"]["payments-product"], "Payments Product");
    assert_eq!(
        json["identity"],
        serde_json::json!({
            "type": "workload",
            "spiffe_id": "spiffe://acme.example/agents/billing",
            "max_ttl": "15m",
        })
    );
    assert_eq!(
        json["trust"],
        serde_json::json!({"score": 78, "threshold": 75, "assessed": "2026-11-01"})
    );
    let refunds = json["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "refunds.create")
        .unwrap();
    assert_eq!(
        refunds,
        &serde_json::json!({"id": "refunds.create", "system": "stripe", "access": "write",
                            "decision": "step-up", "from": null, "until": null, "min_confidence": null})
    );
    let tool = |id: &str| {
        json["tools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(tool("invoices.export")["from"], "2026-12-01");
    assert_eq!(tool("invoices.export")["until"], "2027-01-15");
    assert_eq!(tool("kb.answer")["min_confidence"], 60);
    assert_eq!(json["status"], "active");
    let step_up = json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "AGENT-STEP-UP")
        .unwrap();
    assert_eq!(step_up["owner"], "iam");
    assert_eq!(step_up["enforce"], serde_json::json!(["step-up"]));
    assert!(step_up["maps_to"].as_array().unwrap().contains(
        &serde_json::json!({"ref": "owasp-agentic-top10-2026:ASI03", "coverage": "partial"})
    ));
    assert_eq!(json["controls"].as_array().unwrap().len(), 15);
    assert_eq!(json["exceptions"][0]["id"], "EXC-2026-014");
    assert_eq!(json["exceptions"][0]["expires"], "2027-01-15");
    assert_eq!(json["findings"][0]["id"], "F-2026-012");
    assert_eq!(json["findings"][0]["status"], "remediated");
    let operate = json["raci"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["activity"] == "operate")
        .unwrap();
    assert!(operate["cells"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"team": "ml-platform", "letters": "R"})));
    // The exception in its notice window is billing-agent's one problem.
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "exception-expiring");
    assert_eq!(problems[0]["file"], "governance/exceptions/2026.toml");
    // It is also the asset's one open item, for its accountable owner.
    assert_eq!(
        json["open_items"],
        serde_json::json!([{"team": "payments-product", "role": "accountable",
            "code": "exception-expiring", "due": "2027-01-15", "overdue_days": -53,
            "when": "due in 53 days (2027-01-15)",
            "about": "billing-agent · AGENT-STEP-UP · EXC-2026-014", "inform": [],
            "message": "exception `EXC-2026-014` expires on 2027-01-15, in 53 days"}])
    );
}

#[test]
fn problems_show_in_both_ways_with_their_place() {
    let json = explain_both_ways(example(), "support-triage-agent");
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "trust-below-threshold");
    assert_eq!(problems[0]["severity"], "warning");
    assert_eq!(problems[0]["file"], "governance/assets/support.toml");
    assert!(problems[0]["line"].as_u64().unwrap() > 1);
    // A finding's problem is its asset's, though the finding lives in
    // another file.
    let json = explain_both_ways(example(), "payments-mcp");
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "finding-escalation"
                && p["file"] == "governance/findings/2026.toml"),
        "{json}"
    );
}

const DECLARATIONS: &str = r#"[[team]]
id = "product"

[[team]]
id = "eng"

[[asset]]
id = "agent"
kind = "dataset"
owners = { accountable = "product", remediation = "eng" }

[[asset]]
id = "agent-copy"
kind = "dataset"
owners = { accountable = "product", remediation = "eng" }

[[control]]
id = "INVENTORY"
title = "Every asset is in the inventory"
owner = "eng"

[[exception]]
id = "EXC-1"
asset = "agent"
control = "INVENTORY"
approved-by = "product"
granted = 2026-01-01
expires = 2026-02-01
"#;

#[test]
fn an_assets_problems_are_those_that_point_into_its_declarations() {
    let repo = Repo::new();
    repo.write("governance/declarations.toml", DECLARATIONS);
    let agent = govern_in(repo.path(), &["explain", "agent", "--format", "json"]).json();
    let codes: Vec<&str> = agent["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    // The message names the exception, not the asset: only where the
    // diagnostic points ties it to the asset.
    assert!(codes.contains(&"exception-expired"), "{agent}");
    let copy = govern_in(repo.path(), &["explain", "agent-copy", "--format", "json"]).json();
    assert!(
        !copy["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "exception-expired"),
        "another asset's exception is not this one's problem: {copy}"
    );
    let text = govern_in(repo.path(), &["explain", "agent"]);
    assert!(
        text.stdout
            .contains("governance/declarations.toml:28: error[exception-expired]: exception `EXC-1` expired on 2026-02-01"),
        "{}",
        text.stdout
    );
}

#[test]
fn explain_refuses_an_unknown_asset_with_the_closest_one() {
    let typo = govern_in(example(), &["explain", "billing-agnt", "--format", "json"]);
    assert_eq!(typo.code, Some(2), "{}", typo.stderr);
    assert_eq!(typo.stdout, "");
    assert!(
        typo.stderr.contains("no asset `billing-agnt`")
            && typo.stderr.contains("did you mean `billing-agent`?"),
        "{}",
        typo.stderr
    );
}
