//! `--facts-jsonl`: output lines in input order, bad lines reported in place,
//! the same bytes on any number of threads, and the same JSON as one case at a time.

use std::io::Write;
use std::process::{Command, Stdio};

use vouch::output::jsonl::CaseWriter;
use vouch::program::Program;
use vouch::source::SourceFile;
use vouch::stream::{decide_stream, StreamOptions, StreamSummary};

const POLICIES: [&str; 3] = [
    "rules/douyin/anxin-gou.vouch",
    "rules/douyin/refund-after-rejection.vouch",
    "rules/kuaishou/xinren-gou.vouch",
];

fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Program {
    let text = std::fs::read_to_string(root(path)).expect("policy is readable");
    vouch::load(&SourceFile::new(path, text)).expect("policy loads")
}

fn corpus() -> String {
    std::fs::read_to_string(root("examples/corpus.jsonl")).expect("corpus is readable")
}

/// The output line for one good case, through the JSON tree.
fn tree_line(program: &Program, line: &str) -> String {
    let facts = vouch::facts::decode(program, line).expect("the case decodes");
    let result = vouch::eval::evaluate(program, &facts, false);
    let json = vouch::output::render::case_json(program, &result, false);
    serde_json::to_string(&json).expect("JSON serialises") + "\n"
}

fn decide(program: &Program, input: &[u8], jobs: usize) -> (String, StreamSummary) {
    let mut out = Vec::new();
    let options = StreamOptions {
        jobs,
        explain: false,
        strict: false,
    };
    let summary = decide_stream(program, input, &mut out, &options, &|_, _| {})
        .unwrap_or_else(|_| panic!("the stream is decided"));
    (String::from_utf8(out).expect("output is UTF-8"), summary)
}

#[test]
fn writer_matches_the_json_tree_on_every_corpus_case() {
    let corpus = corpus();
    for path in POLICIES {
        let program = load(path);
        let writer = CaseWriter::new(&program);
        for (n, line) in corpus.lines().enumerate() {
            let facts = vouch::facts::decode(&program, line).expect("the case decodes");
            let result = vouch::eval::evaluate(&program, &facts, false);
            let mut fast = Vec::new();
            writer.case(&result, &mut fast);
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                tree_line(&program, line),
                "{path}, corpus line {}",
                n + 1
            );
        }
    }
}

#[test]
fn stream_keeps_order_and_reports_bad_lines_in_place() {
    let program = load(POLICIES[0]);
    let corpus = corpus();
    let good: Vec<&str> = corpus.lines().collect();
    // A case longer than a chunk, with a key the policy does not declare.
    let long = good[0].replacen(
        '{',
        &format!("{{\"padding\":\"{}\",", "x".repeat(300_000)),
        1,
    );
    let mut input: Vec<u8> = Vec::new();
    let mut want: Vec<Option<&str>> = Vec::new();
    for (i, line) in good.iter().enumerate() {
        match i {
            10 => {
                input.extend_from_slice(b"\n");
                want.push(None);
            }
            20 => {
                input.extend_from_slice(b"{\"merchant\": {\"kind\": \n");
                want.push(None);
            }
            30 => {
                input.extend_from_slice(b"{\"now\": \"\xff\"}\n");
                want.push(None);
            }
            40 => {
                input.extend_from_slice(long.as_bytes());
                input.push(b'\n');
                want.push(Some(good[0]));
            }
            _ => {}
        }
        input.extend_from_slice(line.as_bytes());
        // Windows line ends are read too.
        input.extend_from_slice(if i % 7 == 0 { b"\r\n" } else { b"\n" });
        want.push(Some(line));
    }
    input.extend_from_slice(b"{\"order\": {\"amount\": \"-1.00\"}}");
    want.push(None);

    let (one, summary) = decide(&program, &input, 1);
    assert_eq!(summary.lines as usize, want.len());
    assert_eq!(summary.bad, 4);
    let lines: Vec<&str> = one.lines().collect();
    assert_eq!(lines.len(), want.len());
    for (i, (got, want)) in lines.iter().zip(&want).enumerate() {
        match want {
            Some(case) => assert_eq!(
                format!("{got}\n"),
                tree_line(&program, case),
                "line {}",
                i + 1
            ),
            None => {
                let v: serde_json::Value = serde_json::from_str(got).expect("error lines are JSON");
                assert_eq!(v["line"], i + 1, "{got}");
                assert!(v["error"].is_string(), "{got}");
            }
        }
    }
    for jobs in [2, 3, 8] {
        assert_eq!(
            decide(&program, &input, jobs),
            (one.clone(), summary),
            "{jobs} jobs"
        );
    }
}

#[test]
fn binary_streams_stdin_and_exits_1_on_a_bad_line() {
    let corpus = corpus();
    let input = format!("{}\nnot json\n", corpus.trim_end());
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args([
            "eval",
            &root(POLICIES[1]),
            "--facts-jsonl",
            "-",
            "--jobs",
            "2",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vouch runs");
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("vouch finishes");
    feeder.join().unwrap().expect("stdin is written");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), corpus.lines().count() + 1);
    let last: serde_json::Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
    assert_eq!(last["line"], lines.len());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 line(s) could not be decided"));
}
