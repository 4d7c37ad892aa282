//! End-to-end: a ClientSession wired to a ServerSession with a small test host, compared
//! line for line with the expected transcript. Also home of the test host and the driver the
//! session unit tests share. Sessions that go wrong are in `failures.rs`.

mod failures;

use super::*;
use crate::engine::time::VirtualTime;

/// A small host: the preset cast's users, two local domains, a few special mailboxes.
#[derive(Debug, Default)]
pub struct TestMta {
    pub local_domains: Vec<String>,
    /// Messages taken by `queue` or `deliver_lmtp`, with the session info they came with.
    pub stored: Vec<(SessionInfo, Envelope, Vec<u8>)>,
    /// Make `queue` fail, to show that no 250 is given for a message not stored.
    pub queue_fails: bool,
    /// Make `deliver_lmtp` return no results at all.
    pub lmtp_forgets: bool,
}

impl TestMta {
    pub fn new() -> Self {
        TestMta {
            local_domains: vec!["northwind.test".into(), "southbay.test".into()],
            ..TestMta::default()
        }
    }

    fn user_exists(m: &Mailbox) -> bool {
        ["alice", "carol", "bob", "postmaster"].contains(&m.local.as_str())
    }
}

impl Mta for TestMta {
    fn authenticate(&mut self, username: &str, password: &str) -> bool {
        matches!(
            (username, password),
            ("alice@northwind.test", "wonderland")
                | ("carol@northwind.test", "sunshine")
                | ("bob@southbay.test", "builder")
        )
    }

    fn check_sender(&mut self, _info: &SessionInfo, from: &ReversePath) -> Result<(), Reply> {
        match from.mailbox() {
            Some(m) if m.local == "spammer" => Err(Reply::new(
                553,
                EnhancedStatus::new(5, 7, 1),
                format!("<{m}>: Sender address rejected: Access denied"),
            )),
            _ => Ok(()),
        }
    }

    fn check_recipient(&mut self, info: &SessionInfo, rcpt: &Mailbox) -> Result<(), Reply> {
        // Postfix's wording for each refusal.
        let local = self.local_domains.iter().any(|d| rcpt.domain_is(d));
        if !local && info.authenticated.is_none() {
            return Err(Reply::new(
                554,
                EnhancedStatus::new(5, 7, 1),
                format!("<{rcpt}>: Relay access denied"),
            ));
        }
        match rcpt.local.as_str() {
            "grey" => Err(Reply::new(451, EnhancedStatus::new(4, 7, 1), format!("<{rcpt}>: Recipient address rejected: Greylisted"))),
            "full" => Err(Reply::new(452, EnhancedStatus::new(4, 2, 2), format!("<{rcpt}>: Mailbox full"))),
            _ if local && info.mode == Mode::Smtp && !TestMta::user_exists(rcpt) => Err(Reply::new(
                550,
                EnhancedStatus::new(5, 1, 1),
                format!("<{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
            )),
            _ => Ok(()),
        }
    }

    fn queue(
        &mut self,
        info: &SessionInfo,
        envelope: &Envelope,
        message: &[u8],
    ) -> Result<String, Reply> {
        if self.queue_fails {
            return Err(Reply::new(
                451,
                EnhancedStatus::new(4, 3, 0),
                "Error: queue file write error",
            ));
        }
        self.stored
            .push((info.clone(), envelope.clone(), message.to_vec()));
        Ok(format!("{:X}", 0x7F3A20 + self.stored.len()))
    }

    fn deliver_lmtp(
        &mut self,
        info: &SessionInfo,
        envelope: &Envelope,
        message: &[u8],
    ) -> Vec<Result<(), Reply>> {
        if self.lmtp_forgets {
            return Vec::new();
        }
        self.stored
            .push((info.clone(), envelope.clone(), message.to_vec()));
        envelope
            .recipients
            .iter()
            .map(|r| {
                if TestMta::user_exists(&r.address) {
                    Ok(())
                } else {
                    // Dovecot's wording.
                    Err(Reply::new(
                        550,
                        EnhancedStatus::new(5, 1, 1),
                        format!("<{}> User doesn't exist: {}", r.address, r.address),
                    ))
                }
            })
            .collect()
    }
}

/// A tiny linear congruential generator (Knuth's MMIX constants): fixed-seed "random"
/// splits without a rand crate.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }

