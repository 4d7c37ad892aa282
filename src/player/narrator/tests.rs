//! The narrator, table by table: one row per kind of event, and one per reply class of each
//! protocol, each narrated from a small trace made by hand.

use super::*;
use crate::engine::trace::{details, Direction, Event, MailboxEntry};
use crate::engine::time::VirtualTime;

fn at(ms: u64, kind: EventKind) -> Event {
    Event { at: VirtualTime(ms), kind }
}

fn connected(connection: u32, protocol: &str, port: u16) -> Event {
    at(
        0,
        EventKind::Connected(Box::new(details::Connected {
            connection,
            client: "client.test".into(),
            client_port: 49152,
            server: "server.test".into(),
            port,
            protocol: serde_json::from_value(serde_json::json!(protocol)).expect("a service"),
            carrying: None,
        })),
    )
}

fn line(direction: Direction, text: &str) -> Event {
    at(1, EventKind::Line { connection: 1, direction, text: text.into(), tls: false })
}

/// The narration of the trace's last event, with the events before it as context.
fn last(events: Vec<Event>) -> Narration {
    let trace = Trace::new("t", events);
    let n = trace.events.len() - 1;
    narrate(&trace, Step { first: n, last: n }, &Cast::default())
}

fn sentence(events: Vec<Event>) -> String {
    let n = last(events);
    assert_eq!(n.sentences.len(), 1, "{:?}", n.sentences);
    n.sentences[0].clone()
}

