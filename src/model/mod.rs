//! The validated governance model: teams, assets, controls, exceptions,
//! findings, frameworks and settings, with newtype ids and resolved
//! references.
//!
//! `check::resolve` is the only producer. References that did not resolve
//! were reported there and are kept as written, so lookups by id return
//! `Option` and the rules simply skip what is missing. Entities sit in
//! `BTreeMap`s keyed by id, so every walk over the model is in id order and
//! outputs are deterministic.

pub mod applies;
pub mod coverage;
pub mod dates;
pub mod duration;
pub mod handle;
pub mod raci;
pub mod settings;
pub mod vocab;

use crate::source::{FileId, Sp, Span};
use duration::Duration;
use jiff::civil::Date;
use std::collections::BTreeMap;
use vocab::{
    Access, AssetKind, AssetStatus, Check, Coverage, Decision, Environment, FindingStatus,
    IdentityType, Level, Relation, Role, TeamKind,
};

pub use applies::AppliesTo;
pub use handle::Handle;
pub use settings::Settings;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl $name {
            /// Returns the id as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    )*};
}

id_type! {
    /// Identifies a team, person or vendor.
    TeamId;
    /// Identifies an AI asset.
    AssetId;
    /// Identifies a control.
    ControlId;
    /// Identifies an exception.
    ExceptionId;
    /// Identifies a finding.
    FindingId;
    /// Identifies a framework catalog.
    FrameworkId;
}

/// A reference to one requirement of one framework.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequirementRef {
    pub framework: FrameworkId,
    pub requirement: String,
}

impl std::fmt::Display for RequirementRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.framework, self.requirement)
    }
}

/// The whole validated model of one governance repository.
#[derive(Debug, Default)]
pub struct Model {
    pub settings: Settings,
    pub teams: BTreeMap<TeamId, Team>,
    pub assets: BTreeMap<AssetId, Asset>,
    pub controls: BTreeMap<ControlId, Control>,
    pub exceptions: BTreeMap<ExceptionId, Exception>,
    pub findings: BTreeMap<FindingId, Finding>,
    pub frameworks: BTreeMap<FrameworkId, Framework>,
    /// Crosswalks between frameworks, by id.
    pub crosswalks: BTreeMap<String, Crosswalk>,
    /// The exceptions of each asset, in id order; see [`Model::index`].
    pub exceptions_by_asset: BTreeMap<AssetId, Vec<ExceptionId>>,
}

/// A team, person or vendor that can own things.
#[derive(Debug)]
pub struct Team {
    pub id: Sp<TeamId>,
    pub file: FileId,
    pub name: String,
    pub kind: Sp<TeamKind>,
    pub functions: Vec<String>,
    pub contact: Option<String>,
    /// The CODEOWNERS owner; `None` when absent or refused by check.
    pub handle: Option<Handle>,
    pub parent: Option<Sp<TeamId>>,
    pub active: Sp<bool>,
}

/// An AI asset with its owners.
#[derive(Debug, PartialEq, Eq)]
pub struct Asset {
    /// The asset's table: its `[[asset]]` header, or the key that opens it.
    pub span: Span,
    pub id: Sp<AssetId>,
    pub file: FileId,
    pub name: String,
    pub kind: Sp<AssetKind>,
    pub environment: Sp<Environment>,
    pub risk: Sp<Level>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub depends_on: Vec<Sp<AssetId>>,
    pub vendor: Option<Sp<TeamId>>,
    /// Active unless declared otherwise.
    pub status: Sp<AssetStatus>,
    pub owners: Owners,
    pub identity: Option<Identity>,
    pub tools: Vec<Tool>,
    pub trust: Option<Trust>,
}

/// The named owners of an asset, by role.
#[derive(Debug, PartialEq, Eq)]
pub struct Owners {
    /// The owners table, or the asset when it has none.
    pub span: Span,
    pub accountable: Option<Sp<TeamId>>,
    pub operator: Option<Sp<TeamId>>,
    pub remediation: Option<Sp<TeamId>>,
    pub approver: Option<Sp<TeamId>>,
    pub revoker: Option<Sp<TeamId>>,
    pub reviewers: Vec<Sp<TeamId>>,
    pub incident: Option<Sp<TeamId>>,
    pub attested: Option<Sp<Date>>,
}

