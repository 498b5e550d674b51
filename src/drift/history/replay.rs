//! The applying half of a history walk: takes the steps of [`super::walk`]
//! in commit order, keeps each asset's owner roles as the files of the
//! current commit declare them, and reports every change of a role.
//!
//! It holds no repository, so it runs on a thread of its own while the walk
//! reads ahead. Each step applies first every version that went away, then
//! every one that came, each in path order; the changes of one commit come
//! in asset order, and within an asset in role order.

use super::declarations::{Declarations, Declared, Roles};
use super::walk::Step;
use super::Filter;
use crate::git;
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// One change of one role, at the commit that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub asset: String,
    pub role: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub commit: ObjectId,
}

/// The state of a replay between two steps.
#[derive(Debug)]
pub struct Replay<'f> {
    filter: &'f Filter,
    declarations: Declarations,
    /// What each declaration file of the current commit declares.
    files: BTreeMap<String, Declared>,
    /// Each asset's roles as the current files declare them.
    index: HashMap<Arc<str>, Arc<Roles>>,
    /// Each asset's roles as last reported.
    state: HashMap<Arc<str>, Arc<Roles>>,
    /// Every asset any step declared.
    seen: HashSet<Arc<str>>,
    changes: Vec<Change>,
}

impl<'f> Replay<'f> {
    /// Starts a replay that keeps the changes `filter` keeps (its `since`
    /// has chosen the steps already) and parses on every core from
    /// `parallel_from` new versions in one step.
    pub fn new(filter: &'f Filter, parallel_from: usize) -> Replay<'f> {
        Replay {
            filter,
            declarations: Declarations::new(parallel_from),
            files: BTreeMap::new(),
            index: HashMap::new(),
            state: HashMap::new(),
            seen: HashSet::new(),
            changes: Vec::new(),
        }
    }

    /// Applies the next step.
    pub fn apply(&mut self, step: Step) -> Result<(), git::Error> {
        // The versions that went away and those that came are held while
        // their assets are compared, so the touched ids are borrowed.
        let mut gone = Vec::new();
        for changed in step.changed.iter().filter(|c| c.before) {
            if let Some(declared) = self.files.remove(&changed.path) {
                for (asset, _) in declared.iter() {
                    self.index.remove(asset);
                }
                gone.push(declared);
            }
        }
        self.declarations.read(step.versions);
        let mut came = Vec::new();
        for changed in step.changed {
            let Some(id) = changed.after else { continue };
            let declared = self.declarations.get(&id).ok_or_else(|| unread(id))?;
            for (asset, roles) in declared.iter() {
                self.index.insert(asset.clone(), roles.clone());
                if !self.seen.contains(asset) {
                    self.seen.insert(asset.clone());
                }
            }
            self.files.insert(changed.path, declared.clone());
            came.push(declared);
        }
        let mut touched: Vec<&str> = gone
            .iter()
            .chain(&came)
            .flat_map(|declared| declared.iter().map(|(asset, _)| &**asset))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        for asset in touched {
            let now = self.index.get(asset).cloned().unwrap_or_default();
            if !step.baseline {
                self.report(asset, &now, step.commit);
            }
            match self.state.get_mut(asset) {
                Some(state) => *state = now,
                None => {
                    self.state.insert(Arc::from(asset), now);
                }
            }
        }
        Ok(())
    }

    /// Records each role of `asset` that differs from what was reported
    /// last, as the filter keeps them.
    fn report(&mut self, asset: &str, now: &Arc<Roles>, commit: ObjectId) {
        let was = self.state.get(asset).cloned().unwrap_or_default();
        if *now == was {
            return;
        }
        let roles: BTreeSet<&'static str> = was.keys().chain(now.keys()).copied().collect();
        for role in roles {
            let (b, a) = (was.get(role), now.get(role));
            if b == a {
                continue;
            }
            let filter = self.filter;
            let keep = (filter.assets.is_empty() || filter.assets.iter().any(|x| x == asset))
                && filter.role.as_deref().is_none_or(|r| r == role);
            if keep {
                self.changes.push(Change {
                    asset: asset.to_string(),
                    role,
                    before: b.cloned(),
                    after: a.cloned(),
                    commit,
                });
            }
        }
    }

    /// Returns the changes, oldest first, and every asset a step declared.
    pub fn finish(self) -> (Vec<Change>, BTreeSet<String>) {
        let seen = self.seen.iter().map(|asset| asset.to_string()).collect();
        (self.changes, seen)
    }
}

/// The error for a version the walk did not hand over with its first step,
/// which [`super::walk`] rules out.
fn unread(id: ObjectId) -> git::Error {
    git::Error::ReadObject {
        what: format!("blob {id}"),
        source: "the walk did not read it ahead of its first commit".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::declarations::Version;
    use super::super::walk::Changed;
    use super::*;

    /// Builds the steps of a history from the files of each commit,
    /// numbering versions by their text as Git would by their hash.
    struct History {
        ids: HashMap<String, ObjectId>,
        files: BTreeMap<String, String>,
        sent: BTreeSet<ObjectId>,
        commits: u8,
    }

    impl History {
        fn new() -> History {
            History {
                ids: HashMap::new(),
                files: BTreeMap::new(),
                sent: BTreeSet::new(),
                commits: 0,
            }
        }

        fn id(&mut self, text: &str) -> ObjectId {
            let next = self.ids.len() as u8 + 1;
            *self
                .ids
                .entry(text.to_string())
                .or_insert_with(|| ObjectId::from_bytes_or_panic(&[next; 20]))
        }

        /// The step from the files so far to `files` (`None` deletes).
        fn step(&mut self, files: &[(&str, Option<&str>)]) -> Step {
            self.commits += 1;
            let mut changed = Vec::new();
            let mut versions = Vec::new();
            let mut sorted = files.to_vec();
            sorted.sort();
            for (path, text) in sorted {
                let before = self.files.contains_key(path);
                let after = text.map(|t| self.id(t));
                if let (Some(id), Some(text)) = (after, text) {
                    if self.sent.insert(id) {
                        versions.push(Version {
                            id,
                            path: path.to_string(),
                            bytes: text.as_bytes().to_vec(),
                        });
                    }
                    self.files.insert(path.to_string(), text.to_string());
                } else {
                    self.files.remove(path);
                }
                changed.push(Changed {
                    path: path.to_string(),
                    before,
                    after,
                });
            }
            Step {
                commit: ObjectId::from_bytes_or_panic(&[self.commits; 20]),
                baseline: false,
                changed,
                versions,
            }
        }
    }

    fn asset(id: &str, operator: &str) -> String {
        format!("[[asset]]\nid = \"{id}\"\nkind = \"dataset\"\n\n[asset.owners]\naccountable = \"product\"\noperator = \"{operator}\"\n\n")
    }

    /// A file of three assets; `whole` adds a multi-line string, which
    /// makes the file be parsed whole.
    fn file(n: usize, operator: &str, whole: bool) -> String {
        let mut text: String = (0..3)
            .map(|i| asset(&format!("a{n:02}-{i}"), operator))
            .collect();
        if whole {
            text.push_str("description = \"\"\"\n[[asset]]\n\"\"\"\n");
        }
        text
    }

    /// Three commits of many files each: the first, one that changes most
    /// of them (reverting some to a version seen before, moving one and
    /// deleting one), and a small one.
    fn steps() -> Vec<Step> {
        let mut h = History::new();
        let paths: Vec<String> = (0..24).map(|n| format!("assets/f{n:02}.toml")).collect();
        let first: Vec<String> = (0..24).map(|n| file(n, "eng", n == 5)).collect();
        let mut one: Vec<(&str, Option<&str>)> = paths
            .iter()
            .zip(&first)
            .map(|(p, t)| (p.as_str(), Some(t.as_str())))
            .collect();
        one.push(("assets/copy.toml", Some(first[3].as_str())));
        one.push(("governance.toml", Some("[policy]\n[[asset]]\nid = \"x\"\n")));
        let second: Vec<String> = (0..24)
            .map(|n| {
                file(
                    n,
                    if n % 3 == 0 { "secops" } else { "platform" },
                    n == 5 || n == 8,
                )
            })
            .collect();
        let mut two: Vec<(&str, Option<&str>)> = (1..21)
            .map(|n| (paths[n].as_str(), Some(second[n].as_str())))
            .collect();
        two[3].1 = Some(first[4].as_str());
        two.push((paths[22].as_str(), None));
        two.push((paths[23].as_str(), None));
        two.push(("assets/moved.toml", Some(first[23].as_str())));
        two.push(("assets/copy.toml", Some(second[2].as_str())));
        let mut three: Vec<(&str, Option<&str>)> =
            vec![(paths[1].as_str(), Some(first[1].as_str()))];
        three.push((paths[2].as_str(), Some("not = = toml")));
        vec![h.step(&one), h.step(&two), h.step(&three)]
    }

    fn replay(parallel_from: usize) -> (Vec<Change>, BTreeSet<String>) {
        let filter = Filter::default();
        let mut replay = Replay::new(&filter, parallel_from);
        for step in steps() {
            replay.apply(step).expect("every version is handed over");
        }
        replay.finish()
    }

    #[test]
    fn many_versions_in_later_commits_parse_alike_on_every_core() {
        let (sequential, seen) = replay(usize::MAX);
        let (parallel, seen_parallel) = replay(1);
        assert_eq!(parallel, sequential);
        assert_eq!(seen_parallel, seen);
        let at = |commit: u8, asset: &str, role: &str| -> Vec<(Option<String>, Option<String>)> {
            sequential
                .iter()
                .filter(|c| c.commit.as_bytes()[0] == commit && c.asset == asset && c.role == role)
                .map(|c| (c.before.clone(), c.after.clone()))
                .collect()
        };
        let change = |b: &str, a: &str| vec![(Some(b.to_string()), Some(a.to_string()))];
        // Read whole in both commits, and changed in the second.
        assert_eq!(at(2, "a05-1", "operator"), change("eng", "platform"));
        // Read in pieces, then whole.
        assert_eq!(at(2, "a08-2", "operator"), change("eng", "platform"));
        // Back to a version of the first commit, read from its blob.
        assert_eq!(at(2, "a04-0", "operator"), Vec::new());
        assert_eq!(at(2, "a03-0", "operator"), change("eng", "secops"));
        // A moved file's assets stay; a deleted one's lose their owners.
        assert_eq!(at(2, "a23-0", "operator"), Vec::new());
        assert_eq!(at(2, "a22-0", "operator"), vec![(Some("eng".into()), None)]);
        // The copy of f03 became a copy of f02 of the second commit.
        assert_eq!(at(2, "a02-0", "operator"), change("eng", "platform"));
        // A version that does not parse declares nothing.
        assert_eq!(
            at(3, "a02-0", "operator"),
            vec![(Some("platform".into()), None)]
        );
        assert_eq!(at(3, "a01-0", "operator"), change("platform", "eng"));
        assert!(seen.contains("a00-0") && seen.contains("a23-2"));
        // governance.toml is read whole, never in pieces.
        assert!(seen.contains("x"));
    }
}
