//! A grammar check from outside: one long session, every command kind and the usual
//! mistakes, and every octet the server sent decoded by `imap-codec` (a fuzzed RFC 9051 /
//! RFC 3501 parser, built with its quirks off). The transcript tests say the server speaks
//! like Dovecot; this one says what it speaks is IMAP.

use imap_codec::decode::{Decoder, GreetingDecodeError, ResponseDecodeError};
use imap_codec::{GreetingCodec, ResponseCodec};

use super::tests::{host_with_letter, TestHost};
use super::*;
use crate::engine::mail::Message;

/// A multipart letter with an attachment and a forwarded message, so that BODYSTRUCTURE,
/// ENVELOPE and part numbers (RFC 9051 6.4.5) have something to walk through.
const MULTIPART: &[u8] = b"From: \"Carol, Q.\" <carol@westbay.test>\r\n\
To: bob@southbay.test, \"Dee\" <dee@southbay.test>\r\n\
Cc: undisclosed-recipients:;\r\n\
Subject: =?utf-8?q?Caf=C3=A9?= plans\r\n\
Date: Tue, 03 Mar 2026 10:30:00 +0100\r\n\
Message-ID: <m2@westbay.test>\r\n\
In-Reply-To: <m1@northwind.test>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\
\r\n\
preamble\r\n\
--outer\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Caf=C3=A9 at noon?\r\n\
--outer\r\n\
Content-Type: application/octet-stream; name=\"map.bin\"\r\n\
Content-Disposition: attachment; filename=\"map.bin\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
AAECAwQF\r\n\
--outer\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
From: Alice <alice@northwind.test>\r\n\
Subject: The original\r\n\
Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n\
\r\n\
Inner text.\r\n\
--outer--\r\n";

/// The client's side: whole commands, some pipelined, some split, mistakes included.
const SESSION: &[&str] = &[
    "a0 CAPABILITY\r\n",
    "a1 ID (\"name\" \"grammar\")\r\n",
    "a2 NOOP\r\n",
    "a3 SELECT INBOX\r\n",
    "a4 LOGIN bob@southbay.test wrong\r\n",
    "a5 AUTHENTICATE PLAIN\r\n",
    "*\r\n",
    "a6 AUTHENTICATE PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=\r\n",
    "a7 LOGIN bob@southbay.test builder\r\n",
    "a8 CAPABILITY\r\n",
    "a9 ENABLE IMAP4rev2\r\n",
    "b0 NAMESPACE\r\n",
    "b1 LIST \"\" *\r\n",
    "b2 LIST (SPECIAL-USE) \"\" \"*\" RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN))\r\n",
    "b3 LSUB \"\" *\r\n",
    "b4 CREATE Projects/Mailflow\r\n",
    "b5 LIST \"\" Proj%\r\n",
    "b6 RENAME Projects/Mailflow Projects/Flow\r\n",
    "b7 SUBSCRIBE Projects\r\n",
    "b8 UNSUBSCRIBE Projects\r\n",
    "b9 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN SIZE)\r\n",
    "c0 EXAMINE INBOX\r\n",
    "c1 STORE 1 +FLAGS (\\Seen)\r\n",
    "c2 SELECT INBOX\r\n",
    "c3 FETCH 1:* (FLAGS UID INTERNALDATE RFC822.SIZE ENVELOPE)\r\n",
    "c4 FETCH 1:* BODYSTRUCTURE\r\n",
    "c5 FETCH 2 (BODY)\r\n",
    "c6 FETCH 1 ALL\r\n",
    "c7 FETCH 1 FAST\r\n",
    "c8 FETCH 2 FULL\r\n",
    "c9 FETCH 2 (BODY.PEEK[HEADER] BODY.PEEK[TEXT] BODY.PEEK[1] BODY.PEEK[1.MIME])\r\n",
    "d0 FETCH 2 (BODY.PEEK[2] BODY.PEEK[3] BODY.PEEK[3.HEADER] BODY.PEEK[3.TEXT])\r\n",
    "d1 FETCH 2 (BODY.PEEK[HEADER.FIELDS (From Subject)] BODY.PEEK[HEADER.FIELDS.NOT (To)])\r\n",
    "d2 FETCH 1 (BODY.PEEK[]<0.10> BODY.PEEK[TEXT]<2.400> BODY.PEEK[]<9999.5>)\r\n",
    "d3 FETCH 1 (RFC822.HEADER RFC822.TEXT)\r\n",
    "d4 FETCH 2 RFC822\r\n",
    "d5 UID FETCH 1:* (BODY[1])\r\n",
    "d6 SEARCH ALL\r\n",
    "d7 SEARCH OR FROM carol SUBJECT hello NOT DELETED SINCE 1-Mar-2026\r\n",
    "d8 UID SEARCH LARGER 10 SMALLER 100000 UNSEEN\r\n",
    "d9 SEARCH CHARSET UTF-8 BODY noon\r\n",
    "e0 STORE 1:2 +FLAGS (\\Flagged $Important)\r\n",
    "e1 STORE 2 -FLAGS.SILENT (\\Flagged)\r\n",
    "e2 UID STORE 1 FLAGS (\\Answered \\Seen)\r\n",
    "e3 COPY 1 Trash\r\n",
    "e4 UID COPY 1:2 Archive\r\n",
    "e5 UID MOVE 1 Trash\r\n",
    "e6 APPEND Drafts (\\Draft) \"03-Mar-2026 10:30:00 +0100\" {23}\r\n",
    "Subject: draft\r\n\r\nHi.\r\n\r\n",
    "e7 APPEND INBOX {13+}\r\nSubject: x\r\n\r\n",
    "e8 NOOP\r\n",
    "e9 IDLE\r\n",
    "DONE\r\n",
    "f0 STORE 1 +FLAGS (\\Deleted)\r\n",
    "f1 UID EXPUNGE 1:*\r\n",
    "f2 EXPUNGE\r\n",
    "f3 STATUS Trash (MESSAGES)\r\n",
    "f4 CHECK\r\n",
    "f5 UNSELECT\r\n",
    "f6 SELECT Trash\r\n",
    "f7 CLOSE\r\n",
    // The usual mistakes: BAD for grammar, NO for what cannot be done.
    "g0 FROB\r\n",
    "+++\r\n",
    "g1 FETCH 1 FLAGS\r\n",
    "g2 SELECT Nope\r\n",
    "g3 SELECT INBOX\r\n",
    "g4 FETCH 99 FLAGS\r\n",
    "g5 FETCH 1 (BOGUS)\r\n",
    "g5 FETCH 1 (FAST)\r\n",
    "g6 STORE 1 +FLAGS (\\Recent)\r\n",
    "g7 COPY 1 Nowhere\r\n",
    "g8 CREATE INBOX\r\n",
    "g9 DELETE INBOX\r\n",
    "h0 APPEND Nowhere {1+}\r\nx\r\n",
    "h1 LOGIN bob@southbay.test builder\r\n",
    "h2 STARTTLS\r\n",
    "h3 SEARCH BOGUS\r\n",
    "h4 UID FETCH 1:* (FLAGS)\r\n",
    "h5 IDLE\r\n",
    "NOPE\r\n",
    "h6 LOGOUT\r\n",
];

