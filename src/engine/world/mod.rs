//! The virtual world: hosts, DNS, links, the virtual clock and the simulator loop that drives
//! the protocol machines between them.

mod agenda;
mod attempt;
mod bounce;
pub mod budget;
mod connection;
mod delivery;
pub mod dns;
pub mod external;
mod fetch;
pub mod host;
mod live;
mod mta;
mod mua;
pub mod network;
mod probe;
mod resolver;
mod sender_checks;
mod queue_manager;
pub mod router;
pub mod server_side;
mod session;
mod simulator;
mod slots;

pub use budget::Budget;
pub use external::{ExternalId, ExternalOutput};
pub use server_side::Listener;
pub use simulator::{simulate, simulate_within, Simulator};
