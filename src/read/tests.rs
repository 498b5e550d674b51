//! The entry point on real repositories in temporary folders, committed
//! with pinned dates.

use super::{checked, checked_two, templates, Checked, Error, Source};
use crate::check::Keep;
use crate::git;
use crate::load::worktree;
use jiff::civil::Date;
use std::path::Path;
use std::process::Command;

const TODAY: Date = jiff::civil::date(2026, 11, 23);

const SETTINGS: &str = "[organization]\nname = \"Read Corp\"\n\n[policy]\nframeworks = [\"owasp-agentic-top10-2026\"]\n";
const TEAMS: &str = "[[team]]\nid = \"product\"\n\n[[team]]\nid = \"platform\"\n";
const ASSETS: &str =
    "[[asset]]\nid = \"notes\"\nkind = \"dataset\"\nowners = { accountable = \"product\" }\n";

/// Runs git in `dir` with a pinned identity and date, 2026-09-22.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", "1790086400 +0000")
        .env("GIT_COMMITTER_DATE", "1790086400 +0000")
        .env("GIT_AUTHOR_NAME", "Ada Governance")
        .env("GIT_AUTHOR_EMAIL", "ada@git.example")
        .env("GIT_COMMITTER_NAME", "Ada Governance")
        .env("GIT_COMMITTER_EMAIL", "ada@git.example")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("git writes UTF-8")
        .trim()
        .to_string()
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A repository whose one commit declares a team, an asset and an
/// unknown key (so there is a diagnostic to compare); returns it and HEAD.
fn committed() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "governance/governance.toml", SETTINGS);
    write(root, "governance/teams.toml", TEAMS);
    write(
        root,
        "governance/assets/a.toml",
        &format!("{ASSETS}colour = \"red\"\n"),
    );
    write(root, "templates/CODEOWNERS", "# ours\n");
    write(root, "templates/notes.txt", "not a template\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Declare the notes"]);
    let head = git(root, &["rev-parse", "HEAD"]);
    (dir, head)
}

fn read(root: &Path, source: &Source) -> Checked {
    checked(root, "governance", TODAY, source).expect("the declarations read")
}

#[test]
fn a_clean_working_tree_and_its_head_give_the_same_model_and_provenance() {
    let (dir, head) = committed();
    let worktree = read(dir.path(), &Source::Worktree);
    let rev = read(dir.path(), &Source::Rev("HEAD".into()));

    assert_eq!(
        format!("{:?}", worktree.outcome.model),
        format!("{:?}", rev.outcome.model)
    );
    assert_eq!(worktree.outcome.model.assets.len(), 1);
    assert_eq!(worktree.outcome.diagnostics, rev.outcome.diagnostics);
    assert!(
        !worktree.outcome.diagnostics.is_empty(),
        "the unknown key is reported"
    );
    let names = |c: &Checked| {
        let sources = &c.outcome.sources;
        sources
            .iter()
            .map(|(id, _)| sources.name(id).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&worktree),
        names(&rev),
        "plain repository-relative names"
    );

    assert_eq!(worktree.provenance, rev.provenance);
    assert_eq!(rev.provenance.commit.as_deref(), Some(head.as_str()));
    let tree = git(dir.path(), &["rev-parse", "HEAD:governance"]);
    assert_eq!(rev.provenance.tree.as_deref(), Some(tree.as_str()));
    assert_eq!(
        rev.provenance.date.as_deref(),
        Some("2026-09-22T14:13:20+00:00")
    );
    assert!(!worktree.provenance.dirty);

    assert_eq!(worktree.commit, None);
    assert_eq!(rev.commit.map(|c| c.to_string()), Some(head.clone()));
    assert_eq!(worktree.outcome.sources.revision(), None);
    let revision = rev
        .outcome
        .sources
        .revision()
        .expect("a revision is recorded");
    assert_eq!(
        (revision.name.as_str(), revision.commit.as_str()),
        ("HEAD", head.as_str())
    );
}

