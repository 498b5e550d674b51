//! What the file versions of a history walk declare, each parsed once: a
//! version by its blob id, and within a changed version each asset by its
//! text ([`load::pieces`]), so a commit that changes one asset of a large
//! file parses that asset alone.
//!
//! The cache holds no repository: the walk hands it the bytes of each
//! version the first time that version appears. Invariant: what is stored
//! for a version does not depend on whether it was parsed alone or beside
//! others on every core, nor on which versions came before it.

use crate::load::raw::{self, Content};
use crate::load::{self, pieces, Body, Input};
use crate::model::vocab::Role;
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// One asset's owner roles: role name to its teams, joined by `, `.
pub type Roles = BTreeMap<&'static str, String>;
/// Each asset's id and roles; a piece or file version that did not change
/// shares them with the one before, and each commit that holds them.
pub type Owners = Vec<(Arc<str>, Arc<Roles>)>;
/// What one file version declares, shared by every commit that holds it.
pub type Declared = Arc<Owners>;

/// One file version met for the first time: its blob id, its path relative
/// to the governance folder, and its bytes.
#[derive(Debug)]
pub struct Version {
    pub id: ObjectId,
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Below this many new file versions in one commit, parsing them one after
/// another costs less than spreading them over threads.
pub const PARALLEL_FROM: usize = 16;

/// The versions parsed so far, and the pieces they were cut into.
#[derive(Debug)]
pub struct Declarations {
    by_blob: HashMap<ObjectId, Declared>,
    /// The owners each piece declares; `None` for a piece that makes its
    /// file be parsed whole.
    by_piece: HashMap<String, Option<Arc<Owners>>>,
    /// From how many new versions in one commit they are parsed on every
    /// core.
    parallel_from: usize,
}

impl Declarations {
    /// Returns an empty cache that parses on every core from
    /// `parallel_from` new versions in one commit.
    pub fn new(parallel_from: usize) -> Declarations {
        Declarations {
            by_blob: HashMap::new(),
            by_piece: HashMap::new(),
            parallel_from,
        }
    }

    /// Returns what a version read before declares.
    pub fn get(&self, id: &ObjectId) -> Option<Declared> {
        self.by_blob.get(id).cloned()
    }

    /// Parses the versions one commit brings, in the order given, skipping
    /// any already known; on every core when there are many, such as the
    /// first commit of a walk, which holds every file.
    pub fn read(&mut self, versions: Vec<Version>) {
        let mut new: Vec<Version> = versions
            .into_iter()
            .filter(|v| !self.by_blob.contains_key(&v.id))
            .collect();
        if new.len() < self.parallel_from {
            for v in new {
                if self.by_blob.contains_key(&v.id) {
                    continue;
                }
                let declared = match self.in_pieces(&v.bytes, &v.path) {
                    Some(owners) => owners,
                    None => owners(v.bytes, &v.path),
                };
                self.by_blob.insert(v.id, Arc::new(declared));
            }
            return;
        }
        // A version is parsed as its first path, whichever way it is parsed.
        let mut seen = HashSet::new();
        new.retain(|v| seen.insert(v.id));
        type Parsed = (ObjectId, Owners, Vec<(String, Option<Owners>)>);
        let parsed: Vec<Parsed> = new.into_par_iter().map(parse_alone).collect();
        // Pieces are stored in the order of the versions, the first one to
        // hold a piece giving it its value, as one-at-a-time parsing would;
        // a piece's value depends on its text alone, so any order stores
        // the same.
        for (id, declared, found) in parsed {
            for (piece, owners) in found {
                self.by_piece
                    .entry(piece)
                    .or_insert_with(|| owners.map(Arc::new));
            }
            self.by_blob.insert(id, Arc::new(declared));
        }
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

/// Parses one version with no cache: what it declares, and each of its
/// pieces with what that piece declares.
fn parse_alone(v: Version) -> (ObjectId, Owners, Vec<(String, Option<Owners>)>) {
    let split = (v.path != "governance.toml")
        .then(|| pieces::split(&v.bytes))
        .flatten();
    let Some(split) = split else {
        return (v.id, owners(v.bytes, &v.path), Vec::new());
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
    let declared = whole.unwrap_or_else(|| owners(v.bytes.clone(), &v.path));
    (v.id, declared, found)
}

/// Each asset's owner roles, for the assets with an id.
fn owners_of(assets: &[raw::Asset]) -> Owners {
    assets
        .iter()
        .filter_map(|a| {
            let id: Arc<str> = Arc::from(a.id.as_ref()?.value.as_str());
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
