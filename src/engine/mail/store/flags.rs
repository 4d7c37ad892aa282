//! Message flags (RFC 9051 2.3.2, RFC 3501 2.3.2): the five system flags a client may set,
//! plus keywords a client makes up (`$Forwarded`, `$Junk`, `Work`...).

use std::collections::BTreeSet;
use std::fmt;

/// One flag. `\Recent` is left out: RFC 9051 removed it, and it is session state, not
/// stored state.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    Seen,
    Answered,
    Flagged,
    /// Marked for removal by the next EXPUNGE (RFC 9051 6.4.3), or by a POP3 QUIT.
    Deleted,
    Draft,
    /// An atom without the backslash (RFC 9051 2.3.2 "keyword").
    Keyword(String),
}

impl Flag {
    /// The system flags, in the order Dovecot lists them in `* FLAGS` (RFC 9051 7.3.5).
    pub const SYSTEM: [Flag; 5] = [
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Seen,
        Flag::Draft,
    ];

    /// Reads `\Seen` (any case, RFC 9051 2.3.2: flags are case-insensitive) or a keyword.
    /// `None` for an unknown system flag such as `\Foo`, which a client may not set.
    pub fn parse(text: &str) -> Option<Flag> {
        let Some(system) = text.strip_prefix('\\') else {
            return Flag::keyword(text);
        };
        match system.to_ascii_lowercase().as_str() {
            "seen" => Some(Flag::Seen),
            "answered" => Some(Flag::Answered),
            "flagged" => Some(Flag::Flagged),
            "deleted" => Some(Flag::Deleted),
            "draft" => Some(Flag::Draft),
            _ => None,
        }
    }

    /// A keyword: an IMAP atom (RFC 9051 9, `flag-keyword`), so no space, parenthesis,
    /// brace, quote, backslash, `%`, `*`, `]` or control character.
    pub fn keyword(text: &str) -> Option<Flag> {
        let atom = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"(){\"\\%*]".contains(&b));
        atom.then(|| Flag::Keyword(text.to_string()))
    }

    pub fn is_system(&self) -> bool {
        !matches!(self, Flag::Keyword(_))
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Seen => f.write_str("\\Seen"),
            Flag::Answered => f.write_str("\\Answered"),
            Flag::Flagged => f.write_str("\\Flagged"),
            Flag::Deleted => f.write_str("\\Deleted"),
            Flag::Draft => f.write_str("\\Draft"),
            Flag::Keyword(k) => f.write_str(k),
        }
    }
}

/// The flags of one message, in a fixed order (system flags first) so that a FETCH FLAGS
/// response is the same on every run.
pub type Flags = BTreeSet<Flag>;

/// How a STORE changes flags (RFC 9051 6.4.6): `FLAGS`, `+FLAGS`, `-FLAGS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagChange {
    Replace,
    Add,
    Remove,
}

impl FlagChange {
    /// Applies the change; true when the flags are now different.
    pub fn apply(self, flags: &mut Flags, given: &Flags) -> bool {
        let before = flags.clone();
        match self {
            FlagChange::Replace => *flags = given.clone(),
            FlagChange::Add => flags.extend(given.iter().cloned()),
            FlagChange::Remove => flags.retain(|f| !given.contains(f)),
        }
        *flags != before
    }
}

/// `(\Seen \Flagged $Work)`, as in a FETCH FLAGS response.
pub fn flag_list<'a>(flags: impl IntoIterator<Item = &'a Flag>) -> String {
    let inner: Vec<String> = flags.into_iter().map(Flag::to_string).collect();
    format!("({})", inner.join(" "))
}
