//! The built bundles under the real engines: regorus evaluates the Rego and
//! data, cedar-policy authorizes with the schema, policies and entities.
//! Both answer with an [`Outcome`], so the table compares them alike.

use super::common;
use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityId, EntityTypeName, EntityUid, PolicySet,
    Request, Schema,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

/// What both engines decide: allowed, step-up only, and each failing check
/// with the control named for it (`None` for the unknown-asset and status
/// reasons), sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub allow: bool,
    pub step_up: bool,
    pub reasons: Vec<(String, Option<String>)>,
}

/// The built bundles of one governance repository.
pub struct Built {
    _dir: tempfile::TempDir,
    pub opa: BTreeMap<String, Vec<u8>>,
    pub cedar_schema: String,
    pub cedar_policies: String,
    pub cedar_entities: String,
}

pub fn build_repo(repo: &Path) -> Built {
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

pub fn text(built: &Built, path: &str) -> String {
    String::from_utf8(built.opa[path].clone()).unwrap()
}

pub struct Opa(regorus::Engine);

impl Opa {
    pub fn new(built: &Built) -> Opa {
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

    /// Decides `input`, returning the outcome and OPA's whole decision.
    pub fn decide(&mut self, input: &Value) -> (Outcome, Value) {
        self.0.set_input_json(&input.to_string()).unwrap();
        let result = self
            .0
            .eval_rule("data.governance.authz.decision".into())
            .unwrap();
        let result: Value = serde_json::from_str(&result.to_json_str().unwrap()).unwrap();
        let reasons: BTreeSet<(String, Option<String>)> = result["reasons"]
            .as_array()
            .unwrap_or_else(|| panic!("no reasons in {result}"))
            .iter()
            .map(|r| {
                let check = r["check"]
                    .as_str()
                    .unwrap_or_else(|| panic!("a reason without its check in {result}"));
                (check.to_string(), r["control"].as_str().map(str::to_string))
            })
            .collect();
        let outcome = Outcome {
            allow: result["allow"].as_bool().unwrap(),
            step_up: result["step_up"].as_bool().unwrap(),
            reasons: reasons.into_iter().collect(),
        };
        (outcome, result)
    }
}

pub struct Cedar {
    pub schema: Schema,
    pub policies: PolicySet,
    pub entities: Entities,
    action: EntityUid,
}

impl Cedar {
    pub fn new(built: &Built) -> Cedar {
        let (schema, _) = Schema::from_cedarschema_str(&built.cedar_schema).unwrap();
        let policies = PolicySet::from_str(&built.cedar_policies).expect("policies parse");
        let entities = Entities::from_json_str(&built.cedar_entities, Some(&schema))
            .expect("the entities conform to the schema");
        let action = EntityUid::from_str(r#"Action::"invoke_tool""#).unwrap();
        Cedar {
            schema,
            policies,
            entities,
            action,
        }
    }

    pub fn uid(kind: &str, id: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(EntityTypeName::from_str(kind).unwrap(), EntityId::new(id))
    }

    /// The context of a request as an enforcement point passes it to
    /// Cedar: `approval` only when the request carries an approval
    /// object, `confidence` only when it states one.
    pub fn context(input: &Value) -> Value {
        let mut context = json!({"credential": input["credential"], "now": input["now"]});
        if input["approval"].is_object() {
            context["approval"] = input["approval"].clone();
        }
        if !input["confidence"].is_null() {
            context["confidence"] = input["confidence"].clone();
        }
        context
    }

    pub fn decide(&self, input: &Value) -> Outcome {
        let principal = Cedar::uid("Asset", input["asset"].as_str().unwrap());
        let resource = Cedar::uid("Tool", input["tool"].as_str().unwrap());
        let context =
            Context::from_json_value(Cedar::context(input), Some((&self.schema, &self.action)))
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
            return Outcome {
                allow: true,
                step_up: false,
                reasons: Vec::new(),
            };
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
            // No permit: the asset is not in the baseline.
            by_check.insert("known-asset".into(), String::new());
        }
        let step_up = by_check.keys().all(|c| c == "step-up" || c == "confidence");
        let mut reasons: Vec<(String, Option<String>)> = by_check
            .into_iter()
            .map(|(check, control)| (check, Some(control).filter(|c| !c.is_empty())))
            .collect();
        reasons.sort();
        Outcome {
            allow: false,
            step_up: step_up && !reasons.iter().any(|(c, _)| c == "known-asset"),
            reasons,
        }
    }
}