#[test]
fn every_kind_of_event_is_said() {
    use details::*;
    let s = |v: &str| v.to_string();
    let table: Vec<(EventKind, &str)> = vec![
        (EventKind::Action(Box::new(Action { actor: s("Bob's phone"), text: s("Bob checks his mail") })), "On Bob's phone, Bob checks his mail."),
        (
            EventKind::Composed(Box::new(Composed { device: s("pc.test"), message_id: s("<1@x.test>"), from: s("a@x.test"), to: vec![s("b@y.test")], bcc: vec![], subject: s("Hi") })),
            "The mail program on pc.test writes the letter \"Hi\" from a@x.test to b@y.test",
        ),
        (EventKind::DnsQuery(Box::new(DnsQuery { host: s("mta.test"), name: s("y.test"), record: RecordType::MX, purpose: None })), "mta.test asks DNS: which servers take mail for y.test?"),
        (EventKind::DnsQuery(Box::new(DnsQuery { host: s("mta.test"), name: s("mx.y.test"), record: RecordType::A, purpose: None })), "mta.test asks DNS for the address (A record) of mx.y.test."),
        (
            EventKind::DnsResponse(Box::new(DnsResponse { host: s("mta.test"), name: s("y.test"), record: RecordType::MX, answer: DnsAnswer::Records { records: vec![s("MX 10 mx.y.test"), s("MX 20 backup.y.test")] }, purpose: None })),
            "DNS tells mta.test: mail for y.test goes to mx.y.test (preference 10) and backup.y.test (preference 20).",
        ),
        (
            EventKind::DnsResponse(Box::new(DnsResponse { host: s("mta.test"), name: s("mx.y.test"), record: RecordType::A, answer: DnsAnswer::Records { records: vec![s("A 198.51.100.25")] }, purpose: None })),
            "DNS tells mta.test: mx.y.test is at 198.51.100.25.",
        ),
        (EventKind::DnsResponse(Box::new(DnsResponse { host: s("mta.test"), name: s("y.test"), record: RecordType::MX, answer: DnsAnswer::NoData, purpose: None })), "so its own address takes the mail"),
        (EventKind::DnsResponse(Box::new(DnsResponse { host: s("mta.test"), name: s("z.test"), record: RecordType::MX, answer: DnsAnswer::NxDomain, purpose: None })), "z.test does not exist"),
        (EventKind::DnsResponse(Box::new(DnsResponse { host: s("mta.test"), name: s("z.test"), record: RecordType::MX, answer: DnsAnswer::ServFail, purpose: None })), "(SERVFAIL)"),
        (EventKind::Connecting(Box::new(Connecting { client: s("mta.test"), server: s("mx.test"), address: s("198.51.100.25"), port: 25 })), "port 25: the port for mail between servers (SMTP, the Simple Mail Transfer Protocol)."),
        (EventKind::Connecting(Box::new(Connecting { client: s("pc.test"), server: s("mail.test"), address: s("198.51.100.30"), port: 110 })), "port 110: the port for POP3 (the Post Office Protocol), to download letters."),
        (EventKind::Connecting(Box::new(Connecting { client: s("pc.test"), server: s("mail.test"), address: s("198.51.100.30"), port: 993 })), "port 993: the port for IMAP (the Internet Message Access Protocol) inside TLS."),
        (EventKind::ConnectFailed(Box::new(ConnectFailed { client: s("mta.test"), server: s("mx.test"), address: s("198.51.100.25"), port: 25, reason: s("connection timed out") })), "mta.test cannot reach mx.test on port 25: connection timed out."),
        (connected(1, "smtp", 25).kind, "The connection is up: client.test and server.test can now talk on port 25."),
        (EventKind::Queued(Box::new(Queued { host: s("mta.test"), queue_id: s("ABC"), message_id: s("<1@x.test>"), from: s("a@x.test"), to: vec![s("b@y.test")] })), "mta.test stores the letter safely in its queue as ABC"),
        (
            EventKind::Deferred(Box::new(Deferred { host: s("mta.test"), queue_id: s("ABC"), recipients: vec![s("b@y.test")], reason: s("connection timed out"), retry_at: VirtualTime(310_000) })),
            "the next try is at 00:05:10.000, in 5 minutes.",
        ),
        (EventKind::Retry(Box::new(Retry { host: s("mta.test"), queue_id: s("ABC"), attempt: 2 })), "tries again (attempt 2)."),
        (EventKind::Relayed(Box::new(Relayed { host: s("mta.test"), queue_id: s("ABC"), recipients: vec![s("b@y.test")], to_host: s("mx.test") })), "mx.test has taken responsibility"),
        (EventKind::Power { host: s("mx.test"), up: false }, "mx.test is switched off"),
        (EventKind::Power { host: s("mx.test"), up: true }, "mx.test is switched on again"),
        (EventKind::MailboxRemoved(Box::new(MailboxRemoved { host: s("mail.test"), user: s("b@y.test"), message_ids: vec![s("<1@x.test>"), s("<2@x.test>")] })), "mail.test removes 2 letters from b@y.test's mailbox"),
        (EventKind::Delivered(Box::new(Delivered { host: s("mail.test"), user: s("b@y.test"), folder: s("INBOX"), message_id: s("<1@x.test>"), message: s("") })), "lands in b@y.test's mailbox on mail.test, in the folder INBOX"),
        (EventKind::Bounced(Box::new(Bounced { host: s("mta.test"), queue_id: s("ABC"), recipients: vec![s("c@y.test")], reason: s("550 5.1.1 unknown") })), "mta.test gives up on c@y.test: 550 5.1.1 unknown."),
        (EventKind::DelayWarning(Box::new(DelayWarning { host: s("mta.test"), queue_id: s("ABC"), recipients: vec![s("b@y.test")] })), "the letter is late"),
        (EventKind::Removed(Box::new(Removed { host: s("mta.test"), queue_id: s("ABC") })), "mta.test is done with ABC"),
        (EventKind::NotSent(Box::new(NotSent { device: s("pc.test"), message_id: s("<1@x.test>"), recipients: vec![s("b@y.test")], reason: s("535 5.7.8") })), "could not hand the letter over for b@y.test: 535 5.7.8."),
        (
            EventKind::Fetched(Box::new(Fetched { device: s("pc.test"), user: s("b@y.test"), service: crate::engine::scenario::Service::Pop3, message_ids: vec![s("<1@x.test>")], on_server: 1, deleted: 1, mailbox: vec![] })),
            "pc.test downloaded 1 letter for b@y.test over POP3 (1 on the server; 1 deleted there).",
        ),
        (
            EventKind::Fetched(Box::new(Fetched {
                device: s("phone.test"),
                user: s("b@y.test"),
                service: crate::engine::scenario::Service::Imap,
                message_ids: vec![],
                on_server: 1,
                deleted: 0,
                mailbox: vec![MailboxEntry { uid: 1, flags: vec![], message_id: Some(s("<1@x.test>")), subject: None }],
            })),
            "phone.test now shows b@y.test's mailbox as it is on the server: 1 letter.",
        ),
        (EventKind::FetchFailed(Box::new(FetchFailed { device: s("pc.test"), user: s("b@y.test"), reason: s("-ERR [AUTH] failed") })), "pc.test could not read b@y.test's mail: -ERR [AUTH] failed."),
    ];
    for (kind, expected) in table {
        let said = sentence(vec![at(0, kind)]);
        assert!(said.contains(expected), "expected {expected:?} in {said:?}");
    }
    // TLS and the end of a connection name its two ends, found where it opened.
    let tls = sentence(vec![connected(1, "smtp", 25), at(5, EventKind::TlsStarted { connection: 1 })]);
    assert!(tls.starts_with("client.test and server.test finish the TLS handshake."), "{tls}");
    let closed = sentence(vec![connected(1, "smtp", 25), at(5, EventKind::Closed { connection: 1 })]);
    assert_eq!(closed, "The connection between client.test and server.test is closed.");
}

