//! Getting from "not authenticated" to "authenticated" (RFC 9051 6.2): STARTTLS, LOGIN and
//! AUTHENTICATE PLAIN (RFC 4616, with RFC 4959's initial response).

use super::replies::{self, AUTH_FAILED, LOGGED_IN, PRIVACY_REQUIRED};
use super::{ImapHost, Phase, ServerOutput, ServerSession, State};
use crate::engine::sasl::{decode_plain, PlainResponse};
use crate::engine::imap::response::{Code, Status, StatusKind};

impl ServerSession {
    pub(super) fn starttls(&mut self, tag: &str) {
        if self.tls {
            return self.bad(tag, "TLS is already active.");
        }
        if !self.config.offer_starttls {
            return self.bad(
                tag,
                &replies::bad_command("STARTTLS", replies::UNKNOWN_COMMAND),
            );
        }
        self.ok(tag, "Begin TLS negotiation now.");
        self.output.push_back(ServerOutput::TlsStarted);
        self.tls = true;
        self.explain(
            "RFC 9051 6.2.1",
            "From here on the connection is encrypted; the client must forget the capabilities it was told and should ask for CAPABILITY again.",
        );
        if self.framer.clear() {
            // Plaintext sent after STARTTLS would run as if it came inside TLS (the STARTTLS
            // command injection of 2011): it is thrown away.
            self.explain(
                "RFC 9051 6.2.1",
                "Commands sent in clear right after STARTTLS are thrown away, not run inside TLS.",
            );
        }
    }

    /// RFC 9051 6.2.3 / 11.7: no password in clear when the server says LOGINDISABLED.
    fn refuse_plaintext(&mut self, tag: &str) -> bool {
        if self.login_allowed() {
            return false;
        }
        self.status(Status::untagged(StatusKind::Bad, Some(Code::Alert), "Plaintext authentication not allowed without SSL/TLS, but your client did it anyway. If anyone was listening, the password was exposed."));
        self.no(tag, Some(Code::PrivacyRequired), PRIVACY_REQUIRED);
        self.explain(
            "RFC 8314 4.1",
            "Passwords must not travel in clear: this server wants STARTTLS first.",
        );
        true
    }

    pub(super) fn login(
        &mut self,
        tag: &str,
        username: &str,
        password: &str,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        if self.refuse_plaintext(tag) {
            return;
        }
        self.finish_login(tag, username, password, host);
    }

    fn finish_login(
        &mut self,
        tag: &str,
        username: &str,
        password: &str,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        if !host.authenticate(username, password) {
            self.no(tag, Some(Code::AuthenticationFailed), AUTH_FAILED);
            return self.explain("RFC 9051 6.2.3", "The user name or password is wrong.");
        }
        self.user = Some(username.to_string());
        self.state = State::Authenticated;
        // Dovecot repeats the capabilities, which change after login (RFC 9051 7.1).
        let caps = self.capabilities();
        self.tagged(tag, StatusKind::Ok, Some(Code::Capability(caps)), LOGGED_IN);
        if !self.tls {
            self.explain("RFC 8314 3", "The password travelled in clear: anyone on the path could read it. Real clients use port 993 or STARTTLS.");
        }
    }

    pub(super) fn authenticate(
        &mut self,
        tag: &str,
        mechanism: &str,
        initial: Option<Vec<u8>>,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        if mechanism != "PLAIN" {
            return self.no(tag, None, "Unsupported authentication mechanism.");
        }
        if self.refuse_plaintext(tag) {
            return;
        }
        match initial {
            Some(response) => self.sasl_response(tag, &response, host),
            None => {
                // RFC 4616 / RFC 9051 7.6: an empty challenge.
                self.transmit(b"+ \r\n".to_vec());
                self.phase = Phase::Authenticate {
                    tag: tag.to_string(),
                };
            }
        }
    }

    /// The client's PLAIN response: base64 of `authzid NUL authcid NUL passwd` (RFC 4616 2).
    pub(super) fn sasl_response(&mut self, tag: &str, line: &[u8], host: &mut (impl ImapHost + ?Sized)) {
        match decode_plain(line) {
            // RFC 9051 6.2.2: `*` cancels the exchange.
            PlainResponse::Aborted => self.bad(tag, "Authentication aborted by client."),
            PlainResponse::BadBase64 => self.bad(tag, "Invalid base64 data in continued response"),
            PlainResponse::Malformed => self.no(tag, Some(Code::AuthenticationFailed), AUTH_FAILED),
            PlainResponse::Credentials { user, password } => self.finish_login(tag, &user, &password, host),
        }
    }
}
