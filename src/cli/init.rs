//! `govern init`: write a small working governance repository.

use super::{out, CommandError, Exit, Global};
use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    ("governance.toml", include_str!("starter/governance.toml")),
    ("teams/teams.toml", include_str!("starter/teams.toml")),
    ("assets/assets.toml", include_str!("starter/assets.toml")),
    (
        "controls/controls.toml",
        include_str!("starter/controls.toml"),
    ),
];

/// Write a small governance repository that passes `govern check`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create the governance folder in [default: the current folder]
    pub path: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
enum Error {
    #[error("cannot create {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let root = match &args.path {
        Some(path) => path.clone(),
        None => std::env::current_dir().map_err(|e| CommandError::environment(&e))?,
    };
    let target = root.join(&global.dir);
    if target.exists() {
        return Err(
            CommandError::usage(format!("{} already exists", target.display()))
                .hint("init never overwrites; choose another folder or --dir"),
        );
    }
    let today = global.today().to_string();
    write_all(&target, &today).map_err(|e| CommandError::environment(&e))?;
    out::stderr(format_args!(
        "created {} with {} files; run `govern check` to see it pass\n",
        target.display(),
        FILES.len()
    ))?;
    Ok(Exit::Success)
}

fn write_all(target: &Path, today: &str) -> Result<(), Error> {
    for (name, text) in FILES {
        let path = target.join(name);
        let text = text.replace("ATTESTED", today);
        let parent = path.parent().unwrap_or(target);
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
        std::fs::write(&path, text).map_err(|source| Error::Write { path, source })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::FILES;
    use crate::model::settings::Policy;

    /// The settings `init` writes are the defaults, spelt out so that a new
    /// repository shows what it can tune.
    #[test]
    fn the_starter_settings_are_the_defaults() {
        let outcome = crate::check::files(&[("governance/governance.toml", FILES[0].1)]);
        let (written, default) = (&outcome.model.settings.policy, Policy::default());
        assert_eq!(written.frameworks, default.frameworks);
        assert_eq!(written.trust_threshold, default.trust_threshold);
        assert_eq!(written.max_credential_ttl, default.max_credential_ttl);
        assert_eq!(written.max_exception_days, default.max_exception_days);
        assert_eq!(written.attestation_max_age, default.attestation_max_age);
        assert_eq!(written.governance_functions, default.governance_functions);
        assert_eq!(written.escalation, default.escalation);
        assert_eq!(written.trust_max_age, default.trust_max_age);
        assert_eq!(written.expiry_notice, default.expiry_notice);
        assert_eq!(written.triage_functions, default.triage_functions);
        assert_eq!(written.approval_ttl, default.approval_ttl);
        let text = FILES[0].1;
        for key in [
            "trust-max-age",
            "expiry-notice",
            "triage-functions",
            "approval-ttl",
        ] {
            assert!(
                text.contains(&format!("\n{key} = ")),
                "{key} is not written"
            );
        }
    }
}
