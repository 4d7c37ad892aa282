//! A person's mail client fetching mail. Over POP3 it downloads what is new, then either
//! leaves it on the server or deletes it (the setting that decides whether a second device
//! will still see it); over IMAP it reads the mailbox where it stays, on the server.

use std::collections::BTreeSet;

use crate::engine::mail::Message;
use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::mail::store::SpecialUse;
use crate::engine::scenario::{Fetch, FetchAction, FetchRule, Service};
use crate::engine::trace::{details, EventKind, MailboxEntry};
use crate::engine::world::attempt::{Attempt, Job, Origin, Route};
use crate::engine::world::simulator::Simulator;

impl Simulator<'_> {
    pub(crate) fn fetch(&mut self, fetch: &Fetch) {
        // The scenario was validated: the device, user and server exist.
        let scenario = self.scenario.clone();
        let Some((user, server)) = scenario.fetch_target(fetch) else { return };
        let (Some(device), Some(server)) = (self.host_index(&fetch.device), self.host_index(&server.name)) else { return };
        let who = user.name.clone().unwrap_or_else(|| user.address.clone());
        let what = match (fetch.service.protocol(), fetch.delete_after_download) {
            (Service::Pop3, true) => "downloads over POP3 and deletes from the server",
            (Service::Pop3, false) => "downloads over POP3, leaving copies on the server",
            _ => "checks the mailbox over IMAP",
        };
        let what = if fetch.service.implicit_tls() { format!("{what}, inside TLS from the first byte (port {})", fetch.service.port()) } else { what.to_owned() };
        self.event(EventKind::Action(Box::new(details::Action { actor: self.scenario.hosts[device].label().to_owned(), text: format!("{who} {what}") })));
        let password = fetch.password.clone().unwrap_or_else(|| user.password.clone());
        let job = match fetch.service.protocol() {
            Service::Pop3 => {
                let mut config = pop3::ClientConfig::new(&user.address, &password);
                if fetch.service.implicit_tls() {
                    config.tls = pop3::TlsPolicy::Implicit;
                }
                config.delete_after_download = fetch.delete_after_download;
                config.seen_uidls = self.seen_uidls.get(&(device, user.address.clone())).cloned().unwrap_or_default();
                Job::Pop3(config)
            }
            Service::Imap => {
                let mut config = imap::ClientConfig::new(&user.address, &password);
                if fetch.service.implicit_tls() {
                    config.tls = imap::TlsPolicy::Implicit;
                }
                config.last_seen_uid = self.seen_imap_uid.get(&(device, user.address.clone())).copied().unwrap_or(0);
                // Reading a message on the device marks it seen on the server, for every device.
                config.peek = !fetch.read;
                config.rules = fetch.rules.iter().map(imap_rule).collect();
                Job::Imap(config)
            }
            _ => return self.fetch_unsupported(device, &user.address),
        };
        let origin = Origin::Fetch { user: user.address.clone() };
        self.start_attempt(Attempt::new(origin, device, job, fetch.service, Route::Direct(server)));
    }

    fn fetch_unsupported(&mut self, device: usize, user: &str) {
        let device = self.hosts[device].name.clone();
        let reason = "this mail client cannot speak that protocol".into();
        self.event(EventKind::FetchFailed(Box::new(details::FetchFailed { device, user: user.into(), reason })));
    }

    pub(crate) fn pop3_outcome(&mut self, d: usize, outcome: pop3::ClientOutcome) {
        let Some(attempt) = self.attempts.take(d) else { return };
        let Origin::Fetch { user } = attempt.origin else { return };
        let device = attempt.client_host;
        if let Some(failure) = outcome.failure {
            return self.fetch_failed(device, &user, &failure.text);
        }
        let seen: &mut BTreeSet<String> = self.seen_uidls.entry((device, user.clone())).or_default();
        seen.extend(outcome.downloaded.iter().map(|(uidl, _)| uidl.clone()));
        let message_ids = outcome.downloaded.iter().map(|(_, bytes)| message_id(bytes)).collect();
        self.event(EventKind::Fetched(Box::new(details::Fetched {
            device: self.hosts[device].name.clone(),
            user,
            service: Service::Pop3,
            message_ids,
            on_server: outcome.on_server,
            deleted: outcome.deleted.len(),
            mailbox: Vec::new(),
        })));
    }

    pub(crate) fn imap_outcome(
        &mut self,
        d: usize,
        server: usize,
        fetched: Vec<(u32, Vec<u8>)>,
        result: Result<(), String>,
        view: Option<imap::MailboxView>,
    ) {
        let Some(attempt) = self.attempts.take(d) else { return };
        let Origin::Fetch { user } = attempt.origin else { return };
        let device = attempt.client_host;
        if let Err(reason) = result {
            return self.fetch_failed(device, &user, &reason);
        }
        if let Some(highest) = fetched.iter().map(|(uid, _)| *uid).max() {
            let seen = self.seen_imap_uid.entry((device, user.clone())).or_default();
            *seen = (*seen).max(highest);
        }
        let on_server = self.hosts[server].store.status(&user, "INBOX").map(|s| s.messages).unwrap_or(0);
        // Old messages come back from flag sync as UID and flags only: the device remembers
        // their headers from earlier sessions, as a mail program's cache does.
        let cache = self.imap_headers.entry((device, user.clone())).or_default();
        let mailbox: Vec<MailboxEntry> = view
            .map(|v| v.messages)
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                let known = cache.entry(m.uid).or_default();
                if m.message_id.is_some() {
                    *known = (m.message_id.clone(), m.subject.clone());
                }
                MailboxEntry {
                    uid: m.uid,
                    flags: m.flags.iter().map(ToString::to_string).collect(),
                    message_id: m.message_id.or_else(|| known.0.clone()),
                    subject: m.subject.or_else(|| known.1.clone()),
                }
            })
            .collect();
        self.event(EventKind::Fetched(Box::new(details::Fetched {
            device: self.hosts[device].name.clone(),
            user,
            service: Service::Imap,
            message_ids: fetched.iter().map(|(_, bytes)| message_id(bytes)).collect(),
            on_server,
            deleted: 0,
            mailbox,
        })));
    }

    /// The fetch by this device has failed (its attempt has already ended).
    pub(crate) fn fetch_failed(&mut self, device: usize, user: &str, reason: &str) {
        let device = self.hosts[device].name.clone();
        self.event(EventKind::FetchFailed(Box::new(details::FetchFailed { device, user: user.into(), reason: reason.into() })));
    }
}

