//! The JSON Schema of governance files, for editors such as taplo and Even
//! Better TOML. It is built from the same vocabularies and key lists the
//! loader uses, so the two cannot drift apart; a test holds them together.

use serde_json::{json, Map, Value};

use crate::diag::Code;
use crate::model::vocab::{
    Access, AssetKind, Check, Coverage, Decision, Environment, FindingStatus, IdentityType, Level,
    Role, RuleLevel, TeamKind,
};

const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
const DURATION_PATTERN: &str = "^[0-9]+[smhdw]$";
const REFERENCE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}:.+$";

/// Returns the schema as pretty-printed JSON with a final newline.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// Builds the schema of every kind of governance file: declaration files,
/// `governance.toml` and framework catalogs.
pub fn schema() -> Value {
    let mut root = object(
        "A govern file: declarations ([[team]], [[asset]], [[control]], [[exception]], \
         [[finding]]), the settings in governance.toml, or a framework catalog.",
        vec![
            ("team", array_of(team())),
            ("asset", array_of(asset())),
            ("control", array_of(control())),
            ("exception", array_of(exception())),
            ("finding", array_of(finding())),
            ("organization", organization()),
            ("policy", policy()),
            ("rules", rules()),
            ("activity", array_of(activity())),
            ("signer", array_of(signer())),
            ("framework", framework()),
            ("requirement", array_of(requirement())),
        ],
        &[],
    );
    let map = root.as_object_mut().expect("object() builds an object");
    map.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    map.insert("title".into(), json!("govern governance file"));
    root
}

fn team() -> Value {
    object(
        "A team, person or vendor that can own assets and controls.",
        vec![
            ("id", id("Unique team id")),
            ("name", text("Display name; defaults to the id")),
            ("kind", one_of(TeamKind::NAMES, "team | person | vendor")),
            (
                "functions",
                strings("Labels; see policy.governance-functions"),
            ),
            ("contact", text("Where to reach the team")),
            (
                "handle",
                text("Code-host handle for CODEOWNERS, e.g. @acme/payments-eng"),
            ),
            ("parent", id("Parent team id")),
            ("active", boolean("false: the team left or was disbanded")),
        ],
        &["id"],
    )
}

fn asset() -> Value {
    object(
        "An AI model, agent, app, dataset or non-human identity.",
        vec![
            ("id", id("Unique asset id")),
            ("name", text("Display name; defaults to the id")),
            ("kind", one_of(AssetKind::NAMES, "What the asset is")),
            (
                "environment",
                one_of(Environment::NAMES, "Default production"),
            ),
            ("risk", one_of(Level::NAMES, "Default medium")),
            ("description", text("What the asset does")),
            ("tags", strings("Free labels, matched by applies-to.tags")),
            ("depends-on", ids("Assets this one depends on")),
            ("vendor", id("A team of kind vendor")),
            ("owners", owners()),
            ("identity", identity()),
            ("tool", array_of(tool())),
            ("trust", trust()),
        ],
        &["id", "kind", "owners"],
    )
}

fn owners() -> Value {
    object(
        "Who owns the asset, by role.",
        vec![
            ("accountable", id("The team that can accept risk; required")),
            ("operator", id("The team that runs the asset")),
            ("remediation", id("The team that can change the asset")),
            ("approver", id("The team that approves access")),
            ("revoker", id("The team that revokes access")),
            ("reviewers", ids("Teams that review the asset's actions")),
            ("incident", id("The team that responds to incidents")),
            (
                "attested",
                date("Last confirmation by the accountable owner"),
            ),
        ],
        &["accountable"],
    )
}

fn identity() -> Value {
    object(
        "How the asset authenticates.",
        vec![
            ("type", one_of(IdentityType::NAMES, "Kind of credential")),
            (
                "spiffe-id",
                text("Workload identity, e.g. spiffe://acme.example/agents/billing"),
            ),
            ("max-ttl", duration("Longest credential lifetime")),
        ],
        &[],
    )
}

