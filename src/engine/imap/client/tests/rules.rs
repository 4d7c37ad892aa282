//! What a device does after fetching (mark read, flag, delete, move) and flag sync: whole
//! transcripts against the real server, then the device's view and the store compared.

use super::*;
use crate::engine::mail::store::{Flag, FlagChange, Flags, SpecialUse, Uid};
use crate::engine::mail::Message;

const INVOICE: &[u8] = b"From: Shop <news@shop.test>\r\nSubject: =?UTF-8?Q?Invoice_42?=\r\nMessage-ID: <42@shop.test>\r\n\r\nPay up.\r\n";

const BOB: &str = "bob@southbay.test";

/// Bob's INBOX: [`LETTER`] (UID 1, Subject "Hello") and [`INVOICE`] (UID 2).
fn host_with_two() -> TestHost {
    let mut host = host_with_letter();
    host.store.deliver(
        BOB,
        Message::from_bytes(INVOICE.to_vec()),
        VirtualTime::ZERO,
    );
    host
}

/// The lines up to the tagged OK of SELECT, which every session here shares; `recent`
/// of the messages arrived since any session last selected INBOX (RFC 3501 2.3.2).
fn head(exists: u32, recent: u32, unseen: Option<u32>, uid_next: u32) -> Vec<String> {
    let mut lines = vec![
        "S: * OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.".to_string(),
        "C: a1 STARTTLS".into(),
        "S: a1 OK Begin TLS negotiation now.".into(),
        "C: a2 CAPABILITY".into(),
        "S: * CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN".into(),
        "S: a2 OK Pre-login capabilities listed, post-login capabilities have more.".into(),
        "C: a3 AUTHENTICATE PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI=".into(),
        "S: a3 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED STATUS=SIZE] Logged in".into(),
        "C: a4 SELECT \"INBOX\"".into(),
        "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)".into(),
        "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.".into(),
        format!("S: * {exists} EXISTS"),
        format!("S: * {recent} RECENT"),
    ];
    if let Some(n) = unseen {
        lines.push(format!("S: * OK [UNSEEN {n}] First unseen."));
    }
    lines.push("S: * OK [UIDVALIDITY 1] UIDs valid".into());
    lines.push(format!("S: * OK [UIDNEXT {uid_next}] Predicted next UID"));
    lines.push("S: a4 OK [READ-WRITE] Select completed.".into());
    lines
}

/// The two messages' fetch, tags a5 (search) and a6 (fetch).
const FETCH_BOTH: &[&str] = &[
    "C: a5 UID SEARCH UID 1:*",
    "S: * SEARCH 1 2",
    "S: a5 OK Search completed.",
    "C: a6 UID FETCH 1:2 (FLAGS BODY.PEEK[])",
    "S: * 1 FETCH (UID 1 FLAGS (\\Recent) BODY[] {125}",
    "S: From: Alice <alice@northwind.test>",
    "S: To: bob@southbay.test",
    "S: Subject: Hello",
    "S: Date: Mon, 02 Mar 2026 09:00:00 +0000",
    "S: ",
    "S: Hi Bob!",
    "S: )",
    "S: * 2 FETCH (UID 2 FLAGS (\\Recent) BODY[] {101}",
    "S: From: Shop <news@shop.test>",
    "S: Subject: =?UTF-8?Q?Invoice_42?=",
    "S: Message-ID: <42@shop.test>",
    "S: ",
    "S: Pay up.",
    "S: )",
    "S: a6 OK Fetch completed.",
];

/// A client session with these rules, run to the end; returns the transcript and the client.
fn run(rules: Vec<Rule>, last_seen_uid: u32, host: &mut TestHost) -> (Vec<String>, ClientSession) {
    let mut config = ClientConfig::new(BOB, "builder");
    config.rules = rules;
    config.last_seen_uid = last_seen_uid;
    let mut server = ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
    let mut client = ClientSession::new(config);
    let transcript = pump(&mut server, &mut client, host);
    (transcript, client)
}

