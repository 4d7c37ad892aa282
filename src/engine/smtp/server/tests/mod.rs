//! The server session's replies, one rule at a time; STARTTLS and AUTH in `security.rs`.

mod security;

use super::*;
use crate::engine::base64;
use crate::engine::smtp::tests::{Lcg, TestMta};

const T0: VirtualTime = VirtualTime::ZERO;

/// Feed `input` (lines written with `\n`, sent with CRLF) and return everything transmitted
/// (with `\n` for CRLF) plus markers for the other outputs.
fn run(session: &mut ServerSession, mta: &mut TestMta, input: &str) -> String {
    session.handle_input(input.replace('\n', "\r\n").as_bytes(), T0, mta);
    drain(session)
}

fn drain(session: &mut ServerSession) -> String {
    let mut out = String::new();
    while let Some(o) = session.poll_output() {
        match o {
            ServerOutput::Transmit(b) => {
                out.push_str(&String::from_utf8_lossy(&b).replace("\r\n", "\n"))
            }
            ServerOutput::TlsStarted => out.push_str("[tls]\n"),
            ServerOutput::Close => out.push_str("[close]\n"),
            ServerOutput::Event(_) => {}
        }
    }
    out
}

fn explains(session: &mut ServerSession) -> Vec<&'static str> {
    let mut rfcs = Vec::new();
    while let Some(o) = session.poll_output() {
        if let ServerOutput::Event(Note { rfc, .. }) = o {
            rfcs.push(rfc);
        }
    }
    rfcs
}

fn start(config: ServerConfig) -> (ServerSession, TestMta) {
    let mut s = ServerSession::new(config, T0);
    drain(&mut s);
    (s, TestMta::new())
}

fn mx() -> (ServerSession, TestMta) {
    start(ServerConfig::mx("mx.southbay.test"))
}

#[test]
fn greeting_has_no_enhanced_code() {
    let mut s = ServerSession::new(ServerConfig::mx("mx.southbay.test"), T0);
    assert_eq!(drain(&mut s), "220 mx.southbay.test ESMTP\n");
}

#[test]
fn ehlo_and_helo_replies() {
    let (mut s, mut mta) = mx();
    assert_eq!(
        run(&mut s, &mut mta, "EHLO client.test\n"),
        "250-mx.southbay.test\n250-PIPELINING\n250-SIZE 10485760\n250-STARTTLS\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250 DSN\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "HELO client.test\n"),
        "250 mx.southbay.test\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "EHLO\n"),
        "501 Syntax: EHLO hostname\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "helo\n"),
        "501 Syntax: HELO hostname\n"
    );
}

/// A pre-ESMTP (RFC 821) server: EHLO is refused as sendmail 5 refused it, HELO works, and
/// nothing of ESMTP shows anywhere.
fn rfc821() -> (ServerSession, TestMta) {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.esmtp = false;
    start(config)
}

