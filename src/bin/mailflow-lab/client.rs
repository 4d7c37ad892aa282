//! One real client over TCP: a non-blocking socket, TLS from the first byte or once the
//! session starts it, and the engine's server end of the session. The engine only ever sees plaintext.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;

use mailflow::engine::world::{ExternalId, ExternalOutput, Simulator};
use rustls::{ServerConfig, ServerConnection};

/// Reads per client per turn of the loop: enough for a fast client to send a large message
/// quickly, few enough that one client cannot starve the others.
const READS_PER_TURN: usize = 8;

/// Bytes read from the socket at once.
const CHUNK: usize = 16 * 1024;

pub struct Client {
    stream: TcpStream,
    session: ExternalId,
    /// Present from the moment the session said `220 Ready to start TLS` (or `+OK`, `OK`),
    /// or from the start on an implicit-TLS port (RFC 8314 3).
    tls: Option<ServerConnection>,
    /// Bytes for the socket, in order: clear text before STARTTLS, TLS records after it. One
    /// buffer keeps the order: the last clear reply goes out before the first TLS record.
    wire: Vec<u8>,
    /// The session is over: send what is left, then close.
    closing: bool,
    /// The socket is finished with; the lab forgets the client.
    pub gone: bool,
}

impl Client {
    /// `tls` is the handshake to run before anything else, on an implicit-TLS port.
    pub fn new(stream: TcpStream, session: ExternalId, tls: Option<ServerConnection>) -> Client {
        Client { stream, session, tls, wire: Vec::new(), closing: false, gone: false }
    }

    /// Read what the client sent and hand it to the session, answering as it goes. True if
    /// anything arrived.
    pub fn receive(&mut self, sim: &mut Simulator, tls: Option<&Arc<ServerConfig>>) -> bool {
        let mut busy = false;
        let mut buf = vec![0u8; CHUNK];
        for _ in 0..READS_PER_TURN {
            if self.closing || self.gone {
                break;
            }
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    // The client has finished sending (it may only have shut down its
                    // half, as `nc` does): the session ends, but the replies already made
                    // still go out.
                    sim.disconnect_external(self.session);
                    self.closing = true;
                    return true;
                }
                Ok(n) => {
                    busy = true;
                    self.incoming(sim, &buf[..n]);
                    // Answer before reading on: a STARTTLS reply switches how the next
                    // bytes are read.
                    self.pump(sim, tls);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.hang_up(sim);
                    return true;
                }
            }
        }
        busy
    }

    /// Bytes off the socket: straight to the session in clear, through rustls inside TLS.
    fn incoming(&mut self, sim: &mut Simulator, bytes: &[u8]) {
        let Some(tls) = &mut self.tls else {
            sim.external_input(self.session, bytes);
            return;
        };
        let mut plain = Vec::new();
        let mut rest = bytes;
        let mut failed = false;
        let mut peer_closed = false;
        while !rest.is_empty() && !failed {
            match tls.read_tls(&mut rest) {
                Ok(0) => break,
                Ok(_) => {}
                Err(_) => failed = true,
            }
            if let Err(e) = tls.process_new_packets() {
                // rustls has queued an alert saying why; it goes out before the close.
                eprintln!("mailflow-lab: TLS with a client failed: {e}");
                failed = true;
            }
            let mut buf = [0u8; 4096];
            loop {
                match tls.reader().read(&mut buf) {
                    Ok(0) => {
                        peer_closed = true;
                        break;
                    }
                    Ok(n) => plain.extend_from_slice(&buf[..n]),
                    // No more plaintext for now (WouldBlock), or the peer's stream ended
                    // uncleanly, which the socket's end will tell.
                    Err(_) => break,
                }
            }
        }
        self.flush_tls();
        if !plain.is_empty() {
            sim.external_input(self.session, &plain);
        }
        if failed || peer_closed {
            sim.disconnect_external(self.session);
            self.closing = true;
        }
    }

    /// Carry out what the session wants: bytes to send, TLS to start, the end.
    pub fn pump(&mut self, sim: &mut Simulator, config: Option<&Arc<ServerConfig>>) {
        while let Some(output) = sim.poll_external(self.session) {
            match output {
                ExternalOutput::Transmit(bytes) => match &mut self.tls {
                    // Writing into rustls's own buffer cannot fail short of memory.
                    Some(tls) => {
                        let _ = tls.writer().write_all(&bytes);
                    }
                    None => self.wire.extend_from_slice(&bytes),
                },
                ExternalOutput::StartTls => match config.map(|c| ServerConnection::new(Arc::clone(c))) {
                    Some(Ok(tls)) => self.tls = Some(tls),
                    // The lab offers STARTTLS only with a working TLS configuration; if it
                    // still cannot start, the client must not go on in clear thinking it is
                    // encrypted.
                    _ => {
                        sim.disconnect_external(self.session);
                        self.closing = true;
                    }
                },
                ExternalOutput::Close => {
                    if let Some(tls) = &mut self.tls {
                        tls.send_close_notify();
                    }
                    self.closing = true;
                }
            }
        }
        self.flush_tls();
    }

    /// Move TLS records (handshake, data, alerts) from rustls into the socket's buffer.
    fn flush_tls(&mut self) {
        if let Some(tls) = &mut self.tls {
            while tls.wants_write() {
                match tls.write_tls(&mut self.wire) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        }
    }

    /// Send what the socket takes now; close once the session is over and all is sent. True
    /// if anything was sent.
    pub fn send(&mut self, sim: &mut Simulator) -> bool {
        let mut sent = 0;
        while sent < self.wire.len() && !self.gone {
            match self.stream.write(&self.wire[sent..]) {
                Ok(0) => break,
                Ok(n) => sent += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => self.hang_up(sim),
            }
        }
        self.wire.drain(..sent);
        if self.closing && self.wire.is_empty() && !self.gone {
            let _ = self.stream.shutdown(Shutdown::Both);
            // A no-op if the session closed itself; needed when TLS failed under it.
            sim.disconnect_external(self.session);
            self.gone = true;
        }
        sent > 0
    }

    /// The client went away (or its socket failed): the session ends without a goodbye.
    fn hang_up(&mut self, sim: &mut Simulator) {
        sim.disconnect_external(self.session);
        self.gone = true;
    }
}
