//! `decide-batch`: the request body streams into the engine that
//! `vouch eval --facts-jsonl` runs, and its output streams back as the
//! response body, in bounded memory.
//!
//! The engine reads and writes blocking I/O on its own threads; bounded
//! channels join it to the connection's async body on either side. When the
//! client sends faster than the engine decides, or reads slower, the
//! channels fill and the other side waits.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{self, Read, Seek, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use chrono::Utc;
use http_body::Frame;
use http_body_util::BodyExt;
use tokio::sync::{mpsc, oneshot};

use super::log::{DecisionLog, Record};
use super::policies::Served;
use crate::stream::{decide_stream_with, StreamError, StreamOptions, Tally};

/// Pieces of body in flight on either side of the engine.
const IN_FLIGHT: usize = 8;
/// Body handed to and from the engine in pieces of about this size (the
/// engine's chunk of lines).
const PIECE: usize = 128 * 1024;

type Piece = Result<Bytes, io::Error>;

/// How a batch begins: answered, or refused before any answer was sent.
pub(crate) enum Started {
    /// The response body, its lines streaming as they are decided.
    Answer(Body),
    /// The body went over the limit before the answer began: 413.
    TooLarge,
    /// The body could not be read (the client went away, say): 400.
    Unreadable(String),
}

/// Decide the lines of `body` with `served`. A body of declared length
/// streams through the engine at once (a length over the limit was refused
/// before). A body without one is first written to an unnamed temporary
/// file, so that one that goes over the limit is refused with 413 before
/// any answer is sent, with memory still bounded; its answers stream once
/// it has all arrived. With a `deadline`, an answer still running then is
/// cut off, unfinished.
pub(crate) async fn start(
    served: Arc<Served>,
    body: Body,
    batch: Batch,
    options: StreamOptions,
    log: Option<DecisionLog>,
) -> Started {
    let (in_tx, in_rx) = mpsc::channel(IN_FLIGHT);
    let (out_tx, out_rx) = mpsc::channel(IN_FLIGHT);
    let (verdict_tx, verdict_rx) = oneshot::channel();
    tokio::spawn(pump(body, in_tx, batch.limit));
    let spool = !batch.declared;
    tokio::task::spawn_blocking(move || {
        let mut channel = ChannelReader {
            pieces: in_rx,
            current: Bytes::new(),
        };
        let input: Box<dyn Read + Send> = if spool {
            match spool_body(&mut channel) {
                Ok(file) => Box::new(file),
                Err(e) if over_limit(&e) => {
                    let _ = verdict_tx.send(Started::TooLarge);
                    return;
                }
                Err(e) => {
                    let _ = verdict_tx.send(Started::Unreadable(format!(
                        "cannot read the request body: {e}"
                    )));
                    return;
                }
            }
        } else {
            Box::new(channel)
        };
        let body = ChannelBody {
            pieces: out_rx,
            deadline: batch
                .deadline
                .map(|(at, limit)| (Box::pin(tokio::time::sleep_until(at)), limit)),
        };
        if verdict_tx.send(Started::Answer(Body::new(body))).is_err() {
            // The request was given up (timed out) while its body arrived.
            return;
        }
        run(&served, input, out_tx, &options, log);
    });
    verdict_rx
        .await
        .unwrap_or_else(|_| Started::Unreadable("the batch could not start".into()))
}

/// What `decide-batch` was asked, beside the body.
pub(crate) struct Batch {
    /// The largest body, in bytes.
    pub limit: usize,
    /// Whether the request declared its length (already checked).
    pub declared: bool,
    /// When to cut off an answer still running, and the limit to name.
    pub deadline: Option<(tokio::time::Instant, std::time::Duration)>,
}

/// The engine over `input`, its output into `out`, on this (blocking) thread.
fn run(
    served: &Arc<Served>,
    input: Box<dyn Read + Send>,
    out: mpsc::Sender<Piece>,
    options: &StreamOptions,
    log: Option<DecisionLog>,
) {
    let pending = log
        .as_ref()
        .map(|_| Arc::new(Mutex::new(Pending::default())));
    let reader = Recorded {
        input,
        pending: pending.clone(),
    };
    let failed = out.clone();
    let writer = ChannelWriter {
        pieces: out,
        buf: Vec::with_capacity(PIECE),
        logged: log.zip(pending).map(|(log, pending)| Logged {
            log,
            pending,
            served: served.clone(),
            partial: Vec::new(),
        }),
    };
    let counters = &served.counters;
    let tally = || Box::new(counters.tally()) as Box<dyn Tally + '_>;
    let result = decide_stream_with(
        served.policy.program(),
        reader,
        writer,
        options,
        &|_, _| {},
        &tally,
    );
    let error = match result {
        Ok(summary) => {
            tracing::debug!(
                policy = served.policy.id(),
                lines = summary.lines,
                bad = summary.bad,
                "batch decided"
            );
            return;
        }
        Err(StreamError::Read(e)) => e,
        Err(StreamError::Write(e)) => e,
    };
    tracing::warn!(policy = served.policy.id(), error = %error, "batch stopped");
    // An error piece makes the connection end the response unfinished,
    // so the client cannot take a cut-off answer for a whole one.
    let _ = failed.blocking_send(Err(error));
}

