//! `govern release`: build the baseline from HEAD and sign its manifest.

use super::source::{self, git_error, open_repo};
use super::{build, check, key, out, CommandError, Exit, Global};
use crate::compile::{manifest, Provenance};
use crate::git::{self, Repo};
use crate::read;
use crate::sign::anchor::{self, NotASigner};
use crate::sign::release;
use std::path::PathBuf;

/// Build the baseline from HEAD and sign MANIFEST.json with a listed signer's key
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The signer's Ed25519 private key in OpenSSH format
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// Output folder
    #[arg(long, value_name = "DIR", default_value = "dist")]
    pub out: PathBuf,

    /// Also create this annotated Git tag on the released commit
    #[arg(long, value_name = "NAME")]
    pub tag: Option<String>,

    /// Release even though the governance folder has uncommitted changes
    /// (recorded in the manifest)
    #[arg(long)]
    pub allow_dirty: bool,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let repo = open_repo(global)?;
    let head = repo.resolve("HEAD").map_err(git_error)?;
    if let Some(tag) = &args.tag {
        check_tag(&repo, tag)?;
    }
    let clean = repo.is_committed(&global.dir).map_err(git_error)?;
    if !clean && !args.allow_dirty {
        return Err(CommandError::usage(format!(
            "the working tree has uncommitted changes under {}",
            global.dir
        ))
        .hint("commit them, or pass --allow-dirty (the manifest records it)"));
    }
    let key = key::read(&args.key)?;
    let checked =
        read::at_commit(&repo, &global.dir, global.today(), "HEAD", head).map_err(git_error)?;
    let outcome = &checked.outcome;
    if outcome.has_errors() {
        check::report(global, outcome)?;
        out::stderr("release stopped: fix the errors above; nothing was written\n")?;
        return Ok(Exit::Content);
    }
    let signer = anchor::release_signer(
        &key,
        &outcome.model.settings.signers,
        &outcome.sources,
        global.now(),
    )
    .map_err(not_a_signer)?;
    let info = repo.info(head).map_err(git_error)?;
    // HEAD as committed, marked dirty when the working tree differs.
    let provenance = Provenance {
        dirty: !clean,
        ..checked.provenance.clone()
    };
    let templates = source::templates(global, None, Some("HEAD"), Some(head))?;
    let written = build::write(
        &args.out,
        outcome,
        &templates,
        &provenance,
        &Default::default(),
        |manifest| {
            let signature =
                release::sign(&key, manifest).map_err(|e| CommandError::environment(&e))?;
            Ok(vec![(release::SIGNATURE, signature.into_bytes())])
        },
    )?;
    let digest = manifest::sha256_hex(&written.manifest);
    if let Some(tag) = &args.tag {
        let message = format!(
            "govern release of {}\n\nMANIFEST.json sha256 {digest}\nsigned by {}{}\n",
            global.dir,
            signer.signer(None),
            team(&signer)
        );
        repo.create_tag(tag, head, &message, |payload| {
            release::sign_as(&key, release::GIT_NAMESPACE, payload)
        })
        .map_err(|e| git_error(e).hint("the release folder is written; the tag is not"))?;
    }
    out::stderr(format_args!(
        "released {} ({} files) from {} signed by {}{}{}\nMANIFEST.json sha256 {digest}\n",
        args.out.display(),
        written.files,
        &info.id[..10],
        signer.signer(None),
        team(&signer),
        if clean {
            ""
        } else {
            ", with uncommitted changes recorded as dirty"
        }
    ))?;
    Ok(Exit::Success)
}

/// A key that may not sign: what to declare, or which key to use instead.
fn not_a_signer(e: NotASigner) -> CommandError {
    let (refused, public) = match e {
        NotASigner::Refused {
            refused,
            public_key,
        } => (refused, public_key),
        NotASigner::Encode(e) => return CommandError::environment(&e),
    };
    let hint = if refused.is_unlisted() {
        format!(
            "add a [[signer]] with public-key = \"{public}\" and commit it, or use a listed key"
        )
    } else {
        "use the key of a listed signer that is valid today, or renew this one".to_string()
    };
    CommandError::content(format!(
        "the key is not a listed, valid [[signer]] of governance.toml at HEAD: {refused}"
    ))
    .hint(hint)
}

/// ` (team)` after a signer's name, when its team is known.
fn team(signer: &crate::sign::allowed::Accepted) -> String {
    signer
        .team
        .as_deref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default()
}

/// Refuses a tag that cannot be made, before anything is built: a name Git
/// would reject, a tag that exists, or no identity to make it with.
fn check_tag(repo: &Repo, tag: &str) -> Result<(), CommandError> {
    if !git::valid_tag_name(tag) {
        return Err(
            CommandError::usage(format!("`{tag}` is not a valid tag name")).hint(
                "a tag name is a Git reference name of at most 200 bytes: no spaces, `..`, `~`, \
                 `^`, `:`, `?`, `*`, `[` or `\\`, no leading `-` or `refs/`, and not `HEAD` or `@`",
            ),
        );
    }
    match repo.tag_conflict(tag).map_err(git_error)? {
        Some(existing) if existing == format!("refs/tags/{tag}") => {
            return Err(CommandError::usage(format!("tag {tag} already exists"))
                .hint("govern never moves a tag: choose a new name for this release"))
        }
        Some(existing) => {
            return Err(
                CommandError::usage(format!("tag {tag} cannot be made: {existing} exists"))
                    .hint("choose a name that no tag or branch uses, as a whole or as a folder"),
            )
        }
        None => {}
    }
    repo.tagger().map_err(|e| {
        git_error(e).hint(
            "set the identity Git tags with: `git config user.name \"NAME\"` and \
             `git config user.email EMAIL`",
        )
    })?;
    Ok(())
}
