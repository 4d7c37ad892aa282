//! The server alone, driven by scripted client lines: the commands the client session never
//! sends (TOP, RSET, LAST...), dropped connections, timeouts and input split anywhere.

use super::*;
use crate::engine::mail::store::{Uid, INBOX};
use crate::engine::mail::Message;
use crate::engine::pop3::tests::{
    drain_server, expect_transcript, host, inbox_uids, now, record, TestHost, BOB,
};

fn server() -> ServerSession {
    let config = ServerConfig {
        require_tls_for_plaintext: false,
        ..ServerConfig::pop3("mail.southbay.test")
    };
    ServerSession::new(config, 1, now())
}

/// Greeting, then each line sent whole with its responses; true in the second value if
/// the server asked to close.
fn script(server: &mut ServerSession, host: &mut TestHost, lines: &[&str]) -> (String, bool) {
    let mut transcript = String::new();
    let mut closed = drain_server(server, &mut transcript, |_| {});
    for line in lines {
        let bytes = format!("{line}\r\n");
        record(&mut transcript, "C: ", bytes.as_bytes());
        server.handle_input(bytes.as_bytes(), now(), host);
        closed |= drain_server(server, &mut transcript, |_| {});
    }
    (transcript, closed)
}

const LOGIN: [&str; 2] = ["USER bob@southbay.test", "PASS builder"];

#[test]
fn top_sends_the_header_and_the_first_body_lines() {
    let mut host = host();
    let mut s = server();
    let mut lines = LOGIN.to_vec();
    lines.extend(["TOP 1 1", "TOP 2 0", "TOP 1", "TOP 3 1", "QUIT"]);
    let (transcript, closed) = script(&mut s, &mut host, &lines);
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: USER bob@southbay.test
         S: +OK
         C: PASS builder
         S: +OK Logged in.
         C: TOP 1 1
         S: +OK
         S: From: alice@northwind.test
         S: To: bob@southbay.test
         S: Subject: Hello
         S: 
         S: Hi Bob!
         S: .
         C: TOP 2 0
         S: +OK
         S: From: carol@northwind.test
         S: Subject: Lunch
         S: 
         S: .
         C: TOP 1
         S: -ERR Invalid size: 
         C: TOP 3 1
         S: -ERR There's no message 3.
         C: QUIT
         S: +OK Logging out.",
    );
    assert!(closed);
    // TOP is not RETR: nothing becomes \Seen.
    assert!(host.store.messages(BOB).iter().all(|m| m.flags.is_empty()));
}

#[test]
fn rset_undoes_dele() {
    let mut host = host();
    let mut s = server();
    let mut lines = LOGIN.to_vec();
    lines.extend([
        "DELE 1", "STAT", "LIST 1", "RETR 1", "DELE 1", "RSET", "STAT", "LIST 1", "QUIT",
    ]);
    let (transcript, _) = script(&mut s, &mut host, &lines);
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: USER bob@southbay.test
         S: +OK
         C: PASS builder
         S: +OK Logged in.
         C: DELE 1
         S: +OK Marked to be deleted.
         C: STAT
         S: +OK 1 53
         C: LIST 1
         S: -ERR Message is deleted.
         C: RETR 1
         S: -ERR Message is deleted.
         C: DELE 1
         S: -ERR Message is deleted.
         C: RSET
         S: +OK
         C: STAT
         S: +OK 2 163
         C: LIST 1
         S: +OK 1 110
         C: QUIT
         S: +OK Logging out.",
    );
    assert_eq!(inbox_uids(&host), [1, 2]);
}

#[test]
fn a_dropped_connection_deletes_nothing_and_releases_the_lock() {
    let mut host = host();
    let mut s = server();
    let mut lines = LOGIN.to_vec();
    lines.extend(["RETR 2", "DELE 1", "DELE 2"]);
    let (transcript, closed) = script(&mut s, &mut host, &lines);
    assert!(transcript.ends_with("C: DELE 2\nS: +OK Marked to be deleted.\n"));
    assert!(!closed && host.store.is_maildrop_locked(BOB));
    s.handle_close(&mut host);
    assert!(s.is_closed());
    // Only a teaching note: nothing is sent on a dead connection.
    let after: Vec<ServerOutput> = std::iter::from_fn(|| s.poll_output()).collect();
    assert!(matches!(
        after.as_slice(),
        [ServerOutput::Event(Note {
            rfc: "RFC 1939 6",
            ..
            })]
    ));
    assert_eq!(
        inbox_uids(&host),
        [1, 2],
        "RFC 1939 6: no UPDATE without QUIT"
    );
    assert!(!host.store.is_maildrop_locked(BOB));
    assert!(
        host.store.messages(BOB).iter().all(|m| m.flags.is_empty()),
        "no \\Seen either"
    );
    // Input after the close is ignored, not a panic.
    s.handle_input(b"QUIT\r\n", now(), &mut host);
    assert_eq!(s.poll_output(), None);
}