#[test]
fn an_engine_note_is_a_reason_and_replaces_the_general_one_for_its_section() {
    let n = last(vec![
        connected(1, "smtp", 25),
        line(Direction::ServerToClient, "220 mx ESMTP"),
        line(Direction::ClientToServer, "EHLO a"),
        line(Direction::ServerToClient, "250 mx"),
        line(Direction::ClientToServer, "STARTTLS"),
        line(Direction::ServerToClient, "220 2.0.0 Ready to start TLS"),
    ]);
    assert_eq!(n.why[0].rfc, "RFC 3207 4");
    let trace = Trace::new(
        "t",
        vec![
            connected(1, "smtp", 25),
            line(Direction::ServerToClient, "220 mx ESMTP"),
            line(Direction::ClientToServer, "STARTTLS"),
            line(Direction::ServerToClient, "220 2.0.0 Ready to start TLS"),
            at(1, EventKind::Explain(Box::new(details::Explain { connection: Some(1), rfc: "RFC 3207 4".into(), text: "Here in particular.".into() }))),
        ],
    );
    let n = narrate(&trace, Step { first: 3, last: 4 }, &Cast::default());
    assert_eq!(n.why.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), vec!["Here in particular."]);
}

/// Replies of every class of each protocol, narrated after the command they answer.
#[test]
fn replies_of_every_class_of_each_protocol() {
    use Direction::{ClientToServer as C, ServerToClient as S};
    // (protocol, port, the connection's lines, how the last reply is said)
    type Case<'a> = (&'a str, u16, Vec<(Direction, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        // SMTP: 2xx, 3xx, 4xx, 5xx.
        ("smtp", 25, vec![(S, "220 mx ESMTP"), (C, "HELO a"), (S, "250 mx")], "server.test answers 250: hello back."),
        ("smtp", 25, vec![(S, "220 mx ESMTP"), (C, "HELO a"), (S, "250 mx"), (C, "MAIL FROM:<a@x.test>"), (S, "250 2.1.0 Ok"), (C, "RCPT TO:<b@y.test>"), (S, "250 2.1.5 Ok"), (C, "DATA"), (S, "354 End data with <CR><LF>.<CR><LF>")], "server.test answers 354: go ahead"),
        ("smtp", 25, vec![(S, "220 mx ESMTP"), (C, "HELO a"), (S, "250 mx"), (C, "MAIL FROM:<a@x.test>"), (S, "250 2.1.0 Ok"), (C, "RCPT TO:<b@y.test>"), (S, "450 4.2.0 <b@y.test>: Recipient address rejected: try later")], "server.test answers 450 4.2.0: a temporary failure."),
        ("smtp", 25, vec![(S, "220 mx ESMTP"), (C, "HELO a"), (S, "250 mx"), (C, "MAIL FROM:<a@x.test>"), (S, "250 2.1.0 Ok"), (C, "RCPT TO:<nobody@y.test>"), (S, "550 5.1.1 <nobody@y.test>: Recipient address rejected: User unknown")], "server.test answers 550 5.1.1: there is no user nobody@y.test here."),
        // The banner's lesson: what it gives away, and that a server may hide it.
        ("smtp", 25, vec![(S, "220 mx.southbay.test ESMTP")], "server.test answers 220: hello, I am ready. This banner tells anyone who connects the server's name; many servers leave their software and version out of it (Postfix's smtpd_banner)"),
        ("lmtp", 24, vec![(S, "220 mail LMTP ready")], "server.test answers 220: hello, I am ready to put letters into mailboxes."),
        // POP3: +OK and -ERR.
        ("pop3", 110, vec![(S, "+OK Dovecot ready."), (C, "USER b@y.test"), (S, "+OK")], "server.test answers +OK: now the password, please."),
        ("pop3", 110, vec![(S, "+OK Dovecot ready."), (C, "USER b@y.test"), (S, "+OK"), (C, "PASS wrong"), (S, "-ERR [AUTH] Authentication failed.")], "server.test answers -ERR: the login failed"),
        ("pop3", 110, vec![(S, "+OK Dovecot ready."), (C, "USER b@y.test"), (S, "+OK"), (C, "PASS right"), (S, "+OK Logged in."), (C, "RETR 1"), (S, "+OK 20 octets"), (S, "Subject: hi"), (S, ""), (S, "Hello"), (S, ".")], "server.test answers +OK: here is letter 1: 3 lines"),
        // IMAP: untagged, continuation, OK, NO, BAD.
        ("imap", 143, vec![(S, "* OK [CAPABILITY IMAP4rev2] ready"), (C, "a1 SELECT INBOX"), (S, "* 2 EXISTS")], "server.test sends data along (lines starting with *): how many letters the folder holds (EXISTS)."),
        ("imap", 143, vec![(S, "* OK [CAPABILITY IMAP4rev2] ready"), (C, "a1 AUTHENTICATE PLAIN"), (S, "+ ")], "server.test answers + : go on"),
        ("imap", 143, vec![(S, "* OK [CAPABILITY IMAP4rev2] ready"), (C, "a1 LOGIN b@y.test builder"), (S, "a1 OK Logged in")], "server.test answers OK with the command's tag: LOGIN done."),
        ("imap", 143, vec![(S, "* OK [CAPABILITY IMAP4rev2] ready"), (C, "a1 LOGIN b@y.test nope"), (S, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.")], "server.test answers NO with the command's tag: LOGIN refused"),
        ("imap", 143, vec![(S, "* OK [CAPABILITY IMAP4rev2] ready"), (C, "a1 FROB"), (S, "a1 BAD Error in IMAP command FROB: Unknown command.")], "server.test answers BAD with the command's tag: FROB not understood"),
    ];
    for (protocol, port, lines, expected) in cases {
        let mut events = vec![connected(1, protocol, port)];
        events.extend(lines.iter().map(|(d, t)| line(*d, t)));
        // The whole reply is one step: from the first line after the last client line.
        let first = events.iter().rposition(|e| matches!(&e.kind, EventKind::Line { direction: Direction::ClientToServer, .. })).map_or(1, |i| i + 1);
        let trace = Trace::new("t", events);
        let n = narrate(&trace, Step { first, last: trace.events.len() - 1 }, &Cast::default());
        assert!(n.sentences.iter().any(|s| s.starts_with(expected)), "{protocol}: expected {expected:?} in {:?}", n.sentences);
        assert!(!n.why.is_empty(), "{protocol}: a reply has a reason: {expected}");
    }
}

#[test]
fn commands_are_said_with_what_they_carry() {
    use Direction::{ClientToServer as C, ServerToClient as S};
    let said = sentence(vec![connected(1, "submission", 587), line(S, "220 s ESMTP"), line(C, "MAIL FROM:<>")]);
    assert!(said.contains("MAIL FROM:<>, the empty sender"), "{said}");
    let said = sentence(vec![connected(1, "submission", 587), line(S, "220 s ESMTP"), line(C, "AUTH PLAIN AGFAYgBj")]);
    assert!(said.contains("The connection is not encrypted: anyone listening can decode them."), "{said}");
    let said = sentence(vec![connected(1, "imap", 143), line(S, "* OK ready"), line(C, "a1 UID STORE 1 +FLAGS (\\Seen \\Flagged)")]);
    assert!(said.contains("sets the flags \\Seen \\Flagged on the server"), "{said}");
    let said = sentence(vec![connected(1, "pop3", 110), line(S, "+OK ready"), line(C, "DELE 2")]);
    assert!(said.contains("marks letter number 2 for deletion"), "{said}");
    let said = sentence(vec![connected(1, "smtp", 25), line(S, "220 s ESMTP"), line(C, "WIBBLE")]);
    assert!(said.contains("\"WIBBLE\", which is not an SMTP command"), "{said}");
}