#[test]
fn without_esmtp_ehlo_is_refused_and_helo_works() {
    let (mut s, mut mta) = rfc821();
    assert_eq!(
        run(&mut s, &mut mta, "EHLO client.test\n"),
        "500 Command unrecognized\n"
    );
    let mut explained = rfc821();
    explained
        .0
        .handle_input(b"EHLO client.test\r\n", T0, &mut explained.1);
    assert_eq!(explains(&mut explained.0), vec!["RFC 5321 3.2"]);
    // The refusal does not count as a greeting.
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<alice@northwind.test>\n"),
        "503 Error: send HELO/EHLO first\n"
    );
    // RFC 1869 4.6: after the 500, the client falls back to HELO.
    assert_eq!(
        run(&mut s, &mut mta, "HELO client.test\n"),
        "250 mx.southbay.test\n"
    );
    assert!(!s.info().extended);
    // No extensions: STARTTLS and AUTH are unknown, MAIL takes no parameters.
    assert_eq!(
        run(&mut s, &mut mta, "STARTTLS\n"),
        "500 Command unrecognized\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "AUTH PLAIN\n"),
        "500 Command unrecognized\n"
    );
    assert_eq!(
        run(
            &mut s,
            &mut mta,
            "MAIL FROM:<alice@northwind.test> SIZE=40\n"
        ),
        "501 Syntax error in parameters or arguments\n"
    );
    assert_eq!(
        run(
            &mut s,
            &mut mta,
            "MAIL FROM:<alice@northwind.test> BODY=8BITMIME\n"
        ),
        "501 Syntax error in parameters or arguments\n"
    );
    assert!(!run(&mut s, &mut mta, "HELP\n").contains("EHLO"));
    // An RFC 821 transaction, with no enhanced status codes (RFC 2034 needs EHLO).
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<alice@northwind.test>\n"),
        "250 Ok\n"
    );
    assert_eq!(
        run(
            &mut s,
            &mut mta,
            "RCPT TO:<bob@southbay.test> NOTIFY=NEVER\n"
        ),
        "501 Syntax error in parameters or arguments\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<bob@southbay.test>\n"),
        "250 Ok\n"
    );
    run(&mut s, &mut mta, "DATA\n");
    assert_eq!(
        run(&mut s, &mut mta, "Subject: old\n\n..dot\n.\n"),
        "250 Ok: queued as 7F3A21\n"
    );
    assert_eq!(mta.stored[0].2, b"Subject: old\r\n\r\n.dot\r\n".to_vec());
    assert_eq!(run(&mut s, &mut mta, "QUIT\n"), "221 Bye\n[close]\n");
}

#[test]
fn lmtp_ignores_the_esmtp_switch() {
    let mut config = ServerConfig::lmtp("mail.southbay.test");
    config.esmtp = false;
    let (mut s, mut mta) = start(config);
    assert!(run(&mut s, &mut mta, "LHLO mx.southbay.test\n").contains("250-PIPELINING"));
}

#[test]
fn auth_is_advertised_only_when_allowed() {
    let (mut s, mut mta) = start(ServerConfig::submission("smtp.northwind.test"));
    let before = run(&mut s, &mut mta, "EHLO c.test\n");
    assert!(before.contains("250-STARTTLS\n") && !before.contains("AUTH"));
    assert_eq!(
        run(&mut s, &mut mta, "STARTTLS\n"),
        "220 2.0.0 Ready to start TLS\n[tls]\n"
    );
    let after = run(&mut s, &mut mta, "EHLO c.test\n");
    assert!(!after.contains("STARTTLS") && after.contains("250-AUTH PLAIN LOGIN\n"));
    // Without require_tls_for_auth, AUTH is offered in clear.
    let mut config = ServerConfig::submission("smtp.northwind.test");
    config.require_tls_for_auth = false;
    let (mut s, mut mta) = start(config);
    assert!(run(&mut s, &mut mta, "EHLO c.test\n").contains("250-AUTH PLAIN LOGIN\n"));
}

#[test]
fn a_whole_transaction_and_its_replies() {
    let (mut s, mut mta) = mx();
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<alice@northwind.test>\n"),
        "250 2.1.0 Ok\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<bob@southbay.test>\n"),
        "250 2.1.5 Ok\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "DATA\n"),
        "354 End data with <CR><LF>.<CR><LF>\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "Subject: x\n\n..dot\n.\n"),
        "250 2.0.0 Ok: queued as 7F3A21\n"
    );
    assert_eq!(mta.stored[0].2, b"Subject: x\r\n\r\n.dot\r\n".to_vec());
    // The transaction is over: RCPT needs a new MAIL.
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<bob@southbay.test>\n"),
        "503 5.5.1 Error: need MAIL command\n"
    );
    assert_eq!(run(&mut s, &mut mta, "QUIT\n"), "221 2.0.0 Bye\n[close]\n");
    assert!(s.is_closed());
    assert_eq!(run(&mut s, &mut mta, "NOOP\n"), "");
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn out_of_sequence_is_503_with_a_note() {
    let (mut s, mut mta) = mx();
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n"),
        "503 5.5.1 Error: send HELO/EHLO first\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<bob@southbay.test>\n"),
        "503 5.5.1 Error: need MAIL command\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "DATA\n"),
        "503 5.5.1 Error: need RCPT command\n"
    );
    run(&mut s, &mut mta, "EHLO c.test\nMAIL FROM:<a@b.test>\n");
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n"),
        "503 5.5.1 Error: nested MAIL command\n"
    );
    s.handle_input(b"DATA\r\n", T0, &mut mta);
    assert_eq!(explains(&mut s), vec!["RFC 5321 3.3"]);
    s.handle_input(b"MAIL FROM:<a@b.test>\r\n", T0, &mut mta);
    assert_eq!(explains(&mut s), vec!["RFC 5321 4.1.4"]);
}

