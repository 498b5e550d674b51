//! The tables of the declaration format, one module per kind of table. Each
//! module holds a constant per field, for the loader to read it by, and
//! `TABLE`, the kind with every field in documentation order.

use super::{Field, Kind, Need, Ty};
use crate::model::vocab::{
    Access, AssetKind, AssetStatus, Check, Coverage, Decision, Environment, FindingStatus,
    IdentityType, Level, Relation, Role, TeamKind,
};

/// Declares one kind of table as a module of field constants and `TABLE`.
macro_rules! kind {
    (
        $(#[$meta:meta])*
        $module:ident = $what:literal, $doc:literal {
            $($field:ident $key:literal: $ty:expr, $need:expr, $fdoc:literal;)*
        }
    ) => {
        $(#[$meta])*
        pub mod $module {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use Need::{Optional, Required, Rule};
            #[allow(unused_imports)]
            use Ty::*;
            $(pub const $field: Field = Field { key: $key, ty: $ty, need: $need, doc: $fdoc };)*
            /// Every field of the kind, in documentation order.
            pub const TABLE: Kind = Kind { what: $what, doc: $doc, fields: &[$($field),*] };
        }
    };
}

kind! {
    /// The tables of a declaration file.
    declarations = "a declaration file", "Teams, assets, controls, exceptions and findings." {
        TEAM "team": Tables(&team::TABLE), Optional, "Teams, people and vendors";
        ASSET "asset": Tables(&asset::TABLE), Optional, "AI assets and non-human identities";
        CONTROL "control": Tables(&control::TABLE), Optional, "Controls";
        EXCEPTION "exception": Tables(&exception::TABLE), Optional, "Time-boxed exceptions";
        FINDING "finding": Tables(&finding::TABLE), Optional, "Findings";
    }
}

kind! {
    /// The tables only `governance/governance.toml` may hold.
    settings = "governance.toml", "The settings of the governance repository." {
        ORGANIZATION "organization": Table(&organization::TABLE), Optional, "The organisation";
        POLICY "policy": Table(&policy::TABLE), Optional, "Organisation-wide policy";
        RULES "rules": Rules, Optional, "Re-grade a governance rule: error, warning, info or off";
        ACTIVITY "activity": Tables(&activity::TABLE), Optional,
            "RACI activities; they replace the built-in ones";
        SIGNER "signer": Tables(&signer::TABLE), Optional, "Keys trusted to sign releases";
    }
}

kind! {
    /// A framework catalog file.
    catalog = "a catalog file", "A framework catalog: one [framework] and its requirements." {
        FRAMEWORK "framework": Table(&framework::TABLE), Required, "The catalog's header";
        REQUIREMENT "requirement": Tables(&requirement::TABLE), Optional, "Its requirements";
    }
}

kind! {
    /// A crosswalk file: one framework mapped onto another.
    crosswalks = "a crosswalk file", "A crosswalk: one [crosswalk] and its links between two frameworks." {
        CROSSWALK "crosswalk": Table(&crosswalk::TABLE), Required, "The crosswalk's header";
        LINK "link": Tables(&link::TABLE), Optional, "Its links";
    }
}

kind! {
    organization = "[organization]", "The organisation this repository governs." {
        NAME "name": Text, Optional, "Organisation name";
    }
}

kind! {
    policy = "[policy]", "Organisation-wide policy." {
        FRAMEWORKS "frameworks": Ids, Optional,
            "Frameworks reported on [default: nist-csf-2.0, nist-ai-rmf-1.0, owasp-nhi-top10-2025, owasp-agentic-top10-2026, csa-maestro]";
        TRUST_THRESHOLD "trust-threshold": Int { min: 0, max: 100 }, Optional,
            "Trust threshold of assets without their own [default: 70]";
        MAX_CREDENTIAL_TTL "max-credential-ttl": Duration, Optional,
            "Longest credential lifetime [default: 1h]";
        MAX_EXCEPTION_DAYS "max-exception-days": Int { min: 1, max: 36_500 }, Optional,
            "Longest exception, in days [default: 180]";
        ATTESTATION_MAX_AGE "attestation-max-age": Duration, Optional,
            "Oldest acceptable owner attestation [default: 180d]";
        MAX_ACCOUNTABLE "max-accountable": Int { min: 1, max: 1_000_000 }, Optional,
            "Assets a team may be accountable for before owner-overloaded [default: 25]";
        GOVERNANCE_FUNCTIONS "governance-functions": Texts, Optional,
            "Team functions that form governance [default: governance, risk, compliance]";
        EXCEPTION_APPROVERS "exception-approvers": Ids, Optional,
            "Teams allowed to approve any exception";
        ESCALATION "escalation": Table(&escalation::TABLE), Optional,
            "How long an open finding may stay open, per severity";
        TRUST_MAX_AGE "trust-max-age": Duration, Optional,
            "Oldest trust score before it is stale [default: 90d]";
        EXPIRY_NOTICE "expiry-notice": Duration, Optional,
            "How long before an exception or signer expires to warn [default: 14d]";
        TRIAGE_FUNCTIONS "triage-functions": Texts, Optional,
            "Team functions of queues without change authority [default: security-operations, service-desk]";
        APPROVAL_TTL "approval-ttl": Duration, Optional,
            "How old a runtime approval may be at the time of the request [default: 15m]";
        CROSSWALKS "crosswalks": Bool, Optional,
            "false: coverage counts direct mappings only, never through crosswalks [default: true]";
    }
}

kind! {
    escalation = "policy.escalation", "How long an open finding may stay open, per severity." {
        CRITICAL "critical": Duration, Optional, "A critical finding [default: 2d]";
        HIGH "high": Duration, Optional, "A high finding [default: 7d]";
        MEDIUM "medium": Duration, Optional, "A medium finding [default: 30d]";
        LOW "low": Duration, Optional, "A low finding [default: 90d]";
    }
}

kind! {
    activity = "[[activity]]", "A RACI activity and the owner roles behind each letter." {
        ID "id": Id, Required, "Unique activity id";
        TITLE "title": Text, Optional, "What the activity is";
        ACCOUNTABLE "accountable": Word(Role::NAMES), Required, "The role that is accountable";
        RESPONSIBLE "responsible": Words(Role::NAMES), Optional, "Roles that do the work";
        CONSULTED "consulted": Words(Role::NAMES), Optional, "Roles consulted";
        INFORMED "informed": Words(Role::NAMES), Optional, "Roles informed";
    }
}

kind! {
    signer = "[[signer]]", "A key that may sign releases of this baseline." {
        ID "id": Id, Required, "Unique signer id";
        TEAM "team": Id, Required, "The team holding the key";
        PUBLIC_KEY "public-key": Text, Required,
            "OpenSSH public key: ssh-ed25519 AAAA... comment";
        EXPIRES "expires": Date, Optional, "Last day the key may sign";
    }
}

kind! {
    team = "[[team]]", "A team, person or vendor that can own assets and controls." {
        ID "id": Id, Required, "Unique team id";
        NAME "name": Text, Optional, "Display name [default: the id]";
        KIND "kind": Word(TeamKind::NAMES), Optional, "What the team is [default: team]";
        FUNCTIONS "functions": Texts, Optional, "Labels; see policy.governance-functions";
        CONTACT "contact": Text, Optional, "Where to reach the team";
        HANDLE "handle": Handle, Optional,
            "Code-host handle for CODEOWNERS: one @user, @org/team or e-mail address";
        PARENT "parent": Id, Optional, "Parent team id";
        ACTIVE "active": Bool, Optional, "false: the team left or was disbanded [default: true]";
    }
}

kind! {
    asset = "[[asset]]", "An AI model, agent, app, dataset or non-human identity." {
        ID "id": Id, Required, "Unique asset id";
        NAME "name": Text, Optional, "Display name [default: the id]";
        KIND "kind": Word(AssetKind::NAMES), Required, "What the asset is";
        ENVIRONMENT "environment": Word(Environment::NAMES), Optional,
            "Where it runs [default: production]";
        RISK "risk": Word(Level::NAMES), Optional, "Its risk level [default: medium]";
        DESCRIPTION "description": Text, Optional, "What the asset does";
        TAGS "tags": Texts, Optional, "Free labels, matched by applies-to.tags";
        DEPENDS_ON "depends-on": Ids, Optional, "Assets this one depends on";
        VENDOR "vendor": Id, Optional, "A team of kind vendor";
        STATUS "status": Word(AssetStatus::NAMES), Optional,
            "Whether it may act; the bundles deny a suspended or retired asset everything [default: active]";
        OWNERS "owners": Table(&owners::TABLE), Rule("missing-owner"), "Who owns the asset, by role";
        IDENTITY "identity": Table(&identity::TABLE), Optional, "How the asset authenticates";
        TOOL "tool": Tables(&tool::TABLE), Optional, "Tools an agent or MCP server may call";
        TRUST "trust": Table(&trust::TABLE), Optional, "The asset's trust score";
    }
}

kind! {
    owners = "[asset.owners]", "Who owns the asset, by role." {
        ACCOUNTABLE "accountable": Id, Rule("missing-owner"),
            "The team that approved the use case and can accept risk";
        OPERATOR "operator": Id, Optional, "The team that runs the asset";
        REMEDIATION "remediation": Id, Optional, "The team that can change the asset";
        APPROVER "approver": Id, Optional, "The team that approves access";
        REVOKER "revoker": Id, Optional, "The team that revokes access";
        REVIEWERS "reviewers": Ids, Optional, "Teams that review the asset's actions";
        INCIDENT "incident": Id, Optional, "The team that responds to incidents";
        ATTESTED "attested": Date, Optional, "Last confirmation by the accountable owner";
    }
}

kind! {
    identity = "[asset.identity]", "How the asset authenticates." {
        TYPE "type": Word(IdentityType::NAMES), Optional, "Kind of credential";
        SPIFFE_ID "spiffe-id": Text, Optional,
            "Workload identity, e.g. spiffe://acme.example/agents/billing";
        MAX_TTL "max-ttl": Duration, Optional, "Longest credential lifetime";
    }
}

kind! {
    tool = "[[asset.tool]]", "A tool an agent or MCP server may call." {
        ID "id": Text, Required, "Tool name, e.g. refunds.create";
        SYSTEM "system": Text, Optional, "System the tool acts on";
        ACCESS "access": Word(Access::NAMES), Optional, "What the tool may do";
        DECISION "decision": Word(Decision::NAMES), Optional, "What the runtime decides";
        FROM "from": Date, Optional, "First day of the grant, from 00:00 UTC [default: always]";
        UNTIL "until": Date, Optional,
            "Last day of the grant, through 00:00 UTC of the day after [default: never ends]";
        MIN_CONFIDENCE "min-confidence": Int { min: 0, max: 100 }, Optional,
            "Under this request confidence the call needs a human approval (check confidence)";
    }
}

kind! {
    trust = "[asset.trust]", "The asset's trust score." {
        SCORE "score": Int { min: 0, max: 100 }, Optional,
            "Trust score; an asset without one is not held to a threshold";
        ASSESSED "assessed": Date, Optional, "When the score was assessed";
        THRESHOLD "threshold": Int { min: 0, max: 100 }, Optional,
            "Overrides policy.trust-threshold";
    }
}

kind! {
    control = "[[control]]", "A control: what must hold, who owns it and what it maps to." {
        ID "id": Id, Required, "Unique control id";
        TITLE "title": Text, Required, "What the control requires";
        OWNER "owner": Id, Rule("missing-owner"), "Team that owns the control";
        SEVERITY "severity": Word(Level::NAMES), Optional, "How serious a failure is";
        APPLIES_TO "applies-to": Table(&applies_to::TABLE), Optional,
            "Which assets the control applies to [default: every asset]";
        MAPS_TO "maps-to": Refs(&maps_to::TABLE), Rule("unmapped-control"),
            "Framework requirements the control covers";
        ENFORCE "enforce": Words(Check::NAMES), Optional, "Runtime checks the bundles enforce";
        RETEST_EVERY "retest-every": Duration, Optional, "How often the control is retested";
        TESTED "tested": Date, Optional, "Last passing test of the control";
        EVIDENCE "evidence": Text, Optional, "What proves the control holds";
    }
}

kind! {
    applies_to = "applies-to", "Which assets a control applies to; an omitted list means any." {
        KINDS "kinds": Words(AssetKind::NAMES), Optional, "Asset kinds";
        ENVIRONMENTS "environments": Words(Environment::NAMES), Optional, "Environments";
        RISK "risk": Words(Level::NAMES), Optional, "Risk levels";
        TAGS "tags": Texts, Optional, "Any shared tag";
    }
}

kind! {
    maps_to = "a maps-to entry", "A framework requirement with its coverage." {
        REF "ref": Text, Required, "<framework-id>:<requirement-id>";
        COVERAGE "coverage": Word(Coverage::NAMES), Optional, "How much it covers [default: full]";
    }
}

kind! {
    exception = "[[exception]]", "A time-boxed exception to a control for one asset." {
        ID "id": Id, Required, "Unique exception id";
        ASSET "asset": Id, Required, "The excepted asset";
        CONTROL "control": Id, Required, "The excepted control";
        APPROVED_BY "approved-by": Id, Required, "Team that approved the exception";
        REASON "reason": Text, Optional, "Why the exception is needed";
        GRANTED "granted": Date, Required, "When the exception was granted";
        EXPIRES "expires": Date, Required, "Last day the exception holds";
        COMPENSATING "compensating": Ids, Optional, "Controls that compensate";
    }
}

kind! {
    finding = "[[finding]]", "A finding against a control on one asset." {
        ID "id": Id, Required, "Unique finding id";
        ASSET "asset": Id, Required, "The asset the finding is about";
        CONTROL "control": Id, Required, "The control that failed";
        SEVERITY "severity": Word(Level::NAMES), Optional, "How serious it is [default: the control's severity]";
        OPENED "opened": Date, Required, "When the finding was opened";
        STATUS "status": Word(FindingStatus::NAMES), Optional, "Where it stands [default: open]";
        RETEST_BY "retest-by": Date, Optional, "When the fix must be retested";
        SOURCE "source": Text, Optional, "What raised the finding";
        CLOSED "closed": Date, Optional,
            "When it left open; required for remediated and accepted (finding-closure-incomplete)";
        CLOSED_BY "closed-by": Id, Optional, "The team that closed it";
        RETESTED "retested": Date, Optional, "When the control was retested and passed";
        ROOT_CAUSE "root-cause": Text, Optional, "Why it happened and what was fixed";
        SIGNED_OFF_BY "signed-off-by": Id, Optional,
            "The asset's accountable owner, who signed off the closure";
    }
}

kind! {
    framework = "[framework]", "A framework catalog's header." {
        ID "id": Id, Required, "Framework id, used in maps-to references";
        NAME "name": Text, Optional, "Framework name";
        VERSION "version": Text, Optional, "Framework version";
        SOURCE "source": Text, Optional, "Where the framework is published";
        PUBLISHED "published": Text, Optional, "Publication date";
        PUBLICATION "publication": Text, Optional, "Publication reference";
        CROSSCHECK "crosscheck": Text, Optional, "Where the catalog was cross-checked";
        LICENSE "license": Text, Optional, "License of the framework text";
        NOTES "notes": Text, Optional, "Notes";
        WEB "web": Text, Optional, "Web page";
    }
}

kind! {
    requirement = "[[requirement]]", "One requirement of a framework catalog." {
        ID "id": Text, Required, "Requirement id, unique in the catalog";
        KIND "kind": Text, Optional, "Free label: function, category, risk, ...";
        TITLE "title": Text, Optional, "Requirement title";
        PARENT "parent": Text, Optional, "Parent requirement of the same catalog";
        NOTE "note": Text, Optional, "Note";
    }
}

kind! {
    crosswalk = "[crosswalk]", "A crosswalk's header: the two frameworks it links." {
        ID "id": Id, Required, "Crosswalk id; one in the repository replaces a built-in of the same id";
        FROM "from": Id, Required, "The framework whose requirements the links start from";
        TO "to": Id, Required, "The framework whose requirements the links reach";
        SOURCE "source": Text, Optional, "Where the mapping comes from";
        LICENSE "license": Text, Optional, "License of the mapping";
        NOTES "notes": Text, Optional, "Notes";
    }
}

kind! {
    link = "[[link]]", "A requirement of one framework and what it reaches in the other." {
        FROM "from": Text, Required, "A requirement of the crosswalk's from framework";
        TO "to": Texts, Required, "Requirements of the crosswalk's to framework";
        RELATION "relation": Word(Relation::NAMES), Required,
            "How from relates to each to requirement: equal, subset (narrower), superset (broader) or intersect";
        NOTE "note": Text, Optional, "Note";
    }
}
