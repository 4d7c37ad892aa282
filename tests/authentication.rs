//! Who really sent it, end to end: the submission server signs, the receiving MX checks SPF,
//! DKIM and DMARC, and what it decides follows the records the domains publish. Each test
//! changes the scenario and sees the verdict follow.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{delivered_to, run, run_edited, server_lines};
use mailflow::engine::trace::{details, EventKind, RecordType, Trace};
use serde_json::{json, Value};

/// Each `Authenticated` event: (method=result, ...) and the disposition.
fn verdicts(trace: &Trace) -> Vec<(Vec<String>, String)> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Authenticated(a) => Some((
                a.checks.iter().map(|c| format!("{}={}", c.method.name(), c.result)).collect(),
                a.disposition.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// The folder each of Bob's letters went into, with its subject line.
fn bobs_folders(trace: &Trace) -> Vec<(String, bool)> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Delivered(d) if d.user == "bob@southbay.test" => {
                Some((d.folder.clone(), d.message.contains("Subject: Urgent: new bank details")))
            }
            _ => None,
        })
        .collect()
}

fn domain<'v>(tree: &'v mut Value, name: &str) -> &'v mut Value {
    tree["domains"].as_array_mut().unwrap().iter_mut().find(|d| d["name"] == name).unwrap()
}

fn host<'v>(tree: &'v mut Value, name: &str) -> &'v mut Value {
    tree["hosts"].as_array_mut().unwrap().iter_mut().find(|h| h["name"] == name).unwrap()
}

/// Replace the TXT record at `name` below northwind.test (`""`, `_dmarc`...), or drop it.
fn northwind_txt(tree: &mut Value, name: &str, text: Option<&str>) {
    let txt = domain(tree, "northwind.test")["txt"].as_array_mut().unwrap();
    txt.retain(|r| r.get("name").and_then(Value::as_str).unwrap_or("") != name);
    if let Some(text) = text {
        txt.push(json!({ "name": name, "text": text }));
    }
}

/// Northwind's server signs nothing.
fn without_signing(tree: &mut Value) {
    host(tree, "smtp.northwind.test").as_object_mut().unwrap().remove("dkim");
}

fn all(trace: &Trace) -> String {
    mailflow::engine::trace::transcript(trace)
}

#[test]
fn a_signed_letter_passes_all_three_and_the_verdicts_travel_with_it() {
    let trace = run("signed-and-sealed");
    assert_eq!(verdicts(&trace), [(vec!["spf=pass".into(), "dkim=pass".into(), "dmarc=pass".into()], "none".into())]);
    let inbox = delivered_to(&trace, "bob@southbay.test");
    assert_eq!(inbox.len(), 1);
    let letter = inbox[0].1;
    // Return-Path and the mailbox host's Received, the MX's Received with its verdicts below
    // it (Postfix puts a milter's fields under its own), then the submission server's
    // Received and the signature below it.
    let names: Vec<&str> = letter.lines().take_while(|l| !l.is_empty()).filter(|l| !l.starts_with(['\t', ' '])).map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(names[..6], ["Return-Path", "Received", "Received", "Authentication-Results", "Received", "DKIM-Signature"]);
    assert!(letter.contains("Authentication-Results: mx.southbay.test;\r\n\tspf=pass (mx in northwind.test) smtp.mailfrom=alice@northwind.test;\r\n\tdkim=pass header.d=northwind.test header.s=mail header.b="), "{letter}");
    assert!(letter.contains("\tdmarc=pass (p=reject dis=none) header.from=northwind.test\r\n"));
    // The quiz's fact: the key is asked for at <selector>._domainkey.<domain>, the choice
    // the quiz holds right.
    let quiz = common::scenario("signed-and-sealed").checkpoints[0].quiz.clone().unwrap();
    let mailflow::engine::scenario::QuizCheck::Answer(right) = quiz.check else { panic!("a fact question") };
    assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::DnsQuery(q) if q.name == quiz.choices[right] && q.record == RecordType::TXT)));
    let asked: Vec<(&str, RecordType)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DnsQuery(q) if q.host == "mx.southbay.test" => Some((q.name.as_str(), q.record)),
            _ => None,
        })
        .collect();
    assert_eq!(
        asked,
        [
            ("northwind.test", RecordType::TXT),
            ("northwind.test", RecordType::MX),
            ("smtp.northwind.test", RecordType::A),
            ("mail._domainkey.northwind.test", RecordType::TXT),
            ("_dmarc.northwind.test", RecordType::TXT),
        ]
    );
}

