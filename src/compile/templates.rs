//! The minijinja templates every text output is rendered from: embedded in
//! the binary, each replaceable by a file of the same name in the governance
//! repository's `templates/` folder (or `--templates DIR`). HTML templates
//! are autoescaped.
//!
//! Templates are data, never a way out of the build: overrides are regular
//! files inside their folder ([`overrides`]), an undefined variable is an
//! error, and every render of a replaced template runs on a budget of fuel
//! and output bytes scaled with its context ([`budget`]).

pub mod budget;
pub mod overrides;
pub mod rows;

use budget::{Bounded, Budget};
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;
use std::borrow::Cow;
use std::path::Path;

/// The built-in templates: name and text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("summary.md", include_str!("../../templates/summary.md")),
    ("framework.md", include_str!("../../templates/framework.md")),
    (
        "framework.csv",
        include_str!("../../templates/framework.csv"),
    ),
    (
        "raci-asset.md",
        include_str!("../../templates/raci-asset.md"),
    ),
    (
        "raci-matrix.csv",
        include_str!("../../templates/raci-matrix.csv"),
    ),
    (
        "raci-teams.md",
        include_str!("../../templates/raci-teams.md"),
    ),
    ("CODEOWNERS", include_str!("../../templates/CODEOWNERS")),
    ("report.html", include_str!("../../templates/report.html")),
    ("authz.rego", include_str!("../../templates/authz.rego")),
    (
        "schema.cedarschema",
        include_str!("../../templates/schema.cedarschema"),
    ),
    (
        "policies.cedar",
        include_str!("../../templates/policies.cedar"),
    ),
];

/// Why templates could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read template {path}")]
    ReadOverride {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("templates folder {path} is {kind}, not a folder")]
    NotAFolder { path: String, kind: &'static str },
    #[error("template {path} is {kind}, not a regular file")]
    NotAFile { path: String, kind: &'static str },
    #[error("template {path} is a symbolic link that leaves its folder (it points to {target})")]
    LinkLeaves { path: String, target: String },
    #[error("template {path} is a symbolic link that points nowhere")]
    LinkNowhere { path: String },
    #[error("template {path} is over the limit of {limit} bytes for a template")]
    TooLarge { path: String, limit: usize },
    #[error("template {path} is not UTF-8 text")]
    NotUtf8 { path: String },
    #[error("template {name} is broken{}: {detail}", line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Syntax {
        name: String,
        line: Option<usize>,
        detail: String,
    },
    #[error("template {name} failed to render{}: {detail}", line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Render {
        name: String,
        line: Option<usize>,
        detail: String,
    },
    #[error("template {name} ran out of fuel after {fuel} steps: it loops or does too much work for its input")]
    OutOfFuel { name: String, fuel: u64 },
    #[error("template {name} rendered more than {limit} bytes, more than its input can explain")]
    TooMuchOutput { name: String, limit: u64 },
    /// The file a template renders into could not be written.
    #[error("cannot write a rendered file")]
    Write(#[source] std::io::Error),
}

/// A repository's replacement for a built-in template.
#[derive(Debug, Clone)]
pub struct Override {
    /// The built-in name it replaces, such as `report.html`.
    pub name: String,
    /// Where it came from, for messages: a path, or `path at rev`.
    pub origin: String,
    pub text: String,
}

/// The loaded templates.
pub struct Templates {
    env: Environment<'static>,
    /// Names that a repository file replaced, with where the file is.
    pub overridden: Vec<(String, String)>,
    /// The names of those whose text differs from the built-in one.
    changed: Vec<&'static str>,
    /// Files beside the overrides whose names are no template of govern.
    pub unknown: Vec<String>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("overridden", &self.overridden)
            .field("unknown", &self.unknown)
            .finish()
    }
}

fn detail(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("{} ({d})", e.kind()),
        None => e.kind().to_string(),
    }
}

/// Returns the names of the templates govern renders, for messages.
pub fn names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

