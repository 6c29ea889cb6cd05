//! The direct decoder must agree with the serde decoder wherever it answers.

use std::path::{Path, PathBuf};

use super::decode;
use crate::facts::{Decoder, Facts};
use crate::program::Program;
use crate::source::SourceFile;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("readable")
}

/// Every policy under `rules/`.
fn programs() -> Vec<Program> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("rules/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "vouch") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        &mut paths,
    );
    paths.sort();
    assert!(!paths.is_empty(), "policies under rules/");
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            crate::load(&SourceFile::new(p.display().to_string(), text)).expect("policy loads")
        })
        .collect()
}

/// The direct decoder's facts, if it answers, and the serde decoder's.
fn both(decoder: &Decoder<'_>, json: &str) -> (Option<Facts>, Result<Facts, String>) {
    let layout = &decoder.program.facts;
    let mut fast = Facts::empty(layout);
    let fast = decode(decoder, json, &mut fast).map(|()| fast);
    let mut slow = Facts::empty(layout);
    let slow = decoder
        .decode_with_serde(json, &mut slow)
        .map(|()| slow)
        .map_err(|e| e.to_string());
    (fast, slow)
}

fn agree(decoder: &Decoder<'_>, json: &str) -> bool {
    let (fast, slow) = both(decoder, json);
    let Some(fast) = fast else { return false };
    let slow =
        slow.unwrap_or_else(|e| panic!("direct decoder accepted what serde refuses ({e}): {json}"));
    assert_eq!(fast.state, slow.state, "{json}");
    assert_eq!(fast.values, slow.values, "{json}");
    true
}

#[test]
fn every_corpus_case_is_decoded_directly_and_alike() {
    let corpus = read("examples/corpus.jsonl");
    for program in programs() {
        let decoder = Decoder::new(&program);
        for line in corpus.lines() {
            assert!(
                agree(&decoder, line),
                "{}: not decoded directly: {line}",
                program.id
            );
        }
    }
}

#[test]
fn unusual_but_valid_json_agrees_or_goes_to_serde() {
    let cases = [
        r#" { "now" : "2026-11-20T10:30:00+08:00" , "x" : [ 1 , -2.5e+3 , { } , [ ] , null ] } "#,
        r#"{"note":"a\"b\\c\/d\b\f\n\r\t\u4e2d\uD83D\uDE00","now":"2026-11-20T10:30:00Z"}"#,
        r#"{"n\u006fw":"2026-11-20T10:30:00+08:00"}"#,
        r#"{"now":"2026-11-20T10:30:00\u002B08:00"}"#,
        r#"{"merchant":null,"merchant":{"kind":"domestic"}}"#,
        r#"{"merchant":{"kind":"domestic"},"merchant":null}"#,
        r#"{"merchant":{"services":["made_up","made_up","other"]}}"#,
        r#"{"order":{"amount":120,"placed_at":"2026-11-20T10:30:00+08:00"}}"#,
        r#"{"order":{"amount":59.9}}"#,
        r#"{"order":{"amount":0.07}}"#,
        r#"{"order":{"amount":123456789012.345}}"#,
        r#"{"order":{"amount":1.005}}"#,
        r#"{"order":{"amount":0.1e1}}"#,
        r#"{"shop_stats":{"orders_14d":12.0}}"#,
        r#"{"order":{"amount":0}}"#,
        r#"{"shop_stats":{"orders_14d":0,"trust_orders_14d":18446744073709551615}}"#,
        r#"{"live_room":{"special":true},"request":null}"#,
        r#"{"x":{"y":{"z":[[[[{"deep":true}]]]]}}}"#,
        r#"{}"#,
    ];
    let programs = programs();
    for program in &programs {
        let decoder = Decoder::new(program);
        for json in cases {
            agree(&decoder, json);
        }
    }
}

