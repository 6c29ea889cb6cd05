//! The `vouch` command line: arguments, files, exit codes. It decides what
//! to print and where; what the output looks like is [`crate::output`]'s.
//! `main.rs` only calls `cli::main`.

mod check;
mod diff;
mod eval;
mod exit;
mod fmt;
mod lsp;
mod progress;
mod serve;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub(crate) use exit::Exit;

/// vouch: decide after-sales guarantee programs from policy files.
#[derive(Parser, Debug)]
#[command(
    name = "vouch",
    version,
    about = "Decide after-sales guarantee programs from policy files",
    long_about = "vouch reads a program's rules from a `.vouch` policy file, checks them, \
                  and decides orders from their facts (JSON), explaining every decision.",
    after_help = "Examples:\n  \
        vouch eval policy.vouch --facts order.json --explain\n  \
        vouch eval policy.vouch --facts-jsonl cases.jsonl > decisions.jsonl\n  \
        vouch check rules/\n  \
        vouch test rules/ --coverage\n  \
        vouch diff old.vouch new.vouch --facts-jsonl cases.jsonl\n  \
        vouch fmt --check rules/\n  \
        vouch serve rules/ --addr 127.0.0.1:8181\n  \
        vouch lsp                    # started by an editor"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Decide every decision of a policy for one case or many.
    #[command(
        after_help = format!(
            "Examples:\n  \
             vouch eval policy.vouch --facts order.json --explain\n  \
             vouch eval policy.vouch --facts order.json --format text\n  \
             vouch eval policy.vouch --facts-jsonl cases.jsonl > decisions.jsonl\n  \
             producer | vouch eval policy.vouch --facts-jsonl - --strict\n\n{}",
            exit::TABLE
        )
    )]
    Eval(eval::EvalArgs),
    /// Parse, type-check and lint every `.vouch` file under the paths.
    #[command(
        after_help = format!(
            "Lints are documented by `vouch check --explain LINT` and in docs/lints.md.\n\n{}",
            exit::TABLE
        )
    )]
    Check(check::CheckArgs),
    /// Run test files (`*.test.json`): facts in, expected decisions out.
    #[command(
        after_help = format!(
            "Examples:\n  \
             vouch test rules/\n  \
             vouch test rules/ --coverage-min 100\n  \
             vouch test rules/ --format junit > vouch-tests.xml\n\n{}",
            exit::TABLE
        )
    )]
    Test(test::TestArgs),
    /// Decide a corpus under two versions of a policy and report what changes.
    #[command(
        after_help = format!(
            "Examples:\n  \
             git show HEAD:rules/p.vouch > /tmp/old.vouch\n  \
             vouch diff /tmp/old.vouch rules/p.vouch --facts-jsonl cases.jsonl\n  \
             vouch diff old.vouch new.vouch --facts-jsonl cases.jsonl --format json --examples 10\n\n{}",
            exit::TABLE
        )
    )]
    Diff(diff::DiffArgs),
    /// Rewrite policy files in the canonical layout, or check that they are.
    #[command(
        after_help = format!(
            "The layout never changes what a file means: the result is parsed again and \
             refused unless it equals the original, comments included.\n\
             Examples:\n  \
             vouch fmt rules/\n  \
             vouch fmt --check rules/\n  \
             vouch fmt - < policy.vouch\n\n{}",
            exit::TABLE
        )
    )]
    Fmt(fmt::FmtArgs),
    /// Serve decisions over HTTP from a folder of policies, reloaded when a file changes.
    #[command(
        long_about = "Serve decisions over HTTP from every `*.vouch` file under POLICY_DIR. \
                      When a file is written, added or removed, it is loaded again off the \
                      request path: a file that checks cleanly replaces its policy atomically; \
                      one with errors is refused and the last good version keeps serving, \
                      with the refusal shown by /v1/policies, /health and the log. The first \
                      line on standard output is `listening on http://ADDR`.",
        after_help = "Endpoints:\n  \
            POST /v1/policies/{id}/decide[?explain=true]  one facts object → the JSON of `vouch eval --facts` plus policy_hash\n  \
            POST /v1/policies/{id}/decide-batch           JSONL in → JSONL out, as `vouch eval --facts-jsonl`\n  \
            GET  /v1/policies                             each file: id, file, policy_hash, loaded_at, error\n  \
            GET  /health                                  {\"status\": \"ok\"}, or \"degraded\" while an edit is refused\n  \
            GET  /metrics                                 Prometheus text\n\
            Status codes: 200 decided; 400 facts that cannot be read (code, message, path); 404 unknown \
            policy or route; 405 wrong method; 413 body over the limit; 503 not answered within --timeout.\n\
            Stops on SIGTERM or Ctrl-C after finishing the requests in flight and flushing the decision log.\n\
            Exit status: 0 stopped cleanly (SIGTERM or Ctrl-C); 2 it could not start (no policy loads, \
            the folder or the decision log cannot be opened, the address is taken) or failed while running \
            (the table every command shares, which `vouch eval --help` shows)."
    )]
    Serve(serve::ServeArgs),
    /// Serve editors: a Language Server Protocol server over standard input and output.
    #[command(
        after_help = "Editors start it themselves; see editors/vscode/README.md for VS Code, Neovim and Helix."
    )]
    Lsp(lsp::LspArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// The contract's JSON, one object per case.
    Json,
    /// A table for people.
    Text,
}