fn message_id(bytes: &[u8]) -> String {
    let message = Message::from_bytes(bytes.to_vec());
    message.header("Message-ID").map(|id| id.trim().to_owned()).unwrap_or_else(|| "(no Message-ID)".into())
}

/// A scenario's rule as the IMAP client carries it out.
fn imap_rule(rule: &FetchRule) -> imap::Rule {
    let matcher = match &rule.subject {
        Some(text) => imap::Matcher::SubjectContains(text.clone()),
        None => imap::Matcher::AllNew,
    };
    let action = match rule.action {
        FetchAction::Read => imap::Action::MarkSeen,
        FetchAction::Flag => imap::Action::Flag,
        FetchAction::Delete => imap::Action::Delete,
        FetchAction::Move => {
            let folder = rule.folder.clone().unwrap_or_default();
            let special = match folder.to_ascii_lowercase().as_str() {
                "trash" => Some(SpecialUse::Trash),
                "junk" => Some(SpecialUse::Junk),
                "sent" => Some(SpecialUse::Sent),
                "drafts" => Some(SpecialUse::Drafts),
                _ => None,
            };
            imap::Action::MoveTo(match special {
                Some(use_) => imap::FolderRef::SpecialUse(use_),
                None => imap::FolderRef::Name(folder),
            })
        }
    };
    imap::Rule::new(matcher, action)
}
