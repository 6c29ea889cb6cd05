//! `vouch check`: parse and type-check every policy file under the paths.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{render, stderr_color};
use crate::source::SourceFile;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders; folders are searched for `.vouch` files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Every `.vouch` file under a path, sorted.
pub(crate) fn policy_files(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "vouch") {
                policy_files(&e, out)?;
            }
        }
    } else {
        std::fs::metadata(path)?;
        out.push(path.to_path_buf());
    }
    Ok(())
}

pub fn run(args: CheckArgs) -> u8 {
    let mut files = Vec::new();
    for p in &args.paths {
        if let Err(e) = policy_files(p, &mut files) {
            eprintln!("error: cannot read `{}`: {e}", p.display());
            return 2;
        }
    }
    let color = stderr_color();
    let mut findings = 0usize;
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", f.display());
                return 2;
            }
        };
        let source = SourceFile::new(f.display().to_string(), text);
        if let Err(e) = crate::load(&source) {
            for d in e.diagnostics() {
                findings += 1;
                eprint!("{}", render::diagnostic(d, color));
            }
        }
    }
    let checked = files.len();
    if findings > 0 {
        eprintln!("{findings} finding(s) in {checked} file(s)");
        1
    } else {
        eprintln!("{checked} file(s) checked, no findings");
        0
    }
}