fn pump(
    server: &mut ServerSession,
    client: &mut ClientSession,
    host: &mut TestHost,
) -> Vec<String> {
    let mut transcript = Vec::new();
    let lines = |b: &[u8], who: &str| -> Vec<String> {
        String::from_utf8_lossy(b)
            .split_terminator("\r\n")
            .map(|l| format!("{who}: {l}"))
            .collect()
    };
    for _ in 0..100 {
        let mut to_client = Vec::new();
        while let Some(out) = server.poll_output() {
            if let ServerOutput::Transmit(b) = out {
                transcript.extend(lines(&b, "S"));
                to_client.extend(b);
            }
        }
        client.handle_input(&to_client);
        let mut to_server = Vec::new();
        while let Some(out) = client.poll_output() {
            if let ClientOutput::Transmit(b) = out {
                transcript.extend(lines(&b, "C"));
                to_server.extend(b);
            }
        }
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        server.handle_input(&to_server, VirtualTime::from_secs(1), host);
    }
    assert!(client.is_finished(), "{transcript:#?}");
    transcript
}

fn expected(head: Vec<String>, parts: &[&[&str]]) -> Vec<String> {
    let mut all = head;
    for part in parts {
        all.extend(part.iter().map(|l| l.to_string()));
    }
    all
}

const LOGOUT: &[&str] = &["S: * BYE Logging out"];

fn logout(tag: u32) -> Vec<String> {
    vec![
        format!("C: a{tag} LOGOUT"),
        LOGOUT[0].to_string(),
        format!("S: a{tag} OK Logout completed."),
    ]
}

fn flags(list: &[Flag]) -> Flags {
    list.iter().cloned().collect()
}

/// The view as (UID, flags, Subject, Message-ID).
fn view_of(client: &ClientSession) -> Vec<(u32, Flags, Option<String>, Option<String>)> {
    client
        .mailbox_view()
        .map(|v| {
            v.messages
                .into_iter()
                .map(|m| (m.uid, m.flags, m.subject, m.message_id))
                .collect()
        })
        .unwrap_or_default()
}

