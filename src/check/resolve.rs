//! Raw declarations -> model: fills defaults, rejects duplicate ids, resolves
//! every reference (teams, assets, controls, `framework:requirement`) and
//! finds reference cycles. Every structural problem is reported; entities
//! without an id are dropped, everything else is kept.

use crate::diag::{Code, Diagnostic, Diags, RuleLevels, Severity};
use crate::load::raw::{self, Content};
use crate::load::reader::closest;
use crate::model::settings::{self, Activity, Policy, Signer};
use crate::model::vocab::{self, Environment, FindingStatus, Level, RuleLevel, TeamKind};
use crate::model::*;
use crate::source::{FileId, Sp, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Builds the model from every parsed file.
pub fn resolve(files: Vec<raw::File>, diags: &mut Diags) -> Model {
    let mut decls = Vec::new();
    let mut catalogs = Vec::new();
    let mut settings_raw = None;
    let mut settings_file = None;
    for file in files {
        match file.content {
            Content::Declarations(mut d) => {
                if let Some(s) = d.settings.take() {
                    settings_raw = Some(s);
                    settings_file = Some(file.file);
                }
                decls.push((file.file, d));
            }
            Content::Catalog(c) => catalogs.push((file.builtin, c)),
        }
    }
    let mut model = Model {
        frameworks: frameworks(catalogs, diags),
        ..Model::default()
    };
    for (file, d) in &decls {
        for t in &d.teams {
            add_team(&mut model, *file, t, diags);
        }
    }
    for (file, d) in &decls {
        for a in &d.assets {
            add_asset(&mut model, *file, a, diags);
        }
        for c in &d.controls {
            add_control(&mut model, *file, c, diags);
        }
    }
    for (file, d) in &decls {
        for e in &d.exceptions {
            add_exception(&mut model, *file, e, diags);
        }
        for f in &d.findings {
            add_finding(&mut model, *file, f, diags);
        }
    }
    model.index();
    model.settings = settings(settings_raw.unwrap_or_default(), &model, diags);
    model.settings.file = settings_file;
    check_references(&model, diags);
    team_cycles(&model, diags);
    asset_cycles(&model, diags);
    model
}

/// Reports a second declaration of an id.
fn duplicate(diags: &mut Diags, kind: &str, id: &str, first: Span, again: Span) {
    diags.push(
        Diagnostic::new(
            Code::DuplicateId,
            again,
            format!("duplicate {kind} id `{id}`"),
        )
        .label(first, format!("{kind} `{id}` first declared here"))
        .help(format!(
            "{kind} ids must be unique; rename or remove one declaration"
        )),
    );
}

fn team_ref(s: &Sp<String>) -> Sp<TeamId> {
    Sp::new(TeamId(s.value.clone()), s.span)
}

/// Drops the spans of a list of vocabulary words.
fn words<T: Copy>(list: &Option<Vec<Sp<T>>>) -> Option<Vec<T>> {
    list.as_ref().map(|v| v.iter().map(|s| s.value).collect())
}

fn add_team(model: &mut Model, file: FileId, t: &raw::Team, diags: &mut Diags) {
    let Some(id) = &t.id else { return };
    if let Some(first) = model.teams.get(id.value.as_str()) {
        return duplicate(diags, "team", id, first.id.span, id.span);
    }
    let team = Team {
        id: Sp::new(TeamId(id.value.clone()), id.span),
        file,
        name: t
            .name
            .as_ref()
            .map_or_else(|| id.value.clone(), |n| n.value.clone()),
        kind: t.kind.clone().unwrap_or(Sp::new(TeamKind::Team, id.span)),
        functions: t.functions.iter().map(|f| f.value.clone()).collect(),
        contact: t.contact.as_ref().map(|c| c.value.clone()),
        handle: t.handle.as_ref().and_then(|h| handle(h, diags)),
        parent: t.parent.as_ref().map(team_ref),
        active: t.active.clone().unwrap_or(Sp::new(true, id.span)),
    };
    model.teams.insert(team.id.value.clone(), team);
}

/// Parses a team's CODEOWNERS handle, reporting one that GitHub would
/// reject or that would smuggle another owner or line into the file.
fn handle(h: &Sp<String>, diags: &mut Diags) -> Option<Handle> {
    let parsed = Handle::parse(&h.value);
    if parsed.is_none() {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                h.span,
                format!(
                    "handle {:?} is not one @user, @org/team or e-mail address",
                    h.value
                ),
            )
            .help("write a single owner such as \"@acme/payments-eng\", \"@octocat\" or \"owner@acme.example\", without spaces"),
        );
    }
    parsed
}

