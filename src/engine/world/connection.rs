//! A TCP connection between a client session and a server session: bytes travel with the
//! link's latency, every line is recorded as it is sent, and TLS is simulated: the protocol
//! steps are real (STARTTLS, the reset, EHLO again), the encryption is not, and lines inside
//! TLS are marked so.

use crate::engine::scenario::Service;
use crate::engine::smtp::{ClientOutput, ClientSession, Peer, ServerConfig, ServerOutput, ServerSession};
use crate::engine::trace::{ConnectionId, Direction, EventKind};
use crate::engine::world::host::HostState;
use crate::engine::world::mta::HostMta;
use crate::engine::world::simulator::{Simulator, Task};

pub struct Connection {
    pub id: ConnectionId,
    pub delivery: usize,
    pub server_host: usize,
    pub service: Service,
    pub client: ClientSession,
    pub server: ServerSession,
    pub client_tls: bool,
    pub server_tls: bool,
    pub client_open: bool,
    pub server_open: bool,
    /// The `Closed` event has been recorded.
    pub closed: bool,
    /// One-way delay in milliseconds.
    pub latency: u64,
}

/// One-way delay between two hosts: short inside a domain's own network, longer across the
/// internet. Fixed, so that traces are reproducible.
fn latency(a: &HostState, b: &HostState) -> u64 {
    let parent = |n: &str| n.split_once('.').map(|(_, p)| p.to_owned()).unwrap_or_default();
    if parent(&a.name) == parent(&b.name) {
        5
    } else {
        20
    }
}

/// How a host's server behaves on each port.
fn server_config(service: Service, hostname: &str) -> ServerConfig {
    match service {
        Service::Submission => ServerConfig::submission(hostname),
        Service::Submissions => ServerConfig::submissions(hostname),
        Service::Lmtp => ServerConfig::lmtp(hostname),
        Service::Smtp | Service::Pop3 | Service::Imap => ServerConfig::mx(hostname),
    }
}

