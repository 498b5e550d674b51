//! Everything gix: open the repository, resolve revisions, read the
//! governance folder of a commit straight from Git objects, walk
//! first-parent history, and tell whether the working tree matches HEAD.
//!
//! The rest of govern sees plain data: [`CommitInfo`] and
//! [`load::Input`](crate::load::Input) files, so checking and compiling never
//! depend on a repository.

mod blobs;
mod entry;
mod tag;
mod worktree_hash;

pub use blobs::Blobs;
pub use tag::valid_tag_name;

use crate::load::{rules, Body, Budget, Input, OverLimit, MAX_FILE_BYTES};
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Why a Git operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} is not inside a Git repository")]
    NotARepository {
        path: PathBuf,
        #[source]
        source: Box<gix::discover::Error>,
    },
    #[error("the repository at {path} has no commits yet")]
    EmptyRepository { path: PathBuf },
    #[error("revision `{rev}` does not exist")]
    UnknownRevision {
        rev: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("`{rev}` is a {kind}, not a commit")]
    NotACommit { rev: String, kind: String },
    #[error("the governance folder `{dir}` does not exist at {rev}")]
    MissingFolder { dir: String, rev: String },
    #[error("the governance folder `{dir}` is a symbolic link, which is not followed")]
    FolderIsLink { dir: String },
    #[error("{source} at {rev}")]
    TooMuchInput {
        rev: String,
        #[source]
        source: OverLimit,
    },
    #[error("cannot read {what}")]
    ReadObject {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the history of this shallow clone does not reach {what}")]
    ShallowHistory { what: String },
    #[error("cannot create tag `{name}`")]
    Tag {
        name: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("`{name}` is not a valid tag name")]
    InvalidTagName { name: String },
    #[error("no identity to make the tag with: user.name and user.email are not set")]
    NoTagger,
    #[error("cannot hash the working tree at {path}")]
    HashWorktree {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Returns true when the error is the user's revision, not the
    /// environment: an unknown revision is a usage error.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::UnknownRevision { .. } | Error::NotACommit { .. } | Error::InvalidTagName { .. }
        )
    }
}

fn read_err<E: std::error::Error + Send + Sync + 'static>(
    what: impl Into<String>,
) -> impl FnOnce(E) -> Error {
    let what = what.into();
    move |e| Error::ReadObject {
        what,
        source: Box::new(e),
    }
}

/// The memory kept for decoded delta bases of packed objects, git's
/// default `core.deltaBaseCacheLimit`.
const PACK_CACHE_BYTES: usize = 96 * 1024 * 1024;

/// One commit, as reports show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    /// `Name <email>`.
    pub author: String,
    /// RFC 3339 with the author's offset.
    pub date: String,
    /// Author time in Unix seconds.
    pub time: i64,
    /// The committer time in Unix seconds, which `--since` compares.
    pub commit_time: i64,
    pub subject: String,
}

/// An open repository.
pub struct Repo {
    repo: gix::Repository,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("git_dir", &self.repo.git_dir())
            .finish()
    }
}

