//! A person's mail client fetching mail. Over POP3 it downloads what is new, then either
//! leaves it on the server or deletes it (the setting that decides whether a second device
//! will still see it); over IMAP it reads the mailbox where it stays, on the server.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::engine::mail::Message;
use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::scenario::{Fetch, Service};
use crate::engine::trace::EventKind;
use crate::engine::world::attempt::{Attempt, Job, Origin, Route};
use crate::engine::world::simulator::Simulator;

impl Simulator<'_> {
    pub(crate) fn fetch(&mut self, fetch: &Fetch) {
        // The scenario was validated: the device, user and server exist.
        let scenario = Rc::clone(&self.scenario);
        let Some((user, server)) = scenario.fetch_target(fetch) else { return };
        let (Some(device), Some(server)) = (self.host_index(&fetch.device), self.host_index(&server.name)) else { return };
        let who = user.name.clone().unwrap_or_else(|| user.address.clone());
        let what = match (fetch.service, fetch.delete_after_download) {
            (Service::Pop3, true) => "downloads over POP3 and deletes from the server",
            (Service::Pop3, false) => "downloads over POP3, leaving copies on the server",
            _ => "checks the mailbox over IMAP",
        };
        self.event(EventKind::Action { actor: self.scenario.hosts[device].label().to_owned(), text: format!("{who} {what}") });
        let password = fetch.password.clone().unwrap_or_else(|| user.password.clone());
        let job = match fetch.service {
            Service::Pop3 => {
                let mut config = pop3::ClientConfig::new(&user.address, &password);
                config.delete_after_download = fetch.delete_after_download;
                config.seen_uidls = self.seen_uidls.get(&(device, user.address.clone())).cloned().unwrap_or_default();
                Job::Pop3(config)
            }
            Service::Imap => {
                let mut config = imap::ClientConfig::new(&user.address, &password);
                config.last_seen_uid = self.seen_imap_uid.get(&(device, user.address.clone())).copied().unwrap_or(0);
                // Reading a message on the device marks it seen on the server, for every device.
                config.peek = false;
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
        self.event(EventKind::FetchFailed { device, user: user.into(), reason });
    }

    pub(crate) fn pop3_outcome(&mut self, d: usize, outcome: pop3::ClientOutcome) {
        if self.attempts[d].finished {
            return;
        }
        self.attempts[d].finished = true;
        let Origin::Fetch { user } = self.attempts[d].origin.clone() else { return };
        let device = self.attempts[d].client_host;
        if let Some(failure) = outcome.failure {
            return self.fetch_failed(d, &user, &failure.text);
        }
        let seen: &mut BTreeSet<String> = self.seen_uidls.entry((device, user.clone())).or_default();
        seen.extend(outcome.downloaded.iter().map(|(uidl, _)| uidl.clone()));
        let message_ids = outcome.downloaded.iter().map(|(_, bytes)| message_id(bytes)).collect();
        self.event(EventKind::Fetched {
            device: self.hosts[device].name.clone(),
            user,
            service: "pop3".into(),
            message_ids,
            on_server: outcome.on_server,
            deleted: outcome.deleted.len(),
        });
    }

    pub(crate) fn imap_outcome(&mut self, d: usize, server: usize, fetched: Vec<(u32, Vec<u8>)>, result: Result<(), String>) {
        if self.attempts[d].finished {
            return;
        }
        self.attempts[d].finished = true;
        let Origin::Fetch { user } = self.attempts[d].origin.clone() else { return };
        let device = self.attempts[d].client_host;
        if let Err(reason) = result {
            return self.fetch_failed(d, &user, &reason);
        }
        if let Some(highest) = fetched.iter().map(|(uid, _)| *uid).max() {
            let seen = self.seen_imap_uid.entry((device, user.clone())).or_default();
            *seen = (*seen).max(highest);
        }
        let on_server = self.hosts[server].store.status(&user, "INBOX").map(|s| s.messages as usize).unwrap_or(0);
        self.event(EventKind::Fetched {
            device: self.hosts[device].name.clone(),
            user,
            service: "imap".into(),
            message_ids: fetched.iter().map(|(_, bytes)| message_id(bytes)).collect(),
            on_server,
            deleted: 0,
        });
    }

    pub(crate) fn fetch_failed(&mut self, d: usize, user: &str, reason: &str) {
        self.attempts[d].finished = true;
        let device = self.hosts[self.attempts[d].client_host].name.clone();
        self.event(EventKind::FetchFailed { device, user: user.into(), reason: reason.into() });
    }
}

fn message_id(bytes: &[u8]) -> String {
    let message = Message::from_bytes(bytes.to_vec());
    message.header("Message-ID").map(|id| id.trim().to_owned()).unwrap_or_else(|| "(no Message-ID)".into())
}
