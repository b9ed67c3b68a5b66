//! Writing results safely: every output goes to a temporary file beside its target, which is
//! renamed over the target only when everything has been written, so that an error never leaves
//! a partial or truncated output file behind.
//!
//! A command first *plans* its outputs ([`Planned::new`], or [`preflight`] for several): each
//! output is checked against the command's inputs (an output that is one of the inputs, by
//! path or through a link, is refused before anything is touched) and its temporary file is
//! created at once, so a missing directory or a read-only one is found before the first byte of
//! any output is written. New files follow the umask; a replaced file keeps its mode.

use std::fs::File;
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
        let mut planned = Planned::new(self.clone())?;
        planned.write_all(bytes)?;
        planned.commit()
    }

    /// [`Sink::write_all`] for a report that a run makes again in seconds (`check`'s
    /// findings): in full or not at all, as other processes see the file, but without
    /// waiting for the disk to hold it ([`Planned::commit_unsynced`]).
    pub fn write_report(&self, bytes: &[u8]) -> Result<()> {
        let mut planned = Planned::new(self.clone())?;
        planned.write_all(bytes)?;
        planned.commit_unsynced()
    }
}

/// Whether `a` and `b` name the same file: the same path (`./x` and `x` alike), or, for
/// existing files, a symbolic or hard link to the same one (same device and inode).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if a == b || std::path::absolute(a).ok() == std::path::absolute(b).ok() {
        return true;
    }
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    }
}

/// Checks a command's outputs against its inputs before anything is written: an output that is
/// one of the inputs (`-o` naming the input file, directly or through a link) or that two
/// outputs share is a usage error. Standard input and output (`-`) are never in conflict.
///
/// `inputs` and `outputs` are (what it is, path) pairs; the names go into the message, e.g.
/// `("--glossary", "g.tsv")`.
pub fn check_conflicts(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<()> {
    let is_std = |p: &Path| p.as_os_str() == "-";
    for (i, &(what, out)) in outputs.iter().enumerate() {
        if is_std(out) || is_special(out) {
            continue;
        }
        for &(input_what, input) in inputs {
            if !is_std(input) && same_file(out, input) {
                return Err(Error::Usage(format!(
                    "{what} {} is the same file as {input_what} {}: writing it would destroy the input; choose another output",
                    out.display(),
                    input.display()
                )));
            }
        }
        for &(other_what, other) in &outputs[..i] {
            if !is_std(other) && same_file(out, other) {
                return Err(Error::Usage(format!(
                    "{what} and {other_what} are the same file ({}); give them different paths",
                    out.display()
                )));
            }
        }
    }
    Ok(())
}

/// Whether `path` exists and is neither a regular file nor a directory (a device, a FIFO, a
/// socket): such an output is written in place, never replaced.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// An output being written: standard output, a device or FIFO written in place, or a temporary
/// file that replaces the target on [`Planned::commit`]. Dropped without a commit, it leaves
/// nothing behind.
#[derive(Debug)]
pub struct Planned {
    target: Target,
}

#[derive(Debug)]
enum Target {
    Stdout,
    /// A device, pipe or socket: opened on the first write.
    Special {
        path: PathBuf,
        file: Option<File>,
    },
    /// A regular file (or a new one): written to `tmp`, renamed to `path`.
    Replace {
        path: PathBuf,
        tmp: tempfile::NamedTempFile,
        mode: Option<std::fs::Permissions>,
    },
}

impl Planned {
    /// Prepares an output: for a file, creates its temporary file now (so an unwritable
    /// location is an error before anything is written).
    pub fn new(sink: Sink) -> Result<Planned> {
        let path = match sink {
            Sink::Stdout => {
                return Ok(Planned {
                    target: Target::Stdout,
                })
            }
            Sink::File(p) => p,
        };
        let err = |source| Error::Output {
            path: path.clone(),
            source,
        };
        let meta = std::fs::metadata(&path);
        if let Ok(m) = &meta {
            if m.is_dir() {
                return Err(err(std::io::Error::other("is a directory")));
            }
            if !m.is_file() {
                return Ok(Planned {
                    target: Target::Special { path, file: None },
                });
            }
        }
        // A symbolic link stays; the file it points to is replaced.
        let resolved = match &meta {
            Ok(_) if path.is_symlink() => std::fs::canonicalize(&path).map_err(err)?,
            _ => path.clone(),
        };
        let dir = match resolved.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mode = meta.ok().map(|m| m.permissions());
        let mut builder = tempfile::Builder::new();
        builder.prefix(".tarjuman-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // New files follow the umask; a file being replaced is not opened wider than it is.
            let bits = mode.as_ref().map_or(0o666, |m| m.mode() & 0o666);
            builder.permissions(std::fs::Permissions::from_mode(bits));
        }
        let tmp = builder.tempfile_in(&dir).map_err(|e| {
            let message = if dir.is_dir() {
                format!("cannot write in {}: {e}", dir.display())
            } else {
                format!("no such directory {}", dir.display())
            };
            err(std::io::Error::new(e.kind(), message))
        })?;
        Ok(Planned {
            target: Target::Replace {
                path: resolved,
                tmp,
                mode,
            },
        })
    }

    /// The output's path (`-` for standard output).
    pub fn path(&self) -> &Path {
        match &self.target {
            Target::Stdout => Path::new("-"),
            Target::Special { path, .. } | Target::Replace { path, .. } => path,
        }
    }

    /// Appends `bytes` to the output.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let path = self.path().to_path_buf();
        let err = |source| Error::Output {
            path: path.clone(),
            source,
        };
        match &mut self.target {
            Target::Stdout => {
                let mut out = std::io::stdout().lock();
                match out.write_all(bytes).and_then(|_| out.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`| head`) is the reader's choice, not our failure.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(err(e)),
                }
            }
            Target::Special { path, file } => {
                if file.is_none() {
                    *file = Some(
                        std::fs::OpenOptions::new()
                            .write(true)
                            .open(&*path)
                            .map_err(err)?,
                    );
                }
                match file {
                    Some(f) => f.write_all(bytes).map_err(err),
                    None => Ok(()),
                }
            }
            Target::Replace { tmp, .. } => tmp.write_all(bytes).map_err(err),
        }
    }

    /// Finishes the output: syncs the temporary file, gives it the mode of the file it
    /// replaces, and renames it over the target.
    pub fn commit(self) -> Result<()> {
        self.finish(true)
    }

    /// [`Planned::commit`] without the sync: the rename still shows readers the old file or
    /// the whole new one, but after a crash of the machine (not of the process) the file may
    /// be the old one or, on some file systems, empty. For outputs that are cheaper to make
    /// again than to wait for (the sync waits for the file system's journal, milliseconds to
    /// much more on a busy disk).
    pub fn commit_unsynced(self) -> Result<()> {
        self.finish(false)
    }

    fn finish(self, sync: bool) -> Result<()> {
        match self.target {
            Target::Stdout => Ok(()),
            Target::Special { path, file } => {
                let file = match file {
                    Some(f) => f,
                    // Nothing was written: open it all the same (a FIFO reader sees the end).
                    None => std::fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(|source| Error::Output {
                            path: path.clone(),
                            source,
                        })?,
                };
                drop(file);
                Ok(())
            }
            Target::Replace { path, tmp, mode } => {
                let err = |source| Error::Output {
                    path: path.clone(),
                    source,
                };
                if sync {
                    tmp.as_file().sync_all().map_err(err)?;
                }
                if let Some(mode) = mode {
                    std::fs::set_permissions(tmp.path(), mode).map_err(err)?;
                }
                tmp.persist(&path).map_err(|e| err(e.error))?;
                Ok(())
            }
        }
    }
}