/// Lines imap-codec 1.0.0 (the newest 1.x) rejects although they are IMAP: its response
/// parser knows neither `* ID` nor `* NAMESPACE` nor the STATUS item SIZE.
fn known_gap(line: &str) -> bool {
    // RFC 2971 3.2: `id_response ::= "ID" SPACE id_params_list`.
    line.starts_with("* ID (")
        // RFC 2342 5, RFC 9051 7.3.2: `"NAMESPACE" SP namespace SP namespace SP namespace`.
        || line.starts_with("* NAMESPACE ")
        // RFC 8438 4: `status-att-val =/ "SIZE" SP number64`.
        || (line.starts_with("* STATUS ") && line.contains(" SIZE "))
}

/// A server that wants TLS before any password (LOGINDISABLED, PRIVACYREQUIRED) and takes
/// small literals only (TOOBIG), then goes silent until the autologout BYE.
const GUARDED: &[&str] = &[
    "a1 LOGIN bob@southbay.test builder\r\n",
    "a2 AUTHENTICATE PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=\r\n",
    "a3 AUTHENTICATE CRAM-MD5\r\n",
    "a4 STARTTLS\r\n",
    "a5 STARTTLS\r\n",
    "a6 CAPABILITY\r\n",
    "a7 AUTHENTICATE PLAIN\r\n",
    "not base64!\r\n",
    "a8 AUTHENTICATE PLAIN\r\n",
    "AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=\r\n",
    "a9 APPEND INBOX {100}\r\n",
    "b0 SELECT INBOX\r\n",
];

fn run_session() -> Vec<u8> {
    let mut host: TestHost = host_with_letter();
    host.store.deliver(
        "bob@southbay.test",
        Message::from_bytes(MULTIPART.to_vec()),
        VirtualTime::from_secs(60),
    );
    let server = ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
    run(server, SESSION, &mut host)
}

fn run_guarded_session() -> Vec<u8> {
    let mut config = ServerConfig::new("mail.southbay.test");
    config.require_tls_for_login = true;
    config.limits.literal = 50;
    let server = ServerSession::new(config, VirtualTime::ZERO);
    let mut sent = run(server, GUARDED, &mut host_with_letter());
    let mut server = ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
    // A non-synchronizing literal too large: the server can only say BYE (RFC 7888 4).
    let mut small = ServerConfig::new("mail.southbay.test");
    small.limits.literal = 5;
    let mut lost = ServerSession::new(small, VirtualTime::ZERO);
    sent.extend(run_silent(&mut lost, "a1 APPEND INBOX {10+}\r\n"));
    // Silence: RFC 9051 5.4's autologout.
    server.handle_timeout(VirtualTime::from_secs(3600));
    sent.extend(run_silent(&mut server, ""));
    sent
}

