//! Build script: with the `ct2-prebuilt` feature, links the official CTranslate2 shared library
//! fetched by `scripts/fetch-ctranslate2` into `TARJUMAN_CT2_HOME` (default `.ctranslate2/`).
//!
//! ct2rs's `system` mode asks the linker for `-lctranslate2` and, unconditionally, for a few
//! libraries the official build does not need (`cpu_features`, and the CUDA static libraries even
//! without CUDA). The fetch script leaves in `link/` a `libctranslate2.so` link to the official
//! library and empty archives for the others; `.cargo/config.toml` hands that directory to
//! ct2rs's build script (it needs the static ones when ct2rs itself is compiled), and this
//! script adds it for the final link and records `lib/` as the binary's run-time search path
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
    if feature("CT2")
        && ![
            "CT2_PREBUILT",
            "CT2_RUY",
            "CT2_DNNL",
            "CT2_MKL",
            "CT2_OPENBLAS",
            "CT2_CUDA",
        ]
        .iter()
        .any(|f| feature(f))
    {
        fail("the `ct2` feature needs an engine build: `ct2-prebuilt` (default), `ct2-ruy`, `ct2-dnnl`, `ct2-mkl`, `ct2-openblas` or `ct2-cuda`");
    }
    if !feature("CT2_PREBUILT") {
        return;
    }
    let home = ct2_home();
    let (lib_dir, link_dir) = (home.join("lib"), home.join("link"));
    println!("cargo:rerun-if-changed={}", lib_dir.display());
    if !link_dir.join("libctranslate2.so").exists() || find_library(&lib_dir).is_none() {
        fail(&format!(
            "no official CTranslate2 library in {}. Run `scripts/fetch-ctranslate2` (it downloads CTranslate2 {CT2_VERSION} from PyPI), or build with `--no-default-features --features ct2-ruy` to compile CTranslate2 from source",
            home.display()
        ));
    }
    println!("cargo:rustc-link-search=native={}", link_dir.display());
    println!(
        "cargo:rustc-link-arg=-Wl,--disable-new-dtags,-rpath,{}",
        lib_dir.display()
    );
}

/// `TARJUMAN_CT2_HOME`, else `.ctranslate2` in the repository.
fn ct2_home() -> PathBuf {
    match env::var_os("TARJUMAN_CT2_HOME") {
        Some(h) => PathBuf::from(h),
        None => {
            Path::new(&env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join(".ctranslate2")
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
