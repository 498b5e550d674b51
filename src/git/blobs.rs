//! The bodies of the blobs one read met, by id, handed to another read of
//! the same repository, so that it moves a blob it meets again out of here
//! instead of decoding it from its pack a second time: the two sides of a
//! drift share most files, and an older side's blobs sit at the end of
//! long delta chains.
//!
//! The earlier side's own blobs, those the later side does not hold, can
//! be decoded ahead ([`Repo::prefetch`]) on a second opening of the
//! repository, on another thread, while the later side is read, and added here for the
//! earlier side's read.
//!
//! Invariant: a body is a function of the blob id alone, so a body taken
//! from here is the body reading the blob would give.

use super::Repo;
use crate::load::{rules, Body, Budget};
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

    /// Adds bodies decoded ahead ([`Repo::prefetch`]), once the read that
    /// fills the store is over; a body the store holds already stays.
    pub fn add(&mut self, bodies: HashMap<ObjectId, Body>) {
        for (id, body) in bodies {
            self.bodies.entry(id).or_insert(body);
        }
    }
}

impl Repo {
    /// Decodes ahead the declaration files of `dir` at `from` that differ
    /// from those at `to`, by blob id, as [`Repo::inputs_with`] would read
    /// them: a guess, so any failure (a revision that names nothing, an
    /// object that cannot be read) ends it quietly and leaves the read
    /// that follows to meet and report it. It decodes at most what the
    /// read's [`Budget`] allows, so a hostile history costs no more memory
    /// than the read itself.
    pub fn prefetch(&self, from: &str, to: &str, dir: &str) -> HashMap<ObjectId, Body> {
        let mut bodies = HashMap::new();
        let dir = dir.trim_end_matches('/');
        let tree = |rev: &str| -> Option<Option<ObjectId>> {
            let commit = self.resolve(rev).ok()?;
            self.folder_tree(commit, dir).ok()
        };
        let (Some(before @ Some(_)), Some(after)) = (tree(from), tree(to)) else {
            return bodies;
        };
        let Ok(changed) = self.changed_files(before, after) else {
            return bodies;
        };
        let mut budget = Budget::default();
        if budget.files(changed.len()).is_err() {
            return bodies;
        }
        for file in changed {
            let Some((mode, id)) = file.before else {
                continue;
            };
            if !mode.is_blob() || !file.path.ends_with(".toml") || rules::has_control(&file.path) {
                continue;
            }
            let Ok(body) = self.body(id) else {
                return bodies;
            };
            if let Body::Bytes(bytes) = &body {
                if budget.take(bytes.len()).is_err() {
                    return bodies;
                }
            }
            bodies.insert(id, body);
        }
        bodies
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

    /// Runs git in `dir`, failing the test on an error.
    fn git(dir: &std::path::Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {:?}", out);
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    #[test]
    fn prefetch_decodes_the_earlier_sides_own_declarations_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        git(root, &["init", "-q"]);
        let gov = root.join("governance");
        std::fs::create_dir_all(gov.join("assets")).unwrap();
        std::fs::write(gov.join("teams.toml"), "[[team]]\nid = \"a\"\n").unwrap();
        std::fs::write(gov.join("assets/one.toml"), "old = 1\n").unwrap();
        std::fs::write(gov.join("assets/gone.toml"), "gone = 1\n").unwrap();
        std::fs::write(gov.join("notes.md"), "not a declaration\n").unwrap();
        std::fs::write(root.join("outside.toml"), "outside = 1\n").unwrap();
        git(root, &["add", "."]);
        git(root, &["commit", "-qm", "one"]);
        let old_one = git(root, &["rev-parse", "HEAD:governance/assets/one.toml"]);
        let gone = git(root, &["rev-parse", "HEAD:governance/assets/gone.toml"]);
        std::fs::write(gov.join("assets/one.toml"), "new = 2\n").unwrap();
        std::fs::remove_file(gov.join("assets/gone.toml")).unwrap();
        std::fs::write(gov.join("notes.md"), "changed\n").unwrap();
        std::fs::write(root.join("outside.toml"), "outside = 2\n").unwrap();
        git(root, &["commit", "-qam", "two"]);

        let repo = Repo::discover(root).unwrap();
        let bodies = repo.prefetch("HEAD~1", "HEAD", "governance/");
        let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).unwrap();
        let mut ids: Vec<_> = bodies.keys().copied().collect();
        ids.sort();
        let mut want = vec![id(&old_one), id(&gone)];
        want.sort();
        assert_eq!(ids, want, "only the earlier side's changed .toml files");
        assert_eq!(bodies[&id(&old_one)], Body::Bytes(b"old = 1\n".to_vec()));
        assert_eq!(bodies[&id(&old_one)], repo.body(id(&old_one)).unwrap());
        assert_eq!(bodies[&id(&gone)], Body::Bytes(b"gone = 1\n".to_vec()));

        assert!(repo.prefetch("HEAD", "HEAD", "governance").is_empty());
        assert!(repo
            .prefetch("no-such-rev", "HEAD", "governance")
            .is_empty());
        assert!(repo
            .prefetch("HEAD~1", "no-such-rev", "governance")
            .is_empty());
        assert!(repo.prefetch("HEAD~1", "HEAD", "no-such-dir").is_empty());
    }

    #[test]
    fn added_bodies_never_replace_stored_ones() {
        let id = ObjectId::null(gix::hash::Kind::Sha1);
        let kept = Body::Bytes(b"x = 1\n".to_vec());
        let mut blobs = Blobs::default();
        blobs.keep(id, &kept);
        blobs.stop_keeping();
        let other = ObjectId::from_hex(b"1111111111111111111111111111111111111111").unwrap();
        let fresh = Body::Refused("too large".into());
        blobs.add(HashMap::from([(id, fresh.clone()), (other, fresh.clone())]));
        assert_eq!(blobs.take(&id), Some(kept));
        assert_eq!(blobs.take(&other), Some(fresh));
    }
}
