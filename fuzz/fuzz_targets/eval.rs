//! Facts → decisions and their explanations, for every shipped policy.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use vouch::output::jsonl::CaseWriter;
use vouch::output::{explain, render};

fuzz_target!(|data: &[u8]| {
    let Some((program, rest)) = common::pick(data) else {
        return;
    };
    let Ok(json) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(facts) = vouch::facts::decode(program, json) else {
        return;
    };
    let result = vouch::eval::evaluate(program, &facts, true);
    let tree = render::case_json(program, &result, false);
    let mut bytes = Vec::new();
    CaseWriter::new(program).case(&result, &mut bytes);
    let written: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
    assert_eq!(written, tree, "the two JSON writers agree");
    let _ = render::case_text(program, &result);
    let _ = explain::case(program, &result);
});