#[test]
fn data_without_valid_recipients_is_554() {
    let (mut s, mut mta) = mx();
    let out = run(
        &mut s,
        &mut mta,
        "EHLO c.test\nMAIL FROM:<a@b.test>\nRCPT TO:<nobody@southbay.test>\nDATA\n",
    );
    assert!(out.ends_with(
        "550 5.1.1 <nobody@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table\n554 5.5.1 Error: no valid recipients\n"
    ));
}

#[test]
fn syntax_errors_and_unknown_commands() {
    // More errors than the soft limit: no sleep, so every reply comes at once.
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.error_sleep_ms = 0;
    let (mut s, mut mta) = start(config);
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "MAIL TO:<a@b.test>\n"),
        "501 5.5.4 Syntax: MAIL FROM:<address>\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@@b>\n"),
        "501 5.1.7 Bad sender address syntax\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test> SIZE=big\n"),
        "501 5.5.4 Bad message size syntax\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test> XFOO=1\n"),
        "555 5.5.4 Unsupported option: XFOO\n"
    );
    run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n");
    assert_eq!(
        run(&mut s, &mut mta, "RCPT <bob@southbay.test>\n"),
        "501 5.5.4 Syntax: RCPT TO:<address>\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<bob>\n"),
        "501 5.1.3 Bad recipient address syntax\n"
    );
    assert_eq!(
        run(
            &mut s,
            &mut mta,
            "RCPT TO:<bob@southbay.test> NOTIFY=MAYBE\n"
        ),
        "501 5.5.4 Bad NOTIFY parameter syntax\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "DATA please\n"),
        "501 5.5.4 Syntax: DATA\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "XYZZY\n"),
        "500 5.5.2 Error: command not recognized\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "LHLO c.test\n"),
        "500 5.5.2 Error: command not recognized\n"
    );
    assert_eq!(run(&mut s, &mut mta, "\n"), "500 5.5.2 Error: bad syntax\n");
}

#[test]
fn rset_noop_vrfy_help() {
    let (mut s, mut mta) = mx();
    run(&mut s, &mut mta, "EHLO c.test\nMAIL FROM:<a@b.test>\n");
    assert_eq!(run(&mut s, &mut mta, "RSET\n"), "250 2.0.0 Ok\n");
    // RSET ended the transaction, so MAIL is allowed again.
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n"),
        "250 2.1.0 Ok\n"
    );
    assert_eq!(run(&mut s, &mut mta, "NOOP\n"), "250 2.0.0 Ok\n");
    assert_eq!(run(&mut s, &mut mta, "VRFY bob\n"), "502 5.5.1 VRFY command is disabled\n");
    assert!(run(&mut s, &mut mta, "HELP\n").starts_with("214 2.0.0 Commands: EHLO"));
}

#[test]
fn mta_refusals_pass_through() {
    let (mut s, mut mta) = mx();
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<spammer@bad.test>\n"),
        "553 5.7.1 <spammer@bad.test>: Sender address rejected: Access denied\n"
    );
    run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n");
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<x@far.test>\n"),
        "554 5.7.1 <x@far.test>: Relay access denied\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<grey@southbay.test>\n"),
        "451 4.7.1 <grey@southbay.test>: Recipient address rejected: Greylisted\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "RCPT TO:<full@southbay.test>\n"),
        "452 4.2.2 <full@southbay.test>: Mailbox full\n"
    );
}

