//! Reads fields out of a parsed TOML table, keeping the span of every value
//! and reporting every problem instead of stopping at the first.
//!
//! serde stops at the first error in a file and loses "did you mean"; this
//! reader walks `toml`'s spanned document instead. A [`Table`] checks its
//! keys against the known set when it is opened; each getter checks a value's
//! type and format, reports `invalid-value` and returns `None` on a mismatch,
//! so one bad field never hides another.

use super::format::{Field, Kind, Need, Ty};
use crate::diag::{Code, Diagnostic, Diags};
use crate::model::duration::Duration;
use crate::source::{FileId, Sp, Span};
use jiff::civil::Date;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The diagnostics sink of one file.
pub struct Cx<'d> {
    pub file: FileId,
    /// Where the parsed text starts in its file: 0 for a whole file, a
    /// piece's offset for a piece of one ([`super::pieces`]).
    pub base: usize,
    pub diags: &'d mut Diags,
}

impl Cx<'_> {
    /// Returns the span of a parsed value in this file.
    pub fn span<T>(&self, value: &Spanned<T>) -> Span {
        let range = value.span();
        Span::new(self.file, range.start + self.base..range.end + self.base)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// An open table: its entries, where it sits and what it declares.
pub struct Table<'a, 'i> {
    table: &'a DeTable<'i>,
    /// The span of the table's first line: its header, or the key that opens
    /// an inline table.
    pub span: Span,
    what: &'static str,
}

/// Returns the best "did you mean" candidate among `known` for `given`.
pub fn closest<'k>(given: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(given, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Returns the human name of a TOML value's type.
fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Checks that `text` is a valid id: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
pub fn is_valid_id(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && text.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Holds, in debug builds, that a field is read as the format declares it.
fn declared(field: &Field, ok: bool) {
    debug_assert!(ok, "`{}` is read as other than {:?}", field.key, field.ty);
}

impl<'a, 'i> Table<'a, 'i> {
    /// Opens `value` as a table of `kind`, reporting unknown keys and missing
    /// required fields. Returns `None` (after an `invalid-value`) when it is
    /// not a table.
    pub fn open(cx: &mut Cx<'_>, value: &'a Spanned<DeValue<'i>>, kind: &Kind) -> Option<Self> {
        match value.get_ref() {
            DeValue::Table(table) => Some(Table::from_table(cx, table, cx.span(value), &[kind])),
            other => {
                let span = cx.span(value);
                cx.push(Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!(
                        "`{}` must be a table, found {}",
                        kind.what,
                        type_name(other)
                    ),
                ));
                None
            }
        }
    }

    /// Opens a table whose span is already known, that may hold the fields
    /// of `kinds`; messages name it as the first kind. Reports unknown keys
    /// and the required fields of every kind that are missing.
    pub fn from_table(
        cx: &mut Cx<'_>,
        table: &'a DeTable<'i>,
        span: Span,
        kinds: &[&Kind],
    ) -> Self {
        let what = kinds.first().map_or("a table", |k| k.what);
        let is_known = |name: &str| kinds.iter().any(|k| k.field(name).is_some());
        let mut unknown: Vec<_> = table
            .keys()
            .filter(|k| !is_known(k.get_ref().as_ref()))
            .collect();
        unknown.sort_by_key(|k| k.span().start);
        // Listed only for the messages, so a table without unknown keys
        // (nearly every one) allocates nothing here.
        let known: Vec<&str> = match unknown.is_empty() {
            true => Vec::new(),
            false => kinds.iter().flat_map(|k| k.keys()).collect(),
        };
        for key in unknown {
            let name = key.get_ref().as_ref();
            let mut d = Diagnostic::new(
                Code::UnknownField,
                cx.span(key),
                format!("unknown field `{name}` in {what}"),
            );
            d = match closest(name, known.iter().copied()) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => d.help(format!("{what} has these fields: {}", known.join(", "))),
            };
            cx.push(d);
        }
        let open = Table { table, span, what };
        for field in kinds.iter().flat_map(|k| k.fields) {
            if field.need == Need::Required && !open.has(field) {
                open.missing(cx, field.key);
            }
        }
        open
    }

    /// Returns the raw value of `field`.
    pub fn raw(&self, field: &Field) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table.get(field.key)
    }

    /// Returns true when the table holds `field`.
    pub fn has(&self, field: &Field) -> bool {
        self.table.contains_key(field.key)
    }

    /// Returns the span of `field`'s key, for labels on the key.
    pub fn key_span(&self, cx: &Cx<'_>, field: &Field) -> Option<Span> {
        self.table.get_key_value(field.key).map(|(k, _)| cx.span(k))
    }

    fn mismatch(&self, cx: &mut Cx<'_>, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        let span = cx.span(value);
        cx.push(Diagnostic::new(
            Code::InvalidValue,
            span,
            format!(
                "`{key}` in {} must be {expected}, found {}",
                self.what,
                type_name(value.get_ref())
            ),
        ));
    }

    /// Reports `missing-field` for `key` at the table.
    fn missing(&self, cx: &mut Cx<'_>, key: &str) {
        cx.push(
            Diagnostic::new(
                Code::MissingField,
                self.span,
                format!("{} is missing the required field `{key}`", self.what),
            )
            .help(format!("add `{key} = ...` to this {}", self.what)),
        );
    }

    fn string(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<String>> {
        let value = self.raw(field)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Sp::new(s.to_string(), cx.span(value))),
            _ => {
                self.mismatch(cx, field.key, value, "a string");
                None
            }
        }
    }

    /// Reads a string.
    pub fn str(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<String>> {
        declared(field, matches!(field.ty, Ty::Text | Ty::Handle));
        self.string(cx, field)
    }

    /// Reads an id or a reference to one, checking its format.
    pub fn id(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<String>> {
        declared(field, matches!(field.ty, Ty::Id));
        let s = self.string(cx, field)?;
        check_id(cx, field.key, s)
    }

    /// Reads a boolean.
    pub fn bool(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<bool>> {
        declared(field, matches!(field.ty, Ty::Bool));
        let value = self.raw(field)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, cx.span(value))),
            _ => {
                self.mismatch(cx, field.key, value, "true or false");
                None
            }
        }
    }

    /// Reads an integer within the field's bounds.
    pub fn int(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<i64>> {
        let (min, max) = match field.ty {
            Ty::Int { min, max } => (min, max),
            _ => {
                declared(field, false);
                (i64::MIN, i64::MAX)
            }
        };
        let key = field.key;
        let value = self.raw(field)?;
        let DeValue::Integer(i) = value.get_ref() else {
            self.mismatch(cx, key, value, "an integer");
            return None;
        };
        let n = i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .filter(|n| (min..=max).contains(n));
        if n.is_none() {
            let span = cx.span(value);
            cx.push(Diagnostic::new(
                Code::InvalidValue,
                span,
                format!("`{key}` must be between {min} and {max}"),
            ));
        }
        n.map(|n| Sp::new(n, cx.span(value)))
    }

    /// Reads a TOML local date.
    pub fn date(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<Date>> {
        declared(field, matches!(field.ty, Ty::Date));
        let key = field.key;
        let value = self.raw(field)?;
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok()),
            _ => None,
        };
        if date.is_none() {
            let span = cx.span(value);
            cx.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!(
                        "`{key}` must be a date, found {}",
                        type_name(value.get_ref())
                    ),
                )
                .help(format!(
                    "write a TOML local date without quotes: `{key} = 2026-12-31`"
                )),
            );
        }
        date.map(|d| Sp::new(d, cx.span(value)))
    }

    /// Reads a duration string such as `"15m"` or `"90d"`.
    pub fn duration(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Sp<Duration>> {
        declared(field, matches!(field.ty, Ty::Duration));
        let s = self.string(cx, field)?;
        match Duration::parse(&s) {
            Some(d) => Some(Sp::new(d, s.span)),
            None => {
                cx.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        s.span,
                        format!("`{}` is not a duration: `{}`", field.key, s.value),
                    )
                    .help("write a number and a unit: \"30s\", \"15m\", \"1h\", \"7d\", \"2w\""),
                );
                None
            }
        }
    }

    /// Reads one word of the field's vocabulary.
    pub fn word<T: Copy>(
        &self,
        cx: &mut Cx<'_>,
        field: &Field,
        parse: fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let names = match field.ty {
            Ty::Word(names) => names,
            _ => {
                declared(field, false);
                &[]
            }
        };
        let s = self.string(cx, field)?;
        parse_word(cx, field.key, s, parse, names)
    }

    /// Reads an array, giving each element to `item`.
    pub fn list<T>(
        &self,
        cx: &mut Cx<'_>,
        field: &Field,
        mut item: impl FnMut(&mut Cx<'_>, &'a Spanned<DeValue<'i>>) -> Option<T>,
    ) -> Vec<T> {
        let Some(value) = self.raw(field) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|v| item(cx, v)).collect(),
            _ => {
                self.mismatch(cx, field.key, value, "an array");
                Vec::new()
            }
        }
    }

    /// Reads an array of strings.
    pub fn str_list(&self, cx: &mut Cx<'_>, field: &Field) -> Vec<Sp<String>> {
        declared(field, matches!(field.ty, Ty::Texts));
        self.list(cx, field, |cx, v| element_str(cx, field.key, v))
    }

    /// Reads an array of ids or references.
    pub fn id_list(&self, cx: &mut Cx<'_>, field: &Field) -> Vec<Sp<String>> {
        declared(field, matches!(field.ty, Ty::Ids));
        self.list(cx, field, |cx, v| {
            element_str(cx, field.key, v).and_then(|s| check_id(cx, field.key, s))
        })
    }

    /// Reads an array of words of the field's vocabulary.
    pub fn word_list<T: Copy>(
        &self,
        cx: &mut Cx<'_>,
        field: &Field,
        parse: fn(&str) -> Option<T>,
    ) -> Vec<Sp<T>> {
        let names = match field.ty {
            Ty::Words(names) => names,
            _ => {
                declared(field, false);
                &[]
            }
        };
        self.list(cx, field, |cx, v| {
            element_str(cx, field.key, v).and_then(|s| parse_word(cx, field.key, s, parse, names))
        })
    }

    /// Opens the sub-table `field`.
    pub fn table(&self, cx: &mut Cx<'_>, field: &Field) -> Option<Table<'a, 'i>> {
        let Ty::Table(kind) = field.ty else {
            declared(field, false);
            return None;
        };
        let value = self.raw(field)?;
        let span = self.key_span(cx, field).unwrap_or_else(|| cx.span(value));
        match value.get_ref() {
            DeValue::Table(t) => Some(Table::from_table(cx, t, span, &[kind])),
            _ => {
                self.mismatch(cx, field.key, value, "a table");
                None
            }
        }
    }

    /// Opens every table of the array of tables `field`.
    pub fn tables<T>(
        &self,
        cx: &mut Cx<'_>,
        field: &Field,
        mut read: impl FnMut(&mut Cx<'_>, &Table<'a, 'i>) -> T,
    ) -> Vec<T> {
        let Ty::Tables(kind) = field.ty else {
            declared(field, false);
            return Vec::new();
        };
        self.list(cx, field, |cx, v| {
            Table::open(cx, v, kind).map(|table| read(cx, &table))
        })
    }
}

