//! The formatter's round trip: a policy that parses is formatted (never
//! refused as a change of meaning), and formatting the result again changes
//! nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::format::{format, FormatError, FormatOptions};
use vouch::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = FormatOptions::default();
    let once = match format(&SourceFile::new("fuzz.vouch", text), &options) {
        Ok(t) => t,
        Err(FormatError::Parse { .. }) => return,
        Err(e) => panic!("{e}"),
    };
    let twice = format(&SourceFile::new("fuzz.vouch", once.as_str()), &options)
        .expect("formatted text formats");
    assert_eq!(once, twice, "formatting is idempotent");
});
