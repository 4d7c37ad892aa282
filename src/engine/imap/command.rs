//! IMAP commands (RFC 9051 6, RFC 3501 6, and the extensions the server announces): one
//! complete command, literals in place, parsed into a [`Command`]. Errors keep the tag and
//! the command name so that the server can answer `tag BAD Error in IMAP command NAME: ...`.

mod list;

use std::fmt;

pub use list::{ListOptions, StatusItem};

use super::date::parse_date_time;
use super::fetch::FetchAttribute;
use super::flags::{parse_parenthesized_flags, Flag, StoreAction};
use super::search::SearchCriteria;
use super::sequence::SequenceSet;
use super::syntax::{Parsed, Reader, SyntaxError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub tag: String,
    pub body: CommandBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandBody {
    // Any state (RFC 9051 6.1).
    Capability,
    Noop,
    Logout,
    // Not authenticated (RFC 9051 6.2).
    StartTls,
    Login {
        username: String,
        password: String,
    },
    /// RFC 9051 6.2.2, with RFC 4959's initial response.
    Authenticate {
        mechanism: String,
        initial_response: Option<Vec<u8>>,
    },
    // Authenticated (RFC 9051 6.3).
    /// RFC 5161.
    Enable(Vec<String>),
    Select(String),
    Examine(String),
    Create(String),
    Delete(String),
    Rename {
        from: String,
        to: String,
    },
    Subscribe(String),
    Unsubscribe(String),
    List {
        reference: String,
        /// One, or several in parentheses (RFC 5258 3).
        patterns: Vec<String>,
        options: ListOptions,
    },
    Lsub {
        reference: String,
        pattern: String,
    },
    Status {
        mailbox: String,
        items: Vec<StatusItem>,
    },
    Append {
        mailbox: String,
        flags: Vec<Flag>,
        /// Unix seconds.
        date: Option<u64>,
        message: Vec<u8>,
    },
    /// RFC 2177.
    Idle,
    /// RFC 2342.
    Namespace,
    /// RFC 2971: the client's field/value pairs, or NIL.
    Id(Option<Vec<(String, Option<String>)>>),
    // Selected (RFC 9051 6.4); `uid` marks the `UID` prefix (6.4.9).
    Check,
    Close,
    /// RFC 3691.
    Unselect,
    /// With `uid`: RFC 4315's UID EXPUNGE of only these UIDs.
    Expunge(Option<SequenceSet>),
    Search {
        criteria: SearchCriteria,
        uid: bool,
    },
    Fetch {
        set: SequenceSet,
        attributes: Vec<FetchAttribute>,
        uid: bool,
    },
    Store {
        set: SequenceSet,
        action: StoreAction,
        uid: bool,
    },
    Copy {
        set: SequenceSet,
        mailbox: String,
        uid: bool,
    },
    /// RFC 6851.
    Move {
        set: SequenceSet,
        mailbox: String,
        uid: bool,
    },
}

/// Why a command could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// Not even a tag: the answer is untagged (`* BAD`).
    NoTag,
    /// A tag but no command name we know.
    Unknown { tag: String, name: String },
    /// A known command with bad arguments.
    Syntax {
        tag: String,
        name: String,
        error: SyntaxError,
    },
}

impl CommandError {
    pub fn tag(&self) -> Option<&str> {
        match self {
            CommandError::NoTag => None,
            CommandError::Unknown { tag, .. } | CommandError::Syntax { tag, .. } => Some(tag),
        }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::NoTag => f.write_str("the command has no tag"),
            CommandError::Unknown { name, .. } => write!(f, "unknown command {name}"),
            CommandError::Syntax { name, error, .. } => write!(f, "{name}: {error}"),
        }
    }
}

impl std::error::Error for CommandError {}

