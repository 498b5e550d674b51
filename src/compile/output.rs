//! Writes a baseline into its output folder so that no reader ever sees half
//! of one: files go to a temporary sibling folder that is then moved into
//! place. An output that is not absent or a real directory holding only
//! what govern wrote (a file, a link, a device, a folder of foreign files)
//! is never touched.
//!
//! Staging folders are `.NAME.govern-new-PID` (and `.NAME.govern-old-PID`
//! for the baseline being replaced) beside the output. Those of dead builds
//! are removed by the next build into the same place (see `stale`), and
//! [`abandon`] removes this process's own when it is interrupted.

mod place;
mod stale;

use super::manifest::{hex, Entry};
use super::{Fill, Store};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Why the baseline could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} is a file, not an output folder")]
    OutIsFile { path: PathBuf },
    #[error("{path} is a symbolic link, not an output folder")]
    OutIsLink { path: PathBuf },
    #[error("{path} is {kind}, not an output folder")]
    OutIsSpecial { path: PathBuf, kind: &'static str },
    #[error("{path} does not name a folder")]
    OutHasNoName { path: PathBuf },
    #[error("{parent} is not a folder, so {path} cannot be made in it")]
    ParentNotFolder { path: PathBuf, parent: PathBuf },
    #[error("{path} holds files that govern did not write, such as {example}")]
    ForeignFiles { path: PathBuf, example: String },
    #[error("{path} holds {example}, {kind}, which govern never writes")]
    ForeignEntry {
        path: PathBuf,
        example: String,
        kind: &'static str,
    },
    #[error("cannot inspect {path}")]
    Inspect {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot move the new baseline into {path}")]
    Replace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Tells whether the output path itself is wrong (the command line
    /// should name another), rather than the system failing to write it.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Error::Inspect { .. } | Error::Write { .. } | Error::Replace { .. }
        )
    }
}

/// The staging folders of this process that are neither committed nor
/// removed. The lock is held only to make, commit or remove one, never
/// while a file is written.
static STAGED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The writes into staging folders under way, on every thread. A thread
/// may count more than once: waiting inside a write for the pool, it can
/// take up another file's task. So a write never waits for [`abandon`],
/// which could be waiting for that thread's first write to end.
static WRITING: AtomicUsize = AtomicUsize::new(0);

/// Set once [`abandon`] has begun: from then on no write starts, and a
/// staged file under way fails at its next flush to disk (a file's buffer
/// flushes every 256 KiB and at its end, and a file written whole looks
/// before each 256 KiB of it).
static ABANDONED: AtomicBool = AtomicBool::new(false);

/// How long [`abandon`] waits for the writes under way to end before it
/// removes the staging folders all the same: a write stuck in the system
/// (a hung network mount) must not keep an interrupted build alive.
const ABANDON_WAIT: Duration = Duration::from_secs(5);

/// One write under way, counted in [`WRITING`] for as long as it lives.
struct Writing;

impl Writing {
    /// Counts the write of `path` about to start, unless [`abandon`] has
    /// begun. Both sides count before they look at the other's flag
    /// (sequentially consistent), so either the write sees the build
    /// abandoned or [`abandon`] sees the write and waits for it.
    fn start(path: &Path) -> Result<Writing, Error> {
        WRITING.fetch_add(1, Ordering::SeqCst);
        let writing = Writing;
        abandoned().map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(writing)
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.fetch_sub(1, Ordering::SeqCst);
    }
}

fn abandoned() -> std::io::Result<()> {
    if ABANDONED.load(Ordering::SeqCst) {
        // Not `Interrupted`, which writers retry.
        Err(std::io::Error::other("the build was interrupted"))
    } else {
        Ok(())
    }
}

fn staged() -> MutexGuard<'static, Vec<PathBuf>> {
    STAGED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every staging folder of this process, once the writes under way
/// have ended (for at most [`ABANDON_WAIT`]), and refuses every later one:
/// for a process about to end on a signal, so that it leaves no half
/// baseline behind.
pub fn abandon() {
    // A large file being written ends at its next flush to disk, which
    // fails from now on, so the wait is short.
    ABANDONED.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + ABANDON_WAIT;
    while WRITING.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut staged = staged();
    for dir in staged.drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
    // Never released: the process ends next, and no staging folder may be
    // made or committed first.
    std::mem::forget(staged);
}

