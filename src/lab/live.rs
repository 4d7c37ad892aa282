//! The lab's live world: a preset's world with nobody acting but the student, who opens
//! terminals to its servers, types lines, sends letters from a form, and breaks things.

use std::rc::Rc;

use crate::engine::scenario::{preset, Action, Fault, Scenario, Send, Service};
use crate::engine::trace::{EventKind, Trace};
use crate::engine::time::VirtualTime;
use crate::engine::world::{ExternalId, ExternalOutput, Listener, Simulator};
use crate::lab::hint::{next_lines, NextLines};
use crate::lab::sender_auth::{with_stranger, Kit};

/// One line of a terminal: what the student typed, or what the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermLine {
    pub typed: bool,
    pub text: String,
}

pub struct Terminal {
    pub service: Service,
    /// The server that answered (its greeting's host).
    pub server: String,
    pub lines: Vec<TermLine>,
    pub open: bool,
    external: ExternalId,
}

pub struct Lab {
    world: Simulator<'static>,
    pub terminals: Vec<Terminal>,
    /// The world as a scenario, growing with what the student does that a scenario can say:
    /// the letters sent from the form, and hosts, mailboxes and greylisting switched.
    journal: Scenario,
    /// The records and key the student can publish and switch, when the world has their hosts.
    kit: Option<Kit>,
}

/// The address the lab's terminals connect from: a student's machine on the documentation
/// network of RFC 5737 that no scenario uses.
const STUDENT: &str = "203.0.113.200";

impl Lab {
    /// The world of a preset, without its actions and faults: a quiet world to play in.
    pub fn new(preset_name: &str) -> Result<Lab, String> {
        let mut scenario: Scenario = preset(preset_name)
            .ok_or_else(|| format!("there is no preset named {preset_name:?}"))?
            .scenario()
            .map_err(|e| e.to_string())?;
        scenario.actions.clear();
        scenario.faults.clear();
        scenario.checkpoints.clear();
        let scenario = with_stranger(scenario);
        let kit = Kit::for_world(&scenario);
        let mut journal = scenario.clone();
        journal.name = "my-lab".into();
        journal.title = "My lab session".into();
        journal.summary = format!("Saved from the lab, in the world of {preset_name}.");
        Ok(Lab { world: Simulator::owning(Rc::new(scenario)), terminals: Vec::new(), journal, kit })
    }

    pub(crate) fn kit(&self) -> Option<&Kit> {
        self.kit.as_ref()
    }

    pub(crate) fn journal_mut(&mut self) -> &mut Scenario {
        &mut self.journal
    }

    pub fn world(&self) -> &Simulator<'static> {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut Simulator<'static> {
        &mut self.world
    }

    pub fn trace(&self) -> Trace {
        Trace::new("lab", self.world.events().to_vec())
    }

