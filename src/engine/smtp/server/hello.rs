//! EHLO, HELO and LHLO: the client says who it is, and the server which extensions it offers
//! (RFC 5321 4.1.1.1, RFC 2033 4.1).

use super::ServerSession;
use crate::engine::smtp::Reply;

impl ServerSession {
    /// EHLO, HELO or LHLO: (re)start the session, dropping any transaction (RFC 5321 4.1.4).
    pub(super) fn hello(&mut self, domain: String, extended: bool) {
        self.transaction = None;
        self.info.helo_name = Some(domain);
        self.info.extended = extended;
        let mut lines = vec![self.config.hostname.clone()];
        if extended {
            lines.extend(self.capabilities());
        }
        // RFC 2034 3 and Postfix: no enhanced code on the EHLO/HELO/LHLO reply.
        self.send(Reply {
            code: 250,
            enhanced: None,
            lines,
        });
    }

    /// The EHLO keywords, in Postfix's order. Not offered: ETRN (no remote queue starting
    /// here), SMTPUTF8, CHUNKING; VRFY only while `disable_vrfy_command` is off.
    pub(super) fn capabilities(&self) -> Vec<String> {
        let mut caps = vec![
            "PIPELINING".to_string(),
            format!("SIZE {}", self.config.max_message_size),
        ];
        if !self.config.disable_vrfy_command && !self.lmtp() {
            caps.push("VRFY".to_string());
        }
        if self.config.offer_starttls && !self.info.tls {
            caps.push("STARTTLS".to_string());
        }
        if self.auth_allowed_now() {
            caps.push("AUTH PLAIN LOGIN".to_string());
        }
        caps.extend(["ENHANCEDSTATUSCODES", "8BITMIME", "DSN"].map(String::from));
        caps
    }
}
