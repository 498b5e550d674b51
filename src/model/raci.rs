//! Resolves RACI activities to teams for one asset: which teams hold which
//! letters, and through which owner roles.
//!
//! A team gets every letter its roles give it in a cell, and never appears
//! twice in one cell. When the responsible roles name nobody for an asset,
//! the accountable owner is responsible: accountability never disappears.

use super::settings::Activity;
use super::vocab::Role;
use super::{Asset, Control, Model, TeamId};
use crate::source::Sp;

super::vocab::vocab! {
    /// A RACI letter, in matrix order.
    Letter { A = "A", R = "R", C = "C", I = "I" }
}

/// The letters one team holds in one activity, each with the roles that gave
/// it, in the order the activity lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'m> {
    pub team: &'m TeamId,
    pub letters: Letters,
}

/// The roles behind one letter, in the order the activity lists them.
pub type Roles = Inline<Role, { Role::ALL.len() }>;

/// The letters of one cell in matrix order, each with its roles.
pub type Letters = Inline<(Letter, Roles), 4>;

impl Cell<'_> {
    /// Returns the letters joined by `/`, such as `A/R`.
    pub fn letters_text(&self) -> &'static str {
        // Letters come in matrix order, so each set has one spelling: the
        // table is indexed by the set's bits, A first.
        const TEXT: [&str; 16] = [
            "", "A", "R", "A/R", "C", "A/C", "R/C", "A/R/C", "I", "A/I", "R/I", "A/R/I", "C/I",
            "A/C/I", "R/C/I", "A/R/C/I",
        ];
        let bits = self
            .letters
            .iter()
            .fold(0, |bits, (l, _)| bits | 1 << (*l as usize));
        TEXT[bits]
    }
}

/// A short list held inline, never longer than `N`: a matrix has millions
/// of cells, and each would otherwise allocate its letters and roles.
#[derive(Clone, Copy)]
pub struct Inline<T: Copy, const N: usize> {
    len: u8,
    items: [T; N],
}

impl<T: Copy, const N: usize> Inline<T, N> {
    /// An empty list; `fill` only pads the unused places.
    fn new(fill: T) -> Self {
        Inline {
            len: 0,
            items: [fill; N],
        }
    }

    /// Appends `item`. Callers never exceed `N`: there are four letters and
    /// each role gives a letter once.
    fn push(&mut self, item: T) {
        self.items[usize::from(self.len)] = item;
        self.len += 1;
    }

    pub fn as_slice(&self) -> &[T] {
        &self.items[..usize::from(self.len)]
    }
}

impl<T: Copy, const N: usize> std::ops::Deref for Inline<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<'a, T: Copy, const N: usize> IntoIterator for &'a Inline<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// Lists are equal when their items are: the padding never counts.
impl<T: Copy + PartialEq, const N: usize> PartialEq for Inline<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Copy + Eq, const N: usize> Eq for Inline<T, N> {}

impl<T: Copy + std::fmt::Debug, const N: usize> std::fmt::Debug for Inline<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
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
    role_teams(model, asset, role, model.controls_for(asset))
}

/// [`teams_for`], given the controls that apply to `asset`.
fn role_teams<'m>(
    model: &'m Model,
    asset: &'m Asset,
    role: Role,
    controls: impl Iterator<Item = &'m Control>,
) -> Vec<&'m TeamId> {
    let mut teams: Vec<&TeamId> = named(model, asset, role, controls).collect();
    if role.is_derived() {
        // Sorted, the repeats sit side by side: the owners of a hundred
        // controls are a handful of teams.
        teams.sort_unstable();
        teams.dedup();
        // The list had a place per control; a build keeps one per asset.
        teams.shrink_to_fit();
        return teams;
    }
    let mut seen = std::collections::BTreeSet::new();
    teams.retain(|t| seen.insert(*t));
    teams
}

/// Returns whether `role` names any team for `asset`: [`teams_for`] is not
/// empty, found without listing the teams.
pub fn names_any(model: &Model, asset: &Asset, role: Role) -> bool {
    named(model, asset, role, model.controls_for(asset))
        .next()
        .is_some()
}