impl Templates {
    /// Loads the built-in templates, replaced by same-named files in the
    /// folder `overrides` (a `--templates` argument, which may be a link)
    /// when it exists.
    pub fn load(overrides: Option<&Path>) -> Result<Self, Error> {
        match overrides {
            Some(dir) => Self::found(overrides::read_folder(dir, true)?),
            None => Self::with(Vec::new()),
        }
    }

    /// Loads the built-in templates, replaced by the files of a
    /// repository's own `templates/` folder, which must be a folder.
    pub fn load_repository(dir: &Path) -> Result<Self, Error> {
        Self::found(overrides::read_folder(dir, false)?)
    }

    /// Loads the built-in templates with what a folder held.
    pub fn found(found: overrides::Found) -> Result<Self, Error> {
        let mut templates = Self::with(found.overrides)?;
        templates.unknown = found.unknown;
        Ok(templates)
    }

    /// Loads the built-in templates, replaced by the given texts; names that
    /// are not templates of govern are ignored.
    pub fn with(overrides: Vec<Override>) -> Result<Self, Error> {
        let mut env = Environment::new();
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("csv", csv);
        env.add_filter("md", md);
        env.add_filter("cedar", |v: Value| super::cedar::string(&v.to_string()));
        let mut overridden = Vec::new();
        let mut changed = Vec::new();
        for (name, builtin) in BUILTIN {
            let replacement = overrides.iter().find(|o| o.name == *name);
            let text = replacement.map_or_else(|| builtin.to_string(), |o| o.text.clone());
            if let Some(o) = replacement {
                overridden.push((name.to_string(), o.origin.clone()));
                if o.text != *builtin {
                    changed.push(*name);
                }
            }
            env.add_template_owned(name.to_string(), text)
                .map_err(|e| Error::Syntax {
                    name: replacement.map_or_else(|| name.to_string(), |o| o.origin.clone()),
                    line: e.line(),
                    detail: detail(&e),
                })?;
        }
        Ok(Templates {
            env,
            overridden,
            changed,
            unknown: Vec::new(),
        })
    }

    /// Renders template `name` with `context`; a replaced template within
    /// the budget of fuel and output that the size of `context` allows.
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, Error> {
        let mut bytes = Vec::new();
        self.render_to(name, context, &mut bytes)?;
        String::from_utf8(bytes).map_err(|_| Error::Render {
            name: self.display_name(name),
            line: None,
            detail: "the output is not UTF-8 text".into(),
        })
    }

    /// Renders template `name` with `context` into `w` as it renders,
    /// within the same budget as [`Templates::render`]: a large page is
    /// never held whole. A failure of `w` itself is [`Error::Write`].
    pub fn render_to(
        &self,
        name: &str,
        context: impl Serialize,
        w: &mut dyn std::io::Write,
    ) -> Result<(), Error> {
        let context = Value::from_serialize(context);
        // A built-in template does work in proportion to its context, and
        // renders without a budget: weighing a large context would cost
        // about as much as rendering it.
        let mut budgeted;
        let (env, budget) = if self.is_overridden(name) {
            let budget = Budget::for_context(&context);
            budgeted = self.env.clone();
            budgeted.set_fuel(Some(budget.fuel));
            (&budgeted, budget)
        } else {
            (&self.env, Budget::UNBOUNDED)
        };
        let template = env.get_template(name).map_err(|e| Error::Render {
            name: name.to_string(),
            line: None,
            detail: detail(&e),
        })?;
        let mut out = Bounded::over(w, budget.output);
        let rendered = template.render_captured_to(context, &mut out);
        let shown = self.display_name(name);
        match rendered {
            Ok(_) => Ok(()),
            Err(_) if out.failed.is_some() => {
                Err(Error::Write(out.failed.take().expect("checked above")))
            }
            Err(_) if out.exceeded => Err(Error::TooMuchOutput {
                name: shown,
                limit: budget.output,
            }),
            Err(e) if e.kind() == ErrorKind::OutOfFuel => Err(Error::OutOfFuel {
                name: shown,
                fuel: budget.fuel,
            }),
            Err(e) => Err(Error::Render {
                name: shown,
                line: e.line(),
                detail: detail(&e),
            }),
        }
    }

