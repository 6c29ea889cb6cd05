//! `vouch serve` under load, against a floor measured in the same run.
//!
//! The floor is the same HTTP stack (axum on tokio, as many worker threads)
//! answering the same bodies with a `serde_json::Value` parse and an empty
//! reply; it runs as a second process, this bench started again with
//! `--floor-server`. A load generator in this process sends `decide`
//! requests on kept-alive connections:
//!
//! - closed loop, every connection sending its next request when the last
//!   is answered: the peak requests per second, with p50 and p99;
//! - open loop at half the floor's peak rate, each request timed from when
//!   its schedule said to send it: p50 and p99 at a steady load.
//!
//! Then `decide-batch` against `vouch eval --facts-jsonl` on the same
//! generated corpus, and the server's peak resident memory (VmHWM).
//!
//! The load generator shares the machine with what it measures. With
//! `--pin`, it runs on the last core and the servers and `vouch eval` on
//! the others (each then starts a thread per core it has), so that its own
//! work, which `vouch eval` reading a file does not have, is not taken from
//! the server. On a two-core machine that is one core each.
//!
//! ```sh
//! cargo bench --bench serve
//! cargo bench --bench serve -- --requests 20000 --connections 4 --cases 100000 --rounds 3
//! cargo bench --bench serve -- --pin
//! VOUCH_SERVE_ARGS="--timeout 0" cargo bench --bench serve   # flags for `vouch serve`
//! ```
//!
//! Everything listens on 127.0.0.1 and every loop is bounded by its count.

#[path = "../examples/generate/cases.rs"]
mod cases;
#[path = "../tests/common/http.rs"]
mod http;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::Client;

const POLICY: &str = "rules/douyin/anxin-gou.vouch";

struct Options {
    requests: usize,
    connections: usize,
    cases: usize,
    rounds: usize,
    pin: bool,
}

fn options() -> Options {
    let mut o = Options {
        requests: 20_000,
        connections: 4,
        cases: 100_000,
        rounds: 3,
        pin: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or_else(|| panic!("`{name}` needs a whole number"))
        };
        match a.as_str() {
            "--requests" => o.requests = number("--requests").max(100),
            "--connections" => o.connections = number("--connections").max(1),
            "--cases" => o.cases = number("--cases").max(1),
            "--rounds" => o.rounds = number("--rounds").max(1),
            "--pin" => o.pin = true,
            _ => {}
        }
    }
    o
}

