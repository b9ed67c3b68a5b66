//! tarjuman's CTranslate2 engine, built as a shared library (`libtarjuman_ct2.so`) that the
//! `tarjuman` binary loads the first time a `ct2` backend is used.
//!
//! Keeping CTranslate2 out of the binary means the commands that translate nothing (`check`,
//! `detect`, `segment`, …) do not pay for loading it: the official library is 80 MB with MKL,
//! oneDNN and the CUDA runtime inside, and its loading and static initialisers cost about
//! 5 ms per process.
//!
//! The interface is one C function taking a JSON request and returning a JSON response (see
//! [`Request`]); objects made here (translators, tokenizers) are named by handles. Responses
//! are `{"ok": …}` or `{"error": "…"}`. [`ABI_VERSION`] changes whenever a request or response
//! changes shape, and the loader refuses a library of another version.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ct2rs::sys::{
    get_device_count, BatchType, ComputeType, Config, Device, TranslationOptions, Translator,
};
use ct2rs::tokenizers::{hf, sentencepiece as spm};
use ct2rs::Tokenizer as _;
use serde::Deserialize;
use serde_json::{json, Value};

/// Version of the request/response protocol.
pub const ABI_VERSION: u32 = 1;

/// An object living in the engine library.
enum Object {
    Translator(Translator),
    Spm(spm::Tokenizer),
    Hf(Box<hf::Tokenizer>),
}

/// The live objects by handle. Calls clone the `Arc` and release the lock before working, so
/// replicas translate at the same time.
fn objects() -> &'static Mutex<HashMap<u64, Arc<Object>>> {
    static OBJECTS: OnceLock<Mutex<HashMap<u64, Arc<Object>>>> = OnceLock::new();
    OBJECTS.get_or_init(|| Mutex::new(HashMap::new()))
}

static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

fn register(object: Object) -> Value {
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    objects()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(handle, Arc::new(object));
    json!(handle)
}

fn object(handle: u64) -> Result<Arc<Object>, String> {
    objects()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&handle)
        .cloned()
        .ok_or_else(|| format!("no engine object with handle {handle}"))
}

/// One request to the engine library.
#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The number of CUDA devices (0 when CTranslate2 was built without CUDA).
    CudaDevices,
    /// Loads a CTranslate2 model; answers a handle.
    OpenTranslator {
        /// The model directory (`model.bin`).
        model_dir: String,
        /// `cpu` or `cuda`.
        device: String,
        /// CTranslate2's name of the compute type (`default`, `int8`, `float32`, …).
        compute_type: String,
        /// Model replicas.
        replicas: usize,
        /// Threads per replica.
        threads: usize,
    },
    /// Translates a batch of token lists; answers the best hypothesis of each.
    Translate {
        /// Translator handle.
        handle: u64,
        /// Source token lists.
        source: Vec<Vec<String>>,
        /// Tokens every hypothesis starts with (empty: none).
        #[serde(default)]
        target_prefix: Vec<String>,
        /// Beam size.
        beam_size: usize,
        /// Longest output in tokens.
        max_decoding_length: usize,
        /// Longest input read, in tokens.
        max_input_length: usize,
    },
    /// Loads SentencePiece models (source and target); answers a handle.
    OpenSpm {
        /// Source-side model file.
        source: String,
        /// Target-side model file.
        target: String,
    },
    /// Loads a Hugging Face `tokenizer.json`; answers a handle.
    OpenHf {
        /// The file.
        path: String,
    },
    /// Tokenizes a text; answers its tokens (SentencePiece: with ct2rs's final `</s>`).
    Encode {
        /// Tokenizer handle.
        handle: u64,
        /// The text.
        text: String,
        /// Hugging Face only: whether the post-processor adds its special tokens.
        #[serde(default)]
        add_special_tokens: bool,
    },
    /// Turns tokens back into text.
    Decode {
        /// Tokenizer handle.
        handle: u64,
        /// The tokens.
        tokens: Vec<String>,
    },
    /// Hugging Face only: whether the tokenizer has a decoder.
    HasDecoder {
        /// Tokenizer handle.
        handle: u64,
    },
    /// Hugging Face only: every token of the vocabulary, added tokens included.
    Vocabulary {
        /// Tokenizer handle.
        handle: u64,
    },
    /// Frees an object.
    Close {
        /// Its handle.
        handle: u64,
    },
}

fn compute_type(name: &str) -> Result<ComputeType, String> {
    Ok(match name {
        "default" => ComputeType::DEFAULT,
        "auto" => ComputeType::AUTO,
        "float32" => ComputeType::FLOAT32,
        "int8" => ComputeType::INT8,
        "int8_float32" => ComputeType::INT8_FLOAT32,
        "int8_float16" => ComputeType::INT8_FLOAT16,
        "int8_bfloat16" => ComputeType::INT8_BFLOAT16,
        "int16" => ComputeType::INT16,
        "float16" => ComputeType::FLOAT16,
        "bfloat16" => ComputeType::BFLOAT16,
        other => return Err(format!("unknown compute type `{other}`")),
    })
}

