//! `govern verify` as an attacker tries it: a release must be a
//! self-contained tree of regular files that its signed manifest lists
//! exactly, signed by a key valid now. Every case fails with exit 1 and a
//! message naming what is wrong, and nothing blocks.

mod common;

use common::release::{
    assert_fails, govern_within, keygen, release, released, repo_with, resign, ssh_sign,
};
use common::{govern_on, Run};
use std::os::unix::fs::symlink;
use std::process::Command;

fn with_file(release: &common::release::Release, extra: &[&str]) -> Run {
    let allowed = release.allowed_signers();
    let mut args = vec!["--signers", allowed.to_str().unwrap()];
    args.extend_from_slice(extra);
    release.verify(&args)
}

#[test]
fn a_key_that_expired_cannot_sign_by_turning_its_clock_back() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "old");
    let repo = repo_with(&[("old", &public, Some("2026-09-01"))]);
    let dist = repo.path().join("dist");
    let refused = release(&repo, &key, &dist, &[]);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("expired on 2026-09-01"),
        "{}",
        refused.stderr
    );
    assert!(!dist.exists(), "nothing written");

    let signed = govern_on(
        repo.path(),
        "2026-08-31",
        &[
            "release",
            "--key",
            key.to_str().unwrap(),
            "--out",
            dist.to_str().unwrap(),
        ],
    );
    assert_eq!(signed.code, Some(0), "{}", signed.stderr);
    let allowed = keys.path().join("allowed_signers");
    let run = repo.govern(&["signers", "--out", allowed.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let dist_arg = dist.to_str().unwrap();
    let allowed_arg = allowed.to_str().unwrap();

    // Verified today, the key has expired, whatever the release says.
    let now = repo.govern(&["verify", dist_arg, "--signers", allowed_arg]);
    assert_fails(&now, "key of old expired at 2026-09-02T00:00:00Z");
    assert_fails(
        &repo.govern(&["verify", dist_arg, "--trust", "HEAD"]),
        "expired on 2026-09-01",
    );
    // OpenSSH agrees.
    let ssh = Command::new("ssh-keygen")
        .args([
            "-Y",
            "verify",
            "-f",
            allowed_arg,
            "-I",
            "old",
            "-n",
            "govern-baseline",
            "-s",
        ])
        .arg(dist.join("MANIFEST.json.sig"))
        .arg("-Overify-time=20261123Z")
        .stdin(std::fs::File::open(dist.join("MANIFEST.json")).unwrap())
        .output()
        .unwrap();
    assert!(!ssh.status.success(), "ssh-keygen rejects it too");

    // An auditor verifying as of a day the key was valid says so.
    let then = govern_on(
        repo.path(),
        "2026-09-01",
        &["verify", dist_arg, "--signers", allowed_arg],
    );
    assert_eq!(then.code, Some(0), "{}", then.stderr);
}

#[test]
fn the_manifest_carries_no_date_of_its_own() {
    let release = released();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(release.dist.join("MANIFEST.json")).unwrap())
            .unwrap();
    assert!(manifest.get("date").is_none(), "{manifest}");
}

#[test]
fn a_listed_file_that_is_a_link_fails_even_with_the_same_bytes() {
    let release = released();
    let outside = release.keys.path().join("report.html");
    std::fs::copy(release.dist.join("report.html"), &outside).unwrap();
    std::fs::remove_file(release.dist.join("report.html")).unwrap();
    symlink(&outside, release.dist.join("report.html")).unwrap();
    assert_fails(
        &with_file(&release, &[]),
        "report.html is a symbolic link: a release holds regular files only",
    );
}

#[test]
fn a_manifest_that_is_a_link_fails() {
    let release = released();
    let outside = release.keys.path().join("MANIFEST.json");
    std::fs::rename(release.dist.join("MANIFEST.json"), &outside).unwrap();
    symlink(&outside, release.dist.join("MANIFEST.json")).unwrap();
    assert_fails(
        &with_file(&release, &[]),
        "MANIFEST.json is a symbolic link",
    );
}

#[test]
fn a_folder_that_is_a_link_fails() {
    let release = released();
    let outside = release.keys.path().join("raci");
    std::fs::rename(release.dist.join("raci"), &outside).unwrap();
    symlink(&outside, release.dist.join("raci")).unwrap();
    assert_fails(&with_file(&release, &[]), "raci is a symbolic link");
}

