//! Which assets a drift need not compare: an asset is unchanged when
//! everything its comparison reads is equal on both sides, so comparing it
//! would find nothing. Most assets of two nearby commits are.
//!
//! Invariant: [`Context::unchanged`] is true only when the owners, the
//! privileges, the trust and the RACI matrix of the asset are equal on both
//! sides. It compares the inputs of each, so it may miss an asset that did
//! not change (it is then compared), never the reverse. The inputs are the
//! asset's values, wherever it was declared ([`Same`]: no comparison reads
//! a span); and, spans included, the trust threshold of the policy, the
//! activities, every control (which apply, and who owns them), the asset's
//! exceptions and the accountable owners of the assets it depends on.

use super::same::Same;
use crate::model::{Asset, AssetId, Model, TeamId};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// An asset id with its asset on each side: `None` where that side does
/// not hold it.
pub type Pair<'m> = (&'m AssetId, Option<&'m Asset>, Option<&'m Asset>);

/// Pairs the assets of both sides by id, in id order, walking both maps
/// once instead of looking each asset up in the other side.
pub fn pairs<'m>(before: &'m Model, after: &'m Model) -> Vec<Pair<'m>> {
    let mut out = Vec::with_capacity(before.assets.len().max(after.assets.len()));
    let (mut b, mut a) = (
        before.assets.iter().peekable(),
        after.assets.iter().peekable(),
    );
    loop {
        let order = match (b.peek(), a.peek()) {
            (None, None) => break,
            (Some((x, _)), Some((y, _))) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
        };
        let from = (order != Ordering::Greater).then(|| b.next()).flatten();
        let to = (order != Ordering::Less).then(|| a.next()).flatten();
        let Some(id) = from.or(to).map(|(id, _)| id) else {
            break;
        };
        out.push((id, from.map(|(_, x)| x), to.map(|(_, y)| y)));
    }
    out
}

/// What every asset's comparison reads beyond the asset, on both sides.
pub struct Context<'m> {
    /// The parts shared by every asset are equal.
    shared: bool,
    /// The ids whose accountable owner differs between the sides, an id
    /// that one side does not hold included: what a dependency on them
    /// changes.
    accountable: BTreeSet<&'m AssetId>,
    /// The assets whose exceptions differ between the sides.
    excepted: BTreeSet<&'m AssetId>,
}

impl<'m> Context<'m> {
    /// Compares what the two models share across assets, and finds the
    /// accountable owners and the exceptions that differ (`pairs`: the
    /// assets of both, [`pairs`]).
    pub fn new(before: &'m Model, after: &'m Model, pairs: &[Pair<'m>]) -> Self {
        let (b, a) = (&before.settings, &after.settings);
        let shared = b.policy.trust_threshold == a.policy.trust_threshold
            && b.activities == a.activities
            && before.controls == after.controls;
        fn accountable(asset: Option<&Asset>) -> Option<Option<&TeamId>> {
            asset.map(|d| d.owners.accountable.as_ref().map(|t| &t.value))
        }
        let excepted = before
            .exceptions_by_asset
            .keys()
            .chain(after.exceptions_by_asset.keys())
            .filter(|id| !before.exceptions_for(id).eq(after.exceptions_for(id)))
            .collect();
        Context {
            shared,
            accountable: pairs
                .iter()
                .filter(|(_, b, a)| accountable(*b) != accountable(*a))
                .map(|(id, _, _)| *id)
                .collect(),
            excepted,
        }
    }

    /// Returns true when comparing `b`, of the `before` side, with `a`, the
    /// asset of the same id on the `after` side, would find no change.
    pub fn unchanged(&self, b: &Asset, a: &Asset) -> bool {
        self.shared
            && b.same(a)
            && (self.accountable.is_empty()
                || !a
                    .depends_on
                    .iter()
                    .any(|d| self.accountable.contains(&d.value)))
            && !self.excepted.contains(&b.id.value)
    }
}

#[cfg(test)]
mod tests {
    use super::Same;
    use crate::drift::changes::diff_all;
    use crate::drift::{diff, Change, Kind};

    const SETTINGS: &str = "[organization]\nname = \"Corp\"\n\n[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\ntrust-threshold = 70\n\n[[activity]]\nid = \"operate\"\naccountable = \"accountable\"\nresponsible = [\"operator\"]\nconsulted = [\"control-owners\", \"dependency-owners\"]\n";

    const TEAMS: &str = "[[team]]\nid = \"product\"\n\n[[team]]\nid = \"eng\"\n\n[[team]]\nid = \"iam\"\n\n[[team]]\nid = \"secops\"\n";

