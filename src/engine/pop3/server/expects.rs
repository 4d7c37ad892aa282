//! What the server session will accept next, read from its own state: the lab's hints come
//! from here, so that a hint can never lead into the server's own refusal.

use super::{Phase, ServerSession};

/// The command the session is ready for now (RFC 1939 3, RFC 2595 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expects {
    /// STLS: offered, and no password is taken in clear before it.
    Stls,
    /// USER (or AUTH, or APOP).
    User,
    /// PASS, for the name USER gave.
    Pass,
    /// The response to AUTH PLAIN's `+ ` (RFC 5034 4).
    SaslResponse,
    /// TRANSACTION: STAT, LIST, RETR, DELE, then QUIT. `messages` is the number not marked
    /// deleted.
    Transaction { messages: usize },
    /// The session is over.
    Nothing,
}

impl ServerSession {
    pub fn expects(&self) -> Expects {
        match &self.phase {
            Phase::Closed => Expects::Nothing,
            Phase::SaslPlain => Expects::SaslResponse,
            Phase::Transaction(listing) => Expects::Transaction { messages: listing.stat().0 },
            Phase::Authorization { user: Some(_) } => Expects::Pass,
            Phase::Authorization { user: None } => {
                if self.config.offer_stls && !self.info.tls && !self.plaintext_allowed() {
                    Expects::Stls
                } else {
                    Expects::User
                }
            }
        }
    }
}
