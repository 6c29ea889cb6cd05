//! The lints' documentation as text (`vouch check --explain`) and as the
//! Markdown of `docs/lints.md`.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::lint::registry::{find, Group, Lint, COVERED_BY_CHECKS, LINTS};

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One lint, for a terminal.
pub fn explain(l: &Lint) -> String {
    format!(
        "{name} ({code}), {level} by default: {summary}\n\n\
         What it finds\n{what}\n\n\
         Why it matters\n{why}\n\n\
         Example\n{example}\n\n\
         Instead\n{fixed}\n",
        name = l.name,
        code = l.code,
        level = l.level.as_str(),
        summary = l.summary,
        what = indent(&wrap(l.what, 76)),
        why = indent(&wrap(l.why, 76)),
        example = indent(l.example),
        fixed = indent(l.fixed),
    )
}

/// Words of a paragraph, wrapped at a width in terminal columns.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let w = word.width();
        if line_len > 0 && line_len + 1 + w > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += w;
    }
    out
}

/// One lint as a Markdown section under a heading of the given depth.
pub fn markdown_entry(l: &Lint, heading: &str) -> String {
    format!(
        "{heading} `{name}`\n\n\
         Code `{code}`, {level} by default. {summary_cap}.\n\n\
         **What it finds.** {what}\n\n\
         **Why it matters.** {why}\n\n\
         **Example.**\n\n```\n{example}\n```\n\n\
         **Instead.**\n\n```\n{fixed}\n```\n",
        name = l.name,
        code = l.code,
        level = l.level.as_str(),
        summary_cap = capitalize(l.summary),
        what = l.what,
        why = l.why,
        example = l.example,
        fixed = l.fixed,
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The whole of `docs/lints.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Lints\n\n\
         <!-- Generated from src/lint/registry.rs; `VOUCH_BLESS=1 cargo test --test lints` rewrites it. -->\n\n\
         `vouch check PATH...` parses and type-checks every policy file, then runs\n\
         the lints below on each policy that loads. Each lint has a stable name (used\n\
         in suppressions and `--explain`), a code (`vouch::lint::NAME`, shown in every\n\
         output format) and a default level. `vouch check --explain NAME` prints an\n\
         entry of this page.\n\n\
         ## Running in CI\n\n\
         ```\n\
         vouch check rules/ --fail-level warning               # exit 1 on any warning or error\n\
         vouch check rules/ --format github                    # annotations on a pull request\n\
         vouch check rules/ --format sarif > vouch.sarif       # code scanning\n\
         vouch check rules/ --format json                      # for scripts\n\
         ```\n\n\
         Formats: `human` (reports with the source underlined, the default on a\n\
         terminal), `plain` (the same without colour or box drawing, the default\n\
         otherwise), `json`, `github` (workflow commands) and `sarif` (SARIF 2.1.0).\n\
         Every format lists all findings of the run, sorted by file and position.\n\n\
         Exit status: 0 when no finding is at or above `--fail-level` (default\n\
         `warning`: advice never fails); 1 when one is; 2 when a file cannot be read (the other files are\n\
         still checked and reported).\n\n\
         ## Suppressing a finding\n\n\
         A comment names the lint and says why:\n\n\
         ```\n\
         # vouch:allow(unused-param) reason: \"kept for the 11.11 campaign\"\n\
         param campaign_limit = ¥500\n\
         ```\n\n\
         A comment on a line of its own applies to the next line with code; a\n\
         comment after code applies to its own line. When that line starts an item\n\
         (a parameter, a fact, a decision, an `if` rule, a `require` or one of its\n\
         conditions), it covers the whole item. Several lints may be named:\n\
         `vouch:allow(unused-param, missing-citation)`. Parse and check errors cannot\n\
         be suppressed. A suppression without a reason, naming an unknown lint, or\n\
         suppressing nothing is itself a finding.\n\n\
         ## Index\n\n\
         | lint | level | finds |\n|---|---|---|\n",
    );
    for l in LINTS {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} |",
            l.name,
            l.name,
            l.level.as_str(),
            l.summary.replace('|', "\\|")
        );
    }
    for g in Group::ALL {
        let _ = write!(out, "\n## {}\n", g.title());
        for l in LINTS.iter().filter(|l| l.group == g) {
            out.push('\n');
            out.push_str(&markdown_entry(l, "###"));
        }
    }
    out.push_str(
        "\n## Mistakes reported as errors, not lints\n\n\
         Some mistakes cannot be written in a policy that loads: the parser or the\n\
         checker reports them as errors, which fail `vouch check` at any\n\
         `--fail-level`, and `tests/fixtures/lint/covered/` holds a policy for each.\n\
         One more is what a lint already finds.\n\n\
         | mistake | reported as | why |\n|---|---|---|\n",
    );
    for (mistake, code, why) in COVERED_BY_CHECKS {
        let code = match find(code) {
            Some(l) => format!("`{}` (the lint `{}`)", l.code, l.name),
            None => format!("`{code}`"),
        };
        let _ = writeln!(out, "| {mistake} | {code} | {why} |");
    }
    out
}

/// The table of parse, check and other errors in the language reference:
/// `| `CODE` | meaning |` rows, read once from the document itself.
const LANGUAGE_REFERENCE: &str = include_str!("../../docs/language.md");

/// What an error code (not a lint's) means, from the language reference:
/// `vouch::check::unknown_name`, or its last part `unknown_name`.
pub fn explain_code(code: &str) -> Option<String> {
    let rows = LANGUAGE_REFERENCE.lines().filter_map(|l| {
        let rest = l.strip_prefix("| `vouch::")?;
        let (name, meaning) = rest.split_once("` | ")?;
        Some((
            format!("vouch::{name}"),
            meaning.trim_end_matches(" |").trim(),
        ))
    });
    let wanted = |full: &str| full == code || full.rsplit("::").next() == Some(code);
    let (full, meaning) = rows.into_iter().find(|(full, _)| wanted(full))?;
    Some(format!(
        "{full}\n\n{meaning}\n\nAn error of this kind stops the policy from loading, and cannot be \
         suppressed. Every error code is listed in docs/language.md, \"Diagnostics\"; \
         `vouch check --explain LINT` explains the lints.\n"
    ))
}
