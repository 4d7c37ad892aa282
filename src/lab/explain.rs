//! "Explain this reply": what a server's answer means, in plain words, with the RFC section
//! that defines it. Keyed on the reply code and, where it says more, the enhanced status.

/// An explanation of one reply line, or `None` for a line that is not a reply the lab knows.
pub fn explain_reply(line: &str) -> Option<String> {
    let line = line.trim();
    // POP3 (RFC 1939 3) and IMAP (RFC 9051 7.1) first: their replies are words, not numbers.
    if line.starts_with("+OK") {
        return Some("POP3 +OK: the command worked (RFC 1939 3).".into());
    }
    if line.starts_with("-ERR") {
        let code = line.split_whitespace().nth(1).filter(|w| w.starts_with('['));
        let why = match code {
            Some("[IN-USE]") => " [IN-USE]: another session holds this maildrop's lock (RFC 2449 8.1.2).",
            Some("[AUTH]") => " [AUTH]: the name or password is wrong (RFC 3206 4).",
            _ => "",
        };
        return Some(format!("POP3 -ERR: the command failed (RFC 1939 3).{why}"));
    }
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if first == "*" || first == "+" || words.clone().next().is_some_and(|w| ["OK", "NO", "BAD", "BYE", "PREAUTH"].contains(&w)) {
        return explain_imap(line);
    }
    let code: u16 = line.get(..3)?.parse().ok()?;
    let status = line.get(4..).and_then(|rest| rest.split_whitespace().next()).filter(|s| s.matches('.').count() == 2);
    let specific = match (code, status) {
        (220, _) if line.contains("TLS") => "Ready to start TLS: after this both sides negotiate encryption, and the client must say EHLO again (RFC 3207 4.2).",
        (220, _) => "The greeting: the server is ready. Say EHLO (or HELO) next (RFC 5321 4.2, 3.1).",
        (221, _) => "Goodbye: the server closes the connection (RFC 5321 4.1.1.10).",
        (235, _) => "Authentication succeeded: the server now knows who you are (RFC 4954 6).",
        (250, Some("2.1.0")) => "Sender accepted: now give the recipients with RCPT TO (RFC 5321 4.1.1.2).",
        (250, Some("2.1.5")) => "Recipient accepted. Add more, or send DATA (RFC 5321 4.1.1.3).",
        (250, Some("2.0.0")) if line.contains("queued") => "The message is in the server's queue: from now on delivering it, or bouncing it, is the server's job (RFC 5321 6.1).",
        (250, _) => "OK: the command worked (RFC 5321 4.2.1).",
        (252, _) => "The server will not say whether the user exists, but will accept mail for it (RFC 5321 3.5.3).",
        (334, _) => "The server asks for the next part of the login, in base64 (RFC 4954 4).",
        (354, _) => "Send the message now: headers, an empty line, the body, and a line with a single dot to end it (RFC 5321 4.1.1.4).",
        (421, _) => "The server is closing the connection (too long idle, or shutting down); try again later (RFC 5321 4.2.3).",
        (451, Some("4.7.1")) => "Greylisted: a temporary refusal of an unknown sender. A real mail server retries later and gets through; spam software usually does not.",
        (451, _) | (450, _) | (452, _) => "A temporary failure: the same command may work later, so a mail server keeps the message queued and retries (RFC 5321 4.2.1, 4.5.4.1).",
        (500, _) | (502, _) => "The server does not know this command, or the line is too long (RFC 5321 4.2.4).",
        (501, _) => "The command's arguments are not valid: check the syntax, such as MAIL FROM:<address> (RFC 5321 4.2.2).",
        (503, _) => "Bad sequence: this command is not allowed yet. SMTP has an order: EHLO, MAIL, RCPT, DATA (RFC 5321 4.1.4).",
        (504, _) => "The server does not support this authentication mechanism (RFC 4954 4).",
        (530, _) => "The server wants you to log in (AUTH) first, and on port 587 to start TLS before that (RFC 4954 6, RFC 3207).",
        (535, _) => "Authentication failed: the user name or password is wrong (RFC 4954 6).",
        (550, Some("5.1.1")) => "No such user here: the address does not exist. The sender will get a bounce (RFC 3463 3.2).",
        (550, _) => "Refused for good: the mailbox is unavailable or the server will not take it (RFC 5321 4.2.2).",
        (552, Some("5.2.2")) => "The recipient's mailbox is full (RFC 3463 3.3).",
        (552, _) => "The message is too big for this server (RFC 1870, RFC 5321 4.5.3.1.10).",
        (553, _) => "This address is not allowed here, for example sending as someone you did not log in as (RFC 5321 4.2.2).",
        (554, Some("5.7.1")) => "Relay denied: this server only accepts mail for its own domains from strangers. Only its own logged-in users may send elsewhere through it.",
        (554, _) => "The transaction failed, for example DATA with no accepted recipient (RFC 5321 4.2.2).",
        _ => match code / 100 {
            2 => "Success (RFC 5321 4.2.1).",
            3 => "The server waits for more input (RFC 5321 4.2.1).",
            4 => "A temporary failure: try again later (RFC 5321 4.2.1).",
            5 => "A permanent failure: the same command will fail again (RFC 5321 4.2.1).",
            _ => return None,
        },
    };
    Some(format!("{code}{}: {specific}", status.map(|s| format!(" {s}")).unwrap_or_default()))
}

