//! `mailflow-lab serve`: the world on real TCP ports, one per service, each standing for
//! every host of that role (the engine's router picks the host by the domain in play).
//!
//! One thread, non-blocking std sockets: each turn moves the virtual clock to the real one,
//! accepts, reads, lets the sessions answer, writes, and prints the new transcript lines.
//! A lab serves a classroom, not the internet; a plain loop is easy to follow and keeps the
//! engine single-threaded as it is in the browser.

use std::io::{ErrorKind, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use mailflow::engine::scenario::Scenario;
use mailflow::engine::world::{Listener, Simulator};
use rustls::{ServerConfig, ServerConnection};

use crate::client::Client;
use crate::live::{print_new, Clock};
use crate::options::{Port, ServeOptions};
use crate::{tls, Failure};

/// How long a turn with nothing to do sleeps: short enough that a typed line is answered at
/// once, long enough that an idle lab costs no CPU to speak of.
const IDLE: Duration = Duration::from_millis(2);

/// A port the lab listens on.
struct Bound {
    kind: Port,
    listener: Listener,
    socket: TcpListener,
}

pub fn run(options: &ServeOptions, scenario: &Scenario) -> Result<(), Failure> {
    let tls = match tls::server_config(scenario) {
        Ok(config) => Some(config),
        Err(e) => {
            eprintln!("mailflow-lab: no TLS ({e}); STARTTLS is not offered, implicit TLS not served");
            None
        }
    };
    let ports = bind(options, scenario, tls.is_some())?;
    let mut out = std::io::stdout();
    print_welcome(&mut out, scenario, &ports, options, tls.is_some());

    let mut sim = Simulator::new(scenario);
    let clock = Clock::start(options.time_scale);
    let mut clients: Vec<Client> = Vec::new();
    loop {
        // Queue runs, retries, the scenario's own actions and idle timeouts due by now.
        sim.advance_to(clock.now());
        let mut busy = accept(&ports, &mut sim, &mut clients, tls.as_ref(), options.clear_passwords_anywhere);
        for client in &mut clients {
            busy |= client.receive(&mut sim, tls.as_ref());
            // Also what the world said on its own: IDLE news, a timeout's goodbye.
            client.pump(&mut sim, tls.as_ref());
            busy |= client.send(&mut sim);
        }
        clients.retain(|c| !c.gone);
        print_new(&mut sim, &mut out);
        if !busy {
            std::thread::sleep(IDLE);
        }
    }
}

/// One listening socket per kind of port whose service some host of the world offers.
fn bind(options: &ServeOptions, scenario: &Scenario, tls: bool) -> Result<Vec<Bound>, Failure> {
    let mut ports = Vec::new();
    for (kind, port) in options.ports() {
        let (name, service) = (kind.name(), kind.service());
        if !scenario.hosts.iter().any(|h| h.offers(service)) {
            println!("{name}: no host of this world offers {}; not listening", service.name());
            continue;
        }
        if kind.implicit_tls() && !tls {
            // A port that must start with a TLS handshake cannot be served without TLS, and
            // plaintext there would be a lie to the client (RFC 8314 3).
            println!("{name}: no TLS, so no implicit TLS; not listening");
            continue;
        }
        let address = SocketAddr::new(options.address, port);
        let socket = TcpListener::bind(address).map_err(|e| {
            Failure(format!("cannot listen on {address} for {name}: {e} (--{name}-port picks another)"))
        })?;
        socket.set_nonblocking(true).map_err(|e| Failure(format!("{address}: {e}")))?;
        // TLS is offered only when it is real. Passwords in clear: decided per client, by
        // its address (`clear_passwords_from`).
        let listener = Listener {
            service,
            offer_tls: tls,
            plaintext_auth: false,
            offer_apop: true,
            esmtp: kind.esmtp(),
            implicit_tls: kind.implicit_tls(),
            // The answering host's own (`connect_external` sets them).
            smtpd: Default::default(),
        };
        ports.push(Bound { kind, listener, socket });
    }
    if ports.is_empty() {
        return Err(Failure("no host of this world offers any service to serve".into()));
    }
    Ok(ports)
}

/// The ports first, one `smtp on 127.0.0.1:2525` line each (tests and scripts read them; a
/// port asked as 0 shows the one the system picked), then what to log in with.
fn print_welcome(out: &mut impl Write, scenario: &Scenario, ports: &[Bound], options: &ServeOptions, tls: bool) {
    for port in ports {
        match port.socket.local_addr() {
            Ok(address) => {
                let _ = writeln!(out, "{} on {address}", port.kind.name());
            }
            Err(e) => eprintln!("mailflow-lab: {}: {e}", port.kind.name()),
        }
    }
    let _ = writeln!(out, "world: {} ({}), time scale {}", scenario.name, scenario.title, options.time_scale);
    let starttls = if tls {
        "STARTTLS/STLS, and TLS from the first byte on submissions, pop3s and imaps, with a self-signed \
         certificate made at start"
    } else {
        "no TLS"
    };
    let clear = if options.clear_passwords_anywhere {
        "passwords are accepted in clear from any address (--clear-passwords-anywhere)"
    } else {
        "passwords in clear only from this machine (loopback); from elsewhere only inside TLS \
         (--clear-passwords-anywhere allows them)"
    };
    let _ = writeln!(out, "tls: {starttls}; {clear}");
    if ports.iter().any(|p| p.kind == Port::HeloOnly) {
        let _ = writeln!(out, "helo-only: the SMTP relay as an RFC 821 server: EHLO is refused, HELO works");
    }
    let users: Vec<String> = scenario.users.iter().map(|u| format!("{}/{}", u.address, u.password)).collect();
    let _ = writeln!(out, "users: {}", users.join(" "));
    let _ = out.flush();
}

/// Whether a client may send its password in clear: from this machine, as Dovecot
/// (`disable_plaintext_auth` exempts loopback) and Postfix treat it, so that telnet works in
/// class; from elsewhere only inside TLS, unless the teacher asked otherwise.
fn clear_passwords_from(peer: IpAddr, anywhere: bool) -> bool {
    anywhere || peer.to_canonical().is_loopback()
}

/// Take every waiting connection; true if there was one.
fn accept(ports: &[Bound], sim: &mut Simulator, clients: &mut Vec<Client>, tls: Option<&Arc<ServerConfig>>, anywhere: bool) -> bool {
    let mut busy = false;
    for port in ports {
        loop {
            match port.socket.accept() {
                Ok((stream, peer)) => {
                    busy = true;
                    // A socket that cannot be made non-blocking would stall every client.
                    if stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    // Lines are small and interactive: send each reply at once.
                    let _ = stream.set_nodelay(true);
                    // Implicit TLS (RFC 8314 3): the handshake comes first, so rustls is in place
                    // before the greeting; it holds the greeting until the handshake is done.
                    let handshake = match tls {
                        Some(config) if port.listener.starts_in_tls() => {
                            match ServerConnection::new(Arc::clone(config)) {
                                Ok(connection) => Some(connection),
                                Err(e) => {
                                    eprintln!("mailflow-lab: TLS for a client on {}: {e}", port.kind.name());
                                    continue;
                                }
                            }
                        }
                        _ => None,
                    };
                    let listener = Listener { plaintext_auth: clear_passwords_from(peer.ip(), anywhere), ..port.listener };
                    if let Some(session) = sim.connect_external(listener, &peer.ip().to_string(), peer.port()) {
                        let mut client = Client::new(stream, session, handshake);
                        client.pump(sim, tls);
                        clients.push(client);
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    // Out of file descriptors, say: wait for clients to leave, try next turn.
                    eprintln!("mailflow-lab: accepting on {}: {e}", port.kind.name());
                    break;
                }
            }
        }
    }
    busy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_passwords_only_from_this_machine_unless_asked() {
        for local in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            assert!(clear_passwords_from(local.parse().unwrap(), false), "{local}");
        }
        for remote in ["192.0.2.7", "10.0.0.5", "2001:db8::1", "::ffff:192.0.2.7"] {
            assert!(!clear_passwords_from(remote.parse().unwrap(), false), "{remote}");
            assert!(clear_passwords_from(remote.parse().unwrap(), true), "{remote}");
        }
    }
}
