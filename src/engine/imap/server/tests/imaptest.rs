//! Regression tests for what Dovecot's compliance tester, imaptest, found wrong (its
//! scripted groups named in each test; docs/conformance.md has the run). imaptest cannot
//! run in CI, so each behaviour is pinned here as whole server output.

use super::*;

const BOB: &str = "bob@southbay.test";

fn deliver(host: &mut TestHost, text: &str) {
    host.store.deliver(
        BOB,
        Message::from_bytes(text.as_bytes().to_vec()),
        VirtualTime::ZERO,
    );
}

fn select_head(exists: u32, recent: u32, unseen: Option<u32>, uid_next: u32) -> String {
    let unseen = unseen.map_or(String::new(), |n| format!("* OK [UNSEEN {n}] First unseen.\r\n"));
    format!(
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n* {exists} EXISTS\r\n* {recent} RECENT\r\n{unseen}* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT {uid_next}] Predicted next UID\r\n"
    )
}

/// imaptest `select`, `search-flags`, `copy`: a message is `\Recent` in exactly one
/// session, the first to select the mailbox after it arrived (RFC 3501 2.3.2); EXAMINE and
/// STATUS count it without taking it.
#[test]
fn recent_belongs_to_the_first_session_that_selects() {
    let mut host = host_with_letter();
    let mut laptop = logged_in(&mut host);
    let mut phone = logged_in(&mut host);
    assert_eq!(
        say(&mut phone, &mut host, "p1 STATUS INBOX (MESSAGES RECENT)\r\n"),
        "* STATUS INBOX (MESSAGES 1 RECENT 1)\r\np1 OK Status completed.\r\n"
    );
    let examined = say(&mut phone, &mut host, "p2 EXAMINE INBOX\r\n");
    assert!(examined.contains("* 1 RECENT\r\n"), "{examined}");
    assert_eq!(
        say(&mut laptop, &mut host, "l1 SELECT INBOX\r\n"),
        format!("{}l1 OK [READ-WRITE] Select completed.\r\n", select_head(1, 1, Some(1), 2))
    );
    assert_eq!(
        say(&mut laptop, &mut host, "l2 FETCH 1 FLAGS\r\n"),
        "* 1 FETCH (FLAGS (\\Recent))\r\nl2 OK Fetch completed.\r\n"
    );
    assert_eq!(
        say(&mut laptop, &mut host, "l3 SEARCH NEW\r\n"),
        "* SEARCH 1\r\nl3 OK Search completed.\r\n"
    );
    assert_eq!(
        say(&mut laptop, &mut host, "l4 SEARCH OLD\r\n"),
        "* SEARCH\r\nl4 OK Search completed.\r\n"
    );
    // The laptop took it: for everyone else it is old.
    assert_eq!(
        say(&mut phone, &mut host, "p3 SELECT INBOX\r\n"),
        format!("{}p3 OK [READ-WRITE] Select completed.\r\n", select_head(1, 0, Some(1), 2))
    );
    assert_eq!(
        say(&mut phone, &mut host, "p4 SEARCH RECENT\r\n"),
        "* SEARCH\r\np4 OK Search completed.\r\n"
    );
    // New mail: the first session to hear of it has it as recent, told after EXISTS.
    deliver(&mut host, "Subject: 2\r\n\r\n2\r\n");
    assert_eq!(
        say(&mut phone, &mut host, "p5 NOOP\r\n"),
        "* 2 EXISTS\r\n* 1 RECENT\r\np5 OK NOOP completed.\r\n"
    );
    assert_eq!(
        say(&mut laptop, &mut host, "l5 NOOP\r\n"),
        "* 2 EXISTS\r\nl5 OK NOOP completed.\r\n"
    );
    assert_eq!(
        say(&mut laptop, &mut host, "l6 FETCH 1:2 FLAGS\r\n"),
        "* 1 FETCH (FLAGS (\\Recent))\r\n* 2 FETCH (FLAGS ())\r\nl6 OK Fetch completed.\r\n"
    );
    // Copied into the selected mailbox, a message arrives anew: recent again.
    assert_eq!(
        say(&mut laptop, &mut host, "l7 COPY 1 INBOX\r\n"),
        "* 3 EXISTS\r\n* 2 RECENT\r\nl7 OK [COPYUID 1 1 3] Copy completed.\r\n"
    );
}

/// imaptest's stress run ("Keyword used without being in FLAGS"): a keyword is announced
/// in `* FLAGS` before any message shows it (RFC 3501 7.2.6), in this session and in the
/// others.
#[test]
fn a_new_keyword_is_announced_before_it_is_shown() {
    let mut host = host_with_letter();
    let mut laptop = logged_in(&mut host);
    let mut phone = logged_in(&mut host);
    say(&mut laptop, &mut host, "l1 SELECT INBOX\r\n");
    say(&mut phone, &mut host, "p1 SELECT INBOX\r\n");
    let flags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work";
    let announcement = format!(
        "* FLAGS ({flags})\r\n* OK [PERMANENTFLAGS ({flags} \\*)] Flags permitted.\r\n"
    );
    assert_eq!(
        say(&mut laptop, &mut host, "l2 STORE 1 +FLAGS ($Work)\r\n"),
        format!("{announcement}* 1 FETCH (FLAGS ($Work \\Recent))\r\nl2 OK Store completed.\r\n")
    );
    assert_eq!(
        say(&mut phone, &mut host, "p2 NOOP\r\n"),
        format!("{announcement}* 1 FETCH (FLAGS ($Work))\r\np2 OK NOOP completed.\r\n")
    );
    // Once told, never again; and a later SELECT names it from the start.
    assert_eq!(
        say(&mut laptop, &mut host, "l3 STORE 1 -FLAGS ($Work)\r\n"),
        "* 1 FETCH (FLAGS (\\Recent))\r\nl3 OK Store completed.\r\n"
    );
    let again = say(&mut phone, &mut host, "p3 SELECT INBOX\r\n");
    assert!(again.starts_with(&announcement), "{again}");
}