fn tool() -> Value {
    object(
        "A tool an agent or MCP server may call.",
        vec![
            ("id", text("Tool name, e.g. refunds.create")),
            ("system", text("System the tool acts on")),
            ("access", one_of(Access::NAMES, "read | write | admin")),
            (
                "decision",
                one_of(Decision::NAMES, "allow | step-up | deny"),
            ),
        ],
        &["id"],
    )
}

fn trust() -> Value {
    object(
        "The asset's trust score.",
        vec![
            ("score", integer(0, 100, "Trust score, 0..100")),
            ("assessed", date("When the score was assessed")),
            (
                "threshold",
                integer(0, 100, "Overrides policy.trust-threshold"),
            ),
        ],
        &["score"],
    )
}

fn control() -> Value {
    object(
        "A control: what must hold, who owns it and what it maps to.",
        vec![
            ("id", id("Unique control id")),
            ("title", text("What the control requires")),
            ("owner", id("Team that owns the control")),
            (
                "severity",
                one_of(Level::NAMES, "low | medium | high | critical"),
            ),
            ("applies-to", applies_to()),
            ("maps-to", maps_to()),
            ("enforce", list_of(one_of(Check::NAMES, "A runtime check"))),
            (
                "retest-every",
                duration("How often the control is retested"),
            ),
            ("evidence", text("What proves the control holds")),
        ],
        &["id", "title", "owner"],
    )
}

fn applies_to() -> Value {
    object(
        "Which assets the control applies to; each omitted list means any.",
        vec![
            ("kinds", list_of(one_of(AssetKind::NAMES, "Asset kind"))),
            (
                "environments",
                list_of(one_of(Environment::NAMES, "Environment")),
            ),
            ("risk", list_of(one_of(Level::NAMES, "Risk level"))),
            ("tags", strings("Any shared tag")),
        ],
        &[],
    )
}

fn maps_to() -> Value {
    let reference = json!({
        "type": "string",
        "pattern": REFERENCE_PATTERN,
        "description": "<framework-id>:<requirement-id>",
    });
    let table = object(
        "A framework requirement with its coverage.",
        vec![
            ("ref", reference.clone()),
            ("coverage", one_of(Coverage::NAMES, "full | partial")),
        ],
        &["ref"],
    );
    json!({
        "type": "array",
        "description": "Framework requirements the control covers.",
        "items": { "anyOf": [reference, table] },
    })
}

fn exception() -> Value {
    object(
        "A time-boxed exception to a control for one asset.",
        vec![
            ("id", id("Unique exception id")),
            ("asset", id("The excepted asset")),
            ("control", id("The excepted control")),
            ("approved-by", id("Team that approved the exception")),
            ("reason", text("Why the exception is needed")),
            ("granted", date("When the exception was granted")),
            ("expires", date("Last day the exception holds")),
            ("compensating", ids("Controls that compensate")),
        ],
        &[
            "id",
            "asset",
            "control",
            "approved-by",
            "granted",
            "expires",
        ],
    )
}

fn finding() -> Value {
    object(
        "A finding against a control on one asset.",
        vec![
            ("id", id("Unique finding id")),
            ("asset", id("The asset the finding is about")),
            ("control", id("The control that failed")),
            ("severity", one_of(Level::NAMES, "Default: the control's")),
            ("opened", date("When the finding was opened")),
            (
                "status",
                one_of(FindingStatus::NAMES, "open | remediated | accepted"),
            ),
            ("retest-by", date("When the fix must be retested")),
            ("source", text("What raised the finding")),
        ],
        &["id", "asset", "control", "opened"],
    )
}

fn organization() -> Value {
    object(
        "The organisation this repository governs.",
        vec![("name", text("Organisation name"))],
        &[],
    )
}

