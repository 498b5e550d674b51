//! The catalogue of diagnostic codes: each code's kebab-case name, default
//! severity and one-line description. Structural codes are always errors;
//! governance rules can be re-graded under `[rules]` in governance.toml.

use super::Severity;

macro_rules! codes {
    ($( $(#[$meta:meta])* $variant:ident = $name:literal, $severity:ident, $structural:literal, $summary:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$meta])* $variant, )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// Returns the kebab-case name users write under `[rules]`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// Returns the severity the code has unless `[rules]` changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// Returns true for problems of form rather than of governance:
            /// always errors, never re-graded.
            pub fn is_structural(self) -> bool {
                match self { $(Code::$variant => $structural,)* }
            }

            /// Returns the one-line description of when the code fires.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    ParseError = "parse-error", Error, true,
        "a file is not TOML, empty, not UTF-8 text, too large, or not a regular file inside the governance folder";
    UnknownField = "unknown-field", Error, true,
        "a key that the declaration does not have, or an unknown code under [rules]";
    MissingField = "missing-field", Error, true,
        "a required field is absent";
    InvalidValue = "invalid-value", Error, true,
        "a value has the wrong type, or lies outside its vocabulary or format";
    DuplicateId = "duplicate-id", Error, true,
        "two declarations of one kind share an id";
    UnknownReference = "unknown-reference", Error, true,
        "a reference names a team, asset, control or requirement that does not exist";
    ReferenceCycle = "reference-cycle", Error, true,
        "team parents or asset dependencies form a cycle";
    MissingOwner = "missing-owner", Error, false,
        "an asset has no accountable owner or a control no owner; a production agent, MCP server or NHI lacks operator, remediation, approver or revoker";
    InactiveOwner = "inactive-owner", Error, false,
        "an owner role names a team with active = false";
    VendorAccountable = "vendor-accountable", Error, false,
        "the accountable owner is a vendor";
    GovernanceRemediation = "governance-remediation", Warning, false,
        "the remediation owner is a governance-function team";
    OperatorIsAccountable = "operator-is-accountable", Warning, false,
        "a high or critical asset has the same accountable owner and operator";
    SelfApproval = "self-approval", Warning, false,
        "a production agent or MCP server has the same approver and operator, or the team that approves an asset's step-up or min-confidence tools at runtime operates it";
    SharedIdentity = "shared-identity", Warning, false,
        "two assets declare the same spiffe-id";
    AttestationStale = "attestation-stale", Warning, false,
        "attested is older than policy.attestation-max-age, or missing on a high or critical asset";
    OwnersMixedInFile = "owners-mixed-in-file", Warning, false,
        "one declaration file holds assets of different accountable owners, so each can approve changes to the others' assets";
    OwnerOverloaded = "owner-overloaded", Info, false,
        "a team is accountable for more than policy.max-accountable assets";
    StaticCredential = "static-credential", Error, false,
        "a production agent, MCP server or NHI uses static-secret or shared-human";
    CredentialTtl = "credential-ttl", Warning, false,
        "identity.max-ttl exceeds policy.max-credential-ttl, or is missing on a production agent";
    UnapprovedWriteTool = "unapproved-write-tool", Warning, false,
        "a production tool has access write or admin and decision allow";
    ToolNotCallable = "tool-not-callable", Error, false,
        "[[asset.tool]] on a kind that calls no tools (model, dataset)";
    UnmappedControl = "unmapped-control", Info, false,
        "a control maps to no framework requirement";
    ExceptionExpired = "exception-expired", Error, false,
        "an exception's expires is before today";
    ExceptionTooLong = "exception-too-long", Warning, false,
        "an exception runs longer than policy.max-exception-days";
    ExceptionApprover = "exception-approver", Error, false,
        "approved-by is neither the asset's accountable owner nor in policy.exception-approvers";
    ExceptionNotApplicable = "exception-not-applicable", Warning, false,
        "the excepted control does not apply to the asset";
    TrustBelowThreshold = "trust-below-threshold", Warning, false,
        "trust.score is under the threshold";
    FindingEscalation = "finding-escalation", Warning, false,
        "an open finding is older than its severity's escalation window";
    FindingRetestOverdue = "finding-retest-overdue", Warning, false,
        "an open finding's retest-by is before today";
    FindingAcceptedWithoutException = "finding-accepted-without-exception", Error, false,
        "an accepted finding has no unexpired exception for its asset and control";
    RaciIncomplete = "raci-incomplete", Error, false,
        "an activity resolves to no accountable or no responsible team for an asset";
    FindingClosureIncomplete = "finding-closure-incomplete", Warning, false,
        "a remediated finding lacks closed, closed-by, retested on or after opened, root-cause or signed-off-by, or signed-off-by is not the asset's accountable owner; an accepted finding lacks closed or signed-off-by";
    FindingClosedByGovernance = "finding-closed-by-governance", Warning, false,
        "closed-by is a governance-function team that is not the asset's remediation owner";
    RemediationWithoutAuthority = "remediation-without-authority", Warning, false,
        "a remediation owner or a finding's closed-by is a team whose functions are all in policy.triage-functions";
    ControlRetestOverdue = "control-retest-overdue", Warning, false,
        "a control with retest-every that applies to an asset has no tested, or tested + retest-every is before today";
    TrustStale = "trust-stale", Warning, false,
        "a scored asset has no trust.assessed, or it is older than policy.trust-max-age";
    ExceptionExpiring = "exception-expiring", Info, false,
        "an unexpired exception expires within policy.expiry-notice";
    SignerExpiring = "signer-expiring", Warning, false,
        "a [[signer]] expires within policy.expiry-notice, or has expired";
    DependsOnRetired = "depends-on-retired", Warning, false,
        "a live asset depends on a retired one";
}

impl Code {
    /// Finds a code by its kebab-case name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Returns the codes that `[rules]` may re-grade.
    pub fn rules() -> impl Iterator<Item = Code> {
        Code::ALL.iter().copied().filter(|c| !c.is_structural())
    }
}

/// Serializes as the kebab-case name.
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_kebab_case_and_described() {
        let names: BTreeSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Code::ALL.len(), "duplicate code name");
        for code in Code::ALL {
            let name = code.name();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name} is not kebab-case"
            );
            assert!(!code.summary().is_empty(), "{name} has no summary");
            assert_eq!(Code::from_name(name), Some(*code));
        }
    }

    #[test]
    fn every_code_is_documented_in_the_readme() {
        let readme = include_str!("../../README.md");
        for code in Code::ALL {
            let row = format!("| `{}` |", code.name());
            // A runtime check may share a code's name in another table.
            assert!(
                readme
                    .lines()
                    .any(|l| l.starts_with(&row) && l.contains(code.summary())),
                "README lacks a row for {code} that says: {}",
                code.summary()
            );
        }
    }

    #[test]
    fn structural_codes_are_errors() {
        for code in Code::ALL.iter().filter(|c| c.is_structural()) {
            assert_eq!(code.default_severity(), Severity::Error, "{code}");
        }
    }
}
