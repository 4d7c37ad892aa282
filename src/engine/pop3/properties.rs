//! Properties of the POP3 server over random command sequences, valid and not, with dropped
//! connections: only a QUIT answered `+OK` removes what DELE marked (RFC 1939 6), a session
//! that ends any other way removes nothing and gives the maildrop lock back, nothing panics,
//! and the output does not depend on how the input was split (RFC 2449 6.6 pipelining).

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::server::{ServerConfig, ServerOutput, ServerSession, State};
use super::tests::{host, inbox_uids, now, TestHost, BOB};
use crate::engine::mail::Message;

/// What the client does next.
#[derive(Debug, Clone)]
enum Step {
    /// One line; CRLF is added.
    Line(String),
    /// Raw octets, anything at all, then CRLF.
    Garbage(Vec<u8>),
    /// The client hangs up without QUIT; the next step opens a new connection.
    Drop,
}

fn line(text: &str) -> Step {
    Step::Line(text.to_string())
}

fn step() -> impl Strategy<Value = Step> {
    let n = 0u32..6;
    prop_oneof![
        3 => Just(line("USER bob@southbay.test")),
        3 => Just(line("PASS builder")),
        // Pipelined (RFC 2449 6.6): both lines in one read.
        2 => Just(line("USER bob@southbay.test\r\nPASS builder")),
        1 => Just(line("PASS wrong")),
        1 => Just(line("USER nobody@southbay.test")),
        // RFC 4616: NUL bob@southbay.test NUL builder.
        2 => Just(line("AUTH PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=")),
        1 => Just(line("AUTH PLAIN")),
        1 => Just(line("APOP bob@southbay.test 00000000000000000000000000000000")),
        1 => Just(line("CAPA")),
        1 => Just(line("STLS")),
        6 => n.clone().prop_map(|n| Step::Line(format!("DELE {n}"))),
        2 => n.clone().prop_map(|n| Step::Line(format!("RETR {n}"))),
        2 => (n.clone(), 0u32..4).prop_map(|(n, k)| Step::Line(format!("TOP {n} {k}"))),
        1 => proptest::option::of(n.clone()).prop_map(|n| Step::Line(match n {
            Some(n) => format!("LIST {n}"),
            None => "LIST".into(),
        })),
        1 => proptest::option::of(n).prop_map(|n| Step::Line(match n {
            Some(n) => format!("UIDL {n}"),
            None => "UIDL".into(),
        })),
        1 => Just(line("STAT")),
        1 => Just(line("NOOP")),
        2 => Just(line("RSET")),
        1 => Just(line("QUIT")),
        1 => Just(line("LAST")),
        1 => Just(line("DELE x")),
        1 => Just(line("TOP 1")),
        1 => (1usize..400).prop_map(|n| Step::Line("X".repeat(n))),
        1 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(Step::Garbage),
        1 => Just(Step::Drop),
    ]
}

fn config() -> ServerConfig {
    ServerConfig {
        // USER/PASS in clear too, so that random sessions reach TRANSACTION often.
        require_tls_for_plaintext: false,
        ..ServerConfig::pop3("mail.southbay.test")
    }
}

/// Bob's two test messages and a third, so that message numbers 1 to 3 exist.
fn maildrop() -> TestHost {
    let mut host = host();
    let third = b"Subject: third\r\n\r\n.\r\n..\r\nend\r\n".to_vec();
    host.store.deliver(BOB, Message::from_bytes(third), now());
    host
}

fn bytes_of(step: &Step) -> Vec<u8> {
    let mut bytes = match step {
        Step::Line(text) => text.clone().into_bytes(),
        Step::Garbage(raw) => raw.clone(),
        Step::Drop => return Vec::new(),
    };
    bytes.extend_from_slice(b"\r\n");
    bytes
}

/// What the session put out.
#[derive(Default)]
struct Drained {
    /// Every output, teaching notes and markers included: for comparing runs.
    all: Vec<u8>,
    /// Only the octets sent to the client: for reading the reply.
    sent: Vec<u8>,
    closed: bool,
}

fn drain(server: &mut ServerSession) -> Drained {
    let mut d = Drained::default();
    while let Some(o) = server.poll_output() {
        match o {
            ServerOutput::Transmit(bytes) => {
                d.all.extend_from_slice(&bytes);
                d.sent.extend(bytes);
            }
            ServerOutput::TlsStarted => d.all.extend_from_slice(b"<TLS>\r\n"),
            ServerOutput::Event(crate::engine::session::Note { rfc, .. }) => d.all.extend(format!("<{rfc}>\r\n").into_bytes()),
            ServerOutput::Close => {
                d.all.extend_from_slice(b"<CLOSE>\r\n");
                d.closed = true;
            }
        }
    }
    d
}

