//! The queue manager of an MTA: it takes up each queued message, sends each recipient on its
//! way (LMTP to the mailbox host for its own domains, SMTP to the MX for the others), and
//! when an attempt ends decides: done, try again later (RFC 5321 4.5.4.1), warn the sender,
//! or give up and bounce.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::engine::mail::{Diagnosis, RecipientState};
use crate::engine::scenario::Service;
use crate::engine::smtp::{ClientConfig, Envelope};
use crate::engine::trace::{details, EventKind};
use crate::engine::world::attempt::{Attempt, Job, Origin, Route};
use crate::engine::world::simulator::{Simulator, Task};

/// What the sender is told about, when an attempt ends.
pub(crate) enum Notice {
    Failed,
    Delayed,
}

impl Simulator<'_> {
    pub(crate) fn queue_run(&mut self, host: usize, queue_id: &str) {
        let key = (host, queue_id.to_owned());
        if self.in_flight.contains_key(&key) {
            return;
        }
        // What the deliveries need; the message itself is copied once and shared by them.
        let Some(entry) = self.hosts[host].queue.get(queue_id) else { return };
        let (envelope, message, message_id, failures) =
            (entry.envelope.clone(), Rc::<[u8]>::from(entry.message.as_bytes()), entry.message_id.clone(), entry.failures);
        let open = entry.open_recipients();
        if open.is_empty() {
            return;
        }
        let first_attempt = failures == 0;
        if !first_attempt {
            let attempt = failures + 1;
            let name = self.hosts[host].name.clone();
            self.event(EventKind::Retry(Box::new(details::Retry { host: name, queue_id: queue_id.to_owned(), attempt })));
        }

        // Group the recipients by where they go next.
        let mut local: Vec<usize> = Vec::new();
        let mut remote: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in open {
            let domain = envelope.recipients[i].address.domain.to_ascii_lowercase();
            if self.hosts[host].serves_domain(&domain) {
                local.push(i);
            } else {
                remote.entry(domain).or_default().push(i);
            }
        }
        let me = self.hosts[host].name.clone();
        let mut deliveries = Vec::new();
        if !local.is_empty() {
            let mailbox_host = self.scenario.hosts[host].mailbox_host.as_deref().and_then(|n| self.host_index(n));
            match mailbox_host {
                Some(target) => {
                    if first_attempt {
                        self.explain(None, "RFC 2033", &format!(
                            "The recipient's domain is {me}'s own: no MX lookup and no relay. It hands the message to the mailbox server over LMTP."
                        ));
                    }
                    deliveries.push((local, Route::Direct(target), Service::Lmtp, ClientConfig::lmtp(&me)));
                }
                None => {
                    // Validation forbids this; fail loudly in the trace rather than lose mail.
                    for i in local {
                        if let Some(e) = self.hosts[host].queue.get_mut(queue_id) {
                            e.states[i] = RecipientState::Deferred(Diagnosis {
                                status: "4.3.5".into(),
                                remote_mta: None,
                                reply: None,
                                text: "mail system configuration error: no mailbox host".into(),
                            });
                        }
                    }
                }
            }
        }
        for (domain, recipients) in remote {
            if first_attempt {
                self.explain(None, "RFC 5321 5.1", &format!(
                    "{domain} is not {me}'s own domain: it looks up the domain's MX records in DNS and relays the message there on port 25."
                ));
            }
            deliveries.push((recipients, Route::Mx(domain), Service::Smtp, ClientConfig::relay(&me)));
        }
        if deliveries.is_empty() {
            self.in_flight.insert(key, 1);
            self.delivery_done(host, queue_id);
            return;
        }
        self.in_flight.insert(key, deliveries.len());
        for (recipients, route, service, config) in deliveries {
            let envelope = Envelope {
                recipients: recipients.iter().map(|&i| envelope.recipients[i].clone()).collect(),
                ..envelope.clone()
            };
            let job = Job::Send { config, envelope, message: Rc::clone(&message), message_id: message_id.clone() };
            let origin = Origin::Queue { host, queue_id: queue_id.to_owned(), recipients };
            self.start_attempt(Attempt::new(origin, host, job, service, route));
        }
    }

    /// One delivery of a queued message has ended; when the last one has, conclude.
    pub(crate) fn delivery_done(&mut self, host: usize, queue_id: &str) {
        let key = (host, queue_id.to_owned());
        let Some(left) = self.in_flight.get_mut(&key) else { return };
        *left -= 1;
        if *left == 0 {
            self.in_flight.remove(&key);
            self.conclude(host, queue_id);
        }
    }

    fn conclude(&mut self, host: usize, queue_id: &str) {
        let now = self.now;
        let retry = self.retry;
        let name = self.hosts[host].name.clone();
        let Some(entry) = self.hosts[host].queue.get_mut(queue_id) else { return };

        // Those refused for good: the sender hears of them now.
        let failed: Vec<usize> =
            (0..entry.states.len()).filter(|&i| matches!(entry.states[i], RecipientState::Failed(_))).collect();

        let open = entry.open_recipients();
        let mut expired = Vec::new();
        let mut warn = false;
        if !open.is_empty() {
            entry.failures += 1;
            if entry.age_secs(now) >= retry.lifetime {
                // Postfix's maximal_queue_lifetime: give up on what is still deferred.
                for &i in &open {
                    if let RecipientState::Deferred(why) = &entry.states[i] {
                        // 5.4.7 (RFC 3463 3.5): the delivery time has expired, and now for good.
                        entry.states[i] = RecipientState::Failed(Diagnosis {
                            status: "5.4.7".into(),
                            text: format!("message expired after {} in the queue; last problem: {}", span(retry.lifetime), why.text),
                            ..why.clone()
                        });
                    }
                }
                expired = open.clone();
            } else if retry.delay_warning.is_some_and(|w| entry.age_secs(now) >= w) && !entry.delay_warned {
                entry.delay_warned = true;
                warn = true;
            }
        }

        let all_failed: Vec<usize> = failed.iter().chain(&expired).copied().collect();
        if !all_failed.is_empty() {
            let reason = match &entry.states[all_failed[0]] {
                RecipientState::Failed(why) => why.text.clone(),
                _ => String::new(),
            };
            let recipients = all_failed.iter().map(|&i| entry.envelope.recipients[i].address.to_string()).collect();
            self.event(EventKind::Bounced(Box::new(details::Bounced { host: name.clone(), queue_id: queue_id.into(), recipients, reason })));
            self.notify_sender(host, queue_id, &all_failed, Notice::Failed);
            if let Some(entry) = self.hosts[host].queue.get_mut(queue_id) {
                for &i in &all_failed {
                    if let RecipientState::Failed(why) = &entry.states[i] {
                        entry.states[i] = RecipientState::Bounced(why.clone());
                    }
                }
            }
        }

        let Some(entry) = self.hosts[host].queue.get(queue_id) else { return };
        let open = entry.open_recipients();
        if open.is_empty() {
            self.event(EventKind::Removed(Box::new(details::Removed { host: name, queue_id: queue_id.into() })));
            self.hosts[host].queue.remove(queue_id);
            return;
        }
        let retry_at = retry.next_attempt(entry.arrival, now);
        let reason = match &entry.states[open[0]] {
            RecipientState::Deferred(why) => why.text.clone(),
            _ => String::new(),
        };
        let recipients = open.iter().map(|&i| entry.envelope.recipients[i].address.to_string()).collect();
        if entry.failures == 1 {
            let (least, most, scan) = (span(retry.first_retry), span(retry.max_retry), span(retry.queue_run_delay));
            self.explain(None, "RFC 5321 4.5.4.1", &format!(
                "The failure is temporary (a 4xx reply or no answer): the message stays in {name}'s queue and is tried again later. Like Postfix, {name} waits as long as the message has already been queued (at least {least}, at most {most}), then for its next look through the queue, every {scan}; so the waits grow. RFC 5321 asks only for at least 30 minutes between tries."
            ));
        }
        self.event(EventKind::Deferred(Box::new(details::Deferred { host: name, queue_id: queue_id.into(), recipients, reason, retry_at })));
        if warn {
            self.notify_sender(host, queue_id, &open, Notice::Delayed);
        }
        self.schedule_at(retry_at, Task::QueueRun { host, queue_id: queue_id.into() });
    }
}

/// A queue lifetime in words: whole days as Postfix's `maximal_queue_lifetime` usually is
/// (`5d`), else the largest unit that divides it.
fn span(secs: u64) -> String {
    let (n, unit) = match secs {
        s if s % 86_400 == 0 => (s / 86_400, "day"),
        s if s % 3600 == 0 => (s / 3600, "hour"),
        s if s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn a_lifetime_is_said_in_its_largest_whole_unit() {
        assert_eq!(span(5 * 86_400), "5 days");
        assert_eq!(span(86_400), "1 day");
        assert_eq!(span(4 * 3600), "4 hours");
        assert_eq!(span(90 * 60), "90 minutes");
        assert_eq!(span(61), "61 seconds");
    }
}
