//! The lab's words: what a server expects next, and what a reply the student got means.

/// What to type next in a terminal: each is what the server session is ready for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    SmtpEhlo,
    SmtpLhlo,
    /// EHLO again, after STARTTLS (RFC 3207 4.2).
    SmtpEhloAgain,
    SmtpStartTls,
    SmtpAuth,
    SmtpAuthResponse,
    SmtpMail,
    SmtpQuitOrMail,
    SmtpRcpt,
    SmtpMoreRcptOrData,
    SmtpContent,
    Pop3Stls,
    Pop3User,
    Pop3Pass,
    Pop3SaslResponse,
    Pop3Transaction,
    Pop3Empty,
    ImapStartTls,
    ImapLogin,
    ImapSaslResponse,
    ImapSelect,
    ImapSelected,
    ImapEmpty,
    ImapDone,
    Closed,
}

impl Hint {
    /// Why these lines, after the example itself.
    pub fn say(self) -> &'static str {
        match self {
            Hint::SmtpEhlo | Hint::SmtpLhlo => "greet the server with your host's name.",
            Hint::SmtpEhloAgain => "TLS has started afresh and the server has forgotten your greeting: say EHLO again.",
            Hint::SmtpStartTls => "turn on encryption first, so that nothing (a password, a letter) travels in clear.",
            Hint::SmtpAuth => "log in: base64 of \\0user\\0password, a user of this world.",
            Hint::SmtpAuthResponse => "the server asked for your credentials: base64 of \\0user\\0password.",
            Hint::SmtpMail => "the envelope's sender: where a bounce would go.",
            Hint::SmtpQuitOrMail => "say goodbye, or MAIL FROM to send another letter.",
            Hint::SmtpRcpt => "a recipient of the envelope.",
            Hint::SmtpMoreRcptOrData => "DATA to send the message, or another RCPT TO first.",
            Hint::SmtpContent => "the message: headers, an empty line, the body, then a line with only a dot.",
            Hint::Pop3Stls => "turn on encryption first: this server takes no password in clear.",
            Hint::Pop3User => "your full address as the user name.",
            Hint::Pop3Pass => "the password of that user.",
            Hint::Pop3SaslResponse => "base64 of \\0user\\0password.",
            Hint::Pop3Transaction => "how many messages, their sizes, read the first, then QUIT (deletions happen only at QUIT).",
            Hint::Pop3Empty => "how many messages (none yet: send one to this user from the form), then QUIT.",
            Hint::ImapStartTls => "turn on encryption first: this server refuses LOGIN in clear (LOGINDISABLED).",
            Hint::ImapLogin => "a tag, the command, its arguments: log in.",
            Hint::ImapSaslResponse => "base64 of \\0user\\0password.",
            Hint::ImapSelect => "the folders, then open the inbox. Each command starts with a new tag.",
            Hint::ImapSelected => "read the first message (it becomes \\Seen), then log out.",
            Hint::ImapEmpty => "the inbox is empty (send a letter to this user from the form): log out.",
            Hint::ImapDone => "IDLE waits for new mail; DONE ends it.",
            Hint::Closed => "the connection is closed.",
        }
    }
}

/// "Next: STARTTLS, then EHLO my-laptop.test — turn on encryption first…": a hint in the
/// terminal, its lines to type and why.
pub fn hint_text(lines: &[String], hint: Hint) -> String {
    let shown: Vec<&str> = lines.iter().map(|l| if l.is_empty() { "(an empty line)" } else { l.as_str() }).collect();
    if shown.is_empty() {
        return super::capitalised(hint.say().to_owned());
    }
    format!("{} — {}", shown.join(", then "), hint.say())
}

/// "550 5.1.1: there is no user ... (RFC 3463 3.2)": a reply explained in the terminal.
pub fn explained(code: &str, meaning: &str, rfc: &str) -> String {
    format!("{code}: {} ({rfc}).", super::capitalised(meaning.trim_end_matches('.').to_owned()))
}

/// What the terminal says for a line that is not a reply.
pub fn not_a_reply(line: &str) -> String {
    format!("\"{line}\" is not a reply the lab knows.")
}

/// The names the lab's explanations use for the two ends of the student's session.
pub const THE_SERVER: &str = "the server";
pub const YOU: &str = "you";

/// Said to a screen reader when the student connects a terminal.
pub fn connected(number: usize, service: &str, port: u16, server: &str) -> String {
    format!("Terminal {number}: connected to {service} on port {port} at {server}. Type your first line.")
}

/// Said when a letter from the form is on its way.
pub fn sent(from: &str, to: &str) -> String {
    format!("The letter from {from} to {to} is on its way: watch the diagram and the stream.")
}

/// Said after skipping ahead to the next retry.
/// The lab's fault switches.
pub fn switched_off(host: &str) -> String {
    format!("{host} is switched off")
}

pub fn greylists(host: &str) -> String {
    format!("{host} greylists")
}

pub fn answers_vrfy(host: &str) -> String {
    format!("{host} answers VRFY (disable_vrfy_command = no)")
}

pub fn signs(host: &str, domain: &str) -> String {
    format!("{host} signs {domain}'s letters with DKIM")
}

pub fn publishes_spf(domain: &str, record: &str) -> String {
    format!("{domain} publishes SPF: {record}")
}

pub fn publishes_dmarc(domain: &str, policy: &str) -> String {
    format!("{domain} publishes DMARC: p={policy}")
}

pub fn checks_senders(host: &str) -> String {
    format!("{host} checks SPF, DKIM and DMARC")
}

pub fn open_relay(host: &str) -> String {
    format!("{host} relays for anyone (mynetworks = 0.0.0.0/0)")
}

pub fn does_not_exist(address: &str) -> String {
    format!("{address} does not exist")
}

pub fn mailbox_full(address: &str) -> String {
    format!("{address}'s mailbox is full")
}

pub const SKIPPED_AHEAD: &str = "Skipped ahead to the next thing due.";