fn explain_imap(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let text = match (words.first().copied(), words.get(1).copied(), words.get(2).copied()) {
        (Some("+"), _, _) => "A continuation: the server waits for the rest of the command, such as a literal's bytes (RFC 9051 7.5).",
        (Some("*"), Some("OK"), _) if line.contains("CAPABILITY") => "The greeting, with the server's capabilities (RFC 9051 7.1.1).",
        (Some("*"), Some("BYE"), _) => "The server is closing the connection (RFC 9051 7.1.5).",
        (Some("*"), Some(_), Some("EXISTS")) => "How many messages the mailbox holds now (RFC 9051 7.4.1).",
        (Some("*"), Some(_), Some("EXPUNGE")) => "A message was removed; the ones after it move down by one number (RFC 9051 7.5.1).",
        (Some("*"), Some(_), Some("FETCH")) => "Data about one message: its flags, UID or content (RFC 9051 7.5.2).",
        (Some("*"), _, _) => "An untagged response: information the server sends along, not the end of your command (RFC 9051 2.2.2).",
        (Some(_), Some("OK"), _) => "Your command (this tag) completed (RFC 9051 7.1.1).",
        (Some(_), Some("NO"), _) => "Your command (this tag) was refused: it was understood but could not be done (RFC 9051 7.1.2).",
        (Some(_), Some("BAD"), _) => "Your command (this tag) was not understood: a syntax error or the wrong state (RFC 9051 7.1.3).",
        _ => return None,
    };
    Some(format!("IMAP: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_replies_are_explained_by_code_and_status() {
        assert!(explain_reply("550 5.1.1 <robert@southbay.test>: Recipient address rejected: User unknown").unwrap().starts_with("550 5.1.1: No such user"));
        assert!(explain_reply("503 5.5.1 Error: need RCPT command").unwrap().contains("RFC 5321 4.1.4"));
        assert!(explain_reply("354 End data with <CR><LF>.<CR><LF>").unwrap().contains("single dot"));
        assert!(explain_reply("220 2.0.0 Ready to start TLS").unwrap().contains("EHLO again"));
        assert!(explain_reply("299 odd").unwrap().starts_with("299: Success"));
    }

    #[test]
    fn pop3_and_imap_replies_too() {
        assert!(explain_reply("-ERR [IN-USE] Mailbox is locked").unwrap().contains("RFC 2449"));
        assert!(explain_reply("* 3 EXISTS").unwrap().contains("RFC 9051 7.4.1"));
        assert!(explain_reply("a1 BAD Error in IMAP command").unwrap().contains("not understood"));
    }

    #[test]
    fn anything_else_is_not_a_reply() {
        assert_eq!(explain_reply(""), None);
        assert_eq!(explain_reply("hello there"), None);
        assert_eq!(explain_reply("9"), None);
    }
}
