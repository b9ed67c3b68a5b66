//! Writing results atomically: to a temporary file beside the target, then renamed over it, so
//! that an error never leaves a partial or truncated output file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// Standard output.
    Stdout,
    /// A file, replaced atomically when everything has been written.
    File(PathBuf),
}

impl Sink {
    /// `-` or `None` means standard output.
    pub fn from_arg(arg: Option<&Path>) -> Sink {
        match arg {
            None => Sink::Stdout,
            Some(p) if p.as_os_str() == "-" => Sink::Stdout,
            Some(p) => Sink::File(p.to_path_buf()),
        }
    }

    /// Writes `bytes` in full, or nothing at all.
    pub fn write_all(&self, bytes: &[u8]) -> Result<()> {
        match self {
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                match out.write_all(bytes).and_then(|_| out.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`| head`) is the reader's choice, not our failure.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(Error::Output {
                        path: PathBuf::from("-"),
                        source: e,
                    }),
                }
            }
            Sink::File(path) => write_atomically(path, bytes),
        }
    }
}

/// Writes `bytes` to a temporary file in `path`'s directory, syncs it and renames it to `path`.
///
/// Only regular files are replaced that way. A path naming a device, a pipe or a socket
/// (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: renaming over it would put a
/// regular file where the device was. A symbolic link is followed, so the link stays and the
/// file it points to is replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let resolved;
    let path = match std::fs::metadata(path) {
        Ok(meta) if !meta.file_type().is_file() && !meta.is_dir() => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(err)?;
            file.write_all(bytes).map_err(err)?;
            return file.flush().map_err(err);
        }
        Ok(_) if path.is_symlink() => {
            resolved = std::fs::canonicalize(path).map_err(err)?;
            resolved.as_path()
        }
        _ => path,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".tarjuman-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        std::fs::write(&p, "old").unwrap();
        write_atomically(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn special_files_are_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).expect("read fifo"))
        };
        write_atomically(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the FIFO must still be a FIFO");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn symlinks_stay_and_their_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/out.txt");
        assert!(write_atomically(&p, b"x").is_err());
        assert!(!p.exists());
    }
}
