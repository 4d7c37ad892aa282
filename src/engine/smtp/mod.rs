//! SMTP (RFC 5321) and its sibling LMTP (RFC 2033): wire syntax and sans-IO sessions.
//!
//! Wire syntax: [`command`] (what a client sends), [`reply`] (what a server answers),
//! [`address`] (mailboxes and the null path), [`dot`] (DATA transparency), [`envelope`].
//! Sessions: [`ServerSession`] and [`ClientSession`], plain state machines that take bytes and
//! give bytes, events and deadlines, so the simulator, the interactive lab and tests against
//! real programs drive the same code.

pub mod address;
pub mod client;
pub mod command;
pub mod dot;
pub mod envelope;
pub mod probe;
pub mod reply;
pub mod server;
pub mod status;
pub mod transmission_type;

#[cfg(test)]
mod tests;

pub use address::{AddressError, ForwardPath, Mailbox, ReversePath};
pub use client::{
    AuthMechanism, ClientConfig, ClientOutcome, ClientOutput, ClientSession, Credentials,
    Diagnostic, RecipientOutcome, Stage, TlsPolicy,
};
pub use command::{Command, CommandError};
pub use envelope::{Envelope, Notify, Recipient, Ret};
pub use probe::{ProbeDone, ProbeSession};
pub use reply::{EnhancedStatus, Reply, ReplyParser};
pub use transmission_type::Protocol;
pub use server::{Expects, Mta, Peer, ServerConfig, ServerOutput, ServerSession, SessionInfo};

/// Which protocol a session speaks: SMTP (RFC 5321) or LMTP (RFC 2033), which differs in
/// its greeting verb (LHLO) and in giving one reply per recipient after the message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    #[default]
    Smtp,
    Lmtp,
}
