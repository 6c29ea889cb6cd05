//! `vouch check`: parse, type-check and lint every policy file under the paths.

use super::Exit;
use crate::output::terminal::escape;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::stdout_color;
use crate::config::Config;
use crate::diagnostic::Level;
use crate::output::lintdoc;
use crate::output::report::{self, Format, Run, Unreadable};
use crate::source::SourceFile;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders; folders are searched for `.vouch` files.
    #[arg(required_unless_present = "explain")]
    pub paths: Vec<PathBuf>,
    /// How to print findings [default: human on a terminal, plain otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Exit with 1 when a finding is at or above this level. Warnings fail
    /// by default, as CI expects; advice never fails.
    #[arg(long, value_enum, default_value_t = FailLevel::Warning)]
    pub fail_level: FailLevel,
    /// Check every cited quote against the source files in DIR: a quote
    /// that is not in its source's `file` is an error showing the nearest
    /// passage; a missing file is a warning.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Make the fixes that are safe to make without choosing (a misspelt
    /// name with one close match, `¥300` for a bare `300` used as money, …),
    /// write the files, and report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Print what a lint finds, why it matters and an example, or what an
    /// error code means (`unknown_name`, `vouch::check::unknown_name`), then exit.
    #[arg(long, value_name = "LINT|CODE", conflicts_with_all = ["paths", "format", "fail_level", "sources"])]
    pub explain: Option<String>,
}

/// The lowest level of finding that fails the check.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailLevel {
    /// Only errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
}

impl FailLevel {
    fn level(self) -> Level {
        match self {
            FailLevel::Error => Level::Error,
            FailLevel::Warning => Level::Warning,
        }
    }
}

pub fn run(args: CheckArgs) -> Exit {
    if let Some(name) = &args.explain {
        return explain(name);
    }
    let (mut files, configs, mut unreadable) = match gather(&args.paths) {
        Ok(found) => found,
        Err(exit) => return exit,
    };
    files.sort();
    files.dedup();
    if files.is_empty() && unreadable.is_empty() {
        // A CI job pointed at the wrong folder must not pass with nothing checked.
        eprintln!("error: no `.vouch` files under the paths given");
        return Exit::Unreadable;
    }
    // Each file read and diagnosed on every core; fixes and the report in order.
    let diagnosed = super::par_map(&files, |f| {
        let text = std::fs::read_to_string(f)?;
        let config = configs
            .iter()
            .find(|(p, _)| p == f)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        let dir = args.sources.as_deref().or(config.sources.as_deref());
        let source = SourceFile::new(f.display().to_string(), text);
        let found = config.apply(crate::diagnose_with_sources(&source, dir));
        Ok::<_, std::io::Error>((source, found, config))
    });
    let mut sources = Vec::new();
    let mut findings = Vec::new();
    for (f, diagnosed) in files.iter().zip(diagnosed) {
        match diagnosed {
            Ok((mut source, mut found, config)) => {
                if args.fix {
                    let dir = args.sources.as_deref().or(config.sources.as_deref());
                    match fix_file(f, source, found, dir, &config) {
                        Ok((s, rest)) => (source, found) = (s, rest),
                        Err(e) => {
                            unreadable.push(Unreadable {
                                path: f.display().to_string(),
                                error: e.to_string(),
                            });
                            continue;
                        }
                    }
                }
                findings.extend(found);
                sources.push(source);
            }
            Err(e) => unreadable.push(Unreadable {
                path: f.display().to_string(),
                error: e.to_string(),
            }),
        }
    }
    let color = stdout_color();
    let format = args
        .format
        .unwrap_or(if color { Format::Human } else { Format::Plain });
    for u in &unreadable {
        eprintln!("error: cannot read `{}`: {}", escape(&u.path), u.error);
    }
    let out = report::render(
        format,
        &Run {
            files: sources.len(),
            findings: &findings,
            unreadable: &unreadable,
        },
        color,
    );
    if let Err(code) = super::print_out(&out) {
        return code;
    }
    let failing = findings.iter().any(|f| f.level >= args.fail_level.level());
    if !unreadable.is_empty() {
        Exit::Unreadable
    } else if failing {
        Exit::Reported
    } else {
        Exit::Success
    }
}

/// Each file checked, found under the paths, with its `vouch.toml` (found
/// from its path upward), and what could not be read.
type Gathered = (Vec<PathBuf>, Vec<(PathBuf, Arc<Config>)>, Vec<Unreadable>);

fn gather(paths: &[PathBuf]) -> Result<Gathered, Exit> {
    let mut unreadable: Vec<Unreadable> = Vec::new();
    let mut files = Vec::new();
    // Each path's `vouch.toml`, found from it upward.
    let mut configs: Vec<(PathBuf, Arc<Config>)> = Vec::new();
    for p in paths {
        let config = match Config::find(p) {
            Ok(c) => Arc::new(c.unwrap_or_default()),
            Err(e) => {
                eprint!(
                    "{}",
                    crate::output::render::diagnostic(&e, super::stderr_color())
                );
                return Err(Exit::Unreadable);
            }
        };
        let mut under = Vec::new();
        for (path, e) in super::files_under(p, &|name| name.ends_with(".vouch"), &mut under) {
            unreadable.push(Unreadable {
                path: path.display().to_string(),
                error: e.to_string(),
            });
        }
        for f in under {
            if !config.skips(&f) {
                configs.push((f.clone(), config.clone()));
                files.push(f);
            }
        }
    }
    Ok((files, configs, unreadable))
}

/// Make a file's applicable fixes, again while they leave some (a fix can
/// reveal another), write it, and give its text and findings now.
fn fix_file(
    path: &std::path::Path,
    mut source: SourceFile,
    mut found: Vec<crate::diagnostic::Finding>,
    sources: Option<&std::path::Path>,
    config: &Config,
) -> std::io::Result<(SourceFile, Vec<crate::diagnostic::Finding>)> {
    let mut total = 0;
    for _ in 0..4 {
        let (text, fixed) = crate::diagnostic::apply_fixes(&source.text, &found);
        if fixed == 0 {
            break;
        }
        total += fixed;
        source = SourceFile::new(source.name.clone(), text);
        found = config.apply(crate::diagnose_with_sources(&source, sources));
    }
    if total > 0 {
        std::fs::write(path, source.text.as_bytes())?;
        let s = if total == 1 { "" } else { "s" };
        let path = path.display().to_string();
        eprintln!("fixed {total} finding{s} in {}", escape(&path));
    }
    Ok((source, found))
}

fn explain(name: &str) -> Exit {
    match crate::lint::registry::find(name) {
        Some(lint) => super::print_out(&lintdoc::explain(lint))
            .err()
            .unwrap_or(Exit::Success),
        None if lintdoc::explain_code(name).is_some() => {
            let text = lintdoc::explain_code(name).unwrap_or_default();
            super::print_out(&text).err().unwrap_or(Exit::Success)
        }
        None => {
            let names = crate::lint::LINTS.iter().map(|l| l.name);
            let hint = crate::check::did_you_mean(name, names)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            eprintln!("error: `{}` is not a lint{hint}", escape(name));
            eprintln!("the lints are:");
            for l in crate::lint::LINTS {
                eprintln!("  {:28} {}", l.name, l.summary);
            }
            Exit::Unreadable
        }
    }
}
