//! Linear time on huge inputs: the time per element must stay flat as the
//! input grows tenfold. The curves, each against its own smallest size
//! (the baseline of the same run):
//!
//! - decoding a list fact of 10k, 100k and 1M distinct values (the first
//!   set-of-open-enum fact of a shipped policy);
//! - deciding a JSONL stream of one line of 10, 50 and 100 MB;
//! - `check` (parse, check, lint) of a policy with 100k and 1M comment lines;
//! - `check` of a condition with 10, 20 and 40 nested functions over lists
//!   left unfinished (`any(x in any(x in …`), where each level used to be
//!   parsed twice (2^depth) before the grammar stopped retrying one as a call;
//! - `check` of one condition of 400 to 1,600 comparisons joined by `and`
//!   through `let`s;
//! - `check` of one decision of 50 to 1,600 rules on the same amount.
//!
//! `cargo bench --bench scaling -- rules` runs only the curves whose name
//! (`lists`, `lines`, `comments`, `nesting`, `lets`, `rules`) it names.
//!
//! ```sh
//! cargo bench --bench scaling
//! ```
//!
//! Each figure is the best of three rounds. A ratio near 1.0× is linear;
//! a quadratic step would show 10× per tenfold.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use vouch::program::Program;
use vouch::source::SourceFile;
use vouch::stream::{decide_stream, StreamOptions};
use vouch::types::Type;

fn best_of_three(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn policies() -> Vec<Program> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir)
            .expect("rules/ is readable")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "vouch") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(Path::new("rules"), &mut paths);
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            vouch::load(&SourceFile::new(p.display().to_string(), text)).expect("loads")
        })
        .collect()
}

/// A JSON object holding `value` at the dotted `path`.
fn nested(path: &str, value: String) -> String {
    path.rsplit('.')
        .fold(value, |inner, key| format!("{{\"{key}\": {inner}}}"))
}

struct Row {
    what: &'static str,
    size: usize,
    unit: &'static str,
    time: Duration,
}

fn print(rows: &[Row]) {
    let base = rows[0].time.as_secs_f64() / rows[0].size as f64;
    for r in rows {
        let per = r.time.as_secs_f64() / r.size as f64;
        println!(
            "{:<34} {:>10} {:<6} {:>9.3} s {:>10.1} ns/{:<6} {:>6.2}×",
            r.what,
            r.size,
            r.unit,
            r.time.as_secs_f64(),
            per * 1e9,
            r.unit,
            per / base
        );
    }
    println!();
}

fn lists(programs: &[Program]) {
    let found = programs.iter().find_map(|p| {
        p.facts
            .leaves
            .iter()
            .find_map(|l| match l.ty.unwrap_optional() {
                Type::Set(e) => match e.unwrap_optional() {
                    Type::Enum(i) if p.enums[*i as usize].open => Some((p, l.path.clone())),
                    Type::Text => Some((p, l.path.clone())),
                    _ => None,
                },
                _ => None,
            })
    });
    let Some((program, path)) = found else {
        println!("no shipped policy has a list fact of open values: lists skipped\n");
        return;
    };
    let mut rows = Vec::new();
    for n in [10_000, 100_000, 1_000_000] {
        let items: Vec<String> = (0..n).map(|i| format!("\"value_{i}\"")).collect();
        let json = nested(&path, format!("[{}]", items.join(",")));
        let time = best_of_three(|| {
            black_box(vouch::facts::decode(program, &json).expect("decoded"));
        });
        rows.push(Row {
            what: "decode a list fact",
            size: n,
            unit: "value",
            time,
        });
    }
    print(&rows);
}

fn long_lines(programs: &[Program]) {
    let program = &programs[0];
    let mut rows = Vec::new();
    for mb in [10, 50, 100] {
        let pad = "x".repeat(mb << 20);
        let line = format!("{{\"padding\": \"{pad}\"}}\n");
        let options = StreamOptions {
            jobs: 1,
            explain: false,
            strict: false,
        };
        let time = best_of_three(|| {
            let mut out = Vec::new();
            decide_stream(program, line.as_bytes(), &mut out, &options, &|_, _| {})
                .expect("decided");
            black_box(out);
        });
        rows.push(Row {
            what: "decide one JSONL line",
            size: mb,
            unit: "MB",
            time,
        });
    }
    print(&rows);
}

