//! Latency of `vouch lsp`: from a change sent to the server to its
//! diagnostics received, for every shipped policy, with the default
//! debounce and with none; against `vouch::diagnose` alone on the same text
//! (the work of `vouch check` for the file) measured in the same run.
//!
//! The target: diagnostics for the largest shipped policy within 50 ms of a
//! change. The last lines say whether its 95th percentile, debounce
//! included, is within it, and what the server costs as a ratio of the
//! baseline (`vouch::diagnose` alone, same text, same run), so that a slower
//! machine does not hide a slower server, nor a faster one flatter it.
//!
//! ```sh
//! cargo bench --bench lsp
//! cargo bench --bench lsp -- --changes 50
//! ```
//!
//! The server runs on its own thread over an in-memory connection (the
//! same main loop as over standard input and output), and each change is an
//! edit of one character at the end of the first line, added then taken
//! away: each change is analysed afresh, as any edit is.

use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

struct Server {
    client: Connection,
    thread: Option<std::thread::JoinHandle<()>>,
    next_id: i32,
}

impl Server {
    fn start(debounce_ms: u64) -> Server {
        let (server, client) = Connection::memory();
        let thread = std::thread::Builder::new()
            .stack_size(vouch::syntax::nesting::STACK_SIZE)
            .spawn(move || vouch::lsp::serve(server).expect("the server runs"))
            .expect("a thread");
        let mut s = Server {
            client,
            thread: Some(thread),
            next_id: 0,
        };
        s.request(
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"debounceMs": debounce_ms}}),
        );
        s.notify("initialized", json!({}));
        s
    }

    fn request(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.client
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .expect("send");
        loop {
            if let Message::Response(r) = self.client.receiver.recv().expect("an answer") {
                if r.id == id {
                    return;
                }
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.client
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .expect("send");
    }

    /// Wait for the diagnostics of a version; how many there were.
    fn diagnostics(&mut self, version: i64) -> usize {
        loop {
            let message = self
                .client
                .receiver
                .recv_timeout(Duration::from_secs(10))
                .expect("diagnostics in time");
            if let Message::Notification(n) = message {
                if n.method == "textDocument/publishDiagnostics" && n.params["version"] == version {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Median, 95th percentile and worst, in milliseconds.
fn summary(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.95), ms(*times.last().expect("some times")))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let changes: usize = args
        .iter()
        .position(|a| a == "--changes")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let root = env!("CARGO_MANIFEST_DIR");
    let mut policies: Vec<(String, String)> = Vec::new();
    for dir in std::fs::read_dir(format!("{root}/rules")).expect("rules/") {
        for f in std::fs::read_dir(dir.expect("entry").path()).expect("a folder") {
            let path = f.expect("entry").path();
            if path.extension().is_some_and(|e| e == "vouch") {
                let text = std::fs::read_to_string(&path).expect("readable");
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                policies.push((name, text));
            }
        }
    }
    policies.sort_by_key(|(_, text)| std::cmp::Reverse(text.len()));
    println!("{changes} changes per policy; milliseconds from the change sent to its diagnostics received\n");
    println!(
        "{:<42} {:>7} {:>26} {:>26} {:>15} {:>7}",
        "policy",
        "bytes",
        "debounce 20 ms: p50/p95/max",
        "no debounce: p50/p95/max",
        "diagnose alone",
        "ratio"
    );
    let mut largest = None;
    for (name, text) in &policies {
        let mut row = Vec::new();
        for debounce in [vouch::lsp::DEFAULT_DEBOUNCE.as_millis() as u64, 0] {
            row.push(summary(latencies(name, text, debounce, changes)));
        }
        let source = vouch::source::SourceFile::new(name.as_str(), text.as_str());
        let mut alone = Vec::new();
        for _ in 0..changes {
            let start = Instant::now();
            std::hint::black_box(vouch::diagnose(&source));
            alone.push(start.elapsed());
        }
        let alone = summary(alone);
        let f = |(a, b, c): (f64, f64, f64)| format!("{a:.2} / {b:.2} / {c:.2}");
        // The server's cost over the checker's: no debounce, medians.
        let ratio = row[1].0 / alone.0;
        println!(
            "{name:<42} {:>7} {:>26} {:>26} {:>15.2} {:>6.2}×",
            text.len(),
            f(row[0]),
            f(row[1]),
            alone.0,
            ratio
        );
        largest.get_or_insert((name.clone(), row[0], row[1], alone.0, ratio));
    }
    if let Some((name, debounced, bare, alone, ratio)) = largest {
        let verdict = if debounced.1 <= TARGET_MS {
            "within"
        } else {
            "OVER"
        };
        println!(
            "\nlargest shipped policy, {name}: p95 {:.2} ms from a change to its diagnostics, \
             debounce included: {verdict} the {TARGET_MS} ms target ({:.0}% of it)",
            debounced.1,
            debounced.1 / TARGET_MS * 100.0
        );
        println!(
            "without the debounce: p50 {:.2} ms = {ratio:.2}× the baseline (`vouch::diagnose` \
             alone, p50 {alone:.2} ms, this run); the target allows {:.1}× the baseline after \
             the {} ms debounce",
            bare.0,
            (TARGET_MS - vouch::lsp::DEFAULT_DEBOUNCE.as_millis() as f64) / alone,
            vouch::lsp::DEFAULT_DEBOUNCE.as_millis()
        );
    }
}

/// Diagnostics for the largest shipped policy within this of a change.
const TARGET_MS: f64 = 50.0;

fn latencies(name: &str, text: &str, debounce_ms: u64, changes: usize) -> Vec<Duration> {
    let mut server = Server::start(debounce_ms);
    let uri = format!("file:///bench/{name}");
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "vouch", "version": 1, "text": text}}),
    );
    server.diagnostics(1);
    // An edit that keeps the policy as it is, so that every change costs
    // what a real one does: a space added at the end of the first line,
    // then taken away. The server analyses the text afresh either way.
    let end: usize = text
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .map(char::len_utf16)
        .sum();
    let mut times = Vec::with_capacity(changes);
    for i in 0..changes {
        let version = i as i64 + 2;
        let (to, new) = if i % 2 == 0 {
            (end, " ")
        } else {
            (end + 1, "")
        };
        let change = json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
            "range": {"start": {"line": 0, "character": end}, "end": {"line": 0, "character": to}},
            "text": new}]});
        let start = Instant::now();
        server.notify("textDocument/didChange", change);
        server.diagnostics(version);
        times.push(start.elapsed());
    }
    server.stop();
    times
}