#[test]
fn a_fifo_or_a_link_to_a_device_never_blocks() {
    let release = released();
    let allowed = release.allowed_signers();
    let args = [
        "verify",
        release.dist_arg(),
        "--signers",
        allowed.to_str().unwrap(),
    ];
    let target = release.dist.join("CODEOWNERS");
    std::fs::remove_file(&target).unwrap();
    let made = Command::new("mkfifo").arg(&target).status().unwrap();
    assert!(made.success());
    let run = govern_within(release.repo.path(), 20, &args);
    assert_fails(
        &run,
        "CODEOWNERS is a named pipe: a release holds regular files only",
    );

    std::fs::remove_file(&target).unwrap();
    symlink("/dev/zero", &target).unwrap();
    let run = govern_within(release.repo.path(), 20, &args);
    assert_fails(&run, "CODEOWNERS is a symbolic link");

    std::fs::remove_file(&target).unwrap();
    std::fs::write(&target, "").unwrap();
    std::fs::remove_file(release.dist.join("MANIFEST.json.sig")).unwrap();
    Command::new("mkfifo")
        .arg(release.dist.join("MANIFEST.json.sig"))
        .status()
        .unwrap();
    let run = govern_within(release.repo.path(), 20, &args);
    assert_fails(&run, "MANIFEST.json.sig is a named pipe");
}

#[test]
fn a_folder_in_place_of_a_file_fails() {
    let release = released();
    std::fs::remove_file(release.dist.join("CODEOWNERS")).unwrap();
    std::fs::create_dir(release.dist.join("CODEOWNERS")).unwrap();
    std::fs::write(release.dist.join("CODEOWNERS/x"), "x").unwrap();
    assert_fails(&with_file(&release, &[]), "CODEOWNERS is a folder");
}

#[test]
fn hidden_files_and_empty_folders_are_extra() {
    let release = released();
    std::fs::write(release.dist.join(".hidden"), "").unwrap();
    assert_fails(
        &with_file(&release, &[]),
        ".hidden is not listed in the manifest",
    );
    std::fs::remove_file(release.dist.join(".hidden")).unwrap();
    std::fs::create_dir(release.dist.join("raci/empty")).unwrap();
    assert_fails(&with_file(&release, &[]), "raci/empty/ is an empty folder");
}

#[test]
fn a_duplicate_entry_signed_by_a_trusted_key_fails() {
    let release = released();
    resign(&release.dist, &release.key, |m| {
        let files = m["files"].as_array_mut().unwrap();
        let first = files[0].clone();
        files.insert(0, first);
    });
    assert_fails(&with_file(&release, &[]), "is listed twice");
}

#[test]
fn a_wrong_size_signed_by_a_trusted_key_fails() {
    let release = released();
    resign(&release.dist, &release.key, |m| {
        let files = m["files"].as_array_mut().unwrap();
        let file = files
            .iter_mut()
            .find(|f| f["path"] == "CODEOWNERS")
            .unwrap();
        file["size"] = 1.into();
    });
    assert_fails(&with_file(&release, &[]), "CODEOWNERS has ");
    assert_fails(&with_file(&release, &[]), "the manifest says 1");
}

#[test]
fn an_unsorted_list_signed_by_a_trusted_key_fails() {
    let release = released();
    resign(&release.dist, &release.key, |m| {
        m["files"].as_array_mut().unwrap().reverse();
    });
    assert_fails(&with_file(&release, &[]), "not sorted by path");
}

#[test]
fn paths_that_leave_the_release_fail() {
    for path in ["../outside", "/etc/passwd", "a\u{0}b", "a//b", "a\\b"] {
        let release = released();
        resign(&release.dist, &release.key, |m| {
            let files = m["files"].as_array_mut().unwrap();
            files[0]["path"] = path.into();
        });
        let run = with_file(&release, &[]);
        assert_fails(&run, "MANIFEST.json is not a govern manifest");
        assert!(!run.stderr.contains("passwd\n"), "{}", run.stderr);
    }
}

#[test]
fn a_missing_signature_or_a_missing_release_is_exit_1() {
    let release = released();
    let allowed = release.allowed_signers();
    let missing = release.repo.govern(&[
        "verify",
        release.repo.path().join("nowhere").to_str().unwrap(),
        "--signers",
        allowed.to_str().unwrap(),
    ]);
    assert_fails(&missing, "does not exist");
    std::fs::remove_file(release.dist.join("MANIFEST.json.sig")).unwrap();
    assert_fails(&with_file(&release, &[]), "MANIFEST.json.sig is missing");
}

