//! `vouch diff`: decide a corpus under two versions of a policy and report
//! every decision that changes, grouped by transition, with examples.

use super::Exit;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;

use clap::Args;

use crate::output::terminal::escape;
use serde_json::{json, Map, Value as Json};

use super::OutputFormat;
use crate::facts::{Decoder, Facts};
use crate::output::render;
use crate::program::Program;
use crate::stream::ordered;
use crate::testing::same;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The policy as it was.
    pub old: PathBuf,
    /// The policy as edited.
    pub new: PathBuf,
    /// The cases, one JSON object of facts per line; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub facts_jsonl: PathBuf,
    /// `text` (a report for people, the default) or `json` (for tools).
    #[arg(long, value_enum, hide_possible_values = true)]
    pub format: Option<OutputFormat>,
    /// Example cases shown for each change.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub examples: usize,
    /// Threads deciding the cases (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The key that names an example case: a dotted path into each line
    /// (`order.id`, `claim.number`). A line without it is named by the
    /// first section that has an `id`; every example keeps its line number.
    #[arg(long, value_name = "PATH", default_value = "order.id")]
    pub case_id: String,
}

/// One decision of one case under both versions.
struct Changed {
    decision: String,
    from: Json,
    to: Json,
}

/// Every case whose decision went from one outcome to another (or kept its
/// outcome with other fields).
struct Transition {
    decision: String,
    from: String,
    to: String,
    cases: usize,
    fields: Vec<String>,
    examples: Vec<(usize, Option<String>, Json, Json)>,
}

pub fn run(args: DiffArgs) -> Exit {
    let old = match super::eval::load_policy(&args.old) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let new = match super::eval::load_policy(&args.new) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let input = match open_input(&args.facts_jsonl) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let names = decision_names(&old, &new);
    let case_key: Vec<&str> = args.case_id.split('.').collect();
    let work = Compare {
        old: Decoder::new(&old),
        new: Decoder::new(&new),
        names: &names,
        case_key: &case_key,
    };
    let progress = super::progress::Progress::before_report(&args.facts_jsonl);
    let tally = Tally {
        examples: args.examples,
        progress: Some(&progress),
        ..Tally::default()
    };
    let tally = ordered::run(input, super::jobs(args.jobs), &work, tally);
    progress.finish();
    let tally = match tally {
        Ok(tally) => tally,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Unreadable;
        }
    };
    let Tally {
        mut transitions,
        cases,
        changed_cases,
        unreadable,
        ..
    } = tally;
    // Decisions in policy order; within one, changes of outcome first, the
    // most frequent first.
    transitions.sort_by_key(|t| {
        let order = names.iter().position(|n| *n == t.decision).unwrap_or(0);
        (order, t.from == t.to, std::cmp::Reverse(t.cases))
    });
    let text = match args.format.unwrap_or(OutputFormat::Text) {
        OutputFormat::Json => {
            let report = json!({
                "old": args.old.display().to_string(),
                "new": args.new.display().to_string(),
                "cases": cases,
                "changed_cases": changed_cases,
                "unreadable_lines": unreadable,
                "changes": transitions.iter().map(transition_json).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
        }
        OutputFormat::Text => {
            let text = report_text(&args, cases, changed_cases, unreadable, &transitions);
            crate::output::terminal::escape_text(&text, false).into_owned()
        }
    };
    if let Err(code) = super::print_out(&text) {
        return code;
    }
    if changed_cases > 0 {
        Exit::Reported
    } else {
        Exit::Success
    }
}

/// The corpus: a file, or standard input for `-`.
fn open_input(path: &std::path::Path) -> Result<Box<dyn Read + Send>, Exit> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    match std::fs::File::open(path) {
        Ok(f) => Ok(Box::new(f)),
        Err(e) => {
            let path = path.display().to_string();
            eprintln!("error: cannot read the facts `{}`: {e}", escape(&path));
            Err(Exit::Unreadable)
        }
    }
}

/// What the comparison has found so far.
#[derive(Default)]
struct Tally<'a> {
    transitions: Vec<Transition>,
    /// (decision, from, to) → index in `transitions`.
    by_key: HashMap<(String, String, String), usize>,
    cases: usize,
    changed_cases: usize,
    unreadable: usize,
    /// Example cases kept for each transition.
    examples: usize,
    /// Lines and bytes read, shown as they are compared.
    progress: Option<&'a super::progress::Progress>,
}

impl ordered::Consume<Chunk> for Tally<'_> {
    fn consume(&mut self, chunk: &mut Chunk) -> std::io::Result<()> {
        if let Some(p) = self.progress {
            p.advance(chunk.lines.len() as u64, chunk.bytes);
        }
        for line in chunk.lines.drain(..) {
            match line.changes {
                None => self.unreadable += 1,
                Some(changes) => self.record(line.n, line.id, changes),
            }
        }
        Ok(())
    }
}

