//! Parsing beside a read: while one thread decodes the files of a side
//! from Git (a repository handle is not `Send`, so one thread decodes
//! them all), the other cores parse the files already decoded that
//! [`super::load_two`] will want parsed, instead of idling until the
//! read is over. A drift's two sides share most files, and the later
//! side's shared files are known by their blob ids before a byte is read.
//!
//! Invariant: a file parsed ahead is what [`parse_one`] gives for it at
//! its place, and it is used only for the input at that place with the
//! same name, kind and bytes ([`Ahead::take`]); every other input is
//! parsed as if nothing was parsed ahead. A file offered but not begun
//! when the read ends is left for the caller, so the read never waits for
//! the parsers beyond the file each has in hand.

use super::{parse_one, Body, Input, Parsed};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Files offered for parsing and what their parsers gave.
#[derive(Debug, Default)]
pub struct Ahead {
    queue: Mutex<Queue>,
    offered: Condvar,
    parsed: Mutex<Vec<(usize, bool, Parsed)>>,
}

/// The files offered and not yet begun, by place, and whether the read
/// is over.
#[derive(Debug, Default)]
struct Queue {
    files: VecDeque<(usize, Input)>,
    closed: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Ahead {
    /// Runs `read` on this thread with parsers beside it, one for each
    /// core past the first, which parse the files `read` offers
    /// ([`Ahead::offer`]) until it returns. Where no thread can be started,
    /// `read` runs alone and nothing is parsed ahead.
    pub fn beside<R>(&self, read: impl FnOnce(&Self) -> R) -> R {
        /// Ends the parsers when the read returns, or unwinds.
        struct Close<'a>(&'a Ahead);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                let mut queue = lock(&self.0.queue);
                queue.closed = true;
                queue.files.clear();
                self.0.offered.notify_all();
            }
        }
        let parsers = rayon::current_num_threads().saturating_sub(1).max(1);
        std::thread::scope(|scope| {
            // Dropped when `read` returns, before the scope joins them.
            let _close = Close(self);
            for _ in 0..parsers {
                let started = std::thread::Builder::new()
                    .name("govern-parse-ahead".into())
                    .spawn_scoped(scope, || self.parse_offered());
                if started.is_err() {
                    break;
                }
            }
            read(self)
        })
    }

    /// Offers a copy of `input`, the later side's file at place `index`,
    /// to the parsers.
    pub fn offer(&self, index: usize, input: &Input) {
        let mut queue = lock(&self.queue);
        if !queue.closed {
            queue.files.push_back((index, input.clone()));
            self.offered.notify_one();
        }
    }

    /// One parser: parses what is offered, in order, until the read ends.
    fn parse_offered(&self) {
        loop {
            let (index, input) = {
                let mut queue = lock(&self.queue);
                loop {
                    if let Some(file) = queue.files.pop_front() {
                        break file;
                    }
                    if queue.closed {
                        return;
                    }
                    queue = self
                        .offered
                        .wait(queue)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            let is_settings = input.is_settings;
            let parsed = parse_one(index, input);
            lock(&self.parsed).push((index, is_settings, parsed));
        }
    }

    /// What was parsed, by place, for `inputs`: the parse of each input
    /// that one was made from, else `None`.
    pub(super) fn take(self, inputs: &[Input]) -> Vec<Option<Parsed>> {
        let mut places: Vec<Option<Parsed>> = (0..inputs.len()).map(|_| None).collect();
        let parsed = self
            .parsed
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        for (index, is_settings, parsed) in parsed {
            let Some(input) = inputs.get(index) else {
                continue;
            };
            let same = parsed.0 == input.name
                && is_settings == input.is_settings
                && matches!(&input.body, Body::Bytes(b) if *b == parsed.1.as_bytes());
            if same {
                places[index] = Some(parsed);
            }
        }
        places
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_two;
    use std::time::{Duration, Instant};

    fn input(name: &str, text: &str) -> Input {
        Input {
            name: format!("governance/{name}"),
            is_settings: false,
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    const TEAM: &str = "[[team]]\nid = \"t\"\nmood = 1\n";
    const ASSET: &str = "[[asset]]\nid = \"a\"\nkind = \"agent\"\n";

    /// Runs `offer` beside a read that waits until `n` files are parsed,
    /// so that the test sees the parsers' work, not a race with them.
    fn parsed_ahead(n: usize, offer: impl FnOnce(&Ahead)) -> Ahead {
        let ahead = Ahead::default();
        ahead.beside(|ahead| {
            offer(ahead);
            let deadline = Instant::now() + Duration::from_secs(10);
            while lock(&ahead.parsed).len() < n {
                assert!(
                    Instant::now() < deadline,
                    "the parsers parse what is offered"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        ahead
    }

    /// Files parsed ahead are taken where they fit, and only there: a
    /// parse offered for another place, name, kind or text than the input
    /// the caller holds there is parsed again, so both sides load as
    /// without any parsed ahead.
    #[test]
    fn what_was_parsed_ahead_is_used_only_where_it_fits() {
        let before = vec![input("a.toml", ASSET), input("t.toml", TEAM)];
        let after = vec![
            input("a.toml", &ASSET.replace("agent", "model")),
            input("t.toml", TEAM),
            input("u.toml", TEAM),
        ];
        let settings = Input {
            is_settings: true,
            ..after[1].clone()
        };
        let offers: [(usize, Input); 5] = [
            (1, after[1].clone()),
            (0, after[1].clone()),
            (2, input("v.toml", TEAM)),
            (2, input("u.toml", ASSET)),
            (1, settings),
        ];
        for (place, offered) in offers {
            let offer = |ahead: &Ahead| ahead.offer(place, &offered);
            let fits = place == 1 && !offered.is_settings;
            let taken = parsed_ahead(1, offer).take(&after);
            assert_eq!(
                taken.iter().map(Option::is_some).collect::<Vec<_>>(),
                [false, fits, false],
                "{place} {offered:?}"
            );
            let ahead = parsed_ahead(1, offer);
            let (b, a) = load_two(before.clone(), after.clone(), ahead);
            let (want_b, want_a) = load_two(before.clone(), after.clone(), Ahead::default());
            assert_eq!(b.view(), want_b.view(), "{place} {offered:?}");
            assert_eq!(a.view(), want_a.view(), "{place} {offered:?}");
        }
    }

    /// The parsers end with the read, however it ends: a read that fails
    /// or unwinds with files still offered returns, leaving them unparsed.
    #[test]
    fn the_parsers_end_when_the_read_ends() {
        let ahead = Ahead::default();
        let many: Vec<Input> = (0..2_000)
            .map(|i| input(&format!("{i}.toml"), TEAM))
            .collect();
        let failed: Result<(), &str> = ahead.beside(|ahead| {
            for (i, file) in many.iter().enumerate() {
                ahead.offer(i, file);
            }
            Err("the read failed")
        });
        assert_eq!(failed, Err("the read failed"));
        assert!(lock(&ahead.parsed).len() < many.len(), "left unparsed");
        assert!(lock(&ahead.queue).files.is_empty());
        // Nothing offered after the read is kept.
        ahead.offer(0, &many[0]);
        assert!(lock(&ahead.queue).files.is_empty());

        let ahead = Ahead::default();
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ahead.beside(|ahead| {
                ahead.offer(0, &many[0]);
                panic!("the reader panicked");
            })
        }));
        assert!(unwound.is_err());
        assert!(lock(&ahead.queue).closed);
    }
}