fn policy() -> Value {
    let escalation = object(
        "How long an open finding may stay open, per severity.",
        Level::NAMES
            .iter()
            .map(|level| (*level, duration("Escalate after")))
            .collect(),
        &[],
    );
    object(
        "Organisation-wide policy.",
        vec![
            ("frameworks", ids("Frameworks reported on")),
            (
                "trust-threshold",
                integer(0, 100, "Default trust threshold"),
            ),
            (
                "max-credential-ttl",
                duration("Longest credential lifetime"),
            ),
            (
                "max-exception-days",
                integer(1, i64::MAX, "Longest exception"),
            ),
            (
                "attestation-max-age",
                duration("Oldest acceptable attestation"),
            ),
            (
                "max-accountable",
                integer(1, i64::MAX, "Assets per team before overload"),
            ),
            (
                "governance-functions",
                strings("Team functions that form governance"),
            ),
            (
                "exception-approvers",
                ids("Teams allowed to approve any exception"),
            ),
            ("escalation", escalation),
        ],
        &[],
    )
}

fn rules() -> Value {
    let properties: Map<String, Value> = Code::rules()
        .map(|code| {
            (
                code.name().to_string(),
                one_of(RuleLevel::NAMES, "error | warning | info | off"),
            )
        })
        .collect();
    json!({
        "type": "object",
        "description": "Per-code severity overrides.",
        "properties": properties,
        "additionalProperties": false,
    })
}

fn activity() -> Value {
    let role = || one_of(Role::NAMES, "An owner role");
    object(
        "A RACI activity and the owner roles behind each letter.",
        vec![
            ("id", id("Unique activity id")),
            ("title", text("What the activity is")),
            ("accountable", role()),
            ("responsible", list_of(role())),
            ("consulted", list_of(role())),
            ("informed", list_of(role())),
        ],
        &["id"],
    )
}

fn signer() -> Value {
    object(
        "A key that may sign releases of this baseline.",
        vec![
            ("id", id("Unique signer id")),
            ("team", id("The team holding the key")),
            (
                "public-key",
                text("OpenSSH public key: ssh-ed25519 AAAA... comment"),
            ),
            ("expires", date("Last day the key may sign")),
        ],
        &["id", "team", "public-key"],
    )
}

fn framework() -> Value {
    object(
        "A framework catalog's header.",
        vec![
            ("id", id("Framework id, used in maps-to references")),
            ("name", text("Framework name")),
            ("version", text("Framework version")),
            ("source", text("Where the framework is published")),
            ("published", text("Publication date")),
            ("publication", text("Publication reference")),
            ("crosscheck", text("Where the catalog was cross-checked")),
            ("license", text("License of the framework text")),
            ("notes", text("Notes")),
            ("web", text("Web page")),
        ],
        &["id"],
    )
}

fn requirement() -> Value {
    object(
        "One requirement of a framework catalog.",
        vec![
            ("id", text("Requirement id, unique in the catalog")),
            ("kind", text("Free label: function, category, risk, ...")),
            ("title", text("Requirement title")),
            ("parent", text("Parent requirement of the same catalog")),
            ("note", text("Note")),
        ],
        &["id"],
    )
}

fn object(description: &str, fields: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
    let mut value = json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        value["required"] = json!(required);
    }
    value
}

fn array_of(item: Value) -> Value {
    json!({ "type": "array", "items": item })
}

fn list_of(item: Value) -> Value {
    json!({ "type": "array", "items": item, "uniqueItems": true })
}

fn id(description: &str) -> Value {
    json!({ "type": "string", "pattern": ID_PATTERN, "description": description })
}

fn ids(description: &str) -> Value {
    json!({ "type": "array", "items": id(description), "description": description })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn strings(description: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

fn boolean(description: &str) -> Value {
    json!({ "type": "boolean", "description": description })
}

fn integer(minimum: i64, maximum: i64, description: &str) -> Value {
    let mut value = json!({ "type": "integer", "minimum": minimum, "description": description });
    if maximum != i64::MAX {
        value["maximum"] = json!(maximum);
    }
    value
}

fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "description": description })
}

fn duration(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": DURATION_PATTERN,
        "description": format!("{description}: a number and a unit, s m h d or w (\"15m\", \"90d\")"),
    })
}

