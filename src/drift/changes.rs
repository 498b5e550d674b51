//! The semantic diff of two models: typed changes with a severity, the asset
//! and role they concern, and the values before and after.
//!
//! Entities are matched by id, never by file, so a declaration moved to
//! another file is no change at all. Every change keeps where it is declared
//! ([`At`]): on the `to` side, or on the `from` side when it is gone there.

use super::applied::{self, Applied};
use super::privileges::privileges;
use super::unchanged::{pairs, Context};
use crate::model::vocab::{vocab, FindingStatus, Role};
use crate::model::{coverage, raci};
use crate::model::{Asset, AssetId, Model};
use crate::source::Span;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

vocab! {
    /// How much a change matters, lowest first.
    Severity { Info = "info", Low = "low", Medium = "medium", High = "high", Critical = "critical" }
}

vocab! {
    /// The kinds of change, as SPEC section 5 names them.
    Kind {
        AssetOrphaned = "asset-orphaned", SignerChanged = "signer-changed",
        OwnerChanged = "owner-changed", OwnerRemoved = "owner-removed",
        PrivilegeWidened = "privilege-widened", TrustDropped = "trust-dropped",
        CoverageDropped = "coverage-dropped", ExceptionAdded = "exception-added",
        ExceptionExtended = "exception-extended", AssetAdded = "asset-added",
        AssetRemoved = "asset-removed", PrivilegeNarrowed = "privilege-narrowed",
        FindingOpened = "finding-opened", FindingClosed = "finding-closed",
        RaciChanged = "raci-changed",
    }
}

impl Kind {
    /// Returns a one-line description, lowercase without a trailing period.
    pub fn summary(self) -> &'static str {
        match self {
            Kind::AssetOrphaned => "an owner team was removed or set inactive while it still owns assets",
            Kind::SignerChanged => "the trusted release signers were added, removed or changed",
            Kind::OwnerChanged => "a role moved from one team to another",
            Kind::OwnerRemoved => "a role was emptied",
            Kind::PrivilegeWidened => "a tool added, access raised, decision loosened, a tool's window widened or confidence floor lowered, identity type weakened, max-ttl raised, or an asset set back to active",
            Kind::TrustDropped => "a trust score fell under its threshold",
            Kind::CoverageDropped => "a framework's coverage fell or it is no longer reported on, a control, mapping or crosswalk link was removed or weakened, or applies-to narrowed",
            Kind::ExceptionAdded => "an exception was added",
            Kind::ExceptionExtended => "an exception's expiry was pushed later",
            Kind::AssetAdded => "an asset was added",
            Kind::AssetRemoved => "an asset was removed",
            Kind::PrivilegeNarrowed => "a tool removed, access lowered, decision tightened, a tool's window narrowed or confidence floor raised, identity type strengthened, max-ttl lowered, or an asset suspended or retired",
            Kind::FindingOpened => "a finding was opened",
            Kind::FindingClosed => "a finding was closed or removed",
            Kind::RaciChanged => "the RACI matrix of an asset changed",
        }
    }

    /// Returns the default severity of the kind (owner changes depend on
    /// the role and are set where they are found).
    pub fn severity(self) -> Severity {
        match self {
            Kind::AssetOrphaned | Kind::SignerChanged => Severity::Critical,
            Kind::OwnerChanged
            | Kind::OwnerRemoved
            | Kind::PrivilegeWidened
            | Kind::TrustDropped => Severity::High,
            Kind::CoverageDropped | Kind::ExceptionAdded | Kind::ExceptionExtended => {
                Severity::Medium
            }
            _ => Severity::Info,
        }
    }
}

/// The side of a diff a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The earlier side, `--from`.
    From,
    /// The later side, `--to` or the working tree.
    To,
}

/// Where a change is declared: a span into the sources of one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    pub side: Side,
    pub span: Span,
}

/// One change between two models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub severity: Severity,
    pub asset: Option<String>,
    pub role: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub message: String,
    /// The declaration the change is about; `None` only when neither side
    /// declares anything to point at (a built-in framework's coverage under
    /// the default frameworks).
    #[serde(skip)]
    pub at: Option<At>,
}

