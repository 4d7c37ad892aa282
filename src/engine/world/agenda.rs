//! The simulator's agenda: tasks ordered by the moment they are due, and among tasks due at
//! the same moment, by the order they were scheduled, so that one scenario always runs the
//! same way. A binary heap: a simulation schedules and takes up millions of tasks, and all it
//! ever needs is the earliest one.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::engine::world::clock::VirtualTime;

#[derive(Debug)]
pub(crate) struct Agenda<T> {
    heap: BinaryHeap<Entry<T>>,
    /// How many tasks were ever scheduled: the tie-breaker between tasks due together.
    scheduled: u64,
}

#[derive(Debug)]
struct Entry<T> {
    at: VirtualTime,
    seq: u64,
    task: T,
}

impl<T> Entry<T> {
    fn key(&self) -> (VirtualTime, u64) {
        (self.at, self.seq)
    }
}

// `BinaryHeap` pops the greatest entry, so the earliest is made the greatest. Entries never
// share a sequence number, so the key alone decides.
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<T> Eq for Entry<T> {}

impl<T> Agenda<T> {
    pub(crate) fn new() -> Self {
        Agenda { heap: BinaryHeap::new(), scheduled: 0 }
    }

    pub(crate) fn schedule(&mut self, at: VirtualTime, task: T) {
        self.scheduled += 1;
        self.heap.push(Entry { at, seq: self.scheduled, task });
    }

    /// When the earliest task is due.
    pub(crate) fn next_due(&self) -> Option<VirtualTime> {
        self.heap.peek().map(|e| e.at)
    }

    /// The earliest task, if it is due by `t`.
    pub(crate) fn take_due(&mut self, t: VirtualTime) -> Option<(VirtualTime, T)> {
        if self.next_due()? > t {
            return None;
        }
        self.heap.pop().map(|e| (e.at, e.task))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_the_order_scheduled() {
        let mut agenda = Agenda::new();
        for (at, name) in [(5, "c"), (1, "a"), (5, "d"), (1, "b"), (9, "e")] {
            agenda.schedule(VirtualTime(at), name);
        }
        assert_eq!(agenda.next_due(), Some(VirtualTime(1)));
        assert_eq!(agenda.take_due(VirtualTime(0)), None, "nothing is due yet");
        let mut order = Vec::new();
        while let Some((_, name)) = agenda.take_due(VirtualTime(5)) {
            order.push(name);
        }
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert_eq!(agenda.take_due(VirtualTime(u64::MAX)), Some((VirtualTime(9), "e")));
        assert_eq!(agenda.next_due(), None);
    }
}
