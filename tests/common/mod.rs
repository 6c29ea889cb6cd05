//! Helpers shared by the end-to-end tests.

pub mod http;

use std::process::Command;

/// Run the built `vouch` from the crate root without colour: exit status,
/// standard output, standard error.
pub fn vouch(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the vouch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("output is UTF-8"),
        String::from_utf8(out.stderr).expect("output is UTF-8"),
    )
}