#[test]
fn an_edited_working_tree_is_dirty_and_its_head_is_not() {
    let (dir, head) = committed();
    write(
        dir.path(),
        "governance/teams.toml",
        &format!("{TEAMS}\n[[team]]\nid = \"data\"\n"),
    );
    let worktree = read(dir.path(), &Source::Worktree);
    let rev = read(dir.path(), &Source::Rev("main".into()));

    assert_eq!(worktree.outcome.model.teams.len(), 3);
    assert_eq!(
        rev.outcome.model.teams.len(),
        2,
        "HEAD is read, not the working tree"
    );
    assert!(worktree.provenance.dirty);
    assert!(!rev.provenance.dirty);
    assert_eq!(worktree.provenance.commit.as_deref(), Some(head.as_str()));
    assert_eq!(
        worktree.provenance.tree, rev.provenance.tree,
        "HEAD's tree either way"
    );
    let revision = rev
        .outcome
        .sources
        .revision()
        .expect("a revision is recorded");
    assert_eq!(revision.name, "main", "as the user named it");
}

#[test]
fn outside_a_repository_the_working_tree_names_no_commit() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "governance/teams.toml", TEAMS);
    let worktree = read(dir.path(), &Source::Worktree);
    assert_eq!(worktree.outcome.model.teams.len(), 2);
    assert_eq!(worktree.provenance.commit, None);
    assert_eq!(worktree.provenance.tree, None);
    assert!(worktree.provenance.dirty);
    let error = checked(dir.path(), "governance", TODAY, &Source::Rev("HEAD".into()))
        .expect_err("no repository, no revision");
    assert!(
        matches!(error, Error::Git(git::Error::NotARepository { .. })),
        "{error:?}"
    );
}

#[test]
fn a_missing_folder_or_revision_is_a_typed_error() {
    let (dir, _) = committed();
    let at = |dir_name: &str, source: Source| {
        checked(dir.path(), dir_name, TODAY, &source).expect_err("refused")
    };
    let error = at("nope", Source::Worktree);
    assert!(
        matches!(
            error,
            Error::Worktree(worktree::Error::MissingFolder { .. })
        ),
        "{error:?}"
    );
    let error = at("nope", Source::Rev("HEAD".into()));
    assert!(
        matches!(error, Error::Git(git::Error::MissingFolder { .. })),
        "{error:?}"
    );
    let error = at("governance", Source::Rev("nosuch".into()));
    assert!(
        matches!(error, Error::Git(git::Error::UnknownRevision { .. })),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "revision `nosuch` does not exist");
}

#[test]
fn templates_come_from_where_the_declarations_do() {
    let (dir, _) = committed();
    write(
        dir.path(),
        "templates/CODEOWNERS",
        "# edited, not committed\n",
    );
    let render = |source: Source| {
        let templates = templates(dir.path(), &source, None).expect("the templates load");
        let text = templates
            .render("CODEOWNERS", serde_json::json!({}))
            .unwrap_or_else(|e| format!("error: {e}"));
        (text, templates.unknown)
    };
    let (worktree, unknown) = render(Source::Worktree);
    assert!(
        worktree.starts_with("# edited, not committed"),
        "{worktree}"
    );
    let notes = dir.path().join("templates/notes.txt");
    assert_eq!(unknown, [notes.display().to_string()]);
    let (rev, unknown) = render(Source::Rev("HEAD".into()));
    assert!(rev.starts_with("# ours"), "{rev}");
    assert_eq!(unknown, ["templates/notes.txt at HEAD"]);
}

#[test]
fn templates_are_read_from_the_commit_the_declarations_came_from() {
    let (dir, first) = committed();
    write(dir.path(), "templates/CODEOWNERS", "# theirs\n");
    git(dir.path(), &["commit", "-q", "-am", "Change the template"]);
    let first = gix::ObjectId::from_hex(first.as_bytes()).expect("a commit id");
    // HEAD has moved on since the declarations were read at `first`.
    let pinned = templates(dir.path(), &Source::Rev("HEAD".into()), Some(first))
        .expect("the templates load");
    let text = pinned.render("CODEOWNERS", serde_json::json!({})).unwrap();
    assert!(text.starts_with("# ours"), "{text}");
    let moved = templates(dir.path(), &Source::Rev("HEAD".into()), None).unwrap();
    let text = moved.render("CODEOWNERS", serde_json::json!({})).unwrap();
    assert!(text.starts_with("# theirs"), "{text}");
}

