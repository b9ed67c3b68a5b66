//! Translation memory: a SQLite cache of translated segments, so that a segment seen before is
//! never sent to a backend again.
//!
//! Entries are keyed by the normalised source segment (whitespace runs collapsed), the source
//! and target language, the engine (backend kind and model or mode) and a glossary hash. Each
//! batch is stored in one transaction, so a run killed at any moment keeps every batch it
//! finished and nothing half-written; the next run finds them as hits.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::doc::Note;
use crate::lang::Lang;

/// The kind of the note a segment served by the memory carries.
pub const HIT: &str = "tm-hit";

/// Errors of the translation memory.
#[derive(Debug, thiserror::Error)]
pub enum TmError {
    /// The database could not be opened, read or written.
    #[error("translation memory {}: {}", .path.display(), sqlite_message(.source))]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// Underlying error.
        source: rusqlite::Error,
    },
    /// The file is an SQLite database of something else.
    #[error("{}: not a tarjuman translation memory ({found}); give another --tm file", .path.display())]
    Foreign {
        /// The database file.
        path: PathBuf,
        /// What it holds instead.
        found: String,
    },
    /// A file or directory of the memory, or an export, could not be written.
    #[error("translation memory: {0}")]
    Io(#[from] std::io::Error),
    /// The cluster's shared memory (a JetStream key-value bucket) could not be reached, read
    /// or written.
    #[error("translation memory {url}: {message}")]
    Remote {
        /// The server URL.
        url: String,
        /// What failed.
        message: String,
    },
}

/// A translation memory as the pipeline uses it: consulted before the engines, filled after
/// them. The SQLite [`Memory`] is the one of a single machine; the cluster's is the key-value
/// bucket of `crate::queue::memory::KvMemory`. Both key an entry by the normalised source,
/// the source and target language, the engine id and the glossary fingerprint ([`Key`]).
pub trait Store: Send + Sync {
    /// Looks up `sources` (normalised segments); one entry per source, `None` for a miss.
    fn lookup(&self, key: &Key<'_>, sources: &[&str]) -> Result<Vec<Option<Hit>>, TmError>;
    /// Stores translations of `(source, translation, notes)`.
    fn store(&self, key: &Key<'_>, entries: &[(&str, &str, &[Note])]) -> Result<(), TmError>;
    /// Renames the entries of engine id `old` (also as a hop of a pivot's `a>b` id) to `new`,
    /// keeping an entry already stored under `new`; returns how many were renamed. For
    /// memories made when an engine had another id (CTranslate2 models named by their path,
    /// see `Router::legacy_engine_id`). Memories that never held such ids do nothing.
    fn adopt_engine(&self, old: &str, new: &str) -> Result<u64, TmError> {
        let _ = (old, new);
        Ok(0)
    }
}

impl Store for Memory {
    fn lookup(&self, key: &Key<'_>, sources: &[&str]) -> Result<Vec<Option<Hit>>, TmError> {
        Memory::lookup(self, key, sources)
    }
    fn store(&self, key: &Key<'_>, entries: &[(&str, &str, &[Note])]) -> Result<(), TmError> {
        Memory::store(self, key, entries)
    }
    fn adopt_engine(&self, old: &str, new: &str) -> Result<u64, TmError> {
        Memory::adopt_engine(self, old, new)
    }
}

/// Whether a `--tm` value names the cluster's shared memory (`nats://` or `tls://` URL)
/// rather than a SQLite file.
pub fn is_remote(spec: &Path) -> bool {
    spec.to_str()
        .is_some_and(|s| s.starts_with("nats://") || s.starts_with("tls://"))
}

/// An SQLite error in words (what SQLite says, e.g. "file is not a database").
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    }
}

/// The SQLite `application_id` of a tarjuman memory (`tjmn`).
pub const APPLICATION_ID: i32 = 0x746a_6d6e;

/// The columns of the `tm` table, in order.
const COLUMNS: [&str; 10] = [
    "source", "src_lang", "tgt_lang", "engine", "glossary", "target", "notes", "created", "used",
    "hits",
];