/// imaptest `move`: MOVE into the selected mailbox itself gives the message a new UID at
/// the end (RFC 6851 3.3), as Dovecot does; it was refused with ALREADYEXISTS.
#[test]
fn move_into_the_same_mailbox_renumbers() {
    let mut host = host_with_letter();
    deliver(&mut host, "Subject: 2\r\n\r\n2\r\n");
    let mut s = logged_in(&mut host);
    say(&mut s, &mut host, "a2 SELECT INBOX\r\n");
    // Still two recent messages (2 and the new 3), as the client was told at SELECT: no
    // RECENT line.
    assert_eq!(
        say(&mut s, &mut host, "a3 MOVE 1 INBOX\r\n"),
        "* OK [COPYUID 1 1 3] Moved UIDs.\r\n* 1 EXPUNGE\r\n* 2 EXISTS\r\na3 OK Move completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "a4 FETCH 1:* UID\r\n"),
        "* 1 FETCH (UID 2)\r\n* 2 FETCH (UID 3)\r\na4 OK Fetch completed.\r\n"
    );
}

/// imaptest `listext` and `subscribe`: several patterns (RFC 5258 3), RECURSIVEMATCH
/// only with another selection option, a subscription whose mailbox is gone as
/// `\NonExistent`, CHILDINFO for a parent of a subscribed child the pattern leaves out
/// (RFC 5258 3.5), and LSUB's `\Noselect` parent (RFC 3501 6.3.9).
#[test]
fn list_extended_and_lsub() {
    let mut host = host_with_letter();
    let mut s = logged_in(&mut host);
    for line in [
        "c1 CREATE t/a/b",
        "c2 CREATE t/c",
        "c3 CREATE t/gone",
        "c4 SUBSCRIBE t/a/b",
        "c5 SUBSCRIBE t/gone",
        "c6 DELETE t/gone",
    ] {
        let got = say(&mut s, &mut host, &format!("{line}\r\n"));
        assert!(got.contains(" OK "), "{line}: {got}");
    }
    assert_eq!(
        say(&mut s, &mut host, "l1 LIST \"\" (t/c \"t/a/%\")\r\n"),
        "* LIST (\\HasNoChildren) \"/\" t/a/b\r\n* LIST (\\HasNoChildren) \"/\" t/c\r\nl1 OK List completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "l2 LIST (RECURSIVEMATCH) \"\" *\r\n"),
        "l2 BAD Error in IMAP command LIST: Invalid arguments.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "l3 LIST (SUBSCRIBED) \"\" t/*\r\n"),
        "* LIST (\\HasNoChildren \\Subscribed) \"/\" t/a/b\r\n* LIST (\\NonExistent \\Subscribed) \"/\" t/gone\r\nl3 OK List completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "l4 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" t/%\r\n"),
        "* LIST (\\HasChildren) \"/\" t/a (CHILDINFO (\"SUBSCRIBED\"))\r\n* LIST (\\NonExistent \\Subscribed) \"/\" t/gone\r\nl4 OK List completed.\r\n"
    );
    assert_eq!(
        say(&mut s, &mut host, "l5 LSUB \"\" t/%\r\n"),
        "* LSUB (\\Noselect) \"/\" t/a\r\n* LSUB () \"/\" t/gone\r\nl5 OK Lsub completed.\r\n"
    );
}

/// imaptest `append`: the date APPEND gives is the internal date, even one long before
/// the world's clock began (RFC 3501 6.3.11); it was clamped to the clock's start.
#[test]
fn append_keeps_the_date_it_is_given() {
    let mut host = host_with_letter();
    let mut s = logged_in(&mut host);
    say(&mut s, &mut host, "a2 APPEND INBOX \"15-Feb-2007 01:02:03 +0200\" {7}\r\nx: y\r\n\r\n");
    say(&mut s, &mut host, "a3 SELECT INBOX\r\n");
    assert_eq!(
        say(&mut s, &mut host, "a4 FETCH 2 INTERNALDATE\r\n"),
        "* 2 FETCH (INTERNALDATE \"14-Feb-2007 23:02:03 +0000\")\r\na4 OK Fetch completed.\r\n"
    );
}

/// IMAP4rev2 is not advertised, so ENABLE IMAP4rev2 enables nothing (RFC 5161 3.1), and
/// the session keeps IMAP4rev1's rules (`\Recent` above).
#[test]
fn enable_imap4rev2_enables_nothing_it_did_not_advertise() {
    let mut host = host_with_letter();
    let mut s = logged_in(&mut host);
    assert!(!POST.contains("IMAP4rev2"));
    assert_eq!(
        say(&mut s, &mut host, "e1 ENABLE IMAP4rev2\r\n"),
        "* ENABLED\r\ne1 OK Enabled.\r\n"
    );
}
