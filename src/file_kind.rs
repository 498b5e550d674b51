//! Names a kind of file system entry the way every message of govern names
//! it: with its article, so that "`x` is a named pipe" reads the same
//! whether the loader, the template reader, the output guard or `verify`
//! refuses it.

use std::fs::FileType;

/// Names `kind` for a message: "a regular file", "a folder", "a symbolic
/// link", "a named pipe", "a socket", "a character device", "a block
/// device", or "a special file" for anything else.
pub fn named(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::named;

    #[test]
    fn names_each_kind_with_its_article() {
        let dir = std::env::temp_dir().join(format!("govern-kind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(
            named(std::fs::metadata(&dir).unwrap().file_type()),
            "a folder"
        );
        assert_eq!(
            named(std::fs::metadata(&file).unwrap().file_type()),
            "a regular file"
        );
        #[cfg(unix)]
        {
            let link = dir.join("l");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let kind = std::fs::symlink_metadata(&link).unwrap().file_type();
            assert_eq!(named(kind), "a symbolic link");
            let socket = dir.join("s");
            let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
            let kind = std::fs::symlink_metadata(&socket).unwrap().file_type();
            assert_eq!(named(kind), "a socket");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
