//! The virtual world end to end: each preset's lesson happens, and the rules of RFC 5321,
//! 7505 and 3464 hold when things go wrong.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{connections, delivered_to, lines, run, run_edited, secs, server_lines};
use mailflow::engine::scenario::Service;
use mailflow::engine::trace::{details, Direction, DnsAnswer, EventKind, RecordType};
use serde_json::json;

#[test]
fn first_letter_travels_submission_relay_and_lmtp_to_bobs_inbox() {
    let trace = run("first-letter");
    let ports: Vec<u16> = connections(&trace).into_iter().map(|(_, port)| port).collect();
    assert_eq!(ports, vec![587, 25, 24, 143], "submission, relay, LMTP hand-off, then Bob on IMAP");
    assert!(trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::DnsResponse(r) if r.name == "southbay.test" && r.record == RecordType::MX
            && r.answer == DnsAnswer::Records { records: vec!["MX 10 mx.southbay.test".to_string()] })));

    let inbox = delivered_to(&trace, "bob@southbay.test");
    assert_eq!(inbox.len(), 1);
    let message = inbox[0].1;
    assert!(message.starts_with("Return-Path: <alice@northwind.test>\r\nReceived: from mx.southbay.test"), "{message}");
    let hops: Vec<&str> = message.lines().filter(|l| l.starts_with("Received: ")).collect();
    assert_eq!(hops.len(), 3, "LMTP, relay and submission each add a Received line: {hops:?}");
    assert!(message.contains("with ESMTPSA id"), "the submission hop was TLS and AUTH");
    assert!(message.contains("Content-Disposition: attachment; filename=directions.txt"));
}

#[test]
fn lines_after_starttls_are_marked_and_ehlo_is_sent_again() {
    let trace = run("first-letter");
    let first: Vec<(bool, &str, Direction)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line { connection: 1, text, tls, direction } => Some((*tls, text.as_str(), *direction)),
            _ => None,
        })
        .collect();
    let starttls = first.iter().position(|(_, t, _)| *t == "STARTTLS").expect("STARTTLS sent");
    assert!(first[..=starttls + 1].iter().all(|(tls, _, _)| !tls), "STARTTLS and its 220 are in clear");
    assert!(first[starttls + 2..].iter().all(|(tls, _, _)| *tls), "everything after is inside TLS");
    assert_eq!(first[starttls + 2].1, "EHLO alice-laptop.northwind.test");
    let auth = first.iter().position(|(_, t, _)| t.starts_with("AUTH PLAIN")).unwrap();
    assert!(auth > starttls, "AUTH only inside TLS");
}

#[test]
fn same_domain_mail_needs_no_dns_and_no_relay() {
    let trace = run("same-domain");
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::DnsQuery { .. })));
    let servers: Vec<&str> = connections(&trace).into_iter().map(|(server, _)| server).collect();
    assert_eq!(servers, vec!["smtp.northwind.test", "mail.northwind.test"]);
    assert_eq!(delivered_to(&trace, "carol@northwind.test").len(), 1);
}

#[test]
fn a_down_server_means_retries_at_growing_intervals_until_it_is_back() {
    let trace = run("server-down");
    let deferrals: Vec<(u64, u64)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Deferred(d) => {
                let details::Deferred { retry_at, .. } = &**d;
                Some((e.at.as_millis(), retry_at.as_millis()))
            }
            _ => None,
        })
        .collect();
    // Postfix's back-off: a wait as long as the letter's age (at least 300 s), then the next
    // scan of the deferred queue, every 300 s: failed at 30 s, tried at 600 s; failed at 630
    // s, waits 630 s, tried at the scan of 1500 s, when the MX is back.
    let retries: Vec<u64> = deferrals.iter().map(|(_, retry)| retry / 1000).collect();
    assert_eq!(retries, vec![600, 1500], "{deferrals:?}");
    let delivered = delivered_to(&trace, "bob@southbay.test");
    assert_eq!(delivered.len(), 1);
    assert!(secs(delivered[0].0) >= 1500, "delivered only once the MX is back up at 25 minutes");
}

#[test]
fn the_backup_mx_takes_the_mail_when_the_primary_is_down() {
    let trace = run("backup-mx");
    let failed: Vec<&str> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ConnectFailed(d) => {
                let details::ConnectFailed { server, .. } = &**d;
                Some(server.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec!["mx.southbay.test"]);
    assert!(trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::Relayed(r) if r.host == "smtp.northwind.test" && r.to_host == "mx2.southbay.test")));
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::Deferred { .. })), "no wait in the queue");
}

