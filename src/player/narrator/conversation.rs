//! Who said what to whom on one connection: each line of a session classified as a command,
//! a piece of the letter, or a reply, and each reply paired with the command it answers.
//!
//! The trace records lines exactly as sent, one by one; what a line *means* depends on what
//! came before it on the same connection (after `354` the client's lines are the letter; the
//! third reply of a pipelined burst answers the third command). So the narrator replays the
//! connection from its start with a small state machine per protocol, using the engine's own
//! parsers for the commands.

use std::collections::VecDeque;

use crate::engine::imap::framing::literal_announcement;
use crate::engine::scenario::Service;
use crate::engine::imap::{Command as ImapCommand, CommandBody};
use crate::engine::smtp::status::Status;
use crate::engine::pop3::Command as Pop3Command;
use crate::engine::smtp::Command as SmtpCommand;
use crate::engine::trace::Direction;

/// The protocol family a connection speaks, from the service name in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// SMTP on 25, 587 or 465.
    Smtp,
    /// LMTP (RFC 2033): SMTP's sibling, one reply per recipient after the dot.
    Lmtp,
    Pop3,
    Imap,
}

impl Family {
    pub fn of(service: Service) -> Family {
        match service {
            Service::Lmtp => Family::Lmtp,
            Service::Pop3 | Service::Pop3s => Family::Pop3,
            Service::Imap | Service::Imaps => Family::Imap,
            Service::Smtp | Service::Submission | Service::Submissions => Family::Smtp,
        }
    }
}

/// What a client asked, as far as its reply's meaning depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// Nothing: the connection opened and the server speaks first.
    Greeting,
    Smtp(SmtpCommand),
    /// A base64 line answering an SMTP `334` challenge (RFC 4954 4).
    SmtpAuthLine,
    /// The letter's final dot; `recipient` is set in LMTP, which answers once per recipient.
    EndOfData { recipient: Option<String> },
    Pop3(Pop3Command),
    Imap(CommandBody),
    /// A line the server's parser would refuse: its first word.
    Unparsed(String),
}

/// One line of a session, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// A client's command.
    Command(Asked),
    /// A line of the letter after SMTP's `354`, of a POP3 multi-line answer, or of an IMAP
    /// literal; `last` marks the terminating dot (SMTP, POP3) or the literal's end.
    Content { last: bool },
    /// A line of a multi-line SMTP reply before its last (`250-...`).
    ReplyGoesOn,
    /// A whole SMTP or LMTP reply (its last line): the code, the enhanced status, and what it
    /// answers.
    SmtpReply { code: u16, status: Option<Status>, answers: Asked },
    /// POP3 `+OK` or `-ERR`, and what it answers.
    Pop3Reply { ok: bool, answers: Asked },
    /// IMAP's greeting, the first line: `* OK`, `* PREAUTH` or `* BYE` (RFC 9051 7.1).
    ImapGreeting { status: String },
    /// IMAP data the server sends along (`* 3 EXISTS`): the word that says what it is.
    Untagged { what: String },
    /// IMAP `+`: the server waits for more of the command (RFC 9051 7.6).
    Continuation,
    /// IMAP's tagged completion (`a1 OK`, `NO`, `BAD`) and the command it completes.
    Tagged { status: String, answers: Asked },
    /// A line a client sent in the middle of an exchange (an IMAP or POP3 SASL answer).
    AuthLine,
}

/// The state of one connection while its lines are replayed.
#[derive(Debug)]
pub struct Conversation {
    family: Family,
    /// Commands waiting for their reply, oldest first (SMTP pipelining, RFC 2920).
    pending: VecDeque<Asked>,
    /// SMTP after `354`, POP3 inside a multi-line answer.
    in_content: bool,
    /// The next client line answers a challenge (`334`, `+`).
    challenged: bool,
    /// LMTP: the recipients accepted in this transaction, each answered after the dot.
    accepted: Vec<String>,
    /// IMAP: octets of a literal still to come on following lines.
    literal_left: usize,
    /// IMAP: tags of commands in flight and what they asked.
    tags: Vec<(String, Asked)>,
    /// IMAP: the greeting has come.
    greeted: bool,
}