#[test]
fn bare_postmaster_is_the_postmaster_here() {
    // RFC 5321 4.1.1.3: `<Postmaster>` without a domain, in any case, must be accepted; the
    // host sees postmaster of its own domain (the server's name without its first label).
    let (mut s, mut mta) = mx();
    run(&mut s, &mut mta, "EHLO c.test\nMAIL FROM:<a@b.test>\n");
    s.handle_input(b"RCPT TO:<PostMaster>\r\n", T0, &mut mta);
    assert_eq!(explains(&mut s), vec!["RFC 5321 4.1.1.3"]);
    assert_eq!(
        run(
            &mut s,
            &mut mta,
            "RCPT TO:<postmaster> NOTIFY=NEVER\nDATA\nhi\n.\n"
        ),
        "250 2.1.5 Ok\n354 End data with <CR><LF>.<CR><LF>\n250 2.0.0 Ok: queued as 7F3A21\n"
    );
    let recipients: Vec<String> = mta.stored[0]
        .1
        .recipients
        .iter()
        .map(|r| r.address.to_string())
        .collect();
    assert_eq!(
        recipients,
        ["postmaster@southbay.test", "postmaster@southbay.test"]
    );
}

#[test]
fn no_250_unless_the_host_took_the_message() {
    let (mut s, mut mta) = mx();
    mta.queue_fails = true;
    let out = run(
        &mut s,
        &mut mta,
        "EHLO c.test\nMAIL FROM:<a@b.test>\nRCPT TO:<bob@southbay.test>\nDATA\nhi\n.\n",
    );
    assert!(
        out.ends_with(
            "354 End data with <CR><LF>.<CR><LF>\n451 4.3.0 Error: queue file write error\n"
        ),
        "{out}"
    );
    assert!(mta.stored.is_empty());
}

#[test]
fn size_limits() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.max_message_size = 20;
    let (mut s, mut mta) = start(config);
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test> SIZE=21\n"),
        "552 5.3.4 Message size exceeds fixed limit\n"
    );
    run(
        &mut s,
        &mut mta,
        "MAIL FROM:<a@b.test> SIZE=20\nRCPT TO:<bob@southbay.test>\nDATA\n",
    );
    assert_eq!(
        run(
            &mut s,
            &mut mta,
            "this line alone is longer than twenty octets\n.\n"
        ),
        "552 5.3.4 Message size exceeds fixed limit\n"
    );
    assert!(mta.stored.is_empty());
    // The session goes on: the next transaction works.
    run(
        &mut s,
        &mut mta,
        "MAIL FROM:<a@b.test>\nRCPT TO:<bob@southbay.test>\nDATA\n",
    );
    assert_eq!(
        run(&mut s, &mut mta, "short\n.\n"),
        "250 2.0.0 Ok: queued as 7F3A21\n"
    );
}

#[test]
fn too_many_recipients_is_452() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.max_recipients = 1;
    let (mut s, mut mta) = start(config);
    let out = run(&mut s, &mut mta, "EHLO c.test\nMAIL FROM:<a@b.test>\nRCPT TO:<bob@southbay.test>\nRCPT TO:<carol@southbay.test>\n");
    assert!(out.ends_with("250 2.1.5 Ok\n452 4.5.3 Error: too many recipients\n"));
}

#[test]
fn command_line_limit_is_512_with_crlf() {
    let (mut s, mut mta) = mx();
    // "NOOP " + 505 = 510 octets + CRLF = 512: allowed.
    assert_eq!(
        run(&mut s, &mut mta, &format!("NOOP {}\n", "x".repeat(505))),
        "250 2.0.0 Ok\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, &format!("NOOP {}\n", "x".repeat(506))),
        "500 5.5.2 Error: line too long\n"
    );
    // A very long line is dropped as it arrives and answered once, at its end.
    s.handle_input(&vec![b'y'; 5000], T0, &mut mta);
    assert_eq!(drain(&mut s), "");
    assert_eq!(
        run(&mut s, &mut mta, "yyy\nNOOP\n"),
        "500 5.5.2 Error: line too long\n250 2.0.0 Ok\n"
    );
}

