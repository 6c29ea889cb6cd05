//! `vouch serve`: decisions over HTTP from a folder of policies, reloaded
//! without a restart when a file changes.
//!
//! The pieces, each in its own file: `policies` keeps the folder's
//! policies and publishes them as one snapshot swapped atomically; `watch`
//! rescans the folder after file events (debounced) on its own thread;
//! `routes` answers requests through [`crate::engine::Policy`], with the
//! bytes `vouch eval` writes; `batch` streams `decide-batch` through the
//! engine of `eval --facts-jsonl`; `log` writes the decision log on its own
//! thread; `metrics` keeps the Prometheus counters.
//!
//! The server holds no state but the policies, so any number of replicas can
//! run behind a load balancer.

mod batch;
mod log;
mod metrics;
mod policies;
mod routes;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder whose `*.vouch` files are served, subfolders included.
    pub dir: PathBuf,
    /// `HOST:PORT` to listen on; port 0 picks a free port.
    pub addr: String,
    /// Append one JSON line per decision to this file.
    pub decision_log: Option<PathBuf>,
    /// The largest body of a `decide` request, in bytes.
    pub max_body: usize,
    /// The largest body of a `decide-batch` request, in bytes.
    pub max_batch_body: usize,
    /// Answer 503 to a request not answered within this time.
    pub timeout: Option<Duration>,
    /// How long the folder must stay quiet before it is read again.
    pub debounce: Duration,
    /// Threads for the server, and for each batch.
    pub jobs: usize,
    /// Check every cited quote against the source files in this folder, as
    /// `vouch check --sources` does; without it, a policy's `vouch.toml`
    /// may name the folder.
    pub sources: Option<PathBuf>,
}

/// The limits every request is held to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_body: usize,
    pub max_batch_body: usize,
    pub timeout: Option<Duration>,
    pub jobs: usize,
}

/// Why the server did not start, or stopped.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ServeError {
    /// No file under the folder loaded; `refused` holds each file's
    /// diagnostics as `vouch check` prints them.
    #[error("no policy could be loaded from `{dir}`")]
    #[diagnostic(
        code(vouch::serve::no_policy),
        help("`vouch check {dir}` shows what is wrong with each file")
    )]
    NoPolicy {
        /// The policy folder.
        dir: String,
        /// Each refused file's diagnostics.
        refused: Vec<String>,
    },
    /// The policy folder cannot be read.
    #[error("cannot read the policy folder `{dir}`: {source}")]
    #[diagnostic(code(vouch::serve::policy_dir))]
    PolicyDir {
        /// The policy folder.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// The address cannot be listened on.
    #[error("cannot listen on `{addr}`: {source}")]
    #[diagnostic(
        code(vouch::serve::listen),
        help("give a free `HOST:PORT` with --addr; port 0 picks one")
    )]
    Listen {
        /// The address asked for.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The decision log cannot be opened.
    #[error("cannot open the decision log `{path}`: {source}")]
    #[diagnostic(code(vouch::serve::decision_log))]
    DecisionLog {
        /// The log's path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The folder cannot be watched for edits.
    #[error("cannot watch the policy folder `{dir}`: {source}")]
    #[diagnostic(code(vouch::serve::watch))]
    Watch {
        /// The policy folder.
        dir: String,
        /// Why.
        source: notify::Error,
    },
    /// The server stopped on an I/O error.
    #[error("the server stopped: {0}")]
    #[diagnostic(code(vouch::serve::io))]
    Io(std::io::Error),
}

/// Load the folder, listen, and serve until SIGTERM or Ctrl-C; then finish
/// the requests in flight and flush the decision log. `listening` is called
/// with the bound address once requests are accepted.
pub fn run(config: Config, listening: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let dir_name = config.dir.display().to_string();
    if let Err(source) = std::fs::read_dir(&config.dir) {
        return Err(ServeError::PolicyDir {
            dir: dir_name,
            source,
        });
    }
    let metrics = Arc::new(metrics::Metrics::new());
    let mut folder =
        policies::Folder::new(config.dir.clone(), config.sources.clone(), metrics.clone());
    folder.scan();
    let snapshot = folder.snapshot.clone();
    if snapshot.load().by_id.is_empty() {
        let files = &snapshot.load().files;
        let refused = files
            .iter()
            .filter_map(|f| Some(f.error.as_ref()?.text.clone()));
        return Err(ServeError::NoPolicy {
            dir: dir_name,
            refused: refused.collect(),
        });
    }
    let (log, log_writer) = match &config.decision_log {
        Some(path) => match log::open(path) {
            Ok((log, writer)) => (Some(log), Some(writer)),
            Err(source) => {
                let path = path.display().to_string();
                return Err(ServeError::DecisionLog { path, source });
            }
        },
        None => (None, None),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.jobs.max(1))
        .thread_name("vouch-serve")
        // The stack the nesting limit is set for, on every thread.
        .thread_stack_size(crate::syntax::nesting::STACK_SIZE)
        .enable_io()
        .enable_time()
        .build()
        .map_err(ServeError::Io)?;
    let app = Arc::new(routes::App {
        snapshot,
        metrics,
        log,
        limits: Limits {
            max_body: config.max_body,
            max_batch_body: config.max_batch_body,
            timeout: config.timeout,
            jobs: config.jobs.max(1),
        },
    });
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&config.addr)
            .await
            .map_err(|source| ServeError::Listen {
                addr: config.addr.clone(),
                source,
            })?;
        let addr = listener.local_addr().map_err(ServeError::Io)?;
        let watch = watch::start(&config.dir, folder, config.debounce).map_err(|source| {
            ServeError::Watch {
                dir: dir_name.clone(),
                source,
            }
        })?;
        // Small answers on kept-alive connections: send each at once.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tracing::info!(%addr, dir = %dir_name, "listening");
        listening(addr);
        let served = axum::serve(listener, routes::router(app))
            .with_graceful_shutdown(shutdown_signal())
            .await;
        watch.stop();
        if let Some(writer) = log_writer {
            if let Err(e) = writer.close().await {
                tracing::error!(error = %e, "cannot finish the decision log");
            }
        }
        tracing::info!("stopped");
        served.map_err(ServeError::Io)
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
