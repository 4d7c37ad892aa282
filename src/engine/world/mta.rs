//! The host behind a server session: who may log in, which recipients are welcome, where an
//! accepted message goes. The policies and wordings are Postfix's on the SMTP ports and
//! Dovecot's on LMTP; each says so where it bites.

use std::net::{IpAddr, Ipv4Addr};

use crate::engine::mail::{return_path_field, MailStore, Message, QueueEntry, Received};
use crate::engine::smtp::Protocol;
use crate::engine::imap::ImapHost;
use crate::engine::pop3::Maildrop;
use crate::engine::scenario::{Scenario, Service};
use crate::engine::smtp::{EnhancedStatus, Envelope, Mailbox, Mta, Recipient, Reply, ReversePath, SessionInfo};
use crate::engine::trace::{details, Event, EventKind};
use crate::engine::time::VirtualTime;
use crate::engine::world::dns::Dns;
use crate::engine::world::host::HostState;
use crate::engine::world::sender_checks::{self, author_domain, Checker};
use crate::engine::auth::results;

/// What an address of a host's domains stands for besides a mailbox.
enum Expansion<'s> {
    Alias(&'s Vec<String>),
    List(&'s crate::engine::scenario::MailingList),
}

/// The letter with `footer` added at the end of its body, in CRLF lines (Mailman's
/// `msg_footer` on a plain-text letter).
fn with_footer(message: &[u8], footer: &str) -> Vec<u8> {
    let mut out = message.to_vec();
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    for line in footer.lines() {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// What a simulated TLS session reports in a `Received:` header, as Postfix writes it.
pub const TLS_SUMMARY: &str = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)";

pub struct HostMta<'a> {
    pub scenario: &'a Scenario,
    pub host: &'a mut HostState,
    /// The service the session was opened on.
    pub service: Service,
    pub now: VirtualTime,
    /// The DNS, for the checks of letters from other networks.
    pub dns: &'a Dns,
    pub events: &'a mut Vec<Event>,
    /// Queue ids of messages accepted during this call, for the queue manager to pick up.
    pub queued: &'a mut Vec<String>,
}

fn reply(code: u16, status: (u8, u16, u16), text: String) -> Reply {
    Reply::new(code, EnhancedStatus::new(status.0, status.1, status.2), text)
}

fn message_id_of(message: &Message) -> String {
    message_id_in(message.as_bytes())
}

/// The Message-ID of a letter's bytes, read without copying them.
fn message_id_in(bytes: &[u8]) -> String {
    crate::engine::mail::header::find_field(bytes, "Message-ID").map(|id| id.trim().to_owned()).unwrap_or_else(|| "(no Message-ID)".into())
}

impl HostMta<'_> {
    fn event(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, kind });
    }

    fn is_local_user(&self, rcpt: &Mailbox) -> bool {
        let address = rcpt.to_string();
        self.host.serves_domain(&rcpt.domain) && self.scenario.user(&address).is_some() && !self.is_made_unknown(&address)
    }

    fn is_made_unknown(&self, address: &str) -> bool {
        self.host.unknown_users.iter().any(|u| u.eq_ignore_ascii_case(address))
    }

    /// The trace field this hop adds on top of the message (RFC 5321 4.4).
    fn received(&self, info: &SessionInfo, id: &str, for_recipient: Option<String>) -> String {
        let client_ip = info.peer.address.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let received = Received {
            helo: info.helo_name.clone().unwrap_or_else(|| info.peer.address.clone()),
            client_name: info.peer.host_name.clone(),
            client_ip,
            by: self.host.name.clone(),
            with: Protocol::for_session(
                self.service == Service::Lmtp,
                info.extended,
                info.tls,
                info.authenticated.is_some(),
            ),
            id: id.to_owned(),
            tls: info.tls.then(|| TLS_SUMMARY.to_owned()),
            for_recipient,
            time: self.now,
        };
        // The parts come from validated names; a refusal would mean a bug, so fall back to no field.
        received.field().unwrap_or_default()
    }
}

