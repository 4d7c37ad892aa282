//! "What does the server expect next?": a hint for a student typing a session by hand, taken
//! from the state of the server session itself (`Simulator::external_expects`), never guessed
//! from the lines typed so far, so that following it never meets the server's own refusal.
//! Its example lines use the people of the lab's world, so that they work as typed.

use crate::catalog::lab::{hint_text, Hint};
use crate::engine::base64;
use crate::engine::scenario::{domain_of, Scenario, User};
use crate::engine::world::server_side::Expects;
use crate::engine::{imap, pop3, smtp};

/// What to type next: example lines that work now, and the sentence the terminal shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextLines {
    pub hint: Hint,
    /// Lines to type, in order (a message's lines, or a few commands and then the last one).
    pub lines: Vec<String>,
}

impl NextLines {
    pub fn text(&self) -> String {
        hint_text(&self.lines, self.hint)
    }
}

/// The host name the lab's examples greet with: the student's machine.
const MY_HOST: &str = "my-laptop.test";

/// The next lines for a session whose server `expects` this, on the host `server` of the
/// world `scenario`; `tag` numbers an IMAP command (`a1`, `a2`...).
pub fn next_lines(expects: Option<Expects>, scenario: &Scenario, server: &str, tag: usize) -> NextLines {
    let me = login_user(scenario, server);
    let (sender, recipient) = letter_between(scenario, me);
    let tagged = |command: &str| format!("a{tag} {command}");
    let plain = |u: Option<&User>| u.map(|u| base64::encode(format!("\0{}\0{}", u.address, u.password).as_bytes())).unwrap_or_default();
    let (hint, lines): (Hint, Vec<String>) = match expects {
        None | Some(Expects::Smtp(smtp::Expects::Nothing) | Expects::Pop3(pop3::Expects::Nothing) | Expects::Imap(imap::Expects::Nothing)) => (Hint::Closed, vec![]),
        Some(Expects::Smtp(e)) => match e {
            smtp::Expects::Hello { lmtp: true, .. } => (Hint::SmtpLhlo, vec![format!("LHLO {MY_HOST}")]),
            smtp::Expects::Hello { tls: true, .. } => (Hint::SmtpEhloAgain, vec![format!("EHLO {MY_HOST}")]),
            smtp::Expects::Hello { .. } => (Hint::SmtpEhlo, vec![format!("EHLO {MY_HOST}")]),
            smtp::Expects::StartTls => (Hint::SmtpStartTls, vec!["STARTTLS".into()]),
            smtp::Expects::Auth => (Hint::SmtpAuth, vec![format!("AUTH PLAIN {}", plain(me))]),
            smtp::Expects::AuthResponse => (Hint::SmtpAuthResponse, vec![plain(me)]),
            smtp::Expects::Mail { again: false } => (Hint::SmtpMail, vec![format!("MAIL FROM:<{sender}>")]),
            smtp::Expects::Mail { again: true } => (Hint::SmtpQuitOrMail, vec!["QUIT".into()]),
            smtp::Expects::Rcpt => (Hint::SmtpRcpt, vec![format!("RCPT TO:<{recipient}>")]),
            smtp::Expects::RcptOrData => (Hint::SmtpMoreRcptOrData, vec!["DATA".into()]),
            smtp::Expects::Content => (
                Hint::SmtpContent,
                vec![
                    format!("From: <{sender}>"),
                    format!("To: <{recipient}>"),
                    "Subject: Typed by hand".into(),
                    String::new(),
                    "Hello from the lab.".into(),
                    ".".into(),
                ],
            ),
            smtp::Expects::Nothing => (Hint::Closed, vec![]),
        },
        Some(Expects::Pop3(e)) => match e {
            pop3::Expects::Stls => (Hint::Pop3Stls, vec!["STLS".into()]),
            pop3::Expects::User => (Hint::Pop3User, vec![format!("USER {}", me.map_or("", |u| &u.address))]),
            pop3::Expects::Pass => (Hint::Pop3Pass, vec![format!("PASS {}", me.map_or("", |u| &u.password))]),
            pop3::Expects::SaslResponse => (Hint::Pop3SaslResponse, vec![plain(me)]),
            pop3::Expects::Transaction { messages: 0 } => (Hint::Pop3Empty, vec!["STAT".into(), "QUIT".into()]),
            pop3::Expects::Transaction { .. } => {
                (Hint::Pop3Transaction, vec!["STAT".into(), "LIST".into(), "RETR 1".into(), "QUIT".into()])
            }
            pop3::Expects::Nothing => (Hint::Closed, vec![]),
        },
        Some(Expects::Imap(e)) => match e {
            imap::Expects::StartTls => (Hint::ImapStartTls, vec![tagged("STARTTLS")]),
            imap::Expects::Login => {
                let (user, password) = me.map_or(("", ""), |u| (&u.address, &u.password));
                (Hint::ImapLogin, vec![tagged(&format!("LOGIN {user} {password}"))])
            }
            imap::Expects::SaslResponse => (Hint::ImapSaslResponse, vec![plain(me)]),
            imap::Expects::Select => (Hint::ImapSelect, vec![tagged("LIST \"\" \"*\""), format!("a{} SELECT INBOX", tag + 1)]),
            imap::Expects::Selected { exists: 0 } => (Hint::ImapEmpty, vec![tagged("LOGOUT")]),
            imap::Expects::Selected { .. } => (Hint::ImapSelected, vec![tagged("FETCH 1 BODY[]"), format!("a{} LOGOUT", tag + 1)]),
            imap::Expects::Done => (Hint::ImapDone, vec!["DONE".into()]),
            imap::Expects::Nothing => (Hint::Closed, vec![]),
        },
    };
    NextLines { hint, lines }
}

/// Who logs in at `server` in the examples: the first user of a domain the host serves, else
/// the first user of the world (the lab routes each login to the user's own host).
fn login_user<'a>(scenario: &'a Scenario, server: &str) -> Option<&'a User> {
    let domains = scenario.host(server).map(|h| h.domains.as_slice()).unwrap_or_default();
    scenario
        .users
        .iter()
        .filter(|u| ordinary(u))
        .find(|u| domains.iter().any(|d| domain_of(&u.address).eq_ignore_ascii_case(d)))
        .or_else(|| scenario.users.iter().find(|u| ordinary(u)))
}

/// A letter's envelope for the examples: from the user who logs in, to someone of another
/// domain (so that the letter travels), else to anyone else.
fn letter_between<'a>(scenario: &'a Scenario, me: Option<&'a User>) -> (&'a str, &'a str) {
    let sender = me.map_or("", |u| u.address.as_str());
    let others = || scenario.users.iter().filter(|u| u.address != sender && ordinary(u));
    let recipient = others()
        .find(|u| !domain_of(&u.address).eq_ignore_ascii_case(domain_of(sender)))
        .or_else(|| others().next())
        .map_or("", |u| u.address.as_str());
    (sender, recipient)
}

/// A person of the world rather than the postmaster role every domain has (RFC 5321 4.5.1).
fn ordinary(user: &User) -> bool {
    !user.address.to_ascii_lowercase().starts_with("postmaster@")
}