#[test]
fn an_unknown_user_gets_550_and_the_sender_a_delivery_status_notification() {
    let trace = run("unknown-user");
    assert!(server_lines(&trace)
        .contains(&"550 5.1.1 <robert@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table"));
    let inbox = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(inbox.len(), 1, "the bounce lands in Alice's inbox");
    let dsn = inbox[0].1;
    assert!(dsn.starts_with("Return-Path: <>\r\n"), "a bounce travels with the null sender");
    for needle in [
        "From: Mail Delivery System <MAILER-DAEMON@smtp.northwind.test>",
        "Subject: Undelivered Mail Returned to Sender",
        "Content-Type: multipart/report; report-type=delivery-status;",
        "Final-Recipient: rfc822; robert@southbay.test",
        "Action: failed",
        "Status: 5.1.1",
        "Remote-MTA: dns; mx.southbay.test",
        "Content-Type: text/rfc822-headers",
        "Subject: Lunch on Friday?",
    ] {
        assert!(dsn.contains(needle), "{needle} in\n{dsn}");
    }
    let mail_from: Vec<&str> =
        lines(&trace, Direction::ClientToServer).into_iter().filter(|l| l.starts_with("MAIL FROM:<>")).collect();
    assert_eq!(mail_from.len(), 1, "the DSN is sent with MAIL FROM:<>");
}

#[test]
fn a_server_that_never_comes_back_means_a_delay_warning_then_a_bounce() {
    let trace = run("gave-up");
    let warning = trace.events.iter().find(|e| matches!(e.kind, EventKind::DelayWarning { .. })).expect("warning");
    assert!(secs(warning) >= 4 * 3600 && secs(warning) < 6 * 3600, "after 4 hours: {}", secs(warning));
    let bounce = trace.events.iter().find(|e| matches!(e.kind, EventKind::Bounced { .. })).expect("bounce");
    assert!(secs(bounce) >= 5 * 86_400 && secs(bounce) < 5 * 86_400 + 2 * 3600, "after 5 days: {}", secs(bounce));
    let inbox = delivered_to(&trace, "alice@northwind.test");
    let subjects: Vec<&str> =
        inbox.iter().filter_map(|(_, m)| m.lines().find(|l| l.starts_with("Subject: "))).collect();
    assert_eq!(subjects, vec!["Subject: Delayed Mail (still being retried)", "Subject: Undelivered Mail Returned to Sender"]);
    assert!(inbox[0].1.contains("Action: delayed") && inbox[0].1.contains("Will-Retry-Until: "));
    assert!(inbox[1].1.contains("Action: failed") && inbox[1].1.contains("Status: 5.4.7"));
    assert!(delivered_to(&trace, "bob@southbay.test").is_empty());
}

#[test]
fn the_server_checks_who_is_sending() {
    let trace = run("who-is-sending");
    let replies = server_lines(&trace);
    for expected in [
        "530 5.7.0 Authentication required",
        "535 5.7.8 Error: authentication failed",
        "554 5.7.1 <bob@southbay.test>: Relay access denied",
    ] {
        assert!(replies.contains(&expected), "{expected} in {replies:?}");
    }
    let refused = trace.events.iter().filter(|e| matches!(e.kind, EventKind::NotSent { .. })).count();
    assert_eq!(refused, 3);
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::Queued { .. })), "nothing was accepted");
}

#[test]
fn greylisting_defers_the_first_try_and_accepts_the_retry() {
    let trace = run("greylisted");
    let greylisted =
        server_lines(&trace).iter().filter(|l| l.starts_with("451 4.7.1 <bob@southbay.test>")).count();
    assert_eq!(greylisted, 1);
    let delivered = delivered_to(&trace, "bob@southbay.test");
    assert_eq!(delivered.len(), 1);
    // The first retry: at the first scan of the deferred queue (every 300 s) after a 5-minute
    // wait, Postfix's minimal_backoff_time.
    assert!((600..700).contains(&secs(delivered[0].0)), "the first retry, at 10 minutes: {}", secs(delivered[0].0));
}

#[test]
fn a_full_mailbox_is_refused_after_the_dot_and_the_mx_bounces() {
    let trace = run_edited("first-letter", |t| {
        t["faults"] = json!([{"kind": "mailbox-full", "user": "bob@southbay.test"}]);
    });
    assert!(server_lines(&trace).contains(&"552 5.2.2 <bob@southbay.test> Quota exceeded (mailbox for user is full)"));
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::Bounced(b) if b.host == "mx.southbay.test")));
    let inbox = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].1.contains("Status: 5.2.2") && inbox[0].1.contains("Reporting-MTA: dns; mx.southbay.test"));
}

