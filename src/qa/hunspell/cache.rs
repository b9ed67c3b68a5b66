//! The compiled lexicon on disk: one file per dictionary in the user's cache directory
//! (`$XDG_CACHE_HOME/tarjuman/` or `~/.cache/tarjuman/`), and beside it the file of the
//! dictionary's stems and their deletion index (see `crate::qa::lexicon`).
//!
//! The file name holds the dictionary's name, a hash of where its `.aff` and `.dic` files
//! are, and a key made of the format version and those files' paths, sizes and
//! modification times, so an edited or replaced dictionary gets a new file. Writing a file
//! removes the files of the same kind that an earlier version of the same dictionary files
//! left (same name and place, another key): an upgraded dictionary package or a new
//! format does not leave tens of megabytes behind each time, while a second copy of a
//! dictionary elsewhere keeps its own file. The file is a body behind a header:
//!
//! ```text
//! magic (8 bytes), version u32, key u64, two sizes u64 (the lexicon: entries and slots),
//! body length u64, checksum u64 (of the header and samples of the body), body
//! ```
//!
//! It is written to a temporary file in the same directory and renamed into place, so a
//! reader sees either no file or a whole one, and a file once written is never changed in
//! place. It is used **in place**: mapped into memory ([`Body::Mapped`]), so that a run
//! touches only the pages its lookups probe instead of reading and checking tens of
//! megabytes. The check on opening is therefore cheap: magic, version, key, the length
//! against the file's, the sizes against the length, and a checksum of the header and of
//! 64 samples of 256 bytes spread over the body (a file cut short, of another format or
//! version, for other dictionary files, or overwritten with other content is ignored and
//! rebuilt over). Damage inside the body that the samples miss cannot do worse than wrong
//! answers: every probe of the body is bounds-checked against the sizes checked here.
//! (Mapping is sound as long as no program truncates the file while it is mapped; ours
//! only ever replace it by renaming.)

use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped whenever the expansion or a layout changes.
const VERSION: u32 = 2;
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

/// What a cache file must have been made from: the hash of the dictionary files' place
/// (their canonical paths) and the key proper (version, paths, sizes, times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key(u64, u32);

impl Key {
    /// The key of a dictionary's files (`None` when they cannot be looked at).
    pub(crate) fn of(aff: &Path, dic: &Path) -> Option<Key> {
        let mut text = format!("v{VERSION}");
        let mut place = String::new();
        for p in [aff, dic] {
            let abs = std::fs::canonicalize(p).ok()?;
            place.push_str(&format!("{}\0", abs.display()));
            let m = std::fs::metadata(&abs).ok()?;
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            text.push_str(&format!("\0{}\0{}\0{}", abs.display(), m.len(), mtime));
        }
        let place = super::table::hash(place.as_bytes()) as u32;
        Some(Key(super::table::hash(text.as_bytes()), place))
    }

    /// The cache file of kind `ext` (`lex`, `stems`) for dictionary `dic` in `dir`.
    pub(crate) fn file_in(&self, dir: &Path, dic: &Path, ext: &str) -> PathBuf {
        let name = dic
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("dictionary");
        dir.join(format!(
            "hunspell-{name}-{:08x}-{:016x}.{ext}",
            self.1, self.0
        ))
    }
}

/// Removes the files that earlier versions of the same dictionary files left beside
/// `file`: the same name and place, the same extension, another key; and files of the
/// naming before the place was part of it (`hunspell-<name>-<key>.<ext>`), which no
/// version reads any more. Best effort (a file another process still has mapped stays
/// readable to it until it lets go).
fn remove_stale(dir: &Path, file: &Path) {
    let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let (Some(dot), Some(cut)) = (name.rfind('.'), name.rfind('-')) else {
        return;
    };
    let (ext, same_place) = (&name[dot..], &name[..=cut]);
    // `hunspell-<name>-`: the name without the place.
    let Some(same_name) = name[..cut].rfind('-').map(|c| &name[..=c]) else {
        return;
    };
    let is_key = |k: &str| k.len() == 16 && k.bytes().all(|b| b.is_ascii_hexdigit());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let other = entry.file_name();
        let Some(other) = other.to_str() else {
            continue;
        };
        let Some(stem) = other.strip_suffix(ext) else {
            continue;
        };
        let stale = stem.strip_prefix(same_place).is_some_and(is_key)
            || stem.strip_prefix(same_name).is_some_and(is_key);
        if other != name && stale {
            let _ = std::fs::remove_file(entry.path());
        }
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

/// Samples of a body that the checksum covers.
const SAMPLES: usize = 64;
/// The length of a sample.
const SAMPLE: usize = 256;

/// The checksum of a file: of its header (without the checksum field) and of [`SAMPLES`]
/// pieces of [`SAMPLE`] bytes spread evenly over the body, the first at its start and the
/// last at its end (the whole body when it is shorter than the samples together).
fn file_checksum(head: &[u8], body: &[u8]) -> u64 {
    let mut parts = Vec::with_capacity(head.len() + SAMPLES * SAMPLE);
    parts.extend_from_slice(head);
    if body.len() <= SAMPLES * SAMPLE {
        parts.extend_from_slice(body);
    } else {
        let last = body.len() - SAMPLE;
        for i in 0..SAMPLES {
            let at = last / (SAMPLES - 1) * i
                + if i == SAMPLES - 1 {
                    last % (SAMPLES - 1)
                } else {
                    0
                };
            parts.extend_from_slice(&body[at..at + SAMPLE]);
        }
    }
    checksum(&parts)
}

/// The bytes of a body: mapped from its cache file, or made in memory.
pub(crate) enum Body {
    /// Built in this run.
    Owned(Vec<u8>),
    /// A cache file mapped read-only; the body begins at `start`.
    Mapped {
        /// The whole file.
        map: memmap2::Mmap,
        /// Where the body begins (after the header).
        start: usize,
    },
}

impl std::ops::Deref for Body {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Body::Owned(v) => v,
            Body::Mapped { map, start } => map.get(*start..).unwrap_or_default(),
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Owned(v) => write!(f, "Body::Owned({} bytes)", v.len()),
            Body::Mapped { map, start } => {
                write!(
                    f,
                    "Body::Mapped({} bytes)",
                    map.len().saturating_sub(*start)
                )
            }
        }
    }
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// The first size that marks a dictionary too large to compile (no body).
const TOO_LARGE: u64 = u64::MAX;

