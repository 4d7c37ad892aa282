//! Does a classroom lab that runs all day grow? `cargo bench --features lab --bench serve`
//! starts `mailflow-lab serve` on free ports and drives 100,000 real TCP sessions through it
//! from several client threads, in rounds of four: a letter to Bob on the MX's port 25, Bob
//! reading and deleting it over POP3, Bob looking at his INBOX over IMAP, and a client that only
//! says hello. It prints the server's resident memory (`VmRSS` of /proc) after the first 1,000
//! sessions and then every 20,000, and how many transcript lines the server printed. Numbers go
//! in docs/BENCHMARKS.md; nothing here asserts a time.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// `SERVE_SESSIONS` runs fewer, for a quick look.
fn sessions() -> usize {
    std::env::var("SERVE_SESSIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000)
}
const THREADS: usize = 8;
const REPORT_EVERY: usize = 20_000;

/// One client connection, a line at a time.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the lab");
        stream.set_nodelay(true).ok();
        Client { reader: BufReader::new(stream.try_clone().expect("clone")), writer: stream }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read a line");
        assert!(!line.is_empty(), "the lab closed the connection");
        line.trim_end().to_owned()
    }

    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("write");
    }

    /// An SMTP reply: lines until one whose fourth character is a space (RFC 5321 4.2.1).
    fn smtp(&mut self, command: &str) -> String {
        self.send(&format!("{command}\r\n"));
        self.reply()
    }

    fn reply(&mut self) -> String {
        loop {
            let line = self.line();
            if line.as_bytes().get(3) != Some(&b'-') {
                return line;
            }
        }
    }

    fn pop3(&mut self, command: &str) -> String {
        self.send(&format!("{command}\r\n"));
        self.line()
    }

    /// A POP3 multi-line answer, up to its lone dot (RFC 1939 3).
    fn pop3_multi(&mut self, command: &str) -> String {
        let first = self.pop3(command);
        if first.starts_with("+OK") {
            while self.line() != "." {}
        }
        first
    }

    /// An IMAP command; the tagged reply (RFC 9051 2.2.2).
    fn imap(&mut self, tag: &str, command: &str) -> String {
        self.send(&format!("{tag} {command}\r\n"));
        loop {
            let line = self.line();
            if line.starts_with(tag) {
                return line;
            }
        }
    }
}

fn letter(ports: &Ports, n: usize) {
    let mut c = Client::connect(ports.smtp);
    c.reply();
    c.smtp("EHLO bench.example");
    assert!(c.smtp("MAIL FROM:<alice@northwind.test>").starts_with("250"));
    assert!(c.smtp("RCPT TO:<bob@southbay.test>").starts_with("250"));
    assert!(c.smtp("DATA").starts_with("354"));
    c.send(&format!("From: alice@northwind.test\r\nTo: bob@southbay.test\r\nSubject: Letter {n}\r\n\r\nHello Bob.\r\n.\r\n"));
    assert!(c.reply().starts_with("250"));
    c.smtp("QUIT");
}

fn pop3_reads_and_deletes(ports: &Ports) {
    let mut c = Client::connect(ports.pop3);
    c.line();
    c.pop3("USER bob@southbay.test");
    // Another thread may be in Bob's maildrop: the server locks it for one session at a time
    // (RFC 1939 4) and says so; that session then only says goodbye.
    if !c.pop3("PASS builder").starts_with("+OK") {
        c.pop3("QUIT");
        return;
    }
    let stat = c.pop3("STAT");
    let count: usize = stat.split(' ').nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
    // Read the first, delete them all: the mailbox stays small, as a real one read by POP3.
    if count > 0 {
        c.pop3_multi("RETR 1");
    }
    for n in 1..=count {
        c.pop3(&format!("DELE {n}"));
    }
    c.pop3("QUIT");
}

fn imap_looks(ports: &Ports) {
    let mut c = Client::connect(ports.imap);
    c.line();
    assert!(c.imap("a1", "LOGIN bob@southbay.test builder").starts_with("a1 OK"));
    c.imap("a2", "SELECT INBOX");
    c.imap("a3", "FETCH 1:* (FLAGS)");
    c.imap("a4", "LOGOUT");
}

