//! Whole-transcript tests: every line the server sends is compared with the expected text.

use super::*;
use crate::engine::mail::store::{Flag, FlagChange, Flags, Uid};
use crate::engine::mail::{MailStore, Message};

pub(crate) struct TestHost {
    pub store: MailStore,
}

impl ImapHost for TestHost {
    fn authenticate(&mut self, username: &str, password: &str) -> bool {
        username == "bob@southbay.test" && password == "builder"
    }
    fn store(&mut self) -> &mut MailStore {
        &mut self.store
    }
}

pub(crate) const LETTER: &[u8] = b"From: Alice <alice@northwind.test>\r\nTo: bob@southbay.test\r\nSubject: Hello\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\n\r\nHi Bob!\r\n";

pub(crate) fn host_with_letter() -> TestHost {
    let mut store = MailStore::default();
    store.deliver(
        "bob@southbay.test",
        Message::from_bytes(LETTER.to_vec()),
        VirtualTime::ZERO,
    );
    TestHost { store }
}

fn drain(s: &mut ServerSession) -> String {
    let mut text = String::new();
    while let Some(out) = s.poll_output() {
        match out {
            ServerOutput::Transmit(b) => text.push_str(&String::from_utf8_lossy(&b)),
            ServerOutput::TlsStarted => text.push_str("<TLS>\r\n"),
            ServerOutput::Close => text.push_str("<CLOSE>\r\n"),
            ServerOutput::Event(_) => {}
        }
    }
    text
}

fn connect() -> ServerSession {
    ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO)
}

/// Sends `input` and returns what the server answered.
fn say(s: &mut ServerSession, host: &mut TestHost, input: &str) -> String {
    s.handle_input(input.as_bytes(), VirtualTime::from_secs(1), host);
    drain(s)
}

/// Runs `C:` lines (CRLF added) and checks the `S:` lines that follow each.
fn transcript(s: &mut ServerSession, host: &mut TestHost, script: &str) {
    let mut expected = String::new();
    let mut pending: Option<String> = None;
    let check = |s: &mut ServerSession,
                 host: &mut TestHost,
                 sent: &Option<String>,
                 expected: &mut String| {
        if let Some(c) = sent {
            let got = say(s, host, &format!("{c}\r\n"));
            assert_eq!(got, *expected, "after C: {c}");
        }
        expected.clear();
    };
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(c) = line.strip_prefix("C: ") {
            check(s, host, &pending, &mut expected);
            pending = Some(c.to_string());
        } else if let Some(reply) = line.strip_prefix("S: ") {
            expected.push_str(reply);
            expected.push_str("\r\n");
        }
    }
    check(s, host, &pending, &mut expected);
}

const PRE: &str = "IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN";
const POST: &str = "IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED STATUS=SIZE";

fn logged_in(host: &mut TestHost) -> ServerSession {
    let mut s = connect();
    drain(&mut s);
    let got = say(&mut s, host, "a1 LOGIN bob@southbay.test builder\r\n");
    assert_eq!(got, format!("a1 OK [CAPABILITY {POST}] Logged in\r\n"));
    s
}

