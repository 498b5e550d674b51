//! What reaches one requirement, in four bits: whether a full and whether
//! a partial mapping does, with crosswalks and through direct mappings
//! alone. The rows and the summaries read statuses from these alike.

use super::Status;

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Flags {
    full: bool,
    partial: bool,
    direct_full: bool,
    direct_partial: bool,
}

impl Flags {
    /// Adds one mapping, full or not, direct or carried by a crosswalk.
    pub fn touch(&mut self, full: bool, direct: bool) {
        self.full |= full;
        self.partial |= !full;
        if direct {
            self.direct_full |= full;
            self.direct_partial |= !full;
        }
    }

    /// What either reaches.
    pub fn or(self, other: Flags) -> Flags {
        Flags {
            full: self.full || other.full,
            partial: self.partial || other.partial,
            direct_full: self.direct_full || other.direct_full,
            direct_partial: self.direct_partial || other.direct_partial,
        }
    }

    /// A leaf's status.
    pub fn status(self) -> Status {
        status(self.full, self.partial)
    }

    /// A leaf's status from direct mappings alone.
    pub fn direct_status(self) -> Status {
        status(self.direct_full, self.direct_partial)
    }
}

fn status(full: bool, partial: bool) -> Status {
    match (full, partial) {
        (true, _) => Status::Covered,
        (false, true) => Status::Partial,
        (false, false) => Status::Gap,
    }
}

/// Whether a requirement is reached only through crosswalks: reached, and
/// a gap to direct mappings alone.
pub(super) fn derived(status: Status, direct: Status) -> bool {
    status != Status::Gap && direct == Status::Gap
}
