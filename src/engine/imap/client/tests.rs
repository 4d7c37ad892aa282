//! The client against the real server session: the whole conversation, line by line.

use super::*;
use crate::engine::imap::server::tests::{host_with_letter, TestHost, LETTER};
use crate::engine::imap::server::{ServerConfig, ServerOutput, ServerSession};
use crate::engine::world::clock::VirtualTime;

/// Runs client and server against each other; returns the `C:`/`S:` transcript and what the
/// client reported.
fn converse(config: ClientConfig, host: &mut TestHost) -> (Vec<String>, Vec<ClientOutput>) {
    let mut server = ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
    let mut client = ClientSession::new(config);
    let (mut transcript, mut events) = (Vec::new(), Vec::new());
    for _ in 0..50 {
        let mut to_client = Vec::new();
        while let Some(out) = server.poll_output() {
            if let ServerOutput::Transmit(b) = out {
                transcript.extend(
                    String::from_utf8_lossy(&b)
                        .split_terminator("\r\n")
                        .map(|l| format!("S: {l}")),
                );
                to_client.extend(b);
            }
        }
        client.handle_input(&to_client);
        let mut to_server = Vec::new();
        while let Some(out) = client.poll_output() {
            match out {
                ClientOutput::Transmit(b) => {
                    transcript.extend(
                        String::from_utf8_lossy(&b)
                            .split_terminator("\r\n")
                            .map(|l| format!("C: {l}")),
                    );
                    to_server.extend(b);
                }
                other => events.push(other),
            }
        }
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        server.handle_input(&to_server, VirtualTime::from_secs(1), host);
    }
    (transcript, events)
}

#[test]
fn fetch_mark_delete_expunge_logout() {
    let mut host = host_with_letter();
    let mut config = ClientConfig::new("bob@southbay.test", "builder");
    config.mark_seen = true;
    config.delete = true;
    let (transcript, events) = converse(config, &mut host);
    let expected = [
        "S: * OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.",
        "C: a1 LOGIN \"bob@southbay.test\" \"builder\"",
        "S: a1 OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED STATUS=SIZE] Logged in",
        "C: a2 SELECT \"INBOX\"",
        "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
        "S: * 1 EXISTS",
        "S: * 0 RECENT",
        "S: * OK [UNSEEN 1] First unseen.",
        "S: * OK [UIDVALIDITY 1] UIDs valid",
        "S: * OK [UIDNEXT 2] Predicted next UID",
        "S: a2 OK [READ-WRITE] Select completed.",
        "C: a3 UID SEARCH UID 1:*",
        "S: * SEARCH 1",
        "S: a3 OK Search completed.",
        "C: a4 UID FETCH 1 (BODY.PEEK[])",
        "S: * 1 FETCH (UID 1 BODY[] {125}",
        "S: From: Alice <alice@northwind.test>",
        "S: To: bob@southbay.test",
        "S: Subject: Hello",
        "S: Date: Mon, 02 Mar 2026 09:00:00 +0000",
        "S: ",
        "S: Hi Bob!",
        "S: )",
        "S: a4 OK Fetch completed.",
        "C: a5 UID STORE 1 +FLAGS.SILENT (\\Seen \\Deleted)",
        "S: a5 OK Store completed.",
        "C: a6 EXPUNGE",
        "S: * 1 EXPUNGE",
        "S: a6 OK Expunge completed.",
        "C: a7 LOGOUT",
        "S: * BYE Logging out",
        "S: a7 OK Logout completed.",
    ];
    assert_eq!(transcript, expected);
    assert_eq!(
        events,
        [
            ClientOutput::Fetched {
                uid: 1,
                message: LETTER.to_vec()
            },
            ClientOutput::Done(Ok(())),
            ClientOutput::Close
        ]
    );
    assert!(host
        .store
        .folder("bob@southbay.test", "INBOX")
        .is_some_and(|f| f.is_empty()));
}

#[test]
fn nothing_new_means_no_fetch_and_a_wrong_password_is_reported() {
    let mut host = host_with_letter();
    let mut config = ClientConfig::new("bob@southbay.test", "builder");
    config.last_seen_uid = 1;
    let (transcript, events) = converse(config, &mut host);
    // `UID SEARCH UID 2:*` still answers 1 (RFC 9051 6.4.8); the client knows it already.
    assert!(transcript.contains(&"S: * SEARCH 1".to_string()));
    assert!(!transcript.iter().any(|l| l.contains("FETCH")));
    assert_eq!(events, [ClientOutput::Done(Ok(())), ClientOutput::Close]);

    let (_, events) = converse(ClientConfig::new("bob@southbay.test", "nope"), &mut host);
    assert_eq!(
        events[0],
        ClientOutput::Done(Err(
            "a1 NO [AUTHENTICATIONFAILED] Authentication failed.".into()
        ))
    );
    assert_eq!(events.last(), Some(&ClientOutput::Close));
}
