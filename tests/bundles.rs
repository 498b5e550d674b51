//! The policy bundles under the real engines: regorus evaluates the built
//! Rego and data, cedar-policy validates the Cedar policies in strict mode
//! and authorizes, over one decision table; OPA and Cedar must agree on
//! every request. The governance behind it is `tests/fixtures/bundles/`.

mod common;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityId, EntityTypeName, EntityUid, PolicySet,
    Request, Schema, ValidationMode, Validator,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

/// 2026-11-18T...Z: a moment while the fixture's exception holds.
const NOW: i64 = 1_795_000_000;
/// The last second of 2026-12-31, the day the exception expires.
const LAST_SECOND: i64 = 1_798_761_599;
/// 2027-01-01T00:00:00Z: the exception has lapsed.
const LAPSED: i64 = 1_798_761_600;

/// What both engines decide: allowed, step-up only, and the controls named
/// (one per failing check; `None` for an unknown asset), sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    allow: bool,
    step_up: bool,
    controls: Vec<Option<String>>,
}

fn allow() -> Outcome {
    Outcome {
        allow: true,
        step_up: false,
        controls: vec![],
    }
}

fn deny(controls: &[&str]) -> Outcome {
    let mut controls: Vec<Option<String>> = controls.iter().map(|c| Some(c.to_string())).collect();
    controls.sort();
    Outcome {
        allow: false,
        step_up: false,
        controls,
    }
}

fn step_up(control: &str) -> Outcome {
    Outcome {
        step_up: true,
        ..deny(&[control])
    }
}

fn unknown() -> Outcome {
    Outcome {
        allow: false,
        step_up: false,
        controls: vec![None],
    }
}

struct Case {
    name: &'static str,
    input: Value,
    expect: Outcome,
}

fn request(asset: &str, tool: &str, credential: Value, approval: bool, now: i64) -> Value {
    json!({"asset": asset, "tool": tool, "credential": credential, "approval": approval, "now": now})
}

fn workload(ttl: i64, spiffe: &str) -> Value {
    json!({"type": "workload", "ttl_seconds": ttl, "spiffe_id": spiffe})
}

fn credential(kind: &str, ttl: i64) -> Value {
    json!({"type": kind, "ttl_seconds": ttl})
}

const PAY: &str = "spiffe://test.example/pay-agent";
const EXCEPTED: &str = "spiffe://test.example/excepted-agent";
const INJECTION: &str = r#"x"]) || true; permit (principal, action, resource); //"#;

