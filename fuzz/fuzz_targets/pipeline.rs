//! Policy text → parse → check → lint → a decision explained as text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::facts::Facts;
use vouch::output::{explain, render};
use vouch::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.vouch", text);
    for finding in vouch::diagnose(&source) {
        let _ = render::diagnostic(&finding, false);
    }
    if let Ok(program) = vouch::load(&source) {
        let facts = Facts::empty(&program.facts);
        let result = vouch::eval::evaluate(&program, &facts, true);
        let _ = render::case_text(&program, &result);
        let _ = render::case_json(&program, &result, true);
        let _ = explain::case(&program, &result);
    }
});
