//! One shape for every protocol session, client or server, SMTP, LMTP, POP3 or IMAP: bytes
//! in, bytes and events out, deadlines asked for (the sans-IO manner of str0m and
//! imap-next). A session never touches a socket, a thread or a clock; whoever drives it (the
//! simulator, the live lab, `mailflow-lab serve` with real TCP) feeds it what arrived and the
//! time, and carries out what it asks. So the same machine runs everywhere, and one driver
//! loop runs them all.
//!
//! A whole SMTP transaction, driven by the loop below: the client's bytes go to the server,
//! the server's to the client, until both have closed.
//!
//! ```
//! use std::rc::Rc;
//! use mailflow::engine::session::{converse, Session};
//! use mailflow::engine::smtp::{self, ClientConfig, Envelope, Mta, Reply, ServerConfig, SessionInfo};
//! use mailflow::engine::smtp::{Mailbox, Recipient, ReversePath};
//! use mailflow::engine::time::VirtualTime;
//!
//! /// A mail server that takes every letter.
//! struct Accepting;
//! impl Mta for Accepting {
//!     fn authenticate(&mut self, _: &str, _: &str) -> bool { false }
//!     fn check_sender(&mut self, _: &SessionInfo, _: &ReversePath) -> Result<(), Reply> { Ok(()) }
//!     fn check_recipient(&mut self, _: &SessionInfo, _: &Mailbox) -> Result<(), Reply> { Ok(()) }
//!     fn queue(&mut self, _: &SessionInfo, _: &Envelope, _: &[u8]) -> Result<String, Reply> { Ok("4F2A".into()) }
//!     fn deliver_lmtp(&mut self, _: &SessionInfo, e: &Envelope, _: &[u8]) -> Vec<Result<(), Reply>> {
//!         e.recipients.iter().map(|_| Ok(())).collect()
//!     }
//! }
//!
//! let now = VirtualTime::ZERO;
//! let envelope = Envelope::new(
//!     ReversePath::Mailbox(Mailbox::parse("alice@northwind.test").unwrap()),
//!     vec![Recipient::new(Mailbox::parse("bob@southbay.test").unwrap())],
//! );
//! let message: Rc<[u8]> = Rc::from(&b"Subject: Hi\r\n\r\nHello Bob.\r\n"[..]);
//! let mut client = smtp::ClientSession::new(ClientConfig::relay("smtp.northwind.test"), envelope, message);
//! let mut server = smtp::ServerSession::new(ServerConfig::mx("mx.southbay.test"), now);
//! let talk = converse(&mut client, &mut server, &mut Accepting, now);
//! assert_eq!(talk.server_lines.first().map(String::as_str), Some("220 mx.southbay.test ESMTP"));
//! assert!(talk.server_lines.iter().any(|l| l == "250 2.0.0 Ok: queued as 4F2A"));
//! assert_eq!(talk.client_lines.last().map(String::as_str), Some("QUIT"));
//! // The client's event is its outcome: the recipient accepted.
//! assert!(matches!(&talk.client_events[..], [outcome] if outcome.failure.is_none()));
//! ```

use crate::engine::time::VirtualTime;

/// What a session wants done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output<E> {
    /// Put these bytes on the wire.
    Transmit(Vec<u8>),
    /// From here on, everything this end sends is inside TLS (after STARTTLS or STLS).
    TlsStarted,
    /// Hang up.
    Close,
    /// Something of the session's own that is not bytes: a client's outcome, a server's
    /// teaching note.
    Event(E),
}

/// A teaching note a server gives when a rule applies: the rule's RFC section and one
/// sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub rfc: &'static str,
    pub text: String,
}

/// A protocol session. `H` is what the session needs from the host it runs on (a server
/// asks its host to check a password or queue a letter); a client needs nothing (`()`).
pub trait Session<H: ?Sized> {
    type Event;
    /// Bytes from the peer, cut anywhere: what the session answers does not depend on how
    /// they were cut.
    fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut H);
    /// The moment `poll_timeout` asked for has come.
    fn handle_timeout(&mut self, now: VirtualTime, host: &mut H);
    /// The peer hung up.
    fn handle_close(&mut self, now: VirtualTime, host: &mut H);
    fn poll_output(&mut self) -> Option<Output<Self::Event>>;
    /// When the session wants `handle_timeout`, if ever.
    fn poll_timeout(&self) -> Option<VirtualTime>;
}

/// What two sessions said to each other, as [`converse`] saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversation<C, S> {
    pub client_lines: Vec<String>,
    pub server_lines: Vec<String>,
    pub client_events: Vec<C>,
    pub server_events: Vec<S>,
}

/// The driver loop, for two sessions joined directly at one moment (no latency, no TLS to
/// run: `TlsStarted` only marks the bytes that follow). The simulator's loop is this one
/// with a network's delay between the ends (`world::connection`).
pub fn converse<C, S, H>(client: &mut C, server: &mut S, host: &mut H, now: VirtualTime) -> Conversation<C::Event, S::Event>
where
    C: Session<()>,
    S: Session<H>,
    H: ?Sized,
{
    let mut talk = Conversation { client_lines: Vec::new(), server_lines: Vec::new(), client_events: Vec::new(), server_events: Vec::new() };
    let (mut client_open, mut server_open) = (true, true);
    loop {
        let mut progressed = false;
        while let Some(out) = server.poll_output() {
            progressed = true;
            match out {
                Output::Transmit(bytes) => {
                    talk.server_lines.extend(lines(&bytes));
                    if client_open {
                        client.handle_input(&bytes, now, &mut ());
                    }
                }
                Output::Event(e) => talk.server_events.push(e),
                Output::TlsStarted => {}
                Output::Close if server_open => {
                    server_open = false;
                    client.handle_close(now, &mut ());
                }
                Output::Close => {}
            }
        }
        while let Some(out) = client.poll_output() {
            progressed = true;
            match out {
                Output::Transmit(bytes) => {
                    talk.client_lines.extend(lines(&bytes));
                    if server_open {
                        server.handle_input(&bytes, now, host);
                    }
                }
                Output::Event(e) => talk.client_events.push(e),
                Output::TlsStarted => {}
                Output::Close if client_open => {
                    client_open = false;
                    server.handle_close(now, host);
                }
                Output::Close => {}
            }
        }
        if !progressed {
            return talk;
        }
    }
}

fn lines(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| String::from_utf8_lossy(l.strip_suffix(b"\r").unwrap_or(l)).into_owned())
}
