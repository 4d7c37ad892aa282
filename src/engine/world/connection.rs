//! A TCP connection between a client session and a server session: bytes travel with the
//! link's latency, every line is recorded as it is sent, and TLS is simulated: the protocol
//! steps are real (STARTTLS, the reset, EHLO again), the encryption is not, and lines inside
//! TLS are marked so.

use std::rc::Rc;

use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::scenario::Service;
use crate::engine::smtp::{self, Peer};
use crate::engine::time::VirtualTime;
use crate::engine::trace::{details, ConnectionId, Direction, EventKind};
use crate::engine::world::attempt::Job;
use crate::engine::world::host::HostState;
use crate::engine::world::mta::HostMta;
use crate::engine::session::{Note, Output};
use crate::engine::world::server_side::{Listener, ServerSide};
use crate::engine::world::session::{ClientSide, Outcome};
use crate::engine::world::simulator::{Simulator, Task};

pub struct Connection {
    pub id: ConnectionId,
    pub attempt: usize,
    pub server_host: usize,
    pub service: Service,
    pub client: ClientSide,
    pub server: ServerSide,
    pub client_tls: bool,
    pub server_tls: bool,
    pub client_open: bool,
    pub server_open: bool,
    /// One-way delay in milliseconds.
    pub latency: u64,
    /// When the server is to be woken for a reply it kept back.
    pub wake: Option<VirtualTime>,
}

/// One-way delay between two hosts: short inside a domain's own network, longer across the
/// internet. Fixed, so that traces are reproducible.
fn latency(a: &HostState, b: &HostState) -> u64 {
    fn parent(name: &str) -> &str {
        name.split_once('.').map_or("", |(_, p)| p)
    }
    if parent(&a.name) == parent(&b.name) {
        5
    } else {
        20
    }
}

