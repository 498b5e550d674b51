//! The flags every command takes: where the repository and the governance
//! folder are, what day it is, and how to print.

use super::format::Format;
use super::CommandError;
use clap::{Args, ValueEnum};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when writing to a terminal and NO_COLOR is unset
    Auto,
    Always,
    Never,
}

/// Flags shared by every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Repository root [default: the Git repository around the current folder]
    #[arg(long, global = true, value_name = "PATH")]
    pub repo: Option<PathBuf>,

    /// Governance folder, relative to the repository root
    #[arg(long, global = true, value_name = "DIR", default_value = "governance")]
    pub dir: String,

    /// The date rules are checked against [default: today, UTC]
    #[arg(long, global = true, value_name = "YYYY-MM-DD", env = "GOVERN_TODAY", value_parser = parse_date)]
    pub today: Option<Date>,

    /// Output format; `govern COMMAND --help` lists the ones each command
    /// writes
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colours
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

fn parse_date(text: &str) -> Result<Date, String> {
    let day = text
        .parse::<Date>()
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("`{text}` is not a date like 2026-11-23"))?;
    // Keys are checked at 00:00 UTC of the day, in Unix seconds, as OpenSSH
    // checks them; a day outside that range has no such moment.
    match midnight(day) {
        Some(_) => Ok(day),
        None => Err(format!(
            "`{text}` is outside the days govern works with (1970-01-01 to 9999-12-30)"
        )),
    }
}

/// 00:00 UTC of `day` in Unix seconds, when it is 1970 or later.
fn midnight(day: Date) -> Option<u64> {
    let seconds = day
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp()
        .as_second();
    u64::try_from(seconds).ok()
}

impl Global {
    /// Returns the day rules are checked against: `--today`, else
    /// `GOVERN_TODAY`, else the current UTC date.
    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(|| {
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date()
        })
    }

    /// Returns the moment keys are checked against, in Unix seconds: 00:00
    /// UTC of `--today` (or `GOVERN_TODAY`) when given, else the clock.
    pub fn now(&self) -> u64 {
        match self.today.and_then(midnight) {
            Some(seconds) => seconds,
            // `--today` is checked to have a midnight when parsed, and the
            // clock of a machine that verifies is after 1970.
            None => u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or(u64::MAX),
        }
    }

    /// Returns the repository root: `--repo`, else the nearest folder at or
    /// above the current one that holds `.git`, else the current folder.
    pub fn repo_root(&self) -> Result<PathBuf, CommandError> {
        if let Some(repo) = &self.repo {
            if !repo.is_dir() {
                return Err(CommandError::usage(format!(
                    "--repo {} is not a folder",
                    repo.display()
                ))
                .hint("pass the root of the repository that holds the governance folder"));
            }
            return Ok(repo.clone());
        }
        let cwd = std::env::current_dir().map_err(|e| CommandError::environment(&e))?;
        Ok(find_repository(&cwd).unwrap_or(cwd))
    }

    /// Returns true when standard error should be coloured.
    pub fn color_stderr(&self) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none() && super::out::stderr_is_terminal()
            }
        }
    }
}

fn find_repository(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}
