//! The two sessions of one connection, whatever the protocol: the simulator moves bytes and
//! records lines the same way for SMTP, LMTP and POP3, so each protocol's client and server
//! outputs are read here into one shape.

use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::scenario::Service;
use crate::engine::smtp;
use crate::engine::world::clock::VirtualTime;
use crate::engine::world::mta::HostMta;

/// What one end of a connection wants done.
pub enum Wire {
    Transmit(Vec<u8>),
    /// From here on this end's lines are inside TLS.
    TlsStarted,
    /// A teaching note from a server.
    Explain(&'static str, String),
    Close,
}

/// What a client session achieved, by protocol.
pub enum Outcome {
    Smtp(smtp::ClientOutcome),
    Pop3(pop3::ClientOutcome),
    /// The messages an IMAP client fetched (UID, bytes), and how its session ended.
    Imap { fetched: Vec<(u32, Vec<u8>)>, result: Result<(), String> },
}

/// A client and a server session talking to each other.
pub enum Pair {
    Smtp { client: smtp::ClientSession, server: smtp::ServerSession },
    Pop3 { client: pop3::ClientSession, server: pop3::ServerSession },
    /// `fetched` gathers what the client downloads until its session is done.
    Imap { client: imap::ClientSession, server: imap::ServerSession, fetched: Vec<(u32, Vec<u8>)> },
}

impl Pair {
    pub fn server_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut HostMta<'_>) {
        match self {
            Pair::Smtp { server, .. } => server.handle_input(bytes, now, host),
            Pair::Pop3 { server, .. } => server.handle_input(bytes, now, host),
            Pair::Imap { server, .. } => server.handle_input(bytes, now, host),
        }
    }

    pub fn client_input(&mut self, bytes: &[u8], now: VirtualTime) {
        match self {
            Pair::Smtp { client, .. } => client.handle_input(bytes, now),
            Pair::Pop3 { client, .. } => client.handle_input(bytes, now),
            Pair::Imap { client, .. } => client.handle_input(bytes),
        }
    }

    /// The server has hung up on the client.
    pub fn client_lost_server(&mut self) {
        match self {
            Pair::Smtp { client, .. } => client.handle_close(),
            Pair::Pop3 { client, .. } => client.handle_close(),
            // The IMAP client's session simply ends; what it fetched stays fetched.
            Pair::Imap { .. } => {}
        }
    }

    /// The client has hung up: a POP3 server releases the maildrop and deletes nothing
    /// (RFC 1939 6: only QUIT enters the UPDATE state).
    pub fn server_lost_client(&mut self, host: &mut HostMta<'_>) {
        if let Pair::Pop3 { server, .. } = self {
            if !server.is_closed() {
                server.handle_close(host);
            }
        }
    }

    pub fn poll_server(&mut self) -> Option<Wire> {
        match self {
            Pair::Smtp { server, .. } => server.poll_output().map(|o| match o {
                smtp::ServerOutput::Transmit(b) => Wire::Transmit(b),
                smtp::ServerOutput::TlsStarted => Wire::TlsStarted,
                smtp::ServerOutput::Explain { rfc, text } => Wire::Explain(rfc, text),
                smtp::ServerOutput::Close => Wire::Close,
            }),
            Pair::Pop3 { server, .. } => server.poll_output().map(|o| match o {
                pop3::ServerOutput::Transmit(b) => Wire::Transmit(b),
                pop3::ServerOutput::TlsStarted => Wire::TlsStarted,
                pop3::ServerOutput::Explain { rfc, text } => Wire::Explain(rfc, text),
                pop3::ServerOutput::Close => Wire::Close,
            }),
            Pair::Imap { server, .. } => server.poll_output().map(|o| match o {
                imap::ServerOutput::Transmit(b) => Wire::Transmit(b),
                imap::ServerOutput::TlsStarted => Wire::TlsStarted,
                imap::ServerOutput::Explain { rfc, text } => Wire::Explain(rfc, text),
                imap::ServerOutput::Close => Wire::Close,
            }),
        }
    }

    /// The client's next output: what to put on the wire, or its outcome.
    pub fn poll_client(&mut self) -> Option<Result<Wire, Outcome>> {
        match self {
            Pair::Smtp { client, .. } => client.poll_output().map(|o| match o {
                smtp::ClientOutput::Transmit(b) => Ok(Wire::Transmit(b)),
                smtp::ClientOutput::TlsStarted => Ok(Wire::TlsStarted),
                smtp::ClientOutput::Close => Ok(Wire::Close),
                smtp::ClientOutput::Done(outcome) => Err(Outcome::Smtp(outcome)),
            }),
            Pair::Pop3 { client, .. } => client.poll_output().map(|o| match o {
                pop3::ClientOutput::Transmit(b) => Ok(Wire::Transmit(b)),
                pop3::ClientOutput::TlsStarted => Ok(Wire::TlsStarted),
                pop3::ClientOutput::Close => Ok(Wire::Close),
                pop3::ClientOutput::Done(outcome) => Err(Outcome::Pop3(outcome)),
            }),
            Pair::Imap { client, fetched, .. } => loop {
                match client.poll_output()? {
                    imap::ClientOutput::Transmit(b) => return Some(Ok(Wire::Transmit(b))),
                    imap::ClientOutput::TlsStarted => return Some(Ok(Wire::TlsStarted)),
                    imap::ClientOutput::Close => return Some(Ok(Wire::Close)),
                    imap::ClientOutput::Fetched { uid, message } => fetched.push((uid, message)),
                    imap::ClientOutput::Done(result) => {
                        return Some(Err(Outcome::Imap { fetched: std::mem::take(fetched), result }))
                    }
                }
            },
        }
    }
}

/// How a host's SMTP server behaves on each port.
pub fn smtp_server_config(service: Service, hostname: &str) -> smtp::ServerConfig {
    match service {
        Service::Submission => smtp::ServerConfig::submission(hostname),
        Service::Submissions => smtp::ServerConfig::submissions(hostname),
        Service::Lmtp => smtp::ServerConfig::lmtp(hostname),
        _ => smtp::ServerConfig::mx(hostname),
    }
}
