//! Turns one parsed TOML document into [`raw`] declarations, reporting
//! unknown keys, wrong types and malformed values as it goes.

use super::format;
use super::raw::{self, Content};
use super::reader::{string_value, Cx, Table};
use crate::diag::{Code, Diagnostic};
use crate::model::vocab::{
    Access, AssetKind, AssetStatus, Check, Coverage, Decision, Environment, FindingStatus,
    IdentityType, Level, Relation, Role, RuleLevel, TeamKind,
};
use crate::source::{Sp, Span};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Reads a whole document. `is_settings` is true for governance.toml.
pub fn document(cx: &mut Cx<'_>, doc: &Spanned<DeTable<'_>>, is_settings: bool) -> Option<Content> {
    use format::{catalog, crosswalks, declarations as f, settings};
    let table = doc.get_ref();
    let whole = Span::new(cx.file, 0..0);
    let is_catalog = catalog::TABLE.keys().any(|key| table.contains_key(key));
    if !is_catalog && crosswalks::TABLE.keys().any(|key| table.contains_key(key)) {
        let top = Table::from_table(cx, table, whole, &[&crosswalks::TABLE]);
        return read_crosswalk(cx, &top).map(|c| Content::Crosswalk(Box::new(c)));
    }
    if is_catalog {
        let top = Table::from_table(cx, table, whole, &[&catalog::TABLE]);
        return read_catalog(cx, &top).map(|c| Content::Catalog(Box::new(c)));
    }
    if !is_settings {
        for key in settings::TABLE.keys() {
            if let Some((k, _)) = table.get_key_value(key) {
                cx.diags.push(
                    Diagnostic::new(
                        Code::UnknownField,
                        cx.span(k),
                        format!("`{key}` is a setting, and settings live in governance.toml"),
                    )
                    .help("move this table to governance/governance.toml"),
                );
            }
        }
    }
    // Settings keys outside governance.toml were reported just above.
    let top = Table::from_table(cx, table, whole, &[&f::TABLE, &settings::TABLE]);
    let decl = raw::Declarations {
        settings: is_settings.then(|| read_settings(cx, &top)),
        teams: top.tables(cx, &f::TEAM, team),
        assets: top.tables(cx, &f::ASSET, asset),
        controls: top.tables(cx, &f::CONTROL, control),
        exceptions: top.tables(cx, &f::EXCEPTION, exception),
        findings: top.tables(cx, &f::FINDING, finding),
    };
    Some(Content::Declarations(Box::new(decl)))
}

fn read_settings(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> raw::Settings {
    use format::{organization, settings as f};
    let organization = top
        .table(cx, &f::ORGANIZATION)
        .and_then(|t| t.str(cx, &organization::NAME));
    let policy = top.table(cx, &f::POLICY).map(|t| policy(cx, &t));
    let rules = rules(cx, top);
    let activities = top.tables(cx, &f::ACTIVITY, activity);
    let signers = top.tables(cx, &f::SIGNER, signer);
    raw::Settings {
        organization,
        policy,
        rules,
        activities,
        signers,
    }
}

fn signer(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Signer {
    use format::signer as f;
    raw::Signer {
        span: t.span,
        id: t.id(cx, &f::ID),
        team: t.id(cx, &f::TEAM),
        public_key: t.str(cx, &f::PUBLIC_KEY),
        expires: t.date(cx, &f::EXPIRES),
    }
}

/// Reads `[rules]`: `code = "error" | "warning" | "info" | "off"`, with a
/// "did you mean" for a misspelt code.
fn rules(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> Vec<(Sp<Code>, Sp<RuleLevel>)> {
    let Some(value) = top.raw(&format::settings::RULES) else {
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
        let key_span = cx.span(key);
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
            Some(level) => out.push((Sp::new(code, key_span), Sp::new(level, cx.span(value)))),
            None => cx.diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    cx.span(value),
                    format!("rule `{name}` needs a level"),
                )
                .help(format!("expected one of: {}", RuleLevel::NAMES.join(", "))),
            ),
        }
    }
    out
}