/// How long a run waits for another process that holds the memory (two `feed` runs on one
/// memory take turns instead of failing).
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// What a cached translation is valid for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'a> {
    /// Source language.
    pub from: Lang,
    /// Target language.
    pub to: Lang,
    /// The engine: backend kind and model or mode (see `Router::engine_id`).
    pub engine: &'a str,
    /// A hash of the glossary in force (empty without one).
    pub glossary: &'a str,
}

/// A cached translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The translated text.
    pub text: String,
    /// The notes the backend attached to it.
    pub notes: Vec<Note>,
}

/// Counts for `tarjuman tm stats`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Stats {
    /// Entries in the memory.
    pub entries: u64,
    /// Hits served over the memory's life.
    pub hits: u64,
    /// Entries per (source, target, engine).
    pub pairs: Vec<PairStats>,
    /// Size of the database file in bytes.
    pub bytes: u64,
}

/// Entries of one language pair and engine.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PairStats {
    /// Source language code.
    pub from: String,
    /// Target language code.
    pub to: String,
    /// Engine id.
    pub engine: String,
    /// Entries.
    pub entries: u64,
}

/// One entry as exported (a JSON line).
#[derive(Debug, Clone, Serialize)]
pub struct ExportEntry {
    /// Normalised source segment.
    pub source: String,
    /// Translation.
    pub target: String,
    /// Source language code.
    pub from: String,
    /// Target language code.
    pub to: String,
    /// Engine id.
    pub engine: String,
    /// Glossary hash.
    pub glossary: String,
    /// Creation time, seconds since the Unix epoch.
    pub created: i64,
    /// Last use, seconds since the Unix epoch.
    pub used: i64,
    /// Times served.
    pub hits: i64,
}

/// The translation memory, safe to share between threads.
pub struct Memory {
    path: PathBuf,
    conn: Mutex<Connection>,
    created: bool,
}

