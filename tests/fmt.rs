//! `vouch fmt`: the layout keeps the meaning and is a fixed point, on every
//! policy of the repository and on hundreds of copies of them with their
//! whitespace messed up; the command line checks, diffs and reads stdin.

use std::path::{Path, PathBuf};

use vouch::format::{format, FormatOptions};
use vouch::source::SourceFile;

use crate::common::vouch;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every policy file of the repository that parses: the shipped ones and
/// every fixture.
fn policies() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["rules", "tests/fixtures", "examples"] {
        collect(&root().join(dir), &mut files);
    }
    files.sort();
    let parsed: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            let name = f.strip_prefix(root()).unwrap().display().to_string();
            vouch::syntax::parse(&SourceFile::new(name.as_str(), text.as_str())).ok()?;
            Some((name, text))
        })
        .collect();
    assert!(parsed.len() >= 50, "found only {} policies", parsed.len());
    parsed
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "vouch") {
            out.push(p);
        }
    }
}

fn fmt(name: &str, text: &str) -> String {
    format(&SourceFile::new(name, text), &FormatOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tree(name: &str, text: &str) -> vouch::ast::Policy {
    vouch::syntax::parse(&SourceFile::new(name, text))
        .unwrap_or_else(|_| panic!("{name} does not parse:\n{text}"))
}

/// Formatting keeps the tree and is idempotent.
fn assert_properties(name: &str, text: &str) -> String {
    let once = fmt(name, text);
    assert!(
        tree(name, &once) == tree(name, text),
        "{name}: the tree changed:\n{once}"
    );
    let twice = fmt(name, &once);
    assert_eq!(once, twice, "{name}: formatting twice changes the text");
    once
}

#[test]
fn every_policy_keeps_its_tree_and_formats_to_a_fixed_point() {
    for (name, text) in policies() {
        assert_properties(&name, &text);
    }
}

/// A deterministic pseudo-random sequence (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Debug, PartialEq)]
enum Piece {
    Blank(String),
    Comment(String),
    Code(String),
}

/// The text cut into whitespace, comments and tokens (strings whole).
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        let mut s = String::new();
        if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
            while let Some(&d) = chars
                .peek()
                .filter(|d| matches!(d, ' ' | '\t' | '\n' | '\r'))
            {
                s.push(d);
                chars.next();
            }
            out.push(Piece::Blank(s));
        } else if c == '#' {
            while let Some(&d) = chars.peek().filter(|d| **d != '\n') {
                s.push(d);
                chars.next();
            }
            out.push(Piece::Comment(s));
        } else if c == '"' {
            s.push(c);
            chars.next();
            for d in chars.by_ref() {
                s.push(d);
                if d == '"' || d == '\n' {
                    break;
                }
            }
            out.push(Piece::Code(s));
        } else {
            s.push(c);
            chars.next();
            out.push(Piece::Code(s));
        }
    }
    out
}

const ITEM_WORDS: [&str; 6] = ["policy", "enum", "facts", "services", "param", "decision"];

/// The text with its whitespace changed at random: runs of blanks made
/// longer or shorter, lines joined and split, indentation changed, blank
/// lines added. Only where the meaning cannot change: a token that starts
/// an item at the start of a line stays there, and a comment keeps its end
/// of line. With `horizontal`, line breaks are kept as they are.
fn mess(text: &str, rng: &mut Rng, horizontal: bool) -> String {
    let pieces = pieces(text);
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        let Piece::Blank(run) = piece else {
            match piece {
                Piece::Code(s) | Piece::Comment(s) => out.push_str(s),
                Piece::Blank(_) => unreachable!(),
            }
            // Room inside brackets and around commas, where the grammar allows it.
            let next_is_code = matches!(pieces.get(i + 1), Some(Piece::Code(_)));
            if let (Piece::Code(s), true) = (piece, next_is_code) {
                if matches!(s.as_str(), "(" | "{" | "[" | ",") && rng.below(3) == 0 {
                    out.push(' ');
                }
            }
            continue;
        };
        let after_comment = i > 0 && matches!(pieces[i - 1], Piece::Comment(_));
        let next_word: String = pieces[i + 1..]
            .iter()
            .map_while(|p| match p {
                Piece::Code(s) if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    Some(s.as_str())
                }
                _ => None,
            })
            .collect();
        let newline = run.contains('\n');
        let item_start = newline && run.ends_with('\n') && ITEM_WORDS.contains(&next_word.as_str());
        let blanks = |rng: &mut Rng, min: u64| -> String {
            (0..min + rng.below(4))
                .map(|_| if rng.below(5) == 0 { '\t' } else { ' ' })
                .collect()
        };
        if horizontal {
            if newline {
                let lines = run.matches('\n').count();
                let indent = if item_start {
                    String::new()
                } else {
                    blanks(rng, 1)
                };
                out.push_str(&"\n".repeat(lines));
                out.push_str(&indent);
            } else {
                out.push_str(&blanks(rng, 1));
            }
            continue;
        }
        if item_start {
            out.push_str(&"\n".repeat(1 + rng.below(3) as usize));
        } else if newline || after_comment {
            if !after_comment && rng.below(3) == 0 {
                out.push_str(&blanks(rng, 1));
            } else {
                out.push_str(&"\n".repeat(1 + rng.below(2) as usize));
                out.push_str(&blanks(rng, 1));
            }
        } else if rng.below(6) == 0 {
            out.push('\n');
            out.push_str(&blanks(rng, 1));
        } else {
            out.push_str(&blanks(rng, 1));
        }
    }
    out
}