impl HostMta<'_> {
    /// The letter with a `DKIM-Signature:` on top, when this is a signing submission server,
    /// the sender has logged in, and the `From:` domain is the one it signs for (OpenDKIM's
    /// signing table).
    fn sign(&mut self, info: &SessionInfo, message: &[u8]) -> Option<Vec<u8>> {
        let signer = self.host.dkim.as_ref()?;
        if info.authenticated.is_none() || !matches!(self.service, Service::Submission | Service::Submissions) {
            return None;
        }
        let from = crate::engine::mail::header::find_field(message, "From")?;
        if !crate::engine::auth::within(&author_domain(&from), &signer.domain) {
            return None;
        }
        let field = signer.sign(message, self.now.unix_seconds()).ok()?;
        let message_id = message_id_in(message);
        let (domain, selector) = (signer.domain.clone(), signer.selector.clone());
        self.event(EventKind::Signed(Box::new(details::Signed { host: self.host.name.clone(), message_id, domain, selector })));
        Some([field.as_bytes(), message].concat())
    }

    /// What the host makes of an address of its domains that is not a mailbox: an alias or
    /// a mailing list.
    fn expansion(&self, address: &str) -> Option<Expansion<'_>> {
        let host = self.scenario.host(&self.host.name)?;
        if let Some((_, targets)) = host.aliases.iter().find(|(a, _)| a.eq_ignore_ascii_case(address)) {
            return Some(Expansion::Alias(targets));
        }
        host.lists.iter().find(|l| l.address.eq_ignore_ascii_case(address)).map(Expansion::List)
    }

    /// The envelope with aliases and lists expanded (as Postfix's cleanup does before the
    /// queue), and the footer to add, if a list has one; `None` for a host that has neither.
    /// Each expansion is explained.
    fn expand(&mut self, envelope: &Envelope) -> Option<(Envelope, Option<String>)> {
        let forwards = self.scenario.host(&self.host.name).is_some_and(|h| !h.aliases.is_empty() || !h.lists.is_empty());
        if !forwards {
            // The common case: a host with no aliases or lists keeps the envelope as it came.
            return None;
        }
        let mut recipients = Vec::new();
        let mut reverse_path = envelope.reverse_path.clone();
        let mut footer = None;
        let mut notes = Vec::new();
        for r in &envelope.recipients {
            let address = r.address.to_string();
            let (targets, note) = match self.expansion(&address) {
                None => {
                    recipients.push(r.clone());
                    continue;
                }
                Some(Expansion::Alias(targets)) => (
                    targets.clone(),
                    ("RFC 5321 3.9.1", format!(
                        "{} forwards {address} to {}: an alias changes the envelope's recipient and nothing else. The sender stays {}, but the letter now leaves from {}'s address, which the sender's SPF record does not list.",
                        self.host.name, targets.join(", "), envelope.reverse_path.to_path(), self.host.name
                    )),
                ),
                Some(Expansion::List(list)) => {
                    let (local, domain) = list.address.rsplit_once('@').unwrap_or((&list.address, ""));
                    let bounces = format!("{local}-bounces@{domain}");
                    if let Ok(m) = Mailbox::parse(&bounces) {
                        reverse_path = ReversePath::Mailbox(m);
                    }
                    footer = list.footer.clone().or(footer);
                    (
                        list.members.clone(),
                        ("RFC 5321 3.9.2", format!(
                            "{} runs the list {address}: it sends the letter on to {}, with its own return path {bounces}, so that bounces come to the list and not to the author{}.",
                            self.host.name, list.members.join(", "),
                            if list.footer.is_some() { ", and adds its footer to the body" } else { "" }
                        )),
                    )
                }
            };
            notes.push(note);
            // The targets were validated as addresses.
            recipients.extend(targets.iter().filter_map(|t| Mailbox::parse(t).ok()).map(Recipient::new));
        }
        for (rfc, text) in notes {
            self.event(EventKind::Explain(Box::new(details::Explain { connection: None, rfc: rfc.into(), text })));
        }
        Some((Envelope::new(reverse_path, recipients), footer))
    }

    /// The folder a letter goes into: Junk when the MX that hands mail to this mailbox host
    /// wrote that DMARC asks for quarantine (a Sieve rule on its `Authentication-Results:`,
    /// trusting only its own MX's, RFC 8601 7.1).
    fn folder_for(&self, message: &[u8]) -> &'static str {
        let quarantined = self
            .scenario
            .hosts
            .iter()
            .filter(|h| h.mailbox_host.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(&self.host.name)))
            .any(|mx| results::disposition(message, &mx.name.to_ascii_lowercase()).as_deref() == Some("quarantine"));
        if quarantined { "Junk" } else { "INBOX" }
    }

    /// Only the host's own users log in, with their full address. On a mailbox host their
    /// mailbox exists from the first login on, mail or not (Dovecot creates INBOX then).
    fn login(&mut self, username: &str, password: &str) -> bool {
        let ok = self.password_of(username).is_some_and(|p| p == password);
        if ok && matches!(self.service.protocol(), Service::Pop3 | Service::Imap) {
            self.host.store.account_mut(username);
        }
        ok
    }

    /// The password of one of the host's own users.
    fn password_of(&self, username: &str) -> Option<&str> {
        let user = self.scenario.user(username)?;
        if self.is_made_unknown(&user.address) {
            return None;
        }
        let own = Mailbox::parse(&user.address).is_ok_and(|m| self.host.serves_domain(&m.domain));
        own.then_some(user.password.as_str())
    }
}

