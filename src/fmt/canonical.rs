//! One declaration file in its canonical form, keeping every comment and
//! the order of its tables: within a table, keys in the order of the
//! format's own field table ([`crate::load::format`]), unknown keys after
//! them as written; one space around `=`; an array on one line when its
//! line fits in [`WIDTH`] columns, else one item a line; single-line
//! strings quoted as TOML's default does. What a file means never changes:
//! only its layout does.

use crate::load::format::{catalog, crosswalks, declarations, settings, Kind, Ty};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

/// The message of a file whose layout cannot be kept.
pub const UNKEPT: &str = "its layout cannot be kept (an inline table written over several lines?)";

/// The widest line an array is kept on.
pub const WIDTH: usize = 100;

/// The indent of an array's items when it takes a line each.
pub const INDENT: &str = "  ";

/// Where a file cannot be read as TOML: the message and its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
}

/// Returns `text` in canonical form; `is_settings` is true for
/// governance.toml. A text that is not TOML is returned as an error,
/// never rewritten.
/// A file that starts with a byte-order mark keeps it, and one whose lines
/// end in CR LF keeps those line ends.
pub fn format(text: &str, is_settings: bool) -> Result<String, ParseError> {
    let bom = text.starts_with('\u{feff}');
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut doc: DocumentMut = body.parse().map_err(|e: toml_edit::TomlError| ParseError {
        message: e.message().to_string(),
        span: e.span().map(|s| {
            let shift = text.len() - body.len();
            s.start + shift..s.end + shift
        }),
    })?;
    let lf = |t: &str| t.replace("\r\n", "\n");
    if lf(&doc.to_string()) != lf(body) {
        // What toml_edit cannot write back as it read it (an inline table
        // over several lines, which TOML 1.1 allows), fmt cannot keep.
        return Err(ParseError {
            message: UNKEPT.into(),
            span: None,
        });
    }
    let roots = roots(doc.as_table(), is_settings);
    table(doc.as_table_mut(), &roots);
    let mut out = doc.to_string();
    if body.contains("\r\n") {
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if bom {
        out.insert(0, '\u{feff}');
    }
    Ok(out)
}

/// The kinds whose fields may sit at the top of the file, as the loader
/// decides it (`load::parse::document`).
fn roots(top: &Table, is_settings: bool) -> Vec<&'static Kind> {
    let has = |kind: &Kind| kind.keys().any(|key| top.contains_key(key));
    if has(&catalog::TABLE) {
        vec![&catalog::TABLE]
    } else if has(&crosswalks::TABLE) {
        vec![&crosswalks::TABLE]
    } else if is_settings {
        vec![&declarations::TABLE, &settings::TABLE]
    } else {
        vec![&declarations::TABLE]
    }
}

/// The field `key` of the first of `kinds` that has it, and its place in
/// documentation order; unknown keys come after every known one.
fn field(kinds: &[&'static Kind], key: &str) -> (usize, Option<Ty>) {
    let mut offset = 0;
    for kind in kinds {
        if let Some(at) = kind.fields.iter().position(|f| f.key == key) {
            return (offset + at, Some(kind.fields[at].ty));
        }
        offset += kind.fields.len();
    }
    (usize::MAX, None)
}

/// The kind of the tables a field of type `ty` holds, if any.
fn sub_kind(ty: Option<Ty>) -> Vec<&'static Kind> {
    match ty {
        Some(Ty::Table(k) | Ty::Tables(k) | Ty::Refs(k)) => vec![k],
        _ => Vec::new(),
    }
}

