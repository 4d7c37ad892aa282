//! SMTP and LMTP commands on the wire (RFC 5321 4.1.1, RFC 2033 4.1, RFC 3207, RFC 4954):
//! parsing a command line for the server, formatting one exactly as a client sends it.
//!
//! Hand-written rather than `smtp-proto`: we need the client-side formatting too, syntax
//! errors precise enough to pick Postfix's reply text, and only a dozen verbs; smtp-proto
//! added some 41 KB to a wasm32 release build.

use std::fmt;

mod parameters;

pub use parameters::{xtext_decode, xtext_encode, Body, MailParameters, RcptParameters};

use super::address::{AddressError, ForwardPath, ReversePath};
use super::envelope::{Notify, Ret};
use parameters::{parse_mail_parameters, parse_rcpt_parameters};

/// A command verb, used to name the command a syntax error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Ehlo,
    Helo,
    Lhlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Vrfy,
    Help,
    Quit,
    StartTls,
    Auth,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Ehlo => "EHLO",
            Verb::Helo => "HELO",
            Verb::Lhlo => "LHLO",
            Verb::Mail => "MAIL",
            Verb::Rcpt => "RCPT",
            Verb::Data => "DATA",
            Verb::Rset => "RSET",
            Verb::Noop => "NOOP",
            Verb::Vrfy => "VRFY",
            Verb::Help => "HELP",
            Verb::Quit => "QUIT",
            Verb::StartTls => "STARTTLS",
            Verb::Auth => "AUTH",
        }
    }

    /// How the command should have been written; Postfix puts this after `Syntax: `.
    pub fn syntax(self) -> &'static str {
        match self {
            Verb::Ehlo => "EHLO hostname",
            Verb::Helo => "HELO hostname",
            Verb::Lhlo => "LHLO hostname",
            Verb::Mail => "MAIL FROM:<address>",
            Verb::Rcpt => "RCPT TO:<address>",
            Verb::Vrfy => "VRFY address",
            Verb::Auth => "AUTH mechanism",
            other => other.as_str(),
        }
    }

    fn from_word(word: &str) -> Option<Verb> {
        const ALL: [Verb; 13] = [
            Verb::Ehlo,
            Verb::Helo,
            Verb::Lhlo,
            Verb::Mail,
            Verb::Rcpt,
            Verb::Data,
            Verb::Rset,
            Verb::Noop,
            Verb::Vrfy,
            Verb::Help,
            Verb::Quit,
            Verb::StartTls,
            Verb::Auth,
        ];
        // RFC 5321 2.4: verbs are case-insensitive.
        ALL.into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(word))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ehlo {
        domain: String,
    },
    Helo {
        domain: String,
    },
    /// RFC 2033 4.1: LMTP's EHLO.
    Lhlo {
        domain: String,
    },
    Mail {
        from: ReversePath,
        params: MailParameters,
    },
    Rcpt {
        to: ForwardPath,
        params: RcptParameters,
    },
    Data,
    Rset,
    Noop {
        text: Option<String>,
    },
    Vrfy {
        target: String,
    },
    Help {
        topic: Option<String>,
    },
    Quit,
    StartTls,
    /// RFC 4954 4. The mechanism is kept upper-case; `initial_response` is the base64 text
    /// (`=` stands for an empty response).
    Auth {
        mechanism: String,
        initial_response: Option<String>,
    },
}

/// Why a line is not a command we can run; the server chooses the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// An empty line.
    Empty,
    /// Control characters or non-ASCII octets: without SMTPUTF8 commands are ASCII text.
    NotText,
    /// A verb we do not know (or that this mode does not have).
    Unrecognized {
        verb: String,
    },
    /// The verb is known but its arguments are not in the right shape.
    Syntax(Verb),
    BadSender(AddressError),
    BadRecipient(AddressError),
    /// A known parameter with a bad or repeated value (`SIZE=abc`, `NOTIFY=SOMETIMES`).
    BadParameter {
        keyword: String,
    },
    /// A parameter of an extension we do not offer.
    UnsupportedParameter {
        keyword: String,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Empty => f.write_str("empty command line"),
            CommandError::NotText => f.write_str("command line holds non-ASCII or control octets"),
            CommandError::Unrecognized { verb } => write!(f, "unknown command {verb}"),
            CommandError::Syntax(v) => write!(f, "syntax: {}", v.syntax()),
            CommandError::BadSender(e) => write!(f, "bad sender address: {e}"),
            CommandError::BadRecipient(e) => write!(f, "bad recipient address: {e}"),
            CommandError::BadParameter { keyword } => write!(f, "bad {keyword} parameter"),
            CommandError::UnsupportedParameter { keyword } => {
                write!(f, "unsupported parameter {keyword}")
            }
        }
    }
}

