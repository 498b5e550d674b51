//! The ownership timeline: walks first-parent history oldest first and
//! reports every change of an asset's owner roles with its commit.
//!
//! Each distinct file version is parsed once, keyed by its blob id, and
//! within it each asset whose text is new, keyed by that text; commits
//! whose governance tree is unchanged are skipped, and of the others only
//! the files that differ from the commit before are read, so a walk over
//! thousands of commits costs little more than the files that changed.

use crate::git::{self, CommitInfo, Repo, Walk};
use crate::load::raw::{self, Content};
use crate::load::{self, pieces, Body, Input};
use crate::model::vocab::Role;
use gix::ObjectId;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// One change of one role.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub asset: String,
    pub role: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub commit: String,
    pub author: String,
    pub date: String,
    #[serde(skip)]
    pub subject: String,
}

type Roles = BTreeMap<&'static str, String>;
/// Each asset's roles; a piece or file version that did not change shares
/// them with the one before.
type Owners = Vec<(String, Arc<Roles>)>;
type Declared = Arc<Owners>;

/// Each asset's owner roles, for the assets with an id.
fn owners_of(assets: &[raw::Asset]) -> Owners {
    assets
        .iter()
        .filter_map(|a| {
            let id = a.id.as_ref()?.value.clone();
            let mut roles = Roles::new();
            if let Some(o) = &a.owners {
                for role in Role::ALL.iter().filter(|r| !r.is_derived()) {
                    let teams: Vec<&str> = o.get(*role).iter().map(|t| t.value.as_str()).collect();
                    if !teams.is_empty() {
                        roles.insert(role.name(), teams.join(", "));
                    }
                }
            }
            Some((id, Arc::new(roles)))
        })
        .collect()
}

/// What one whole file version declares: each asset's owner roles.
fn owners(bytes: Vec<u8>, path: &str) -> Owners {
    let input = Input {
        name: path.to_string(),
        is_settings: path == "governance.toml",
        body: Body::Bytes(bytes),
    };
    match load::parse_alone(input) {
        Some(Content::Declarations(d)) => owners_of(&d.assets),
        _ => Vec::new(),
    }
}

/// What the file versions of a walk declare, each parsed once: a version
/// by its blob id, and within a changed version each asset by its text
/// ([`load::pieces`]), so a commit that changes one asset of a large file
/// parses that asset alone.
struct Declarations<'r> {
    repo: &'r Repo,
    by_blob: HashMap<ObjectId, Declared>,
    /// The owners each piece declares; `None` for a piece that makes its
    /// file be parsed whole.
    by_piece: HashMap<String, Option<Arc<Owners>>>,
}

/// Below this many new file versions in one commit, parsing them one after
/// another costs less than spreading them over threads.
const PARALLEL_FROM: usize = 16;