fn owners(o: Option<&raw::Owners>, fallback: Span) -> Owners {
    match o {
        Some(o) => Owners {
            span: o.span,
            accountable: o.accountable.as_ref().map(team_ref),
            operator: o.operator.as_ref().map(team_ref),
            remediation: o.remediation.as_ref().map(team_ref),
            approver: o.approver.as_ref().map(team_ref),
            revoker: o.revoker.as_ref().map(team_ref),
            reviewers: o.reviewers.iter().map(team_ref).collect(),
            incident: o.incident.as_ref().map(team_ref),
            attested: o.attested.clone(),
        },
        None => Owners {
            span: fallback,
            accountable: None,
            operator: None,
            remediation: None,
            approver: None,
            revoker: None,
            reviewers: Vec::new(),
            incident: None,
            attested: None,
        },
    }
}

fn add_asset(model: &mut Model, file: FileId, a: &raw::Asset, diags: &mut Diags) {
    let Some(id) = &a.id else {
        return;
    };
    // A kind that is missing or outside the vocabulary has been reported; the
    // asset stays in the model so its owners and the references to it are
    // still checked, as the kind with the fewest kind-specific rules.
    let kind = a
        .kind
        .clone()
        .unwrap_or(Sp::new(vocab::AssetKind::VendorService, id.span));
    if let Some(first) = model.assets.get(id.value.as_str()) {
        return duplicate(diags, "asset", id, first.id.span, id.span);
    }
    let tools = a
        .tools
        .iter()
        .filter_map(|t| {
            Some(Tool {
                span: t.span,
                id: t.id.clone()?,
                system: t.system.as_ref().map(|s| s.value.clone()),
                access: t
                    .access
                    .clone()
                    .unwrap_or(Sp::new(vocab::Access::Read, t.span)),
                decision: t
                    .decision
                    .clone()
                    .unwrap_or(Sp::new(vocab::Decision::Allow, t.span)),
            })
        })
        .collect();
    let asset = Asset {
        span: a.span,
        id: Sp::new(AssetId(id.value.clone()), id.span),
        file,
        name: a
            .name
            .as_ref()
            .map_or_else(|| id.value.clone(), |n| n.value.clone()),
        kind,
        environment: a
            .environment
            .clone()
            .unwrap_or(Sp::new(Environment::Production, id.span)),
        risk: a.risk.clone().unwrap_or(Sp::new(Level::Medium, id.span)),
        description: a.description.as_ref().map(|d| d.value.clone()),
        tags: a.tags.iter().map(|t| t.value.clone()).collect(),
        depends_on: a
            .depends_on
            .iter()
            .map(|d| Sp::new(AssetId(d.value.clone()), d.span))
            .collect(),
        vendor: a.vendor.as_ref().map(team_ref),
        owners: owners(a.owners.as_ref(), a.span),
        identity: a.identity.as_ref().map(|i| Identity {
            span: i.span,
            kind: i.kind.clone(),
            spiffe_id: i.spiffe_id.clone(),
            max_ttl: i.max_ttl.clone(),
        }),
        tools,
        trust: a.trust.as_ref().map(|t| Trust {
            span: t.span,
            score: t.score.clone().map(|s| s.map(|v| v as u8)),
            assessed: t.assessed.as_ref().map(|d| d.value),
            threshold: t.threshold.clone().map(|s| s.map(|v| v as u8)),
        }),
    };
    model.assets.insert(asset.id.value.clone(), asset);
}