impl Tally<'_> {
    /// Count one case that at least one version could read.
    fn record(&mut self, n: usize, id: Option<String>, changes: Vec<Changed>) {
        self.cases += 1;
        if changes.is_empty() {
            return;
        }
        self.changed_cases += 1;
        let examples = self.examples;
        for c in changes {
            let key = (c.decision.clone(), outcome(&c.from), outcome(&c.to));
            let transitions = &mut self.transitions;
            let t = *self.by_key.entry(key.clone()).or_insert_with(|| {
                transitions.push(Transition {
                    decision: key.0,
                    from: key.1,
                    to: key.2,
                    cases: 0,
                    fields: Vec::new(),
                    examples: Vec::new(),
                });
                transitions.len() - 1
            });
            let t = &mut self.transitions[t];
            t.cases += 1;
            for f in changed_fields(&c.from, &c.to) {
                if !t.fields.contains(&f) {
                    t.fields.push(f);
                }
            }
            if t.examples.len() < examples {
                t.examples.push((n, id.clone(), c.from, c.to));
            }
        }
    }
}

/// One line compared: its number, its case's name when something changed,
/// and the decisions that changed (`None` when neither version can read it).
struct Line {
    n: usize,
    id: Option<String>,
    changes: Option<Vec<Changed>>,
}

/// A chunk's lines compared, and the bytes they came from.
#[derive(Default)]
struct Chunk {
    lines: Vec<Line>,
    bytes: u64,
}

/// Decides each line under both versions, on the stream's workers.
struct Compare<'p> {
    old: Decoder<'p>,
    new: Decoder<'p>,
    names: &'p [String],
    /// The path of the key that names a case (`--case-id`).
    case_key: &'p [&'p str],
}

impl ordered::ChunkWork for Compare<'_> {
    type Worker = (Facts, Facts);
    type Done = Chunk;

    fn worker(&self) -> (Facts, Facts) {
        let facts = |d: &Decoder| Facts::empty(&d.program().facts);
        (facts(&self.old), facts(&self.new))
    }

    fn chunk(&self, facts: &mut (Facts, Facts), first: usize, bytes: &[u8], done: &mut Chunk) {
        done.lines.clear();
        done.bytes = bytes.len() as u64;
        for (n, line) in ordered::lines(bytes, first) {
            // Lines that are blank or not UTF-8 are unreadable cases, as
            // `vouch eval` reports them; the other lines are still compared.
            let text = std::str::from_utf8(line)
                .ok()
                .filter(|l| !l.trim().is_empty());
            let changes = text.and_then(|l| {
                let (old_facts, new_facts) = (&mut facts.0, &mut facts.1);
                compare_line(&self.old, &self.new, self.names, old_facts, new_facts, l)
            });
            let changed = changes.as_ref().is_some_and(|c| !c.is_empty());
            let id = text
                .filter(|_| changed)
                .and_then(|l| case_id(l, self.case_key));
            done.lines.push(Line { n, id, changes });
        }
    }
}

/// The decisions of both versions: the old one's order, then those added.
fn decision_names(old: &Program, new: &Program) -> Vec<String> {
    let mut names: Vec<String> = old.decisions.iter().map(|d| d.name.to_string()).collect();
    for d in &new.decisions {
        if !names.iter().any(|n| **n == *d.name) {
            names.push(d.name.to_string());
        }
    }
    names
}

/// Every decision of one case as the contract's JSON objects, by name; a
/// case this version cannot read gives `{"outcome": "error"}` for each.
fn decide(decoder: &Decoder, facts: &mut Facts, line: &str) -> Result<Map<String, Json>, String> {
    let program = decoder.program();
    decoder
        .decode_into(line, facts)
        .map_err(|e| e.to_string())?;
    let result = crate::eval::evaluate(program, facts, false);
    let mut out = Map::new();
    for (i, r) in result.decisions.iter().enumerate() {
        out.insert(
            program.decisions[i].name.to_string(),
            render::decision_json(program, i, r, false),
        );
    }
    Ok(out)
}

/// The decisions of a line that differ; `None` when neither version can read it.
fn compare_line(
    old: &Decoder,
    new: &Decoder,
    names: &[String],
    old_facts: &mut Facts,
    new_facts: &mut Facts,
    line: &str,
) -> Option<Vec<Changed>> {
    let before = decide(old, old_facts, line);
    let after = decide(new, new_facts, line);
    if before.is_err() && after.is_err() {
        return None;
    }
    let get = |side: &Result<Map<String, Json>, String>, name: &str| match side {
        Ok(m) => m.get(name).cloned(),
        Err(e) => Some(json!({"outcome": "error", "error": e})),
    };
    let mut changes = Vec::new();
    for name in names {
        let from = get(&before, name).unwrap_or_else(|| json!({"outcome": "(absent)"}));
        let to = get(&after, name).unwrap_or_else(|| json!({"outcome": "(absent)"}));
        if !same(&from, &to) {
            changes.push(Changed {
                decision: name.clone(),
                from,
                to,
            });
        }
    }
    Some(changes)
}

