//! `vouch eval`: decide one case or a stream of cases.

use super::Exit;
use crate::output::terminal::escape;
use std::io::{Read, Write};
use std::path::PathBuf;

use super::{read_input, stderr_color, OutputFormat};
use crate::output::render;
use crate::program::Program;
use crate::source::SourceFile;
use crate::stream::{decide_stream, StreamError, StreamOptions};
use clap::Args;

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
    /// `--facts-jsonl` writes JSON lines only.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Refuse facts keys that the policy does not declare, naming each with
    /// the declared key it probably meant (`order.amonut`); with
    /// `--facts-jsonl`, such a line gets an error line in its place.
    #[arg(long, requires = "input")]
    pub strict: bool,
    /// Show how each decision was reached: conditions, the facts and
    /// parameters they read, and where those are defined.
    #[arg(long)]
    pub explain: bool,
    /// Threads for `--facts-jsonl` (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Load a policy, printing its diagnostics on failure.
pub(crate) fn load_policy(path: &PathBuf) -> Result<Program, Exit> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "error: cannot read the policy `{}`: {e}",
                escape(&path.display().to_string())
            );
            return Err(Exit::Unreadable);
        }
    };
    let source = SourceFile::new(path.display().to_string(), text);
    crate::load(&source).map_err(|e| {
        let color = stderr_color();
        for d in e.diagnostics() {
            eprint!("{}", render::diagnostic(d, color));
        }
        Exit::Unreadable
    })
}

pub fn run(args: EvalArgs) -> Exit {
    let program = match load_policy(&args.policy) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(path) = &args.facts {
        return single(&program, path, &args);
    }
    if let Some(path) = &args.facts_jsonl {
        if args.format == Some(OutputFormat::Text) {
            eprintln!("error: `--facts-jsonl` writes JSON lines; `--format text` is for `--facts`");
            return Exit::Unreadable;
        }
        return stream(&program, path, &args);
    }
    Exit::Unreadable
}

fn single(program: &Program, path: &PathBuf, args: &EvalArgs) -> Exit {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let text = match read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read the facts `{}`: {e}", escape(&name));
            return Exit::Unreadable;
        }
    };
    let facts = match crate::facts::decode(program, &text) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "error[{}]: cannot read the facts in {}: {}",
                e.code(),
                escape(&name),
                escape(&e.to_string())
            );
            return Exit::Unreadable;
        }
    };
    if args.strict && !strict_keys(program, &text, &name) {
        return Exit::Unreadable;
    }
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
            out.write_all(&crate::engine::json_bytes(&json, None))
        }
        OutputFormat::Text => {
            let mut text = render::case_text(program, &result);
            if args.explain {
                text.push('\n');
                text.push_str(&crate::output::explain::case(program, &result));
            }
            out.write_all(text.as_bytes())
        }
    };
    if written.is_err() {
        return Exit::Unreadable;
    }
    let errors = result
        .decisions
        .iter()
        .filter(|d| matches!(d.status, crate::eval::Status::Error(..)))
        .count();
    if errors > 0 {
        eprintln!("error: {errors} decision(s) could not be evaluated; see their `error` fields");
        return Exit::Reported;
    }
    Exit::Success
}

/// `--strict`: every key of the facts is one the policy declares; else
/// each other key is named on standard error.
fn strict_keys(program: &Program, text: &str, name: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return true;
    };
    let undeclared = crate::facts::undeclared_keys(program, &json);
    for key in &undeclared {
        eprintln!(
            "error[vouch::facts::undeclared_key]: in {}: {}",
            crate::output::terminal::escape(name),
            crate::output::terminal::escape(&key.to_string())
        );
    }
    undeclared.is_empty()
}

fn stream(program: &Program, path: &PathBuf, args: &EvalArgs) -> Exit {
    let input: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!(
                    "error: cannot read the facts `{}`: {e}",
                    escape(&path.display().to_string())
                );
                return Exit::Unreadable;
            }
        }
    };
    let jobs = super::jobs(args.jobs);
    let options = StreamOptions {
        jobs,
        explain: args.explain,
        strict: args.strict,
    };
    let progress = super::progress::Progress::new(path);
    let result = decide_stream(
        program,
        input,
        std::io::stdout(),
        &options,
        &|lines, bytes| progress.advance(lines, bytes),
    );
    progress.finish();
    match result {
        Ok(summary) if summary.bad > 0 || summary.errors > 0 => {
            if summary.bad > 0 {
                eprintln!(
                    "{} line(s) could not be decided; see their `error` fields",
                    summary.bad
                );
            }
            if summary.errors > 0 {
                eprintln!(
                    "error: {} case(s) have decisions that could not be evaluated; see their `error` fields",
                    summary.errors
                );
            }
            Exit::Reported
        }
        Ok(_) => Exit::Success,
        Err(StreamError::Read(e)) => {
            eprintln!("error: cannot read the facts: {e}");
            Exit::Unreadable
        }
        Err(StreamError::Write(e)) => {
            eprintln!("error: cannot write the decisions: {e}");
            Exit::Unreadable
        }
    }
}
