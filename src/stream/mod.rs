//! Decide a stream of cases, one JSON object a line, on several threads.
//!
//! The lines are taken a chunk at a time by several workers and written in
//! input order (the engine is in `stream/ordered.rs`); memory stays bounded whatever the
//! length of the stream.

pub(crate) mod ordered;

use std::io::{self, Read, Write};

use crate::eval::{CaseResult, Evaluator, Status};
use crate::facts::{Decoder, Facts};
use crate::output::jsonl::CaseWriter;
use crate::output::render;
use crate::program::Program;

/// More workers than this only wait on each other's locks.
pub const MAX_JOBS: usize = 256;

/// How a stream is decided.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Worker threads, at most [`MAX_JOBS`]; 1 decides on the calling thread.
    pub jobs: usize,
    /// Add each decision's trace to its output.
    pub explain: bool,
    /// Refuse a line with a key the policy does not declare (an error line
    /// naming each such key), as `vouch eval --strict` does.
    pub strict: bool,
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
    let work = Decide {
        program,
        decoder: Decoder::new(program),
        writer: CaseWriter::new(program),
        explain: options.explain,
        strict: options.strict,
        tally,
    };
    let sink = Sink {
        writer: output,
        summary: StreamSummary::default(),
        progress,
    };
    let mut sink = ordered::run(input, options.jobs, &work, sink)?;
    sink.writer.flush().map_err(StreamError::Write)?;
    Ok(sink.summary)
}

/// A program with what it takes to decode and write many cases.
struct Decide<'p> {
    program: &'p Program,
    decoder: Decoder<'p>,
    writer: CaseWriter<'p>,
    explain: bool,
    strict: bool,
    tally: TallyFn<'p>,
}

/// One worker's buffers, reused from case to case.
struct Case<'p> {
    facts: Facts,
    evaluator: Evaluator<'p>,
    result: CaseResult,
    tally: Box<dyn Tally + 'p>,
}

/// A chunk decided: its output lines and what they count.
#[derive(Default)]
struct Decided {
    out: Vec<u8>,
    lines: u64,
    bytes: u64,
    bad: u64,
    errors: u64,
}

/// Writes decided chunks and adds up their counts.
struct Sink<'a, W> {
    writer: W,
    summary: StreamSummary,
    progress: ProgressFn<'a>,
}

impl<W: Write + Send> ordered::Consume<Decided> for Sink<'_, W> {
    fn consume(&mut self, done: &mut Decided) -> io::Result<()> {
        self.summary.lines += done.lines;
        self.summary.bad += done.bad;
        self.summary.errors += done.errors;
        (self.progress)(done.lines, done.bytes);
        self.writer.write_all(&done.out)
    }
}

impl<'p> ordered::ChunkWork for Decide<'p> {
    type Worker = Case<'p>;
    type Done = Decided;

    fn worker(&self) -> Case<'p> {
        Case {
            facts: Facts::empty(&self.program.facts),
            evaluator: Evaluator::new(self.program),
            result: CaseResult::default(),
            tally: (self.tally)(),
        }
    }

    /// Decide every line of a chunk into its output lines.
    fn chunk(&self, case: &mut Case<'p>, first_line: usize, bytes: &[u8], done: &mut Decided) {
        done.out.clear();
        done.out.reserve(ordered::CHUNK);
        (done.lines, done.bad, done.errors) = (0, 0, 0);
        done.bytes = bytes.len() as u64;
        for (n, line) in ordered::lines(bytes, first_line) {
            if !self.line(case, n, line, &mut done.out) {
                done.bad += 1;
            } else if (case.result.decisions.iter()).any(|d| matches!(d.status, Status::Error(..)))
            {
                done.errors += 1;
            }
            done.lines += 1;
        }
        case.tally.flush();
    }
}

impl Decide<'_> {
    /// One JSONL line → one output line appended to `out`; `false` when the line was bad.
    fn line(&self, case: &mut Case<'_>, n: usize, line: &[u8], out: &mut Vec<u8>) -> bool {
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
        if let Err(e) = self.decoder.decode_into(text, &mut case.facts) {
            bad_line(out, n, &e.to_string());
            return false;
        }
        if self.strict {
            if let Some(message) = undeclared(self.program, text) {
                bad_line(out, n, &message);
                return false;
            }
        }
        let result = &mut case.result;
        case.evaluator
            .evaluate_into(&case.facts, self.explain, result);
        case.tally.case(result);
        if self.explain {
            // Writing a JSON tree into memory cannot fail.
            let _ =
                serde_json::to_writer(&mut *out, &render::case_json(self.program, result, true));
            out.push(b'\n');
        } else {
            self.writer.case(result, out);
        }
        true
    }
}

/// Under `strict`: the keys of a line that the policy does not declare, as
/// one message; `None` when there are none.
fn undeclared(program: &Program, text: &str) -> Option<String> {
    let json = serde_json::from_str::<serde_json::Value>(text).ok()?;
    let keys = crate::facts::undeclared_keys(program, &json);
    if keys.is_empty() {
        return None;
    }
    let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
    Some(keys.join("; "))
}

/// `{"line":N,"error":"..."}` and a newline.
fn bad_line(out: &mut Vec<u8>, n: usize, message: &str) {
    out.extend_from_slice(b"{\"line\":");
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    out.extend_from_slice(b",\"error\":");
    crate::output::jsonl::string(out, message);
    out.extend_from_slice(b"}\n");
}