/// The teams `role` names for `asset`, as declared or derived, with repeats:
/// the owners under [asset.owners], the accountable owners of the assets it
/// depends on, or the owners of `controls` and of the controls it has
/// exceptions from.
fn named<'m: 'c, 'c>(
    model: &'m Model,
    asset: &'m Asset,
    role: Role,
    controls: impl Iterator<Item = &'m Control> + 'c,
) -> Box<dyn Iterator<Item = &'m TeamId> + 'c> {
    let o = &asset.owners;
    let declared = |teams: &'m [Sp<TeamId>]| -> Box<dyn Iterator<Item = &'m TeamId> + 'c> {
        Box::new(teams.iter().map(|t| &t.value))
    };
    match role {
        Role::Accountable => declared(o.accountable.as_slice()),
        Role::Operator => declared(o.operator.as_slice()),
        Role::Remediation => declared(o.remediation.as_slice()),
        Role::Approver => declared(o.approver.as_slice()),
        Role::Revoker => declared(o.revoker.as_slice()),
        Role::Incident => declared(o.incident.as_slice()),
        Role::Reviewers => declared(&o.reviewers),
        Role::DependencyOwners => Box::new(
            asset
                .depends_on
                .iter()
                .filter_map(|d| model.assets.get(&d.value))
                .filter_map(|d| d.owners.accountable.as_ref().map(|a| &a.value)),
        ),
        Role::ControlOwners => {
            let excepted = model
                .exceptions_for(&asset.id.value)
                .filter_map(|e| model.controls.get(&e.control.value));
            Box::new(
                controls
                    .chain(excepted)
                    .filter_map(|c| c.owner.as_ref().map(|o| &o.value)),
            )
        }
    }
}

/// The teams every owner role names for one asset, computed once per
/// asset and shared by all its activities. Each team is held once, in id
/// order, and each role lists the places of its teams there: an activity
/// then finds and orders its cells by place, comparing no team ids.
#[derive(Debug, PartialEq, Eq)]
pub struct RoleTeams<'m> {
    /// Every team some role names, in id order, once.
    teams: Vec<&'m TeamId>,
    /// Per role, the places of its teams in `teams`, in the role's order.
    places: Vec<Vec<u32>>,
}

impl<'m> RoleTeams<'m> {
    /// Resolves every role of `asset`.
    pub fn of(model: &'m Model, asset: &'m Asset) -> Self {
        let controls: Vec<&Control> = model.controls_for(asset).collect();
        RoleTeams::with_controls(model, asset, &controls)
    }

