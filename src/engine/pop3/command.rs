//! POP3 commands (RFC 1939 3, 5-7; RFC 2449 CAPA; RFC 5034 AUTH; RFC 2595 STLS): parsing
//! for the server, wire form for the client.
//!
//! Keywords are case-insensitive and separated from their arguments by one space
//! (RFC 1939 3). Message numbers are parsed here; whether a number names a message is the
//! session's business.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    User {
        name: String,
    },
    /// RFC 1939 7: PASS has one argument, so spaces belong to the password.
    Pass {
        password: String,
    },
    Apop {
        name: String,
        digest: String,
    },
    /// `AUTH` alone asks for the mechanism list (the RFC 1734 habit Dovecot still serves).
    Auth {
        mechanism: Option<String>,
        initial_response: Option<String>,
    },
    Stls,
    Capa,
    Quit,
    Stat,
    List {
        msg: Option<u32>,
    },
    Retr {
        msg: u32,
    },
    Dele {
        msg: u32,
    },
    Noop,
    Rset,
    Top {
        msg: u32,
        lines: u32,
    },
    Uidl {
        msg: Option<u32>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    Empty,
    /// Not ASCII text: POP3 commands are (RFC 1939 3).
    NotText,
    /// A keyword this server does not know (the obsolete LAST among them).
    Unknown {
        verb: String,
    },
    /// A command that needs a message number got none, or something else.
    InvalidNumber {
        verb: &'static str,
        arg: String,
    },
    /// TOP's line count is missing or not a number.
    InvalidSize {
        arg: String,
    },
    /// USER, PASS or APOP without their arguments.
    MissingArgument {
        verb: &'static str,
    },
}

impl CommandError {
    /// The keyword the client sent, upper-cased, when it is one this server knows.
    pub fn known_verb(&self) -> Option<&'static str> {
        match self {
            CommandError::InvalidNumber { verb, .. } | CommandError::MissingArgument { verb } => {
                Some(verb)
            }
            CommandError::InvalidSize { .. } => Some("TOP"),
            _ => None,
        }
    }
}

/// A message number (RFC 1939 4: a decimal number, the first message being 1). Zero and
/// numbers past the end parse; the session answers that there is no such message.
fn number(verb: &'static str, arg: Option<&str>) -> Result<u32, CommandError> {
    let arg = arg.unwrap_or("");
    if arg.is_empty() || !arg.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CommandError::InvalidNumber {
            verb,
            arg: arg.to_string(),
        });
    }
    arg.parse().map_err(|_| CommandError::InvalidNumber {
        verb,
        arg: arg.to_string(),
    })
}

fn optional_number(verb: &'static str, arg: Option<&str>) -> Result<Option<u32>, CommandError> {
    match arg {
        None | Some("") => Ok(None),
        Some(_) => number(verb, arg).map(Some),
    }
}

fn required(verb: &'static str, arg: Option<&str>) -> Result<String, CommandError> {
    match arg {
        Some(a) if !a.is_empty() => Ok(a.to_string()),
        _ => Err(CommandError::MissingArgument { verb }),
    }
}

impl Command {
    /// One command line, without its CRLF.
    pub fn parse(line: &[u8]) -> Result<Command, CommandError> {
        let line = std::str::from_utf8(line).map_err(|_| CommandError::NotText)?;
        if !line.is_ascii() || line.bytes().any(|b| b.is_ascii_control()) {
            return Err(CommandError::NotText);
        }
        if line.is_empty() {
            return Err(CommandError::Empty);
        }
        let (verb, rest) = match line.split_once(' ') {
            Some((v, r)) => (v, Some(r)),
            None => (line, None),
        };
        let verb = verb.to_ascii_uppercase();
        let mut args = rest.unwrap_or("").split(' ').filter(|a| !a.is_empty());
        let command = match verb.as_str() {
            "USER" => Command::User {
                name: required("USER", rest)?,
            },
            "PASS" => Command::Pass {
                password: required("PASS", rest)?,
            },
            "APOP" => {
                let name = required("APOP", args.next())?;
                let digest = required("APOP", args.next())?;
                Command::Apop { name, digest }
            }
            "AUTH" => Command::Auth {
                mechanism: args.next().map(str::to_ascii_uppercase),
                initial_response: args.next().map(str::to_string),
            },
            "STLS" => Command::Stls,
            "CAPA" => Command::Capa,
            "QUIT" => Command::Quit,
            "STAT" => Command::Stat,
            "NOOP" => Command::Noop,
            "RSET" => Command::Rset,
            "LIST" => Command::List {
                msg: optional_number("LIST", args.next())?,
            },
            "UIDL" => Command::Uidl {
                msg: optional_number("UIDL", args.next())?,
            },
            "RETR" => Command::Retr {
                msg: number("RETR", args.next())?,
            },
            "DELE" => Command::Dele {
                msg: number("DELE", args.next())?,
            },
            "TOP" => {
                let msg = number("TOP", args.next())?;
                let arg = args.next().unwrap_or("");
                let lines = number("TOP", Some(arg)).map_err(|_| CommandError::InvalidSize {
                    arg: arg.to_string(),
                })?;
                Command::Top { msg, lines }
            }
            _ => return Err(CommandError::Unknown { verb }),
        };
        Ok(command)
    }