impl Change {
    pub(super) fn new(kind: Kind, message: String) -> Self {
        Change {
            kind,
            severity: kind.severity(),
            asset: None,
            role: None,
            before: None,
            after: None,
            message,
            at: None,
        }
    }

    pub(super) fn to(mut self, span: Span) -> Self {
        self.at = Some(At {
            side: Side::To,
            span,
        });
        self
    }

    pub(super) fn from(mut self, span: Span) -> Self {
        self.at = Some(At {
            side: Side::From,
            span,
        });
        self
    }

    pub(super) fn asset(mut self, asset: &str) -> Self {
        self.asset = Some(asset.to_string());
        self
    }

    pub(super) fn role(mut self, role: &str) -> Self {
        self.role = Some(role.to_string());
        self
    }

    pub(super) fn values(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    pub(super) fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The identity of a change across commits, for blame.
    pub fn key(&self) -> (Kind, Option<&str>, Option<&str>, Option<&str>) {
        (
            self.kind,
            self.asset.as_deref(),
            self.role.as_deref(),
            self.after.as_deref(),
        )
    }
}

/// The roles named under `[asset.owners]`, in role order, each with its
/// teams joined (reviewers may be several).
fn roles(a: &Asset) -> impl Iterator<Item = (Role, Option<String>)> + '_ {
    Role::ALL.iter().filter(|r| !r.is_derived()).map(|role| {
        let teams: Vec<&str> = a
            .owners
            .get(*role)
            .iter()
            .map(|t| t.value.as_str())
            .collect();
        (*role, (!teams.is_empty()).then(|| teams.join(", ")))
    })
}

/// Computes every change from `before` to `after`, sorted by severity
/// (highest first), then kind, asset and role.
pub fn diff(before: &Model, after: &Model) -> Vec<Change> {
    compare(before, after, true)
}

/// [`diff`] comparing every asset held by both sides, the unchanged ones
/// too: what skipping them must find.
#[cfg(test)]
pub(super) fn diff_all(before: &Model, after: &Model) -> Vec<Change> {
    compare(before, after, false)
}

/// Computes every change, skipping with `skip` the assets whose
/// comparison would find nothing ([`Context::unchanged`]).
fn compare(before: &Model, after: &Model, skip: bool) -> Vec<Change> {
    let pairs = pairs(before, after);
    let context = Context::new(before, after, &pairs);
    // The assets to compare are found beside what applies on each side.
    let ((ca, cb), compared) = rayon::join(
        || rayon::join(|| Applied::of(after), || Applied::of(before)),
        || -> Vec<(&AssetId, &Asset, Option<&Asset>)> {
            pairs
                .par_iter()
                .filter_map(|(id, b, a)| Some((*id, (*b)?, *a)))
                .filter(|(_, b, a)| a.is_none_or(|a| !(skip && context.unchanged(b, a))))
                .collect()
        },
    );
    let mut out = Vec::new();
    orphans(before, after, &mut out);
    signers(before, after, &mut out);
    // Each asset's changes on its own core, joined in the assets' order.
    out.par_extend(compared.into_par_iter().flat_map_iter(|(id, b, a)| {
        let mut found = Vec::new();
        match a {
            None => found.push(
                Change::new(Kind::AssetRemoved, format!("asset `{id}` was removed"))
                    .asset(id.as_str())
                    .from(b.id.span),
            ),
            Some(a) => asset((before, &cb), (after, &ca), b, a, &mut found),
        }
        found
    }));
    for (id, a) in pairs.iter().filter_map(|(id, b, a)| match (b, a) {
        (None, Some(a)) => Some((id, a)),
        _ => None,
    }) {
        out.push(
            Change::new(
                Kind::AssetAdded,
                format!(
                    "asset `{id}` was added ({} in {})",
                    a.kind.value, a.environment.value
                ),
            )
            .asset(id.as_str())
            .values(
                None,
                a.owners.accountable.as_ref().map(|t| t.value.0.clone()),
            )
            .to(a.id.span),
        );
    }
    coverage((before, &cb), (after, &ca), &mut out);
    super::crosswalks::edits(before, after, &mut out);
    exceptions(before, after, &mut out);
    findings(before, after, &mut out);
    out.sort_by(|x, y| {
        (
            std::cmp::Reverse(x.severity),
            x.kind,
            &x.asset,
            &x.role,
            &x.after,
        )
            .cmp(&(
                std::cmp::Reverse(y.severity),
                y.kind,
                &y.asset,
                &y.role,
                &y.after,
            ))
    });
    // The same change found twice (a team holding two reviewer seats) is
    // reported once, wherever each was declared.
    out.dedup_by(|x, y| {
        (
            x.kind, x.severity, &x.asset, &x.role, &x.before, &x.after, &x.message,
        ) == (
            y.kind, y.severity, &y.asset, &y.role, &y.before, &y.after, &y.message,
        )
    });
    out
}

