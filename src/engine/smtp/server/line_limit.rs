//! How long a command line may be: RFC 5321 4.5.3.1.4's 512 octets (CRLF included), and
//! what the service extensions this server advertises add to MAIL and RCPT for their
//! parameters. RFC 3461 5.4 asks a server to take "a command-line large enough for each
//! SMTP command and any combination of ESMTP parameters which may be used with that command".

use super::ServerSession;

/// RFC 1870 3 (5): SIZE adds 26 characters to MAIL FROM.
const SIZE_ON_MAIL: usize = 26;
/// RFC 4954 3 (5): AUTH= adds 500 characters to MAIL FROM.
const AUTH_ON_MAIL: usize = 500;
/// RFC 3461 5.4: ENVID up to 100 characters and RET up to 8, with their keywords
/// (` ENVID=`, ` RET=`).
const DSN_ON_MAIL: usize = 100 + 8 + " ENVID=".len() + " RET=".len();
/// ` BODY=8BITMIME` (RFC 6152), by RFC 3461 5.4's any-combination rule.
const BODY_ON_MAIL: usize = " BODY=8BITMIME".len();
/// RFC 3461 5.4: ORCPT and NOTIFY add 530 characters to RCPT TO.
const DSN_ON_RCPT: usize = 530;

impl ServerSession {
    /// The longest line this server reads before it knows the command: the longest any
    /// command may be.
    pub(super) fn longest_command_line(&self) -> usize {
        self.config.command_line_limit + self.allowance_for_mail().max(self.allowance_for_rcpt())
    }

    /// The limit for this line's command, CRLF counted.
    pub(super) fn command_line_limit_for(&self, line: &[u8]) -> usize {
        let verb = line.get(..4).unwrap_or_default();
        let extra = if verb.eq_ignore_ascii_case(b"MAIL") {
            self.allowance_for_mail()
        } else if verb.eq_ignore_ascii_case(b"RCPT") {
            self.allowance_for_rcpt()
        } else {
            0
        };
        self.config.command_line_limit + extra
    }

    fn allowance_for_mail(&self) -> usize {
        if !self.esmtp() {
            return 0;
        }
        let auth = if self.auth_allowed_now() { AUTH_ON_MAIL } else { 0 };
        SIZE_ON_MAIL + auth + DSN_ON_MAIL + BODY_ON_MAIL
    }

    fn allowance_for_rcpt(&self) -> usize {
        if self.esmtp() {
            DSN_ON_RCPT
        } else {
            0
        }
    }
}
