//! A small LSP client that drives the real `vouch lsp` over its standard
//! input and output, one message at a time.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long any answer may take before the test fails (not a speed target:
/// a guard against a hung server).
const PATIENCE: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications from the server not yet looked at.
    pub notifications: Vec<Value>,
}

impl Client {
    /// Start `vouch lsp` with extra environment variables.
    pub fn start(env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vouch"));
        command
            .args(["lsp", "--stdio"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("vouch lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// Send a request and wait for its response (the whole message, so a
    /// test can look at `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            if message.get("method").is_some() && message.get("id").is_none() {
                self.notifications.push(message);
            }
        }
    }

    /// A request's result; fails the test on an error answer.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params);
        assert!(answer.get("error").is_none(), "{method} failed: {answer}");
        answer["result"].clone()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next notification of a method whose params pass a test.
    pub fn wait_for(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && wanted(&n["params"]))
        {
            return self.notifications.remove(i)["params"].clone();
        }
        loop {
            let message = self.receive();
            if message["method"] == method && wanted(&message["params"]) {
                return message["params"].clone();
            }
            if message.get("method").is_some() && message.get("id").is_none() {
                self.notifications.push(message);
            }
        }
    }

    /// The diagnostics published for a URI at a version.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Value {
        self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        })["diagnostics"]
            .clone()
    }

    /// Shut down and exit; the server's exit status.
    pub fn shutdown(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of a file of the repository.
pub fn uri_of(relative: &str) -> String {
    format!("file://{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

/// A value with the repository's place on disk replaced by `<repo>`, so
/// snapshots do not depend on where the tests run.
pub fn redact(value: &Value) -> Value {
    let text = value
        .to_string()
        .replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    serde_json::from_str(&text).expect("still JSON")
}

/// The position (line, UTF-16 column) of the `nth` occurrence of `needle`,
/// plus `shift` characters.
pub fn position(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` occurs {} times", nth + 1))
        .0;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": column + shift})
}

/// Initialize a server with the capabilities a plain client has.
pub fn initialized(env: &[(&str, &str)]) -> (Client, Value) {
    let mut client = Client::start(env);
    let result = client.result(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": true}}},
            "initializationOptions": {"debounceMs": 10}
        }),
    );
    client.notify("initialized", json!({}));
    (client, result)
}
