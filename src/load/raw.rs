//! The declarations as written: every field optional, every value with its
//! span. Vocabulary words are already parsed; references are still strings.
//! `check::resolve` turns these into the validated model.

use crate::diag::Code;
use crate::model::duration::Duration;
use crate::model::vocab::{
    Access, AssetKind, AssetStatus, Check, Coverage, Decision, Environment, FindingStatus,
    IdentityType, Level, Relation, Role, RuleLevel, TeamKind,
};
use crate::source::{FileId, Sp, Span};
use jiff::civil::Date;
use std::sync::Arc;

/// What one file declares.
#[derive(Clone, Debug)]
pub enum Content {
    Declarations(Box<Declarations>),
    Catalog(Box<Catalog>),
    Crosswalk(Box<Crosswalk>),
}

/// One parsed file. What it declares is shared: the two sides of a drift
/// hold a file they have in common once.
#[derive(Clone, Debug)]
pub struct File {
    pub file: FileId,
    /// True for the catalogs embedded in govern.
    pub builtin: bool,
    pub content: Arc<Content>,
}

/// The entities of a declaration file, and the settings where the file is
/// governance.toml.
#[derive(Clone, Debug, Default)]
pub struct Declarations {
    pub settings: Option<Settings>,
    pub teams: Vec<Team>,
    pub assets: Vec<Asset>,
    pub controls: Vec<Control>,
    pub exceptions: Vec<Exception>,
    pub findings: Vec<Finding>,
}

/// The settings of governance.toml.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub organization: Option<Sp<String>>,
    pub policy: Option<Policy>,
    pub rules: Vec<(Sp<Code>, Sp<RuleLevel>)>,
    pub activities: Vec<Activity>,
    pub signers: Vec<Signer>,
}

/// `[policy]`: every field optional, defaults apply in the model.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// The `frameworks` array, and each element with its own span.
    pub frameworks: Option<Sp<Vec<Sp<String>>>>,
    pub trust_threshold: Option<Sp<i64>>,
    pub max_credential_ttl: Option<Sp<Duration>>,
    pub max_exception_days: Option<Sp<i64>>,
    pub attestation_max_age: Option<Sp<Duration>>,
    pub max_accountable: Option<Sp<i64>>,
    pub governance_functions: Option<Vec<Sp<String>>>,
    pub exception_approvers: Vec<Sp<String>>,
    pub escalation: Vec<(Level, Sp<Duration>)>,
    pub trust_max_age: Option<Sp<Duration>>,
    pub expiry_notice: Option<Sp<Duration>>,
    pub triage_functions: Option<Vec<Sp<String>>>,
    pub approval_ttl: Option<Sp<Duration>>,
    pub crosswalks: Option<Sp<bool>>,
}

/// `[[activity]]`: a row of the RACI matrix.
#[derive(Clone, Debug)]
pub struct Activity {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub accountable: Option<Sp<Role>>,
    pub responsible: Vec<Sp<Role>>,
    pub consulted: Vec<Sp<Role>>,
    pub informed: Vec<Sp<Role>>,
}

/// `[[signer]]`: a key trusted to sign releases.
#[derive(Clone, Debug)]
pub struct Signer {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub team: Option<Sp<String>>,
    pub public_key: Option<Sp<String>>,
    pub expires: Option<Sp<Date>>,
}

/// `[[team]]`.
#[derive(Clone, Debug)]
pub struct Team {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    pub kind: Option<Sp<TeamKind>>,
    pub functions: Vec<Sp<String>>,
    pub contact: Option<Sp<String>>,
    pub handle: Option<Sp<String>>,
    pub parent: Option<Sp<String>>,
    pub active: Option<Sp<bool>>,
}

/// `[[asset]]`.
#[derive(Clone, Debug)]
pub struct Asset {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    pub kind: Option<Sp<AssetKind>>,
    pub environment: Option<Sp<Environment>>,
    pub risk: Option<Sp<Level>>,
    pub description: Option<Sp<String>>,
    pub tags: Vec<Sp<String>>,
    pub depends_on: Vec<Sp<String>>,
    pub vendor: Option<Sp<String>>,
    pub status: Option<Sp<AssetStatus>>,
    pub owners: Option<Owners>,
    pub identity: Option<Identity>,
    pub tools: Vec<Tool>,
    pub trust: Option<Trust>,
}

