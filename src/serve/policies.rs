//! The policies of a folder: loaded at start, loaded again when a file
//! changes, and published to the request handlers as one snapshot swapped
//! atomically.
//!
//! Only the reload thread changes a [`Folder`]; handlers read the
//! [`Snapshot`] it publishes. A request takes one `Arc` of the policy it
//! needs, so it is decided wholly by the version it took, whatever is
//! swapped in meanwhile.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value as Json};

use super::metrics::{Metrics, OutcomeCounters};
use crate::diagnostic::{Finding, Level};
use crate::engine::{text_hash, Policy};
use crate::output::report::{self, Format, Run, Unreadable};
use crate::source::{SourceFile, Span};

/// A policy being served, and where it came from.
pub(crate) struct Served {
    pub policy: Policy,
    pub file: String,
    pub loaded_at: DateTime<Utc>,
    pub counters: OutcomeCounters,
}

/// Why the last edit of a file was refused: `vouch check`'s findings.
#[derive(Clone, Debug)]
pub(crate) struct Refusal {
    pub at: DateTime<Utc>,
    /// The first error's message, for one-line summaries.
    pub message: String,
    /// The findings as `vouch check --format plain` prints them.
    pub text: String,
    /// The findings as `vouch check --format json` lists them.
    pub findings: Json,
}

impl Refusal {
    pub(crate) fn json(&self) -> Json {
        json!({
            "at": self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "message": self.message,
            "diagnostics": self.text,
            "findings": self.findings,
        })
    }
}

/// One policy file: the version served (the last good one) and the last
/// refusal, if the file on disk is not that version.
#[derive(Clone)]
pub(crate) struct FileStatus {
    pub file: String,
    pub served: Option<Arc<Served>>,
    pub error: Option<Refusal>,
}

/// What the handlers see: the policies by id, and every file's status.
#[derive(Default)]
pub(crate) struct Snapshot {
    pub by_id: HashMap<String, Arc<Served>>,
    pub files: Vec<FileStatus>,
}

impl Snapshot {
    /// `GET /v1/policies`.
    pub(crate) fn policies_json(&self) -> Json {
        let policies: Vec<Json> = (self.files.iter())
            .map(|f| {
                let served = f.served.as_deref();
                json!({
                    "id": served.map(|s| s.policy.id()),
                    "file": f.file,
                    "policy_hash": served.map(|s| s.policy.hash()),
                    "loaded_at": served.map(|s| s.loaded_at.to_rfc3339_opts(SecondsFormat::Millis, true)),
                    "error": f.error.as_ref().map(Refusal::json),
                })
            })
            .collect();
        json!({ "policies": policies })
    }

    /// `GET /health`: `ok` while every file on disk is the version served.
    pub(crate) fn health_json(&self) -> Json {
        let refused: Vec<Json> = (self.files.iter())
            .filter_map(|f| {
                let e = f.error.as_ref()?;
                Some(json!({
                    "file": f.file,
                    "id": f.served.as_deref().map(|s| s.policy.id()),
                    "error": e.message,
                    "diagnostics": e.text,
                }))
            })
            .collect();
        let status = if refused.is_empty() { "ok" } else { "degraded" };
        let mut health = json!({ "status": status, "policies": self.by_id.len() });
        if !refused.is_empty() {
            health["refused"] = Json::Array(refused);
        }
        health
    }
}

/// What one file came to in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Loaded,
    Refused,
    Removed,
}

/// A file as the reload thread knows it.
struct Entry {
    /// The hash of the text last read, to skip files that did not change.
    seen: Option<String>,
    served: Option<Arc<Served>>,
    error: Option<Refusal>,
    /// Refused for an id another file serves: tried again on every scan,
    /// since that file may go away.
    duplicate: bool,
}

/// The policies of one folder, kept by the reload thread.
pub(crate) struct Folder {
    dir: PathBuf,
    /// `--sources`: the folder of the cited source files, over any
    /// `vouch.toml`'s.
    sources: Option<PathBuf>,
    entries: BTreeMap<PathBuf, Entry>,
    pub(crate) snapshot: Arc<ArcSwap<Snapshot>>,
    metrics: Arc<Metrics>,
}