    /// RFC 1939 3: the commands valid before login (AUTHORIZATION state).
    pub fn is_authorization(&self) -> bool {
        matches!(
            self,
            Command::User { .. }
                | Command::Pass { .. }
                | Command::Apop { .. }
                | Command::Auth { .. }
                | Command::Stls
                | Command::Capa
                | Command::Quit
        )
    }

    /// The keyword, upper-case.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::User { .. } => "USER",
            Command::Pass { .. } => "PASS",
            Command::Apop { .. } => "APOP",
            Command::Auth { .. } => "AUTH",
            Command::Stls => "STLS",
            Command::Capa => "CAPA",
            Command::Quit => "QUIT",
            Command::Stat => "STAT",
            Command::List { .. } => "LIST",
            Command::Retr { .. } => "RETR",
            Command::Dele { .. } => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Top { .. } => "TOP",
            Command::Uidl { .. } => "UIDL",
        }
    }

    /// The command as sent, CRLF included.
    pub fn to_wire(&self) -> Vec<u8> {
        format!("{self}\r\n").into_bytes()
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |n: &Option<u32>| n.map(|n| format!(" {n}")).unwrap_or_default();
        match self {
            Command::User { name } => write!(f, "USER {name}"),
            Command::Pass { password } => write!(f, "PASS {password}"),
            Command::Apop { name, digest } => write!(f, "APOP {name} {digest}"),
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                f.write_str("AUTH")?;
                for part in [mechanism, initial_response].into_iter().flatten() {
                    write!(f, " {part}")?;
                }
                Ok(())
            }
            Command::Stls => f.write_str("STLS"),
            Command::Capa => f.write_str("CAPA"),
            Command::Quit => f.write_str("QUIT"),
            Command::Stat => f.write_str("STAT"),
            Command::List { msg } => write!(f, "LIST{}", opt(msg)),
            Command::Retr { msg } => write!(f, "RETR {msg}"),
            Command::Dele { msg } => write!(f, "DELE {msg}"),
            Command::Noop => f.write_str("NOOP"),
            Command::Rset => f.write_str("RSET"),
            Command::Top { msg, lines } => write!(f, "TOP {msg} {lines}"),
            Command::Uidl { msg } => write!(f, "UIDL{}", opt(msg)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitive_keywords_and_numbers() {
        assert_eq!(Command::parse(b"stat"), Ok(Command::Stat));
        assert_eq!(
            Command::parse(b"List 2"),
            Ok(Command::List { msg: Some(2) })
        );
        assert_eq!(
            Command::parse(b"TOP 1 10"),
            Ok(Command::Top { msg: 1, lines: 10 })
        );
        assert_eq!(
            Command::parse(b"PASS two words"),
            Ok(Command::Pass {
                password: "two words".into()
            })
        );
        assert_eq!(
            Command::parse(b"AUTH plain AGJvYgBidWlsZGVy"),
            Ok(Command::Auth {
                mechanism: Some("PLAIN".into()),
                initial_response: Some("AGJvYgBidWlsZGVy".into())
            })
        );
    }

    #[test]
    fn errors_name_what_was_wrong() {
        assert_eq!(
            Command::parse(b"LAST"),
            Err(CommandError::Unknown {
                verb: "LAST".into()
            })
        );
        assert_eq!(
            Command::parse(b"RETR x"),
            Err(CommandError::InvalidNumber {
                verb: "RETR",
                arg: "x".into()
            })
        );
        assert_eq!(
            Command::parse(b"RETR"),
            Err(CommandError::InvalidNumber {
                verb: "RETR",
                arg: "".into()
            })
        );
        assert_eq!(
            Command::parse(b"RETR 99999999999"),
            Err(CommandError::InvalidNumber {
                verb: "RETR",
                arg: "99999999999".into()
            })
        );
        assert_eq!(
            Command::parse(b"TOP 1"),
            Err(CommandError::InvalidSize { arg: "".into() })
        );
        assert_eq!(
            Command::parse(b"USER"),
            Err(CommandError::MissingArgument { verb: "USER" })
        );
        assert_eq!(Command::parse(b""), Err(CommandError::Empty));
        assert_eq!(Command::parse(b"NOOP\xff"), Err(CommandError::NotText));
    }

    #[test]
    fn round_trips_through_the_wire_form() {
        for c in [
            Command::Uidl { msg: None },
            Command::Top { msg: 2, lines: 0 },
            Command::Auth {
                mechanism: None,
                initial_response: None,
            },
        ] {
            let wire = c.to_wire();
            assert_eq!(Command::parse(&wire[..wire.len() - 2]), Ok(c));
        }
    }
}