#[test]
fn without_the_signature_spf_alone_carries_dmarc_and_without_both_the_letter_is_refused() {
    let unsigned = run_edited("signed-and-sealed", without_signing);
    assert_eq!(verdicts(&unsigned)[0].0, ["spf=pass", "dkim=none", "dmarc=pass"]);
    assert!(!all(&unsigned).contains("DKIM-Signature"));
    // SPF that lists only another network: nothing vouches for northwind.test any more.
    let neither = run_edited("signed-and-sealed", |t| {
        without_signing(t);
        northwind_txt(t, "", Some("v=spf1 ip4:203.0.113.0/24 -all"));
    });
    assert_eq!(verdicts(&neither), [(vec!["spf=fail".into(), "dkim=none".into(), "dmarc=fail".into()], "reject".into())]);
    assert!(server_lines(&neither).contains(&"550 5.7.1 rejected by DMARC policy for northwind.test"));
    assert!(delivered_to(&neither, "bob@southbay.test").is_empty());
    // Alice hears of it: her server bounces the letter, saying which command was refused.
    assert!(all(&neither).contains("(in reply to end of DATA command)"), "{}", all(&neither));
}

#[test]
fn a_forged_letter_is_refused_and_the_forged_verdict_removed() {
    let trace = run("spoofed");
    assert_eq!(
        verdicts(&trace),
        [
            (vec!["spf=fail".into(), "dkim=none".into(), "dmarc=fail".into()], "reject".into()),
            (vec!["spf=pass".into(), "dkim=pass".into(), "dmarc=pass".into()], "none".into()),
        ]
    );
    let forged = trace.events.iter().find_map(|e| match &e.kind {
        EventKind::Authenticated(a) => Some(a.removed_forged),
        _ => None,
    });
    assert_eq!(forged, Some(1));
    assert_eq!(bobs_folders(&trace), [("INBOX".to_owned(), false)], "only the real letter reaches Bob");
}

#[test]
fn the_policy_decides_what_happens_to_the_forgery() {
    let with_policy = |policy: Option<&str>| {
        let policy = policy.map(str::to_owned);
        run_edited("spoofed", move |t| northwind_txt(t, "_dmarc", policy.as_deref()))
    };
    // quarantine: accepted, and the mailbox host files it in Junk, reading the MX's verdict.
    let quarantine = with_policy(Some("v=DMARC1; p=quarantine"));
    assert_eq!(verdicts(&quarantine)[0].1, "quarantine");
    assert_eq!(bobs_folders(&quarantine), [("Junk".to_owned(), true), ("INBOX".to_owned(), false)]);
    let junk = delivered_to(&quarantine, "bob@southbay.test")[0].1;
    assert!(junk.contains("dmarc=fail (p=quarantine dis=quarantine) header.from=northwind.test"), "{junk}");
    // The forged verdict in southbay's name is gone; the MX's own stands in its place.
    assert_eq!(junk.matches("Authentication-Results: mx.southbay.test;").count(), 1);
    assert!(!junk.contains("dkim=pass header.d=northwind.test; dmarc=pass"));
    // none: only reported; t=y: one step less, so reject becomes quarantine.
    let none = with_policy(Some("v=DMARC1; p=none"));
    assert_eq!(bobs_folders(&none), [("INBOX".to_owned(), true), ("INBOX".to_owned(), false)]);
    let testing = with_policy(Some("v=DMARC1; p=reject; t=y"));
    assert_eq!(bobs_folders(&testing)[0], ("Junk".to_owned(), true));
    // No policy at all: DMARC says none, and the forgery reaches Bob's inbox.
    let unpublished = with_policy(None);
    assert_eq!(verdicts(&unpublished)[0], (vec!["spf=fail".into(), "dkim=none".into(), "dmarc=none".into()], "none".into()));
    assert_eq!(bobs_folders(&unpublished)[0], ("INBOX".to_owned(), true));
}

