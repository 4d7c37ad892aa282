//! The AUTHORIZATION state (RFC 1939 4, 7): USER/PASS, APOP, AUTH PLAIN (RFC 5034), STLS
//! (RFC 2595 4), CAPA (RFC 2449 5) and QUIT, up to the maildrop lock.

use super::listing::Listing;
use crate::engine::sasl::{decode_plain, PlainResponse};
use super::{replies, Maildrop, Phase, ServerOutput, ServerSession, MAILDROP_FOLDER};
use crate::engine::pop3::apop;
use crate::engine::pop3::command::Command;

impl ServerSession {
    pub(super) fn authorization(&mut self, command: Command, host: &mut (impl Maildrop + ?Sized)) {
        match command {
            Command::User { name } => {
                if !self.plaintext_allowed() {
                    return self.plaintext_refused(host);
                }
                self.phase = Phase::Authorization { user: Some(name) };
                self.send(replies::ok(""));
            }
            Command::Pass { password } => {
                let user = match &mut self.phase {
                    Phase::Authorization { user } => user.take(),
                    _ => None,
                };
                let Some(user) = user else {
                    return self.bad_command(replies::no_username(), host);
                };
                if !self.plaintext_allowed() {
                    return self.plaintext_refused(host);
                }
                if host.authenticate(&user, &password) {
                    self.login(user, host);
                } else {
                    self.auth_failed(host);
                }
            }
            Command::Apop { name, digest } => self.apop(name, &digest, host),
            Command::Auth {
                mechanism: None, ..
            } => {
                // Dovecot still lists mechanisms for a bare AUTH, as RFC 1734 clients expect.
                let mechanisms: Vec<String> =
                    self.mechanisms().iter().map(|m| m.to_string()).collect();
                self.send_lines(replies::ok(""), &mechanisms);
            }
            Command::Auth {
                mechanism: Some(mechanism),
                initial_response,
            } => {
                if mechanism != "PLAIN" {
                    return self.bad_command(replies::unsupported_mechanism(), host);
                }
                if !self.plaintext_allowed() {
                    return self.plaintext_refused(host);
                }
                match initial_response {
                    Some(response) => self.plain_response(response.as_bytes(), host),
                    None => {
                        // RFC 5034 4: `+ ` and PLAIN's empty challenge.
                        self.send("+ ".to_string());
                        self.phase = Phase::SaslPlain;
                    }
                }
            }
            Command::Stls => self.stls(),
            Command::Capa => {
                let mut caps = vec![
                    "CAPA",
                    "TOP",
                    "UIDL",
                    "RESP-CODES",
                    "PIPELINING",
                    "AUTH-RESP-CODE",
                ];
                if self.config.offer_stls && !self.info.tls {
                    caps.push("STLS");
                }
                if self.plaintext_allowed() {
                    caps.push("USER");
                    caps.push("SASL PLAIN");
                }
                let caps: Vec<String> = caps.into_iter().map(String::from).collect();
                self.send_lines(replies::ok(""), &caps);
            }
            Command::Quit => self.close_with(replies::logging_out_unauthenticated()),
            // `is_authorization` let only the commands above through.
            other => self.unknown(Some(other.verb()), host),
        }
    }

    pub(super) fn plaintext_allowed(&self) -> bool {
        self.info.tls || !self.config.require_tls_for_plaintext
    }

    fn mechanisms(&self) -> Vec<&'static str> {
        if self.plaintext_allowed() {
            vec!["PLAIN"]
        } else {
            Vec::new()
        }
    }

    fn plaintext_refused(&mut self, host: &mut (impl Maildrop + ?Sized)) {
        self.explain(
            "RFC 8314 4.1",
            "Passwords must not travel in clear: start TLS (STLS) before USER/PASS or AUTH PLAIN.",
        );
        self.bad_command(replies::plaintext_disallowed(), host);
    }

    fn auth_failed(&mut self, host: &mut (impl Maildrop + ?Sized)) {
        self.explain(
            "RFC 1939 7",
            "The user name or password is wrong; the session stays in AUTHORIZATION.",
        );
        self.bad_command(replies::auth_failed(), host);
    }

    /// RFC 1939 7: APOP name digest, digest = MD5(timestamp + shared secret).
    fn apop(&mut self, name: String, digest: &str, host: &mut (impl Maildrop + ?Sized)) {
        let Some(timestamp) = self.apop_timestamp.clone() else {
            return self.bad_command(replies::apop_not_enabled(), host);
        };
        let expected = host
            .apop_secret(&name)
            .map(|secret| apop::digest(&timestamp, &secret));
        // RFC 1939 7: the digest is lower-case hex; accept either case like most servers.
        if expected.is_some_and(|e| e.eq_ignore_ascii_case(digest)) {
            self.login(name, host);
        } else {
            self.auth_failed(host);
        }
    }

    pub(super) fn plain_response(&mut self, response: &[u8], host: &mut (impl Maildrop + ?Sized)) {
        match decode_plain(response) {
            PlainResponse::Aborted => self.bad_command(replies::auth_aborted(), host),
            PlainResponse::BadBase64 => self.bad_command(replies::invalid_base64(), host),
            PlainResponse::Malformed => self.auth_failed(host),
            PlainResponse::Credentials { user, password } => {
                if host.authenticate(&user, &password) {
                    self.login(user, host);
                } else {
                    self.auth_failed(host);
                }
            }
        }
    }

    /// Credentials are good: take the maildrop lock (RFC 1939 4) and the snapshot, and
    /// enter TRANSACTION; or stay in AUTHORIZATION with `[IN-USE]` (RFC 2449 8.1.2).
    fn login(&mut self, user: String, host: &mut (impl Maildrop + ?Sized)) {
        let store = host.store();
        let lock = match store.lock_maildrop(&user) {
            Ok(lock) => lock,
            Err(_) => {
                self.phase = Phase::Authorization { user: None };
                self.send(replies::in_use());
                return self.explain("RFC 1939 4", "Another POP3 session of this user holds the maildrop lock; only one may work on the maildrop at a time.");
            }
        };
        let listing = Listing::new(user.clone(), lock, store.folder(&user, MAILDROP_FOLDER));
        self.info.user = Some(user);
        self.phase = Phase::Transaction(listing);
        self.send(replies::logged_in());
        self.explain("RFC 1939 4", "The server locks the maildrop and numbers its messages from 1; the numbers stay the same until QUIT.");
    }

    /// RFC 2595 4: STLS, only before login.
    fn stls(&mut self) {
        if self.info.tls {
            return self.send(replies::tls_already_active());
        }
        if !self.config.offer_stls {
            return self.send(replies::tls_not_enabled());
        }
        self.send(replies::stls_ready());
        self.output.push_back(ServerOutput::TlsStarted);
        self.info.tls = true;
        self.phase = Phase::Authorization { user: None };
        self.explain("RFC 2595 4", "TLS starts; the client must forget what CAPA said and should ask again, because what is offered may change inside TLS.");
        if !self.input.is_empty() {
            // Plaintext pipelined after STLS would run as if inside TLS (the STARTTLS
            // command injection, CVE-2011-0411): thrown away.
            self.input.clear();
            self.explain(
                "RFC 2595 4",
                "Commands sent in clear right after STLS are thrown away, not run inside TLS.",
            );
        }
    }
}
