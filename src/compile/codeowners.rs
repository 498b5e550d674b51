//! CODEOWNERS: each asset's declaration file is owned by its accountable
//! owner's handle, so changes need the owner's review. A team without a
//! handle is reported, never guessed.

use crate::model::Model;
use crate::source::SourceMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One CODEOWNERS line.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub path: String,
    pub handles: Vec<String>,
}

/// A file whose owners have no handle.
#[derive(Debug, Serialize)]
pub struct Unowned {
    pub path: String,
    pub teams: Vec<String>,
}

/// The CODEOWNERS template context.
#[derive(Debug, Serialize)]
pub struct Owners {
    pub entries: Vec<Entry>,
    pub unowned: Vec<Unowned>,
}

/// Groups assets by declaration file and maps each file to the handles of
/// its assets' accountable owners.
pub fn build(model: &Model, sources: &SourceMap) -> Owners {
    let mut handles: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for asset in model.assets.values() {
        let path = format!("/{}", sources.name(asset.file));
        let Some(owner) = &asset.owners.accountable else {
            continue;
        };
        match model.teams.get(&owner.value).and_then(|t| t.handle.clone()) {
            Some(handle) => {
                handles.entry(path).or_default().insert(handle);
            }
            None => {
                missing
                    .entry(path)
                    .or_default()
                    .insert(owner.value.0.clone());
            }
        }
    }
    Owners {
        entries: handles
            .into_iter()
            .map(|(path, h)| Entry {
                path,
                handles: h.into_iter().collect(),
            })
            .collect(),
        unowned: missing
            .into_iter()
            .map(|(path, t)| Unowned {
                path,
                teams: t.into_iter().collect(),
            })
            .collect(),
    }
}