#[test]
fn a_signature_of_another_namespace_fails() {
    let release = released();
    let _ = std::fs::remove_file(release.dist.join("MANIFEST.json.sig"));
    let out = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", "git", "-f"])
        .arg(&release.key)
        .arg(release.dist.join("MANIFEST.json"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_fails(&with_file(&release, &[]), "namespace `git`");
}

#[test]
fn trust_must_name_a_commit() {
    let release = released();
    let tree = release.repo.git(&["rev-parse", "HEAD^{tree}"]);
    let run = release.verify(&["--trust", tree.trim()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("is a tree, not a commit"),
        "{}",
        run.stderr
    );
    let run = release.verify(&["--trust", "no-such-branch"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn identity_is_required_like_ssh_keygen_i() {
    let release = released();
    assert_eq!(with_file(&release, &["--identity", "office"]).code, Some(0));
    assert_fails(
        &with_file(&release, &["--identity", "mallory"]),
        "is not listed for identity mallory",
    );
}

#[test]
fn an_unlisted_key_resigning_the_release_is_named_by_fingerprint() {
    let release = released();
    let (other, _) = keygen(release.keys.path(), "intruder");
    ssh_sign(&other, &release.dist);
    let run = with_file(&release, &[]);
    assert_fails(&run, "key SHA256:");
    assert_fails(&run, "is not in allowed_signers");
}

#[test]
fn a_day_without_a_unix_midnight_is_a_usage_error() {
    let release = released();
    for day in ["1969-12-31", "1900-01-01", "9999-12-31"] {
        let run = govern_on(
            release.repo.path(),
            day,
            &["verify", release.dist_arg(), "--trust", "HEAD"],
        );
        assert_eq!(run.code, Some(2), "{day}: {}", run.stderr);
        assert!(
            run.stderr.contains("outside the days govern works with"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_release_that_ships_its_own_repository_cannot_choose_its_signers() {
    let release = released();
    // The release carries a repository of its own; run verify from inside it.
    let inner = &release.dist;
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &["commit", "-q", "-m", "mine"],
    ] {
        let out = common::git_in(inner, args, common::PINNED);
        assert!(out.status.success());
    }
    let run = common::govern_in(inner, &["verify", ".", "--trust", "main"]);
    assert_fails(&run, "is inside the release folder");
    // A manifest that lists `.git` is refused whatever the repository.
    resign(&release.dist, &release.key, |m| {
        let files = m["files"].as_array_mut().unwrap();
        files.insert(
            0,
            serde_json::json!({"path": ".git/HEAD", "sha256": "0".repeat(64), "size": 1}),
        );
    });
    assert_fails(&with_file(&release, &[]), "`.git` segment");
}

#[test]
fn a_dirty_release_says_so_when_verified() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "office");
    let repo = repo_with(&[("office", &public, None)]);
    repo.write(
        "governance/assets.toml",
        &common::release::ASSETS.replace("notes", "drafts"),
    );
    let dist = repo.path().join("dist");
    let run = release(&repo, &key, &dist, &["--allow-dirty"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let verified = repo.govern(&["verify", dist.to_str().unwrap(), "--trust", "HEAD"]);
    assert_eq!(verified.code, Some(0), "{}", verified.stderr);
    assert!(
        verified
            .stdout
            .contains("built with uncommitted changes on top of commit"),
        "{}",
        verified.stdout
    );
}

#[test]
fn the_innermost_empty_folder_is_named_and_names_cannot_forge_lines() {
    let release = released();
    std::fs::create_dir_all(release.dist.join("e1/e2")).unwrap();
    assert_fails(&with_file(&release, &[]), "e1/e2/ is an empty folder");
    std::fs::remove_dir_all(release.dist.join("e1")).unwrap();
    std::fs::write(release.dist.join("x\nverified 1 files"), "").unwrap();
    let run = with_file(&release, &[]);
    assert_fails(&run, "x\\nverified 1 files is not listed");
    assert!(
        !run.stderr.lines().any(|l| l.starts_with("verified")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_signers_file_or_key_that_would_block_is_refused() {
    let release = released();
    let fifo = release.keys.path().join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let run = govern_within(
        release.repo.path(),
        20,
        &[
            "verify",
            release.dist_arg(),
            "--signers",
            fifo.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    let out = release.repo.path().join("again");
    let run = govern_within(
        release.repo.path(),
        20,
        &[
            "release",
            "--key",
            fifo.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn signers_with_errors_at_the_trusted_revision_are_not_trusted() {
    let mut release = released();
    release
        .repo
        .write("governance/teams.toml", "[[team]\nbroken");
    release.repo.commit("Break the teams file");
    let run = release.verify(&["--trust", "HEAD"]);
    assert_fails(&run, "has errors, so its signers cannot be trusted");
    let signers = release.repo.govern(&["signers"]);
    assert_eq!(signers.code, Some(1), "{}", signers.stderr);
    assert!(signers.stdout.is_empty(), "{}", signers.stdout);
}

#[test]
fn a_pattern_of_principals_is_named_as_a_pattern_not_as_a_signer() {
    let release = released();
    let allowed = release.allowed_signers();
    // `office namespaces="…" ssh-ed25519 AAAA… team:…`
    let text = std::fs::read_to_string(&allowed).unwrap();
    let words: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("office "))
        .unwrap()
        .split_whitespace()
        .collect();
    let key = format!("{} {}", words[2], words[3]);
    let patterned = release.keys.path().join("patterned");
    std::fs::write(&patterned, format!("* {key}\n")).unwrap();
    let run = release.verify(&["--signers", patterned.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("listed for `*`"), "{}", run.stdout);
    assert!(!run.stdout.contains("signed by *"), "{}", run.stdout);
}
