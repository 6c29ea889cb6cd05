//! `vouch serve` end to end: the real binary on 127.0.0.1 port 0, serving a
//! copy of the shipped policies in a temporary folder.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::http::{Answer, Client};

/// A temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("vouch-serve-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a temporary folder");
        TempDir(path)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped(file: &str) -> String {
    std::fs::read_to_string(root().join("rules").join(file)).expect("a shipped policy")
}

/// A folder with the three shipped policies under `policies/`.
fn policy_folder() -> TempDir {
    let dir = TempDir::new();
    for (sub, file) in [
        ("douyin", "anxin-gou.vouch"),
        ("douyin", "refund-after-rejection.vouch"),
        ("kuaishou", "xinren-gou.vouch"),
    ] {
        let to = dir.path("policies").join(sub);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::write(to.join(file), shipped(&format!("{sub}/{file}"))).unwrap();
    }
    dir
}

/// A running `vouch serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
    stderr: PathBuf,
}

impl Server {
    fn start(dir: &TempDir, extra: &[&str]) -> Server {
        let stderr = dir.path("server.log");
        let policies = dir.path("policies");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .arg("serve")
            .arg(&policies)
            .args(["--addr", "127.0.0.1:0", "--debounce", "20ms"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("vouch serve starts");
        let mut first = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        let Some(addr) = first.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let log = std::fs::read_to_string(&stderr).unwrap_or_default();
            panic!("the first line is `listening on …`, not {first:?}; stderr:\n{log}");
        };
        Server {
            addr: addr.to_string(),
            child,
            stderr,
        }
    }

    fn client(&self) -> Client {
        Client::connect(&self.addr).expect("the server accepts connections")
    }

    fn get(&self, path: &str) -> Answer {
        self.client().get(path).expect("an answer")
    }

    fn post(&self, path: &str, body: &[u8]) -> Answer {
        self.client().post(path, body).expect("an answer")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Poll `what` until it holds, for at most ten seconds.
    fn wait_for(&self, what: &str, holds: impl Fn(&Server) -> bool) {
        // Generous: CI machines can be busy; a pass returns as soon as it holds.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !holds(self) {
            assert!(
                Instant::now() < deadline,
                "waited thirty seconds for {what}; the server's log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The hash served for a policy id, if it is loaded.
    fn hash_of(&self, id: &str) -> Option<String> {
        let policies = self.get("/v1/policies").json();
        let found = policies["policies"]
            .as_array()?
            .iter()
            .find(|p| p["id"] == id)?;
        found["policy_hash"].as_str().map(str::to_string)
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> i32 {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success(), "kill -TERM works");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server stops on SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Write a file whole: a temporary file renamed over it, so that the
/// server never reads half an edit (counts of reloads stay exact).
fn replace(path: &Path, text: &str) {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

/// `vouch eval` on a file: exit status and standard output.
fn eval(args: &[&Path]) -> (i32, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("eval")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), out.stdout)
}

/// An answer without its `policy_hash` line: what `vouch eval` prints.
fn without_hash(body: &[u8], hash: &str) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let line = format!("  \"policy_hash\": \"{hash}\",\n");
    assert!(text.contains(&line), "the answer has {line:?}: {text}");
    text.replacen(&line, "", 1).into_bytes()
}

const ANXIN: &str = "policies/douyin/anxin-gou.vouch";
const FAST_REFUND: &str = "examples/anxin-gou/fast-refund-instant.json";

#[test]
fn decide_answers_the_bytes_of_eval_with_the_policy_hash() {
    let dir = policy_folder();
    let server = Server::start(&dir, &[]);
    let policy = dir.path(ANXIN);
    let hash = vouch::engine::text_hash(&std::fs::read_to_string(&policy).unwrap());
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples/anxin-gou"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    examples.sort();
    assert!(examples.len() >= 5);
    let mut client = server.client();
    for facts in &examples {
        let body = std::fs::read(facts).unwrap();
        for (query, explain) in [("", false), ("?explain=true", true)] {
            let answer = client
                .post(&format!("/v1/policies/anxin_gou/decide{query}"), &body)
                .unwrap();
            assert_eq!(answer.status, 200, "{}: {}", facts.display(), answer.text());
            assert_eq!(answer.header("content-type"), Some("application/json"));
            assert_eq!(answer.header("vouch-policy-hash"), Some(hash.as_str()));
            let mut args = vec![policy.as_path(), Path::new("--facts"), facts.as_path()];
            args.extend([Path::new("--format"), Path::new("json")]);
            if explain {
                args.push(Path::new("--explain"));
            }
            let (status, cli) = eval(&args);
            assert_eq!(status, 0);
            assert_eq!(
                String::from_utf8(without_hash(&answer.body, &hash)).unwrap(),
                String::from_utf8(cli).unwrap(),
                "{} {query}",
                facts.display()
            );
            if explain {
                let json = answer.json();
                assert!(json["decisions"]["fast_refund"]["trace"].is_array());
            }
        }
    }
}

#[test]
fn decide_batch_answers_the_lines_of_eval_jsonl() {
    let dir = policy_folder();
    let server = Server::start(&dir, &["--jobs", "2"]);
    let mut corpus = std::fs::read(root().join("examples/corpus.jsonl")).unwrap();
    corpus.extend_from_slice(b"{\"order\": {\"amount\": \"a lot\"}}\n\nnot json\n");
    corpus.extend_from_slice(&std::fs::read(root().join("examples/corpus.jsonl")).unwrap());
    let input = dir.path("cases.jsonl");
    std::fs::write(&input, &corpus).unwrap();
    for id_and_file in [
        ("anxin_gou", ANXIN),
        ("xinren_gou", "policies/kuaishou/xinren-gou.vouch"),
    ] {
        let (id, file) = id_and_file;
        let answer = server.post(&format!("/v1/policies/{id}/decide-batch"), &corpus);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), Some("application/x-ndjson"));
        let policy = dir.path(file);
        let (status, cli) = eval(&[&policy, Path::new("--facts-jsonl"), &input]);
        assert_eq!(status, 1, "three bad lines");
        assert_eq!(answer.body.len(), cli.len());
        assert!(answer.body == cli, "decide-batch answers what eval prints");
        assert_eq!(answer.text().lines().count(), 603);
    }
    let explained = server.post(
        "/v1/policies/anxin_gou/decide-batch?explain=true",
        b"{\"now\": \"2026-11-20T10:30:00+08:00\"}\n",
    );
    assert_eq!(explained.status, 200);
    assert!(explained.json()["decisions"]["eligible"]["trace"].is_array());
    let empty = server.post("/v1/policies/anxin_gou/decide-batch", b"");
    assert_eq!((empty.status, empty.body.len()), (200, 0));
    // Every decided line counts once in /metrics: 600 good lines and one explained.
    let metrics = server.get("/metrics").text();
    let eligible: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("vouch_decisions_total{decision=\"eligible\""))
        .filter(|l| l.contains("policy=\"anxin_gou\""))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(eligible, 601, "{metrics}");
}

#[test]
fn every_status_code_and_error_body() {
    let dir = policy_folder();
    let server = Server::start(&dir, &["--max-body", "4KiB", "--max-batch-body", "8KiB"]);

    // Facts that cannot be read: the CLI's code and message, and the path.
    let bad_facts = dir.path("bad.json");
    std::fs::write(&bad_facts, r#"{"order": {"amount": "a lot"}}"#).unwrap();
    let answer = server.post(
        "/v1/policies/anxin_gou/decide",
        &std::fs::read(&bad_facts).unwrap(),
    );
    assert_eq!(answer.status, 400);
    let error = &answer.json()["error"];
    assert_eq!(error["code"], "vouch::facts::invalid_value");
    assert_eq!(error["path"], "order.amount");
    let cli = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["eval", dir.path(ANXIN).to_str().unwrap(), "--facts"])
        .arg(&bad_facts)
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(2));
    let stderr = String::from_utf8(cli.stderr).unwrap();
    let message = error["message"].as_str().unwrap();
    assert!(
        stderr.contains(message) && stderr.contains("vouch::facts::invalid_value"),
        "{stderr} has {message}"
    );
    let malformed = server.post("/v1/policies/anxin_gou/decide", b"{\"merchant\": {");
    assert_eq!(malformed.status, 400);
    assert_eq!(
        malformed.json()["error"]["code"],
        "vouch::facts::malformed_json"
    );
    assert_eq!(malformed.json()["error"]["path"], serde_json::Value::Null);

