//! The engine under every stream: the lines of an input, taken a chunk at a
//! time by several threads, worked on, and handed to one consumer in input
//! order.
//!
//! Every worker takes the next chunk of whole lines, works on it, and hands
//! the result back; reading and consuming are short turns under a lock, so
//! they overlap with the other workers' work. Memory stays bounded whatever
//! the length of the input: each worker holds one chunk, and at most
//! `2 × jobs` finished chunks wait for their turn.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Condvar, Mutex};

use super::StreamError;

/// Bytes of input a worker takes at a time (whole lines, so a little more).
pub(crate) const CHUNK: usize = 128 * 1024;

/// What is done with each chunk of lines, on any worker thread.
pub(crate) trait ChunkWork: Sync {
    /// A worker's own state (buffers reused from chunk to chunk).
    type Worker;
    /// What a chunk comes to, handed to the consumer in input order. A
    /// worker reuses its own after it has been consumed.
    type Done: Default + Send;
    /// A new worker's state, made on its thread.
    fn worker(&self) -> Self::Worker;
    /// Work on the lines of `bytes`, the first of them numbered `first_line`
    /// (from 1), into `done`, which holds the last chunk's result.
    fn chunk(
        &self,
        worker: &mut Self::Worker,
        first_line: usize,
        bytes: &[u8],
        done: &mut Self::Done,
    );
}

/// Takes each chunk's result, in input order. An error stops the stream.
pub(crate) trait Consume<D>: Send {
    /// The next chunk's result.
    fn consume(&mut self, done: &mut D) -> io::Result<()>;
}

/// Run `work` over every line of `input` on `jobs` threads (1: on this
/// thread), handing each chunk's result to `consumer` in input order; the
/// consumer is given back at the end.
pub(crate) fn run<R, W, C>(input: R, jobs: usize, work: &W, consumer: C) -> Result<C, StreamError>
where
    R: Read + Send,
    W: ChunkWork,
    C: Consume<W::Done>,
{
    let jobs = jobs.clamp(1, super::MAX_JOBS);
    let shared = Shared {
        input: Mutex::new(Input {
            reader: input,
            carry: Vec::new(),
            seq: 0,
            line: 1,
            done: false,
        }),
        output: Mutex::new(Output {
            consumer,
            next: 0,
            waiting: BTreeMap::new(),
            failed: None,
        }),
        turn: Condvar::new(),
        window: 2 * jobs,
    };
    let each = || worker(work, &shared);
    if jobs == 1 {
        each();
    } else {
        std::thread::scope(|s| {
            // Workers have the stack the nesting limit is set for; a worker
            // that cannot be started leaves the work to the others, and
            // with none started, this thread does it.
            let started = (0..jobs)
                .map_while(|_| {
                    std::thread::Builder::new()
                        .stack_size(crate::syntax::nesting::STACK_SIZE)
                        .spawn_scoped(s, each)
                        .ok()
                })
                .count();
            if started == 0 {
                each();
            }
        });
    }
    let out = shared
        .output
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    match out.failed {
        Some(e) => Err(e),
        None => Ok(out.consumer),
    }
}

/// Each line of a chunk with its number, without its `\n` or `\r\n`.
pub(crate) fn lines(bytes: &[u8], first_line: usize) -> impl Iterator<Item = (usize, &[u8])> {
    let mut rest = bytes;
    let mut n = first_line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match memchr::memchr(b'\n', rest) {
            Some(e) => (&rest[..e], &rest[e + 1..]),
            None => (rest, &[][..]),
        };
        rest = after;
        n += 1;
        Some((n - 1, line.strip_suffix(b"\r").unwrap_or(line)))
    })
}

struct Shared<R, C, D> {
    input: Mutex<Input<R>>,
    output: Mutex<Output<C, D>>,
    /// Signalled when a chunk is consumed, freeing room in the window.
    turn: Condvar,
    /// Finished chunks that may wait for their turn.
    window: usize,
}

struct Input<R> {
    reader: R,
    /// The start of a line that the last chunk cut off.
    carry: Vec<u8>,
    seq: u64,
    /// Number of the next line.
    line: usize,
    done: bool,
}

/// A chunk of whole lines and where it sits in the stream.
struct Chunk {
    seq: u64,
    first_line: usize,
    bytes: Vec<u8>,
}

impl<R: Read> Input<R> {
    /// The next chunk of whole lines into `bytes`; `None` at the end.
    fn next(&mut self, mut bytes: Vec<u8>) -> io::Result<Option<Chunk>> {
        bytes.clear();
        if self.done {
            return Ok(None);
        }
        bytes.append(&mut self.carry);
        loop {
            // The carry holds no newline: only what is read now is searched,
            // and a line longer than a chunk is read in ever larger steps,
            // so a line of any length costs time in proportion to it.
            let searched = bytes.len();
            let want = CHUNK.saturating_sub(bytes.len()).max(4096).max(searched);
            let got = (&mut self.reader)
                .take(want as u64)
                .read_to_end(&mut bytes)?;
            if got < want {
                self.done = true;
                break;
            }
            if let Some(end) = memchr::memrchr(b'\n', &bytes[searched..]) {
                let end = searched + end;
                self.carry.extend_from_slice(&bytes[end + 1..]);
                bytes.truncate(end + 1);
                break;
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        let chunk = Chunk {
            seq: self.seq,
            first_line: self.line,
            bytes,
        };
        self.seq += 1;
        self.line += line_count(&chunk.bytes);
        Ok(Some(chunk))
    }
}

/// Lines in a chunk: its newlines, and a last line without one.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    newlines + usize::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

struct Output<C, D> {
    consumer: C,
    /// The chunk to consume next.
    next: u64,
    /// Finished chunks waiting for an earlier one.
    waiting: BTreeMap<u64, D>,
    failed: Option<StreamError>,
}

impl<D, C: Consume<D>> Output<C, D> {
    fn consume(&mut self, done: &mut D) {
        if self.failed.is_none() {
            if let Err(e) = self.consumer.consume(done) {
                self.failed = Some(StreamError::Write(e));
            }
        }
        self.next += 1;
    }
}

fn worker<R: Read, W: ChunkWork, C: Consume<W::Done>>(work: &W, shared: &Shared<R, C, W::Done>) {
    let mut state = work.worker();
    let mut input_buf = Vec::with_capacity(CHUNK + 4096);
    let mut done = W::Done::default();
    loop {
        // Wait for room: at most `window` finished chunks may queue.
        {
            let mut out = lock(&shared.output);
            while out.waiting.len() >= shared.window && out.failed.is_none() {
                out = shared.turn.wait(out).unwrap_or_else(|e| e.into_inner());
            }
            if out.failed.is_some() {
                return;
            }
        }
        let chunk = {
            let mut input = lock(&shared.input);
            match input.next(std::mem::take(&mut input_buf)) {
                Ok(Some(c)) => c,
                Ok(None) => return,
                Err(e) => {
                    drop(input);
                    let mut out = lock(&shared.output);
                    out.failed.get_or_insert(StreamError::Read(e));
                    shared.turn.notify_all();
                    return;
                }
            }
        };
        work.chunk(&mut state, chunk.first_line, &chunk.bytes, &mut done);
        input_buf = chunk.bytes;
        let mut out = lock(&shared.output);
        if chunk.seq != out.next {
            out.waiting.insert(chunk.seq, std::mem::take(&mut done));
            continue;
        }
        out.consume(&mut done);
        loop {
            let next = out.next;
            let Some(mut queued) = out.waiting.remove(&next) else {
                break;
            };
            out.consume(&mut queued);
        }
        shared.turn.notify_all();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
