//! `vouch.toml`: a team's settings for `vouch check` and `vouch fmt`, found
//! from the checked path upward.
//!
//! ```toml
//! [lints]
//! unused-param = "allow"      # a lint: allow, advice, warning or error
//! time = "error"              # a group of lints
//!
//! [files]
//! skip = ["drafts/**", "*.old.vouch"]
//!
//! [format]
//! width = 100
//!
//! [sources]
//! dir = "seeds"               # what `check --sources` reads when not given
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use serde::Deserialize;
use thiserror::Error;

use crate::diagnostic::{Finding, Level};
use crate::lint::registry::{self, Group};

/// The name of the file.
pub const FILE_NAME: &str = "vouch.toml";

/// A level a team gives a lint or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// Not reported.
    Allow,
    /// Reported as advice, which never fails `vouch check`.
    Advice,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    lints: BTreeMap<String, Setting>,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    format: RawFormat,
    #[serde(default)]
    sources: RawSources,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    #[serde(default)]
    skip: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormat {
    width: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    dir: Option<PathBuf>,
}

/// A `vouch.toml`, read and checked.
#[derive(Debug, Default)]
pub struct Config {
    /// The folder holding the file: paths in it are relative to it.
    pub root: PathBuf,
    /// Each lint's level, by lint name; groups already expanded, a lint
    /// named alone winning over its group.
    pub levels: BTreeMap<&'static str, Setting>,
    /// Patterns of files to leave out, relative to `root`.
    pub skip: Vec<String>,
    /// The width `vouch fmt` wraps at.
    pub width: Option<usize>,
    /// The sources folder, relative to `root` already joined.
    pub sources: Option<PathBuf>,
}

/// A `vouch.toml` that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {error}")]
    #[diagnostic(code(vouch::config::unreadable))]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        error: String,
    },
    /// The file is not TOML, or not the tables vouch reads.
    #[error("`{path}`{} is not a vouch configuration: {error}", place(.at))]
    #[diagnostic(
        code(vouch::config::invalid),
        help("the tables are [lints] (lint or group = allow, advice, warning or error), [files] skip, [format] width and [sources] dir; see docs/authoring.md")
    )]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        error: String,
        /// Where, as a line and a column (from 1), when known.
        at: Option<(usize, usize)>,
    },
    /// A level given to a name that is no lint and no group.
    #[error("`{path}`{} names `{name}`, which is neither a lint nor a group of lints", place(.at))]
    #[diagnostic(code(vouch::config::unknown_lint), help("{hint}"))]
    UnknownLint {
        /// The file.
        path: String,
        /// The name given.
        name: String,
        /// "did you mean", or the list of names.
        hint: String,
        /// Where the name is written, as a line and a column (from 1).
        at: Option<(usize, usize)>,
    },
}

fn place(at: &Option<(usize, usize)>) -> String {
    at.map(|(line, column)| format!(" (line {line}, column {column})"))
        .unwrap_or_default()
}

impl ConfigError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            ConfigError::Unreadable { path, .. }
            | ConfigError::Invalid { path, .. }
            | ConfigError::UnknownLint { path, .. } => path,
        }
    }

    /// Where in the file, as a line and a column (from 1), when known.
    pub fn at(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::Unreadable { .. } => None,
            ConfigError::Invalid { at, .. } | ConfigError::UnknownLint { at, .. } => *at,
        }
    }
}