#[test]
fn a_null_mx_and_a_missing_domain_bounce_at_once() {
    let trace = run_edited("first-letter", |t| {
        t["domains"][1]["mx"] = json!([]);
        t["domains"][1]["null_mx"] = json!(true);
    });
    assert!(!trace.events.iter().any(|e| matches!(&e.kind, EventKind::Deferred(_)) || matches!(&e.kind, EventKind::Connecting(c) if c.port == 25)));
    let inbox = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].1.contains("Status: 5.1.10"), "{}", inbox[0].1);

    let trace = run_edited("first-letter", |t| t["actions"][0]["send"]["to"] = json!(["bob@nowhere.test"]));
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::DnsResponse(r) if r.answer == DnsAnswer::NxDomain)));
    let inbox = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].1.contains("Status: 5.1.2"), "{}", inbox[0].1);
}

#[test]
fn a_dns_failure_defers_instead_of_bouncing() {
    let trace = run_edited("first-letter", |t| {
        t["faults"] = json!([{"kind": "dns-failure", "domain": "southbay.test", "from": 0, "until": 200}]);
    });
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::Deferred(d) if d.reason.contains("try again"))));
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1, "delivered on the retry");
}

#[test]
fn without_an_mx_the_domain_address_is_the_implicit_mx() {
    let trace = run_edited("first-letter", |t| {
        t["domains"][1]["mx"] = json!([]);
        t["hosts"][3]["name"] = json!("southbay.test");
    });
    assert!(trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::DnsResponse(r) if r.name == "southbay.test" && r.record == RecordType::MX && r.answer == DnsAnswer::NoData)));
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::Connected(open) if open.server == "southbay.test" && open.port == 25)));
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);
}

#[test]
fn a_bounce_that_cannot_be_delivered_goes_to_postmaster_and_no_further() {
    // A stranger writes to Carol, whose mailbox is full, from an address that does not exist:
    // the bounce to that address fails too, and the postmaster of northwind.test gets the
    // double bounce.
    let trace = run_edited("same-domain", |t| {
        t["hosts"].as_array_mut().unwrap().push(json!({"name": "relay.crossroads.test", "address": "203.0.113.66"}));
        t["faults"] = json!([{"kind": "mailbox-full", "user": "carol@northwind.test"}]);
        t["actions"] = json!([{"at": 0, "send": {
            "device": "relay.crossroads.test", "from": "nobody@southbay.test", "to": ["carol@northwind.test"],
            "subject": "Hello", "body": "Hi\n", "server": "smtp.northwind.test", "service": "smtp", "auth": false}}]);
    });
    assert!(delivered_to(&trace, "carol@northwind.test").is_empty());
    let postmaster = delivered_to(&trace, "postmaster@northwind.test");
    assert_eq!(postmaster.len(), 1, "the double bounce");
    assert!(postmaster[0].1.contains("Final-Recipient: rfc822; nobody@southbay.test"));
    let bounces = trace.events.iter().filter(|e| matches!(e.kind, EventKind::Bounced { .. })).count();
    assert_eq!(bounces, 2, "the original, then the bounce; the double bounce is delivered");
}

#[test]
fn a_cut_link_times_out_until_it_is_mended() {
    let trace = run_edited("first-letter", |t| {
        t["faults"] = json!([{"kind": "link-down", "between": ["smtp.northwind.test", "mx.southbay.test"], "from": 0, "until": 600}]);
    });
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::ConnectFailed(f) if f.reason == "Connection timed out")));
    let delivered = delivered_to(&trace, "bob@southbay.test");
    assert_eq!(delivered.len(), 1);
    assert!(secs(delivered[0].0) >= 600);
}

#[test]
fn submission_over_implicit_tls_on_465_is_encrypted_from_the_first_byte() {
    let trace = run_edited("first-letter", |t| t["actions"][0]["send"]["service"] = json!("submissions"));
    let first: Vec<(bool, &str)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line { connection: 1, text, tls, .. } => Some((*tls, text.as_str())),
            _ => None,
        })
        .collect();
    assert!(first.iter().all(|(tls, _)| *tls), "every line inside TLS");
    assert!(!first.iter().any(|(_, t)| *t == "STARTTLS"));
    assert!(first.iter().any(|(_, t)| t.starts_with("AUTH PLAIN ")));
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::Connected(open) if open.port == 465)));
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);
}

#[test]
fn a_logged_in_user_may_only_send_as_themselves() {
    let trace = run_edited("first-letter", |t| {
        t["actions"][0]["send"]["login"] = json!("carol@northwind.test");
    });
    assert!(server_lines(&trace)
        .contains(&"553 5.7.1 <alice@northwind.test>: Sender address rejected: not owned by user carol@northwind.test"));
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::Queued { .. })));
}

