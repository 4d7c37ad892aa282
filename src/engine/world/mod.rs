//! The virtual world: hosts, DNS, links, the virtual clock and the simulator loop that drives
//! the protocol machines between them.

mod attempt;
mod bounce;
pub mod clock;
mod connection;
mod delivery;
pub mod dns;
mod fetch;
pub mod host;
mod mta;
mod mua;
pub mod network;
mod queue_manager;
mod session;
mod simulator;

pub use simulator::{simulate, Simulator};