fn main() {
    if std::env::args().any(|a| a == "--floor-server") {
        floor_server();
        return;
    }
    let o = options();
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        cases::corpus(1000, 7)
            .lines()
            .map(|l| l.as_bytes().to_vec())
            .collect(),
    );
    let root = env!("CARGO_MANIFEST_DIR");
    if o.pin {
        match pin::setup() {
            Some(cores) => println!("pinned: {cores}"),
            None => println!("--pin needs two cores or more; nothing is pinned"),
        }
    }
    let floor = Server::start(
        Command::new(std::env::current_exe().expect("the bench's own path")).arg("--floor-server"),
    );
    let vouch = Server::start(
        Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(["serve", &format!("{root}/rules"), "--addr", "127.0.0.1:0"])
            .args(["--log-level", "warn", "--max-batch-body", "1GiB"])
            .args(
                std::env::var("VOUCH_SERVE_ARGS")
                    .unwrap_or_default()
                    .split_whitespace(),
            ),
    );
    let path = "/v1/policies/anxin_gou/decide";
    println!(
        "decide: {} requests a round on {} kept-alive connections, {} different bodies ({} bytes on average); best of {} rounds",
        o.requests,
        o.connections,
        bodies.len(),
        bodies.iter().map(Vec::len).sum::<usize>() / bodies.len(),
        o.rounds
    );
    // Warm both up, then interleave the rounds so a busy machine slows both alike.
    closed_loop(&floor.addr, path, &bodies, o.requests / 10, o.connections);
    closed_loop(&vouch.addr, path, &bodies, o.requests / 10, o.connections);
    let mut best_floor: Option<Run> = None;
    let mut best_vouch: Option<Run> = None;
    for _ in 0..o.rounds {
        let f =
            floor.measure(|| closed_loop(&floor.addr, path, &bodies, o.requests, o.connections));
        let v =
            vouch.measure(|| closed_loop(&vouch.addr, path, &bodies, o.requests, o.connections));
        best_floor = Some(best(best_floor, f));
        best_vouch = Some(best(best_vouch, v));
    }
    let (floor_run, vouch_run) = (best_floor.unwrap(), best_vouch.unwrap());
    println!();
    println!("| closed loop | requests/s | ÷ floor | p50 | p99 | server CPU a request |");
    println!("|---|---:|---:|---:|---:|---:|");
    row(
        "floor: parse into `serde_json::Value`, empty reply",
        &floor_run,
        floor_run.rate,
    );
    row(
        "`vouch serve`, `decide` on `anxin_gou`",
        &vouch_run,
        floor_run.rate,
    );

    // The open loop once a round for each, interleaved; the median round
    // is reported, as one round's p99 is the few slowest answers of a
    // machine shared with the load generator.
    let half = floor_run.rate / 2.0;
    let (mut steady_rounds, mut floor_rounds) = (Vec::new(), Vec::new());
    for _ in 0..o.rounds {
        // Each after a short run of its own at the same rate, not measured:
        // without it, whichever ran first in a round had the worse p99.
        let open = |addr: &str| {
            open_loop(addr, path, &bodies, o.requests / 10, o.connections, half);
            open_loop(addr, path, &bodies, o.requests / 2, o.connections, half)
        };
        steady_rounds.push(open(&vouch.addr));
        floor_rounds.push(open(&floor.addr));
    }
    let (steady, steady_floor) = (median(steady_rounds), median(floor_rounds));
    println!();
    println!(
        "| open loop at {half:.0} requests/s (half the floor's peak), median of {} rounds | p50 | p99 |",
        o.rounds
    );
    println!("|---|---:|---:|");
    println!(
        "| floor | {} | {} |",
        ms(steady_floor.p50),
        ms(steady_floor.p99)
    );
    println!(
        "| `vouch serve` | {} | {} |",
        ms(steady.p50),
        ms(steady.p99)
    );

    let corpus = cases::corpus(o.cases, 1);
    let file = std::env::temp_dir().join(format!("vouch-serve-bench-{}.jsonl", std::process::id()));
    std::fs::write(&file, &corpus).expect("the corpus file is written");
    let mut eval_best = Duration::MAX;
    let mut piped_best = Duration::MAX;
    let mut batch_best = Duration::MAX;
    let (mut eval_cpu, mut batch_cpu) = (f64::MAX, f64::MAX);
    let policy = format!("{root}/{POLICY}");
    for _ in 0..o.rounds {
        let before = children_cpu_seconds();
        eval_best = eval_best.min(eval_jsonl(&policy, &file, o.cases));
        eval_cpu = eval_cpu.min(children_cpu_seconds() - before);
        piped_best = piped_best.min(eval_piped(&policy, &file, o.cases));
        let before = vouch.cpu_seconds();
        batch_best = batch_best.min(batch(&vouch.addr, &file, o.cases));
        batch_cpu = batch_cpu.min(vouch.cpu_seconds() - before);
    }
    let _ = std::fs::remove_file(&file);
    let eval_rate = o.cases as f64 / eval_best.as_secs_f64();
    let piped_rate = o.cases as f64 / piped_best.as_secs_f64();
    let batch_rate = o.cases as f64 / batch_best.as_secs_f64();
    let per_case = |cpu: f64| cpu / o.cases as f64 * 1e6;
    println!();
    println!(
        "| {} cases ({:.1} MB), best of {} | cases/s | ÷ eval | CPU a case |",
        o.cases,
        corpus.len() as f64 / 1e6,
        o.rounds
    );
    println!("|---|---:|---:|---:|");
    println!(
        "| `vouch eval --facts-jsonl` | {eval_rate:.0} | 1.00 | {:.2} µs |",
        per_case(eval_cpu)
    );
    println!(
        "| `vouch eval --facts-jsonl -`, fed and read by this process | {piped_rate:.0} | {:.2} | |",
        piped_rate / eval_rate,
    );
    println!(
        "| `decide-batch` over HTTP, fed and read by this process | {batch_rate:.0} | {:.2} | {:.2} µs |",
        batch_rate / eval_rate,
        per_case(batch_cpu)
    );
    println!();
    let peak = vouch.peak_kib();
    println!(
        "peak resident memory of `vouch serve` after all of the above: {:.1} MiB",
        peak as f64 / 1024.0
    );
    println!();
    let goals = [
        (
            "decide ≥ 80% of the floor's requests/s",
            vouch_run.rate >= 0.8 * floor_run.rate,
        ),
        (
            "p99 < 2 ms at half the floor's peak rate",
            steady.p99 < Duration::from_millis(2),
        ),
        (
            "decide-batch ≥ 80% of eval --facts-jsonl reading a file",
            batch_rate >= 0.8 * eval_rate,
        ),
        (
            "decide-batch ≥ 80% of eval --facts-jsonl fed by the same client",
            batch_rate >= 0.8 * piped_rate,
        ),
        ("peak memory < 64 MiB", peak < 64 * 1024),
    ];
    for (goal, met) in goals {
        println!("{} {goal}", if met { "met:    " } else { "NOT MET:" });
    }
}

