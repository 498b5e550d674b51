//! `govern import`: an inventory kept in a spreadsheet -> one declaration
//! file in canonical form, checked together with the repository first.
//!
//! The way through: [`sheet`] reads cells with their addresses, [`columns`]
//! matches headers to the fields of the kind, [`map`] reads the `--map` file,
//! [`rows`] types the cells, [`write`] writes the file and remembers, per
//! line, the cell each value came from. Then the file is checked with the
//! rest of the governance folder, and every diagnostic it brings is told
//! at its cell.
//!
//! Invariants: fields, types and vocabularies come only from
//! [`crate::load::format`]; nothing is written while an error remains; the
//! same sheet gives the same bytes.

pub mod columns;
pub mod map;
mod report;
pub mod rows;
mod save;
pub mod sheet;
pub mod write;

pub use report::{render, Problem};
pub use save::{save, SaveError};

use crate::check;
use crate::diag::{Code, Diagnostic, Position, Severity};
use crate::load::format::{declarations, Field, Kind, Ty};
use crate::load::{Body, Input};
use columns::{Matcher, Target};
use jiff::civil::Date;
use map::Map;
use rows::{From, Record};
use sheet::Sheet;
use std::collections::HashSet;
use std::path::Path;
use write::{Origin, Written};

/// What a sheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// One `[[team]]` per row
    Teams,
    /// One `[[asset]]` per row
    Assets,
    /// One `[[control]]` per row
    Controls,
}

impl What {
    /// The field of a declaration file that holds these tables: `asset`.
    pub fn field(self) -> &'static Field {
        match self {
            What::Teams => &declarations::TEAM,
            What::Assets => &declarations::ASSET,
            What::Controls => &declarations::CONTROL,
        }
    }

    /// The kind of table one row becomes.
    pub fn kind(self) -> &'static Kind {
        match self.field().ty {
            Ty::Tables(kind) => kind,
            // The declaration file's fields are all arrays of tables.
            _ => &declarations::TABLE,
        }
    }

    /// The folder of the governance repository these files go in, by
    /// convention: `assets`.
    pub fn folder(self) -> &'static str {
        match self {
            What::Teams => "teams",
            What::Assets => "assets",
            What::Controls => "controls",
        }
    }
}

/// What to import, and the repository to check it with.
#[derive(Debug)]
pub struct Request {
    pub what: What,
    /// The sheet's file name, without its folder: the name problems and the
    /// written header use, so the bytes do not depend on where it lies.
    pub file: String,
    pub bytes: Vec<u8>,
    pub format: sheet::Format,
    pub sheet: Option<String>,
    /// The `--map` file's name and text.
    pub map: Option<(String, String)>,
    /// The repository-relative name the file is written under.
    pub out: String,
    /// The governance folder's declaration files as they are.
    pub inputs: Vec<Input>,
    pub today: Date,
}

/// What an import found.
#[derive(Debug)]
pub struct Imported {
    /// The file to write; `None` while an error remains.
    pub text: Option<String>,
    /// Every problem of the sheet and map, and every diagnostic the rows
    /// bring to the repository, at the cell it comes from.
    pub problems: Vec<Problem>,
    /// How many declarations the rows make.
    pub records: usize,
    /// The error diagnostics the repository has without the import, which
    /// it neither adds nor reports.
    pub standing_errors: usize,
    /// The sheet read, for the summary.
    pub sheet: Option<String>,
}

impl Imported {
    /// Counts the problems of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }
}

/// Imports a sheet. Fails only when the sheet cannot be read at all.
pub fn import(request: Request) -> Result<Imported, sheet::Error> {
    let sheet = sheet::read(
        &request.file,
        &request.bytes,
        request.format,
        request.sheet.as_deref(),
    )?;
    let kind = request.what.kind();
    let what = kind.what;
    let targets = columns::targets(kind);
    let matcher = Matcher::new(&targets, request.what.field().key);
    let (map, mut problems) = match &request.map {
        Some((name, text)) => map::read_map(name, text, &targets, &matcher),
        None => (Map::default(), Vec::new()),
    };
    let (cols, found) = columns::columns(&sheet, &targets, &matcher, &map, what);
    problems.extend(found);
    let (records, found) = rows::records(&sheet, &targets, &cols, &map, what);
    problems.extend(found);
    if records.is_empty() {
        // A file of no declarations is one check refuses; say why here.
        problems.push(
            Problem::error(
                Code::MissingField,
                sheet.address(sheet.header.whole),
                "the sheet has no rows under its header: nothing to import",
            )
            .help("fill a row under the header, or pick the sheet that holds them with --sheet"),
        );
        return Ok(Imported {
            text: None,
            problems,
            records: 0,
            standing_errors: 0,
            sheet: sheet.sheet.clone(),
        });
    }
    let written = write::write(
        &sheet.file,
        sheet.sheet.as_deref(),
        request.what.field().key,
        &targets,
        &records,
    );
    let told = Told {
        sheet: &sheet,
        targets: &targets,
        records: &records,
        map: &map,
        written: &written,
    };
    let (standing_errors, brought) = checked(&request, &told);
    problems.extend(brought);
    let errors = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(Imported {
        text: (!errors).then(|| written.text.clone()),
        problems,
        records: records.len(),
        standing_errors,
        sheet: sheet.sheet.clone(),
    })
}

