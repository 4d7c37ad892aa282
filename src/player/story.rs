//! Each letter's whole journey, for the summary at the last step: where it started, the hosts
//! it passed, where it ended (or why it came back), how long that took, which devices read
//! it. Gathered in one pass over the trace when the player is made, so the last step costs no
//! more than any other.

use std::collections::HashMap;

use crate::catalog::scene::{Fate, LetterName, Story};
use crate::catalog::duration;
use crate::engine::trace::{EventKind, Trace};
use crate::engine::time::VirtualTime;
use crate::player::{Cast, Place, Scene};

/// What the trace says of one letter (one Message-ID), host names as in the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journey {
    pub message_id: String,
    /// The subject of a person's letter; `None` for a notice (a bounce or delay warning).
    pub subject: Option<String>,
    /// The envelope recipients when it was first seen (a notice's: the original sender).
    pub to: Vec<String>,
    pub start: VirtualTime,
    /// The hosts it was on, in order, each once: the device, each queue, each mailbox host.
    pub path: Vec<String>,
    /// The event at which it reached each host of `path`.
    pub reached: Vec<usize>,
    /// `(user, host)` of each mailbox it reached, and when the last one was reached.
    pub delivered: Vec<(String, String)>,
    pub delivered_at: Option<VirtualTime>,
    /// Why it came back, and when.
    pub returned: Option<(String, VirtualTime)>,
    /// Why its own server would not take it.
    pub not_sent: Option<String>,
    /// The devices that fetched it.
    pub read_on: Vec<String>,
}

impl Journey {
    fn new(message_id: &str, subject: Option<String>, to: Vec<String>, start: VirtualTime) -> Journey {
        Journey {
            message_id: message_id.to_owned(),
            subject,
            to,
            start,
            path: Vec::new(),
            reached: Vec::new(),
            delivered: Vec::new(),
            delivered_at: None,
            returned: None,
            not_sent: None,
            read_on: Vec::new(),
        }
    }

    fn passed(&mut self, host: &str, event: usize) {
        if self.path.last().map(String::as_str) != Some(host) {
            self.path.push(host.to_owned());
            self.reached.push(event);
        }
    }

    /// The hosts it had reached once the first `n` events had happened.
    pub fn path_before(&self, n: usize) -> &[String] {
        &self.path[..self.reached.partition_point(|&e| e < n)]
    }

    /// The story in the catalog's words; `end` is the scene after the last event (a letter
    /// still queued there is waiting).
    pub fn story(&self, cast: &Cast, end: &Scene) -> Story {
        let name = match &self.subject {
            Some(subject) => LetterName::Letter { subject: subject.clone() },
            None => LetterName::Notice { to: self.to.join(", ") },
        };
        let since = |t: VirtualTime| duration(t.as_millis().saturating_sub(self.start.as_millis()));
        let waiting = end.letters.iter().find_map(|l| match &l.place {
            Place::Queue { host, .. } if l.message_id == self.message_id => Some(host.clone()),
            _ => None,
        });
        let fate = match (&self.returned, self.delivered_at, &self.not_sent, waiting) {
            (Some((reason, at)), _, _, _) => Fate::Returned { reason: reason.clone(), after: since(*at) },
            (None, Some(at), _, _) => Fate::Delivered {
                mailboxes: self.delivered.iter().map(|(user, host)| format!("{user}'s mailbox on {}", cast.host(host))).collect(),
                after: since(at),
            },
            (None, None, _, Some(host)) => Fate::Waiting { host: cast.host(&host) },
            (None, None, Some(reason), None) => Fate::NotSent { reason: reason.clone() },
            _ => Fate::Unknown,
        };
        Story {
            name,
            fate,
            path: self.path.iter().map(|h| cast.host(h)).collect(),
            read_on: self.read_on.iter().map(|h| cast.host(h)).collect(),
        }
    }
}

/// Every letter's journey, in the order the letters first appear.
pub fn journeys(trace: &Trace) -> Vec<Journey> {
    let mut out: Vec<Journey> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // (host, queue id) -> the letter, for bounces, which name only the queue entry.
    let mut queued: HashMap<(String, String), usize> = HashMap::new();
    for (at, event) in trace.events.iter().enumerate() {
        match &event.kind {
            EventKind::Composed(c) => {
                let i = *index.entry(c.message_id.clone()).or_insert_with(|| {
                    out.push(Journey::new(&c.message_id, Some(c.subject.clone()), c.to.clone(), event.at));
                    out.len() - 1
                });
                out[i].passed(&c.device, at);
            }
            EventKind::Queued(q) => {
                let i = *index.entry(q.message_id.clone()).or_insert_with(|| {
                    let subject = (!q.from.is_empty()).then(String::new);
                    out.push(Journey::new(&q.message_id, subject, q.to.clone(), event.at));
                    out.len() - 1
                });
                out[i].passed(&q.host, at);
                queued.insert((q.host.clone(), q.queue_id.clone()), i);
            }
            EventKind::Delivered(d) => {
                if let Some(&i) = index.get(&d.message_id) {
                    let j = &mut out[i];
                    j.passed(&d.host, at);
                    j.delivered.push((d.user.clone(), d.host.clone()));
                    j.delivered_at = Some(event.at);
                }
            }
            EventKind::Bounced(b) => {
                if let Some(&i) = queued.get(&(b.host.clone(), b.queue_id.clone())) {
                    out[i].returned.get_or_insert((b.reason.clone(), event.at));
                }
            }
            EventKind::NotSent(n) => {
                if let Some(&i) = index.get(&n.message_id) {
                    out[i].not_sent.get_or_insert(n.reason.clone());
                }
            }
            EventKind::Fetched(f) => {
                let ids = f.message_ids.iter().chain(f.mailbox.iter().filter_map(|m| m.message_id.as_ref()));
                for id in ids {
                    if let Some(&i) = index.get(id) {
                        if !out[i].read_on.contains(&f.device) {
                            out[i].read_on.push(f.device.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;

    fn stories(name: &str) -> Vec<String> {
        let scenario = preset(name).unwrap().scenario().unwrap();
        let trace = simulate(&scenario);
        let mut end = Scene::default();
        for e in &trace.events {
            end.apply(e);
        }
        let cast = Cast::of(&scenario);
        journeys(&trace).iter().map(|j| j.story(&cast, &end).say().text).collect()
    }

    #[test]
    fn the_first_letter_reaches_bob_through_every_office() {
        assert_eq!(
            stories("first-letter"),
            vec![
                "The letter \"Lunch on Friday?\" reached bob@southbay.test's mailbox on Southbay mailbox server after 406 ms, \
                 through Alice's laptop → Northwind SMTP server → Southbay MX → Southbay mailbox server. Read on Bob's laptop."
            ]
        );
    }

    #[test]
    fn an_unknown_user_means_the_letter_comes_back_and_the_bounce_is_a_letter_too() {
        let s = stories("unknown-user");
        assert!(s[0].contains("came back to its sender") && s[0].contains("5.1.1"), "{s:?}");
        assert!(s[1].starts_with("The notice to alice@northwind.test reached alice@northwind.test's mailbox"), "{s:?}");
    }

    #[test]
    fn a_letter_given_up_on_says_so_after_days() {
        let s = stories("gave-up");
        assert!(s[0].contains("came back to its sender after 5 days"), "{s:?}");
    }
}
