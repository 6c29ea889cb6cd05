// The extension's client without VS Code: `extension.js` is loaded with
// `vscode` and `vscode-languageclient/node` stubbed, and must start
// `vouch lsp` over standard input and output for `.vouch` policies and
// `*.test.json` files. When a built `vouch` is at hand (`VOUCH=path`, or
// the repository's target/debug/vouch), the command it would start is run
// and must answer `initialize`.
"use strict";

const assert = require("assert");
const fs = require("fs");
const path = require("path");
const Module = require("module");
const { spawn } = require("child_process");

const EXTENSION = path.join(__dirname, "..");
const REPOSITORY = path.join(EXTENSION, "..", "..");

// vscode-languageclient's values: TransportKind.stdio is 0.
const TransportKind = { stdio: 0, ipc: 1, pipe: 2, socket: 3 };

function load(settings) {
  const seen = { clients: [] };
  const vscode = {
    workspace: {
      getConfiguration: (section) => {
        assert.strictEqual(section, "vouch");
        return { get: (key) => settings[key] };
      },
      createFileSystemWatcher: (glob) => ({ glob }),
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      this.args = { id, name, serverOptions, clientOptions };
      this.started = false;
      seen.clients.push(this);
    }
    start() {
      this.started = true;
      return Promise.resolve();
    }
    stop() {
      this.stopped = true;
      return Promise.resolve();
    }
  }
  const stubs = {
    vscode,
    "vscode-languageclient/node": { LanguageClient, TransportKind },
  };
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return Object.prototype.hasOwnProperty.call(stubs, request)
      ? stubs[request]
      : original.call(this, request, ...rest);
  };
  try {
    const main = require.resolve(path.join(EXTENSION, require(path.join(EXTENSION, "package.json")).main));
    delete require.cache[main];
    seen.extension = require(main);
  } finally {
    Module._load = original;
  }
  return seen;
}

function checkManifest() {
  const manifest = require(path.join(EXTENSION, "package.json"));
  const language = manifest.contributes.languages.find((l) => l.id === "vouch");
  assert.ok(language && language.extensions.includes(".vouch"), "`.vouch` files are vouch");
  const grammar = manifest.contributes.grammars.find((g) => g.language === "vouch");
  assert.ok(fs.existsSync(path.join(EXTENSION, grammar.path)), "the grammar file exists");
  const configuration = JSON.parse(fs.readFileSync(path.join(EXTENSION, language.configuration), "utf8"));
  assert.strictEqual(configuration.comments.lineComment, "#");
  assert.ok(configuration.brackets.some(([open, close]) => open === "{" && close === "}"));
}

function checkClient() {
  const seen = load({});
  seen.extension.activate({ subscriptions: [] });
  assert.strictEqual(seen.clients.length, 1, "one language client");
  const client = seen.clients[0];
  assert.ok(client.started, "the client is started");
  const { serverOptions, clientOptions } = client.args;
  for (const run of [serverOptions.run, serverOptions.debug]) {
    assert.strictEqual(run.command, "vouch", "`vouch` from PATH by default");
    assert.deepStrictEqual(run.args, ["lsp"]);
    assert.strictEqual(run.transport, TransportKind.stdio, "over standard input and output");
  }
  const selector = clientOptions.documentSelector;
  assert.ok(selector.some((s) => s.language === "vouch"), "policies go to the server");
  assert.ok(selector.some((s) => s.pattern === "**/*.test.json"), "test files go to the server");
  assert.strictEqual(clientOptions.synchronize.fileEvents.glob, "**/vouch.toml");
  seen.extension.deactivate();
  assert.ok(client.stopped, "the client stops with the extension");

  // `vouch.path` names another binary.
  const other = load({ path: "/opt/vouch/bin/vouch", debounceMs: 5 });
  other.extension.activate({ subscriptions: [] });
  const options = other.clients[0].args;
  assert.strictEqual(options.serverOptions.run.command, "/opt/vouch/bin/vouch");
  assert.strictEqual(options.clientOptions.initializationOptions.debounceMs, 5);
  return serverOptions.run;
}

// Run the command the client would start, and say `initialize` to it.
function handshake(run, binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, run.args, { stdio: ["pipe", "pipe", "ignore"] });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error("`vouch lsp` did not answer within 10 s"));
    }, 10000);
    let buffer = Buffer.alloc(0);
    child.stdout.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const text = buffer.toString("utf8");
      const header = text.indexOf("\r\n\r\n");
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(text)[1]);
      const body = buffer.subarray(Buffer.byteLength(text.slice(0, header + 4)));
      if (body.length < length) return;
      const answer = JSON.parse(body.subarray(0, length).toString("utf8"));
      clearTimeout(timer);
      send({ jsonrpc: "2.0", id: 2, method: "shutdown" });
      send({ jsonrpc: "2.0", method: "exit" });
      child.on("exit", () => resolve(answer));
    });
    child.on("error", reject);
    function send(message) {
      const body = JSON.stringify(message);
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, capabilities: {} } });
  });
}

async function main() {
  checkManifest();
  const run = checkClient();
  console.log("client: starts `vouch lsp` over stdio for .vouch and *.test.json files");
  const binary = process.env.VOUCH || path.join(REPOSITORY, "target", "debug", "vouch");
  if (fs.existsSync(binary)) {
    const answer = await handshake(run, binary);
    assert.strictEqual(answer.result.serverInfo.name, "vouch");
    assert.ok(answer.result.capabilities.hoverProvider);
    console.log(`client: ${path.relative(REPOSITORY, binary) || binary} ${run.args.join(" ")} answers initialize`);
  } else {
    console.log(`client: no ${binary}, so the server itself was not started (set VOUCH=path)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
