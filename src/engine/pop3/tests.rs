//! End-to-end: a POP3 ClientSession wired to a ServerSession over a test host's store,
//! compared line for line with the expected transcript. Also home of the test host and the
//! drivers the server's unit tests share.

use super::*;
use crate::engine::mail::store::{Flag, Uid, INBOX};
use crate::engine::mail::{MailStore, Message};
use crate::engine::time::VirtualTime;

/// The preset cast's passwords, and Bob's maildrop.
#[derive(Debug, Default)]
pub struct TestHost {
    pub store: MailStore,
}

impl Maildrop for TestHost {
    fn authenticate(&mut self, user: &str, password: &str) -> bool {
        self.apop_secret(user)
            .is_some_and(|secret| secret == password)
    }

    fn apop_secret(&mut self, user: &str) -> Option<String> {
        match user.to_ascii_lowercase().as_str() {
            "alice@northwind.test" => Some("wonderland".into()),
            "bob@southbay.test" => Some("builder".into()),
            _ => None,
        }
    }

    fn store(&mut self) -> &mut MailStore {
        &mut self.store
    }
}

pub const BOB: &str = "bob@southbay.test";
pub const FIRST: &[u8] = b"From: alice@northwind.test\r\nTo: bob@southbay.test\r\nSubject: Hello\r\n\r\nHi Bob!\r\n.a line that starts with a dot\r\n";
pub const SECOND: &[u8] = b"From: carol@northwind.test\r\nSubject: Lunch\r\n\r\nNoon?\r\n";

/// Bob's INBOX with [`FIRST`] (UID 1) and [`SECOND`] (UID 2).
pub fn host() -> TestHost {
    let mut host = TestHost::default();
    host.store.deliver(
        BOB,
        Message::from_bytes(FIRST.to_vec()),
        VirtualTime::from_secs(1),
    );
    host.store.deliver(
        BOB,
        Message::from_bytes(SECOND.to_vec()),
        VirtualTime::from_secs(2),
    );
    host
}

pub fn inbox_uids(host: &TestHost) -> Vec<u32> {
    host.store
        .folder(BOB, INBOX)
        .map(|f| f.messages().iter().map(|m| m.uid.0).collect())
        .unwrap_or_default()
}

pub fn now() -> VirtualTime {
    VirtualTime::from_secs(1)
}

pub fn record(transcript: &mut String, who: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for line in text.split_inclusive("\r\n") {
        transcript.push_str(who);
        transcript.push_str(line.trim_end_matches("\r\n"));
        transcript.push('\n');
    }
}

/// Drain the server's output into the transcript; true if it asked to close.
pub fn drain_server(
    server: &mut ServerSession,
    transcript: &mut String,
    mut to_client: impl FnMut(&[u8]),
) -> bool {
    let mut closed = false;
    while let Some(out) = server.poll_output() {
        match out {
            ServerOutput::Transmit(bytes) => {
                record(transcript, "S: ", &bytes);
                to_client(&bytes);
            }
            ServerOutput::TlsStarted => transcript.push_str("(TLS starts)\n"),
            ServerOutput::Event(_) => {}
            ServerOutput::Close => closed = true,
        }
    }
    closed
}

/// Run client against server until both are quiet.
pub fn converse(
    client: &mut ClientSession,
    server: &mut ServerSession,
    host: &mut TestHost,
) -> (String, Option<ClientOutcome>) {
    let mut transcript = String::new();
    let mut outcome = None;
    for _ in 0..1000 {
        let mut progressed = false;
        let mut replies = Vec::new();
        if drain_server(server, &mut transcript, |b| replies.push(b.to_vec())) {
            progressed = true;
            for r in &replies {
                client.handle_input(r, now());
            }
            client.handle_close();
        } else {
            progressed |= !replies.is_empty();
            for r in &replies {
                client.handle_input(r, now());
            }
        }
        let mut client_closed = false;
        while let Some(out) = client.poll_output() {
            progressed = true;
            match out {
                ClientOutput::Transmit(bytes) => {
                    record(&mut transcript, "C: ", &bytes);
                    server.handle_input(&bytes, now(), host);
                }
                ClientOutput::TlsStarted => {}
                ClientOutput::Event(o) => outcome = Some(o),
                ClientOutput::Close => client_closed = true,
            }
        }
        if client_closed {
            server.handle_close(host);
            drain_server(server, &mut transcript, |_| {});
            break;
        }
        if !progressed {
            break;
        }
    }
    (transcript, outcome)
}

pub fn expect_transcript(got: &str, expected: &str) {
    let expected: String = expected
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    assert_eq!(
        got, expected,
        "\n--- got ---\n{got}\n--- expected ---\n{expected}"
    );
}

fn plain_server() -> ServerSession {
    let config = ServerConfig {
        require_tls_for_plaintext: false,
        ..ServerConfig::pop3("mail.southbay.test")
    };
    ServerSession::new(config, 1, now())
}

