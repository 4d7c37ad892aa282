//! The mail user agent on a person's device: it writes the message the scenario describes
//! and submits it to the server it is set up to use (RFC 6409), logging in unless told not to.

use crate::engine::mail::{Attachment, DateTime, Draft, Mailbox as HeaderMailbox};
use crate::engine::scenario::{domain_of, Send, Service};
use crate::engine::smtp::{
    AuthMechanism, ClientConfig, Credentials, Envelope, Mailbox, Recipient, ReversePath, TlsPolicy,
};
use crate::engine::trace::{details, EventKind};
use crate::engine::world::attempt::{Attempt, Job, Origin, Route};
use crate::engine::world::simulator::Simulator;

impl Simulator<'_> {
    /// A new Message-ID: the time, a serial number and the sender's domain (RFC 5322 3.6.4
    /// asks for a unique left part and a domain on the right).
    pub(crate) fn new_message_id(&mut self, domain: &str) -> String {
        self.message_serial += 1;
        let t = DateTime::from_virtual_time(self.now);
        format!(
            "<{:04}{:02}{:02}{:02}{:02}{:02}.{:06X}@{domain}>",
            t.year, t.month, t.day, t.hour, t.minute, t.second, self.message_serial
        )
    }

    pub(crate) fn action(&mut self, i: usize) {
        let scenario = self.scenario.clone();
        let action = &scenario.actions[i];
        if let Some(send) = &action.send {
            self.send(send);
        } else if let Some(fetch) = &action.fetch {
            self.fetch(fetch);
        } else if let Some(probe) = &action.probe {
            self.probe(probe);
        }
    }

    pub(crate) fn send(&mut self, send: &Send) {
        // The scenario was validated: the device, the server and the addresses exist.
        let Some(device) = self.host_index(&send.device) else { return };
        let server_name = send.server.clone().or_else(|| self.scenario.hosts[device].submits_to.clone()).unwrap_or_default();
        let Some(server) = self.host_index(&server_name) else { return };
        let service = send.service.unwrap_or(Service::Submission);
        let user = self.scenario.user(&send.from);
        let named = user.and_then(|u| u.name.clone()).unwrap_or_else(|| send.from.clone());
        // Who is at the keyboard: the device's owner, who may write as someone else; on a
        // machine of no one's, a stranger writing as one of the scenario's users.
        let owner = self.scenario.hosts[device].device_of.as_deref();
        let (author, posing) = match owner {
            Some(o) if !o.eq_ignore_ascii_case(&send.from) => {
                let who = self.scenario.user(o).and_then(|u| u.name.clone()).unwrap_or_else(|| o.to_owned());
                (who, format!(", writing as {}", send.from))
            }
            None if user.is_some() => ("Someone".to_owned(), format!(", writing as {named} <{}>", send.from)),
            _ => (named, String::new()),
        };
        let recipients: Vec<String> = send.recipients().cloned().collect();
        self.event(EventKind::Action(Box::new(details::Action {
            actor: self.scenario.hosts[device].label().to_owned(),
            text: match send.bcc.as_slice() {
                [] => format!("{author} sends {:?} to {}{posing}", send.subject, recipients.join(", ")),
                bcc => format!(
                    "{author} sends {:?} to {}, and a blind copy (Bcc) to {}{posing}",
                    send.subject,
                    send.to.iter().chain(&send.cc).cloned().collect::<Vec<_>>().join(", "),
                    bcc.join(", ")
                ),
            },
        })));

        let message_id = self.new_message_id(domain_of(&send.from));
        self.event(EventKind::Composed(Box::new(details::Composed {
            device: self.hosts[device].name.clone(),
            message_id: message_id.clone(),
            from: send.from.clone(),
            to: recipients.clone(),
            bcc: send.bcc.clone(),
            subject: send.subject.clone(),
        })));
        let named = |address: &str| match self.scenario.user(address).and_then(|u| u.name.clone()) {
            Some(name) => HeaderMailbox::with_name(name, address),
            None => HeaderMailbox::new(address),
        };
        let mut draft = Draft::new(named(&send.from), message_id.clone(), self.now);
        draft.to = send.to.iter().map(|a| named(a)).collect();
        draft.cc = send.cc.iter().map(|a| named(a)).collect();
        // RFC 5322 3.6.3: the Bcc recipients go in the envelope only; no header names them.
        draft.subject = send.subject.clone();
        draft.body = send.body.clone();
        draft.attachment = send.attachment.as_ref().map(|a| Attachment {
            file_name: a.filename.clone(),
            content_type: a.content_type.clone(),
            content: a.content.clone().into_bytes(),
        });
        let message: Vec<u8> = match draft.compose() {
            // The program's own fields go on top, as a forger's tool writes them.
            Ok(m) => send.headers.iter().flat_map(|h| [h.as_bytes(), b"\r\n"].concat()).chain(m.into_bytes()).collect(),
            Err(e) => return self.not_sent(device, message_id, recipients, format!("the message could not be written: {e}")),
        };
        let reverse_path = match Mailbox::parse(&send.from) {
            Ok(m) => ReversePath::Mailbox(m),
            Err(e) => return self.not_sent(device, message_id, recipients, format!("bad sender address: {e}")),
        };
        let mut rcpts = Vec::new();
        for r in &recipients {
            match Mailbox::parse(r) {
                Ok(m) => rcpts.push(Recipient::new(m)),
                Err(e) => {
                    let reason = format!("bad recipient address {r}: {e}");
                    return self.not_sent(device, message_id, recipients, reason);
                }
            }
        }

        let helo = self.hosts[device].name.clone();
        let mut config = ClientConfig::relay(&helo);
        config.tls = match service {
            Service::Submissions => TlsPolicy::Implicit,
            Service::Submission => TlsPolicy::Required,
            _ => TlsPolicy::Opportunistic,
        };
        // A mail client sends one command at a time and waits: what most do, and what makes
        // the handshake easiest to follow.
        config.pipelining = false;
        if send.auth {
            let login = send.login.as_deref().unwrap_or(&send.from);
            if let Some(user) = self.scenario.user(login) {
                config.credentials = Some(Credentials {
                    username: user.address.clone(),
                    password: send.password.clone().unwrap_or_else(|| user.password.clone()),
                    mechanism: AuthMechanism::Plain,
                });
            }
        }
        let job = Job::Send { config, envelope: Envelope::new(reverse_path, rcpts), message: message.into(), message_id: message_id.clone() };
        self.start_attempt(Attempt::new(Origin::Device { message_id }, device, job, service, Route::Direct(server)));
    }

    fn not_sent(&mut self, device: usize, message_id: String, recipients: Vec<String>, reason: String) {
        let device = self.hosts[device].name.clone();
        self.event(EventKind::NotSent(Box::new(details::NotSent { device, message_id, recipients, reason })));
    }
}
