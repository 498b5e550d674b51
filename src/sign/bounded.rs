//! Reading a small file a user names (a key, an allowed_signers file)
//! without blocking on a FIFO or a device and without reading without end:
//! opened non-blocking, required to be a regular file, and capped in size.

use std::io::Read;
use std::path::Path;

/// Why a small file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("it is not a regular file")]
    NotAFile,
    #[error("it is larger than {0} bytes")]
    TooLarge(u64),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Reads the regular file at `path` (links are followed: the user named
/// it), at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(Error::NotAFile);
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_devices_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path(), 10), Err(Error::NotAFile)));
        assert!(matches!(
            read(Path::new("/dev/zero"), 10),
            Err(Error::NotAFile)
        ));
        let file = dir.path().join("f");
        std::fs::write(&file, "0123456789a").unwrap();
        assert!(matches!(read(&file, 10), Err(Error::TooLarge(10))));
        assert_eq!(read(&file, 11).unwrap(), b"0123456789a");
    }
}