    let unknown = server.post("/v1/policies/no_such/decide", b"{}");
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.json()["error"]["code"],
        "vouch::serve::unknown_policy"
    );
    let unknown = server.post("/v1/policies/no_such/decide-batch", b"{}\n");
    assert_eq!(unknown.status, 404);
    assert_eq!(server.get("/v2/nothing").status, 404);
    assert_eq!(server.get("/v1/policies/anxin_gou/decide").status, 405);

    let bad_query = server.post("/v1/policies/anxin_gou/decide?explain=maybe", b"{}");
    assert_eq!(bad_query.status, 400);
    assert_eq!(bad_query.json()["error"]["code"], "vouch::serve::bad_query");

    // Over the limits: 413, by declared length or as the body arrives.
    let big = vec![b' '; 5 * 1024];
    let too_big = server.post("/v1/policies/anxin_gou/decide", &big);
    assert_eq!(too_big.status, 413);
    assert_eq!(
        too_big.json()["error"]["code"],
        "vouch::serve::body_too_large"
    );
    let big_batch = vec![b'\n'; 9 * 1024];
    assert_eq!(
        server
            .post("/v1/policies/anxin_gou/decide-batch", &big_batch)
            .status,
        413
    );
    let just_under = server.post(
        "/v1/policies/anxin_gou/decide-batch",
        &big_batch[..8 * 1024],
    );
    assert_eq!(just_under.status, 200);

    assert_eq!(
        server.get("/health").json(),
        serde_json::json!({"status": "ok", "policies": 3})
    );
    let policies = server.get("/v1/policies").json();
    let policies = policies["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 3);
    for p in policies {
        for key in ["id", "file", "policy_hash", "loaded_at", "error"] {
            assert!(p.get(key).is_some(), "{key} in {p}");
        }
        assert_eq!(p["error"], serde_json::Value::Null);
        let file = std::fs::read_to_string(p["file"].as_str().unwrap()).unwrap();
        assert_eq!(p["policy_hash"], vouch::engine::text_hash(&file).as_str());
    }

    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    let text = metrics.text();
    for wanted in [
        "vouch_http_requests_total{route=\"/v1/policies/{id}/decide\",status=\"400\"} 3",
        "vouch_http_requests_total{route=\"/v1/policies/{id}/decide\",status=\"413\"} 1",
        "vouch_http_requests_total{route=\"/v1/policies/{id}/decide\",status=\"404\"} 1",
        "vouch_http_request_duration_seconds_bucket{route=\"/health\"",
        "vouch_decisions_total{decision=\"fast_refund\",outcome=\"not_applicable\",policy=\"anxin_gou\"}",
        "vouch_policy_reloads_total 3",
        "vouch_policy_reloads_refused_total 0",
        "vouch_policies_loaded 3",
    ] {
        assert!(text.contains(wanted), "/metrics has {wanted}:\n{text}");
    }
}