#[test]
fn lmtp_needs_lhlo_and_answers_per_recipient() {
    let (mut s, mut mta) = start(ServerConfig::lmtp("mail.southbay.test"));
    assert_eq!(
        run(&mut s, &mut mta, "EHLO c.test\n"),
        "500 5.5.1 Unknown command\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "HELO c.test\n"),
        "500 5.5.1 Unknown command\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n"),
        "503 5.5.1 Error: send LHLO first\n"
    );
    assert!(run(&mut s, &mut mta, "LHLO c.test\n").starts_with("250-mail.southbay.test\n"));
    let out = run(
        &mut s,
        &mut mta,
        "MAIL FROM:<a@b.test>\nRCPT TO:<bob@southbay.test>\nRCPT TO:<ghost@southbay.test>\nRCPT TO:<carol@southbay.test>\nDATA\nhi\n.\n",
    );
    assert!(out.ends_with(
        "354 End data with <CR><LF>.<CR><LF>\n250 2.0.0 <bob@southbay.test> Saved\n550 5.1.1 <ghost@southbay.test> User doesn't exist: ghost@southbay.test\n250 2.0.0 <carol@southbay.test> Saved\n"
    ), "{out}");
    // A host that forgets results still gets one reply per recipient.
    mta.lmtp_forgets = true;
    let out = run(
        &mut s,
        &mut mta,
        "MAIL FROM:<a@b.test>\nRCPT TO:<bob@southbay.test>\nDATA\nhi\n.\n",
    );
    assert!(
        out.ends_with("451 4.3.0 <bob@southbay.test> Error: internal error\n"),
        "{out}"
    );
}

#[test]
fn timeout_is_421_then_close() {
    let (mut s, mut mta) = mx();
    assert_eq!(s.poll_timeout(), Some(VirtualTime::from_secs(300)));
    s.handle_input(b"EHLO c.test\r\n", VirtualTime::from_secs(100), &mut mta);
    drain(&mut s);
    assert_eq!(s.poll_timeout(), Some(VirtualTime::from_secs(400)));
    s.handle_timeout(VirtualTime::from_secs(399));
    assert_eq!(drain(&mut s), "");
    s.handle_timeout(VirtualTime::from_secs(400));
    assert_eq!(
        drain(&mut s),
        "421 4.4.2 mx.southbay.test Error: timeout exceeded\n[close]\n"
    );
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn too_many_errors_hang_up() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.hard_error_limit = 3;
    let (mut s, mut mta) = start(config);
    let out = run(&mut s, &mut mta, "FOO\nBAR\nBAZ\nNOOP\n");
    assert_eq!(
        out,
        "500 5.5.2 Error: command not recognized\n500 5.5.2 Error: command not recognized\n500 5.5.2 Error: command not recognized\n421 4.7.0 mx.southbay.test Error: too many errors\n[close]\n"
    );
}

