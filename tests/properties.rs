//! The fuzz targets' properties, checked on a few thousand deterministic
//! mutations of the project's own policies and cases in every `cargo test`,
//! so that CI keeps what the fuzzers found (`fuzz/` runs them for millions).
//!
//! Each input is a seed (a policy under `rules/` or `tests/`, or a line of
//! `examples/corpus.jsonl`) changed by a few byte-level edits: flips,
//! deletions, repeats, and insertions of tokens the formats care about.

use std::path::{Path, PathBuf};

use vouch::facts::Decoder;
use vouch::output::jsonl::CaseWriter;
use vouch::output::{explain, render};
use vouch::program::Program;
use vouch::source::SourceFile;
use vouch::stream::{decide_stream, StreamOptions};

/// Mutations per target.
const CASES: usize = 2_000;

/// xorshift64*: the same inputs on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: [&str; 27] = [
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "-",
    "0",
    "1e400",
    ".000000000000000000001",
    "99999999999999999999999999999",
    // A bare decimal a hundred times too large for a percentage (a crash
    // the `format` fuzzer found in the parser's suggestion).
    " 33333333333333333333333333333.3 ",
    "\\u0000",
    "\u{feff}",
    "\u{1b}",
    "\n",
    " and ",
    " + ",
    "(",
    ")",
    "if ",
    "%",
    "¥",
    // Comments at the end of a line and on a line of their own (the
    // `format` fuzzer found their order lost when both fell inside what is
    // printed as one line).
    " # c\n",
    "\n# d\n",
];

/// A seed with a few random edits.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + rng.below(8)).min(b.len());
                b.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(16)).min(b.len());
                let piece = b[at..end].to_vec();
                b.splice(
                    at..at,
                    piece
                        .iter()
                        .copied()
                        .cycle()
                        .take(piece.len() * (1 + rng.below(4))),
                );
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                b.splice(at..at, t.iter().copied());
            }
        }
    }
    b
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> Vec<Program> {
    let mut paths = Vec::new();
    files(&root().join("rules"), ".vouch", &mut paths);
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            vouch::load(&SourceFile::new(p.display().to_string(), text)).expect("loads")
        })
        .collect()
}

fn corpus_lines() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("examples/corpus.jsonl")).expect("the corpus");
    text.lines().map(str::to_string).collect()
}

/// Run on a thread with the stack every vouch thread has.
fn with_stack(f: impl FnOnce() + Send) {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(vouch::syntax::nesting::STACK_SIZE)
            .spawn_scoped(s, f)
            .expect("a thread")
            .join()
            .expect("no panic");
    });
}

#[test]
fn policies_parse_check_lint_and_explain_without_panicking() {
    let mut seeds = Vec::new();
    files(&root().join("rules"), ".vouch", &mut seeds);
    files(&root().join("tests/fixtures"), ".vouch", &mut seeds);
    seeds.sort();
    let seeds: Vec<Vec<u8>> = seeds
        .iter()
        .map(|p| std::fs::read(p).expect("readable"))
        .collect();
    with_stack(|| {
        let mut rng = Rng(0x5eed_0001);
        for _ in 0..CASES / 4 {
            let seed = &seeds[rng.below(seeds.len())];
            let input = mutate(&mut rng, seed);
            let Ok(text) = std::str::from_utf8(&input) else {
                continue;
            };
            let source = SourceFile::new("mutant.vouch", text);
            for finding in vouch::diagnose(&source) {
                let _ = render::diagnostic(&finding, false);
            }
            if let Ok(program) = vouch::load(&source) {
                let facts = vouch::facts::Facts::empty(&program.facts);
                let result = vouch::eval::evaluate(&program, &facts, true);
                let _ = render::case_text(&program, &result);
                let _ = explain::case(&program, &result);
            }
        }
    });
}