#[test]
fn edits_are_picked_up_refused_and_cleared() {
    let dir = policy_folder();
    let server = Server::start(&dir, &[]);
    let facts = std::fs::read(root().join(FAST_REFUND)).unwrap();
    let decide = |server: &Server| server.post("/v1/policies/anxin_gou/decide", &facts);
    let outcome = |a: &Answer| a.json()["decisions"]["fast_refund"]["outcome"].clone();
    let first = decide(&server);
    assert_eq!(outcome(&first), "instant_refund");
    let policy = dir.path(ANXIN);
    let original = std::fs::read_to_string(&policy).unwrap();

    // A good edit: the limit drops to ¥100, so ¥129 is over it.
    let edited = original.replacen("= ¥300 ", "= ¥100 ", 1);
    assert_ne!(edited, original);
    replace(&policy, &edited);
    let new_hash = vouch::engine::text_hash(&edited);
    server.wait_for("the edit to be served", |s| {
        s.hash_of("anxin_gou").as_deref() == Some(new_hash.as_str())
    });
    let after = decide(&server);
    assert_eq!(outcome(&after), "standard");
    assert_eq!(after.header("vouch-policy-hash"), Some(new_hash.as_str()));

    // A bad edit: refused; the last good version keeps answering.
    replace(&policy, &format!("{edited}\ndecision broken {{\n"));
    server.wait_for("the edit to be refused", |s| {
        s.get("/health").json()["status"] == "degraded"
    });
    let health = server.get("/health").json();
    assert_eq!(health["refused"][0]["file"], policy.display().to_string());
    assert!(health["refused"][0]["error"]
        .as_str()
        .unwrap()
        .contains("vouch::parse::syntax"));
    let policies = server.get("/v1/policies").json();
    let entry = (policies["policies"].as_array().unwrap().iter())
        .find(|p| p["id"] == "anxin_gou")
        .unwrap()
        .clone();
    assert_eq!(entry["policy_hash"], new_hash.as_str());
    let diagnostics = entry["error"]["diagnostics"].as_str().unwrap();
    let check = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["check", "--format", "plain"])
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(
        diagnostics,
        String::from_utf8(check.stdout).unwrap(),
        "as `vouch check` prints it"
    );
    assert_eq!(
        entry["error"]["findings"][0]["code"],
        "vouch::parse::syntax"
    );
    let still = decide(&server);
    assert_eq!(still.status, 200);
    assert_eq!(still.body, after.body);
    assert!(server.log().contains("policy edit refused"));

    // A fix clears the error.
    replace(&policy, &original);
    server.wait_for("the fix to clear the error", |s| {
        s.get("/health").json()["status"] == "ok"
    });
    assert_eq!(decide(&server).body, first.body);
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.contains("vouch_policy_reloads_refused_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("vouch_policy_reloads_total 5"),
        "{metrics}"
    );
}