    /// Cut `bytes` into random chunks of 1 to 7 octets.
    pub fn chunks<'a>(&mut self, bytes: &'a [u8]) -> Vec<&'a [u8]> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = (1 + self.next(7)).min(rest.len());
            let (head, tail) = rest.split_at(n);
            out.push(head);
            rest = tail;
        }
        out
    }
}

fn record(transcript: &mut String, who: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for line in text.split_inclusive("\r\n") {
        transcript.push_str(who);
        transcript.push_str(line.trim_end_matches("\r\n"));
        transcript.push('\n');
    }
}

/// Run client against server until both are quiet. Every transmit is recorded whole as
/// `C:` / `S:` lines; with a seed, it is delivered in random chunks.
pub fn converse(
    client: &mut ClientSession,
    server: &mut ServerSession,
    mta: &mut TestMta,
    mut split: Option<Lcg>,
) -> (String, Option<ClientOutcome>) {
    let now = VirtualTime::from_secs(1);
    let mut transcript = String::new();
    let mut outcome = None;
    let mut client_closed = false;
    for _ in 0..1000 {
        let mut progressed = false;
        while let Some(out) = server.poll_output() {
            progressed = true;
            match out {
                ServerOutput::Transmit(bytes) => {
                    record(&mut transcript, "S: ", &bytes);
                    match split.as_mut() {
                        Some(lcg) => lcg
                            .chunks(&bytes)
                            .into_iter()
                            .for_each(|c| client.handle_input(c, now)),
                        None => client.handle_input(&bytes, now),
                    }
                }
                ServerOutput::TlsStarted => transcript.push_str("(TLS starts)\n"),
                ServerOutput::Event(_) => {}
                ServerOutput::Close => client.handle_close(),
            }
        }
        while let Some(out) = client.poll_output() {
            progressed = true;
            match out {
                ClientOutput::Transmit(bytes) => {
                    record(&mut transcript, "C: ", &bytes);
                    match split.as_mut() {
                        Some(lcg) => lcg
                            .chunks(&bytes)
                            .into_iter()
                            .for_each(|c| server.handle_input(c, now, mta)),
                        None => server.handle_input(&bytes, now, mta),
                    }
                }
                ClientOutput::TlsStarted => {}
                ClientOutput::Event(o) => outcome = Some(o),
                ClientOutput::Close => client_closed = true,
            }
        }
        if !progressed || client_closed {
            break;
        }
    }
    (transcript, outcome)
}

pub fn mailbox(s: &str) -> Mailbox {
    Mailbox::parse(s).expect("test address")
}

pub fn envelope(from: &str, to: &[&str]) -> Envelope {
    Envelope::new(
        ReversePath::Mailbox(mailbox(from)),
        to.iter().map(|t| Recipient::new(mailbox(t))).collect(),
    )
}

const LETTER: &[u8] = b"From: alice@northwind.test\r\nTo: bob@southbay.test\r\nSubject: Hello\r\n\r\nHi Bob!\r\n.a line that starts with a dot\r\n";

fn expect_transcript(got: &str, expected: &str) {
    let expected: String = expected
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    assert_eq!(
        got, expected,
        "\n--- got ---\n{got}\n--- expected ---\n{expected}"
    );
}

fn accepted(outcome: &ClientOutcome) -> Vec<String> {
    outcome
        .recipients
        .iter()
        .filter(|(_, o)| matches!(o, RecipientOutcome::Accepted(_)))
        .map(|(m, _)| m.to_string())
        .collect()
}

