//! What the targets share: the shipped policies, loaded once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use vouch::program::Program;
use vouch::source::SourceFile;

/// Every policy under `rules/`, loaded.
pub fn shipped() -> &'static [Program] {
    static PROGRAMS: OnceLock<Vec<Program>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let mut paths = Vec::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules"), &mut paths);
        paths.sort();
        assert!(!paths.is_empty(), "policies under rules/");
        paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("a readable policy");
                vouch::load(&SourceFile::new(p.display().to_string(), text))
                    .expect("a shipped policy loads")
            })
            .collect()
    })
}

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

/// The first byte picks a shipped policy; the rest is the input.
pub fn pick(data: &[u8]) -> Option<(&'static Program, &[u8])> {
    let (first, rest) = data.split_first()?;
    let programs = shipped();
    Some((&programs[usize::from(*first) % programs.len()], rest))
}
