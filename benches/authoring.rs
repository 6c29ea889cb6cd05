//! The authoring commands on the shipped policies, as a policy author or a
//! CI job runs them: `vouch fmt --check rules/` and `vouch check rules/`,
//! each a whole process, against `vouch --version` (a process that starts
//! and stops, doing nothing) measured in the same run.
//!
//! ```sh
//! cargo bench --bench authoring
//! cargo bench --bench authoring -- --runs 100
//! ```
//!
//! Runs are interleaved, so that a busy machine slows every command alike;
//! each figure is the median of its runs, with the fastest beside it. The
//! goal is under 20 ms for `fmt` and for `check`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn runs() -> usize {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--runs" {
            return (args.next())
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("`--runs` needs a whole number"))
                .max(1);
        }
    }
    30
}

/// One run of `vouch ARGS` from the crate root, its output dropped.
fn time(args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("vouch runs");
    let elapsed = start.elapsed();
    assert!(status.success(), "vouch {args:?} ended with {status}");
    elapsed
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let runs = runs();
    let commands: [(&str, &[&str]); 4] = [
        ("`vouch --version` (baseline)", &["--version"]),
        ("`vouch fmt --check rules/`", &["fmt", "--check", "rules/"]),
        ("`vouch check rules/`", &["check", "rules/"]),
        (
            "`vouch check rules/ --sources ../shared/seeds`",
            &["check", "rules/", "--sources", "../shared/seeds"],
        ),
    ];
    let with_sources = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds")
        .is_dir();
    let commands: Vec<_> = commands
        .into_iter()
        .filter(|(_, args)| with_sources || !args.contains(&"--sources"))
        .collect();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .map(|d| d.count())
        .unwrap_or(0);
    println!("{runs} runs of each, interleaved; rules/ holds {files} entries");
    // One warm-up each: the binary and the policies in the page cache.
    for (_, args) in &commands {
        time(args);
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); commands.len()];
    for _ in 0..runs {
        for ((_, args), t) in commands.iter().zip(&mut times) {
            t.push(time(args));
        }
    }
    for t in &mut times {
        t.sort();
    }
    let median = |t: &[Duration]| t[t.len() / 2];
    let base = median(&times[0]);
    println!();
    println!("| command | median | fastest | median − baseline |");
    println!("|---|---:|---:|---:|");
    for ((name, _), t) in commands.iter().zip(&times) {
        println!(
            "| {name} | {} | {} | {} |",
            ms(median(t)),
            ms(t[0]),
            ms(median(t).saturating_sub(base))
        );
    }
    println!();
    for ((name, args), t) in commands.iter().zip(&times).skip(1) {
        if args.contains(&"--sources") {
            continue;
        }
        let met = median(t) < Duration::from_millis(20);
        let verdict = if met { "met:    " } else { "NOT MET:" };
        println!("{verdict} {name} under 20 ms (median {})", ms(median(t)));
    }
}