#[test]
fn the_autologout_timer_also_deletes_nothing() {
    let mut host = host();
    let mut s = server();
    let mut lines = LOGIN.to_vec();
    lines.push("DELE 1");
    script(&mut s, &mut host, &lines);
    let deadline = s.poll_timeout().expect("a deadline");
    assert_eq!(deadline, now().plus_millis(600_000));
    s.handle_timeout(now().plus_millis(599_999), &mut host);
    assert_eq!(s.state(), State::Transaction);
    s.handle_timeout(deadline, &mut host);
    let mut transcript = String::new();
    assert!(drain_server(&mut s, &mut transcript, |_| {}));
    assert_eq!(transcript, "S: -ERR Disconnected for inactivity.\n");
    assert_eq!(inbox_uids(&host), [1, 2]);
    assert!(!host.store.is_maildrop_locked(BOB));
}

#[test]
fn unknown_commands_and_last_get_err_in_both_states() {
    let mut host = host();
    let mut s = server();
    let (transcript, _) = script(
        &mut s,
        &mut host,
        &[
            "LAST",
            "STAT",
            "PASS builder",
            "USER bob@southbay.test",
            "PASS builder",
            "LAST",
            "XTND XMIT",
            "USER bob",
            "RETR x",
            "RETR 0",
            "NOOP",
            "QUIT",
        ],
    );
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: LAST
         S: -ERR Unknown command.
         C: STAT
         S: -ERR Unknown command.
         C: PASS builder
         S: -ERR No username given.
         C: USER bob@southbay.test
         S: +OK
         C: PASS builder
         S: +OK Logged in.
         C: LAST
         S: -ERR Unknown command: LAST
         C: XTND XMIT
         S: -ERR Unknown command: XTND
         C: USER bob
         S: -ERR Unknown command: USER
         C: RETR x
         S: -ERR Invalid message number: x
         C: RETR 0
         S: -ERR There's no message 0.
         C: NOOP
         S: +OK
         C: QUIT
         S: +OK Logging out.",
    );
}

#[test]
fn plaintext_login_needs_tls_by_default() {
    let mut host = host();
    let mut s = ServerSession::new(ServerConfig::pop3("mail.southbay.test"), 1, now());
    let (transcript, _) = script(
        &mut s,
        &mut host,
        &[
            "USER bob@southbay.test",
            "AUTH PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=",
            "STLS",
            "STLS",
            "QUIT",
        ],
    );
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: USER bob@southbay.test
         S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
         C: AUTH PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=
         S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
         C: STLS
         S: +OK Begin TLS negotiation now.
         (TLS starts)
         C: STLS
         S: -ERR TLS is already active.
         C: QUIT
         S: +OK Logging out",
    );
    assert!(s.info().tls);
}

#[test]
fn plaintext_pipelined_after_stls_is_discarded() {
    let mut host = host();
    let mut s = ServerSession::new(ServerConfig::pop3("mail.southbay.test"), 1, now());
    s.handle_input(
        b"STLS\r\nUSER bob@southbay.test\r\nPASS builder\r\n",
        now(),
        &mut host,
    );
    let mut transcript = String::new();
    drain_server(&mut s, &mut transcript, |_| {});
    assert_eq!(
        transcript,
        "S: +OK Dovecot ready.\nS: +OK Begin TLS negotiation now.\n(TLS starts)\n"
    );
    assert_eq!(s.state(), State::Authorization);
}

#[test]
fn auth_plain_with_a_continuation_bare_auth_and_aborts() {
    let mut host = host();
    let mut s = server();
    let (transcript, _) = script(
        &mut s,
        &mut host,
        &[
            "AUTH",
            "AUTH CRAM-MD5",
            "AUTH PLAIN",
            "*",
            "AUTH PLAIN",
            "not base64!",
            "AUTH PLAIN",
            "AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=",
            "STAT",
        ],
    );
    expect_transcript(
        &transcript,
        "S: +OK Dovecot ready.
         C: AUTH
         S: +OK
         S: PLAIN
         S: .
         C: AUTH CRAM-MD5
         S: -ERR Unsupported authentication mechanism.
         C: AUTH PLAIN
         S: + 
         C: *
         S: -ERR Authentication aborted by client.
         C: AUTH PLAIN
         S: + 
         C: not base64!
         S: -ERR Invalid base64 data in response.
         C: AUTH PLAIN
         S: + 
         C: AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=
         S: +OK Logged in.
         C: STAT
         S: +OK 2 163",
    );
}

