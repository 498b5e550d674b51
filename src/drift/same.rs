//! Equality of an asset's values, blind to where they were declared: an
//! asset whose declaration moved within its file (an edit above it), or to
//! another file, compares as it did before the move. No change of a drift
//! reads a span or a file to decide whether it happened; spans only say
//! where to point.
//!
//! Invariant: [`Same::same`] is `==` with every span and file id taken as
//! equal. Each type names all its fields, so a field added later does not
//! compile until it is compared too.

use crate::model::{Asset, Identity, Owners, Tool, Trust};
use crate::source::Sp;

/// Equality of values, whatever their spans.
pub trait Same {
    fn same(&self, other: &Self) -> bool;
}

impl<T: PartialEq> Same for Sp<T> {
    fn same(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Same> Same for Option<T> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(x), Some(y)) => x.same(y),
            (None, None) => true,
            _ => false,
        }
    }
}

impl<T: Same> Same for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(x, y)| x.same(y))
    }
}

impl Same for Asset {
    fn same(&self, other: &Self) -> bool {
        let Asset {
            span: _,
            id,
            file: _,
            name,
            kind,
            environment,
            risk,
            description,
            tags,
            depends_on,
            vendor,
            status,
            owners,
            identity,
            tools,
            trust,
        } = self;
        id.same(&other.id)
            && *name == other.name
            && kind.same(&other.kind)
            && environment.same(&other.environment)
            && risk.same(&other.risk)
            && *description == other.description
            && *tags == other.tags
            && depends_on.same(&other.depends_on)
            && vendor.same(&other.vendor)
            && status.same(&other.status)
            && owners.same(&other.owners)
            && identity.same(&other.identity)
            && tools.same(&other.tools)
            && trust.same(&other.trust)
    }
}

impl Same for Owners {
    fn same(&self, other: &Self) -> bool {
        let Owners {
            span: _,
            accountable,
            operator,
            remediation,
            approver,
            revoker,
            reviewers,
            incident,
            attested,
        } = self;
        accountable.same(&other.accountable)
            && operator.same(&other.operator)
            && remediation.same(&other.remediation)
            && approver.same(&other.approver)
            && revoker.same(&other.revoker)
            && reviewers.same(&other.reviewers)
            && incident.same(&other.incident)
            && attested.same(&other.attested)
    }
}

impl Same for Identity {
    fn same(&self, other: &Self) -> bool {
        let Identity {
            span: _,
            kind,
            spiffe_id,
            max_ttl,
        } = self;
        kind.same(&other.kind) && spiffe_id.same(&other.spiffe_id) && max_ttl.same(&other.max_ttl)
    }
}

impl Same for Tool {
    fn same(&self, other: &Self) -> bool {
        let Tool {
            span: _,
            id,
            system,
            access,
            decision,
            from,
            until,
            min_confidence,
        } = self;
        id.same(&other.id)
            && *system == other.system
            && access.same(&other.access)
            && decision.same(&other.decision)
            && from.same(&other.from)
            && until.same(&other.until)
            && min_confidence.same(&other.min_confidence)
    }
}

impl Same for Trust {
    fn same(&self, other: &Self) -> bool {
        let Trust {
            span: _,
            score,
            assessed,
            threshold,
        } = self;
        score.same(&other.score)
            && assessed.same(&other.assessed)
            && threshold.same(&other.threshold)
    }
}