#[test]
fn a_refused_recipient_at_submission_does_not_stop_the_others() {
    let trace = run_edited("first-letter", |t| {
        t["actions"][0]["send"]["to"] = json!(["bob@southbay.test", "dave@northwind.test"]);
    });
    assert!(server_lines(&trace)
        .contains(&"550 5.1.1 <dave@northwind.test>: Recipient address rejected: User unknown in virtual mailbox table"));
    assert!(trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::NotSent(n) if n.recipients == vec!["dave@northwind.test".to_string()])));
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);
}

#[test]
fn pop_takes_the_letter_away_while_imap_shares_flags_and_deletions() {
    let trace = run("pop-vs-imap");
    let fetched: Vec<(&str, &str, usize, Vec<String>)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Fetched(d) => { let details::Fetched { device, service, on_server, mailbox, .. } = &**d; Some((
                device.as_str(),
                service.name(),
                *on_server,
                mailbox.iter().map(|m| format!("{} {}", m.subject.clone().unwrap_or_default(), m.flags.join(" "))).collect(),
            )) },
            _ => None,
        })
        .collect();
    let shows = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        fetched,
        vec![
            ("bob-laptop.southbay.test", "pop3", 1, vec![]),
            ("bob-phone.southbay.test", "imap", 0, vec![]),
            ("bob-phone.southbay.test", "imap", 2, shows(&["Friday too? ", "Table booked "])),
            ("bob-laptop.southbay.test", "imap", 1, shows(&["Table booked \\Seen \\Flagged"])),
            ("bob-phone.southbay.test", "imap", 1, shows(&["Table booked \\Seen \\Flagged"])),
        ],
        "POP3 with delete leaves the phone nothing; IMAP shows the laptop's flags and deletion on the phone"
    );
    assert!(server_lines(&trace).contains(&"+OK Logging out, messages deleted."));
}

#[test]
fn first_letter_ends_with_bob_reading_it_over_imap() {
    let trace = run("first-letter");
    assert!(trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::Fetched(f) if f.device == "bob-laptop.southbay.test" && f.service == Service::Imap && f.message_ids.len() == 1)));
}

#[test]
fn a_wrong_password_fails_the_fetch_and_changes_nothing() {
    for (action, service) in [(2, "pop3"), (1, "imap")] {
        let trace = run_edited("pop-vs-imap", |t| t["actions"][action]["fetch"]["password"] = json!("bulider"));
        let failed: Vec<&str> = trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::FetchFailed(d) => {
                    let details::FetchFailed { reason, .. } = &**d;
                    Some(reason.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(failed.len(), 1, "{service}: {failed:?}");
        assert!(failed[0].contains("uthentication failed"), "{service}: {}", failed[0]);
    }
}

#[test]
fn alice_finds_the_notices_in_her_inbox() {
    let fetched = |trace: &mailflow::engine::trace::Trace| -> Vec<usize> {
        trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Fetched(f) if f.user == "alice@northwind.test" => Some(f.message_ids.len()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(fetched(&run("unknown-user")), vec![1], "the bounce");
    assert_eq!(fetched(&run("gave-up")), vec![1, 1], "the delay warning, then the bounce");
}

/// mailbox-full: one message for two mailboxes of one host travels as one LMTP transaction
/// with two RCPTs, and after the dot the server answers once per recipient (RFC 2033 4.2):
/// 250 for Bob, 552 5.2.2 for Dave; only Dave's copy bounces, and the bounce says which
/// command the refusal answered, as Postfix writes it.
#[test]
fn lmtp_answers_each_recipient_after_the_dot() {
    let trace = run("mailbox-full");
    let lmtp = trace
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Connected(open) if open.port == 24 => Some(open.connection),
            _ => None,
        })
        .expect("an LMTP session");
    let on_lmtp = |direction: Direction| -> Vec<String> {
        trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Line { connection, direction: d, text, .. } if *connection == lmtp && *d == direction => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let commands = on_lmtp(Direction::ClientToServer);
    assert_eq!(commands.iter().filter(|c| c.starts_with("RCPT TO:")).count(), 2, "{commands:?}");
    let replies = on_lmtp(Direction::ServerToClient);
    let after_dot = &replies[replies.iter().position(|r| r.starts_with("354")).expect("354") + 1..];
    assert_eq!(
        after_dot[..2],
        ["250 2.0.0 <bob@southbay.test> Saved", "552 5.2.2 <dave@southbay.test> Quota exceeded (mailbox for user is full)"]
    );
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);
    assert!(delivered_to(&trace, "dave@southbay.test").is_empty());
    let bounce = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(bounce.len(), 1);
    let text = bounce[0].1;
    assert!(text.contains("Final-Recipient: rfc822; dave@southbay.test"), "{text}");
    assert!(!text.contains("Final-Recipient: rfc822; bob@southbay.test"), "Bob's copy was delivered");
    assert!(text.contains("(in reply to end of DATA command)"), "{text}");
}

/// A message has one queue ID on each host, however many recipients and next hops it
/// has, as in Postfix: the submission server files Bob's and Carol's letter once and sends
/// it on to two places under that one ID.
#[test]
fn one_queue_id_per_message_and_host() {
    let trace = run_edited("first-letter", |t| {
        t["actions"][0]["send"]["to"] = json!(["bob@southbay.test", "carol@northwind.test"]);
    });
    let ids = |host: &str| -> Vec<String> {
        let mut ids: Vec<String> = trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Queued(q) if q.host == host => Some(q.queue_id.clone()),
                EventKind::Relayed(r) if r.host == host => Some(r.queue_id.clone()),
                _ => None,
            })
            .collect();
        ids.dedup();
        ids
    };
    assert_eq!(ids("smtp.northwind.test").len(), 1, "{:?}", ids("smtp.northwind.test"));
    let relayed: Vec<&str> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Relayed(r) if r.host == "smtp.northwind.test" => Some(r.to_host.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(relayed.len(), 2, "two next hops: {relayed:?}");
    assert_eq!(ids("mx.southbay.test").len(), 1);
    assert_ne!(ids("mx.southbay.test"), ids("smtp.northwind.test"), "each host its own");
}

/// The DNS answers a name got, in order: the lessons of no-such-domain, null-mx and no-mx.
fn dns_answers<'t>(trace: &'t mailflow::engine::trace::Trace, name: &str) -> Vec<(RecordType, &'t DnsAnswer)> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DnsResponse(r) if r.name == name => Some((r.record, &r.answer)),
            _ => None,
        })
        .collect()
}