impl Folder {
    pub(crate) fn new(dir: PathBuf, sources: Option<PathBuf>, metrics: Arc<Metrics>) -> Folder {
        Folder {
            dir,
            sources,
            entries: BTreeMap::new(),
            snapshot: Arc::new(ArcSwap::from_pointee(Snapshot::default())),
            metrics,
        }
    }

    /// Read the folder again: load new and changed files, unload removed
    /// ones, publish the result. Returns what changed, by file.
    pub(crate) fn scan(&mut self) -> Vec<(String, Change)> {
        let mut on_disk = Vec::new();
        if let Err(e) = policy_files(&self.dir, &mut on_disk) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot list the policy folder");
            return Vec::new();
        }
        on_disk.sort();
        let mut changes = Vec::new();
        let gone: Vec<PathBuf> = (self.entries.keys())
            .filter(|p| on_disk.binary_search(p).is_err())
            .cloned()
            .collect();
        for path in gone {
            self.entries.remove(&path);
            changes.push((path.display().to_string(), Change::Removed));
        }
        for path in on_disk {
            if let Some(change) = self.refresh(&path) {
                changes.push((path.display().to_string(), change));
            }
        }
        for (_, change) in &changes {
            match change {
                Change::Refused => self.metrics.refused.inc(),
                Change::Loaded | Change::Removed => self.metrics.reloads.inc(),
            }
        }
        if !changes.is_empty() {
            self.publish();
        }
        changes
    }

    /// Load one file again if its text changed; what came of it.
    fn refresh(&mut self, path: &Path) -> Option<Change> {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            // Gone since the listing: the next scan removes it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                let unreadable = Unreadable {
                    path: name.clone(),
                    error: e.to_string(),
                };
                let refusal = refusal(&[], &[unreadable]);
                return self.refuse(path, None, refusal, false);
            }
        };
        let hash = text_hash(&text);
        let entry = self.entries.get(path);
        if entry.is_some_and(|e| e.seen.as_ref() == Some(&hash) && !e.duplicate) {
            return None;
        }
        let source = SourceFile::new(name.clone(), text);
        // The findings `vouch check` gives the file: its `vouch.toml`'s
        // levels, and the quotes checked against the sources folder.
        let config = match crate::config::Config::find(path) {
            Ok(c) => c.unwrap_or_default(),
            Err(e) => {
                let unreadable = Unreadable {
                    path: name.clone(),
                    error: e.to_string(),
                };
                return self.refuse(path, Some(hash), refusal(&[], &[unreadable]), false);
            }
        };
        let sources = self.sources.as_deref().or(config.sources.as_deref());
        let findings = config.apply(crate::diagnose_with_sources(&source, sources));
        if findings.iter().any(|f| f.level == Level::Error) {
            return self.refuse(path, Some(hash), refusal(&findings, &[]), false);
        }
        let policy = match Policy::load(source.clone()) {
            Ok(p) => p,
            Err(e) => {
                let findings = load_findings(&source, e);
                return self.refuse(path, Some(hash), refusal(&findings, &[]), false);
            }
        };
        if let Some(other) = self.serving(policy.id(), path) {
            let finding = duplicate(&source, policy.id(), &other);
            return self.refuse(path, Some(hash), refusal(&[finding], &[]), true);
        }
        for f in &findings {
            tracing::warn!(file = %name, code = f.code, message = %f.message, "policy finding");
        }
        let served = Served {
            counters: self.metrics.counters(&policy),
            policy,
            file: name,
            loaded_at: Utc::now(),
        };
        tracing::info!(file = %served.file, id = served.policy.id(), hash = served.policy.hash(), "policy loaded");
        self.entries.insert(
            path.to_path_buf(),
            Entry {
                seen: Some(hash),
                served: Some(Arc::new(served)),
                error: None,
                duplicate: false,
            },
        );
        Some(Change::Loaded)
    }

    /// Keep the last good version of a file and record why the edit was refused.
    fn refuse(
        &mut self,
        path: &Path,
        hash: Option<String>,
        refusal: Refusal,
        duplicate: bool,
    ) -> Option<Change> {
        let entry = self.entries.entry(path.to_path_buf()).or_insert(Entry {
            seen: None,
            served: None,
            error: None,
            duplicate: false,
        });
        // The same text refused again: a duplicate id tried once more.
        let again = entry.error.is_some() && hash.is_some() && entry.seen == hash;
        entry.seen = hash;
        entry.duplicate = duplicate;
        if again {
            entry.error = Some(refusal);
            return None;
        }
        tracing::warn!(
            file = %path.display(),
            error = %refusal.message,
            diagnostics = %refusal.text,
            "policy edit refused; the last good version keeps serving"
        );
        entry.error = Some(refusal);
        Some(Change::Refused)
    }

    /// The file, other than `path`, that serves the policy `id`.
    fn serving(&self, id: &str, path: &Path) -> Option<String> {
        self.entries.iter().find_map(|(p, e)| {
            let s = e.served.as_ref()?;
            (p != path && s.policy.id() == id).then(|| s.file.clone())
        })
    }

    fn publish(&self) {
        let mut snapshot = Snapshot::default();
        for e in self.entries.values() {
            if let Some(s) = &e.served {
                snapshot.by_id.insert(s.policy.id().to_string(), s.clone());
            }
        }
        snapshot.files = (self.entries.iter())
            .map(|(p, e)| FileStatus {
                file: p.display().to_string(),
                served: e.served.clone(),
                error: e.error.clone(),
            })
            .collect();
        self.metrics.policies.set(snapshot.by_id.len() as i64);
        self.snapshot.store(Arc::new(snapshot));
    }
}

