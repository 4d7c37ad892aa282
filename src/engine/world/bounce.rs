//! Telling the sender: an MTA that cannot deliver writes a delivery status notification
//! (RFC 3464) from MAILER-DAEMON with the null reverse path, and queues it like any other
//! message (RFC 5321 6.1: "the SMTP server MUST send a notification"). A DSN never answers a
//! DSN: a bounce that fails goes to postmaster, and one to postmaster that fails is dropped.

use crate::engine::mail::{
    Action, DeliveryReport, DiagnosticCode, MessageKind, OriginalMessage, QueueEntry, RecipientState, RecipientStatus,
};
use crate::engine::smtp::{Envelope, Mailbox, Notify, Recipient, ReversePath};
use crate::engine::trace::{details, EventKind};
use crate::engine::world::queue_manager::Notice;
use crate::engine::world::simulator::{Simulator, Task};

impl Simulator<'_> {
    pub(crate) fn notify_sender(&mut self, host: usize, queue_id: &str, recipients: &[usize], notice: Notice) {
        let Some(entry) = self.hosts[host].queue.get(queue_id).cloned() else { return };
        let name = self.hosts[host].name.clone();
        // RFC 3461 4.1: NOTIFY says which notices a recipient's sender wants; without it,
        // failures are reported and delays at the MTA's discretion (this one reports them).
        let recipients: Vec<usize> = recipients
            .iter()
            .copied()
            .filter(|&i| match entry.envelope.recipients[i].notify {
                None => true,
                Some(Notify::Never) => false,
                Some(Notify::On { failure, delay, .. }) => match notice {
                    Notice::Failed => failure,
                    Notice::Delayed => delay,
                },
            })
            .collect();
        if recipients.is_empty() {
            self.explain(None, "RFC 3461 4.1", "The sender asked (NOTIFY) not to be told of this, so no notification is sent.");
            return;
        }
        let recipients = recipients.as_slice();
        let (to, kind) = match (&entry.envelope.reverse_path, entry.kind, &notice) {
            (ReversePath::Mailbox(sender), _, _) => (sender.to_string(), MessageKind::Bounce),
            // RFC 3461 5.2: no delay notices about a notification.
            (ReversePath::Null, _, Notice::Delayed) => return,
            (ReversePath::Null, MessageKind::DoubleBounce, Notice::Failed) => {
                self.explain(None, "RFC 5321 6.1", &format!(
                    "A notice to the postmaster could not be delivered either: {name} drops it rather than send mail round in circles."
                ));
                return;
            }
            (ReversePath::Null, _, Notice::Failed) => {
                let domain = self.hosts[host].domains.first().cloned().unwrap_or_else(|| name.clone());
                self.explain(None, "RFC 5321 6.1", &format!(
                    "The bounce itself could not be delivered, and a bounce has no sender to return to: it goes to the postmaster of {domain}."
                ));
                (format!("postmaster@{domain}"), MessageKind::DoubleBounce)
            }
        };
        if let Notice::Failed = notice {
            self.explain(None, "RFC 5321 6.1", &format!(
                "{name} cannot deliver the message, so it returns it to the sender: a delivery status notification from MAILER-DAEMON, sent with the empty sender <> so that it can never bounce back."
            ));
        }
        let report = self.report(host, &entry, recipients, &notice);
        let message = match report.compose_to(&to) {
            Ok(m) => m,
            Err(e) => {
                self.explain(None, "RFC 3464", &format!("The notification could not be written: {e}."));
                return;
            }
        };
        if let Notice::Delayed = notice {
            let delayed = recipients.iter().map(|&i| entry.envelope.recipients[i].address.to_string()).collect();
            self.event(EventKind::DelayWarning(Box::new(details::DelayWarning { host: name.clone(), queue_id: queue_id.into(), recipients: delayed })));
        }
        let Ok(rcpt) = Mailbox::parse(&to) else { return };
        let id = self.hosts[host].next_queue_id();
        let mut dsn = QueueEntry::new(
            id.clone(),
            Envelope::new(ReversePath::Null, vec![Recipient::new(rcpt)]),
            message,
            report.message_id.clone(),
            self.now,
        );
        dsn.kind = kind;
        self.event(EventKind::Queued(Box::new(details::Queued {
            host: name,
            queue_id: id.clone(),
            message_id: report.message_id.clone(),
            from: String::new(),
            to: vec![to],
        })));
        self.hosts[host].queue.insert(dsn);
        self.schedule_in(10, Task::QueueRun { host, queue_id: id });
    }

    fn report(&mut self, host: usize, entry: &QueueEntry, recipients: &[usize], notice: &Notice) -> DeliveryReport {
        let name = self.hosts[host].name.clone();
        let lifetime_end = entry.arrival.plus_secs(self.retry.lifetime);
        let statuses = recipients
            .iter()
            .filter_map(|&i| {
                let why = match &entry.states[i] {
                    RecipientState::Failed(why) | RecipientState::Deferred(why) | RecipientState::Bounced(why) => why,
                    _ => return None,
                };
                let rcpt = &entry.envelope.recipients[i];
                Some(RecipientStatus {
                    final_recipient: rcpt.address.to_string(),
                    original_recipient: rcpt.orcpt.clone(),
                    action: match notice {
                        Notice::Failed => Action::Failed,
                        Notice::Delayed => Action::Delayed,
                    },
                    status: why.status.parse().ok()?,
                    remote_mta: why.remote_mta.clone(),
                    diagnostic: Some(match &why.reply {
                        Some(reply) => DiagnosticCode::smtp(reply.clone()),
                        None => DiagnosticCode::local(why.text.clone()),
                    }),
                    // Who said it and to which command, as Postfix tells a person.
                    explanation: why.reply.is_some().then(|| why.text.clone()),
                    last_attempt: Some(self.now),
                    will_retry_until: matches!(notice, Notice::Delayed).then_some(lifetime_end),
                })
            })
            .collect();
        let message_id = self.new_message_id(&name);
        DeliveryReport {
            reporting_mta: name,
            message_id,
            date: self.now,
            original: OriginalMessage {
                message: entry.message.clone(),
                envelope_sender: entry.envelope.reverse_path.mailbox().map(|m| m.to_string()),
                arrival: entry.arrival,
                envid: entry.envelope.envid.clone(),
                // RFC 3461 4.3: headers only unless the sender asked for the full message.
                ret: entry.envelope.ret.unwrap_or_default(),
                queue_id: Some(entry.id.clone()),
            },
            recipients: statuses,
        }
    }
}
