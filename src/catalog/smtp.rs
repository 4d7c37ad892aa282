//! SMTP and LMTP in words: each command a client sends, and each reply by its code, its
//! enhanced status (RFC 3463) and the command it answers.

use super::{count, Said};

/// A client's line. `client` is the host's name as the diagram labels it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ehlo { client: String, domain: String, again: bool },
    Helo { client: String, domain: String },
    Lhlo { client: String, domain: String },
    StartTls { client: String },
    Auth { client: String, mechanism: String, tls: bool },
    AuthLine { client: String },
    Mail { client: String, sender: String },
    Rcpt { client: String, recipient: String },
    Data { client: String },
    /// The letter after `354`: its lines, and whether the final dot is among them.
    Content { client: String, lines: usize, ended: bool },
    Rset { client: String },
    Noop { client: String },
    Vrfy { client: String, target: String },
    Help { client: String },
    Quit { client: String },
    Unknown { client: String, word: String },
}

impl Command {
    pub fn say(&self) -> Said {
        match self {
            Command::Ehlo { client, domain, again: false } => Said::new(
                format!("{client} says hello with EHLO and gives its name, {domain}. EHLO asks the server to list the extras (extensions) it supports."),
                "RFC 5321 4.1.1.1",
                "A session starts with EHLO; a client that says EHLO may use the extensions the server lists in its answer.",
            ),
            Command::Ehlo { client, again: true, .. } => Said::new(
                format!("{client} says EHLO again, now inside the encrypted connection: the server forgot everything said before encryption started."),
                "RFC 3207 4.2",
                "After the TLS handshake both sides start from scratch, and the client should greet the server again.",
            ),
            Command::Helo { client, domain } => Said::new(
                format!("{client} says hello with HELO and gives its name, {domain}. HELO is the older greeting, from before SMTP had extensions."),
                "RFC 5321 4.1.1.1",
                "HELO starts a plain SMTP session; the server answers with a single line and offers no extensions.",
            ),
            Command::Lhlo { client, domain } => Said::new(
                format!("{client} greets the mailbox server with LHLO and gives its name, {domain}. LHLO is EHLO in LMTP, the local cousin of SMTP that hands letters to the mailbox store."),
                "RFC 2033 4.1",
                "LMTP sessions start with LHLO instead of EHLO, so that nobody mistakes an LMTP server for an SMTP one.",
            ),
            Command::StartTls { client } => Said::new(
                format!("{client} asks to switch on encryption with STARTTLS, so that nobody on the network can read the password or the letter."),
                "RFC 3207 4",
                "STARTTLS turns the open connection into an encrypted one before anything secret is sent.",
            ),
            Command::Auth { client, mechanism, tls } => {
                let protected = if *tls {
                    "The connection is encrypted, so only the server can read them."
                } else {
                    "The connection is not encrypted: anyone listening can decode them."
                };
                Said::new(
                    format!("{client} logs in with AUTH {mechanism}: the user name and password, written in base64 (an encoding, not a secret). {protected}"),
                    "RFC 4954 4",
                    "AUTH names a SASL mechanism; PLAIN sends the name and password at once, LOGIN in two answers.",
                )
            }
            Command::AuthLine { client } => Said::new(
                format!("{client} answers the server's question with the next piece of the login, in base64."),
                "RFC 4954 4",
                "During AUTH, each 334 challenge gets one line of base64 from the client.",
            ),
            Command::Mail { client, sender } if sender == "<>" => Said::new(
                format!("{client} starts a letter with MAIL FROM:<>, the empty sender. This letter is a notice from a mail system (a bounce or a warning), and nobody may answer it with another notice."),
                "RFC 5321 4.5.5",
                "Notices are sent with the null reverse-path, so that two servers can never bounce letters to each other forever.",
            ),
            Command::Mail { client, sender } => Said::new(
                format!("{client} starts a letter with MAIL FROM:{sender}. This is the envelope sender: the address the servers use (a bounce goes back to it), not the From: line inside the letter."),
                "RFC 5321 4.1.1.2",
                "MAIL starts a new mail transaction and gives the reverse-path, where notices about the letter go.",
            ),
            Command::Rcpt { client, recipient } => Said::new(
                format!("{client} names a recipient on the envelope: RCPT TO:{recipient}. A letter can have several recipients, and each gets its own answer."),
                "RFC 5321 4.1.1.3",
                "RCPT gives one forward-path; the server checks each recipient on its own.",
            ),
            Command::Data { client } => Said::new(
                format!("{client} says DATA: it is ready to send the letter itself, headers and body."),
                "RFC 5321 4.1.1.4",
                "DATA asks to send the message content; the server must agree with 354 first.",
            ),
            Command::Content { client, lines, ended } => {
                let end = if *ended { ", then a line with a single dot that says the letter is finished" } else { "" };
                Said::new(
                    format!("{client} sends the letter itself: {}{end}. The headers come first, then an empty line, then the body.", count(*lines, "line", "lines")),
                    "RFC 5321 4.5.2",
                    "A line of the letter that starts with a dot gets a second dot on the wire (dot-stuffing), so it cannot end the letter early.",
                )
            }
            Command::Rset { client } => Said::new(
                format!("{client} cancels the letter in progress with RSET; the connection stays open."),
                "RFC 5321 4.1.1.5",
                "RSET forgets the sender, the recipients and any content of the current transaction.",
            ),
            Command::Noop { client } => Said::new(
                format!("{client} sends NOOP, which does nothing but check that the server is still listening."),
                "RFC 5321 4.1.1.9",
                "NOOP has no effect; the server answers 250.",
            ),
            Command::Vrfy { client, target } => Said::new(
                format!("{client} asks with VRFY whether the server knows the user {target}. Many servers will not say, because the answer helps spammers find real addresses."),
                "RFC 5321 3.5.3",
                "A server may answer 252: it will not confirm the address, but will take mail for it.",
            ),
            Command::Help { client } => Said::new(
                format!("{client} asks for HELP."),
                "RFC 5321 4.1.1.8",
                "HELP asks the server for information meant for a person.",
            ),
            Command::Quit { client } => Said::new(
                format!("{client} says QUIT: it is done and asks the server to close the connection."),
                "RFC 5321 4.1.1.10",
                "The server answers 221 and closes the connection.",
            ),
            Command::Unknown { client, word } => Said::new(
                format!("{client} sends \"{word}\", which is not an SMTP command this server can run."),
                "RFC 5321 4.2.4",
                "A server answers 500 (or 502) to a command it does not know.",
            ),
        }
    }
}

