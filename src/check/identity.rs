//! Identity and tool rules: workload identity and short-lived credentials
//! for agents and NHIs, no shared identities and no unapproved write tools.
//! A retired asset presents no credential: the identity rules skip it.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::vocab::{Access, AssetKind, AssetStatus, Decision, Environment, IdentityType};
use crate::model::{Asset, Model};
use crate::source::Span;
use std::collections::BTreeMap;

/// Every code this rule reports.
pub const CODES: &[Code] = &[
    Code::SharedIdentity,
    Code::StaticCredential,
    Code::CredentialTtl,
    Code::ToolNotCallable,
    Code::UnapprovedWriteTool,
];

pub fn check(model: &Model, diags: &mut Diags) {
    let shared = diags.wants(Code::SharedIdentity);
    let lifetime = diags.wants(Code::CredentialTtl);
    let write = diags.wants(Code::UnapprovedWriteTool);
    let mut spiffe: BTreeMap<&str, (&Asset, Span)> = BTreeMap::new();
    for asset in model.assets.values() {
        let production = asset.environment.value == Environment::Production;
        let kind = asset.kind.value;
        if asset.status.value == AssetStatus::Retired {
            tools(asset, production && write, diags);
            continue;
        }
        if let Some(identity) = &asset.identity {
            if let (true, Some(id)) = (shared, &identity.spiffe_id) {
                match spiffe.get(id.value.as_str()) {
                    Some((first, first_span)) => diags.push(
                        Diagnostic::new(
                            Code::SharedIdentity,
                            id.span,
                            format!("`{}` shares its spiffe-id with `{}`", asset.id.value, first.id.value),
                        )
                        .label(*first_span, format!("also the identity of `{}`", first.id.value))
                        .help("give every workload its own identity, so its access can be scoped and revoked alone"),
                    ),
                    None => {
                        spiffe.insert(&id.value, (asset, id.span));
                    }
                }
            }
            if let Some(t) = &identity.kind {
                let weak = matches!(
                    t.value,
                    IdentityType::StaticSecret | IdentityType::SharedHuman
                );
                if weak
                    && production
                    && matches!(
                        kind,
                        AssetKind::Agent | AssetKind::McpServer | AssetKind::Nhi
                    )
                {
                    diags.push(
                        Diagnostic::new(
                            Code::StaticCredential,
                            t.span,
                            format!("production {kind} `{}` uses a {} credential", asset.id.value, t.value),
                        )
                        .help("use workload identity (type = \"workload\") or just-in-time credentials (\"jit\")"),
                    );
                }
            }
            if let (true, Some(ttl)) = (lifetime, &identity.max_ttl) {
                let max = model.settings.policy.max_credential_ttl;
                if ttl.value > max {
                    diags.push(
                        Diagnostic::new(
                            Code::CredentialTtl,
                            ttl.span,
                            format!("credentials of `{}` live {}, longer than policy.max-credential-ttl ({max})", asset.id.value, ttl.value),
                        )
                        .help(format!("issue credentials that expire within {max}")),
                    );
                }
            }
        }
        let ttl_missing = asset.identity.as_ref().is_none_or(|i| i.max_ttl.is_none());
        if lifetime && production && kind == AssetKind::Agent && ttl_missing {
            let span = asset.identity.as_ref().map_or(asset.id.span, |i| i.span);
            diags.push(
                Diagnostic::new(
                    Code::CredentialTtl,
                    span,
                    format!(
                        "production agent `{}` declares no credential lifetime",
                        asset.id.value
                    ),
                )
                .help("add `max-ttl = \"15m\"` under [asset.identity]"),
            );
        }
        tools(asset, production && write, diags);
    }
}

/// Checks the tools of `asset`; `unapproved` asks for the warnings about
/// write tools allowed without approval, where the asset is in production.
fn tools(asset: &Asset, unapproved: bool, diags: &mut Diags) {
    let callable = !matches!(asset.kind.value, AssetKind::Model | AssetKind::Dataset);
    for tool in &asset.tools {
        if !callable {
            diags.push(
                Diagnostic::new(
                    Code::ToolNotCallable,
                    tool.span,
                    format!(
                        "{} `{}` declares tool `{}`, but a {} calls no tools",
                        asset.kind.value, asset.id.value, tool.id.value, asset.kind.value
                    ),
                )
                .label(asset.kind.span, format!("kind is {}", asset.kind.value))
                .help("declare tools on the agent, MCP server or app that calls them"),
            );
        }
        let writes = tool.access.value >= Access::Write;
        if unapproved && writes && tool.decision.value == Decision::Allow {
            diags.push(
                Diagnostic::new(
                    Code::UnapprovedWriteTool,
                    tool.decision.span,
                    format!("production tool `{}` of `{}` has {} access without approval", tool.id.value, asset.id.value, tool.access.value),
                )
                .label(tool.access.span, format!("{} access", tool.access.value))
                .help("set `decision = \"step-up\"` so a human approves each call, or narrow the access"),
            );
        }
    }
}