/// The magic of a compiled lexicon's file.
pub(crate) const LEXICON: &[u8; 8] = b"TJHUNLEX";
/// The magic of a stems file.
pub(crate) const STEMS: &[u8; 8] = b"TJSTEMS\0";

/// What a cache file holds: a body and the two sizes of its header, or the marker of a
/// dictionary too large to compile.
pub(crate) enum Cached {
    /// The body and its header's two sizes.
    Body(Body, [u64; 2]),
    /// The marker of [`write_too_large`].
    TooLarge,
}

/// Maps the cache file `file` made with `magic` for `key`; the status says why not.
pub(crate) fn read(file: &Path, magic: &[u8; 8], key: &Key) -> Result<Cached, CacheStatus> {
    let f = match std::fs::File::open(file) {
        Ok(f) => f,
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
    // SAFETY: the file is mapped read-only and private. Cache files are only ever
    // replaced by renaming a new file over them, never changed or truncated in place, so
    // the mapped bytes do not change under the map; any content is sound to read (the
    // body is only read through bounds-checked accessors).
    let map = match unsafe { memmap2::Mmap::map(&f) } {
        Ok(m) => m,
        Err(e) => return Err(invalid(&format!("not mapped: {e}"))),
    };
    let bytes: &[u8] = &map;
    if bytes.len() < HEADER || &bytes[..8] != magic {
        return Err(invalid("not a cache file of this kind"));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != VERSION || u64_at(bytes, 12) != key.0 {
        return Err(invalid("another version or dictionary"));
    }
    let (a, b, len, sum) = (
        u64_at(bytes, 20),
        u64_at(bytes, 28),
        u64_at(bytes, 36),
        u64_at(bytes, 44),
    );
    if len != (bytes.len() - HEADER) as u64 {
        return Err(invalid("truncated"));
    }
    if file_checksum(&bytes[..HEADER - 8], &bytes[HEADER..]) != sum {
        return Err(invalid("checksum mismatch"));
    }
    if a == TOO_LARGE && b == 0 && len == 0 {
        return Ok(Cached::TooLarge);
    }
    Ok(Cached::Body(Body::Mapped { map, start: HEADER }, [a, b]))
}

/// Writes `body` with the sizes `sizes` for `key` to `file` in `dir` (a temporary file,
/// renamed into place).
pub(crate) fn write(
    dir: &Path,
    file: &Path,
    magic: &[u8; 8],
    key: &Key,
    sizes: [u64; 2],
    body: &[u8],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut head = Vec::with_capacity(HEADER);
    head.extend_from_slice(magic);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&key.0.to_le_bytes());
    head.extend_from_slice(&sizes[0].to_le_bytes());
    head.extend_from_slice(&sizes[1].to_le_bytes());
    head.extend_from_slice(&(body.len() as u64).to_le_bytes());
    let sum = file_checksum(&head, body);
    head.extend_from_slice(&sum.to_le_bytes());
    tmp.write_all(&head)?;
    tmp.write_all(body)?;
    tmp.flush()?;
    tmp.persist(file).map_err(|e| e.error)?;
    remove_stale(dir, file);
    Ok(())
}

/// Records in `file` that the dictionary of `key` is too large to compile.
pub(crate) fn write_too_large(dir: &Path, file: &Path, key: &Key) -> std::io::Result<()> {
    write(dir, file, LEXICON, key, [TOO_LARGE, 0], &[])
}
