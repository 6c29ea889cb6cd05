//! The folder watch: file events, debounced, make the reload thread scan the
//! folder again, off the request path.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use super::policies::{Change, Folder};

enum Signal {
    /// Something changed under the folder (or the watch reported an error).
    Changed(DebounceEventResult),
    Stop,
}

/// The running watch and reload thread.
pub(crate) struct Watch {
    debouncer: Debouncer<notify::RecommendedWatcher>,
    signals: mpsc::Sender<Signal>,
    thread: std::thread::JoinHandle<()>,
}

/// Watch `dir` and rescan `folder` after each quiet spell of `debounce`.
pub(crate) fn start(
    dir: &Path,
    mut folder: Folder,
    debounce: Duration,
) -> Result<Watch, notify::Error> {
    let (signals, received) = mpsc::channel();
    let events = signals.clone();
    let mut debouncer = new_debouncer(debounce, move |r| {
        let _ = events.send(Signal::Changed(r));
    })?;
    debouncer.watcher().watch(dir, RecursiveMode::Recursive)?;
    let thread = std::thread::Builder::new()
        .name("vouch-reload".into())
        .stack_size(crate::syntax::nesting::STACK_SIZE)
        .spawn(move || {
            // An edit made between the first load and the watch's start.
            report(&folder.scan());
            while let Ok(Signal::Changed(result)) = received.recv() {
                if let Err(e) = result {
                    tracing::warn!(error = %e, "the folder watch reported an error; scanning again");
                }
                // Events that queued meanwhile are covered by this scan.
                loop {
                    match received.try_recv() {
                        Ok(Signal::Changed(_)) => continue,
                        Ok(Signal::Stop) => return,
                        Err(_) => break,
                    }
                }
                report(&folder.scan());
            }
        })
        .map_err(notify::Error::io)?;
    Ok(Watch {
        debouncer,
        signals,
        thread,
    })
}

fn report(changes: &[(String, Change)]) {
    for (file, change) in changes {
        match change {
            Change::Removed => {
                tracing::info!(file = %file, "policy file removed; its policy is unloaded")
            }
            Change::Loaded | Change::Refused => {}
        }
    }
}

impl Watch {
    /// Stop watching and wait for the reload thread.
    pub(crate) fn stop(self) {
        let _ = self.signals.send(Signal::Stop);
        drop(self.debouncer);
        let _ = self.thread.join();
    }
}
