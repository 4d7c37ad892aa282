//! An independent reader of the messages the engine writes: mail-parser (a MIME parser
//! nobody here wrote) reads every message of every preset as it lands in a mailbox, letters,
//! delivery status notifications and delay notices alike, and what it finds must be what
//! the trace says happened: the Message-ID, the sender, the subject, a `Received:` field per
//! hop with its host and id, the DSN's three parts (RFC 6522) naming exactly the recipients
//! that failed or are late, and the original inside it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use mail_parser::{Host, MessageParser, MimeHeaders, PartType};
use mailflow::engine::scenario::presets;
use mailflow::engine::trace::{EventKind, Trace};
use mailflow::engine::world::simulate;

/// What the trace says of each message: its composition, and per original Message-ID the
/// recipients that bounced and that were warned about, at each host.
struct Story {
    composed: BTreeMap<String, (String, Vec<String>, String)>,
    failed: BTreeMap<String, BTreeSet<String>>,
    delayed: BTreeMap<String, BTreeSet<String>>,
    /// The envelope sender each message was last queued with: the author's, or a mailing
    /// list's own return path (RFC 5321 3.9.2).
    sender: BTreeMap<String, String>,
}

fn story(trace: &Trace) -> Story {
    let mut composed = BTreeMap::new();
    let mut sender = BTreeMap::new();
    let mut ids = BTreeMap::new();
    let (mut failed, mut delayed) = (BTreeMap::<String, BTreeSet<String>>::new(), BTreeMap::<String, BTreeSet<String>>::new());
    for e in &trace.events {
        match &e.kind {
            EventKind::Composed(c) => {
                // The headers name every recipient but the blind copies (RFC 5322 3.6.3).
                let named = c.to.iter().filter(|a| !c.bcc.contains(a)).cloned().collect();
                composed.insert(c.message_id.clone(), (c.from.clone(), named, c.subject.clone()));
            }
            EventKind::Queued(q) => {
                ids.insert((q.host.clone(), q.queue_id.clone()), q.message_id.clone());
                sender.insert(q.message_id.clone(), q.from.clone());
            }
            EventKind::Bounced(b) => {
                let id = ids[&(b.host.clone(), b.queue_id.clone())].clone();
                failed.entry(id).or_default().extend(b.recipients.iter().cloned());
            }
            EventKind::DelayWarning(w) => {
                let id = ids[&(w.host.clone(), w.queue_id.clone())].clone();
                delayed.entry(id).or_default().extend(w.recipients.iter().cloned());
            }
            _ => {}
        }
    }
    Story { composed, failed, delayed, sender }
}

fn angle(id: &str) -> String {
    format!("<{id}>")
}

/// The values of one field in a `message/delivery-status` body (RFC 3464 2.3): one per
/// recipient block.
fn status_fields<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

/// The addresses of an address field, in order.
fn addresses<'a>(list: Option<&'a mail_parser::Address<'a>>) -> Vec<&'a str> {
    list.map(|l| l.iter().filter_map(|a| a.address()).collect()).unwrap_or_default()
}

