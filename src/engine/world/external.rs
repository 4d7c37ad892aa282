//! Clients from outside the world: a real program (telnet, swaks, Thunderbird, Python's
//! smtplib) connected over TCP by the live lab. The world runs the server end of the session
//! with the same machines and hosts as in a scenario, records every line in the trace, and
//! hands back the bytes to send. The sockets, and real TLS, are the driver's business.

use std::collections::VecDeque;

use crate::engine::scenario::Service;
use crate::engine::smtp::Peer;
use crate::engine::trace::{details, ConnectionId, Direction, EventKind};
use crate::engine::time::VirtualTime;
use crate::engine::world::router::{RouterMta, Routing};
use crate::engine::session::{Note, Output};
use crate::engine::world::server_side::{Expects, Listener, ServerSide};
use crate::engine::world::simulator::{Simulator, Task};

/// A session with a client from outside: its connection's number. `Simulator::externals` holds
/// only the sessions under way (a session is dropped once its client is gone), so a lab that
/// serves a class all day neither slows down nor grows.
pub type ExternalId = usize;

/// What the driver must do for an outside client, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalOutput {
    /// Send these bytes.
    Transmit(Vec<u8>),
    /// The bytes before this were the last in clear: start the TLS handshake now (the
    /// server said `220 Ready to start TLS`, `+OK Begin TLS`, or `OK Begin TLS`).
    StartTls,
    /// Close the connection.
    Close,
}

pub struct External {
    pub id: ConnectionId,
    listener: Listener,
    server: ServerSide,
    routing: Routing,
    tls: bool,
    open: bool,
    /// Client bytes not yet ending in a line break, held back so the trace shows whole lines.
    partial: Vec<u8>,
    out: VecDeque<ExternalOutput>,
}

