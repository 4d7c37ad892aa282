//! The client end of a simulated connection, whatever the protocol, read into one shape; the
//! server end is `server_side::ServerSide`, which the live lab shares.

use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::smtp;
use crate::engine::time::VirtualTime;
use crate::engine::world::server_side::Wire;

/// What a client session achieved, by protocol.
pub enum Outcome {
    Smtp(smtp::ClientOutcome),
    Pop3(pop3::ClientOutcome),
    /// The messages an IMAP client fetched (UID, bytes), how its session ended, and the
    /// mailbox as the device saw it last.
    Imap { fetched: Vec<(u32, Vec<u8>)>, result: Result<(), String>, view: Option<imap::MailboxView> },
}

pub enum ClientSide {
    Smtp(smtp::ClientSession),
    Pop3(pop3::ClientSession),
    /// `fetched` gathers what the client downloads until its session is done.
    Imap { client: imap::ClientSession, fetched: Vec<(u32, Vec<u8>)> },
}

impl ClientSide {
    pub fn input(&mut self, bytes: &[u8], now: VirtualTime) {
        match self {
            ClientSide::Smtp(c) => c.handle_input(bytes, now),
            ClientSide::Pop3(c) => c.handle_input(bytes, now),
            ClientSide::Imap { client, .. } => client.handle_input(bytes),
        }
    }

    /// The server has hung up on the client.
    pub fn lost_server(&mut self) {
        match self {
            ClientSide::Smtp(c) => c.handle_close(),
            ClientSide::Pop3(c) => c.handle_close(),
            // The IMAP client's session simply ends; what it fetched stays fetched.
            ClientSide::Imap { .. } => {}
        }
    }

    /// The client's next output: what to put on the wire, or its outcome.
    pub fn poll(&mut self) -> Option<Result<Wire, Outcome>> {
        match self {
            ClientSide::Smtp(c) => c.poll_output().map(|o| match o {
                smtp::ClientOutput::Transmit(b) => Ok(Wire::Transmit(b)),
                smtp::ClientOutput::TlsStarted => Ok(Wire::TlsStarted),
                smtp::ClientOutput::Close => Ok(Wire::Close),
                smtp::ClientOutput::Done(outcome) => Err(Outcome::Smtp(outcome)),
            }),
            ClientSide::Pop3(c) => c.poll_output().map(|o| match o {
                pop3::ClientOutput::Transmit(b) => Ok(Wire::Transmit(b)),
                pop3::ClientOutput::TlsStarted => Ok(Wire::TlsStarted),
                pop3::ClientOutput::Close => Ok(Wire::Close),
                pop3::ClientOutput::Done(outcome) => Err(Outcome::Pop3(outcome)),
            }),
            ClientSide::Imap { client, fetched } => loop {
                match client.poll_output()? {
                    imap::ClientOutput::Transmit(b) => return Some(Ok(Wire::Transmit(b))),
                    imap::ClientOutput::TlsStarted => return Some(Ok(Wire::TlsStarted)),
                    imap::ClientOutput::Close => return Some(Ok(Wire::Close)),
                    imap::ClientOutput::Fetched { uid, message } => fetched.push((uid, message)),
                    imap::ClientOutput::Done(result) => {
                        let view = client.mailbox_view();
                        return Some(Err(Outcome::Imap { fetched: std::mem::take(fetched), result, view }));
                    }
                }
            },
        }
    }
}