/// `[asset.owners]`.
#[derive(Clone, Debug)]
pub struct Owners {
    pub span: Span,
    pub accountable: Option<Sp<String>>,
    pub operator: Option<Sp<String>>,
    pub remediation: Option<Sp<String>>,
    pub approver: Option<Sp<String>>,
    pub revoker: Option<Sp<String>>,
    pub reviewers: Vec<Sp<String>>,
    pub incident: Option<Sp<String>>,
    pub attested: Option<Sp<Date>>,
}

impl Owners {
    /// Returns the teams named for `role`, as written.
    pub fn get(&self, role: Role) -> &[Sp<String>] {
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
}

/// `[asset.identity]`.
#[derive(Clone, Debug)]
pub struct Identity {
    pub span: Span,
    pub kind: Option<Sp<IdentityType>>,
    pub spiffe_id: Option<Sp<String>>,
    pub max_ttl: Option<Sp<Duration>>,
}

/// `[[asset.tool]]`.
#[derive(Clone, Debug)]
pub struct Tool {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub system: Option<Sp<String>>,
    pub access: Option<Sp<Access>>,
    pub decision: Option<Sp<Decision>>,
    pub from: Option<Sp<Date>>,
    pub until: Option<Sp<Date>>,
    pub min_confidence: Option<Sp<i64>>,
}

/// `[asset.trust]`.
#[derive(Clone, Debug)]
pub struct Trust {
    pub span: Span,
    pub score: Option<Sp<i64>>,
    pub assessed: Option<Sp<Date>>,
    pub threshold: Option<Sp<i64>>,
}

/// `[[control]]`.
#[derive(Clone, Debug)]
pub struct Control {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub severity: Option<Sp<Level>>,
    pub applies_to: Option<AppliesTo>,
    pub maps_to: Vec<MapsTo>,
    pub enforce: Vec<Sp<Check>>,
    pub retest_every: Option<Sp<Duration>>,
    pub tested: Option<Sp<Date>>,
    pub evidence: Option<Sp<String>>,
}

/// `applies-to`: each list optional; an omitted list matches anything.
#[derive(Clone, Debug, Default)]
pub struct AppliesTo {
    pub kinds: Option<Vec<Sp<AssetKind>>>,
    pub environments: Option<Vec<Sp<Environment>>>,
    pub risk: Option<Vec<Sp<Level>>>,
    pub tags: Option<Vec<Sp<String>>>,
}

/// One entry of `maps-to`.
#[derive(Clone, Debug)]
pub struct MapsTo {
    pub reference: Sp<String>,
    pub coverage: Coverage,
}

/// `[[exception]]`.
#[derive(Clone, Debug)]
pub struct Exception {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub asset: Option<Sp<String>>,
    pub control: Option<Sp<String>>,
    pub approved_by: Option<Sp<String>>,
    pub reason: Option<Sp<String>>,
    pub granted: Option<Sp<Date>>,
    pub expires: Option<Sp<Date>>,
    pub compensating: Vec<Sp<String>>,
}

/// `[[finding]]`.
#[derive(Clone, Debug)]
pub struct Finding {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub asset: Option<Sp<String>>,
    pub control: Option<Sp<String>>,
    pub severity: Option<Sp<Level>>,
    pub opened: Option<Sp<Date>>,
    pub status: Option<Sp<FindingStatus>>,
    pub retest_by: Option<Sp<Date>>,
    pub source: Option<Sp<String>>,
    pub closed: Option<Sp<Date>>,
    pub closed_by: Option<Sp<String>>,
    pub retested: Option<Sp<Date>>,
    pub root_cause: Option<Sp<String>>,
    pub signed_off_by: Option<Sp<String>>,
}

/// A framework catalog file: `[framework]` and its `[[requirement]]` rows.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    pub version: Option<Sp<String>>,
    pub source: Option<Sp<String>>,
    pub requirements: Vec<Requirement>,
}

/// `[[requirement]]` of a catalog.
#[derive(Clone, Debug)]
pub struct Requirement {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub kind: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub parent: Option<Sp<String>>,
    pub note: Option<Sp<String>>,
}

/// A crosswalk file: `[crosswalk]` and its `[[link]]` rows.
#[derive(Clone, Debug)]
pub struct Crosswalk {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub from: Option<Sp<String>>,
    pub to: Option<Sp<String>>,
    pub links: Vec<Link>,
}

/// `[[link]]` of a crosswalk.
#[derive(Clone, Debug)]
pub struct Link {
    pub span: Span,
    pub from: Option<Sp<String>>,
    pub to: Vec<Sp<String>>,
    pub relation: Option<Sp<Relation>>,
}
