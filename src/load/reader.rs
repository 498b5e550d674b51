//! Reads fields out of a parsed TOML table, keeping the span of every value
//! and reporting every problem instead of stopping at the first.
//!
//! serde stops at the first error in a file and loses "did you mean"; this
//! reader walks `toml`'s spanned document instead. A [`Table`] checks its
//! keys against the known set when it is opened; each getter checks a value's
//! type and format, reports `invalid-value` and returns `None` on a mismatch,
//! so one bad field never hides another.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::duration::Duration;
use crate::source::{FileId, Sp, Span};
use jiff::civil::Date;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The diagnostics sink of one file.
pub struct Cx<'d> {
    pub file: FileId,
    pub diags: &'d mut Diags,
}

impl Cx<'_> {
    /// Returns the span of a parsed value in this file.
    pub fn span<T>(&self, value: &Spanned<T>) -> Span {
        Span::new(self.file, value.span())
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

impl<'a, 'i> Table<'a, 'i> {
    /// Opens `value` as a table declaring `what`, reporting keys outside
    /// `known`. Returns `None` (after an `invalid-value`) when it is not a
    /// table.
    pub fn open(
        cx: &mut Cx<'_>,
        value: &'a Spanned<DeValue<'i>>,
        what: &'static str,
        known: &[&str],
    ) -> Option<Self> {
        match value.get_ref() {
            DeValue::Table(table) => {
                Some(Table::from_table(cx, table, cx.span(value), what, known))
            }
            other => {
                let span = cx.span(value);
                cx.push(Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("`{what}` must be a table, found {}", type_name(other)),
                ));
                None
            }
        }
    }

    /// Opens a table whose span is already known, reporting unknown keys.
    pub fn from_table(
        cx: &mut Cx<'_>,
        table: &'a DeTable<'i>,
        span: Span,
        what: &'static str,
        known: &[&str],
    ) -> Self {
        let mut unknown: Vec<_> = table
            .keys()
            .filter(|k| !known.contains(&k.get_ref().as_ref()))
            .collect();
        unknown.sort_by_key(|k| k.span().start);
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
        Table { table, span, what }
    }

    /// Returns the raw value of `key`.
    pub fn raw(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    /// Returns the span of `key` itself, for labels on the key.
    pub fn key_span(&self, cx: &Cx<'_>, key: &str) -> Option<Span> {
        self.table
            .get_key_value(key)
            .map(|(k, _)| Span::new(cx.file, k.span()))
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
    pub fn missing(&self, cx: &mut Cx<'_>, key: &str) {
        cx.push(
            Diagnostic::new(
                Code::MissingField,
                self.span,
                format!("{} is missing the required field `{key}`", self.what),
            )
            .help(format!("add `{key} = ...` to this {}", self.what)),
        );
    }

    /// Reads a string.
    pub fn str(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<String>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Sp::new(s.to_string(), cx.span(value))),
            _ => {
                self.mismatch(cx, key, value, "a string");
                None
            }
        }
    }

    /// Reads a required string.
    pub fn req_str(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<String>> {
        if self.raw(key).is_none() {
            self.missing(cx, key);
        }
        self.str(cx, key)
    }

    /// Reads an id or a reference to one, checking its format.
    pub fn id(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<String>> {
        let s = self.str(cx, key)?;
        check_id(cx, key, s)
    }

    /// Reads a required id.
    pub fn req_id(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<String>> {
        if self.raw(key).is_none() {
            self.missing(cx, key);
        }
        self.id(cx, key)
    }

    /// Reads a boolean.
    pub fn bool(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<bool>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, cx.span(value))),
            _ => {
                self.mismatch(cx, key, value, "true or false");
                None
            }
        }
    }

    /// Reads an integer within `min..=max`.
    pub fn int(&self, cx: &mut Cx<'_>, key: &str, min: i64, max: i64) -> Option<Sp<i64>> {
        let value = self.raw(key)?;
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
    pub fn date(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<Date>> {
        let value = self.raw(key)?;
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
    pub fn duration(&self, cx: &mut Cx<'_>, key: &str) -> Option<Sp<Duration>> {
        let s = self.str(cx, key)?;
        match Duration::parse(&s) {
            Some(d) => Some(Sp::new(d, s.span)),
            None => {
                cx.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        s.span,
                        format!("`{key}` is not a duration: `{}`", s.value),
                    )
                    .help("write a number and a unit: \"30s\", \"15m\", \"1h\", \"7d\", \"2w\""),
                );
                None
            }
        }
    }

    /// Reads one value of a closed vocabulary.
    pub fn word<T: Copy>(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<Sp<T>> {
        let s = self.str(cx, key)?;
        parse_word(cx, key, s, parse, names)
    }

    /// Reads an array, giving each element to `item`.
    pub fn list<T>(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        mut item: impl FnMut(&mut Cx<'_>, &'a Spanned<DeValue<'i>>) -> Option<T>,
    ) -> Vec<T> {
        let Some(value) = self.raw(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|v| item(cx, v)).collect(),
            _ => {
                self.mismatch(cx, key, value, "an array");
                Vec::new()
            }
        }
    }

    /// Reads an array of strings.
    pub fn str_list(&self, cx: &mut Cx<'_>, key: &str) -> Vec<Sp<String>> {
        self.list(cx, key, |cx, v| element_str(cx, key, v))
    }

    /// Reads an array of ids or references.
    pub fn id_list(&self, cx: &mut Cx<'_>, key: &str) -> Vec<Sp<String>> {
        self.list(cx, key, |cx, v| {
            element_str(cx, key, v).and_then(|s| check_id(cx, key, s))
        })
    }

    /// Reads an array of vocabulary words.
    pub fn word_list<T: Copy>(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Vec<Sp<T>> {
        self.list(cx, key, |cx, v| {
            element_str(cx, key, v).and_then(|s| parse_word(cx, key, s, parse, names))
        })
    }

    /// Opens the sub-table `key`.
    pub fn table(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        what: &'static str,
        known: &[&str],
    ) -> Option<Table<'a, 'i>> {
        let value = self.raw(key)?;
        let span = self.key_span(cx, key).unwrap_or_else(|| cx.span(value));
        match value.get_ref() {
            DeValue::Table(t) => Some(Table::from_table(cx, t, span, what, known)),
            _ => {
                self.mismatch(cx, key, value, "a table");
                None
            }
        }
    }

    /// Opens every table of the array of tables `key`.
    pub fn tables<T>(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        what: &'static str,
        known: &[&str],
        mut read: impl FnMut(&mut Cx<'_>, &Table<'a, 'i>) -> T,
    ) -> Vec<T> {
        self.list(cx, key, |cx, v| {
            Table::open(cx, v, what, known).map(|table| read(cx, &table))
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