fn orphans(before: &Model, after: &Model, out: &mut Vec<Change>) {
    let gone: BTreeMap<&str, &str> = before
        .teams
        .iter()
        .filter(|(_, t)| t.active.value)
        .filter_map(|(id, _)| match after.teams.get(id) {
            None => Some((id.as_str(), "was removed")),
            Some(t) if !t.active.value => Some((id.as_str(), "was set inactive")),
            Some(_) => None,
        })
        .collect();
    if gone.is_empty() {
        return;
    }
    for (id, asset) in &after.assets {
        for (role, holder) in asset.owners.named() {
            if let Some(how) = gone.get(holder.value.as_str()) {
                out.push(
                    Change::new(
                        Kind::AssetOrphaned,
                        format!(
                            "`{}` {how} while it is still the {role} of `{id}`",
                            holder.value
                        ),
                    )
                    .asset(id.as_str())
                    .role(role.name())
                    .values(Some(holder.value.0.clone()), None)
                    .to(holder.span),
                );
            }
        }
    }
}

fn signers(before: &Model, after: &Model, out: &mut Vec<Change>) {
    let view = |m: &Model| -> BTreeMap<String, (String, Span)> {
        m.settings
            .signers
            .iter()
            .map(|s| {
                let expires = s
                    .expires
                    .as_ref()
                    .map(|d| format!(", expires {}", d.value))
                    .unwrap_or_default();
                (
                    s.id.value.clone(),
                    (
                        format!("{} ({}{expires})", s.public_key.value, s.team.value),
                        s.id.span,
                    ),
                )
            })
            .collect()
    };
    let (b, a) = (view(before), view(after));
    for id in b.keys().chain(a.keys()).collect::<BTreeSet<_>>() {
        let (was, now) = (b.get(id), a.get(id));
        if was.map(|w| &w.0) == now.map(|n| &n.0) {
            continue;
        }
        let how = match (was, now) {
            (None, _) => "was added",
            (_, None) => "was removed",
            _ => "was changed",
        };
        let change = Change::new(Kind::SignerChanged, format!("release signer `{id}` {how}"))
            .role("signer")
            .values(was.map(|w| w.0.clone()), now.map(|n| n.0.clone()));
        out.push(match (was, now) {
            (_, Some((_, span))) => change.to(*span),
            (Some((_, span)), None) => change.from(*span),
            (None, None) => change,
        });
    }
}

/// The span of the first team holding `role` in `a`, or of the asset's id.
fn role_span(a: &Asset, role: Role) -> Span {
    a.owners.get(role).first().map_or(a.id.span, |t| t.span)
}

