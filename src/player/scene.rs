//! The scene: where every letter is, which hosts are down, which connections are open, after
//! a given event. Built by applying events one by one, so the scene at step k is a pure
//! function of events 0..k.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::engine::scenario::Service;
use crate::engine::trace::{details, CheckMethod, ConnectionId, Event, EventKind};
use crate::engine::time::VirtualTime;

/// An open connection: one hop of the journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub client: String,
    pub server: String,
    pub port: u16,
    /// The service the client asked for.
    pub protocol: Service,
    pub tls: bool,
    /// The Message-ID of the letter the client carries.
    pub carrying: Option<String>,
}

/// Where one copy of a letter is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Written on a device, not handed over yet.
    Outbox { host: String },
    /// The device's server refused it.
    NotSent { host: String },
    /// In a server's queue, perhaps waiting for a retry.
    Queue { host: String, queue_id: String, retry_at: Option<VirtualTime> },
    /// In a user's mailbox on the mailbox host.
    Mailbox { host: String, user: String },
    /// Downloaded to, or read on, a device.
    Device { host: String, user: String },
}

/// One copy of a letter. A relayed letter briefly has two: one in each queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub message_id: String,
    /// The envelope sender; empty for a bounce (the null reverse path).
    pub from: String,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub place: Place,
    /// On an IMAP device: the flags the server reported (`\Seen`, `\Flagged`).
    pub flags: Vec<String>,
}

impl Letter {
    /// A delivery status notification (bounce or delay warning): sent with `MAIL FROM:<>`.
    pub fn is_notice(&self) -> bool {
        self.from.is_empty()
    }
}

/// One mark on a host: a check it made of a letter (`SPF`, `DKIM`, `DMARC` with its result),
/// or the DKIM signature a submission server put on one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub label: &'static str,
    /// `pass`, `fail`, `none`...; `signed` for a signature made.
    pub result: String,
    /// What decided it, for the mark's tooltip and the diagram in words.
    pub detail: String,
}

