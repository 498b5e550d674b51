//! Headers -> fields: which field of the declaration kind each column
//! fills, the `--map` file ([`super::map`]) first.
//!
//! Fields come only from [`crate::load::format`]. A header matches a field
//! when, lowercased and stripped of everything but letters and digits, it
//! is the field's key (top level), its dotted path (`owners.accountable`),
//! or a short form: a nested key alone (`accountable`), a nested key and the
//! singular of its table (`accountable owner`), the kind and a top-level key
//! (`asset id`), or a sub-table's name for its first field (`owner`, `owners`
//! -> `owners.accountable`; `identity` -> `identity.type`). A short form that
//! two fields share matches neither.

use super::map::{Map, IGNORE};
use super::report::Problem;
use super::rows::plain;
use super::sheet::Sheet;
use crate::diag::Code;
use crate::load::format::{Field, Kind, Ty};
use std::collections::HashMap;

/// A field a column can fill: a key of the kind, or of one of its
/// sub-tables (`parent`).
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub field: &'static Field,
    pub parent: Option<&'static Field>,
}

impl Target {
    /// The dotted path users name the field by: `risk`, `owners.accountable`.
    pub fn path(&self) -> String {
        match self.parent {
            Some(parent) => format!("{}.{}", parent.key, self.field.key),
            None => self.field.key.to_string(),
        }
    }
}

/// Returns the fields of `kind` a sheet can fill, in field-table order:
/// every plain key, then, in place of each sub-table, its plain keys.
/// Arrays of tables (`[[asset.tool]]`) have no place in one row.
pub fn targets(kind: &'static Kind) -> Vec<Target> {
    let mut out = Vec::new();
    for field in kind.fields {
        match field.ty {
            Ty::Table(sub) => {
                out.extend(
                    sub.fields
                        .iter()
                        .filter(|f| plain_type(f.ty))
                        .map(|f| Target {
                            field: f,
                            parent: Some(field),
                        }),
                )
            }
            ty if plain_type(ty) => out.push(Target {
                field,
                parent: None,
            }),
            _ => {}
        }
    }
    out
}

fn plain_type(ty: Ty) -> bool {
    !matches!(ty, Ty::Table(_) | Ty::Tables(_) | Ty::Rules)
}

/// Lowercases `text` and drops everything but letters and digits.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Finds the target a header names.
pub struct Matcher {
    exact: HashMap<String, usize>,
    short: HashMap<String, Vec<usize>>,
}

impl Matcher {
    /// Builds the names of `targets`, fields of the kind `singular` names
    /// (`asset`).
    pub fn new(targets: &[Target], singular: &str) -> Self {
        let mut exact = HashMap::new();
        let mut short: HashMap<String, Vec<usize>> = HashMap::new();
        let mut add = |name: String, i: usize| {
            let list = short.entry(name).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        };
        let kind = normalise(singular);
        let mut first_of = Vec::new();
        for (i, target) in targets.iter().enumerate() {
            exact.insert(normalise(&target.path()), i);
            let key = normalise(target.field.key);
            match target.parent {
                None => add(format!("{kind}{key}"), i),
                Some(parent) => {
                    let table = normalise(parent.key);
                    let one = table.strip_suffix('s').unwrap_or(&table).to_string();
                    add(key.clone(), i);
                    add(format!("{key}{one}"), i);
                    if !first_of.contains(&parent.key) {
                        first_of.push(parent.key);
                        add(table.clone(), i);
                        add(one, i);
                    }
                }
            }
        }
        Matcher { exact, short }
    }

    /// Returns the index of the target `header` names, if exactly one.
    pub fn find(&self, header: &str) -> Option<usize> {
        let name = normalise(header);
        if let Some(&i) = self.exact.get(&name) {
            return Some(i);
        }
        match self.short.get(&name).map(Vec::as_slice) {
            Some([i]) => Some(*i),
            _ => None,
        }
    }
}