/// The default memory file: `$XDG_CACHE_HOME/tarjuman/tm.sqlite` (or the platform's cache dir).
pub fn default_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("tarjuman").join("tm.sqlite"))
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether SQLite said the database is busy or locked (another connection holds it).
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl Memory {
    /// Opens the memory at `path` for reading and writing, creating the file (not its
    /// directory) if needed. A database that is not a tarjuman memory is refused, untouched.
    pub fn open(path: &Path) -> Result<Memory, TmError> {
        let err = |source| TmError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let existed = path.exists();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(TmError::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{}: no such directory {}", path.display(), dir.display()),
                )));
            }
        }
        // Two runs that open a new memory at the same moment race to switch it to WAL, which
        // SQLite answers with "database is locked" at once, without waiting: try again, as
        // long as a write would wait.
        let started = std::time::Instant::now();
        let mut memory = loop {
            let conn = Connection::open(path).map_err(err)?;
            match Self::init(path, conn, false) {
                Err(TmError::Sqlite { source, .. })
                    if is_busy(&source) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other?,
            }
        };
        memory.created = !existed;
        Ok(memory)
    }

    /// Opens the memory at `path` for reading only (`tm stats`, `tm export`): nothing in the
    /// file is created or changed, and a database that is not a tarjuman memory is refused.
    pub fn open_read_only(path: &Path) -> Result<Memory, TmError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| TmError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        Self::init(path, conn, true)
    }

    /// A memory that lives only as long as the value (for tests and one-off runs).
    pub fn in_memory() -> Result<Memory, TmError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| TmError::Sqlite {
            path: path.clone(),
            source,
        })?;
        Self::init(&path, conn, false)
    }

    /// Whether this run created the memory file (it did not exist before [`Memory::open`]).
    pub fn created(&self) -> bool {
        self.created
    }

    /// Checks that the database is a tarjuman memory (or empty) and, unless read-only, sets it
    /// up: WAL journal (readers never wait for a writer), the `tm` table, the application id.
    fn init(path: &Path, conn: Connection, read_only: bool) -> Result<Memory, TmError> {
        let err = |source| TmError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        let app: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(err)?;
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            )
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(err)?;
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('tm') ORDER BY cid")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(err)?;
        let foreign = |found: String| TmError::Foreign {
            path: path.to_path_buf(),
            found,
        };
        if app != 0 && app != APPLICATION_ID {
            return Err(foreign(format!("its application id is {app:#x}")));
        }
        let ours = tables.is_empty()
            || (tables == ["tm"] && columns.iter().map(String::as_str).eq(COLUMNS));
        if !ours {
            return Err(foreign(format!(
                "it holds the tables {}",
                tables.join(", ")
            )));
        }
        if read_only {
            if tables.is_empty() {
                return Err(foreign("it is empty".into()));
            }
        } else {
            let mode: String = conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .map_err(err)?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                    .map_err(err)?;
            }
            conn.execute_batch(&format!(
                "PRAGMA synchronous = NORMAL;
                 BEGIN IMMEDIATE;
                 CREATE TABLE IF NOT EXISTS tm (
                     source   TEXT NOT NULL,
                     src_lang TEXT NOT NULL,
                     tgt_lang TEXT NOT NULL,
                     engine   TEXT NOT NULL,
                     glossary TEXT NOT NULL,
                     target   TEXT NOT NULL,
                     notes    TEXT NOT NULL,
                     created  INTEGER NOT NULL,
                     used     INTEGER NOT NULL,
                     hits     INTEGER NOT NULL DEFAULT 0,
                     PRIMARY KEY (source, src_lang, tgt_lang, engine, glossary)
                 ) WITHOUT ROWID;
                 PRAGMA application_id = {APPLICATION_ID};
                 COMMIT;"
            ))
            .map_err(err)?;
        }
        Ok(Memory {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            created: false,
        })
    }

    fn err(&self, source: rusqlite::Error) -> TmError {
        TmError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: SQLite rolls back.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Looks up `sources` (normalised segments); one entry per source, `None` for a miss.
    /// Hits are counted and their last-use time updated.
    pub fn lookup(&self, key: &Key<'_>, sources: &[&str]) -> Result<Vec<Option<Hit>>, TmError> {
        let mut conn = self.conn();
        // Immediate: the transaction writes (hit counts), and a read transaction upgraded to a
        // write fails at once, without waiting, when another process wrote meanwhile.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(sources.len());
        {
            let mut get = tx
                .prepare_cached(
                    "SELECT target, notes FROM tm WHERE source = ?1 AND src_lang = ?2
                     AND tgt_lang = ?3 AND engine = ?4 AND glossary = ?5",
                )
                .map_err(|e| self.err(e))?;
            let mut touch = tx
                .prepare_cached(
                    "UPDATE tm SET hits = hits + 1, used = ?6 WHERE source = ?1 AND src_lang = ?2
                     AND tgt_lang = ?3 AND engine = ?4 AND glossary = ?5",
                )
                .map_err(|e| self.err(e))?;
            let (from, to, t) = (key.from.code(), key.to.code(), now());
            for &s in sources {
                let row: Option<(String, String)> = get
                    .query_row(params![s, from, to, key.engine, key.glossary], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()
                    .map_err(|e| self.err(e))?;
                out.push(match row {
                    Some((text, notes)) => {
                        touch
                            .execute(params![s, from, to, key.engine, key.glossary, t])
                            .map_err(|e| self.err(e))?;
                        Some(Hit {
                            text,
                            notes: serde_json::from_str::<Vec<NoteRow>>(&notes)
                                .map(|v| v.into_iter().map(NoteRow::into_note).collect())
                                .unwrap_or_default(),
                        })
                    }
                    None => None,
                });
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// Renames engine id `old` to `new` in every entry (see [`Store::adopt_engine`]), in one
    /// statement; returns how many entries were renamed.
    pub fn adopt_engine(&self, old: &str, new: &str) -> Result<u64, TmError> {
        // Hops are compared whole: `>` around the id and each hop, so that `…:beam1` is not
        // taken for a part of `…:beam12`.
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let n = tx
            .execute(
                "UPDATE OR IGNORE tm
                 SET engine = trim(replace('>' || engine || '>', '>' || ?1 || '>', '>' || ?2 || '>'), '>')
                 WHERE instr('>' || engine || '>', '>' || ?1 || '>') > 0",
                params![old, new],
            )
            .map_err(|e| self.err(e))?;
        // What is left under the old id has an entry under the new one already (the rename
        // was ignored): kept, it would be listed by `tm stats` as an engine of its own forever.
        tx.execute(
            "DELETE FROM tm WHERE instr('>' || engine || '>', '>' || ?1 || '>') > 0",
            params![old],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n as u64)
    }

    /// Stores translations of `(source, translation, notes)` in one transaction.
    pub fn store(&self, key: &Key<'_>, entries: &[(&str, &str, &[Note])]) -> Result<(), TmError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT INTO tm (source, src_lang, tgt_lang, engine, glossary, target, notes,
                                     created, used)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                     ON CONFLICT DO UPDATE SET target = excluded.target, notes = excluded.notes,
                                               used = excluded.used",
                )
                .map_err(|e| self.err(e))?;
            let (from, to, t) = (key.from.code(), key.to.code(), now());
            for (source, target, notes) in entries {
                let notes = serde_json::to_string(notes).unwrap_or_else(|_| "[]".into());
                put.execute(params![
                    source,
                    from,
                    to,
                    key.engine,
                    key.glossary,
                    target,
                    notes,
                    t
                ])
                .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Counts of the memory's content.
    pub fn stats(&self) -> Result<Stats, TmError> {
        let conn = self.conn();
        let (entries, hits): (i64, i64) = conn
            .query_row("SELECT count(*), coalesce(sum(hits), 0) FROM tm", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut stmt = conn
            .prepare(
                "SELECT src_lang, tgt_lang, engine, count(*) FROM tm
                 GROUP BY src_lang, tgt_lang, engine ORDER BY 1, 2, 3",
            )
            .map_err(|e| self.err(e))?;
        let pairs = stmt
            .query_map([], |r| {
                Ok(PairStats {
                    from: r.get(0)?,
                    to: r.get(1)?,
                    engine: r.get(2)?,
                    entries: r.get::<_, i64>(3)? as u64,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        let bytes = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        Ok(Stats {
            entries: entries as u64,
            hits: hits as u64,
            pairs,
            bytes,
        })
    }

    /// Writes every entry as a JSON line to `out`; returns how many.
    pub fn export(&self, out: &mut dyn std::io::Write) -> Result<u64, TmError> {
        self.export_with(out, &|_| None)
    }

    /// [`Memory::export`] with each entry's engine id shown as `engine_now` has it (`None`:
    /// as stored).
    pub fn export_with(
        &self,
        out: &mut dyn std::io::Write,
        engine_now: &dyn Fn(&str) -> Option<String>,
    ) -> Result<u64, TmError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT source, target, src_lang, tgt_lang, engine, glossary, created, used, hits
                 FROM tm ORDER BY src_lang, tgt_lang, engine, source",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut n = 0;
        let mut renamed: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let mut entry = (|| {
                Ok(ExportEntry {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    from: r.get(2)?,
                    to: r.get(3)?,
                    engine: r.get(4)?,
                    glossary: r.get(5)?,
                    created: r.get(6)?,
                    used: r.get(7)?,
                    hits: r.get(8)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            let now = renamed
                .entry(entry.engine.clone())
                .or_insert_with(|| engine_now(&entry.engine));
            if let Some(now) = now {
                entry.engine.clone_from(now);
            }
            serde_json::to_writer(&mut *out, &entry).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            n += 1;
        }
        Ok(n)
    }

    /// Removes entries not used for `unused_secs` seconds (all with 0), and, if `engine` is
    /// given, only those of that engine. Returns how many were removed.
    pub fn prune(&self, unused_secs: u64, engine: Option<&str>) -> Result<u64, TmError> {
        let conn = self.conn();
        let cutoff = now().saturating_sub(unused_secs as i64);
        let n = match engine {
            Some(e) => conn.execute(
                "DELETE FROM tm WHERE used <= ?1 AND engine = ?2",
                params![cutoff, e],
            ),
            None => conn.execute("DELETE FROM tm WHERE used <= ?1", params![cutoff]),
        }
        .map_err(|e| self.err(e))?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")
            .map_err(|e| self.err(e))?;
        Ok(n as u64)
    }

    /// Whether an entry exists (for tests and tools).
    pub fn contains(&self, key: &Key<'_>, source: &str) -> Result<bool, TmError> {
        let conn = self.conn();
        conn.query_row(
            "SELECT 1 FROM tm WHERE source = ?1 AND src_lang = ?2 AND tgt_lang = ?3
             AND engine = ?4 AND glossary = ?5",
            params![
                source,
                key.from.code(),
                key.to.code(),
                key.engine,
                key.glossary
            ],
            |_| Ok(()),
        )
        .optional()
        .map(|o| o.is_some())
        .map_err(|e| self.err(e))
    }
}

/// Removes the memory at `path` if it holds no entry, with its `-wal` and `-shm` files: for a
/// run that created the memory and then failed before storing anything, so that it leaves no
/// file behind. A memory with entries (batches a run finished) is kept. Errors are ignored.
pub fn remove_if_unused(path: &Path) {
    let empty = Memory::open_read_only(path)
        .and_then(|m| m.stats())
        .is_ok_and(|s| s.entries == 0);
    let blank = std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
    if empty || blank {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

/// A note as stored (owned strings, deserialisable).
#[derive(serde::Deserialize)]
struct NoteRow {
    kind: String,
    severity: crate::doc::Severity,
    message: String,
    #[serde(default)]
    text: Option<String>,
}

impl NoteRow {
    fn into_note(self) -> Note {
        Note {
            kind: self.kind,
            severity: self.severity,
            message: self.message,
            text: self.text,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn runs_that_open_a_new_memory_at_once_all_get_it() {
        for round in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("m{round}.sqlite"));
            let start = std::sync::Arc::new(std::sync::Barrier::new(6));
            let opened: Vec<_> = (0..6)
                .map(|_| {
                    let (path, start) = (path.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        Memory::open(&path).map(|_| ()).map_err(|e| e.to_string())
                    })
                })
                .collect();
            for t in opened {
                assert_eq!(t.join().unwrap(), Ok(()), "round {round}");
            }
        }
    }
    use super::*;

    #[test]
    fn store_lookup_stats_export_prune() {
        let dir = tempfile::tempdir().unwrap();
        let tm = Memory::open(&dir.path().join("tm.sqlite")).unwrap();
        let key = Key {
            from: Lang::from_code("ar").unwrap(),
            to: Lang::from_code("en").unwrap(),
            engine: "ct2:m",
            glossary: "",
        };
        let notes = [Note::new(
            "unknown-word",
            crate::doc::Severity::Warning,
            "x",
        )];
        tm.store(&key, &[("آتزمون", "atzmon", &notes)]).unwrap();
        let hits = tm.lookup(&key, &["آتزمون", "غيره"]).unwrap();
        assert_eq!(hits[0].as_ref().unwrap().text, "atzmon");
        assert_eq!(hits[0].as_ref().unwrap().notes, notes);
        assert!(hits[1].is_none());
        let other = Key {
            engine: "apertium",
            ..key.clone()
        };
        assert!(tm.lookup(&other, &["آتزمون"]).unwrap()[0].is_none());
        let stats = tm.stats().unwrap();
        assert_eq!((stats.entries, stats.hits), (1, 1));
        let mut out = Vec::new();
        assert_eq!(tm.export(&mut out).unwrap(), 1);
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("\"target\":\"atzmon\""));
        assert_eq!(tm.prune(3600, None).unwrap(), 0);
        assert_eq!(tm.prune(0, Some("ct2:m")).unwrap(), 1);
    }

    /// Two connections looking up (with hits, which are counted: a write) and storing at
    /// once: every call waits for the other's write instead of failing with "database is
    /// locked". (Two real processes, where the failure showed, are in `tests/safety_cli.rs`.)
    #[test]
    fn legacy_engine_ids_are_adopted_whole_hops_only() {
        let m = Memory::in_memory().unwrap();
        let key = |engine| Key {
            from: Lang::from_code("ar").unwrap(),
            to: Lang::from_code("en").unwrap(),
            engine,
            glossary: "",
        };
        let e: &[Note] = &[];
        m.store(&key("ct2:/m:beam1"), &[("a", "A", e)]).unwrap();
        m.store(&key("ct2:/m:beam12"), &[("b", "B", e)]).unwrap();
        m.store(&key("ct2:/m:beam1>apertium:x"), &[("c", "C", e)])
            .unwrap();
        // Already there under the new id: kept, the old one stays.
        m.store(&key("ct2:m@f:beam1"), &[("d", "D1", e)]).unwrap();
        m.store(&key("ct2:/m:beam1"), &[("d", "D0", e)]).unwrap();
        assert_eq!(m.adopt_engine("ct2:/m:beam1", "ct2:m@f:beam1").unwrap(), 2);
        let hits = m.lookup(&key("ct2:m@f:beam1"), &["a", "b", "d"]).unwrap();
        assert_eq!(hits[0].as_ref().unwrap().text, "A");
        assert!(hits[1].is_none());
        assert_eq!(hits[2].as_ref().unwrap().text, "D1");
        let pivot = m.lookup(&key("ct2:m@f:beam1>apertium:x"), &["c"]).unwrap();
        assert_eq!(pivot[0].as_ref().unwrap().text, "C");
        assert!(m.lookup(&key("ct2:/m:beam12"), &["b"]).unwrap()[0].is_some());
        assert_eq!(m.adopt_engine("ct2:/m:beam1", "ct2:m@f:beam1").unwrap(), 0);
    }

    #[test]
    fn two_connections_write_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tm.sqlite");
        Memory::open(&path).unwrap();
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let tm = Memory::open(&path).unwrap();
                    let key = Key {
                        from: Lang::from_code("de").unwrap(),
                        to: Lang::from_code("en").unwrap(),
                        engine: "e",
                        glossary: "",
                    };
                    let shared: Vec<String> = (0..40).map(|k| format!("shared-{k}")).collect();
                    let shared: Vec<&str> = shared.iter().map(String::as_str).collect();
                    for i in 0..300 {
                        let mine = format!("{w}-{i}");
                        // Hits: the lookup reads, then counts them (a write).
                        tm.lookup(&key, &shared)?;
                        let rows: Vec<(&str, &str, &[Note])> = std::iter::once(mine.as_str())
                            .chain(shared.iter().copied().take(1 + i % 40))
                            .map(|s| (s, "x", &[] as &[Note]))
                            .collect();
                        tm.store(&key, &rows)?;
                    }
                    Ok::<_, TmError>(())
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap().unwrap();
        }
        let tm = Memory::open_read_only(&path).unwrap();
        assert_eq!(tm.stats().unwrap().entries, 640);
    }

    #[test]
    fn foreign_databases_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        assert!(matches!(Memory::open(&path), Err(TmError::Foreign { .. })));
        assert!(matches!(
            Memory::open_read_only(&path),
            Err(TmError::Foreign { .. })
        ));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database at all, just some text\n").unwrap();
        let e = Memory::open(&text).err().expect("refused").to_string();
        assert!(e.contains("not a database"), "{e}");
        // A new file becomes a memory with our application id.
        let new = dir.path().join("new.sqlite");
        let tm = Memory::open(&new).unwrap();
        assert!(tm.created());
        let id: i32 = tm
            .conn()
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
    }
}