/// Output of `server` after `input`, greeting included (the octets start a new connection).
fn run_silent(server: &mut ServerSession, input: &str) -> Vec<u8> {
    let mut host = host_with_letter();
    let mut sent = Vec::new();
    if !input.is_empty() {
        server.handle_input(input.as_bytes(), VirtualTime::from_secs(1), &mut host);
    }
    while let Some(out) = server.poll_output() {
        if let ServerOutput::Transmit(bytes) = out {
            sent.extend(bytes);
        }
    }
    sent
}

fn run(mut server: ServerSession, script: &[&str], host: &mut TestHost) -> Vec<u8> {
    let mut sent = Vec::new();
    let mut drain = |server: &mut ServerSession| {
        while let Some(out) = server.poll_output() {
            if let ServerOutput::Transmit(bytes) = out {
                sent.extend(bytes);
            }
        }
    };
    drain(&mut server);
    for (i, chunk) in script.iter().enumerate() {
        let now = VirtualTime::from_secs(2 + i as u64);
        server.handle_input(chunk.as_bytes(), now, host);
        if *chunk == "e9 IDLE\r\n" {
            // New mail while idling: untagged EXISTS / RECENT (RFC 2177 3).
            host.store.deliver(
                "bob@southbay.test",
                Message::from_bytes(b"Subject: while idle\r\n\r\nx\r\n".to_vec()),
                now,
            );
            server.handle_mailbox_change(now, host);
        }
        drain(&mut server);
    }
    sent
}

/// The line that starts at `input`, for the failure message.
fn first_line(input: &[u8]) -> String {
    let end = input
        .windows(2)
        .position(|w| w == b"\r\n")
        .map_or(input.len(), |at| at + 2);
    String::from_utf8_lossy(&input[..end]).into_owned()
}

/// Decodes a stream of whole connections (each starting with its greeting); returns the
/// number of responses decoded and the lines imap-codec rejected.
fn check(sent: &[u8]) -> (usize, Vec<String>) {
    if std::env::var_os("SHOW_SESSION").is_some() {
        println!("{}", String::from_utf8_lossy(sent));
    }
    let mut rejected = Vec::new();
    let mut decoded = 0;
    let mut rest = sent;
    while !rest.is_empty() {
        if rest.starts_with(b"* OK [CAPABILITY ") {
            match GreetingCodec::default().decode(rest) {
                Ok((after, _)) => {
                    decoded += 1;
                    rest = after;
                    continue;
                }
                Err(GreetingDecodeError::Incomplete | GreetingDecodeError::Failed) => {
                    rejected.push(format!("greeting: {:?}", first_line(rest)));
                }
            }
        }
        match ResponseCodec::default().decode(rest) {
            Ok((after, _)) => {
                decoded += 1;
                rest = after;
            }
            Err(e @ (ResponseDecodeError::Failed | ResponseDecodeError::LiteralFound { .. })) => {
                let line = first_line(rest);
                if !known_gap(&line) {
                    rejected.push(format!("{e:?}: {line:?}"));
                }
                rest = &rest[line.len()..];
            }
            Err(ResponseDecodeError::Incomplete) => {
                rejected.push(format!("incomplete at the end: {:?}", first_line(rest)));
                break;
            }
        }
    }
    (decoded, rejected)
}

#[test]
fn every_response_parses_with_imap_codec() {
    let (decoded, rejected) = check(&run_session());
    assert!(
        rejected.is_empty(),
        "imap-codec rejects:\n{}",
        rejected.join("\n")
    );
    assert!(
        decoded > 150,
        "only {decoded} responses: the session was cut short"
    );
}

#[test]
fn refusals_and_goodbyes_parse_with_imap_codec() {
    let (decoded, rejected) = check(&run_guarded_session());
    assert!(
        rejected.is_empty(),
        "imap-codec rejects:\n{}",
        rejected.join("\n")
    );
    assert!(
        decoded > 20,
        "only {decoded} responses: the session was cut short"
    );
}

/// The check itself: a missing parenthesis and a status without text are caught.
#[test]
fn the_check_catches_broken_lines() {
    let broken =
        b"* OK [CAPABILITY IMAP4rev1] hi\r\n* 1 FETCH (FLAGS (\\Seen)\r\na1 OK\r\n* 2 EXISTS\r\n";
    let (decoded, rejected) = check(broken);
    assert_eq!(decoded, 2, "{rejected:?}");
    assert_eq!(rejected.len(), 2, "{rejected:?}");
}
