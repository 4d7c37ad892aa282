//! Message flags (RFC 9051 2.3.2) and STORE's operations on them (RFC 9051 6.4.6).

use std::fmt;

use super::syntax::{is_atom_char, Parsed, Reader};

/// A flag as the wire names it. System flags start with `\`; keywords are atoms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    Seen,
    Answered,
    Flagged,
    Deleted,
    Draft,
    /// `\Recent` (RFC 3501 only; RFC 9051 dropped it): never stored by a client.
    Recent,
    /// A keyword such as `$Junk` or `$Forwarded`, as the client spelt it.
    Keyword(String),
}

impl Flag {
    /// The system flags in the order Dovecot lists them in `* FLAGS`.
    pub const SYSTEM: [Flag; 5] = [
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Seen,
        Flag::Draft,
    ];

    /// From wire text; `None` for an unknown `\Word` (RFC 9051 2.3.2: servers may reject
    /// those) and for anything that is not an atom.
    pub fn from_text(text: &str) -> Option<Flag> {
        if let Some(name) = text.strip_prefix('\\') {
            // Flag names are compared without regard to case.
            return match name.to_ascii_lowercase().as_str() {
                "seen" => Some(Flag::Seen),
                "answered" => Some(Flag::Answered),
                "flagged" => Some(Flag::Flagged),
                "deleted" => Some(Flag::Deleted),
                "draft" => Some(Flag::Draft),
                "recent" => Some(Flag::Recent),
                _ => None,
            };
        }
        (!text.is_empty() && text.bytes().all(is_atom_char)).then(|| Flag::Keyword(text.into()))
    }

    /// Reads one flag; `\*` is not a flag and fails here.
    pub fn parse(reader: &mut Reader) -> Parsed<Flag> {
        let start = reader.clone();
        let text = reader.flag_text()?;
        match Flag::from_text(&text) {
            Some(flag) => Ok(flag),
            None => start.error("a flag"),
        }
    }

    /// `(\Seen \Deleted)` or a single flag without parentheses (RFC 9051 9 `store-att-flags`
    /// allows both).
    pub fn parse_list(reader: &mut Reader) -> Parsed<Vec<Flag>> {
        if reader.peek() == Some(b'(') {
            reader.list(Flag::parse)
        } else {
            let mut flags = vec![Flag::parse(reader)?];
            while reader.peek() == Some(b' ') && reader.rest().get(1) != Some(&b'(') {
                reader.sp()?;
                flags.push(Flag::parse(reader)?);
            }
            Ok(flags)
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flag::Seen => "\\Seen",
            Flag::Answered => "\\Answered",
            Flag::Flagged => "\\Flagged",
            Flag::Deleted => "\\Deleted",
            Flag::Draft => "\\Draft",
            Flag::Recent => "\\Recent",
            Flag::Keyword(k) => k,
        })
    }
}

/// `(\Seen \Deleted)`, in the order given.
pub fn flag_list(flags: &[Flag]) -> String {
    let names: Vec<String> = flags.iter().map(Flag::to_string).collect();
    format!("({})", names.join(" "))
}

/// What STORE does with its flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreMode {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// `[+|-]FLAGS[.SILENT] flags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreAction {
    pub mode: StoreMode,
    /// `.SILENT`: no untagged FETCH back to this client (RFC 9051 6.4.6).
    pub silent: bool,
    pub flags: Vec<Flag>,
}

impl StoreAction {
    pub fn parse(reader: &mut Reader) -> Parsed<StoreAction> {
        let mode = if reader.eat(b'+') {
            StoreMode::Add
        } else if reader.eat(b'-') {
            StoreMode::Remove
        } else {
            StoreMode::Replace
        };
        if !reader.eat_keyword("FLAGS") {
            return reader.error("FLAGS, +FLAGS or -FLAGS");
        }
        let silent = reader.eat_keyword(".SILENT");
        reader.sp()?;
        let flags = Flag::parse_list(reader)?;
        Ok(StoreAction {
            mode,
            silent,
            flags,
        })
    }

    /// The flags after this action: sorted, without duplicates, `\Recent` untouched.
    pub fn apply(&self, current: &[Flag]) -> Vec<Flag> {
        let mut out: Vec<Flag> = match self.mode {
            StoreMode::Replace => current
                .iter()
                .filter(|f| **f == Flag::Recent)
                .cloned()
                .chain(self.flags.iter().cloned())
                .collect(),
            StoreMode::Add => current.iter().chain(self.flags.iter()).cloned().collect(),
            StoreMode::Remove => current
                .iter()
                .filter(|f| !self.flags.contains(f))
                .cloned()
                .collect(),
        };
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(text: &str) -> StoreAction {
        let mut r = Reader::new(text.as_bytes());
        let a = StoreAction::parse(&mut r).unwrap();
        r.end().unwrap();
        a
    }

    #[test]
    fn store_operations() {
        let add = action("+FLAGS.SILENT (\\Deleted)");
        assert_eq!(add.mode, StoreMode::Add);
        assert!(add.silent);
        assert_eq!(add.apply(&[Flag::Seen]), [Flag::Seen, Flag::Deleted]);
        let remove = action("-flags \\seen");
        assert_eq!(remove.apply(&[Flag::Seen, Flag::Flagged]), [Flag::Flagged]);
        let replace = action("FLAGS ($Junk \\Answered)");
        assert_eq!(
            replace.apply(&[Flag::Seen]),
            [Flag::Answered, Flag::Keyword("$Junk".into())]
        );
        assert_eq!(action("FLAGS ()").apply(&[Flag::Seen]), []);
    }

    #[test]
    fn unknown_system_flags_and_junk_are_refused() {
        assert!(StoreAction::parse(&mut Reader::new(b"+FLAGS (\\Bogus)")).is_err());
        assert!(StoreAction::parse(&mut Reader::new(b"FLAG (\\Seen)")).is_err());
        assert!(StoreAction::parse(&mut Reader::new(b"+FLAGS (\\*)")).is_err());
        assert_eq!(
            flag_list(&Flag::SYSTEM),
            "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)"
        );
    }
}
