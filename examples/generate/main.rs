//! Realistic after-sales cases for benchmarks and tests, one JSON object a line.
//!
//! ```sh
//! cargo run --release --example generate -- --cases 200000 --seed 1 > cases.jsonl
//! ```
//!
//! The same seed gives the same cases, byte for byte, on every platform.

mod cases;

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: generate [--cases N] [--seed S]   (defaults: 1000 cases, seed 1)";

fn main() -> ExitCode {
    let mut count: u64 = 1000;
    let mut seed: u64 = 1;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let target = match flag.as_str() {
            "--cases" => &mut count,
            "--seed" => &mut seed,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => {
                eprintln!("error: unknown argument `{flag}`\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        match args.next().and_then(|v| v.parse().ok()) {
            Some(v) => *target = v,
            None => {
                eprintln!("error: `{flag}` needs a whole number\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let mut generator = cases::Generator::new(seed);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut line = String::with_capacity(2048);
    for _ in 0..count {
        line.clear();
        generator.case(&mut line);
        if out.write_all(line.as_bytes()).is_err() {
            // The reader went away (`| head`): stop quietly.
            return ExitCode::SUCCESS;
        }
    }
    if out.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    ExitCode::SUCCESS
}
