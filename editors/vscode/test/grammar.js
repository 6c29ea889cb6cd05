// The TextMate grammar over every shipped policy (rules/**/*.vouch), with
// the same tokenizer VS Code uses (vscode-textmate on vscode-oniguruma):
// keywords, comments, strings, money, percents and durations must get
// their scopes. Each is found here by a small scanner of its own, not by
// the grammar, so that a wrong pattern shows.
"use strict";

const assert = require("assert");
const fs = require("fs");
const path = require("path");
const oniguruma = require("vscode-oniguruma");
const vsctm = require("vscode-textmate");

const EXTENSION = path.join(__dirname, "..");
const REPOSITORY = path.join(EXTENSION, "..", "..");
const GRAMMAR = path.join(EXTENSION, "syntaxes", "vouch.tmLanguage.json");

// Words that are keywords wherever they stand alone (not in a dotted path).
const KEYWORDS = [
  "policy", "enum", "facts", "param", "decision", "calendar", "source",
  "if", "then", "else", "let", "when", "require", "any", "every", "as", "cite",
  "and", "or", "not", "in", "is", "exists",
];

// What is expected where: a regular expression over the code of a line
// (strings and comments blanked out) and the scope its first character gets.
const LITERALS = [
  { what: "money", re: /[¥￥]\d+(?:\.\d+)?/g, scope: "constant.numeric.money.vouch" },
  { what: "percent", re: /\b\d+(?:\.\d+)?%/g, scope: "constant.numeric.percent.vouch" },
  { what: "duration", re: /\b(?:\d+mo|(?:\d+[dhms])+)\b/g, scope: "constant.numeric.duration.vouch" },
];

function policies(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...policies(full));
    else if (entry.name.endsWith(".vouch")) out.push(full);
  }
  return out.sort();
}

// Where the strings and the comment of a line are, by a scanner that knows
// only quotes and `#`.
function scan(line) {
  const strings = [];
  let comment = null;
  let open = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (open !== null) {
      if (c === '"') {
        strings.push([open, i + 1]);
        open = null;
      }
    } else if (c === '"') {
      open = i;
    } else if (c === "#") {
      comment = i;
      break;
    }
  }
  // Code only: strings and the comment blanked out, offsets kept.
  let code = line.slice(0, comment === null ? line.length : comment);
  for (const [a, b] of strings) code = code.slice(0, a) + " ".repeat(b - a) + code.slice(b);
  code = code.padEnd(line.length, " ");
  return { strings, comment, code };
}

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.vouch"
        ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR)
        : null,
  });
  return registry.loadGrammar("source.vouch");
}

async function main() {
  const grammar = await loadGrammar();
  assert.ok(grammar, "the grammar loads");
  const files = policies(path.join(REPOSITORY, "rules"));
  assert.ok(files.length > 0, "shipped policies under rules/");
  const counts = { keyword: 0, comment: 0, string: 0, money: 0, percent: 0, duration: 0 };
  const failures = [];
  for (const file of files) {
    const name = path.relative(REPOSITORY, file);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    let stack = vsctm.INITIAL;
    lines.forEach((line, n) => {
      const result = grammar.tokenizeLine(line, stack);
      stack = result.ruleStack;
      const scopesAt = (i) => {
        const t = result.tokens.find((t) => t.startIndex <= i && i < t.endIndex);
        return t ? t.scopes : [];
      };
      const expect = (kind, i, ok, wanted) => {
        counts[kind]++;
        const scopes = scopesAt(i);
        if (!ok(scopes)) {
          failures.push(`${name}:${n + 1}:${i + 1}: ${kind} \`${line.slice(i, i + 12)}…\` should be ${wanted}, is ${scopes.join(" ")}`);
        }
      };
      const { strings, comment, code } = scan(line);
      if (comment !== null) {
        expect("comment", comment, (s) => s.includes("comment.line.number-sign.vouch"), "a comment");
        expect("comment", line.length - 1, (s) => s.includes("comment.line.number-sign.vouch"), "a comment to the end of the line");
      }
      for (const [a, b] of strings) {
        for (const i of [a, b - 1]) {
          expect("string", i, (s) => s.includes("string.quoted.double.vouch"), "a string");
        }
      }
      for (const m of code.matchAll(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/g)) {
        if (KEYWORDS.includes(m[0])) {
          expect("keyword", m.index, (s) => s.some((x) => x.startsWith("keyword.")), "a keyword");
        }
      }
      for (const { what, re, scope } of LITERALS) {
        for (const m of code.matchAll(re)) {
          expect(what, m.index, (s) => s.includes(scope), scope);
        }
      }
    });
  }
  for (const [kind, n] of Object.entries(counts)) {
    assert.ok(n > 0, `the shipped policies hold no ${kind} to check`);
  }
  if (failures.length > 0) {
    console.error(failures.join("\n"));
    process.exit(1);
  }
  const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
  console.log(`grammar: ${files.length} policies, ${summary}: every scope as expected`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
