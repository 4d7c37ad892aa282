//! Replies to a command that cannot be run: unknown, malformed, or out of order (RFC 5321
//! 4.1.4, 4.2.4), and what an RFC 821 server says instead of the ESMTP codes.

use super::{replies, ServerSession};
use crate::engine::smtp::command::CommandError;
use crate::engine::smtp::Reply;

impl ServerSession {
    pub(super) fn command_error(&mut self, error: CommandError) {
        if !self.esmtp() {
            let reply = match error {
                CommandError::Unrecognized { .. } => rfc821_unrecognized(),
                // SIZE=, BODY= and the rest are ESMTP parameters (RFC 1869 6).
                CommandError::BadParameter { .. } | CommandError::UnsupportedParameter { .. } => {
                    rfc821_bad_arguments()
                }
                _ => return self.command_error_esmtp(error),
            };
            return self.send(reply);
        }
        self.command_error_esmtp(error)
    }

    pub(super) fn command_error_esmtp(&mut self, error: CommandError) {
        let reply = match &error {
            CommandError::Empty | CommandError::NotText => replies::bad_syntax(),
            CommandError::Unrecognized { .. } if self.lmtp() => {
                self.send(replies::lmtp_unknown_command());
                return self.explain(
                    "RFC 2033 4.1",
                    "The LMTP server does not know this command.",
                );
            }
            CommandError::Unrecognized { .. } => {
                self.send(replies::unknown_command());
                return self.explain("RFC 5321 4.2.4", "The server does not know this command.");
            }
            CommandError::Syntax(verb) => replies::syntax(*verb),
            CommandError::BadSender(_) => replies::bad_sender(),
            CommandError::BadRecipient(_) => replies::bad_recipient(),
            CommandError::BadParameter { keyword } => replies::bad_parameter(keyword),
            CommandError::UnsupportedParameter { keyword } => {
                replies::unsupported_parameter(keyword)
            }
        };
        self.send(reply);
    }

    pub(super) fn out_of_sequence(&mut self, reply: Reply) {
        self.send(reply);
        self.explain(
            "RFC 5321 4.1.4",
            "Commands must come in order: EHLO, then MAIL, then RCPT, then DATA.",
        );
    }
}

/// What 4.3BSD's sendmail 5, an RFC 821 server, answers a command it does not know (EHLO
/// among them): 500, the code RFC 821 4.2.2 gives "Syntax error, command unrecognized", and
/// the one RFC 1869 4.6 tells an ESMTP client to expect from such a server.
pub(super) fn rfc821_unrecognized() -> Reply {
    Reply::plain(500, "Command unrecognized")
}

/// RFC 821 4.2.2's 501, for ESMTP parameters after MAIL FROM or RCPT TO (RFC 1869 6: a
/// server that does not know them treats them as bad arguments).
pub(super) fn rfc821_bad_arguments() -> Reply {
    Reply::plain(501, "Syntax error in parameters or arguments")
}
