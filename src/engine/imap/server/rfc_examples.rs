//! The RFC 3501 / RFC 9051 example exchanges, adapted to the cast (Bob's INBOX on
//! mail.southbay.test) and compared line by line. What differs from the RFC's text is ours
//! by design, noted beside each example: Dovecot's wording and order of the untagged SELECT
//! data, flags listed in one fixed order, and the counts of our small mailbox.

use super::tests::TestHost;
use super::*;
use crate::engine::mail::store::{Flag, FlagChange, Flags, Uid};
use crate::engine::mail::{MailStore, Message};

const BOB: &str = "bob@southbay.test";

/// Four letters; 2 is read, 4 read and flagged, 1 and 3 unread: the flags the RFC's STORE
/// example shows before its `+FLAGS (\Deleted)`.
fn mailbox() -> TestHost {
    let mut store = MailStore::default();
    for (i, from) in [
        "Alice <alice@northwind.test>",
        "Carol <carol@westbay.test>",
        "Dave <dave@eastbay.test>",
        "Erin <erin@northwind.test>",
    ]
    .iter()
    .enumerate()
    {
        let day = ["Mon", "Tue", "Wed", "Thu"][i];
        let text = format!("Date: {day}, 0{} Mar 2026 09:00:00 +0000\r\nFrom: {from}\r\nSubject: {}\r\n\r\nHello\r\n", i + 2, i + 1);
        store.deliver(
            BOB,
            Message::from_bytes(text.into_bytes()),
            VirtualTime::ZERO,
        );
    }
    for (uid, flags) in [(2, vec![Flag::Seen]), (4, vec![Flag::Seen, Flag::Flagged])] {
        let flags: Flags = flags.into_iter().collect();
        let _ = store.set_flags(BOB, "INBOX", Uid(uid), FlagChange::Add, &flags);
    }
    TestHost { store }
}

/// Sends each `C:` line (and the literal octets that follow a `{n}` line) and compares
/// the `S:` lines that come back.
fn exchange(s: &mut ServerSession, host: &mut TestHost, script: &[&str]) {
    let mut i = 0;
    while i < script.len() {
        let Some(sent) = script[i].strip_prefix("C: ") else {
            panic!("expected a C: line at {i}: {}", script[i]);
        };
        let mut input = format!("{sent}\r\n");
        i += 1;
        let mut expected = String::new();
        while let Some(line) = script.get(i).and_then(|l| l.strip_prefix("S: ")) {
            expected.push_str(line);
            expected.push_str("\r\n");
            i += 1;
        }
        // A literal's octets: `C:` lines after a `+` continuation, sent together.
        while let Some(line) = script.get(i).and_then(|l| l.strip_prefix("L: ")) {
            input.push_str(line);
            input.push_str("\r\n");
            i += 1;
        }
        s.handle_input(input.as_bytes(), VirtualTime::from_secs(1), host);
        while let Some(line) = script.get(i).and_then(|l| l.strip_prefix("S: ")) {
            expected.push_str(line);
            expected.push_str("\r\n");
            i += 1;
        }
        let mut got = String::new();
        while let Some(out) = s.poll_output() {
            if let ServerOutput::Transmit(b) = out {
                got.push_str(&String::from_utf8_lossy(&b));
            }
        }
        assert_eq!(
            got.split_terminator("\r\n").collect::<Vec<_>>(),
            expected.split_terminator("\r\n").collect::<Vec<_>>(),
            "after C: {sent}"
        );
    }
}

fn logged_in(host: &mut TestHost) -> ServerSession {
    let mut s = ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
    s.handle_input(
        b"a1 LOGIN bob@southbay.test builder\r\n",
        VirtualTime::ZERO,
        host,
    );
    while s.poll_output().is_some() {}
    s
}