#[test]
fn malformed_json_is_left_to_serde() {
    let bad = [
        "",
        "[]",
        "null",
        r#"{"now":"2026-11-20T10:30:00+08:00",}"#,
        r#"{"now":"2026-11-20T10:30:00+08:00"} x"#,
        r#"{"x":01}"#,
        r#"{"x":1.}"#,
        r#"{"x":-}"#,
        r#"{"x":"\x"}"#,
        r#"{"x":"\u12G4"}"#,
        "{\"x\":\"tab\there\"}",
        r#"{"x":[1,]}"#,
        r#"{"x":{"a" 1}}"#,
        r#"{"x":tru}"#,
        r#"{"merchant":5}"#,
        r#"{"order":{"amount":"-1.00"}}"#,
        r#"{"order":{"amount":true}}"#,
        r#"{"merchant":{"kind":"martian"}}"#,
        r#"{"now":"2026-11-20T10:30:00"}"#,
    ];
    let programs = programs();
    for json in bad {
        let mut refused = false;
        for program in &programs {
            let (fast, slow) = both(&Decoder::new(program), json);
            if slow.is_err() {
                refused = true;
                assert!(
                    fast.is_none(),
                    "{}: direct decoder accepted {json}",
                    program.id
                );
            }
        }
        assert!(refused, "no policy refuses {json}");
    }
}

/// SplitMix64, for reproducible mutations.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn mutated_cases_agree_wherever_the_direct_decoder_answers() {
    let corpus = read("examples/corpus.jsonl");
    let lines: Vec<&str> = corpus.lines().collect();
    let programs = programs();
    let decoders: Vec<Decoder<'_>> = programs.iter().map(Decoder::new).collect();
    let pieces: [&[u8]; 24] = [
        b"\"",
        b"\\",
        b",",
        b":",
        b"{",
        b"}",
        b"[",
        b"]",
        b" ",
        b"0",
        b"-",
        b".",
        b"e",
        b"null",
        b"\\u0041",
        b"\t",
        b"1",
        b"true",
        b"\\\"",
        b"\x7f",
        "中".as_bytes(),
        b"E+",
        b"+",
        b"\x01",
    ];
    let mut state = 11u64;
    let (mut answered, mut total) = (0, 0);
    for _ in 0..30_000 {
        let r = next(&mut state);
        let mut bytes = lines[r as usize % lines.len()].as_bytes().to_vec();
        for _ in 0..1 + (r >> 20) % 3 {
            let r = next(&mut state);
            let at = (r >> 8) as usize % (bytes.len() + 1);
            let piece = pieces[(r >> 40) as usize % pieces.len()];
            match r % 3 {
                0 => {
                    bytes.splice(at..at, piece.iter().copied());
                }
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {
                    let end = (at + piece.len()).min(bytes.len());
                    bytes.splice(at..end, piece.iter().copied());
                }
            }
        }
        let Ok(json) = String::from_utf8(bytes) else {
            continue;
        };
        for decoder in &decoders {
            total += 1;
            answered += usize::from(agree(decoder, &json));
        }
    }
    // Most mutations land in skipped values or still parse: both paths are exercised.
    assert!(
        answered > total / 10 && answered < total,
        "{answered} of {total}"
    );
}

#[test]
fn lists_of_records_are_decoded_directly_and_alike() {
    let source = SourceFile::new(
        "items.vouch",
        "policy p { zone \"+08:00\" }\nenum category open { appliances }\nfacts {\n  order.items: list<{sku: text, category: category, unit_price: money, quantity: int, price_protected: bool, current_price: money?}>\n  order.tags: list<text>\n}\ndecision d {\n  else => v { n: size(order.items) }\n}\n",
    );
    let program = crate::load(&source).expect("loads");
    let decoder = Decoder::new(&program);
    let direct = [
        r#"{"order":{"items":[{"sku":"tv-55","category":"appliances","unit_price":"2999.00","quantity":1,"price_protected":true,"current_price":"2799.00"},{"sku":"case-1","category":"books","unit_price":"59.00","quantity":2,"price_protected":false,"current_price":null}]}}"#,
        r#"{"order":{"items":[{"sku":"a","skipped":{"x":[1,2,{"y":null}]},"quantity":3}],"tags":["a","a","b"]}}"#,
        r#"{"order":{"items":[], "tags":[]}}"#,
        r#"{"order":{"items":[{}]}}"#,
    ];
    for line in direct {
        assert!(agree(&decoder, line), "not decoded directly: {line}");
    }
    // An escape in a read value, or a wrong type, goes to serde.
    for line in [
        r#"{"order":{"items":[{"sku":"a\u0041"}]}}"#,
        r#"{"order":{"items":[{"quantity":"many"}]}}"#,
        r#"{"order":{"items":{"sku":"a"}}}"#,
    ] {
        let (fast, _) = both(&decoder, line);
        assert!(fast.is_none(), "decoded directly: {line}");
    }
}