#[test]
fn a_removed_file_unloads_and_a_new_one_loads() {
    let dir = policy_folder();
    let server = Server::start(&dir, &[]);
    let facts = std::fs::read(root().join("examples/xinren-gou/ordinary-room.json")).unwrap();
    assert_eq!(
        server.post("/v1/policies/xinren_gou/decide", &facts).status,
        200
    );
    std::fs::remove_file(dir.path("policies/kuaishou/xinren-gou.vouch")).unwrap();
    server.wait_for("the policy to unload", |s| {
        s.post("/v1/policies/xinren_gou/decide", &facts).status == 404
    });
    let policies = server.get("/v1/policies").json();
    assert_eq!(policies["policies"].as_array().unwrap().len(), 2);
    assert_eq!(server.get("/health").json()["status"], "ok");

    let added = dir.path("policies/kuaishou/again.vouch");
    std::fs::write(&added, shipped("kuaishou/xinren-gou.vouch")).unwrap();
    server.wait_for("the new file to load", |s| {
        s.post("/v1/policies/xinren_gou/decide", &facts).status == 200
    });
}

#[test]
fn two_files_with_one_id_refuse_the_later_edit() {
    let dir = policy_folder();
    let server = Server::start(&dir, &[]);
    let served = server.hash_of("anxin_gou").unwrap();
    let copy = dir.path("policies/copy.vouch");
    let text = shipped("douyin/anxin-gou.vouch").replacen("= ¥300 ", "= ¥100 ", 1);
    replace(&copy, &text);
    server.wait_for("the copy to be refused", |s| {
        s.get("/health").json()["status"] == "degraded"
    });
    let policies = server.get("/v1/policies").json();
    let entry = (policies["policies"].as_array().unwrap().iter())
        .find(|p| p["file"] == copy.display().to_string())
        .unwrap()
        .clone();
    assert_eq!(
        entry["id"],
        serde_json::Value::Null,
        "the copy serves nothing"
    );
    assert_eq!(
        entry["error"]["findings"][0]["code"],
        "vouch::serve::duplicate_id"
    );
    assert_eq!(
        server.hash_of("anxin_gou").unwrap(),
        served,
        "the first file keeps its id"
    );

    // Once the first file goes, the copy's id is free.
    std::fs::remove_file(dir.path(ANXIN)).unwrap();
    let copy_hash = vouch::engine::text_hash(&text);
    server.wait_for("the copy to take the id", |s| {
        s.hash_of("anxin_gou").as_deref() == Some(copy_hash.as_str())
    });
    assert_eq!(server.get("/health").json()["status"], "ok");
}

