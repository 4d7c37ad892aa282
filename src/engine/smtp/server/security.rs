//! STARTTLS (RFC 3207) and AUTH (RFC 4954): encrypting the session, and logging in inside it.

use super::sasl::{self, Sasl};
use super::{replies, Mta, Phase, ServerOutput, ServerSession};

impl ServerSession {
    pub(super) fn auth_allowed_now(&self) -> bool {
        self.config.offer_auth && (self.info.tls || !self.config.require_tls_for_auth)
    }

    pub(super) fn starttls(&mut self) {
        if self.info.tls {
            return self.send(replies::tls_already_active());
        }
        if !self.config.offer_starttls {
            return self.send(replies::starttls_not_offered());
        }
        if self.info.helo_name.is_none() {
            return self.out_of_sequence(replies::need_helo(self.lmtp()));
        }
        if self.transaction.is_some() {
            return self.out_of_sequence(replies::transaction_in_progress());
        }
        self.transmit(replies::tls_ready().to_wire());
        self.push(ServerOutput::TlsStarted);
        // RFC 3207 4.2: forget everything learnt before TLS; the client should EHLO again.
        self.info.tls = true;
        self.info.helo_name = None;
        self.info.extended = false;
        self.info.authenticated = None;
        self.explain("RFC 3207 4.2", "TLS starts over the session: the server forgets the EHLO and the client should send it again.");
        if !self.input.is_empty() {
            // Plaintext pipelined after STARTTLS would run as if inside TLS (the 2011
            // STARTTLS command injection, CVE-2011-0411): Postfix throws it away.
            self.input.clear();
            self.explain(
                "RFC 3207 4.2",
                "Commands sent in clear right after STARTTLS are thrown away, not run inside TLS.",
            );
        }
    }

    pub(super) fn auth(&mut self, mechanism: &str, initial: Option<String>, mta: &mut (impl Mta + ?Sized)) {
        if !self.config.offer_auth {
            return self.send(replies::auth_not_enabled());
        }
        if self.info.helo_name.is_none() {
            return self.out_of_sequence(replies::need_helo(self.lmtp()));
        }
        if !self.auth_allowed_now() {
            self.send(replies::must_starttls());
            return self.explain(
                "RFC 8314 4.1",
                "Passwords must not travel in clear: start TLS before AUTH.",
            );
        }
        if self.info.authenticated.is_some() {
            return self.send(replies::already_authenticated());
        }
        if self.transaction.is_some() {
            return self.out_of_sequence(replies::transaction_in_progress());
        }
        let Some(sasl) = Sasl::start(mechanism) else {
            return self.send(replies::auth_unknown_mechanism());
        };
        match initial {
            Some(response) => self.sasl_response(sasl, response.as_bytes(), mta),
            None => {
                self.send(replies::auth_challenge(sasl.challenge()));
                self.phase = Phase::Auth(sasl);
            }
        }
    }

    pub(super) fn sasl_response(&mut self, sasl: Sasl, line: &[u8], mta: &mut (impl Mta + ?Sized)) {
        match sasl.step(line) {
            sasl::Step::Aborted => self.send(replies::auth_aborted()),
            sasl::Step::BadBase64 => self.send(replies::auth_bad_base64()),
            sasl::Step::Failed => self.auth_failed(),
            sasl::Step::Continue(next) => {
                self.send(replies::auth_challenge(next.challenge()));
                self.phase = Phase::Auth(next);
            }
            sasl::Step::Credentials { username, password } => {
                if mta.authenticate(&username, &password) {
                    self.info.authenticated = Some(username);
                    self.send(replies::auth_ok());
                } else {
                    self.auth_failed();
                }
            }
        }
    }

    pub(super) fn auth_failed(&mut self) {
        self.send(replies::auth_failed());
        self.explain("RFC 4954 6", "The user name or password is wrong.");
    }
}
