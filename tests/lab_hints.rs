//! The lab's hints come from the server session's state: following them, line by line, from
#![cfg(not(target_arch = "wasm32"))]
//! the greeting to QUIT or LOGOUT on every port the lab offers, meets no refusal.

use mailflow::engine::scenario::{Send, Service};
use mailflow::lab::live::Lab;

/// Whether a server line refuses: an SMTP 4xx/5xx, a POP3 -ERR, an IMAP NO or BAD.
fn refusal(service: Service, line: &str) -> bool {
    match service {
        Service::Pop3 => line.starts_with("-ERR"),
        Service::Imap => {
            let mut words = line.split(' ');
            let _tag = words.next();
            matches!(words.next(), Some("NO" | "BAD"))
        }
        _ => line.starts_with('4') || line.starts_with('5'),
    }
}

/// Types every line each hint offers until the session ends; what was typed, in order.
fn follow_the_hints(lab: &mut Lab, service: Service) -> Vec<String> {
    let t = lab.open(service).unwrap();
    let mut typed = Vec::new();
    for _ in 0..30 {
        let next = lab.hint(t);
        if next.lines.is_empty() {
            assert!(!lab.terminals[t].open, "a hint with nothing to type on an open session: {next:?}");
            return typed;
        }
        for line in next.lines {
            let before = lab.terminals[t].lines.len();
            lab.type_line(t, &line);
            lab.tick(1_000);
            for answer in lab.terminals[t].lines[before..].iter().filter(|l| !l.typed) {
                assert!(!refusal(service, &answer.text), "{service:?}: {line:?} got {:?} after {typed:?}", answer.text);
            }
            typed.push(line);
        }
    }
    panic!("{service:?}: the hints never reached the end of the session: {typed:?}");
}

fn words(typed: &[String]) -> Vec<String> {
    typed.iter().map(|l| l.split(' ').next().unwrap_or("").to_owned()).collect()
}

#[test]
fn on_port_587_the_hints_go_through_starttls_and_ehlo_again_before_auth() {
    let mut lab = Lab::new("first-letter").unwrap();
    let typed = follow_the_hints(&mut lab, Service::Submission);
    let w = words(&typed);
    assert_eq!(&w[..5], ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL"], "{typed:?}");
    assert_eq!(w.last().map(String::as_str), Some("QUIT"));
    assert!(typed.contains(&".".to_owned()), "a whole message was sent: {typed:?}");
}

#[test]
fn on_port_25_the_hints_send_a_letter_without_a_login() {
    let mut lab = Lab::new("first-letter").unwrap();
    let typed = follow_the_hints(&mut lab, Service::Smtp);
    let w = words(&typed);
    assert!(!w.contains(&"AUTH".to_owned()), "{typed:?}");
    assert_eq!(&w[..4], ["EHLO", "STARTTLS", "EHLO", "MAIL"], "{typed:?}");
    assert_eq!(w.last().map(String::as_str), Some("QUIT"));
}

/// A letter for the user the POP3 and IMAP hints log in as, so that they read something.
fn letter_for_alice(lab: &mut Lab) {
    let note = Send::new("alice-laptop.northwind.test", "alice@northwind.test", &["alice@northwind.test"], "A note to self", "Milk.\n");
    lab.send(&note).unwrap();
    lab.tick(60_000);
}

#[test]
fn on_port_110_the_hints_say_stls_before_user_and_read_the_letter() {
    let mut lab = Lab::new("first-letter").unwrap();
    let empty = follow_the_hints(&mut lab, Service::Pop3);
    assert_eq!(words(&empty), ["STLS", "USER", "PASS", "STAT", "QUIT"]);
    letter_for_alice(&mut lab);
    let typed = follow_the_hints(&mut lab, Service::Pop3);
    assert_eq!(words(&typed), ["STLS", "USER", "PASS", "STAT", "LIST", "RETR", "QUIT"]);
}

#[test]
fn on_port_143_the_hints_say_starttls_before_login_and_read_the_letter() {
    let mut lab = Lab::new("first-letter").unwrap();
    letter_for_alice(&mut lab);
    let typed = follow_the_hints(&mut lab, Service::Imap);
    let commands: Vec<&str> = typed.iter().map(|l| l.split(' ').nth(1).unwrap_or("")).collect();
    assert_eq!(commands, ["STARTTLS", "LOGIN", "LIST", "SELECT", "FETCH", "LOGOUT"], "{typed:?}");
    // Each command has a tag of its own.
    let tags: std::collections::BTreeSet<&str> = typed.iter().map(|l| l.split(' ').next().unwrap_or("")).collect();
    assert_eq!(tags.len(), typed.len());
}

#[test]
fn the_hint_follows_the_server_not_the_text_typed() {
    // A refused AUTH in clear on 587 does not move the hint on to MAIL: the server still wants
    // STARTTLS, and says so.
    let mut lab = Lab::new("first-letter").unwrap();
    let t = lab.open(Service::Submission).unwrap();
    lab.type_line(t, "EHLO my-laptop.test");
    lab.type_line(t, "AUTH PLAIN AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ=");
    assert!(lab.terminals[t].lines.last().unwrap().text.starts_with("530 5.7.0"));
    assert_eq!(lab.hint(t).lines, ["STARTTLS"]);
    lab.type_line(t, "STARTTLS");
    assert_eq!(lab.hint(t).lines, ["EHLO my-laptop.test"]);
    assert!(lab.hint(t).text().contains("forgotten"), "{}", lab.hint(t).text());
    lab.type_line(t, "QUIT");
    assert!(lab.hint(t).lines.is_empty());
}
