//! Failures of a command as the user sees them: a message, the chain of
//! causes, a hint, and the exit code that classifies them.

use super::out;
use crate::diag::printable;
use std::process::ExitCode;

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: the governance content is wrong.
    Content,
    /// 2: the command line is wrong.
    Usage,
    /// 3: the environment failed (I/O, repository, keys).
    Environment,
}

impl Exit {
    /// Returns the process exit code.
    pub fn code(self) -> ExitCode {
        ExitCode::from(match self {
            Exit::Success => 0,
            Exit::Content => 1,
            Exit::Usage => 2,
            Exit::Environment => 3,
        })
    }
}

/// A failed command: what failed, why, and what to do about it.
#[derive(Debug)]
pub struct CommandError {
    pub exit: Exit,
    pub message: String,
    pub causes: Vec<String>,
    pub hint: Option<String>,
    /// Set when the reader of a pipe went away: the command ends without a
    /// message.
    pub quiet: bool,
}

impl CommandError {
    /// An environment failure (exit 3) from an error and its source chain.
    pub fn environment(error: &dyn std::error::Error) -> Self {
        let message = error.to_string();
        let mut causes: Vec<String> = Vec::new();
        let mut source = error.source();
        while let Some(cause) = source {
            // Libraries that wrap an error often repeat its text; say it once.
            let text = cause.to_string();
            if causes.last().unwrap_or(&message) != &text {
                causes.push(text);
            }
            source = cause.source();
        }
        CommandError {
            exit: Exit::Environment,
            message,
            causes,
            hint: None,
            quiet: false,
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CommandError {
            exit: Exit::Usage,
            message: message.into(),
            causes: Vec::new(),
            hint: None,
            quiet: false,
        }
    }

    /// A problem with the governance content itself (exit 1).
    pub fn content(message: impl Into<String>) -> Self {
        CommandError {
            exit: Exit::Content,
            message: message.into(),
            causes: Vec::new(),
            hint: None,
            quiet: false,
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Returns the exit code class.
    pub fn exit(&self) -> Exit {
        self.exit
    }

    /// Writes the error to standard error, unless it is quiet.
    pub fn print(&self, color: bool) -> Result<(), out::Error> {
        if self.quiet {
            return Ok(());
        }
        let (red, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let mut text = format!(
            "{red}error{reset}{bold}: {}{reset}\n",
            printable(&self.message)
        );
        for cause in &self.causes {
            text.push_str(&format!("  caused by: {}\n", printable(cause)));
        }
        if let Some(hint) = &self.hint {
            text.push_str(&format!("  hint: {}\n", printable(hint)));
        }
        out::stderr(text)
    }
}

impl From<out::Error> for CommandError {
    /// A closed pipe ends the command quietly with exit 0; any other failed
    /// write is an environment failure. See [`out`] for why.
    fn from(error: out::Error) -> Self {
        if error.is_broken_pipe() {
            return CommandError {
                exit: Exit::Success,
                message: error.to_string(),
                causes: Vec::new(),
                hint: None,
                quiet: true,
            };
        }
        let mut failure = CommandError::environment(&error);
        if error.stream() == out::Stream::Stderr {
            // The message would go to the stream that just failed.
            failure.quiet = true;
        }
        failure
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(crate::diag::printable("plain"), "plain");
        assert_eq!(
            crate::diag::printable("a\nverified\u{1b}[0m"),
            "a\\nverified\\u{1b}[0m"
        );
    }

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct Wrap(&'static str, #[source] Option<Box<Wrap>>);

    #[test]
    fn a_cause_repeated_down_the_chain_is_said_once() {
        let inner = Wrap("bad preamble", None);
        let middle = Wrap("bad preamble", Some(Box::new(inner)));
        let outer = Wrap(
            "not a key",
            Some(Box::new(Wrap("bad preamble", Some(Box::new(middle))))),
        );
        let error = super::CommandError::environment(&outer);
        assert_eq!(error.causes, vec!["bad preamble".to_string()]);
    }
}
