//! Clients from outside the world, as the live lab connects them: the server end runs in the
//! world with the same hosts, and each question goes to the host of the domain in play.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{edited, scenario};
use mailflow::engine::scenario::Scenario;
use mailflow::engine::scenario::Service;
use mailflow::engine::trace::EventKind;
use mailflow::engine::world::{ExternalId, ExternalOutput, Listener, Simulator};
use mailflow::engine::time::VirtualTime;

fn plain(service: Service) -> Listener {
    Listener { service, offer_tls: false, plaintext_auth: true, offer_apop: true, esmtp: true, implicit_tls: false, smtpd: Default::default() }
}

/// Everything the world wants sent to the client, as text.
fn drain(sim: &mut Simulator, x: ExternalId) -> String {
    let mut text = String::new();
    while let Some(out) = sim.poll_external(x) {
        match out {
            ExternalOutput::Transmit(bytes) => text.push_str(&String::from_utf8_lossy(&bytes)),
            ExternalOutput::StartTls => text.push_str("<tls>"),
            ExternalOutput::Close => text.push_str("<close>"),
        }
    }
    text
}

fn say(sim: &mut Simulator, x: ExternalId, line: &str) -> String {
    sim.external_input(x, format!("{line}\r\n").as_bytes());
    drain(sim, x)
}

/// The first-letter world with nobody doing anything: only the outside client acts.
fn quiet_world() -> Scenario {
    Scenario::from_json(&edited("first-letter", |t| t["actions"] = serde_json::json!([]))).unwrap()
}

#[test]
fn a_real_client_submits_and_the_world_delivers() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(plain(Service::Submission), "127.0.0.1", 50000).unwrap();
    assert_eq!(drain(&mut sim, x), "220 smtp.northwind.test ESMTP\r\n");
    let ehlo = say(&mut sim, x, "EHLO client.example");
    assert!(ehlo.contains("250-AUTH PLAIN LOGIN\r\n") && !ehlo.contains("STARTTLS"), "{ehlo}");
    // AUTH PLAIN alice@northwind.test / wonderland
    assert_eq!(say(&mut sim, x, "AUTH PLAIN AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ="), "235 2.7.0 Authentication successful\r\n");
    assert_eq!(say(&mut sim, x, "MAIL FROM:<alice@northwind.test>"), "250 2.1.0 Ok\r\n");
    assert_eq!(say(&mut sim, x, "RCPT TO:<bob@southbay.test>"), "250 2.1.5 Ok\r\n");
    assert_eq!(say(&mut sim, x, "DATA"), "354 End data with <CR><LF>.<CR><LF>\r\n");
    // The body arrives in pieces that do not respect line ends.
    sim.external_input(x, b"Subject: hi\r\n\r\n..a dot");
    sim.external_input(x, b"-stuffed line\r\n.\r\n");
    let queued = drain(&mut sim, x);
    assert!(queued.starts_with("250 2.0.0 Ok: queued as "), "{queued}");
    assert_eq!(say(&mut sim, x, "QUIT"), "221 2.0.0 Bye\r\n<close>");
    sim.advance_to(VirtualTime::from_secs(60));
    let bob = sim.hosts().iter().find(|h| h.name == "mail.southbay.test").unwrap();
    let inbox = bob.store.messages("bob@southbay.test");
    assert_eq!(inbox.len(), 1);
    let text = String::from_utf8_lossy(inbox[0].message.as_bytes()).into_owned();
    assert!(text.ends_with("Subject: hi\r\n\r\n.a dot-stuffed line\r\n"), "{text}");
    // The transcript shows the client's lines whole, however they arrived.
    assert!(sim.events().iter().any(|e| matches!(&e.kind, EventKind::Line { text, .. } if text == "..a dot-stuffed line")));
}

#[test]
fn the_relay_port_asks_each_recipients_own_mx() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(plain(Service::Smtp), "127.0.0.1", 50001).unwrap();
    drain(&mut sim, x);
    say(&mut sim, x, "EHLO client.example");
    say(&mut sim, x, "MAIL FROM:<someone@elsewhere.test>");
    // southbay's MX knows its users; northwind's knows its own; nobody relays for strangers.
    assert_eq!(say(&mut sim, x, "RCPT TO:<bob@southbay.test>"), "250 2.1.5 Ok\r\n");
    assert_eq!(
        say(&mut sim, x, "RCPT TO:<robert@southbay.test>"),
        "550 5.1.1 <robert@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table\r\n"
    );
    assert_eq!(say(&mut sim, x, "RCPT TO:<carol@northwind.test>"), "250 2.1.5 Ok\r\n");
    assert_eq!(say(&mut sim, x, "RCPT TO:<x@elsewhere.test>"), "554 5.7.1 <x@elsewhere.test>: Relay access denied\r\n");
    say(&mut sim, x, "DATA");
    let reply = say(&mut sim, x, "Subject: both\r\n\r\nHello.\r\n.");
    assert!(reply.starts_with("250 2.0.0 Ok: queued as ") && reply.contains(", "), "one id per MX: {reply}");
    sim.advance_to(VirtualTime::from_secs(60));
    let store = |host: &str, user: &str| {
        sim.hosts().iter().find(|h| h.name == host).unwrap().store.messages(user).len()
    };
    assert_eq!(store("mail.southbay.test", "bob@southbay.test"), 1);
    assert_eq!(store("mail.northwind.test", "carol@northwind.test"), 1);
}

