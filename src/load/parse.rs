//! Turns one parsed TOML document into [`raw`] declarations, reporting
//! unknown keys, wrong types and malformed values as it goes.

use super::raw::{self, Content};
use super::reader::{string_value, Cx, Table};
use crate::diag::{Code, Diagnostic};
use crate::model::vocab::{
    Access, AssetKind, Check, Coverage, Decision, Environment, FindingStatus, IdentityType, Level,
    Role, RuleLevel, TeamKind,
};
use crate::source::{Sp, Span};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Top-level keys of a declaration file.
pub const DECLARATION_KEYS: &[&str] = &["team", "asset", "control", "exception", "finding"];
/// Top-level keys that only governance.toml may hold.
pub const SETTINGS_KEYS: &[&str] = &["organization", "policy", "rules", "activity", "signer"];
/// Top-level keys of a catalog file.
pub const CATALOG_KEYS: &[&str] = &["framework", "requirement"];

pub const ORGANIZATION_KEYS: &[&str] = &["name"];
pub const POLICY_KEYS: &[&str] = &[
    "frameworks",
    "trust-threshold",
    "max-credential-ttl",
    "max-exception-days",
    "attestation-max-age",
    "max-accountable",
    "governance-functions",
    "exception-approvers",
    "escalation",
];
pub const ESCALATION_KEYS: &[&str] = &["critical", "high", "medium", "low"];
pub const ACTIVITY_KEYS: &[&str] = &[
    "id",
    "title",
    "accountable",
    "responsible",
    "consulted",
    "informed",
];
pub const SIGNER_KEYS: &[&str] = &["id", "team", "public-key", "expires"];
pub const TEAM_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "functions",
    "contact",
    "handle",
    "parent",
    "active",
];
pub const ASSET_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "environment",
    "risk",
    "description",
    "tags",
    "depends-on",
    "vendor",
    "owners",
    "identity",
    "tool",
    "trust",
];
pub const OWNERS_KEYS: &[&str] = &[
    "accountable",
    "operator",
    "remediation",
    "approver",
    "revoker",
    "reviewers",
    "incident",
    "attested",
];
pub const IDENTITY_KEYS: &[&str] = &["type", "spiffe-id", "max-ttl"];
pub const TOOL_KEYS: &[&str] = &["id", "system", "access", "decision"];
pub const TRUST_KEYS: &[&str] = &["score", "assessed", "threshold"];
pub const CONTROL_KEYS: &[&str] = &[
    "id",
    "title",
    "owner",
    "severity",
    "applies-to",
    "maps-to",
    "enforce",
    "retest-every",
    "evidence",
];
pub const APPLIES_TO_KEYS: &[&str] = &["kinds", "environments", "risk", "tags"];
pub const MAPS_TO_KEYS: &[&str] = &["ref", "coverage"];
pub const EXCEPTION_KEYS: &[&str] = &[
    "id",
    "asset",
    "control",
    "approved-by",
    "reason",
    "granted",
    "expires",
    "compensating",
];
pub const FINDING_KEYS: &[&str] = &[
    "id",
    "asset",
    "control",
    "severity",
    "opened",
    "status",
    "retest-by",
    "source",
];
pub const FRAMEWORK_KEYS: &[&str] = &[
    "id",
    "name",
    "version",
    "source",
    "published",
    "publication",
    "crosscheck",
    "license",
    "notes",
    "web",
];
pub const REQUIREMENT_KEYS: &[&str] = &["id", "kind", "title", "parent", "note"];