fn outcome(decision: &Json) -> String {
    decision
        .get("outcome")
        .and_then(Json::as_str)
        .unwrap_or("?")
        .to_string()
}

/// The fields other than `outcome` whose values differ, in order.
fn changed_fields(from: &Json, to: &Json) -> Vec<String> {
    let empty = Map::new();
    let from = from.as_object().unwrap_or(&empty);
    let to = to.as_object().unwrap_or(&empty);
    let mut out: Vec<String> = Vec::new();
    for k in from.keys().chain(to.keys()) {
        if k == "outcome" || out.contains(k) {
            continue;
        }
        let same_value = match (from.get(k), to.get(k)) {
            (Some(a), Some(b)) => same(a, b),
            _ => false,
        };
        if !same_value {
            out.push(k.clone());
        }
    }
    out
}

/// A name for a case in examples: the value at `key` in the line
/// (`order o-5`), else the `id` of the first section that has one.
fn case_id(line: &str, key: &[&str]) -> Option<String> {
    let v: Json = serde_json::from_str(line).ok()?;
    let text = |v: &Json| match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let at = key.iter().try_fold(&v, |v, k| v.get(k)).and_then(text);
    if let Some(id) = at {
        let named = key.split_last().map_or(&[][..], |(_, section)| section);
        return Some(if named.is_empty() {
            id
        } else {
            format!("{} {id}", named.join("."))
        });
    }
    v.as_object()?
        .iter()
        .find_map(|(section, fields)| Some(format!("{section} {}", text(fields.get("id")?)?)))
}

fn transition_json(t: &Transition) -> Json {
    json!({
        "decision": t.decision,
        "from": t.from,
        "to": t.to,
        "cases": t.cases,
        "fields": t.fields,
        "examples": t.examples.iter().map(|(line, id, from, to)| {
            let mut m = Map::new();
            m.insert("line".into(), json!(line));
            if let Some(id) = id {
                m.insert("case".into(), json!(id));
            }
            m.insert("old".into(), from.clone());
            m.insert("new".into(), to.clone());
            Json::Object(m)
        }).collect::<Vec<_>>(),
    })
}

/// A field's value in a line of text: strings bare, lists as `[a, b]`.
fn short(v: Option<&Json>) -> String {
    match v {
        None => "(absent)".into(),
        Some(Json::String(s)) => s.clone(),
        Some(Json::Array(items)) => {
            let items: Vec<String> = items.iter().map(|i| short(Some(i))).collect();
            format!("[{}]", items.join(", "))
        }
        Some(other) => other.to_string(),
    }
}

fn report_text(
    args: &DiffArgs,
    cases: usize,
    changed: usize,
    unreadable: usize,
    transitions: &[Transition],
) -> String {
    let mut out = format!(
        "{} → {}: {} cases, {} changed\n",
        args.old.display(),
        args.new.display(),
        render::thousands(cases as u64),
        render::thousands(changed as u64)
    );
    if unreadable > 0 {
        let lines = if unreadable == 1 { "line" } else { "lines" };
        let _ = writeln!(
            out,
            "{} {lines} neither version can read",
            render::thousands(unreadable as u64)
        );
    }
    for t in transitions {
        let plural = if t.cases == 1 { "case" } else { "cases" };
        let head = if t.from == t.to {
            format!(
                "{}: {} ({} changed)",
                t.decision,
                t.from,
                t.fields.join(", ")
            )
        } else {
            format!("{}: {} → {}", t.decision, t.from, t.to)
        };
        let _ = writeln!(
            out,
            "\n{head}: {} {plural}",
            render::thousands(t.cases as u64)
        );
        for (line, id, from, to) in &t.examples {
            let who = match id {
                Some(id) => format!("line {line} ({})", escape(id)),
                None => format!("line {line}"),
            };
            let fields: Vec<String> = changed_fields(from, to)
                .iter()
                .map(|f| {
                    let (a, b) = (short(from.get(f)), short(to.get(f)));
                    format!("{f} {} → {}", escape(&a), escape(&b))
                })
                .collect();
            if fields.is_empty() {
                let _ = writeln!(out, "  {who}");
            } else {
                let _ = writeln!(out, "  {who}: {}", fields.join("; "));
            }
        }
    }
    if changed == 0 {
        out.push_str("no decision changed\n");
    }
    out
}