impl Conversation {
    /// A connection that just opened: the server's greeting comes first.
    pub fn new(family: Family) -> Conversation {
        Conversation {
            family,
            pending: VecDeque::from([Asked::Greeting]),
            in_content: false,
            challenged: false,
            accepted: Vec::new(),
            literal_left: 0,
            tags: Vec::new(),
            greeted: false,
        }
    }

    /// Understand the next line of the connection.
    pub fn turn(&mut self, direction: Direction, text: &str) -> Turn {
        if self.literal_left > 0 {
            self.literal_left = self.literal_left.saturating_sub(text.len() + 2);
            return Turn::Content { last: self.literal_left == 0 };
        }
        match (self.family, direction) {
            (Family::Smtp | Family::Lmtp, Direction::ClientToServer) => self.smtp_client(text),
            (Family::Smtp | Family::Lmtp, Direction::ServerToClient) => self.smtp_server(text),
            (Family::Pop3, Direction::ClientToServer) => self.pop3_client(text),
            (Family::Pop3, Direction::ServerToClient) => self.pop3_server(text),
            (Family::Imap, Direction::ClientToServer) => self.imap_client(text),
            (Family::Imap, Direction::ServerToClient) => self.imap_server(text),
        }
    }

    fn smtp_client(&mut self, text: &str) -> Turn {
        if self.in_content {
            if text == "." {
                self.in_content = false;
                // RFC 2033 4.2: LMTP answers the dot once for every accepted recipient.
                if self.family == Family::Lmtp && !self.accepted.is_empty() {
                    for r in std::mem::take(&mut self.accepted) {
                        self.pending.push_back(Asked::EndOfData { recipient: Some(r) });
                    }
                } else {
                    self.pending.push_back(Asked::EndOfData { recipient: None });
                }
                return Turn::Content { last: true };
            }
            return Turn::Content { last: false };
        }
        if self.challenged {
            self.challenged = false;
            self.pending.push_back(Asked::SmtpAuthLine);
            return Turn::AuthLine;
        }
        let asked = match SmtpCommand::parse(text.as_bytes()) {
            Ok(command) => Asked::Smtp(command),
            Err(_) => Asked::Unparsed(first_word(text)),
        };
        self.pending.push_back(asked.clone());
        Turn::Command(asked)
    }

    fn smtp_server(&mut self, text: &str) -> Turn {
        // RFC 5321 4.2.1: `250-` continues a reply, `250 ` (or a bare code) ends it.
        if text.as_bytes().get(3) == Some(&b'-') {
            return Turn::ReplyGoesOn;
        }
        let code: u16 = text.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
        let status = text.get(4..).and_then(|rest| rest.split_whitespace().next()).and_then(Status::parse);
        let answers = self.pending.pop_front().unwrap_or(Asked::Greeting);
        match (&answers, code) {
            (Asked::Smtp(SmtpCommand::Data), 354) => self.in_content = true,
            (Asked::Smtp(SmtpCommand::Auth { .. }) | Asked::SmtpAuthLine, 334) => self.challenged = true,
            (Asked::Smtp(SmtpCommand::Mail { .. }) | Asked::Smtp(SmtpCommand::Rset), _) => self.accepted.clear(),
            (Asked::Smtp(SmtpCommand::Rcpt { to, .. }), 200..=299) => self.accepted.push(to.to_string()),
            _ => {}
        }
        Turn::SmtpReply { code, status, answers }
    }

    fn pop3_client(&mut self, text: &str) -> Turn {
        if self.challenged {
            self.challenged = false;
            self.pending.push_back(Asked::Unparsed("AUTH".into()));
            return Turn::AuthLine;
        }
        let asked = match Pop3Command::parse(text.as_bytes()) {
            Ok(command) => Asked::Pop3(command),
            Err(_) => Asked::Unparsed(first_word(text)),
        };
        self.pending.push_back(asked.clone());
        Turn::Command(asked)
    }

