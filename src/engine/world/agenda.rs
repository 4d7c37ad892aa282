//! The simulator's agenda: tasks ordered by the moment they are due, and among tasks due at
//! the same moment, by the order they were scheduled, so that one scenario always runs the
//! same way. A binary heap: a simulation schedules and takes up millions of tasks, and all it
//! ever needs is the earliest one. The tasks known from the start (the scenario's actions and
//! faults, thousands of them) wait in a sorted list beside it, so that the heap holds only
//! what is under way.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use crate::engine::time::VirtualTime;

#[derive(Debug)]
pub(crate) struct Agenda<T> {
    heap: BinaryHeap<Entry<T>>,
    /// The tasks planned from the start, earliest first.
    planned: VecDeque<Entry<T>>,
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
    /// An agenda holding these tasks, as if scheduled one after the other in this order.
    pub(crate) fn planned(tasks: impl IntoIterator<Item = (VirtualTime, T)>) -> Self {
        let mut planned: Vec<Entry<T>> =
            tasks.into_iter().zip(1..).map(|((at, task), seq)| Entry { at, seq, task }).collect();
        planned.sort_by_key(Entry::key);
        let scheduled = planned.len() as u64;
        Agenda { heap: BinaryHeap::new(), planned: planned.into(), scheduled }
    }

    pub(crate) fn schedule(&mut self, at: VirtualTime, task: T) {
        self.scheduled += 1;
        self.heap.push(Entry { at, seq: self.scheduled, task });
    }

    /// The earliest task: whether it is a planned one, and when it is due.
    fn earliest(&self) -> Option<(bool, VirtualTime)> {
        match (self.planned.front(), self.heap.peek()) {
            (Some(p), Some(h)) if h.key() < p.key() => Some((false, h.at)),
            (Some(p), _) => Some((true, p.at)),
            (None, Some(h)) => Some((false, h.at)),
            (None, None) => None,
        }
    }

    /// When the earliest task is due.
    pub(crate) fn next_due(&self) -> Option<VirtualTime> {
        self.earliest().map(|(_, at)| at)
    }

    /// The earliest task, if it is due by `t`.
    pub(crate) fn take_due(&mut self, t: VirtualTime) -> Option<(VirtualTime, T)> {
        let (planned, at) = self.earliest()?;
        if at > t {
            return None;
        }
        let entry = if planned { self.planned.pop_front() } else { self.heap.pop() };
        entry.map(|e| (e.at, e.task))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_the_order_scheduled() {
        let mut agenda = Agenda::planned([]);
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

    #[test]
    fn planned_tasks_count_as_scheduled_first() {
        let mut agenda = Agenda::planned([(VirtualTime(5), "planned at 5"), (VirtualTime(1), "planned at 1")]);
        agenda.schedule(VirtualTime(5), "scheduled at 5");
        agenda.schedule(VirtualTime(0), "scheduled at 0");
        agenda.schedule(VirtualTime(1), "scheduled at 1");
        let mut order = Vec::new();
        while let Some((_, name)) = agenda.take_due(VirtualTime(u64::MAX)) {
            order.push(name);
        }
        assert_eq!(order, ["scheduled at 0", "planned at 1", "scheduled at 1", "planned at 5", "scheduled at 5"]);
    }
}
