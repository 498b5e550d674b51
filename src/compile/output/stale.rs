//! Staging folders left behind by builds that are gone (killed, or ended
//! by a power cut) and their removal by the next build into the same place.
//!
//! A build holds an advisory lock on its staging folder itself from just
//! after making it until its process ends; the system drops the lock of a
//! dead process. A folder is stale when its lock can be taken and, where
//! `/proc` tells, no process has the id in its name: that second test
//! covers the moment between making a folder and locking it. Only folders
//! named exactly `.NAME.govern-new-PID` or `.NAME.govern-old-PID` are ever
//! considered, and a symbolic link of that name is left alone.

use std::fs::File;
use std::path::Path;

/// The staging folder names of process `pid` for the output called `name`:
/// the new baseline and the retired one.
pub(super) fn names(name: &str, pid: u32) -> (String, String) {
    (
        format!(".{name}.govern-new-{pid}"),
        format!(".{name}.govern-old-{pid}"),
    )
}

/// The process id in `entry` when it is a staging folder name of the output
/// called `name`, in exactly the form [`names`] makes.
fn pid_in(entry: &str, name: &str) -> Option<u32> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?;
    let digits = rest
        .strip_prefix(".govern-new-")
        .or_else(|| rest.strip_prefix(".govern-old-"))?;
    let pid: u32 = digits.parse().ok()?;
    (pid.to_string() == digits).then_some(pid)
}

/// Takes the advisory lock on folder `dir`, held until the file is dropped;
/// `None` when the system cannot lock folders or another process holds it.
pub(super) fn lock(dir: &Path) -> Option<File> {
    let file = File::open(dir).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Removes the staging folders of dead builds of the output called `name`
/// in `parent`. Best effort: a folder that cannot be inspected, locked or
/// removed is left for a later build.
pub(super) fn sweep(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|e| pid_in(e, name)) else {
            continue;
        };
        // The type of the entry itself: a link is never followed.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        if is_stale(&path, pid) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Tells whether the staging folder `dir` of process `pid` belongs to a
/// build that is gone. The lock taken to find out is held while the caller
/// removes the folder.
fn is_stale(dir: &Path, pid: u32) -> bool {
    let Some(_held) = lock(dir) else {
        return false;
    };
    pid == std::process::id() || !alive(pid)
}

/// Tells whether process `pid` runs, where `/proc` can tell; elsewhere the
/// lock alone decides.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_pattern_names_a_staging_folder() {
        assert_eq!(pid_in(".dist.govern-new-42", "dist"), Some(42));
        assert_eq!(pid_in(".dist.govern-old-7", "dist"), Some(7));
        for other in [
            ".dist.govern-new-042",
            ".dist.govern-new-",
            ".dist.govern-new-42x",
            ".dist.govern-new-+42",
            ".dist.govern-tmp-42",
            "dist.govern-new-42",
            ".dist2.govern-new-42",
            ".out.govern-new-42",
            ".dist.govern-new-99999999999",
        ] {
            assert_eq!(pid_in(other, "dist"), None, "{other}");
        }
    }

    #[test]
    fn a_locked_folder_is_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(".dist.govern-new-1");
        std::fs::create_dir(&staging).unwrap();
        let held = lock(&staging).expect("a folder can be locked");
        assert!(!is_stale(&staging, std::process::id()));
        drop(held);
        assert!(is_stale(&staging, std::process::id()));
    }
}