/// A baseline being written: files go into a temporary folder beside the
/// output as they are compiled, and `commit` moves it into place whole. A
/// staging folder that is dropped uncommitted is removed, so a failed
/// build leaves the previous output as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    /// Folders made below `dir` so far.
    made: Mutex<HashSet<PathBuf>>,
    /// The advisory lock on `dir` that tells other builds it is in use.
    _lock: Option<File>,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced, removes the staging folders of
    /// dead builds beside it, and makes this build's staging folder.
    pub fn begin(out: &Path) -> Result<Staging, Error> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::OutHasNoName {
                path: out.to_path_buf(),
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        place::check_parent(out, &parent)?;
        place::check(out)?;
        std::fs::create_dir_all(&parent).map_err(|source| Error::Write {
            path: parent.clone(),
            source,
        })?;
        stale::sweep(&parent, &name);
        let (new, old) = stale::names(&name, std::process::id());
        let dir = parent.join(new);
        let mut staged = staged();
        std::fs::create_dir(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        let lock = stale::lock(&dir);
        staged.push(dir.clone());
        drop(staged);
        Ok(Staging {
            out: out.to_path_buf(),
            retired: parent.join(old),
            made: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            _lock: lock,
            committed: false,
        })
    }

    /// Writes one file, `path` relative to the output folder with `/`
    /// between folders. Safe to call from many threads at once.
    ///
    /// The bytes go out in writes of [`BUFFER`], and an interrupt is seen
    /// before each, as often as in a buffered file.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let _writing = Writing::start(&self.dir.join(path))?;
        let target = self.target(path)?;
        let failed = |source| Error::Write {
            path: target.clone(),
            source,
        };
        let mut file = std::fs::File::create(&target).map_err(failed)?;
        for piece in bytes.chunks(BUFFER) {
            abandoned().map_err(failed)?;
            file.write_all(piece).map_err(failed)?;
        }
        Ok(())
    }

    /// The staged place of `path`, with its folder made.
    fn target(&self, path: &str) -> Result<PathBuf, Error> {
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(folder) {
                std::fs::create_dir_all(folder).map_err(|source| Error::Write {
                    path: folder.to_path_buf(),
                    source,
                })?;
                made.insert(folder.to_path_buf());
            }
        }
        Ok(target)
    }

    /// Moves the staged baseline into place, replacing the previous one.
    /// The output is looked at again first: one that has become something
    /// other than a real directory meanwhile is refused and left alone.
    pub fn commit(mut self) -> Result<(), Error> {
        // Dropped before `self` on every return, so an uncommitted `self`
        // can take it again to remove its folder.
        let mut staged = staged();
        let had_old = place::is_folder(&self.out)?;
        // Held until the retired baseline is gone, so that a later build
        // does not take it for a dead one's.
        let mut _retired_lock = None;
        if had_old {
            _retired_lock = stale::lock(&self.out);
            std::fs::rename(&self.out, &self.retired).map_err(|source| Error::Replace {
                path: self.out.clone(),
                source,
            })?;
        }
        if let Err(source) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.retired, &self.out);
            }
            return Err(Error::Replace {
                path: self.out.clone(),
                source,
            });
        }
        self.committed = true;
        staged.retain(|d| d != &self.dir);
        if had_old {
            let _ = std::fs::remove_dir_all(&self.retired);
        }
        Ok(())
    }
}

/// The buffer between a compiled file and the disk: large enough that a
/// file goes out in few system calls, small beside the baseline.
const BUFFER: usize = 256 * 1024;

/// The build onto disk: each file is written into the staging folder as it
/// is rendered (through a buffer, unless it is already whole), and hashed
/// on the way, so that what the manifest records of it is known the moment
/// it is written.
impl Store for Staging {
    type Kept = Entry;

    fn file(&self, path: &str, fill: &mut Fill<'_>) -> Result<Entry, super::Error> {
        let _writing = Writing::start(&self.dir.join(path))?;
        let target = self.target(path)?;
        let failed = |source| Error::Write {
            path: target.clone(),
            source,
        };
        let file = std::fs::File::create(&target).map_err(failed)?;
        let mut out = BufWriter::with_capacity(
            BUFFER,
            Hashing {
                file,
                hasher: Sha256::new(),
                size: 0,
            },
        );
        match fill(&mut out) {
            Ok(()) => {}
            Err(super::Error::Stream(source)) => return Err(failed(source).into()),
            Err(e) => return Err(e),
        }
        let hashed = out.into_inner().map_err(|e| failed(e.into_error()))?;
        Ok(Entry {
            sha256: hex(&hashed.hasher.finalize()),
            size: hashed.size,
        })
    }

