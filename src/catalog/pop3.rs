//! POP3 in words (RFC 1939, with STLS from RFC 2595 and CAPA from RFC 2449): each command,
//! and each `+OK` or `-ERR` by the command it answers.

use super::{count, Said};

/// A client's POP3 command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    User { client: String, name: String },
    Pass { client: String, tls: bool },
    Apop { client: String, name: String },
    Auth { client: String },
    Stls { client: String },
    Capa { client: String },
    Stat { client: String },
    List { client: String },
    Uidl { client: String },
    Retr { client: String, msg: u32 },
    Top { client: String, msg: u32 },
    Dele { client: String, msg: u32 },
    Noop { client: String },
    Rset { client: String },
    Quit { client: String },
    Unknown { client: String, word: String },
}

impl Command {
    pub fn say(&self) -> Said {
        match self {
            Command::User { client, name } => Said::new(
                format!("{client} gives the user name, {name}, to log in to the mailbox."),
                "RFC 1939 7",
                "USER names the mailbox; PASS follows with the password.",
            ),
            Command::Pass { client, tls } => Said::new(
                format!(
                    "{client} sends the password with PASS.{}",
                    if *tls { " The connection is encrypted, so nobody else can read it." } else { " The connection is not encrypted: anyone listening can read it." }
                ),
                "RFC 1939 7",
                "PASS completes the USER login; the server then locks the mailbox for this session.",
            ),
            Command::Apop { client, name } => Said::new(
                format!("{client} logs in as {name} with APOP: a digest of the password mixed with the server's greeting, so the password itself never crosses the network."),
                "RFC 1939 7",
                "APOP's digest is new for every connection, so one overheard digest is useless later.",
            ),
            Command::Auth { client } => Said::new(
                format!("{client} logs in with AUTH, naming a SASL mechanism."),
                "RFC 5034 4",
                "POP3's AUTH uses the same SASL mechanisms as SMTP and IMAP.",
            ),
            Command::Stls { client } => Said::new(
                format!("{client} asks to switch on encryption with STLS before logging in."),
                "RFC 2595 4",
                "STLS is POP3's STARTTLS: the TLS handshake follows the +OK at once.",
            ),
            Command::Capa { client } => Said::new(
                format!("{client} asks what the server can do (CAPA)."),
                "RFC 2449 5",
                "CAPA lists the server's capabilities, one per line.",
            ),
            Command::Stat { client } => Said::new(
                format!("{client} asks how many letters are waiting and how big they are together (STAT)."),
                "RFC 1939 5",
                "STAT answers with the number of messages and their total size in octets.",
            ),
            Command::List { client } => Said::new(
                format!("{client} asks for the list of letters and their sizes (LIST)."),
                "RFC 1939 5",
                "LIST gives each message's number and size.",
            ),
            Command::Uidl { client } => Said::new(
                format!("{client} asks for each letter's unique id (UIDL), to tell which ones it already has."),
                "RFC 1939 7",
                "A unique-id never changes between sessions, unlike the message numbers.",
            ),
            Command::Retr { client, msg } => Said::new(
                format!("{client} asks for letter number {msg} (RETR), to download it."),
                "RFC 1939 5",
                "RETR sends the whole message, ending with a line holding only a dot.",
            ),
            Command::Top { client, msg } => Said::new(
                format!("{client} asks for the headers of letter number {msg} (TOP)."),
                "RFC 1939 7",
                "TOP sends the headers and as many body lines as asked.",
            ),
            Command::Dele { client, msg } => Said::new(
                format!("{client} marks letter number {msg} for deletion (DELE). It is really deleted only when the session ends with QUIT."),
                "RFC 1939 5",
                "DELE only marks a message; the server removes marked messages in the UPDATE state after QUIT.",
            ),
            Command::Noop { client } => Said::new(
                format!("{client} checks that the server is still there (NOOP)."),
                "RFC 1939 5",
                "NOOP does nothing; the server answers +OK.",
            ),
            Command::Rset { client } => Said::new(
                format!("{client} takes back its deletion marks (RSET)."),
                "RFC 1939 5",
                "RSET unmarks every message marked as deleted.",
            ),
            Command::Quit { client } => Said::new(
                format!("{client} says QUIT: the server now deletes the letters marked for deletion and closes the connection."),
                "RFC 1939 6",
                "QUIT in the TRANSACTION state moves the session to UPDATE, where deletions happen.",
            ),
            Command::Unknown { client, word } => Said::new(
                format!("{client} sends \"{word}\", which is not a POP3 command this server knows."),
                "RFC 1939 3",
                "A server answers -ERR to a command it does not recognise.",
            ),
        }
    }
}