/// null-mx: `MX 0 .` (RFC 7505) means no mail at all: no connection anywhere, no retry, a
/// bounce at once with RFC 7505 3's status 5.1.10 (Postfix writes 5.1.0 and "(nullMX)";
/// the preset keeps the RFC's code with Postfix's words, which name the null MX).
#[test]
fn a_null_mx_bounces_at_once_without_a_connection() {
    let trace = run("null-mx");
    assert_eq!(dns_answers(&trace, "oldcorp.test"), [(RecordType::MX, &DnsAnswer::Records { records: vec!["MX 0 .".into()] })]);
    assert!(!connections(&trace).iter().any(|(server, _)| server.contains("oldcorp")));
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::Deferred(_) | EventKind::Retry(_))));
    let bounce = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(bounce.len(), 1);
    assert!(bounce[0].1.contains("Status: 5.1.10"), "{}", bounce[0].1);
    assert!(bounce[0].1.contains("Domain oldcorp.test does not accept mail (nullMX)"));
    assert!(secs(bounce[0].0) < 1, "at once");
}

/// no-such-domain: NXDOMAIN is final (a bounce at once, never retried); SERVFAIL is
/// temporary (the letter waits and goes out once DNS answers again).
#[test]
fn nxdomain_bounces_and_servfail_waits() {
    let trace = run("no-such-domain");
    assert_eq!(dns_answers(&trace, "southbay.tset"), [(RecordType::MX, &DnsAnswer::NxDomain)], "asked once, never again");
    let southbay = dns_answers(&trace, "southbay.test");
    assert_eq!(southbay.first(), Some(&(RecordType::MX, &DnsAnswer::ServFail)));
    assert!(southbay.iter().skip(1).any(|(_, a)| matches!(a, DnsAnswer::Records { .. })), "answered on the retry");
    let bounced: Vec<String> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Bounced(b) => Some(b.recipients.join(",")),
            _ => None,
        })
        .collect();
    assert_eq!(bounced, ["bob@southbay.tset"]);
    let delivered = delivered_to(&trace, "bob@southbay.test");
    assert_eq!(delivered.len(), 1);
    assert!(secs(delivered[0].0) >= 300, "only after the outage, on a retry");
}