/// The mailbox host, for IMAP sessions (Dovecot's side).
impl ImapHost for HostMta<'_> {
    fn authenticate(&mut self, username: &str, password: &str) -> bool {
        self.login(username, password)
    }

    fn store(&mut self) -> &mut MailStore {
        &mut self.host.store
    }
}

/// The mailbox host, for POP3 sessions (Dovecot's side).
impl Maildrop for HostMta<'_> {
    fn authenticate(&mut self, user: &str, password: &str) -> bool {
        self.login(user, password)
    }

    fn apop_secret(&mut self, user: &str) -> Option<String> {
        self.password_of(user).map(str::to_owned)
    }

    fn store(&mut self) -> &mut MailStore {
        &mut self.host.store
    }
}

impl Mta for HostMta<'_> {
    fn authenticate(&mut self, username: &str, password: &str) -> bool {
        self.login(username, password)
    }

    /// Postfix's `reject_sender_login_mismatch`: a logged-in user sends as themselves.
    fn check_sender(&mut self, info: &SessionInfo, from: &ReversePath) -> Result<(), Reply> {
        // Remembered for the greylisting triplet, which RCPT checks.
        self.host.senders.insert(info.peer.address.clone(), from.to_path());
        match (&info.authenticated, from) {
            (Some(login), ReversePath::Mailbox(m)) if !m.to_string().eq_ignore_ascii_case(login) => Err(reply(
                553,
                (5, 7, 1),
                format!("<{m}>: Sender address rejected: not owned by user {login}"),
            )),
            _ => Ok(()),
        }
    }

    fn check_recipient(&mut self, info: &SessionInfo, rcpt: &Mailbox) -> Result<(), Reply> {
        if self.service == Service::Lmtp {
            // Dovecot's LMTP wording.
            return if self.is_local_user(rcpt) {
                Ok(())
            } else {
                Err(reply(550, (5, 1, 1), format!("<{rcpt}> User doesn't exist: {rcpt}")))
            };
        }
        if self.host.serves_domain(&rcpt.domain) {
            if self.expansion(&rcpt.to_string()).is_some() {
                // virtual_alias_maps and the list manager know the address.
                return Ok(());
            }
            if !self.is_local_user(rcpt) {
                // Postfix: reject_unlisted_recipient, for a virtual mailbox domain.
                return Err(reply(
                    550,
                    (5, 1, 1),
                    format!("<{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
                ));
            }
            if let (Some(delay), None) = (self.host.greylist_delay, &info.authenticated) {
                let sender = self.host.senders.get(&info.peer.address).cloned().unwrap_or_default();
                let triplet = (info.peer.address.clone(), sender, rcpt.to_string());
                let first = *self.host.greylist.entry(triplet).or_insert(self.now);
                let waited = self.now.secs_since(first);
                if waited < delay {
                    // Postgrey's reply, through Postfix's check_policy_service.
                    return Err(reply(
                        451,
                        (4, 7, 1),
                        format!("<{rcpt}>: Recipient address rejected: Greylisted for {delay} seconds"),
                    ));
                }
            }
            return Ok(());
        }
        if info.authenticated.is_some() {
            // permit_sasl_authenticated: the server relays for its own logged-in users.
            return Ok(());
        }
        if self.host.relays_for_anyone(self.now) {
            // permit_mynetworks, with every address in mynetworks: an open relay.
            self.event(EventKind::Explain(Box::new(details::Explain {
                connection: None,
                rfc: "RFC 5321 7.1".into(),
                text: format!(
                    "{} relays for anyone: a stranger at {} who has not logged in may send to {}, which is not its domain. An open relay lets spammers hide behind it, and soon it is on every blocklist.",
                    self.host.name, info.peer.address, rcpt.domain
                ),
            })));
            return Ok(());
        }
        // reject_unauth_destination: Postfix's relay_domains_reject_code is 554.
        Err(reply(554, (5, 7, 1), format!("<{rcpt}>: Relay access denied")))
    }

    fn queue(&mut self, info: &SessionInfo, envelope: &Envelope, message: &[u8]) -> Result<String, Reply> {
        let mut letter: std::borrow::Cow<'_, [u8]> = message.into();
        if let Some(signed) = self.sign(info, message) {
            letter = signed.into();
        }
        if self.service == Service::Smtp && info.authenticated.is_none() && !self.host.checks.is_empty() {
            let checker = Checker { host: &self.host.name, checks: &self.host.checks, dns: self.dns, now: self.now };
            let message_id = message_id_in(&letter);
            letter = sender_checks::check(&checker, info, envelope, &letter, &message_id, self.events)?.into();
        }
        // Aliases and lists after the checks, which judge the letter as it arrived.
        let expanded = self.expand(envelope);
        let envelope = match &expanded {
            Some((expanded, footer)) => {
                if let Some(footer) = footer {
                    letter = with_footer(&letter, footer).into();
                }
                expanded
            }
            None => envelope,
        };
        let message = &letter[..];
        let id = self.host.next_queue_id();
        let for_recipient = match envelope.recipients.as_slice() {
            [only] => Some(only.address.to_string()),
            _ => None,
        };
        let field = self.received(info, &id, for_recipient);
        // RFC 5321 4.4: trace fields go on top; the message is copied once, with its field.
        let message = Message::from_bytes([field.as_bytes(), message].concat());
        let message_id = message_id_of(&message);
        self.event(EventKind::Queued(Box::new(details::Queued {
            host: self.host.name.clone(),
            queue_id: id.clone(),
            message_id: message_id.clone(),
            from: envelope.reverse_path.mailbox().map(|m| m.to_string()).unwrap_or_default(),
            to: envelope.recipients.iter().map(|r| r.address.to_string()).collect(),
        })));
        self.host.queue.insert(QueueEntry::new(id.clone(), envelope.clone(), message, message_id, self.now));
        self.queued.push(id.clone());
        Ok(id)
    }

    fn deliver_lmtp(&mut self, info: &SessionInfo, envelope: &Envelope, message: &[u8]) -> Vec<Result<(), Reply>> {
        let id = self.host.next_queue_id();
        let sender = envelope.reverse_path.mailbox().map(|m| m.to_string());
        envelope
            .recipients
            .iter()
            .map(|r| {
                let user = r.address.to_string();
                if self.host.full_mailboxes.iter().any(|u| u.eq_ignore_ascii_case(&user)) {
                    // Dovecot's quota plugin wording.
                    return Err(reply(552, (5, 2, 2), format!("<{user}> Quota exceeded (mailbox for user is full)")));
                }
                // RFC 5321 4.4: the delivering host adds Return-Path on top of its Received.
                let received = self.received(info, &id, Some(user.clone()));
                let return_path = return_path_field(sender.as_deref()).unwrap_or_default();
                let stored = Message::from_bytes([return_path.as_bytes(), received.as_bytes(), message].concat());
                let folder = self.folder_for(message);
                self.event(EventKind::Delivered(Box::new(details::Delivered {
                    host: self.host.name.clone(),
                    user: user.clone(),
                    folder: folder.into(),
                    message_id: message_id_of(&stored),
                    // Checked as UTF-8 and copied once; replaced characters only where it is not.
                    message: String::from_utf8(stored.as_bytes().to_vec())
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                })));
                if folder == "INBOX" {
                    self.host.store.deliver(&user, stored, self.now);
                } else {
                    // Every account has Junk from its creation (Dovecot's special-use folders).
                    let _ = self.host.store.append(&user, folder, stored, Default::default(), self.now);
                }
                Ok(())
            })
            .collect()
    }
}
