//! Decide a stream of cases, one JSON object a line, on several threads.
//!
//! Every worker takes the next chunk of whole lines from the input, decides
//! it, and hands its output lines back in input order; reading and writing
//! are short turns under a lock, so they overlap with the other workers'
//! deciding. Memory stays bounded whatever the length of the stream: each
//! worker holds one chunk, and at most a few finished chunks wait for their
//! turn to be written.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::{Condvar, Mutex};

use crate::eval::{CaseResult, Evaluator, Status};
use crate::facts::{Decoder, Facts};
use crate::output::jsonl::CaseWriter;
use crate::output::render;
use crate::program::Program;

/// Bytes of input a worker takes at a time (whole lines, so a little more).
const CHUNK: usize = 128 * 1024;

/// More workers than this only wait on each other's locks.
pub const MAX_JOBS: usize = 256;

/// How a stream is decided.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Worker threads, at most [`MAX_JOBS`]; 1 decides on the calling thread.
    pub jobs: usize,
    /// Add each decision's trace to its output.
    pub explain: bool,
}

/// What a finished stream came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamSummary {
    /// Lines read, good and bad.
    pub lines: u64,
    /// Lines that could not be decided (each has an error line in its place).
    pub bad: u64,
    /// Cases decided with at least one decision whose outcome is `error`.
    pub errors: u64,
}

/// Why a stream stopped early.
#[derive(Debug)]
pub enum StreamError {
    /// The input could not be read.
    Read(io::Error),
    /// The output could not be written.
    Write(io::Error),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Read(e) => write!(f, "cannot read the facts: {e}"),
            StreamError::Write(e) => write!(f, "cannot write the decisions: {e}"),
        }
    }
}

impl std::error::Error for StreamError {}

/// Called after each chunk is written, with its lines and input bytes.
pub type ProgressFn<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Sees every case a stream decides, to count outcomes, say. Each worker
/// thread makes its own (so counting a case touches nothing another thread
/// touches) and flushes it after each chunk of lines.
pub trait Tally: Send {
    /// One case, as it is decided.
    fn case(&mut self, case: &CaseResult);
    /// The end of a chunk: publish what was counted since the last flush.
    fn flush(&mut self);
}

/// Makes a worker's [`Tally`].
pub type TallyFn<'a> = &'a (dyn Fn() -> Box<dyn Tally + 'a> + Sync);

/// Counts nothing.
struct NoTally;

impl Tally for NoTally {
    fn case(&mut self, _: &CaseResult) {}
    fn flush(&mut self) {}
}

/// Decide every line of `input`, writing one output line per input line, in order.
pub fn decide_stream<R: Read + Send, W: Write + Send>(
    program: &Program,
    input: R,
    output: W,
    options: &StreamOptions,
    progress: ProgressFn<'_>,
) -> Result<StreamSummary, StreamError> {
    let no_tally = || Box::new(NoTally) as Box<dyn Tally>;
    decide_stream_with(program, input, output, options, progress, &no_tally)
}

/// [`decide_stream`], with every case decided shown to a tally per worker.
pub fn decide_stream_with<'p, R: Read + Send, W: Write + Send>(
    program: &'p Program,
    input: R,
    output: W,
    options: &StreamOptions,
    progress: ProgressFn<'_>,
    tally: TallyFn<'p>,
) -> Result<StreamSummary, StreamError> {
    let jobs = options.jobs.clamp(1, MAX_JOBS);
    let shared = Shared {
        input: Mutex::new(Input {
            reader: input,
            carry: Vec::new(),
            seq: 0,
            line: 1,
            done: false,
        }),
        output: Mutex::new(Output {
            writer: output,
            next: 0,
            waiting: BTreeMap::new(),
            summary: StreamSummary::default(),
            failed: None,
        }),
        turn: Condvar::new(),
        window: 2 * jobs,
    };
    let prepared = Prepared {
        program,
        decoder: Decoder::new(program),
        writer: CaseWriter::new(program),
        explain: options.explain,
        tally,
    };
    let work = || worker(&prepared, &shared, progress);
    if jobs == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            // Workers have the stack the nesting limit is set for; a worker
            // that cannot be started leaves the work to the others, and
            // with none started, this thread does it.
            let started = (0..jobs)
                .map_while(|_| {
                    std::thread::Builder::new()
                        .stack_size(crate::syntax::nesting::STACK_SIZE)
                        .spawn_scoped(s, work)
                        .ok()
                })
                .count();
            if started == 0 {
                work();
            }
        });
    }
    let mut out = shared
        .output
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(e) = out.failed.take() {
        return Err(e);
    }
    out.writer.flush().map_err(StreamError::Write)?;
    Ok(out.summary)
}