#[test]
fn broken_records_give_the_results_the_rfcs_say_and_nothing_breaks() {
    let spf = run_edited("spoofed", |t| northwind_txt(t, "", Some("v=spf1 ip4:300.1.1.1 -all")));
    assert_eq!(verdicts(&spf)[0].0[0], "spf=permerror");
    let key = run_edited("signed-and-sealed", |t| northwind_txt(t, "mail._domainkey", Some("v=DKIM1; k=rsa; p=not-a-key")));
    assert_eq!(verdicts(&key)[0].0, ["spf=pass", "dkim=permerror", "dmarc=pass"]);
    assert!(all(&key).contains("dkim=permerror (key syntax error) header.d=northwind.test header.s=mail"));
    let revoked = run_edited("signed-and-sealed", |t| northwind_txt(t, "mail._domainkey", Some("v=DKIM1; p=")));
    assert!(all(&revoked).contains("dkim=permerror (key revoked)"));
    // A DNS failure for northwind.test: every check gives a temporary error and the letter
    // is taken (OpenDMARC does not refuse on temperror).
    let failing = run_edited("signed-and-sealed", |t| {
        t["faults"] = json!([{ "kind": "dns-failure", "domain": "northwind.test", "from": 0, "until": 1 }]);
        t["actions"][0]["at"] = json!(0);
    });
    assert_eq!(verdicts(&failing), [(vec!["spf=temperror".into(), "dkim=temperror".into(), "dmarc=temperror".into()], "none".into())]);
    assert_eq!(delivered_to(&failing, "bob@southbay.test").len(), 1);
}

#[test]
fn a_scenario_with_a_broken_key_is_refused_with_a_reason() {
    let text = common::edited("signed-and-sealed", |t| {
        host(t, "smtp.northwind.test")["dkim"]["private_key"] = json!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    });
    let errors = mailflow::engine::scenario::Scenario::from_json(&text).unwrap_err().to_string();
    assert!(errors.contains("hosts[1].dkim.private_key"), "{errors}");
    assert!(errors.contains("the PKCS#8 key does not read"), "{errors}");
    let sel = common::edited("signed-and-sealed", |t| {
        domain(t, "northwind.test")["txt"][0]["name"] = json!("bad name");
    });
    let errors = mailflow::engine::scenario::Scenario::from_json(&sel).unwrap_err().to_string();
    assert!(errors.contains("domains[0].txt[0].name"), "{errors}");
}

#[test]
fn the_signer_signs_only_for_its_own_domain_and_logged_in_users() {
    // Carol's letter from a From: of another domain is sent, but not signed.
    let trace = run_edited("signed-and-sealed", |t| {
        host(t, "smtp.northwind.test")["dkim"]["domain"] = json!("southbay.test");
    });
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::Signed(_))));
    let signed = run("signed-and-sealed");
    let s: Vec<&details::Signed> = signed
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Signed(s) => Some(&**s),
            _ => None,
        })
        .collect();
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].host.as_str(), s[0].domain.as_str(), s[0].selector.as_str()), ("smtp.northwind.test", "northwind.test", "mail"));
}

