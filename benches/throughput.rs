//! Cases per second: vouch deciding every decision of each shipped policy,
//! against merely parsing each case into a `serde_json::Value`, over the same
//! generated corpus; then policy load times and the peak memory of the
//! `vouch` binary streaming 100,000 and 1,000,000 cases.
//!
//! ```sh
//! cargo bench --bench throughput
//! cargo bench --bench throughput -- --cases 50000 --rounds 1 --no-memory
//! cargo bench --bench throughput -- --only anxin_gou    # one row, e.g. to profile
//! cargo bench --bench throughput -- --only load         # policy load times
//! cargo bench --bench throughput -- --only diff         # `vouch diff` against `vouch eval`
//! ```
//!
//! Each figure is the best of `--rounds` rounds, the rounds interleaved so
//! that a busy machine slows every figure alike; compare ratios from one run.

#[path = "../examples/generate/cases.rs"]
mod cases;

use std::hint::black_box;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vouch::program::Program;
use vouch::source::SourceFile;
use vouch::stream::{decide_stream, StreamOptions};

const POLICIES: [&str; 5] = [
    "rules/douyin/anxin-gou.vouch",
    "rules/douyin/refund-after-rejection.vouch",
    "rules/kuaishou/xinren-gou.vouch",
    "rules/jd/price-protection.vouch",
    "rules/pdd/late-shipment.vouch",
];

struct Options {
    cases: usize,
    rounds: usize,
    seed: u64,
    memory: bool,
    /// `parse`, a program id (one thread) or `load`: measure only that.
    only: Option<String>,
}

fn options() -> Options {
    let mut o = Options {
        cases: 200_000,
        rounds: 3,
        seed: 1,
        memory: true,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> u64 {
            args.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or_else(|| panic!("`{name}` needs a whole number"))
        };
        match a.as_str() {
            "--cases" => o.cases = number("--cases") as usize,
            "--rounds" => o.rounds = number("--rounds").max(1) as usize,
            "--seed" => o.seed = number("--seed"),
            "--no-memory" => o.memory = false,
            "--only" => o.only = args.next(),
            // `cargo bench` passes `--bench`; filters are not used here.
            _ => {}
        }
    }
    o
}

fn main() {
    let o = options();
    if o.only.as_deref() == Some("load") {
        print_load_times();
        return;
    }
    let corpus = cases::corpus(o.cases, o.seed);
    println!(
        "corpus: {} cases, {:.1} MB ({} bytes a case on average), seed {}; best of {} rounds",
        vouch::output::render::thousands(o.cases as u64),
        corpus.len() as f64 / 1e6,
        corpus.len() / o.cases.max(1),
        o.seed,
        o.rounds
    );
    if o.only.as_deref() == Some("diff") {
        print_diff_time(&corpus, o.rounds);
        return;
    }
    let programs: Vec<Program> = POLICIES.iter().map(|p| load(p)).collect();
    if let Some(only) = &o.only {
        let start = Instant::now();
        match programs.iter().find(|p| &*p.id == only) {
            Some(program) => decide(program, &corpus, 1),
            None => parse_only(&corpus),
        };
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{only}: {} cases/s",
            vouch::output::render::thousands((o.cases as f64 / secs) as u64)
        );
        return;
    }

    let mut parse_best = Duration::MAX;
    let mut best = vec![[Duration::MAX; 2]; programs.len()];
    for _ in 0..o.rounds {
        parse_best = parse_best.min(parse_only(&corpus));
        for (program, best) in programs.iter().zip(&mut best) {
            for (slot, jobs) in [1, 2].into_iter().enumerate() {
                best[slot] = best[slot].min(decide(program, &corpus, jobs));
            }
        }
    }

    let rate = |d: Duration| o.cases as f64 / d.as_secs_f64();
    let parse_rate = rate(parse_best);
    println!();
    println!(
        "{:<44} {:>12} {:>12} {:>12}",
        "", "cases/s", "÷ parse", "÷ 1 thread"
    );
    println!(
        "{:<44} {:>12} {:>12.2} {:>12}",
        "serde_json::Value parse only, 1 thread",
        vouch::output::render::thousands(parse_rate as u64),
        1.0,
        ""
    );
    for (program, best) in programs.iter().zip(&best) {
        let [one, two] = [rate(best[0]), rate(best[1])];
        let name = format!("{} ({} decisions)", program.id, program.decisions.len());
        println!(
            "{:<44} {:>12} {:>12.2} {:>12}",
            format!("{name}, 1 thread"),
            vouch::output::render::thousands(one as u64),
            one / parse_rate,
            ""
        );
        println!(
            "{:<44} {:>12} {:>12.2} {:>12.2}",
            format!("{name}, 2 threads"),
            vouch::output::render::thousands(two as u64),
            two / parse_rate,
            two / one
        );
    }

    println!();
    print_load_times();
    println!();
    print_diff_time(&corpus, o.rounds);

    if o.memory {
        println!();
        println!(
            "peak memory of `vouch eval {} --facts-jsonl -` (every core), cases piped in:",
            POLICIES[0]
        );
        for cases in [100_000, 1_000_000] {
            match peak_memory(POLICIES[0], cases, o.seed) {
                Ok((kib, secs)) => println!(
                    "  {:>9} cases  {:>6.1} MiB  ({:.1} s)",
                    vouch::output::render::thousands(cases as u64),
                    kib as f64 / 1024.0,
                    secs
                ),
                Err(e) => println!(
                    "  {:>9} cases  not measured: {e}",
                    vouch::output::render::thousands(cases as u64)
                ),
            }
        }
    }
}