#[test]
fn submission_with_starttls_and_auth_plain() {
    let mut server = ServerSession::new(
        ServerConfig::submission("smtp.northwind.test"),
        VirtualTime::ZERO,
    );
    let config = ClientConfig {
        pipelining: false,
        ..ClientConfig::submission(
            "alice-laptop.northwind.test",
            "alice@northwind.test",
            "wonderland",
        )
    };
    let mut client = ClientSession::new(
        config,
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    );
    let mut mta = TestMta::new();
    let (transcript, outcome) = converse(&mut client, &mut server, &mut mta, None);
    expect_transcript(
        &transcript,
        "S: 220 smtp.northwind.test ESMTP
         C: EHLO alice-laptop.northwind.test
         S: 250-smtp.northwind.test
         S: 250-PIPELINING
         S: 250-SIZE 10485760
         S: 250-STARTTLS
         S: 250-ENHANCEDSTATUSCODES
         S: 250-8BITMIME
         S: 250 DSN
         C: STARTTLS
         S: 220 2.0.0 Ready to start TLS
         (TLS starts)
         C: EHLO alice-laptop.northwind.test
         S: 250-smtp.northwind.test
         S: 250-PIPELINING
         S: 250-SIZE 10485760
         S: 250-AUTH PLAIN LOGIN
         S: 250-ENHANCEDSTATUSCODES
         S: 250-8BITMIME
         S: 250 DSN
         C: AUTH PLAIN AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ=
         S: 235 2.7.0 Authentication successful
         C: MAIL FROM:<alice@northwind.test> SIZE=110
         S: 250 2.1.0 Ok
         C: RCPT TO:<bob@southbay.test>
         S: 250 2.1.5 Ok
         C: DATA
         S: 354 End data with <CR><LF>.<CR><LF>
         C: From: alice@northwind.test
         C: To: bob@southbay.test
         C: Subject: Hello
         C: 
         C: Hi Bob!
         C: ..a line that starts with a dot
         C: .
         S: 250 2.0.0 Ok: queued as 7F3A21
         C: QUIT
         S: 221 2.0.0 Bye",
    );
    let outcome = outcome.expect("client finished");
    assert_eq!(accepted(&outcome), vec!["bob@southbay.test"]);
    assert_eq!(outcome.failure, None);
    // The host got the message un-stuffed, from an authenticated TLS session.
    let (info, env, message) = &mta.stored[0];
    assert_eq!(message.as_slice(), LETTER);
    assert_eq!(info.protocol_name(), "ESMTPSA");
    assert_eq!(info.authenticated.as_deref(), Some("alice@northwind.test"));
    assert_eq!(env.size, Some(LETTER.len() as u64));
    assert!(server.is_closed() && client.is_finished());
}

#[test]
fn relay_without_auth_one_unknown_user() {
    let mut server = ServerSession::new(ServerConfig::mx("mx.southbay.test"), VirtualTime::ZERO);
    let config = ClientConfig {
        pipelining: false,
        tls: TlsPolicy::None,
        ..ClientConfig::relay("smtp.northwind.test")
    };
    let env = envelope(
        "alice@northwind.test",
        &["bob@southbay.test", "nobody@southbay.test"],
    );
    let mut client = ClientSession::new(config, env, LETTER.to_vec());
    let mut mta = TestMta::new();
    let (transcript, outcome) = converse(&mut client, &mut server, &mut mta, None);
    expect_transcript(
        &transcript,
        "S: 220 mx.southbay.test ESMTP
         C: EHLO smtp.northwind.test
         S: 250-mx.southbay.test
         S: 250-PIPELINING
         S: 250-SIZE 10485760
         S: 250-STARTTLS
         S: 250-ENHANCEDSTATUSCODES
         S: 250-8BITMIME
         S: 250 DSN
         C: MAIL FROM:<alice@northwind.test> SIZE=110
         S: 250 2.1.0 Ok
         C: RCPT TO:<bob@southbay.test>
         S: 250 2.1.5 Ok
         C: RCPT TO:<nobody@southbay.test>
         S: 550 5.1.1 <nobody@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table
         C: DATA
         S: 354 End data with <CR><LF>.<CR><LF>
         C: From: alice@northwind.test
         C: To: bob@southbay.test
         C: Subject: Hello
         C: 
         C: Hi Bob!
         C: ..a line that starts with a dot
         C: .
         S: 250 2.0.0 Ok: queued as 7F3A21
         C: QUIT
         S: 221 2.0.0 Bye",
    );
    let outcome = outcome.expect("client finished");
    assert_eq!(accepted(&outcome), vec!["bob@southbay.test"]);
    assert!(matches!(
        &outcome.recipients[1].1,
        RecipientOutcome::Failed(Diagnostic::Remote(r)) if r.code == 550 && r.enhanced == Some(EnhancedStatus::new(5, 1, 1))
    ));
    assert_eq!(mta.stored[0].0.protocol_name(), "ESMTP");
    assert_eq!(mta.stored[0].1.recipients.len(), 1);
}

