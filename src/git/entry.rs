//! Single entries of a commit's tree, for callers that must tell a missing
//! path from one that holds something other than what they expect.

use super::{read_err, Error, Repo};
use gix::objs::tree::EntryMode;
use gix::ObjectId;

impl Repo {
    /// Returns the mode of `path` in a commit's tree, or `None` when the
    /// commit has nothing there.
    pub fn entry_mode(&self, commit: ObjectId, path: &str) -> Result<Option<EntryMode>, Error> {
        Ok(self.entry(commit, path)?.map(|(mode, _)| mode))
    }

    /// Returns the mode and object of `path` in a commit's tree, or `None`
    /// when the commit has nothing there.
    pub(super) fn entry(
        &self,
        commit: ObjectId,
        path: &str,
    ) -> Result<Option<(EntryMode, ObjectId)>, Error> {
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(read_err(format!("commit {commit}")))?
            .tree()
            .map_err(read_err(format!("the tree of {commit}")))?;
        let entry = tree
            .lookup_entry_by_path(path)
            .map_err(read_err(format!("{path} at {commit}")))?;
        Ok(entry.map(|e| (e.mode(), e.object_id())))
    }
}
