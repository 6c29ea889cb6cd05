//! A small blocking HTTP/1.1 client over one kept-alive connection, for the
//! server's tests and its bench: enough for `Content-Length` and chunked
//! answers, nothing more.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| n == name);
        found.map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the body is JSON ({e}): {}", self.text()))
    }
}

/// A kept-alive connection to `addr` (`HOST:PORT`).
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    pub fn connect(addr: &str) -> io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Client {
            reader: BufReader::with_capacity(64 * 1024, stream.try_clone()?),
            writer: stream,
        })
    }

    pub fn get(&mut self, path: &str) -> io::Result<Answer> {
        self.send("GET", path, None)?;
        self.receive()
    }

    pub fn post(&mut self, path: &str, body: &[u8]) -> io::Result<Answer> {
        self.send("POST", path, Some(body))?;
        self.receive()
    }

    /// Write one request; `receive` reads its answer.
    pub fn send(&mut self, method: &str, path: &str, body: Option<&[u8]>) -> io::Result<()> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: vouch\r\n");
        if let Some(body) = body {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body.unwrap_or_default());
        self.writer.write_all(&request)
    }

    /// Write only a request's head, declaring `length` bytes of body.
    pub fn send_head(&mut self, method: &str, path: &str, length: usize) -> io::Result<()> {
        let head =
            format!("{method} {path} HTTP/1.1\r\nHost: vouch\r\nContent-Length: {length}\r\n\r\n");
        self.writer.write_all(head.as_bytes())
    }

    /// The other half of the connection, to write a body while answers are read.
    pub fn writer(&self) -> io::Result<TcpStream> {
        self.writer.try_clone()
    }

    pub fn receive(&mut self) -> io::Result<Answer> {
        let mut answer = self.head()?;
        let mut body = Vec::new();
        self.body(&answer, |piece| body.extend_from_slice(piece))?;
        answer.body = body;
        Ok(answer)
    }

    /// An answer's status and how many line ends its body has, the body
    /// read as it comes and not kept (for answers too long to hold).
    pub fn receive_lines(&mut self) -> io::Result<(u16, usize)> {
        let answer = self.head()?;
        let mut lines = 0;
        self.body(&answer, |piece| {
            lines += piece.iter().filter(|&&b| b == b'\n').count()
        })?;
        Ok((answer.status, lines))
    }

    /// The status line and the headers of an answer, its body not read.
    fn head(&mut self) -> io::Result<Answer> {
        let status_line = self.line()?;
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(format!("not an HTTP status line: {status_line:?}")))?;
        let mut headers = Vec::new();
        loop {
            let line = self.line()?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| bad(format!("not a header: {line:?}")))?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        Ok(Answer {
            status,
            headers,
            body: Vec::new(),
        })
    }

    /// The body of the answer whose head is `answer`, piece by piece as it
    /// is read: chunked, or of its `Content-Length`.
    fn body(&mut self, answer: &Answer, mut piece: impl FnMut(&[u8])) -> io::Result<()> {
        let chunked = answer.header("transfer-encoding") == Some("chunked");
        let mut length: usize = answer
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        loop {
            let size = if chunked {
                let size_line = self.line()?;
                let hex = size_line.split(';').next().unwrap_or("").trim();
                usize::from_str_radix(hex, 16)
                    .map_err(|_| bad(format!("not a chunk size: {size_line:?}")))?
            } else {
                std::mem::take(&mut length)
            };
            if size == 0 {
                if chunked {
                    // Trailers, then the empty line.
                    while !self.line()?.is_empty() {}
                }
                return Ok(());
            }
            let mut left = size;
            while left > 0 {
                let available = self.reader.fill_buf()?;
                if available.is_empty() {
                    return Err(bad("the connection closed in a body".into()));
                }
                let n = available.len().min(left);
                piece(&available[..n]);
                self.reader.consume(n);
                left -= n;
            }
            if chunked {
                self.line()?;
            }
        }
    }

    fn line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed",
            ));
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

fn bad(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl Client {
    /// A request whose body is sent chunked (no `Content-Length`), in these
    /// pieces.
    pub fn send_chunked(&mut self, method: &str, path: &str, pieces: &[&[u8]]) -> io::Result<()> {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: vouch\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        self.writer.write_all(head.as_bytes())?;
        for piece in pieces.iter().filter(|p| !p.is_empty()) {
            write!(self.writer, "{:x}\r\n", piece.len())?;
            self.writer.write_all(piece)?;
            self.writer.write_all(b"\r\n")?;
        }
        self.writer.write_all(b"0\r\n\r\n")
    }
}