fn one_of(names: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": names, "description": description })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse as keys;

    /// The key lists the loader accepts, by path in the schema, for the test
    /// that holds the schema and the loader together.
    fn loader_keys() -> Vec<(&'static str, &'static [&'static str])> {
        let top: &'static [&'static str] = &[
            "team",
            "asset",
            "control",
            "exception",
            "finding",
            "organization",
            "policy",
            "rules",
            "activity",
            "signer",
            "framework",
            "requirement",
        ];
        vec![
            ("", top),
            ("/team", keys::TEAM_KEYS),
            ("/asset", keys::ASSET_KEYS),
            ("/asset/owners", keys::OWNERS_KEYS),
            ("/asset/identity", keys::IDENTITY_KEYS),
            ("/asset/tool", keys::TOOL_KEYS),
            ("/asset/trust", keys::TRUST_KEYS),
            ("/control", keys::CONTROL_KEYS),
            ("/control/applies-to", keys::APPLIES_TO_KEYS),
            ("/control/maps-to", keys::MAPS_TO_KEYS),
            ("/exception", keys::EXCEPTION_KEYS),
            ("/finding", keys::FINDING_KEYS),
            ("/organization", keys::ORGANIZATION_KEYS),
            ("/policy", keys::POLICY_KEYS),
            ("/policy/escalation", keys::ESCALATION_KEYS),
            ("/activity", keys::ACTIVITY_KEYS),
            ("/signer", keys::SIGNER_KEYS),
            ("/framework", keys::FRAMEWORK_KEYS),
            ("/requirement", keys::REQUIREMENT_KEYS),
        ]
    }

    /// Follows a path of property names through objects, arrays and the
    /// table form of `maps-to`.
    fn object_at<'a>(root: &'a Value, path: &str) -> &'a Map<String, Value> {
        let mut node = root;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            node = &node["properties"][part];
            while node.get("properties").is_none() {
                node = match (node.get("items"), node.get("anyOf")) {
                    (Some(items), _) => items,
                    (None, Some(any)) => any
                        .as_array()
                        .and_then(|v| v.iter().find(|n| n.get("properties").is_some()))
                        .unwrap_or_else(|| panic!("no object at {path}")),
                    (None, None) => panic!("no object at {path}"),
                };
            }
        }
        node["properties"]
            .as_object()
            .expect("properties is an object")
    }

    #[test]
    fn schema_properties_are_exactly_the_keys_the_loader_accepts() {
        let root = schema();
        for (path, accepted) in loader_keys() {
            let mut in_schema: Vec<&str> =
                object_at(&root, path).keys().map(String::as_str).collect();
            let mut in_loader: Vec<&str> = accepted.to_vec();
            in_schema.sort_unstable();
            in_loader.sort_unstable();
            assert_eq!(in_schema, in_loader, "keys at `{path}`");
        }
        let top: Vec<&str> = keys::DECLARATION_KEYS
            .iter()
            .chain(keys::SETTINGS_KEYS)
            .chain(keys::CATALOG_KEYS)
            .copied()
            .collect();
        let mut top_sorted = top.clone();
        top_sorted.sort_unstable();
        let mut listed = loader_keys()[0].1.to_vec();
        listed.sort_unstable();
        assert_eq!(listed, top_sorted);
    }

    #[test]
    fn every_object_rejects_unknown_keys() {
        fn walk(node: &Value, path: &str) {
            if let Some(map) = node.as_object() {
                if map.contains_key("properties") {
                    assert_eq!(map["additionalProperties"], json!(false), "at {path}");
                }
                for (key, child) in map {
                    walk(child, &format!("{path}/{key}"));
                }
            } else if let Some(items) = node.as_array() {
                for child in items {
                    walk(child, path);
                }
            }
        }
        walk(&schema(), "");
    }

    #[test]
    fn rules_list_every_rule_code() {
        let root = schema();
        let rules = root["properties"]["rules"]["properties"]
            .as_object()
            .unwrap();
        assert_eq!(rules.len(), Code::rules().count());
        assert!(rules.contains_key("operator-is-accountable"));
    }

    #[test]
    fn schema_snapshot() {
        insta::assert_snapshot!(render());
    }
}
