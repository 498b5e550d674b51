//! Finds the declaration files and parses them, in parallel, into [`raw`]
//! declarations that keep the span of every value.
//!
//! Input arrives as [`Input`] files (name and bytes, or the reason there are
//! none) from the working tree ([`worktree`]) or a Git tree, so parsing never
//! touches the file system. Every problem becomes a diagnostic; a file that
//! cannot be read as TOML declares nothing but never stops the others.

mod ahead;
mod builtin;
pub mod format;
pub mod parse;
pub mod pieces;
pub mod raw;
pub mod reader;
pub mod rules;
mod shift;
mod two;
pub mod worktree;

use crate::diag::{Code, Diagnostic, Diags};
use crate::source::{SourceMap, Span};
use rayon::prelude::*;
use reader::Cx;
use std::sync::Arc;

pub use ahead::Ahead;
pub use builtin::BUILTIN_CATALOGS;
pub use two::load_two;

/// The largest declaration file read; larger ones are refused unparsed.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The most declaration files one governance folder may hold, counting
/// refused ones: ten times the 2,000 files of 100,000 assets.
pub const MAX_FILES: usize = 20_000;

/// The most bytes the declaration files of one governance folder may hold
/// together: four times the 63 MB of 100,000 assets. Past it the read
/// stops, so no folder makes a run hold more than this in memory.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// A governance folder over [`MAX_FILES`] or [`MAX_TOTAL_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverLimit {
    #[error("the governance folder holds {found} declaration files, over the limit of {limit}")]
    Files { found: usize, limit: usize },
    #[error(
        "the declaration files total more than {} MiB, the limit for a governance folder",
        limit / (1024 * 1024)
    )]
    Bytes { limit: u64 },
}

/// Counts what a read takes in against the input limits, before it keeps
/// any more.
#[derive(Debug)]
pub struct Budget {
    bytes: u64,
    max_files: usize,
    max_bytes: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::with_limits(MAX_FILES, MAX_TOTAL_BYTES)
    }
}

impl Budget {
    /// A budget with other limits than the real ones.
    pub fn with_limits(max_files: usize, max_bytes: u64) -> Self {
        Budget {
            bytes: 0,
            max_files,
            max_bytes,
        }
    }

    /// Checks the number of files found, before any is read.
    pub fn files(&self, found: usize) -> Result<(), OverLimit> {
        if found > self.max_files {
            return Err(OverLimit::Files {
                found,
                limit: self.max_files,
            });
        }
        Ok(())
    }

    /// Adds the size of one file about to be kept.
    pub fn take(&mut self, bytes: usize) -> Result<(), OverLimit> {
        self.bytes = self.bytes.saturating_add(bytes as u64);
        if self.bytes > self.max_bytes {
            return Err(OverLimit::Bytes {
                limit: self.max_bytes,
            });
        }
        Ok(())
    }
}

/// How deeply tables and arrays may nest; TOML that nests deeper is refused
/// before parsing, so no input can exhaust the stack.
pub const MAX_NESTING: usize = 64;

/// One candidate declaration file.
#[derive(Clone, Debug)]
pub struct Input {
    /// Plain repository-relative path, such as `governance/teams/a.toml`,
    /// whether read from the working tree or a commit.
    pub name: String,
    /// True for `governance.toml` at the root of the governance folder.
    pub is_settings: bool,
    pub body: Body,
}

/// What could be read of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// The file could not be used; the text says why.
    Refused(String),
}

/// The parsed declarations of one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub files: Vec<raw::File>,
    pub diags: Diags,
}

#[cfg(test)]
impl Loaded {
    /// What a run loaded, every part spelt out, for tests that compare two
    /// runs: names and texts, the declarations with their spans, and the
    /// diagnostics in order.
    pub(crate) fn view(self) -> String {
        let files: Vec<(&str, &str)> = self
            .sources
            .iter()
            .map(|(_, f)| (f.name.as_str(), f.text.as_str()))
            .collect();
        format!(
            "{files:?}\n{:?}\n{:?}",
            self.files,
            self.diags.finish(&Default::default())
        )
    }
}

/// What parsing one file gave: its name, its text, what it declares and
/// its diagnostics.
type Parsed = (String, Arc<String>, Option<Arc<raw::Content>>, Diags);

