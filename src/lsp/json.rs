//! JSON with the span of every key and value, for pointing into test files.
//! Only what an editor needs: serde reads the values themselves.

use crate::source::Span;

/// A JSON value and where it is written.
#[derive(Debug)]
pub enum Node {
    Object(Vec<Member>, Span),
    Array(Vec<Node>, Span),
    String(String, Span),
    /// A number, `true`, `false` or `null`.
    Other(Span),
}

/// A key of an object, where it is written, and its value.
#[derive(Debug)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Object(_, s) | Node::Array(_, s) | Node::String(_, s) | Node::Other(s) => *s,
        }
    }

    /// The member of an object with a key.
    pub fn get(&self, key: &str) -> Option<&Member> {
        match self {
            Node::Object(members, _) => members.iter().find(|m| m.key == key),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member] {
        match self {
            Node::Object(members, _) => members,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Array(items, _) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s, _) => Some(s),
            _ => None,
        }
    }
}

/// Parse a JSON text; an error is a message and the byte offset it is at.
pub fn parse(text: &str) -> Result<Node, (String, usize)> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let node = p.value()?;
    p.space();
    if p.at < p.bytes.len() {
        return Err(("unexpected text after the JSON value".into(), p.at));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

/// Nesting deeper than this is refused rather than recursed into.
const MAX_DEPTH: usize = 128;

impl Parser<'_> {
    fn space(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn fail<T>(&self, message: &str) -> Result<T, (String, usize)> {
        Err((message.into(), self.at))
    }

    fn value(&mut self) -> Result<Node, (String, usize)> {
        self.space();
        let start = self.at;
        match self.bytes.get(self.at) {
            None => self.fail("expected a JSON value, found the end of the file"),
            Some(b'{') | Some(b'[') if self.depth >= MAX_DEPTH => self.fail("nested too deeply"),
            Some(b'{') => {
                self.depth += 1;
                self.at += 1;
                let mut members = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.space();
                        let key_start = self.at;
                        if self.bytes.get(self.at) != Some(&b'"') {
                            return self.fail("expected a key in double quotes");
                        }
                        let key = self.string()?;
                        let key_span = Span::new(key_start, self.at);
                        self.space();
                        if self.bytes.get(self.at) != Some(&b':') {
                            return self.fail("expected `:` after the key");
                        }
                        self.at += 1;
                        let value = self.value()?;
                        members.push(Member {
                            key,
                            key_span,
                            value,
                        });
                        if self.close(b'}')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node::Object(members, Span::new(start, self.at)))
            }
            Some(b'[') => {
                self.depth += 1;
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        if self.close(b']')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(Node::Array(items, Span::new(start, self.at)))
            }
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::String(s, Span::new(start, self.at)))
            }
            Some(_) => {
                while self.at < self.bytes.len()
                    && (self.bytes[self.at].is_ascii_alphanumeric()
                        || matches!(self.bytes[self.at], b'-' | b'+' | b'.'))
                {
                    self.at += 1;
                }
                let word = &self.text[start..self.at];
                let number = word.parse::<f64>().is_ok() && !word.starts_with('+');
                if matches!(word, "true" | "false" | "null") || number {
                    Ok(Node::Other(Span::new(start, self.at)))
                } else {
                    self.at = start;
                    self.fail("expected a JSON value")
                }
            }
        }
    }

    /// After an item: `,` (false) or the closing bracket (true).
    fn close(&mut self, bracket: u8) -> Result<bool, (String, usize)> {
        self.space();
        match self.bytes.get(self.at) {
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            Some(&b) if b == bracket => {
                self.at += 1;
                Ok(true)
            }
            _ => self.fail(if bracket == b'}' {
                "expected `,` or `}`"
            } else {
                "expected `,` or `]`"
            }),
        }
    }

    fn string(&mut self) -> Result<String, (String, usize)> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.at..].chars().next() else {
                self.at = start;
                return self.fail("this string is not closed");
            };
            self.at += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(e) = self.text[self.at..].chars().next() else {
                        return self.fail("this string is not closed");
                    };
                    self.at += e.len_utf8();
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' => {
                            let hex = self.text.get(self.at..self.at + 4).unwrap_or("");
                            let code = u32::from_str_radix(hex, 16).ok();
                            self.at = (self.at + 4).min(self.text.len());
                            out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                        }
                        other => out.push(other),
                    }
                }
                '\n' => {
                    self.at -= 1;
                    return self.fail("a line break inside a string");
                }
                other => out.push(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_spans() {
        let text = r#"{"a": [1, {"b": "x\"y"}], "c": null}"#;
        let node = parse(text).unwrap();
        let a = node.get("a").unwrap();
        assert_eq!(&text[a.key_span.start..a.key_span.end], "\"a\"");
        let b = a.value.items()[1].get("b").unwrap();
        assert_eq!(b.value.as_str(), Some("x\"y"));
        assert_eq!(&text[b.value.span().start..b.value.span().end], r#""x\"y""#);
        assert!(node.get("c").is_some());
    }

    #[test]
    fn mistakes_have_a_place() {
        assert_eq!(parse("{\"a\": }").unwrap_err().1, 6);
        assert_eq!(parse("{\"a\": 1,").unwrap_err().1, 8);
        assert!(parse("[1] x").is_err());
    }
}