#[test]
fn lmtp_one_accepted_one_rejected() {
    let mut server =
        ServerSession::new(ServerConfig::lmtp("mail.southbay.test"), VirtualTime::ZERO);
    let env = envelope(
        "alice@northwind.test",
        &["bob@southbay.test", "nobody@southbay.test"],
    );
    let config = ClientConfig {
        pipelining: false,
        ..ClientConfig::lmtp("mx.southbay.test")
    };
    let mut client = ClientSession::new(config, env, LETTER.to_vec());
    let mut mta = TestMta::new();
    let (transcript, outcome) = converse(&mut client, &mut server, &mut mta, None);
    expect_transcript(
        &transcript,
        "S: 220 mail.southbay.test LMTP ready
         C: LHLO mx.southbay.test
         S: 250-mail.southbay.test
         S: 250-PIPELINING
         S: 250-SIZE 10485760
         S: 250-ENHANCEDSTATUSCODES
         S: 250-8BITMIME
         S: 250 DSN
         C: MAIL FROM:<alice@northwind.test> SIZE=110
         S: 250 2.1.0 Ok
         C: RCPT TO:<bob@southbay.test>
         S: 250 2.1.5 Ok
         C: RCPT TO:<nobody@southbay.test>
         S: 250 2.1.5 Ok
         C: DATA
         S: 354 End data with <CR><LF>.<CR><LF>
         C: From: alice@northwind.test
         C: To: bob@southbay.test
         C: Subject: Hello
         C: 
         C: Hi Bob!
         C: ..a line that starts with a dot
         C: .
         S: 250 2.0.0 <bob@southbay.test> Saved
         S: 550 5.1.1 <nobody@southbay.test> User doesn't exist: nobody@southbay.test
         C: QUIT
         S: 221 2.0.0 Bye",
    );
    let outcome = outcome.expect("client finished");
    assert_eq!(accepted(&outcome), vec!["bob@southbay.test"]);
    assert!(
        matches!(&outcome.recipients[1].1, RecipientOutcome::Failed(Diagnostic::Remote(r)) if r.code == 550)
    );
    assert_eq!(mta.stored[0].0.protocol_name(), "LMTP");
}

fn pipelined_session(split: Option<Lcg>) -> (String, Option<ClientOutcome>) {
    let mut server = ServerSession::new(ServerConfig::mx("mx.southbay.test"), VirtualTime::ZERO);
    let config = ClientConfig {
        tls: TlsPolicy::None,
        ..ClientConfig::relay("smtp.northwind.test")
    };
    let env = envelope(
        "alice@northwind.test",
        &[
            "bob@southbay.test",
            "grey@southbay.test",
            "carol@elsewhere.test",
        ],
    );
    let mut client = ClientSession::new(config, env, LETTER.to_vec());
    converse(&mut client, &mut server, &mut TestMta::new(), split)
}