/// Carries out one request.
pub fn handle(request: Request) -> Result<Value, String> {
    match request {
        Request::CudaDevices => Ok(json!(get_device_count(Device::CUDA).max(0))),
        Request::OpenTranslator {
            model_dir,
            device,
            compute_type: ct,
            replicas,
            threads,
        } => {
            let device = match device.as_str() {
                "cpu" => Device::CPU,
                "cuda" => Device::CUDA,
                other => return Err(format!("unknown device `{other}`")),
            };
            let config = Config {
                device,
                compute_type: compute_type(&ct)?,
                // CTranslate2 makes one replica per listed device index.
                device_indices: vec![0; replicas.max(1)],
                num_threads_per_replica: threads,
                ..Config::default()
            };
            let translator = Translator::new(&model_dir, &config).map_err(|e| e.to_string())?;
            Ok(register(Object::Translator(translator)))
        }
        Request::Translate {
            handle,
            source,
            target_prefix,
            beam_size,
            max_decoding_length,
            max_input_length,
        } => {
            let object = object(handle)?;
            let Object::Translator(translator) = object.as_ref() else {
                return Err(format!("handle {handle} is not a translator"));
            };
            let options = TranslationOptions::<String, String> {
                beam_size,
                max_decoding_length,
                max_input_length,
                max_batch_size: 0,
                batch_type: BatchType::Examples,
                ..TranslationOptions::default()
            };
            let results = if target_prefix.is_empty() {
                translator.translate_batch(&source, &options, None)
            } else {
                let prefixes = vec![target_prefix; source.len()];
                translator.translate_batch_with_target_prefix(&source, &prefixes, &options, None)
            }
            .map_err(|e| e.to_string())?;
            let best: Vec<Option<Vec<String>>> = results
                .into_iter()
                .map(|r| r.hypotheses.into_iter().next())
                .collect();
            Ok(json!(best))
        }
        Request::OpenSpm { source, target } => spm::Tokenizer::from_file(&source, &target)
            .map(|t| register(Object::Spm(t)))
            .map_err(|e| e.to_string()),
        Request::OpenHf { path } => hf::Tokenizer::from_file(&path)
            .map(|t| register(Object::Hf(Box::new(t))))
            .map_err(|e| e.to_string()),
        Request::Encode {
            handle,
            text,
            add_special_tokens,
        } => match object(handle)?.as_ref() {
            Object::Spm(t) => t.encode(&text).map(|p| json!(p)).map_err(|e| e.to_string()),
            Object::Hf(t) => {
                // The `tokenizers` tokenizer itself, not ct2rs's wrapper trait.
                let inner = std::ops::Deref::deref(t.as_ref());
                inner
                    .encode(text.as_str(), add_special_tokens)
                    .map(|enc| json!(enc.get_tokens()))
                    .map_err(|e| e.to_string())
            }
            Object::Translator(_) => Err(format!("handle {handle} is not a tokenizer")),
        },
        Request::Decode { handle, tokens } => match object(handle)?.as_ref() {
            Object::Spm(t) => t
                .decode(tokens)
                .map(|s| json!(s))
                .map_err(|e| e.to_string()),
            Object::Hf(t) => t
                .decode(tokens)
                .map(|s| json!(s))
                .map_err(|e| e.to_string()),
            Object::Translator(_) => Err(format!("handle {handle} is not a tokenizer")),
        },
        Request::HasDecoder { handle } => match object(handle)?.as_ref() {
            Object::Hf(t) => Ok(json!(t.get_decoder().is_some())),
            _ => Err(format!("handle {handle} is not a Hugging Face tokenizer")),
        },
        Request::Vocabulary { handle } => match object(handle)?.as_ref() {
            Object::Hf(t) => Ok(json!(t.get_vocab(true).into_keys().collect::<Vec<_>>())),
            _ => Err(format!("handle {handle} is not a Hugging Face tokenizer")),
        },
        Request::Close { handle } => {
            objects()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&handle);
            Ok(Value::Null)
        }
    }
}

/// The protocol version; the loader checks it before anything else.
#[no_mangle]
pub extern "C" fn tarjuman_ct2_abi() -> u32 {
    ABI_VERSION
}

/// Carries out the JSON request in `request[..len]` and returns the JSON response, whose
/// length is stored in `*response_len`. The response must be given back to
/// [`tarjuman_ct2_free`]. A panic inside the engine becomes an error response.
///
/// # Safety
/// `request` must point to `len` readable bytes and `response_len` to a writable `usize`.
#[no_mangle]
pub unsafe extern "C" fn tarjuman_ct2_call(
    request: *const u8,
    len: usize,
    response_len: *mut usize,
) -> *mut u8 {
    // SAFETY: the caller guarantees `len` readable bytes at `request`.
    let bytes = unsafe { std::slice::from_raw_parts(request, len) };
    let answer = catch_unwind(AssertUnwindSafe(|| {
        serde_json::from_slice::<Request>(bytes)
            .map_err(|e| format!("bad request to the engine library: {e}"))
            .and_then(handle)
    }))
    .unwrap_or_else(|_| Err("the CTranslate2 engine panicked".into()));
    let response = match answer {
        Ok(value) => json!({ "ok": value }),
        Err(message) => json!({ "error": message }),
    };
    let out = serde_json::to_vec(&response)
        .unwrap_or_else(|_| br#"{"error":"unserialisable response"}"#.to_vec())
        .into_boxed_slice();
    // SAFETY: the caller guarantees `response_len` is writable.
    unsafe { *response_len = out.len() };
    Box::into_raw(out).cast::<u8>()
}

/// Frees a response of [`tarjuman_ct2_call`].
///
/// # Safety
/// `ptr` and `len` must be a pointer and length returned by [`tarjuman_ct2_call`], freed once.
#[no_mangle]
pub unsafe extern "C" fn tarjuman_ct2_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        // SAFETY: `ptr`/`len` came from `Box<[u8]>::into_raw` in `tarjuman_ct2_call`.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
    }
}
