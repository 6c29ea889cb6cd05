//! A progress bar with rate and ETA on standard error, when it is a terminal.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(path: &Path) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let bar = if size > 0 {
            let b = ProgressBar::new(size);
            b.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {percent}%  {msg}  eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b
        } else {
            ProgressBar::new_spinner()
        };
        Progress { bar: Some(bar) }
    }

    pub fn advance(&self, cases: u64, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
            let done = b.position();
            let secs = b.elapsed().as_secs_f64().max(1e-3);
            let _ = cases;
            b.set_message(format!("{:.1} MB/s", done as f64 / secs / 1e6));
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