#[test]
fn no_request_fails_while_the_policy_is_rewritten() {
    let dir = policy_folder();
    let server = Server::start(&dir, &[]);
    let facts = std::fs::read(root().join(FAST_REFUND)).unwrap();
    let policy = dir.path(ANXIN);
    let version_a = std::fs::read_to_string(&policy).unwrap();
    let version_b = version_a.replacen("= ¥300 ", "= ¥100 ", 1);
    let decide = |s: &Server| s.post("/v1/policies/anxin_gou/decide", &facts);
    let answer_a = decide(&server);
    std::fs::write(&policy, &version_b).unwrap();
    let hash_b = vouch::engine::text_hash(&version_b);
    server.wait_for("version b", |s| {
        s.hash_of("anxin_gou").as_deref() == Some(&*hash_b)
    });
    let answer_b = decide(&server);
    assert_ne!(answer_a.json()["decisions"], answer_b.json()["decisions"]);

    let done = Arc::new(AtomicBool::new(false));
    // Answers of each version, counted by every client as they arrive.
    let counted = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (done, addr, facts) = (done.clone(), server.addr.clone(), facts.clone());
            let counted = counted.clone();
            let answers = [answer_a.body.clone(), answer_b.body.clone()];
            std::thread::spawn(move || {
                let mut client = Client::connect(&addr).unwrap();
                let mut seen = [0usize; 2];
                // Bounded: the writer stops within seconds; so do we.
                for _ in 0..200_000 {
                    if done.load(Ordering::SeqCst) {
                        break;
                    }
                    let answer = client.post("/v1/policies/anxin_gou/decide", &facts);
                    let answer = answer.expect("no request fails");
                    assert_eq!(answer.status, 200, "{}", answer.text());
                    let which = answers.iter().position(|a| *a == answer.body);
                    let which = which.unwrap_or_else(|| {
                        panic!("the answer is one version's, in full: {}", answer.text())
                    });
                    seen[which] += 1;
                    counted[which].fetch_add(1, Ordering::SeqCst);
                }
                seen
            })
        })
        .collect();
    for round in 0..40 {
        let text = if round % 2 == 0 {
            &version_a
        } else {
            &version_b
        };
        std::fs::write(&policy, text).unwrap();
        std::thread::sleep(Duration::from_millis(25));
    }
    // However busy the machine, each version answers the clients at least
    // once more: write it, and wait until a client has counted an answer of it.
    for (which, text) in [(0, &version_a), (1, &version_b)] {
        let before = counted[which].load(Ordering::SeqCst);
        std::fs::write(&policy, text).unwrap();
        server.wait_for("the clients to get this version", |_| {
            counted[which].load(Ordering::SeqCst) > before
        });
    }
    // The last write was version b: wait until it is what answers.
    server.wait_for("the last version", |s| {
        s.hash_of("anxin_gou").as_deref() == Some(&*hash_b)
            && s.get("/health").json()["status"] == "ok"
    });
    done.store(true, Ordering::SeqCst);
    let mut seen = [0usize; 2];
    for c in clients {
        let s = c.join().expect("no client thread failed");
        seen[0] += s[0];
        seen[1] += s[1];
    }
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "both versions answered: {seen:?}"
    );
    assert_eq!(decide(&server).body, answer_b.body);
}

