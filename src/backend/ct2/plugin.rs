//! The CTranslate2 engine library (`libtarjuman_ct2.so`, built from `ct2-engine/`): found,
//! loaded on first use, and called with JSON requests.
//!
//! The library is looked for at `TARJUMAN_CT2_ENGINE` when that is set, else beside the
//! running executable and in its parent directory (where cargo puts the library for test and
//! bench executables under `target/*/deps`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::BackendError;

/// The protocol version this loader speaks (`ABI_VERSION` of the engine library).
const ABI_VERSION: u32 = 1;

type CallFn = unsafe extern "C" fn(*const u8, usize, *mut usize) -> *mut u8;
type FreeFn = unsafe extern "C" fn(*mut u8, usize);

/// The loaded engine library.
pub(super) struct Library {
    call: CallFn,
    free: FreeFn,
    /// Kept loaded for the life of the process: CTranslate2 and its OpenMP runtime do not
    /// support being unloaded.
    _library: libloading::Library,
}

/// The engine library, loaded once per process.
pub(super) fn library() -> Result<&'static Library, BackendError> {
    static LIBRARY: OnceLock<Result<Library, String>> = OnceLock::new();
    LIBRARY
        .get_or_init(load)
        .as_ref()
        .map_err(|message| BackendError::Engine {
            backend: "ct2".into(),
            message: message.clone(),
        })
}

fn file_name() -> std::ffi::OsString {
    libloading::library_filename("tarjuman_ct2")
}

/// Where the library may be, in order.
fn candidates() -> Vec<PathBuf> {
    if let Some(path) = std::env::var_os("TARJUMAN_CT2_ENGINE") {
        return vec![PathBuf::from(path)];
    }
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        out.push(dir.join(file_name()));
        if let Some(parent) = dir.parent() {
            out.push(parent.join(file_name()));
        }
    }
    out
}

fn load() -> Result<Library, String> {
    let candidates = candidates();
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "the CTranslate2 engine library {} is not installed (looked for {}). Build it with \
             `cargo build --release` (it builds the `tarjuman-ct2` library beside the binary), \
             or set TARJUMAN_CT2_ENGINE to its path",
            file_name().to_string_lossy(),
            if looked.is_empty() {
                "nothing: the executable's place is unknown".into()
            } else {
                looked.join(", ")
            }
        ));
    };
    let failed = |e: libloading::Error| format!("cannot load {}: {e}", path.display());
    // SAFETY: loading runs the library's initialisers; the library is ours (ct2-engine/) and
    // CTranslate2's, whose initialisers have no preconditions.
    let library = unsafe { libloading::Library::new(path) }.map_err(failed)?;
    // SAFETY: the symbols have these signatures in ct2-engine/src/lib.rs; the version check
    // below guards against a library of another protocol.
    let (abi, call, free) = unsafe {
        let abi = *library
            .get::<unsafe extern "C" fn() -> u32>(b"tarjuman_ct2_abi\0")
            .map_err(failed)?;
        let call = *library
            .get::<CallFn>(b"tarjuman_ct2_call\0")
            .map_err(failed)?;
        let free = *library
            .get::<FreeFn>(b"tarjuman_ct2_free\0")
            .map_err(failed)?;
        (abi, call, free)
    };
    // SAFETY: takes no arguments and only returns a constant.
    let version = unsafe { abi() };
    if version != ABI_VERSION {
        return Err(format!(
            "{} speaks engine protocol {version}, this tarjuman speaks {ABI_VERSION}: rebuild \
             both with `cargo build --release`",
            path.display()
        ));
    }
    Ok(Library {
        call,
        free,
        _library: library,
    })
}

/// A response of the engine library.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Response<T> {
    Ok(T),
    Error(String),
}

impl Library {
    /// Sends one request; the engine's error message on failure.
    pub(super) fn call<T: DeserializeOwned>(&self, request: &Value) -> Result<T, String> {
        let bytes = serde_json::to_vec(request).map_err(|e| e.to_string())?;
        let mut len = 0usize;
        // SAFETY: `bytes` is readable for its length and `len` is writable; the response is
        // read before it is handed back to `free`, once.
        let text = unsafe {
            let ptr = (self.call)(bytes.as_ptr(), bytes.len(), &mut len);
            if ptr.is_null() {
                return Err("the engine library returned nothing".into());
            }
            let parsed =
                serde_json::from_slice::<Response<T>>(std::slice::from_raw_parts(ptr, len));
            (self.free)(ptr, len);
            parsed
        };
        match text.map_err(|e| format!("unreadable answer from the engine library: {e}"))? {
            Response::Ok(v) => Ok(v),
            Response::Error(message) => Err(message),
        }
    }
}

