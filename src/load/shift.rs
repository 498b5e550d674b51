//! Moves what a piece of a declaration file declares to another place in
//! the same file: a piece whose text is unchanged but which now starts
//! elsewhere (an edit above it changed the file's length) parses to the
//! same assets and diagnostics, every span moved by the same distance.
//!
//! Invariant: after [`Shift::shift`], every span of a value is the one
//! parsing the piece at its new place gives. Each type names all its
//! fields, so a field added later does not compile until it is moved too.

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

impl Shift for Asset {
    fn shift(&mut self, by: Moved) {
        let Asset {
            span,
            id,
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
        span.shift(by);
        id.shift(by);
        name.shift(by);
        kind.shift(by);
        environment.shift(by);
        risk.shift(by);
        description.shift(by);
        tags.shift(by);
        depends_on.shift(by);
        vendor.shift(by);
        status.shift(by);
        owners.shift(by);
        identity.shift(by);
        tools.shift(by);
        trust.shift(by);
    }
}

impl Shift for Owners {
    fn shift(&mut self, by: Moved) {
        let Owners {
            span,
            accountable,
            operator,
            remediation,
            approver,
            revoker,
            reviewers,
            incident,
            attested,
        } = self;
        span.shift(by);
        accountable.shift(by);
        operator.shift(by);
        remediation.shift(by);
        approver.shift(by);
        revoker.shift(by);
        reviewers.shift(by);
        incident.shift(by);
        attested.shift(by);
    }
}

impl Shift for Identity {
    fn shift(&mut self, by: Moved) {
        let Identity {
            span,
            kind,
            spiffe_id,
            max_ttl,
        } = self;
        span.shift(by);
        kind.shift(by);
        spiffe_id.shift(by);
        max_ttl.shift(by);
    }
}

impl Shift for Tool {
    fn shift(&mut self, by: Moved) {
        let Tool {
            span,
            id,
            system,
            access,
            decision,
            from,
            until,
            min_confidence,
        } = self;
        span.shift(by);
        id.shift(by);
        system.shift(by);
        access.shift(by);
        decision.shift(by);
        from.shift(by);
        until.shift(by);
        min_confidence.shift(by);
    }
}

impl Shift for Trust {
    fn shift(&mut self, by: Moved) {
        let Trust {
            span,
            score,
            assessed,
            threshold,
        } = self;
        span.shift(by);
        score.shift(by);
        assessed.shift(by);
        threshold.shift(by);
    }
}

impl Shift for Diags {
    fn shift(&mut self, by: Moved) {
        self.each_span(&mut |span| by.span(span));
    }
}
