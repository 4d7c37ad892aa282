//! What an SMTP or LMTP reply means: decided from the command it answers where that is known,
//! and from its code and enhanced status (RFC 3463) otherwise, as in the lab, where a student
//! asks about a single line.

use crate::catalog::smtp::Meaning;
use crate::engine::smtp::status::Status;
use crate::engine::smtp::Command;

use super::conversation::Asked;

/// The meaning of a whole reply: `code`, its enhanced `status`, its `lines` (the last one
/// holds the code and the text after it), and what it answers (`None`: not known).
pub fn meaning(code: u16, status: Option<Status>, lines: &[&str], answers: Option<&Asked>, lmtp: bool) -> Meaning {
    let last = lines.last().copied().unwrap_or_default();
    let text = last.get(4..).unwrap_or_default();
    let is = |class: u8, subject: u16, detail: u16| status == Some(Status::new(class, subject, detail));
    let recipient = match answers {
        Some(Asked::Smtp(Command::Rcpt { to, .. })) => unbracketed(&to.to_string()),
        Some(Asked::EndOfData { recipient: Some(r) }) => unbracketed(r),
        _ => bracketed(text).map_or("this recipient".to_owned(), unbracketed),
    };
    match (answers, code) {
        (_, 421) if text.contains("too many errors") => Meaning::TooManyErrors,
        (_, 421) => Meaning::Closing,
        (Some(Asked::Smtp(Command::Vrfy { .. })), 252) if !text.starts_with("Cannot VRFY") => Meaning::Verified,
        (_, 502) if is(5, 5, 1) && text.contains("VRFY") => Meaning::VrfyDisabled,
        (_, 500) if text.contains("not recognized") => Meaning::Unrecognized,
        (Some(Asked::Greeting), 220) if lmtp => Meaning::LmtpGreeting,
        (Some(Asked::Greeting), 220) => Meaning::Greeting,
        (Some(Asked::Smtp(Command::Ehlo { .. } | Command::Lhlo { .. })), 250) => Meaning::Extensions {
            // The first line names the server; each line after it, an extension.
            list: lines.iter().skip(1).filter_map(|l| l.get(4..)).map(str::to_owned).collect(),
        },
        (Some(Asked::Smtp(Command::Helo { .. })), 250) => Meaning::Hello,
        (Some(Asked::Smtp(Command::StartTls)), 220) => Meaning::TlsReady,
        (None, 220) if text.contains("TLS") => Meaning::TlsReady,
        (None, 220) => Meaning::Greeting,
        (_, 235) => Meaning::LoggedIn,
        (_, 334) => Meaning::Challenge,
        (_, 535) => Meaning::LoginFailed,
        (_, 530) if text.to_ascii_uppercase().contains("STARTTLS") => Meaning::TlsRequired,
        (_, 530) => Meaning::LoginRequired,
        (Some(Asked::Smtp(Command::Mail { .. })), 250) => Meaning::SenderOk,
        (None, 250) if is(2, 1, 0) => Meaning::SenderOk,
        (Some(Asked::Smtp(Command::Rcpt { .. })), 250 | 251) => Meaning::RecipientOk { recipient },
        (None, 250) if is(2, 1, 5) => Meaning::RecipientOk { recipient },
        _ if is(5, 1, 1) => Meaning::NoSuchUser { recipient },
        (_, 451) if is(4, 7, 1) => Meaning::Greylisted,
        (_, 454 | 550 | 554) if (is(5, 7, 1) || is(4, 7, 1)) && text.to_ascii_lowercase().contains("relay") => Meaning::RelayDenied,
        (_, 354) => Meaning::GoAhead,
        (Some(Asked::EndOfData { recipient: Some(_) }), 250) => Meaning::Saved { recipient },
        (Some(Asked::EndOfData { recipient: None }) | None, 250) if text.contains("queued as") => Meaning::Queued {
            queue_id: text.rsplit(' ').next().unwrap_or_default().to_owned(),
        },
        (None, 250) if text.ends_with("Saved") => Meaning::Saved { recipient },
        _ if is(5, 2, 2) || is(4, 2, 2) => Meaning::MailboxFull,
        (_, 552) => Meaning::TooBig,
        (_, 221) => Meaning::Bye,
        (_, 252) => Meaning::CannotVerify,
        (_, 503) => Meaning::BadSequence,
        (_, 500 | 501) => Meaning::BadSyntax,
        (_, 502 | 504) => Meaning::NotImplemented,
        (Some(Asked::Smtp(Command::Rset | Command::Noop { .. })), 250) => Meaning::Done,
        _ => Meaning::Class { class: code / 100 },
    }
}

/// An address without its angle brackets, as a sentence writes it.
fn unbracketed(path: &str) -> String {
    path.trim_start_matches('<').trim_end_matches('>').to_owned()
}

