//! Sets of assets as bits.

use super::AssetId;

/// A set of assets, as bits over the model's assets in id order: the
/// assets behind one requirement are unions of whole controls, thousands
/// at a time.
#[derive(Clone, Debug, Default)]
pub struct AssetSet(Vec<u64>);

impl AssetSet {
    /// Adds the asset at position `at`.
    pub fn insert(&mut self, at: usize) {
        let word = at / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (at % 64);
    }

    /// How many assets the set holds.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The set of `assets`, a sublist of `ids` in the same order.
    pub(super) fn of(ids: &[&AssetId], assets: &[&AssetId]) -> Self {
        let mut set = AssetSet(vec![0; ids.len().div_ceil(64)]);
        let mut at = 0;
        for asset in assets {
            // Both lists are in id order, so one forward walk finds them all.
            while at < ids.len() && ids[at] != *asset {
                at += 1;
            }
            if at == ids.len() {
                // Not in order after all: look it up from the start.
                at = ids.iter().position(|i| i == asset).unwrap_or(ids.len());
            }
            if at < ids.len() {
                set.0[at / 64] |= 1 << (at % 64);
            }
        }
        set
    }

    pub(super) fn union(&mut self, other: &AssetSet) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    /// The ids in the set, in id order.
    pub(super) fn names<'m>(&self, ids: &[&'m str]) -> Vec<&'m str> {
        let mut out = Vec::new();
        for (w, word) in self.0.iter().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                out.push(ids[w * 64 + bits.trailing_zeros() as usize]);
                bits &= bits - 1;
            }
        }
        out
    }
}