/// Formats a Git time as RFC 3339 with its offset.
pub fn rfc3339(seconds: i64, offset: i32) -> String {
    let tz = jiff::tz::Offset::from_seconds(offset).unwrap_or(jiff::tz::Offset::UTC);
    match jiff::Timestamp::from_second(seconds) {
        Ok(ts) => ts
            .to_zoned(tz.to_time_zone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        Err(_) => seconds.to_string(),
    }
}

impl Repo {
    /// Opens the repository that holds `path`.
    pub fn discover(path: &Path) -> Result<Repo, Error> {
        let mut repo = gix::discover(path).map_err(|e| Error::NotARepository {
            path: path.to_path_buf(),
            source: Box::new(e),
        })?;
        // Versions of one file are stored as deltas of each other, so a walk
        // reads the same bases again and again: keep them decoded, as git's
        // own delta base cache does, instead of inflating each chain anew.
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE_BYTES,
            ))
        });
        Ok(Repo { repo })
    }

    /// Returns the working tree root, or `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// Returns the repository's `.git` folder.
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    /// Returns true when this is a shallow clone.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// Resolves a revision to a commit id.
    pub fn resolve(&self, rev: &str) -> Result<ObjectId, Error> {
        if rev == "HEAD" && self.repo.head_id().is_err() {
            return Err(Error::EmptyRepository {
                path: self.repo.git_dir().to_path_buf(),
            });
        }
        let id = match self.repo.rev_parse_single(rev) {
            Ok(id) => id,
            // In a shallow clone, a revision that does not resolve may well
            // exist beyond the history that was fetched.
            Err(_) if self.is_shallow() => {
                return Err(Error::ShallowHistory {
                    what: format!("`{rev}`"),
                })
            }
            Err(e) => {
                return Err(Error::UnknownRevision {
                    rev: rev.to_string(),
                    source: Box::new(e),
                })
            }
        };
        let object = id.object().map_err(|e| Error::UnknownRevision {
            rev: rev.to_string(),
            source: Box::new(e),
        })?;
        // A tag peels to what it names; a tree or a blob is no commit.
        let peeled = object
            .peel_tags_to_end()
            .map_err(|e| Error::UnknownRevision {
                rev: rev.to_string(),
                source: Box::new(e),
            })?;
        if peeled.kind != gix::objs::Kind::Commit {
            return Err(Error::NotACommit {
                rev: rev.to_string(),
                kind: peeled.kind.to_string(),
            });
        }
        Ok(peeled.id)
    }

    /// Returns HEAD's commit id, or `None` in a repository without commits.
    pub fn head(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|id| id.detach())
    }

    /// Describes one commit.
    pub fn info(&self, id: ObjectId) -> Result<CommitInfo, Error> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(read_err(format!("commit {id}")))?;
        let author = commit
            .author()
            .map_err(read_err(format!("the author of {id}")))?;
        let time = author
            .time()
            .map_err(read_err(format!("the author date of {id}")))?;
        let commit_time = commit
            .time()
            .map_err(read_err(format!("the commit date of {id}")))?;
        let subject = commit
            .message()
            .map(|m| m.summary().to_str_lossy().into_owned())
            .unwrap_or_default();
        Ok(CommitInfo {
            id: id.to_string(),
            author: format!(
                "{} <{}>",
                author.name.trim().to_str_lossy(),
                author.email.trim().to_str_lossy()
            ),
            date: rfc3339(time.seconds, time.offset),
            time: time.seconds,
            commit_time: commit_time.seconds,
            subject,
        })
    }

    /// Returns the tree id of `dir` in a commit, or `None` when the commit
    /// has no such folder.
    pub fn folder_tree(&self, commit: ObjectId, dir: &str) -> Result<Option<ObjectId>, Error> {
        Ok(self
            .entry(commit, dir)?
            .filter(|(mode, _)| mode.is_tree())
            .map(|(_, id)| id))
    }

    /// Lists every blob of a tree, recursively: path relative to the tree,
    /// mode and id.
    pub fn files(
        &self,
        tree: ObjectId,
    ) -> Result<Vec<(String, gix::objs::tree::EntryMode, ObjectId)>, Error> {
        let tree = self
            .repo
            .find_tree(tree)
            .map_err(read_err(format!("tree {tree}")))?;
        let records = tree
            .traverse()
            .breadthfirst
            .files()
            .map_err(read_err("a tree"))?;
        Ok(records
            .into_iter()
            .filter(|r| !r.mode.is_tree())
            .map(|r| (r.filepath.to_str_lossy().into_owned(), r.mode, r.oid))
            .collect())
    }

    /// Lists every blob that differs between two trees, recursively, in
    /// path order: path relative to the trees, and mode and id on each side
    /// (`None` where the side has no such file). A subtree whose id is
    /// equal on both sides is skipped unread, so two commits that differ in
    /// one file cost a few tree reads, however large the folder.
    pub fn changed_files(
        &self,
        before: Option<ObjectId>,
        after: Option<ObjectId>,
    ) -> Result<Vec<ChangedFile>, Error> {
        let mut out = Vec::new();
        self.diff_trees(before, after, "", &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn diff_trees(
        &self,
        before: Option<ObjectId>,
        after: Option<ObjectId>,
        prefix: &str,
        out: &mut Vec<ChangedFile>,
    ) -> Result<(), Error> {
        if before == after {
            return Ok(());
        }
        let (old, new) = (self.tree(before)?, self.tree(after)?);
        let (old, new) = (entries(old.as_ref())?, entries(new.as_ref())?);
        // Both sides are in Git's tree order, so one pass pairs the entries
        // of equal name and kind without copying a name.
        let (mut i, mut j) = (0, 0);
        loop {
            let (b, a) = match (old.get(i), new.get(j)) {
                (None, None) => break,
                (Some(b), Some(a)) => match b.cmp(a) {
                    std::cmp::Ordering::Less => (Some(b), None),
                    std::cmp::Ordering::Greater => (None, Some(a)),
                    std::cmp::Ordering::Equal => (Some(b), Some(a)),
                },
                (b, a) => (b, a),
            };
            i += usize::from(b.is_some());
            j += usize::from(a.is_some());
            let name = match b.or(a) {
                Some(e) => e.filename,
                None => break,
            };
            let side =
                |e: Option<&gix::objs::tree::EntryRef<'_>>| e.map(|e| (e.mode, e.oid.to_owned()));
            let (b, a) = (side(b), side(a));
            if b == a {
                continue;
            }
            let path = if prefix.is_empty() {
                name.to_str_lossy().into_owned()
            } else {
                format!("{prefix}/{}", name.to_str_lossy())
            };
            let tree = |e: Option<Entry>| e.filter(|(m, _)| m.is_tree()).map(|(_, id)| id);
            let file = |e: Option<Entry>| e.filter(|(m, _)| !m.is_tree());
            let (tb, ta) = (tree(b), tree(a));
            if tb.is_some() || ta.is_some() {
                self.diff_trees(tb, ta, &path, out)?;
            }
            let (fb, fa) = (file(b), file(a));
            if fb.is_some() || fa.is_some() {
                out.push(ChangedFile {
                    path,
                    before: fb,
                    after: fa,
                });
            }
        }
        Ok(())
    }

    /// Reads a tree; none for no tree.
    fn tree(&self, tree: Option<ObjectId>) -> Result<Option<gix::Tree<'_>>, Error> {
        tree.map(|id| {
            self.repo
                .find_tree(id)
                .map_err(read_err(format!("tree {id}")))
        })
        .transpose()
    }

    /// Reads one blob.
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>, Error> {
        self.repo
            .find_blob(id)
            .map(|mut b| b.take_data())
            .map_err(read_err(format!("blob {id}")))
    }

    /// Reads the declaration files of `dir` at a commit, named by their
    /// plain repository-relative paths (`<dir>/<path>`), exactly as a
    /// working tree names them and judged by the same
    /// [`rules`](crate::load::rules); `rev`, the revision as the user named
    /// it, only says in an error which commit lacks the folder.
    pub fn inputs(&self, commit: ObjectId, dir: &str, rev: &str) -> Result<Vec<Input>, Error> {
        self.inputs_with(commit, dir, rev, None, &mut |_, _, _| {})
    }

    /// Reads the declaration files as [`Repo::inputs`] does, moving the
    /// body of a blob `blobs` holds out of there and keeping there a copy
    /// of every body it decodes: a second side of a drift decodes only the
    /// files that differ from the first. The files are read in the order
    /// they are returned in, and `each` is handed each one as soon as it
    /// is read, with its place among them and, for a plain blob (not a
    /// link), the blob's id: so work on the first files can begin while
    /// the rest are decoded.
    pub fn inputs_with(
        &self,
        commit: ObjectId,
        dir: &str,
        rev: &str,
        mut blobs: Option<&mut Blobs>,
        each: &mut dyn FnMut(usize, &Input, Option<ObjectId>),
    ) -> Result<Vec<Input>, Error> {
        let dir = dir.trim_end_matches('/');
        let Some(tree) = self.folder_tree(commit, dir)? else {
            return Err(self.missing_folder(commit, dir, rev)?);
        };
        let mut entries: Vec<_> = self
            .files(tree)?
            .into_iter()
            .map(|(path, mode, id)| (rules::name(dir, &path), path, mode, id))
            .collect();
        entries.sort_by(|a, b| rules::path_order(&a.0, &b.0));
        let by_path: BTreeMap<&str, (gix::objs::tree::EntryMode, ObjectId)> = entries
            .iter()
            .map(|(_, p, m, id)| (p.as_str(), (*m, *id)))
            .collect();
        let mut budget = Budget::default();
        let over = |source| Error::TooMuchInput {
            rev: rev.to_string(),
            source,
        };
        let candidates = entries
            .iter()
            .filter(|(_, p, m, _)| {
                m.is_commit() || m.is_link() || (p.ends_with(".toml") && m.is_blob())
            })
            .count();
        budget.files(candidates).map_err(over)?;
        let mut inputs = Vec::new();
        for (name, path, mode, id) in &entries {
            let path = path.as_str();
            let is_toml = path.ends_with(".toml");
            // What to read, or why not, before anything is read.
            let verdict: Result<ObjectId, String> = if mode.is_commit() {
                Err(rules::SUBMODULE.into())
            } else if mode.is_link() {
                let target = self.blob(*id)?;
                let target = target.to_str_lossy();
                match rules::resolve_link(dir, path, &target) {
                    None => Err(rules::leaves(&target)),
                    Some(_) if !is_toml => continue,
                    Some(inside) => match by_path.get(inside.as_str()) {
                        Some((m, target_id)) if m.is_blob() => Ok(*target_id),
                        _ => Err(rules::NO_TARGET.into()),
                    },
                }
            } else if is_toml && mode.is_blob() {
                Ok(*id)
            } else {
                continue;
            };
            let body = if rules::has_control(path) {
                Body::Refused(rules::control(&format!("{dir}/{path}")))
            } else {
                match verdict {
                    Ok(id) => match blobs.as_deref_mut() {
                        None => self.body(id)?,
                        Some(blobs) => match blobs.take(&id) {
                            Some(body) => body,
                            None => {
                                let body = self.body(id)?;
                                blobs.keep(id, &body);
                                body
                            }
                        },
                    },
                    Err(why) => Body::Refused(why),
                }
            };
            if let Body::Bytes(bytes) = &body {
                budget.take(bytes.len()).map_err(over)?;
            }
            let input = Input {
                name: name.clone(),
                is_settings: path == "governance.toml",
                body,
            };
            each(inputs.len(), &input, mode.is_blob().then_some(*id));
            inputs.push(input);
        }
        Ok(inputs)
    }

    /// The ids of the plain blobs (not links) of `dir` at `commit`, by the
    /// names [`Repo::inputs`] gives their files; none when the commit has
    /// no such folder.
    pub fn blob_ids(
        &self,
        commit: ObjectId,
        dir: &str,
    ) -> Result<HashMap<String, ObjectId>, Error> {
        let dir = dir.trim_end_matches('/');
        let Some(tree) = self.folder_tree(commit, dir)? else {
            return Ok(HashMap::new());
        };
        Ok(self
            .files(tree)?
            .into_iter()
            .filter(|(_, mode, _)| mode.is_blob())
            .map(|(path, _, id)| (rules::name(dir, &path), id))
            .collect())
    }

    /// The error for a commit without the folder `dir`: a link in its
    /// place, or along its path, is refused as the working tree refuses it.
    fn missing_folder(&self, commit: ObjectId, dir: &str, rev: &str) -> Result<Error, Error> {
        let mut prefix = String::new();
        for part in dir.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if self
                .entry_mode(commit, &prefix)?
                .is_some_and(|m| m.is_link())
            {
                return Ok(Error::FolderIsLink {
                    dir: dir.to_string(),
                });
            }
        }
        Ok(Error::MissingFolder {
            dir: dir.to_string(),
            rev: rev.to_string(),
        })
    }

    fn body(&self, id: ObjectId) -> Result<Body, Error> {
        let bytes = self.blob(id)?;
        Ok(if bytes.len() > MAX_FILE_BYTES {
            Body::Refused(format!(
                "file is {} bytes, over the limit of {} MiB for a declaration file",
                bytes.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ))
        } else {
            Body::Bytes(bytes)
        })
    }

    /// Walks first-parent history from `tip`, newest first, calling `visit`
    /// with each commit and its commit time until it returns false. Says
    /// whether the walk stopped, reached the root, or ended early at the
    /// boundary of a shallow clone ([`Walk::Truncated`]).
    pub fn first_parent(
        &self,
        tip: ObjectId,
        mut visit: impl FnMut(ObjectId, i64) -> Result<bool, Error>,
    ) -> Result<Walk, Error> {
        let walk = self
            .repo
            .rev_walk([tip])
            .first_parent_only()
            .all()
            .map_err(read_err("the history"))?;
        let mut last = None;
        for info in walk {
            let info = info.map_err(read_err("the history"))?;
            last = Some(info.id);
            let time = match info.commit_time {
                Some(time) => time,
                None => {
                    self.repo
                        .find_commit(info.id)
                        .map_err(read_err(format!("commit {}", info.id)))?
                        .time()
                        .map_err(read_err(format!("the commit date of {}", info.id)))?
                        .seconds
                }
            };
            if !visit(info.id, time)? {
                return Ok(Walk::Stopped);
            }
        }
        let truncated = match (last, self.repo.shallow_commits()) {
            (Some(last), Ok(Some(shallow))) => shallow.contains(&last),
            _ => false,
        };
        Ok(if truncated {
            Walk::Truncated
        } else {
            Walk::Complete
        })
    }

    /// Returns true when nothing under `dir` differs from HEAD: the working
    /// tree matches it exactly, or there is no working tree (a bare
    /// repository) that could hold a change.
    pub fn is_committed(&self, dir: &str) -> Result<bool, Error> {
        if self.workdir().is_none() {
            return Ok(true);
        }
        Ok(self.worktree_matches_head(dir)?.is_some())
    }

    /// Returns HEAD when the working tree's `dir` matches HEAD's exactly.
    pub fn worktree_matches_head(&self, dir: &str) -> Result<Option<ObjectId>, Error> {
        let (Some(workdir), Some(head)) = (self.workdir(), self.head()) else {
            return Ok(None);
        };
        let committed = self.folder_tree(head, dir.trim_end_matches('/'))?;
        let path = workdir.join(dir);
        let current = worktree_hash::tree_id(&path).map_err(|source| Error::HashWorktree {
            path: path.clone(),
            source,
        })?;
        Ok((committed.is_some() && committed == current).then_some(head))
    }
}

