//! The closed vocabularies of the declaration format: asset kinds,
//! environments, risk levels and the rest. Each parses from its kebab-case
//! name, lists its names for "expected one of" messages, serializes as its
//! name and parses from the command line, as [`crate::vocab`] declares
//! every closed set of names.

pub(crate) use crate::vocab::vocab;

vocab! {
    /// What an AI asset is.
    AssetKind {
        Model = "model", Agent = "agent", LlmApp = "llm-app", Rag = "rag", Dataset = "dataset",
        Nhi = "nhi", McpServer = "mcp-server", VendorService = "vendor-service",
    }
}

vocab! {
    /// Where an asset runs.
    Environment { Production = "production", Staging = "staging", Development = "development" }
}

vocab! {
    /// A risk or severity level, lowest first.
    Level { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
}

vocab! {
    /// What a team declaration stands for.
    TeamKind { Team = "team", Person = "person", Vendor = "vendor" }
}

vocab! {
    /// How an asset authenticates.
    IdentityType {
        Workload = "workload", Jit = "jit", StaticSecret = "static-secret",
        SharedHuman = "shared-human", None = "none",
    }
}

vocab! {
    /// What a tool call may do, least first.
    Access { Read = "read", Write = "write", Admin = "admin" }
}

vocab! {
    /// What the runtime does with a tool call, loosest first.
    Decision { Allow = "allow", StepUp = "step-up", Deny = "deny" }
}

vocab! {
    /// Whether an asset may act: a suspended or retired asset is denied
    /// every request at runtime.
    AssetStatus { Active = "active", Suspended = "suspended", Retired = "retired" }
}

vocab! {
    /// Where a finding stands.
    FindingStatus { Open = "open", Remediated = "remediated", Accepted = "accepted" }
}

vocab! {
    /// How much of a requirement a control mapping covers.
    Coverage { Full = "full", Partial = "partial" }
}

vocab! {
    /// How a crosswalk link's `from` requirement relates to each of its `to`
    /// requirements: the same ask, a narrower one (`subset`), a broader one
    /// (`superset`), or an overlap (`intersect`).
    Relation { Equal = "equal", Subset = "subset", Superset = "superset", Intersect = "intersect" }
}

impl Relation {
    /// Returns true when meeting `from` meets the whole of `to`: a full
    /// mapping then reaches `to` as full.
    pub fn carries_full(self) -> bool {
        matches!(self, Relation::Equal | Relation::Superset)
    }
}

vocab! {
    /// A runtime check a control turns on through `enforce`.
    /// In name order, the order both bundles enforce them in.
    Check {
        Confidence = "confidence", CredentialTtl = "credential-ttl", StepUp = "step-up", ToolAllowlist = "tool-allowlist",
        TrustThreshold = "trust-threshold", WorkloadIdentity = "workload-identity",
    }
}

vocab! {
    /// An owner role that a RACI activity can name.
    Role {
        Accountable = "accountable", Operator = "operator", Remediation = "remediation",
        Approver = "approver", Revoker = "revoker", Reviewers = "reviewers", Incident = "incident",
        DependencyOwners = "dependency-owners", ControlOwners = "control-owners",
    }
}

impl Role {
    /// The roles that run, change, and grant and revoke access to an asset:
    /// a production agent, MCP server or non-human identity needs each.
    pub const OPERATIONAL: [Role; 4] = [
        Role::Operator,
        Role::Remediation,
        Role::Approver,
        Role::Revoker,
    ];

    /// Returns true for the roles computed from other declarations
    /// (`dependency-owners`, `control-owners`) rather than named under
    /// `[asset.owners]`.
    pub fn is_derived(self) -> bool {
        matches!(self, Role::DependencyOwners | Role::ControlOwners)
    }
}

vocab! {
    /// The severity a `[rules]` entry gives a code.
    RuleLevel { Error = "error", Warning = "warning", Info = "info", Off = "off" }
}
