//! The `--format` argument that holds every command to the formats it
//! writes.
//!
//! `--format` is a global flag, so both `govern --format pem signers` and
//! `govern check --format json` work. Each subcommand gets its own copy of
//! the flag, whose value parser and help know only that command's formats;
//! a value given before the command name is checked against the same list
//! once the command is known. Either way a format the command cannot write
//! is refused while parsing (exit 2), naming the ones it can, so a command's
//! `run` only ever sees one of its own.

use super::{writes, Format};
use clap::builder::{EnumValueParser, PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Arg, Command, ValueEnum};
use std::ffi::OsStr;

/// Gives every subcommand of `cli` its own `--format`: the global flag with
/// only the formats that command writes.
pub fn per_command(cli: Command) -> Command {
    let Some(global) = cli
        .get_arguments()
        .find(|a| a.get_id() == "format")
        .cloned()
    else {
        return cli;
    };
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    names.into_iter().fold(cli, |cli, name| {
        let arg = global
            .clone()
            .global(false)
            .help("Output format")
            .value_parser(Parser(writes(&name)));
        cli.mut_subcommand(name, |c| c.arg(arg))
    })
}

/// Refuses `format` given before the name of `command`, which only the
/// global flag's parser saw, when `command` does not write it: the same
/// error as when it follows the command name.
pub fn check(cli: &Command, command: &str, format: Format) -> Result<(), clap::Error> {
    let formats = writes(command);
    if formats.iter().any(|(f, _)| *f == format) {
        return Ok(());
    }
    let (Some(sub), Some(name)) = (cli.find_subcommand(command), format.to_possible_value()) else {
        return Ok(());
    };
    let arg = sub.get_arguments().find(|a| a.get_id() == "format");
    Parser(formats)
        .parse_ref(sub, arg, OsStr::new(name.get_name()))
        .map(drop)
}

/// Parses a `--format` value against the formats of one command.
#[derive(Clone)]
struct Parser(&'static [(Format, &'static str)]);

impl Parser {
    fn values(&self) -> impl Iterator<Item = PossibleValue> + '_ {
        self.0
            .iter()
            .filter_map(|(format, help)| format.to_possible_value().map(|v| v.help(*help)))
    }
}

impl TypedValueParser for Parser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<Format, clap::Error> {
        // The first parser refuses what this command does not write, with
        // clap's "possible values" and "a similar value exists"; the second
        // turns the accepted name into its format.
        PossibleValuesParser::new(self.values()).parse_ref(cmd, arg, value)?;
        EnumValueParser::<Format>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values()))
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::format::{Format, WRITES};
    use clap::ValueEnum;

    /// The arguments each command needs besides `--format` to parse.
    fn needs(command: &str) -> &'static [&'static str] {
        match command {
            "drift" => &["--from", "HEAD"],
            "explain" => &["billing-agent"],
            "import" => &["assets", "assets.csv"],
            "keygen" => &["--out", "key"],
            "release" => &["--key", "key"],
            _ => &[],
        }
    }

    #[test]
    fn each_command_parses_exactly_its_formats_before_or_after_its_name() {
        for (command, formats) in WRITES {
            for format in Format::value_variants() {
                let name = format.to_possible_value().unwrap().get_name().to_string();
                let accepted = formats.iter().any(|(f, _)| f == format);
                let before: Vec<&str> = ["govern", "--format", &name, command]
                    .into_iter()
                    .chain(needs(command).iter().copied())
                    .collect();
                let after: Vec<&str> = ["govern", command]
                    .into_iter()
                    .chain(needs(command).iter().copied())
                    .chain(["--format", &name])
                    .collect();
                for args in [before, after] {
                    match crate::cli::parse_from(&args) {
                        Ok(cli) => {
                            assert!(accepted, "{args:?} parsed");
                            assert_eq!(cli.global.format, *format, "{args:?}");
                        }
                        Err(e) => {
                            assert!(!accepted, "{args:?}: {e}");
                            assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue);
                            assert_eq!(e.exit_code(), 2);
                            let text = e.to_string();
                            let listed: Vec<String> = formats
                                .iter()
                                .filter_map(|(f, _)| f.to_possible_value())
                                .map(|v| v.get_name().to_string())
                                .collect();
                            assert!(
                                text.contains(&format!("[possible values: {}]", listed.join(", "))),
                                "{args:?}: {text}"
                            );
                        }
                    }
                }
            }
        }
    }
}
