//! Downloads over HTTP(S) (through [`crate::http`]): whole bodies (the index) and files (packages), the
//! latter resumable (an interrupted download is continued with a `Range` request),
//! checksummed and shown with a progress bar on a terminal.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{io_err, ModelsError};

/// How long a request may stay silent (connecting, waiting for the answer, between reads).
const TIMEOUT: Duration = Duration::from_secs(60);

/// Largest index accepted.
const MAX_INDEX_BYTES: u64 = 64 << 20;

/// An agent for model downloads: no overall timeout (a package may take long), but one per
/// step; bodies as stored (`identity`), so that lengths and ranges count the file's bytes.
fn downloader() -> ureq::Agent {
    ureq::Agent::config_builder()
        .user_agent(crate::http::USER_AGENT)
        .accept_encoding("identity")
        .max_redirects(crate::http::MAX_REDIRECTS)
        .http_status_as_error(false)
        .timeout_connect(Some(TIMEOUT))
        .timeout_recv_response(Some(TIMEOUT))
        .timeout_per_read(Some(TIMEOUT))
        .build()
        .into()
}

fn fetch_err(url: &str, message: impl Into<String>) -> ModelsError {
    ModelsError::Fetch {
        url: url.to_string(),
        message: message.into(),
    }
}

/// Whether `s` is an http(s) URL.
pub fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// `GET url` → the body. Errors: unreachable, not 200, larger than 64 MiB.
pub fn get(url: &str) -> Result<Vec<u8>, ModelsError> {
    let mut response = downloader().get(url).call().map_err(|e| {
        fetch_err(
            url,
            format!("cannot download: {}", crate::http::error(e, Some(TIMEOUT))),
        )
    })?;
    if response.status().as_u16() != 200 {
        return Err(fetch_err(
            url,
            format!(
                "the server answered {}",
                crate::http::status_line(&response)
            ),
        ));
    }
    crate::http::read_limited(&mut response, MAX_INDEX_BYTES, Some(TIMEOUT))
        .map_err(|e| fetch_err(url, e.to_string()))
}

/// The SHA-256 of a file, in hex.
pub fn sha256_file(path: &Path) -> Result<String, ModelsError> {
    let mut file = std::fs::File::open(path).map_err(io_err(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A checksum as the index gives it (`sha256:HEX` or `HEX`), normalised to lowercase hex.
pub fn normalise_checksum(s: &str) -> String {
    s.trim()
        .strip_prefix("sha256:")
        .unwrap_or(s.trim())
        .to_ascii_lowercase()
}

/// Downloads `url` into `dest`, continuing `dest.part` if an earlier download stopped (the
/// server must answer the `Range` request with 206; otherwise it starts over). When
/// `checksum` is given the finished file must have that SHA-256 (else the part is deleted
/// and the error says so). `dest` appears only when complete and checked.
pub fn download(
    url: &str,
    dest: &Path,
    checksum: Option<&str>,
    progress: bool,
) -> Result<(), ModelsError> {
    let part = dest.with_extension("part");
    let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let mut request = downloader().get(url);
    if have > 0 {
        request = request.header("Range", format!("bytes={have}-"));
    }
    let mut response = request.call().map_err(|e| {
        fetch_err(
            url,
            format!("cannot download: {}", crate::http::error(e, Some(TIMEOUT))),
        )
    })?;
    let (append, total) = match response.status().as_u16() {
        206 if have > 0 => (
            true,
            crate::http::header(&response, "content-range").and_then(|r| {
                r.rsplit('/')
                    .next()
                    .and_then(|n| n.trim().parse::<u64>().ok())
            }),
        ),
        200 => (
            false,
            crate::http::header(&response, "content-length")
                .and_then(|n| n.trim().parse::<u64>().ok()),
        ),
        416 if have > 0 => {
            // The part is already whole (or longer than the file): start over.
            let _ = std::fs::remove_file(&part);
            return download(url, dest, checksum, progress);
        }
        _ => {
            return Err(fetch_err(
                url,
                format!(
                    "the server answered {}",
                    crate::http::status_line(&response)
                ),
            ))
        }
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(&part)
        .map_err(io_err(&part))?;
    let start = if append { have } else { 0 };
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(total.unwrap_or(0));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(
            dest.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        );
        bar.set_position(start);
        bar
    });
    let mut buf = vec![0u8; 1 << 16];
    let mut got = start;
    let mut body = response.body_mut().as_reader();
    loop {
        let n = body
            .read(&mut buf)
            .map_err(|e| fetch_err(url, format!("download broke off after {got} bytes: {e}")))?;
        if n == 0 {
            break;
        }
        file.write_all(&buf[..n]).map_err(io_err(&part))?;
        got += n as u64;
        if let Some(b) = &bar {
            b.set_position(got);
        }
    }
    file.sync_all().map_err(io_err(&part))?;
    drop(file);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(total) = total {
        if got < total {
            return Err(fetch_err(
                url,
                format!(
                    "download broke off after {got} of {total} bytes (run the command again to continue it)"
                ),
            ));
        }
    }
    if let Some(expected) = checksum {
        let expected = normalise_checksum(expected);
        let actual = sha256_file(&part)?;
        if actual != expected {
            let _ = std::fs::remove_file(&part);
            return Err(ModelsError::Checksum {
                url: url.to_string(),
                expected,
                got: actual,
            });
        }
    }
    std::fs::rename(&part, dest).map_err(io_err(dest))?;
    Ok(())
}