fn add_control(model: &mut Model, file: FileId, c: &raw::Control, diags: &mut Diags) {
    let Some(id) = &c.id else { return };
    if let Some(first) = model.controls.get(id.value.as_str()) {
        return duplicate(diags, "control", id, first.id.span, id.span);
    }
    let applies_to = c
        .applies_to
        .as_ref()
        .map(|a| AppliesTo {
            kinds: words(&a.kinds),
            environments: words(&a.environments),
            risk: words(&a.risk),
            tags: a
                .tags
                .as_ref()
                .map(|t| t.iter().map(|s| s.value.clone()).collect()),
        })
        .unwrap_or_default();
    let maps_to = c
        .maps_to
        .iter()
        .filter_map(|m| {
            let target = requirement_ref(model, &m.reference, diags)?;
            Some(Mapping {
                span: m.reference.span,
                target,
                coverage: m.coverage,
            })
        })
        .collect();
    let mut enforce: Vec<_> = c.enforce.iter().map(|e| e.value).collect();
    enforce.sort();
    enforce.dedup();
    let control = Control {
        id: Sp::new(ControlId(id.value.clone()), id.span),
        file,
        title: c
            .title
            .as_ref()
            .map_or_else(|| id.value.clone(), |t| t.value.clone()),
        owner: c.owner.as_ref().map(team_ref),
        severity: c.severity.as_ref().map_or(Level::Medium, |s| s.value),
        applies_to,
        maps_to,
        enforce,
        retest_every: c.retest_every.as_ref().map(|r| r.value),
        evidence: c.evidence.as_ref().map(|e| e.value.clone()),
    };
    model.controls.insert(control.id.value.clone(), control);
}

/// Resolves `"framework:requirement"`, reporting what does not exist.
fn requirement_ref(model: &Model, text: &Sp<String>, diags: &mut Diags) -> Option<RequirementRef> {
    let Some((framework, requirement)) = text.split_once(':') else {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                text.span,
                format!("`{}` is not a requirement reference", text.value),
            )
            .help("write \"<framework-id>:<requirement-id>\", e.g. \"nist-csf-2.0:GV.RM-06\""),
        );
        return None;
    };
    let Some(catalog) = model.frameworks.get(framework) else {
        let mut d = Diagnostic::new(
            Code::UnknownReference,
            text.span,
            format!("unknown framework `{framework}`"),
        );
        d = match closest(framework, model.frameworks.keys().map(|k| k.as_str())) {
            Some(best) => d.help(format!("did you mean `{best}`?")),
            None => {
                d.help("add a catalog file with this [framework] id, or use a built-in framework")
            }
        };
        diags.push(d);
        return None;
    };
    if catalog.requirement(requirement).is_none() {
        let mut d = Diagnostic::new(
            Code::UnknownReference,
            text.span,
            format!("framework `{framework}` has no requirement `{requirement}`"),
        );
        let ids = catalog.requirements.iter().map(|r| r.id.value.as_str());
        if let Some(best) = closest(requirement, ids) {
            d = d.help(format!("did you mean `{framework}:{best}`?"));
        }
        diags.push(d);
        return None;
    }
    Some(RequirementRef {
        framework: FrameworkId(framework.to_string()),
        requirement: requirement.to_string(),
    })
}

fn add_exception(model: &mut Model, file: FileId, e: &raw::Exception, diags: &mut Diags) {
    let (Some(id), Some(asset), Some(control), Some(approved_by), Some(granted), Some(expires)) = (
        &e.id,
        &e.asset,
        &e.control,
        &e.approved_by,
        &e.granted,
        &e.expires,
    ) else {
        return;
    };
    if let Some(first) = model.exceptions.get(id.value.as_str()) {
        return duplicate(diags, "exception", id, first.id.span, id.span);
    }
    if expires.value < granted.value {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                expires.span,
                "exception expires before it is granted",
            )
            .label(granted.span, "granted here"),
        );
    }
    let exception = Exception {
        id: Sp::new(ExceptionId(id.value.clone()), id.span),
        file,
        asset: Sp::new(AssetId(asset.value.clone()), asset.span),
        control: Sp::new(ControlId(control.value.clone()), control.span),
        approved_by: team_ref(approved_by),
        reason: e.reason.as_ref().map(|r| r.value.clone()),
        granted: granted.clone(),
        expires: expires.clone(),
        compensating: e
            .compensating
            .iter()
            .map(|c| Sp::new(ControlId(c.value.clone()), c.span))
            .collect(),
    };
    model
        .exceptions
        .insert(exception.id.value.clone(), exception);
}