impl Simulator<'_> {
    /// The attempt's TCP handshake is done: both sessions start.
    pub(crate) fn established(&mut self, d: usize) {
        let Some(attempt) = self.attempts.get(d) else { return };
        let Some(server_host) = attempt.current_host else { return };
        let (client_host, service, carrying) = (attempt.client_host, attempt.service, attempt.message_id());
        let client = match &attempt.job {
            Job::Send { config, envelope, message, .. } => ClientSide::new(
                smtp::ClientSession::new(config.clone(), envelope.clone(), Rc::clone(message)).with_start(self.now),
            ),
            Job::Pop3(config) => ClientSide::new(pop3::ClientSession::new(config.clone(), self.now)),
            Job::Imap(config) => ClientSide::new(imap::ClientSession::new(config.clone())),
            Job::Probe(commands) => ClientSide::new(smtp::ProbeSession::new(commands.clone())),
        };
        let id = self.next_connection_id();
        let client_port = self.hosts[client_host].next_client_port();
        let (client_name, server_name) = (self.hosts[client_host].name.clone(), self.hosts[server_host].name.clone());
        self.event(EventKind::Connected(Box::new(details::Connected {
            connection: id,
            client: client_name.clone(),
            client_port,
            server: server_name.clone(),
            port: service.port(),
            protocol: service,
            carrying,
        })));
        let implicit_tls = service.implicit_tls();
        if implicit_tls {
            self.event(EventKind::TlsStarted { connection: id });
            self.explain(
                Some(id),
                "RFC 8314 3",
                &format!(
                    "Port {} is inside TLS from the first byte: the handshake comes before any line, so nothing crosses the network in clear, not even the greeting. With STARTTLS the first lines are clear, and an attacker in the middle can remove the STARTTLS offer; that is why RFC 8314 asks mail programs to prefer these ports.",
                    service.port()
                ),
            );
        }
        let peer = Peer { address: self.hosts[client_host].address.to_string(), host_name: Some(client_name) };
        let listener = Listener { smtpd: self.hosts[server_host].smtpd, ..Listener::simulated(service) };
        let server = ServerSide::new(listener, &server_name, peer, u64::from(id), self.now);
        let c = self.connections.insert(Box::new(Connection {
            id,
            attempt: d,
            server_host,
            service,
            client,
            server,
            client_tls: implicit_tls,
            server_tls: implicit_tls,
            client_open: true,
            server_open: true,
            latency: latency(&self.hosts[client_host], &self.hosts[server_host]),
            wake: None,
        }));
        self.pump(c);
    }

    pub(crate) fn arrive(&mut self, c: usize, to_server: bool, bytes: &[u8]) {
        let Some(conn) = self.connections.get_mut(c) else { return };
        if to_server {
            if !conn.server_open {
                return;
            }
            let host = conn.server_host;
            // Retrieval sessions may delete or expunge: compare the mailboxes around the input.
            let retrieval = matches!(conn.service.protocol(), Service::Pop3 | Service::Imap);
            let before = retrieval.then(|| mailbox_contents(&self.hosts[host]));
            let now = self.now;
            let queued = self.drive_server(c, |server, mta| server.input(bytes, now, mta));
            if let Some(before) = before {
                self.report_removals(host, before);
            }
            self.pump(c);
            for queue_id in queued {
                // The queue manager takes new mail up at once (Postfix's qmgr).
                self.schedule_in(QMGR_DELAY_MS, Task::QueueRun { host, queue_id });
            }
        } else {
            if !conn.client_open {
                return;
            }
            conn.client.input(bytes, self.now);
            self.pump(c);
        }
    }

    /// The time a server kept a reply back for has come.
    pub(crate) fn wake(&mut self, c: usize) {
        let now = self.now;
        let Some(conn) = self.connections.get_mut(c) else { return };
        conn.wake = None;
        self.drive_server(c, |server, mta| server.on_timeout(now, mta));
        self.pump(c);
    }

    /// Let a connection's server act with its host behind it; the queue ids it accepted.
    fn drive_server(&mut self, c: usize, act: impl FnOnce(&mut ServerSide, &mut HostMta<'_>)) -> Vec<String> {
        let mut queued = Vec::new();
        let Some(conn) = self.connections.get_mut(c) else { return queued };
        let mut mta = HostMta {
            scenario: &self.scenario,
            host: &mut self.hosts[conn.server_host],
            service: conn.service,
            now: self.now,
            dns: &self.dns,
            events: &mut self.events,
            queued: &mut queued,
        };
        act(&mut conn.server, &mut mta);
        queued
    }

    pub(crate) fn hangup(&mut self, c: usize, to_server: bool) {
        if self.connections.get(c).is_none() {
            return;
        }
        if to_server {
            let now = self.now;
            self.drive_server(c, |server, mta| server.lost_client(now, mta));
            if let Some(conn) = self.connections.get_mut(c) {
                conn.server_open = false;
            }
        } else if let Some(conn) = self.connections.get_mut(c).filter(|conn| conn.client_open) {
            conn.client.lost_server(self.now);
        }
        self.pump(c);
        self.note_closed(c);
    }

    /// Carry out everything both sessions want done now.
    fn pump(&mut self, c: usize) {
        loop {
            let mut progressed = false;
            // What the server writes at one moment reaches the client together, as one
            // segment would: a reply and the 421 after it are read as one.
            let mut burst: Option<Vec<u8>> = None;
            while let Some(out) = self.connections.get_mut(c).and_then(|conn| conn.server.poll()) {
                progressed = true;
                let Some(conn) = self.connections.get_mut(c) else { break };
                let (id, latency) = (conn.id, conn.latency);
                if matches!(out, Output::TlsStarted | Output::Close) {
                    if let Some(bytes) = burst.take() {
                        self.schedule_in(latency, Task::Arrive { connection: c, to_server: false, bytes });
                    }
                }
                let Some(conn) = self.connections.get_mut(c) else { break };
                match out {
                    Output::Transmit(bytes) => {
                        let tls = conn.server_tls;
                        self.record_lines(id, Direction::ServerToClient, &bytes, tls);
                        // The usual single reply moves; only a second one is copied on.
                        match &mut burst {
                            Some(earlier) => earlier.extend_from_slice(&bytes),
                            None => burst = Some(bytes),
                        }
                    }
                    Output::TlsStarted => conn.server_tls = true,
                    Output::Event(Note { rfc, text }) => self.explain(Some(id), rfc, &text),
                    Output::Close => {
                        if conn.server_open {
                            conn.server_open = false;
                            self.schedule_in(latency, Task::Hangup { connection: c, to_server: false });
                        }
                    }
                }
            }
            if let (Some(bytes), Some(latency)) = (burst, self.connections.get(c).map(|conn| conn.latency)) {
                self.schedule_in(latency, Task::Arrive { connection: c, to_server: false, bytes });
            }
            // A reply kept back (Postfix's error sleep) goes out at its time.
            if let Some(conn) = self.connections.get_mut(c) {
                if let Some(due) = conn.server.held_until().filter(|&due| conn.wake != Some(due)) {
                    conn.wake = Some(due);
                    self.schedule_at(due, Task::Wake { connection: c });
                }
            }
            while let Some(out) = self.connections.get_mut(c).and_then(|conn| conn.client.poll()) {
                progressed = true;
                let Some(conn) = self.connections.get_mut(c) else { break };
                let (id, latency) = (conn.id, conn.latency);
                match out {
                    Output::Transmit(bytes) => {
                        let tls = conn.client_tls;
                        self.record_lines(id, Direction::ClientToServer, &bytes, tls);
                        self.schedule_in(latency, Task::Arrive { connection: c, to_server: true, bytes });
                    }
                    Output::TlsStarted => {
                        conn.client_tls = true;
                        self.event(EventKind::TlsStarted { connection: id });
                    }
                    Output::Close => {
                        if conn.client_open {
                            conn.client_open = false;
                            self.schedule_in(latency, Task::Hangup { connection: c, to_server: true });
                        }
                    }
                    Output::Event(outcome) => {
                        let (d, server) = (conn.attempt, conn.server_host);
                        match outcome {
                            Outcome::Smtp(outcome) => self.smtp_outcome(d, server, outcome),
                            Outcome::Pop3(outcome) => self.pop3_outcome(d, outcome),
                            Outcome::Imap { fetched, result, view } => self.imap_outcome(d, server, fetched, result, view),
                            Outcome::Probe => self.probe_done(d),
                        }
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        self.note_closed(c);
    }

    /// Once both ends have closed, the `Closed` event is recorded and the connection, its
    /// sessions and their buffers are let go at once: a long simulation keeps only the
    /// connections still open, and the memory is reused by the next ones.
    fn note_closed(&mut self, c: usize) {
        let Some(conn) = self.connections.get(c) else { return };
        if !conn.client_open && !conn.server_open {
            let id = conn.id;
            self.connections.take(c);
            self.event(EventKind::Closed { connection: id });
        }
    }

    /// One `Line` event per CRLF-terminated line, exactly as sent.
    pub(crate) fn record_lines(&mut self, connection: ConnectionId, direction: Direction, bytes: &[u8], tls: bool) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let (line, next) = match find_crlf(rest) {
                Some(i) => (&rest[..i], &rest[i + 2..]),
                None => (rest, &rest[rest.len()..]),
            };
            // Nearly every line is UTF-8 (most are ASCII): checked, then copied once.
            let text = match std::str::from_utf8(line) {
                Ok(text) => text.to_owned(),
                Err(_) => String::from_utf8_lossy(line).into_owned(),
            };
            self.event(EventKind::Line { connection, direction, text, tls });
            rest = next;
        }
    }
}

/// Where the first CRLF starts.
fn find_crlf(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(lf) = bytes[from..].iter().position(|&b| b == b'\n') {
        let lf = from + lf;
        if lf > 0 && bytes[lf - 1] == b'\r' {
            return Some(lf - 1);
        }
        from = lf + 1;
    }
    None
}

/// How soon the queue manager picks up a newly queued message, in milliseconds.
const QMGR_DELAY_MS: u64 = 10;

/// Each user's messages (by Message-ID, every folder), to see what a session removed.
fn mailbox_contents(host: &HostState) -> Vec<(String, Vec<String>)> {
    host.store
        .all()
        .map(|(user, messages)| {
            let ids = messages
                .iter()
                .map(|m| m.message.header("Message-ID").map(|id| id.trim().to_owned()).unwrap_or_default())
                .collect();
            (user.to_owned(), ids)
        })
        .collect()
}

impl Simulator<'_> {
    fn report_removals(&mut self, host: usize, before: Vec<(String, Vec<String>)>) {
        let after = mailbox_contents(&self.hosts[host]);
        for (user, mut gone) in before {
            if let Some((_, now)) = after.iter().find(|(u, _)| *u == user) {
                for id in now {
                    if let Some(i) = gone.iter().position(|g| g == id) {
                        gone.remove(i);
                    }
                }
            }
            if !gone.is_empty() {
                let name = self.hosts[host].name.clone();
                self.event(EventKind::MailboxRemoved(Box::new(details::MailboxRemoved { host: name, user, message_ids: gone })));
            }
        }
    }
}