impl Owners {
    /// Returns the team whose approval the runtime asks for: the approver,
    /// else the accountable owner.
    pub fn approving(&self) -> Option<&Sp<TeamId>> {
        self.approver.as_ref().or(self.accountable.as_ref())
    }

    /// Returns the teams holding `role`: one or none for most roles, any
    /// number of reviewers, none for the derived roles.
    pub fn get(&self, role: Role) -> &[Sp<TeamId>] {
        match role {
            Role::Accountable => self.accountable.as_slice(),
            Role::Operator => self.operator.as_slice(),
            Role::Remediation => self.remediation.as_slice(),
            Role::Approver => self.approver.as_slice(),
            Role::Revoker => self.revoker.as_slice(),
            Role::Reviewers => &self.reviewers,
            Role::Incident => self.incident.as_slice(),
            Role::DependencyOwners | Role::ControlOwners => &[],
        }
    }

    /// Returns every named owner with the role it holds, in role order.
    pub fn named(&self) -> impl Iterator<Item = (Role, &Sp<TeamId>)> {
        Role::ALL
            .iter()
            .flat_map(move |role| self.get(*role).iter().map(move |team| (*role, team)))
    }
}

/// How an asset authenticates.
#[derive(Debug, PartialEq, Eq)]
pub struct Identity {
    pub span: Span,
    pub kind: Option<Sp<IdentityType>>,
    pub spiffe_id: Option<Sp<String>>,
    pub max_ttl: Option<Sp<Duration>>,
}

/// A tool an agent or MCP server may call.
#[derive(Debug, PartialEq, Eq)]
pub struct Tool {
    pub span: Span,
    pub id: Sp<String>,
    pub system: Option<String>,
    pub access: Sp<Access>,
    pub decision: Sp<Decision>,
    /// The first day of the grant; `None`: it has no start.
    pub from: Option<Sp<Date>>,
    /// The last day of the grant; `None`: it never ends.
    pub until: Option<Sp<Date>>,
    /// Under this request confidence, the call needs a human approval.
    pub min_confidence: Option<Sp<u8>>,
}

/// The last trust assessment of an asset.
#[derive(Debug, PartialEq, Eq)]
pub struct Trust {
    pub span: Span,
    pub score: Option<Sp<u8>>,
    pub assessed: Option<Sp<Date>>,
    pub threshold: Option<Sp<u8>>,
}

/// A control with its owner, scope and framework mappings.
#[derive(Debug, PartialEq, Eq)]
pub struct Control {
    pub id: Sp<ControlId>,
    pub file: FileId,
    pub title: String,
    pub owner: Option<Sp<TeamId>>,
    pub severity: Level,
    pub applies_to: AppliesTo,
    pub maps_to: Vec<Mapping>,
    pub enforce: Vec<Check>,
    pub retest_every: Option<Sp<Duration>>,
    /// The last passing test of the control.
    pub tested: Option<Sp<Date>>,
    pub evidence: Option<String>,
}

/// One resolved `maps-to` entry.
#[derive(Debug, PartialEq, Eq)]
pub struct Mapping {
    pub span: Span,
    pub target: RequirementRef,
    pub coverage: Coverage,
}

/// A time-bound, approved deviation from a control for one asset.
#[derive(Debug, PartialEq, Eq)]
pub struct Exception {
    pub id: Sp<ExceptionId>,
    pub file: FileId,
    pub asset: Sp<AssetId>,
    pub control: Sp<ControlId>,
    pub approved_by: Sp<TeamId>,
    pub reason: Option<String>,
    pub granted: Sp<Date>,
    pub expires: Sp<Date>,
    pub compensating: Vec<Sp<ControlId>>,
}

