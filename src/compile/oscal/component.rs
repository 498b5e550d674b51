//! `oscal/component-definition.json`: one component per asset, `software`
//! or `service` (MCP servers and vendor services), with its kind,
//! environment, risk and status as props and its owners as
//! `responsible-roles`; the teams are the metadata's `parties`.
//!
//! Each reported framework that the asset's applicable controls map to is
//! a `control-implementation`; its `implemented-requirements` are the
//! requirements those controls map to directly, in catalog order, each
//! naming its controls (the description, ids in id order), their owners
//! (`control-owners`), its `coverage` (`full` when a full mapping reaches
//! a requirement without children, else `partial`, as the mapping counts
//! it) and an `exception` prop for each exception in force on the build's
//! day (granted on or before it, expiring on or after it) for the asset
//! and one of those controls.
//!
//! Assets that controls cannot tell apart share their list of controls
//! ([`super::super::ResolvedAsset::controls`]): [`super::profile`] finds
//! the requirements, and writes their JSON, once per such list; each asset
//! adds its UUIDs and exceptions.

use super::profile::{implementations, Implementations};
use super::{field, ids, line, prop, string, Context, OSCAL_VERSION};
use crate::compile::{stream, Error, Resolved, ResolvedAsset};
use crate::model::vocab::{AssetKind, Role};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Components are rendered in parallel chunks of this many.
const CHUNK: usize = 16;

/// The owner roles of a component, in this order, with their titles.
pub const ROLES: [(Role, &str); 8] = [
    (Role::Accountable, "Accountable owner"),
    (Role::Operator, "Operator"),
    (Role::Remediation, "Remediation owner"),
    (Role::Approver, "Approver"),
    (Role::Revoker, "Revoker"),
    (Role::Reviewers, "Reviewers of agent actions"),
    (Role::Incident, "Incident responder"),
    (Role::ControlOwners, "Control owner"),
];

/// Writes the component definition into `w`.
pub fn write(
    context: &Context<'_>,
    resolved: &Resolved<'_>,
    w: &mut dyn Write,
) -> Result<(), Error> {
    let model = context.model;
    let parties: BTreeMap<&str, String> = model
        .teams
        .keys()
        .map(|t| {
            let uuid = context.ids.uuid("party", Some(t.as_str()));
            (t.as_str(), uuid.hyphenated().to_string())
        })
        .collect();
    let mut head = Vec::new();
    head.extend_from_slice(b"{\"component-definition\":{");
    ids::field(&mut head, &context.ids.uuid("component-definition", None));
    head.extend_from_slice(b",\"metadata\":{");
    let organization = line(&model.settings.organization);
    let title = match &organization {
        Some(o) => format!("{o}: AI assets, their owners and controls"),
        None => "AI assets, their owners and controls".into(),
    };
    field(&mut head, "title", &title);
    head.push(b',');
    field(&mut head, "last-modified", context.date);
    head.push(b',');
    field(&mut head, "version", &context.version);
    head.push(b',');
    field(&mut head, "oscal-version", OSCAL_VERSION);
    head.extend_from_slice(b",\"roles\":[");
    for (i, (role, title)) in ROLES.iter().enumerate() {
        if i > 0 {
            head.push(b',');
        }
        head.push(b'{');
        field(&mut head, "id", role.name());
        head.push(b',');
        field(&mut head, "title", title);
        head.push(b'}');
    }
    head.push(b']');
    if !model.teams.is_empty() {
        head.extend_from_slice(b",\"parties\":[");
        for (i, team) in model.teams.values().enumerate() {
            if i > 0 {
                head.push(b',');
            }
            let id = team.id.value.as_str();
            head.push(b'{');
            field(&mut head, "uuid", &parties[id]);
            let kind = match team.kind.value.name() {
                "person" => "person",
                _ => "organization",
            };
            head.push(b',');
            field(&mut head, "type", kind);
            head.push(b',');
            field(&mut head, "name", line(&team.name).as_deref().unwrap_or(id));
            head.push(b',');
            field(&mut head, "short-name", id);
            head.push(b'}');
        }
        head.push(b']');
    }
    head.push(b'}');
    w.write_all(&head)?;
    if !resolved.assets.is_empty() {
        let (of, lists) = implementations(context, resolved, &parties);
        let assets: Vec<(&ResolvedAsset, &Implementations)> = resolved
            .assets
            .iter()
            .zip(&of)
            .map(|(a, i)| (a, &lists[*i]))
            .collect();
        w.write_all(b",\"components\":[")?;
        stream(&assets, CHUNK, w, |first, chunk, out| {
            // Grown once, not doubled over and over.
            let requirements: usize = chunk
                .iter()
                .flat_map(|(_, i)| i.iter().map(|(_, r)| r.len()))
                .sum();
            out.reserve(chunk.len() * 1024 + requirements * 320);
            for (i, (asset, implementations)) in chunk.iter().enumerate() {
                if !(first && i == 0) {
                    out.push(b',');
                }
                component(context, &parties, asset, implementations, out);
            }
            Ok(())
        })?;
        w.write_all(b"]")?;
    }
    w.write_all(b"}}\n")?;
    Ok(())
}

