//! Resolves RACI activities to teams for one asset: which teams hold which
//! letters, and through which owner roles.
//!
//! A team gets every letter its roles give it in a cell, and never appears
//! twice in one cell. When the responsible roles name nobody for an asset,
//! the accountable owner is responsible: accountability never disappears.

use super::settings::Activity;
use super::vocab::Role;
use super::{Asset, Model, TeamId};
use std::collections::BTreeMap;

/// A RACI letter, in matrix order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Letter {
    A,
    R,
    C,
    I,
}

impl Letter {
    /// Returns the letter as written in matrices.
    pub fn as_str(self) -> &'static str {
        match self {
            Letter::A => "A",
            Letter::R => "R",
            Letter::C => "C",
            Letter::I => "I",
        }
    }
}

/// The letters one team holds in one activity, each with the roles that gave
/// it, in the order the activity lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'m> {
    pub team: &'m TeamId,
    pub letters: Vec<(Letter, Vec<Role>)>,
}

impl Cell<'_> {
    /// Returns the letters joined by `/`, such as `A/R`.
    pub fn letters_text(&self) -> String {
        let letters: Vec<&str> = self.letters.iter().map(|(l, _)| l.as_str()).collect();
        letters.join("/")
    }
}

/// One activity resolved for one asset.
#[derive(Clone, Debug)]
pub struct Row<'m> {
    pub activity: &'m Activity,
    /// Cells by team id. An activity that names nobody for a letter simply
    /// has no cell with it; [`gaps`] says which.
    pub cells: Vec<Cell<'m>>,
}

/// Returns the teams an owner role names for `asset`, without duplicates, in
/// id order for the derived roles.
pub fn teams_for<'m>(model: &'m Model, asset: &'m Asset, role: Role) -> Vec<&'m TeamId> {
    let o = &asset.owners;
    let one = |t: &'m Option<crate::source::Sp<TeamId>>| t.iter().map(|t| &t.value).collect();
    let mut teams: Vec<&TeamId> = match role {
        Role::Accountable => one(&o.accountable),
        Role::Operator => one(&o.operator),
        Role::Remediation => one(&o.remediation),
        Role::Approver => one(&o.approver),
        Role::Revoker => one(&o.revoker),
        Role::Incident => one(&o.incident),
        Role::Reviewers => o.reviewers.iter().map(|t| &t.value).collect(),
        Role::DependencyOwners => {
            let mut t: Vec<&TeamId> = asset
                .depends_on
                .iter()
                .filter_map(|d| model.assets.get(&d.value))
                .filter_map(|d| d.owners.accountable.as_ref().map(|a| &a.value))
                .collect();
            t.sort();
            t
        }
        Role::ControlOwners => {
            let excepted = model
                .exceptions_for(&asset.id.value)
                .filter_map(|e| model.controls.get(&e.control.value));
            let mut t: Vec<&TeamId> = model
                .controls_for(asset)
                .chain(excepted)
                .filter_map(|c| c.owner.as_ref().map(|o| &o.value))
                .collect();
            t.sort();
            t
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    teams.retain(|t| seen.insert(*t));
    teams
}

/// The teams every owner role names for one asset, computed once per
/// asset and shared by all its activities.
#[derive(Debug, PartialEq, Eq)]
pub struct RoleTeams<'m>(Vec<Vec<&'m TeamId>>);

impl<'m> RoleTeams<'m> {
    /// Resolves every role of `asset`.
    pub fn of(model: &'m Model, asset: &'m Asset) -> Self {
        RoleTeams(
            Role::ALL
                .iter()
                .map(|role| teams_for(model, asset, *role))
                .collect(),
        )
    }

    /// The teams `role` names.
    pub fn get(&self, role: Role) -> &[&'m TeamId] {
        &self.0[role as usize]
    }
}

/// Resolves every activity of the model for `asset`.
pub fn resolve<'m>(model: &'m Model, asset: &'m Asset) -> Vec<Row<'m>> {
    resolve_with(model, &RoleTeams::of(model, asset))
}

/// Resolves every activity from an asset's role teams.
pub fn resolve_with<'m>(model: &'m Model, roles: &RoleTeams<'m>) -> Vec<Row<'m>> {
    model
        .settings
        .activities
        .iter()
        .map(|activity| resolve_activity(roles, activity))
        .collect()
}

/// Returns, per activity, whether it lacks an accountable and whether it
/// lacks a responsible team, without building the cells.
pub fn gaps<'m>(model: &'m Model, roles: &RoleTeams<'_>) -> Vec<(&'m Activity, bool, bool)> {
    let names = |list: &[Role]| list.iter().any(|r| !roles.get(*r).is_empty());
    model
        .settings
        .activities
        .iter()
        .map(|a| {
            let no_accountable = roles.get(a.accountable).is_empty();
            let no_responsible = !names(&a.responsible) && roles.get(Role::Accountable).is_empty();
            (a, no_accountable, no_responsible)
        })
        .collect()
}

fn resolve_activity<'m>(roles: &RoleTeams<'m>, activity: &'m Activity) -> Row<'m> {
    let mut grants: BTreeMap<&'m TeamId, BTreeMap<Letter, Vec<Role>>> = BTreeMap::new();
    let mut give = |letter: Letter, list: &[Role]| -> bool {
        let mut any = false;
        for role in list {
            for team in roles.get(*role) {
                any = true;
                let held = grants.entry(team).or_default().entry(letter).or_default();
                if !held.contains(role) {
                    held.push(*role);
                }
            }
        }
        any
    };
    give(Letter::A, &[activity.accountable]);
    if !give(Letter::R, &activity.responsible) {
        give(Letter::R, &[Role::Accountable]);
    }
    give(Letter::C, &activity.consulted);
    give(Letter::I, &activity.informed);
    let cells = grants
        .into_iter()
        .map(|(team, letters)| Cell {
            team,
            letters: letters.into_iter().collect(),
        })
        .collect();
    Row { activity, cells }
}
