//! What became of each recipient when a client session ends.

use crate::engine::smtp::{EnhancedStatus, Mailbox, Reply};

/// Why a recipient was not accepted: the server's own reply, or what the client concluded
/// when there was none (connection lost, timeout, TLS not available).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnostic {
    Remote(Reply),
    Local {
        status: EnhancedStatus,
        text: String,
    },
}

impl Diagnostic {
    /// 4 (try again later) or 5 (give up), RFC 5321 4.2.1 / RFC 3463 2.
    pub fn class(&self) -> u16 {
        match self {
            Diagnostic::Remote(r) => r.class(),
            Diagnostic::Local { status, .. } => u16::from(status.class.digit()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientOutcome {
    /// The server took responsibility (SMTP: 250 to the dot; LMTP: this recipient's 250).
    Accepted(Reply),
    /// Transient (4xx): the message stays queued for this recipient.
    Deferred(Diagnostic),
    /// Permanent (5xx): the sender gets a bounce.
    Failed(Diagnostic),
}

impl RecipientOutcome {
    /// Deferred or failed according to the class: 5 is permanent, anything else (4, or a
    /// reply that makes no sense here) is worth another try.
    pub fn from_diagnostic(d: Diagnostic) -> Self {
        if d.class() == 5 {
            RecipientOutcome::Failed(d)
        } else {
            RecipientOutcome::Deferred(d)
        }
    }
}

/// The step of the session that went wrong for all recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Greeting,
    Hello,
    StartTls,
    Auth,
    Mail,
    Rcpt,
    Data,
    /// Waiting for the reply to the final dot.
    EndOfData,
    Quit,
}

impl Stage {
    /// Postfix's phrase in its "lost connection with host while ..." diagnostics.
    pub fn doing(self) -> &'static str {
        match self {
            Stage::Greeting => "receiving the initial server greeting",
            Stage::Hello => "performing the EHLO handshake",
            Stage::StartTls => "sending STARTTLS",
            Stage::Auth => "authenticating",
            Stage::Mail => "sending MAIL FROM",
            Stage::Rcpt => "sending RCPT TO",
            Stage::Data => "sending DATA command",
            Stage::EndOfData => "sending end of data -- message may be sent more than once",
            Stage::Quit => "sending QUIT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFailure {
    pub stage: Stage,
    pub diagnostic: Diagnostic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOutcome {
    /// One entry per envelope recipient, in envelope order.
    pub recipients: Vec<(Mailbox, RecipientOutcome)>,
    /// Set when something failed for the whole session (greeting, EHLO, TLS, AUTH, MAIL,
    /// DATA, a lost connection); the recipients it hit carry the same diagnostic.
    pub failure: Option<SessionFailure>,
    /// The recipients (by envelope index) refused in the reply to the final dot, not at RCPT:
    /// one reply each in LMTP (RFC 2033 4.2), all at once in SMTP; a bounce says which
    /// command the refusal answered.
    pub refused_after_dot: Vec<usize>,
}