impl Simulator<'_> {
    /// The host that answers an outside client on `service`: the first that offers it.
    pub(crate) fn front(&self, service: Service) -> Option<usize> {
        self.scenario.hosts.iter().position(|h| h.offers(service))
    }

    /// A client from outside connects to the listener. The first host offering the service
    /// answers; the questions of the session are routed by domain (`router.rs`). `None` when
    /// no host of the world offers the service.
    pub fn connect_external(&mut self, listener: Listener, peer_address: &str, peer_port: u16) -> Option<ExternalId> {
        let service = listener.service;
        let front = self.front(service)?;
        let listener = Listener { smtpd: self.hosts[front].smtpd, ..listener };
        let id = self.next_connection_id();
        let name = self.hosts[front].name.clone();
        self.event(EventKind::Connected(Box::new(details::Connected {
            connection: id,
            client: peer_address.to_owned(),
            client_port: peer_port,
            server: name.clone(),
            // 995 and 993 for POP3 and IMAP over implicit TLS: the port a real client would
            // have dialled (RFC 8314 3.1, 3.2), not the plaintext service's.
            port: listener.port(),
            protocol: service,
            carrying: None,
        })));
        // Implicit TLS (RFC 8314 3): the driver starts the handshake before any line goes out.
        let implicit = listener.starts_in_tls();
        if implicit {
            self.event(EventKind::TlsStarted { connection: id });
        }
        let peer = Peer { address: peer_address.to_owned(), host_name: None };
        let server = ServerSide::new(listener, &name, peer, u64::from(id), self.now);
        let x = id as ExternalId;
        self.externals.insert(x, External {
            id,
            listener,
            server,
            routing: Routing { front, home: None, sender: None },
            tls: implicit,
            open: true,
            partial: Vec::new(),
            out: VecDeque::new(),
        });
        self.pump_external(x);
        Some(x)
    }

    /// Bytes from the outside client (already decrypted, inside TLS).
    pub fn external_input(&mut self, x: ExternalId, bytes: &[u8]) {
        let Some(external) = self.externals.get_mut(&x).filter(|e| e.open) else { return };
        let (id, tls) = (external.id, external.tls);
        let mut pending = std::mem::take(&mut external.partial);
        pending.extend_from_slice(bytes);
        let complete = pending.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let rest = pending.split_off(complete);
        for line in pending.split_inclusive(|&b| b == b'\n') {
            let text = line.strip_suffix(b"\n").unwrap_or(line);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            let text = String::from_utf8_lossy(text).into_owned();
            self.event(EventKind::Line { connection: id, direction: Direction::ClientToServer, text, tls });
        }
        let Some(external) = self.externals.get_mut(&x) else { return };
        external.partial = rest;
        let now = self.now;
        let queued = self.drive(x, |server, router| server.input(bytes, now, router)).unwrap_or_default();
        self.pump_external(x);
        for (host, queue_id) in queued {
            self.schedule_in(10, Task::QueueRun { host, queue_id });
        }
        self.poke_idle_sessions();
    }

    /// The next thing to do for the outside client, if any.
    pub fn poll_external(&mut self, x: ExternalId) -> Option<ExternalOutput> {
        self.externals.get_mut(&x)?.out.pop_front()
    }

    /// What the server of an outside session will accept next (`None` once it is gone): where
    /// the lab's hints come from.
    pub fn external_expects(&self, x: ExternalId) -> Option<Expects> {
        self.externals.get(&x).filter(|e| e.open).map(|e| e.server.expects())
    }

    /// The outside client has gone (or the driver gave up on it): its session ends and its
    /// slot is freed.
    pub fn disconnect_external(&mut self, x: ExternalId) {
        let open = self.externals.get(&x).is_some_and(|e| e.open);
        if open {
            let now = self.now;
            self.drive(x, |server, router| server.lost_client(now, router));
        }
        let Some(external) = self.externals.remove(&x) else { return };
        if open {
            self.event(EventKind::Closed { connection: external.id });
        }
    }

    /// Let the world run up to `t`: queue runs, retries and simulated sessions due by then,
    /// and the timeouts of outside sessions.
    pub fn advance_to(&mut self, t: VirtualTime) {
        while self.run_next_due(t) {
            self.poke_idle_sessions();
        }
        self.now = self.now.max(t);
        let now = self.now;
        let due: Vec<ExternalId> = self
            .externals
            .iter()
            .filter(|(_, e)| e.open && e.server.deadline().is_some_and(|d| d <= now))
            .map(|(&x, _)| x)
            .collect();
        for x in due {
            self.drive(x, |server, router| server.on_timeout(now, router));
            self.pump_external(x);
        }
    }

    /// Outside IMAP sessions in IDLE hear of new mail and others' changes at once.
    fn poke_idle_sessions(&mut self) {
        let idle: Vec<ExternalId> =
            self.externals.iter().filter(|(_, e)| e.open && e.listener.service.protocol() == Service::Imap).map(|(&x, _)| x).collect();
        for x in idle {
            let now = self.now;
            self.drive(x, |server, router| server.mailbox_changed(now, router));
            self.pump_external(x);
        }
    }

    /// Let an outside session's server act, its questions routed to the world's hosts; the
    /// mail it queued meanwhile, by (host, queue id).
    fn drive(&mut self, x: ExternalId, act: impl FnOnce(&mut ServerSide, &mut RouterMta<'_>)) -> Option<Vec<(usize, String)>> {
        let external = self.externals.get_mut(&x)?;
        let mut queued = Vec::new();
        let mut router = RouterMta {
            scenario: &self.scenario,
            hosts: &mut self.hosts,
            service: external.listener.service,
            now: self.now,
            dns: &self.dns,
            events: &mut self.events,
            queued: &mut queued,
            routing: &mut external.routing,
        };
        act(&mut external.server, &mut router);
        Some(queued)
    }

    fn pump_external(&mut self, x: ExternalId) {
        loop {
            let Some(external) = self.externals.get_mut(&x) else { return };
            let Some(wire) = external.server.poll() else { return };
            let (id, tls) = (external.id, external.tls);
            match wire {
                Output::Transmit(bytes) => {
                    external.out.push_back(ExternalOutput::Transmit(bytes.clone()));
                    self.record_lines(id, Direction::ServerToClient, &bytes, tls);
                }
                Output::TlsStarted => {
                    external.tls = true;
                    external.out.push_back(ExternalOutput::StartTls);
                    self.event(EventKind::TlsStarted { connection: id });
                }
                Output::Event(Note { rfc, text }) => self.explain(Some(id), rfc, &text),
                Output::Close => {
                    external.out.push_back(ExternalOutput::Close);
                    if external.open {
                        external.open = false;
                        self.event(EventKind::Closed { connection: id });
                    }
                }
            }
        }
    }
}