#[test]
fn the_bare_postmaster_is_accepted_and_reaches_the_postmaster_of_the_servers_domain() {
    // RFC 5321 4.5.1: every server takes RCPT TO:<Postmaster>, with no domain, from anyone.
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(plain(Service::Smtp), "127.0.0.1", 50005).unwrap();
    let greeting = drain(&mut sim, x);
    let server = greeting.strip_prefix("220 ").and_then(|g| g.split_once(' ')).map(|(h, _)| h.to_owned()).unwrap();
    let postmaster = format!("postmaster@{}", server.split_once('.').unwrap().1);
    say(&mut sim, x, "EHLO client.example");
    say(&mut sim, x, "MAIL FROM:<someone@elsewhere.test>");
    assert_eq!(say(&mut sim, x, "RCPT TO:<Postmaster>"), "250 2.1.5 Ok\r\n");
    say(&mut sim, x, "DATA");
    let reply = say(&mut sim, x, "Subject: your server\r\n\r\nIt refuses me.\r\n.");
    assert!(reply.starts_with("250 2.0.0 Ok: queued as "), "{reply}");
    sim.advance_to(VirtualTime::from_secs(60));
    let stored: usize = sim.hosts().iter().map(|h| h.store.messages(&postmaster).len()).sum();
    assert_eq!(stored, 1, "{postmaster} has the letter");
}

#[test]
fn pop3_and_imap_open_the_logged_in_users_own_mailbox() {
    let s = scenario("first-letter");
    let mut sim = Simulator::new(&s);
    sim.advance_to(VirtualTime::from_secs(30)); // Alice's letter is in Bob's inbox by now
    let x = sim.connect_external(plain(Service::Pop3), "127.0.0.1", 50002).unwrap();
    assert!(drain(&mut sim, x).starts_with("+OK Dovecot ready. <"), "with the APOP timestamp");
    assert_eq!(say(&mut sim, x, "USER bob@southbay.test"), "+OK\r\n");
    assert_eq!(say(&mut sim, x, "PASS builder"), "+OK Logged in.\r\n");
    assert!(say(&mut sim, x, "STAT").starts_with("+OK 1 "));
    say(&mut sim, x, "QUIT");

    let y = sim.connect_external(plain(Service::Imap), "127.0.0.1", 50003).unwrap();
    assert!(drain(&mut sim, y).starts_with("* OK [CAPABILITY IMAP4rev1 SASL-IR"));
    assert!(say(&mut sim, y, "a LOGIN alice@northwind.test wonderland").starts_with("a OK"));
    let select = say(&mut sim, y, "b SELECT INBOX");
    assert!(select.contains("* 0 EXISTS"), "Alice's own inbox is empty: {select}");
    assert!(say(&mut sim, y, "c LOGOUT").contains("c OK"));
}

#[test]
fn a_client_that_vanishes_mid_data_leaves_no_half_message() {
    let s = scenario("first-letter");
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(plain(Service::Smtp), "127.0.0.1", 50004).unwrap();
    drain(&mut sim, x);
    say(&mut sim, x, "EHLO client.example");
    say(&mut sim, x, "MAIL FROM:<someone@elsewhere.test>");
    say(&mut sim, x, "RCPT TO:<bob@southbay.test>");
    say(&mut sim, x, "DATA");
    sim.external_input(x, b"Subject: cut\r\n\r\nhalf a mess");
    sim.disconnect_external(x);
    sim.advance_to(VirtualTime::from_secs(600));
    let bob = sim.hosts().iter().find(|h| h.name == "mail.southbay.test").unwrap();
    // Only the scenario's own letter from Alice arrived.
    assert_eq!(bob.store.messages("bob@southbay.test").len(), 1);
}

/// A client the lab does not take clear passwords from (not on loopback, `serve` without
/// `--clear-passwords-anywhere`), where no TLS is offered: no server of the world lets it log
/// in, and each says so the way its software does.
#[test]
fn without_clear_passwords_no_protocol_takes_a_login_before_tls() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let closed = |service| Listener { plaintext_auth: false, ..plain(service) };
    let smtp = sim.connect_external(closed(Service::Submission), "192.0.2.7", 50001).unwrap();
    drain(&mut sim, smtp);
    let ehlo = say(&mut sim, smtp, "EHLO client.example");
    assert!(!ehlo.contains("AUTH"), "AUTH is not offered in clear: {ehlo}");
    assert!(say(&mut sim, smtp, "AUTH PLAIN AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ=").starts_with("530 5.7.0"));
    let pop3 = sim.connect_external(closed(Service::Pop3), "192.0.2.7", 50002).unwrap();
    drain(&mut sim, pop3);
    assert!(say(&mut sim, pop3, "USER bob@southbay.test").starts_with("-ERR [AUTH] Plaintext authentication disallowed"));
    let imap = sim.connect_external(closed(Service::Imap), "192.0.2.7", 50003).unwrap();
    assert!(drain(&mut sim, imap).contains("LOGINDISABLED"));
    assert!(say(&mut sim, imap, "a1 LOGIN carol@northwind.test sunshine").contains("a1 NO [PRIVACYREQUIRED]"));
}