impl CommandBody {
    /// The name Dovecot uses in its replies, `UID FETCH` included.
    pub fn name(&self) -> &'static str {
        use CommandBody as B;
        let uid = matches!(
            self,
            B::Search { uid: true, .. }
                | B::Fetch { uid: true, .. }
                | B::Store { uid: true, .. }
                | B::Copy { uid: true, .. }
                | B::Move { uid: true, .. }
                | B::Expunge(Some(_))
        );
        let base = match self {
            B::Capability => "CAPABILITY",
            B::Noop => "NOOP",
            B::Logout => "LOGOUT",
            B::StartTls => "STARTTLS",
            B::Login { .. } => "LOGIN",
            B::Authenticate { .. } => "AUTHENTICATE",
            B::Enable(_) => "ENABLE",
            B::Select(_) => "SELECT",
            B::Examine(_) => "EXAMINE",
            B::Create(_) => "CREATE",
            B::Delete(_) => "DELETE",
            B::Rename { .. } => "RENAME",
            B::Subscribe(_) => "SUBSCRIBE",
            B::Unsubscribe(_) => "UNSUBSCRIBE",
            B::List { .. } => "LIST",
            B::Lsub { .. } => "LSUB",
            B::Status { .. } => "STATUS",
            B::Append { .. } => "APPEND",
            B::Idle => "IDLE",
            B::Namespace => "NAMESPACE",
            B::Id(_) => "ID",
            B::Check => "CHECK",
            B::Close => "CLOSE",
            B::Unselect => "UNSELECT",
            B::Expunge(_) => "EXPUNGE",
            B::Search { .. } => "SEARCH",
            B::Fetch { .. } => "FETCH",
            B::Store { .. } => "STORE",
            B::Copy { .. } => "COPY",
            B::Move { .. } => "MOVE",
        };
        match (uid, base) {
            (true, "SEARCH") => "UID SEARCH",
            (true, "FETCH") => "UID FETCH",
            (true, "STORE") => "UID STORE",
            (true, "COPY") => "UID COPY",
            (true, "MOVE") => "UID MOVE",
            (true, "EXPUNGE") => "UID EXPUNGE",
            _ => base,
        }
    }
}

impl Command {
    /// Parses one command: its line(s) without the final CRLF, literals in place.
    pub fn parse(input: &[u8]) -> Result<Command, CommandError> {
        let mut r = Reader::new(input);
        let Ok(tag) = r.tag() else {
            return Err(CommandError::NoTag);
        };
        let name = match r.sp().and_then(|_| r.atom()) {
            Ok(name) => name.to_ascii_uppercase(),
            Err(_) => {
                return Err(CommandError::Unknown {
                    tag,
                    name: String::new(),
                })
            }
        };
        let (name, uid) = if name == "UID" {
            match r.sp().and_then(|_| r.atom()) {
                Ok(sub) => (sub.to_ascii_uppercase(), true),
                Err(_) => {
                    return Err(CommandError::Unknown {
                        tag,
                        name: "UID".into(),
                    })
                }
            }
        } else {
            (name, false)
        };
        let shown = if uid {
            format!("UID {name}")
        } else {
            name.clone()
        };
        match body(&name, uid, &mut r) {
            Some(Ok(body)) => match r.end() {
                Ok(()) => Ok(Command { tag, body }),
                Err(error) => Err(CommandError::Syntax {
                    tag,
                    name: shown,
                    error,
                }),
            },
            Some(Err(error)) => Err(CommandError::Syntax {
                tag,
                name: shown,
                error,
            }),
            None => Err(CommandError::Unknown { tag, name: shown }),
        }
    }
}

fn mailbox_arg(r: &mut Reader) -> Parsed<String> {
    r.sp()?;
    r.astring_text()
}

fn set_arg(r: &mut Reader) -> Parsed<SequenceSet> {
    r.sp()?;
    SequenceSet::parse(r)
}

