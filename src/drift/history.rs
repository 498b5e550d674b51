//! The ownership timeline: walks first-parent history oldest first and
//! reports every change of an asset's owner roles with its commit.
//!
//! Each distinct file version is parsed once, keyed by its blob id, and
//! within it each asset whose text is new, keyed by that text; commits
//! whose governance tree is unchanged are skipped, and of the others only
//! the files that differ from the commit before are read, so a walk over
//! thousands of commits costs little more than the files that changed.
//!
//! Two threads share the work: this one walks the commits, diffs their
//! trees and inflates the new versions ([`walk`]), and the other parses and
//! applies them in commit order ([`replay`]), so the timeline is the one a
//! single thread would find.

mod declarations;
mod replay;
mod walk;

use crate::git::{self, CommitInfo, Repo, Walk};
use gix::ObjectId;
use serde::ser::{Serialize, SerializeStruct};
use std::collections::BTreeSet;
use std::sync::{mpsc, Arc};

/// One change of one role, with the commit that made it; the changes of
/// one commit share its description.
#[derive(Clone, Debug)]
pub struct Entry {
    pub asset: String,
    pub role: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub commit: Arc<CommitInfo>,
}

/// The shape of `history --format json`: the commit's id, author and date
/// beside the change, not its subject.
impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut e = s.serialize_struct("Entry", 7)?;
        e.serialize_field("asset", &self.asset)?;
        e.serialize_field("role", self.role)?;
        e.serialize_field("before", &self.before)?;
        e.serialize_field("after", &self.after)?;
        e.serialize_field("commit", &self.commit.id)?;
        e.serialize_field("author", &self.commit.author)?;
        e.serialize_field("date", &self.commit.date)?;
        e.end()
    }
}

/// How many steps the walk may read ahead of the replay: enough to keep
/// both busy, few enough that the bytes held stay small.
const STEPS_AHEAD: usize = 64;

/// Which entries to keep.
#[derive(Debug, Default)]
pub struct Filter {
    pub assets: Vec<String>,
    pub role: Option<String>,
    /// Only commits after this Unix second.
    pub since: Option<i64>,
}

/// The timeline of a walk, with every asset it saw.
#[derive(Debug, Default)]
pub struct Timeline {
    /// The changes the filter keeps, oldest first.
    pub entries: Vec<Entry>,
    /// Every asset id declared by a commit the walk read: the head, each
    /// commit after the `since` cutoff, and the one the cutoff starts from.
    /// An asset deleted earlier in that history is here; the filter does
    /// not narrow it.
    pub assets: BTreeSet<String>,
}

/// Walks first-parent history from `head` and returns the timeline, oldest
/// first.
pub fn timeline(
    repo: &Repo,
    dir: &str,
    head: ObjectId,
    filter: &Filter,
) -> Result<Timeline, git::Error> {
    let dir = dir.trim_end_matches('/');
    let mut commits = Vec::new();
    let mut baseline = None;
    let walk = repo.first_parent(head, |id, time| {
        if filter.since.is_some_and(|since| time <= since) {
            baseline = Some(id);
            return Ok(false);
        }
        commits.push(id);
        Ok(true)
    })?;
    // A truncated walk means a shallow clone: the timeline would start at
    // the clone's boundary and pass its first commit off as the beginning.
    if walk == Walk::Truncated {
        return Err(git::Error::ShallowHistory {
            what: if filter.since.is_some() {
                "the start of the --since window".into()
            } else {
                "the first commit, so the whole timeline cannot be shown".into()
            },
        });
    }
    commits.reverse();

    let (send, steps) = mpsc::sync_channel(STEPS_AHEAD);
    let (read, replayed) = std::thread::scope(|scope| {
        // The repository stays on this thread, which walks and inflates;
        // the replay parses and applies on its own, in commit order.
        let replay = scope.spawn(move || -> Result<_, git::Error> {
            let mut replay = replay::Replay::new(filter, declarations::PARALLEL_FROM);
            for step in steps {
                replay.apply(step)?;
            }
            Ok(replay.finish())
        });
        // A failed replay hangs up, which ends the walk early.
        let read = walk::steps(repo, dir, baseline, &commits, |step| {
            send.send(step).is_ok()
        });
        drop(send);
        let replayed = replay
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, replayed)
    });
    read?;
    let (changes, seen) = replayed?;

    let mut entries = Vec::with_capacity(changes.len());
    // The changes of one commit come together: read each commit once.
    let mut info: Option<(ObjectId, Arc<CommitInfo>)> = None;
    for change in changes {
        let commit = match info.take() {
            Some((id, c)) if id == change.commit => c,
            _ => Arc::new(repo.info(change.commit)?),
        };
        entries.push(Entry {
            asset: change.asset,
            role: change.role,
            before: change.before,
            after: change.after,
            commit: commit.clone(),
        });
        info = Some((change.commit, commit));
    }
    Ok(Timeline {
        entries,
        assets: seen,
    })
}
