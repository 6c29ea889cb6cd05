//! The decision log: one JSON line per decision, for audit, written by its
//! own thread so that no request waits on the disk.
//!
//! Handlers hand records to a bounded queue; the writer thread turns them
//! into lines, writes them through a buffer and flushes whenever the queue
//! runs dry. On a clean shutdown the queue is drained and the file flushed
//! and synced before the server exits.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value as Json;
use tokio::sync::mpsc;

use super::policies::Served;

/// Records waiting for the writer before handlers wait for it.
const QUEUE: usize = 8192;

/// One decision to log.
pub(crate) enum Record {
    /// A case's facts as sent and its output line: the one answer of a
    /// `decide` request, or one line of a `decide-batch` request.
    Decided {
        time: DateTime<Utc>,
        served: Arc<Served>,
        facts: Bytes,
        output: Vec<u8>,
    },
    /// Flush, sync and stop.
    Stop,
}

/// Where handlers send records.
#[derive(Clone)]
pub(crate) struct DecisionLog {
    queue: mpsc::Sender<Record>,
}

/// The writer thread, to stop at shutdown.
pub(crate) struct LogWriter {
    queue: mpsc::Sender<Record>,
    thread: std::thread::JoinHandle<io::Result<()>>,
}

/// Open (append to) the log file and start its writer.
pub(crate) fn open(path: &Path) -> io::Result<(DecisionLog, LogWriter)> {
    let file = File::options().create(true).append(true).open(path)?;
    let (queue, records) = mpsc::channel(QUEUE);
    let thread = std::thread::Builder::new()
        .name("vouch-decision-log".into())
        .spawn(move || write_records(file, records))?;
    Ok((
        DecisionLog {
            queue: queue.clone(),
        },
        LogWriter { queue, thread },
    ))
}

impl DecisionLog {
    /// Queue a record from a handler; waits only while the queue is full.
    pub(crate) async fn send(&self, record: Record) {
        if self.queue.send(record).await.is_err() {
            tracing::error!("the decision log has stopped; a decision was not logged");
        }
    }

    /// Queue a record from a blocking thread.
    pub(crate) fn send_blocking(&self, record: Record) {
        if self.queue.blocking_send(record).is_err() {
            tracing::error!("the decision log has stopped; a decision was not logged");
        }
    }
}

impl LogWriter {
    /// Write everything queued, flush, sync and stop the thread.
    pub(crate) async fn close(self) -> io::Result<()> {
        // The writer may be gone already after a write error; join tells why.
        let _ = self.queue.send(Record::Stop).await;
        drop(self.queue);
        let thread = self.thread;
        tokio::task::spawn_blocking(move || thread.join())
            .await
            .map_err(io::Error::other)?
            .map_err(|_| io::Error::other("the decision log writer panicked"))?
    }
}

fn write_records(file: File, mut records: mpsc::Receiver<Record>) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(256 * 1024, file);
    let mut line = Vec::with_capacity(4096);
    let result = (|| {
        while let Some(mut record) = records.blocking_recv() {
            loop {
                if matches!(record, Record::Stop) {
                    return Ok(());
                }
                line.clear();
                write_record(&record, &mut line);
                out.write_all(&line)?;
                match records.try_recv() {
                    Ok(next) => record = next,
                    Err(_) => break,
                }
            }
            out.flush()?;
        }
        Ok(())
    })();
    if let Err(e) = &result {
        tracing::error!(error = %e, "cannot write the decision log");
    }
    out.flush()?;
    out.get_ref().sync_all()?;
    result
}

/// `{"time", "policy", "policy_hash", "facts", "decisions"}` and a newline;
/// a batch line that could not be read has `error` in place of `decisions`.
fn write_record(record: &Record, out: &mut Vec<u8>) {
    let Record::Decided {
        time,
        served,
        facts,
        output,
    } = record
    else {
        return;
    };
    out.extend_from_slice(b"{\"time\":");
    string(out, &time.to_rfc3339_opts(SecondsFormat::Micros, true));
    out.extend_from_slice(b",\"policy\":");
    string(out, served.policy.id());
    out.extend_from_slice(b",\"policy_hash\":");
    string(out, served.policy.hash());
    out.extend_from_slice(b",\"facts\":");
    compact(out, facts);
    let output: Json = serde_json::from_slice(output).unwrap_or(Json::Null);
    match output.get("decisions") {
        Some(decisions) => {
            out.extend_from_slice(b",\"decisions\":");
            let _ = serde_json::to_writer(&mut *out, decisions);
        }
        None => {
            out.extend_from_slice(b",\"error\":");
            let _ = serde_json::to_writer(&mut *out, &output["error"]);
        }
    }
    out.extend_from_slice(b"}\n");
}

/// The facts as compact JSON on one line; text that is not JSON as a string.
fn compact(out: &mut Vec<u8>, facts: &[u8]) {
    match serde_json::from_slice::<Json>(facts) {
        Ok(v) => {
            let _ = serde_json::to_writer(&mut *out, &v);
        }
        Err(_) => string(out, &String::from_utf8_lossy(facts)),
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    crate::output::jsonl::string(out, s);
}