    fn pop3_server(&mut self, text: &str) -> Turn {
        if self.in_content {
            // RFC 1939 3: a multi-line answer ends with a line holding only a dot.
            if text == "." {
                self.in_content = false;
                return Turn::Content { last: true };
            }
            return Turn::Content { last: false };
        }
        if text == "+" || text.starts_with("+ ") {
            self.challenged = true;
            return Turn::Continuation;
        }
        let ok = text.starts_with("+OK");
        let answers = self.pending.pop_front().unwrap_or(Asked::Greeting);
        // RFC 1939 5, RFC 2449 5: which positive answers go on over several lines.
        let multi = matches!(
            &answers,
            Asked::Pop3(
                Pop3Command::Capa
                    | Pop3Command::List { msg: None }
                    | Pop3Command::Uidl { msg: None }
                    | Pop3Command::Retr { .. }
                    | Pop3Command::Top { .. }
                    | Pop3Command::Auth { mechanism: None, .. }
            )
        );
        self.in_content = ok && multi;
        Turn::Pop3Reply { ok, answers }
    }

    fn imap_client(&mut self, text: &str) -> Turn {
        if self.challenged {
            self.challenged = false;
            return Turn::AuthLine;
        }
        let tag = text.split(' ').next().unwrap_or_default().to_owned();
        let asked = match ImapCommand::parse(text.as_bytes()) {
            Ok(command) => Asked::Imap(command.body),
            Err(_) => Asked::Unparsed(text.split(' ').nth(1).unwrap_or_default().to_ascii_uppercase()),
        };
        if let Some((size, _)) = literal_announcement(text.as_bytes()) {
            self.literal_left = size;
        }
        self.tags.push((tag, asked.clone()));
        Turn::Command(asked)
    }

    fn imap_server(&mut self, text: &str) -> Turn {
        if let Some((size, _)) = literal_announcement(text.as_bytes()) {
            self.literal_left = size;
        }
        if text == "+" || text.starts_with("+ ") {
            self.challenged = true;
            return Turn::Continuation;
        }
        let mut words = text.split(' ');
        let first = words.next().unwrap_or_default();
        let second = words.next().unwrap_or_default().to_ascii_uppercase();
        if first == "*" && !std::mem::replace(&mut self.greeted, true) {
            return Turn::ImapGreeting { status: second };
        }
        if first == "*" {
            // `* 3 EXISTS` names what it is after the number, `* OK [...]` at once.
            let what = if second.bytes().all(|b| b.is_ascii_digit()) {
                words.next().unwrap_or_default().to_ascii_uppercase()
            } else {
                second
            };
            return Turn::Untagged { what };
        }
        if first.is_empty() || !matches!(second.as_str(), "OK" | "NO" | "BAD") {
            // The end of a FETCH's parenthesis after a literal, and the like.
            return Turn::Content { last: true };
        }
        let answers = match self.tags.iter().position(|(t, _)| t == first) {
            Some(i) => self.tags.remove(i).1,
            None => Asked::Unparsed(String::new()),
        };
        Turn::Tagged { status: second, answers }
    }
}