fn asset<'m>(
    (bm, cb): (&'m Model, &Applied<'m>),
    (am, ca): (&'m Model, &Applied<'m>),
    b: &'m Asset,
    a: &'m Asset,
    out: &mut Vec<Change>,
) {
    let id = a.id.value.as_str();
    for ((role, was), (_, now)) in roles(b).zip(roles(a)) {
        match (&was, &now) {
            (Some(x), Some(y)) if x != y => {
                let severity = if role == Role::Accountable {
                    Severity::High
                } else {
                    Severity::Medium
                };
                out.push(
                    Change::new(
                        Kind::OwnerChanged,
                        format!("{role} of `{id}` moved from `{x}` to `{y}`"),
                    )
                    .asset(id)
                    .role(role.name())
                    .values(was.clone(), now.clone())
                    .severity(severity)
                    .to(role_span(a, role)),
                );
            }
            (Some(x), None) => out.push(
                Change::new(
                    Kind::OwnerRemoved,
                    format!("`{id}` no longer has an {role} (was `{x}`)"),
                )
                .asset(id)
                .role(role.name())
                .values(was.clone(), None)
                .to(a.id.span),
            ),
            _ => {}
        }
    }
    privileges(b, a, out);
    let under = |x: &Asset, m: &Model| {
        x.trust.as_ref().and_then(|t| {
            let score = t.score.as_ref()?.value;
            let threshold = t
                .threshold
                .as_ref()
                .map_or(m.settings.policy.trust_threshold, |v| v.value);
            Some((score, threshold))
        })
    };
    if let Some((score, threshold)) = under(a, am).filter(|(s, t)| s < t) {
        let was_under = under(b, bm).is_some_and(|(s, t)| s < t);
        if !was_under {
            let before = under(b, bm).map(|(s, _)| s.to_string());
            out.push(
                Change::new(
                    Kind::TrustDropped,
                    format!(
                        "trust score of `{id}` fell to {score}, under its threshold of {threshold}"
                    ),
                )
                .asset(id)
                .values(before, Some(score.to_string()))
                .to(a.trust.as_ref().map_or(a.id.span, |t| t.span)),
            );
        }
    }
    // Equal role teams under equal activities give equal matrices; most
    // assets are unchanged, so compare the cheap part first.
    let (tb, ta) = (
        raci::RoleTeams::with_controls(bm, b, &cb.controls(&b.id.value)),
        raci::RoleTeams::with_controls(am, a, &ca.controls(&a.id.value)),
    );
    if tb == ta && bm.settings.activities == am.settings.activities {
        return;
    }
    let (rb, ra) = (raci::resolve_with(bm, &tb), raci::resolve_with(am, &ta));
    let changed: Vec<&str> = ra
        .iter()
        .filter(|row| {
            rb.iter()
                .find(|r| r.activity.id == row.activity.id)
                .is_none_or(|r| r.cells != row.cells)
        })
        .map(|row| row.activity.id.as_str())
        .collect();
    if !changed.is_empty() {
        out.push(
            Change::new(
                Kind::RaciChanged,
                format!("RACI of `{id}` changed for {}", changed.join(", ")),
            )
            .asset(id)
            .to(a.id.span),
        );
    }
}