/// Reads a whole document. `is_settings` is true for governance.toml.
pub fn document(cx: &mut Cx<'_>, doc: &Spanned<DeTable<'_>>, is_settings: bool) -> Option<Content> {
    let table = doc.get_ref();
    let whole = Span::new(cx.file, 0..0);
    if table.contains_key("framework") || table.contains_key("requirement") {
        let top = Table::from_table(cx, table, whole, "a catalog file", CATALOG_KEYS);
        return catalog(cx, &top).map(|c| Content::Catalog(Box::new(c)));
    }
    if !is_settings {
        for key in SETTINGS_KEYS {
            if let Some((k, _)) = table.get_key_value(*key) {
                cx.diags.push(
                    Diagnostic::new(
                        Code::UnknownField,
                        Span::new(cx.file, k.span()),
                        format!("`{key}` is a setting, and settings live in governance.toml"),
                    )
                    .help("move this table to governance/governance.toml"),
                );
            }
        }
    }
    // Settings keys outside governance.toml were reported just above.
    let accepted: Vec<&str> = DECLARATION_KEYS
        .iter()
        .chain(SETTINGS_KEYS)
        .copied()
        .collect();
    let top = Table::from_table(cx, table, whole, "a declaration file", &accepted);
    let decl = raw::Declarations {
        settings: is_settings.then(|| settings(cx, &top)),
        teams: top.tables(cx, "team", "[[team]]", TEAM_KEYS, team),
        assets: top.tables(cx, "asset", "[[asset]]", ASSET_KEYS, asset),
        controls: top.tables(cx, "control", "[[control]]", CONTROL_KEYS, control),
        exceptions: top.tables(cx, "exception", "[[exception]]", EXCEPTION_KEYS, exception),
        findings: top.tables(cx, "finding", "[[finding]]", FINDING_KEYS, finding),
    };
    Some(Content::Declarations(Box::new(decl)))
}

