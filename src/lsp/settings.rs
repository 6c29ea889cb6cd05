//! `vouch.toml` for the language server: found from each policy upward, as
//! `vouch check` finds it, and read again when the file changes (a cache
//! keyed by its path, modification time and length).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{Config, ConfigError, FILE_NAME};

/// A `vouch.toml` that cannot be used.
#[derive(Debug)]
pub struct Broken {
    /// The file.
    pub file: PathBuf,
    /// What `vouch check` says about it.
    pub error: ConfigError,
}

/// Which version of which `vouch.toml` an analysis was made with.
pub type Stamp = Option<(PathBuf, Option<SystemTime>, u64)>;

/// What applies to one policy file.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub stamp: Stamp,
    /// The configuration, when there is one and it reads.
    pub config: Option<Arc<Config>>,
    /// The configuration, when there is one and it does not read.
    pub broken: Option<Arc<Broken>>,
    /// Whether `[files] skip` leaves the file out.
    pub skipped: bool,
}

impl Settings {
    /// The folder `check --sources` would read.
    pub fn sources(&self) -> Option<&Path> {
        self.config.as_ref().and_then(|c| c.sources.as_deref())
    }

    /// The width `vouch fmt` wraps at.
    pub fn width(&self) -> Option<usize> {
        self.config.as_ref().and_then(|c| c.width)
    }
}

struct Cached {
    modified: Option<SystemTime>,
    len: u64,
    loaded: Result<Arc<Config>, Arc<Broken>>,
}

/// Every `vouch.toml` read so far, by path.
#[derive(Default)]
pub struct Configs {
    cache: HashMap<PathBuf, Cached>,
}

impl Configs {
    /// The settings of the policy at `path`: those of the nearest
    /// `vouch.toml` in its folder or above.
    pub fn for_file(&mut self, path: &Path) -> Settings {
        let Some(file) = nearest(path) else {
            return Settings::default();
        };
        let meta = std::fs::metadata(&file).ok();
        let modified = meta.as_ref().and_then(|m| m.modified().ok());
        let len = meta.as_ref().map_or(0, |m| m.len());
        let fresh = self
            .cache
            .get(&file)
            .is_some_and(|c| c.modified == modified && c.len == len && modified.is_some());
        if !fresh {
            let loaded = Config::read(&file).map(Arc::new).map_err(|error| {
                Arc::new(Broken {
                    file: file.clone(),
                    error,
                })
            });
            self.cache.insert(
                file.clone(),
                Cached {
                    modified,
                    len,
                    loaded,
                },
            );
        }
        let cached = &self.cache[&file];
        let (config, broken) = match &cached.loaded {
            Ok(c) => (Some(c.clone()), None),
            Err(b) => (None, Some(b.clone())),
        };
        Settings {
            skipped: config.as_ref().is_some_and(|c| c.skips(path)),
            stamp: Some((file, modified, len)),
            config,
            broken,
        }
    }
}

/// The nearest `vouch.toml` in the folder of `path` or above it.
fn nearest(path: &Path) -> Option<PathBuf> {
    let mut dir = path.parent();
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}