impl Mark {
    /// Whether the mark shows a tick: a pass, or a signature made.
    pub fn ok(&self) -> bool {
        self.result == "pass" || self.result == "signed"
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scene {
    pub at: VirtualTime,
    pub down: BTreeSet<String>,
    /// Per host, the marks of the latest letter it signed or checked.
    pub marks: BTreeMap<String, Vec<Mark>>,
    pub connections: BTreeMap<ConnectionId, Hop>,
    /// Shared between scenes: the player's snapshots copy pointers, and a letter is copied
    /// only when an event changes it.
    pub letters: Vec<Rc<Letter>>,
}

impl Scene {
    pub fn apply(&mut self, event: &Event) {
        self.at = event.at;
        match &event.kind {
            EventKind::Power { host, up } => {
                if *up {
                    self.down.remove(host);
                } else {
                    self.down.insert(host.clone());
                }
            }
            EventKind::Composed(d) => {
                let details::Composed { device, message_id, from, to, subject, .. } = &**d;
                self.letters.push(Rc::new(Letter {
                    message_id: message_id.clone(),
                    from: from.clone(),
                    to: to.clone(),
                    subject: Some(subject.clone()),
                    place: Place::Outbox { host: device.clone() },
                    flags: Vec::new(),
                }));
            }
            EventKind::NotSent(d) => {
                let details::NotSent { device, message_id, recipients, .. } = &**d;
                // Refused for everyone: the letter stays on the device, marked; refused for
                // some: the others went on, and the device keeps nothing.
                if let Some(letter) = self.find_mut(message_id, |p| matches!(p, Place::Outbox { host } if host == device)) {
                    if recipients.len() >= letter.to.len() {
                        letter.place = Place::NotSent { host: device.clone() };
                    }
                }
            }
            EventKind::Connected(d) => {
                let details::Connected { connection, client, server, port, protocol, carrying, .. } = &**d;
                self.connections.insert(
                    *connection,
                    Hop {
                        client: client.clone(),
                        server: server.clone(),
                        port: *port,
                        protocol: *protocol,
                        tls: false,
                        carrying: carrying.clone(),
                    },
                );
            }
            EventKind::TlsStarted { connection } => {
                if let Some(hop) = self.connections.get_mut(connection) {
                    hop.tls = true;
                }
            }
            EventKind::Closed { connection } => {
                self.connections.remove(connection);
            }
            EventKind::Queued(d) => {
                let details::Queued { host, queue_id, message_id, from, to } = &**d;
                let place = Place::Queue { host: host.clone(), queue_id: queue_id.clone(), retry_at: None };
                // A submitted letter leaves the device; a relayed one is copied to the next queue.
                let submitted = self.letters.iter().position(|l| {
                    l.message_id == *message_id && matches!(&l.place, Place::Outbox { .. })
                });
                let subject = self.letters.iter().find(|l| l.message_id == *message_id).and_then(|l| l.subject.clone());
                match submitted {
                    Some(i) => Rc::make_mut(&mut self.letters[i]).place = place,
                    None => self.letters.push(Rc::new(Letter {
                        message_id: message_id.clone(),
                        from: from.clone(),
                        to: to.clone(),
                        subject,
                        place,
                        flags: Vec::new(),
                    })),
                }
            }
            EventKind::Deferred(d) => self.set_retry(&d.host, &d.queue_id, Some(d.retry_at)),
            EventKind::Retry(r) => self.set_retry(&r.host, &r.queue_id, None),
            EventKind::Removed(d) => {
                let details::Removed { host, queue_id } = &**d;
                self.letters.retain(|l| {
                    !matches!(&l.place, Place::Queue { host: h, queue_id: q, .. } if h == host && q == queue_id)
                });
            }
            EventKind::Signed(d) => {
                let mark = Mark { label: "DKIM", result: "signed".into(), detail: format!("signed as d={} s={}", d.domain, d.selector) };
                self.marks.insert(d.host.clone(), vec![mark]);
            }
            EventKind::Authenticated(d) => {
                let marks = d
                    .checks
                    .iter()
                    .map(|c| Mark {
                        label: match c.method {
                            CheckMethod::Spf => "SPF",
                            CheckMethod::Dkim => "DKIM",
                            CheckMethod::Dmarc => "DMARC",
                        },
                        result: c.result.clone(),
                        detail: c.reason.clone(),
                    })
                    .collect();
                self.marks.insert(d.host.clone(), marks);
            }
            EventKind::Delivered(d) => {
                let details::Delivered { host, user, message_id, .. } = &**d;
                let (from, subject) = self.known(message_id);
                self.letters.push(Rc::new(Letter {
                    message_id: message_id.clone(),
                    from,
                    to: vec![user.clone()],
                    subject,
                    place: Place::Mailbox { host: host.clone(), user: user.clone() },
                    flags: Vec::new(),
                }));
            }
            EventKind::MailboxRemoved(d) => {
                let details::MailboxRemoved { host, user, message_ids } = &**d;
                self.letters.retain(|l| {
                    let here = matches!(&l.place, Place::Mailbox { host: h, user: u } if h == host && u == user);
                    !(here && message_ids.contains(&l.message_id))
                });
            }
            EventKind::Fetched(d) if d.service == Service::Imap => {
                let details::Fetched { device, user, mailbox, .. } = &**d;
                // IMAP: the device shows the mailbox as it is on the server, nothing more.
                let on_device = |l: &Letter| matches!(&l.place, Place::Device { host, user: u } if host == device && u == user);
                self.letters.retain(|l| !on_device(l));
                for entry in mailbox {
                    let Some(id) = &entry.message_id else { continue };
                    let (from, subject) = self.known(id);
                    self.letters.push(Rc::new(Letter {
                        message_id: id.clone(),
                        from,
                        to: vec![user.clone()],
                        subject: subject.or_else(|| entry.subject.clone()),
                        place: Place::Device { host: device.clone(), user: user.clone() },
                        flags: entry.flags.clone(),
                    }));
                }
            }
            EventKind::Fetched(d) => {
                let details::Fetched { device, user, message_ids, .. } = &**d;
                for id in message_ids {
                    let already = self.letters.iter().any(|l| {
                        l.message_id == *id && matches!(&l.place, Place::Device { host, .. } if host == device)
                    });
                    if already {
                        continue;
                    }
                    let (from, subject) = self.known(id);
                    self.letters.push(Rc::new(Letter {
                        message_id: id.clone(),
                        from,
                        to: vec![user.clone()],
                        subject,
                        place: Place::Device { host: device.clone(), user: user.clone() },
                        flags: Vec::new(),
                    }));
                }
            }
            _ => {}
        }
    }

    /// The sender and subject of a letter seen before, from any of its copies.
    fn known(&self, message_id: &str) -> (String, Option<String>) {
        let original = self.letters.iter().find(|l| l.message_id == message_id);
        original.map(|l| (l.from.clone(), l.subject.clone())).unwrap_or_default()
    }

    fn find_mut(&mut self, message_id: &str, at: impl Fn(&Place) -> bool) -> Option<&mut Letter> {
        self.letters.iter_mut().find(|l| l.message_id == message_id && at(&l.place)).map(Rc::make_mut)
    }

    /// When the letters of one queue entry are tried next (`None`: being tried now).
    fn set_retry(&mut self, host: &str, queue_id: &str, when: Option<VirtualTime>) {
        for letter in &mut self.letters {
            if matches!(&letter.place, Place::Queue { host: h, queue_id: q, .. } if h == host && q == queue_id) {
                if let Place::Queue { retry_at, .. } = &mut Rc::make_mut(letter).place {
                    *retry_at = when;
                }
            }
        }
    }

    /// The letters at a host, in any place there.
    pub fn letters_at<'a>(&'a self, host: &'a str) -> impl Iterator<Item = &'a Letter> + 'a {
        self.letters.iter().map(|l| &**l).filter(move |l| l.place.host() == host)
    }
}

impl Place {
    pub fn host(&self) -> &str {
        match self {
            Place::Outbox { host }
            | Place::NotSent { host }
            | Place::Queue { host, .. }
            | Place::Mailbox { host, .. }
            | Place::Device { host, .. } => host,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;

    fn final_scene(name: &str) -> Scene {
        let trace = simulate(&preset(name).unwrap().scenario().unwrap());
        let mut scene = Scene::default();
        for e in &trace.events {
            scene.apply(e);
        }
        scene
    }

    fn places(scene: &Scene) -> Vec<(String, Place)> {
        scene.letters.iter().map(|l| (l.message_id.clone(), l.place.clone())).collect()
    }

    #[test]
    fn first_letter_ends_in_bobs_mailbox_and_on_his_laptop() {
        let scene = final_scene("first-letter");
        let id = "<20260302090000.000001@northwind.test>".to_string();
        let mailbox = Place::Mailbox { host: "mail.southbay.test".into(), user: "bob@southbay.test".into() };
        let laptop = Place::Device { host: "bob-laptop.southbay.test".into(), user: "bob@southbay.test".into() };
        assert_eq!(places(&scene), vec![(id.clone(), mailbox), (id, laptop)]);
        assert!(scene.connections.is_empty(), "every connection closed");
        assert!(scene.down.is_empty());
    }

    #[test]
    fn a_bounce_is_a_notice_in_alices_mailbox() {
        let scene = final_scene("unknown-user");
        let notices: Vec<&Rc<Letter>> = scene.letters.iter().filter(|l| l.is_notice()).collect();
        assert!(!notices.is_empty());
        assert!(notices.iter().any(|l| l.place
            == Place::Mailbox { host: "mail.northwind.test".into(), user: "alice@northwind.test".into() }));
    }

    #[test]
    fn imap_devices_show_the_mailbox_with_its_flags() {
        let scene = final_scene("pop-vs-imap");
        let in_mailbox: Vec<&str> = scene
            .letters
            .iter()
            .filter(|l| matches!(l.place, Place::Mailbox { .. }))
            .map(|l| l.message_id.as_str())
            .collect();
        let table_booked = "<20260302090310.000003@northwind.test>";
        assert_eq!(in_mailbox, vec![table_booked], "POP3 took Alice's first letter, the laptop deleted Carol's");
        let phone: Vec<(&str, Vec<String>)> = scene
            .letters
            .iter()
            .filter(|l| l.place.host() == "bob-phone.southbay.test")
            .map(|l| (l.message_id.as_str(), l.flags.clone()))
            .collect();
        assert_eq!(phone, vec![(table_booked, vec!["\\Seen".to_string(), "\\Flagged".to_string()])]);
    }

    #[test]
    fn a_down_host_is_down_between_its_power_events() {
        let trace = simulate(&preset("server-down").unwrap().scenario().unwrap());
        let mut scene = Scene::default();
        let mut was_down_with_a_waiting_letter = false;
        for e in &trace.events {
            scene.apply(e);
            let waiting = scene.letters.iter().any(|l| matches!(l.place, Place::Queue { retry_at: Some(_), .. }));
            was_down_with_a_waiting_letter |= scene.down.contains("mx.southbay.test") && waiting;
        }
        assert!(was_down_with_a_waiting_letter);
        assert!(scene.down.is_empty());
    }
}
