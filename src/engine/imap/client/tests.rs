//! The client against the real server session: the whole conversation, line by line.

use super::*;
use crate::engine::imap::server::tests::{host_with_letter, TestHost, LETTER};
use crate::engine::imap::server::{ServerConfig, ServerOutput, ServerSession};
use crate::engine::time::VirtualTime;

/// Runs client and server against each other; returns the `C:`/`S:` transcript and what the
/// client reported.
fn converse(config: ClientConfig, host: &mut TestHost) -> (Vec<String>, Vec<ClientOutput>) {
    converse_with(ServerConfig::new("mail.southbay.test"), config, host)
}

fn converse_with(
    server: ServerConfig,
    config: ClientConfig,
    host: &mut TestHost,
) -> (Vec<String>, Vec<ClientOutput>) {
    let mut server = ServerSession::new(server, VirtualTime::ZERO);
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
        "S: * OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.",
        // RFC 9051 6.2.1: TLS before the password, then the capabilities asked again.
        "C: a1 STARTTLS",
        "S: a1 OK Begin TLS negotiation now.",
        "C: a2 CAPABILITY",
        "S: * CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN",
        "S: a2 OK Pre-login capabilities listed, post-login capabilities have more.",
        // RFC 4959: SASL-IR puts base64(NUL bob@southbay.test NUL builder) on the line.
        "C: a3 AUTHENTICATE PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=",
        "S: a3 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED STATUS=SIZE] Logged in",
        "C: a4 SELECT \"INBOX\"",
        "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
        "S: * 1 EXISTS",
        "S: * 1 RECENT",
        "S: * OK [UNSEEN 1] First unseen.",
        "S: * OK [UIDVALIDITY 1] UIDs valid",
        "S: * OK [UIDNEXT 2] Predicted next UID",
        "S: a4 OK [READ-WRITE] Select completed.",
        "C: a5 UID SEARCH UID 1:*",
        "S: * SEARCH 1",
        "S: a5 OK Search completed.",
        // FLAGS too, for the device's view of the mailbox.
        "C: a6 UID FETCH 1 (FLAGS BODY.PEEK[])",
        "S: * 1 FETCH (UID 1 FLAGS (\\Recent) BODY[] {125}",
        "S: From: Alice <alice@northwind.test>",
        "S: To: bob@southbay.test",
        "S: Subject: Hello",
        "S: Date: Mon, 02 Mar 2026 09:00:00 +0000",
        "S: ",
        "S: Hi Bob!",
        "S: )",
        "S: a6 OK Fetch completed.",
        "C: a7 UID STORE 1 +FLAGS.SILENT (\\Seen \\Deleted)",
        "S: a7 OK Store completed.",
        "C: a8 EXPUNGE",
        "S: * 1 EXPUNGE",
        "S: a8 OK Expunge completed.",
        "C: a9 LOGOUT",
        "S: * BYE Logging out",
        "S: a9 OK Logout completed.",
    ];
    assert_eq!(transcript, expected);
    assert_eq!(
        events,
        [
            ClientOutput::TlsStarted,
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
    // `UID SEARCH UID 2:*` still answers 1 (RFC 9051 6.4.9); the client knows it already.
    assert!(transcript.contains(&"S: * SEARCH 1".to_string()));
    // Only flag sync (RFC 4549 4.3.1): no body is fetched.
    assert!(transcript.contains(&"C: a5 UID FETCH 1:1 (UID FLAGS)".to_string()));
    assert!(!transcript.iter().any(|l| l.contains("BODY")));
    assert_eq!(
        events,
        [
            ClientOutput::TlsStarted,
            ClientOutput::Done(Ok(())),
            ClientOutput::Close
        ]
    );

    let (_, events) = converse(ClientConfig::new("bob@southbay.test", "nope"), &mut host);
    assert_eq!(
        events,
        [
            ClientOutput::TlsStarted,
            ClientOutput::Done(Err(
                "a3 NO [AUTHENTICATIONFAILED] Authentication failed.".into()
            )),
            ClientOutput::Close
        ]
    );
}

#[test]
fn require_starttls_never_sends_the_password_in_clear() {
    let mut host = host_with_letter();
    let mut server = ServerConfig::new("mail.southbay.test");
    server.offer_starttls = false;
    let mut config = ClientConfig::new("bob@southbay.test", "builder");
    config.tls = TlsPolicy::RequireStartTls;
    let (transcript, events) = converse_with(server, config, &mut host);
    assert_eq!(
        transcript[1..],
        [
            "C: a1 LOGOUT",
            "S: * BYE Logging out",
            "S: a1 OK Logout completed."
        ]
    );
    assert_eq!(
        events,
        [
            ClientOutput::Done(Err("the server does not offer STARTTLS".into())),
            ClientOutput::Close
        ]
    );
}

#[test]
fn no_tls_policy_logs_in_in_clear_and_logindisabled_stops_it() {
    let mut host = host_with_letter();
    let mut config = ClientConfig::new("bob@southbay.test", "builder");
    config.tls = TlsPolicy::None;
    let (transcript, events) = converse(config.clone(), &mut host);
    assert_eq!(
        transcript[1],
        "C: a1 AUTHENTICATE PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI="
    );
    assert_eq!(events.last(), Some(&ClientOutput::Close));

    // RFC 9051 6.2.3: LOGINDISABLED and no AUTH=PLAIN in clear: nothing to log in with.
    let mut server = ServerConfig::new("mail.southbay.test");
    server.require_tls_for_login = true;
    let (transcript, events) = converse_with(server, config, &mut host);
    assert!(!transcript
        .iter()
        .any(|l| l.contains("builder") || l.contains("AUTHENTICATE")));
    assert_eq!(
        events[0],
        ClientOutput::Done(Err("the server disables LOGIN on this connection".into()))
    );
}

#[test]
fn implicit_tls_skips_starttls() {
    let mut host = host_with_letter();
    let mut server = ServerConfig::new("mail.southbay.test");
    server.implicit_tls = true;
    let mut config = ClientConfig::new("bob@southbay.test", "builder");
    config.tls = TlsPolicy::Implicit;
    let (transcript, events) = converse_with(server, config, &mut host);
    assert!(transcript[1].starts_with("C: a1 AUTHENTICATE PLAIN "));
    assert!(!events.contains(&ClientOutput::TlsStarted));
    assert_eq!(events.last(), Some(&ClientOutput::Close));
}

/// Without SASL-IR the client waits for the empty challenge (RFC 9051 6.2.2); without a
/// CAPABILITY code in the greeting it asks (RFC 9051 7.1).
#[test]
fn plain_without_sasl_ir_and_a_bare_greeting() {
    let mut client = ClientSession::new(ClientConfig::new("bob@southbay.test", "builder"));
    let mut said = Vec::new();
    let mut exchange = |client: &mut ClientSession, server: &[u8]| {
        client.handle_input(server);
        while let Some(out) = client.poll_output() {
            said.push(out);
        }
    };
    exchange(&mut client, b"* OK ready\r\n");
    exchange(
        &mut client,
        b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK done\r\n",
    );
    exchange(&mut client, b"+ \r\n");
    let sent = |b: &str| ClientOutput::Transmit(b.as_bytes().to_vec());
    assert_eq!(
        said,
        [
            sent("a1 CAPABILITY\r\n"),
            sent("a2 AUTHENTICATE PLAIN\r\n"),
            sent("AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=\r\n"),
        ]
    );
}

mod rules;