fn table() -> Vec<Case> {
    let case = |name, input, expect| Case {
        name,
        input,
        expect,
    };
    let good = || workload(600, PAY);
    vec![
        case(
            "declared read tool",
            request("pay-agent", "invoices.read", good(), false, NOW),
            allow(),
        ),
        case(
            "step-up tool without approval",
            request("pay-agent", "refunds.create", good(), false, NOW),
            step_up("STEP-UP"),
        ),
        case(
            "step-up tool with approval",
            request("pay-agent", "refunds.create", good(), true, NOW),
            allow(),
        ),
        case(
            "deny tool",
            request("pay-agent", "customers.delete", good(), true, NOW),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "undeclared tool",
            request("pay-agent", "wire.transfer", good(), true, NOW),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "ttl one over max-ttl, first control by id",
            request("pay-agent", "invoices.read", workload(901, PAY), false, NOW),
            deny(&["TTL-A"]),
        ),
        case(
            "ttl exactly max-ttl",
            request("pay-agent", "invoices.read", workload(900, PAY), false, NOW),
            allow(),
        ),
        case(
            "static secret",
            request(
                "pay-agent",
                "invoices.read",
                json!({"type": "static-secret", "ttl_seconds": 60, "spiffe_id": PAY}),
                false,
                NOW,
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "wrong spiffe id",
            request(
                "pay-agent",
                "invoices.read",
                workload(600, "spiffe://test.example/other"),
                false,
                NOW,
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "jit credential with the spiffe id",
            request(
                "pay-agent",
                "invoices.read",
                json!({"type": "jit", "ttl_seconds": 60, "spiffe_id": PAY}),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "workload credential without spiffe id",
            request(
                "pay-agent",
                "invoices.read",
                credential("workload", 60),
                false,
                NOW,
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "step-up and long ttl: not step-up only",
            request(
                "pay-agent",
                "refunds.create",
                workload(3600, PAY),
                false,
                NOW,
            ),
            deny(&["STEP-UP", "TTL-A"]),
        ),
        case(
            "deny tool and shared human",
            request(
                "pay-agent",
                "customers.delete",
                credential("shared-human", 60),
                false,
                NOW,
            ),
            deny(&["ALLOWLIST", "WORKLOAD-ID"]),
        ),
        case(
            "low trust reads",
            request(
                "shaky-agent",
                "invoices.read",
                credential("workload", 3600),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "no spiffe-id declared: any spiffe id",
            request(
                "shaky-agent",
                "invoices.read",
                workload(60, "spiffe://anything"),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "low trust writes",
            request(
                "shaky-agent",
                "invoices.update",
                credential("workload", 60),
                false,
                NOW,
            ),
            deny(&["TRUST"]),
        ),
        case(
            "low trust, undeclared tool counts as a write",
            request(
                "shaky-agent",
                "invoices.delete",
                credential("jit", 60),
                false,
                NOW,
            ),
            deny(&["ALLOWLIST", "TRUST"]),
        ),
        case(
            "no max-ttl: policy max-credential-ttl",
            request(
                "shaky-agent",
                "invoices.read",
                credential("workload", 3601),
                false,
                NOW,
            ),
            deny(&["TTL-A"]),
        ),
        case(
            "low trust, shared human",
            request(
                "shaky-agent",
                "invoices.read",
                credential("shared-human", 60),
                false,
                NOW,
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "exception holds",
            request(
                "excepted-agent",
                "refunds.create",
                workload(60, EXCEPTED),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "exception holds through its last second",
            request(
                "excepted-agent",
                "refunds.create",
                workload(60, EXCEPTED),
                false,
                LAST_SECOND,
            ),
            allow(),
        ),
        case(
            "exception lapsed",
            request(
                "excepted-agent",
                "refunds.create",
                workload(60, EXCEPTED),
                false,
                LAPSED,
            ),
            step_up("STEP-UP"),
        ),
        case(
            "exception lapsed, approved",
            request(
                "excepted-agent",
                "refunds.create",
                workload(60, EXCEPTED),
                true,
                LAPSED,
            ),
            allow(),
        ),
        case(
            "exception covers only its control",
            request(
                "excepted-agent",
                "refunds.create",
                workload(60, PAY),
                false,
                NOW,
            ),
            deny(&["WORKLOAD-ID"]),
        ),
        case(
            "quote in a tool name",
            request(
                "odd-mcp",
                "quote\".read",
                credential("jit", 300),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "backslash in a tool name",
            request(
                "odd-mcp",
                "back\\slash.read",
                credential("jit", 300),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "newline in a tool name",
            request(
                "odd-mcp",
                "new\nline.read",
                credential("jit", 300),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "unicode tool name",
            request("odd-mcp", "ツール.read", credential("jit", 300), false, NOW),
            allow(),
        ),
        case(
            "injection attempt is just a denied tool",
            request("odd-mcp", INJECTION, credential("jit", 300), false, NOW),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "prefix of a hostile name is not declared",
            request("odd-mcp", "quote", credential("jit", 300), false, NOW),
            deny(&["ALLOWLIST"]),
        ),
        case(
            "mcp server ttl",
            request("odd-mcp", "ツール.read", credential("jit", 301), false, NOW),
            deny(&["TTL-A"]),
        ),
        case(
            "no workload-identity check on the mcp server",
            request(
                "odd-mcp",
                "ツール.read",
                credential("static-secret", 60),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "no check on a dataset",
            request(
                "plain-dataset",
                "anything.write",
                credential("static-secret", 999_999),
                false,
                NOW,
            ),
            allow(),
        ),
        case(
            "unknown asset",
            request("ghost", "invoices.read", good(), true, NOW),
            unknown(),
        ),
        case(
            "asset ids are exact",
            request("Pay-Agent", "invoices.read", good(), false, NOW),
            unknown(),
        ),
        case(
            "hostile asset id",
            request("pay-agent\" || true", "invoices.read", good(), false, NOW),
            unknown(),
        ),
    ]
}

/// The built bundles of the fixture, once per test binary run.
struct Built {
    _dir: tempfile::TempDir,
    opa: BTreeMap<String, Vec<u8>>,
    cedar_schema: String,
    cedar_policies: String,
    cedar_entities: String,
}

fn build() -> Built {
    build_repo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundles"))
}

fn build_repo(repo: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    common::build(repo, &out, &[]);
    let archive = std::fs::read(out.join("bundles/opa/bundle.tar.gz")).unwrap();
    let mut opa = BTreeMap::new();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.as_slice()));
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let header = entry.header();
        assert_eq!(header.mtime().unwrap(), 0, "fixed mtime");
        assert_eq!(
            (header.uid().unwrap(), header.gid().unwrap()),
            (0, 0),
            "fixed owner"
        );
        assert_eq!(header.mode().unwrap(), 0o644, "fixed mode");
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        opa.insert(path, bytes);
    }
    let read = |p: &str| std::fs::read_to_string(out.join("bundles/cedar").join(p)).unwrap();
    Built {
        cedar_schema: read("schema.cedarschema"),
        cedar_policies: read("policies.cedar"),
        cedar_entities: read("entities.json"),
        opa,
        _dir: dir,
    }
}

fn text(built: &Built, path: &str) -> String {
    String::from_utf8(built.opa[path].clone()).unwrap()
}

struct Opa(regorus::Engine);

impl Opa {
    fn new(built: &Built) -> Opa {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy(
                "governance/authz.rego".into(),
                text(built, "governance/authz.rego"),
            )
            .expect("the generated Rego parses as Rego v1");
        let data: Value = serde_json::from_str(&text(built, "governance/data.json")).unwrap();
        engine
            .add_data_json(&json!({"governance": data}).to_string())
            .unwrap();
        Opa(engine)
    }

    fn decide(&mut self, input: &Value) -> (Outcome, Value) {
        self.0.set_input_json(&input.to_string()).unwrap();
        let result = self
            .0
            .eval_rule("data.governance.authz.decision".into())
            .unwrap();
        let result: Value = serde_json::from_str(&result.to_json_str().unwrap()).unwrap();
        let mut controls: Vec<Option<String>> = result["reasons"]
            .as_array()
            .unwrap_or_else(|| panic!("no reasons in {result}"))
            .iter()
            .map(|r| r["control"].as_str().map(str::to_string))
            .collect();
        controls.sort();
        let outcome = Outcome {
            allow: result["allow"].as_bool().unwrap(),
            step_up: result["step_up"].as_bool().unwrap(),
            controls,
        };
        (outcome, result)
    }
}

struct Cedar {
    schema: Schema,
    policies: PolicySet,
    entities: Entities,
    action: EntityUid,
}

impl Cedar {
    fn new(built: &Built) -> Cedar {
        let (schema, _) = Schema::from_cedarschema_str(&built.cedar_schema).unwrap();
        let policies = PolicySet::from_str(&built.cedar_policies).expect("policies parse");
        let entities = Entities::from_json_str(&built.cedar_entities, Some(&schema)).unwrap();
        let action = EntityUid::from_str(r#"Action::"invoke_tool""#).unwrap();
        Cedar {
            schema,
            policies,
            entities,
            action,
        }
    }

    fn uid(kind: &str, id: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(EntityTypeName::from_str(kind).unwrap(), EntityId::new(id))
    }

    fn decide(&self, input: &Value) -> Outcome {
        let principal = Cedar::uid("Asset", input["asset"].as_str().unwrap());
        let resource = Cedar::uid("Tool", input["tool"].as_str().unwrap());
        let context = Context::from_json_value(
            json!({"credential": input["credential"], "approval": input["approval"], "now": input["now"]}),
            Some((&self.schema, &self.action)),
        )
        .unwrap();
        let request = Request::new(
            principal,
            self.action.clone(),
            resource,
            context,
            Some(&self.schema),
        )
        .unwrap();
        let response = Authorizer::new().is_authorized(&request, &self.policies, &self.entities);
        assert!(
            response.diagnostics().errors().next().is_none(),
            "evaluation errors: {:?}",
            response.diagnostics().errors().collect::<Vec<_>>()
        );
        if response.decision() == Decision::Allow {
            return allow();
        }
        // One control per failing check: the first by id, as in Rego.
        let mut by_check: BTreeMap<String, String> = BTreeMap::new();
        for id in response.diagnostics().reason() {
            let check = self.policies.annotation(id, "check").unwrap().to_string();
            let control = self.policies.annotation(id, "control").unwrap().to_string();
            let first = by_check.entry(check).or_insert_with(|| control.clone());
            if control < *first {
                *first = control;
            }
        }
        if by_check.is_empty() {
            return unknown();
        }
        let mut controls: Vec<Option<String>> = by_check.values().cloned().map(Some).collect();
        controls.sort();
        Outcome {
            allow: false,
            step_up: by_check.keys().all(|c| c == "step-up"),
            controls,
        }
    }
}

#[test]
fn the_table_covers_every_check_and_enough_requests() {
    let table = table();
    assert!(table.len() >= 30, "{} requests", table.len());
    let controls: Vec<Option<String>> = table
        .iter()
        .flat_map(|c| c.expect.controls.clone())
        .collect();
    for control in ["ALLOWLIST", "STEP-UP", "TTL-A", "WORKLOAD-ID", "TRUST"] {
        assert!(
            controls.contains(&Some(control.to_string())),
            "no request denied by {control}"
        );
    }
    assert!(controls.contains(&None), "no unknown asset");
}

#[test]
fn opa_decides_the_table_as_expected() {
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
        if !got.allow {
            for reason in raw["reasons"].as_array().unwrap() {
                assert!(
                    !reason["message"].as_str().unwrap().is_empty(),
                    "{}: a reason says why",
                    case.name
                );
            }
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
fn every_cedar_policy_is_annotated_and_hostile_names_add_no_policy() {
    let built = build();
    let cedar = Cedar::new(&built);
    let mut permits = 0;
    for policy in cedar.policies.policies() {
        assert!(policy.annotation("id").is_some(), "{policy}");
        assert!(policy.annotation("control").is_some(), "{policy}");
        if policy.effect() == cedar_policy::Effect::Permit {
            permits += 1;
            assert!(policy.annotation("id").unwrap().starts_with("permit/"));
        }
    }
    assert_eq!(
        permits, 5,
        "one permit per asset, none smuggled in by a tool name"
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
}

#[test]
fn the_readme_example_decisions_hold_for_the_example_organisation() {
    let built = build_repo(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut opa = Opa::new(&built);
    let cedar = Cedar::new(&built);
    let ask = |now: i64| {
        request(
            "billing-agent",
            "refunds.create",
            workload(600, "spiffe://acme.example/agents/billing"),
            false,
            now,
        )
    };
    let (during, raw) = opa.decide(&ask(1_795_000_000));
    assert_eq!(raw, json!({"allow": true, "step_up": false, "reasons": []}));
    assert_eq!(cedar.decide(&ask(1_795_000_000)), during);
    let (lapsed, raw) = opa.decide(&ask(1_800_057_600));
    assert_eq!(
        raw,
        json!({"allow": false, "step_up": true, "reasons": [{"control": "AGENT-STEP-UP",
               "message": "tool `refunds.create` needs a human approval"}]})
    );
    assert_eq!(cedar.decide(&ask(1_800_057_600)), lapsed);
}