fn add_finding(model: &mut Model, file: FileId, f: &raw::Finding, diags: &mut Diags) {
    let (Some(id), Some(asset), Some(control), Some(opened)) =
        (&f.id, &f.asset, &f.control, &f.opened)
    else {
        return;
    };
    if let Some(first) = model.findings.get(id.value.as_str()) {
        return duplicate(diags, "finding", id, first.id.span, id.span);
    }
    let severity = f.severity.as_ref().map(|s| s.value).unwrap_or_else(|| {
        model
            .controls
            .get(control.value.as_str())
            .map_or(Level::Medium, |c| c.severity)
    });
    let finding = Finding {
        id: Sp::new(FindingId(id.value.clone()), id.span),
        file,
        asset: Sp::new(AssetId(asset.value.clone()), asset.span),
        control: Sp::new(ControlId(control.value.clone()), control.span),
        severity,
        opened: opened.clone(),
        status: f
            .status
            .clone()
            .unwrap_or(Sp::new(FindingStatus::Open, id.span)),
        retest_by: f.retest_by.clone(),
        source: f.source.as_ref().map(|s| s.value.clone()),
    };
    model.findings.insert(finding.id.value.clone(), finding);
}

/// Builds the catalogs: built-ins first, then repository catalogs, each of
/// which replaces a built-in of the same id.
fn frameworks(
    catalogs: Vec<(bool, Box<raw::Catalog>)>,
    diags: &mut Diags,
) -> BTreeMap<FrameworkId, Framework> {
    let mut out: BTreeMap<FrameworkId, Framework> = BTreeMap::new();
    let (builtin, repo): (Vec<_>, Vec<_>) = catalogs.into_iter().partition(|(b, _)| *b);
    for (builtin, catalog) in builtin.into_iter().chain(repo) {
        let Some(id) = &catalog.id else { continue };
        if let Some(first) = out.get(id.value.as_str()) {
            if !first.builtin || builtin {
                duplicate(diags, "framework", id, first.id.span, id.span);
                continue;
            }
        }
        let requirements = requirements(&catalog, diags);
        let framework = Framework {
            id: Sp::new(FrameworkId(id.value.clone()), id.span),
            name: catalog
                .name
                .as_ref()
                .map_or_else(|| id.value.clone(), |n| n.value.clone()),
            version: catalog.version.as_ref().map(|v| v.value.clone()),
            builtin,
            requirements,
        };
        out.insert(framework.id.value.clone(), framework);
    }
    out
}

fn requirements(catalog: &raw::Catalog, diags: &mut Diags) -> Vec<Requirement> {
    let mut requirements: Vec<Requirement> = Vec::new();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for r in &catalog.requirements {
        let Some(rid) = &r.id else { continue };
        if let Some(first) = seen.get(rid.value.as_str()) {
            duplicate(diags, "requirement", rid, *first, rid.span);
            continue;
        }
        seen.insert(&rid.value, rid.span);
        requirements.push(Requirement {
            id: rid.clone(),
            kind: r.kind.as_ref().map(|k| k.value.clone()),
            title: r
                .title
                .as_ref()
                .map_or_else(|| rid.value.clone(), |t| t.value.clone()),
            parent: r.parent.as_ref().map(|p| p.value.clone()),
            note: r.note.as_ref().map(|n| n.value.clone()),
        });
    }
    for r in &catalog.requirements {
        let Some(parent) = &r.parent else { continue };
        if !seen.contains_key(parent.value.as_str()) {
            let mut d = Diagnostic::new(
                Code::UnknownReference,
                parent.span,
                format!("unknown parent requirement `{}`", parent.value),
            );
            if let Some(best) = closest(&parent.value, seen.keys().copied()) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            diags.push(d);
        }
    }
    requirement_cycles(&mut requirements, diags);
    requirements
}

/// Reports requirements that are their own ancestor and cuts the loop, so
/// that later walks up the tree always end.
fn requirement_cycles(requirements: &mut [Requirement], diags: &mut Diags) {
    let parent: BTreeMap<String, String> = requirements
        .iter()
        .filter_map(|r| Some((r.id.value.clone(), r.parent.clone()?)))
        .collect();
    for r in requirements.iter_mut() {
        let mut at = r.id.value.as_str();
        for _ in 0..=parent.len() {
            match parent.get(at) {
                Some(p) if *p == r.id.value => {
                    diags.push(Diagnostic::new(
                        Code::ReferenceCycle,
                        r.id.span,
                        format!("requirement `{}` is its own ancestor", r.id.value),
                    ));
                    r.parent = None;
                    break;
                }
                Some(p) => at = p,
                None => break,
            }
        }
    }
}

