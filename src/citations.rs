//! Citations checked against the texts they quote (`vouch check --sources DIR`).
//!
//! Each `source` of a policy header may name its file (`source s001 "title"
//! file "001_….txt"`). Every `cite` of that source must quote the file: the
//! quote must appear in it, comparing text with whitespace normalised. A
//! quote that does not is an error whose help shows the nearest passage.

use std::path::{Component, Path};

use crate::ast::{Policy, Source};
use crate::diagnostic::{Finding, Level};
use crate::source::SourceFile;

/// Check every quote of a parsed policy against the source files in `dir`.
pub fn check(source: &SourceFile, policy: &Policy, dir: &Path) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(header) = &policy.header else {
        return findings;
    };
    let cites = policy.cites();
    for s in &header.sources {
        let quotes: Vec<_> = cites
            .iter()
            .filter(|c| c.source.node == s.id.node)
            .collect();
        let Some(text) = read(source, s, dir, &mut findings) else {
            continue;
        };
        let file = s.file.as_ref().map_or("", |f| f.node.as_str());
        let haystack = Normalized::new(&text);
        for c in quotes {
            let needle = Normalized::new(&c.quote.node);
            if needle.chars.is_empty() || haystack.contains(&needle) {
                continue;
            }
            let mut f = Finding::new(
                source,
                "vouch::sources::quote_not_found",
                c.quote.span,
                format!("the quote is not in `{file}`"),
            );
            f.label("not found in the source");
            f.help = Some(match haystack.nearest(&needle) {
                Some((passage, offset)) => {
                    let line = text[..offset].matches('\n').count() + 1;
                    format!("the nearest passage of `{file}` (line {line}) reads \"{passage}\"; quote the source exactly")
                }
                None => format!("quote the source exactly; `{file}` is shorter than the quote"),
            });
            findings.push(f);
        }
    }
    findings
}

/// The text of a source's file, or a finding saying why there is none.
fn read(
    source: &SourceFile,
    s: &Source,
    dir: &Path,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let Some(file) = &s.file else {
        let mut f = Finding::new(
            source,
            "vouch::sources::no_file",
            s.id.span,
            format!(
                "the source `{}` names no file, so its quotes are not checked",
                s.id.node
            ),
        );
        // Not every text is a file (a section of a spec, a page): say so,
        // but do not fail the check.
        f.level(Level::Advice).label("no `file`").help(format!(
            "name the file that holds the text: `source {} \"{}\" file \"NAME.txt\"`",
            s.id.node, s.title.node
        ));
        findings.push(f);
        return None;
    };
    let relative = Path::new(&file.node);
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain || file.node.is_empty() {
        let mut f = Finding::new(
            source,
            "vouch::sources::bad_file_name",
            file.span,
            format!(
                "`{}` is not a file name inside the sources folder",
                file.node
            ),
        );
        f.label("not a plain relative path")
            .help("name the file relative to the folder given to `--sources`, without `..`");
        findings.push(f);
        return None;
    }
    let path = dir.join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "the source file `{}` is not in `{}`",
                    file.node,
                    dir.display()
                )
            } else {
                format!("cannot read the source file `{}`: {e}", path.display())
            };
            let mut f = Finding::new(source, "vouch::sources::missing_file", file.span, message);
            f.level(Level::Warning)
                .label("not read")
                .help("its quotes are not checked; put the file in the folder given to `--sources`, or fix its name");
            findings.push(f);
            None
        }
    }
}

/// Text with whitespace normalised: every run of whitespace is one space,
/// and none is kept next to a character outside ASCII (Chinese text wraps
/// lines without spaces). Each character keeps its byte offset in the
/// original text.
struct Normalized {
    chars: Vec<char>,
    offsets: Vec<usize>,
}

impl Normalized {
    fn new(text: &str) -> Normalized {
        let mut chars: Vec<char> = Vec::new();
        let mut offsets = Vec::new();
        let mut space = false;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            let keep_space = space && chars.last().is_some_and(|l| l.is_ascii()) && c.is_ascii();
            if keep_space {
                chars.push(' ');
                offsets.push(i);
            }
            space = false;
            chars.push(c);
            offsets.push(i);
        }
        Normalized { chars, offsets }
    }

    fn contains(&self, needle: &Normalized) -> bool {
        let n = needle.chars.len();
        n <= self.chars.len() && self.chars.windows(n).any(|w| w == needle.chars.as_slice())
    }

    /// The passage closest to `needle` (fewest edits), and its byte offset
    /// in the original text. Windows a character shorter or longer than the
    /// needle are tried too, so a dropped or added character still matches.
    fn nearest(&self, needle: &Normalized) -> Option<(String, usize)> {
        let n = needle.chars.len();
        let mut best: Option<(usize, usize, usize)> = None;
        for len in [n, n.saturating_sub(1), n + 1] {
            if len == 0 || len > self.chars.len() {
                continue;
            }
            for start in 0..=self.chars.len() - len {
                let window = &self.chars[start..start + len];
                let d = strsim::generic_levenshtein(&window.to_vec(), &needle.chars);
                if best.is_none_or(|(b, _, _)| d < b) {
                    best = Some((d, start, len));
                }
            }
        }
        let (_, start, len) = best?;
        let passage: String = self.chars[start..start + len].iter().collect();
        Some((passage, self.offsets[start]))
    }
}

#[cfg(test)]
mod tests {
    use super::Normalized;

    #[test]
    fn whitespace_is_normalised() {
        let text = Normalized::new("极速退款:300元\n以内的商品,  only  when\tshipped");
        for quote in [
            "300元以内",
            "300 元 以内",
            "only when shipped",
            " only when ",
        ] {
            assert!(text.contains(&Normalized::new(quote)), "{quote}");
        }
        assert!(!text.contains(&Normalized::new("onlywhen")));
        assert!(!text.contains(&Normalized::new("400元以内")));
    }

    #[test]
    fn the_nearest_passage_is_the_one_with_fewest_edits() {
        let text = "运费险:买家退货时,可以获得最高24元的运费补偿。\n正品保障";
        let (passage, offset) = Normalized::new(text)
            .nearest(&Normalized::new("最高25元的运费补偿"))
            .expect("a passage");
        assert_eq!(passage, "最高24元的运费补偿");
        assert_eq!(&text[offset..offset + "最高".len()], "最高");
    }
}
