//! `vouch eval`: decide one case or a stream of cases.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use super::{read_input, render, stderr_color, OutputFormat};
use crate::program::Program;
use crate::source::SourceFile;

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("input").required(true))]
pub struct EvalArgs {
    /// The policy file (`.vouch`).
    pub policy: PathBuf,
    /// One case's facts as a JSON object; `-` reads standard input.
    #[arg(long, group = "input", value_name = "FILE")]
    pub facts: Option<PathBuf>,
    /// Many cases, one JSON object per line; `-` reads standard input.
    /// Output lines follow input order.
    #[arg(long, group = "input", value_name = "FILE")]
    pub facts_jsonl: Option<PathBuf>,
    /// `json` (the integration contract) or `text` (a table for people).
    /// Default: `text` on a terminal, `json` when the output is piped.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Show how each decision was reached: conditions, the facts and
    /// parameters they read, and where those are defined.
    #[arg(long)]
    pub explain: bool,
    /// Threads for `--facts-jsonl` (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Load a policy, printing its diagnostics on failure.
pub(crate) fn load_policy(path: &PathBuf) -> Result<Program, u8> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read the policy `{}`: {e}", path.display());
            return Err(2);
        }
    };
    let source = SourceFile::new(path.display().to_string(), text);
    crate::load(&source).map_err(|e| {
        let color = stderr_color();
        for d in e.diagnostics() {
            eprint!("{}", render::diagnostic(d, color));
        }
        2
    })
}

pub fn run(args: EvalArgs) -> u8 {
    let program = match load_policy(&args.policy) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(path) = &args.facts {
        return single(&program, path, &args);
    }
    if let Some(path) = &args.facts_jsonl {
        return stream(&program, path, &args);
    }
    2
}

fn single(program: &Program, path: &PathBuf, args: &EvalArgs) -> u8 {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let text = match read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read the facts `{name}`: {e}");
            return 2;
        }
    };
    let facts = match crate::facts::decode(program, &text) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot read the facts in {name}: {e}");
            return 2;
        }
    };
    let result = crate::eval::evaluate(program, &facts, args.explain);
    let mut out = std::io::stdout().lock();
    let format = args.format.unwrap_or_else(|| {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            OutputFormat::Text
        } else {
            OutputFormat::Json
        }
    });
    let written = match format {
        OutputFormat::Json => {
            let json = render::case_json(program, &result, args.explain);
            serde_json::to_writer_pretty(&mut out, &json)
                .map_err(std::io::Error::from)
                .and_then(|_| writeln!(out))
        }
        OutputFormat::Text => {
            let mut text = render::case_text(program, &result);
            if args.explain {
                text.push('\n');
                text.push_str(&super::explain::case(program, &result));
            }
            out.write_all(text.as_bytes())
        }
    };
    if written.is_err() {
        return 2;
    }
    let errors = result
        .decisions
        .iter()
        .filter(|d| matches!(d.status, crate::eval::Status::Error(..)))
        .count();
    if errors > 0 {
        eprintln!("error: {errors} decision(s) could not be evaluated; see their `error` fields");
        return 1;
    }
    0
}

/// Lines per batch: bounds memory while keeping every thread busy.
const BATCH: usize = 8192;

fn stream(program: &Program, path: &PathBuf, args: &EvalArgs) -> u8 {
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 20, f)),
            Err(e) => {
                eprintln!("error: cannot read the facts `{}`: {e}", path.display());
                return 2;
            }
        }
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot start threads: {e}");
            return 2;
        }
    };
    let progress = super::progress::Progress::new(path);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let mut lines = input.lines();
    let mut line_no = 0usize;
    let mut bad = 0usize;
    loop {
        let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH);
        let mut read_bytes = 0u64;
        for line in lines.by_ref().take(BATCH) {
            line_no += 1;
            match line {
                Ok(l) => {
                    read_bytes += l.len() as u64 + 1;
                    batch.push((line_no, l));
                }
                Err(e) => {
                    eprintln!("error: cannot read line {line_no}: {e}");
                    return 2;
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        let outputs: Vec<(Vec<u8>, bool)> = pool.install(|| {
            batch
                .par_iter()
                .map_init(
                    || crate::facts::Facts::empty(&program.facts),
                    |facts, (n, line)| decide_line(program, facts, *n, line, args.explain),
                )
                .collect()
        });
        for (bytes, ok) in &outputs {
            if !ok {
                bad += 1;
            }
            if out.write_all(bytes).is_err() {
                return 2;
            }
        }
        progress.advance(batch.len() as u64, read_bytes);
    }
    progress.finish();
    if out.flush().is_err() {
        return 2;
    }
    if bad > 0 {
        eprintln!("{bad} line(s) could not be decided; see their `error` fields");
        return 1;
    }
    0
}

/// One JSONL line → one output line; `false` when the line was bad.
pub(crate) fn decide_line(
    program: &Program,
    facts: &mut crate::facts::Facts,
    n: usize,
    line: &str,
    explain: bool,
) -> (Vec<u8>, bool) {
    let mut buf = Vec::with_capacity(512);
    if line.trim().is_empty() {
        let _ = serde_json::to_writer(
            &mut buf,
            &serde_json::json!({"line": n, "error": "empty line"}),
        );
        buf.push(b'\n');
        return (buf, false);
    }
    let ok = match crate::facts::decode_into(program, line, facts) {
        Ok(()) => {
            let result = crate::eval::evaluate(program, facts, explain);
            let _ = serde_json::to_writer(&mut buf, &render::case_json(program, &result, explain));
            true
        }
        Err(e) => {
            let _ = serde_json::to_writer(
                &mut buf,
                &serde_json::json!({"line": n, "error": e.to_string()}),
            );
            false
        }
    };
    buf.push(b'\n');
    (buf, ok)
}
