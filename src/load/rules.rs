//! The verdicts both reads of a commit share, so that the working tree and
//! `--rev` accept and refuse the same entries with the same words: how a
//! link resolves, which paths are refused, and the order of the files.

use std::cmp::Ordering;

/// Why a submodule, or a nested repository in the working tree, is refused.
pub const SUBMODULE: &str = "submodules are not read: declare files in this repository";

/// Why a link inside the folder that reaches no regular file is refused.
pub const NO_TARGET: &str = "symbolic link points to no declaration file";

/// Why a link that leaves the folder is refused; `target` as the link holds it.
pub fn leaves(target: &str) -> String {
    format!(
        "symbolic link leaves the governance folder (it points to {})",
        escape(target)
    )
}

/// Why a file whose path holds a control character is refused.
pub fn control(path: &str) -> String {
    format!(
        "the path {} holds a control character: rename it",
        escape(path)
    )
}

/// Resolves `target`, the target of the link at `link`, without touching
/// the file system. `folder` is the folder being read and `link` the link's
/// path inside it, both slash-separated from the repository root. Returns
/// the path inside `folder` the link reaches, or `None` when the target is
/// absolute or resolves outside `folder`. A target that climbs out and back
/// in (`../governance/b.toml`) reaches a file inside, so it is accepted. The
/// governance loader and the template reader both decide by this.
pub fn resolve_link(folder: &str, link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let prefix: Vec<&str> = folder
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let mut parts = prefix.clone();
    parts.extend(link.split('/'));
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    parts.strip_prefix(&prefix[..]).map(|rest| rest.join("/"))
}

/// Returns true when `path` holds a character below 0x20 or DEL.
pub fn has_control(path: &str) -> bool {
    path.chars().any(is_control)
}

fn is_control(c: char) -> bool {
    (c as u32) < 0x20 || c == '\x7f'
}

/// Writes control characters as escapes (`\n`, `\t`, `\x1b`), so that a
/// path can be shown on one line and never injects lines into an output.
pub fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The name of the declaration file at `path` inside the governance folder
/// `dir`: its plain repository-relative path, escaped ([`escape`]), the
/// same whether read from the working tree or a commit.
pub fn name(dir: &str, path: &str) -> String {
    format!("{dir}/{}", escape(path))
}

/// Orders slash-separated paths folder by folder, as a walk of the working
/// tree sorts them, so both reads list the files in the same order.
pub fn path_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_inside_the_folder_only() {
        let resolve = |link, target| resolve_link("governance", link, target);
        assert_eq!(resolve("a/b.toml", "c.toml").as_deref(), Some("a/c.toml"));
        assert_eq!(resolve("a/b.toml", "../c.toml").as_deref(), Some("c.toml"));
        assert_eq!(
            resolve("b.toml", "../governance/c.toml").as_deref(),
            Some("c.toml")
        );
        assert_eq!(resolve("b.toml", "."), Some(String::new()));
        assert_eq!(resolve("b.toml", "../c.toml"), None);
        assert_eq!(resolve("b.toml", "../governance-old/c.toml"), None);
        assert_eq!(resolve("b.toml", "../../c.toml"), None);
        assert_eq!(resolve("b.toml", "/etc/passwd"), None);
        assert_eq!(
            resolve_link("a/./gov/", "x.toml", "y.toml").as_deref(),
            Some("y.toml")
        );
    }

    #[test]
    fn control_characters_are_escaped_and_detected() {
        assert!(has_control("a\nb.toml"));
        assert!(has_control("a\x7fb.toml"));
        assert!(!has_control("teams/a b.toml"));
        assert_eq!(escape("a\nb\x1b.toml"), "a\\nb\\x1b.toml");
    }

    #[test]
    fn paths_sort_folder_by_folder() {
        assert_eq!(path_order("a/x.toml", "a-b/x.toml"), Ordering::Less);
    }
}
