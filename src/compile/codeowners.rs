//! CODEOWNERS: every declaration file is owned by the handles of the teams
//! that own what it declares, so a change needs their review. Assets go to
//! their accountable owners, controls to their owners, exceptions and
//! findings to the accountable owners of their assets, teams to themselves
//! (or the nearest parent with a handle), and governance.toml, catalogs and
//! files that declare nothing to the governance-function teams, who also
//! own the governance folder as a whole so that a new file is never
//! unowned.
//!
//! Invariants: handles are [`Handle`]s, valid by construction; a path is
//! written only as a pattern that matches exactly that file, escaped as
//! gitignore rules require, and a path that cannot be written that way (a
//! control character or other white space than a plain space) is left out
//! and named in a comment in escaped form, never raw.

use crate::model::{Handle, Model, TeamId};
use crate::source::{FileId, SourceMap};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One CODEOWNERS line, with the comment above it.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The escaped pattern of the file.
    pub path: String,
    /// The teams that own the file, in id order.
    pub teams: Vec<String>,
    pub handles: Vec<String>,
    /// Teams among `teams` without a handle.
    pub missing: Vec<String>,
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
    /// The whole governance folder, for the governance-function teams.
    pub folder: Option<Entry>,
    /// Files with at least one handle.
    pub entries: Vec<Entry>,
    /// Files none of whose owners has a handle.
    pub unowned: Vec<Unowned>,
    /// Paths that no pattern can spell, shown escaped.
    pub refused: Vec<String>,
}

/// Maps every declaration file of the repository to the handles of its
/// owners.
pub fn build(model: &Model, sources: &SourceMap) -> Owners {
    let by_file = owners_by_file(model, sources);
    let governance = governance_teams(model);
    let mut out = Owners {
        folder: None,
        entries: Vec::new(),
        unowned: Vec::new(),
        refused: Vec::new(),
    };
    if let Some(file) = model.settings.file {
        let folder = match sources.name(file).rsplit_once('/') {
            Some((dir, _)) => pattern(&format!("{dir}/")),
            None => Some("*".to_string()),
        };
        if let Some(path) = folder {
            let entry = entry(model, path, &governance);
            if !entry.handles.is_empty() {
                out.folder = Some(entry);
            }
        }
    }
    let mut files: Vec<(&str, BTreeSet<TeamId>)> = by_file
        .into_iter()
        .map(|(file, teams)| {
            let teams = if teams.is_empty() {
                governance.clone()
            } else {
                teams
            };
            (sources.name(file), teams)
        })
        .collect();
    files.sort();
    for (name, teams) in files {
        let Some(path) = pattern(name) else {
            out.refused.push(name.escape_default().to_string());
            continue;
        };
        let entry = entry(model, path, &teams);
        if entry.handles.is_empty() {
            out.unowned.push(Unowned {
                path: entry.path,
                teams: entry.teams,
            });
        } else {
            out.entries.push(entry);
        }
    }
    out
}

/// The owning teams of every repository file, empty where the file
/// declares nothing that has an owner.
fn owners_by_file(model: &Model, sources: &SourceMap) -> BTreeMap<FileId, BTreeSet<TeamId>> {
    let mut by_file: BTreeMap<FileId, BTreeSet<TeamId>> = sources
        .iter()
        .filter(|(_, f)| !f.name.starts_with("builtin:"))
        .map(|(id, _)| (id, BTreeSet::new()))
        .collect();
    let mut own = |file: FileId, team: Option<TeamId>| {
        if let (Some(set), Some(team)) = (by_file.get_mut(&file), team) {
            set.insert(team);
        }
    };
    let accountable = |asset: &str| {
        model
            .assets
            .get(asset)
            .and_then(|a| a.owners.accountable.as_ref())
            .map(|t| t.value.clone())
    };
    for a in model.assets.values() {
        own(
            a.file,
            a.owners.accountable.as_ref().map(|t| t.value.clone()),
        );
    }
    for c in model.controls.values() {
        own(c.file, c.owner.as_ref().map(|t| t.value.clone()));
    }
    for e in model.exceptions.values() {
        own(e.file, accountable(e.asset.value.as_str()));
    }
    for f in model.findings.values() {
        own(f.file, accountable(f.asset.value.as_str()));
    }
    let stewards = stewards(model);
    for t in model.teams.values() {
        let steward = stewards.get(&t.id.value).copied().flatten();
        own(t.file, Some(steward.unwrap_or(&t.id.value).clone()));
    }
    let governance = governance_teams(model);
    let settings = model.settings.file;
    let catalogs = model
        .frameworks
        .values()
        .filter(|f| !f.builtin)
        .map(|f| f.id.span.file);
    for file in settings.into_iter().chain(catalogs) {
        for team in &governance {
            own(file, Some(team.clone()));
        }
    }
    by_file
}