impl Declarations<'_> {
    /// Parses the versions of `wanted` not yet known, on every core, when
    /// there are many: the first commit of a walk holds every file. What is
    /// stored is what [`Declarations::of`] would store for each.
    fn prefetch(&mut self, wanted: &[(ObjectId, &str)]) -> Result<(), git::Error> {
        let mut new: Vec<(ObjectId, &str)> = wanted
            .iter()
            .filter(|(id, _)| !self.by_blob.contains_key(id))
            .copied()
            .collect();
        new.sort_unstable();
        new.dedup_by_key(|(id, _)| *id);
        if new.len() < PARALLEL_FROM {
            return Ok(());
        }
        let read: Vec<(ObjectId, &str, Vec<u8>)> = new
            .into_iter()
            .map(|(id, path)| Ok((id, path, self.repo.blob(id)?)))
            .collect::<Result<_, git::Error>>()?;
        type Parsed = (ObjectId, Owners, Vec<(String, Option<Owners>)>);
        let parsed: Vec<Parsed> = read
            .into_par_iter()
            .map(|(id, path, bytes)| {
                let split = (path != "governance.toml")
                    .then(|| pieces::split(&bytes))
                    .flatten();
                let Some(split) = split else {
                    return (id, owners(bytes, path), Vec::new());
                };
                let found: Vec<(String, Option<Owners>)> = split
                    .iter()
                    .enumerate()
                    .map(|(i, piece)| {
                        let owners = pieces::assets(piece, i == 0).map(|a| owners_of(&a));
                        (piece.to_string(), owners)
                    })
                    .collect();
                let whole: Option<Owners> = found
                    .iter()
                    .map(|(_, o)| o.clone())
                    .collect::<Option<Vec<Owners>>>()
                    .map(|all| all.into_iter().flatten().collect());
                let declared = whole.unwrap_or_else(|| owners(bytes.clone(), path));
                (id, declared, found)
            })
            .collect();
        for (id, declared, found) in parsed {
            for (piece, owners) in found {
                self.by_piece
                    .entry(piece)
                    .or_insert_with(|| owners.map(Arc::new));
            }
            self.by_blob.insert(id, Arc::new(declared));
        }
        Ok(())
    }

    fn of(&mut self, id: ObjectId, path: &str) -> Result<Declared, git::Error> {
        if let Some(d) = self.by_blob.get(&id) {
            return Ok(d.clone());
        }
        let bytes = self.repo.blob(id)?;
        let declared = Arc::new(match self.in_pieces(&bytes, path) {
            Some(owners) => owners,
            None => owners(bytes, path),
        });
        self.by_blob.insert(id, declared.clone());
        Ok(declared)
    }

    fn in_pieces(&mut self, bytes: &[u8], path: &str) -> Option<Owners> {
        if path == "governance.toml" {
            return None;
        }
        let mut all = Vec::new();
        for (i, piece) in pieces::split(bytes)?.into_iter().enumerate() {
            let found = match self.by_piece.get(piece) {
                Some(found) => found.clone(),
                None => {
                    let found = pieces::assets(piece, i == 0).map(|a| Arc::new(owners_of(&a)));
                    self.by_piece.insert(piece.to_string(), found.clone());
                    found
                }
            };
            all.extend(found?.iter().cloned());
        }
        Some(all)
    }
}

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

    let mut declarations = Declarations {
        repo,
        by_blob: HashMap::new(),
        by_piece: HashMap::new(),
    };
    let mut files: BTreeMap<String, (ObjectId, Declared)> = BTreeMap::new();
    // Each asset's roles as the current files declare them.
    let mut index: HashMap<String, Arc<Roles>> = HashMap::new();
    let mut state: BTreeMap<String, Arc<Roles>> = BTreeMap::new();
    let mut previous_tree = None;
    let mut entries = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // The declaration files are the `.toml` blobs of the folder; `files`
    // holds those of `previous_tree`, and each commit applies the files
    // that differ from it: first every version that went away, then every
    // one that came, each in path order.
    let mut load_tree = |commit: ObjectId,
                         files: &mut BTreeMap<String, (ObjectId, Declared)>,
                         index: &mut HashMap<String, Arc<Roles>>|
     -> Result<Option<BTreeSet<String>>, git::Error> {
        let tree = repo.folder_tree(commit, dir)?;
        if tree == previous_tree {
            return Ok(None);
        }
        let changed = repo.changed_files(previous_tree, tree)?;
        previous_tree = tree;
        let listed = |path: &str, side: Option<(gix::objs::tree::EntryMode, ObjectId)>| {
            side.filter(|(mode, _)| path.ends_with(".toml") && mode.is_blob())
                .map(|(_, id)| id)
        };
        let changed: Vec<(String, Option<ObjectId>, Option<ObjectId>)> = changed
            .into_iter()
            .map(|c| {
                let (b, a) = (listed(&c.path, c.before), listed(&c.path, c.after));
                (c.path, b, a)
            })
            .filter(|(_, b, a)| b != a)
            .collect();
        let mut touched = BTreeSet::new();
        for (path, _, _) in changed.iter().filter(|(_, b, _)| b.is_some()) {
            if let Some((_, declared)) = files.remove(path) {
                for (asset, _) in declared.iter() {
                    index.remove(asset);
                    touched.insert(asset.clone());
                }
            }
        }
        let wanted: Vec<(ObjectId, &str)> = changed
            .iter()
            .filter_map(|(path, _, after)| Some(((*after)?, path.as_str())))
            .collect();
        declarations.prefetch(&wanted)?;
        for (path, _, after) in changed {
            let Some(id) = after else { continue };
            let declared = declarations.of(id, &path)?;
            for (asset, roles) in declared.iter() {
                index.insert(asset.clone(), roles.clone());
                touched.insert(asset.clone());
                if !seen.contains(asset) {
                    seen.insert(asset.clone());
                }
            }
            files.insert(path, (id, declared));
        }
        Ok(Some(touched))
    };

    let current = |index: &HashMap<String, Arc<Roles>>, asset: &str| -> Arc<Roles> {
        index.get(asset).cloned().unwrap_or_default()
    };

    if let Some(base) = baseline {
        if let Some(touched) = load_tree(base, &mut files, &mut index)? {
            for asset in touched {
                state.insert(asset.clone(), current(&index, &asset));
            }
        }
    }
    for commit in commits {
        let Some(touched) = load_tree(commit, &mut files, &mut index)? else {
            continue;
        };
        let mut info: Option<CommitInfo> = None;
        for asset in touched {
            let now = current(&index, &asset);
            let was = state.get(&asset).cloned().unwrap_or_default();
            if now == was {
                continue;
            }
            let roles: BTreeSet<&str> = was.keys().chain(now.keys()).copied().collect();
            for role in roles {
                let (b, a) = (was.get(role), now.get(role));
                if b == a {
                    continue;
                }
                let keep = (filter.assets.is_empty() || filter.assets.contains(&asset))
                    && filter.role.as_deref().is_none_or(|r| r == role);
                if !keep {
                    continue;
                }
                if info.is_none() {
                    info = Some(repo.info(commit)?);
                }
                let c = info.as_ref().expect("set just above");
                entries.push(Entry {
                    asset: asset.clone(),
                    role: role.to_string(),
                    before: b.cloned(),
                    after: a.cloned(),
                    commit: c.id.clone(),
                    author: c.author.clone(),
                    date: c.date.clone(),
                    subject: c.subject.clone(),
                });
            }
            state.insert(asset, now);
        }
    }
    Ok(Timeline {
        entries,
        assets: seen,
    })
}
