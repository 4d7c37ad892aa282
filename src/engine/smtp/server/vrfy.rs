//! VRFY (RFC 5321 3.5), answered as Postfix answers it: through the same recipient
//! checks as RCPT TO, so that an address a server would refuse is refused here too, and a
//! known one gets `252`. That makes VRFY a way to find out who has a mailbox (RFC 5321 7.3),
//! which is why the hardening guides switch it off (`disable_vrfy_command = yes`).

use super::{replies, ServerSession};
use crate::engine::smtp::{Mailbox, Mta};

impl ServerSession {
    pub(super) fn vrfy(&mut self, target: &str, mta: &mut (impl Mta + ?Sized)) {
        if self.lmtp() {
            return self.send(replies::cannot_vrfy());
        }
        if self.config.disable_vrfy_command {
            self.send(replies::vrfy_disabled());
            return self.explain(
                "RFC 5321 7.3",
                "VRFY is switched off here (disable_vrfy_command = yes): it would tell a stranger which addresses exist.",
            );
        }
        let address = target.trim().trim_start_matches('<').trim_end_matches('>');
        // Postfix's recipient checks accept the bare name postmaster before any lookup.
        if address.eq_ignore_ascii_case("postmaster") {
            return self.send(replies::vrfy_accepted(target));
        }
        if !address.contains('@') {
            return self.send(replies::vrfy_unknown_local(address));
        }
        match Mailbox::parse(address) {
            Ok(mailbox) => match mta.check_recipient(&self.info, &mailbox) {
                Ok(()) => self.send(replies::vrfy_accepted(target)),
                Err(reply) => self.send(reply),
            },
            Err(_) => self.send(replies::bad_recipient()),
        }
    }
}