#[test]
fn the_direct_decoder_agrees_with_serde_on_mutated_cases() {
    let programs = shipped();
    let lines = corpus_lines();
    let mut rng = Rng(0x5eed_0002);
    for _ in 0..CASES {
        let program = &programs[rng.below(programs.len())];
        let seed = &lines[rng.below(lines.len())];
        let input = mutate(&mut rng, seed.as_bytes());
        let Ok(json) = std::str::from_utf8(&input) else {
            continue;
        };
        let (fast, slow) = Decoder::new(program).decode_both_ways(json);
        let Some(fast) = fast else { continue };
        let slow = slow
            .unwrap_or_else(|e| panic!("serde refuses what the direct decoder read ({e}): {json}"));
        let layout = &program.facts;
        for node in 0..layout.nodes.len() as u32 {
            assert_eq!(fast.exists(node), slow.exists(node), "{json}");
        }
        for leaf in 0..layout.leaves.len() as u32 {
            assert_eq!(fast.leaf(layout, leaf), slow.leaf(layout, leaf), "{json}");
        }
    }
}

#[test]
fn mutated_cases_are_decided_and_both_json_writers_agree() {
    let programs = shipped();
    let lines = corpus_lines();
    with_stack(|| {
        let mut rng = Rng(0x5eed_0003);
        for _ in 0..CASES {
            let program = &programs[rng.below(programs.len())];
            let seed = &lines[rng.below(lines.len())];
            let input = mutate(&mut rng, seed.as_bytes());
            let Ok(json) = std::str::from_utf8(&input) else {
                continue;
            };
            let Ok(facts) = vouch::facts::decode(program, json) else {
                continue;
            };
            let result = vouch::eval::evaluate(program, &facts, true);
            let tree = render::case_json(program, &result, false);
            let mut bytes = Vec::new();
            CaseWriter::new(program).case(&result, &mut bytes);
            let written: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            assert_eq!(written, tree, "{json}");
            let _ = render::case_text(program, &result);
            let _ = explain::case(program, &result);
        }
    });
}

#[test]
fn a_mutated_stream_gets_one_json_line_per_input_line() {
    let programs = shipped();
    let lines = corpus_lines();
    let mut rng = Rng(0x5eed_0004);
    for round in 0..CASES / 20 {
        let program = &programs[rng.below(programs.len())];
        let start = rng.below(lines.len());
        let seed = lines[start..(start + 8).min(lines.len())].join("\n") + "\n";
        let input = mutate(&mut rng, seed.as_bytes());
        let options = StreamOptions {
            jobs: 1 + round % 2,
            explain: round % 3 == 0,
            strict: false,
        };
        let mut out = Vec::new();
        let summary = decide_stream(program, &input[..], &mut out, &options, &|_, _| {})
            .expect("memory reads and writes");
        let written = out.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(written, summary.lines);
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            serde_json::from_slice::<serde_json::Value>(line).expect("each output line is JSON");
        }
    }
}

#[test]
fn formatting_a_mutated_policy_keeps_its_meaning_and_is_idempotent() {
    use vouch::format::{format, FormatError, FormatOptions};
    let mut seeds = Vec::new();
    files(&root().join("rules"), ".vouch", &mut seeds);
    files(&root().join("tests/fixtures"), ".vouch", &mut seeds);
    seeds.sort();
    let seeds: Vec<Vec<u8>> = seeds
        .iter()
        .map(|p| std::fs::read(p).expect("readable"))
        .collect();
    with_stack(|| {
        let mut rng = Rng(0x5eed_0005);
        let options = FormatOptions::default();
        for _ in 0..CASES / 4 {
            let seed = &seeds[rng.below(seeds.len())];
            let input = mutate(&mut rng, seed);
            let Ok(text) = std::str::from_utf8(&input) else {
                continue;
            };
            let once = match format(&SourceFile::new("mutant.vouch", text), &options) {
                Ok(t) => t,
                Err(FormatError::Parse { .. }) => continue,
                Err(e) => panic!("{e}:\n{text}"),
            };
            let twice = format(&SourceFile::new("mutant.vouch", once.as_str()), &options)
                .expect("formatted text formats");
            assert_eq!(once, twice, "{text}");
        }
    });
}