fn settings(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> raw::Settings {
    let organization = top
        .table(cx, "organization", "[organization]", ORGANIZATION_KEYS)
        .and_then(|t| t.str(cx, "name"));
    let policy = top
        .table(cx, "policy", "[policy]", POLICY_KEYS)
        .map(|t| policy(cx, &t));
    let rules = rules(cx, top);
    let activities = top.tables(cx, "activity", "[[activity]]", ACTIVITY_KEYS, activity);
    let signers = top.tables(cx, "signer", "[[signer]]", SIGNER_KEYS, |cx, t| {
        raw::Signer {
            span: t.span,
            id: t.req_id(cx, "id"),
            team: t.req_id(cx, "team"),
            public_key: t.req_str(cx, "public-key"),
            expires: t.date(cx, "expires"),
        }
    });
    raw::Settings {
        organization,
        policy,
        rules,
        activities,
        signers,
    }
}

/// Reads `[rules]`: `code = "error" | "warning" | "info" | "off"`, with a
/// "did you mean" for a misspelt code.
fn rules(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> Vec<(Sp<Code>, Sp<RuleLevel>)> {
    let Some(value) = top.raw("rules") else {
        return Vec::new();
    };
    let DeValue::Table(table) = value.get_ref() else {
        cx.diags.push(Diagnostic::new(
            Code::InvalidValue,
            cx.span(value),
            "`rules` must be a table of `code = \"level\"`",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let name = key.get_ref().as_ref();
        let key_span = Span::new(cx.file, key.span());
        let code = match Code::from_name(name) {
            Some(code) if !code.is_structural() => code,
            found => {
                let names: Vec<&str> = Code::rules().map(Code::name).collect();
                let mut d = Diagnostic::new(
                    Code::UnknownField,
                    key_span,
                    match found {
                        Some(_) => format!("`{name}` is a structural check and is always an error"),
                        None => format!("unknown rule `{name}` in [rules]"),
                    },
                );
                if found.is_none() {
                    if let Some(best) = super::reader::closest(name, names.iter().copied()) {
                        d = d.help(format!("did you mean `{best}`?"));
                    }
                }
                cx.diags.push(d);
                continue;
            }
        };
        let level = match value.get_ref() {
            DeValue::String(s) => RuleLevel::parse(s),
            _ => None,
        };
        match level {
            Some(level) => out.push((
                Sp::new(code, key_span),
                Sp::new(level, Span::new(cx.file, value.span())),
            )),
            None => cx.diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    Span::new(cx.file, value.span()),
                    format!("rule `{name}` needs a level"),
                )
                .help("expected one of: error, warning, info, off"),
            ),
        }
    }
    out
}

fn policy(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Policy {
    let has = |key| t.raw(key).is_some();
    let escalation = t
        .table(cx, "escalation", "policy.escalation", ESCALATION_KEYS)
        .map(|e| {
            Level::ALL
                .iter()
                .filter_map(|level| e.duration(cx, level.name()).map(|d| (*level, d)))
                .collect()
        })
        .unwrap_or_default();
    let frameworks = t.raw("frameworks").map(|array| cx.span(array));
    raw::Policy {
        frameworks: frameworks.map(|span| Sp::new(t.id_list(cx, "frameworks"), span)),
        trust_threshold: t.int(cx, "trust-threshold", 0, 100),
        max_credential_ttl: t.duration(cx, "max-credential-ttl"),
        max_exception_days: t.int(cx, "max-exception-days", 1, 36_500),
        attestation_max_age: t.duration(cx, "attestation-max-age"),
        max_accountable: t.int(cx, "max-accountable", 1, 1_000_000),
        governance_functions: has("governance-functions")
            .then(|| t.str_list(cx, "governance-functions")),
        exception_approvers: t.id_list(cx, "exception-approvers"),
        escalation,
    }
}

fn activity(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Activity {
    let accountable = t.word(cx, "accountable", Role::parse, Role::NAMES);
    if t.raw("accountable").is_none() {
        t.missing(cx, "accountable");
    }
    raw::Activity {
        span: t.span,
        id: t.req_id(cx, "id"),
        title: t.str(cx, "title"),
        accountable,
        responsible: t.word_list(cx, "responsible", Role::parse, Role::NAMES),
        consulted: t.word_list(cx, "consulted", Role::parse, Role::NAMES),
        informed: t.word_list(cx, "informed", Role::parse, Role::NAMES),
    }
}

fn team(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Team {
    raw::Team {
        span: t.span,
        id: t.req_id(cx, "id"),
        name: t.str(cx, "name"),
        kind: t.word(cx, "kind", TeamKind::parse, TeamKind::NAMES),
        functions: t.str_list(cx, "functions"),
        contact: t.str(cx, "contact"),
        handle: t.str(cx, "handle"),
        parent: t.id(cx, "parent"),
        active: t.bool(cx, "active"),
    }
}

fn asset(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Asset {
    let kind = t.word(cx, "kind", AssetKind::parse, AssetKind::NAMES);
    if t.raw("kind").is_none() {
        t.missing(cx, "kind");
    }
    let owners = t
        .table(cx, "owners", "[asset.owners]", OWNERS_KEYS)
        .map(|o| raw::Owners {
            span: o.span,
            accountable: o.id(cx, "accountable"),
            operator: o.id(cx, "operator"),
            remediation: o.id(cx, "remediation"),
            approver: o.id(cx, "approver"),
            revoker: o.id(cx, "revoker"),
            reviewers: o.id_list(cx, "reviewers"),
            incident: o.id(cx, "incident"),
            attested: o.date(cx, "attested"),
        });
    let identity = t
        .table(cx, "identity", "[asset.identity]", IDENTITY_KEYS)
        .map(|i| raw::Identity {
            span: i.span,
            kind: i.word(cx, "type", IdentityType::parse, IdentityType::NAMES),
            spiffe_id: i.str(cx, "spiffe-id"),
            max_ttl: i.duration(cx, "max-ttl"),
        });
    let tools = t.tables(cx, "tool", "[[asset.tool]]", TOOL_KEYS, |cx, tool| {
        raw::Tool {
            span: tool.span,
            id: tool.req_str(cx, "id"),
            system: tool.str(cx, "system"),
            access: tool.word(cx, "access", Access::parse, Access::NAMES),
            decision: tool.word(cx, "decision", Decision::parse, Decision::NAMES),
        }
    });
    let trust = t
        .table(cx, "trust", "[asset.trust]", TRUST_KEYS)
        .map(|tr| raw::Trust {
            span: tr.span,
            score: tr.int(cx, "score", 0, 100),
            assessed: tr.date(cx, "assessed"),
            threshold: tr.int(cx, "threshold", 0, 100),
        });
    raw::Asset {
        span: t.span,
        id: t.req_id(cx, "id"),
        name: t.str(cx, "name"),
        kind,
        environment: t.word(cx, "environment", Environment::parse, Environment::NAMES),
        risk: t.word(cx, "risk", Level::parse, Level::NAMES),
        description: t.str(cx, "description"),
        tags: t.str_list(cx, "tags"),
        depends_on: t.id_list(cx, "depends-on"),
        vendor: t.id(cx, "vendor"),
        owners,
        identity,
        tools,
        trust,
    }
}

fn control(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Control {
    let applies_to = t
        .table(cx, "applies-to", "applies-to", APPLIES_TO_KEYS)
        .map(|a| {
            let has = |key| a.raw(key).is_some();
            raw::AppliesTo {
                kinds: has("kinds")
                    .then(|| a.word_list(cx, "kinds", AssetKind::parse, AssetKind::NAMES)),
                environments: has("environments").then(|| {
                    a.word_list(cx, "environments", Environment::parse, Environment::NAMES)
                }),
                risk: has("risk").then(|| a.word_list(cx, "risk", Level::parse, Level::NAMES)),
                tags: has("tags").then(|| a.str_list(cx, "tags")),
            }
        });
    let maps_to = t.list(cx, "maps-to", maps_to);
    raw::Control {
        span: t.span,
        id: t.req_id(cx, "id"),
        title: t.req_str(cx, "title"),
        owner: t.id(cx, "owner"),
        severity: t.word(cx, "severity", Level::parse, Level::NAMES),
        applies_to,
        maps_to,
        enforce: t.word_list(cx, "enforce", Check::parse, Check::NAMES),
        retest_every: t.duration(cx, "retest-every"),
        evidence: t.str(cx, "evidence"),
    }
}

/// Reads one `maps-to` entry: a reference string (a full mapping) or a table
/// `{ ref, coverage }`.
fn maps_to(cx: &mut Cx<'_>, value: &Spanned<DeValue<'_>>) -> Option<raw::MapsTo> {
    if let Some(reference) = string_value(value) {
        return Some(raw::MapsTo {
            reference: Sp::new(reference, cx.span(value)),
            coverage: Coverage::Full,
        });
    }
    if !value.get_ref().is_table() {
        let span = cx.span(value);
        cx.diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                span,
                "`maps-to` entries must be strings or `{ ref, coverage }` tables",
            )
            .help("write \"framework:requirement\" or { ref = \"framework:requirement\", coverage = \"partial\" }"),
        );
        return None;
    }
    let t = Table::open(cx, value, "a maps-to entry", MAPS_TO_KEYS)?;
    let reference = t.req_str(cx, "ref")?;
    let coverage = t
        .word(cx, "coverage", Coverage::parse, Coverage::NAMES)
        .map_or(Coverage::Full, |c| c.value);
    Some(raw::MapsTo {
        reference,
        coverage,
    })
}

fn exception(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Exception {
    raw::Exception {
        span: t.span,
        id: t.req_id(cx, "id"),
        asset: t.req_id(cx, "asset"),
        control: t.req_id(cx, "control"),
        approved_by: t.req_id(cx, "approved-by"),
        reason: t.str(cx, "reason"),
        granted: req(cx, t, "granted", |cx, t| t.date(cx, "granted")),
        expires: req(cx, t, "expires", |cx, t| t.date(cx, "expires")),
        compensating: t.id_list(cx, "compensating"),
    }
}

fn finding(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Finding {
    raw::Finding {
        span: t.span,
        id: t.req_id(cx, "id"),
        asset: t.req_id(cx, "asset"),
        control: t.req_id(cx, "control"),
        severity: t.word(cx, "severity", Level::parse, Level::NAMES),
        opened: req(cx, t, "opened", |cx, t| t.date(cx, "opened")),
        status: t.word(cx, "status", FindingStatus::parse, FindingStatus::NAMES),
        retest_by: t.date(cx, "retest-by"),
        source: t.str(cx, "source"),
    }
}

/// Reads a required field with `read`, reporting `missing-field` when absent.
fn req<'a, 'i, T>(
    cx: &mut Cx<'_>,
    t: &Table<'a, 'i>,
    key: &str,
    read: impl FnOnce(&mut Cx<'_>, &Table<'a, 'i>) -> Option<T>,
) -> Option<T> {
    if t.raw(key).is_none() {
        t.missing(cx, key);
    }
    read(cx, t)
}

fn catalog(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> Option<raw::Catalog> {
    let Some(framework) = top.table(cx, "framework", "[framework]", FRAMEWORK_KEYS) else {
        if top.raw("framework").is_none() {
            top.missing(cx, "framework");
        }
        return None;
    };
    for key in [
        "source",
        "published",
        "publication",
        "crosscheck",
        "license",
        "notes",
        "web",
    ] {
        framework.str(cx, key);
    }
    let requirements = top.tables(
        cx,
        "requirement",
        "[[requirement]]",
        REQUIREMENT_KEYS,
        |cx, r| raw::Requirement {
            span: r.span,
            id: r.req_str(cx, "id"),
            kind: r.str(cx, "kind"),
            title: r.str(cx, "title"),
            parent: r.str(cx, "parent"),
            note: r.str(cx, "note"),
        },
    );
    Some(raw::Catalog {
        span: framework.span,
        id: framework.req_id(cx, "id"),
        name: framework.str(cx, "name"),
        version: framework.str(cx, "version"),
        requirements,
    })
}