/// One load run's figures.
#[derive(Clone, Copy)]
struct Run {
    rate: f64,
    p50: Duration,
    p99: Duration,
    /// The server's CPU time (user and system) per request, in seconds.
    cpu: f64,
}

/// The round with the median p99.
fn median(mut rounds: Vec<Run>) -> Run {
    rounds.sort_by_key(|r| r.p99);
    rounds[rounds.len() / 2]
}

fn best(a: Option<Run>, b: Run) -> Run {
    match a {
        Some(a) if a.rate >= b.rate => a,
        _ => b,
    }
}

fn row(name: &str, run: &Run, floor: f64) {
    println!(
        "| {name} | {:.0} | {:.2} | {} | {} | {:.1} µs |",
        run.rate,
        run.rate / floor,
        ms(run.p50),
        ms(run.p99),
        run.cpu * 1e6
    );
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn percentiles(mut latencies: Vec<Duration>) -> (Duration, Duration) {
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    (at(0.50), at(0.99))
}

/// Every connection sends its next request as soon as the last is answered.
fn closed_loop(
    addr: &str,
    path: &str,
    bodies: &Arc<Vec<Vec<u8>>>,
    requests: usize,
    connections: usize,
) -> Run {
    let per = requests / connections;
    let start = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|c| {
            let (addr, path, bodies) = (addr.to_string(), path.to_string(), bodies.clone());
            std::thread::spawn(move || {
                let mut client = Client::connect(&addr).expect("the server accepts");
                let mut latencies = Vec::with_capacity(per);
                for i in 0..per {
                    let body = &bodies[(c * per + i) % bodies.len()];
                    let sent = Instant::now();
                    let answer = client.post(&path, body).expect("an answer");
                    assert_eq!(answer.status, 200, "{}", answer.text());
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let latencies: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("a load thread"))
        .collect();
    let elapsed = start.elapsed();
    let (p50, p99) = percentiles(latencies);
    Run {
        rate: (per * connections) as f64 / elapsed.as_secs_f64(),
        p50,
        p99,
        cpu: 0.0,
    }
}

/// Requests sent on a fixed schedule, `rate` a second over all connections;
/// each is timed from when it was due, so a slow answer also counts against
/// the requests queued behind it.
fn open_loop(
    addr: &str,
    path: &str,
    bodies: &Arc<Vec<Vec<u8>>>,
    requests: usize,
    connections: usize,
    rate: f64,
) -> Run {
    let per = requests / connections;
    let interval = Duration::from_secs_f64(connections as f64 / rate);
    let start = Instant::now() + Duration::from_millis(20);
    let workers: Vec<_> = (0..connections)
        .map(|c| {
            let (addr, path, bodies) = (addr.to_string(), path.to_string(), bodies.clone());
            std::thread::spawn(move || {
                let mut client = Client::connect(&addr).expect("the server accepts");
                let mut latencies = Vec::with_capacity(per);
                // Connections start evenly spread over one interval.
                let offset = interval.mul_f64(c as f64 / connections as f64);
                for i in 0..per {
                    let due = start + offset + interval * i as u32;
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    }
                    let body = &bodies[(c * per + i) % bodies.len()];
                    let answer = client.post(&path, body).expect("an answer");
                    assert_eq!(answer.status, 200);
                    latencies.push(due.elapsed());
                }
                latencies
            })
        })
        .collect();
    let latencies: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("a load thread"))
        .collect();
    let (p50, p99) = percentiles(latencies);
    Run {
        rate,
        p50,
        p99,
        cpu: 0.0,
    }
}

/// `vouch eval --facts-jsonl FILE`, output read and dropped.
fn eval_jsonl(policy: &str, file: &std::path::Path, cases: usize) -> Duration {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"));
    child
        .args(["eval", policy, "--facts-jsonl"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = pin::spawn(&mut child).expect("vouch eval runs");
    let lines = count_lines(child.stdout.take().unwrap());
    child.wait().expect("vouch eval ends");
    assert_eq!(lines, cases);
    start.elapsed()
}

/// `vouch eval --facts-jsonl -`, the corpus file copied to its standard
/// input from one thread while its output is read on this one: the same
/// work of a client as [`batch`], over a pipe instead of a connection.
fn eval_piped(policy: &str, corpus: &std::path::Path, cases: usize) -> Duration {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"));
    child
        .args(["eval", policy, "--facts-jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = pin::spawn(&mut child).expect("vouch eval runs");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = std::thread::scope(|s| {
        let sender = s.spawn(move || send_file(corpus, &mut stdin));
        let lines = count_lines(stdout);
        sender.join().unwrap().expect("the corpus is written");
        lines
    });
    child.wait().expect("vouch eval ends");
    assert_eq!(lines, cases);
    start.elapsed()
}

/// The corpus file through `decide-batch`: the body sent from one thread
/// while the answer is read and its lines counted on this one, as a
/// streaming client does.
fn batch(addr: &str, corpus: &std::path::Path, cases: usize) -> Duration {
    let start = Instant::now();
    let mut client = Client::connect(addr).expect("the server accepts");
    let length = std::fs::metadata(corpus).expect("the corpus file").len();
    client
        .send_head(
            "POST",
            "/v1/policies/anxin_gou/decide-batch",
            length as usize,
        )
        .unwrap();
    let mut writer = client.writer().unwrap();
    let (status, lines) = std::thread::scope(|s| {
        let sender = s.spawn(move || send_file(corpus, &mut writer));
        let answer = client.receive_lines().expect("an answer");
        sender.join().unwrap().expect("the body is sent");
        answer
    });
    assert_eq!(status, 200);
    assert_eq!(lines, cases);
    start.elapsed()
}

/// The file's bytes into `to`, by `io::copy`: without passing through this
/// process where the system can (`sendfile` to a socket, `splice` to a pipe).
fn send_file(path: &std::path::Path, to: &mut impl Write) -> std::io::Result<u64> {
    std::io::copy(&mut std::fs::File::open(path)?, to)
}

/// CPU time (user and system) of this process's children that have ended
/// and been waited for: `vouch eval` runs, not the servers.
fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // cutime and cstime: fields 16 and 17 of the line, 13 and 14 after the name.
    (ticks(13) + ticks(14)) / 100.0
}

/// The line ends in what `r` gives, read a megabyte at a time.
fn count_lines(mut r: impl Read) -> usize {
    let mut buf = vec![0; 1 << 20];
    let mut lines = 0;
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => return lines,
            Ok(n) => lines += memchr::memchr_iter(b'\n', &buf[..n]).count(),
        }
    }
}

/// A server process, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(command: &mut Command) -> Server {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = pin::spawn(command).expect("the server starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let addr = first
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("the server said {first:?}"))
            .to_string();
        Server { child, addr }
    }

    /// A closed-loop run, with the server's CPU time per request.
    fn measure(&self, run: impl FnOnce() -> Run) -> Run {
        let before = self.cpu_seconds();
        let started = Instant::now();
        let mut result = run();
        let requests = result.rate * started.elapsed().as_secs_f64();
        result.cpu = (self.cpu_seconds() - before) / requests.max(1.0);
        result
    }

    /// User and system time so far (`/proc/PID/stat`, in clock ticks of 10 ms).
    fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The fields after the command name, which is in parentheses.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (ticks(11) + ticks(12)) / 100.0
    }

    /// VmHWM, in KiB.
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let line = status.lines().find(|l| l.starts_with("VmHWM:"));
        line.and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The floor: axum on a tokio runtime with a worker per core, parsing each