struct Shared<R, W> {
    input: Mutex<Input<R>>,
    output: Mutex<Output<W>>,
    /// Signalled when a chunk is written, freeing room in the window.
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

struct Output<W> {
    writer: W,
    /// The chunk to write next.
    next: u64,
    /// Finished chunks waiting for an earlier one: (output, lines, input bytes, bad).
    waiting: BTreeMap<u64, Done>,
    summary: StreamSummary,
    failed: Option<StreamError>,
}

struct Done {
    out: Vec<u8>,
    lines: u64,
    bytes: u64,
    bad: u64,
    errors: u64,
}

impl<W: Write> Output<W> {
    fn write(&mut self, done: &Done, progress: ProgressFn<'_>) {
        if self.failed.is_none() {
            if let Err(e) = self.writer.write_all(&done.out) {
                self.failed = Some(StreamError::Write(e));
            }
        }
        self.next += 1;
        self.summary.lines += done.lines;
        self.summary.bad += done.bad;
        self.summary.errors += done.errors;
        progress(done.lines, done.bytes);
    }
}

/// A program with what it takes to decode and write many cases.
struct Prepared<'p> {
    program: &'p Program,
    decoder: Decoder<'p>,
    writer: CaseWriter<'p>,
    explain: bool,
    tally: TallyFn<'p>,
}

/// One worker's buffers, reused from case to case.
struct Case<'p> {
    facts: Facts,
    evaluator: Evaluator<'p>,
    result: CaseResult,
    tally: Box<dyn Tally + 'p>,
}

fn worker<R: Read, W: Write>(
    prepared: &Prepared<'_>,
    shared: &Shared<R, W>,
    progress: ProgressFn<'_>,
) {
    let mut case = Case {
        facts: Facts::empty(&prepared.program.facts),
        evaluator: Evaluator::new(prepared.program),
        result: CaseResult::default(),
        tally: (prepared.tally)(),
    };
    let mut input_buf = Vec::with_capacity(CHUNK + 4096);
    let mut out_buf = Vec::with_capacity(CHUNK);
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
        out_buf.clear();
        let (lines, bad, errors) = decide_chunk(prepared, &mut case, &chunk, &mut out_buf);
        case.tally.flush();
        let done = Done {
            out: std::mem::take(&mut out_buf),
            lines,
            bytes: chunk.bytes.len() as u64,
            bad,
            errors,
        };
        input_buf = chunk.bytes;
        let mut out = lock(&shared.output);
        if chunk.seq != out.next {
            out.waiting.insert(chunk.seq, done);
            out_buf = Vec::with_capacity(CHUNK);
            continue;
        }
        out.write(&done, progress);
        out_buf = done.out;
        loop {
            let next = out.next;
            let Some(queued) = out.waiting.remove(&next) else {
                break;
            };
            out.write(&queued, progress);
        }
        shared.turn.notify_all();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Decide every line of a chunk into `out`; (lines, bad lines, cases with
/// an `error` decision).
fn decide_chunk(
    prepared: &Prepared<'_>,
    case: &mut Case<'_>,
    chunk: &Chunk,
    out: &mut Vec<u8>,
) -> (u64, u64, u64) {
    let mut bytes = &chunk.bytes[..];
    let mut n = chunk.first_line;
    let (mut lines, mut bad, mut errors) = (0, 0, 0);
    while !bytes.is_empty() {
        let end = memchr::memchr(b'\n', bytes);
        let (line, rest) = match end {
            Some(e) => (&bytes[..e], &bytes[e + 1..]),
            None => (bytes, &[][..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !decide_line(prepared, case, n, line, out) {
            bad += 1;
        } else if (case.result.decisions.iter()).any(|d| matches!(d.status, Status::Error(..))) {
            errors += 1;
        }
        lines += 1;
        n += 1;
        bytes = rest;
    }
    (lines, bad, errors)
}

/// One JSONL line → one output line appended to `out`; `false` when the line was bad.
fn decide_line(
    prepared: &Prepared<'_>,
    case: &mut Case<'_>,
    n: usize,
    line: &[u8],
    out: &mut Vec<u8>,
) -> bool {
    let program = prepared.program;
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            let message = format!("the line is not valid UTF-8 (byte {})", e.valid_up_to() + 1);
            bad_line(out, n, &message);
            return false;
        }
    };
    if text.trim().is_empty() {
        bad_line(out, n, "empty line");
        return false;
    }
    if let Err(e) = prepared.decoder.decode_into(text, &mut case.facts) {
        bad_line(out, n, &e.to_string());
        return false;
    }
    let result = &mut case.result;
    case.evaluator
        .evaluate_into(&case.facts, prepared.explain, result);
    case.tally.case(result);
    if prepared.explain {
        // Writing a JSON tree into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, &render::case_json(program, result, true));
        out.push(b'\n');
    } else {
        prepared.writer.case(result, out);
    }
    true
}

/// `{"line":N,"error":"..."}` and a newline.
fn bad_line(out: &mut Vec<u8>, n: usize, message: &str) {
    out.extend_from_slice(b"{\"line\":");
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    out.extend_from_slice(b",\"error\":");
    crate::output::jsonl::string(out, message);
    out.extend_from_slice(b"}\n");
}