/// The line and column (from 1, in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Where a key of `[lints]` is written: the first line that starts with it.
fn key_place(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(line_column(text, offset + line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

fn group_name(g: Group) -> &'static str {
    match g {
        Group::Logic => "logic",
        Group::Declarations => "declarations",
        Group::Literals => "literals",
        Group::Time => "time",
        Group::Citations => "citations",
        Group::Suppressions => "suppressions",
    }
}

impl Config {
    /// The `vouch.toml` of the folder holding `path` (or `path` itself, a
    /// folder) or of the nearest folder above it; `None` when there is none.
    pub fn find(path: &Path) -> Result<Option<Config>, ConfigError> {
        let start = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::read(&candidate).map(Some);
            }
            dir = d.parent();
        }
        Ok(None)
    }

    /// Read and check one `vouch.toml`.
    pub fn read(file: &Path) -> Result<Config, ConfigError> {
        let path = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|e| ConfigError::Unreadable {
            path: path.clone(),
            error: e.to_string(),
        })?;
        let root = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        Config::parse(&path, &text, root)
    }

    /// Check a configuration's text; `name` is for messages.
    pub fn parse(name: &str, text: &str, root: PathBuf) -> Result<Config, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: name.to_string(),
            error: e.message().to_string(),
            at: e.span().map(|s| line_column(text, s.start)),
        })?;
        let mut levels = BTreeMap::new();
        // Groups first, so that a lint named alone wins over its group.
        let (groups, lints): (Vec<_>, Vec<_>) = raw
            .lints
            .iter()
            .partition(|(k, _)| Group::ALL.iter().any(|g| group_name(*g) == k.as_str()));
        for (key, setting) in groups {
            for l in registry::LINTS
                .iter()
                .filter(|l| group_name(l.group) == key)
            {
                levels.insert(l.name, *setting);
            }
        }
        for (key, setting) in lints {
            let Some(l) = registry::find(key) else {
                let names = registry::LINTS
                    .iter()
                    .map(|l| l.name)
                    .chain(Group::ALL.iter().map(|g| group_name(*g)));
                let hint = crate::check::did_you_mean(key, names).unwrap_or_else(|| {
                    "`vouch check --explain LINT` lists the lints; the groups are logic, \
                     declarations, literals, time, citations and suppressions"
                        .into()
                });
                return Err(ConfigError::UnknownLint {
                    path: name.to_string(),
                    name: key.clone(),
                    hint,
                    at: key_place(text, key),
                });
            };
            levels.insert(l.name, *setting);
        }
        Ok(Config {
            sources: raw.sources.dir.map(|d| root.join(d)),
            root,
            levels,
            skip: raw.files.skip,
            width: raw.format.width,
        })
    }

    /// The findings at the levels the team set: an allowed lint's dropped.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut f| {
                let Some(l) = registry::by_code(f.code) else {
                    return Some(f);
                };
                let level = match self.levels.get(l.name) {
                    None => return Some(f),
                    Some(Setting::Allow) => return None,
                    Some(Setting::Advice) => Level::Advice,
                    Some(Setting::Warning) => Level::Warning,
                    Some(Setting::Error) => Level::Error,
                };
                f.level(level);
                Some(f)
            })
            .collect()
    }

    /// Whether a file is left out by `[files] skip`.
    pub fn skips(&self, file: &Path) -> bool {
        let full = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let Ok(relative) = full.strip_prefix(&root) else {
            return false;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        self.skip
            .iter()
            .any(|p| glob(p.trim_start_matches("./"), &relative))
    }
}

/// Whether a path matches a pattern, as in `.gitignore`: `*` is any run of
/// characters but `/`, `**` any run of folders; a pattern without `/`
/// matches a file name in any folder, and `drafts/` what is under any
/// folder `drafts`; other patterns are relative to the file's folder.
fn glob(pattern: &str, path: &str) -> bool {
    if let Some(folder) = pattern.strip_suffix('/') {
        // A folder anywhere, unless the pattern names where.
        let anywhere = if folder.contains('/') { "" } else { "**/" };
        return glob(&format!("{anywhere}{folder}/**"), path);
    }
    if !pattern.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return matches(pattern.as_bytes(), name.as_bytes())
            || matches(pattern.as_bytes(), path.as_bytes());
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

fn matches(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*'] => true,
        [b'*', b'*', rest @ ..] => {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=s.len()).any(|i| (i == 0 || s[i - 1] == b'/') && matches(rest, &s[i..]))
        }
        [b'*', rest @ ..] => (0..=s.len())
            .take_while(|i| *i == 0 || s[i - 1] != b'/')
            .any(|i| matches(rest, &s[i..])),
        [c, rest @ ..] => s.first() == Some(c) && matches(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_paths_under_the_root() {
        assert!(glob("drafts/**", "drafts/a.vouch"));
        assert!(glob("drafts/**", "drafts/x/a.vouch"));
        assert!(glob("drafts/", "drafts/x/a.vouch"));
        assert!(glob("drafts/", "rules/drafts/a.vouch"));
        assert!(!glob("drafts/**", "rules/a.vouch"));
        assert!(glob("*.old.vouch", "rules/x/a.old.vouch"));
        assert!(!glob("*.old.vouch", "rules/a.vouch"));
        assert!(glob("rules/*/a.vouch", "rules/jd/a.vouch"));
        assert!(!glob("rules/*/a.vouch", "rules/jd/x/a.vouch"));
        assert!(glob("**/draft-*.vouch", "a/b/draft-1.vouch"));
    }

    #[test]
    fn a_lint_named_alone_wins_over_its_group() {
        let c = Config::parse(
            "vouch.toml",
            "[lints]\ntime = \"error\"\nmissing-zone = \"allow\"\n",
            PathBuf::from("."),
        )
        .unwrap();
        assert_eq!(c.levels.get("missing-zone"), Some(&Setting::Allow));
        assert!(c.levels.values().any(|s| *s == Setting::Error));
        let e = Config::parse(
            "vouch.toml",
            "[lints]\nunused-parm = \"allow\"\n",
            PathBuf::new(),
        );
        let e = e.unwrap_err();
        assert!(
            e.to_string()
                .contains("`vouch.toml` (line 2, column 1) names `unused-parm`"),
            "{e}"
        );
        assert_eq!(e.at(), Some((2, 1)));
        let e = Config::parse("vouch.toml", "[lint]\n", PathBuf::new());
        assert!(e.is_err());
        let e = Config::parse("vouch.toml", "[format]\nwidth = \"x\"\n", PathBuf::new());
        assert_eq!(e.unwrap_err().at(), Some((2, 9)));
    }
}