#[test]
fn forwarding_breaks_spf_and_dkim_carries_dmarc() {
    let trace = run("forwarded");
    assert_eq!(
        verdicts(&trace),
        [
            (vec!["spf=pass".into(), "dkim=pass".into(), "dmarc=pass".into()], "none".into()),
            (vec!["spf=fail".into(), "dkim=pass".into(), "dmarc=pass".into()], "none".into()),
        ],
        "at southbay, then at eastbay after the alias"
    );
    let letter = delivered_to(&trace, "bob@eastbay.test");
    assert_eq!(letter.len(), 1);
    // Both MXs' verdicts travel, each under its own name; the envelope sender stayed Alice's.
    assert!(letter[0].1.starts_with("Return-Path: <alice@northwind.test>"));
    assert!(letter[0].1.contains("Authentication-Results: mx.eastbay.test;\r\n\tspf=fail (-all in northwind.test)"));
    assert!(letter[0].1.contains("Authentication-Results: mx.southbay.test;\r\n\tspf=pass"));
    // The quiz's fact (choice 1, "fail") is what eastbay found.
    let at_eastbay = trace.events.iter().find_map(|e| match &e.kind {
        EventKind::Authenticated(a) if a.host == "mx.eastbay.test" => Some(a.checks[0].result.clone()),
        _ => None,
    });
    let quiz = common::scenario("forwarded").checkpoints[0].quiz.clone().unwrap();
    let mailflow::engine::scenario::QuizCheck::Answer(right) = quiz.check else { panic!("a fact question") };
    assert_eq!(at_eastbay.as_deref(), Some(quiz.choices[right].as_str()));
    // Without the signature nothing survives the forwarding: eastbay refuses, southbay bounces.
    let unsigned = run_edited("forwarded", without_signing);
    assert_eq!(verdicts(&unsigned)[1], (vec!["spf=fail".into(), "dkim=none".into(), "dmarc=fail".into()], "reject".into()));
    assert!(delivered_to(&unsigned, "bob@eastbay.test").is_empty());
    assert!(delivered_to(&unsigned, "alice@northwind.test").iter().any(|(_, m)| m.contains("rejected by DMARC policy for northwind.test")), "Alice gets the bounce");
}

#[test]
fn a_lists_footer_breaks_the_body_hash_and_quarantine_means_junk() {
    let trace = run("tampered");
    assert_eq!(verdicts(&trace), [(vec!["spf=pass".into(), "dkim=fail".into(), "dmarc=fail".into()], "quarantine".into())]);
    // The quiz's fact is the DKIM verdict.
    let quiz = common::scenario("tampered").checkpoints[0].quiz.clone().unwrap();
    let mailflow::engine::scenario::QuizCheck::Answer(right) = quiz.check else { panic!("a fact question") };
    assert_eq!(quiz.choices[right], "fail");
    assert!(all(&trace).contains("dkim=fail (body hash did not verify) header.d=northwind.test"));
    // SPF passed for the list's own return path, which DMARC does not count for northwind.test.
    assert!(all(&trace).contains("spf=pass (mx in harbour.test) smtp.mailfrom=crew-bounces@harbour.test"));
    let junk = &delivered_to(&trace, "bob@southbay.test");
    assert_eq!(junk.len(), 1);
    assert!(junk[0].1.contains("Harbour crew list: crew@harbour.test\r\n"));
    assert!(matches!(&junk[0].0.kind, EventKind::Delivered(d) if d.folder == "Junk"));
    // Without the footer the signature survives the list, and DMARC passes through DKIM.
    let plain = run_edited("tampered", |t| {
        host(t, "lists.harbour.test")["lists"][0].as_object_mut().unwrap().remove("footer");
    });
    assert_eq!(verdicts(&plain)[0], (vec!["spf=pass".into(), "dkim=pass".into(), "dmarc=pass".into()], "none".into()));
    assert!(matches!(&delivered_to(&plain, "bob@southbay.test")[0].0.kind, EventKind::Delivered(d) if d.folder == "INBOX"));
}