/// Each team's steward: the team itself when it has a handle, else its
/// nearest ancestor with one; `None` where neither has one (the team is
/// reported as without a handle). One walk up per team at most, each
/// remembered, so a chain of parents costs its length, not its square.
fn stewards(model: &Model) -> BTreeMap<&TeamId, Option<&TeamId>> {
    let mut found: BTreeMap<&TeamId, Option<&TeamId>> = BTreeMap::new();
    for start in model.teams.keys() {
        let mut path: Vec<&TeamId> = Vec::new();
        let mut on_path: BTreeSet<&TeamId> = BTreeSet::new();
        let mut at = model.teams.get_key_value(start);
        let answer = loop {
            let Some((id, t)) = at else { break None };
            if let Some(known) = found.get(id) {
                break *known;
            }
            if t.handle.is_some() {
                break Some(id);
            }
            if !on_path.insert(id) {
                // A loop of parents without a handle: check reports it.
                break None;
            }
            path.push(id);
            at = t
                .parent
                .as_ref()
                .and_then(|p| model.teams.get_key_value(&p.value));
        };
        if let Some((id, _)) = at.filter(|(_, t)| t.handle.is_some()) {
            found.insert(id, Some(id));
        }
        for id in path {
            found.insert(id, answer);
        }
    }
    found
}

/// The active governance-function teams.
fn governance_teams(model: &Model) -> BTreeSet<TeamId> {
    model
        .teams
        .values()
        .filter(|t| t.active.value && model.is_governance_function(t))
        .map(|t| t.id.value.clone())
        .collect()
}

fn entry(model: &Model, path: String, teams: &BTreeSet<TeamId>) -> Entry {
    let mut handles = BTreeSet::new();
    let mut missing = Vec::new();
    for team in teams {
        match model.teams.get(team).and_then(|t| t.handle.as_ref()) {
            Some(h) => {
                handles.insert(Handle::as_str(h).to_string());
            }
            None => missing.push(team.to_string()),
        }
    }
    Entry {
        path,
        teams: teams.iter().map(ToString::to_string).collect(),
        handles: handles.into_iter().collect(),
        missing,
    }
}

/// Spells a repository-relative path as an anchored CODEOWNERS pattern
/// that matches only that path: a backslash before a space, `#`, the glob
/// characters `*`, `?`, `[`, `]` and the backslash itself. Returns `None`
/// for a control character or white space other than a space, which no
/// CODEOWNERS line can hold.
pub fn pattern(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    for c in path.chars() {
        if c.is_control() || (c.is_whitespace() && c != ' ') {
            return None;
        }
        if matches!(c, ' ' | '#' | '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::pattern;

    #[test]
    fn escapes_what_gitignore_rules_give_a_meaning() {
        assert_eq!(
            pattern("governance/assets/with space.toml").as_deref(),
            Some("/governance/assets/with\\ space.toml")
        );
        assert_eq!(
            pattern("g/#h*[1]?\\.toml").as_deref(),
            Some("/g/\\#h\\*\\[1\\]\\?\\\\.toml")
        );
    }

    #[test]
    fn refuses_line_breaks_and_other_white_space() {
        for bad in [
            "g/a\nb.toml",
            "g/a\rb.toml",
            "g/a\tb.toml",
            "g/a\u{a0}b.toml",
        ] {
            assert_eq!(pattern(bad), None, "{bad:?}");
        }
    }
}