impl std::error::Error for CommandError {}

impl Command {
    /// Parse one command line, without its CRLF.
    pub fn parse(line: &[u8]) -> Result<Command, CommandError> {
        // TAB is tolerated as white space, like Postfix does; other controls are not text.
        if line
            .iter()
            .any(|&b| b >= 0x80 || (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(CommandError::NotText);
        }
        let line = std::str::from_utf8(line).map_err(|_| CommandError::NotText)?;
        let line = line.trim_end_matches([' ', '\t']);
        if line.trim().is_empty() {
            return Err(CommandError::Empty);
        }
        let (word, rest) = match line.find([' ', '\t']) {
            Some(i) => (&line[..i], line[i + 1..].trim_start_matches([' ', '\t'])),
            None => (line, ""),
        };
        let verb = Verb::from_word(word).ok_or_else(|| CommandError::Unrecognized {
            verb: word.to_string(),
        })?;
        let no_args = |cmd: Command| {
            if rest.is_empty() {
                Ok(cmd)
            } else {
                Err(CommandError::Syntax(verb))
            }
        };
        let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
        match verb {
            Verb::Ehlo | Verb::Helo | Verb::Lhlo => {
                if rest.is_empty() {
                    return Err(CommandError::Syntax(verb));
                }
                let domain = rest.to_string();
                Ok(match verb {
                    Verb::Ehlo => Command::Ehlo { domain },
                    Verb::Helo => Command::Helo { domain },
                    _ => Command::Lhlo { domain },
                })
            }
            Verb::Mail => {
                let (path, params) = split_path(rest, "FROM:").ok_or(CommandError::Syntax(verb))?;
                let from = ReversePath::parse_path(path).map_err(CommandError::BadSender)?;
                Ok(Command::Mail {
                    from,
                    params: parse_mail_parameters(params)?,
                })
            }
            Verb::Rcpt => {
                let (path, params) = split_path(rest, "TO:").ok_or(CommandError::Syntax(verb))?;
                let to = ForwardPath::parse_path(path).map_err(CommandError::BadRecipient)?;
                Ok(Command::Rcpt {
                    to,
                    params: parse_rcpt_parameters(params)?,
                })
            }
            Verb::Data => no_args(Command::Data),
            Verb::Rset => no_args(Command::Rset),
            Verb::Quit => no_args(Command::Quit),
            Verb::StartTls => no_args(Command::StartTls),
            // RFC 5321 4.1.1.9: NOOP may carry a string, which is ignored.
            Verb::Noop => Ok(Command::Noop {
                text: optional(rest),
            }),
            Verb::Help => Ok(Command::Help {
                topic: optional(rest),
            }),
            Verb::Vrfy => match optional(rest) {
                Some(target) => Ok(Command::Vrfy { target }),
                None => Err(CommandError::Syntax(verb)),
            },
            Verb::Auth => {
                let mut words = rest.split([' ', '\t']).filter(|w| !w.is_empty());
                let mechanism = words
                    .next()
                    .ok_or(CommandError::Syntax(verb))?
                    .to_ascii_uppercase();
                let initial_response = words.next().map(str::to_string);
                if words.next().is_some() {
                    return Err(CommandError::Syntax(verb));
                }
                Ok(Command::Auth {
                    mechanism,
                    initial_response,
                })
            }
        }
    }

    pub fn verb(&self) -> Verb {
        match self {
            Command::Ehlo { .. } => Verb::Ehlo,
            Command::Helo { .. } => Verb::Helo,
            Command::Lhlo { .. } => Verb::Lhlo,
            Command::Mail { .. } => Verb::Mail,
            Command::Rcpt { .. } => Verb::Rcpt,
            Command::Data => Verb::Data,
            Command::Rset => Verb::Rset,
            Command::Noop { .. } => Verb::Noop,
            Command::Vrfy { .. } => Verb::Vrfy,
            Command::Help { .. } => Verb::Help,
            Command::Quit => Verb::Quit,
            Command::StartTls => Verb::StartTls,
            Command::Auth { .. } => Verb::Auth,
        }
    }

    /// The command as a client sends it, CRLF included.
    pub fn to_wire(&self) -> Vec<u8> {
        format!("{self}\r\n").into_bytes()
    }
}

impl fmt::Display for Command {
    /// The command line without its CRLF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Ehlo { domain } => write!(f, "EHLO {domain}"),
            Command::Helo { domain } => write!(f, "HELO {domain}"),
            Command::Lhlo { domain } => write!(f, "LHLO {domain}"),
            Command::Mail { from, params } => {
                write!(f, "MAIL FROM:{from}")?;
                // The order Postfix's smtp client uses.
                if let Some(size) = params.size {
                    write!(f, " SIZE={size}")?;
                }
                match params.body {
                    Some(Body::SevenBit) => f.write_str(" BODY=7BIT")?,
                    Some(Body::EightBitMime) => f.write_str(" BODY=8BITMIME")?,
                    None => {}
                }
                match params.ret {
                    Some(Ret::Full) => f.write_str(" RET=FULL")?,
                    Some(Ret::Hdrs) => f.write_str(" RET=HDRS")?,
                    None => {}
                }
                if let Some(envid) = &params.envid {
                    write!(f, " ENVID={}", xtext_encode(envid))?;
                }
                if let Some(auth) = &params.auth {
                    write!(f, " AUTH={}", xtext_encode(auth))?;
                }
                Ok(())
            }
            Command::Rcpt { to, params } => {
                write!(f, "RCPT TO:{to}")?;
                match params.notify {
                    Some(Notify::Never) => f.write_str(" NOTIFY=NEVER")?,
                    Some(Notify::On {
                        success,
                        failure,
                        delay,
                    }) => {
                        let words: Vec<&str> =
                            [(success, "SUCCESS"), (failure, "FAILURE"), (delay, "DELAY")]
                                .into_iter()
                                .filter_map(|(on, w)| on.then_some(w))
                                .collect();
                        write!(f, " NOTIFY={}", words.join(","))?;
                    }
                    None => {}
                }
                if let Some(orcpt) = &params.orcpt {
                    // The address type stays as is; only the address is xtext (RFC 3461 4.2).
                    match orcpt.split_once(';') {
                        Some((kind, addr)) => write!(f, " ORCPT={kind};{}", xtext_encode(addr))?,
                        None => write!(f, " ORCPT=rfc822;{}", xtext_encode(orcpt))?,
                    }
                }
                Ok(())
            }
            Command::Data => f.write_str("DATA"),
            Command::Rset => f.write_str("RSET"),
            Command::Noop { text: None } => f.write_str("NOOP"),
            Command::Noop { text: Some(t) } => write!(f, "NOOP {t}"),
            Command::Vrfy { target } => write!(f, "VRFY {target}"),
            Command::Help { topic: None } => f.write_str("HELP"),
            Command::Help { topic: Some(t) } => write!(f, "HELP {t}"),
            Command::Quit => f.write_str("QUIT"),
            Command::StartTls => f.write_str("STARTTLS"),
            Command::Auth {
                mechanism,
                initial_response: None,
            } => write!(f, "AUTH {mechanism}"),
            Command::Auth {
                mechanism,
                initial_response: Some(r),
            } => write!(f, "AUTH {mechanism} {r}"),
        }
    }
}

/// Split `FROM:<path> params` into the bracketed path and the parameter text. A space after
/// the colon is tolerated, as Postfix does, although RFC 5321 4.1.1.2 has none.
fn split_path<'a>(rest: &'a str, keyword: &str) -> Option<(&'a str, &'a str)> {
    let head = rest.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let after = rest[keyword.len()..].trim_start_matches(' ');
    if after.is_empty() {
        return None;
    }
    if !after.starts_with('<') {
        // No brackets: the whole first word is the (bad) path, so the address error names it.
        let end = after.find(' ').unwrap_or(after.len());
        return Some((&after[..end], &after[end..]));
    }
    // Find the closing '>' outside any quoted local part.
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in after.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '>' if !quoted => {
                let params = &after[i + 1..];
                // Parameters must be separated from the path by a space.
                if !params.is_empty() && !params.starts_with(' ') {
                    return None;
                }
                return Some((&after[..=i], params));
            }
            _ => {}
        }
    }
    Some((after, ""))
}

#[cfg(test)]
mod tests;