/// Everything a checked side holds that a report or a baseline reads:
/// every source's name and text, the model and the diagnostics.
fn seen(c: &Checked) -> String {
    let sources = &c.outcome.sources;
    let files: Vec<(&str, &str)> = sources
        .iter()
        .map(|(id, f)| (sources.name(id), f.text.as_str()))
        .collect();
    format!(
        "{files:?}\n{:?}\n{:?}\n{:?}",
        c.outcome.model, c.outcome.diagnostics, c.provenance
    )
}

/// Two revisions read together, the files they share parsed while the
/// rest is read, check as each checks alone: with files shared at the same
/// place, shared at another place (a file added before them), renamed,
/// edited, and read through a link.
#[test]
fn two_revisions_read_together_give_what_each_gives_alone() {
    let (dir, first) = committed();
    let root = dir.path();
    let more =
        "[[asset]]\nid = \"report\"\nkind = \"dataset\"\nowners = { accountable = \"platform\" }\n";
    write(root, "governance/assets/b.toml", more);
    write(
        root,
        "governance/assets/d.toml",
        &more.replace("report", "digest"),
    );
    std::os::unix::fs::symlink("b.toml", root.join("governance/assets/link.toml")).expect("a link");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "More assets"]);
    let second = git(root, &["rev-parse", "HEAD"]);
    write(
        root,
        "governance/assets/b.toml",
        &more.replace("platform", "product"),
    );
    git(root, &["commit", "-q", "-am", "Hand the report over"]);
    let third = git(root, &["rev-parse", "HEAD"]);
    write(
        root,
        "governance/assets/0.toml",
        &more.replace("report", "zero"),
    );
    git(
        root,
        &["mv", "governance/assets/d.toml", "governance/assets/e.toml"],
    );
    git(root, &["add", "-A"]);
    git(
        root,
        &["commit", "-q", "-m", "Add one before the rest, rename one"],
    );
    let fourth = git(root, &["rev-parse", "HEAD"]);

    let revs = [&first, &second, &third, &fourth];
    for from in revs {
        for to in revs {
            let (from, to) = (Source::Rev(from.to_string()), Source::Rev(to.to_string()));
            let (b, a) = checked_two(root, "governance", TODAY, &from, &to, Keep::All)
                .expect("both sides read");
            assert_eq!(seen(&b), seen(&read(root, &from)), "{from:?} of {to:?}");
            assert_eq!(seen(&a), seen(&read(root, &to)), "{to:?} from {from:?}");
        }
    }
}

/// A revision's files reach the reader's hand in the order they are
/// returned, each with its place and, unless it is a link, its blob id;
/// `blob_ids` names them as the read does.
#[test]
fn a_read_hands_on_each_file_in_order_with_its_blob() {
    let (dir, _) = committed();
    let root = dir.path();
    std::os::unix::fs::symlink("teams.toml", root.join("governance/linked.toml")).expect("a link");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "Link the teams"]);
    let repo = git::Repo::discover(root).expect("a repository");
    let commit = repo.resolve("HEAD").expect("HEAD");
    let mut seen = Vec::new();
    let inputs = repo
        .inputs_with(commit, "governance", "HEAD", None, &mut |i, input, blob| {
            seen.push((i, input.name.clone(), blob))
        })
        .expect("HEAD reads");
    let ids = repo.blob_ids(commit, "governance").expect("HEAD lists");
    assert_eq!(seen.len(), inputs.len());
    assert_eq!(inputs.len(), 4, "{seen:?}");
    for (place, (i, name, blob)) in seen.iter().enumerate() {
        assert_eq!((*i, name), (place, &inputs[place].name));
        let want = match name.as_str() {
            "governance/linked.toml" => None,
            _ => Some(git(root, &["rev-parse", &format!("HEAD:{name}")])),
        };
        assert_eq!(blob.map(|b| b.to_string()), want, "{name}");
        assert_eq!(ids.get(name).map(|b| b.to_string()), want, "{name}");
    }
    let mut sorted = inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    sorted.sort_by(|a, b| crate::load::rules::path_order(a, b));
    assert_eq!(
        inputs.iter().map(|i| &i.name).collect::<Vec<_>>(),
        sorted.iter().collect::<Vec<_>>()
    );
}
