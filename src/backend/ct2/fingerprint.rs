//! A model directory's content fingerprint: what names a CTranslate2 model in the translation
//! memory and on the queue, the same on every host whatever the directory is called or where
//! it is (two copies of a model share their memory entries; a retrained model in the same
//! place does not).
//!
//! The fingerprint hashes, for every regular file of the directory and of its subdirectories
//! (two levels; hidden files and `metadata.json`, which an installer may rewrite, are left
//! out), its path inside the directory, its size and its content. Files up to
//! [`WHOLE`] bytes are read whole (configuration, vocabularies, tokenizer models); a larger one
//! (the weights) is read in [`SAMPLES`] blocks of [`BLOCK`] bytes spread evenly over it, so that
//! a multi-gigabyte `model.bin` costs about a megabyte of reading: two models of the same shape
//! differ in their weights everywhere, so the blocks tell them apart. Modification times and
//! absolute paths play no part. The result is kept per directory for the life of the process.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

/// Files up to this size are hashed whole.
pub const WHOLE: u64 = 16 << 20;
/// Blocks read from a larger file.
pub const SAMPLES: u64 = 16;
/// The size of each block.
pub const BLOCK: u64 = 64 << 10;

/// The fingerprint of the model in `dir`: 16 hex digits (64 bits of SHA-256), computed once per
/// directory and process. A directory that cannot be read gives `unreadable` (loading the
/// model reports the real error).
pub fn fingerprint(dir: &Path) -> String {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Some(f) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return f.clone();
    }
    let f = compute(&key).unwrap_or_else(|_| "unreadable".into());
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, f.clone());
    f
}

/// Computes the fingerprint of `dir` (no cache).
pub fn compute(dir: &Path) -> std::io::Result<String> {
    let mut files = Vec::new();
    collect(dir, Path::new(""), 0, &mut files)?;
    files.sort();
    let mut h = Sha256::new();
    for rel in &files {
        let path = dir.join(rel);
        let mut file = File::open(&path)?;
        let size = file.metadata()?.len();
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0u8]);
        h.update(size.to_le_bytes());
        if size <= WHOLE {
            let mut buf = Vec::with_capacity(size as usize);
            file.read_to_end(&mut buf)?;
            h.update(&buf);
        } else {
            let mut buf = vec![0u8; BLOCK as usize];
            for i in 0..SAMPLES {
                let at = i * (size - BLOCK) / (SAMPLES - 1);
                file.seek(SeekFrom::Start(at))?;
                file.read_exact(&mut buf)?;
                h.update(&buf);
            }
        }
    }
    let digest = h.finalize();
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// The files under `dir/rel` (paths relative to `dir`), two levels deep at most.
fn collect(dir: &Path, rel: &Path, depth: usize, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir.join(rel))? {
        let entry = entry?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.starts_with('.') || (depth == 0 && name_str == "metadata.json") {
            continue;
        }
        let path = rel.join(&name);
        // Follows symbolic links (a model linked into place is the model).
        let meta = std::fs::metadata(dir.join(&path))?;
        if meta.is_file() {
            out.push(path);
        } else if meta.is_dir() && depth < 2 {
            collect(dir, &path, depth + 1, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_elsewhere_same_fingerprint_and_any_change_shows() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..(WHOLE + 3 * BLOCK)).map(|i| (i % 251) as u8).collect();
        for d in [a.path(), b.path()] {
            std::fs::write(d.join("config.json"), "{\"x\": 1}").unwrap();
            std::fs::write(d.join("model.bin"), &big).unwrap();
            std::fs::create_dir(d.join("sub")).unwrap();
            std::fs::write(d.join("sub/vocab.txt"), "a\nb\n").unwrap();
        }
        std::fs::write(b.path().join("metadata.json"), "{}").unwrap();
        std::fs::write(b.path().join(".hidden"), "x").unwrap();
        let fa = compute(a.path()).unwrap();
        assert_eq!(fa.len(), 16);
        assert_eq!(fa, compute(b.path()).unwrap());
        // A changed vocabulary, a changed block of the weights, a renamed file.
        std::fs::write(b.path().join("sub/vocab.txt"), "a\nc\n").unwrap();
        assert_ne!(fa, compute(b.path()).unwrap());
        std::fs::write(b.path().join("sub/vocab.txt"), "a\nb\n").unwrap();
        let mut changed = big.clone();
        changed[(WHOLE + 3 * BLOCK - 10) as usize] ^= 1;
        std::fs::write(b.path().join("model.bin"), &changed).unwrap();
        assert_ne!(fa, compute(b.path()).unwrap());
        std::fs::write(b.path().join("model.bin"), &big).unwrap();
        assert_eq!(fa, compute(b.path()).unwrap());
        std::fs::rename(b.path().join("config.json"), b.path().join("config2.json")).unwrap();
        assert_ne!(fa, compute(b.path()).unwrap());
    }
}
