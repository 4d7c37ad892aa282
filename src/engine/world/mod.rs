//! The virtual world: hosts, DNS, links, the virtual clock and the simulator loop.

pub mod clock;
