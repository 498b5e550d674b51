//! The bodies of the blobs one read met, by id, handed to another read of
//! the same repository, so that it moves a blob it meets again out of here
//! instead of decoding it from its pack a second time: the two sides of a
//! drift share most files, and an older side's blobs sit at the end of
//! long delta chains.
//!
//! Invariant: a body is a function of the blob id alone, so a body taken
//! from here is the body reading the blob would give.

use crate::load::Body;
use gix::ObjectId;
use std::collections::HashMap;

/// Blob bodies by id.
#[derive(Debug)]
pub struct Blobs {
    bodies: HashMap<ObjectId, Body>,
    /// False once the read that fills the store is over.
    keeping: bool,
}

impl Default for Blobs {
    fn default() -> Self {
        Blobs {
            bodies: HashMap::new(),
            keeping: true,
        }
    }
}

impl Blobs {
    /// Moves out the body of `id`, when a read kept it: each body is
    /// handed on once, and a second file of the same blob decodes it.
    pub fn take(&mut self, id: &ObjectId) -> Option<Body> {
        self.bodies.remove(id)
    }

    /// Keeps a copy of the body of `id`, until [`Blobs::stop_keeping`].
    pub fn keep(&mut self, id: ObjectId, body: &Body) {
        if self.keeping {
            self.bodies.insert(id, body.clone());
        }
    }

    /// Ends the read that fills the store: the next only takes from it.
    pub fn stop_keeping(&mut self) {
        self.keeping = false;
    }
}
