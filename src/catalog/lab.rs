//! The lab's words: what a server expects next, and what a reply the student got means.

/// What to type next in a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Pop3User,
    Pop3Pass,
    Pop3Transaction,
    ImapLogin,
    ImapSelect,
    ImapSelected,
    SmtpContent,
    SmtpEhlo,
    SmtpLhlo,
    SmtpAuth,
    SmtpMail,
    SmtpRcpt,
    SmtpMoreRcptOrData,
    SmtpQuitOrMail,
}

impl Hint {
    pub fn say(self) -> &'static str {
        match self {
            Hint::Pop3User => "USER followed by your full address, e.g. USER bob@southbay.test.",
            Hint::Pop3Pass => "PASS followed by the password.",
            Hint::Pop3Transaction => "STAT, LIST, RETR 1, DELE 1, then QUIT (deletions happen only at QUIT).",
            Hint::ImapLogin => "a LOGIN bob@southbay.test builder: a tag, the command, its arguments.",
            Hint::ImapSelect => "a SELECT INBOX, or a LIST \"\" \"*\" to see the folders.",
            Hint::ImapSelected => "a FETCH 1 BODY[], a STORE 1 +FLAGS (\\Seen), a LOGOUT: each command starts with a tag.",
            Hint::SmtpContent => "The message: headers (Subject: ...), an empty line, the body, then a line with only a dot.",
            Hint::SmtpEhlo => "EHLO followed by your host's name.",
            Hint::SmtpLhlo => "LHLO followed by your host's name.",
            Hint::SmtpAuth => "AUTH PLAIN followed by base64 of \\0user\\0password (STARTTLS first on a real server).",
            Hint::SmtpMail => "MAIL FROM:<your address>",
            Hint::SmtpRcpt => "RCPT TO:<the recipient's address>",
            Hint::SmtpMoreRcptOrData => "Another RCPT TO, or DATA to send the message.",
            Hint::SmtpQuitOrMail => "QUIT, or MAIL FROM for another message.",
        }
    }
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