    /// Connect a terminal to a service: SMTP 25, submission 587 or 465, POP3 110 or 995, IMAP
    /// 143 or 993. The servers behave as in the scenarios: TLS is offered (and simulated), and
    /// passwords are only taken inside it. On 995 and 993 the mailbox server that offers POP3
    /// or IMAP answers inside TLS from the first byte, as Dovecot does on those ports.
    pub fn open(&mut self, service: Service) -> Result<usize, String> {
        let port = 40000 + self.terminals.len() as u16;
        let listener = match service {
            Service::Pop3s | Service::Imaps => Listener { implicit_tls: true, ..Listener::simulated(service.protocol()) },
            service => Listener::simulated(service),
        };
        let external = self
            .world
            .connect_external(listener, STUDENT, port)
            .ok_or_else(|| format!("no host of this world offers {} (port {})", service.name(), service.port()))?;
        // The server that answers is the one the connection's trace event names.
        let server = self
            .world
            .events()
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::Connected(open) => Some(open.server.clone()),
                _ => None,
            })
            .unwrap_or_default();
        self.terminals.push(Terminal { service, server, lines: Vec::new(), open: true, external });
        let t = self.terminals.len() - 1;
        self.collect(t);
        Ok(t)
    }

    /// The student typed a line (sent with CRLF, as telnet does).
    pub fn type_line(&mut self, t: usize, line: &str) {
        let Some(terminal) = self.terminals.get_mut(t).filter(|t| t.open) else { return };
        terminal.lines.push(TermLine { typed: true, text: line.to_owned() });
        let external = terminal.external;
        self.world.external_input(external, format!("{line}\r\n").as_bytes());
        self.collect(t);
    }

    /// What to type next in a terminal, from the state of its server session.
    pub fn hint(&self, t: usize) -> NextLines {
        let terminal = self.terminals.get(t);
        let expects = terminal.filter(|t| t.open).and_then(|t| self.world.external_expects(t.external));
        let server = terminal.map_or("", |t| t.server.as_str());
        let tag = terminal.map_or(0, |t| t.lines.iter().filter(|l| l.typed).count()) + 1;
        next_lines(expects, self.world.scenario(), server, tag)
    }

    /// Hang up a terminal.
    pub fn close(&mut self, t: usize) {
        if let Some(terminal) = self.terminals.get_mut(t) {
            terminal.open = false;
            self.world.disconnect_external(terminal.external);
        }
    }

    /// Let `ms` milliseconds of virtual time pass.
    pub fn tick(&mut self, ms: u64) {
        let to = self.world.now().plus_millis(ms);
        self.world.advance_to(to);
        for t in 0..self.terminals.len() {
            self.collect(t);
        }
    }

    /// A letter from the compose form, through the device's own mail client.
    pub fn send(&mut self, send: &Send) -> Result<(), String> {
        self.world.send_now(send)?;
        self.journal.actions.push(Action::once(self.seconds(), Some(send.clone()), None));
        Ok(())
    }

    fn seconds(&self) -> u64 {
        self.world.now().as_millis() / 1000
    }

    /// Switch a host off or on; the saved scenario gets the outage as a `host-down` fault.
    pub fn set_power(&mut self, host: &str, up: bool) -> Result<(), String> {
        self.world.set_power(host, up)?;
        let now = self.seconds();
        self.journal_window(!up, now, Fault::HostDown { host: host.to_owned(), from: now, until: None });
        Ok(())
    }

    /// A windowed fault of the saved scenario (`from`, `until`) starts now, or the open one of
    /// the same kind and host ends now.
    fn journal_window(&mut self, starts: bool, now: u64, started: Fault) {
        if starts {
            return self.journal.faults.push(started);
        }
        let host_of = |f: &Fault| match f {
            Fault::HostDown { host, .. } | Fault::OpenRelay { host, .. } => Some(host.to_ascii_lowercase()),
            _ => None,
        };
        let (kind, host) = (std::mem::discriminant(&started), host_of(&started));
        for fault in &mut self.journal.faults {
            if std::mem::discriminant(&*fault) != kind || host_of(fault) != host {
                continue;
            }
            if let Fault::HostDown { until: until @ None, from, .. } | Fault::OpenRelay { until: until @ None, from, .. } = fault {
                // A fault window must end after it starts.
                *until = Some(now.max(*from + 1));
            }
        }
    }

    /// Make a host an open relay, or close it; the saved scenario gets an `open-relay` fault.
    pub fn set_open_relay(&mut self, host: &str, open: bool) -> Result<(), String> {
        self.world.set_open_relay(host, open)?;
        let now = self.seconds();
        self.journal_window(open, now, Fault::OpenRelay { host: host.to_owned(), from: now, until: None });
        Ok(())
    }

    /// VRFY on or off on a host; the saved scenario keeps the host's setting.
    pub fn set_vrfy(&mut self, host: &str, on: bool) -> Result<(), String> {
        self.world.set_vrfy(host, on)?;
        if let Some(h) = self.journal.hosts.iter_mut().find(|h| h.name.eq_ignore_ascii_case(host)) {
            h.smtpd.disable_vrfy_command = !on;
        }
        Ok(())
    }

    pub fn set_greylisting(&mut self, host: &str, on: bool) -> Result<(), String> {
        self.world.set_greylisting(host, on)?;
        self.journal.faults.retain(|f| !matches!(f, Fault::Greylisting { host: h, .. } if h.eq_ignore_ascii_case(host)));
        if on {
            self.journal.faults.push(Fault::Greylisting { host: host.to_owned(), delay: 300 });
        }
        Ok(())
    }

    pub fn set_mailbox_full(&mut self, user: &str, full: bool) -> Result<(), String> {
        self.world.set_mailbox_full(user, full)?;
        self.journal.faults.retain(|f| !matches!(f, Fault::MailboxFull { user: u } if u.eq_ignore_ascii_case(user)));
        if full {
            self.journal.faults.push(Fault::MailboxFull { user: user.to_owned() });
        }
        Ok(())
    }

    pub fn set_user_known(&mut self, user: &str, known: bool) -> Result<(), String> {
        self.world.set_user_known(user, known)
    }

    /// The session so far as a scenario file: the world, the letters sent from the form and
    /// the faults switched, at the times they happened. Typed sessions and unknown users are
    /// not part of the scenario format, so they are left out.
    pub fn to_scenario_json(&self) -> String {
        serde_json::to_string_pretty(&self.journal).unwrap_or_default()
    }

    pub fn now(&self) -> VirtualTime {
        self.world.now()
    }

    /// Move what the server sent into the terminal, line by line.
    fn collect(&mut self, t: usize) {
        let Some(terminal) = self.terminals.get_mut(t) else { return };
        while let Some(out) = self.world.poll_external(terminal.external) {
            match out {
                ExternalOutput::Transmit(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
                        terminal.lines.push(TermLine { typed: false, text: line.to_owned() });
                    }
                }
                ExternalOutput::StartTls => terminal.lines.push(TermLine {
                    typed: false,
                    text: "(TLS starts: from here on the wire is encrypted)".into(),
                }),
                ExternalOutput::Close => terminal.open = false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice_to_bob(subject: &str) -> Send {
        Send::new("alice-laptop.northwind.test", "alice@northwind.test", &["bob@southbay.test"], subject, "Hi\n")
    }

    fn replies(lab: &Lab, t: usize) -> Vec<&str> {
        lab.terminals[t].lines.iter().filter(|l| !l.typed).map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn a_typed_smtp_session_delivers_a_letter_that_pop3_and_imap_then_fetch() {
        let mut lab = Lab::new("first-letter").unwrap();
        let t = lab.open(Service::Smtp).unwrap();
        assert_eq!(replies(&lab, t), vec!["220 smtp.northwind.test ESMTP"]);
        for line in ["EHLO student.example", "MAIL FROM:<student@example.test>", "RCPT TO:<bob@southbay.test>", "DATA",
            "Subject: typed by hand", "", "Hello Bob.", ".", "QUIT"] {
            lab.type_line(t, line);
        }
        let r = replies(&lab, t);
        assert!(r.iter().any(|l| l.starts_with("250 2.0.0 Ok: queued as ")), "{r:?}");
        assert_eq!(r.last(), Some(&"221 2.0.0 Bye"));
        assert!(!lab.terminals[t].open);
        lab.tick(5_000);

        let p = lab.open(Service::Pop3).unwrap();
        for line in ["STLS", "USER bob@southbay.test", "PASS builder", "STAT"] {
            lab.type_line(p, line);
        }
        assert!(replies(&lab, p).last().unwrap().starts_with("+OK 1 "), "{:?}", replies(&lab, p));
        lab.type_line(p, "QUIT");

        let i = lab.open(Service::Imap).unwrap();
        for line in ["a STARTTLS", "b LOGIN bob@southbay.test builder", "c SELECT INBOX", "d FETCH 1 BODY[TEXT]"] {
            lab.type_line(i, line);
        }
        let r = replies(&lab, i);
        assert!(r.contains(&"* 1 EXISTS"), "{r:?}");
        assert!(r.contains(&"Hello Bob."), "{r:?}");
    }

    #[test]
    fn wrong_state_and_junk_get_real_replies_and_the_lab_goes_on() {
        let mut lab = Lab::new("first-letter").unwrap();
        let t = lab.open(Service::Smtp).unwrap();
        lab.type_line(t, "DATA");
        lab.type_line(t, &"X".repeat(600));
        lab.type_line(t, "Grüße \u{1}\u{7f}");
        let r = replies(&lab, t);
        assert!(r[1].starts_with("503 5.5.1"), "{r:?}");
        assert!(r[2].starts_with("500 5.5.2"), "line too long: {r:?}");
        assert!(r[3].starts_with("500 5.5.2"), "{r:?}");
        lab.type_line(t, "NOOP");
        assert_eq!(replies(&lab, t).last(), Some(&"250 2.0.0 Ok"));
    }

    /// An open relay switched on and off again is saved as one window, as an outage is.
    #[test]
    fn an_open_relay_switched_both_ways_is_saved_as_its_window() {
        let mut lab = Lab::new("first-letter").unwrap();
        lab.set_open_relay("mx.southbay.test", true).unwrap();
        lab.tick(90_000);
        lab.set_open_relay("mx.southbay.test", false).unwrap();
        let saved = Scenario::from_json(&lab.to_scenario_json()).expect("the saved file reads back");
        assert_eq!(saved.faults, [Fault::OpenRelay { host: "mx.southbay.test".into(), from: 0, until: Some(90) }]);
    }

    /// On 995 the session is inside TLS before the greeting: no STLS, and the password is
    /// taken at once.
    #[test]
    fn the_implicit_tls_ports_take_a_password_at_once() {
        let mut lab = Lab::new("first-letter").unwrap();
        let p = lab.open(Service::Pop3s).unwrap();
        for line in ["USER bob@southbay.test", "PASS builder", "STAT"] {
            lab.type_line(p, line);
        }
        let r = replies(&lab, p);
        assert!(r[0].starts_with("+OK"), "{r:?}");
        assert!(r.last().unwrap().starts_with("+OK 0 "), "logged in without STLS: {r:?}");
        let i = lab.open(Service::Imaps).unwrap();
        lab.type_line(i, "a LOGIN bob@southbay.test builder");
        assert!(replies(&lab, i).last().unwrap().starts_with("a OK"), "{:?}", replies(&lab, i));
    }

    /// VRFY typed on port 25: refused as the lessons' servers are set up, answered once the
    /// switch turns it on, for the sessions opened after that; an error sleep in the lab
    /// delays the reply until the clock reaches it.
    #[test]
    fn vrfy_can_be_switched_on_and_typed() {
        let mut lab = Lab::new("first-letter").unwrap();
        let t = lab.open(Service::Smtp).unwrap();
        lab.type_line(t, "VRFY bob@southbay.test");
        assert_eq!(replies(&lab, t).last(), Some(&"502 5.5.1 VRFY command is disabled"));
        let front = lab.terminals[t].server.clone();
        lab.toggle(&crate::lab::switches::Fault::Vrfy(front)).unwrap();
        let u = lab.open(Service::Smtp).unwrap();
        lab.type_line(u, "VRFY bob@southbay.test");
        lab.type_line(u, "VRFY nobody@southbay.test");
        let r = replies(&lab, u);
        assert_eq!(r[1..], ["252 2.0.0 bob@southbay.test", "550 5.1.1 <nobody@southbay.test>: Recipient address rejected: User unknown in virtual mailbox table"]);
        assert!(lab.to_scenario_json().contains("\"disable_vrfy_command\": false"), "the saved scenario keeps it");

        for junk in 0..10 {
            lab.type_line(u, &format!("JUNK{junk}"));
        }
        let before = replies(&lab, u).len();
        lab.type_line(u, "NOOP");
        assert_eq!(replies(&lab, u).len(), before, "the reply waits for its second");
        lab.tick(60_000);
        assert_eq!(replies(&lab, u).last(), Some(&"250 2.0.0 Ok"));
    }

    #[test]
    fn live_faults_change_what_happens_to_the_next_letter() {
        let mut lab = Lab::new("first-letter").unwrap();
        lab.world_mut().set_power("mx.southbay.test", false).unwrap();
        let send = alice_to_bob("Test");
        lab.send(&send).unwrap();
        lab.tick(60_000);
        let deferred = |lab: &Lab| lab.world().events().iter().filter(|e| matches!(e.kind, crate::engine::trace::EventKind::Deferred { .. })).count();
        assert_eq!(deferred(&lab), 1, "the MX is off: the letter waits");
        lab.world_mut().set_power("mx.southbay.test", true).unwrap();
        let retry = lab.world_mut().fast_forward().unwrap();
        assert!(retry.as_millis() >= 300_000);
        lab.tick(5_000);
        let delivered = lab.world().events().iter().any(|e| matches!(&e.kind, crate::engine::trace::EventKind::Delivered(d) if d.user == "bob@southbay.test"));
        assert!(delivered);
        let bad = Send { device: "nowhere.test".into(), ..send };
        assert_eq!(lab.send(&bad), Err("send.device: no host is named nowhere.test".into()));
    }

    #[test]
    fn the_session_saves_as_a_scenario_that_replays_it() {
        let mut lab = Lab::new("first-letter").unwrap();
        lab.set_power("mx.southbay.test", false).unwrap();
        lab.tick(10_000);
        let send = alice_to_bob("Saved");
        lab.send(&send).unwrap();
        lab.tick(50_000);
        lab.set_power("mx.southbay.test", true).unwrap();
        let json = lab.to_scenario_json();
        let scenario = Scenario::from_json(&json).expect("a valid scenario");
        assert_eq!(scenario.actions.len(), 1);
        assert_eq!(scenario.actions[0].at, 10);
        assert_eq!(scenario.faults, vec![Fault::HostDown { host: "mx.southbay.test".into(), from: 0, until: Some(60) }]);
        // Replayed, the letter waits for the MX and then arrives.
        let trace = crate::engine::world::simulate(&scenario);
        assert!(trace.events.iter().any(|e| matches!(e.kind, EventKind::Deferred { .. })));
        assert!(trace.events.iter().any(|e| matches!(&e.kind, EventKind::Delivered(d) if d.user == "bob@southbay.test")));
    }
}
