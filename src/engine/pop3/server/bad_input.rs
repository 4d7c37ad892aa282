//! Bad input for POP3 (RFC 1939 3: "-ERR" for an unknown command or one in the wrong
//! state; RFC 2449 4: line limits): every bad line gets `-ERR`, the session carries on,
//! nothing panics and the maildrop is exactly as it was, its lock given back at QUIT.

use super::*;
use crate::engine::pop3::tests::{host, now, TestHost, BOB};

fn answer(s: &mut ServerSession, host: &mut TestHost, input: &[u8]) -> String {
    s.handle_input(input, now(), host);
    let mut text = String::new();
    while let Some(out) = s.poll_output() {
        match out {
            ServerOutput::Transmit(b) => text.push_str(&String::from_utf8_lossy(&b)),
            ServerOutput::Close => text.push_str("<CLOSE>\r\n"),
            _ => {}
        }
    }
    text
}

#[test]
fn bad_input_gets_err_and_changes_nothing() {
    let mut host = host();
    let before = host.store.clone();
    let config = ServerConfig {
        require_tls_for_plaintext: false,
        // Enough patience for every case below in one session.
        bad_command_limit: 100,
        ..ServerConfig::pop3("mail.southbay.test")
    };
    let mut s = ServerSession::new(config, 1, now());
    while s.poll_output().is_some() {}
    let long = format!("NOOP {}\r\n", "x".repeat(600));
    let cases: &[(&[u8], &str)] = &[
        (b"FROB\r\n", "-ERR Unknown command.\r\n"),
        // RFC 1939 4: TRANSACTION commands before a login are refused.
        (b"STAT\r\n", "-ERR Unknown command.\r\n"),
        (b"RETR 1\r\n", "-ERR Unknown command.\r\n"),
        (b"DELE 1\r\n", "-ERR Unknown command.\r\n"),
        (b"PASS builder\r\n", "-ERR No username given.\r\n"),
        (long.as_bytes(), "-ERR Input line too long.\r\n"),
        (
            b"US\xffER bob\r\n",
            "-ERR Invalid characters in command.\r\n",
        ),
        (
            b"USER \xff\xfe\r\n",
            "-ERR Invalid characters in command.\r\n",
        ),
        // An IMAP-style literal means nothing to POP3: one more unknown line.
        (b"APPEND INBOX {5}\r\n", "-ERR Unknown command.\r\n"),
        (
            b"USER bob@southbay.test\r\nPASS builder\r\n",
            "+OK\r\n+OK Logged in.\r\n",
        ),
        // RFC 1939 5: AUTHORIZATION commands in TRANSACTION are refused.
        (
            b"USER bob@southbay.test\r\n",
            "-ERR Unknown command: USER\r\n",
        ),
        (
            b"APOP bob@southbay.test 00\r\n",
            "-ERR Unknown command: APOP\r\n",
        ),
        (b"RETR 9\r\n", "-ERR There's no message 9.\r\n"),
        (b"DELE x\r\n", "-ERR Invalid message number: x\r\n"),
        (b"TOP 1\r\n", "-ERR Invalid size: \r\n"),
        (b"LIST 0\r\n", "-ERR There's no message 0.\r\n"),
        (b"\xc3\x28\r\n", "-ERR Invalid characters in command.\r\n"),
        (long.as_bytes(), "-ERR Input line too long.\r\n"),
        (b"QUIT\r\n", "+OK Logging out.\r\n<CLOSE>\r\n"),
    ];
    for (input, expected) in cases {
        assert_eq!(
            answer(&mut s, &mut host, input),
            *expected,
            "after {:?}",
            String::from_utf8_lossy(input)
        );
    }
    // The messages, flags and folders as they were; the lock was taken and given back
    // (its id counter moved on, which is why whole stores are not compared).
    assert_eq!(host.store.account(BOB), before.account(BOB));
    assert!(!host.store.is_maildrop_locked(BOB));
}
