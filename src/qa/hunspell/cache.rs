//! The compiled lexicon on disk: one file per dictionary in the user's cache directory
//! (`$XDG_CACHE_HOME/tarjuman/` or `~/.cache/tarjuman/`).
//!
//! The file name holds the dictionary's name and a key made of the format version and the
//! `.aff` and `.dic` files' paths, sizes and modification times, so an edited or replaced
//! dictionary gets a new file. The file is the table's bytes behind a header:
//!
//! ```text
//! magic "TJHUNLEX", version u32, key u64, entries u64, slots u64, body length u64,
//! checksum u64 (of the body), body (see super::table)
//! ```
//!
//! It is written to a temporary file in the same directory and renamed into place, so a
//! reader sees either no file or a whole one. A file that is short, corrupt, of another
//! version or for other dictionary files is ignored (and rebuilt over).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::table::Table;

const MAGIC: &[u8; 8] = b"TJHUNLEX";
/// Bumped whenever the expansion or the layout changes.
const VERSION: u32 = 1;
pub(crate) const HEADER: usize = 8 + 4 + 8 * 5;

/// What became of the cache on a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    /// Read from the cache.
    Hit,
    /// No cache file yet: built, and written.
    Missing,
    /// A cache file was there but unusable (truncated, corrupt, another version or key):
    /// built, and written over.
    Invalid,
    /// Built; the cache could not be written (the error is logged at debug level).
    Unwritable,
    /// No cache directory: built in memory.
    Disabled,
}

/// The default cache directory: `$XDG_CACHE_HOME/tarjuman` (or the platform's equivalent).
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("tarjuman"))
}

/// What a cache file must have been made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key(u64);

impl Key {
    /// The key of a dictionary's files (`None` when they cannot be looked at).
    pub(crate) fn of(aff: &Path, dic: &Path) -> Option<Key> {
        let mut text = format!("v{VERSION}");
        for p in [aff, dic] {
            let abs = std::fs::canonicalize(p).ok()?;
            let m = std::fs::metadata(&abs).ok()?;
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            text.push_str(&format!("\0{}\0{}\0{}", abs.display(), m.len(), mtime));
        }
        Some(Key(super::table::hash(text.as_bytes())))
    }

    /// The cache file for dictionary `dic` in `dir`.
    pub(crate) fn file_in(&self, dir: &Path, dic: &Path) -> PathBuf {
        let name = dic
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("dictionary");
        dir.join(format!("hunspell-{name}-{:016x}.lex", self.0))
    }
}

/// A checksum of `bytes`: four lanes of multiply-xor over 8-byte words.
fn checksum(bytes: &[u8]) -> u64 {
    const K: [u64; 4] = [
        0x9e37_79b9_7f4a_7c15,
        0xc2b2_ae3d_27d4_eb4f,
        0x1656_67b1_9e37_79f9,
        0x85eb_ca77_c2b2_ae63,
    ];
    let mut lanes = K;
    let mut chunks = bytes.chunks_exact(32);
    for c in chunks.by_ref() {
        for (j, lane) in lanes.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&c[j * 8..j * 8 + 8]);
            *lane = (*lane ^ u64::from_le_bytes(b))
                .wrapping_mul(K[j] | 1)
                .rotate_left(23);
        }
    }
    let mut h = lanes.iter().fold(bytes.len() as u64, |h, &l| {
        (h ^ l).wrapping_mul(K[0]).rotate_left(31)
    });
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K[1]);
    }
    h
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// The entry count that marks a dictionary too large to compile (no body).
const TOO_LARGE: u64 = u64::MAX;

/// Reads the table of `key` from `file` (`None`: the dictionary is too large to compile);
/// the status says why not.
pub(crate) fn read(file: &Path, key: &Key) -> Result<Option<Table>, CacheStatus> {
    let mut bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(CacheStatus::Missing),
        Err(e) => {
            tracing::debug!("{}: cache not read: {e}", file.display());
            return Err(CacheStatus::Invalid);
        }
    };
    let invalid = |why: &str| {
        tracing::debug!("{}: cache ignored: {why}", file.display());
        CacheStatus::Invalid
    };
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err(invalid("not a lexicon file"));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != VERSION || u64_at(&bytes, 12) != key.0 {
        return Err(invalid("another version or dictionary"));
    }
    let (entries, slots, len, sum) = (
        u64_at(&bytes, 20),
        u64_at(&bytes, 28),
        u64_at(&bytes, 36),
        u64_at(&bytes, 44),
    );
    if entries == TOO_LARGE && slots == 0 && len == 0 && bytes.len() == HEADER {
        return Ok(None);
    }
    if len != (bytes.len() - HEADER) as u64 {
        return Err(invalid("truncated"));
    }
    if checksum(&bytes[HEADER..]) != sum {
        return Err(invalid("checksum mismatch"));
    }
    bytes.drain(..HEADER);
    let (Ok(entries), Ok(slots)) = (usize::try_from(entries), usize::try_from(slots)) else {
        return Err(invalid("sizes"));
    };
    Table::from_parts(bytes, entries, slots)
        .map(Some)
        .ok_or_else(|| invalid("layout"))
}

/// Writes `table` for `key` to `file` in `dir` (a temporary file, renamed into place);
/// `None` records that the dictionary is too large to compile.
pub(crate) fn write(
    dir: &Path,
    file: &Path,
    key: &Key,
    table: Option<&Table>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut head = Vec::with_capacity(HEADER);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&key.0.to_le_bytes());
    let (entries, slots, body): (u64, u64, &[u8]) = match table {
        Some(t) => (t.entries as u64, t.slots as u64, &t.bytes),
        None => (TOO_LARGE, 0, &[]),
    };
    head.extend_from_slice(&entries.to_le_bytes());
    head.extend_from_slice(&slots.to_le_bytes());
    head.extend_from_slice(&(body.len() as u64).to_le_bytes());
    head.extend_from_slice(&checksum(body).to_le_bytes());
    tmp.write_all(&head)?;
    tmp.write_all(body)?;
    tmp.flush()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}
