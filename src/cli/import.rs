//! `govern import`: turn a sheet of teams, assets or controls into one
//! declaration file, checked with the repository before it is written.

use super::{out, CommandError, Exit, Global};
use crate::diag::Severity;
use crate::import::{self, sheet, Imported, Request, SaveError, What};
use crate::load::worktree;
use std::path::{Path, PathBuf};

/// Import teams, assets or controls from a CSV file or a spreadsheet
///
/// Columns are matched to fields by their header, ignoring case and
/// punctuation (`Spiffe ID` is `identity.spiffe-id`, `Owner` is
/// `owners.accountable`). A --map file names the field of any other header
/// (`"Business Owner" = "owners.accountable"`, or `"Notes" = "ignore"`) and
/// gives defaults for empty cells (`environment = "production"`). The rows
/// are checked with the repository; the file is written only when they bring
/// no error, and never over a file that an import of the same sheet did not
/// write.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What each row declares
    #[arg(value_enum)]
    pub kind: What,
    /// The sheet: a .csv file (comma or semicolon separated) or a workbook
    /// (.xlsx, .xlsm, .xlsb, .xls, .ods)
    pub file: PathBuf,
    /// The workbook's sheet to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A TOML file mapping headers to fields and giving defaults
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<PathBuf>,
    /// Where to write [default: <dir>/<kind>/imported-<file stem>.toml]
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Print the file instead of writing it
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let what = args.kind;
    let file = file_name(&args.file);
    let format = sheet::Format::of(&file).ok_or_else(|| {
        CommandError::usage(format!(
            "{} is neither a CSV file nor a workbook",
            args.file.display()
        ))
        .hint("name a .csv, .xlsx, .xlsm, .xlsb, .xls or .ods file")
    })?;
    if format == sheet::Format::Csv && args.sheet.is_some() {
        return Err(CommandError::usage(
            "--sheet picks a sheet of a workbook; a CSV file has none",
        ));
    }
    if let Some(out) = &args.out {
        if out.extension().is_none_or(|e| e != "toml") {
            return Err(CommandError::usage(format!(
                "--out {} does not end in .toml, so `govern check` would not read it",
                out.display()
            )));
        }
    }
    let bytes = read(&args.file)?;
    let map = match &args.map {
        Some(path) => {
            let text = String::from_utf8(read(path)?).map_err(|_| {
                CommandError::content(format!("{} is not UTF-8 text", path.display()))
            })?;
            Some((path.display().to_string(), text))
        }
        None => None,
    };
    let root = global.repo_root()?;
    let cwd = std::env::current_dir().map_err(|e| CommandError::environment(&e))?;
    let root = cwd.join(root);
    let out_path = match &args.out {
        Some(path) => cwd.join(path),
        None => root
            .join(&global.dir)
            .join(what.folder())
            .join(import::default_name(&args.file)),
    };
    let out_name = out_path.strip_prefix(&root).map_or_else(
        |_| out_path.display().to_string(),
        |p| p.to_string_lossy().replace('\\', "/"),
    );
    let inputs = worktree::inputs(&root, &global.dir)
        .map_err(|e| super::source::worktree_error(global, e))?;
    let imported = import::import(Request {
        what,
        file: file.clone(),
        bytes,
        format,
        sheet: args.sheet.clone(),
        map,
        out: out_name.clone(),
        inputs,
        today: global.today(),
    })
    .map_err(sheet_error)?;
    out::stderr(import::render(&imported.problems))?;
    let counts = counts(&imported, what);
    let Some(text) = &imported.text else {
        out::stderr(format_args!("{counts}; nothing written\n"))?;
        return Ok(Exit::Content);
    };
    if args.dry_run {
        out::stdout(text)?;
        out::stderr(format_args!("{counts}; would write {out_name}\n"))?;
        return Ok(Exit::Success);
    }
    import::save(&out_path, text, &file, imported.sheet.as_deref()).map_err(save_error)?;
    out::stderr(format_args!("{counts}; wrote {out_name}\n"))?;
    Ok(Exit::Success)
}

/// The summary: "read 3 assets from assets.csv: 0 errors, 2 warnings".
fn counts(imported: &Imported, what: What) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let table = what.field().key;
    let mut text = format!(
        "read {}: {}, {}, {}",
        plural(imported.records, table),
        plural(imported.count(Severity::Error), "error"),
        plural(imported.count(Severity::Warning), "warning"),
        plural(imported.count(Severity::Info), "info"),
    );
    if imported.standing_errors > 0 {
        text.push_str(&format!(
            " (the repository has {} of its own, which `govern check` shows)",
            plural(imported.standing_errors, "error")
        ));
    }
    text
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn read(path: &Path) -> Result<Vec<u8>, CommandError> {
    if path.is_dir() {
        return Err(CommandError::usage(format!(
            "{} is a folder",
            path.display()
        )));
    }
    // A sheet larger than the limit is refused before it is read whole.
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.len() > sheet::MAX_SHEET_BYTES as u64 {
            return Err(sheet_error(sheet::Error::TooLarge {
                file: file_name(path),
            }));
        }
    }
    std::fs::read(path).map_err(|e| {
        let mut error = CommandError::environment(&e);
        error.message = format!("cannot read {}", path.display());
        error.causes = vec![e.to_string()];
        if e.kind() == std::io::ErrorKind::NotFound {
            error.exit = Exit::Usage;
        }
        error
    })
}

fn sheet_error(e: sheet::Error) -> CommandError {
    let mut error = CommandError::environment(&e);
    error.exit = match e {
        sheet::Error::NoSuchSheet { .. } => Exit::Usage,
        _ => Exit::Content,
    };
    error
}

fn save_error(e: SaveError) -> CommandError {
    match e {
        SaveError::Foreign { .. } | SaveError::NotAFile { .. } => {
            let mut error = CommandError::environment(&e);
            error.exit = Exit::Usage;
            error
                .hint("import never overwrites a file it did not write from this sheet; pass --out")
        }
        SaveError::Write { .. } => CommandError::environment(&e),
    }
}