/// The binary over the corpus: `vouch diff` of two versions of a policy
/// against `vouch eval` of one, both on every core. A diff decides each case
/// twice and compares the answers, so about 2 is as good as it gets.
fn print_diff_time(corpus: &str, rounds: usize) {
    const OLD: &str = "tests/fixtures/policies/anxin-cut.vouch";
    const NEW: &str = "tests/fixtures/policies/anxin-cut-edited.vouch";
    let file = std::env::temp_dir().join(format!("vouch-diff-bench-{}.jsonl", std::process::id()));
    std::fs::write(&file, corpus).expect("the corpus file is written");
    let time = |args: &[&str]| {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(args)
            .arg("--facts-jsonl")
            .arg(&file)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .status()
            .expect("vouch runs");
        assert!(out.code().is_some_and(|c| c <= 1), "vouch {args:?}: {out}");
        start.elapsed()
    };
    let (mut eval, mut diff) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        eval = eval.min(time(&["eval", OLD]));
        diff = diff.min(time(&["diff", OLD, NEW]));
    }
    let _ = std::fs::remove_file(&file);
    println!(
        "`vouch eval` {:.3} s, `vouch diff` {:.3} s over the corpus: diff ÷ eval {:.2}",
        eval.as_secs_f64(),
        diff.as_secs_f64(),
        diff.as_secs_f64() / eval.as_secs_f64()
    );
}

fn print_load_times() {
    println!("policy load (read, parse, check), median of 200:");
    for path in POLICIES {
        let ms = load_time(path).as_secs_f64() * 1e3;
        println!("  {path:<44} {ms:>8.3} ms");
    }
}

fn policy_path(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Program {
    let text = std::fs::read_to_string(policy_path(path)).expect("the policy is readable");
    vouch::load(&SourceFile::new(path, text)).unwrap_or_else(|_| panic!("{path} loads"))
}

fn load_time(path: &str) -> Duration {
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            black_box(load(path));
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Parse every line into a `serde_json::Value`, and nothing more.
fn parse_only(corpus: &str) -> Duration {
    let start = Instant::now();
    for line in corpus.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("the corpus is JSON");
        black_box(v);
    }
    start.elapsed()
}

/// Decide every line and write its output JSON, as `vouch eval --facts-jsonl` does.
fn decide(program: &Program, corpus: &str, jobs: usize) -> Duration {
    let options = StreamOptions {
        jobs,
        explain: false,
        strict: false,
    };
    let mut sink = Counter(0);
    let start = Instant::now();
    let summary = decide_stream(program, corpus.as_bytes(), &mut sink, &options, &|_, _| {})
        .unwrap_or_else(|_| panic!("the stream is decided"));
    let elapsed = start.elapsed();
    assert_eq!(summary.bad, 0, "every generated case decodes");
    black_box(sink.0);
    elapsed
}

/// Counts the bytes written.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Peak resident memory (KiB) of the `vouch` binary deciding `cases` piped in.
fn peak_memory(policy: &str, cases: usize, seed: u64) -> Result<(u64, f64), String> {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["eval", &policy_path(policy), "--facts-jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let status = format!("/proc/{}/status", child.id());
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let feeder = std::thread::spawn(move || {
        let mut g = cases::Generator::new(seed);
        let mut buf = String::with_capacity(1 << 20);
        for i in 0..cases {
            g.case(&mut buf);
            if buf.len() > (1 << 20) - 4096 || i + 1 == cases {
                if stdin.write_all(buf.as_bytes()).is_err() {
                    return;
                }
                buf.clear();
            }
        }
    });
    let drain = std::thread::spawn(move || {
        BufReader::with_capacity(1 << 20, stdout)
            .split(b'\n')
            .map_while(Result::ok)
            .count()
    });
    let mut peak = 0;
    loop {
        peak = peak.max(high_water_mark(&status).unwrap_or(0));
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = feeder.join();
    let lines = drain.join().map_err(|_| "the reader failed")?;
    if lines != cases {
        return Err(format!("{lines} output lines for {cases} cases"));
    }
    if peak == 0 {
        return Err("cannot read /proc/PID/status (Linux only)".into());
    }
    Ok((peak, start.elapsed().as_secs_f64()))
}

/// `VmHWM`: the process's peak resident set so far, in KiB.
fn high_water_mark(status_path: &str) -> Option<u64> {
    let mut text = String::new();
    std::fs::File::open(status_path)
        .ok()?
        .read_to_string(&mut text)
        .ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
