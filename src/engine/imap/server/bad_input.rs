//! Bad input (RFC 9051 7.1.3, 7.1.5; RFC 7888 4): unknown commands, commands in the wrong
//! state, malformed and oversized literals, lines over the limit and invalid UTF-8 each get
//! BAD, NO or BYE, never a panic, and leave the store exactly as it was.

use super::tests::{host_with_letter, TestHost};
use super::*;
use crate::engine::imap::framing::FrameLimits;

fn small_limits() -> ServerConfig {
    ServerConfig {
        limits: FrameLimits {
            line: 200,
            literal: 1000,
        },
        ..ServerConfig::new("mail.southbay.test")
    }
}

fn drain(s: &mut ServerSession) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(o) = s.poll_output() {
        match o {
            ServerOutput::Transmit(b) => out.extend(b),
            ServerOutput::Close => out.extend_from_slice(b"<CLOSE>\r\n"),
            _ => {}
        }
    }
    out
}

/// Sends each input and checks the whole answer; then checks the store did not change.
fn exchange(host: &mut TestHost, s: &mut ServerSession, script: &[(&[u8], &str)]) {
    for (input, expected) in script {
        s.handle_input(input, VirtualTime::from_secs(1), host);
        let got = drain(s);
        assert_eq!(
            String::from_utf8_lossy(&got),
            *expected,
            "after {:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn bad_input_gets_bad_or_no_and_changes_nothing() {
    let mut host = host_with_letter();
    let _ = host.store.list("bob@southbay.test");
    let before = host.store.clone();
    let mut s = ServerSession::new(small_limits(), VirtualTime::ZERO);
    drain(&mut s);
    let long = format!("a9 NOOP {}\r\n", "x".repeat(300));
    exchange(
        &mut host,
        &mut s,
        &[
            // RFC 9051 7.1.3: an unknown command is BAD.
            (b"a1 FROB\r\n", "a1 BAD Error in IMAP command FROB: Unknown command.\r\n"),
            (b"a2 XYZZY INBOX\r\n", "a2 BAD Error in IMAP command XYZZY: Unknown command.\r\n"),
            // RFC 9051 3: the wrong state is BAD too.
            (b"a3 SELECT INBOX\r\n", "a3 BAD Error in IMAP command SELECT: Login first.\r\n"),
            (b"a4 EXPUNGE\r\n", "a4 BAD Error in IMAP command EXPUNGE: Login first.\r\n"),
            // Invalid UTF-8 where text is required; octets that make no tag at all.
            (b"a5 LOGIN \xff\xfe builder\r\n", "a5 BAD Error in IMAP command LOGIN: Invalid arguments.\r\n"),
            (b"\xff\xfe\r\n", "* BAD Error in IMAP command received by server.\r\n"),
            (long.as_bytes(), "a9 BAD Too long argument.\r\n"),
            (b"b1 LOGIN bob@southbay.test builder\r\n", "b1 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED STATUS=SIZE] Logged in\r\n"),
            (b"b2 LOGIN bob@southbay.test builder\r\n", "b2 BAD Error in IMAP command LOGIN: Already logged in.\r\n"),
            (b"b3 FETCH 1 FLAGS\r\n", "b3 BAD No mailbox selected.\r\n"),
            // Malformed literals: not a number, no closing brace. Neither is announced, so
            // no continuation is sent and the line is a (bad) command of its own.
            (b"b4 APPEND INBOX {abc}\r\n", "b4 BAD Error in IMAP command APPEND: Invalid arguments.\r\n"),
            (b"b5 APPEND INBOX {5\r\n", "b5 BAD Error in IMAP command APPEND: Invalid arguments.\r\n"),
            (b"b6 APPEND INBOX {}\r\n", "b6 BAD Error in IMAP command APPEND: Invalid arguments.\r\n"),
            // A synchronizing literal over the limit: refused before a single octet is
            // sent (RFC 9051 7.6, RFC 7888 4), so nothing is buffered and the next command
            // is read at once.
            (b"b7 APPEND INBOX {1001}\r\nb8 NOOP\r\n", "b7 NO [TOOBIG] Literal too large.\r\nb8 OK NOOP completed.\r\n"),
            (b"b9 APPEND INBOX {99999999999999999999999}\r\n", "b9 NO [TOOBIG] Literal too large.\r\n"),
            (b"c1 SELECT \"\xff\"\r\n", "c1 BAD Error in IMAP command SELECT: Invalid arguments.\r\n"),
            (b"c2 APPEND Nowhere {3+}\r\nabc\r\n", "c2 NO [TRYCREATE] Mailbox doesn't exist: Nowhere\r\n"),
            (b"c3 EXAMINE INBOX\r\n", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UNSEEN 1] First unseen.\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 2] Predicted next UID\r\nc3 OK [READ-ONLY] Examine completed.\r\n"),
            (b"c4 STORE 1 +FLAGS (\\Deleted)\r\n", "c4 NO Mailbox is read-only.\r\n"),
            (b"c5 FETCH 1 (BODY[TEXT])\r\n", "* 1 FETCH (BODY[TEXT] {9}\r\nHi Bob!\r\n)\r\nc5 OK Fetch completed.\r\n"),
            (b"c6 STORE 1 +FLAGS (\\Bogus)\r\n", "c6 BAD Error in IMAP command STORE: Invalid arguments.\r\n"),
            (b"c7 FETCH 0:2 FLAGS\r\n", "c7 BAD Error in IMAP command FETCH: Invalid arguments.\r\n"),
            (b"c8 FETCH 1 (BODY[TEXT]<0.\r\n", "c8 BAD Error in IMAP command FETCH: Invalid arguments.\r\n"),
            // EXAMINE again, not SELECT: SELECT would make the message this session's
            // \Recent one, a change to the store (RFC 3501 2.3.2).
            (b"c9 EXAMINE INBOX\r\n", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* OK [UNSEEN 1] First unseen.\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 2] Predicted next UID\r\nc9 OK [READ-ONLY] Examine completed.\r\n"),
            (b"d1 FETCH 2 FLAGS\r\n", "d1 BAD Error in IMAP command FETCH: Invalid messageset\r\n"),
            (b"d2 COPY 1 Nowhere\r\n", "d2 NO [TRYCREATE] Mailbox doesn't exist: Nowhere\r\n"),
            // RFC 7888 4: a non-synchronizing literal over the limit is on its way already;
            // the server cannot refuse it in time, so it says BYE and hangs up.
            (b"d3 APPEND INBOX {1001+}\r\nxxxx", "* BYE Literal too large.\r\n<CLOSE>\r\n"),
        ],
    );
    assert!(s.is_closed());
    assert_eq!(host.store, before);
}

/// Random octets: whatever arrives, the session answers without panicking, and without a
/// login nothing in the store changes.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_octets_before_login_change_nothing(
            chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..8)
        ) {
            let mut host = host_with_letter();
            let before = host.store.clone();
            let mut s = ServerSession::new(small_limits(), VirtualTime::ZERO);
            for chunk in chunks {
                s.handle_input(&chunk, VirtualTime::from_secs(1), &mut host);
                drain(&mut s);
            }
            prop_assert_eq!(host.store, before);
        }
    }
}
