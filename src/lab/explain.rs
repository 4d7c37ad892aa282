//! "Explain this reply": what a server's answer means, in plain words, with the RFC section
//! that defines it. The same meanings, in the same words, as the narrator's (the catalog);
//! here without the command the reply answers, which the student may not have sent.

use crate::catalog::lab::{explained, THE_SERVER, YOU};
use crate::catalog::pop3::{meaning_words as pop3_words, Meaning as Pop3Meaning};
use crate::catalog::smtp::meaning_words;
use crate::catalog::{imap, Said};
use crate::engine::smtp::status::Status;
use crate::player::narrator::smtp::meaning;

/// An explanation of one reply line, or `None` for a line that is not a reply the lab knows.
pub fn explain_reply(line: &str) -> Option<String> {
    let line = line.trim();
    // POP3 (RFC 1939 3) and IMAP (RFC 9051 7.1) first: their replies are words, not numbers.
    if let Some(status) = ["+OK", "-ERR"].into_iter().find(|s| line.starts_with(s)) {
        let m = match status {
            "+OK" => Pop3Meaning::Ok,
            _ if line.contains("[IN-USE]") => Pop3Meaning::InUse,
            _ if line.contains("[AUTH]") => Pop3Meaning::LoginFailed,
            _ => Pop3Meaning::Failed,
        };
        let (text, rfc, _) = pop3_words(&m);
        return Some(explained(&format!("POP3 {status}"), &text, rfc));
    }
    let mut words = line.split_whitespace();
    let first = words.next()?;
    let second = words.next().unwrap_or_default().to_ascii_uppercase();
    match (first, second.as_str()) {
        ("*", _) => {
            let keyword = if second.bytes().all(|b| b.is_ascii_digit()) { words.next().unwrap_or_default().to_ascii_uppercase() } else { second.clone() };
            let (text, rfc) = imap::untagged(&keyword);
            return Some(explained("IMAP *", &text, rfc));
        }
        ("+", _) => return Some(said("IMAP +", imap::Reply::Continuation { server: THE_SERVER.into() }.say())),
        (_, "OK" | "NO" | "BAD") => {
            let reply = imap::Reply::Tagged { server: THE_SERVER.into(), status: second.clone(), command: imap::YOUR_COMMAND.into() };
            return Some(said(&format!("IMAP {second}"), reply.say()));
        }
        _ => {}
    }
    let code: u16 = line.get(..3)?.parse().ok()?;
    let status = line.get(4..).and_then(|rest| rest.split_whitespace().next()).and_then(Status::parse);
    let (text, rfc, _) = meaning_words(&meaning(code, status, &[line], None, false), THE_SERVER, YOU);
    let code_text = match status {
        Some(s) => format!("{code} {s}"),
        None => code.to_string(),
    };
    Some(explained(&code_text, &text, rfc))
}

/// A catalog sentence as an explanation: after its first colon, with its section.
fn said(code: &str, said: Said) -> String {
    let text = said.text.split_once(": ").map_or(said.text.as_str(), |(_, rest)| rest);
    explained(code, text, said.why.as_ref().map_or("", |w| w.rfc.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_replies_are_explained_by_code_and_status() {
        let unknown = explain_reply("550 5.1.1 <robert@southbay.test>: Recipient address rejected: User unknown").unwrap();
        assert!(unknown.starts_with("550 5.1.1: There is no user robert@southbay.test here"), "{unknown}");
        assert!(unknown.ends_with("(RFC 3463 3.2)."), "{unknown}");
        assert!(explain_reply("503 5.5.1 Error: need RCPT command").unwrap().contains("RFC 5321 4.1.4"));
        assert!(explain_reply("354 End data with <CR><LF>.<CR><LF>").unwrap().contains("only a dot"));
        assert!(explain_reply("220 2.0.0 Ready to start TLS").unwrap().contains("EHLO again"));
        assert!(explain_reply("299 odd").unwrap().starts_with("299: It worked"));
        assert!(explain_reply("451 4.7.1 <b@y.test>: Recipient address rejected: Greylisted").unwrap().contains("greylisting"));
    }

    #[test]
    fn pop3_and_imap_replies_too() {
        assert!(explain_reply("-ERR [IN-USE] Mailbox is locked").unwrap().contains("RFC 2449"));
        assert!(explain_reply("* 3 EXISTS").unwrap().contains("RFC 9051 7.4.1"));
        let bad = explain_reply("a1 BAD Error in IMAP command").unwrap();
        assert!(bad.starts_with("IMAP BAD: ") && bad.contains("not understood"), "{bad}");
        assert!(explain_reply("+ ").unwrap().contains("RFC 9051 7.6"));
    }

    #[test]
    fn anything_else_is_not_a_reply() {
        assert_eq!(explain_reply(""), None);
        assert_eq!(explain_reply("hello there"), None);
        assert_eq!(explain_reply("9"), None);
    }
}
