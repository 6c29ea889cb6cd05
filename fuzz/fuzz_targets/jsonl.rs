//! A stream of cases: one output line per input line, whatever the lines hold.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use vouch::stream::{decide_stream, StreamOptions};

fuzz_target!(|data: &[u8]| {
    let Some((program, rest)) = common::pick(data) else {
        return;
    };
    // One thread without explanations; one input in sixteen also on two
    // threads with them (threads and explanations cost the most per input,
    // and what they add depends little on the input).
    let runs: &[usize] = if rest.len() % 16 == 0 { &[1, 2] } else { &[1] };
    for &jobs in runs {
        let mut out = Vec::new();
        let options = StreamOptions {
            jobs,
            explain: jobs == 2,
            strict: false,
        };
        let summary = decide_stream(program, rest, &mut out, &options, &|_, _| {})
            .expect("reading from memory cannot fail");
        let lines = out.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(lines, summary.lines, "one output line per input line");
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            serde_json::from_slice::<serde_json::Value>(line).expect("each output line is JSON");
        }
    }
});