/// An object living in the engine library, freed there when dropped.
struct Handle {
    library: &'static Library,
    id: u64,
}

impl Drop for Handle {
    fn drop(&mut self) {
        // Nothing to do on failure: the object is gone with the process anyway.
        let _ = self
            .library
            .call::<Value>(&json!({"op": "close", "handle": self.id}));
    }
}

/// The number of CUDA devices CTranslate2 sees (0 when built without CUDA).
pub(super) fn cuda_devices() -> Result<usize, BackendError> {
    library()?
        .call(&json!({"op": "cuda_devices"}))
        .map_err(|message| BackendError::Engine {
            backend: "ct2".into(),
            message,
        })
}

/// How a translator is made.
pub(super) struct TranslatorConfig<'a> {
    /// `cpu` or `cuda`.
    pub device: &'static str,
    /// CTranslate2's name of the compute type.
    pub compute_type: &'a str,
    /// Model replicas.
    pub replicas: usize,
    /// Threads per replica.
    pub threads: usize,
}

/// A CTranslate2 translator.
pub(super) struct Translator(Handle);

impl Translator {
    /// Loads the model in `model_dir`; CTranslate2's message on failure.
    pub(super) fn new(model_dir: &Path, config: &TranslatorConfig<'_>) -> Result<Self, String> {
        let library = library().map_err(|e| e.to_string())?;
        let id = library.call(&json!({
            "op": "open_translator",
            "model_dir": model_dir.to_string_lossy(),
            "device": config.device,
            "compute_type": config.compute_type,
            "replicas": config.replicas,
            "threads": config.threads,
        }))?;
        Ok(Translator(Handle { library, id }))
    }

    /// The best hypothesis of each source (`None` where CTranslate2 returned none).
    pub(super) fn translate(
        &self,
        source: &[&[String]],
        target_prefix: &[String],
        beam_size: usize,
        max_decoding_length: usize,
        max_input_length: usize,
    ) -> Result<Vec<Option<Vec<String>>>, String> {
        self.0.library.call(&json!({
            "op": "translate",
            "handle": self.0.id,
            "source": source,
            "target_prefix": target_prefix,
            "beam_size": beam_size,
            "max_decoding_length": max_decoding_length,
            "max_input_length": max_input_length,
        }))
    }
}

/// A tokenizer living in the engine library: SentencePiece or Hugging Face `tokenizers`.
pub(super) struct Tokenizer(Handle);

impl Tokenizer {
    /// SentencePiece models for the source and the target side.
    pub(super) fn sentencepiece(source: &Path, target: &Path) -> Result<Self, String> {
        Self::open(json!({
            "op": "open_spm",
            "source": source.to_string_lossy(),
            "target": target.to_string_lossy(),
        }))
    }

    /// A Hugging Face `tokenizer.json`.
    pub(super) fn hugging_face(path: &Path) -> Result<Self, String> {
        Self::open(json!({"op": "open_hf", "path": path.to_string_lossy()}))
    }

    fn open(request: Value) -> Result<Self, String> {
        let library = library().map_err(|e| e.to_string())?;
        let id = library.call(&request)?;
        Ok(Tokenizer(Handle { library, id }))
    }

    /// The tokens of `text` (SentencePiece: ending in `</s>`; Hugging Face: with the
    /// post-processor's special tokens if `add_special_tokens`).
    pub(super) fn encode(
        &self,
        text: &str,
        add_special_tokens: bool,
    ) -> Result<Vec<String>, String> {
        self.0.library.call(&json!({
            "op": "encode",
            "handle": self.0.id,
            "text": text,
            "add_special_tokens": add_special_tokens,
        }))
    }

    /// The text of `tokens`.
    pub(super) fn decode(&self, tokens: &[String]) -> Result<String, String> {
        self.0
            .library
            .call(&json!({"op": "decode", "handle": self.0.id, "tokens": tokens}))
    }

    /// Hugging Face only: whether the tokenizer has a decoder.
    pub(super) fn has_decoder(&self) -> Result<bool, String> {
        self.0
            .library
            .call(&json!({"op": "has_decoder", "handle": self.0.id}))
    }

    /// Hugging Face only: the whole vocabulary, added tokens included.
    pub(super) fn vocabulary(&self) -> Result<Vec<String>, String> {
        self.0
            .library
            .call(&json!({"op": "vocabulary", "handle": self.0.id}))
    }
}
