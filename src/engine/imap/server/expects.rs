//! What the server session will accept next, read from its own state: the lab's hints come
//! from here, so that a hint can never lead into the server's own refusal.

use super::{Phase, ServerSession, State};

/// The command the session is ready for now, by RFC 9051 3's connection states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expects {
    /// STARTTLS: offered, and LOGIN is refused (`LOGINDISABLED`) before it.
    StartTls,
    /// Not authenticated: LOGIN (or AUTHENTICATE).
    Login,
    /// The response to AUTHENTICATE's `+ ` (RFC 9051 6.2.2).
    SaslResponse,
    /// Authenticated: SELECT a mailbox (or LIST them).
    Select,
    /// Selected: FETCH, STORE, SEARCH... `exists` is the mailbox's message count.
    Selected { exists: usize },
    /// Inside IDLE: `DONE` ends it (RFC 2177 3).
    Done,
    /// The session is over.
    Nothing,
}

impl ServerSession {
    pub fn expects(&self) -> Expects {
        match (&self.phase, &self.state) {
            (_, State::Logout) => Expects::Nothing,
            (Phase::Authenticate { .. }, _) => Expects::SaslResponse,
            (Phase::Idle { .. }, _) => Expects::Done,
            (_, State::NotAuthenticated) if !self.login_allowed() && self.config.offer_starttls => Expects::StartTls,
            (_, State::NotAuthenticated) => Expects::Login,
            (_, State::Authenticated) => Expects::Select,
            (_, State::Selected(selected)) => Expects::Selected { exists: selected.messages.len() },
        }
    }
}
