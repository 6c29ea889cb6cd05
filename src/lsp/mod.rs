//! `vouch lsp`: a Language Server Protocol server over standard input and
//! output, for `.vouch` policies and their `*.test.json` files.
//!
//! Built on `lsp-server` and `lsp-types` (the scaffold and types
//! rust-analyzer uses): synchronous, a main loop over a channel, no async
//! runtime to build. Every answer reuses the engine: [`crate::diagnose`] for
//! diagnostics (the same findings as `vouch check`), the parser and checker
//! for names, [`crate::testing`] to run test cases. A handler that panics
//! answers an error and the server goes on.

mod actions;
mod analysis;
mod complete;
mod diagnostics;
mod hover;
mod index;
mod json;
mod navigate;
mod outline;
mod retest;
mod settings;
mod testfile;
mod text;
mod tokens;
mod uri;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{self as lsp, Uri};
use serde_json::Value as Json;

use analysis::Analysis;
use text::Encoding;

/// How long after the last change diagnostics wait, by default.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(20);

/// A request only a test sends: it panics, to show that the server survives.
const DEBUG_PANIC: &str = "vouch/debugPanic";
/// The environment variable that lets [`DEBUG_PANIC`] through.
const DEBUG_ENV: &str = "VOUCH_LSP_DEBUG";
/// The command a test case's code lens runs.
pub const RUN_CASE: &str = "vouch.runCase";

/// Serve one client over standard input and output until it exits.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    serve(connection)?;
    io.join().map_err(|e| e.to_string())
}

/// Serve one client over a connection until it exits.
pub fn serve(connection: Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| e.to_string())?;
    let encoding = negotiate_encoding(&params);
    let lens_refresh = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.code_lens.as_ref())
        .and_then(|c| c.refresh_support)
        .unwrap_or(false);
    let can_watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|c| c.dynamic_registration)
        .unwrap_or(false);
    let options = params.initialization_options.unwrap_or(Json::Null);
    let debounce = options
        .get("debounceMs")
        .and_then(Json::as_u64)
        .map_or(DEFAULT_DEBOUNCE, Duration::from_millis);
    let result = lsp::InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(lsp::ServerInfo {
            name: "vouch".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        sender: connection.sender.clone(),
        docs: HashMap::new(),
        encoding,
        debounce,
        due: HashMap::new(),
        lint_docs: options
            .get("lintDocs")
            .and_then(Json::as_str)
            .map(str::to_string),
        format_width: options
            .get("formatWidth")
            .and_then(Json::as_u64)
            .map(|w| w as usize),
        debug: std::env::var_os(DEBUG_ENV).is_some(),
        lens_refresh,
        next_request: 0,
        configs: settings::Configs::default(),
    };
    if can_watch {
        server.watch_configs();
    }
    server.main_loop(&connection)
}

fn negotiate_encoding(params: &lsp::InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    use lsp::*;
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), " ".into()]),
            ..Default::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![RUN_CASE.into()],
            work_done_progress_options: Default::default(),
        }),
        ..Default::default()
    }
}

/// What kind of file a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Policy,
    Tests,
    Other,
}

/// An open document: its text as the editor has it, analysed on demand.
pub(crate) struct Document {
    pub uri: Uri,
    pub text: String,
    pub version: i32,
    pub kind: FileKind,
    analysis: Option<Arc<Analysis>>,
    /// The last analysis of a text where every item parsed: what completion
    /// falls back on while the author is mid-way through a rule.
    last_good: Option<Arc<Analysis>>,
}

pub(crate) struct Server {
    sender: crossbeam_channel::Sender<Message>,
    /// Open documents by URI.
    docs: HashMap<String, Document>,
    encoding: Encoding,
    debounce: Duration,
    /// Documents whose diagnostics are due, and when.
    due: HashMap<String, Instant>,
    /// Where the lints are documented, if the client said.
    lint_docs: Option<String>,
    /// The width `vouch fmt` wraps at, if the client said.
    format_width: Option<usize>,
    debug: bool,
    /// Whether the client can be asked to fetch code lenses again.
    lens_refresh: bool,
    /// The id of the last request the server sent the client.
    next_request: i32,
    /// The `vouch.toml` files read so far.
    configs: settings::Configs,
}

/// A handler's answer.
type Answer = Result<Json, (ErrorCode, String)>;

fn invalid(e: impl std::fmt::Display) -> (ErrorCode, String) {
    (ErrorCode::InvalidParams, e.to_string())
}

