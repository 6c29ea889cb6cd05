//! Policy text → parse → check → lint → a decision explained as text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::diagnostic::Level;
use vouch::facts::Facts;
use vouch::output::{explain, render};
use vouch::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.vouch", text);
    let findings = vouch::diagnose(&source);
    for finding in &findings {
        let _ = render::diagnostic(finding, false);
    }
    // A policy with no error loads (the second parse and check are only
    // paid for those).
    if !findings.iter().any(|f| f.level == Level::Error) {
        let program = vouch::load(&source).expect("a policy without errors loads");
        let facts = Facts::empty(&program.facts);
        let result = vouch::eval::evaluate(&program, &facts, true);
        let _ = render::case_text(&program, &result);
        let _ = render::case_json(&program, &result, true);
        let _ = explain::case(&program, &result);
    }
});
