//! A progress bar with rate and ETA on standard error, when it is a terminal
//! and the decisions go elsewhere (a file or a pipe).
//!
//! For a file the bar measures bytes read against the file's size, which
//! gives the ETA; standard input has no size, so it shows a spinner with the
//! count and the rate.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    cases: AtomicU64,
}

impl Progress {
    /// For output written as the input is read: no bar when the output is
    /// the terminal too, as the bar would draw over it.
    pub fn new(path: &Path) -> Progress {
        Progress::shown(path, !std::io::stdout().is_terminal())
    }

    /// For a report written once the input is all read (and the bar cleared).
    pub fn before_report(path: &Path) -> Progress {
        Progress::shown(path, true)
    }

    fn shown(path: &Path, output_allows: bool) -> Progress {
        if !std::io::stderr().is_terminal() || !output_allows {
            return Progress {
                bar: None,
                cases: AtomicU64::new(0),
            };
        }
        let size = if path.as_os_str() == "-" {
            0
        } else {
            std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
        };
        let bar = if size > 0 {
            let b = ProgressBar::new(size);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {percent:>3}%  {msg}  eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b
        } else {
            let b = ProgressBar::new_spinner();
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b
        };
        Progress {
            bar: Some(bar),
            cases: AtomicU64::new(0),
        }
    }

    /// `cases` more cases decided, from `bytes` more bytes of input.
    pub fn advance(&self, cases: u64, bytes: u64) {
        let Some(b) = &self.bar else { return };
        let done = self.cases.fetch_add(cases, Ordering::Relaxed) + cases;
        b.inc(bytes);
        let secs = b.elapsed().as_secs_f64().max(1e-3);
        b.set_message(format!("{done} cases, {:.0} cases/s", done as f64 / secs));
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