/// Appends the component of one asset.
fn component(
    context: &Context<'_>,
    parties: &BTreeMap<&str, String>,
    resolved: &ResolvedAsset<'_>,
    implementations: &Implementations<'_>,
    out: &mut Vec<u8>,
) {
    let a = resolved.asset;
    let id = a.id.value.as_str();
    out.push(b'{');
    let uuid = context.ids.uuid("component", Some(id));
    ids::field(out, &uuid);
    let kind = match a.kind.value {
        AssetKind::McpServer | AssetKind::VendorService => "service",
        _ => "software",
    };
    out.push(b',');
    field(out, "type", kind);
    out.push(b',');
    field(out, "title", line(&a.name).as_deref().unwrap_or(id));
    out.push(b',');
    let described = a.description.as_deref().filter(|d| !d.trim().is_empty());
    match described {
        Some(d) => field(out, "description", d),
        None => field(out, "description", &format!("{} {id}", a.kind.value.name())),
    }
    out.extend_from_slice(b",\"props\":[");
    for (i, (name, value)) in [
        ("asset", id),
        ("kind", a.kind.value.name()),
        ("environment", a.environment.value.name()),
        ("risk", a.risk.value.name()),
        ("status", a.status.value.name()),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            out.push(b',');
        }
        prop(out, name, value);
    }
    out.push(b']');
    let mut first = true;
    for (role, _) in &ROLES {
        let teams: Vec<&str> = a
            .owners
            .get(*role)
            .iter()
            .map(|t| t.value.as_str())
            .filter(|t| parties.contains_key(t))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if teams.is_empty() {
            continue;
        }
        out.extend_from_slice(if first {
            b",\"responsible-roles\":["
        } else {
            b","
        });
        first = false;
        out.push(b'{');
        field(out, "role-id", role.name());
        out.extend_from_slice(b",\"party-uuids\":[");
        for (i, team) in teams.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, &parties[team]);
        }
        out.extend_from_slice(b"]}");
    }
    if !first {
        out.push(b']');
    }
    if !implementations.is_empty() {
        // The asset's exceptions in force: control -> exception ids.
        let today = context.today;
        let mut excepted: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in context.model.exceptions_for(&a.id.value) {
            if e.granted.value <= today && today <= e.expires.value {
                excepted
                    .entry(e.control.value.as_str())
                    .or_default()
                    .push(e.id.value.as_str());
            }
        }
        out.extend_from_slice(b",\"control-implementations\":[");
        for (i, (k, requirements)) in implementations.iter().enumerate() {
            let (f, source) = &context.frameworks[*k];
            let framework = f.id.value.as_str();
            if i > 0 {
                out.push(b',');
            }
            out.push(b'{');
            let implementation = ids::within(&uuid, framework);
            ids::field(out, &implementation);
            out.push(b',');
            field(out, "source", source);
            out.push(b',');
            field(
                out,
                "description",
                &format!("{framework} requirements the controls of {id} implement"),
            );
            out.extend_from_slice(b",\"implemented-requirements\":[");
            for (j, r) in requirements.iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                out.push(b'{');
                ids::field(out, &ids::within(&implementation, r.id));
                out.extend_from_slice(&r.head);
                if !excepted.is_empty() {
                    for control in &r.controls {
                        for e in excepted.get(control).into_iter().flatten() {
                            out.push(b',');
                            prop(out, "exception", e);
                        }
                    }
                }
                out.extend_from_slice(&r.tail);
            }
            out.extend_from_slice(b"]}");
        }
        out.push(b']');
    }
    out.push(b'}');
}
