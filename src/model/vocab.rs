//! The closed vocabularies of the declaration format: asset kinds,
//! environments, risk levels and the rest. Each parses from its kebab-case
//! name, lists its names for "expected one of" messages, serializes as its
//! name and parses from the command line; [`vocab!`] declares the other
//! closed sets of names (severities, change kinds, RACI letters) the same
//! way.

macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every name of the vocabulary, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),*];
            /// Every value of the vocabulary, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Returns the kebab-case name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses a kebab-case name.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.name())
            }
        }

        /// Serializes as the kebab-case name.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        /// Parses from the command line by name.
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.name()))
            }
        }
    };
}

pub(crate) use vocab;

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
    /// Where a finding stands.
    FindingStatus { Open = "open", Remediated = "remediated", Accepted = "accepted" }
}

vocab! {
    /// How much of a requirement a control mapping covers.
    Coverage { Full = "full", Partial = "partial" }
}

vocab! {
    /// A runtime check a control turns on through `enforce`.
    /// In name order, the order both bundles enforce them in.
    Check {
        CredentialTtl = "credential-ttl", StepUp = "step-up", ToolAllowlist = "tool-allowlist",
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
