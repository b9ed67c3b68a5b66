//! Build script: with the `prebuilt` feature, links the official CTranslate2 shared library
//! fetched by `scripts/fetch-ctranslate2` into `TARJUMAN_CT2_HOME` (default `.ctranslate2/` at
//! the top of the repository).
//!
//! ct2rs's `system` mode asks the linker for `-lctranslate2` and, unconditionally, for a few
//! libraries the official build does not need (`cpu_features`, and the CUDA static libraries even
//! without CUDA). The fetch script leaves in `link/` a `libctranslate2.so` link to the official
//! library and empty archives for the others; `.cargo/config.toml` hands that directory to
//! ct2rs's build script (it needs the static ones when ct2rs itself is compiled), and this
//! script adds it for the final link and records `lib/` as the engine library's run-time search path
//! (DT_RPATH, so that the library's own OpenMP runtime beside it is found too).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// The CTranslate2 version whose headers ct2rs 0.10.3 compiles against.
const CT2_VERSION: &str = "4.8.4";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=TARJUMAN_CT2_HOME");
    let feature = |f: &str| env::var_os(format!("CARGO_FEATURE_{f}")).is_some();
    let engines = ["PREBUILT", "RUY", "DNNL", "MKL", "OPENBLAS", "CUDA"];
    if !engines.iter().any(|f| feature(f)) {
        fail("tarjuman-ct2 needs an engine build: `prebuilt` (default), `ruy`, `dnnl`, `mkl`, `openblas` or `cuda`");
    }
    if !feature("PREBUILT") {
        return;
    }
    let home = ct2_home();
    let (lib_dir, link_dir) = (home.join("lib"), home.join("link"));
    println!("cargo:rerun-if-changed={}", lib_dir.display());
    if !link_dir.join("libctranslate2.so").exists() || find_library(&lib_dir).is_none() {
        fail(&format!(
            "no official CTranslate2 library in {}. Run `scripts/fetch-ctranslate2` (it downloads CTranslate2 {CT2_VERSION} from PyPI), or build the engine with `cargo build --release -p tarjuman-ct2 --no-default-features --features ruy` to compile CTranslate2 from source",
            home.display()
        ));
    }
    println!("cargo:rustc-link-search=native={}", link_dir.display());
    println!(
        "cargo:rustc-link-arg=-Wl,--disable-new-dtags,-rpath,{}",
        lib_dir.display()
    );
}

/// `TARJUMAN_CT2_HOME`, else `.ctranslate2` at the top of the repository (this crate's parent).
fn ct2_home() -> PathBuf {
    match env::var_os("TARJUMAN_CT2_HOME") {
        Some(h) => PathBuf::from(h),
        None => {
            let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
            manifest.parent().unwrap_or(&manifest).join(".ctranslate2")
        }
    }
}
/// The newest `libctranslate2*.so*` file in `dir`.
fn find_library(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libctranslate2") && n.contains(".so"))
        })
        .collect();
    found.sort();
    found.pop()
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    println!("cargo:warning={message}");
    std::process::exit(1);
}