    const ASSETS: &str = "[[asset]]\nid = \"report\"\nkind = \"dataset\"\ndepends-on = [\"agent\"]\nowners = { accountable = \"eng\", operator = \"eng\" }\n\n[[asset]]\nid = \"agent\"\nkind = \"agent\"\nowners = { accountable = \"product\", operator = \"eng\" }\ntrust = { score = 90 }\n\n[[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"product\", operator = \"eng\" }\n";

    const CONTROLS: &str = "[[control]]\nid = \"ALLOWLIST\"\ntitle = \"Agents call only declared tools\"\nowner = \"secops\"\napplies-to = { kinds = [\"agent\"] }\nmaps-to = [\"owasp-agentic-top10-2026:ASI02\"]\n\n[[control]]\nid = \"INVENTORY\"\ntitle = \"Every asset is in the inventory\"\nowner = \"eng\"\nmaps-to = [\"owasp-agentic-top10-2026:ASI10\"]\n";

    const EXCEPTION: &str = "[[exception]]\nid = \"EXC-1\"\nasset = \"notes\"\ncontrol = \"ALLOWLIST\"\napproved-by = \"product\"\ngranted = 2026-11-01\nexpires = 2026-12-01\n";

    fn base() -> Vec<(&'static str, String)> {
        vec![
            ("governance/governance.toml", SETTINGS.to_string()),
            ("governance/teams.toml", TEAMS.to_string()),
            ("governance/assets.toml", ASSETS.to_string()),
            ("governance/controls.toml", CONTROLS.to_string()),
        ]
    }

    /// What a user sees of each change.
    type Seen = (Kind, Option<String>, Option<String>, Option<String>, String);

    fn outcome(files: &[(&str, String)]) -> crate::check::Outcome {
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        crate::check::files(&files)
    }

    fn drift(before: &[(&str, String)], after: &[(&str, String)]) -> Vec<Seen> {
        let (b, a) = (outcome(before), outcome(after));
        seen(diff(&b.model, &a.model))
    }

    /// The drift comparing every asset, the unchanged ones too.
    fn full(before: &[(&str, String)], after: &[(&str, String)]) -> Vec<Seen> {
        let (b, a) = (outcome(before), outcome(after));
        seen(diff_all(&b.model, &a.model))
    }

    fn seen(changes: Vec<Change>) -> Vec<Seen> {
        changes
            .into_iter()
            .map(|c: Change| (c.kind, c.asset, c.before, c.after, c.message))
            .collect()
    }

    /// The same files with every asset declared further down its file:
    /// every span of every asset differs, and no value.
    fn moved(files: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
        files
            .iter()
            .map(|(n, t)| match *n == "governance/assets.toml" {
                true => (*n, format!("# moved down a line\n{t}")),
                false => (*n, t.clone()),
            })
            .collect()
    }

