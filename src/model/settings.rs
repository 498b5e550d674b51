//! The settings of governance.toml with their defaults: policy thresholds,
//! rule levels, RACI activities and release signers.

use super::duration::Duration;
use super::vocab::{Level, Role};
use super::{FrameworkId, TeamId};
use crate::diag::RuleLevels;
use crate::source::{Sp, Span};
use jiff::civil::Date;

/// The frameworks reported on when the policy names none.
pub const DEFAULT_FRAMEWORKS: &[&str] = &[
    "nist-csf-2.0",
    "nist-ai-rmf-1.0",
    "owasp-nhi-top10-2025",
    "owasp-agentic-top10-2026",
    "csa-maestro",
];

/// Everything governance.toml sets.
#[derive(Debug, Default)]
pub struct Settings {
    /// The file that holds them (governance.toml), when there is one.
    pub file: Option<crate::source::FileId>,
    pub organization: String,
    pub policy: Policy,
    pub rules: RuleLevels,
    pub activities: Vec<Activity>,
    /// True when the activities are the built-in set.
    pub builtin_activities: bool,
    pub signers: Vec<Signer>,
}

/// `[policy]` with defaults filled in.
#[derive(Debug)]
pub struct Policy {
    pub frameworks: Vec<FrameworkId>,
    /// The `frameworks` array of governance.toml with each element as
    /// written; `None` when the defaults apply.
    pub frameworks_declared: Option<Sp<Vec<Sp<FrameworkId>>>>,
    pub trust_threshold: u8,
    pub max_credential_ttl: Duration,
    pub max_exception_days: i64,
    pub attestation_max_age: Duration,
    pub max_accountable: usize,
    pub governance_functions: Vec<String>,
    pub exception_approvers: Vec<Sp<TeamId>>,
    /// Escalation windows, indexed by [`Level`] order (low first).
    pub escalation: [Duration; 4],
    /// The oldest a trust score may be before it is stale.
    pub trust_max_age: Duration,
    /// How long before an exception or signer expires to warn.
    pub expiry_notice: Duration,
    /// Team functions of queues that cannot change an asset.
    pub triage_functions: Vec<String>,
    /// How old a runtime approval may be at the time of the request.
    pub approval_ttl: Duration,
    /// Whether coverage reaches requirements through crosswalks.
    pub crosswalks: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            frameworks: DEFAULT_FRAMEWORKS
                .iter()
                .map(|f| FrameworkId(f.to_string()))
                .collect(),
            frameworks_declared: None,
            trust_threshold: 70,
            max_credential_ttl: Duration::from_secs(3_600),
            max_exception_days: 180,
            attestation_max_age: Duration::from_days(180),
            max_accountable: 25,
            governance_functions: ["governance", "risk", "compliance"]
                .map(String::from)
                .to_vec(),
            exception_approvers: Vec::new(),
            escalation: [
                Duration::from_days(90),
                Duration::from_days(30),
                Duration::from_days(7),
                Duration::from_days(2),
            ],
            trust_max_age: Duration::from_days(90),
            expiry_notice: Duration::from_days(14),
            triage_functions: ["security-operations", "service-desk"]
                .map(String::from)
                .to_vec(),
            approval_ttl: Duration::from_secs(900),
            crosswalks: true,
        }
    }
}

impl Policy {
    /// Returns where governance.toml names framework `id`: its element of
    /// `frameworks`, or the array when no element names it; `None` when the
    /// defaults apply.
    pub fn framework_span(&self, id: &str) -> Option<Span> {
        let declared = self.frameworks_declared.as_ref()?;
        let named = declared.value.iter().find(|f| f.value.as_str() == id);
        Some(named.map_or(declared.span, |f| f.span))
    }

    /// Returns the escalation window for findings of `level`.
    pub fn escalation_for(&self, level: Level) -> Duration {
        self.escalation[level as usize]
    }
}

/// A RACI activity: which owner roles hold each letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: String,
    pub title: String,
    pub accountable: Role,
    pub responsible: Vec<Role>,
    pub consulted: Vec<Role>,
    pub informed: Vec<Role>,
}

/// A key trusted to sign releases of the baseline.
#[derive(Debug)]
pub struct Signer {
    pub id: Sp<String>,
    pub team: Sp<TeamId>,
    pub public_key: Sp<String>,
    pub expires: Option<Sp<Date>>,
}

/// The built-in activities of SPEC section 2, used when governance.toml
/// declares none.
pub fn builtin_activities() -> Vec<Activity> {
    use Role::*;
    let row = |id: &str, title: &str, r: &[Role], c: &[Role], i: &[Role]| Activity {
        id: id.into(),
        title: title.into(),
        accountable: Accountable,
        responsible: r.to_vec(),
        consulted: c.to_vec(),
        informed: i.to_vec(),
    };
    vec![
        row(
            "approve-use-case",
            "Approve the use case",
            &[Accountable],
            &[Approver, DependencyOwners],
            &[Operator],
        ),
        row(
            "approve-production-access",
            "Approve production permissions",
            &[Approver],
            &[Remediation, DependencyOwners],
            &[Operator],
        ),
        row(
            "operate",
            "Operate the asset",
            &[Operator],
            &[],
            &[Reviewers],
        ),
        row(
            "review-actions",
            "Review agent actions",
            &[Reviewers],
            &[],
            &[Operator],
        ),
        row(
            "revoke-access",
            "Revoke access",
            &[Revoker],
            &[Operator],
            &[Reviewers],
        ),
        row(
            "remediate-findings",
            "Remediate findings",
            &[Remediation],
            &[Operator, ControlOwners],
            &[Approver],
        ),
        row(
            "approve-exceptions",
            "Approve exceptions",
            &[Accountable],
            &[Remediation],
            &[Operator],
        ),
        row(
            "respond-to-incidents",
            "Respond to incidents",
            &[Incident],
            &[Operator, Remediation],
            &[Reviewers],
        ),
    ]
}