/// A random condition over `x.m` (money), `x.n` (int) and `x.k` (kind).
fn condition(rng: &mut Rng) -> String {
    const OPS: [&str; 6] = ["<", "<=", ">", ">=", "==", "!="];
    let atom = |rng: &mut Rng| {
        let op = OPS[rng.below(OPS.len())];
        let text = match rng.below(5) {
            0 | 1 => {
                let v = ["0", "0.01", "1", "2", "3", "5"][rng.below(6)];
                format!("x.m {op} ¥{v}")
            }
            2 => format!("x.n {op} {}", rng.below(5) as i64 - 1),
            3 => format!("x.m - ¥1 {op} ¥{}", rng.below(4)),
            _ => format!(
                "x.k {} {}",
                ["==", "!="][rng.below(2)],
                ["a", "b"][rng.below(2)]
            ),
        };
        if rng.below(6) == 0 {
            format!("not ({text})")
        } else {
            text
        }
    };
    let mut text = atom(rng);
    for _ in 0..rng.below(3) {
        let join = ["and", "or"][rng.below(2)];
        text = format!("({text}) {join} {}", atom(rng));
    }
    text
}

/// A random decision of `if` rules and `require`s; every outcome and
/// reason has a name of its own, so a claim about a name is a claim about
/// one place.
fn random_decision(rng: &mut Rng) -> String {
    let mut text = String::from(
        "policy t { zone \"+08:00\" }\nenum kind { a, b }\n\
         facts {\n  x.m: money\n  x.n: int\n  x.k: kind\n}\ndecision d {\n",
    );
    let arms = 2 + rng.below(7);
    for i in 0..arms {
        if rng.below(3) > 0 {
            text.push_str(&format!("  if {} => o{i}\n", condition(rng)));
            continue;
        }
        text.push_str("  require {\n");
        for j in 0..1 + rng.below(3) {
            text.push_str(&format!("    {} else r{i}_{j}\n", condition(rng)));
        }
        if i + 1 == arms {
            text.push_str(&format!("  }} => p{i} else f{i}\n}}\n"));
            return text;
        }
        text.push_str(&format!("  }} else f{i}\n"));
    }
    text.push_str("  else => other\n}\n");
    text
}

/// The name between the first pair of backticks of a message.
fn quoted(message: &str) -> &str {
    message.split('`').nth(1).unwrap_or_default()
}

#[test]
fn an_outcome_or_reason_the_lints_never_see_given_is_never_given() {
    let amounts = [
        "0", "0.01", "0.02", "0.99", "1", "1.01", "1.5", "1.99", "2", "2.01", "2.99", "3", "3.01",
        "3.99", "4", "4.01", "4.99", "5", "5.01", "10",
    ];
    let mut rng = Rng(0x5eed_0005);
    let mut claims = 0;
    for _ in 0..CASES / 5 {
        let text = random_decision(&mut rng);
        let source = SourceFile::new("random.vouch", text.as_str());
        let findings = vouch::diagnose(&source);
        let mut never_outcomes = Vec::new();
        let mut never_reasons = Vec::new();
        for f in &findings {
            match f.code {
                "vouch::lint::unreachable-outcome" => never_outcomes.push(quoted(&f.message)),
                "vouch::lint::unused-reason" => never_reasons.push(quoted(&f.message)),
                _ => {}
            }
        }
        if never_outcomes.is_empty() && never_reasons.is_empty() {
            continue;
        }
        claims += never_outcomes.len() + never_reasons.len();
        let program = vouch::load(&source).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let d = &program.decisions[0];
        for m in amounts {
            for n in -2..=4 {
                for k in ["a", "b"] {
                    let json = format!(r#"{{"x":{{"m":"{m}","n":{n},"k":"{k}"}}}}"#);
                    let facts = vouch::facts::decode(&program, &json).expect("facts");
                    let result = &vouch::eval::evaluate(&program, &facts, false).decisions[0];
                    if let vouch::eval::Status::Outcome(o) = result.status {
                        let name = &*d.outcomes[o as usize].name;
                        assert!(
                            !never_outcomes.contains(&name),
                            "`{name}` is given for {json}:\n{text}"
                        );
                    }
                    for r in &result.reasons {
                        let reason = &*d.reasons[*r as usize];
                        assert!(
                            !never_reasons.contains(&reason),
                            "`{reason}` is given for {json}:\n{text}"
                        );
                    }
                }
            }
        }
    }
    // The generator makes claims to check, not only policies without any.
    assert!(claims > 100, "{claims} claims");
}
