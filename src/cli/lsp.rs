//! `vouch lsp`: the language server, over standard input and output.

use clap::Args;

use super::Exit;

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> Exit {
    match crate::lsp::run_stdio() {
        Ok(()) => Exit::Success,
        Err(e) => {
            eprintln!("error: the language server stopped: {e}");
            Exit::Unreadable
        }
    }
}