#[test]
fn login_select_fetch_store_expunge_logout() {
    let mut host = host_with_letter();
    let mut s = connect();
    assert_eq!(
        drain(&mut s),
        format!("* OK [CAPABILITY {PRE}] Dovecot ready.\r\n")
    );
    let v = host
        .store
        .folder("bob@southbay.test", "INBOX")
        .map(|f| f.uid_validity().0)
        .unwrap_or(0);
    transcript(
        &mut s,
        &mut host,
        &format!(
            r#"
        C: a0 LOGIN bob@southbay.test wrong
        S: a0 NO [AUTHENTICATIONFAILED] Authentication failed.
        C: a1 LOGIN bob@southbay.test builder
        S: a1 OK [CAPABILITY {POST}] Logged in
        C: a2 SELECT inbox
        S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
        S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.
        S: * 1 EXISTS
        S: * 1 RECENT
        S: * OK [UNSEEN 1] First unseen.
        S: * OK [UIDVALIDITY {v}] UIDs valid
        S: * OK [UIDNEXT 2] Predicted next UID
        S: a2 OK [READ-WRITE] Select completed.
        C: a3 FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)
        S: * 1 FETCH (FLAGS (\Recent) INTERNALDATE "02-Mar-2026 09:00:00 +0000" RFC822.SIZE 125 ENVELOPE ("Mon, 02 Mar 2026 09:00:00 +0000" "Hello" (("Alice" NIL "alice" "northwind.test")) (("Alice" NIL "alice" "northwind.test")) (("Alice" NIL "alice" "northwind.test")) ((NIL NIL "bob" "southbay.test")) NIL NIL NIL NIL))
        S: a3 OK Fetch completed.
        C: a4 UID FETCH 1:* (BODY[TEXT])
        S: * 1 FETCH (UID 1 BODY[TEXT] {{9}}
        S: Hi Bob!
        S:  FLAGS (\Seen \Recent))
        S: a4 OK Fetch completed.
        C: a5 STORE 1 +FLAGS (\Deleted)
        S: * 1 FETCH (FLAGS (\Seen \Deleted \Recent))
        S: a5 OK Store completed.
        C: a6 EXPUNGE
        S: * 1 EXPUNGE
        S: a6 OK Expunge completed.
        C: a7 LOGOUT
        S: * BYE Logging out
        S: a7 OK Logout completed.
        S: <CLOSE>
    "#
        ),
    );
    assert!(s.is_closed());
    assert!(host
        .store
        .folder("bob@southbay.test", "INBOX")
        .is_some_and(|f| f.is_empty()));
}

#[test]
fn append_with_a_synchronizing_literal() {
    let mut host = host_with_letter();
    let mut s = logged_in(&mut host);
    assert_eq!(
        say(&mut s, &mut host, "a2 APPEND Drafts (\\Draft) {14}\r\n"),
        "+ OK\r\n"
    );
    let v = host
        .store
        .folder("bob@southbay.test", "Drafts")
        .map(|f| f.uid_validity().0)
        .unwrap_or(0);
    assert_eq!(
        say(&mut s, &mut host, "Subject: x\r\n\r\n\r\n"),
        format!("a2 OK [APPENDUID {v} 1] Append completed.\r\n")
    );
    let drafts = host
        .store
        .folder("bob@southbay.test", "Drafts")
        .expect("Drafts");
    assert_eq!(
        drafts.messages()[0].message.as_bytes(),
        b"Subject: x\r\n\r\n"
    );
    // Non-synchronizing: no continuation.
    assert_eq!(
        say(&mut s, &mut host, "a3 APPEND Drafts {3+}\r\nabc\r\n"),
        format!("a3 OK [APPENDUID {v} 2] Append completed.\r\n")
    );
    assert_eq!(
        say(&mut s, &mut host, "a4 APPEND Nowhere {1+}\r\nx\r\n"),
        "a4 NO [TRYCREATE] Mailbox doesn't exist: Nowhere\r\n"
    );
}

#[test]
fn changes_in_one_session_show_in_the_other() {
    let mut host = host_with_letter();
    let mut laptop = logged_in(&mut host);
    let mut phone = logged_in(&mut host);
    say(&mut laptop, &mut host, "l1 SELECT INBOX\r\n");
    say(&mut phone, &mut host, "p1 SELECT INBOX\r\n");
    assert_eq!(
        say(
            &mut laptop,
            &mut host,
            "l2 STORE 1 +FLAGS.SILENT (\\Seen)\r\n"
        ),
        "l2 OK Store completed.\r\n"
    );
    assert_eq!(
        say(&mut phone, &mut host, "p2 NOOP\r\n"),
        "* 1 FETCH (FLAGS (\\Seen))\r\np2 OK NOOP completed.\r\n"
    );
    host.store.deliver(
        "bob@southbay.test",
        Message::from_bytes(b"Subject: 2\r\n\r\n".to_vec()),
        VirtualTime::ZERO,
    );
    say(
        &mut laptop,
        &mut host,
        "l3 UID STORE 1 +FLAGS (\\Deleted)\r\n",
    );
    say(&mut laptop, &mut host, "l4 EXPUNGE\r\n");
    // Not during FETCH by sequence number (RFC 9051 7.5.1): only the new message; the
    // expunged one keeps its number but has no data left to send.
    assert_eq!(
        say(&mut phone, &mut host, "p3 FETCH 1 (UID)\r\n"),
        "* 2 EXISTS\r\np3 OK Fetch completed.\r\n"
    );
    assert_eq!(
        say(&mut phone, &mut host, "p4 CHECK\r\n"),
        "* 1 EXPUNGE\r\np4 OK Check completed.\r\n"
    );
    assert_eq!(
        say(&mut phone, &mut host, "p5 UID SEARCH ALL\r\n"),
        "* SEARCH 2\r\np5 OK Search completed.\r\n"
    );
}

