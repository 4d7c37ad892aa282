//! What a server session asks of the host it runs on: who may log in, which senders and
//! recipients are welcome, and where an accepted message goes. The session handles everything
//! protocol-level itself; policy and storage are the host's.

use crate::engine::smtp::Protocol;
use crate::engine::smtp::{Envelope, Mailbox, Mode, Reply, ReversePath};

/// The client at the other end of the connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peer {
    /// The address it connects from, e.g. `192.0.2.10`.
    pub address: String,
    /// Its name by reverse DNS, if that resolves (Postfix writes `unknown` otherwise).
    pub host_name: Option<String>,
}

/// What the session knows about its client; handed to every [`Mta`] call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInfo {
    pub mode: Mode,
    pub peer: Peer,
    /// The argument of HELO, EHLO or LHLO.
    pub helo_name: Option<String>,
    /// EHLO or LHLO rather than HELO.
    pub extended: bool,
    pub tls: bool,
    /// The user name that AUTH succeeded for.
    pub authenticated: Option<String>,
}

impl SessionInfo {
    /// The `with` word of a `Received:` field (RFC 5321 4.4, RFC 3848): `SMTP`, `ESMTP`,
    /// plus `S` inside TLS and `A` after AUTH; `LMTP` likewise.
    pub fn protocol(&self) -> Protocol {
        Protocol::for_session(
            self.mode == Mode::Lmtp,
            self.extended,
            self.tls,
            self.authenticated.is_some(),
        )
    }

    /// [`SessionInfo::protocol`] as text, `ESMTPSA`.
    pub fn protocol_name(&self) -> String {
        self.protocol().as_str().to_string()
    }
}

/// The host behind a server session. Synchronous: the simulator answers at once.
pub trait Mta {
    /// Check a SASL user name and password.
    fn authenticate(&mut self, username: &str, password: &str) -> bool;

    /// Accept or refuse a sender (e.g. `553 5.7.1` for a login/sender mismatch).
    fn check_sender(&mut self, info: &SessionInfo, from: &ReversePath) -> Result<(), Reply>;

    /// Accept or refuse a recipient: `550 5.1.1` unknown user, `554 5.7.1` relay denied,
    /// `451 4.7.1` greylisted, `452 4.2.2` mailbox full...
    fn check_recipient(&mut self, info: &SessionInfo, rcpt: &Mailbox) -> Result<(), Reply>;

    /// SMTP: take responsibility for the message (store or queue it) and return its queue
    /// id. The session says `250 ... queued as <id>` only after this returns `Ok`.
    fn queue(
        &mut self,
        info: &SessionInfo,
        envelope: &Envelope,
        message: &[u8],
    ) -> Result<String, Reply>;

    /// LMTP: deliver to each recipient of the envelope, in order, one result each
    /// (RFC 2033 4.2).
    fn deliver_lmtp(
        &mut self,
        info: &SessionInfo,
        envelope: &Envelope,
        message: &[u8],
    ) -> Vec<Result<(), Reply>>;
}