/// With `disable_vrfy_command = no`, Postfix advertises VRFY and answers it through its
/// recipient checks: 252 with the argument as typed for an address it would take, the RCPT
/// refusal for one it would not, the local table's refusal for a bare name (but postmaster).
#[test]
fn vrfy_tells_who_exists_when_it_is_on() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.disable_vrfy_command = false;
    let (mut s, mut mta) = start(config);
    assert!(run(&mut s, &mut mta, "EHLO c.test\n").contains("250-SIZE 10485760\n250-VRFY\n250-STARTTLS\n"));
    assert_eq!(run(&mut s, &mut mta, "VRFY <bob@southbay.test>\n"), "252 2.0.0 <bob@southbay.test>\n");
    assert_eq!(run(&mut s, &mut mta, "VRFY bob@southbay.test\n"), "252 2.0.0 bob@southbay.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "VRFY nobody@southbay.test\n"),
        "550 5.1.1 <nobody@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table\n"
    );
    assert_eq!(run(&mut s, &mut mta, "VRFY bob\n"), "550 5.1.1 <bob>: Recipient address rejected: User unknown in local recipient table\n");
    assert_eq!(run(&mut s, &mut mta, "VRFY Postmaster\n"), "252 2.0.0 Postmaster\n");
    assert_eq!(run(&mut s, &mut mta, "VRFY carol@far.test\n"), "554 5.7.1 <carol@far.test>: Relay access denied\n");
    assert_eq!(run(&mut s, &mut mta, "EXPN staff\n"), "500 5.5.2 Error: command not recognized\n");
    assert_eq!(run(&mut s, &mut mta, "VRFY\n"), "501 5.5.4 Syntax: VRFY address\n");

    let (mut off, mut mta) = mx();
    assert!(!run(&mut off, &mut mta, "EHLO c.test\n").contains("VRFY"), "not advertised when disabled");
}

/// Postfix's error sleep: from the `soft_error_limit`th error on, every reply (a success
/// too) waits `error_sleep_ms`, each after the one before; a message taken forgets the errors.
#[test]
fn after_the_soft_error_limit_every_reply_waits() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.soft_error_limit = 2;
    config.hard_error_limit = 5;
    let (mut s, mut mta) = start(config);
    let out = run(&mut s, &mut mta, "EHLO c.test\nFOO\nBAR\nNOOP\nRCPT TO:<x@southbay.test>\n");
    assert!(out.ends_with("500 5.5.2 Error: command not recognized\n500 5.5.2 Error: command not recognized\n"), "{out}");
    assert_eq!(s.poll_timeout(), Some(T0.plus_millis(1000)), "the NOOP's 250 waits a second");
    s.handle_timeout(T0.plus_millis(999));
    assert_eq!(drain(&mut s), "");
    s.handle_timeout(T0.plus_millis(1000));
    assert_eq!(drain(&mut s), "250 2.0.0 Ok\n");
    assert_eq!(s.poll_timeout(), Some(T0.plus_millis(2000)), "the next reply a second after that");
    s.handle_timeout(T0.plus_millis(2000));
    assert_eq!(drain(&mut s), "503 5.5.1 Error: need MAIL command\n");

    // A message taken resets the count: replies come at once again.
    let t = T0.plus_millis(2000);
    s.handle_input(b"MAIL FROM:<a@b.test>\r\nRCPT TO:<bob@southbay.test>\r\nDATA\r\n", t, &mut mta);
    s.handle_timeout(t.plus_millis(3000));
    drain(&mut s);
    s.handle_input(b"Hi\r\n.\r\n", t.plus_millis(3000), &mut mta);
    s.handle_timeout(t.plus_millis(4000));
    assert!(drain(&mut s).starts_with("250 2.0.0 Ok: queued as"));
    s.handle_input(b"NOOP\r\n", t.plus_millis(5000), &mut mta);
    assert_eq!(drain(&mut s), "250 2.0.0 Ok\n", "no wait after a message was taken");
}

/// The hard limit's 421 comes after the error sleep too, and closes the connection.
#[test]
fn the_hard_limit_hangs_up_after_its_sleep() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.soft_error_limit = 1;
    config.hard_error_limit = 2;
    let (mut s, mut mta) = start(config);
    assert_eq!(run(&mut s, &mut mta, "FOO\nBAR\nNOOP\n"), "500 5.5.2 Error: command not recognized\n");
    s.handle_timeout(T0.plus_millis(1000));
    assert_eq!(drain(&mut s), "500 5.5.2 Error: command not recognized\n");
    s.handle_timeout(T0.plus_millis(2000));
    assert_eq!(drain(&mut s), "421 4.7.0 mx.southbay.test Error: too many errors\n[close]\n");
    assert_eq!(s.poll_timeout(), None);
}