#[test]
fn rfc3501_select_fetch_store() {
    let mut host = mailbox();
    let mut s = logged_in(&mut host);
    exchange(
        &mut s,
        &mut host,
        &[
            // RFC 3501 6.3.1. The RFC lists EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT,
            // FLAGS, PERMANENTFLAGS; Dovecot (and we) put FLAGS and PERMANENTFLAGS first,
            // which RFC 3501 7 allows (untagged data come in any order).
            "C: A142 SELECT INBOX",
            "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
            "S: * 4 EXISTS",
            "S: * 4 RECENT",
            "S: * OK [UNSEEN 1] First unseen.",
            "S: * OK [UIDVALIDITY 1] UIDs valid",
            "S: * OK [UIDNEXT 5] Predicted next UID",
            "S: A142 OK [READ-WRITE] Select completed.",
            // RFC 3501 6.4.5, whose example elides the data as `....`. Without PEEK the
            // fetch sets \Seen on message 3 (RFC 3501 6.4.5), so FLAGS shows it.
            "C: A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
            "S: * 2 FETCH (FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (DATE FROM)] {75}",
            "S: Date: Tue, 03 Mar 2026 09:00:00 +0000",
            "S: From: Carol <carol@westbay.test>",
            "S: ",
            "S: )",
            "S: * 3 FETCH (FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (DATE FROM)] {73}",
            "S: Date: Wed, 04 Mar 2026 09:00:00 +0000",
            "S: From: Dave <dave@eastbay.test>",
            "S: ",
            "S: )",
            "S: * 4 FETCH (FLAGS (\\Seen \\Flagged \\Recent) BODY[HEADER.FIELDS (DATE FROM)] {75}",
            "S: Date: Thu, 05 Mar 2026 09:00:00 +0000",
            "S: From: Erin <erin@northwind.test>",
            "S: ",
            "S: )",
            "S: A654 OK Fetch completed.",
            // RFC 3501 6.4.6: the RFC writes `(\Deleted \Seen)` and `(\Deleted \Flagged
            // \Seen)`; flags are a set, listed here in one fixed order. Message 3 is \Seen
            // now (the FETCH above), where the RFC's was not; and the messages are this
            // session's recent ones, delivered since INBOX was last selected.
            "C: A003 STORE 2:4 +FLAGS (\\Deleted)",
            "S: * 2 FETCH (FLAGS (\\Seen \\Deleted \\Recent))",
            "S: * 3 FETCH (FLAGS (\\Seen \\Deleted \\Recent))",
            "S: * 4 FETCH (FLAGS (\\Seen \\Flagged \\Deleted \\Recent))",
            "S: A003 OK Store completed.",
            // RFC 3501 6.4.3: the example's numbers shift as each EXPUNGE is sent; ours are
            // sent from the highest down (each still right when sent, RFC 9051 7.5.1).
            "C: A202 EXPUNGE",
            "S: * 4 EXPUNGE",
            "S: * 3 EXPUNGE",
            "S: * 2 EXPUNGE",
            "S: A202 OK Expunge completed.",
        ],
    );
}

#[test]
fn rfc3501_append_with_a_literal() {
    let mut host = mailbox();
    let mut s = logged_in(&mut host);
    let _ = host.store.create_folder(BOB, "saved-messages");
    let v = host
        .store
        .folder(BOB, "saved-messages")
        .map_or(0, |f| f.uid_validity().0);
    let done = format!("S: A003 OK [APPENDUID {v} 1] Append completed.");
    exchange(
        &mut s,
        &mut host,
        &[
            // RFC 3501 6.3.11 with Fred and Joe recast as Alice and Bob. `+ OK` is
            // Dovecot's continuation text for the RFC's `+ Ready for literal data`, and
            // APPENDUID (RFC 4315 3) comes with UIDPLUS.
            "C: A003 APPEND saved-messages (\\Seen) {296}",
            "S: + OK",
            "L: Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
            "L: From: Alice <alice@northwind.test>",
            "L: Subject: afternoon meeting",
            "L: To: bob@southbay.test",
            "L: Message-Id: <B27397-0100000@northwind.test>",
            "L: MIME-Version: 1.0",
            "L: Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
            "L: ",
            "L: Hello Bob, do you think we can meet at 3:30 tomorrow?",
            "L: ",
            &done,
        ],
    );
    let saved = host.store.folder(BOB, "saved-messages").expect("created");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved.messages()[0].size(), 296);
    assert!(saved.messages()[0].flags.contains(&Flag::Seen));
}
