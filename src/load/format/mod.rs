//! The declaration format, described once. Every kind of table has one
//! [`Kind`]: its fields, each with a type, whether the format requires it,
//! and a line of documentation. The loader checks keys and required fields
//! against these tables and reads values by their [`Field`]; `govern schema`
//! and the README's field reference are generated from them. No other code
//! names a key.

mod tables;

pub use tables::*;

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string.
    Text,
    /// A code-host handle for CODEOWNERS: one `@user`, `@org/team` or
    /// e-mail address ([`crate::model::Handle`]).
    Handle,
    /// An id, or a reference to one: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
    Id,
    Bool,
    /// An integer within `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A TOML local date, unquoted: `2026-12-31`.
    Date,
    /// A number and a unit: `"15m"`, `"90d"`.
    Duration,
    /// One word of a closed vocabulary.
    Word(&'static [&'static str]),
    /// An array of strings.
    Texts,
    /// An array of ids.
    Ids,
    /// An array of words of a closed vocabulary.
    Words(&'static [&'static str]),
    /// A table of the given kind.
    Table(&'static Kind),
    /// An array of tables of the given kind.
    Tables(&'static Kind),
    /// An array whose entries are `"<framework-id>:<requirement-id>"`
    /// strings or tables of the given kind.
    Refs(&'static Kind),
    /// `[rules]`: a governance rule's code = its level.
    Rules,
}

/// Whether a declaration must hold a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The format requires it: `missing-field` when it is absent.
    Required,
    /// It may be left out.
    Optional,
    /// The format allows leaving it out, and the governance rule with this
    /// code reports it, at its own (configurable) level.
    Rule(&'static str),
}

/// One key of a table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub ty: Ty,
    pub need: Need,
    pub doc: &'static str,
}

/// One kind of table: what messages call it, what it declares, its fields.
#[derive(Debug)]
pub struct Kind {
    /// How messages name a table of this kind: `[[asset]]`.
    pub what: &'static str,
    pub doc: &'static str,
    pub fields: &'static [Field],
}

impl Kind {
    /// Returns the field named `key`.
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Returns every key, in documentation order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<&'static Kind> {
        fn walk(kind: &'static Kind, out: &mut Vec<&'static Kind>) {
            if out.iter().any(|k| std::ptr::eq(*k, kind)) {
                return;
            }
            out.push(kind);
            for field in kind.fields {
                if let Ty::Table(k) | Ty::Tables(k) | Ty::Refs(k) = field.ty {
                    walk(k, out);
                }
            }
        }
        let mut out = Vec::new();
        for root in [
            &declarations::TABLE,
            &settings::TABLE,
            &catalog::TABLE,
            &crosswalks::TABLE,
        ] {
            walk(root, &mut out);
        }
        out
    }

    #[test]
    fn keys_are_unique_kebab_case_and_documented() {
        for kind in every_kind() {
            let mut keys: Vec<&str> = kind.keys().collect();
            for key in &keys {
                assert!(
                    key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                    "{key} in {}",
                    kind.what
                );
            }
            for field in kind.fields {
                assert!(!field.doc.is_empty(), "{} in {}", field.key, kind.what);
            }
            let count = keys.len();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), count, "a key is listed twice in {}", kind.what);
        }
    }

    #[test]
    fn a_rule_named_for_a_field_exists() {
        for kind in every_kind() {
            for field in kind.fields {
                if let Need::Rule(code) = field.need {
                    let code = crate::diag::Code::from_name(code);
                    assert!(code.is_some_and(|c| !c.is_structural()), "{}", field.key);
                }
            }
        }
    }
}