fn store_flags(host: &TestHost, folder: &str) -> Vec<(u32, Flags)> {
    host.store
        .folder(BOB, folder)
        .map(|f| {
            f.messages()
                .iter()
                .map(|m| (m.uid.0, m.flags.clone()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn flag_by_subject_then_mark_everything_read() {
    let mut host = host_with_two();
    let rules = vec![
        // Case-insensitive, on the decoded Subject (RFC 2047).
        Rule::new(Matcher::SubjectContains("INVOICE".into()), Action::Flag),
        Rule::new(Matcher::AllNew, Action::MarkSeen),
    ];
    let (transcript, client) = run(rules, 0, &mut host);
    let tail = [
        "C: a7 UID STORE 2 +FLAGS.SILENT (\\Flagged)",
        "S: a7 OK Store completed.",
        "C: a8 UID STORE 1:2 +FLAGS.SILENT (\\Seen)",
        "S: a8 OK Store completed.",
    ];
    let want = expected(head(2, 2, Some(1), 3), &[FETCH_BOTH, &tail]);
    assert_eq!(transcript, [want, logout(9)].concat());
    let seen = flags(&[Flag::Seen]);
    let both = flags(&[Flag::Seen, Flag::Flagged]);
    assert_eq!(
        view_of(&client),
        [
            (1, seen.clone(), Some("Hello".into()), None),
            (
                2,
                both.clone(),
                Some("Invoice 42".into()),
                Some("<42@shop.test>".into())
            ),
        ]
    );
    assert_eq!(store_flags(&host, "INBOX"), [(1, seen), (2, both)]);
    assert_eq!(client.mailbox_view().map(|v| v.uid_validity), Some(1));
}

#[test]
fn delete_uses_uid_expunge_when_uidplus_is_offered() {
    let mut host = host_with_two();
    // Another message already \Deleted by someone else: UID EXPUNGE leaves it (RFC 4315 2.1).
    let deleted = flags(&[Flag::Deleted]);
    let _ = host
        .store
        .set_flags(BOB, "INBOX", Uid(1), FlagChange::Add, &deleted);
    let rules = vec![Rule::new(
        Matcher::SubjectContains("invoice".into()),
        Action::Delete,
    )];
    let (transcript, client) = run(rules, 0, &mut host);
    let mut fetch = FETCH_BOTH.to_vec();
    fetch[4] = "S: * 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent) BODY[] {125}";
    let tail = [
        "C: a7 UID STORE 2 +FLAGS.SILENT (\\Deleted)",
        "S: a7 OK Store completed.",
        "C: a8 UID EXPUNGE 2",
        "S: * 2 EXPUNGE",
        "S: a8 OK Expunge completed.",
    ];
    let want = expected(head(2, 2, Some(1), 3), &[&fetch, &tail]);
    assert_eq!(transcript, [want, logout(9)].concat());
    assert_eq!(
        view_of(&client),
        [(1, deleted.clone(), Some("Hello".into()), None)]
    );
    assert_eq!(store_flags(&host, "INBOX"), [(1, deleted)]);
}

#[test]
fn move_to_junk_found_by_special_use() {
    let mut host = host_with_two();
    let rules = vec![Rule::new(
        Matcher::SubjectContains("invoice".into()),
        Action::MoveTo(FolderRef::SpecialUse(SpecialUse::Junk)),
    )];
    let (transcript, client) = run(rules, 0, &mut host);
    let junk = host
        .store
        .folder(BOB, "Junk")
        .map_or(0, |f| f.uid_validity().0);
    let tail = [
        "C: a7 LIST \"\" \"*\"".to_string(),
        "S: * LIST (\\HasNoChildren) \"/\" INBOX".into(),
        "S: * LIST (\\HasNoChildren \\Drafts) \"/\" Drafts".into(),
        "S: * LIST (\\HasNoChildren \\Sent) \"/\" Sent".into(),
        "S: * LIST (\\HasNoChildren \\Junk) \"/\" Junk".into(),
        "S: * LIST (\\HasNoChildren \\Trash) \"/\" Trash".into(),
        "S: a7 OK List completed.".into(),
        // RFC 6851 3.2: one command, COPYUID before the EXPUNGE (RFC 6851 4.3).
        "C: a8 UID MOVE 2 Junk".into(),
        format!("S: * OK [COPYUID {junk} 2 1] Moved UIDs."),
        "S: * 2 EXPUNGE".into(),
        "S: a8 OK Move completed.".into(),
    ];
    let tail: Vec<&str> = tail.iter().map(String::as_str).collect();
    let want = expected(head(2, 2, Some(1), 3), &[FETCH_BOTH, &tail]);
    assert_eq!(transcript, [want, logout(9)].concat());
    assert_eq!(
        view_of(&client),
        [(1, Flags::new(), Some("Hello".into()), None)]
    );
    assert_eq!(store_flags(&host, "Junk"), [(1, Flags::new())]);
}

#[test]
fn a_missing_special_use_folder_is_reported_not_guessed() {
    let mut host = host_with_two();
    let _ = host.store.delete_folder(BOB, "Junk");
    let rules = vec![Rule::new(
        Matcher::AllNew,
        Action::MoveTo(FolderRef::SpecialUse(SpecialUse::Junk)),
    )];
    let mut config = ClientConfig::new(BOB, "builder");
    config.rules = rules;
    let (transcript, events) = converse(config, &mut host);
    assert_eq!(transcript[transcript.len() - 3], "C: a8 LOGOUT");
    assert!(events.contains(&ClientOutput::Done(Err(
        "no folder has the special use \\Junk".into()
    ))));
    assert_eq!(store_flags(&host, "INBOX").len(), 2);
}

/// Without MOVE and UIDPLUS (a scripted server, RFC 3501 only): COPY, `\Deleted`, EXPUNGE,
/// the fallback RFC 6851 3.3 describes.
#[test]
fn move_without_move_copies_deletes_and_expunges() {
    let mut config = ClientConfig::new(BOB, "builder");
    config.tls = TlsPolicy::None;
    config.rules = vec![Rule::new(
        Matcher::AllNew,
        Action::MoveTo(FolderRef::Name("Old mail".into())),
    )];
    let mut client = ClientSession::new(config);
    let script: &[(&str, &str)] = &[
        ("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready", "a1 AUTHENTICATE PLAIN AGJvYkBzb3V0aGJheS50ZXN0AGJ1aWxkZXI="),
        ("a1 OK [CAPABILITY IMAP4rev1] Logged in", "a2 SELECT \"INBOX\""),
        ("* 1 EXISTS\r\n* OK [UIDVALIDITY 9] UIDs valid\r\na2 OK [READ-WRITE] Select completed.", "a3 UID SEARCH UID 1:*"),
        ("* SEARCH 4\r\na3 OK Search completed.", "a4 UID FETCH 4 (FLAGS BODY.PEEK[])"),
        ("* 1 FETCH (UID 4 FLAGS (\\Seen) BODY[] {12}\r\nSubject: x\r\n)\r\na4 OK Fetch completed.", "a5 UID COPY 4 \"Old mail\""),
        ("a5 OK Copy completed.", "a6 UID STORE 4 +FLAGS.SILENT (\\Deleted)"),
        ("a6 OK Store completed.", "a7 EXPUNGE"),
        ("* 1 EXPUNGE\r\na7 OK Expunge completed.", "a8 LOGOUT"),
    ];
    for (server, client_says) in script {
        client.handle_input(format!("{server}\r\n").as_bytes());
        let mut said = Vec::new();
        while let Some(out) = client.poll_output() {
            if let ClientOutput::Transmit(b) = out {
                said.extend(b);
            }
        }
        assert_eq!(
            String::from_utf8_lossy(&said),
            format!("{client_says}\r\n"),
            "after {server}"
        );
    }
    let view = client.mailbox_view().expect("selected");
    assert_eq!((view.uid_validity, view.messages.len()), (9, 0));
}

#[test]
fn flag_sync_sees_another_sessions_seen_and_expunge() {
    let mut host = host_with_two();
    // The phone's first visit: both messages, nothing changed.
    let (_, phone) = run(Vec::new(), 0, &mut host);
    assert_eq!(phone.new_uids(), [1, 2]);
    // The laptop reads message 1 and deletes message 2; then a third message arrives.
    let mut laptop = ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
    laptop.handle_input(
        b"l1 LOGIN bob@southbay.test builder\r\nl2 SELECT INBOX\r\nl3 STORE 1 +FLAGS (\\Seen)\r\nl4 STORE 2 +FLAGS (\\Deleted)\r\nl5 EXPUNGE\r\nl6 LOGOUT\r\n",
        VirtualTime::from_secs(1),
        &mut host,
    );
    host.store.deliver(
        BOB,
        Message::from_bytes(b"Subject: Third\r\nMessage-ID: <3@x.test>\r\n\r\n3\r\n".to_vec()),
        VirtualTime::from_secs(2),
    );
    let (transcript, phone) = run(Vec::new(), 2, &mut host);
    let tail = [
        // RFC 4549 4.3.1: the flags of what the device knows; UID 2 does not come back.
        "C: a5 UID FETCH 1:2 (UID FLAGS)",
        "S: * 1 FETCH (UID 1 FLAGS (\\Seen))",
        "S: a5 OK Fetch completed.",
        "C: a6 UID SEARCH UID 3:*",
        "S: * SEARCH 3",
        "S: a6 OK Search completed.",
        "C: a7 UID FETCH 3 (FLAGS BODY.PEEK[])",
        // The laptop had the first two as recent; the third is this session's.
        "S: * 2 FETCH (UID 3 FLAGS (\\Recent) BODY[] {45}",
        "S: Subject: Third",
        "S: Message-ID: <3@x.test>",
        "S: ",
        "S: 3",
        "S: )",
        "S: a7 OK Fetch completed.",
    ];
    let want = expected(head(2, 1, Some(2), 4), &[&tail]);
    assert_eq!(transcript, [want, logout(8)].concat());
    assert_eq!(
        view_of(&phone),
        [
            // Known from flag sync only: headers come from the device's own cache.
            (1, flags(&[Flag::Seen]), None, None),
            (
                3,
                Flags::new(),
                Some("Third".into()),
                Some("<3@x.test>".into())
            ),
        ]
    );
}

/// Expunges and flag changes announced in the middle of the session (RFC 9051 7.5) keep
/// the view's sequence numbers right.
#[test]
fn unsolicited_updates_renumber_the_view() {
    let mut client = ClientSession::new({
        let mut c = ClientConfig::new(BOB, "builder");
        c.tls = TlsPolicy::None;
        c.last_seen_uid = 3;
        c
    });
    for line in [
        "* PREAUTH ready",
        "* 3 EXISTS\r\n* OK [UIDVALIDITY 5] x\r\na1 OK [READ-WRITE] done",
        "* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS ())\r\n* 3 FETCH (UID 3 FLAGS ())\r\na2 OK done",
        // Someone expunges UID 1 and flags UID 3, now number 2.
        "* 1 EXPUNGE\r\n* 2 FETCH (FLAGS (\\Flagged))\r\n* SEARCH 3\r\na3 OK done",
        "* BYE bye\r\na4 OK done",
    ] {
        client.handle_input(format!("{line}\r\n").as_bytes());
        while client.poll_output().is_some() {}
    }
    assert_eq!(
        view_of(&client),
        [
            (2, Flags::new(), None, None),
            (3, flags(&[Flag::Flagged]), None, None)
        ]
    );
}