    /// The files with `from` in `file` replaced by `to`; a file not among
    /// them is added, holding `to`.
    fn edit(
        files: &[(&'static str, String)],
        file: &'static str,
        from: &str,
        to: &str,
    ) -> Vec<(&'static str, String)> {
        let mut files = files.to_vec();
        let Some(place) = files.iter().position(|(n, _)| *n == file) else {
            files.push((file, to.to_string()));
            return files;
        };
        assert!(files[place].1.contains(from), "{from} in {file}");
        files[place].1 = files[place].1.replacen(from, to, 1);
        files
    }

    #[test]
    fn a_change_to_what_assets_share_is_found_on_every_asset_it_touches() {
        let base = base();
        let owner = "owner = \"secops\"";
        let cases = [
            // Who owns a control: the RACI of the agent it applies to.
            (
                edit(&base, "governance/controls.toml", owner, "owner = \"iam\""),
                Kind::RaciChanged,
                "agent",
            ),
            // Whom a control applies to: the notes gain its owner.
            (
                edit(
                    &base,
                    "governance/controls.toml",
                    "kinds = [\"agent\"]",
                    "kinds = [\"agent\", \"dataset\"]",
                ),
                Kind::RaciChanged,
                "notes",
            ),
            // An exception: the notes gain the excepted control's owner.
            (
                edit(&base, "governance/exceptions.toml", "", EXCEPTION),
                Kind::RaciChanged,
                "notes",
            ),
            // A dependency's accountable owner: the report that depends on it.
            (
                edit(
                    &base,
                    "governance/assets.toml",
                    "accountable = \"product\", operator = \"eng\" }\ntrust",
                    "accountable = \"iam\", operator = \"eng\" }\ntrust",
                ),
                Kind::RaciChanged,
                "report",
            ),
            // A dependency removed: the report no longer consults its owner.
            (
                edit(
                    &base,
                    "governance/assets.toml",
                    "[[asset]]\nid = \"agent\"\nkind = \"agent\"\nowners = { accountable = \"product\", operator = \"eng\" }\ntrust = { score = 90 }\n",
                    "",
                ),
                Kind::RaciChanged,
                "report",
            ),
            // The policy's trust threshold: the agent now falls under it.
            (
                edit(
                    &base,
                    "governance/governance.toml",
                    "trust-threshold = 70",
                    "trust-threshold = 95",
                ),
                Kind::TrustDropped,
                "agent",
            ),
            // The activities: every asset's matrix.
            (
                edit(
                    &base,
                    "governance/governance.toml",
                    "responsible = [\"operator\"]",
                    "responsible = [\"accountable\"]",
                ),
                Kind::RaciChanged,
                "notes",
            ),
        ];
        for (after, kind, asset) in cases {
            let (b, a) = (outcome(&base), outcome(&after));
            assert_eq!(
                b.model.assets.get(asset),
                a.model.assets.get(asset),
                "`{asset}` is declared alike on both sides: only what it shares changed"
            );
            let found = drift(&base, &after);
            assert!(
                found
                    .iter()
                    .any(|c| c.0 == kind && c.1.as_deref() == Some(asset)),
                "{kind} of `{asset}` in {found:#?}"
            );
            assert_eq!(found, full(&base, &after), "as a full comparison finds");
            assert_eq!(
                drift(&moved(&base), &after),
                full(&moved(&base), &after),
                "from moved assets, as a full comparison finds"
            );
        }
    }

    /// What an earlier side held and the later one no longer does is found
    /// as a full comparison finds it: an exception, a dependency.
    #[test]
    fn what_only_the_earlier_side_holds_is_found_too() {
        let base = base();
        let excepted = edit(&base, "governance/exceptions.toml", "", EXCEPTION);
        let found = drift(&excepted, &base);
        assert!(
            found
                .iter()
                .any(|c| c.0 == Kind::RaciChanged && c.1.as_deref() == Some("notes")),
            "{found:#?}"
        );
        assert_eq!(found, full(&excepted, &base));
        let added = edit(
            &base,
            "governance/assets.toml",
            "depends-on = [\"agent\"]",
            "depends-on = [\"agent\", \"helper\"]",
        );
        let helper = format!(
            "{}\n[[asset]]\nid = \"helper\"\nkind = \"dataset\"\nowners = {{ accountable = \"iam\" }}\n",
            added[2].1
        );
        let mut with_helper = added.clone();
        with_helper[2].1 = helper;
        for (from, to) in [(&with_helper, &added), (&added, &with_helper)] {
            let found = drift(from, to);
            assert!(
                found
                    .iter()
                    .any(|c| c.0 == Kind::RaciChanged && c.1.as_deref() == Some("report")),
                "{found:#?}"
            );
            assert_eq!(found, full(from, to));
        }
    }

    #[test]
    fn equal_sides_have_no_drift_and_moved_assets_none_either() {
        let base = base();
        assert_eq!(drift(&base, &base), []);
        assert_eq!(drift(&moved(&base), &base), []);
    }

    /// An asset declared further down its file is the same asset, and one
    /// whose value changed is not, whatever field it is.
    #[test]
    fn a_moved_asset_is_the_same_and_an_edited_one_is_not() {
        let base = base();
        let (b, m) = (outcome(&base), outcome(&moved(&base)));
        for (id, asset) in &b.model.assets {
            let there = &m.model.assets[id];
            assert_ne!(asset, there, "`{id}` moved: its spans differ");
            assert!(asset.same(there), "`{id}` moved, its values did not");
        }
        let file = "governance/assets.toml";
        for (from, to, asset) in [
            (
                "operator = \"eng\" }\n\n",
                "operator = \"iam\" }\n\n",
                "report",
            ),
            ("score = 90", "score = 40", "agent"),
            (
                "kind = \"dataset\"\ndepends",
                "kind = \"model\"\ndepends",
                "report",
            ),
            (
                "depends-on = [\"agent\"]",
                "depends-on = [\"notes\"]",
                "report",
            ),
            (
                "id = \"notes\"\n",
                "id = \"notes\"\nrisk = \"high\"\n",
                "notes",
            ),
            (
                "trust = { score = 90 }",
                "identity = { type = \"workload\" }",
                "agent",
            ),
            (
                "trust = { score = 90 }",
                "tools = [{ id = \"t\", access = \"read\" }]",
                "agent",
            ),
        ] {
            let after = moved(&edit(&base, file, from, to));
            let now = &outcome(&after).model.assets[asset];
            assert!(!b.model.assets[asset].same(now), "{from} -> {to}");
            assert_eq!(drift(&base, &after), full(&base, &after), "{from} -> {to}");
        }
    }
}
