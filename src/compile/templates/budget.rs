//! What the render of a replaced template may spend: fuel (minijinja's
//! count of executed instructions) and output bytes, both scaled with the
//! size of the context the template receives, so that a template doing the
//! work of the built-in one never meets a limit at any repository size
//! while a template that loops for ever or grows without end is stopped
//! early. The built-in templates render without a budget: their work is in
//! proportion to their context, and weighing it would cost about as much.
//!
//! The size of a context is its weight: one per value, plus the bytes of its
//! strings. Measured on the benchmark generator's repository of 10,000
//! assets, the built-in templates spend at most 1.6 fuel and write at most
//! 1.3 bytes per unit of weight (raci-asset.md; the large contexts, such as
//! report.html's 3.7 million, spend under 0.6), and no render needs more
//! than 1,500 fuel or 3,000 bytes beyond that. The budgets allow over 12
//! times those ratios, so they hold at 100,000 assets and beyond, and floors
//! over 100 times what a small context needs. An endless template on the
//! example repository stops after about a million steps, in under a second.

use minijinja::value::{Value, ValueKind};
use std::io::Write;

/// Fuel every render may spend whatever its context.
pub const FUEL_FLOOR: u64 = 200_000;
/// Fuel allowed per unit of context weight, on top of the floor.
pub const FUEL_PER_WEIGHT: u64 = 20;
/// Bytes every render may write whatever its context: 16 MiB.
pub const OUTPUT_FLOOR: u64 = 16 * 1024 * 1024;
/// Bytes allowed per unit of context weight, on top of the floor.
pub const OUTPUT_PER_WEIGHT: u64 = 16;

/// The limits of one render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub fuel: u64,
    pub output: u64,
}

impl Budget {
    /// No limit: the budget of a built-in template.
    pub const UNBOUNDED: Budget = Budget {
        fuel: u64::MAX,
        output: u64::MAX,
    };

    /// Returns the budget of a render of `context`.
    pub fn for_context(context: &Value) -> Budget {
        let weight = weight(context);
        Budget {
            fuel: FUEL_FLOOR.saturating_add(FUEL_PER_WEIGHT.saturating_mul(weight)),
            output: OUTPUT_FLOOR.saturating_add(OUTPUT_PER_WEIGHT.saturating_mul(weight)),
        }
    }
}

/// Returns the weight of a value: one per value, plus the bytes of strings
/// and map keys, counted without recursion so that depth cannot overflow
/// the stack. A list is walked item by item, so a list made as it is read
/// ([`super::rows::Rows`]) is never made whole.
pub fn weight(value: &Value) -> u64 {
    let mut total: u64 = 0;
    let mut stack: Vec<Box<dyn Iterator<Item = Value>>> =
        vec![Box::new(std::iter::once(value.clone()))];
    while let Some(open) = stack.last_mut() {
        let Some(v) = open.next() else {
            stack.pop();
            continue;
        };
        total = total.saturating_add(1);
        match v.kind() {
            ValueKind::String => {
                let len = v.as_str().map_or(0, str::len);
                total = total.saturating_add(len as u64);
            }
            ValueKind::Seq => {
                if let Ok(items) = v.try_iter() {
                    stack.push(Box::new(items));
                }
            }
            ValueKind::Map => {
                if let Ok(keys) = v.try_iter() {
                    let map = v.clone();
                    stack.push(Box::new(keys.flat_map(move |key| {
                        let item = map.get_item(&key).ok();
                        std::iter::once(key).chain(item)
                    })));
                }
            }
            _ => {}
        }
    }
    total
}

/// A writer that passes bytes on to `inner` and refuses to pass more than
/// its limit.
#[derive(Debug)]
pub struct Bounded<W> {
    pub inner: W,
    written: u64,
    limit: u64,
    /// Set when a write was refused for the limit.
    pub exceeded: bool,
    /// The first failure of `inner` itself, such as a full disk.
    pub failed: Option<std::io::Error>,
}

impl Bounded<Vec<u8>> {
    /// Returns an empty writer into memory that takes at most `limit` bytes.
    pub fn new(limit: u64) -> Self {
        Bounded::over(Vec::new(), limit)
    }
}

impl<W: Write> Bounded<W> {
    /// Returns a writer into `inner` that passes at most `limit` bytes.
    pub fn over(inner: W, limit: u64) -> Self {
        Bounded {
            inner,
            written: 0,
            limit,
            exceeded: false,
            failed: None,
        }
    }
}

impl<W: Write> Write for Bounded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let after = self.written.saturating_add(buf.len() as u64);
        if after > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("output limit reached"));
        }
        match self.inner.write_all(buf) {
            Ok(()) => {
                self.written = after;
                Ok(buf.len())
            }
            Err(e) => {
                let again = std::io::Error::new(e.kind(), e.to_string());
                self.failed.get_or_insert(e);
                Err(again)
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_counts_values_and_text() {
        let v = Value::from_serialize(serde_json::json!({"ab": ["cde", 1]}));
        // map 1 + key 1+2 + seq 1 + "cde" 1+3 + 1 = 10
        assert_eq!(weight(&v), 10);
    }

    #[test]
    fn the_writer_stops_at_its_limit() {
        let mut w = Bounded::new(4);
        assert!(w.write_all(b"abcd").is_ok());
        assert!(w.write_all(b"e").is_err());
        assert!(w.exceeded);
        assert_eq!(w.inner, b"abcd");
    }
}
