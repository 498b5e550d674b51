//! Computes the Git tree id a folder of the working tree would have if it
//! were committed as it is, to tell whether it matches a commit.

use gix::objs::tree::{Entry, EntryKind};
use gix::objs::{Kind, Tree, WriteTo};
use gix::ObjectId;
use std::io;
use std::path::Path;

fn hash(kind: Kind, data: &[u8]) -> io::Result<ObjectId> {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, kind, data).map_err(io::Error::other)
}

/// Returns the tree id of `path`, or `None` when it holds no file (Git
/// does not record empty folders).
pub fn tree_id(path: &Path) -> io::Result<Option<ObjectId>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == ".git" {
            continue;
        }
        let file_type = entry.file_type()?;
        let full = entry.path();
        let (kind, oid) = if file_type.is_symlink() {
            let target = std::fs::read_link(&full)?;
            let target = target.to_string_lossy().into_owned();
            (EntryKind::Link, hash(Kind::Blob, target.as_bytes())?)
        } else if file_type.is_dir() {
            match tree_id(&full)? {
                Some(oid) => (EntryKind::Tree, oid),
                None => continue,
            }
        } else if file_type.is_file() {
            let bytes = std::fs::read(&full)?;
            (executable(&entry)?, hash(Kind::Blob, &bytes)?)
        } else {
            // Git records no FIFO, socket or device, and opening a FIFO
            // would wait for a writer for ever.
            continue;
        };
        entries.push(Entry {
            mode: kind.into(),
            filename: name.as_bytes().into(),
            oid,
        });
    }
    if entries.is_empty() {
        return Ok(None);
    }
    entries.sort();
    let mut bytes = Vec::new();
    Tree { entries }.write_to(&mut bytes)?;
    hash(Kind::Tree, &bytes).map(Some)
}

#[cfg(unix)]
fn executable(entry: &std::fs::DirEntry) -> io::Result<EntryKind> {
    use std::os::unix::fs::PermissionsExt;
    let mode = entry.metadata()?.permissions().mode();
    Ok(if mode & 0o111 != 0 {
        EntryKind::BlobExecutable
    } else {
        EntryKind::Blob
    })
}

#[cfg(not(unix))]
fn executable(_: &std::fs::DirEntry) -> io::Result<EntryKind> {
    Ok(EntryKind::Blob)
}