fn settings(raw: raw::Settings, model: &Model, diags: &mut Diags) -> settings::Settings {
    let policy = raw
        .policy
        .map_or_else(Policy::default, |p| policy(p, model, diags));
    let mut rules: RuleLevels = BTreeMap::new();
    for (code, level) in raw.rules {
        let severity = match level.value {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        };
        rules.insert(code.value, severity);
    }
    let mut activities = Vec::new();
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for a in raw.activities {
        let (Some(id), Some(accountable)) = (a.id, a.accountable) else {
            continue;
        };
        if let Some(first) = seen.get(&id.value) {
            duplicate(diags, "activity", &id, *first, id.span);
            continue;
        }
        seen.insert(id.value.clone(), id.span);
        let roles = |v: Vec<Sp<vocab::Role>>| v.into_iter().map(|r| r.value).collect();
        activities.push(Activity {
            title: a.title.map_or_else(|| id.value.clone(), |t| t.value),
            id: id.value,
            accountable: accountable.value,
            responsible: roles(a.responsible),
            consulted: roles(a.consulted),
            informed: roles(a.informed),
        });
    }
    let builtin_activities = activities.is_empty();
    if builtin_activities {
        activities = settings::builtin_activities();
    }
    let mut signer_ids: BTreeMap<String, Span> = BTreeMap::new();
    let mut signers = Vec::new();
    for s in raw.signers {
        let (Some(id), Some(team), Some(public_key)) = (s.id, s.team, s.public_key) else {
            continue;
        };
        if let Some(first) = signer_ids.get(&id.value) {
            duplicate(diags, "signer", &id, *first, id.span);
            continue;
        }
        signer_ids.insert(id.value.clone(), id.span);
        signers.push(Signer {
            id,
            team: team_ref(&team),
            public_key,
            expires: s.expires.map(|e| e.value),
        });
    }
    settings::Settings {
        file: None,
        organization: raw.organization.map(|o| o.value).unwrap_or_default(),
        policy,
        rules,
        activities,
        builtin_activities,
        signers,
    }
}

fn policy(p: raw::Policy, model: &Model, diags: &mut Diags) -> Policy {
    let mut policy = Policy::default();
    if let Some(frameworks) = p.frameworks {
        policy.frameworks = frameworks
            .iter()
            .filter(|f| {
                let exists = model.frameworks.contains_key(f.value.as_str());
                if !exists {
                    let mut d = Diagnostic::new(
                        Code::UnknownReference,
                        f.span,
                        format!("unknown framework `{}`", f.value),
                    );
                    let ids = model.frameworks.keys().map(|k| k.as_str());
                    if let Some(best) = closest(&f.value, ids) {
                        d = d.help(format!("did you mean `{best}`?"));
                    }
                    diags.push(d);
                }
                exists
            })
            .map(|f| FrameworkId(f.value.clone()))
            .collect();
    }
    if let Some(v) = p.trust_threshold {
        policy.trust_threshold = v.value as u8;
    }
    if let Some(v) = p.max_credential_ttl {
        policy.max_credential_ttl = v.value;
    }
    if let Some(v) = p.max_exception_days {
        policy.max_exception_days = v.value;
    }
    if let Some(v) = p.attestation_max_age {
        policy.attestation_max_age = v.value;
    }
    if let Some(v) = p.max_accountable {
        policy.max_accountable = v.value as usize;
    }
    if let Some(v) = p.governance_functions {
        policy.governance_functions = v.into_iter().map(|f| f.value).collect();
    }
    policy.exception_approvers = p.exception_approvers.iter().map(team_ref).collect();
    for (level, window) in p.escalation {
        policy.escalation[level as usize] = window.value;
    }
    policy
}

/// Reports every reference to a team, asset or control that does not exist.
fn check_references(model: &Model, diags: &mut Diags) {
    let team = |diags: &mut Diags, r: &Sp<TeamId>, field: &str| {
        check_ref(diags, &model.teams, &r.value.0, r.span, "team", field)
    };
    let asset = |diags: &mut Diags, r: &Sp<AssetId>, field: &str| {
        check_ref(diags, &model.assets, &r.value.0, r.span, "asset", field)
    };
    let control = |diags: &mut Diags, r: &Sp<ControlId>, field: &str| {
        check_ref(diags, &model.controls, &r.value.0, r.span, "control", field)
    };
    for t in model.teams.values() {
        if let Some(p) = &t.parent {
            team(diags, p, "parent");
        }
    }
    for a in model.assets.values() {
        for (role, t) in a.owners.named() {
            team(diags, t, role);
        }
        for d in &a.depends_on {
            asset(diags, d, "depends-on");
        }
        if let Some(v) = &a.vendor {
            if team(diags, v, "vendor") {
                vendor_kind(model, v, diags);
            }
        }
    }
    for c in model.controls.values() {
        if let Some(o) = &c.owner {
            team(diags, o, "owner");
        }
    }
    for e in model.exceptions.values() {
        asset(diags, &e.asset, "asset");
        control(diags, &e.control, "control");
        team(diags, &e.approved_by, "approved-by");
        for c in &e.compensating {
            control(diags, c, "compensating");
        }
    }
    for f in model.findings.values() {
        asset(diags, &f.asset, "asset");
        control(diags, &f.control, "control");
    }
    for a in &model.settings.policy.exception_approvers {
        team(diags, a, "exception-approvers");
    }
    for s in &model.settings.signers {
        team(diags, &s.team, "team");
    }
}