/// `check` of the policy `text(size)` at each size: one curve.
fn check_curve(what: &'static str, unit: &'static str, sizes: &[usize], text: fn(usize) -> String) {
    let mut rows = Vec::new();
    for &size in sizes {
        let source = SourceFile::new("scaling.vouch", text(size));
        let time = best_of_three(|| {
            black_box(vouch::diagnose(&source));
        });
        rows.push(Row {
            what,
            size,
            unit,
            time,
        });
    }
    print(&rows);
}

fn comments() {
    check_curve("check comment lines", "line", &[100_000, 1_000_000], |n| {
        format!(
            "policy p {{ zone \"+08:00\" }}\nfacts {{ a: bool }}\n{}decision d {{ if a => yes else => no }}\n",
            "# a line of comment\n".repeat(n)
        )
    });
}

fn unfinished_nesting() {
    check_curve(
        "check unfinished nesting",
        "level",
        &[10, 20, 40],
        |depth| {
            format!(
            "policy p {{ zone \"+08:00\" }}\nfacts {{ a: set<int> }}\ndecision d {{\n  if {}1 => yes\n  else => no\n}}\n",
            "any(x in ".repeat(depth)
        )
        },
    );
}

/// One decision of `n` rules on one amount, bands and a parameter in turn:
/// every rule is checked for reach and for overlaps with the rules before
/// it (a 15 s input the `pipeline` fuzzer found had 222 such rules).
fn many_rules() {
    check_curve(
        "check rules of one decision",
        "rule",
        &[50, 100, 200, 400, 800, 1600],
        |n| {
            let mut text = String::from(
            "policy p { zone \"+08:00\" }\nfacts { order.amount: money }\nparam limit = ¥300\ndecision band {\n",
        );
            for i in 1..=n / 2 {
                text.push_str(&format!(
                    "  if order.amount <= ¥{} => r{i}\n  if order.amount <= limit => s{i}\n",
                    i * 3
                ));
            }
            text.push_str("  else => other\n}\n");
            text
        },
    );
}

/// One condition of `n` comparisons of distinct facts joined by `and`,
/// built up through `let`s of 100 each: the lints see it whole, inlined.
fn long_condition() {
    check_curve(
        "check a condition through lets",
        "test",
        &[400, 800, 1600],
        |n| {
            let mut text = String::from("policy p { zone \"+08:00\" }\nfacts {\n");
            for i in 0..n {
                text.push_str(&format!("  x.a{i}: int\n"));
            }
            text.push_str("}\ndecision d {\n");
            for l in 0..n / 100 {
                let tests: Vec<String> = (l * 100..(l + 1) * 100)
                    .map(|i| format!("x.a{i} > 1"))
                    .collect();
                let earlier = if l == 0 {
                    String::new()
                } else {
                    format!("c{} and ", l - 1)
                };
                text.push_str(&format!("  let c{l} = {earlier}{}\n", tests.join(" and ")));
            }
            text.push_str(&format!("  if c{} => y\n  else => n\n}}\n", n / 100 - 1));
            text
        },
    );
}

fn main() {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    println!(
        "{:<34} {:>10} {:<6} {:>11} {:>17} {:>7}",
        "", "size", "", "time", "per element", "ratio"
    );
    if wanted("lists") || wanted("lines") {
        let programs = policies();
        if wanted("lists") {
            lists(&programs);
        }
        if wanted("lines") {
            long_lines(&programs);
        }
    }
    if wanted("comments") {
        comments();
    }
    if wanted("nesting") {
        unfinished_nesting();
    }
    if wanted("lets") {
        long_condition();
    }
    if wanted("rules") {
        many_rules();
    }
}
