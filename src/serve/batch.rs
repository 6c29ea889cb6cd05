//! `decide-batch`: the request body streams into the engine that
//! `vouch eval --facts-jsonl` runs, and its output streams back as the
//! response body, in bounded memory.
//!
//! The engine reads and writes blocking I/O on its own threads; bounded
//! channels join it to the connection's async body on either side. When the
//! client sends faster than the engine decides, or reads slower, the
//! channels fill and the other side waits.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use chrono::Utc;
use http_body::Frame;
use http_body_util::BodyExt;
use tokio::sync::mpsc;

use super::log::{DecisionLog, Record};
use super::policies::Served;
use crate::stream::{decide_stream_with, StreamError, StreamOptions, Tally};

/// Pieces of body in flight on either side of the engine.
const IN_FLIGHT: usize = 8;
/// Body handed to and from the engine in pieces of about this size (the
/// engine's chunk of lines).
const PIECE: usize = 128 * 1024;

type Piece = Result<Bytes, io::Error>;

/// Decide the lines of `body` with `served`; the response body.
pub(crate) fn start(
    served: Arc<Served>,
    body: Body,
    limit: usize,
    options: StreamOptions,
    log: Option<DecisionLog>,
) -> Body {
    let (in_tx, in_rx) = mpsc::channel(IN_FLIGHT);
    let (out_tx, out_rx) = mpsc::channel(IN_FLIGHT);
    tokio::spawn(pump(body, in_tx, limit));
    let failed = out_tx.clone();
    tokio::task::spawn_blocking(move || {
        let pairs = log.map(|log| (log, Arc::new(Mutex::new(Pending::default()))));
        let reader = ChannelReader {
            pieces: in_rx,
            current: Bytes::new(),
            pending: pairs.as_ref().map(|(_, p)| p.clone()),
        };
        let writer = ChannelWriter {
            pieces: out_tx,
            buf: Vec::with_capacity(PIECE),
            logged: pairs.map(|(log, pending)| Logged {
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
            &options,
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
    });
    Body::new(ChannelBody { pieces: out_rx })
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
                        Err(io::Error::other(format!(
                            "the request body is over the limit of {limit} bytes"
                        )))
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

/// The request body as a blocking reader, for the engine.
struct ChannelReader {
    pieces: mpsc::Receiver<Piece>,
    current: Bytes,
    /// Input kept for the decision log until its output line is written.
    pending: Option<Arc<Mutex<Pending>>>,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.pieces.blocking_recv() {
                Some(Ok(piece)) => {
                    if let Some(p) = &self.pending {
                        lock(p).input.extend(&piece[..]);
                    }
                    self.current = piece;
                }
                Some(Err(e)) => return Err(e),
                None => {
                    if let Some(p) = &self.pending {
                        lock(p).ended = true;
                    }
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
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

/// The engine's output as a response body.
struct ChannelBody {
    pieces: mpsc::Receiver<Piece>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.pieces
            .poll_recv(cx)
            .map(|piece| piece.map(|p| p.map(Frame::data)))
    }
}