impl Simulator<'_> {
    /// The delivery's TCP handshake is done: both sessions start.
    pub(crate) fn established(&mut self, d: usize) {
        let Some(server_host) = self.deliveries[d].current_host else { return };
        let client_host = self.deliveries[d].client_host;
        let service = self.deliveries[d].service;
        let id = self.connections.len() as ConnectionId + 1;
        let client_port = self.hosts[client_host].next_client_port();
        let (client_name, server_name) = (self.hosts[client_host].name.clone(), self.hosts[server_host].name.clone());
        self.event(EventKind::Connected {
            connection: id,
            client: client_name.clone(),
            client_port,
            server: server_name.clone(),
            port: service.port(),
            protocol: service.name().into(),
        });
        let implicit_tls = service == Service::Submissions;
        if implicit_tls {
            self.event(EventKind::TlsStarted { connection: id });
        }
        let peer = Peer { address: self.hosts[client_host].address.to_string(), host_name: Some(client_name) };
        let server = ServerSession::new(server_config(service, &server_name), self.now).with_peer(peer);
        let delivery = &self.deliveries[d];
        let client = ClientSession::new(delivery.config.clone(), delivery.envelope.clone(), delivery.message.clone())
            .with_start(self.now);
        self.connections.push(Connection {
            id,
            delivery: d,
            server_host,
            service,
            client,
            server,
            client_tls: implicit_tls,
            server_tls: implicit_tls,
            client_open: true,
            server_open: true,
            closed: false,
            latency: latency(&self.hosts[client_host], &self.hosts[server_host]),
        });
        self.pump(self.connections.len() - 1);
    }

    pub(crate) fn arrive(&mut self, c: usize, to_server: bool, bytes: &[u8]) {
        if to_server {
            if !self.connections[c].server_open {
                return;
            }
            let mut queued = Vec::new();
            let host = self.connections[c].server_host;
            let mut mta = HostMta {
                scenario: self.scenario,
                host: &mut self.hosts[host],
                service: self.connections[c].service,
                now: self.now,
                events: &mut self.events,
                queued: &mut queued,
            };
            self.connections[c].server.handle_input(bytes, self.now, &mut mta);
            self.pump(c);
            for queue_id in queued {
                // The queue manager takes new mail up at once (Postfix's qmgr).
                self.schedule_in(QMGR_DELAY_MS, Task::QueueRun { host, queue_id });
            }
        } else {
            if !self.connections[c].client_open {
                return;
            }
            self.connections[c].client.handle_input(bytes, self.now);
            self.pump(c);
        }
    }

    pub(crate) fn hangup(&mut self, c: usize, to_server: bool) {
        let conn = &mut self.connections[c];
        if to_server {
            conn.server_open = false;
        } else if conn.client_open {
            conn.client.handle_close();
        }
        self.pump(c);
        self.note_closed(c);
    }

    /// Carry out everything both sessions want done now.
    fn pump(&mut self, c: usize) {
        loop {
            let mut progressed = false;
            while let Some(out) = self.connections[c].server.poll_output() {
                progressed = true;
                let conn = &mut self.connections[c];
                let (id, latency) = (conn.id, conn.latency);
                match out {
                    ServerOutput::Transmit(bytes) => {
                        let tls = conn.server_tls;
                        self.record_lines(id, Direction::ServerToClient, &bytes, tls);
                        self.schedule_in(latency, Task::Arrive { connection: c, to_server: false, bytes });
                    }
                    ServerOutput::TlsStarted => conn.server_tls = true,
                    ServerOutput::Explain { rfc, text } => self.explain(Some(id), rfc, &text),
                    ServerOutput::Close => {
                        if conn.server_open {
                            conn.server_open = false;
                            self.schedule_in(latency, Task::Hangup { connection: c, to_server: false });
                        }
                    }
                }
            }
            while let Some(out) = self.connections[c].client.poll_output() {
                progressed = true;
                let conn = &mut self.connections[c];
                let (id, latency) = (conn.id, conn.latency);
                match out {
                    ClientOutput::Transmit(bytes) => {
                        let tls = conn.client_tls;
                        self.record_lines(id, Direction::ClientToServer, &bytes, tls);
                        self.schedule_in(latency, Task::Arrive { connection: c, to_server: true, bytes });
                    }
                    ClientOutput::TlsStarted => {
                        conn.client_tls = true;
                        self.event(EventKind::TlsStarted { connection: id });
                    }
                    ClientOutput::Close => {
                        if conn.client_open {
                            conn.client_open = false;
                            self.schedule_in(latency, Task::Hangup { connection: c, to_server: true });
                        }
                    }
                    ClientOutput::Done(outcome) => {
                        let d = conn.delivery;
                        let server = conn.server_host;
                        self.session_outcome(d, server, outcome);
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        self.note_closed(c);
    }

    fn note_closed(&mut self, c: usize) {
        let conn = &mut self.connections[c];
        if !conn.client_open && !conn.server_open && !conn.closed {
            conn.closed = true;
            let id = conn.id;
            self.event(EventKind::Closed { connection: id });
        }
    }

    /// One `Line` event per CRLF-terminated line, exactly as sent.
    fn record_lines(&mut self, connection: ConnectionId, direction: Direction, bytes: &[u8], tls: bool) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let end = rest.windows(2).position(|w| w == b"\r\n");
            let (line, next) = match end {
                Some(i) => (&rest[..i], &rest[i + 2..]),
                None => (rest, &rest[rest.len()..]),
            };
            let text = String::from_utf8_lossy(line).into_owned();
            self.event(EventKind::Line { connection, direction, text, tls });
            rest = next;
        }
    }
}

/// How soon the queue manager picks up a newly queued message, in milliseconds.
const QMGR_DELAY_MS: u64 = 10;
