//! The bodies of the blobs one read met, by id, so that another read of the
//! same repository copies a blob it meets again instead of decoding it from
//! its pack a second time: the two sides of a drift share most files, and
//! an older side's blobs sit at the end of long delta chains.
//!
//! Invariant: a body is a function of the blob id alone, so a body taken
//! from here is the body reading the blob would give.

use crate::load::Body;
use gix::ObjectId;
use std::collections::HashMap;

/// Blob bodies by id.
#[derive(Debug, Default)]
pub struct Blobs(HashMap<ObjectId, Body>);

impl Blobs {
    /// Returns a copy of the body of `id`, when it was read before.
    pub fn get(&self, id: &ObjectId) -> Option<Body> {
        self.0.get(id).cloned()
    }

    /// Remembers the body of `id`.
    pub fn keep(&mut self, id: ObjectId, body: &Body) {
        self.0.insert(id, body.clone());
    }
}
