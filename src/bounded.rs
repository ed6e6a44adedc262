//! Reading the files that configure a scan: `.git-secrets.toml`, `.gitallowed`, registry
//! files and baselines. A repository chooses these (a committed symlink, a path in its
//! `.git-secrets.toml`), so they are read only when they are regular files and at most
//! [`MAX_BYTES`] long: a committed `.gitallowed -> /dev/zero` grew a hook to 11 GB in 10 s,
//! and a registry naming a FIFO blocked every scan forever.

use std::io::Read;
use std::path::Path;

/// The largest configuration file read. The built-in packs are 1.3 MB together and a
/// baseline entry is ~200 bytes, so 64 MiB holds 300,000 accepted findings.
pub const MAX_BYTES: u64 = 64 << 20;

/// The bytes of `path` (symlinks followed) when it is a regular file of at most
/// [`MAX_BYTES`]; an error saying which limit it broke otherwise. Nothing is opened before
/// the type is known, so a FIFO never blocks.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::ErrorKind::IsADirectory.into());
    }
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let too_big = || std::io::Error::other(format!("larger than {} MiB", MAX_BYTES >> 20));
    if meta.len() > MAX_BYTES {
        return Err(too_big());
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    // The file may grow between the check and the read.
    std::fs::File::open(path)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > MAX_BYTES {
        return Err(too_big());
    }
    Ok(out)
}

/// [`read`], as UTF-8 text.
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_regular_files_are_read() {
        let dir = std::env::temp_dir().join(format!("bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let small = dir.join("small");
        std::fs::write(&small, "a = 1\n").unwrap();
        assert_eq!(read_to_string(&small).unwrap(), "a = 1\n");
        let big = dir.join("big");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        assert_eq!(read(&big).unwrap_err().to_string(), "larger than 64 MiB");
        assert_eq!(
            read(Path::new("/dev/zero")).unwrap_err().to_string(),
            "not a regular file"
        );
        assert_eq!(
            read(&dir).unwrap_err().kind(),
            std::io::ErrorKind::IsADirectory
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