#[test]
fn the_decision_log_is_complete_after_sigterm() {
    let dir = policy_folder();
    let log = dir.path("decisions.jsonl");
    let server = Server::start(&dir, &["--decision-log", log.to_str().unwrap()]);
    let facts = std::fs::read(root().join(FAST_REFUND)).unwrap();
    let mut client = server.client();
    for _ in 0..3 {
        let answer = client
            .post("/v1/policies/anxin_gou/decide", &facts)
            .unwrap();
        assert_eq!(answer.status, 200);
    }
    let batch = b"{\"now\": \"2026-11-20T10:30:00+08:00\"}\nnot json\r\n{}";
    let answer = client
        .post("/v1/policies/reject_refund/decide-batch", batch)
        .unwrap();
    assert_eq!(answer.text().lines().count(), 3);
    assert_eq!(server.terminate(), 0, "a clean shutdown");
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 6, "{text}");
    let anxin_hash = vouch::engine::text_hash(&std::fs::read_to_string(dir.path(ANXIN)).unwrap());
    for line in &lines[..3] {
        assert_eq!(line["policy"], "anxin_gou");
        assert_eq!(line["policy_hash"], anxin_hash.as_str());
        assert_eq!(
            line["facts"],
            serde_json::from_slice::<serde_json::Value>(&facts).unwrap()
        );
        assert_eq!(
            line["decisions"]["fast_refund"]["outcome"],
            "instant_refund"
        );
        assert!(line["time"].as_str().unwrap().ends_with('Z'));
    }
    assert_eq!(lines[3]["policy"], "reject_refund");
    assert_eq!(lines[3]["facts"]["now"], "2026-11-20T10:30:00+08:00");
    assert!(lines[3]["decisions"]["auto_agree"].is_object());
    assert_eq!(lines[4]["facts"], "not json");
    assert!(lines[4]["error"]
        .as_str()
        .unwrap()
        .contains("malformed JSON"));
    assert_eq!(lines[5]["facts"], serde_json::json!({}));
}

