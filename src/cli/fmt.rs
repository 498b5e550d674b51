//! `govern fmt`: rewrite the declaration files in their canonical form, or
//! with `--check` say which would change.

use super::{out, source, CommandError, Exit, Global};
use crate::diag::Position;
use crate::fmt::{self, Verdict};
use crate::load::worktree;
use crate::source::{SourceMap, Span};
use std::fmt::Write;
use std::path::PathBuf;

/// Rewrite the declaration files in one canonical form
///
/// Keys in the format's order, one space around `=`, arrays on one line when
/// they fit in 100 columns, else one item a line. Comments and the order of
/// tables are kept; a file that is not TOML is reported and left alone.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Change nothing: list the files that would change (on standard
    /// output) and exit 1 when there is one
    #[arg(long)]
    pub check: bool,

    /// Files or folders to format [default: the whole governance folder]
    pub paths: Vec<PathBuf>,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let root = global.repo_root()?;
    let inputs =
        worktree::inputs(&root, &global.dir).map_err(|e| source::worktree_error(global, e))?;
    let cwd = std::env::current_dir().map_err(|e| CommandError::environment(&e))?;
    let (files, unknown) = fmt::select(&root, &cwd, fmt::plan(&root, inputs), &args.paths);
    if let Some(path) = unknown.first() {
        return Err(CommandError::usage(format!(
            "{} names no declaration file of {}",
            path.display(),
            global.dir
        ))
        .hint("pass *.toml files or folders below the governance folder"));
    }
    let mut report = String::new();
    let mut broken = 0;
    for f in &files {
        match &f.verdict {
            Verdict::NotToml(e) => {
                broken += 1;
                let _ = writeln!(
                    report,
                    "{}: error: {}; left alone",
                    at(f, e.span.clone()),
                    one_line(&e.message)
                );
            }
            Verdict::Skipped(why) => {
                let _ = writeln!(report, "{}: note: {why}; left alone", f.name);
            }
            Verdict::Canonical | Verdict::Changes(_) => {}
        }
    }
    let changing: Vec<&str> = files
        .iter()
        .filter(|f| matches!(f.verdict, Verdict::Changes(_)))
        .map(|f| f.name.as_str())
        .collect();
    if args.check {
        let listed: String = changing.iter().map(|n| format!("{n}\n")).collect();
        out::stdout(listed)?;
        let _ = writeln!(
            report,
            "{} of {} files would be reformatted{}",
            changing.len(),
            files.len(),
            if changing.is_empty() {
                ""
            } else {
                "; run `govern fmt`"
            }
        );
        out::stderr(report)?;
        return Ok(if changing.is_empty() && broken == 0 {
            Exit::Success
        } else {
            Exit::Content
        });
    }
    let written = fmt::apply(&root, &files).map_err(|e| CommandError::environment(&e))?;
    let _ = writeln!(report, "reformatted {written} of {} files", files.len());
    out::stderr(report)?;
    Ok(if broken == 0 {
        Exit::Success
    } else {
        Exit::Content
    })
}

/// `file:line:column` of a parse error, or the file alone.
fn at(f: &fmt::File, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return f.name.clone();
    };
    let mut map = SourceMap::default();
    let id = map.add(f.name.clone(), f.text.clone());
    let p = Position::of(&map, Span::new(id, span));
    format!("{}:{}:{}", p.file, p.line, p.column)
}

/// A message on one line: TOML parse messages may hold several.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