type Entry = (gix::objs::tree::EntryMode, ObjectId);

/// The entries of a tree in Git's tree order; none for no tree. A tree
/// written out of order, which Git itself never writes, is put in order.
fn entries<'t>(
    tree: Option<&'t gix::Tree<'_>>,
) -> Result<Vec<gix::objs::tree::EntryRef<'t>>, Error> {
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };
    let mut entries = tree
        .decode()
        .map_err(read_err(format!("tree {}", tree.id)))?
        .entries;
    if !entries.windows(2).all(|w| w[0] < w[1]) {
        entries.sort();
    }
    Ok(entries)
}

/// One file that differs between two trees: a blob, link or submodule on
/// either side, with its mode and id there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedFile {
    pub path: String,
    pub before: Option<(gix::objs::tree::EntryMode, ObjectId)>,
    pub after: Option<(gix::objs::tree::EntryMode, ObjectId)>,
}

/// How a history walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    /// The visitor asked to stop.
    Stopped,
    /// The walk reached the first commit.
    Complete,
    /// The walk reached the edge of a shallow clone.
    Truncated,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offset() {
        assert_eq!(rfc3339(1_793_613_600, 0), "2026-11-02T10:00:00+00:00");
        assert_eq!(rfc3339(1_793_613_600, 3600), "2026-11-02T11:00:00+01:00");
    }
}
