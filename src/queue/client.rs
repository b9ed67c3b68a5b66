//! Connecting to NATS and setting up what the queue transport uses: the work-queue stream,
//! the dead-letter stream, the results bucket and the per-pair consumers.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, kv, stream};

use super::{QueueError, QueueOptions};
use crate::backend::LangPair;

/// How long results and dead letters are kept.
const KEEP: Duration = Duration::from_secs(7 * 24 * 3600);

/// A connection with JetStream and the results bucket.
#[derive(Clone)]
pub struct Queue {
    /// The options it was made with.
    pub options: QueueOptions,
    /// The NATS client (reconnects by itself).
    pub client: async_nats::Client,
    /// JetStream.
    pub js: jetstream::Context,
    /// Segment results.
    pub results: kv::Store,
}

fn js_err(options: &QueueOptions, what: &str, e: impl std::fmt::Display) -> QueueError {
    QueueError::JetStream {
        url: options.url.clone(),
        message: format!("{what}: {e}"),
    }
}

/// Connects to the server (failing at once, with the URL, when it cannot be reached) and
/// makes sure the streams and the results bucket exist.
pub async fn connect(options: &QueueOptions, name: &str) -> Result<Queue, QueueError> {
    let mut connect = async_nats::ConnectOptions::new()
        .name(name)
        .connection_timeout(options.connect_timeout)
        .max_reconnects(None::<usize>)
        .require_tls(options.tls_required);
    if let Some(path) = &options.creds {
        connect = connect.credentials_file(path).await.map_err(|e| {
            QueueError::Options(format!("{}: credentials file: {e}", path.display()))
        })?;
    }
    if let Some((user, password)) = &options.user {
        connect = connect.user_and_password(user.clone(), password.clone());
    }
    for path in [
        options.tls_ca.as_ref(),
        options.tls_cert.as_ref().map(|c| &c.0),
        options.tls_cert.as_ref().map(|c| &c.1),
    ]
    .into_iter()
    .flatten()
    {
        if !path.is_file() {
            return Err(QueueError::Options(format!(
                "{}: TLS file not found",
                path.display()
            )));
        }
    }
    if let Some(ca) = &options.tls_ca {
        connect = connect.add_root_certificates(ca.clone());
    }
    if let Some((cert, key)) = &options.tls_cert {
        connect = connect.add_client_certificate(cert.clone(), key.clone());
    }
    let servers: Vec<async_nats::ServerAddr> = options
        .url
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<async_nats::ServerAddr>()
                .map_err(|e| QueueError::Options(format!("--queue {s}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    if servers.is_empty() {
        return Err(QueueError::Options("--queue: no server URL".into()));
    }
    let client = tokio::time::timeout(
        options.connect_timeout + Duration::from_secs(1),
        connect.connect(servers),
    )
    .await
    .map_err(|_| QueueError::Unreachable {
        url: options.url.clone(),
        message: "timed out".into(),
    })?
    .map_err(|e| match e.kind() {
        async_nats::ConnectErrorKind::AuthorizationViolation => QueueError::Refused {
            url: options.url.clone(),
            message: auth_hint(options, "authorization violation".into()),
        },
        async_nats::ConnectErrorKind::Authentication => QueueError::Refused {
            url: options.url.clone(),
            message: auth_hint(options, e.to_string()),
        },
        _ => QueueError::Unreachable {
            url: options.url.clone(),
            message: tls_hint(options, e.to_string()),
        },
    })?;
    let js = jetstream::new(client.clone());
    retry(options, "create the jobs stream", || {
        js.get_or_create_stream(stream::Config {
            name: options.jobs_stream(),
            subjects: vec![format!("{}.jobs.>", options.prefix)],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        })
    })
    .await?;
    retry(options, "create the dead-letter stream", || {
        js.get_or_create_stream(stream::Config {
            name: options.dead_stream(),
            subjects: vec![format!("{}.dead.>", options.prefix)],
            storage: stream::StorageType::File,
            max_age: KEEP,
            ..Default::default()
        })
    })
    .await?;
    let results = open_bucket(&js, options, &options.results_bucket(), 1).await?;
    Ok(Queue {
        options: options.clone(),
        client,
        js,
        results,
    })
}

/// A refusal with the credentials that were given, or a note that none were.
fn auth_hint(options: &QueueOptions, message: String) -> String {
    match (&options.creds, &options.user) {
        (Some(creds), _) => format!(
            "{message} (the server does not accept the user of the credentials file {})",
            creds.display()
        ),
        (None, Some((user, _))) => {
            format!("{message} (the server does not accept user {user} with the password given)")
        }
        (None, None) => format!(
            "{message} (the server asks for credentials: give --queue-creds FILE or \
             --queue-user/--queue-password)"
        ),
    }
}

/// A connection error with what to do about a certificate the client does not trust.
fn tls_hint(options: &QueueOptions, message: String) -> String {
    if !message.contains("certificate") {
        return message;
    }
    match &options.tls_ca {
        Some(ca) => format!(
            "{message} (the server's TLS certificate is not signed by the CA of --queue-tls-ca {})",
            ca.display()
        ),
        None => format!(
            "{message} (the server's TLS certificate is not signed by a CA this system trusts; \
             give its CA with --queue-tls-ca FILE)"
        ),
    }
}

/// Opens a key-value bucket, creating it (file store, `history` values per key) when missing.
pub async fn open_bucket(
    js: &jetstream::Context,
    options: &QueueOptions,
    bucket: &str,
    history: i64,
) -> Result<kv::Store, QueueError> {
    let mut last = String::new();
    for attempt in 0..5u64 {
        if let Ok(store) = js.get_key_value(bucket).await {
            return Ok(store);
        }
        // The bucket's stream made by hand, as the key-value convention has it: the client's
        // `create_key_value` first asks for account details that nats-server 2.9 (Debian 12)
        // answers in a shape the client does not read.
        match js
            .create_stream(stream::Config {
                name: format!("KV_{bucket}"),
                subjects: vec![format!("$KV.{bucket}.>")],
                max_messages_per_subject: history,
                max_age: if bucket == options.results_bucket() {
                    KEEP
                } else {
                    Duration::ZERO
                },
                storage: stream::StorageType::File,
                allow_rollup: true,
                deny_delete: true,
                allow_direct: true,
                discard: stream::DiscardPolicy::New,
                ..Default::default()
            })
            .await
        {
            Ok(_) => {
                if let Ok(store) = js.get_key_value(bucket).await {
                    return Ok(store);
                }
            }
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
    }
    Err(js_err(options, &format!("open the bucket {bucket}"), last))
}

/// Runs a JetStream request a few times (a server just started may not have JetStream ready).
async fn retry<T, E, F, Fut>(options: &QueueOptions, what: &str, mut f: F) -> Result<T, QueueError>
where
    E: std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let mut last = None;
    for attempt in 0..5u64 {
        match f().await {
            Ok(v) => return Ok(v),
            Err(e) => {
                last = Some(e.to_string());
                tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
            }
        }
    }
    Err(js_err(options, what, last.unwrap_or_default()))
}

impl Queue {
    /// The durable pull consumer of a pair's jobs, shared by every worker of that pair.
    pub async fn consumer(&self, pair: LangPair) -> Result<consumer::PullConsumer, QueueError> {
        let o = &self.options;
        let stream = retry(o, "open the jobs stream", || {
            self.js.get_stream(o.jobs_stream())
        })
        .await?;
        let name = o.consumer_name(pair);
        retry(o, "create the consumer", || {
            stream.get_or_create_consumer(
                &name,
                consumer::pull::Config {
                    durable_name: Some(o.consumer_name(pair)),
                    filter_subject: o.job_subject(pair),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: o.ack_wait,
                    // One more delivery than jobs are tried: the last one is where a worker
                    // gives the job up (see `worker`).
                    max_deliver: i64::from(o.max_deliver) + 1,
                    ..Default::default()
                },
            )
        })
        .await
    }
}