/// The whole body into an unnamed temporary file, read back from its start.
fn spool_body(body: &mut ChannelReader) -> io::Result<std::fs::File> {
    static SPOOLED: AtomicU64 = AtomicU64::new(0);
    let n = SPOOLED.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("vouch-batch-{}-{n}", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    // Unnamed from now on: the file goes when the batch drops it.
    let _ = std::fs::remove_file(&path);
    let mut writer = io::BufWriter::with_capacity(PIECE, &mut file);
    io::copy(body, &mut writer)?;
    writer.flush()?;
    drop(writer);
    file.seek(io::SeekFrom::Start(0))?;
    Ok(file)
}

/// The body went over its limit (as the pump reports it).
#[derive(Debug)]
struct OverLimit(usize);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body is over the limit of {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

fn over_limit(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<OverLimit>())
}

/// Move the request body into the engine's channel, up to `limit` bytes,
/// in pieces of at least `PIECE` bytes: the engine waits for a whole chunk
/// of lines anyway, and fewer, larger pieces wake its thread less often.
async fn pump(mut body: Body, pieces: mpsc::Sender<Piece>, limit: usize) {
    let mut seen = 0usize;
    let mut gathered = BytesMut::with_capacity(PIECE);
    loop {
        let piece = match body.frame().await {
            None => {
                if !gathered.is_empty() {
                    let _ = pieces.send(Ok(gathered.freeze())).await;
                }
                return;
            }
            Some(Ok(frame)) => match frame.into_data() {
                Ok(data) => {
                    seen += data.len();
                    if seen > limit {
                        Err(io::Error::other(OverLimit(limit)))
                    } else if gathered.is_empty() && data.len() >= PIECE {
                        Ok(data)
                    } else {
                        gathered.extend_from_slice(&data);
                        if gathered.len() < PIECE {
                            continue;
                        }
                        Ok(
                            std::mem::replace(&mut gathered, BytesMut::with_capacity(PIECE))
                                .freeze(),
                        )
                    }
                }
                Err(_) => continue,
            },
            Some(Err(e)) => Err(io::Error::other(e)),
        };
        let stop = piece.is_err();
        if pieces.send(piece).await.is_err() || stop {
            return;
        }
    }
}

/// The request body as a blocking reader.
struct ChannelReader {
    pieces: mpsc::Receiver<Piece>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.pieces.blocking_recv() {
                Some(Ok(piece)) => self.current = piece,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        Ok(n)
    }
}

/// The engine's input, kept for the decision log until each line's output
/// is written.
struct Recorded {
    input: Box<dyn Read + Send>,
    pending: Option<Arc<Mutex<Pending>>>,
}

impl Read for Recorded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        if let Some(p) = &self.pending {
            let mut p = lock(p);
            p.input.extend(&buf[..n]);
            p.ended |= n == 0;
        }
        Ok(n)
    }
}

/// Input read but not yet matched with its output line.
#[derive(Default)]
struct Pending {
    input: VecDeque<u8>,
    ended: bool,
}

impl Pending {
    /// The next input line, without its line ending.
    fn next_line(&mut self) -> Vec<u8> {
        let end = self.input.iter().position(|&b| b == b'\n');
        let mut line: Vec<u8> = match end {
            Some(end) => {
                let line = self.input.drain(..=end).collect::<Vec<u8>>();
                line[..end].to_vec()
            }
            None => self.input.drain(..).collect(),
        };
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        line
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The response body as a blocking writer, for the engine.
struct ChannelWriter {
    pieces: mpsc::Sender<Piece>,
    buf: Vec<u8>,
    logged: Option<Logged>,
}

/// What it takes to log each output line with its input line.
struct Logged {
    log: DecisionLog,
    pending: Arc<Mutex<Pending>>,
    served: Arc<Served>,
    /// An output line cut off at the end of a write.
    partial: Vec<u8>,
}

impl Logged {
    fn lines(&mut self, bytes: &[u8]) {
        let time = Utc::now();
        let mut rest = bytes;
        while let Some(end) = memchr::memchr(b'\n', rest) {
            let mut output = std::mem::take(&mut self.partial);
            output.extend_from_slice(&rest[..end]);
            rest = &rest[end + 1..];
            let facts = lock(&self.pending).next_line();
            self.log.send_blocking(Record::Decided {
                time,
                served: self.served.clone(),
                facts: Bytes::from(facts),
                output,
            });
        }
        self.partial.extend_from_slice(rest);
    }
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE)));
        self.pieces
            .blocking_send(Ok(piece))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(logged) = &mut self.logged {
            logged.lines(bytes);
        }
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= PIECE {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The engine's output as a response body, cut off at its deadline.
struct ChannelBody {
    pieces: mpsc::Receiver<Piece>,
    deadline: Option<(Pin<Box<tokio::time::Sleep>>, std::time::Duration)>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some((deadline, limit)) = &mut self.deadline {
            if deadline.as_mut().poll(cx).is_ready() {
                let limit = limit.as_millis();
                tracing::warn!(limit_ms = limit as u64, "batch cut off at the timeout");
                // Dropping the receiver stops the engine at its next write.
                self.pieces.close();
                self.deadline = None;
                let e = format!("the batch was not answered within {limit} ms");
                return Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::TimedOut, e))));
            }
        }
        self.pieces
            .poll_recv(cx)
            .map(|piece| piece.map(|p| p.map(Frame::data)))
    }
}
