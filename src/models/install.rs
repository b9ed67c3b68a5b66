//! Installing into the store: `.argosmodel` archives (zip files with one package directory
//! holding `metadata.json` and `model/`) and plain CTranslate2 model directories.
//!
//! Everything is unpacked or copied into a `.tmp-PID-…` directory inside the store, checked
//! there (metadata, the model's files as tarjuman will load them) and renamed into place in
//! one step; a model of the same name is swapped out the same way. Nothing half-installed is
//! ever visible under a model's name.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{io_err, Installed, ModelsError, PackageMeta, Store};
use crate::backend::ct2::ModelLayout;
use crate::lang::Lang;

fn bad(origin: &str, message: impl Into<String>) -> ModelsError {
    ModelsError::BadPackage {
        origin: origin.to_string(),
        message: message.into(),
    }
}

/// Removes `.tmp-PID-…` directories of installs whose process is gone (killed midway).
pub fn clean_stale(store: &Store) {
    let Ok(entries) = std::fs::read_dir(store.dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(".tmp-") else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or("");
        let alive = pid.parse::<u32>().is_ok_and(|p| {
            p == std::process::id() || Path::new("/proc").join(p.to_string()).exists()
        });
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A fresh temporary directory in the store (created with the store).
fn temp_dir(store: &Store) -> Result<tempfile::TempDir, ModelsError> {
    std::fs::create_dir_all(store.dir()).map_err(io_err(store.dir()))?;
    clean_stale(store);
    tempfile::Builder::new()
        .prefix(&format!(".tmp-{}-", std::process::id()))
        .tempdir_in(store.dir())
        .map_err(io_err(store.dir()))
}

/// A model name that is one safe path component.
fn check_name(name: &str, origin: &str) -> Result<(), ModelsError> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'));
    if ok {
        Ok(())
    } else {
        Err(bad(
            origin,
            format!("`{name}` cannot be a model name (letters, digits, - _ . + only)"),
        ))
    }
}

/// Moves the checked directory `staged` into the store as `name`, swapping out a model of
/// that name atomically.
fn commit(store: &Store, staged: tempfile::TempDir, name: &str) -> Result<Installed, ModelsError> {
    let dest = store.dir().join(name);
    let staged = staged.keep();
    let old = if dest.exists() {
        let aside = store
            .dir()
            .join(format!(".tmp-{}-replaced-{name}", std::process::id()));
        std::fs::rename(&dest, &aside).map_err(io_err(&dest))?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&staged, &dest) {
        if let Some(aside) = &old {
            let _ = std::fs::rename(aside, &dest);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(io_err(&dest)(e));
    }
    if let Some(aside) = old {
        let _ = std::fs::remove_dir_all(aside);
    }
    Installed::read(&dest)?.ok_or_else(|| bad(&dest.display().to_string(), "no metadata.json"))
}

/// Checks a staged package directory: metadata naming a translation pair tarjuman knows,
/// and a model tarjuman can load (its layout, its files).
fn check_staged(dir: &Path, origin: &str) -> Result<PackageMeta, ModelsError> {
    let meta_path = dir.join("metadata.json");
    let text = std::fs::read_to_string(&meta_path)
        .map_err(|_| bad(origin, "no metadata.json (not an Argos Translate package)"))?;
    let meta: PackageMeta = serde_json::from_str(&text).map_err(|e| {
        bad(
            origin,
            format!(
                "metadata.json line {}: not Argos Translate metadata: {e}",
                e.line()
            ),
        )
    })?;
    if meta.kind() != "translate" {
        return Err(bad(
            origin,
            format!(
                "a package of type `{}`, not a translation package",
                meta.kind()
            ),
        ));
    }
    if meta.pair().is_none() {
        return Err(bad(
            origin,
            format!(
                "metadata.json names the languages {:?} → {:?}; tarjuman needs from_code and to_code it knows (ISO 639-1)",
                meta.from_code.as_deref().unwrap_or("(none)"),
                meta.to_code.as_deref().unwrap_or("(none)")
            ),
        ));
    }
    ModelLayout::detect(dir).map_err(|e| {
        bad(
            origin,
            format!(
                "the model cannot be used: {}",
                strip_temp(&e.to_string(), dir)
            ),
        )
    })?;
    Ok(meta)
}

/// A message about a staged directory, with the temporary path taken out.
fn strip_temp(message: &str, dir: &Path) -> String {
    message
        .replace(&format!("{}/", dir.display()), "")
        .replace(&dir.display().to_string(), "the package")
}

/// Installs the `.argosmodel` archive at `archive` (`origin` names it in messages: the file
/// or the URL it came from). The model is named after the package (`translate-de_en`, as
/// `argospm` names it). Errors: not a zip, unsafe paths, no `metadata.json`, no
/// `model/model.bin`, metadata that names no known pair, a model tarjuman cannot load.
pub fn install_archive(
    store: &Store,
    archive: &Path,
    origin: &str,
) -> Result<Installed, ModelsError> {
    let file = std::fs::File::open(archive).map_err(io_err(archive))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        bad(
            origin,
            format!("not a zip archive (an .argosmodel is one): {e}"),
        )
    })?;
    // The package directory: where metadata.json is (the root, or one folder).
    let mut meta_dirs: Vec<PathBuf> = Vec::new();
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| bad(origin, format!("entry {}: {e}", i + 1)))?;
        let Some(path) = entry.enclosed_name() else {
            return Err(bad(
                origin,
                format!("entry `{}` points outside the package", entry.name()),
            ));
        };
        if path.file_name().is_some_and(|n| n == "metadata.json") && path.components().count() <= 2
        {
            meta_dirs.push(path.parent().map(Path::to_path_buf).unwrap_or_default());
        }
    }
    let prefix = match meta_dirs.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(bad(
                origin,
                "no metadata.json in the archive (not an Argos Translate package)",
            ))
        }
        _ => return Err(bad(origin, "more than one package in the archive")),
    };
    let staged = temp_dir(store)?;
    let mut has_model = false;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| bad(origin, format!("entry {}: {e}", i + 1)))?;
        let Some(path) = entry.enclosed_name() else {
            continue;
        };
        let Ok(rel) = path.strip_prefix(&prefix) else {
            continue;
        };
        if rel.as_os_str().is_empty() {
            continue;
        }
        if rel == Path::new("model").join("model.bin") {
            has_model = true;
        }
        let out = staged.path().join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&out).map_err(io_err(&out))?;
            continue;
        }
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let mut w = std::fs::File::create(&out).map_err(io_err(&out))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = entry.read(&mut buf).map_err(|e| {
                bad(
                    origin,
                    format!("{}: cannot unpack (a damaged archive?): {e}", rel.display()),
                )
            })?;
            if n == 0 {
                break;
            }
            std::io::Write::write_all(&mut w, &buf[..n]).map_err(io_err(&out))?;
        }
    }
    if !has_model && !staged.path().join("model.bin").is_file() {
        return Err(bad(
            origin,
            "the package has no model (model/model.bin is missing)",
        ));
    }
    let meta = check_staged(staged.path(), origin)?;
    let name = meta.argospm_name();
    check_name(&name, origin)?;
    commit(store, staged, &name)
}