fn element_str(cx: &mut Cx<'_>, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
    match value.get_ref() {
        DeValue::String(s) => Some(Sp::new(s.to_string(), cx.span(value))),
        other => {
            let span = cx.span(value);
            cx.push(Diagnostic::new(
                Code::InvalidValue,
                span,
                format!("`{key}` must hold strings, found {}", type_name(other)),
            ));
            None
        }
    }
}

fn check_id(cx: &mut Cx<'_>, key: &str, s: Sp<String>) -> Option<Sp<String>> {
    if is_valid_id(&s) {
        return Some(s);
    }
    cx.push(
        Diagnostic::new(
            Code::InvalidValue,
            s.span,
            format!("`{key}` is not a valid id: {:?}", s.value),
        )
        .help(
            "ids start with a letter or digit and hold up to 128 letters, digits, `.`, `_` or `-`",
        ),
    );
    None
}

fn parse_word<T: Copy>(
    cx: &mut Cx<'_>,
    key: &str,
    s: Sp<String>,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> Option<Sp<T>> {
    if let Some(v) = parse(&s) {
        return Some(Sp::new(v, s.span));
    }
    let mut d = Diagnostic::new(
        Code::InvalidValue,
        s.span,
        format!("`{key}` has no value {:?}", s.value),
    );
    d = match closest(&s, names.iter().copied()) {
        Some(best) => d.help(format!(
            "did you mean `{best}`? expected one of: {}",
            names.join(", ")
        )),
        None => d.help(format!("expected one of: {}", names.join(", "))),
    };
    cx.push(d);
    None
}

/// Reads a plain string element of an array with a span, for callers that
/// accept mixed arrays (such as `maps-to`).
pub fn string_value(value: &Spanned<DeValue<'_>>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_documented_pattern() {
        assert!(is_valid_id("billing-agent"));
        assert!(!is_valid_id("GOVERN 1.1"));
        assert!(is_valid_id("a.b_c-d9"));
        assert!(!is_valid_id("-leading"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id(&"a".repeat(128)));
        assert!(!is_valid_id(&"a".repeat(129)));
    }

    #[test]
    fn closest_suggests_near_names_only() {
        assert_eq!(closest("ownr", ["owner", "title"]), Some("owner"));
        assert_eq!(closest("zzz", ["owner", "title"]), None);
    }
}
