//! The policy bundles under the real engines: regorus evaluates the built
//! Rego and data, cedar-policy validates the Cedar policies in strict mode
//! and authorizes, over one decision table; OPA and Cedar must agree on
//! every request. The governance behind it is `tests/fixtures/bundles/`.

mod common;
#[path = "bundles/engines.rs"]
mod engines;
#[path = "bundles/table.rs"]
mod table;

use cedar_policy::{ValidationMode, Validator};
use engines::{build_repo, text, Built, Cedar, Opa};
use serde_json::{json, Value};
use std::path::Path;
use table::*;

fn build() -> Built {
    build_repo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundles"))
}

#[test]
fn the_table_covers_every_check_and_enough_requests() {
    let table = table();
    assert!(table.len() >= 80, "{} requests", table.len());
    let reasons: Vec<(String, Option<String>)> = table
        .iter()
        .flat_map(|c| c.expect.reasons.clone())
        .collect();
    for control in [
        "ALLOWLIST",
        "STEP-UP",
        "TTL-A",
        "WORKLOAD-ID",
        "TRUST",
        "CONFIDENCE",
    ] {
        assert!(
            reasons.iter().any(|(_, c)| c.as_deref() == Some(control)),
            "no request denied by {control}"
        );
    }
    for check in ["known-asset", "status"] {
        assert!(
            reasons
                .iter()
                .any(|(c, control)| c == check && control.is_none()),
            "no request denied by {check}"
        );
    }
    assert!(table
        .iter()
        .any(|c| c.expect.step_up && c.expect.reasons[0].0 == "confidence"));
}

