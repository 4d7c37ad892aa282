//! An MTA's mail queue: the messages it has taken responsibility for and has not finished
//! with, each recipient with its own state (RFC 5321 4.5.4.1: retry, and give up only after
//! a long time).

use std::collections::BTreeMap;

use crate::engine::smtp::Envelope;
use crate::engine::time::VirtualTime;

use super::message::Message;

/// How long to wait between attempts and when to give up, in seconds, with Postfix's names
/// for them in the comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetrySchedule {
    /// `minimal_backoff_time`: the shortest wait after a failed attempt.
    pub first_retry: u64,
    /// `maximal_backoff_time`: the longest.
    pub max_retry: u64,
    /// `queue_run_delay`: how often the queue manager looks through the deferred queue;
    /// a message is tried again at the first look after its wait is over.
    pub queue_run_delay: u64,
    /// `maximal_queue_lifetime`.
    pub lifetime: u64,
    /// `delay_warning_time`.
    pub delay_warning: Option<u64>,
}

impl RetrySchedule {
    /// When a message that arrived at `arrival` and failed (for now) at `now` is tried
    /// again, as Postfix's queue manager decides it (`qmgr_active_defer`): it waits as long
    /// as it has been queued, at least `first_retry` and at most `max_retry`, so the waits
    /// grow with its age; and it leaves the deferred queue at the first scan, every
    /// `queue_run_delay` since the host started, after that. RFC 5321 4.5.4.1 asks only
    /// for at least 30 minutes between tries; the growth is Postfix's.
    pub fn next_attempt(&self, arrival: VirtualTime, now: VirtualTime) -> VirtualTime {
        let age = now.secs_since(arrival);
        let wait = age.clamp(self.first_retry, self.max_retry.max(self.first_retry));
        let due = now.plus_secs(wait);
        let scan = self.queue_run_delay.saturating_mul(1000);
        if scan == 0 {
            return due;
        }
        VirtualTime(due.0.div_ceil(scan).saturating_mul(scan))
    }
}

/// Why a delivery attempt failed for a recipient, in the words a DSN and a log need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// RFC 3463 status, `4.4.1` or `5.1.1`.
    pub status: String,
    /// The host whose reply this was, when a server answered.
    pub remote_mta: Option<String>,
    /// The server's reply on one line (`550 5.1.1 <...>: ...`), when a server answered.
    pub reply: Option<String>,
    /// The whole story on one line, as Postfix logs it: `host mx.southbay.test[198.51.100.25]
    /// said: 550 5.1.1 ... (in reply to RCPT TO command)` or `connect to ...: Connection timed out`.
    pub text: String,
}

impl Diagnosis {
    pub fn is_permanent(&self) -> bool {
        self.status.starts_with('5')
    }
}

/// Where one recipient of a queued message stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientState {
    /// Not yet delivered; to be tried (again).
    Pending,
    /// The last attempt failed for now.
    Deferred(Diagnosis),
    /// Handed to the next host, or delivered.
    Done,
    /// Failed for good in the attempt under way; the sender is told when it ends.
    Failed(Diagnosis),
    /// Given up on, and the sender told.
    Bounced(Diagnosis),
}

/// What a queued message is, which decides who hears of its failure (RFC 3461 5.2: a DSN
/// is never sent about a DSN; RFC 5321 4.5.5: a bounce that fails goes to postmaster).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// Ordinary mail: failures go back to its sender.
    Mail,
    /// A DSN to a sender: if it fails, postmaster is told.
    Bounce,
    /// A DSN to postmaster about a failed bounce: if it fails, it is dropped.
    DoubleBounce,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub id: String,
    pub envelope: Envelope,
    pub message: Message,
    /// The Message-ID, to follow one letter through the trace.
    pub message_id: String,
    pub arrival: VirtualTime,
    /// One per envelope recipient, in envelope order.
    pub states: Vec<RecipientState>,
    /// Attempts that failed for at least one recipient.
    pub failures: u32,
    pub delay_warned: bool,
    pub kind: MessageKind,
}

impl QueueEntry {
    pub fn new(id: String, envelope: Envelope, message: Message, message_id: String, arrival: VirtualTime) -> Self {
        let states = vec![RecipientState::Pending; envelope.recipients.len()];
        QueueEntry { id, envelope, message, message_id, arrival, states, failures: 0, delay_warned: false, kind: MessageKind::Mail }
    }

    /// Recipients still to be delivered (pending or deferred), by index.
    pub fn open_recipients(&self) -> Vec<usize> {
        (0..self.states.len())
            .filter(|&i| matches!(self.states[i], RecipientState::Pending | RecipientState::Deferred(_)))
            .collect()
    }

    pub fn is_finished(&self) -> bool {
        self.open_recipients().is_empty()
    }

    /// Age in whole seconds.
    pub fn age_secs(&self, now: VirtualTime) -> u64 {
        now.secs_since(self.arrival)
    }
}

/// The queue of one host, by queue id (so iteration order is deterministic).
#[derive(Debug, Clone, Default)]
pub struct Queue {
    entries: BTreeMap<String, QueueEntry>,
}

impl Queue {
    pub fn insert(&mut self, entry: QueueEntry) {
        self.entries.insert(entry.id.clone(), entry);
    }

    pub fn get(&self, id: &str) -> Option<&QueueEntry> {
        self.entries.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut QueueEntry> {
        self.entries.get_mut(id)
    }

    pub fn remove(&mut self, id: &str) -> Option<QueueEntry> {
        self.entries.remove(id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> impl Iterator<Item = &QueueEntry> {
        self.entries.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_the_age_and_waits_for_the_next_scan() {
        let s = RetrySchedule { first_retry: 300, max_retry: 4000, queue_run_delay: 300, lifetime: 432_000, delay_warning: None };
        let arrival = VirtualTime::ZERO.plus_millis(126);
        // Postfix's schedule for mail that keeps failing: each try at the first scan after
        // a wait as long as the message's age, between 300 s and 4000 s.
        let mut now = arrival;
        let mut tries = Vec::new();
        for _ in 0..7 {
            now = s.next_attempt(arrival, now);
            tries.push(now.0 / 1000);
        }
        assert_eq!(tries, [600, 1200, 2400, 4800, 9000, 13_200, 17_400]);
        // Without scans (a queue_run_delay of 0) the wait alone counts.
        let direct = RetrySchedule { queue_run_delay: 0, ..s };
        assert_eq!(direct.next_attempt(arrival, arrival), arrival.plus_secs(300));
        assert_eq!(direct.next_attempt(VirtualTime::ZERO, VirtualTime::from_secs(10_000)), VirtualTime::from_secs(14_000));
    }
}