    /// Resolves every role of `asset`, given the controls that apply to it.
    pub fn with_controls(model: &'m Model, asset: &'m Asset, controls: &[&'m Control]) -> Self {
        RoleTeams::from_roles(
            Role::ALL
                .iter()
                .map(|role| role_teams(model, asset, *role, controls.iter().copied()))
                .collect(),
        )
    }

    /// Holds `roles`, the teams of each role in [`Role::ALL`] order.
    fn from_roles(roles: Vec<Vec<&'m TeamId>>) -> Self {
        let mut teams: Vec<&TeamId> = roles.iter().flatten().copied().collect();
        teams.sort_unstable();
        teams.dedup();
        teams.shrink_to_fit();
        let place = |team: &TeamId| {
            let at = teams
                .binary_search(&team)
                .expect("every team of a role is in the union of all roles' teams");
            u32::try_from(at).expect("an asset's roles name fewer than 2^32 teams")
        };
        let places = roles
            .iter()
            .map(|teams| teams.iter().map(|t| place(t)).collect())
            .collect();
        RoleTeams { teams, places }
    }

    /// The places of the teams `role` names, in the role's order.
    fn places(&self, role: Role) -> &[u32] {
        &self.places[role as usize]
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
/// lacks a responsible team, without building the cells. `names` says
/// whether a role names any team for the asset.
pub fn gaps(model: &Model, names: impl Fn(Role) -> bool) -> Vec<(&Activity, bool, bool)> {
    model
        .settings
        .activities
        .iter()
        .map(|a| {
            let no_accountable = !names(a.accountable);
            let no_responsible =
                !a.responsible.iter().any(|r| names(*r)) && !names(Role::Accountable);
            (a, no_accountable, no_responsible)
        })
        .collect()
}

fn resolve_activity<'m>(roles: &RoleTeams<'m>, activity: &'m Activity) -> Row<'m> {
    // Letters are given in matrix order, so each team's letters arrive
    // sorted, and the roles of one letter arrive together. Cells are held
    // by their team's place until they are sorted.
    let mut cells: Vec<(u32, Letters)> = Vec::new();
    let mut give = |letter: Letter, list: &[Role]| -> bool {
        let mut any = false;
        for role in list {
            for &place in roles.places(*role) {
                any = true;
                let at = match cells.iter().position(|(p, _)| *p == place) {
                    Some(at) => at,
                    None => {
                        cells.push((place, Inline::new((letter, Inline::new(*role)))));
                        cells.len() - 1
                    }
                };
                let letters = &mut cells[at].1;
                match letters.len.checked_sub(1).map(usize::from) {
                    Some(last) if letters.items[last].0 == letter => {
                        let held = &mut letters.items[last].1;
                        if !held.contains(role) {
                            held.push(*role);
                        }
                    }
                    _ => {
                        let mut held = Inline::new(*role);
                        held.push(*role);
                        letters.push((letter, held));
                    }
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
    // Places follow team ids, so this is id order.
    cells.sort_unstable_by_key(|(place, _)| *place);
    let cells = cells
        .into_iter()
        .map(|(place, letters)| Cell {
            team: roles.teams[place as usize],
            letters,
        })
        .collect();
    Row { activity, cells }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_lists_compare_by_their_items_only() {
        let mut a = Roles::new(Role::Operator);
        let mut b = Roles::new(Role::Revoker);
        assert_eq!(a, b);
        a.push(Role::Approver);
        b.push(Role::Approver);
        assert_eq!(a, b);
        assert_eq!(a.as_slice(), [Role::Approver]);
        b.push(Role::Operator);
        assert_ne!(a, b);
        assert_eq!(format!("{b:?}"), "[Approver, Operator]");
    }

    #[test]
    fn a_team_in_several_roles_gets_each_letter_once_with_every_role() {
        let team = |id: &str| TeamId(id.to_string());
        let (ops, sec) = (team("ops"), team("sec"));
        let mut by_role: Vec<Vec<&TeamId>> = vec![Vec::new(); Role::ALL.len()];
        by_role[Role::Accountable as usize] = vec![&sec];
        by_role[Role::Operator as usize] = vec![&ops];
        // Met before `ops` and listed before it: cells still go in id order.
        by_role[Role::Remediation as usize] = vec![&sec, &ops];
        let activity = Activity {
            id: "fix".into(),
            title: "Fix".into(),
            accountable: Role::Accountable,
            responsible: vec![Role::Remediation],
            consulted: vec![Role::Operator, Role::Remediation],
            informed: vec![Role::Approver],
        };
        let row = resolve_activity(&RoleTeams::from_roles(by_role), &activity);
        let cells: Vec<(&str, String, Vec<Vec<Role>>)> = row
            .cells
            .iter()
            .map(|c| {
                let roles = c.letters.iter().map(|(_, r)| r.to_vec()).collect();
                (c.team.as_str(), c.letters_text().to_string(), roles)
            })
            .collect();
        assert_eq!(
            cells,
            [
                (
                    "ops",
                    "R/C".to_string(),
                    vec![
                        vec![Role::Remediation],
                        vec![Role::Operator, Role::Remediation]
                    ]
                ),
                (
                    "sec",
                    "A/R/C".to_string(),
                    vec![
                        vec![Role::Accountable],
                        vec![Role::Remediation],
                        vec![Role::Remediation]
                    ]
                ),
            ]
        );
    }

    /// `names_any` must agree with listing the teams, for every role of
    /// every asset of the example and of the bundles fixture.
    #[test]
    fn names_any_agrees_with_the_teams_a_role_lists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for repo in [root.to_path_buf(), root.join("tests/fixtures/bundles")] {
            let inputs = crate::load::worktree::inputs(&repo, "governance").unwrap();
            let today = jiff::civil::Date::new(2026, 11, 23).unwrap();
            let model = crate::check::check(inputs, today).model;
            assert!(model.assets.len() > 3, "{}", repo.display());
            for asset in model.assets.values() {
                for role in Role::ALL {
                    assert_eq!(
                        names_any(&model, asset, *role),
                        !teams_for(&model, asset, *role).is_empty(),
                        "{} {role:?}",
                        asset.id.value
                    );
                }
            }
        }
    }
}
