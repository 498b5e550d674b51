//! Moves what a piece of a declaration file declares to another place in
//! the same file: a piece whose text is unchanged but which now starts
//! elsewhere (an edit above it changed the file's length) parses to the
//! same assets and diagnostics, every span moved by the same distance.
//!
//! Invariant: after [`Shift::shift`], every span of a value is the one
//! parsing the piece at its new place gives. Each type names all its
//! fields ([`shift_fields`]), so a field added later does not compile until
//! it is moved too.

use super::raw::{Asset, Identity, Owners, Tool, Trust};
use crate::diag::Diags;
use crate::source::{Sp, Span};

/// Where a piece was parsed and where it now sits, as byte offsets of
/// their file.
#[derive(Clone, Copy, Debug)]
pub struct Moved {
    pub from: u32,
    pub to: u32,
}

impl Moved {
    /// Moves one offset of the piece. Offsets of a piece are never before
    /// its start; the arithmetic wraps rather than panics on any other.
    fn offset(self, at: u32) -> u32 {
        at.wrapping_sub(self.from).wrapping_add(self.to)
    }

    /// Moves one span.
    pub fn span(self, span: &mut Span) {
        span.start = self.offset(span.start);
        span.end = self.offset(span.end);
    }
}

/// What holds spans of a piece.
pub trait Shift {
    fn shift(&mut self, by: Moved);
}

impl Shift for Span {
    fn shift(&mut self, by: Moved) {
        by.span(self);
    }
}

impl<T> Shift for Sp<T> {
    fn shift(&mut self, by: Moved) {
        by.span(&mut self.span);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: Moved) {
        if let Some(v) = self {
            v.shift(by);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: Moved) {
        for v in self {
            v.shift(by);
        }
    }
}

/// Implements [`Shift`] for structs by moving each named field; the
/// pattern names every field, so one left out does not compile.
macro_rules! shift_fields {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl Shift for $ty {
            fn shift(&mut self, by: Moved) {
                let $ty { $($field),* } = self;
                $($field.shift(by);)*
            }
        }
    )*};
}

shift_fields! {
    Asset {
        span, id, name, kind, environment, risk, description, tags, depends_on, vendor, status,
        owners, identity, tools, trust,
    }
    Owners {
        span, accountable, operator, remediation, approver, revoker, reviewers, incident, attested,
    }
    Identity { span, kind, spiffe_id, max_ttl }
    Tool { span, id, system, access, decision, from, until, min_confidence }
    Trust { span, score, assessed, threshold }
}

impl Shift for Diags {
    fn shift(&mut self, by: Moved) {
        self.each_span(&mut |span| by.span(span));
    }
}
