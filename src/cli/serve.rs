//! `vouch serve`: decide over HTTP from a folder of policies.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::exit::Exit;
use crate::output::render;
use crate::serve::{Config, ServeError};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The folder of policies: every `*.vouch` under it is served, and
    /// loaded again when it changes.
    pub policy_dir: PathBuf,
    /// Where to listen, `HOST:PORT`; port 0 picks a free port (the first
    /// line on standard output says which).
    #[arg(long, default_value = "127.0.0.1:8181", value_name = "HOST:PORT")]
    pub addr: String,
    /// Append one JSON line per decision (time, policy, policy_hash, facts,
    /// decisions) to FILE, for audit. Written off the request path, flushed
    /// on shutdown.
    #[arg(long, value_name = "FILE")]
    pub decision_log: Option<PathBuf>,
    /// Check every cited quote against the source files in this folder when
    /// a policy is loaded, as `vouch check --sources` does (default: the
    /// `[sources] dir` of the policy's `vouch.toml`, if any). Each policy's
    /// `vouch.toml` also sets the level of each lint.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// The largest `decide` body; larger gets 413. Bytes, or with a unit:
    /// `512KiB`, `1MiB`.
    #[arg(long, default_value = "1MiB", value_parser = parse_size, value_name = "SIZE")]
    pub max_body: usize,
    /// The largest `decide-batch` body; larger gets 413. A body sent without
    /// a `Content-Length` is spooled to a temporary file first, so that it
    /// too gets 413 before any answer; its answers start when it has all
    /// arrived.
    #[arg(long, default_value = "64MiB", value_parser = parse_size, value_name = "SIZE")]
    pub max_batch_body: usize,
    /// Answer 503 to a request not answered in this time (`500ms`, `10s`,
    /// `2m`; `0` for none). A batch whose answer has started and is still
    /// running then is cut off: its response ends unfinished.
    #[arg(long, default_value = "10s", value_parser = parse_duration, value_name = "TIME")]
    pub timeout: Duration,
    /// How long the folder must stay quiet after a change before it is read
    /// again.
    #[arg(long, default_value = "100ms", value_parser = parse_duration, value_name = "TIME")]
    pub debounce: Duration,
    /// Threads that answer requests, and that decide each batch (default:
    /// every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Log lines on standard error: `text` for people, `json` for a log
    /// collector.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// The least serious log level shown: `error`, `warn`, `info`, `debug`
    /// (one line per request) or `trace`.
    #[arg(long, default_value = "info", value_name = "LEVEL")]
    pub log_level: tracing::level_filters::LevelFilter,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

pub fn run(args: ServeArgs) -> Exit {
    init_logs(&args);
    let jobs = super::jobs(args.jobs);
    let config = Config {
        dir: args.policy_dir,
        addr: args.addr,
        decision_log: args.decision_log,
        max_body: args.max_body,
        max_batch_body: args.max_batch_body,
        timeout: Some(args.timeout).filter(|t| !t.is_zero()),
        debounce: args.debounce,
        jobs,
        sources: args.sources,
    };
    let started = crate::serve::run(config, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    });
    match started {
        Ok(()) => Exit::Success,
        Err(e) => {
            if let ServeError::NoPolicy { refused, .. } = &e {
                for text in refused {
                    eprint!("{text}");
                }
            }
            eprint!("{}", render::diagnostic(&e, super::stderr_color()));
            Exit::Unreadable
        }
    }
}

fn init_logs(args: &ServeArgs) {
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(args.log_level)
        .with_target(false);
    let _ = match args.log_format {
        LogFormat::Text => logs.with_ansi(super::stderr_color()).try_init(),
        LogFormat::Json => logs.json().try_init(),
    };
}

/// `1048576`, `512KiB`, `1MiB`, `1GiB` (also `KB`, `MB`, `GB` as 1000s).
fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: usize = number
        .parse()
        .map_err(|_| format!("expected a size such as `1MiB`, found `{text}`"))?;
    let unit: usize = match unit.trim() {
        "" | "B" => 1,
        "KiB" | "K" => 1 << 10,
        "MiB" | "M" => 1 << 20,
        "GiB" | "G" => 1 << 30,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        other => return Err(format!("unknown unit `{other}`; use B, KiB, MiB or GiB")),
    };
    number
        .checked_mul(unit)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// `250ms`, `10s`, `2m`, `0`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("expected a time such as `10s`, found `{text}`"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(number)),
        "s" => Ok(Duration::from_secs(number)),
        "m" => Ok(Duration::from_secs(number.saturating_mul(60))),
        "" if number == 0 => Ok(Duration::ZERO),
        _ => Err(format!(
            "expected a time such as `500ms`, `10s` or `2m`, found `{text}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_times_read_as_written() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("2KB"), Ok(2000));
        assert!(parse_size("1 lot").is_err());
        assert!(parse_size("MiB").is_err());
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("ten seconds").is_err());
    }
}