#[test]
fn stls_user_pass_stat_list_uidl_retr_dele_quit() {
    let mut host = host();
    let mut server = ServerSession::new(ServerConfig::pop3("mail.southbay.test"), 1, now());
    let config = ClientConfig {
        delete_after_download: true,
        ..ClientConfig::new(BOB, "builder")
    };
    let mut client = ClientSession::new(config, now());
    let (transcript, outcome) = converse(&mut client, &mut server, &mut host);
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: CAPA
         S: +OK
         S: CAPA
         S: TOP
         S: UIDL
         S: RESP-CODES
         S: PIPELINING
         S: AUTH-RESP-CODE
         S: STLS
         S: .
         C: STLS
         S: +OK Begin TLS negotiation now.
         (TLS starts)
         C: CAPA
         S: +OK
         S: CAPA
         S: TOP
         S: UIDL
         S: RESP-CODES
         S: PIPELINING
         S: AUTH-RESP-CODE
         S: USER
         S: SASL PLAIN
         S: .
         C: USER bob@southbay.test
         S: +OK
         C: PASS builder
         S: +OK Logged in.
         C: STAT
         S: +OK 2 163
         C: LIST
         S: +OK 2 messages:
         S: 1 110
         S: 2 53
         S: .
         C: UIDL
         S: +OK
         S: 1 0000000100000001
         S: 2 0000000200000001
         S: .
         C: RETR 1
         S: +OK 110 octets
         S: From: alice@northwind.test
         S: To: bob@southbay.test
         S: Subject: Hello
         S: 
         S: Hi Bob!
         S: ..a line that starts with a dot
         S: .
         C: DELE 1
         S: +OK Marked to be deleted.
         C: RETR 2
         S: +OK 53 octets
         S: From: carol@northwind.test
         S: Subject: Lunch
         S: 
         S: Noon?
         S: .
         C: DELE 2
         S: +OK Marked to be deleted.
         C: QUIT
         S: +OK Logging out, messages deleted.",
    );
    let outcome = outcome.expect("client finished");
    assert_eq!(outcome.failure, None);
    assert_eq!(outcome.on_server, 2);
    // Un-stuffed, byte for byte what was delivered.
    assert_eq!(
        outcome.downloaded,
        vec![
            ("0000000100000001".to_string(), FIRST.to_vec()),
            ("0000000200000001".to_string(), SECOND.to_vec())
        ]
    );
    assert_eq!(outcome.deleted, ["0000000100000001", "0000000200000001"]);
    assert!(inbox_uids(&host).is_empty(), "deleted at QUIT");
    assert!(!host.store.is_maildrop_locked(BOB));
    assert!(server.is_closed() && client.is_finished() && client.tls_active());
}

#[test]
fn apop_login_leaves_mail_on_the_server_and_marks_it_seen() {
    let mut host = host();
    let config = ServerConfig {
        offer_apop: true,
        offer_stls: false,
        ..ServerConfig::pop3("mail.southbay.test")
    };
    let mut server = ServerSession::new(config, 7, now());
    let seen: std::collections::BTreeSet<String> = ["0000000100000001".to_string()].into();
    let config = ClientConfig {
        login: Login::Apop,
        tls: TlsPolicy::None,
        seen_uidls: seen,
        ..ClientConfig::new(BOB, "builder")
    };
    let mut client = ClientSession::new(config, now());
    let (transcript, outcome) = converse(&mut client, &mut server, &mut host);
    let digest = apop::digest("<7.1772442001@mail.southbay.test>", "builder");
    expect_transcript(
        &transcript,
        &format!(
            "S: +OK Dovecot ready. <7.1772442001@mail.southbay.test>
             C: CAPA
             S: +OK
             S: CAPA
             S: TOP
             S: UIDL
             S: RESP-CODES
             S: PIPELINING
             S: AUTH-RESP-CODE
             S: .
             C: APOP bob@southbay.test {digest}
             S: +OK Logged in.
             C: STAT
             S: +OK 2 163
             C: LIST
             S: +OK 2 messages:
             S: 1 110
             S: 2 53
             S: .
             C: UIDL
             S: +OK
             S: 1 0000000100000001
             S: 2 0000000200000001
             S: .
             C: RETR 2
             S: +OK 53 octets
             S: From: carol@northwind.test
             S: Subject: Lunch
             S: 
             S: Noon?
             S: .
             C: QUIT
             S: +OK Logging out."
        ),
    );
    let outcome = outcome.expect("finished");
    assert_eq!(outcome.failure, None);
    assert_eq!(
        outcome.downloaded.len(),
        1,
        "the already-seen UIDL is skipped"
    );
    assert!(outcome.deleted.is_empty());
    assert_eq!(inbox_uids(&host), [1, 2], "leave on server");
    // RETR'd messages get \Seen at UPDATE, so an IMAP client shows them read.
    let inbox = host.store.folder(BOB, INBOX).expect("INBOX");
    assert!(!inbox
        .get(Uid(1))
        .is_some_and(|m| m.flags.contains(&Flag::Seen)));
    assert!(inbox
        .get(Uid(2))
        .is_some_and(|m| m.flags.contains(&Flag::Seen)));
}