#[test]
fn messed_up_whitespace_formats_to_the_same_tree_and_a_fixed_point() {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut variants = 0;
    for (name, text) in policies() {
        let original = tree(&name, &text);
        let canonical = fmt(&name, &text);
        for round in 0..3 {
            let horizontal = round == 0;
            let messed = mess(&text, &mut rng, horizontal);
            assert!(
                tree(&name, &messed) == original,
                "{name}: messing up the whitespace changed the tree:\n{messed}"
            );
            let formatted = assert_properties(&name, &messed);
            if horizontal {
                // Spaces and indentation alone never change the layout.
                assert_eq!(
                    formatted, canonical,
                    "{name}: spaces changed the layout:\n{messed}"
                );
            }
            variants += 1;
        }
    }
    assert!(variants >= 200, "only {variants} variants");
}

#[test]
fn a_messy_policy_takes_the_canonical_layout() {
    let path = root().join("tests/fixtures/fmt/messy.vouch");
    let text = std::fs::read_to_string(path).unwrap();
    insta::assert_snapshot!(fmt("messy.vouch", &text));
}

#[test]
fn long_expressions_wrap_at_the_width() {
    let text = "policy p { zone \"+08:00\" }\nfacts { a.b: int }\ndecision d {\n  if a.b > 1 and a.b < 100 and a.b != 50 => yes\n  else => no\n}\n";
    let narrow = format(
        &SourceFile::new("p.vouch", text),
        &FormatOptions { width: 30 },
    )
    .unwrap();
    assert!(
        narrow.contains("  if a.b > 1\n    and a.b < 100\n    and a.b != 50\n    => yes\n"),
        "{narrow}"
    );
    assert!(narrow.lines().all(|l| l.chars().count() <= 30), "{narrow}");
    let wide = fmt("p.vouch", text);
    assert!(
        wide.contains("  if a.b > 1 and a.b < 100 and a.b != 50 => yes\n"),
        "{wide}"
    );
}

#[test]
fn parentheses_that_precedence_needs_are_kept() {
    let text = "policy p { zone \"+08:00\" }\nfacts { a: int\n b: bool\n c: bool }\ndecision d {\n  if not (b and c) and (a + 1) * 2 > 3 and (if b then 1 else 2) == a => yes\n  else => no\n}\n";
    let out = fmt("p.vouch", text);
    assert!(
        out.contains("if not (b and c) and (a + 1) * 2 > 3 and (if b then 1 else 2) == a"),
        "{out}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_refused() {
    let err = format(
        &SourceFile::new("bad.vouch", "decision d {\n  if => yes\n}\n"),
        &FormatOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("does not parse"), "{err}");
}

#[test]
fn the_shipped_rules_are_formatted() {
    let (code, out, err) = vouch(&["fmt", "--check", "rules/"]);
    assert_eq!(code, 0, "vouch fmt --check rules/ lists:\n{out}{err}");
}

#[test]
fn check_lists_a_file_that_would_change_and_diff_shows_it() {
    let (code, out, _) = vouch(&["fmt", "--check", "tests/fixtures/fmt/messy.vouch"]);
    assert_eq!(code, 1);
    assert_eq!(out, "tests/fixtures/fmt/messy.vouch\n");
    let (code, out, _) = vouch(&["fmt", "--diff", "tests/fixtures/fmt/messy.vouch"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("--- tests/fixtures/fmt/messy.vouch\n"),
        "{out}"
    );
    assert!(
        out.contains("\n-policy   messy{name \"乱\" zone \"+08:00\"\n"),
        "{out}"
    );
    assert!(out.contains("\n+policy messy {\n"), "{out}");
}

#[test]
fn stdin_is_formatted_to_stdout_and_a_broken_file_exits_2() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["fmt", "-", "--width", "60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"policy p{zone \"+08:00\"}\nparam a=1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "policy p {\n  zone \"+08:00\"\n}\n\nparam a = 1\n"
    );
    let (code, _, err) = vouch(&[
        "fmt",
        "--check",
        "tests/fixtures/check/invalid/missing-arrow.vouch",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("vouch::format::parse"), "{err}");
}