/// A finding against an asset and control.
#[derive(Debug)]
pub struct Finding {
    pub id: Sp<FindingId>,
    pub file: FileId,
    pub asset: Sp<AssetId>,
    pub control: Sp<ControlId>,
    pub severity: Level,
    pub opened: Sp<Date>,
    pub status: Sp<FindingStatus>,
    pub retest_by: Option<Sp<Date>>,
    pub source: Option<String>,
    /// How the finding left open: who closed it, after which retest, why,
    /// and who signed it off.
    pub closure: Closure,
}

/// The closing record of a finding; every part optional, as declared.
#[derive(Debug, Default)]
pub struct Closure {
    pub closed: Option<Sp<Date>>,
    pub closed_by: Option<Sp<TeamId>>,
    pub retested: Option<Sp<Date>>,
    pub root_cause: Option<Sp<String>>,
    pub signed_off_by: Option<Sp<TeamId>>,
}

/// A framework catalog.
#[derive(Debug)]
pub struct Framework {
    pub id: Sp<FrameworkId>,
    pub name: String,
    pub version: Option<String>,
    /// Where the catalog is published, as written (a URL, or words).
    pub source: Option<String>,
    pub builtin: bool,
    /// Requirements in catalog order.
    pub requirements: Vec<Requirement>,
    /// The position of each requirement in `requirements`, by id, so that
    /// a lookup costs the same in a catalog of ten or of a hundred thousand.
    positions: BTreeMap<String, usize>,
}

/// A crosswalk: requirements of `from` linked to requirements of `to`.
/// Every link names requirements that exist; check dropped the others.
#[derive(Debug)]
pub struct Crosswalk {
    pub id: Sp<String>,
    pub from: FrameworkId,
    pub to: FrameworkId,
    pub builtin: bool,
    /// Links in file order.
    pub links: Vec<Link>,
}

/// One link of a crosswalk: a `from` requirement, the `to` requirements
/// it reaches, and how it relates to each.
#[derive(Debug)]
pub struct Link {
    pub from: String,
    pub to: Vec<String>,
    pub relation: Relation,
}

/// One requirement of a framework.
#[derive(Debug)]
pub struct Requirement {
    pub id: Sp<String>,
    pub kind: Option<String>,
    pub title: String,
    pub parent: Option<String>,
    pub note: Option<String>,
}

impl Framework {
    /// Builds a framework of `requirements`, whose ids are unique.
    pub fn new(
        id: Sp<FrameworkId>,
        name: String,
        version: Option<String>,
        source: Option<String>,
        builtin: bool,
        requirements: Vec<Requirement>,
    ) -> Self {
        let positions = requirements
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.value.clone(), i))
            .collect();
        Framework {
            id,
            name,
            version,
            source,
            builtin,
            requirements,
            positions,
        }
    }

    /// Finds a requirement by id.
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.position(id).map(|i| &self.requirements[i])
    }

    /// The position of a requirement in `requirements`, by id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }
}

impl Model {
    /// Returns true when every function of `team` is a triage queue per
    /// policy.triage-functions: it can take a ticket, not change an asset.
    /// A team with no functions is not a queue.
    pub fn is_triage_queue(&self, team: &Team) -> bool {
        !team.functions.is_empty()
            && team
                .functions
                .iter()
                .all(|f| self.settings.policy.triage_functions.contains(f))
    }

    /// Returns true when `team` is a governance function per policy.
    pub fn is_governance_function(&self, team: &Team) -> bool {
        team.functions
            .iter()
            .any(|f| self.settings.policy.governance_functions.contains(f))
    }

    /// Returns the exceptions of `asset` in id order.
    pub fn exceptions_for<'m>(
        &'m self,
        asset: &'m AssetId,
    ) -> impl Iterator<Item = &'m Exception> + 'm {
        self.exceptions_by_asset
            .get(asset)
            .into_iter()
            .flatten()
            .filter_map(|id| self.exceptions.get(id))
    }

    /// Builds the lookup tables that derived queries use; called once the
    /// declarations are all in.
    pub fn index(&mut self) {
        self.exceptions_by_asset.clear();
        for (id, e) in &self.exceptions {
            self.exceptions_by_asset
                .entry(e.asset.value.clone())
                .or_default()
                .push(id.clone());
        }
    }
}
