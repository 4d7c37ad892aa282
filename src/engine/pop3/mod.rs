//! POP3 (RFC 1939) with CAPA (RFC 2449), AUTH (RFC 5034) and STLS (RFC 2595): wire syntax
//! and sans-IO sessions.
//!
//! Wire syntax: [`command`] (what a client sends), [`response`] (what a server answers),
//! [`apop`] and [`md5`] (the APOP digest). Sessions: [`ServerSession`] and [`ClientSession`],
//! plain state machines that take bytes and give bytes, events and deadlines, like their
//! SMTP siblings. The maildrop itself is [`crate::engine::mail::MailStore`].

pub mod apop;
pub mod client;
pub mod command;
pub mod md5;
pub mod response;
pub mod server;

// proptest and imap-codec are native-only dev-dependencies (Cargo.toml).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
#[cfg(test)]
mod tests;

pub use client::{
    ClientConfig, ClientOutcome, ClientOutput, ClientSession, Login, Pop3Failure, Stage, TlsPolicy,
};
pub use command::{Command, CommandError};
pub use response::{Response, ResponseError, ResponseParser, Status};
pub use server::{Expects, Maildrop, ServerConfig, ServerOutput, ServerSession, SessionInfo, State};
