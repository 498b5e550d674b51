//! The declaration format for editors and people: a JSON Schema (for taplo
//! and Even Better TOML) and the README's field reference, both generated
//! from the loader's tables in [`crate::load::format`]. A file passes the
//! schema exactly when check finds no structural problem in it; a test holds
//! that over every fixture.

use crate::diag::Code;
use crate::load::format::{catalog, crosswalks, declarations, settings, Field, Kind, Need, Ty};
use crate::model::handle;
use crate::model::vocab::RuleLevel;
use serde_json::{json, Map, Value};
use std::fmt::Write;

const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
const DURATION_PATTERN: &str = "^[0-9]+[smhdw]$";
const REFERENCE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}:.+$";

/// The kinds whose fields may sit at the top of a file.
const ROOTS: [&Kind; 4] = [
    &declarations::TABLE,
    &settings::TABLE,
    &catalog::TABLE,
    &crosswalks::TABLE,
];

/// Returns the schema as pretty-printed JSON with a final newline.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// Builds the schema of every kind of governance file: declaration files,
/// `governance.toml` and framework catalogs. Nothing is required at the top,
/// since each kind of file holds only some of the tables.
pub fn schema() -> Value {
    let properties: Map<String, Value> = ROOTS
        .iter()
        .flat_map(|kind| kind.fields)
        .map(|field| (field.key.to_string(), property(field)))
        .collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "govern governance file",
        "type": "object",
        "description": "A govern file: declarations ([[team]], [[asset]], [[control]], \
            [[exception]], [[finding]]), the settings in governance.toml, or a framework catalog.",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The schema of a table of `kind`.
fn object(kind: &Kind) -> Value {
    let properties: Map<String, Value> = kind
        .fields
        .iter()
        .map(|field| (field.key.to_string(), property(field)))
        .collect();
    let required: Vec<&str> = kind
        .fields
        .iter()
        .filter(|f| f.need == Need::Required)
        .map(|f| f.key)
        .collect();
    let mut value = json!({
        "type": "object",
        "description": kind.doc,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        value["required"] = json!(required);
    }
    value
}

/// The schema of one field, its description saying what a rule reports.
fn property(field: &Field) -> Value {
    let mut value = of_type(field.ty);
    let mut description = field.doc.to_string();
    if let Ty::Duration = field.ty {
        description.push_str(": a number and a unit, s m h d or w (\"15m\", \"90d\")");
    }
    if let Need::Rule(code) = field.need {
        let _ = write!(description, ". When missing, check reports {code}");
    }
    value["description"] = json!(description);
    value
}

fn of_type(ty: Ty) -> Value {
    match ty {
        Ty::Text => json!({ "type": "string" }),
        Ty::Id => json!({ "type": "string", "pattern": ID_PATTERN }),
        Ty::Handle => {
            json!({ "type": "string", "pattern": handle::PATTERN, "maxLength": handle::MAX_LEN })
        }
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Int { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Ty::Date => json!({ "type": "string", "format": "date" }),
        Ty::Duration => json!({ "type": "string", "pattern": DURATION_PATTERN }),
        Ty::Word(names) => json!({ "type": "string", "enum": names }),
        Ty::Texts => array(of_type(Ty::Text)),
        Ty::Ids => array(of_type(Ty::Id)),
        Ty::Words(names) => array(of_type(Ty::Word(names))),
        Ty::Table(kind) => object(kind),
        Ty::Tables(kind) => array(object(kind)),
        Ty::Refs(kind) => {
            let reference = json!({ "type": "string", "pattern": REFERENCE_PATTERN });
            array(json!({ "anyOf": [reference, object(kind)] }))
        }
        Ty::Rules => {
            let level = json!({ "type": "string", "enum": RuleLevel::NAMES });
            let properties: Map<String, Value> = Code::rules()
                .map(|code| (code.name().to_string(), level.clone()))
                .collect();
            json!({ "type": "object", "properties": properties, "additionalProperties": false })
        }
    }
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// Returns the field reference in Markdown: a section per kind of table, a
/// row per field with its type, whether it is required, and its doc.
pub fn reference() -> String {
    let mut out = String::new();
    let mut seen: Vec<&Kind> = Vec::new();
    for root in ROOTS {
        section(root, &mut seen, &mut out);
    }
    out
}

fn section(kind: &'static Kind, seen: &mut Vec<&'static Kind>, out: &mut String) {
    if seen.iter().any(|k| std::ptr::eq(*k, kind)) {
        return;
    }
    seen.push(kind);
    let _ = writeln!(out, "#### {}\n\n{}\n", kind.what, kind.doc);
    out.push_str("| Field | Type | Required | Description |\n|---|---|---|---|\n");
    for field in kind.fields {
        let need = match field.need {
            Need::Required => "yes".to_string(),
            Need::Optional => String::new(),
            Need::Rule(code) => format!("by `{code}`"),
        };
        let doc = field.doc.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| `{}` | {} | {need} | {doc} |",
            field.key,
            type_name(field.ty)
        );
    }
    out.push('\n');
    for field in kind.fields {
        if let Ty::Table(k) | Ty::Tables(k) | Ty::Refs(k) = field.ty {
            section(k, seen, out);
        }
    }
}

fn type_name(ty: Ty) -> String {
    match ty {
        Ty::Text => "string".into(),
        Ty::Id => "id".into(),
        Ty::Handle => "handle".into(),
        Ty::Bool => "boolean".into(),
        Ty::Int { min, max } => format!("integer {min} to {max}"),
        Ty::Date => "date".into(),
        Ty::Duration => "duration".into(),
        Ty::Word(names) => names.join(" \\| "),
        Ty::Texts => "strings".into(),
        Ty::Ids => "ids".into(),
        Ty::Words(names) => format!("list of {}", names.join(" \\| ")),
        Ty::Table(k) => format!("table {}", k.what),
        Ty::Tables(k) => format!("tables {}", k.what),
        Ty::Refs(k) => format!("references or tables ({})", k.what),
        Ty::Rules => "rule code = error \\| warning \\| info \\| off".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_field_a_rule_reports_is_not_required_and_says_so() {
        let root = schema();
        let asset = &root["properties"]["asset"]["items"];
        let required = asset["required"].as_array().unwrap();
        assert!(required.contains(&json!("kind")));
        assert!(!required.contains(&json!("owners")));
        let owners = &asset["properties"]["owners"]["description"];
        assert!(
            owners.as_str().unwrap().contains("missing-owner"),
            "{owners}"
        );
    }

    #[test]
    fn schema_snapshot() {
        insta::assert_snapshot!(render());
    }
}
