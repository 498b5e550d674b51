//! The JSON of the baseline: pretty, two spaces an indent, keys sorted, a
//! newline at the end. Typed documents declare their fields in name order;
//! JSON trees have their keys sorted before they are written.

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

/// Writes `value` as pretty JSON, two spaces an indent, as if it sat
/// `depth` levels deep in a larger document.
pub fn write_at(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    let mut serializer = serde_json::Serializer::with_formatter(out, Nested::at(depth));
    value
        .serialize(&mut serializer)
        .expect("baseline documents always serialize");
}

/// serde_json's pretty formatter, starting at a given depth.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
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
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
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
        w.write_all(b": ")
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
    fn writes_at_a_depth_as_if_nested() {
        let inner = json!({"k": [1, 2]});
        let whole = serde_json::to_string_pretty(&json!({"outer": inner})).unwrap();
        let mut out = b"{\n  \"outer\": ".to_vec();
        write_at(&mut out, &inner, 1);
        out.extend_from_slice(b"\n}");
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }
}
