//! The exit status of every command, in one table (README, "Exit status",
//! and each command's `--help`).

use std::process::ExitCode;

/// The exit statuses, one table for every command, as each command's
/// `--help` and the README ("Exit status") show it.
pub(crate) const TABLE: &str = "\
Exit status, the same for every command:
  0  done, and nothing to report
  1  done, and something to report: a finding at or above --fail-level (check); a failed
     case, a file with no cases, or coverage below --coverage-min (test); a changed
     decision (diff); a file that would change (fmt --check, --diff); a JSONL line that
     could not be read, or a decision whose outcome is `error` (eval, with --facts or
     --facts-jsonl alike)
  2  an input could not be read or an output not written: a policy that does not load,
     facts that cannot be read (eval --facts), a file or folder, no file to work on;
     or the server could not start or failed (serve)";

/// What a command's exit status says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: the command did its work and has nothing to report.
    Success,
    /// 1: the command did its work and reports something: findings at or
    /// above `--fail-level`, a failed test case, a changed decision, a line
    /// or decision that could not be decided.
    Reported,
    /// 2: an input could not be read (a policy that does not load, facts,
    /// a file or folder), or the output could not be written.
    Unreadable,
}

impl Exit {
    /// The status as a number.
    pub(crate) fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Reported => 1,
            Exit::Unreadable => 2,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}