/// Puts the keys of `t` in order and formats each value, then the tables
/// below it.
fn table(t: &mut Table, kinds: &[&'static Kind]) {
    t.sort_values_by(|a, _, b, _| field(kinds, a.get()).0.cmp(&field(kinds, b.get()).0));
    for (mut key, item) in t.iter_mut() {
        let (_, ty) = field(kinds, key.get());
        let inner = sub_kind(ty);
        match item {
            Item::Value(value) => {
                space_key(&mut key);
                let width = key.display_repr().chars().count();
                self::value(value, &inner, width, true);
            }
            Item::Table(sub) => {
                // A `[header]` table keeps its decor; a dotted one is a key.
                if sub.is_dotted() {
                    space_key(&mut key);
                }
                match ty {
                    Some(Ty::Rules) => rules(sub),
                    _ => table(sub, &inner),
                }
            }
            Item::ArrayOfTables(tables) => {
                for t in tables.iter_mut() {
                    table(t, &inner);
                }
            }
            Item::None => {}
        }
    }
}

/// `[rules]`: codes in the order of the diagnostics catalogue, unknown
/// ones after them as written.
fn rules(t: &mut Table) {
    let rank = |key: &str| {
        crate::diag::Code::rules()
            .position(|c| c.name() == key)
            .unwrap_or(usize::MAX)
    };
    t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
    for (mut key, item) in t.iter_mut() {
        if let Item::Value(v) = item {
            space_key(&mut key);
            value(v, &[], 0, true);
        }
    }
}

/// One space before `=`; the comments above the key stay.
fn space_key(key: &mut toml_edit::KeyMut<'_>) {
    key.leaf_decor_mut().set_suffix(" ");
}

/// Formats a value that follows `key = ` (`key_width` columns wide):
/// strings requoted, inline tables ordered and spaced, arrays laid out to
/// the width. `top` is true for the value of a table's own key, whose
/// space after `=` is set here.
fn value(v: &mut Value, kinds: &[&'static Kind], key_width: usize, top: bool) {
    if top {
        // The space after `=`; what follows the value (a comment) stays.
        v.decor_mut().set_prefix(" ");
    }
    match v {
        Value::String(s) => requote(s),
        Value::InlineTable(t) => inline(t, kinds),
        Value::Array(a) => array(a, kinds, key_width),
        _ => {}
    }
}

/// Writes a single-line string as a basic string, in double quotes;
/// multi-line strings, which hold their line breaks as written, are left as
/// they are.
fn requote(s: &mut toml_edit::Formatted<String>) {
    let written = s.display_repr();
    if written.starts_with("\"\"\"") || written.starts_with("'''") {
        return;
    }
    let quoted = basic(s.value());
    if written == quoted {
        return;
    }
    if let Ok(Value::String(mut fresh)) = quoted.parse::<Value>() {
        *fresh.decor_mut() = s.decor().clone();
        *s = fresh;
    }
}

/// `text` as a TOML basic string: `"` and `\` escaped, and every control
/// character.
pub fn basic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Orders the keys of an inline table and spaces it as `{ a = 1, b = 2 }`.
/// One written over several lines or with a comment inside (TOML 1.1
/// allows both) keeps its layout, so that no comment is lost.
fn inline(t: &mut InlineTable, kinds: &[&'static Kind]) {
    let mut bare = t.clone();
    bare.decor_mut().clear();
    let written = bare.to_string();
    if written.contains('\n') || written.contains('#') {
        return;
    }
    t.sort_values_by(|a, _, b, _| field(kinds, a.get()).0.cmp(&field(kinds, b.get()).0));
    let decor = t.decor().clone();
    t.fmt();
    *t.decor_mut() = decor;
    for (_, v) in t.iter_mut() {
        // A nested inline table or array is laid out on its line.
        let inner: Vec<&'static Kind> = Vec::new();
        match v {
            Value::String(s) => requote(s),
            Value::InlineTable(t) => inline(t, &inner),
            Value::Array(a) => {
                one_line(a);
                for item in a.iter_mut() {
                    if let Value::String(s) = item {
                        requote(s);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Lays out an array on one line when `key = [...]` fits in [`WIDTH`]
/// columns, else one item a line. An array with a comment inside keeps its
/// layout.
fn array(a: &mut Array, kinds: &[&'static Kind], key_width: usize) {
    for item in a.iter_mut() {
        match item {
            Value::String(s) => requote(s),
            Value::InlineTable(t) => inline(t, kinds),
            Value::Array(inner) => one_line(inner),
            _ => {}
        }
    }
    if has_comment(a) {
        return;
    }
    one_line(a);
    let line = key_width + " = ".len() + a.to_string().trim().chars().count();
    if line > WIDTH && !a.is_empty() {
        for item in a.iter_mut() {
            item.decor_mut().set_prefix(format!("\n{INDENT}"));
            item.decor_mut().set_suffix("");
        }
        a.set_trailing_comma(true);
        a.set_trailing("\n");
    }
}

/// Lays out `a` as `[a, b, c]`.
fn one_line(a: &mut Array) {
    if has_comment(a) {
        return;
    }
    for (i, item) in a.iter_mut().enumerate() {
        item.decor_mut().set_prefix(if i == 0 { "" } else { " " });
        item.decor_mut().set_suffix("");
    }
    a.set_trailing_comma(false);
    a.set_trailing("");
}

/// Returns true when a comment sits among the items of `a`.
fn has_comment(a: &Array) -> bool {
    let comment = |raw: Option<&toml_edit::RawString>| {
        raw.and_then(|r| r.as_str())
            .is_some_and(|s| s.contains('#'))
    };
    comment(Some(a.trailing()))
        || a.iter()
            .any(|v| comment(v.decor().prefix()) || comment(v.decor().suffix()))
}
