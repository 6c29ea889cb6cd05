//! `vouch fmt`: rewrite policy files in the canonical layout, or check that
//! they are.

use crate::output::terminal::escape;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::exit::Exit;
use crate::config::Config;
use crate::format::{format, FormatOptions};
use crate::output::render;
use crate::source::SourceFile;

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or folders (searched for `.vouch` files); `-` reads standard
    /// input and writes the result to standard output.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that are not formatted and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; show what would change as a unified diff, and exit 1
    /// if anything would.
    #[arg(long)]
    pub diff: bool,
    /// Wrap lines to fit this many columns where they can [default: the
    /// `[format] width` of `vouch.toml`, else 100].
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
}

pub fn run(args: FmtArgs) -> Exit {
    let mut files = Vec::new();
    let mut failed = false;
    for p in &args.paths {
        let config = match Config::find(if p.as_os_str() == "-" {
            Path::new(".")
        } else {
            p
        }) {
            Ok(c) => c.unwrap_or_default(),
            Err(e) => {
                eprint!("{}", render::diagnostic(&e, super::stderr_color()));
                return Exit::Unreadable;
            }
        };
        let width = args
            .width
            .or(config.width)
            .unwrap_or(FormatOptions::default().width);
        let options = FormatOptions { width };
        if p.as_os_str() == "-" {
            files.push((p.clone(), options));
            continue;
        }
        let mut under = Vec::new();
        for (path, e) in super::files_under(p, &|n| n.ends_with(".vouch"), &mut under) {
            eprintln!(
                "error: cannot read `{}`: {e}",
                escape(&path.display().to_string())
            );
            failed = true;
        }
        files.extend(
            under
                .into_iter()
                .filter(|f| !config.skips(f))
                .map(|f| (f, options.clone())),
        );
    }
    let mut changed = 0;
    // Each file read and formatted on every core; reported and written in order.
    let formatted = super::par_map(&files, |(f, options)| prepare(f, options));
    for (f, done) in files.iter().zip(formatted) {
        match finish(&f.0, &args, done) {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(()) => failed = true,
        }
    }
    if failed {
        Exit::Unreadable
    } else if changed > 0 && (args.check || args.diff) {
        Exit::Reported
    } else {
        Exit::Success
    }
}

/// A file read and formatted, not yet reported: its name, and its text
/// and the formatted text, or what to say on standard error.
struct Prepared {
    name: String,
    texts: Result<(String, String), String>,
}

/// Read and format one file.
fn prepare(path: &PathBuf, options: &FormatOptions) -> Prepared {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let texts = match super::read_input(path) {
        Err(e) => Err(format!("error: cannot read `{}`: {e}\n", escape(&name))),
        Ok(text) => {
            let source = SourceFile::new(name.as_str(), text.as_str());
            match format(&source, options) {
                Ok(formatted) => Ok((text, formatted)),
                Err(e) => Err(render::diagnostic(&e, super::stderr_color())),
            }
        }
    };
    Prepared { name, texts }
}

/// Report one formatted file, and write it unless only checking; whether
/// it changed (or would).
fn finish(path: &PathBuf, args: &FmtArgs, prepared: Prepared) -> Result<bool, ()> {
    let stdin = path.as_os_str() == "-";
    let name = prepared.name;
    let (text, formatted) = prepared.texts.map_err(|message| eprint!("{message}"))?;
    let changed = formatted != text;
    let shown = if args.diff && changed {
        unified_diff(&name, &text, &formatted)
    } else if args.check && changed {
        format!("{name}\n")
    } else if stdin && !args.check && !args.diff {
        formatted.clone()
    } else {
        String::new()
    };
    let mut out = std::io::stdout().lock();
    out.write_all(shown.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| eprintln!("error: cannot write the output: {e}"))?;
    if changed && !stdin && !args.check && !args.diff {
        std::fs::write(path, &formatted).map_err(|e| {
            eprintln!("error: cannot write `{}`: {e}", escape(&name));
        })?;
    }
    Ok(changed)
}

fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}
