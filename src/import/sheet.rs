//! Reads a sheet into cells with addresses: a CSV file (UTF-8, with or
//! without a byte-order mark, comma or semicolon separated) or one sheet of
//! a workbook (XLSX and the other formats calamine reads).
//!
//! Invariant: every cell keeps the address a person finds it at, the CSV
//! line and column or the workbook's `Sheet!D17`, so that every later
//! problem names the cell it came from.

use calamine::{Data, Reader};
use jiff::civil::Date;

/// The largest sheet file read; a larger one is refused unread.
pub const MAX_SHEET_BYTES: usize = 32 * 1024 * 1024;

/// The most cells one sheet may hold.
pub const MAX_CELLS: usize = 4_000_000;

/// One cell's value, as the sheet typed it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date cell of a workbook.
    Date(Date),
    /// A cell the workbook holds as an error (`#N/A`), or a date cell
    /// outside the calendar: what it shows.
    Error(String),
}

impl Cell {
    /// Returns true for an empty cell or one holding only blanks.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

/// Where a cell is, as the user finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Address {
    /// A CSV record's first line and a 1-based column.
    Csv { line: u64, column: usize },
    /// A workbook cell, 0-based row and column.
    Cell { row: u32, column: u32 },
    /// A whole CSV record or workbook row, for what no one cell holds.
    Row { line: u64 },
}

/// One row of data: its cells and where each is.
#[derive(Debug)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub at: Vec<Address>,
    /// The address of the row itself.
    pub whole: Address,
}

/// A sheet: where it came from, its header row and its data rows.
#[derive(Debug)]
pub struct Sheet {
    /// The file's name, without its folder.
    pub file: String,
    /// The workbook sheet read; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The header row, first non-empty row of the sheet.
    pub header: Row,
    /// The rows under it that hold anything.
    pub rows: Vec<Row>,
}

impl Sheet {
    /// Renders `at` as users see it: `assets.csv:17:4`, `inventory.xlsx:Assets!D17`.
    pub fn address(&self, at: Address) -> String {
        match (at, &self.sheet) {
            (Address::Csv { line, column }, _) => format!("{}:{line}:{column}", self.file),
            (Address::Cell { row, column }, Some(sheet)) => {
                format!(
                    "{}:{}!{}{}",
                    self.file,
                    quote_sheet(sheet),
                    letters(column),
                    row + 1
                )
            }
            (Address::Cell { row, column }, None) => {
                format!("{}:{}{}", self.file, letters(column), row + 1)
            }
            (Address::Row { line }, Some(sheet)) => {
                format!("{}:{}!{line}:{line}", self.file, quote_sheet(sheet))
            }
            (Address::Row { line }, None) => format!("{}:{line}", self.file),
        }
    }
}

/// Quotes a sheet name the way spreadsheets do when it holds anything but
/// letters, digits and underscores; control characters are escaped.
fn quote_sheet(name: &str) -> String {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let name = crate::diag::printable(name);
    if plain {
        name.into_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Returns the spreadsheet letters of a 0-based column: 0 -> A, 26 -> AA.
pub fn letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Why a sheet could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file} is larger than {} MiB, the largest sheet read", MAX_SHEET_BYTES / (1024 * 1024))]
    TooLarge { file: String },
    #[error("{file} holds more than {MAX_CELLS} cells, the most one import reads")]
    TooManyCells { file: String },
    #[error("{file} is not UTF-8 text (line {line}); save the sheet as CSV UTF-8")]
    NotUtf8 { file: String, line: u64 },
    #[error("{file} is not a CSV file that can be read")]
    Csv {
        file: String,
        #[source]
        source: csv::Error,
    },
    #[error("{file} is not a workbook that can be read")]
    Workbook {
        file: String,
        #[source]
        source: calamine::Error,
    },
    #[error("{file} has no sheet named `{sheet}`; its sheets are {}", names.join(", "))]
    NoSuchSheet {
        file: String,
        sheet: String,
        names: Vec<String>,
    },
    #[error("{file} is a damaged workbook: its parts do not agree")]
    Damaged { file: String },
    #[error("{file} has no sheets")]
    NoSheets { file: String },
    #[error("{file} has no header row: the sheet is empty")]
    Empty { file: String },
}

/// Which reader a file needs, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Workbook,
}

impl Format {
    /// Picks the reader for a file name: `.csv`, or a workbook
    /// (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`).
    pub fn of(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(Format::Workbook),
            _ => None,
        }
    }
}

/// Reads the bytes of the file named `file` (its name without a folder).
/// `sheet` picks a workbook's sheet, by default the first; a CSV file has
/// no sheets and ignores it.
pub fn read(file: &str, bytes: &[u8], format: Format, sheet: Option<&str>) -> Result<Sheet, Error> {
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(Error::TooLarge { file: file.into() });
    }
    let (sheet, rows) = match format {
        Format::Csv => (None, csv_rows(file, bytes)?),
        Format::Workbook => {
            let (name, rows) = guarded(file, || workbook_rows(file, bytes, sheet))?;
            (Some(name), rows)
        }
    };
    let mut rows = rows
        .into_iter()
        .filter(|r| !r.cells.iter().all(Cell::is_blank));
    let header = rows
        .next()
        .ok_or_else(|| Error::Empty { file: file.into() })?;
    Ok(Sheet {
        file: file.into(),
        sheet,
        header,
        rows: rows.collect(),
    })
}