fn hello(ports: &Ports) {
    let mut c = Client::connect(ports.smtp);
    c.reply();
    c.smtp("EHLO bench.example");
    c.smtp("NOOP");
    c.smtp("QUIT");
}

#[derive(Clone, Copy)]
struct Ports {
    smtp: u16,
    pop3: u16,
    imap: u16,
}

/// Stops the lab when the bench ends, even by a panic.
struct Stop(Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server's resident memory, in KiB.
fn rss_kib(child: &Child) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    // Every port on a free one, TLS and all as a lab starts; the letters are relayed at once
    // (a virtual second per real millisecond), so the queue never holds them for long.
    // `SERVE_BINARY` measures another build of the lab (an older one, to compare).
    let binary = std::env::var("SERVE_BINARY").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mailflow-lab").to_owned());
    let child = Command::new(binary)
        .args(["serve", "--time-scale", "1000"])
        .args(["--smtp-port", "0", "--submission-port", "0", "--submissions-port", "0", "--pop3-port", "0"])
        .args(["--pop3s-port", "0", "--imap-port", "0", "--imaps-port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mailflow-lab serve");
    let mut child = Stop(child);
    let mut out = BufReader::new(child.0.stdout.take().expect("stdout"));
    let mut ports = Ports { smtp: 0, pop3: 0, imap: 0 };
    let mut line = String::new();
    while out.read_line(&mut line).unwrap_or(0) > 0 && !line.starts_with("users:") {
        let port = |l: &str| l.rsplit(':').next().and_then(|p| p.trim().parse().ok()).unwrap_or(0);
        if line.starts_with("smtp on ") {
            ports.smtp = port(&line);
        } else if line.starts_with("pop3 on ") {
            ports.pop3 = port(&line);
        } else if line.starts_with("imap on ") {
            ports.imap = port(&line);
        }
        line.clear();
    }
    // The transcript is the lab's record: read (and counted) as it is printed.
    let printed = Arc::new(AtomicUsize::new(0));
    let reader = {
        let printed = Arc::clone(&printed);
        std::thread::spawn(move || {
            let mut line = String::new();
            while out.read_line(&mut line).unwrap_or(0) > 0 {
                printed.fetch_add(1, Ordering::Relaxed);
                line.clear();
            }
        })
    };

    let done = Arc::new(AtomicUsize::new(0));
    let session = |n: usize| match n % 4 {
        0 => letter(&ports, n),
        1 => pop3_reads_and_deletes(&ports),
        2 => imap_looks(&ports),
        _ => hello(&ports),
    };
    let run = |from: usize, to: usize| {
        let next = Arc::new(AtomicUsize::new(from));
        std::thread::scope(|scope| {
            for _ in 0..THREADS {
                let (next, done) = (Arc::clone(&next), Arc::clone(&done));
                scope.spawn(move || loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= to {
                        break;
                    }
                    session(n);
                    done.fetch_add(1, Ordering::Relaxed);
                });
            }
        });
    };

    let sessions = sessions();
    let start = Instant::now();
    println!("serve: {sessions} sessions from {THREADS} threads (a letter, POP3 read and delete, IMAP look, hello)");
    println!("serve: before any session   VmRSS {:>7} KiB", rss_kib(&child.0));
    run(0, 1_000);
    println!("serve: after {:>7} sessions VmRSS {:>7} KiB", 1_000, rss_kib(&child.0));
    let mut at = 1_000;
    while at < sessions {
        let to = (at + REPORT_EVERY - at % REPORT_EVERY).min(sessions);
        run(at, to);
        at = to;
        println!(
            "serve: after {:>7} sessions VmRSS {:>7} KiB ({:.0} s, {} transcript lines printed so far)",
            at,
            rss_kib(&child.0),
            start.elapsed().as_secs_f64(),
            printed.load(Ordering::Relaxed)
        );
    }
    assert_eq!(done.load(Ordering::Relaxed), sessions);
    drop(child);
    let _ = reader.join();
}