/// Returns true when `existing`, the text of the file an import would
/// replace, was written by an import of the same source.
pub fn may_replace(existing: &str, file: &str, sheet: Option<&str>) -> bool {
    existing.lines().next() == Some(write::first_line(file, sheet).as_str())
}

/// Names the file an import of `file` writes by default in `folder`:
/// `imported-<stem>.toml`, the stem lowercased with anything but letters,
/// digits, `.`, `_` and `-` made a `-`.
pub fn default_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut clean = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        if !(c == '-' && clean.ends_with('-')) {
            clean.push(c);
        }
    }
    let clean = clean.trim_matches('-');
    format!(
        "imported-{}.toml",
        if clean.is_empty() { "sheet" } else { clean }
    )
}

/// Everything needed to tell a line of the written file by its cell.
struct Told<'a> {
    sheet: &'a Sheet,
    targets: &'a [Target],
    records: &'a [Record],
    map: &'a Map,
    written: &'a Written,
}

impl Told<'_> {
    /// Returns the address of what the line at `offset` came from, and a
    /// note when the value is the map file's default.
    fn at(&self, offset: usize) -> (String, Option<String>) {
        match self.written.origin(offset) {
            Origin::Nothing => (self.sheet.address(self.sheet.header.whole), None),
            Origin::Record(r) => (self.row(r), None),
            Origin::Entry(r, i) => {
                let record = &self.records[r];
                let entry = &record.entries[i];
                match entry.from {
                    From::Column(c) => {
                        let row = &self.sheet.rows[record.row];
                        (self.sheet.address(row.at[c]), None)
                    }
                    From::Default(d) => (
                        self.row(r),
                        Some(format!(
                            "`{}` is the default the map file gives at {}",
                            self.targets[entry.target].path(),
                            self.map.defaults[d].2
                        )),
                    ),
                }
            }
        }
    }

    fn row(&self, r: usize) -> String {
        let row = &self.sheet.rows[self.records[r].row];
        self.sheet.address(row.whole)
    }

    /// Returns true when a record lacks a field its kind requires: the
    /// sheet's own problem, so the loader's `missing-field` says nothing
    /// more.
    fn lacks_required(&self, offset: usize) -> bool {
        let r = match self.written.origin(offset) {
            Origin::Record(r) | Origin::Entry(r, _) => r,
            Origin::Nothing => return false,
        };
        self.targets.iter().enumerate().any(|(i, t)| {
            rows::required(t) && !self.records[r].entries.iter().any(|e| e.target == i)
        })
    }
}

/// Checks the repository with and without the written file; returns the
/// errors it has without, and the diagnostics the file brings, told at
/// their cells.
fn checked(request: &Request, told: &Told<'_>) -> (usize, Vec<Problem>) {
    let without = request.inputs.clone();
    let mut with = without.clone();
    with.retain(|i| i.name != request.out);
    with.push(Input {
        name: request.out.clone(),
        is_settings: false,
        body: Body::Bytes(told.written.text.clone().into_bytes()),
    });
    // The two share every file but the written one, parsed once.
    let (before, after) = check::check_two(
        without,
        with,
        Default::default(),
        request.today,
        check::Keep::All,
    );
    let key = |sources: &crate::source::SourceMap, d: &Diagnostic| {
        let p = Position::of(sources, d.span);
        (d.code, p.file, p.line, p.column, d.message.clone())
    };
    let standing: HashSet<_> = before
        .diagnostics
        .iter()
        .map(|d| key(&before.sources, d))
        .collect();
    let standing_errors = before
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let is_out = |span: crate::source::Span| after.sources.get(span.file).name == request.out;
    let mut problems = Vec::new();
    for d in &after.diagnostics {
        let here = is_out(d.span);
        if here && d.code == Code::MissingField && told.lacks_required(d.span.start as usize) {
            continue;
        }
        if !here && standing.contains(&key(&after.sources, d)) {
            continue;
        }
        let elsewhere = |span| {
            let p = Position::of(&after.sources, span);
            format!("{}:{}:{}", p.file, p.line, p.column)
        };
        let mut notes = Vec::new();
        let (at, note) = if here {
            told.at(d.span.start as usize)
        } else if let Some(label) = d.labels.iter().find(|l| is_out(l.span)) {
            notes.push(format!("reported at {}", elsewhere(d.span)));
            told.at(label.span.start as usize)
        } else {
            (elsewhere(d.span), None)
        };
        notes.extend(note);
        for label in &d.labels {
            let place = if is_out(label.span) {
                told.at(label.span.start as usize).0
            } else {
                elsewhere(label.span)
            };
            if place != at {
                notes.push(format!("{}: {place}", label.message));
            }
        }
        problems.push(Problem {
            code: d.code,
            severity: d.severity,
            message: d.message.clone(),
            at,
            help: d.help.clone(),
            notes,
        });
    }
    (standing_errors, problems)
}