/// Run the command line and return the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every thread that checks or decides has the same stack, the one the
    // nesting limit is set for: this one and the stream's workers.
    let stack = crate::syntax::nesting::STACK_SIZE;
    let command = std::sync::Mutex::new(Some(cli.command));
    let run = || {
        let command = command.lock().ok().and_then(|mut c| c.take());
        command.map_or(Exit::Unreadable, |command| match command {
            Command::Eval(args) => eval::run(args),
            Command::Check(args) => check::run(args),
            Command::Test(args) => test::run(args),
            Command::Diff(args) => diff::run(args),
            Command::Fmt(args) => fmt::run(args),
            Command::Serve(args) => serve::run(args),
            Command::Lsp(args) => lsp::run(args),
        })
    };
    // Borrowed, so that this thread can run it if no thread can be started.
    let run = &run;
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(stack)
            .spawn_scoped(s, run)
        {
            // A panic is a bug, reported as Rust reports one.
            Ok(handle) => handle.join().map_or(ExitCode::from(101), ExitCode::from),
            Err(_) => run().into(),
        }
    })
}

/// Read a file, or standard input for `-`.
pub(crate) fn read_input(path: &PathBuf) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path)
    }
}

/// Whether standard error is a terminal that shows colour.
pub(crate) fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Whether standard output is a terminal that shows colour.
pub(crate) fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Every file under a path whose name passes `wanted`, in order; a file
/// named directly is taken as it is. Each entry that cannot be read is
/// returned with its own path (a dangling link, a folder without
/// permission) and the walk goes on; a folder reached twice, as through a
/// link back up the tree, is walked once. Names need not be UTF-8.
pub(crate) fn files_under(
    path: &std::path::Path,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<PathBuf>,
) -> Vec<(PathBuf, std::io::Error)> {
    let mut errors = Vec::new();
    let mut walked = std::collections::HashSet::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(path) = pending.pop() {
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                out.push(path);
                continue;
            }
            Err(e) => {
                errors.push((path, e));
                continue;
            }
        }
        match std::fs::canonicalize(&path) {
            Ok(real) => {
                if !walked.insert(real) {
                    continue;
                }
            }
            Err(e) => {
                errors.push((path, e));
                continue;
            }
        }
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push((path, e));
                continue;
            }
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        // Reversed, so that the stack gives them back in order.
        entries.sort_by(|a, b| b.cmp(a));
        for e in entries {
            let name_ok = e.file_name().is_some_and(|n| wanted(&n.to_string_lossy()));
            // A link is followed: to a folder, or to a wanted file.
            if name_ok || std::fs::metadata(&e).is_ok_and(|m| m.is_dir()) {
                pending.push(e);
            }
        }
    }
    errors
}

/// Write a command's whole report to standard output. A reader that went
/// away (`| head`) ends the command quietly; any other failure is said.
/// Both exit 2: the output was not all written.
pub(crate) fn print_out(text: &str) -> Result<(), Exit> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write the output: {e}");
            }
            Err(Exit::Unreadable)
        }
    }
}

/// Worker threads: as asked with `--jobs`, or one a core (0 means the
/// default too).
pub(crate) fn jobs(asked: Option<usize>) -> usize {
    asked.filter(|&n| n > 0).unwrap_or_else(cores)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `f` over every item on every core (files to check or format, say), the
/// results in the items' order. Each thread has the stack the nesting limit
/// is set for; with none started, this thread does it all.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let threads = cores().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else {
            return;
        };
        let r = f(item);
        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            let _ = std::thread::Builder::new()
                .stack_size(crate::syntax::nesting::STACK_SIZE)
                .spawn_scoped(s, work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            let done = slot.into_inner().unwrap_or_else(|e| e.into_inner());
            // Every index below the length was taken by some thread, and a
            // thread that panicked has ended the scope with its panic.
            done.expect("every item is done")
        })
        .collect()
}