#[test]
fn numbers_stay_stable_while_mail_arrives_and_imap_expunges() {
    let mut host = host();
    let mut s = server();
    script(&mut s, &mut host, &LOGIN);
    // New mail during the session is not in the snapshot (RFC 1939 4)...
    host.store.deliver(
        BOB,
        Message::from_bytes(b"Subject: late\r\n\r\nx\r\n".to_vec()),
        now(),
    );
    // ...and a message an IMAP session expunged meanwhile cannot be retrieved.
    host.store.remove(BOB, INBOX, &[Uid(1)]).expect("INBOX");
    let (transcript, _) = script(
        &mut s,
        &mut host,
        &["STAT", "RETR 1", "UIDL 2", "DELE 2", "QUIT"],
    );
    expect_transcript(
        &transcript,
        "C: STAT
         S: +OK 2 163
         C: RETR 1
         S: -ERR Message was expunged by another session.
         C: UIDL 2
         S: +OK 2 0000000200000001
         C: DELE 2
         S: +OK Marked to be deleted.
         C: QUIT
         S: +OK Logging out, messages deleted.",
    );
    assert_eq!(inbox_uids(&host), [3], "the late message stays");
}

#[test]
fn long_lines_bad_text_and_too_many_bad_commands() {
    let mut host = host();
    let mut s = ServerSession::new(
        ServerConfig {
            bad_command_limit: 3,
            require_tls_for_plaintext: false,
            ..ServerConfig::pop3("h")
        },
        1,
        now(),
    );
    let long = format!("NOOP {}", "x".repeat(300));
    let (transcript, closed) = script(&mut s, &mut host, &[&long, "NO\u{7f}OP", "FOO", "NOOP"]);
    expect_transcript(
        &transcript,
        &format!(
            "S: +OK Dovecot ready.
             C: {long}
             S: -ERR Input line too long.
             C: NO\u{7f}OP
             S: -ERR Invalid characters in command.
             C: FOO
             S: -ERR Unknown command.
             S: -ERR Too many bad commands.
             C: NOOP"
        ),
    );
    assert!(closed && s.is_closed());
    // Invalid UTF-8 is refused like any bad text.
    let mut s = server();
    s.handle_input(b"\xff\xfe\r\n", now(), &mut host);
    let mut t = String::new();
    drain_server(&mut s, &mut t, |_| {});
    assert!(t.ends_with("S: -ERR Invalid characters in command.\n"));
}

/// Everything a session sends for `input`, fed in the given pieces.
fn outputs(pieces: &[&[u8]]) -> (Vec<ServerOutput>, Vec<u32>) {
    let mut host = host();
    let config = ServerConfig {
        offer_apop: true,
        require_tls_for_plaintext: false,
        ..ServerConfig::pop3("mail.southbay.test")
    };
    let mut s = ServerSession::new(config, 3, now());
    let mut out = Vec::new();
    for piece in pieces {
        s.handle_input(piece, now(), &mut host);
        while let Some(o) = s.poll_output() {
            out.push(o);
        }
    }
    (out, inbox_uids(&host))
}

#[test]
fn the_same_output_whatever_the_split() {
    let digest = crate::engine::pop3::apop::digest("<3.1772442001@mail.southbay.test>", "builder");
    let input = format!(
        "CAPA\r\nAPOP bob@southbay.test {digest}\r\nSTAT\r\nLIST\r\nUIDL\r\nTOP 1 1\r\nRETR 1\r\nDELE 1\r\nRSET\r\nDELE 2\r\nLAST\r\nQUIT\r\n"
    );
    let input = input.as_bytes();
    let (whole, uids) = outputs(&[input]);
    // The session did real work: logged in, sent the message, deleted message 2 at QUIT.
    assert!(whole
        .iter()
        .any(|o| matches!(o, ServerOutput::Transmit(b) if b.starts_with(b"+OK Logged in."))));
    assert!(whole.contains(&ServerOutput::Close));
    assert_eq!(uids, [1]);
    for at in 0..=input.len() {
        let (split, split_uids) = outputs(&[&input[..at], &input[at..]]);
        assert_eq!(split, whole, "split at {at}");
        assert_eq!(split_uids, uids);
    }
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(outputs(&bytes).0, whole, "one octet at a time");
}