/// no-mx: a domain with no MX but an address of its own gets its mail there, on port 25
/// (RFC 5321 5.1, the implicit MX).
#[test]
fn without_an_mx_the_domains_own_address_takes_the_mail() {
    let trace = run("no-mx");
    let answers = dns_answers(&trace, "eastbay.test");
    assert_eq!(answers[0], (RecordType::MX, &DnsAnswer::NoData));
    assert_eq!(answers[1], (RecordType::A, &DnsAnswer::Records { records: vec!["A 203.0.113.25".into()] }));
    assert!(connections(&trace).contains(&("eastbay.test", 25)));
    assert_eq!(delivered_to(&trace, "erin@eastbay.test").len(), 1);
}

/// partial-failure: in one session the MX accepts Bob and refuses robert (RFC 5321 4.1.1.3:
/// each RCPT on its own); the letter reaches Bob, and the bounce names robert alone.
#[test]
fn one_recipient_refused_the_other_delivered() {
    let trace = run("partial-failure");
    let replies = server_lines(&trace);
    assert!(replies.contains(&"550 5.1.1 <robert@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table"));
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);
    let bounce = delivered_to(&trace, "alice@northwind.test");
    assert_eq!(bounce.len(), 1);
    assert!(bounce[0].1.contains("Final-Recipient: rfc822; robert@southbay.test"));
    assert!(!bounce[0].1.contains("Final-Recipient: rfc822; bob@southbay.test"));
}

/// The lines one direction of one connection carried.
fn on_connection(trace: &mailflow::engine::trace::Trace, connection: u32, direction: Direction) -> Vec<String> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line { connection: c, direction: d, text, .. } if *c == connection && *d == direction => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// many-recipients: the client names all four recipients in one submission; the queue
/// splits them by next hop (three connections, one per hop, not one per recipient); the
/// southbay MX gets Bob and Dave in one transaction and its LMTP answers each after the dot;
/// and the blind copy is in the envelope only. Moving Erin from Bcc to Cc puts her in the
/// headers: the preset's lesson follows its input.
#[test]
fn one_letter_for_many_recipients_splits_by_next_hop_and_bcc_stays_in_the_envelope() {
    let trace = run("many-recipients");
    let connections: Vec<(u32, String, u16)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Connected(open) => Some((open.connection, open.server.clone(), open.port)),
            _ => None,
        })
        .collect();
    let submission = connections.iter().find(|c| c.2 == 587).expect("the submission").0;
    let rcpts = |c: u32| -> Vec<String> {
        on_connection(&trace, c, Direction::ClientToServer).into_iter().filter(|l| l.starts_with("RCPT TO:")).collect()
    };
    assert_eq!(
        rcpts(submission),
        ["RCPT TO:<bob@southbay.test>", "RCPT TO:<carol@northwind.test>", "RCPT TO:<dave@southbay.test>", "RCPT TO:<erin@eastbay.test>"]
    );
    let from_northwind: Vec<&(u32, String, u16)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Connected(open) if open.client == "smtp.northwind.test" => connections.iter().find(|c| c.0 == open.connection),
            _ => None,
        })
        .collect();
    let mut hops: Vec<(&str, u16)> = from_northwind.iter().map(|c| (c.1.as_str(), c.2)).collect();
    hops.sort();
    assert_eq!(hops, [("mail.northwind.test", 24), ("mx.eastbay.test", 25), ("mx.southbay.test", 25)], "the quiz's three");
    let to_southbay = from_northwind.iter().find(|c| c.1 == "mx.southbay.test").unwrap().0;
    assert_eq!(rcpts(to_southbay), ["RCPT TO:<bob@southbay.test>", "RCPT TO:<dave@southbay.test>"]);
    let to_eastbay = from_northwind.iter().find(|c| c.1 == "mx.eastbay.test").unwrap().0;
    assert_eq!(rcpts(to_eastbay), ["RCPT TO:<erin@eastbay.test>"]);
    let lmtp = connections.iter().find(|c| c.1 == "mail.southbay.test" && c.2 == 24).unwrap().0;
    let replies = on_connection(&trace, lmtp, Direction::ServerToClient);
    let after_dot = &replies[replies.iter().position(|r| r.starts_with("354")).unwrap() + 1..];
    assert_eq!(after_dot[..2], ["250 2.0.0 <bob@southbay.test> Saved", "250 2.0.0 <dave@southbay.test> Saved"]);

    let headers = |text: &str| text.split("\r\n\r\n").next().unwrap_or_default().to_ascii_lowercase();
    for user in ["bob@southbay.test", "carol@northwind.test", "dave@southbay.test", "erin@eastbay.test"] {
        let copies = delivered_to(&trace, user);
        assert_eq!(copies.len(), 1, "{user}");
        let head = headers(copies[0].1);
        assert!(!head.contains("\nbcc:"), "no Bcc field: {head}");
        let named = head.lines().filter(|l| l.starts_with("to:") || l.starts_with("cc:")).collect::<String>();
        assert!(!named.contains("erin@eastbay.test"), "{user}'s copy names Erin: {named}");
        assert!(named.contains("bob@southbay.test") && named.contains("dave@southbay.test"), "{named}");
    }

    let copied = run_edited("many-recipients", |t| {
        t["actions"][0]["send"]["cc"] = json!(["dave@southbay.test", "erin@eastbay.test"]);
        t["actions"][0]["send"]["bcc"] = json!([]);
    });
    let bobs = headers(delivered_to(&copied, "bob@southbay.test")[0].1);
    assert!(bobs.contains("erin@eastbay.test"), "as a Cc, Erin is named to all: {bobs}");
}