#[test]
fn idle_reports_new_mail_when_poked() {
    let mut host = host_with_letter();
    let mut s = logged_in(&mut host);
    say(&mut s, &mut host, "a2 SELECT INBOX\r\n");
    assert_eq!(say(&mut s, &mut host, "a3 IDLE\r\n"), "+ idling\r\n");
    assert!(s.is_idling());
    host.store.deliver(
        "bob@southbay.test",
        Message::from_bytes(b"Subject: 2\r\n\r\n".to_vec()),
        VirtualTime::ZERO,
    );
    let flags: Flags = [Flag::Flagged].into_iter().collect();
    let _ = host.store.set_flags(
        "bob@southbay.test",
        "INBOX",
        Uid(1),
        FlagChange::Add,
        &flags,
    );
    s.handle_mailbox_change(VirtualTime::from_secs(2), &mut host);
    assert_eq!(
        drain(&mut s),
        "* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\n* 2 EXISTS\r\n* 2 RECENT\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a4 NOOP\r\n"),
        "a3 BAD Expected DONE.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a5 IDLE\r\nDONE\r\n"),
        "+ idling\r\na5 OK Idle completed.\r\n"
    );
}

#[test]
fn uid_commands_copy_and_move() {
    let mut host = host_with_letter();
    host.store.deliver(
        "bob@southbay.test",
        Message::from_bytes(b"Subject: 2\r\n\r\n".to_vec()),
        VirtualTime::ZERO,
    );
    let mut s = logged_in(&mut host);
    say(&mut s, &mut host, "a2 SELECT INBOX\r\n");
    let trash = host
        .store
        .folder("bob@southbay.test", "Trash")
        .map(|f| f.uid_validity().0)
        .unwrap_or(0);
    assert_eq!(
        say(&mut s, &mut host, "a3 UID COPY 2 Trash\r\n"),
        format!("a3 OK [COPYUID {trash} 2 1] Copy completed.\r\n")
    );
    assert_eq!(
        say(&mut s, &mut host, "a4 UID MOVE 1 Trash\r\n"),
        format!(
            "* OK [COPYUID {trash} 1 2] Moved UIDs.\r\n* 1 EXPUNGE\r\na4 OK Move completed.\r\n"
        )
    );
    assert_eq!(
        say(&mut s, &mut host, "a5 UID FETCH 2 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"),
        "* 1 FETCH (UID 2 FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {14}\r\nSubject: 2\r\n\r\n)\r\na5 OK Fetch completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a6 UID FETCH 7 FLAGS\r\n"),
        "a6 OK Fetch completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a7 UID STORE 2 FLAGS (\\Answered)\r\n"),
        "* 1 FETCH (FLAGS (\\Answered \\Recent) UID 2)\r\na7 OK Store completed.\r\n"
    );
}

#[test]
fn errors_bad_and_no() {
    let mut host = host_with_letter();
    let mut s = connect();
    drain(&mut s);
    transcript(
        &mut s,
        &mut host,
        r#"
        C: a1 SELECT INBOX
        S: a1 BAD Error in IMAP command SELECT: Login first.
        C: a2 FROB
        S: a2 BAD Error in IMAP command FROB: Unknown command.
        C: +++
        S: * BAD Error in IMAP command received by server.
        C: a3 LOGIN bob@southbay.test
        S: a3 BAD Error in IMAP command LOGIN: Invalid arguments.
        C: a4 LOGIN bob@southbay.test builder
        S: a4 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED STATUS=SIZE] Logged in
        C: a5 FETCH 1 FLAGS
        S: a5 BAD No mailbox selected.
        C: a6 SELECT Nope
        S: a6 NO [NONEXISTENT] Mailbox doesn't exist: Nope
        C: a7 EXAMINE INBOX
        S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
        S: * OK [PERMANENTFLAGS ()] Read-only mailbox.
        S: * 1 EXISTS
        S: * 1 RECENT
        S: * OK [UNSEEN 1] First unseen.
        S: * OK [UIDVALIDITY 1] UIDs valid
        S: * OK [UIDNEXT 2] Predicted next UID
        S: a7 OK [READ-ONLY] Examine completed.
        C: a8 FETCH 2 FLAGS
        S: a8 BAD Error in IMAP command FETCH: Invalid messageset
        C: a9 STORE 1 +FLAGS (\Seen)
        S: a9 NO Mailbox is read-only.
        C: b1 CREATE INBOX
        S: b1 NO [ALREADYEXISTS] Mailbox already exists
        C: b2 DELETE INBOX
        S: b2 NO [CANNOT] INBOX can't be deleted.
    "#,
    );
}

