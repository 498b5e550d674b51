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
    /// Returns the body of `id`, when a read kept it: a copy while the
    /// store is still being filled (a second file of the same blob in that
    /// read), then the body itself, moved out, so the next read takes each
    /// body once.
    pub fn take(&mut self, id: &ObjectId) -> Option<Body> {
        match self.keeping {
            true => self.bodies.get(id).cloned(),
            false => self.bodies.remove(id),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_copied_while_kept_and_moved_once_after() {
        let id = ObjectId::null(gix::hash::Kind::Sha1);
        let body = Body::Bytes(b"x = 1\n".to_vec());
        let mut blobs = Blobs::default();
        assert_eq!(blobs.take(&id), None);
        blobs.keep(id, &body);
        assert_eq!(blobs.take(&id).as_ref(), Some(&body));
        assert_eq!(blobs.take(&id).as_ref(), Some(&body));
        blobs.stop_keeping();
        let other = ObjectId::from_hex(b"1111111111111111111111111111111111111111").unwrap();
        blobs.keep(other, &body);
        assert_eq!(blobs.take(&other), None);
        assert_eq!(blobs.take(&id), Some(body));
        assert_eq!(blobs.take(&id), None);
    }
}