/// What a POP3 answer means, by what it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Greeting,
    TlsReady,
    UserOk,
    LoggedIn,
    LoginFailed,
    /// `-ERR [IN-USE]`: another session has the mailbox (RFC 2449 8.1.2).
    InUse,
    /// STAT: how many, how big.
    Stat { answer: String },
    /// A multi-line answer (LIST, UIDL, CAPA) with its lines, the final dot included.
    Listing { lines: usize },
    /// A letter (RETR, TOP) with its lines, the final dot included.
    Letter { msg: u32, lines: usize },
    Deleted { msg: u32 },
    Bye,
    Ok,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub server: String,
    /// `+OK` or `-ERR`.
    pub status: String,
    pub meaning: Meaning,
}

impl Reply {
    pub fn say(&self) -> Said {
        let Reply { server, status, meaning } = self;
        let (text, rfc, why) = meaning_words(meaning);
        Said::new(format!("{server} answers {status}: {text}"), rfc, why)
    }
}

/// What an answer means, and why: for the narrator and for the lab's terminal.
pub fn meaning_words(meaning: &Meaning) -> (String, &'static str, &'static str) {
    match meaning {
        Meaning::Greeting => (
            "ready. A POP3 server answers every command with +OK (it worked) or -ERR (it did not).".into(),
            "RFC 1939 4",
            "The session starts in the AUTHORIZATION state: the client must log in first.",
        ),
        Meaning::TlsReady => ("ready to start TLS; the handshake follows at once.".into(), "RFC 2595 4", "After +OK to STLS both sides negotiate TLS."),
        Meaning::UserOk => ("now the password, please.".into(), "RFC 1939 7", "+OK to USER asks for PASS."),
        Meaning::LoggedIn => (
            "logged in. The mailbox is locked for this session, so no other program can change it meanwhile.".into(),
            "RFC 1939 4",
            "After a login the session is in the TRANSACTION state and holds the maildrop's lock.",
        ),
        Meaning::LoginFailed => ("the login failed: the name or the password is wrong.".into(), "RFC 3206 5", "-ERR [AUTH] means the credentials were refused."),
        Meaning::InUse => (
            "the mailbox is in use by another session, which holds its lock.".into(),
            "RFC 2449 8.1.2",
            "[IN-USE] says the maildrop is locked by another POP3 session.",
        ),
        Meaning::Stat { answer } => (
            format!("{answer} (how many letters, and their size in octets)."),
            "RFC 1939 5",
            "The STAT answer is the message count and the total size.",
        ),
        Meaning::Listing { lines } => (
            format!("the list, {}, ending with a line holding only a dot.", count(lines.saturating_sub(1), "entry", "entries")),
            "RFC 1939 3",
            "A multi-line answer ends with a line holding only a dot.",
        ),
        Meaning::Letter { msg, lines } => (
            format!("here is letter {msg}: {}, then a line holding only a dot. The letter is now on the device.", count(lines.saturating_sub(1), "line", "lines")),
            "RFC 1939 5",
            "RETR's answer is the whole message, dot-stuffed, ending with <CRLF>.<CRLF>.",
        ),
        Meaning::Deleted { msg } => (
            format!("letter {msg} is marked for deletion."),
            "RFC 1939 5",
            "The mark is undone by RSET; QUIT makes it final.",
        ),
        Meaning::Bye => (
            "goodbye. The marked letters are now gone from the server.".into(),
            "RFC 1939 6",
            "In the UPDATE state the server removes the marked messages and releases the lock.",
        ),
        Meaning::Ok => ("it worked.".into(), "RFC 1939 3", "+OK is POP3's positive answer."),
        Meaning::Failed => ("it did not work.".into(), "RFC 1939 3", "-ERR is POP3's negative answer."),
    }
}
