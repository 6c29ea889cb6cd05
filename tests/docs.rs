//! The language reference stays true: every `vouch` block in
//! `docs/language.md` loads without diagnostics, and every diagnostic code
//! the engine can emit is listed there.

use std::path::Path;

use vouch::output::render;
use vouch::source::SourceFile;

/// Put before a block that has no header of its own.
const PRELUDE: &str = "policy example { zone \"+08:00\" source s001 \"001_example.txt\" }\n";

fn reference() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/language.md");
    std::fs::read_to_string(path).expect("docs/language.md is readable")
}

/// The `vouch` code blocks, with the line each starts on.
fn vouch_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_end() == "```vouch" => current = Some((i + 2, String::new())),
            Some(_) if line.trim_end() == "```" => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(current.is_none(), "a `vouch` block is not closed");
    blocks
}

fn has_header(block: &str) -> bool {
    block
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("policy "))
}

#[test]
fn every_example_loads() {
    let blocks = vouch_blocks(&reference());
    assert!(blocks.len() >= 15, "found only {} examples", blocks.len());
    let mut failures = Vec::new();
    for (line, block) in &blocks {
        let text = if has_header(block) {
            block.clone()
        } else {
            format!("{PRELUDE}{block}")
        };
        let source = SourceFile::new(format!("language.md:{line}"), text);
        if let Err(e) = vouch::load(&source) {
            for d in e.diagnostics() {
                failures.push(render::diagnostic(d, false));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "examples in docs/language.md that do not load:\n{}",
        failures.join("\n")
    );
}

/// Every diagnostic code in the engine's source: `"vouch::stage::name"` or
/// `code(vouch::stage::name)`.
fn codes_in(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            codes_in(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        for (i, _) in text.match_indices("vouch::") {
            if !(text[..i].ends_with('"') || text[..i].ends_with("code(")) {
                continue;
            }
            let code: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                .collect();
            if code.matches("::").count() == 2 && !code.ends_with(':') {
                out.push(code);
            }
        }
    }
}

#[test]
fn every_diagnostic_code_is_listed() {
    let mut codes = Vec::new();
    codes_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut codes,
    );
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 25, "found only {codes:?}");
    let reference = reference();
    let unlisted: Vec<&String> = codes
        .iter()
        .filter(|c| !reference.contains(&format!("| `{c}` |")))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes missing from the table in docs/language.md: {unlisted:?}"
    );
}

/// The built-in table of the reference is the one `src/builtins.rs` declares.
#[test]
fn the_builtin_table_is_generated_from_the_declarations() {
    let reference = reference();
    let table = vouch::builtins::markdown_table();
    assert!(
        reference.contains(&table),
        "docs/language.md's built-in table differs from src/builtins.rs; write this:\n{table}"
    );
}