/// A session with every kind of line: commands, AUTH continuations, data with dots, errors
/// and an over-long line. STARTTLS is left out: it throws away pipelined input by design.
const SCRIPT: &str = "EHLO c.test\nAUTH LOGIN\nYWxpY2VAbm9ydGh3aW5kLnRlc3Q=\nd29uZGVybGFuZA==\nMAIL FROM:<alice@northwind.test> SIZE=40\nRCPT TO:<bob@southbay.test>\nRCPT TO:<nobody@southbay.test>\nDATA\nSubject: t\n\n..dot\n.\nNOOP xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nBOGUS\nRSET\nQUIT\n";

fn script_config() -> ServerConfig {
    let mut config = ServerConfig::submission("smtp.northwind.test");
    config.require_tls_for_auth = false;
    config.command_line_limit = 100;
    config
}

fn outputs(chunks: &[&[u8]]) -> Vec<ServerOutput> {
    let mut s = ServerSession::new(script_config(), T0);
    let mut mta = TestMta::new();
    for c in chunks {
        s.handle_input(c, T0, &mut mta);
    }
    std::iter::from_fn(|| s.poll_output()).collect()
}

#[test]
fn same_output_at_every_split() {
    let wire = SCRIPT.replace('\n', "\r\n").into_bytes();
    let whole = outputs(&[&wire]);
    let text: String = whole
        .iter()
        .filter_map(|o| {
            if let ServerOutput::Transmit(b) = o {
                Some(String::from_utf8_lossy(b).into_owned())
            } else {
                None
            }
        })
        .collect();
    assert!(
        text.contains("235 2.7.0")
            && text.contains("queued as 7F3A21")
            && text.contains("500 5.5.2 Error: line too long")
    );
    assert!(text.ends_with("221 2.0.0 Bye\r\n"), "{text}");
    for cut in 0..=wire.len() {
        assert_eq!(
            outputs(&[&wire[..cut], &wire[cut..]]),
            whole,
            "cut at {cut}"
        );
    }
    let bytes: Vec<&[u8]> = wire.chunks(1).collect();
    assert_eq!(outputs(&bytes), whole, "one octet at a time");
    for seed in 0..20 {
        assert_eq!(outputs(&Lcg(seed).chunks(&wire)), whole, "seed {seed}");
    }
}

/// RFC 3461 5.4: with DSN advertised, RCPT TO may carry ORCPT and NOTIFY (530 characters
/// more than RFC 5321's 512); any other command without such parameters keeps the 512.
#[test]
fn dsn_parameters_lengthen_mail_and_rcpt_lines() {
    let (mut s, mut mta) = mx();
    run(&mut s, &mut mta, "EHLO c.test\n");
    let envid = "e".repeat(100);
    let mail = format!("MAIL FROM:<a@b.test> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID={envid}\n");
    assert_eq!(run(&mut s, &mut mta, &mail), "250 2.1.0 Ok\n");
    // A 684-octet RCPT with an ORCPT of 640 characters in all, as a client with DSN sends it.
    let orcpt = format!("rfc822;{}@southbay.test", "b".repeat(460));
    let rcpt = format!("RCPT TO:<bob@southbay.test> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT={orcpt}\n");
    assert!(rcpt.len() + 1 > 512 && rcpt.len() + 1 <= 512 + 530, "{}", rcpt.len());
    assert_eq!(run(&mut s, &mut mta, &rcpt), "250 2.1.5 Ok\n");
    let too_long = format!("RCPT TO:<bob@southbay.test> ORCPT=rfc822;{}@southbay.test\n", "c".repeat(1100));
    assert_eq!(run(&mut s, &mut mta, &too_long), "500 5.5.2 Error: line too long\n");
    // NOOP gets no allowance.
    assert_eq!(
        run(&mut s, &mut mta, &format!("NOOP {}\n", "x".repeat(600))),
        "500 5.5.2 Error: line too long\n"
    );
}
