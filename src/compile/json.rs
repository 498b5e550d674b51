//! The JSON of the baseline: keys sorted, a newline at the end. Small
//! documents are pretty, two spaces an indent; the large ones a person
//! never reads whole are laid out by [`lines`]: pretty to a given depth and
//! compact below it, so each entity sits on a line of its own and a line
//! diff of two baselines still shows what changed. Typed documents declare
//! their fields in name order; JSON trees have their keys sorted before they
//! are written.

use serde::Serialize;
use serde_json::Value;

/// A typed document as a file: its fields must be declared in name order.
pub fn bytes(document: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::new();
    write_at(&mut out, document, 0);
    out.push(b'\n');
    out
}

/// A JSON tree as a file, its keys sorted first.
pub fn value_bytes(mut value: Value) -> Vec<u8> {
    sort_keys(&mut value);
    bytes(&value)
}

/// Sorts the keys of every object in `value`.
pub fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// A typed document as a file laid out by [`lines`] down to `pretty`
/// levels: its fields must be declared in name order.
pub fn lines_bytes(document: &impl Serialize, pretty: usize) -> Vec<u8> {
    let mut out = Vec::new();
    lines(&mut out, document, 0, pretty).expect("writing to memory cannot fail");
    out.push(b'\n');
    out
}

/// Writes `value` as pretty JSON, two spaces an indent, as if it sat
/// `depth` levels deep in a larger document.
pub fn write_at(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    lines(out, value, depth, usize::MAX).expect("writing to memory cannot fail");
}

/// Writes `value`, as if it sat `depth` levels deep in a larger document:
/// each item of an array and each key of an object opened above level
/// `pretty` starts a line of its own, indented two spaces a level; what lies
/// deeper is compact, with no space at all. With `pretty` 0 the whole value
/// is compact, as `serde_json::to_writer` writes it.
pub fn lines<W: std::io::Write>(
    out: W,
    value: &impl Serialize,
    depth: usize,
    pretty: usize,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Nested::at(depth, pretty));
    value.serialize(&mut serializer).map_err(|e| {
        if e.is_io() {
            std::io::Error::from(e)
        } else {
            // Baseline documents have string keys and finite numbers.
            unreachable!("baseline documents always serialize: {e}")
        }
    })
}

/// serde_json's pretty formatter, starting at a given depth and compact
/// below a given one.
struct Nested {
    depth: usize,
    pretty: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize, pretty: usize) -> Self {
        Nested {
            depth,
            pretty,
            has_value: false,
        }
    }

    /// Whether the items of the container now open go on lines of their
    /// own.
    fn spread(&self) -> bool {
        self.depth <= self.pretty
    }

    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        let spread = self.spread();
        self.depth -= 1;
        if self.has_value && spread {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !self.spread() {
            return if first { Ok(()) } else { w.write_all(b",") };
        }
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.spread() { b": " } else { b":" })
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_pretty_prints_with_keys_sorted() {
        let value = json!({
            "z": [1, [], {}, {"b": null, "a": [true, "x\n\"y"]}],
            "a": {"nested": {"deep": [[2.5]]}},
        });
        let mut sorted = value.clone();
        sort_keys(&mut sorted);
        let expected = serde_json::to_string_pretty(&sorted).unwrap() + "\n";
        assert_eq!(String::from_utf8(value_bytes(value)).unwrap(), expected);
        assert!(expected.starts_with("{\n  \"a\""), "{expected}");
    }

    #[test]
    fn lines_spread_the_upper_levels_and_compact_the_rest() {
        let value = json!({"a": [{"k": [1, 2], "l": {}}, []], "b": {"c": {"d": null}}});
        let written = |pretty| {
            let mut out = Vec::new();
            lines(&mut out, &value, 0, pretty).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(written(0), serde_json::to_string(&value).unwrap());
        assert_eq!(
            written(1),
            "{\n  \"a\": [{\"k\":[1,2],\"l\":{}},[]],\n  \"b\": {\"c\":{\"d\":null}}\n}"
        );
        assert_eq!(
            written(2),
            "{\n  \"a\": [\n    {\"k\":[1,2],\"l\":{}},\n    []\n  ],\n  \"b\": {\n    \"c\": {\"d\":null}\n  }\n}"
        );
        assert_eq!(
            written(usize::MAX),
            serde_json::to_string_pretty(&value).unwrap()
        );
        for pretty in [0, 1, 2, 3, usize::MAX] {
            let back: Value = serde_json::from_str(&written(pretty)).unwrap();
            assert_eq!(back, value, "{pretty}");
        }
    }

    #[test]
    fn writes_at_a_depth_as_if_nested() {
        let inner = json!({"k": [1, 2]});
        let whole = serde_json::to_string_pretty(&json!({"outer": inner})).unwrap();
        let mut out = b"{\n  \"outer\": ".to_vec();
        write_at(&mut out, &inner, 1);
        out.extend_from_slice(b"\n}");
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }
}