/// Checks one delivered message; returns what kind it was, for the totals.
fn check(preset: &str, story: &Story, user: &str, host: &str, engine_id: &str, raw: &str) -> &'static str {
    let at = format!("{preset}: message {engine_id} in {user}'s mailbox");
    let m = MessageParser::default().parse(raw.as_bytes()).unwrap_or_else(|| panic!("{at}: mail-parser cannot read it"));
    assert_eq!(m.message_id().map(angle).as_deref(), Some(engine_id), "{at}: Message-ID");
    assert!(m.date().is_some(), "{at}: a Date it can read");
    let from = m.from().and_then(|f| f.first()).and_then(|a| a.address()).unwrap_or_else(|| panic!("{at}: a From address"));

    // One Received field per hop, each with the receiving host and its id (RFC 5321 4.4);
    // the newest, on top, is the mailbox host's, naming the recipient.
    let header = raw.split("\r\n\r\n").next().unwrap_or_default();
    let written = header.lines().filter(|l| l.starts_with("Received:")).count();
    let hops: Vec<_> = m.received_all().collect();
    assert_eq!(hops.len(), written, "{at}: every Received field read");
    assert!(!hops.is_empty(), "{at}: at least the final hop");
    for hop in &hops {
        assert!(matches!(&hop.by, Some(Host::Name(_))), "{at}: a `by` host in {hop:?}");
        assert!(hop.id.is_some(), "{at}: an id in {hop:?}");
    }
    assert_eq!(hops[0].by, Some(Host::Name(host.into())), "{at}: the last hop is the mailbox host");
    assert_eq!(hops[0].for_.as_deref(), Some(user), "{at}: delivered for its user");

    let content_type = m.content_type();
    let is_report = content_type.is_some_and(|ct| ct.ctype() == "multipart" && ct.subtype() == Some("report"));
    if !is_report {
        let (sender, to, subject) = story.composed.get(engine_id).unwrap_or_else(|| panic!("{at}: composed in the trace"));
        assert_eq!(from, sender, "{at}: From");
        assert_eq!(m.subject(), Some(subject.as_str()), "{at}: Subject");
        let read: Vec<&str> = addresses(m.to()).into_iter().chain(addresses(m.cc())).collect();
        assert_eq!(read, *to, "{at}: To and Cc");
        assert!(m.bcc().is_none(), "{at}: no Bcc field travels");
        let envelope = story.sender.get(engine_id).unwrap_or(sender);
        assert_eq!(m.return_address(), Some(envelope.as_str()), "{at}: Return-Path is the envelope sender");
        return "letter";
    }

    // RFC 6522 / RFC 3464: from MAILER-DAEMON with the null return path, three parts.
    assert!(from.starts_with("MAILER-DAEMON@"), "{at}: from the mailer daemon, not {from}");
    assert_eq!(m.header_raw("Return-Path").map(str::trim), Some("<>"), "{at}: Return-Path <>");
    assert!(m.return_path().as_text().is_none_or(str::is_empty), "{at}: no return address in {:?}", m.return_path());
    assert_eq!(content_type.and_then(|ct| ct.attribute("report-type")), Some("delivery-status"), "{at}");
    let root = m.root_part().sub_parts().unwrap_or_else(|| panic!("{at}: a multipart"));
    assert_eq!(root.len(), 3, "{at}: human-readable, delivery-status, original");
    let part = |i: usize| m.part(root[i]).unwrap_or_else(|| panic!("{at}: part {i}"));
    let human = part(0).text_contents().unwrap_or_else(|| panic!("{at}: a readable first part"));
    let status_type = part(1).content_type().map(|ct| (ct.ctype().to_string(), ct.subtype().map(String::from)));
    assert_eq!(status_type, Some(("message".into(), Some("delivery-status".into()))), "{at}");
    let status = String::from_utf8_lossy(part(1).contents()).into_owned();

    // The original: the whole message, or its header (text/rfc822-headers).
    let original_id = match &part(2).body {
        PartType::Message(original) => original.message_id().map(angle),
        _ => {
            let headers = String::from_utf8_lossy(part(2).contents()).into_owned();
            status_fields(&headers, "Message-ID").first().map(|v| v.to_string())
        }
    };
    let original_id = original_id.unwrap_or_else(|| panic!("{at}: the original's Message-ID"));

    let actions = status_fields(&status, "Action");
    let recipients: BTreeSet<String> = status_fields(&status, "Final-Recipient")
        .iter()
        .map(|v| v.trim_start_matches("rfc822;").trim().to_string())
        .collect();
    let (kind, expected) = if actions.iter().all(|a| *a == "failed") {
        ("bounce", story.failed.get(&original_id))
    } else {
        assert!(actions.iter().all(|a| *a == "delayed"), "{at}: {actions:?}");
        ("delay notice", story.delayed.get(&original_id))
    };
    assert_eq!(Some(&recipients), expected, "{at}: the recipients the {kind} names");
    for r in &recipients {
        assert!(human.contains(r.as_str()), "{at}: the readable part names {r}");
    }
    for s in status_fields(&status, "Status") {
        let class = if kind == "bounce" { '5' } else { '4' };
        assert!(s.starts_with(class), "{at}: Status {s} in a {kind}");
    }
    kind
}

#[test]
fn every_message_of_every_preset_reads_as_the_trace_says() {
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for p in presets() {
        let trace = simulate(&p.scenario().expect("preset parses"));
        let story = story(&trace);
        for e in &trace.events {
            if let EventKind::Delivered(d) = &e.kind {
                *totals.entry(check(p.name, &story, &d.user, &d.host, &d.message_id, &d.message)).or_default() += 1;
            }
        }
    }
    println!("read: {totals:?}");
    // The presets hold all three kinds; a run that read none of one would prove nothing.
    for kind in ["letter", "bounce", "delay notice"] {
        assert!(totals.get(kind).is_some_and(|n| *n > 0), "no {kind} read: {totals:?}");
    }
}

/// first-letter's attachment, as the parser finds it: its name, and its text as written in
/// the scenario.
#[test]
fn the_attachment_is_where_and_what_the_scenario_says() {
    let trace = common::run("first-letter");
    let (_, raw) = common::delivered_to(&trace, "bob@southbay.test")[0];
    let m = MessageParser::default().parse(raw.as_bytes()).expect("parses");
    assert_eq!(m.attachment_count(), 1);
    let attachment = m.attachment(0).expect("the attachment");
    assert_eq!(attachment.attachment_name(), Some("directions.txt"));
    assert_eq!(
        attachment.text_contents().map(|t| t.replace("\r\n", "\n")).as_deref(),
        Some("From the station: left along the quay, second door after the ferry office.\n")
    );
    assert!(m.body_text(0).is_some_and(|t| t.contains("Are we still on for lunch on Friday?")));
}

/// The oracle can fail: a DSN that names a recipient the trace did not bounce is caught.
#[test]
fn the_oracle_notices_a_wrong_recipient() {
    let trace = common::run("unknown-user");
    let story = story(&trace);
    let (event, raw) = common::delivered_to(&trace, "alice@northwind.test")[0];
    let EventKind::Delivered(d) = &event.kind else { unreachable!() };
    let forged = raw.replace("Final-Recipient: rfc822; robert@southbay.test", "Final-Recipient: rfc822; bob@southbay.test");
    assert_ne!(forged, raw);
    let caught = std::panic::catch_unwind(|| check("unknown-user", &story, &d.user, &d.host, &d.message_id, &forged));
    assert!(caught.is_err());
}
