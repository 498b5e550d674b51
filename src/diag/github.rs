//! Renders diagnostics as GitHub Actions workflow commands
//! (`::error file=…,line=…::message`), which the runner turns into
//! annotations on the lines of a pull request, without code scanning.
//!
//! Errors are `::error`, warnings `::warning` and infos `::notice`. The code
//! is the annotation's title. Each command is one line: the message escapes
//! `%`, CR and LF as GitHub's runner unescapes them, and property values
//! also escape `:` and `,`, so no declared text can end a property or start
//! a second command.

use super::{Diagnostic, Position, Severity};
use crate::source::SourceMap;
use std::io::{self, Write};

/// Writes one workflow command per diagnostic into `w`.
pub fn write<'d>(
    w: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
) -> io::Result<()> {
    for d in diagnostics {
        w.write_all(command(sources, d).as_bytes())?;
    }
    Ok(())
}

/// Returns the workflow command of `d`, with its newline.
fn command(sources: &SourceMap, d: &Diagnostic) -> String {
    let at = Position::of(sources, d.span);
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut text = d.message.clone();
    for l in &d.labels {
        let p = Position::of(sources, l.span);
        text.push_str(&format!(
            "\n{}:{}:{}: {}",
            p.file, p.line, p.column, l.message
        ));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        property(&at.file),
        at.line,
        at.column,
        at.end_line,
        at.end_column,
        property(d.code.name()),
        message(&text)
    )
}

/// Escapes the message of a workflow command.
fn message(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes the value of a workflow command's property.
fn property(text: &str) -> String {
    message(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::Span;

    /// Undoes the runner's escapes, as `actions/toolkit` does.
    fn unescape(text: &str) -> String {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    }

    #[test]
    fn declared_text_stays_inside_its_one_command() {
        let mut sources = SourceMap::new();
        let name = "governance/a b,c:d%0A.toml";
        let file = sources.add(name, "[[asset]]\nid = \"x\"\n");
        let message = "50% of\r\n::error::injected, at: 1";
        let d = Diagnostic::new(Code::ParseError, Span::new(file, 15..18), message)
            .label(Span::new(file, 0..9), "declared here")
            .help("fix it");
        let line = command(&sources, &d);
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(line.ends_with('\n'));
        let (head, body) = line
            .trim_end()
            .split_once("::")
            .and_then(|(_, rest)| rest.split_once("::"))
            .expect("two separators");
        assert!(!body.contains('\n') && !body.contains('\r'), "{body}");
        let props: Vec<&str> = head
            .strip_prefix("error ")
            .expect("an error")
            .split(',')
            .collect();
        assert_eq!(
            props,
            [
                "file=governance/a b%2Cc%3Ad%250A.toml",
                "line=2",
                "col=6",
                "endLine=2",
                "endColumn=9",
                "title=parse-error"
            ]
        );
        assert_eq!(unescape(&props[0]["file=".len()..]), name);
        assert_eq!(
            unescape(body),
            format!("{message}\n{name}:1:1: declared here\nhelp: fix it")
        );
    }

    #[test]
    fn severities_are_error_warning_and_notice() {
        let mut sources = SourceMap::new();
        let file = sources.add("governance/a.toml", "x\n");
        for (severity, kind) in [
            (Severity::Error, "::error "),
            (Severity::Warning, "::warning "),
            (Severity::Info, "::notice "),
        ] {
            let mut d = Diagnostic::new(Code::ParseError, Span::new(file, 0..1), "m");
            d.severity = severity;
            assert!(command(&sources, &d).starts_with(kind), "{severity:?}");
        }
    }
}
