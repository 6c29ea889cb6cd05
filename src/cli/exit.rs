//! The exit status of every command, in one table (README, "Exit status",
//! and each command's `--help`).

use std::process::ExitCode;

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
