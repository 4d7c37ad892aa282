//! "What does the server expect next?": a hint for a student typing a session by hand, from
//! the protocol and the lines exchanged so far.

use crate::catalog::lab::Hint;
use crate::engine::scenario::Service;

/// A hint for the next command, given the lines so far (`C:`/`S:` as (client?, text)).
pub fn next_hint(service: Service, lines: &[(bool, String)]) -> String {
    next(service, lines).say().to_owned()
}

fn next(service: Service, lines: &[(bool, String)]) -> Hint {
    let sent = |prefix: &str| lines.iter().any(|(client, text)| *client && text.to_ascii_uppercase().starts_with(prefix));
    let last_reply = lines.iter().rev().find(|(client, _)| !client).map(|(_, t)| t.as_str()).unwrap_or("");
    match service {
        Service::Pop3 => {
            if last_reply.starts_with("+OK Logged in") || sent("PASS") && last_reply.starts_with("+OK") {
                Hint::Pop3Transaction
            } else if sent("USER") {
                Hint::Pop3Pass
            } else {
                Hint::Pop3User
            }
        }
        Service::Imap => {
            if lines.iter().any(|(c, t)| *c && t.to_ascii_uppercase().contains(" SELECT ")) {
                Hint::ImapSelected
            } else if lines.iter().any(|(c, t)| *c && t.to_ascii_uppercase().contains(" LOGIN ")) {
                Hint::ImapSelect
            } else {
                Hint::ImapLogin
            }
        }
        _ => {
            let ehlo = sent("EHLO") || sent("HELO") || sent("LHLO");
            if last_reply.starts_with("354") {
                Hint::SmtpContent
            } else if !ehlo {
                if service == Service::Lmtp { Hint::SmtpLhlo } else { Hint::SmtpEhlo }
            } else if service == Service::Submission && !sent("AUTH") {
                Hint::SmtpAuth
            } else if !sent("MAIL FROM") {
                Hint::SmtpMail
            } else if !sent("RCPT TO") {
                Hint::SmtpRcpt
            } else if !sent("DATA") {
                Hint::SmtpMoreRcptOrData
            } else {
                Hint::SmtpQuitOrMail
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(l: &[(bool, &str)]) -> Vec<(bool, String)> {
        l.iter().map(|(c, t)| (*c, t.to_string())).collect()
    }

    #[test]
    fn smtp_hints_follow_the_order_of_a_session() {
        assert!(next_hint(Service::Smtp, &lines(&[(false, "220 mx ESMTP")])).starts_with("EHLO"));
        let after_ehlo = lines(&[(false, "220 mx"), (true, "EHLO me"), (false, "250 mx")]);
        assert!(next_hint(Service::Smtp, &after_ehlo).starts_with("MAIL FROM"));
        assert!(next_hint(Service::Submission, &after_ehlo).starts_with("AUTH PLAIN"));
        let in_data = lines(&[(true, "EHLO me"), (true, "MAIL FROM:<a@b>"), (true, "RCPT TO:<c@d>"), (true, "DATA"), (false, "354 go")]);
        assert!(next_hint(Service::Smtp, &in_data).contains("only a dot"));
    }

    #[test]
    fn pop3_and_imap_hints() {
        assert!(next_hint(Service::Pop3, &[]).starts_with("USER"));
        assert!(next_hint(Service::Pop3, &lines(&[(true, "USER bob@southbay.test"), (false, "+OK")])).starts_with("PASS"));
        assert!(next_hint(Service::Imap, &lines(&[(true, "a LOGIN bob x"), (false, "a OK")])).contains("SELECT INBOX"));
    }
}
