//! The whole baseline of the example, pinned: every file of `dist/` (and
//! every entry of the OPA bundle) is a snapshot under `tests/snapshots/dist/`,
//! so any change to any output shows in review. What names the commit (its
//! id, its governance tree, its date, whether the tree was dirty) is
//! redacted, and so are the hashes MANIFEST.json keeps of files that hold
//! it and the size of the compressed bundle; the compact OSCAL export is
//! pinned pretty-printed, its commit time redacted. Review changes with
//! `cargo insta review`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

const TODAY: &str = "2026-11-23";

fn git(args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("git runs");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// What names the commit the baseline is built from.
struct Commit {
    id: String,
    tree: String,
    date: String,
}

impl Commit {
    fn head() -> Self {
        Commit {
            id: git(&["rev-parse", "HEAD"]),
            tree: git(&["rev-parse", "HEAD:governance"]),
            date: git(&["log", "-1", "--format=%cs"]),
        }
    }

    /// Replaces what differs between commits of the same declarations.
    fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        let short = &self.id[..12.min(self.id.len())];
        for (value, mark) in [
            (self.id.as_str(), "[commit]"),
            (self.tree.as_str(), "[tree]"),
            (short, "[commit]"),
        ] {
            if !value.is_empty() {
                text = text.replace(value, mark);
            }
        }
        if !self.date.is_empty() {
            text = text.replace(
                &format!("[commit]</code> of {} ", self.date),
                "[commit]</code> of [date] ",
            );
        }
        text
    }
}

/// Unpacks the OPA bundle beside itself, and lists its entries with the
/// metadata tar keeps, which is fixed for byte-identical bundles.
fn unpack(bundle: &Path, into: &Path) -> String {
    let file = fs::File::open(bundle).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut listing = String::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let header = entry.header();
        let path = entry.path().unwrap().into_owned();
        listing.push_str(&format!(
            "{} mode {:o} uid {} gid {} mtime {} size {}\n",
            path.display(),
            header.mode().unwrap(),
            header.uid().unwrap(),
            header.gid().unwrap(),
            header.mtime().unwrap(),
            header.size().unwrap(),
        ));
        let target = into.join(&path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        entry.unpack(&target).unwrap();
    }
    listing
}

#[test]
fn every_file_of_the_example_baseline_is_as_pinned() {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    common::build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &dist,
        &["--today", TODAY],
    );
    let pinned = tmp.path().join("pinned");
    for entry in walk(&dist) {
        let name = entry.strip_prefix(&dist).unwrap();
        let copy = pinned.join(name);
        fs::create_dir_all(copy.parent().unwrap()).unwrap();
        if name.to_string_lossy().ends_with(".tar.gz") {
            let listing = unpack(&entry, &pinned.join(format!("{}.d", name.display())));
            fs::write(copy.with_extension("gz.entries"), listing).unwrap();
        } else {
            fs::copy(&entry, &copy).unwrap();
        }
    }
    let commit = Commit::head();
    let mut seen = 0;
    insta::glob!(&pinned, "**/*", |path| {
        if path.is_dir() {
            return;
        }
        seen += 1;
        let mut text = fs::read_to_string(path).expect("every pinned file is text");
        if path.ends_with("MANIFEST.json") {
            text = manifest(&text);
        }
        // The OSCAL files are compact, one line; pinned spread out, so a
        // change reads as lines in review, keys in their order.
        if path.extension().is_some_and(|e| e == "json")
            && path.to_string_lossy().contains("/oscal/")
        {
            let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
            // Dated by the commit.
            for document in value.as_object_mut().unwrap().values_mut() {
                document["metadata"]["last-modified"] = "[time]".into();
            }
            text = serde_json::to_string_pretty(&value).unwrap() + "\n";
        }
        insta::with_settings!({
            snapshot_path => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/dist"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("dist", commit.redact(&text));
        });
    });
    assert!(seen > 40, "the baseline has {seen} files");
}

/// MANIFEST.json without what follows from the commit: whether the tree
/// was dirty, the hashes (report.html and the bundle hold the commit id),
/// and the compressed bundle's size, which varies with that id.
fn manifest(text: &str) -> String {
    let mut manifest: serde_json::Value = serde_json::from_str(text).unwrap();
    manifest["dirty"] = "[dirty]".into();
    for file in manifest["files"].as_array_mut().unwrap() {
        file["sha256"] = "[sha256]".into();
        if file["path"].as_str().unwrap().ends_with(".tar.gz") {
            file["size"] = "[size]".into();
        }
    }
    let mut out = serde_json::to_string_pretty(&manifest).unwrap();
    out.push('\n');
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