fn vendor_kind(model: &Model, v: &Sp<TeamId>, diags: &mut Diags) {
    let vendor = &model.teams[v.value.as_str()];
    if vendor.kind.value != TeamKind::Vendor {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                v.span,
                format!("`vendor` names `{}`, which is not a vendor", v.value),
            )
            .label(
                vendor.kind.span,
                format!("`{}` is of kind {}", v.value, vendor.kind.value),
            )
            .help("declare the vendor as a team with kind = \"vendor\""),
        );
    }
}

/// Reports `id` when `known` lacks it; returns true when it is there.
fn check_ref<K: std::borrow::Borrow<str> + Ord, V>(
    diags: &mut Diags,
    known: &BTreeMap<K, V>,
    id: &str,
    span: Span,
    kind: &str,
    field: &str,
) -> bool {
    if known.contains_key(id) {
        return true;
    }
    let mut d = Diagnostic::new(
        Code::UnknownReference,
        span,
        format!("`{field}` names unknown {kind} `{id}`"),
    );
    d = match closest(id, known.keys().map(|k| k.borrow())) {
        Some(best) => d.help(format!("did you mean `{best}`?")),
        None => d.help(format!(
            "declare a [[{kind}]] with id = \"{id}\", or fix the reference"
        )),
    };
    diags.push(d);
    false
}

fn team_cycles(model: &Model, diags: &mut Diags) {
    for t in model.teams.values() {
        let mut seen = BTreeSet::new();
        let mut at = t;
        while let Some(p) = &at.parent {
            if p.value == t.id.value {
                diags.push(
                    Diagnostic::new(
                        Code::ReferenceCycle,
                        t.parent.as_ref().map_or(t.id.span, |p| p.span),
                        format!("team `{}` is its own ancestor through `parent`", t.id.value),
                    )
                    .help("team parents must form a tree"),
                );
                break;
            }
            if !seen.insert(p.value.clone()) {
                break;
            }
            match model.teams.get(p.value.as_str()) {
                Some(next) => at = next,
                None => break,
            }
        }
    }
}

fn asset_cycles(model: &Model, diags: &mut Diags) {
    // Iterative depth-first search with colours: 1 = on the stack, 2 = done.
    let mut colour: BTreeMap<&str, u8> = BTreeMap::new();
    for start in model.assets.values() {
        if colour.contains_key(start.id.value.as_str()) {
            continue;
        }
        let mut stack: Vec<(&Asset, usize)> = vec![(start, 0)];
        colour.insert(start.id.value.as_str(), 1);
        while let Some((asset, next)) = stack.pop() {
            let Some(dep) = asset.depends_on.get(next) else {
                colour.insert(asset.id.value.as_str(), 2);
                continue;
            };
            stack.push((asset, next + 1));
            let Some(target) = model.assets.get(dep.value.as_str()) else {
                continue;
            };
            match colour.get(target.id.value.as_str()) {
                Some(1) => {
                    let mut path: Vec<&str> = stack
                        .iter()
                        .skip_while(|(a, _)| a.id.value != target.id.value)
                        .map(|(a, _)| a.id.value.as_str())
                        .collect();
                    path.push(target.id.value.as_str());
                    diags.push(
                        Diagnostic::new(
                            Code::ReferenceCycle,
                            dep.span,
                            format!("`depends-on` forms a cycle: {}", path.join(" -> ")),
                        )
                        .help("asset dependencies must not loop back"),
                    );
                }
                Some(_) => {}
                None => {
                    colour.insert(target.id.value.as_str(), 1);
                    stack.push((target, 0));
                }
            }
        }
    }
}