    /// Tells whether a repository file replaces the built-in template
    /// `name` with other text. Outputs that the built-in text lays out can
    /// then be written without it, byte for byte as it would render them.
    pub fn is_overridden(&self, name: &str) -> bool {
        self.changed.contains(&name)
    }

    fn display_name(&self, name: &str) -> String {
        self.overridden
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| name.to_string(), |(_, p)| p.clone())
    }
}

/// Characters that make a spreadsheet run a cell as a formula when they
/// lead it (OWASP's CSV injection list), and the quote itself, so that a
/// reader drops one leading quote from a cell to get its text back.
const FORMULA_LEADS: &[u8] = b"=+-@\t\r'";

/// Characters that make a field quoted: RFC 4180's comma, quote and line
/// breaks, and the semicolon and tab that spreadsheets split fields on in
/// some locales and imports, where a formula after one would otherwise start
/// a cell of its own.
fn needs_quotes(b: u8) -> bool {
    matches!(b, b',' | b'"' | b'\n' | b'\r' | b';' | b'\t')
}

/// Writes `text` as one CSV field a spreadsheet shows as text: a leading
/// `=`, `+`, `-`, `@`, tab, carriage return or `'` gets a `'` in front, and
/// the field is quoted, quotes doubled, when it holds a separator, quote or
/// line break. Text that needs neither is borrowed as it is.
pub(crate) fn csv_field(text: &str) -> Cow<'_, str> {
    let guard = text
        .as_bytes()
        .first()
        .is_some_and(|b| FORMULA_LEADS.contains(b));
    // The characters looked for are ASCII: bytes of UTF-8 text find them.
    let quote = text.bytes().any(needs_quotes);
    if !guard && !quote {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 3);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for (i, part) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
    Cow::Owned(out)
}

/// The `csv` filter: a value as one CSV field, by [`csv_field`]; none and
/// undefined are empty.
fn csv(value: Value) -> Value {
    if value.is_none() || value.is_undefined() {
        return Value::from("");
    }
    // Most fields need nothing: hand them back without copying.
    if let Some(text) = value.as_str() {
        return match csv_field(text) {
            Cow::Borrowed(_) => value,
            Cow::Owned(field) => Value::from(field),
        };
    }
    Value::from(csv_field(&value.to_string()).into_owned())
}

/// Escapes text for a Markdown table cell.
fn md(value: Value) -> Value {
    if value.is_none() || value.is_undefined() {
        return Value::from("");
    }
    // Most cells hold nothing to escape: hand them back without copying.
    if value.as_str().is_some_and(|text| !md_breaks(text)) {
        return value;
    }
    Value::from(md_cell(&value.to_string()).into_owned())
}

fn md_breaks(text: &str) -> bool {
    text.contains(['\\', '|', '\n', '\r'])
}