#[test]
fn no_policy_that_loads_exits_2_with_the_diagnostics() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.path("policies")).unwrap();
    std::fs::write(dir.path("policies/broken.vouch"), "policy broken {\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("serve")
        .arg(dir.path("policies"))
        .args(["--addr", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing listens");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("vouch::parse::syntax"), "{stderr}");
    assert!(stderr.contains("vouch::serve::no_policy"), "{stderr}");
    let missing = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["serve", "no/such/folder", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn help_documents_the_endpoints_flags_and_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for wanted in [
        "--addr",
        "--decision-log",
        "--max-body",
        "--max-batch-body",
        "--timeout",
        "/v1/policies/{id}/decide",
        "decide-batch",
        "/metrics",
        "413",
        "Exit status: 0",
    ] {
        assert!(
            help.contains(wanted),
            "`vouch serve --help` has {wanted}:\n{help}"
        );
    }
    let _ = std::io::stdout().flush();
}

#[test]
fn the_fast_pretty_answer_equals_the_tree_printed_by_serde() {
    let corpus = std::fs::read_to_string(root().join("examples/corpus.jsonl")).unwrap();
    let mut compared = 0;
    for file in [
        "douyin/anxin-gou.vouch",
        "douyin/refund-after-rejection.vouch",
        "kuaishou/xinren-gou.vouch",
    ] {
        let source = vouch::source::SourceFile::new(file, shipped(file));
        let policy = vouch::engine::Policy::load(source).unwrap();
        for (i, line) in corpus.lines().enumerate() {
            let explain = i % 10 == 0;
            let decision = policy.decide(line, explain).unwrap();
            let tree = decision.json();
            for hash in [None, Some(policy.hash())] {
                let fast = decision.to_json(hash);
                let slow = vouch::engine::json_bytes(&tree, hash);
                assert!(
                    fast == slow,
                    "{file} line {}:\n{}\n{}",
                    i + 1,
                    String::from_utf8_lossy(&fast),
                    String::from_utf8_lossy(&slow)
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 1800);
}

#[test]
fn a_request_not_answered_in_time_gets_503() {
    let dir = policy_folder();
    let server = Server::start(&dir, &["--timeout", "200ms"]);
    let mut client = server.client();
    // A body promised but never sent: the server gives up on it.
    client
        .send_head("POST", "/v1/policies/anxin_gou/decide", 100)
        .unwrap();
    let answer = client.receive().unwrap();
    assert_eq!(answer.status, 503);
    assert_eq!(answer.json()["error"]["code"], "vouch::serve::timeout");
}

/// A batch sent without a `Content-Length` is spooled first: over the limit
/// it gets 413 like a declared one, under it the same answer as a declared
/// one.
#[test]
fn a_chunked_batch_over_the_limit_gets_413() {
    let dir = policy_folder();
    let server = Server::start(&dir, &["--max-batch-body", "8KiB"]);
    let path = "/v1/policies/anxin_gou/decide-batch";
    let corpus = std::fs::read_to_string(root().join("examples/corpus.jsonl")).unwrap();
    let lines: Vec<&str> = corpus.lines().take(4).collect();
    let small = lines.join("\n") + "\n";
    assert!(small.len() < 8 * 1024);
    let declared = server.post(path, small.as_bytes());
    assert_eq!(declared.status, 200);

    let mut client = server.client();
    let (a, b) = small.as_bytes().split_at(small.len() / 2);
    client.send_chunked("POST", path, &[a, b]).unwrap();
    let chunked = client.receive().unwrap();
    assert_eq!(chunked.status, 200, "{}", chunked.text());
    assert_eq!(chunked.body, declared.body);

    let big = small.repeat(1 + 8 * 1024 / small.len());
    let mut client = server.client();
    let pieces: Vec<&[u8]> = big.as_bytes().chunks(1000).collect();
    client.send_chunked("POST", path, &pieces).unwrap();
    let refused = client.receive().unwrap();
    assert_eq!(refused.status, 413, "{}", refused.text());
    assert_eq!(
        refused.json()["error"]["code"],
        "vouch::serve::body_too_large"
    );
}

/// A batch still answering at the timeout is cut off: its answer began
/// with 200, and it ends without the last chunk, so no client takes it for
/// whole.
#[test]
fn a_batch_past_the_timeout_is_cut_off() {
    use std::io::{Read, Write};
    let dir = policy_folder();
    let server = Server::start(&dir, &["--timeout", "500ms"]);
    let corpus = std::fs::read_to_string(root().join("examples/corpus.jsonl")).unwrap();
    let mut body = String::new();
    while body.len() < 1024 * 1024 {
        body.push_str(&corpus);
        if !body.ends_with('\n') {
            body.push('\n');
        }
    }
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // Promise twice the body, send it, and stall: the answer starts, then the
    // timeout cuts it.
    let head = format!(
        "POST /v1/policies/anxin_gou/decide-batch HTTP/1.1\r\nHost: vouch\r\nContent-Length: {}\r\n\r\n",
        2 * body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.starts_with("HTTP/1.1 200"),
        "{}",
        &text[..text.len().min(200)]
    );
    assert!(!text.ends_with("0\r\n\r\n"), "the answer was not cut off");
    server.wait_for("the cut-off in the log", |s| {
        s.log().contains("batch cut off at the timeout")
    });
}

/// A policy is checked as `vouch check` checks it: its `vouch.toml` sets
/// the levels (a lint made an error refuses the file) and the sources
/// folder, which `--sources` overrides.
#[test]
fn reloads_follow_vouch_toml_and_sources() {
    let dir = policy_folder();
    let policy = dir.path(ANXIN);
    let original = std::fs::read_to_string(&policy).unwrap();
    std::fs::create_dir_all(dir.path("seeds")).unwrap();
    let server = Server::start(&dir, &["--sources", dir.path("seeds").to_str().unwrap()]);
    // Every cited file is missing from the empty sources folder: a warning,
    // logged, and the policy still serves.
    server.wait_for("the missing sources in the log", |s| {
        s.log().contains("vouch::sources::missing_file")
    });
    assert_eq!(server.get("/health").json()["status"], "ok");

    std::fs::write(
        dir.path("policies").join("vouch.toml"),
        "[lints]\nunused-param = \"error\"\n",
    )
    .unwrap();
    let unused = original.replacen("param ", "param never_read = ¥1\nparam ", 1);
    assert_ne!(unused, original);
    replace(&policy, &unused);
    server.wait_for("the edit to be refused", |s| {
        s.get("/health").json()["status"] == "degraded"
    });
    let health = server.get("/health").json();
    let error = health["refused"][0]["error"].as_str().unwrap().to_string();
    assert!(error.contains("unused-param"), "{error}");
    assert_eq!(
        server.hash_of("anxin_gou").as_deref(),
        Some(vouch::engine::text_hash(&original).as_str())
    );
}