/// Appends the built-in catalogs to `inputs`; returns the index of the
/// first.
fn with_builtins(mut inputs: Vec<Input>) -> (Vec<Input>, usize) {
    let first_builtin = inputs.len();
    inputs.extend(BUILTIN_CATALOGS.iter().map(|(name, text)| Input {
        name: format!("builtin:{name}"),
        is_settings: false,
        body: Body::Bytes(text.as_bytes().to_vec()),
    }));
    (inputs, first_builtin)
}

/// Parses `inputs` and the built-in catalogs. Files are parsed in parallel;
/// results keep the order of `inputs`, built-ins last.
pub fn load(inputs: Vec<Input>) -> Loaded {
    let (inputs, first_builtin) = with_builtins(inputs);
    let parsed: Vec<Parsed> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(i, input)| parse_one(i, input))
        .collect();
    assemble(parsed, first_builtin)
}

/// Gathers the parsed files, in input order, into one run's sources, files
/// and diagnostics; the files from `first_builtin` on are the built-ins.
fn assemble(parsed: Vec<Parsed>, first_builtin: usize) -> Loaded {
    let mut loaded = Loaded::default();
    for (index, (name, text, content, diags)) in parsed.into_iter().enumerate() {
        let file = loaded.sources.add_shared(name, text);
        debug_assert_eq!(file.0 as usize, index, "file ids follow input order");
        loaded.diags.extend(diags);
        if let Some(content) = content {
            loaded.files.push(raw::File {
                file,
                builtin: index >= first_builtin,
                content,
            });
        }
    }
    loaded
}

/// Parses one file on its own, without diagnostics or built-in catalogs:
/// for walks over history that only need what a file declares.
pub fn parse_alone(input: Input) -> Option<raw::Content> {
    parse_content(0, input).2
}

/// Parses one file. The file id is its index, which `load` reproduces when
/// it adds the files to the source map in order.
fn parse_one(index: usize, input: Input) -> Parsed {
    let (name, text, content, diags) = parse_content(index, input);
    (name, Arc::new(text), content.map(Arc::new), diags)
}

/// Parses one file as [`parse_one`] does, giving what it declares unshared.
fn parse_content(index: usize, input: Input) -> (String, String, Option<raw::Content>, Diags) {
    let file = crate::source::FileId(index as u32);
    let mut diags = Diags::new();
    let whole = Span::new(file, 0..0);
    let refuse = |diags: &mut Diags, why: String| {
        diags.push(Diagnostic::new(Code::ParseError, whole, why));
    };
    let bytes = match input.body {
        Body::Bytes(bytes) => bytes,
        Body::Refused(why) => {
            refuse(&mut diags, why);
            return (input.name, String::new(), None, diags);
        }
    };
    if bytes.len() > MAX_FILE_BYTES {
        refuse(
            &mut diags,
            format!(
                "file is {} bytes, over the limit of {} MiB for a declaration file",
                bytes.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
        return (input.name, String::new(), None, diags);
    }
    if bytes.contains(&0) {
        refuse(
            &mut diags,
            "file is binary (it holds NUL bytes), not TOML".into(),
        );
        return (input.name, String::new(), None, diags);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
            diags.push(Diagnostic::new(
                Code::ParseError,
                Span::new(file, at..at),
                format!("file is not UTF-8 text (invalid byte at offset {at})"),
            ));
            return (input.name, shown, None, diags);
        }
    };
    if let Some(at) = too_deep(&text) {
        diags.push(
            Diagnostic::new(
                Code::ParseError,
                Span::new(file, at..at + 1),
                format!("tables or arrays nest more than {MAX_NESTING} levels deep"),
            )
            .help("declarations need only a few levels; this file is likely generated by mistake"),
        );
        return (input.name, text, None, diags);
    }
    let content = {
        let (doc, errors) = toml::de::DeTable::parse_recoverable(&text);
        if errors.is_empty() && doc.get_ref().is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::ParseError,
                    whole,
                    "file is empty: it declares nothing",
                )
                .help("add declarations such as [[team]] or [[asset]], or delete the file"),
            );
            None
        } else if errors.is_empty() {
            let mut cx = Cx {
                file,
                base: 0,
                diags: &mut diags,
            };
            parse::document(&mut cx, &doc, input.is_settings)
        } else {
            for e in errors {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                diags.push(Diagnostic::new(
                    Code::ParseError,
                    Span::new(file, span),
                    format!("invalid TOML: {}", first_line(&message)),
                ));
            }
            None
        }
    };
    (input.name, text, content, diags)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// Finds the first place where brackets or dotted header keys nest deeper