impl Server {
    fn main_loop(&mut self, connection: &Connection) -> Result<(), String> {
        loop {
            let next_due = self.due.values().min().copied();
            let message = match next_due {
                Some(at) => match connection.receiver.recv_deadline(at) {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => {
                        self.publish_due();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                },
                None => match connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Message::Request(req) => {
                    if connection
                        .handle_shutdown(&req)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(req);
                    self.send(response.into());
                }
                Message::Notification(n) => {
                    if n.method == lsp::notification::Exit::METHOD {
                        return Ok(());
                    }
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        self.log(format!(
                            "the handler of `{method}` failed; the server goes on"
                        ));
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Ask the client to say when a `vouch.toml` changes.
    fn watch_configs(&mut self) {
        use lsp::request::Request as _;
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(format!("**/{}", crate::config::FILE_NAME)),
                kind: None,
            }],
        };
        let registration = lsp::Registration {
            id: crate::config::FILE_NAME.into(),
            method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let params = lsp::RegistrationParams {
            registrations: vec![registration],
        };
        self.next_request += 1;
        let id = RequestId::from(self.next_request);
        let method = lsp::request::RegisterCapability::METHOD.to_string();
        self.send(Request::new(id, method, params).into());
    }

    fn send(&self, message: Message) {
        // The client is gone when this fails; the main loop ends on its own.
        let _ = self.sender.send(message);
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params).into());
    }

    fn log(&self, message: String) {
        self.notify::<lsp::notification::LogMessage>(lsp::LogMessageParams {
            typ: lsp::MessageType::ERROR,
            message,
        });
    }

    /// Answer a request; a handler that panics answers an error.
    fn request(&mut self, req: Request) -> Response {
        let id: RequestId = req.id.clone();
        let method = req.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(req))) {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("vouch failed to answer `{method}`: {what}"),
                )
            }
        }
    }

    fn dispatch(&mut self, req: lsp_server::Request) -> Answer {
        use lsp::request::*;
        fn params<R: lsp::request::Request>(
            req: lsp_server::Request,
        ) -> Result<R::Params, (ErrorCode, String)> {
            serde_json::from_value(req.params).map_err(invalid)
        }
        fn ok(v: impl serde::Serialize) -> Answer {
            serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
        }
        match req.method.as_str() {
            HoverRequest::METHOD => ok(self.hover(params::<HoverRequest>(req)?)),
            GotoDefinition::METHOD => ok(self.definition(params::<GotoDefinition>(req)?)),
            References::METHOD => ok(self.references(params::<References>(req)?)),
            PrepareRenameRequest::METHOD => {
                ok(self.prepare_rename(params::<PrepareRenameRequest>(req)?)?)
            }
            Rename::METHOD => ok(self.rename(params::<Rename>(req)?)?),
            Completion::METHOD => ok(self.completion(params::<Completion>(req)?)),
            DocumentSymbolRequest::METHOD => {
                ok(self.document_symbols(params::<DocumentSymbolRequest>(req)?))
            }
            SemanticTokensFullRequest::METHOD => {
                ok(self.semantic_tokens(params::<SemanticTokensFullRequest>(req)?))
            }
            Formatting::METHOD => ok(self.formatting(params::<Formatting>(req)?)?),
            CodeActionRequest::METHOD => ok(self.code_actions(params::<CodeActionRequest>(req)?)),
            CodeLensRequest::METHOD => ok(self.code_lens(params::<CodeLensRequest>(req)?)),
            ExecuteCommand::METHOD => ok(self.execute_command(params::<ExecuteCommand>(req)?)?),
            DEBUG_PANIC if self.debug => panic!("a panic asked for by `{DEBUG_PANIC}`"),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("vouch does not answer `{other}`"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        use lsp::notification::*;
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let key = p.text_document.uri.as_str().to_string();
                let kind = file_kind(&p.text_document.uri, &p.text_document.language_id);
                self.docs.insert(
                    key.clone(),
                    Document {
                        uri: p.text_document.uri,
                        text: p.text_document.text,
                        version: p.text_document.version,
                        kind,
                        analysis: None,
                        last_good: None,
                    },
                );
                self.publish(&key);
                self.refresh_tests(&key);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let key = p.text_document.uri.as_str().to_string();
                let encoding = self.encoding;
                if let Some(doc) = self.docs.get_mut(&key) {
                    text::apply_changes(&mut doc.text, p.content_changes, encoding);
                    doc.version = p.text_document.version;
                    doc.analysis = None;
                    self.due.insert(key, Instant::now() + self.debounce);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                let toml = p
                    .changes
                    .iter()
                    .any(|c| c.uri.as_str().ends_with(crate::config::FILE_NAME));
                if toml {
                    // The analyses notice the new file; publish them again.
                    let now = Instant::now();
                    for (key, doc) in &self.docs {
                        if doc.kind == FileKind::Policy {
                            self.due.insert(key.clone(), now);
                        }
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let key = p.text_document.uri.as_str().to_string();
                self.docs.remove(&key);
                self.due.remove(&key);
                self.notify::<PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                    uri: p.text_document.uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
            }
            _ => {}
        }
    }

    /// Publish the diagnostics whose debounce has run out.
    fn publish_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<String> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for key in ready {
            self.due.remove(&key);
            let published = catch_unwind(AssertUnwindSafe(|| {
                self.publish(&key);
                self.refresh_tests(&key);
            }));
            if published.is_err() {
                self.log(format!(
                    "diagnostics for `{key}` failed; the server goes on"
                ));
            }
        }
    }

    /// Test files check against their policy: when a policy changes, so do
    /// the diagnostics of the open test files.
    fn refresh_tests(&mut self, key: &str) {
        if self.docs.get(key).map(|d| d.kind) != Some(FileKind::Policy) {
            return;
        }
        let tests: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.kind == FileKind::Tests)
            .map(|(k, _)| k.clone())
            .collect();
        let any = !tests.is_empty();
        for t in tests {
            self.publish(&t);
        }
        // The lenses show whether each case passes: the policy changed that.
        if any && self.lens_refresh {
            self.next_request += 1;
            let id = RequestId::from(self.next_request);
            let refresh = <lsp::request::CodeLensRefresh as lsp::request::Request>::METHOD;
            self.send(Request::new(id, refresh.to_string(), Json::Null).into());
        }
    }

    fn publish(&mut self, key: &str) {
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let (uri, version, kind) = (doc.uri.clone(), doc.version, doc.kind);
        let diagnostics = match kind {
            FileKind::Policy => {
                let Some(analysis) = self.analysis(key) else {
                    return;
                };
                let docs = diagnostics::lint_docs_base(self.lint_docs.as_deref(), &uri);
                diagnostics::of_policy(&analysis, &uri, docs.as_deref())
            }
            FileKind::Tests => testfile::diagnostics(self, key),
            FileKind::Other => return,
        };
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: Some(version),
        });
    }

    /// The analysis of an open policy, made when first asked for after a
    /// change of the text or of its `vouch.toml`.
    pub(crate) fn analysis(&mut self, key: &str) -> Option<Arc<Analysis>> {
        let encoding = self.encoding;
        let doc = self.docs.get(key)?;
        if doc.kind != FileKind::Policy {
            return None;
        }
        let path = uri::to_path(&doc.uri);
        let settings = path
            .as_deref()
            .map(|p| self.configs.for_file(p))
            .unwrap_or_default();
        let doc = self.docs.get_mut(key)?;
        if let Some(a) = &doc.analysis {
            if a.settings.stamp == settings.stamp {
                return Some(a.clone());
            }
        }
        let name = path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| doc.uri.as_str().to_string());
        let analysis = Arc::new(Analysis::new(&name, &doc.text, encoding, settings));
        if analysis.parsed {
            doc.last_good = Some(analysis.clone());
        }
        doc.analysis = Some(analysis.clone());
        Some(analysis)
    }

    /// The last analysis of a document where every item parsed, when its
    /// text now does not.
    pub(crate) fn last_good(&self, key: &str) -> Option<Arc<Analysis>> {
        let doc = self.docs.get(key)?;
        let now = doc.analysis.as_ref()?;
        doc.last_good
            .clone()
            .filter(|g| !now.parsed && !Arc::ptr_eq(g, now))
    }

    /// The analysis of the document a request names, and the offset of its position.
    pub(crate) fn at(
        &mut self,
        pos: &lsp::TextDocumentPositionParams,
    ) -> Option<(Arc<Analysis>, usize)> {
        let a = self.analysis(pos.text_document.uri.as_str())?;
        let offset = a.offset(pos.position);
        Some((a, offset))
    }
}

fn file_kind(uri: &Uri, language: &str) -> FileKind {
    let path = uri.as_str();
    if path.ends_with(".test.json") {
        FileKind::Tests
    } else if language == "vouch" || path.ends_with(".vouch") {
        FileKind::Policy
    } else {
        FileKind::Other
    }
}