fn first_word(text: &str) -> String {
    text.split(' ').next().unwrap_or_default().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{ClientToServer as C, ServerToClient as S};

    fn replay(family: Family, lines: &[(Direction, &str)]) -> Vec<Turn> {
        let mut conversation = Conversation::new(family);
        lines.iter().map(|(d, t)| conversation.turn(*d, t)).collect()
    }

    fn verb(asked: &Asked) -> String {
        match asked {
            Asked::Smtp(c) => c.verb().as_str().to_owned(),
            Asked::EndOfData { recipient } => format!(".{}", recipient.clone().unwrap_or_default()),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn pipelined_smtp_replies_answer_their_commands_in_order() {
        let turns = replay(
            Family::Smtp,
            &[
                (S, "220 mx ESMTP"),
                (C, "EHLO a"),
                (S, "250-mx"),
                (S, "250 PIPELINING"),
                (C, "MAIL FROM:<a@x.test>"),
                (C, "RCPT TO:<b@y.test>"),
                (C, "DATA"),
                (S, "250 2.1.0 Ok"),
                (S, "250 2.1.5 Ok"),
                (S, "354 End data with <CR><LF>.<CR><LF>"),
                (C, "Subject: hi"),
                (C, "MAIL FROM: is text here"),
                (C, "."),
                (S, "250 2.0.0 Ok: queued as 1"),
            ],
        );
        let replies: Vec<(u16, String)> = turns
            .iter()
            .filter_map(|t| match t {
                Turn::SmtpReply { code, answers, .. } => Some((*code, verb(answers))),
                _ => None,
            })
            .collect();
        assert_eq!(
            replies,
            vec![
                (220, "Greeting".into()),
                (250, "EHLO".into()),
                (250, "MAIL".into()),
                (250, "RCPT".into()),
                (354, "DATA".into()),
                (250, ".".into())
            ]
        );
        assert_eq!(turns[2], Turn::ReplyGoesOn);
        assert_eq!(turns[11], Turn::Content { last: false }, "inside DATA a command word is the letter");
        assert_eq!(turns[12], Turn::Content { last: true });
    }

    #[test]
    fn lmtp_answers_the_dot_once_per_accepted_recipient() {
        let turns = replay(
            Family::Lmtp,
            &[
                (S, "220 mail LMTP"),
                (C, "MAIL FROM:<a@x.test>"),
                (S, "250 2.1.0 Ok"),
                (C, "RCPT TO:<b@y.test>"),
                (S, "250 2.1.5 Ok"),
                (C, "RCPT TO:<nobody@y.test>"),
                (S, "550 5.1.1 User doesn't exist"),
                (C, "RCPT TO:<c@y.test>"),
                (S, "250 2.1.5 Ok"),
                (C, "DATA"),
                (S, "354 go"),
                (C, "."),
                (S, "250 2.0.0 <b@y.test> Saved"),
                (S, "452 4.2.2 <c@y.test> Quota exceeded"),
            ],
        );
        let after_dot: Vec<String> = turns[12..]
            .iter()
            .map(|t| match t {
                Turn::SmtpReply { answers, .. } => verb(answers),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(after_dot, vec![".<b@y.test>", ".<c@y.test>"]);
    }

    #[test]
    fn smtp_auth_challenges_take_the_next_client_line() {
        let turns = replay(
            Family::Smtp,
            &[(S, "220 s"), (C, "AUTH LOGIN"), (S, "334 VXNlcm5hbWU6"), (C, "YWxpY2U="), (S, "334 UGFzc3dvcmQ6"), (C, "d29uZGVybGFuZA=="), (S, "235 2.7.0 Ok")],
        );
        assert_eq!(turns[3], Turn::AuthLine);
        assert_eq!(turns[5], Turn::AuthLine);
        assert!(matches!(&turns[6], Turn::SmtpReply { code: 235, answers: Asked::SmtpAuthLine, .. }));
    }

    #[test]
    fn pop3_multi_line_answers_end_at_the_dot() {
        let turns = replay(
            Family::Pop3,
            &[(S, "+OK ready"), (C, "RETR 1"), (S, "+OK 12 octets"), (S, "Subject: x"), (S, "+OK in a body"), (S, "."), (C, "DELE 1"), (S, "-ERR no such message")],
        );
        assert!(matches!(&turns[2], Turn::Pop3Reply { ok: true, answers: Asked::Pop3(Pop3Command::Retr { msg: 1 }) }));
        assert_eq!(turns[4], Turn::Content { last: false });
        assert_eq!(turns[5], Turn::Content { last: true });
        assert!(matches!(&turns[7], Turn::Pop3Reply { ok: false, answers: Asked::Pop3(Pop3Command::Dele { msg: 1 }) }));
    }

    #[test]
    fn imap_tags_pair_completions_and_literals_are_content() {
        let turns = replay(
            Family::Imap,
            &[
                (S, "* OK [CAPABILITY IMAP4rev1] ready"),
                (C, "a1 SELECT INBOX"),
                (S, "* 1 EXISTS"),
                (S, "a1 OK [READ-WRITE] SELECT completed"),
                (C, "a2 FETCH 1 BODY[]"),
                (S, "* 1 FETCH (BODY[] {9}"),
                (S, "a3 OK x"),
                (S, ")"),
                (S, "a2 OK FETCH completed"),
            ],
        );
        assert_eq!(turns[0], Turn::ImapGreeting { status: "OK".into() });
        assert_eq!(turns[2], Turn::Untagged { what: "EXISTS".into() });
        assert!(matches!(&turns[3], Turn::Tagged { status, answers: Asked::Imap(CommandBody::Select(_)) } if status == "OK"), "{:?}", turns);
        assert_eq!(turns[6], Turn::Content { last: true }, "a 7-octet line and its CRLF are the 9-octet literal");
        assert!(matches!(&turns[8], Turn::Tagged { answers: Asked::Imap(CommandBody::Fetch { .. }), .. }));
    }
}
