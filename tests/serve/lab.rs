//! A running `mailflow-lab serve` and line-level clients for it, shared by tests/serve.rs.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_mailflow-lab");

/// How long any single step may take before the test fails instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Every kind of port the lab serves, as printed at start and named in `--<kind>-port`.
pub const KINDS: [&str; 8] = ["smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps", "helo-only"];

/// The lab as a child process, killed when the test ends, passing or failing.
pub struct Lab {
    child: Child,
    pub ports: BTreeMap<String, u16>,
    /// Everything it printed so far (the transcript).
    pub output: Arc<Mutex<Vec<String>>>,
}

impl Lab {
    /// `serve` on free ports (the HELO-only one too), with `extra` arguments.
    pub fn start(extra: &[&str]) -> Lab {
        let mut args = vec!["serve".to_owned()];
        for kind in KINDS {
            args.extend([format!("--{kind}-port"), "0".to_owned()]);
        }
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        let mut child = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("mailflow-lab starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let output = Arc::new(Mutex::new(Vec::new()));
        let (ports_tx, ports_rx) = mpsc::channel();
        let sink = Arc::clone(&output);
        // Keep reading: a lab whose stdout pipe fills up would block on its next line.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // `imaps on 127.0.0.1:40123` per port, then `world: ...` once all are open.
                if line.starts_with("world: ") {
                    let _ = ports_tx.send(None);
                } else if let Some((service, address)) = line.split_once(" on ") {
                    if let Some(port) = address.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok()) {
                        let _ = ports_tx.send(Some((service.to_owned(), port)));
                    }
                }
                sink.lock().expect("transcript lock").push(line);
            }
        });
        let mut lab = Lab { child, ports: BTreeMap::new(), output };
        loop {
            match ports_rx.recv_timeout(PATIENCE) {
                Ok(Some((service, port))) => {
                    lab.ports.insert(service, port);
                }
                Ok(None) => break,
                Err(_) => panic!("the lab did not print its ports: {:?}", lab.output.lock().map(|o| o.clone())),
            }
        }
        assert_eq!(lab.ports.len(), KINDS.len(), "every port is served: {:?}", lab.ports);
        lab
    }

    pub fn port(&self, service: &str) -> u16 {
        self.ports[service]
    }

    pub fn connect(&self, service: &str) -> Line<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", self.port(service))).expect("connects");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        Line::new(stream)
    }

    /// Wait until the transcript has a line containing `text`.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.output.lock().expect("transcript lock").iter().any(|l| l.contains(text)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the transcript never said {text:?}");
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that reads whole CRLF lines and exact byte counts.
pub struct Line<S> {
    pub stream: S,
    buf: Vec<u8>,
}

impl<S: Read + Write> Line<S> {
    pub fn new(stream: S) -> Self {
        Line { stream, buf: Vec::new() }
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).expect("the lab answers");
        assert!(n > 0, "the lab closed the connection; had {:?}", String::from_utf8_lossy(&self.buf));
        self.buf.extend_from_slice(&chunk[..n]);
    }

    /// The next line, without its CRLF.
    pub fn line(&mut self) -> String {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..i + 2).take(i).collect();
                return String::from_utf8_lossy(&line).into_owned();
            }
            self.fill();
        }
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        while self.buf.len() < n {
            self.fill();
        }
        self.buf.drain(..n).collect()
    }

    pub fn send(&mut self, text: &str) {
        self.stream.write_all(text.as_bytes()).expect("the lab reads");
        self.stream.flush().expect("flush");
    }

    /// Send a command line, return the (last line of the) SMTP reply.
    pub fn smtp(&mut self, command: &str) -> String {
        self.send(&format!("{command}\r\n"));
        self.smtp_reply()
    }

    /// All lines of an SMTP reply, joined by `\n`.
    pub fn smtp_reply(&mut self) -> String {
        let mut lines = Vec::new();
        loop {
            let line = self.line();
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return lines.join("\n");
            }
        }
    }

    /// Send an IMAP command with `tag`; the untagged lines and the tagged one, with literals
    /// read whole (as raw bytes, lossily as text).
    pub fn imap(&mut self, tag: &str, command: &str) -> (Vec<Vec<u8>>, String) {
        self.send(&format!("{tag} {command}\r\n"));
        let mut untagged = Vec::new();
        loop {
            let line = self.line();
            if line.starts_with(&format!("{tag} ")) {
                return (untagged, line);
            }
            let mut item = line.clone().into_bytes();
            item.extend_from_slice(b"\r\n");
            if let Some(n) = literal_length(&line) {
                item.extend(self.bytes(n));
                // The rest of the response after the literal.
                item.extend(self.line().into_bytes());
            }
            untagged.push(item);
        }
    }

    /// A POP3 multi-line answer, dot-unstuffed, each line with CRLF.
    pub fn pop3_multiline(&mut self) -> Vec<u8> {
        let mut body = Vec::new();
        loop {
            let line = self.line();
            if line == "." {
                return body;
            }
            let line = line.strip_prefix('.').unwrap_or(&line);
            body.extend_from_slice(line.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
    }
}

/// `{123}` at the end of a line.
fn literal_length(line: &str) -> Option<usize> {
    let open = line.strip_suffix('}')?.rfind('{')?;
    line[open + 1..line.len() - 1].parse().ok()
}

/// The text after the blank line that ends the header.
pub fn body_of(message: &[u8]) -> &[u8] {
    message.windows(4).position(|w| w == b"\r\n\r\n").map_or(&[], |i| &message[i + 4..])
}

/// Poll until `ready` holds, or fail after [`PATIENCE`].
pub fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not happen within {PATIENCE:?}");
}
