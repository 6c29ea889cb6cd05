//! `vouch.toml` in the editor: the levels, skips, sources folder and width
//! of the nearest one, read again when it changes, and a broken one shown
//! on the policy.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::client::{initialized, Client};
use super::{apply, range};

/// A project folder: `rules/p.vouch` (an unused parameter, no zone, a quote
/// that is not in its source), `rules/drafts/broken.vouch`, `seeds/s1.txt`.
fn project(name: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("vouch-lsp-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/drafts")).expect("folders");
    std::fs::create_dir_all(dir.join("seeds")).expect("folders");
    std::fs::write(dir.join("seeds/s1.txt"), "x\n").expect("written");
    let policy = "policy p {\n  source s1 \"x\" file \"s1.txt\"\n}\n\nfacts { a: int }\n\n\
                  param spare = 1  cite s1 \"x\"\n\n\
                  decision d cite s1 \"not in the file\" {\n  \
                  if a > 1 and a < 100 and a != 50 and a != 60 => yes\n  else => no\n}\n";
    std::fs::write(dir.join("rules/p.vouch"), policy).expect("written");
    (dir, policy.to_string())
}

fn open(client: &mut Client, path: &Path, text: &str) -> String {
    let uri = format!("file://{}", path.display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "vouch", "version": 1, "text": text}}),
    );
    uri
}

/// One line per diagnostic, the project's folder shown as `<dir>`.
fn lines(diagnostics: &Value, dir: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics.as_array().unwrap() {
        let related = d["relatedInformation"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "\n  related {} {}: {}",
                    r["location"]["uri"].as_str().unwrap(),
                    range(&r["location"]["range"]),
                    r["message"].as_str().unwrap()
                )
            })
            .collect::<String>();
        out.push_str(&format!(
            "{} {} {}: {}{related}\n",
            range(&d["range"]),
            d["severity"],
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        ));
    }
    out.replace(&dir.display().to_string(), "<dir>")
}

fn change(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn vouch_toml_sets_levels_skips_sources_and_width() {
    let (dir, policy) = project("levels");
    let toml = dir.join("vouch.toml");
    // Lengths differ from version to version: a file rewritten within the
    // same tick of the clock is still seen to change.
    let versions = [
        "[lints]\nunused-param = \"allow\"\nmissing-zone = \"error\"\n\n[files]\nskip = [\"drafts/\"]\n\n[format]\nwidth = 40\n\n[sources]\ndir = \"seeds\"\n",
        "[lints]\nunused-parm = \"allow\"\n",
        "[lints\nunused-param = \"advice\"\n",
        "[lints]\nunused-param = \"warning\"\nmissing-zone = \"advice\"\n",
    ];
    let mut lengths: Vec<usize> = versions.iter().map(|v| v.len()).collect();
    lengths.dedup();
    assert_eq!(lengths.len(), versions.len());
    std::fs::write(&toml, versions[0]).unwrap();
    let (mut client, _) = initialized(&[]);
    let uri = open(&mut client, &dir.join("rules/p.vouch"), &policy);
    let mut out = String::from("## lints allowed and raised, quotes checked in `seeds`\n");
    out.push_str(&lines(&client.diagnostics(&uri, 1), &dir));

    // A skipped file has no diagnostics, though it does not parse.
    let draft = open(
        &mut client,
        &dir.join("rules/drafts/broken.vouch"),
        "decision {\n",
    );
    assert_eq!(client.diagnostics(&draft, 1), json!([]));

    // Formatting wraps at the configured width.
    let edits = client.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(&policy, &edits);
    assert!(
        formatted.contains("  if a > 1\n    and a < 100\n"),
        "{formatted}"
    );

    // A name that is no lint: the watcher says the file changed.
    std::fs::write(&toml, versions[1]).unwrap();
    let toml_uri = format!("file://{}", toml.display());
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": toml_uri, "type": 2}]}),
    );
    out.push_str("\n## an unknown lint, on the watcher's word\n");
    out.push_str(&lines(&client.diagnostics(&uri, 1), &dir));

    // Not TOML: noticed on the next change of the policy, without a watcher.
    std::fs::write(&toml, versions[2]).unwrap();
    change(&mut client, &uri, 2, &policy);
    out.push_str("\n## not TOML, on the next change\n");
    out.push_str(&lines(&client.diagnostics(&uri, 2), &dir));

    // Mended: its levels apply again.
    std::fs::write(&toml, versions[3]).unwrap();
    change(&mut client, &uri, 3, &policy);
    out.push_str("\n## mended\n");
    out.push_str(&lines(&client.diagnostics(&uri, 3), &dir));
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_client_that_can_watch_files_is_asked_to_watch_vouch_toml() {
    let mut client = Client::start(&[]);
    client.result(
        "initialize",
        json!({"processId": null,
               "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    client.notify("initialized", json!({}));
    let asked = client.wait_for("client/registerCapability", |_| true);
    let registration = &asked["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/vouch.toml"
    );
    assert_eq!(client.shutdown(), 0);
}