/// than [`MAX_NESTING`]. It over-counts brackets inside strings and comments,
/// which only matters for files that are absurd anyway. The bytes between
/// quotes, comment signs and brackets are skipped through a table, so the
/// scan costs little more than reading the file.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    const fn marks(set: &[u8]) -> [bool; 256] {
        let mut table = [false; 256];
        let mut i = 0;
        while i < set.len() {
            table[set[i] as usize] = true;
            i += 1;
        }
        table
    }
    static MARKS: [bool; 256] = marks(b"\"'#[]{}");
    let bytes = text.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    loop {
        while i < bytes.len() && !MARKS[bytes[i] as usize] {
            i += 1;
        }
        let b = *bytes.get(i)?;
        match b {
            b'"' | b'\'' => {
                // To the closing quote or the end of the line.
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' && b == b'"' {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if c == b || c == b'\n' {
                        break;
                    }
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'[' | b'{' => {
                if b == b'[' && starts_line(bytes, i) {
                    // A table header: its dotted key nests one level per dot.
                    let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                    if text[i..end].matches('.').count() > MAX_NESTING {
                        return Some(i);
                    }
                }
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
                i += 1;
            }
            _ => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
        }
    }
}

/// Returns true when only spaces and tabs stand between the start of the
/// line and `at`. The walk back stops at the first other byte, so each run
/// of blanks is walked once, by the bracket after it.
fn starts_line(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .is_none_or(|b| *b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte scan `too_deep` replaced, to compare with.
    fn too_deep_by_byte(text: &str) -> Option<usize> {
        let mut depth: usize = 0;
        let mut in_string: Option<u8> = None;
        let bytes = text.as_bytes();
        let mut line_start = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match in_string {
                Some(q) => {
                    if b == b'\\' && q == b'"' {
                        i += 1;
                    } else if b == q || b == b'\n' {
                        in_string = None;
                    }
                }
                None => match b {
                    b'"' | b'\'' => in_string = Some(b),
                    b'#' => {
                        while i < bytes.len() && bytes[i] != b'\n' {
                            i += 1;
                        }
                        continue;
                    }
                    b'[' | b'{' => {
                        if line_start && b == b'[' {
                            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                            if text[i..end].matches('.').count() > MAX_NESTING {
                                return Some(i);
                            }
                        }
                        depth += 1;
                        if depth > MAX_NESTING {
                            return Some(i);
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            line_start = b == b'\n' || (line_start && (b == b' ' || b == b'\t'));
            i += 1;
        }
        None
    }

    #[test]
    fn the_nesting_scan_finds_what_a_byte_by_byte_scan_finds() {
        // Texts made of the bytes the scan reacts to, in every mix.
        let alphabet = [
            "[", "]", "{", "}", "\"", "'", "\\", "#", "\n", " ", "\t", ".", "a", "= ",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..4000 {
            let len = 1 + round % 300;
            let text: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            assert_eq!(too_deep(&text), too_deep_by_byte(&text), "{text:?}");
        }
        let deep = "[".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&deep), Some(MAX_NESTING));
        let header = format!("  [{}]\n", "a.".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&header), Some(2));
        assert_eq!(too_deep("x = \"[[[[\"\n"), None);
    }

    #[test]
    fn the_budget_names_the_limit_it_exceeds() {
        let mut budget = Budget::with_limits(2, 3 * 1024 * 1024);
        assert_eq!(budget.files(2), Ok(()));
        assert_eq!(
            budget.files(3).unwrap_err().to_string(),
            "the governance folder holds 3 declaration files, over the limit of 2"
        );
        assert_eq!(budget.take(2 * 1024 * 1024), Ok(()));
        assert_eq!(
            budget.take(1024 * 1024 + 1).unwrap_err().to_string(),
            "the declaration files total more than 3 MiB, the limit for a governance folder"
        );
        assert_eq!(
            Budget::default().take(MAX_TOTAL_BYTES as usize),
            Ok(()),
            "the limit itself is allowed"
        );
    }
}