/// open-relay: while mynetworks is the whole internet, southbay's MX takes a stranger's letter
/// for eastbay.test and carries it there, its own name in the Received chain; once repaired,
/// the same request meets Postfix's `554 5.7.1 Relay access denied`. Without the fault, both
/// tries are refused: the relaying comes from the setting, not from the preset's story.
#[test]
fn an_open_relay_carries_a_strangers_letter_until_it_is_repaired() {
    // The MX's answers to the stranger's RCPT TO, on each of the stranger's sessions.
    let replies_to_rcpt = |trace: &mailflow::engine::trace::Trace| -> Vec<String> {
        let strangers: Vec<u32> = trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Connected(open) if open.client == "spam.badlands.test" => Some(open.connection),
                _ => None,
            })
            .collect();
        strangers
            .iter()
            .flat_map(|&c| on_connection(trace, c, Direction::ServerToClient))
            .filter(|r| r.starts_with("250 2.1.5") || r.starts_with("554"))
            .collect()
    };
    let trace = run("open-relay");
    assert_eq!(
        replies_to_rcpt(&trace),
        ["250 2.1.5 Ok", "554 5.7.1 <erin@eastbay.test>: Relay access denied"],
        "the open MX, then the repaired one"
    );
    let spam = delivered_to(&trace, "erin@eastbay.test");
    assert_eq!(spam.len(), 1, "the first try alone arrives");
    assert!(spam[0].1.contains("from spam.badlands.test (spam.badlands.test [203.0.113.99])"), "{}", spam[0].1);
    assert!(spam[0].1.contains("by mx.southbay.test"), "southbay's name is on it");

    let closed = run_edited("open-relay", |t| t["faults"] = json!([]));
    assert_eq!(replies_to_rcpt(&closed), ["554 5.7.1 <erin@eastbay.test>: Relay access denied"; 2]);
    assert!(delivered_to(&closed, "erin@eastbay.test").is_empty());
}