/// Every `*.vouch` file under a folder.
fn policy_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            policy_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "vouch") {
            out.push(path);
        }
    }
    Ok(())
}

/// A load error as findings, the way `vouch check` shows it.
fn load_findings(source: &SourceFile, e: crate::LoadError) -> Vec<Finding> {
    match e {
        crate::LoadError::Check { errors, .. } => errors,
        crate::LoadError::Parse { errors, .. } => errors
            .iter()
            .map(|e| {
                let start = e.span.offset();
                let span = Span::new(start, start + e.span.len());
                let mut f = Finding::new(source, "vouch::parse::syntax", span, &e.message);
                f.label(&e.label);
                f.help = e.help.clone();
                f
            })
            .collect(),
    }
}

/// Two files declare one policy id.
fn duplicate(source: &SourceFile, id: &str, other: &str) -> Finding {
    let declared = source.text.find(&format!("policy {id}"));
    let span = declared.map_or(Span::new(0, 0), |at| {
        let start = at + "policy ".len();
        Span::new(start, start + id.len())
    });
    let message = format!("the policy id `{id}` is already served from `{other}`");
    let mut f = Finding::new(source, "vouch::serve::duplicate_id", span, message);
    f.label("this id")
        .help("give each policy file its own id; the file that had the id first keeps it");
    f
}

/// The findings of a refused edit, in `vouch check`'s plain and JSON forms.
pub(crate) fn refusal(findings: &[Finding], unreadable: &[Unreadable]) -> Refusal {
    let run = Run {
        files: 1,
        findings,
        unreadable,
    };
    let text = report::render(Format::Plain, &run, false);
    let json: Json =
        serde_json::from_str(&report::render(Format::Json, &run, false)).unwrap_or(Json::Null);
    let message = (findings.iter().find(|f| f.level == Level::Error))
        .map(|f| format!("{}: {}", f.code, f.message))
        .or_else(|| {
            unreadable
                .first()
                .map(|u| format!("cannot read: {}", u.error))
        })
        .unwrap_or_default();
    Refusal {
        at: Utc::now(),
        message,
        text,
        findings: json["findings"].clone(),
    }
}