#[test]
fn auth_plain_over_implicit_tls() {
    let mut host = host();
    let mut server = ServerSession::new(ServerConfig::pop3s("mail.southbay.test"), 2, now());
    let config = ClientConfig {
        login: Login::Plain,
        tls: TlsPolicy::Implicit,
        seen_uidls: [
            "0000000100000001".to_string(),
            "0000000200000001".to_string(),
        ]
        .into(),
        ..ClientConfig::new(BOB, "builder")
    };
    let mut client = ClientSession::new(config, now());
    let (transcript, outcome) = converse(&mut client, &mut server, &mut host);
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: CAPA
         S: +OK
         S: CAPA
         S: TOP
         S: UIDL
         S: RESP-CODES
         S: PIPELINING
         S: AUTH-RESP-CODE
         S: USER
         S: SASL PLAIN
         S: .
         C: AUTH PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=
         S: +OK Logged in.
         C: STAT
         S: +OK 2 163
         C: LIST
         S: +OK 2 messages:
         S: 1 110
         S: 2 53
         S: .
         C: UIDL
         S: +OK
         S: 1 0000000100000001
         S: 2 0000000200000001
         S: .
         C: QUIT
         S: +OK Logging out.",
    );
    let outcome = outcome.expect("finished");
    assert_eq!(
        (outcome.failure, outcome.downloaded.len()),
        (None, 0),
        "nothing new"
    );
}

#[test]
fn wrong_password_fails_and_takes_no_lock() {
    let mut host = host();
    let mut server = plain_server();
    let config = ClientConfig {
        tls: TlsPolicy::None,
        ..ClientConfig::new(BOB, "bulldozer")
    };
    let mut client = ClientSession::new(config, now());
    let (transcript, outcome) = converse(&mut client, &mut server, &mut host);
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: CAPA
         S: +OK
         S: CAPA
         S: TOP
         S: UIDL
         S: RESP-CODES
         S: PIPELINING
         S: AUTH-RESP-CODE
         S: STLS
         S: USER
         S: SASL PLAIN
         S: .
         C: USER bob@southbay.test
         S: +OK
         C: PASS bulldozer
         S: -ERR [AUTH] Authentication failed.
         C: QUIT
         S: +OK Logging out",
    );
    let failure = outcome.and_then(|o| o.failure).expect("a failure");
    assert_eq!(failure.stage, Stage::Login);
    assert_eq!(failure.text, "-ERR [AUTH] Authentication failed.");
    assert!(!host.store.is_maildrop_locked(BOB));
    assert_eq!(inbox_uids(&host), [1, 2]);
}

#[test]
fn second_login_while_locked_gets_in_use() {
    let mut host = host();
    // A first session logs in and stays in TRANSACTION.
    let mut first = plain_server();
    first.handle_input(
        b"USER bob@southbay.test\r\nPASS builder\r\n",
        now(),
        &mut host,
    );
    assert_eq!(first.state(), State::Transaction);

    let mut server = ServerSession::new(
        ServerConfig {
            require_tls_for_plaintext: false,
            ..ServerConfig::pop3("mail.southbay.test")
        },
        2,
        now(),
    );
    let config = ClientConfig {
        login: Login::Plain,
        tls: TlsPolicy::None,
        delete_after_download: true,
        ..ClientConfig::new(BOB, "builder")
    };
    let mut client = ClientSession::new(config, now());
    let (transcript, outcome) = converse(&mut client, &mut server, &mut host);
    let tail: Vec<&str> = transcript
        .lines()
        .skip_while(|l| !l.starts_with("C: AUTH"))
        .collect();
    assert_eq!(
        tail,
        [
            "C: AUTH PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=",
            "S: -ERR [IN-USE] Mailbox is locked by another POP3 session.",
            "C: QUIT",
            "S: +OK Logging out",
        ]
    );
    let failure = outcome.and_then(|o| o.failure).expect("a failure");
    assert!(failure.text.starts_with("-ERR [IN-USE]"));
    // The first session still holds the lock; once it quits, a new login works.
    assert!(host.store.is_maildrop_locked(BOB));
    first.handle_input(b"QUIT\r\n", now(), &mut host);
    assert!(!host.store.is_maildrop_locked(BOB));
    let mut third = plain_server();
    third.handle_input(
        b"USER bob@southbay.test\r\nPASS builder\r\n",
        now(),
        &mut host,
    );
    assert_eq!(third.state(), State::Transaction);
}