/// What a reply means, decided from its code, its enhanced status and what it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Greeting,
    /// LMTP's greeting: the mailbox store is ready.
    LmtpGreeting,
    /// The EHLO/LHLO answer with the extensions offered.
    Extensions { list: Vec<String> },
    Hello,
    TlsReady,
    LoggedIn,
    Challenge,
    LoginFailed,
    LoginRequired,
    TlsRequired,
    SenderOk,
    RecipientOk { recipient: String },
    NoSuchUser { recipient: String },
    RelayDenied,
    Greylisted,
    GoAhead,
    /// The final dot's 250: the server's queue has it.
    Queued { queue_id: String },
    /// LMTP: stored in this recipient's mailbox.
    Saved { recipient: String },
    MailboxFull,
    TooBig,
    Bye,
    Done,
    CannotVerify,
    /// VRFY's 252 from a server whose recipient checks accept the address: it exists.
    Verified,
    /// VRFY switched off (`disable_vrfy_command = yes`).
    VrfyDisabled,
    /// A command the server does not have at all (EXPN on Postfix).
    Unrecognized,
    /// The hard error limit: the server hangs up.
    TooManyErrors,
    BadSequence,
    BadSyntax,
    NotImplemented,
    Closing,
    /// Anything else, by class: 2 success, 3 more please, 4 temporary, 5 permanent.
    Class { class: u16 },
}

/// A whole reply: who sends it to whom, its code and status as sent, what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub server: String,
    pub client: String,
    /// `250 2.1.5`, or `220` for a reply without an enhanced status.
    pub code: String,
    pub meaning: Meaning,
}

impl Reply {
    pub fn say(&self) -> Said {
        let Reply { server, client, code, meaning } = self;
        let (text, rfc, why) = meaning_words(meaning, server, client);
        Said::new(format!("{server} answers {code}: {text}"), rfc, why)
    }
}