/// The first `<...>` in a reply's text: the address it is about.
fn bracketed(text: &str) -> Option<&str> {
    let start = text.find('<')?;
    let end = start + text[start..].find('>')?;
    Some(&text[start..=end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::smtp::ForwardPath;

    fn reply(line: &str, answers: Option<&Asked>) -> Meaning {
        let code = line[..3].parse().unwrap();
        let status = line.get(4..).and_then(|r| r.split(' ').next()).and_then(Status::parse);
        meaning(code, status, &[line], answers, false)
    }

    /// One row per reply class and per meaning a preset shows: the same reply line can mean
    /// different things after different commands, and the class decides the rest.
    #[test]
    fn replies_by_class_code_status_and_command() {
        let rcpt = Asked::Smtp(Command::Rcpt { to: ForwardPath::parse_path("<bob@southbay.test>").unwrap(), params: Default::default() });
        let dot = Asked::EndOfData { recipient: None };
        let lmtp_dot = Asked::EndOfData { recipient: Some("<bob@southbay.test>".into()) };
        let vrfy = Asked::Smtp(Command::Vrfy { target: "<bob@southbay.test>".into() });
        let table: Vec<(&str, Option<&Asked>, Meaning)> = vec![
            ("220 mx.southbay.test ESMTP", Some(&Asked::Greeting), Meaning::Greeting),
            ("220 2.0.0 Ready to start TLS", Some(&Asked::Smtp(Command::StartTls)), Meaning::TlsReady),
            ("220 2.0.0 Ready to start TLS", None, Meaning::TlsReady),
            ("250 2.1.5 Ok", Some(&rcpt), Meaning::RecipientOk { recipient: "bob@southbay.test".into() }),
            ("250 2.0.0 Ok: queued as 9BFBA008A6", Some(&dot), Meaning::Queued { queue_id: "9BFBA008A6".into() }),
            ("250 2.0.0 <bob@southbay.test> Saved", Some(&lmtp_dot), Meaning::Saved { recipient: "bob@southbay.test".into() }),
            ("250 2.0.0 Ok", Some(&Asked::Smtp(Command::Rset)), Meaning::Done),
            ("235 2.7.0 Authentication successful", None, Meaning::LoggedIn),
            ("354 End data with <CR><LF>.<CR><LF>", None, Meaning::GoAhead),
            ("334 VXNlcm5hbWU6", None, Meaning::Challenge),
            ("399 odd", None, Meaning::Class { class: 3 }),
            ("451 4.7.1 <bob@southbay.test>: Recipient address rejected: Greylisted", Some(&rcpt), Meaning::Greylisted),
            ("452 4.3.1 Insufficient system storage", None, Meaning::Class { class: 4 }),
            ("421 4.4.2 mx Error: timeout exceeded", None, Meaning::Closing),
            ("550 5.1.1 <robert@southbay.test>: Recipient address rejected: User unknown", Some(&rcpt), Meaning::NoSuchUser { recipient: "bob@southbay.test".into() }),
            ("550 5.1.1 <robert@southbay.test>: Recipient address rejected", None, Meaning::NoSuchUser { recipient: "robert@southbay.test".into() }),
            ("554 5.7.1 <x@far.test>: Relay access denied", None, Meaning::RelayDenied),
            ("530 5.7.0 Must issue a STARTTLS command first", None, Meaning::TlsRequired),
            ("530 5.7.0 Authentication required", None, Meaning::LoginRequired),
            ("535 5.7.8 Error: authentication failed", None, Meaning::LoginFailed),
            ("552 5.2.2 Mailbox full", None, Meaning::MailboxFull),
            ("503 5.5.1 Error: need RCPT command", None, Meaning::BadSequence),
            ("500 5.5.2 Error: command not recognized", None, Meaning::Unrecognized),
            ("502 5.5.1 VRFY command is disabled", None, Meaning::VrfyDisabled),
            ("252 2.0.0 <bob@southbay.test>", Some(&vrfy), Meaning::Verified),
            ("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery", None, Meaning::CannotVerify),
            ("421 4.7.0 mx Error: too many errors", None, Meaning::TooManyErrors),
            ("554 5.5.1 Error: no valid recipients", None, Meaning::Class { class: 5 }),
        ];
        for (line, answers, expected) in table {
            assert_eq!(reply(line, answers), expected, "{line}");
        }
    }

    #[test]
    fn the_ehlo_answer_lists_its_extensions() {
        let ehlo = Asked::Smtp(Command::Ehlo { domain: "a".into() });
        let m = meaning(250, None, &["250-mx.southbay.test", "250-PIPELINING", "250 STARTTLS"], Some(&ehlo), false);
        assert_eq!(m, Meaning::Extensions { list: vec!["PIPELINING".into(), "STARTTLS".into()] });
    }
}
