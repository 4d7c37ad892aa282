//! One port for every host of a role, as the live lab offers it: a real client connects to
//! "the submission port" or "the IMAP port", and each question the session asks goes to the
//! host that the domain in play belongs to: the logged-in user's domain on submission, POP3
//! and IMAP, the recipient's domain on the SMTP relay port. The session itself answers in the
//! name of the first host of that role (its greeting and EHLO reply).

use crate::engine::imap::ImapHost;
use crate::engine::mail::MailStore;
use crate::engine::pop3::Maildrop;
use crate::engine::scenario::{domain_of, Scenario, Service};
use crate::engine::smtp::{Envelope, Mailbox, Mta, Reply, ReversePath, SessionInfo};
use crate::engine::trace::Event;
use crate::engine::time::VirtualTime;
use crate::engine::world::dns::Dns;
use crate::engine::world::host::HostState;
use crate::engine::world::mta::HostMta;

/// Which hosts a session has been routed to so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    /// The host whose name the session answers in.
    pub front: usize,
    /// The logged-in user's host.
    pub home: Option<usize>,
    /// The transaction's sender, for the recipient's host to see too (its greylisting
    /// triplet needs it).
    pub sender: Option<ReversePath>,
}

pub struct RouterMta<'a> {
    pub scenario: &'a Scenario,
    pub hosts: &'a mut [HostState],
    pub service: Service,
    pub now: VirtualTime,
    pub dns: &'a Dns,
    pub events: &'a mut Vec<Event>,
    /// (host, queue id) of every message accepted during this call.
    pub queued: &'a mut Vec<(usize, String)>,
    pub routing: &'a mut Routing,
}

/// The host that serves `domain` with `service`, if any.
pub fn host_for(scenario: &Scenario, domain: &str, service: Service) -> Option<usize> {
    scenario.hosts.iter().position(|h| h.offers(service) && h.domains.iter().any(|d| d.eq_ignore_ascii_case(domain)))
}


impl RouterMta<'_> {
    /// Ask host `h` through its own policies.
    fn on<R>(&mut self, h: usize, ask: impl FnOnce(&mut HostMta<'_>) -> R) -> R {
        let mut queued = Vec::new();
        let mut mta = HostMta {
            scenario: self.scenario,
            host: &mut self.hosts[h],
            service: self.service,
            now: self.now,
            dns: self.dns,
            events: &mut *self.events,
            queued: &mut queued,
        };
        let answer = ask(&mut mta);
        self.queued.extend(queued.into_iter().map(|id| (h, id)));
        answer
    }

    fn current(&self) -> usize {
        self.routing.home.unwrap_or(self.routing.front)
    }

    /// On the relay port, before any login, each recipient's own MX decides about it.
    fn relaying(&self, info: &SessionInfo) -> bool {
        self.service == Service::Smtp && info.authenticated.is_none()
    }

    fn login(&mut self, user: &str, password: &str) -> bool {
        let Some(h) = host_for(self.scenario, domain_of(user), self.service) else { return false };
        let ok = self.on(h, |m| Mta::authenticate(m, user, password));
        if ok {
            self.routing.home = Some(h);
        }
        ok
    }
}

impl Mta for RouterMta<'_> {
    fn authenticate(&mut self, username: &str, password: &str) -> bool {
        self.login(username, password)
    }

    fn check_sender(&mut self, info: &SessionInfo, from: &ReversePath) -> Result<(), Reply> {
        self.routing.sender = Some(from.clone());
        let h = self.current();
        self.on(h, |m| m.check_sender(info, from))
    }

    fn check_recipient(&mut self, info: &SessionInfo, rcpt: &Mailbox) -> Result<(), Reply> {
        if !self.relaying(info) {
            let h = self.current();
            return self.on(h, |m| m.check_recipient(info, rcpt));
        }
        let h = host_for(self.scenario, &rcpt.domain, Service::Smtp).unwrap_or(self.routing.front);
        let sender = self.routing.sender.clone();
        self.on(h, |m| {
            if let Some(from) = &sender {
                m.check_sender(info, from)?;
            }
            m.check_recipient(info, rcpt)
        })
    }

    fn queue(&mut self, info: &SessionInfo, envelope: &Envelope, message: &[u8]) -> Result<String, Reply> {
        if !self.relaying(info) {
            let h = self.current();
            return self.on(h, |m| m.queue(info, envelope, message));
        }
        // Each recipient's MX takes its own share, as if the client had called each one.
        let mut shares: Vec<(usize, Envelope)> = Vec::new();
        for r in &envelope.recipients {
            let h = host_for(self.scenario, &r.address.domain, Service::Smtp).unwrap_or(self.routing.front);
            match shares.iter_mut().find(|(host, _)| *host == h) {
                Some((_, e)) => e.recipients.push(r.clone()),
                None => shares.push((h, Envelope { recipients: vec![r.clone()], ..envelope.clone() })),
            }
        }
        let mut ids = Vec::new();
        for (h, share) in shares {
            ids.push(self.on(h, |m| m.queue(info, &share, message))?);
        }
        Ok(ids.join(", "))
    }

    fn deliver_lmtp(&mut self, info: &SessionInfo, envelope: &Envelope, message: &[u8]) -> Vec<Result<(), Reply>> {
        let domain = envelope.recipients.first().map(|r| r.address.domain.clone()).unwrap_or_default();
        let h = host_for(self.scenario, &domain, Service::Lmtp).unwrap_or(self.routing.front);
        self.on(h, |m| m.deliver_lmtp(info, envelope, message))
    }
}

impl Maildrop for RouterMta<'_> {
    fn authenticate(&mut self, user: &str, password: &str) -> bool {
        self.login(user, password)
    }

    fn apop_secret(&mut self, user: &str) -> Option<String> {
        let h = host_for(self.scenario, domain_of(user), self.service)?;
        let secret = self.on(h, |m| m.apop_secret(user));
        if secret.is_some() {
            // The digest is checked against this host's secret: its store is the one to open.
            self.routing.home = Some(h);
        }
        secret
    }

    fn store(&mut self) -> &mut MailStore {
        let h = self.current();
        &mut self.hosts[h].store
    }
}

impl ImapHost for RouterMta<'_> {
    fn authenticate(&mut self, username: &str, password: &str) -> bool {
        self.login(username, password)
    }

    fn store(&mut self) -> &mut MailStore {
        let h = self.current();
        &mut self.hosts[h].store
    }
}
