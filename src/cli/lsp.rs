//! `vouch lsp`: the language server, over standard input and output.

use clap::Args;

#[derive(Args, Debug)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> u8 {
    match crate::lsp::run_stdio() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: the language server stopped: {e}");
            2
        }
    }
}