/// who-lives-here: VRFY on (Postfix's default) tells 252 from 550 and EXPN is unknown; VRFY
/// off gives 502 5.5.1, RCPT TO still tells, each reply after the soft error limit waits the
/// error sleep, and the hard limit hangs up. The answers follow the hosts' settings: with the
/// defaults everywhere, VRFY is off at southbay too and the scanner is neither slowed nor cut off.
#[test]
fn a_scanner_learns_who_exists_until_the_server_slows_it_and_hangs_up() {
    let exchanges = |trace: &mailflow::engine::trace::Trace, server: &str| -> Vec<(u64, String, u64, String)> {
        let c = trace
            .events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Connected(open) if open.server == server => Some(open.connection),
                _ => None,
            })
            .expect("the probe's connection");
        let mut out = Vec::new();
        let mut asked: Option<(u64, String)> = None;
        for e in &trace.events {
            if let EventKind::Line { connection, direction, text, .. } = &e.kind {
                if *connection != c || text.starts_with("250-") {
                    continue;
                }
                match direction {
                    Direction::ClientToServer => asked = Some((e.at.as_millis(), text.clone())),
                    Direction::ServerToClient => {
                        if let Some((t, command)) = asked.take() {
                            out.push((t, command, e.at.as_millis(), text.clone()));
                        }
                    }
                }
            }
        }
        out
    };
    let trace = run("who-lives-here");
    let southbay: Vec<(String, String)> = exchanges(&trace, "mx.southbay.test").into_iter().map(|(_, c, _, r)| (c, r)).collect();
    let answers: Vec<(&str, &str)> = southbay.iter().map(|(c, r)| (c.as_str(), r.as_str())).collect();
    assert_eq!(
        answers[1..],
        [
            ("VRFY bob@southbay.test", "252 2.0.0 bob@southbay.test"),
            ("VRFY alice@southbay.test", "550 5.1.1 <alice@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table"),
            ("VRFY dave@southbay.test", "252 2.0.0 dave@southbay.test"),
            ("EXPN staff@southbay.test", "500 5.5.2 Error: command not recognized"),
            ("QUIT", "221 2.0.0 Bye"),
        ]
    );
    assert!(answers[0].1.starts_with("250 ") && southbay.len() == 6);

    let eastbay = exchanges(&trace, "mx.eastbay.test");
    let reply_to = |command: &str| eastbay.iter().find(|(_, c, _, _)| c == command).map(|(t, _, r_at, r)| (r_at - t, r.as_str()));
    assert_eq!(reply_to("VRFY erin@eastbay.test"), Some((20, "502 5.5.1 VRFY command is disabled")));
    assert_eq!(reply_to("RCPT TO:<info@eastbay.test>").map(|(d, _)| d), Some(20), "the third error: no wait yet");
    assert_eq!(reply_to("RCPT TO:<erin@eastbay.test>"), Some((1020, "250 2.1.5 Ok")), "RCPT still tells, a second late");
    let (_, last_command, _, last_reply) = eastbay.last().expect("a last exchange");
    assert_eq!(last_reply, "421 4.7.0 mx.eastbay.test Error: too many errors");
    assert_eq!(last_command, "RCPT TO:<jobs@eastbay.test>", "sent before the 421 came, never read");
    assert!(!lines(&trace, Direction::ClientToServer).iter().any(|l| l.contains("hello@eastbay.test")), "the rest never sent");

    let defaults = run_edited("who-lives-here", |t| {
        for host in t["hosts"].as_array_mut().unwrap() {
            host.as_object_mut().unwrap().remove("smtpd");
        }
    });
    assert_eq!(exchanges(&defaults, "mx.southbay.test")[1].3, "502 5.5.1 VRFY command is disabled");
    let eastbay = exchanges(&defaults, "mx.eastbay.test");
    assert!(eastbay.iter().all(|(t, _, r_at, _)| r_at - t == 20), "no sleep before the tenth error");
    assert_eq!(eastbay.last().map(|(_, c, _, r)| (c.as_str(), r.as_str())), Some(("QUIT", "221 2.0.0 Bye")));
}

/// implicit-tls: on 465, 993 and 995 an eavesdropper overhears no line in clear, not even the
/// greeting; on 143 the greeting, STARTTLS and its answer go in clear before the handshake.
/// The mail programs log in at once on the implicit ports (no STARTTLS or STLS).
#[test]
fn on_the_implicit_tls_ports_nothing_is_overheard_in_clear() {
    use mailflow::player::wire::overheard;
    let trace = run("implicit-tls");
    let opened: Vec<(u32, u16)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Connected(open) if open.client.contains("-laptop.") || open.client.contains("-phone.") => {
                Some((open.connection, open.port))
            }
            _ => None,
        })
        .collect();
    let ports: Vec<u16> = opened.iter().map(|&(_, p)| p).collect();
    assert_eq!(ports, [465, 993, 995, 143], "from the devices, in order");
    for &(c, port) in &opened {
        let heard = overheard(&trace.events, trace.events.len(), c);
        let clear: Vec<&str> = heard.iter().filter_map(|o| o.clear.as_deref()).collect();
        let sent = lines_of(&trace, c);
        if port == 143 {
            assert_eq!(clear.len(), 3, "greeting, STARTTLS, its OK: {clear:?}");
            assert!(clear[1].ends_with("STARTTLS"));
        } else {
            assert!(clear.is_empty(), "port {port}: {clear:?}");
            assert!(heard.len() > 3, "port {port}: a whole session, all of it encrypted");
            assert!(!sent.iter().any(|l| l.contains("STARTTLS") || l == "STLS"), "port {port}: {sent:?}");
        }
    }
    assert_eq!(delivered_to(&trace, "bob@southbay.test").len(), 1);

    // The same fetch on 110 instead of 995 starts in clear and needs STLS.
    let plain = run_edited("implicit-tls", |t| t["actions"][2]["fetch"]["service"] = json!("pop3"));
    let c = plain
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Connected(open) if open.client == "bob-phone.southbay.test" => Some((open.connection, open.port)),
            _ => None,
        })
        .unwrap();
    assert_eq!(c.1, 110);
    assert!(lines_of(&plain, c.0).contains(&"STLS".to_owned()));
}

fn lines_of(trace: &mailflow::engine::trace::Trace, connection: u32) -> Vec<String> {
    on_connection(trace, connection, Direction::ClientToServer)
}