/// Returns the paths of the targets most like `header`, best first: the
/// fields an unmatched column could be.
pub fn could_be(header: &str, targets: &[Target]) -> Vec<String> {
    let name = normalise(header);
    let mut scored: Vec<(f64, String)> = targets
        .iter()
        .map(|t| {
            let path = t.path();
            let by_path = strsim::jaro_winkler(&name, &normalise(&path));
            let by_key = strsim::jaro_winkler(&name, &normalise(t.field.key));
            (by_path.max(by_key), path)
        })
        .filter(|(score, _)| *score > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(3).map(|(_, p)| p).collect()
}

/// Returns every target's path, joined for a message.
pub fn all_paths(targets: &[Target]) -> String {
    targets
        .iter()
        .map(Target::path)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which target each column of the sheet fills.
#[derive(Debug)]
pub struct Columns {
    /// Per header column: the target it fills, or `None` when ignored.
    pub fill: Vec<Option<usize>>,
}

/// Matches the header row of `sheet` to `targets`, with `map` first.
pub fn columns(
    sheet: &Sheet,
    targets: &[Target],
    matcher: &Matcher,
    map: &Map,
    what: &str,
) -> (Columns, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut fill = Vec::with_capacity(sheet.header.cells.len());
    let mut taken: HashMap<usize, usize> = HashMap::new();
    for (column, cell) in sheet.header.cells.iter().enumerate() {
        let at = sheet.address(sheet.header.at[column]);
        let Some(header) = plain(cell)
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
        else {
            let used = sheet
                .rows
                .iter()
                .any(|r| r.cells.get(column).is_some_and(|c| !c.is_blank()));
            if used {
                problems.push(
                    Problem::error(Code::MissingField, at, "a column with cells has no header")
                        .help("name the field it fills in the header row"),
                );
            }
            fill.push(None);
            continue;
        };
        let target = match map.headers.get(&normalise(&header)) {
            Some(mapped) => *mapped,
            None => match matcher.find(&header) {
                Some(i) => Some(i),
                None => {
                    let close = could_be(&header, targets);
                    let could = if close.is_empty() {
                        format!("the fields are {}", all_paths(targets))
                    } else {
                        format!("it could be {}", close.join(", "))
                    };
                    problems.push(
                        Problem::error(
                            Code::UnknownField,
                            at,
                            format!("the column `{header}` matches no field of {what}"),
                        )
                        .help(format!(
                            "{could}; or say it in a --map file: \"{header}\" = \"<field>\", \
                             or \"{header}\" = \"{IGNORE}\" to leave it out"
                        )),
                    );
                    fill.push(None);
                    continue;
                }
            },
        };
        if let Some(i) = target {
            if let Some(first) = taken.insert(i, column) {
                problems.push(
                    Problem::error(
                        Code::DuplicateId,
                        at,
                        format!(
                            "the column `{header}` fills `{}`, which column {} fills already",
                            targets[i].path(),
                            sheet.address(sheet.header.at[first])
                        ),
                    )
                    .help("keep one of the two columns, or map one to \"ignore\""),
                );
                fill.push(None);
                continue;
            }
        }
        fill.push(target);
    }
    (Columns { fill }, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::format::{asset, control, declarations, Ty};

    fn kind(field: &Field) -> &'static Kind {
        match field.ty {
            Ty::Tables(k) => k,
            _ => unreachable!(),
        }
    }

    fn path_of(targets: &[Target], matcher: &Matcher, header: &str) -> Option<String> {
        matcher.find(header).map(|i| targets[i].path())
    }

    #[test]
    fn headers_match_fields_whatever_their_case_and_punctuation() {
        let targets = targets(kind(&declarations::ASSET));
        let m = Matcher::new(&targets, declarations::ASSET.key);
        for (header, path) in [
            ("Spiffe ID", "identity.spiffe-id"),
            ("spiffe_id", "identity.spiffe-id"),
            ("spiffe-id", "identity.spiffe-id"),
            ("owners.accountable", "owners.accountable"),
            ("Accountable", "owners.accountable"),
            ("Accountable owner", "owners.accountable"),
            ("Owner", "owners.accountable"),
            ("identity.max-ttl", "identity.max-ttl"),
            ("Max TTL", "identity.max-ttl"),
            ("Asset ID", "id"),
            ("Depends on", "depends-on"),
            ("RISK", "risk"),
        ] {
            assert_eq!(
                path_of(&targets, &m, header).as_deref(),
                Some(path),
                "{header}"
            );
        }
        assert_eq!(path_of(&targets, &m, "Business Owner"), None);
        assert_eq!(
            path_of(&targets, &m, "tool"),
            None,
            "no place for [[asset.tool]]"
        );
        assert!(targets.iter().all(|t| t.field.key != asset::TOOL.key));
    }

    #[test]
    fn a_control_owner_is_its_own_field_and_a_shared_short_form_matches_nothing() {
        let targets = targets(kind(&declarations::CONTROL));
        let m = Matcher::new(&targets, declarations::CONTROL.key);
        assert_eq!(
            path_of(&targets, &m, "Owner").as_deref(),
            Some(control::OWNER.key)
        );
        assert_eq!(
            path_of(&targets, &m, "Kinds").as_deref(),
            Some("applies-to.kinds")
        );
        // `tags` is only under applies-to for a control.
        assert_eq!(
            path_of(&targets, &m, "tags").as_deref(),
            Some("applies-to.tags")
        );
    }

    #[test]
    fn an_unknown_header_lists_what_it_could_be() {
        let targets = targets(kind(&declarations::ASSET));
        assert_eq!(could_be("Enviroment", &targets)[0], "environment");
    }
}
