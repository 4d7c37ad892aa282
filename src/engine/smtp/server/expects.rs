//! What the server session will accept next, read from its own state: the lab's hints come
//! from here, so that a hint can never lead into the server's own refusal.

use super::{Phase, ServerSession};

/// The command (or text) the session is ready for now, in the order RFC 5321 3 and 4.1.4
/// set: a greeting, TLS where offered (RFC 3207), a login where required (RFC 4954), then the
/// mail transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expects {
    /// EHLO (or HELO); LHLO for LMTP. Also after STARTTLS (`tls`), which forgets the first
    /// one (RFC 3207 4.2).
    Hello { lmtp: bool, tls: bool },
    /// STARTTLS is offered and the session is still in clear.
    StartTls,
    /// AUTH: the server takes no mail from this client before it logs in (submission).
    Auth,
    /// The next line of an AUTH exchange (RFC 4954 4), after a `334` challenge.
    AuthResponse,
    /// MAIL FROM; `again` once a message of this session was accepted (QUIT ends it).
    Mail { again: bool },
    /// RCPT TO: no recipient accepted yet.
    Rcpt,
    /// Another RCPT TO, or DATA.
    RcptOrData,
    /// The message itself, ended by a line holding only a dot (RFC 5321 4.1.1.4).
    Content,
    /// The session is over.
    Nothing,
}

impl ServerSession {
    pub fn expects(&self) -> Expects {
        match self.phase {
            Phase::Closed => return Expects::Nothing,
            Phase::Data(_) => return Expects::Content,
            Phase::Auth(_) => return Expects::AuthResponse,
            Phase::Command => {}
        }
        if let Some(t) = &self.transaction {
            return if t.recipients.is_empty() { Expects::Rcpt } else { Expects::RcptOrData };
        }
        let lmtp = self.lmtp();
        if self.info.helo_name.is_none() {
            return Expects::Hello { lmtp, tls: self.info.tls && !self.config.implicit_tls };
        }
        let tls_offered = self.info.extended && self.config.offer_starttls && !self.info.tls;
        if tls_offered {
            return Expects::StartTls;
        }
        if self.config.require_auth && self.info.authenticated.is_none() && self.auth_allowed_now() {
            return Expects::Auth;
        }
        Expects::Mail { again: self.messages_accepted > 0 }
    }
}
