//! The one way the command line writes to standard output and standard
//! error: each write goes to the locked stream, is flushed, and returns its
//! failure instead of panicking the way `print!` and `eprintln!` do.
//!
//! Rust ignores SIGPIPE, so a reader that went away (`govern history | head
//! -1`) arrives here as an `io::Error` of kind `BrokenPipe`. What a command
//! does with a failed write, decided once in [`super::run`]:
//!
//! - a closed pipe on either stream ends the command quietly with exit 0,
//!   as ripgrep does: the reader has everything it asked for, and a message
//!   about it would only be noise (git dies of SIGPIPE instead, which we do
//!   not restore because a half-written output folder must be cleaned up);
//! - any other failure (no space left, `> /dev/full`) is exit 3, with a
//!   message on standard error when that still works;
//! - a failure to write the message of an error that already ended the
//!   command is ignored: its exit code stands.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

/// Which stream a write went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// A write to standard output or standard error that failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing to standard output failed.
    #[error("cannot write to standard output")]
    Stdout(#[source] io::Error),
    /// Writing to standard error failed.
    #[error("cannot write to standard error")]
    Stderr(#[source] io::Error),
}

impl Error {
    /// Returns the stream that failed.
    pub fn stream(&self) -> Stream {
        match self {
            Error::Stdout(_) => Stream::Stdout,
            Error::Stderr(_) => Stream::Stderr,
        }
    }

    /// Returns true when the reader closed its end of the pipe.
    pub fn is_broken_pipe(&self) -> bool {
        let (Error::Stdout(e) | Error::Stderr(e)) = self;
        e.kind() == io::ErrorKind::BrokenPipe
    }
}

/// Writes `text` to standard output and flushes it.
pub fn stdout(text: impl Display) -> Result<(), Error> {
    let mut lock = io::stdout().lock();
    write!(lock, "{text}")
        .and_then(|()| lock.flush())
        .map_err(Error::Stdout)
}

/// Writes `value` as pretty JSON and a newline to standard output as it is
/// serialized, without holding the whole text: a timeline can run to many
/// megabytes.
pub fn stdout_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Writes to standard output through a buffer what `write` writes, as it
/// is made: a large report is never held whole.
pub fn stdout_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Writes `text` to standard error.
pub fn stderr(text: impl Display) -> Result<(), Error> {
    let mut lock = io::stderr().lock();
    write!(lock, "{text}")
        .and_then(|()| lock.flush())
        .map_err(Error::Stderr)
}

/// Returns true when standard error is a terminal.
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}