/// Picks `;` when the first line holds more semicolons than commas.
fn delimiter(text: &[u8]) -> u8 {
    let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|&&b| b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

fn csv_rows(file: &str, bytes: &[u8]) -> Result<Vec<Row>, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(bytes))
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut cells = 0usize;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(source) => {
                return Err(Error::Csv {
                    file: file.into(),
                    source,
                })
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        cells += record.len();
        if cells > MAX_CELLS {
            return Err(Error::TooManyCells { file: file.into() });
        }
        let mut row = Row {
            cells: Vec::with_capacity(record.len()),
            at: Vec::with_capacity(record.len()),
            whole: Address::Row { line },
        };
        for (i, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field).map_err(|_| Error::NotUtf8 {
                file: file.into(),
                line,
            })?;
            row.cells.push(if text.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text.to_string())
            });
            row.at.push(Address::Csv {
                line,
                column: i + 1,
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Runs a workbook read, turning a panic inside the workbook reader (some
/// damaged files make calamine index out of bounds) into an error. The
/// panic hook is silenced meanwhile, so that no panic message reaches the
/// user; the read runs on this thread only.
fn guarded<T>(file: &str, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| Err(Error::Damaged { file: file.into() }))
}

fn workbook_rows(
    file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(String, Vec<Row>), Error> {
    let workbook_error = |source| Error::Workbook {
        file: file.into(),
        source,
    };
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(workbook_error)?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| Error::NoSuchSheet {
                file: file.into(),
                sheet: wanted.into(),
                names: names.clone(),
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::NoSheets { file: file.into() })?,
    };
    let range = book.worksheet_range(&name).map_err(workbook_error)?;
    let (height, width) = range.get_size();
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(Error::TooManyCells { file: file.into() });
    }
    let (top, left) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let row = top + i as u32;
            Row {
                at: (0..cells.len())
                    .map(|j| Address::Cell {
                        row,
                        column: left + j as u32,
                    })
                    .collect(),
                cells: cells.iter().map(cell).collect(),
                whole: Address::Row {
                    line: u64::from(row) + 1,
                },
            }
        })
        .collect();
    Ok((name, rows))
}

/// Converts a workbook cell.
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            // calamine's day, written as ISO and read back: no second
            // calendar crate here.
            let date = dt
                .as_datetime()
                .and_then(|t| t.date().to_string().parse::<Date>().ok());
            match date {
                Some(date) => Cell::Date(date),
                None => Cell::Error(format!("the date serial {}", dt.as_f64())),
            }
        }
        Data::DateTime(dt) => Cell::Float(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("the error {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Sheet {
        read("a.csv", text.as_bytes(), Format::Csv, None).unwrap()
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(3), "D");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }

    #[test]
    fn a_bom_and_semicolons_are_read() {
        let sheet = csv("\u{feff}id;kind\nbot;agent\n");
        assert_eq!(sheet.header.cells[0], Cell::Text("id".into()));
        assert_eq!(sheet.rows[0].cells[1], Cell::Text("agent".into()));
    }

    #[test]
    fn a_quoted_newline_stays_in_its_cell_and_the_next_record_keeps_its_line() {
        let sheet = csv("id,description\na,\"two\nlines\"\nb,x\n");
        assert_eq!(sheet.rows[0].cells[1], Cell::Text("two\nlines".into()));
        assert_eq!(sheet.address(sheet.rows[1].at[1]), "a.csv:4:2");
    }

    #[test]
    fn blank_rows_are_skipped() {
        let sheet = csv("\n,,\nid\n,\na\n");
        assert_eq!(sheet.header.cells[0], Cell::Text("id".into()));
        assert_eq!(sheet.rows.len(), 1);
    }

    #[test]
    fn sheet_names_are_quoted_when_they_need_it() {
        let sheet = Sheet {
            file: "i.xlsx".into(),
            sheet: Some("AI assets".into()),
            header: Row {
                cells: vec![],
                at: vec![],
                whole: Address::Row { line: 1 },
            },
            rows: vec![],
        };
        assert_eq!(
            sheet.address(Address::Cell { row: 16, column: 3 }),
            "i.xlsx:'AI assets'!D17"
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_with_its_line() {
        let error = read("a.csv", b"id\n\xff\n", Format::Csv, None).unwrap_err();
        assert!(matches!(error, Error::NotUtf8 { line: 2, .. }), "{error}");
    }

    #[test]
    fn a_damaged_workbook_is_an_error_never_a_panic() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "id").unwrap();
        sheet.write_string(1, 0, "bot").unwrap();
        sheet.write_number(1, 1, 3.5).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let good = read("a.xlsx", &bytes, Format::Workbook, None).unwrap();
        assert_eq!(good.address(good.rows[0].at[1]), "a.xlsx:Sheet1!B2");
        let mut refused = 0;
        for cut in (0..bytes.len()).step_by(97) {
            refused += usize::from(read("a.xlsx", &bytes[..cut], Format::Workbook, None).is_err());
        }
        for at in (0..bytes.len()).step_by(61) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x5a;
            // Either reading is an error or it gives a sheet; it never panics.
            let _ = read("a.xlsx", &flipped, Format::Workbook, None);
        }
        assert!(
            refused > bytes.len() / 97 / 2,
            "most truncations are refused"
        );
    }
}
