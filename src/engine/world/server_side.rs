//! The server end of a connection, whatever the protocol: SMTP and LMTP, POP3 or IMAP. The
//! simulator and the live lab feed it bytes and read its outputs in one shape.

use crate::engine::imap::{self, ImapHost};
use crate::engine::pop3::{self, Maildrop};
use crate::engine::scenario::Service;
use crate::engine::smtp::{self, Mta, Peer};
use crate::engine::time::VirtualTime;

/// What one end of a connection wants done.
pub enum Wire {
    Transmit(Vec<u8>),
    /// From here on this end's lines are inside TLS.
    TlsStarted,
    /// A teaching note from a server.
    Explain(&'static str, String),
    Close,
}

/// How the server of a port behaves, with the TLS choices of the place it runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    pub service: Service,
    /// STARTTLS/STLS is offered. Off where TLS cannot be real (a plain TCP lab without
    /// certificates): a pretend handshake would break real clients.
    pub offer_tls: bool,
    /// Passwords are accepted outside TLS, as Dovecot and Postfix do on loopback, which they
    /// treat as secure.
    pub plaintext_auth: bool,
    /// POP3 offers APOP (a timestamp in the greeting, RFC 1939 7). Off by default, as in
    /// Dovecot, since it needs the password stored in clear; a lab turns it on to show it.
    pub offer_apop: bool,
    /// The SMTP server speaks ESMTP (RFC 1869). Off, it is a pre-ESMTP (RFC 821) server that
    /// refuses EHLO, so that a client's fallback to HELO can be seen (`smtp::ServerConfig`'s
    /// `esmtp`). The simulated internet is all ESMTP.
    pub esmtp: bool,
    /// TLS from the first byte (RFC 8314 3): POP3 on 995 (3.1), IMAP on 993 (3.2). Submission on 465
    /// (`Service::Submissions`) always is, whatever this says; for the others the driver
    /// runs the handshake before the greeting.
    pub implicit_tls: bool,
}

impl Listener {
    /// A port of the simulated internet: TLS offered (simulated), passwords only inside it.
    pub fn simulated(service: Service) -> Listener {
        Listener {
            service,
            offer_tls: true,
            plaintext_auth: false,
            offer_apop: false,
            esmtp: true,
            implicit_tls: service == Service::Submissions,
        }
    }

    /// The session is inside TLS from its first byte.
    pub fn starts_in_tls(&self) -> bool {
        self.implicit_tls || self.service == Service::Submissions
    }

    /// The standard port this listener stands for, as the trace shows it: for POP3 and IMAP
    /// inside TLS from the first byte, the implicit-TLS ports of RFC 8314 3.1 and 3.2.
    pub fn port(&self) -> u16 {
        match (self.service, self.starts_in_tls()) {
            (Service::Pop3, true) => 995,
            (Service::Imap, true) => 993,
            (service, _) => service.port(),
        }
    }
}

/// What a server end will accept next, in its protocol's terms (each protocol's `Expects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expects {
    Smtp(smtp::Expects),
    Pop3(pop3::Expects),
    Imap(imap::Expects),
}

pub enum ServerSide {
    Smtp(smtp::ServerSession),
    Pop3(pop3::ServerSession),
    Imap(imap::ServerSession),
}

impl ServerSide {
    /// A new session of the listener, on the host named `hostname`; `serial` makes the POP3
    /// APOP timestamp unique per connection.
    pub fn new(listener: Listener, hostname: &str, peer: Peer, serial: u64, now: VirtualTime) -> ServerSide {
        match listener.service {
            Service::Pop3 => {
                let mut config = if listener.implicit_tls {
                    pop3::ServerConfig::pop3s(hostname)
                } else {
                    pop3::ServerConfig::pop3(hostname)
                };
                config.offer_stls &= listener.offer_tls;
                config.require_tls_for_plaintext &= !listener.plaintext_auth;
                config.offer_apop = listener.offer_apop;
                ServerSide::Pop3(pop3::ServerSession::new(config, serial, now))
            }
            Service::Imap => {
                let mut config = imap::ServerConfig::new(hostname);
                // RFC 8314 3.2: port 993 is inside TLS from the start, so no STARTTLS there.
                config.implicit_tls = listener.implicit_tls;
                config.offer_starttls &= listener.offer_tls && !listener.implicit_tls;
                // Dovecot's `disable_plaintext_auth = yes` (its default, as for POP3 here): no
                // password in clear, LOGINDISABLED until STARTTLS (RFC 9051 6.2.3), except
                // where the listener allows it (a plain TCP lab without certificates).
                config.require_tls_for_login = !listener.plaintext_auth;
                ServerSide::Imap(imap::ServerSession::new(config, now))
            }
            service => {
                let mut config = match service {
                    Service::Submission => smtp::ServerConfig::submission(hostname),
                    Service::Submissions => smtp::ServerConfig::submissions(hostname),
                    Service::Lmtp => smtp::ServerConfig::lmtp(hostname),
                    _ => smtp::ServerConfig::mx(hostname),
                };
                if listener.implicit_tls {
                    // RFC 8314 3.3: already inside TLS, so STARTTLS is not offered.
                    config.implicit_tls = true;
                    config.offer_starttls = false;
                }
                config.offer_starttls &= listener.offer_tls;
                config.require_tls_for_auth &= !listener.plaintext_auth;
                config.esmtp = listener.esmtp;
                if !listener.esmtp {
                    // An RFC 821 server's banner does not claim ESMTP (clients such as Exim
                    // look for that word before trying EHLO).
                    config.greeting = "SMTP".to_string();
                }
                ServerSide::Smtp(smtp::ServerSession::new(config, now).with_peer(peer))
            }
        }
    }

