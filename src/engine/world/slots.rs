//! What is under way, by number: attempts and simulated connections. A number is never given
//! twice, and a slot is let go as soon as its work ends, so a world that runs for days (the live
//! lab serving a class) holds only what is under way, however many came before. Tasks on the
//! agenda name their attempt or connection by number and find nothing once it has ended.
//!
//! The slots from the oldest one still under way to the newest, in a ring: looking one up is an
//! index (the simulator does it for every line), and the ended ones at the front are dropped.
//! Attempts and connections end within minutes of virtual time, so the ring stays short.

use std::collections::VecDeque;

#[derive(Debug)]
pub(crate) struct Slots<T> {
    ring: VecDeque<Option<T>>,
    /// The number of the ring's first slot.
    first: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots { ring: VecDeque::new(), first: 0 }
    }
}

impl<T> Slots<T> {
    /// Keep `value` under a new number, which is returned.
    pub(crate) fn insert(&mut self, value: T) -> usize {
        self.ring.push_back(Some(value));
        self.first + self.ring.len() - 1
    }

    pub(crate) fn get(&self, n: usize) -> Option<&T> {
        self.ring.get(n.checked_sub(self.first)?)?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, n: usize) -> Option<&mut T> {
        self.ring.get_mut(n.checked_sub(self.first)?)?.as_mut()
    }

    /// End it: what it held is handed back and its slot let go.
    pub(crate) fn take(&mut self, n: usize) -> Option<T> {
        let value = self.ring.get_mut(n.checked_sub(self.first)?)?.take();
        while let Some(None) = self.ring.front() {
            self.ring.pop_front();
            self.first += 1;
        }
        value
    }

    /// How many slots are held: from the oldest under way to the newest.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.ring.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_never_reused_and_ended_slots_are_let_go() {
        let mut slots = Slots::default();
        let a = slots.insert("a");
        let b = slots.insert("b");
        assert_eq!(slots.take(a), Some("a"));
        let c = slots.insert("c");
        assert!(a != c && b != c);
        assert_eq!((slots.get(a), slots.get(b), slots.get(c)), (None, Some(&"b"), Some(&"c")));
        assert_eq!(slots.held(), 2);
        assert_eq!(slots.take(b), Some("b"));
        assert_eq!(slots.take(c), Some("c"));
        assert_eq!((slots.held(), slots.get(c)), (0, None));
        assert_eq!(slots.insert("d"), 3);
    }
}
