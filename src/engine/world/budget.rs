//! The simulator's budget: how much trace one run may make before it stops. A scenario within
//! its bounds (`scenario::bounds`) can still ask for more than a browser tab holds: a hundred
//! letters to a host that is down, retried every minute for a month, make tens of millions of
//! events. The run stops at the budget instead, records that it did (`EventKind::Halted`), and
//! everything until then can be played as usual.
//!
//! The two limits are what a tab on a school laptop can take, in memory and in waiting. At the
//! budget (a month of retries, stopped at a quarter of a million events) the app holds 103 MiB
//! of wasm memory and draws the journey 2.5 s after the link is opened, against 0.7 s for the
//! first preset (docs/BENCHMARKS.md); a million events took 5.6 s. Lines are counted apart
//! because a long letter makes few events of many bytes. The largest preset (gave-up, 1,344
//! events) uses 0.5 % of the budget; a teacher's busy day of 1,500 letters with faults fits.

use crate::engine::trace::{details, Event, EventKind};

/// What one run may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Events in the trace.
    pub events: usize,
    /// Bytes of the lines' text in the trace (what grows with long messages).
    pub line_bytes: usize,
}

impl Budget {
    /// For every simulation the app and the command line run.
    pub const TAB: Budget = Budget { events: 250_000, line_bytes: 32 * 1024 * 1024 };
    /// The engine benchmark measures throughput over a whole busy day
    /// (`scenario::workloads::busy_day`, 1.47 million events), more than a browser tab's
    /// budget: it runs within this one.
    pub const BUSY_DAY: Budget = Budget { events: 2_000_000, line_bytes: 256 * 1024 * 1024 };
}

/// What a run has made so far, counted as events are added, so that the check costs nothing
/// per event: only the events since the last count are looked at.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spent {
    counted: usize,
    line_bytes: usize,
}

impl Spent {
    /// Count the events added since the last call; the limit that is now passed, if any.
    pub(crate) fn count(&mut self, events: &[Event], budget: Budget) -> Option<details::Limit> {
        for event in events.get(self.counted..).unwrap_or_default() {
            if let EventKind::Line { text, .. } = &event.kind {
                self.line_bytes += text.len();
            }
        }
        self.counted = events.len();
        if self.counted > budget.events {
            Some(details::Limit::Events(budget.events))
        } else if self.line_bytes > budget.line_bytes {
            Some(details::Limit::LineBytes(budget.line_bytes))
        } else {
            None
        }
    }
}