    pub fn input<H: Mta + Maildrop + ImapHost>(&mut self, bytes: &[u8], now: VirtualTime, host: &mut H) {
        match self {
            ServerSide::Smtp(s) => s.handle_input(bytes, now, host),
            ServerSide::Pop3(s) => s.handle_input(bytes, now, host),
            ServerSide::Imap(s) => s.handle_input(bytes, now, host),
        }
    }

    /// The client has hung up: a POP3 server releases the maildrop and deletes nothing
    /// (RFC 1939 6: only QUIT enters the UPDATE state).
    pub fn lost_client<H: Maildrop>(&mut self, host: &mut H) {
        if let ServerSide::Pop3(s) = self {
            if !s.is_closed() {
                s.handle_close(host);
            }
        }
    }

    pub fn poll(&mut self) -> Option<Wire> {
        match self {
            ServerSide::Smtp(s) => s.poll_output().map(|o| match o {
                smtp::ServerOutput::Transmit(b) => Wire::Transmit(b),
                smtp::ServerOutput::TlsStarted => Wire::TlsStarted,
                smtp::ServerOutput::Explain { rfc, text } => Wire::Explain(rfc, text),
                smtp::ServerOutput::Close => Wire::Close,
            }),
            ServerSide::Pop3(s) => s.poll_output().map(|o| match o {
                pop3::ServerOutput::Transmit(b) => Wire::Transmit(b),
                pop3::ServerOutput::TlsStarted => Wire::TlsStarted,
                pop3::ServerOutput::Explain { rfc, text } => Wire::Explain(rfc, text),
                pop3::ServerOutput::Close => Wire::Close,
            }),
            ServerSide::Imap(s) => s.poll_output().map(|o| match o {
                imap::ServerOutput::Transmit(b) => Wire::Transmit(b),
                imap::ServerOutput::TlsStarted => Wire::TlsStarted,
                imap::ServerOutput::Explain { rfc, text } => Wire::Explain(rfc, text),
                imap::ServerOutput::Close => Wire::Close,
            }),
        }
    }

    pub fn expects(&self) -> Expects {
        match self {
            ServerSide::Smtp(s) => Expects::Smtp(s.expects()),
            ServerSide::Pop3(s) => Expects::Pop3(s.expects()),
            ServerSide::Imap(s) => Expects::Imap(s.expects()),
        }
    }

    /// When the session wants `on_timeout` called (an idle client is logged out).
    pub fn deadline(&self) -> Option<VirtualTime> {
        match self {
            ServerSide::Smtp(s) => s.poll_timeout(),
            ServerSide::Pop3(s) => s.poll_timeout(),
            ServerSide::Imap(s) => s.poll_timeout(),
        }
    }

    pub fn on_timeout<H: Maildrop>(&mut self, now: VirtualTime, host: &mut H) {
        match self {
            ServerSide::Smtp(s) => s.handle_timeout(now),
            ServerSide::Pop3(s) => s.handle_timeout(now, host),
            ServerSide::Imap(s) => s.handle_timeout(now),
        }
    }

    /// Another session changed the store: an IMAP session that waits in IDLE tells its
    /// client now (RFC 2177); the others tell at their next command.
    pub fn mailbox_changed<H: ImapHost>(&mut self, now: VirtualTime, host: &mut H) {
        if let ServerSide::Imap(s) = self {
            s.handle_mailbox_change(now, host);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(service: Service, implicit_tls: bool) -> Listener {
        Listener { implicit_tls, ..Listener::simulated(service) }
    }

    #[test]
    fn implicit_tls_ports_are_the_rfc_8314_ones() {
        assert_eq!((lab(Service::Pop3, true).port(), lab(Service::Imap, true).port()), (995, 993));
        assert_eq!((lab(Service::Pop3, false).port(), lab(Service::Imap, false).port()), (110, 143));
        assert!(Listener::simulated(Service::Submissions).starts_in_tls());
        assert!(!Listener::simulated(Service::Submission).starts_in_tls());
    }

    #[test]
    fn sessions_start_as_the_listener_says() {
        let peer = || Peer { address: "127.0.0.1".into(), host_name: None };
        let greeting = |side: &mut ServerSide| match side.poll() {
            Some(Wire::Transmit(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            _ => String::new(),
        };
        let ServerSide::Pop3(pop3) =
            ServerSide::new(lab(Service::Pop3, true), "pop.test", peer(), 1, VirtualTime::ZERO)
        else {
            panic!("a POP3 session")
        };
        assert!(pop3.config().implicit_tls && !pop3.config().offer_stls);
        let ServerSide::Imap(imap) =
            ServerSide::new(lab(Service::Imap, true), "imap.test", peer(), 1, VirtualTime::ZERO)
        else {
            panic!("an IMAP session")
        };
        assert!(imap.config().implicit_tls && !imap.config().offer_starttls);
        let old = Listener { esmtp: false, ..Listener::simulated(Service::Smtp) };
        let mut smtp = ServerSide::new(old, "mx.test", peer(), 1, VirtualTime::ZERO);
        assert_eq!(greeting(&mut smtp), "220 mx.test SMTP\r\n", "an RFC 821 banner claims no ESMTP");
    }
}