fn coverage<'m>(
    (before, cb): (&'m Model, &Applied<'m>),
    (after, ca): (&'m Model, &Applied<'m>),
    out: &mut Vec<Change>,
) {
    let ((lost, cov_b), cov_a) = rayon::join(
        || {
            rayon::join(
                || applied::narrowed((before, cb), ca),
                || coverage::summaries(before, &cb.applied()),
            )
        },
        || coverage::summaries(after, &ca.applied()),
    );
    // A catalog of the repository is pointed at where it declares its id; a
    // built-in one is in no file of the repository.
    let catalog = |m: &Model, id: &str| {
        m.frameworks
            .get(id)
            .filter(|f| !f.builtin)
            .map(|f| f.id.span)
    };
    for (framework, sa) in &cov_a {
        if let Some((_, sb)) = cov_b.iter().find(|(f, _)| f == framework) {
            if sa.percent < sb.percent {
                // A built-in one where the policy names it.
                let declared = catalog(after, framework)
                    .or_else(|| after.settings.policy.framework_span(framework));
                let change = Change::new(
                    Kind::CoverageDropped,
                    format!(
                        "coverage of {} fell from {}% to {}%",
                        framework, sb.percent, sa.percent
                    ),
                )
                .role("framework")
                .values(
                    Some(format!("{}%", sb.percent)),
                    Some(format!("{}%", sa.percent)),
                );
                out.push(match declared {
                    Some(span) => change.to(span),
                    None => change,
                });
            }
        }
    }
    for (framework, sb) in &cov_b {
        if cov_a.iter().any(|(f, _)| f == framework) {
            continue;
        }
        let change = Change::new(
            Kind::CoverageDropped,
            format!(
                "framework `{}` is no longer reported on (its coverage was {}%)",
                framework, sb.percent
            ),
        )
        .role("framework")
        .values(Some(format!("{}%", sb.percent)), None);
        // Where the earlier policy named it; under the default frameworks,
        // the later policy's list that leaves it out.
        let named = before.settings.policy.framework_span(framework);
        out.push(match named {
            Some(span) => change.from(span),
            None => match after.settings.policy.framework_span(framework) {
                Some(span) => change.to(span),
                None => match catalog(before, framework) {
                    Some(span) => change.from(span),
                    None => change,
                },
            },
        });
    }
    for (id, cb) in &before.controls {
        let Some(ca) = after.controls.get(id) else {
            out.push(
                Change::new(Kind::CoverageDropped, format!("control `{id}` was removed"))
                    .role("control")
                    .values(Some(id.0.clone()), None)
                    .from(cb.id.span),
            );
            continue;
        };
        let targets = |c: &crate::model::Control| -> BTreeSet<String> {
            c.maps_to.iter().map(|m| m.target.to_string()).collect()
        };
        for lost in targets(cb).difference(&targets(ca)) {
            out.push(
                Change::new(
                    Kind::CoverageDropped,
                    format!("control `{id}` no longer maps to {lost}"),
                )
                .role("mapping")
                .values(Some(format!("{id} -> {lost}")), None)
                .from(
                    cb.maps_to
                        .iter()
                        .find(|m| m.target.to_string() == *lost)
                        .map_or(cb.id.span, |m| m.span),
                ),
            );
        }
        let narrowed = lost.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        if !narrowed.is_empty() {
            let names = narrowed;
            out.push(
                Change::new(
                    Kind::CoverageDropped,
                    format!("control `{id}` no longer applies to {}", names.join(", ")),
                )
                .role("applies-to")
                .values(Some(id.0.clone()), Some(names.join(", ")))
                .to(ca.id.span),
            );
        }
    }
}

fn exceptions(before: &Model, after: &Model, out: &mut Vec<Change>) {
    for (id, e) in &after.exceptions {
        match before.exceptions.get(id) {
            None => out.push(
                Change::new(
                    Kind::ExceptionAdded,
                    format!(
                        "exception `{id}` lifts `{}` on `{}` until {}",
                        e.control.value, e.asset.value, e.expires.value
                    ),
                )
                .asset(e.asset.value.as_str())
                .values(None, Some(e.expires.value.to_string()))
                .to(e.id.span),
            ),
            Some(was) if e.expires.value > was.expires.value => out.push(
                Change::new(
                    Kind::ExceptionExtended,
                    format!(
                        "exception `{id}` was extended from {} to {}",
                        was.expires.value, e.expires.value
                    ),
                )
                .asset(e.asset.value.as_str())
                .values(
                    Some(was.expires.value.to_string()),
                    Some(e.expires.value.to_string()),
                )
                .to(e.expires.span),
            ),
            Some(_) => {}
        }
    }
}

fn findings(before: &Model, after: &Model, out: &mut Vec<Change>) {
    let open = |m: &Model, id: &crate::model::FindingId| {
        m.findings
            .get(id)
            .is_some_and(|f| f.status.value == FindingStatus::Open)
    };
    for (id, f) in &after.findings {
        if open(after, id) && !open(before, id) {
            out.push(
                Change::new(
                    Kind::FindingOpened,
                    format!(
                        "{} finding `{id}` opened on `{}` ({})",
                        f.severity, f.asset.value, f.control.value
                    ),
                )
                .asset(f.asset.value.as_str())
                .values(None, Some(id.0.clone()))
                .to(f.id.span),
            );
        }
    }
    for (id, f) in &before.findings {
        if open(before, id) && !open(after, id) {
            let later = after.findings.get(id);
            let now = later.map_or("removed".to_string(), |f| f.status.value.to_string());
            let change = Change::new(
                Kind::FindingClosed,
                format!("finding `{id}` on `{}` closed ({now})", f.asset.value),
            )
            .asset(f.asset.value.as_str())
            .values(Some(id.0.clone()), Some(now));
            out.push(match later {
                Some(l) => change.to(l.status.span),
                None => change.from(f.id.span),
            });
        }
    }
}