/// Plans every output of a command at once, after checking them against its inputs (see
/// [`check_conflicts`]): nothing is written if any output cannot be.
pub fn preflight(inputs: &[(&str, &Path)], outputs: &[(&str, Sink)]) -> Result<Vec<Planned>> {
    let paths: Vec<(&str, PathBuf)> = outputs
        .iter()
        .filter_map(|(what, s)| match s {
            Sink::File(p) => Some((*what, p.clone())),
            Sink::Stdout => None,
        })
        .collect();
    let refs: Vec<(&str, &Path)> = paths.iter().map(|(w, p)| (*w, p.as_path())).collect();
    check_conflicts(inputs, &refs)?;
    outputs
        .iter()
        .map(|(_, s)| Planned::new(s.clone()))
        .collect()
}

/// Writes `bytes` to a temporary file in `path`'s directory, syncs it and renames it to `path`.
///
/// Only regular files are replaced that way. A path naming a device, a pipe or a socket
/// (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: renaming over it would put a
/// regular file where the device was. A symbolic link is followed, so the link stays and the
/// file it points to is replaced. A new file follows the umask; a replaced one keeps its mode.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    Sink::File(path.to_path_buf()).write_all(bytes)
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
        let e = write_atomically(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("no such directory"), "{e}");
        assert!(!p.exists());
    }

    #[test]
    fn replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("shared.txt");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomically(&p, b"new").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&p, b"newer").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn an_uncommitted_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        let mut planned = Planned::new(Sink::File(p.clone())).unwrap();
        planned.write_all(b"half").unwrap();
        drop(planned);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn outputs_that_are_inputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.txt");
        std::fs::write(&input, "keep me").unwrap();
        let hard = dir.path().join("hard.txt");
        std::fs::hard_link(&input, &hard).unwrap();
        let soft = dir.path().join("soft.txt");
        std::os::unix::fs::symlink(&input, &soft).unwrap();
        for out in [&input, &hard, &soft] {
            let e = check_conflicts(&[("input", &input)], &[("-o", out)])
                .unwrap_err()
                .to_string();
            assert!(e.contains("same file as input"), "{e}");
        }
        let other = dir.path().join("other.txt");
        assert!(check_conflicts(&[("input", &input)], &[("-o", &other)]).is_ok());
        let e = check_conflicts(&[], &[("-o", &other), ("--report-json", &other)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("same file"), "{e}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "keep me");
    }
}
