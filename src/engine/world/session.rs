//! The client end of a simulated connection, whatever the protocol: any client session
//! (`engine::session::Session`) whose events become the world's [`Outcome`]; the server end
//! is `server_side::ServerSide`, which the live lab shares.

use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::session::{Output, Session};
use crate::engine::smtp;
use crate::engine::time::VirtualTime;

/// What a client session achieved, by protocol.
pub enum Outcome {
    Smtp(smtp::ClientOutcome),
    Pop3(pop3::ClientOutcome),
    /// The messages an IMAP client fetched (UID, bytes), how its session ended, and the
    /// mailbox as the device saw it last.
    Imap { fetched: Vec<(u32, Vec<u8>)>, result: Result<(), String>, view: Option<imap::MailboxView> },
    /// A probe typed its commands, or was cut off: what it learnt is in the trace's lines.
    Probe,
}

/// A client's event on the way to its [`Outcome`]: the outcome itself, or (IMAP) a message
/// kept until the session is done.
pub trait Reported {
    fn report(self, fetched: &mut Vec<(u32, Vec<u8>)>) -> Option<Outcome>;
}

impl Reported for smtp::ClientOutcome {
    fn report(self, _: &mut Vec<(u32, Vec<u8>)>) -> Option<Outcome> {
        Some(Outcome::Smtp(self))
    }
}

impl Reported for pop3::ClientOutcome {
    fn report(self, _: &mut Vec<(u32, Vec<u8>)>) -> Option<Outcome> {
        Some(Outcome::Pop3(self))
    }
}

impl Reported for smtp::ProbeDone {
    fn report(self, _: &mut Vec<(u32, Vec<u8>)>) -> Option<Outcome> {
        Some(Outcome::Probe)
    }
}

impl Reported for imap::ClientEvent {
    fn report(self, fetched: &mut Vec<(u32, Vec<u8>)>) -> Option<Outcome> {
        match self {
            imap::ClientEvent::Fetched { uid, message } => {
                fetched.push((uid, message));
                None
            }
            imap::ClientEvent::Done { result, view } => {
                Some(Outcome::Imap { fetched: std::mem::take(fetched), result, view })
            }
        }
    }
}

/// One client session, its events reported as outcomes.
struct Reporting<S> {
    session: S,
    fetched: Vec<(u32, Vec<u8>)>,
}

impl<S> Session<()> for Reporting<S>
where
    S: Session<()>,
    S::Event: Reported,
{
    type Event = Outcome;
    fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut ()) {
        self.session.handle_input(bytes, now, host);
    }
    fn handle_timeout(&mut self, now: VirtualTime, host: &mut ()) {
        self.session.handle_timeout(now, host);
    }
    fn handle_close(&mut self, now: VirtualTime, host: &mut ()) {
        self.session.handle_close(now, host);
    }
    fn poll_output(&mut self) -> Option<Output<Outcome>> {
        loop {
            return Some(match self.session.poll_output()? {
                Output::Event(event) => match event.report(&mut self.fetched) {
                    Some(outcome) => Output::Event(outcome),
                    None => continue,
                },
                Output::Transmit(bytes) => Output::Transmit(bytes),
                Output::TlsStarted => Output::TlsStarted,
                Output::Close => Output::Close,
            });
        }
    }
    fn poll_timeout(&self) -> Option<VirtualTime> {
        self.session.poll_timeout()
    }
}

/// The client end: any protocol's client session.
pub struct ClientSide(Box<dyn Session<(), Event = Outcome>>);

impl ClientSide {
    pub fn new<S>(session: S) -> ClientSide
    where
        S: Session<()> + 'static,
        S::Event: Reported,
    {
        ClientSide(Box::new(Reporting { session, fetched: Vec::new() }))
    }

    pub fn input(&mut self, bytes: &[u8], now: VirtualTime) {
        self.0.handle_input(bytes, now, &mut ());
    }

    /// The server has hung up on the client.
    pub fn lost_server(&mut self, now: VirtualTime) {
        self.0.handle_close(now, &mut ());
    }

    pub fn poll(&mut self) -> Option<Output<Outcome>> {
        self.0.poll_output()
    }
}
