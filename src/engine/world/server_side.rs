//! The server end of a connection, whatever the protocol: SMTP and LMTP, POP3 or IMAP, any
//! server session (`engine::session::Session`) over a host that can answer all of them. The
//! simulator and the live lab feed it bytes and read its outputs in one shape.

use crate::engine::imap::{self, ImapHost};
use crate::engine::pop3::{self, Maildrop};
use crate::engine::scenario::{Service, Smtpd};
use crate::engine::session::{Note, Output, Session};
use crate::engine::smtp::{self, Mta, Peer};
use crate::engine::time::VirtualTime;

/// A host every server session can run on: it answers SMTP's, POP3's and IMAP's questions.
pub trait ServerHost: Mta + Maildrop + ImapHost {}

impl<T: Mta + Maildrop + ImapHost> ServerHost for T {}

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
    /// The SMTP server's settings on the host that answers (VRFY, error limits).
    pub smtpd: Smtpd,
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
            implicit_tls: service.implicit_tls(),
            smtpd: Smtpd::default(),
        }
    }

    /// The session is inside TLS from its first byte.
    pub fn starts_in_tls(&self) -> bool {
        self.implicit_tls || self.service.implicit_tls()
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

/// What a server end offers beyond the session: what it accepts next, and (IMAP in IDLE)
/// news of a mailbox another session changed.
trait ServerEnd: for<'h> Session<dyn ServerHost + 'h, Event = Note> {
    fn expects(&self) -> Expects;
    fn held_until(&self) -> Option<VirtualTime> {
        None
    }
    fn mailbox_changed(&mut self, _now: VirtualTime, _host: &mut (dyn ServerHost + '_)) {}
}

impl ServerEnd for smtp::ServerSession {
    fn expects(&self) -> Expects {
        Expects::Smtp(smtp::ServerSession::expects(self))
    }
    fn held_until(&self) -> Option<VirtualTime> {
        smtp::ServerSession::held_until(self)
    }
}

impl ServerEnd for pop3::ServerSession {
    fn expects(&self) -> Expects {
        Expects::Pop3(pop3::ServerSession::expects(self))
    }
}

impl ServerEnd for imap::ServerSession {
    fn expects(&self) -> Expects {
        Expects::Imap(imap::ServerSession::expects(self))
    }
    /// RFC 2177: a session waiting in IDLE tells its client now; the others at their next
    /// command.
    fn mailbox_changed(&mut self, now: VirtualTime, host: &mut (dyn ServerHost + '_)) {
        self.handle_mailbox_change(now, host);
    }
}

pub struct ServerSide(Box<dyn ServerEnd>);

impl ServerSide {
    /// A new session of the listener, on the host named `hostname`; `serial` makes the POP3
    /// APOP timestamp unique per connection.
    pub fn new(listener: Listener, hostname: &str, peer: Peer, serial: u64, now: VirtualTime) -> ServerSide {
        ServerSide(match listener.service.protocol() {
            Service::Pop3 => {
                let mut config = if listener.implicit_tls {
                    pop3::ServerConfig::pop3s(hostname)
                } else {
                    pop3::ServerConfig::pop3(hostname)
                };
                config.offer_stls &= listener.offer_tls;
                config.require_tls_for_plaintext &= !listener.plaintext_auth;
                config.offer_apop = listener.offer_apop;
                Box::new(pop3::ServerSession::new(config, serial, now))
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
                Box::new(imap::ServerSession::new(config, now))
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
                if service != Service::Lmtp {
                    // main.cf's settings are Postfix's; the LMTP server is Dovecot's.
                    config.disable_vrfy_command = listener.smtpd.disable_vrfy_command;
                    config.soft_error_limit = listener.smtpd.smtpd_soft_error_limit;
                    config.hard_error_limit = listener.smtpd.smtpd_hard_error_limit;
                    config.error_sleep_ms = listener.smtpd.smtpd_error_sleep_time.saturating_mul(1000);
                }
                if !listener.esmtp {
                    // An RFC 821 server's banner does not claim ESMTP (clients such as Exim
                    // look for that word before trying EHLO).
                    config.greeting = "SMTP".to_string();
                }
                Box::new(smtp::ServerSession::new(config, now).with_peer(peer))
            }
        })
    }

    pub fn input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut dyn ServerHost) {
        self.0.handle_input(bytes, now, host);
    }

    /// The client has hung up: a POP3 server releases the maildrop and deletes nothing
    /// (RFC 1939 6: only QUIT enters the UPDATE state).
    pub fn lost_client(&mut self, now: VirtualTime, host: &mut dyn ServerHost) {
        self.0.handle_close(now, host);
    }

    pub fn poll(&mut self) -> Option<Output<Note>> {
        self.0.poll_output()
    }

    pub fn expects(&self) -> Expects {
        self.0.expects()
    }

    /// When the session wants `on_timeout` called (an idle client is logged out).
    pub fn deadline(&self) -> Option<VirtualTime> {
        self.0.poll_timeout()
    }

    /// When a reply the server keeps back (an SMTP server's error sleep) is due.
    pub fn held_until(&self) -> Option<VirtualTime> {
        self.0.held_until()
    }

    pub fn on_timeout(&mut self, now: VirtualTime, host: &mut dyn ServerHost) {
        self.0.handle_timeout(now, host);
    }

    /// Another session changed the store.
    pub fn mailbox_changed(&mut self, now: VirtualTime, host: &mut dyn ServerHost) {
        self.0.mailbox_changed(now, host);
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
            Some(Output::Transmit(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            _ => String::new(),
        };
        // Inside TLS from the first byte: no STLS or STARTTLS offered in the greeting.
        let mut pop3 = ServerSide::new(lab(Service::Pop3, true), "pop.test", peer(), 1, VirtualTime::ZERO);
        let said = greeting(&mut pop3);
        assert!(said.starts_with("+OK"), "{said}");
        let mut imap = ServerSide::new(lab(Service::Imap, true), "imap.test", peer(), 1, VirtualTime::ZERO);
        let said = greeting(&mut imap);
        assert!(said.starts_with("* OK") && !said.contains("STARTTLS"), "{said}");
        let old = Listener { esmtp: false, ..Listener::simulated(Service::Smtp) };
        let mut smtp = ServerSide::new(old, "mx.test", peer(), 1, VirtualTime::ZERO);
        assert_eq!(greeting(&mut smtp), "220 mx.test SMTP\r\n", "an RFC 821 banner claims no ESMTP");
    }
}