fn policy(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Policy {
    use format::{escalation, policy as f};
    let escalation = t
        .table(cx, &f::ESCALATION)
        .map(|e| {
            escalation::TABLE
                .fields
                .iter()
                .filter_map(|field| {
                    let level = Level::parse(field.key)?;
                    e.duration(cx, field).map(|d| (level, d))
                })
                .collect()
        })
        .unwrap_or_default();
    let frameworks = t.raw(&f::FRAMEWORKS).map(|array| cx.span(array));
    raw::Policy {
        frameworks: frameworks.map(|span| Sp::new(t.id_list(cx, &f::FRAMEWORKS), span)),
        trust_threshold: t.int(cx, &f::TRUST_THRESHOLD),
        max_credential_ttl: t.duration(cx, &f::MAX_CREDENTIAL_TTL),
        max_exception_days: t.int(cx, &f::MAX_EXCEPTION_DAYS),
        attestation_max_age: t.duration(cx, &f::ATTESTATION_MAX_AGE),
        max_accountable: t.int(cx, &f::MAX_ACCOUNTABLE),
        governance_functions: t
            .has(&f::GOVERNANCE_FUNCTIONS)
            .then(|| t.str_list(cx, &f::GOVERNANCE_FUNCTIONS)),
        exception_approvers: t.id_list(cx, &f::EXCEPTION_APPROVERS),
        escalation,
        trust_max_age: t.duration(cx, &f::TRUST_MAX_AGE),
        expiry_notice: t.duration(cx, &f::EXPIRY_NOTICE),
        triage_functions: t
            .has(&f::TRIAGE_FUNCTIONS)
            .then(|| t.str_list(cx, &f::TRIAGE_FUNCTIONS)),
        approval_ttl: t.duration(cx, &f::APPROVAL_TTL),
        crosswalks: t.bool(cx, &f::CROSSWALKS),
    }
}

fn activity(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Activity {
    use format::activity as f;
    raw::Activity {
        span: t.span,
        id: t.id(cx, &f::ID),
        title: t.str(cx, &f::TITLE),
        accountable: t.word(cx, &f::ACCOUNTABLE, Role::parse),
        responsible: t.word_list(cx, &f::RESPONSIBLE, Role::parse),
        consulted: t.word_list(cx, &f::CONSULTED, Role::parse),
        informed: t.word_list(cx, &f::INFORMED, Role::parse),
    }
}

fn team(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Team {
    use format::team as f;
    raw::Team {
        span: t.span,
        id: t.id(cx, &f::ID),
        name: t.str(cx, &f::NAME),
        kind: t.word(cx, &f::KIND, TeamKind::parse),
        functions: t.str_list(cx, &f::FUNCTIONS),
        contact: t.str(cx, &f::CONTACT),
        handle: t.str(cx, &f::HANDLE),
        parent: t.id(cx, &f::PARENT),
        active: t.bool(cx, &f::ACTIVE),
    }
}

fn asset(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Asset {
    use format::asset as f;
    raw::Asset {
        span: t.span,
        id: t.id(cx, &f::ID),
        name: t.str(cx, &f::NAME),
        kind: t.word(cx, &f::KIND, AssetKind::parse),
        environment: t.word(cx, &f::ENVIRONMENT, Environment::parse),
        risk: t.word(cx, &f::RISK, Level::parse),
        description: t.str(cx, &f::DESCRIPTION),
        tags: t.str_list(cx, &f::TAGS),
        depends_on: t.id_list(cx, &f::DEPENDS_ON),
        vendor: t.id(cx, &f::VENDOR),
        status: t.word(cx, &f::STATUS, AssetStatus::parse),
        owners: t.table(cx, &f::OWNERS).map(|o| owners(cx, &o)),
        identity: t.table(cx, &f::IDENTITY).map(|i| identity(cx, &i)),
        tools: t.tables(cx, &f::TOOL, tool),
        trust: t.table(cx, &f::TRUST).map(|tr| trust(cx, &tr)),
    }
}

fn owners(cx: &mut Cx<'_>, o: &Table<'_, '_>) -> raw::Owners {
    use format::owners as f;
    raw::Owners {
        span: o.span,
        accountable: o.id(cx, &f::ACCOUNTABLE),
        operator: o.id(cx, &f::OPERATOR),
        remediation: o.id(cx, &f::REMEDIATION),
        approver: o.id(cx, &f::APPROVER),
        revoker: o.id(cx, &f::REVOKER),
        reviewers: o.id_list(cx, &f::REVIEWERS),
        incident: o.id(cx, &f::INCIDENT),
        attested: o.date(cx, &f::ATTESTED),
    }
}

fn identity(cx: &mut Cx<'_>, i: &Table<'_, '_>) -> raw::Identity {
    use format::identity as f;
    raw::Identity {
        span: i.span,
        kind: i.word(cx, &f::TYPE, IdentityType::parse),
        spiffe_id: i.str(cx, &f::SPIFFE_ID),
        max_ttl: i.duration(cx, &f::MAX_TTL),
    }
}

fn tool(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Tool {
    use format::tool as f;
    raw::Tool {
        span: t.span,
        id: t.str(cx, &f::ID),
        system: t.str(cx, &f::SYSTEM),
        access: t.word(cx, &f::ACCESS, Access::parse),
        decision: t.word(cx, &f::DECISION, Decision::parse),
        from: t.date(cx, &f::FROM),
        until: t.date(cx, &f::UNTIL),
        min_confidence: t.int(cx, &f::MIN_CONFIDENCE),
    }
}

fn trust(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Trust {
    use format::trust as f;
    raw::Trust {
        span: t.span,
        score: t.int(cx, &f::SCORE),
        assessed: t.date(cx, &f::ASSESSED),
        threshold: t.int(cx, &f::THRESHOLD),
    }
}

fn control(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Control {
    use format::control as f;
    raw::Control {
        span: t.span,
        id: t.id(cx, &f::ID),
        title: t.str(cx, &f::TITLE),
        owner: t.id(cx, &f::OWNER),
        severity: t.word(cx, &f::SEVERITY, Level::parse),
        applies_to: t.table(cx, &f::APPLIES_TO).map(|a| applies_to(cx, &a)),
        maps_to: t.list(cx, &f::MAPS_TO, maps_to),
        enforce: t.word_list(cx, &f::ENFORCE, Check::parse),
        retest_every: t.duration(cx, &f::RETEST_EVERY),
        tested: t.date(cx, &f::TESTED),
        evidence: t.str(cx, &f::EVIDENCE),
    }
}

fn applies_to(cx: &mut Cx<'_>, a: &Table<'_, '_>) -> raw::AppliesTo {
    use format::applies_to as f;
    raw::AppliesTo {
        kinds: a
            .has(&f::KINDS)
            .then(|| a.word_list(cx, &f::KINDS, AssetKind::parse)),
        environments: a
            .has(&f::ENVIRONMENTS)
            .then(|| a.word_list(cx, &f::ENVIRONMENTS, Environment::parse)),
        risk: a
            .has(&f::RISK)
            .then(|| a.word_list(cx, &f::RISK, Level::parse)),
        tags: a.has(&f::TAGS).then(|| a.str_list(cx, &f::TAGS)),
    }
}

/// Reads one `maps-to` entry: a reference string (a full mapping) or a table
/// `{ ref, coverage }`.
fn maps_to(cx: &mut Cx<'_>, value: &Spanned<DeValue<'_>>) -> Option<raw::MapsTo> {
    use format::maps_to as f;
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
    let t = Table::open(cx, value, &f::TABLE)?;
    let reference = t.str(cx, &f::REF)?;
    let coverage = t
        .word(cx, &f::COVERAGE, Coverage::parse)
        .map_or(Coverage::Full, |c| c.value);
    Some(raw::MapsTo {
        reference,
        coverage,
    })
}

fn exception(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Exception {
    use format::exception as f;
    raw::Exception {
        span: t.span,
        id: t.id(cx, &f::ID),
        asset: t.id(cx, &f::ASSET),
        control: t.id(cx, &f::CONTROL),
        approved_by: t.id(cx, &f::APPROVED_BY),
        reason: t.str(cx, &f::REASON),
        granted: t.date(cx, &f::GRANTED),
        expires: t.date(cx, &f::EXPIRES),
        compensating: t.id_list(cx, &f::COMPENSATING),
    }
}

fn finding(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> raw::Finding {
    use format::finding as f;
    raw::Finding {
        span: t.span,
        id: t.id(cx, &f::ID),
        asset: t.id(cx, &f::ASSET),
        control: t.id(cx, &f::CONTROL),
        severity: t.word(cx, &f::SEVERITY, Level::parse),
        opened: t.date(cx, &f::OPENED),
        status: t.word(cx, &f::STATUS, FindingStatus::parse),
        retest_by: t.date(cx, &f::RETEST_BY),
        source: t.str(cx, &f::SOURCE),
        closed: t.date(cx, &f::CLOSED),
        closed_by: t.id(cx, &f::CLOSED_BY),
        retested: t.date(cx, &f::RETESTED),
        root_cause: t.str(cx, &f::ROOT_CAUSE),
        signed_off_by: t.id(cx, &f::SIGNED_OFF_BY),
    }
}

fn read_catalog(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> Option<raw::Catalog> {
    use format::{catalog as f, framework};
    let header = top.table(cx, &f::FRAMEWORK)?;
    // Every text field is checked for its type; the name, version and
    // source are kept, the rest only document the catalog.
    let (mut name, mut version, mut source) = (None, None, None);
    for field in framework::TABLE.fields {
        if matches!(field.ty, format::Ty::Text) {
            let value = header.str(cx, field);
            if field.key == framework::NAME.key {
                name = value;
            } else if field.key == framework::VERSION.key {
                version = value;
            } else if field.key == framework::SOURCE.key {
                source = value;
            }
        }
    }
    let requirements = top.tables(cx, &f::REQUIREMENT, requirement);
    Some(raw::Catalog {
        span: header.span,
        id: header.id(cx, &framework::ID),
        name,
        version,
        source,
        requirements,
    })
}

fn read_crosswalk(cx: &mut Cx<'_>, top: &Table<'_, '_>) -> Option<raw::Crosswalk> {
    use format::{crosswalk as f, crosswalks};
    let header = top.table(cx, &crosswalks::CROSSWALK)?;
    // The source, license and notes only document the crosswalk; their
    // types are checked all the same.
    for field in [&f::SOURCE, &f::LICENSE, &f::NOTES] {
        header.str(cx, field);
    }
    let links = top.tables(cx, &crosswalks::LINK, link);
    Some(raw::Crosswalk {
        span: header.span,
        id: header.id(cx, &f::ID),
        from: header.id(cx, &f::FROM),
        to: header.id(cx, &f::TO),
        links,
    })
}

fn link(cx: &mut Cx<'_>, l: &Table<'_, '_>) -> raw::Link {
    use format::link as f;
    l.str(cx, &f::NOTE);
    raw::Link {
        span: l.span,
        from: l.str(cx, &f::FROM),
        to: l.str_list(cx, &f::TO),
        relation: l.word(cx, &f::RELATION, Relation::parse),
    }
}

fn requirement(cx: &mut Cx<'_>, r: &Table<'_, '_>) -> raw::Requirement {
    use format::requirement as f;
    raw::Requirement {
        span: r.span,
        id: r.str(cx, &f::ID),
        kind: r.str(cx, &f::KIND),
        title: r.str(cx, &f::TITLE),
        parent: r.str(cx, &f::PARENT),
        note: r.str(cx, &f::NOTE),
    }
}