/// Escapes `text` as the `md` filter does, for a markdown table cell: a
/// backslash or `|` is escaped, a line break becomes a space.
pub(crate) fn md_cell(text: &str) -> Cow<'_, str> {
    if !md_breaks(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        let csv = |v: Value| csv(v).to_string();
        assert_eq!(csv(Value::from("plain")), "plain");
        assert_eq!(csv(Value::from("a,b")), "\"a,b\"");
        assert_eq!(csv(Value::from("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(csv(Value::from("two\nlines")), "\"two\nlines\"");
        assert_eq!(csv(Value::from("a;b")), "\"a;b\"");
        assert_eq!(csv(Value::from("a\tb")), "\"a\tb\"");
        assert_eq!(csv(Value::from(())), "");
        assert_eq!(csv(Value::from(42)), "42");
        // Ids as the loader allows them, and text beyond ASCII, stay as
        // they are.
        assert_eq!(csv(Value::from("a.b_c-d9")), "a.b_c-d9");
        assert_eq!(csv(Value::from("Gouvernance ✓ ü")), "Gouvernance ✓ ü");
        assert!(matches!(csv_field("GV.OC-01"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_keeps_formulas_from_running() {
        for (text, field) in [
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tindented", "\"'\tindented\""),
            ("\r=1", "\"'\r=1\""),
            ("'quoted'", "''quoted'"),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            // OWASP's own example: a formula after a separator stays in the
            // quoted field.
            ("=1+2\";=1+2", "\"'=1+2\"\";=1+2\""),
            ("a,=1+2", "\"a,=1+2\""),
            ("a=1", "a=1"),
            ("", ""),
        ] {
            assert_eq!(csv_field(text), field, "{text:?}");
        }
        // Numbers are written by their text, as anything else.
        assert_eq!(csv(Value::from(-5)).to_string(), "'-5");
    }

    /// Reads one CSV field back as RFC 4180 does.
    fn unquote(field: &str) -> String {
        match field.strip_prefix('"') {
            Some(inner) => inner.strip_suffix('"').unwrap().replace("\"\"", "\""),
            None => field.to_string(),
        }
    }

    #[test]
    fn csv_fields_read_back_to_their_text() {
        for text in [
            "plain",
            "=cmd|' /C calc'!A0",
            "-",
            "''",
            "'",
            "\"",
            "@",
            "a\r\nb",
            "+\"x\",y",
            "\t",
        ] {
            let cell = unquote(&csv_field(text));
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
            // A reader drops the one quote that marks a cell as text.
            assert_eq!(cell.strip_prefix('\'').unwrap_or(&cell), text, "{cell:?}");
        }
    }

    #[test]
    fn an_override_can_use_the_csv_filter() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("framework.csv"),
            "{{ a | csv }},{{ b | csv }}\n",
        )
        .unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let out = t
            .render(
                "framework.csv",
                serde_json::json!({"a": "@risk", "b": "x,y"}),
            )
            .unwrap();
        assert_eq!(out, "'@risk,\"x,y\"\n");
    }

    #[test]
    fn md_escapes_table_breakers() {
        let md = |v: Value| md(v).to_string();
        assert_eq!(md(Value::from("a|b\nc")), "a\\|b c");
        assert_eq!(md(Value::from("back\\slash")), "back\\\\slash");
        assert_eq!(md(Value::from("plain")), "plain");
        assert_eq!(md(Value::from(())), "");
        assert_eq!(md(Value::from(3)), "3");
    }

    #[test]
    fn a_broken_override_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("summary.md"), "ok\n{% for x in %}\n").unwrap();
        let err = Templates::load(Some(dir.path())).unwrap_err().to_string();
        assert!(err.contains("summary.md"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn an_override_replaces_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("CODEOWNERS"), "custom {{ 1 + 1 }}\n").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(t.render("CODEOWNERS", ()).unwrap(), "custom 2\n");
    }

    #[test]
    fn html_is_autoescaped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("report.html"), "{{ x }}").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let out = t
            .render("report.html", serde_json::json!({"x": "<script>"}))
            .unwrap();
        assert_eq!(out, "&lt;script&gt;");
    }
}

#[cfg(test)]
mod strict_tests {
    use super::*;

    fn one(name: &str, text: &str) -> Templates {
        Templates::with(vec![Override {
            name: name.into(),
            origin: format!("templates/{name}"),
            text: text.into(),
        }])
        .unwrap()
    }

    #[test]
    fn an_inline_if_without_else_renders_nothing() {
        let t = one("summary.md", "asset{{ 's' if n != 1 }}.");
        let out = t.render("summary.md", serde_json::json!({"n": 1}));
        assert_eq!(out.unwrap(), "asset.");
    }

    #[test]
    fn an_undefined_attribute_is_an_error_with_its_line() {
        let t = one("summary.md", "ok\n{{ org.nmae }}\n");
        let err = t
            .render("summary.md", serde_json::json!({"org": {"name": "x"}}))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("templates/summary.md") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn an_endless_loop_runs_out_of_fuel() {
        let t = one(
            "summary.md",
            "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
        );
        let err = t.render("summary.md", ()).unwrap_err();
        assert!(matches!(err, Error::OutOfFuel { .. }), "{err}");
    }
}