/// The diagram's marks come from the trace: at the end of `forwarded`, eastbay's MX shows SPF
/// crossed and DKIM and DMARC ticked; without the signature, DKIM is `none` and DMARC crossed.
#[test]
fn the_marks_on_the_diagram_follow_the_checks() {
    use mailflow::player::Player;
    let marks = |trace: Trace| -> Vec<(String, String, bool)> {
        let player = Player::new(std::rc::Rc::new(trace));
        let scene = player.scene_at(player.len() - 1);
        scene.marks["mx.eastbay.test"].iter().map(|m| (m.label.to_owned(), m.result.clone(), m.ok())).collect()
    };
    assert_eq!(
        marks(run("forwarded")),
        [("SPF".into(), "fail".into(), false), ("DKIM".into(), "pass".into(), true), ("DMARC".into(), "pass".into(), true)]
    );
    let unsigned = run_edited("forwarded", without_signing);
    assert_eq!(
        marks(unsigned),
        [("SPF".into(), "fail".into(), false), ("DKIM".into(), "none".into(), false), ("DMARC".into(), "fail".into(), false)]
    );
    let signing = Player::new(std::rc::Rc::new(run("forwarded")));
    let end = signing.scene_at(signing.len() - 1);
    assert_eq!(end.marks["smtp.northwind.test"][0].result, "signed");
}

/// The letter tab lists the records the MX read for this letter, with their checks; another
/// SPF record in the scenario is the one listed.
#[test]
fn the_inspector_lists_the_records_the_checks_read() {
    use mailflow::engine::trace::CheckMethod;
    use mailflow::player::inspect::inspect;
    let records = |trace: &Trace| -> Vec<(CheckMethod, String, String)> {
        let id = trace.events.iter().find_map(|e| match &e.kind {
            EventKind::Authenticated(a) => Some(a.message_id.clone()),
            _ => None,
        });
        inspect(&trace.events, trace.events.len(), &id.unwrap()).unwrap().records
    };
    let read = records(&run("signed-and-sealed"));
    let names: Vec<(CheckMethod, &str)> = read.iter().map(|(c, n, _)| (*c, n.as_str())).collect();
    assert_eq!(
        names,
        [(CheckMethod::Spf, "northwind.test"), (CheckMethod::Dkim, "mail._domainkey.northwind.test"), (CheckMethod::Dmarc, "_dmarc.northwind.test")]
    );
    assert_eq!(read[0].2, "v=spf1 mx -all");
    let other = records(&run_edited("signed-and-sealed", |t| northwind_txt(t, "", Some("v=spf1 ip4:192.0.2.0/24 -all"))));
    assert_eq!(other[0].2, "v=spf1 ip4:192.0.2.0/24 -all");
}

/// A list's member is named in no header of the letter, but is no blind copy: the inspector
/// marks only the recipients the author put in Bcc.
#[test]
fn a_lists_member_is_not_taken_for_a_blind_copy() {
    use mailflow::player::inspect::inspect;
    let trace = run("tampered");
    let id = trace.events.iter().find_map(|e| match &e.kind {
        EventKind::Composed(c) => Some(c.message_id.clone()),
        _ => None,
    });
    // The copy on the wire from the list to southbay: RCPT TO bob, whom no header names.
    let hop = trace.events.iter().position(|e| matches!(&e.kind, EventKind::Authenticated(_))).unwrap();
    let seen = inspect(&trace.events, hop, &id.clone().unwrap()).unwrap();
    assert_eq!(seen.rcpt_to, ["<bob@southbay.test>"]);
    assert!(seen.blind.is_empty(), "{:?}", seen.blind);
    let many = run("many-recipients");
    let id = many.events.iter().find_map(|e| match &e.kind {
        EventKind::Composed(c) => Some(c.message_id.clone()),
        _ => None,
    });
    let first_dot = many.events.iter().position(|e| matches!(&e.kind, EventKind::Line { text, .. } if text == ".")).unwrap();
    let submitted = inspect(&many.events, first_dot + 1, &id.unwrap()).unwrap();
    assert_eq!(submitted.blind, ["<erin@eastbay.test>"]);
}
