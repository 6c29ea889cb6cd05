// The vouch extension: starts `vouch lsp` and hands it `.vouch` policies
// and their `*.test.json` files. Everything else is the server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate() {
  const config = vscode.workspace.getConfiguration("vouch");
  const command = config.get("path") || "vouch";
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  const serverOptions = { run, debug: run };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "vouch" },
      { scheme: "file", pattern: "**/*.test.json" },
    ],
    // The server reads `vouch.toml` again when it changes; the watcher
    // tells it at once rather than at the next edit.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/vouch.toml"),
    },
    initializationOptions: {
      debounceMs: config.get("debounceMs"),
      lintDocs: config.get("lintDocs") || undefined,
      formatWidth: config.get("formatWidth"),
    },
  };
  client = new LanguageClient("vouch", "vouch", serverOptions, clientOptions);
  // The server's command `vouch.runCase` (a test case's code lens) is
  // registered by the client from the server's capabilities.
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