/// Imports the plain CTranslate2 model directory `dir` as `name`, translating `from` → `to`:
/// its files are copied and a `metadata.json` naming the languages is written beside
/// `model.bin`. An Argos package directory (with its own `metadata.json`) is copied as it is.
pub fn import_dir(
    store: &Store,
    dir: &Path,
    name: Option<&str>,
    from: Option<Lang>,
    to: Option<Lang>,
) -> Result<Installed, ModelsError> {
    let origin = dir.display().to_string();
    if !dir.is_dir() {
        return Err(bad(&origin, "not a directory"));
    }
    let staged = temp_dir(store)?;
    copy_tree(dir, staged.path())?;
    let meta_path = staged.path().join("metadata.json");
    let mut meta = if meta_path.is_file() {
        let text = std::fs::read_to_string(&meta_path).map_err(io_err(&meta_path))?;
        serde_json::from_str::<PackageMeta>(&text)
            .map_err(|e| bad(&origin, format!("metadata.json line {}: {e}", e.line())))?
    } else {
        PackageMeta::default()
    };
    if let Some(f) = from {
        meta.from_code = Some(f.code().to_string());
        meta.from_name = f.name().to_string();
    }
    if let Some(t) = to {
        meta.to_code = Some(t.code().to_string());
        meta.to_name = t.name().to_string();
    }
    if meta.from_code.is_none() || meta.to_code.is_none() {
        return Err(bad(
            &origin,
            "a plain CTranslate2 model does not say which languages it translates: give --from and --to",
        ));
    }
    if meta.package_version.is_empty() {
        meta.package_version = "1.0".to_string();
    }
    if meta.kind.is_none() {
        meta.kind = Some("translate".to_string());
    }
    // Keep the fields of an existing metadata.json that tarjuman does not read.
    let mut json: serde_json::Value = std::fs::read_to_string(&meta_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    if let (Some(obj), Ok(serde_json::Value::Object(ours))) =
        (json.as_object_mut(), serde_json::to_value(&meta))
    {
        obj.extend(ours);
    }
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    std::fs::write(&meta_path, text + "\n").map_err(io_err(&meta_path))?;
    let meta = check_staged(staged.path(), &origin)?;
    let name = name.map_or_else(|| meta.argospm_name(), str::to_string);
    check_name(&name, &origin)?;
    commit(store, staged, &name)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), ModelsError> {
    for e in std::fs::read_dir(from).map_err(io_err(from))? {
        let e = e.map_err(io_err(from))?;
        let src = e.path();
        let dst = to.join(e.file_name());
        if src.is_dir() {
            std::fs::create_dir_all(&dst).map_err(io_err(&dst))?;
            copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(io_err(&src))?;
        }
    }
    Ok(())
}