/// A model of the marks: what the login snapshot numbered, and what DELE marked.
#[derive(Default)]
struct Marks {
    snapshot: Vec<u32>,
    marked: BTreeSet<u32>,
}

/// Runs `steps` one at a time, each on a live connection (a new one after a close or a
/// drop), and checks the store after every step.
fn check_removals(steps: &[Step]) -> Result<(), TestCaseError> {
    let mut host = maildrop();
    let mut server = ServerSession::new(config(), 1, now());
    let mut serial = 1;
    let mut marks = Marks::default();
    drain(&mut server);
    for step in steps {
        let before_uids: BTreeSet<u32> = inbox_uids(&host).into_iter().collect();
        let before = server.state();
        let (reply, closed) = if let Step::Drop = step {
            server.handle_close(&mut host);
            (Vec::new(), true)
        } else {
            server.handle_input(&bytes_of(step), now(), &mut host);
            let d = drain(&mut server);
            (d.sent, d.closed)
        };
        let after_uids: BTreeSet<u32> = inbox_uids(&host).into_iter().collect();
        let removed: BTreeSet<u32> = before_uids.difference(&after_uids).copied().collect();
        let ok = reply.starts_with(b"+OK");
        let text = match step {
            Step::Line(text) => text.as_str(),
            _ => "",
        };
        if before != State::Transaction && server.state() == State::Transaction {
            marks.snapshot = inbox_uids(&host);
            marks.marked.clear();
            prop_assert!(
                host.store.is_maildrop_locked(BOB),
                "logged in without the lock"
            );
        }
        if before == State::Transaction && ok {
            if let Some(n) = text
                .strip_prefix("DELE ")
                .and_then(|n| n.parse::<usize>().ok())
            {
                let uid = n.checked_sub(1).and_then(|i| marks.snapshot.get(i));
                prop_assert!(uid.is_some(), "+OK to DELE {} of {:?}", n, marks.snapshot);
                marks.marked.extend(uid);
            }
            if text == "RSET" {
                marks.marked.clear();
            }
        }
        let quit_ok = before == State::Transaction && text == "QUIT" && ok;
        if quit_ok {
            // RFC 1939 6: UPDATE removes exactly the marked messages.
            prop_assert_eq!(&removed, &marks.marked, "QUIT removed the wrong messages");
        } else {
            prop_assert!(removed.is_empty(), "{:?} removed {:?}", step, removed);
        }
        if closed {
            // Whatever ended the session, the lock is free for the next one (RFC 1939 4).
            prop_assert!(
                !host.store.is_maildrop_locked(BOB),
                "lock kept after {:?}",
                step
            );
            serial += 1;
            server = ServerSession::new(config(), serial, now());
            drain(&mut server);
            marks = Marks::default();
        }
    }
    Ok(())
}

/// All the output of one connection fed `input` in the chunks that `cuts` makes.
fn output_for_chunks(input: &[u8], cuts: &BTreeSet<usize>) -> Vec<u8> {
    let mut host = maildrop();
    let mut server = ServerSession::new(config(), 1, now());
    let mut out = drain(&mut server).all;
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        let cut = cut.min(input.len());
        if cut > from {
            server.handle_input(&input[from..cut], now(), &mut host);
            out.extend(drain(&mut server).all);
            from = cut;
        }
    }
    // Nothing may stay locked or be removed just because the input stopped.
    server.handle_close(&mut host);
    out.extend(drain(&mut server).all);
    out.extend(format!("{:?}\r\n", inbox_uids(&host)).into_bytes());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn only_an_ok_quit_removes_and_only_what_dele_marked(
        steps in proptest::collection::vec(step(), 0..60)
    ) {
        check_removals(&steps)?;
    }

    #[test]
    fn output_is_the_same_for_any_chunking(
        steps in proptest::collection::vec(step(), 0..40),
        cuts in proptest::collection::btree_set(0usize..2000, 0..30),
    ) {
        // A drop ends the connection: the input stops there. It stops after STLS too: what
        // came in the same read as STLS is plaintext and is thrown away (RFC 2595 4, the
        // injection of 2011), what comes in a later read is inside TLS, so there the split
        // carries meaning.
        let mut input = Vec::new();
        for step in steps.iter().take_while(|s| !matches!(s, Step::Drop)) {
            input.extend(bytes_of(step));
            if matches!(step, Step::Line(l) if l == "STLS") {
                break;
            }
        }
        let whole = output_for_chunks(&input, &BTreeSet::new());
        let bytewise: BTreeSet<usize> = (1..input.len()).collect();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        prop_assert_eq!(text(&output_for_chunks(&input, &cuts)), text(&whole));
        prop_assert_eq!(text(&output_for_chunks(&input, &bytewise)), text(&whole));
    }
}