/// body into a `serde_json::Value` and answering 200 with nothing.
fn floor_server() {
    use axum::body::{to_bytes, Body};
    use axum::routing::post;

    async fn parse(body: Body) -> axum::http::StatusCode {
        let bytes = to_bytes(body, 1 << 20).await.expect("a body");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        std::hint::black_box(value);
        axum::http::StatusCode::OK
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_io()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        use axum::serve::ListenerExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        println!("listening on http://{addr}");
        let _ = std::io::stdout().flush();
        let app = axum::Router::new().route("/v1/policies/{id}/decide", post(parse));
        axum::serve(listener, app).await.unwrap();
    });
}

/// `--pin`: the servers and `vouch eval` on every core but the last, the
/// load generator (this process's threads) on the last.
mod pin {
    use std::process::{Child, Command};
    use std::sync::OnceLock;

    use nix::sched::{sched_getaffinity, sched_setaffinity, CpuSet};
    use nix::unistd::Pid;

    struct Cores {
        measured: CpuSet,
        client: CpuSet,
    }

    static CORES: OnceLock<Cores> = OnceLock::new();

    /// Pin this thread (and so every thread it starts) to the last core it
    /// may run on; what [`spawn`] starts runs on the others. `None` with
    /// fewer than two cores.
    pub fn setup() -> Option<String> {
        let allowed = sched_getaffinity(Pid::from_raw(0)).ok()?;
        let cpus: Vec<usize> = (0..CpuSet::count())
            .filter(|&c| allowed.is_set(c).unwrap_or(false))
            .collect();
        let (&last, rest) = cpus.split_last()?;
        if rest.is_empty() {
            return None;
        }
        let mut measured = CpuSet::new();
        for &c in rest {
            measured.set(c).ok()?;
        }
        let mut client = CpuSet::new();
        client.set(last).ok()?;
        sched_setaffinity(Pid::from_raw(0), &client).ok()?;
        let _ = CORES.set(Cores { measured, client });
        Some(format!(
            "servers and `vouch eval` on cores {rest:?}, the load generator on core {last}"
        ))
    }

    /// Start `command`, on the measured cores when pinned (a child takes
    /// the affinity of the thread that starts it).
    pub fn spawn(command: &mut Command) -> std::io::Result<Child> {
        let Some(cores) = CORES.get() else {
            return command.spawn();
        };
        let here = Pid::from_raw(0);
        sched_setaffinity(here, &cores.measured).map_err(std::io::Error::from)?;
        let child = command.spawn();
        sched_setaffinity(here, &cores.client).map_err(std::io::Error::from)?;
        child
    }
}
