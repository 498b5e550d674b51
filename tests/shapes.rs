//! Hostile shapes of input get what SPEC promises: a long chain of team
//! parents is a tree like any other, a long loop is reported as one
//! bounded set of errors, and a governance folder over the input limits is
//! refused with the documented error and exit code, in the working tree
//! and at a revision.

mod common;

use common::Repo;
use std::fmt::Write as _;

/// `n` teams, each the parent of the next, 50 to a file; with `cycle` the
/// first has the last as its parent. The last team owns one asset.
fn chain(repo: &Repo, n: usize, cycle: bool) {
    repo.write(
        "governance/governance.toml",
        "[organization]\nname = \"Chain\"\n",
    );
    for chunk in 0..n.div_ceil(50) {
        let mut s = String::new();
        for t in chunk * 50..((chunk + 1) * 50).min(n) {
            let _ = writeln!(s, "[[team]]\nid = \"t{t:05}\"");
            match t {
                0 if cycle => {
                    let _ = writeln!(s, "parent = \"t{:05}\"", n - 1);
                }
                0 => {}
                _ => {
                    let _ = writeln!(s, "parent = \"t{:05}\"", t - 1);
                }
            }
        }
        repo.write(&format!("governance/teams/{chunk:03}.toml"), &s);
    }
    repo.write(
        "governance/assets/a.toml",
        &format!(
            "[[asset]]\nid = \"a1\"\nkind = \"model\"\nowners.accountable = \"t{:05}\"\n",
            n - 1
        ),
    );
}

#[test]
fn a_chain_of_ten_thousand_team_parents_is_a_tree() {
    let repo = Repo::new();
    chain(&repo, 10_000, false);
    let run = repo.govern(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("checked 10000 teams"), "{}", run.stderr);
    // CODEOWNERS names each team file's own teams, none with a handle.
    let out = repo.path().join("out");
    let run = repo.govern(&["build", "--out", &out.display().to_string()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_loop_of_ten_thousand_teams_is_reported_once_and_bounded() {
    let repo = Repo::new();
    chain(&repo, 10_000, true);
    let run = repo.govern(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let json = run.json();
    let cycles: Vec<&serde_json::Value> = json
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .filter(|d| d["code"] == "reference-cycle")
        .collect();
    assert_eq!(cycles.len(), 20, "the first 20 members of the one loop");
    for d in cycles {
        let message = d["message"].as_str().unwrap();
        assert!(
            message.starts_with("team `t")
                && message.ends_with("` is its own ancestor through `parent`"),
            "{message}"
        );
        assert_eq!(
            d["help"],
            "team parents must form a tree; this loop has 10000 teams, of which 20 are reported"
        );
    }
}

#[test]
fn a_short_loop_still_reports_every_member_as_before() {
    let repo = Repo::new();
    chain(&repo, 3, true);
    let run = repo.govern(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr.matches("is its own ancestor").count(), 3);
    assert_eq!(
        run.stderr
            .matches("help: team parents must form a tree\n")
            .count(),
        3
    );
}

/// One file over the limit of 20,000 declaration files.
fn too_many_files(repo: &Repo) {
    repo.write("governance/governance.toml", "");
    for i in 0..20_000 {
        repo.write(&format!("governance/many/{:02}/{i:05}.toml", i / 1000), "");
    }
}

#[test]
fn a_folder_over_the_file_limit_is_refused_in_the_working_tree_and_at_a_revision() {
    let mut repo = Repo::new();
    too_many_files(&repo);
    let run = repo.govern(&["check"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the governance folder holds 20001 declaration files, over the limit of 20000"
        ),
        "{}",
        run.stderr
    );
    repo.commit("Declare too much");
    let run = repo.govern(&["check", "--rev", "HEAD"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the governance folder holds 20001 declaration files, over the limit of 20000 at HEAD"
        ),
        "{}",
        run.stderr
    );
}
