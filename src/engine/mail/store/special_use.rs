//! Special-use folders (RFC 6154): attributes that tell a client which folder holds sent
//! mail, drafts, deleted mail and spam, whatever the folder is called in the user's language.

use std::fmt;

/// The special uses every account gets at creation, as Dovecot's example configuration
/// sets them up (`mailbox Sent { special_use = \Sent; auto = subscribe }`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecialUse {
    Sent,
    Drafts,
    Trash,
    Junk,
}

impl SpecialUse {
    /// The folders created with every account, in LIST order, with their names.
    pub const DEFAULTS: [(SpecialUse, &'static str); 4] = [
        (SpecialUse::Drafts, "Drafts"),
        (SpecialUse::Sent, "Sent"),
        (SpecialUse::Junk, "Junk"),
        (SpecialUse::Trash, "Trash"),
    ];

    /// The LIST attribute, RFC 6154 2.
    pub fn attribute(self) -> &'static str {
        match self {
            SpecialUse::Sent => "\\Sent",
            SpecialUse::Drafts => "\\Drafts",
            SpecialUse::Trash => "\\Trash",
            SpecialUse::Junk => "\\Junk",
        }
    }

    /// Reads an attribute such as `\Sent` (case-insensitive, like all IMAP atoms).
    pub fn parse(attribute: &str) -> Option<SpecialUse> {
        [
            SpecialUse::Sent,
            SpecialUse::Drafts,
            SpecialUse::Trash,
            SpecialUse::Junk,
        ]
        .into_iter()
        .find(|u| u.attribute().eq_ignore_ascii_case(attribute))
    }
}

impl fmt::Display for SpecialUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.attribute())
    }
}