    /// A whole file is [`Staging::put`] straight from its bytes and
    /// hashed in one pass: no buffer is made for it.
    fn whole(&self, path: &str, bytes: &[u8]) -> Result<Entry, super::Error> {
        self.put(path, bytes)?;
        Ok(Entry {
            sha256: hex(&Sha256::digest(bytes)),
            size: bytes.len(),
        })
    }
}

/// A staged file that hashes and counts what is written into it. It sits
/// below the buffer, so it hashes the buffer's large blocks, not each of
/// the many small writes of a rendered page.
struct Hashing {
    file: File,
    hasher: Sha256,
    size: usize,
}

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        abandoned()?;
        let n = self.file.write(bytes)?;
        self.hasher.update(&bytes[..n]);
        self.size += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let mut staged = staged();
            let _ = std::fs::remove_dir_all(&self.dir);
            staged.retain(|d| d != &self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::manifest::MANIFEST;
    use std::collections::BTreeMap;

    /// Stages `files` (with their manifest, as a build writes one) and
    /// commits them to `out`.
    fn write(out: &Path, files: &[(&str, &str)]) -> Result<(), Error> {
        let staging = Staging::begin(out)?;
        let mut entries = BTreeMap::new();
        for (path, text) in files {
            let entry = staging
                .file(path, &mut |w| Ok(w.write_all(text.as_bytes())?))
                .map_err(|e| match e {
                    crate::compile::Error::Output(e) => e,
                    e => panic!("{e}"),
                })?;
            entries.insert(path.to_string(), entry);
        }
        let manifest = super::super::manifest::document(&entries, &Default::default());
        staging.put(MANIFEST, &manifest)?;
        staging.commit()
    }

    /// Set for the one process that runs [`interrupted_inside_a_write`].
    const ALONE: &str = "GOVERN_TEST_INTERRUPT_ALONE";

    #[test]
    fn an_interrupt_never_waits_for_a_write_begun_inside_another() {
        // `abandon` ends every build of its process, so the case runs in
        // a process of its own: this test binary, running that test alone.
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "compile::output::tests::interrupted_inside_a_write",
            ])
            .env(ALONE, "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("an interrupt during a write begun inside another hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("1 passed"), "the case ran: {stdout}");
    }

    /// A thread writing one file takes up another file's task, as a pool
    /// thread waiting inside a write does, while `abandon` waits for the
    /// first write to end: the second is refused at once instead of
    /// waiting for `abandon`, the first fails at its flush, and the
    /// staging folder goes.
    #[test]
    #[ignore = "run in a process of its own by an_interrupt_never_waits_for_a_write_begun_inside_another"]
    fn interrupted_inside_a_write() {
        if std::env::var_os(ALONE).is_none() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("dist")).unwrap();
        let folder = staging.dir.clone();
        let mut signals = None;
        let mut inner = None;
        let outer = staging.file("outer.md", &mut |w| {
            w.write_all(b"outer")?;
            signals = Some(std::thread::spawn(abandon));
            while !ABANDONED.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            // `abandon` is waiting for this write now, or soon will be.
            std::thread::sleep(Duration::from_millis(50));
            inner = Some(staging.put("inner.md", b"inner"));
            Ok(())
        });
        assert!(matches!(inner, Some(Err(Error::Write { .. }))), "{inner:?}");
        assert!(outer.is_err(), "the outer file fails at its flush");
        assert_eq!(WRITING.load(Ordering::SeqCst), 0, "no write is counted");
        signals.unwrap().join().unwrap();
        assert!(!folder.exists(), "the staging folder is removed");
        // Its drop would wait for the lock `abandon` keeps.
        std::mem::forget(staging);
    }

    #[test]
    fn replaces_a_previous_baseline_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&out, &[("a/old.md", "old")]).unwrap();
        write(&out, &[("new.md", "new text")]).unwrap();
        assert!(!out.join("a/old.md").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("new.md")).unwrap(),
            "new text"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn a_file_written_in_pieces_is_hashed_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("dist")).unwrap();
        let entry = staging
            .file("deep/er/file.txt", &mut |w| {
                w.write_all(b"gov")?;
                w.write_all(b"")?;
                // A short write hashes only what went out.
                let n = w.write(b"ern\n")?;
                w.write_all(&b"ern\n"[n..])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(entry.size, 7);
        assert_eq!(
            entry.sha256,
            super::super::manifest::sha256_hex(b"govern\n")
        );
        staging.commit().unwrap();
        let text = std::fs::read_to_string(dir.path().join("dist/deep/er/file.txt")).unwrap();
        assert_eq!(text, "govern\n");
    }

    #[test]
    fn a_file_larger_than_the_buffer_is_hashed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("dist")).unwrap();
        // Small writes that fill the buffer many times over, then writes
        // larger than it, which go past it.
        let small: Vec<u8> = (0..BUFFER * 3 + 17).map(|i| (i % 251) as u8).collect();
        let large: Vec<u8> = (0..BUFFER * 2 + 5).map(|i| (i % 241) as u8).collect();
        let entry = staging
            .file("big.bin", &mut |w| {
                for piece in small.chunks(100) {
                    w.write_all(piece)?;
                }
                w.write_all(&large)?;
                w.write_all(&large[..3])?;
                Ok(())
            })
            .unwrap();
        let whole = [&small[..], &large[..], &large[..3]].concat();
        assert_eq!(entry.size, whole.len());
        assert_eq!(entry.sha256, super::super::manifest::sha256_hex(&whole));
        staging.commit().unwrap();
        assert!(std::fs::read(dir.path().join("dist/big.bin")).unwrap() == whole);
    }

    #[test]
    fn a_whole_file_is_staged_and_recorded_as_a_filled_one() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("dist")).unwrap();
        for (i, bytes) in [&b""[..], b"one line\n", &vec![7u8; BUFFER + 1]]
            .iter()
            .enumerate()
        {
            let whole = staging.whole(&format!("w/{i}"), bytes).unwrap();
            let filled = staging
                .file(&format!("f/{i}"), &mut |w| Ok(w.write_all(bytes)?))
                .unwrap();
            assert_eq!((whole.size, &whole.sha256), (filled.size, &filled.sha256));
            assert_eq!(whole.sha256, super::super::manifest::sha256_hex(bytes));
        }
        staging.commit().unwrap();
        for i in 0..3 {
            let read = |folder: &str| std::fs::read(dir.path().join(format!("dist/{folder}/{i}")));
            assert!(read("w").unwrap() == read("f").unwrap(), "file {i}");
        }
    }

    #[test]
    fn a_failed_write_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("dist")).unwrap();
        let err = staging
            .file("raci/x.md", &mut |_| {
                Err(std::io::Error::other("disk full").into())
            })
            .unwrap_err();
        let crate::compile::Error::Output(Error::Write { path, .. }) = err else {
            panic!("{err}");
        };
        assert!(path.ends_with("raci/x.md"), "{}", path.display());
    }

    #[test]
    fn an_uncommitted_staging_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&out, &[("kept.md", "kept")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put("half.md", b"half").unwrap();
        drop(staging);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the output is left");
        assert!(out.join("kept.md").is_file());
        assert!(!out.join("half.md").exists());
    }

    #[test]
    fn never_clobbers_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        std::fs::write(&out, "precious").unwrap();
        let err = write(&out, &[("x", "y")]).unwrap_err();
        assert!(matches!(err, Error::OutIsFile { .. }));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_became_a_link_meanwhile_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        let target = dir.path().join("elsewhere");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("notes.txt"), "mine").unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put("new.md", b"new").unwrap();
        std::os::unix::fs::symlink(&target, &out).unwrap();
        let err = staging.commit().unwrap_err();
        assert!(matches!(err, Error::OutIsLink { .. }), "{err}");
        assert!(std::fs::symlink_metadata(&out).unwrap().is_symlink());
        let kept: Vec<_> = std::fs::read_dir(&target).unwrap().collect();
        assert_eq!(kept.len(), 1, "the link's target is untouched");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "the staging folder is removed");
    }

    #[test]
    fn never_clobbers_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&out, &[("x.md", "y")]).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write(&out, &[("x.md", "z")]).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(std::fs::read_to_string(out.join("x.md")).unwrap(), "y");
    }
}