#[test]
fn pipelining_sends_mail_rcpt_data_in_one_group() {
    let (transcript, outcome) = pipelined_session(None);
    expect_transcript(
        &transcript,
        "S: 220 mx.southbay.test ESMTP
         C: EHLO smtp.northwind.test
         S: 250-mx.southbay.test
         S: 250-PIPELINING
         S: 250-SIZE 10485760
         S: 250-STARTTLS
         S: 250-ENHANCEDSTATUSCODES
         S: 250-8BITMIME
         S: 250 DSN
         C: MAIL FROM:<alice@northwind.test> SIZE=110
         C: RCPT TO:<bob@southbay.test>
         C: RCPT TO:<grey@southbay.test>
         C: RCPT TO:<carol@elsewhere.test>
         C: DATA
         S: 250 2.1.0 Ok
         S: 250 2.1.5 Ok
         S: 451 4.7.1 <grey@southbay.test>: Recipient address rejected: Greylisted
         S: 554 5.7.1 <carol@elsewhere.test>: Relay access denied
         S: 354 End data with <CR><LF>.<CR><LF>
         C: From: alice@northwind.test
         C: To: bob@southbay.test
         C: Subject: Hello
         C: 
         C: Hi Bob!
         C: ..a line that starts with a dot
         C: .
         S: 250 2.0.0 Ok: queued as 7F3A21
         C: QUIT
         S: 221 2.0.0 Bye",
    );
    let outcome = outcome.expect("client finished");
    let kinds: Vec<&str> = outcome
        .recipients
        .iter()
        .map(|(_, o)| match o {
            RecipientOutcome::Accepted(_) => "accepted",
            RecipientOutcome::Deferred(_) => "deferred",
            RecipientOutcome::Failed(_) => "failed",
        })
        .collect();
    assert_eq!(kinds, vec!["accepted", "deferred", "failed"]);
}

#[test]
fn same_transcript_whatever_the_chunking() {
    let (whole, outcome) = pipelined_session(None);
    for seed in 1..40 {
        let (split, split_outcome) = pipelined_session(Some(Lcg(seed)));
        assert_eq!(split, whole, "seed {seed}");
        assert_eq!(split_outcome, outcome, "seed {seed}");
    }
}

/// A server that does not know EHLO, like an old SMTP-only MTA.
struct NoEsmtp(ServerSession);

#[test]
fn helo_fallback_when_ehlo_is_refused() {
    let mut server = NoEsmtp(ServerSession::new(
        ServerConfig::mx("old.southbay.test"),
        VirtualTime::ZERO,
    ));
    let mut client = ClientSession::new(
        ClientConfig::relay("smtp.northwind.test"),
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    );
    let mut mta = TestMta::new();
    let now = VirtualTime::ZERO;
    let mut transcript = String::new();
    // Drive by hand: EHLO gets the 502 an RFC 821 server gives, everything else goes to the
    // real session.
    for _ in 0..100 {
        let mut progressed = false;
        while let Some(out) = server.0.poll_output() {
            progressed = true;
            if let ServerOutput::Transmit(b) = out {
                record(&mut transcript, "S: ", &b);
                client.handle_input(&b, now);
            }
        }
        while let Some(out) = client.poll_output() {
            progressed = true;
            if let ClientOutput::Transmit(b) = out {
                record(&mut transcript, "C: ", &b);
                if b.starts_with(b"EHLO") {
                    let reply = Reply::new(
                        502,
                        EnhancedStatus::new(5, 5, 2),
                        "Error: command not recognized",
                    );
                    record(&mut transcript, "S: ", &reply.to_wire());
                    client.handle_input(&reply.to_wire(), now);
                } else {
                    server.0.handle_input(&b, now, &mut mta);
                }
            }
        }
        if !progressed {
            break;
        }
    }
    expect_transcript(
        &transcript,
        "S: 220 old.southbay.test ESMTP
         C: EHLO smtp.northwind.test
         S: 502 5.5.2 Error: command not recognized
         C: HELO smtp.northwind.test
         S: 250 old.southbay.test
         C: MAIL FROM:<alice@northwind.test>
         S: 250 2.1.0 Ok
         C: RCPT TO:<bob@southbay.test>
         S: 250 2.1.5 Ok
         C: DATA
         S: 354 End data with <CR><LF>.<CR><LF>
         C: From: alice@northwind.test
         C: To: bob@southbay.test
         C: Subject: Hello
         C: 
         C: Hi Bob!
         C: ..a line that starts with a dot
         C: .
         S: 250 2.0.0 Ok: queued as 7F3A21
         C: QUIT
         S: 221 2.0.0 Bye",
    );
    // After HELO the Received: protocol is plain SMTP (RFC 3848).
    assert_eq!(mta.stored[0].0.protocol_name(), "SMTP");
}
