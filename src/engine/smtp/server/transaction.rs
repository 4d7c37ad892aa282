//! The mail transaction (RFC 5321 3.3): MAIL FROM, RCPT TO, DATA and the end of data, where
//! the message changes hands.

use super::{replies, Mta, Phase, ServerSession};
use crate::engine::smtp::command::{Body, MailParameters};
use crate::engine::smtp::dot::DataReceiver;
use crate::engine::smtp::{Envelope, Recipient, ReversePath};

/// The mail transaction begun by MAIL FROM (RFC 5321 3.3).
#[derive(Debug)]
pub(super) struct Transaction {
    pub(super) reverse_path: ReversePath,
    pub(super) params: MailParameters,
    pub(super) recipients: Vec<Recipient>,
}

impl ServerSession {
    pub(super) fn mail(&mut self, from: ReversePath, params: MailParameters, mta: &mut (impl Mta + ?Sized)) {
        if self.info.helo_name.is_none() {
            return self.out_of_sequence(replies::need_helo(self.lmtp()));
        }
        if self.transaction.is_some() {
            return self.out_of_sequence(replies::nested_mail());
        }
        if self.config.require_auth && self.info.authenticated.is_none() {
            self.send(replies::auth_required());
            return self.explain(
                "RFC 4954 6",
                "This server only takes mail from users who logged in with AUTH first.",
            );
        }
        if params
            .size
            .is_some_and(|s| s > self.config.max_message_size)
        {
            self.send(replies::message_too_big());
            return self.explain(
                "RFC 1870 6",
                "The declared SIZE is larger than this server accepts.",
            );
        }
        match mta.check_sender(&self.info, &from) {
            Err(reply) => self.send(reply),
            Ok(()) => {
                self.transaction = Some(Transaction {
                    reverse_path: from,
                    params,
                    recipients: Vec::new(),
                });
                self.send(replies::sender_ok());
            }
        }
    }

    pub(super) fn rcpt(&mut self, recipient: Recipient, mta: &mut (impl Mta + ?Sized)) {
        let Some(count) = self.transaction.as_ref().map(|t| t.recipients.len()) else {
            return self.out_of_sequence(replies::need_mail());
        };
        if count >= self.config.max_recipients {
            self.send(replies::too_many_recipients());
            return self.explain(
                "RFC 5321 4.5.3.1.10",
                "Too many recipients for one transaction: the client sends the rest in another one.",
            );
        }
        match mta.check_recipient(&self.info, &recipient.address) {
            Err(reply) => self.send(reply),
            Ok(()) => {
                if let Some(t) = self.transaction.as_mut() {
                    t.recipients.push(recipient);
                }
                self.send(replies::recipient_ok());
            }
        }
    }

    pub(super) fn data(&mut self) {
        match &self.transaction {
            None => self.out_of_sequence(replies::need_rcpt()),
            Some(t) if t.recipients.is_empty() => {
                self.send(replies::no_valid_recipients());
                self.explain(
                    "RFC 5321 3.3",
                    "DATA needs at least one accepted recipient.",
                );
            }
            Some(_) => {
                self.transmit(replies::start_data().to_wire());
                self.phase = Phase::Data(DataReceiver::new(self.config.max_message_size));
            }
        }
    }

    /// After `<CRLF>.<CRLF>`: hand the message to the host, then answer (SMTP: one reply;
    /// LMTP: one per accepted recipient, RFC 2033 4.2).
    pub(super) fn end_of_data(&mut self, rx: DataReceiver, mta: &mut (impl Mta + ?Sized)) {
        let Some(t) = self.transaction.take() else {
            return;
        };
        if rx.longest_line() > self.config.text_line_limit {
            self.explain("RFC 5321 4.5.3.1.6", "A line of the message is longer than 1000 octets; like Postfix, the server accepts it anyway.");
        }
        let count = t.recipients.len();
        if rx.exceeded() {
            self.explain(
                "RFC 1870 6",
                "The message is larger than this server accepts.",
            );
            for _ in 0..if self.lmtp() { count } else { 1 } {
                self.send(replies::message_too_big());
            }
            return;
        }
        let envelope = Envelope {
            reverse_path: t.reverse_path,
            ret: t.params.ret,
            envid: t.params.envid,
            size: t.params.size,
            body_8bit: t.params.body == Some(Body::EightBitMime),
            recipients: t.recipients,
        };
        let message = rx.into_message();
        if self.lmtp() {
            let results = mta.deliver_lmtp(&self.info, &envelope, &message);
            for (i, rcpt) in envelope.recipients.iter().enumerate() {
                let reply = match results.get(i) {
                    Some(Ok(())) => {
                        self.messages_accepted = self.messages_accepted.saturating_add(1);
                        replies::lmtp_saved(&rcpt.address)
                    }
                    Some(Err(reply)) => reply.clone(),
                    None => replies::lmtp_missing_result(&rcpt.address),
                };
                self.send(reply);
            }
            return;
        }
        match mta.queue(&self.info, &envelope, &message) {
            Ok(id) => {
                self.messages_accepted = self.messages_accepted.saturating_add(1);
                // Postfix forgets the client's errors once it has taken a message from it
                // (common_post_message_handling): a sender with typos is not a prober.
                self.errors = 0;
                self.send(replies::queued(&id));
                self.explain("RFC 5321 6.1", "With this 250 the server takes responsibility: it must deliver the message or bounce it.");
            }
            Err(reply) => self.send(reply),
        }
    }
}
