//! What a POP3 client session achieved.

use std::fmt;

/// Where the session stood when it went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Greeting,
    Tls,
    Login,
    Listing,
    Retrieve,
    Delete,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pop3Failure {
    pub stage: Stage,
    /// The server's `-ERR` line, or what the client noticed (`connection lost`).
    pub text: String,
}

impl fmt::Display for Pop3Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.stage, self.text)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientOutcome {
    /// (UIDL, message bytes with CRLF), in message-number order.
    pub downloaded: Vec<(String, Vec<u8>)>,
    /// UIDLs removed from the server: marked by DELE and confirmed by `+OK` to QUIT
    /// (RFC 1939 6); empty when the session ended any other way.
    pub deleted: Vec<String>,
    /// Messages in the maildrop at login (STAT).
    pub on_server: usize,
    pub failure: Option<Pop3Failure>,
}