#[test]
fn list_status_namespace_authenticate() {
    let mut host = host_with_letter();
    let mut s = connect();
    drain(&mut s);
    // AUTHENTICATE PLAIN without an initial response: empty challenge, then the response.
    assert_eq!(
        say(&mut s, &mut host, "a1 AUTHENTICATE PLAIN\r\n"),
        "+ \r\n"
    );
    assert!(say(
        &mut s,
        &mut host,
        "AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=\r\n"
    )
    .starts_with("a1 OK [CAPABILITY"));
    let list = say(&mut s, &mut host, "a2 LIST \"\" *\r\n");
    assert!(
        list.contains("* LIST (\\HasNoChildren) \"/\" INBOX\r\n"),
        "{list}"
    );
    assert!(
        list.contains("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"),
        "{list}"
    );
    assert!(list.ends_with("a2 OK List completed.\r\n"));
    let special = say(&mut s, &mut host, "a3 LIST (SPECIAL-USE) \"\" *\r\n");
    assert!(
        !special.contains("INBOX") && special.contains("\\Trash"),
        "{special}"
    );
    assert_eq!(
        say(&mut s, &mut host, "a4 STATUS INBOX (MESSAGES UNSEEN)\r\n"),
        "* STATUS INBOX (MESSAGES 1 UNSEEN 1)\r\na4 OK Status completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a5 NAMESPACE\r\n"),
        "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\na5 OK Namespace completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a6 CREATE Archive/\r\n"),
        "a6 OK Create completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a7 LIST \"\" Arch%\r\n"),
        "* LIST (\\HasNoChildren) \"/\" Archive\r\na7 OK List completed.\r\n"
    );
}

#[test]
fn starttls_drops_pipelined_plaintext() {
    let mut host = host_with_letter();
    let mut s = connect();
    drain(&mut s);
    assert_eq!(
        say(
            &mut s,
            &mut host,
            "a1 STARTTLS\r\na2 LOGIN bob@southbay.test builder\r\n"
        ),
        "a1 OK Begin TLS negotiation now.\r\n<TLS>\r\n"
    );
    assert!(say(&mut s, &mut host, "a3 CAPABILITY\r\n").starts_with(
        "* CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN\r\n"
    ));
}

#[test]
fn same_output_for_every_split() {
    let input: &[u8] = b"a1 LOGIN {17}\r\nbob@southbay.test builder\r\na2 SELECT INBOX\r\na3 APPEND INBOX {5}\r\nhello\r\na4 UID FETCH 1:* (FLAGS BODY.PEEK[])\r\na5 IDLE\r\nDONE\r\na6 LOGOUT\r\n";
    let run = |chunks: &[&[u8]]| {
        let mut host = host_with_letter();
        let mut s = connect();
        let mut text = drain(&mut s);
        for c in chunks {
            s.handle_input(c, VirtualTime::from_secs(1), &mut host);
            text.push_str(&drain(&mut s));
        }
        text
    };
    let whole = run(&[input]);
    assert!(
        whole.contains("* 2 FETCH (UID 2 FLAGS (\\Recent) BODY[] {5}\r\nhello)\r\n"),
        "{whole}"
    );
    assert!(whole.ends_with("a6 OK Logout completed.\r\n<CLOSE>\r\n"));
    for cut in 1..input.len() {
        assert_eq!(run(&[&input[..cut], &input[cut..]]), whole, "cut at {cut}");
    }
}

#[test]
fn autologout_after_silence() {
    let mut s = connect();
    drain(&mut s);
    let deadline = s.poll_timeout().expect("a deadline");
    s.handle_timeout(deadline);
    assert_eq!(
        drain(&mut s),
        "* BYE Disconnected for inactivity.\r\n<CLOSE>\r\n"
    );
    assert_eq!(s.poll_timeout(), None);
}

/// What Dovecot's imaptest found, each behaviour as a transcript.
mod imaptest;
