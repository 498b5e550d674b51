//! Equality of an asset's values, blind to where they were declared: an
//! asset whose declaration moved within its file (an edit above it), or to
//! another file, compares as it did before the move. No change of a drift
//! reads a span or a file to decide whether it happened; spans only say
//! where to point.
//!
//! Invariant: [`Same::same`] is `==` with every span and file id taken as
//! equal. Each type names all its fields ([`same_fields`]), so a field
//! added later does not compile until it is compared too.

use crate::model::{Asset, Identity, Owners, Tool, Trust};
use crate::source::{FileId, Sp, Span};

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

/// Where a value was declared is not part of it.
impl Same for Span {
    fn same(&self, _: &Self) -> bool {
        true
    }
}

impl Same for FileId {
    fn same(&self, _: &Self) -> bool {
        true
    }
}

impl Same for String {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

/// Implements [`Same`] for structs as every named field being the same;
/// the pattern names every field, so one left out does not compile.
macro_rules! same_fields {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl Same for $ty {
            fn same(&self, other: &Self) -> bool {
                let $ty { $($field),* } = self;
                true $(&& $field.same(&other.$field))*
            }
        }
    )*};
}

same_fields! {
    Asset {
        span, id, file, name, kind, environment, risk, description, tags, depends_on, vendor,
        status, owners, identity, tools, trust,
    }
    Owners {
        span, accountable, operator, remediation, approver, revoker, reviewers, incident, attested,
    }
    Identity { span, kind, spiffe_id, max_ttl }
    Tool { span, id, system, access, decision, from, until, min_confidence }
    Trust { span, score, assessed, threshold }
}