/// What a reply means in a sentence (after "answers 250:"), and why, with its section.
/// Also what the lab's terminal says when a student asks "what did that reply mean?".
pub fn meaning_words(meaning: &Meaning, server: &str, client: &str) -> (String, &'static str, &'static str) {
    let (text, rfc, why): (String, _, _) = match meaning {
        Meaning::Greeting => (
            "hello, I am ready. This banner tells anyone who connects the server's name; many servers leave their software and version out of it (Postfix's smtpd_banner), so as not to tell an attacker what to try.".into(),
            "RFC 5321 3.1",
            "The server speaks first: a 220 greeting says it is ready to talk.",
        ),
        Meaning::LmtpGreeting => (
            "hello, I am ready to put letters into mailboxes. LHLO comes next.".into(),
            "RFC 2033 4",
            "An LMTP session starts like SMTP: the server greets, the client says LHLO.",
        ),
        Meaning::Extensions { list } if list.is_empty() => (
            "hello back, with no extensions to offer.".into(),
            "RFC 5321 4.1.1.1",
            "The EHLO answer lists one extension per line after the server's name.",
        ),
        Meaning::Extensions { list } => (
            format!("hello back, and here is what I can do: {}.{}", list.join(", "), extensions_note(list)),
            "RFC 5321 4.1.1.1",
            "The EHLO answer lists one extension per line after the server's name; the client may use only what is listed.",
        ),
        Meaning::Hello => ("hello back.".into(), "RFC 5321 4.1.1.1", "HELO gets a one-line answer without extensions."),
        Meaning::TlsReady => (
            format!("ready to start TLS. {client} and {server} now agree on keys; from here on an eavesdropper sees only scrambled bytes, and the client should say EHLO again."),
            "RFC 3207 4",
            "After 220 the TLS handshake starts at once, on the same connection.",
        ),
        Meaning::LoggedIn => (
            "the login worked. It now knows who is sending, and will pass the letter on for them.".into(),
            "RFC 4954 6",
            "235 means the authentication succeeded; a submission server relays only for users who logged in.",
        ),
        Meaning::Challenge => (
            "the server asks for the next piece of the login, in base64.".into(),
            "RFC 4954 4",
            "334 is a challenge: the client must answer it with one line of base64.",
        ),
        Meaning::LoginFailed => (
            "the login failed: the user name or the password is wrong. The letter cannot go this way.".into(),
            "RFC 4954 6",
            "535 5.7.8 means the credentials were not accepted.",
        ),
        Meaning::LoginRequired => (
            format!("log in first. {server} only takes letters from its own users, and they must prove who they are."),
            "RFC 4954 6",
            "530 5.7.0 means authentication is required before this command.",
        ),
        Meaning::TlsRequired => (
            "switch on encryption first (STARTTLS): the password must never cross the network in the clear.".into(),
            "RFC 3207 4",
            "A server may refuse commands with 530 until the client has started TLS.",
        ),
        Meaning::SenderOk => ("the envelope sender is accepted.".into(), "RFC 5321 4.1.1.2", "250 to MAIL: the transaction has begun."),
        Meaning::RecipientOk { recipient } => (
            format!("it will take the letter for {recipient}."),
            "RFC 5321 4.1.1.3",
            "250 to RCPT: this recipient is accepted; others may still be refused.",
        ),
        Meaning::NoSuchUser { recipient } => (
            format!("there is no user {recipient} here. That is permanent: this letter will never reach that address, and its sender will hear so."),
            "RFC 3463 3.2",
            "X.1.1 means the mailbox named in the address does not exist.",
        ),
        Meaning::RelayDenied => (
            format!("relay access denied. {server} takes mail from strangers only for its own domains; otherwise anyone could send spam through it."),
            "RFC 5321 7.9",
            "Relaying through arbitrary servers has been used to hide where mail comes from, so servers relay only for known sources.",
        ),
        Meaning::Greylisted => (
            format!("try again later. This is greylisting: {server} refuses a sender it has not seen before, once. A real mail server keeps the letter and comes back; many spam programs never do."),
            "RFC 6647 2",
            "Greylisting gives a temporary 4xx to unknown senders and accepts them when they retry.",
        ),
        Meaning::GoAhead => (
            "go ahead, send the letter, and end it with a line holding only a dot.".into(),
            "RFC 5321 4.1.1.4",
            "354 is an intermediate reply: the server now reads the message until <CRLF>.<CRLF>.",
        ),
        Meaning::Queued { queue_id } => (
            format!("the letter is in its queue as {queue_id}. Delivering it, or bouncing it, is now {server}'s job, and {client} can forget it."),
            "RFC 5321 6.1",
            "With this 250 the receiving server takes responsibility for the letter: it must deliver it or report the failure.",
        ),
        Meaning::Saved { recipient } => (
            format!("the letter is saved in {recipient}'s mailbox. LMTP answers once for every recipient, so each one's fate is known."),
            "RFC 2033 4.2",
            "After the dot an LMTP server sends one reply per accepted recipient.",
        ),
        Meaning::MailboxFull => (
            "the recipient's mailbox is full.".into(),
            "RFC 3463 3.3",
            "X.2.2 means the mailbox has reached its size limit.",
        ),
        Meaning::TooBig => ("the letter is too big for this server.".into(), "RFC 1870 6.1", "A server refuses a message larger than its fixed maximum with 552."),
        Meaning::Bye => (
            "goodbye. It closes the connection.".into(),
            "RFC 5321 4.1.1.10",
            "221 answers QUIT; then the server closes the connection.",
        ),
        Meaning::Done => ("done.".into(), "RFC 5321 4.2.1", "2xx replies mean the command succeeded."),
        Meaning::CannotVerify => (
            "I will not say whether that user exists, but I would take mail for it.".into(),
            "RFC 5321 3.5.3",
            "252 lets a server refuse to confirm addresses without refusing mail.",
        ),
        Meaning::Verified => (
            "yes: the address passes the same checks as RCPT TO, so it would take mail for it. The code is 252, not 250 (the server promises no more than that), but to a program collecting addresses it is a plain yes: this mailbox exists.".into(),
            "RFC 5321 3.5.3",
            "252 means the server will accept mail for the address without fully verifying it.",
        ),
        Meaning::VrfyDisabled => (
            "VRFY is switched off here (disable_vrfy_command = yes): it answers no questions about addresses.".into(),
            "RFC 5321 7.3",
            "VRFY helps strangers collect real addresses, so servers may refuse it.",
        ),
        Meaning::Unrecognized => (
            "this server has no such command. Postfix, for one, has no EXPN, so it never reveals who is on a mailing list.".into(),
            "RFC 5321 7.3",
            "500 5.5.2 means the command is not recognised; EXPN would reveal the members of a list.",
        ),
        Meaning::TooManyErrors => (
            format!("{server} has counted too many errors in this session and hangs up (Postfix's smtpd_hard_error_limit): a client that keeps being refused is probing, not sending mail."),
            "RFC 5321 4.2.3",
            "421 means the service is closing the connection.",
        ),
        Meaning::BadSequence => (
            "not now: SMTP has an order (EHLO, MAIL, RCPT, DATA), and this command came out of it.".into(),
            "RFC 5321 4.1.4",
            "503 means a bad sequence of commands.",
        ),
        Meaning::BadSyntax => (
            "the command is not written correctly.".into(),
            "RFC 5321 4.2.2",
            "500 and 501 mean a syntax error in the command or its arguments.",
        ),
        Meaning::NotImplemented => ("this server does not do that.".into(), "RFC 5321 4.2.4", "502 means the command is not implemented."),
        Meaning::Closing => (
            format!("{server} is closing the connection; the client should try again later."),
            "RFC 5321 4.2.3",
            "421 means the service is not available and the connection is closing.",
        ),
        Meaning::Class { class: 2 } => ("it worked.".into(), "RFC 5321 4.2.1", "2xx: the command succeeded."),
        Meaning::Class { class: 3 } => ("go on, I need more.".into(), "RFC 5321 4.2.1", "3xx: the server waits for more input."),
        Meaning::Class { class: 4 } => (
            "a temporary failure. The same thing may work later, so a mail server keeps the letter queued and tries again.".into(),
            "RFC 5321 4.2.1",
            "4xx: a transient negative reply; the client should retry.",
        ),
        Meaning::Class { .. } => (
            "a permanent failure: the same command will fail again.".into(),
            "RFC 5321 4.2.1",
            "5xx: a permanent negative reply; the client must not repeat the same request.",
        ),
    };
    (text, rfc, why)
}

/// What the notable extensions mean, for the EHLO answer.
fn extensions_note(list: &[String]) -> &'static str {
    let has = |name: &str| list.iter().any(|e| e.split(' ').next() == Some(name));
    match (has("STARTTLS"), has("AUTH")) {
        (true, _) => " STARTTLS means it can encrypt the connection.",
        (false, true) => " AUTH lists the ways to log in, offered now that the connection is encrypted.",
        _ => "",
    }
}
