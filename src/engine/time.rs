//! Virtual time. Every event of a simulation is stamped with it; nothing reads the wall clock,
//! so one scenario always gives one trace (invariant 2 of ARCHITECTURE.md). A leaf: the
//! protocols, the mail formats and the trace all use it, and it uses none of them.

use serde::{Deserialize, Serialize};

/// Milliseconds since the start of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct VirtualTime(pub u64);

/// The wall-clock moment that virtual time zero stands for, in seconds since the Unix epoch:
/// Monday 2 March 2026, 09:00:00 UTC. Fixed so that `Date:` headers are the same on every run.
pub const EPOCH_UNIX_SECONDS: u64 = 1_772_442_000;

impl VirtualTime {
    pub const ZERO: VirtualTime = VirtualTime(0);

    /// Saturating, as all arithmetic on time here: a scenario's times are bounded at
    /// validation (`scenario::bounds`), and a moment past the end of `u64` is simply never.
    pub fn from_secs(secs: u64) -> Self {
        VirtualTime(secs.saturating_mul(1000))
    }

    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// Seconds since the Unix epoch, for dates in headers.
    pub fn unix_seconds(self) -> u64 {
        EPOCH_UNIX_SECONDS + self.0 / 1000
    }

    pub fn plus_millis(self, ms: u64) -> Self {
        VirtualTime(self.0.saturating_add(ms))
    }

    pub fn plus_secs(self, secs: u64) -> Self {
        self.plus_millis(secs.saturating_mul(1000))
    }

    /// Whole seconds from `earlier` to this moment; zero if `earlier` is not earlier.
    pub fn secs_since(self, earlier: VirtualTime) -> u64 {
        self.0.saturating_sub(earlier.0) / 1000
    }
}
