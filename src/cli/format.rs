//! Output formats: the one list of the formats each command writes, which
//! `flag` holds every command's `--format` to.

mod flag;

pub use flag::{check, per_command};

use clap::ValueEnum;

/// Output formats; [`WRITES`] says which command writes which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people
    Human,
    /// JSON for other tools
    Json,
    /// SARIF 2.1.0 for code scanning
    Sarif,
    /// Markdown for pull-request comments and reports
    Markdown,
    /// PEM public keys
    Pem,
    /// GitHub Actions workflow commands: annotations on a pull request
    Github,
}

use Format::{Github, Human, Json, Markdown, Pem, Sarif};

/// What each command writes in each format it accepts; its `--help` lists
/// these. Human comes first: it is every command's default.
const WRITES: &[(&str, &[(Format, &str)])] = &[
    (
        "build",
        &[
            (
                Human,
                "A summary and the first warnings, with source snippets",
            ),
            (Json, "Every diagnostic as JSON on standard output"),
            (Sarif, "Every diagnostic as SARIF 2.1.0 on standard output"),
        ],
    ),
    (
        "check",
        &[
            (
                Human,
                "Text for people, with source snippets, on standard error",
            ),
            (
                Json,
                "An array of diagnostics for other tools (with --summary, an object with the counts)",
            ),
            (Sarif, "SARIF 2.1.0 for code scanning"),
            (
                Github,
                "GitHub workflow commands: annotations on the lines of a pull request",
            ),
            (
                Markdown,
                "A summary by code and the diagnostics by file, for a job summary or a pull-request comment",
            ),
        ],
    ),
    (
        "drift",
        &[
            (Human, "Text for people"),
            (Json, "JSON for other tools"),
            (Sarif, "SARIF 2.1.0 for code scanning"),
            (
                Markdown,
                "Markdown for pull-request comments and scheduled reports",
            ),
        ],
    ),
    (
        "escalations",
        &[
            (Human, "Each team's items, for people"),
            (Json, "An array of teams, each with its items"),
            (Markdown, "A section per team, to paste as an issue"),
        ],
    ),
    (
        "explain",
        &[
            (Human, "Text for people"),
            (Json, "JSON with everything the text shows"),
        ],
    ),
    (
        "fmt",
        &[(
            Human,
            "The files that would change, and notes on those left alone",
        )],
    ),
    (
        "history",
        &[
            (Human, "Each asset's timeline, for people"),
            (Json, "An array of changes, oldest first"),
        ],
    ),
    (
        "import",
        &[(
            Human,
            "Each problem at its cell, and a summary; --dry-run prints the file",
        )],
    ),
    ("init", &[(Human, "Text for people")]),
    ("keygen", &[(Human, "Text for people")]),
    (
        "release",
        &[
            (Human, "Text for people, with source snippets"),
            (Json, "The diagnostics of a failed check as JSON"),
            (Sarif, "The diagnostics of a failed check as SARIF 2.1.0"),
        ],
    ),
    ("schema", &[(Human, "The JSON Schema")]),
    (
        "signers",
        &[
            (Human, "An OpenSSH allowed_signers file"),
            (Pem, "PEM public keys, each after a line naming its signer"),
        ],
    ),
    ("verify", &[(Human, "Text for people")]),
];

/// Returns the formats `command` writes, each with what it gives there.
fn writes(command: &str) -> &'static [(Format, &'static str)] {
    WRITES
        .iter()
        .find(|(name, _)| *name == command)
        .map_or(&[(Human, "Text for people")], |(_, formats)| formats)
}

#[cfg(test)]
mod tests {
    use super::{Format, WRITES};
    use clap::CommandFactory;

    #[test]
    fn every_command_lists_its_formats_once_human_first() {
        let cli = crate::cli::Cli::command();
        let commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
        let listed: Vec<&str> = WRITES.iter().map(|(name, _)| *name).collect();
        assert_eq!(listed, commands, "one entry per command, in command order");
        for (name, formats) in WRITES {
            assert_eq!(formats.first().map(|f| f.0), Some(Format::Human), "{name}");
        }
    }
}