/// The arguments of command `name`; `None` when the name is unknown (or not allowed
/// after `UID`).
fn body(name: &str, uid: bool, r: &mut Reader) -> Option<Parsed<CommandBody>> {
    use CommandBody as B;
    if uid
        && !matches!(
            name,
            "FETCH" | "STORE" | "COPY" | "MOVE" | "SEARCH" | "EXPUNGE"
        )
    {
        return None;
    }
    let parsed = match name {
        "CAPABILITY" => Ok(B::Capability),
        "NOOP" => Ok(B::Noop),
        "LOGOUT" => Ok(B::Logout),
        "STARTTLS" => Ok(B::StartTls),
        "CHECK" => Ok(B::Check),
        "CLOSE" => Ok(B::Close),
        "UNSELECT" => Ok(B::Unselect),
        "IDLE" => Ok(B::Idle),
        "NAMESPACE" => Ok(B::Namespace),
        "LOGIN" => (|| {
            r.sp()?;
            let username = r.astring_text()?;
            r.sp()?;
            let password = r.astring_text()?;
            Ok(B::Login { username, password })
        })(),
        "AUTHENTICATE" => (|| {
            r.sp()?;
            let mechanism = r.atom()?.to_ascii_uppercase();
            let initial_response = if r.eat(b' ') {
                // RFC 4959: base64 or `=` for an empty response.
                let start = r.clone();
                let text = r.take_rest().to_vec();
                if text.is_empty() || !text.iter().all(|b| b.is_ascii_graphic()) {
                    return start.error("a base64 initial response");
                }
                Some(text)
            } else {
                None
            };
            Ok(B::Authenticate {
                mechanism,
                initial_response,
            })
        })(),
        "ENABLE" => (|| {
            let mut caps = Vec::new();
            while r.eat(b' ') {
                caps.push(r.atom()?.to_ascii_uppercase());
            }
            if caps.is_empty() {
                return r.error("a capability to enable");
            }
            Ok(B::Enable(caps))
        })(),
        "SELECT" => mailbox_arg(r).map(B::Select),
        "EXAMINE" => mailbox_arg(r).map(B::Examine),
        "CREATE" => mailbox_arg(r).map(B::Create),
        "DELETE" => mailbox_arg(r).map(B::Delete),
        "SUBSCRIBE" => mailbox_arg(r).map(B::Subscribe),
        "UNSUBSCRIBE" => mailbox_arg(r).map(B::Unsubscribe),
        "RENAME" => (|| {
            let from = mailbox_arg(r)?;
            Ok(B::Rename {
                from,
                to: mailbox_arg(r)?,
            })
        })(),
        "LIST" => list::parse_list(r),
        "LSUB" => (|| {
            let reference = mailbox_arg(r)?;
            r.sp()?;
            Ok(B::Lsub {
                reference,
                pattern: r.list_mailbox()?,
            })
        })(),
        "STATUS" => (|| {
            let mailbox = mailbox_arg(r)?;
            r.sp()?;
            Ok(B::Status {
                mailbox,
                items: r.list(StatusItem::parse)?,
            })
        })(),
        "APPEND" => (|| {
            let mailbox = mailbox_arg(r)?;
            r.sp()?;
            let flags = if r.peek() == Some(b'(') {
                let f = parse_parenthesized_flags(r)?;
                r.sp()?;
                f
            } else {
                Vec::new()
            };
            let date = if r.peek() == Some(b'"') {
                let d = parse_date_time(r)?;
                r.sp()?;
                Some(d)
            } else {
                None
            };
            Ok(B::Append {
                mailbox,
                flags,
                date,
                message: r.literal()?,
            })
        })(),
        "ID" => (|| {
            r.sp()?;
            if r.eat_keyword("NIL") {
                return Ok(B::Id(None));
            }
            let items = r.list(|r| {
                let key = String::from_utf8_lossy(&r.string()?).into_owned();
                r.sp()?;
                let value = r
                    .nstring()?
                    .map(|v| String::from_utf8_lossy(&v).into_owned());
                Ok((key, value))
            })?;
            Ok(B::Id(Some(items)))
        })(),
        "EXPUNGE" if uid => set_arg(r).map(|s| B::Expunge(Some(s))),
        "EXPUNGE" => Ok(B::Expunge(None)),
        "SEARCH" => (|| {
            r.sp()?;
            Ok(B::Search {
                criteria: SearchCriteria::parse(r)?,
                uid,
            })
        })(),
        "FETCH" => (|| {
            let set = set_arg(r)?;
            r.sp()?;
            Ok(B::Fetch {
                set,
                attributes: FetchAttribute::parse_list(r)?,
                uid,
            })
        })(),
        "STORE" => (|| {
            let set = set_arg(r)?;
            r.sp()?;
            Ok(B::Store {
                set,
                action: StoreAction::parse(r)?,
                uid,
            })
        })(),
        "COPY" => (|| {
            let set = set_arg(r)?;
            Ok(B::Copy {
                set,
                mailbox: mailbox_arg(r)?,
                uid,
            })
        })(),
        "MOVE" => (|| {
            let set = set_arg(r)?;
            Ok(B::Move {
                set,
                mailbox: mailbox_arg(r)?,
                uid,
            })
        })(),
        _ => return None,
    };
    Some(parsed)
}

#[cfg(test)]
mod tests;