#[test]
fn opa_decides_the_table_as_expected_and_names_the_owners() {
    let built = build();
    let mut opa = Opa::new(&built);
    let mut wrong = Vec::new();
    for case in table() {
        let (got, raw) = opa.decide(&case.input);
        if got != case.expect {
            wrong.push(format!(
                "{}: expected {:?}, OPA gave {raw}",
                case.name, case.expect
            ));
        }
        let asset = case.input["asset"].as_str().unwrap();
        if raw["owners"] != owners(asset) {
            wrong.push(format!(
                "{}: owners {} for {asset}",
                case.name, raw["owners"]
            ));
        }
        let messages: Vec<&str> = raw["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"].as_str().unwrap())
            .collect();
        assert!(
            messages.iter().all(|m| !m.is_empty()),
            "{}: a reason says why",
            case.name
        );
        for says in &case.says {
            if !messages.contains(says) {
                wrong.push(format!("{}: no reason says {says:?} in {raw}", case.name));
            }
        }
        if !case.says.is_empty() && case.says.len() != messages.len() {
            wrong.push(format!(
                "{}: expected only {:?} in {raw}",
                case.name, case.says
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn cedar_validates_strictly_and_decides_the_table_as_expected() {
    let built = build();
    let cedar = Cedar::new(&built);
    let validation =
        Validator::new(cedar.schema.clone()).validate(&cedar.policies, ValidationMode::Strict);
    assert!(
        validation.validation_passed(),
        "{:?}",
        validation.validation_errors().collect::<Vec<_>>()
    );
    let mut wrong = Vec::new();
    for case in table() {
        let got = cedar.decide(&case.input);
        if got != case.expect {
            wrong.push(format!(
                "{}: expected {:?}, Cedar gave {got:?}",
                case.name, case.expect
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn opa_and_cedar_agree_on_every_request() {
    let built = build();
    let mut opa = Opa::new(&built);
    let cedar = Cedar::new(&built);
    for case in table() {
        let (from_opa, _) = opa.decide(&case.input);
        assert_eq!(from_opa, cedar.decide(&case.input), "{}", case.name);
    }
}

#[test]
fn approvals_cedar_cannot_be_given_name_their_flaw_in_opa() {
    let built = build();
    let mut opa = Opa::new(&built);
    for (approval, says) in [
        (
            json!({"by": 5, "at": NOW}),
            vec!["the approval names no approver"],
        ),
        (json!({"by": "iam"}), vec!["the approval carries no time"]),
        (
            json!({"by": "iam", "at": "1795000000"}),
            vec!["the approval carries no time"],
        ),
        (
            json!({}),
            vec![
                "the approval carries no time",
                "the approval names no approver",
            ],
        ),
        (json!("iam"), vec!["the approval names no approver"]),
    ] {
        let (got, raw) = opa.decide(&refund(approval.clone()));
        assert_eq!(got, step_up("STEP-UP"), "{approval}");
        let mut messages: Vec<&str> = raw["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"].as_str().unwrap())
            .collect();
        messages.sort_unstable();
        assert_eq!(messages, says, "{approval}");
    }
    // A confidence that is not a number is no confidence.
    let mut search = request("pay-agent", "kb.search", workload(600, PAY), false, NOW);
    search["confidence"] = json!("99");
    assert_eq!(opa.decide(&search).0, step_up("CONFIDENCE"));
    // A request without a usable time has no approval that counts.
    let mut undated = refund(by("iam", NOW));
    undated["now"] = json!("now");
    let (got, _) = opa.decide(&undated);
    assert!(!got.allow, "{got:?}");
}

#[test]
fn every_reason_names_its_check_and_a_stopped_asset_gives_exactly_one() {
    let built = build();
    let mut opa = Opa::new(&built);
    let (_, raw) = opa.decide(&request(
        "retired-agent",
        "wire.transfer",
        credential("shared-human", 999_999),
        true,
        NOW,
    ));
    assert_eq!(
        raw,
        json!({"allow": false, "step_up": false, "owners": owners("retired-agent"),
               "reasons": [{"check": "status", "control": null,
                            "message": "asset `retired-agent` is retired"}]})
    );
    let (_, raw) = opa.decide(&request(
        "pay-agent",
        "refunds.create",
        workload(3600, PAY),
        false,
        NOW,
    ));
    assert_eq!(
        raw["reasons"],
        json!([
            {"check": "credential-ttl", "control": "TTL-A", "message": "credential lives longer than 900 seconds"},
            {"check": "step-up", "control": "STEP-UP", "message": "tool `refunds.create` needs a human approval"},
        ])
    );
}

#[test]
fn cedar_assets_carry_their_owners_and_status_for_decision_logs() {
    let built = build();
    let cedar = Cedar::new(&built);
    for (asset, status) in [
        ("pay-agent", "active"),
        ("unassigned-agent", "active"),
        ("suspended-agent", "suspended"),
        ("retired-dataset", "retired"),
    ] {
        let entity = cedar
            .entities
            .get(&Cedar::uid("Asset", asset))
            .unwrap_or_else(|| panic!("no entity for {asset}"));
        let attrs = entity.to_json_value().unwrap()["attrs"].clone();
        assert_eq!(attrs["status"], json!(status), "{asset}");
        let mut expected = owners(asset);
        expected
            .as_object_mut()
            .unwrap()
            .retain(|_, v| !v.is_null());
        assert_eq!(attrs["owners"], expected, "{asset}");
    }
    assert!(built.cedar_schema.contains("\"status\": String"));
}

#[test]
fn every_cedar_policy_is_annotated_and_hostile_names_add_no_policy() {
    let built = build();
    let cedar = Cedar::new(&built);
    let mut permits = 0;
    let mut stops = Vec::new();
    for policy in cedar.policies.policies() {
        assert!(policy.annotation("id").is_some(), "{policy}");
        let control = policy.annotation("control").expect("@control");
        let check = policy.annotation("check").expect("@check");
        if policy.effect() == cedar_policy::Effect::Permit {
            permits += 1;
            assert!(policy.annotation("id").unwrap().starts_with("permit/"));
            assert_eq!((check, control), ("known-asset", ""), "{policy}");
        } else if check == "status" {
            assert_eq!(control, "", "{policy}");
            stops.push(policy.annotation("id").unwrap().to_string());
        } else {
            assert!(!control.is_empty(), "{policy}");
        }
    }
    assert_eq!(
        permits, 11,
        "one permit per asset, none smuggled in by a tool name"
    );
    stops.sort();
    assert_eq!(
        stops,
        [
            "forbid/retired-agent/status",
            "forbid/retired-dataset/status",
            "forbid/suspended-agent/status",
            "forbid/suspended-dataset/status",
        ]
    );
    assert!(
        !built.cedar_policies.contains(INJECTION),
        "the hostile name is escaped"
    );
}

#[test]
fn the_opa_manifest_names_roots_rego_version_and_generator() {
    let built = build();
    let names: Vec<&String> = built.opa.keys().collect();
    assert_eq!(
        names,
        [".manifest", "governance/authz.rego", "governance/data.json"]
    );
    let manifest: Value = serde_json::from_str(&text(&built, ".manifest")).unwrap();
    assert_eq!(manifest["roots"], json!(["governance"]));
    assert_eq!(manifest["rego_version"], json!(1));
    assert_eq!(manifest["metadata"]["generator"], json!("govern"));
    assert!(manifest["revision"].as_str().is_some_and(|r| !r.is_empty()));
    let data: Value = serde_json::from_str(&text(&built, "governance/data.json")).unwrap();
    let pay = &data["assets"]["pay-agent"];
    assert_eq!(pay["checks"]["credential-ttl"], json!(["TTL-A", "TTL-B"]));
    assert_eq!(
        data["assets"]["excepted-agent"]["exceptions"]["STEP-UP"],
        json!(LAPSED)
    );
    assert_eq!(
        pay["tools"]["reports.read"],
        json!({"access": "read", "decision": "allow", "from": START, "until": END})
    );
    assert_eq!(pay["tools"]["kb.search"]["min_confidence"], json!(80));
    assert_eq!(pay["status"], json!("active"));
    assert_eq!(data["approval_ttl"], json!("15m"));
    assert_eq!(data["approval_ttl_seconds"], json!(900));
}

#[test]
fn the_readme_example_decisions_hold_for_the_example_organisation() {
    let built = build_repo(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut opa = Opa::new(&built);
    let cedar = Cedar::new(&built);
    let ask = |approval: Value, now: i64| {
        request(
            "billing-agent",
            "refunds.create",
            workload(600, "spiffe://acme.example/agents/billing"),
            approval,
            now,
        )
    };
    let owners = json!({"accountable": "payments-product", "approver": "iam",
                        "operator": "ml-platform", "revoker": "iam"});
    let mut decide = |input: Value| {
        let (outcome, raw) = opa.decide(&input);
        assert_eq!(cedar.decide(&input), outcome, "{input}");
        raw
    };
    assert_eq!(
        decide(ask(json!(false), 1_795_000_000)),
        json!({"allow": true, "step_up": false, "owners": owners, "reasons": []})
    );
    let lapsed = 1_800_057_600;
    assert_eq!(
        decide(ask(json!(false), lapsed)),
        json!({"allow": false, "step_up": true, "owners": owners,
               "reasons": [{"check": "step-up", "control": "AGENT-STEP-UP",
                            "message": "tool `refunds.create` needs a human approval"}]})
    );
    assert_eq!(
        decide(ask(json!({"by": "iam", "at": lapsed - 300}), lapsed))["allow"],
        json!(true)
    );
    assert_eq!(
        decide(ask(
            json!({"by": "ml-platform", "at": lapsed - 2400}),
            lapsed
        )),
        json!({"allow": false, "step_up": true, "owners": owners,
               "reasons": [
                   {"check": "step-up", "control": "AGENT-STEP-UP",
                    "message": "approval is 40 minutes old, over 15m"},
                   {"check": "step-up", "control": "AGENT-STEP-UP",
                    "message": "approved by `ml-platform`, not by the approver `iam`"},
                   {"check": "step-up", "control": "AGENT-STEP-UP",
                    "message": "approved by the operator `ml-platform`"}]})
    );
}
