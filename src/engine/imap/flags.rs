//! Message flags on the wire (RFC 9051 2.3.2) and STORE's operations on them (RFC 9051
//! 6.4.6). The flags are the store's own [`Flag`]s. `\Recent` (RFC 3501 2.3.2) is not one
//! of them: the server keeps it for each session, and a client may ask about it (SEARCH
//! RECENT) but never set it, so a flag list that names it is read without it.

use super::syntax::{Parsed, Reader};
pub use crate::engine::mail::store::{flag_list, Flag};

/// One flag of a command's flag list: `None` for `\Recent`. An unknown `\Word` is an error
/// (RFC 9051 2.3.2: a server may refuse those), as is anything that is not an atom.
fn read_flag(reader: &mut Reader) -> Parsed<Option<Flag>> {
    let start = reader.clone();
    let text = reader.flag_text()?;
    if text.eq_ignore_ascii_case("\\Recent") {
        return Ok(None);
    }
    match Flag::parse(&text) {
        Some(flag) => Ok(Some(flag)),
        None => start.error("a flag"),
    }
}

/// `(\Seen $Work)`, as APPEND gives it.
pub fn parse_parenthesized_flags(reader: &mut Reader) -> Parsed<Vec<Flag>> {
    Ok(reader.list(read_flag)?.into_iter().flatten().collect())
}

/// `(\Seen \Deleted)` or flags without parentheses (RFC 9051 9 `store-att-flags` allows
/// both).
pub fn parse_flag_list(reader: &mut Reader) -> Parsed<Vec<Flag>> {
    if reader.peek() == Some(b'(') {
        return parse_parenthesized_flags(reader);
    }
    let mut flags = vec![read_flag(reader)?];
    while reader.peek() == Some(b' ') && reader.rest().get(1) != Some(&b'(') {
        reader.sp()?;
        flags.push(read_flag(reader)?);
    }
    Ok(flags.into_iter().flatten().collect())
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
        let flags = parse_flag_list(reader)?;
        Ok(StoreAction {
            mode,
            silent,
            flags,
        })
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
        assert_eq!((add.mode, add.silent, add.flags), (StoreMode::Add, true, vec![Flag::Deleted]));
        let remove = action("-flags \\seen \\Flagged");
        assert_eq!((remove.mode, remove.flags), (StoreMode::Remove, vec![Flag::Seen, Flag::Flagged]));
        let replace = action("FLAGS ($Junk \\Answered)");
        assert_eq!(replace.flags, [Flag::Keyword("$Junk".into()), Flag::Answered]);
        assert_eq!(action("FLAGS ()").flags, []);
        // `\Recent` is read, and left out: no client sets it.
        assert_eq!(action("+FLAGS (\\Recent \\Seen)").flags, [Flag::Seen]);
    }

    #[test]
    fn unknown_system_flags_and_junk_are_refused() {
        assert!(StoreAction::parse(&mut Reader::new(b"+FLAGS (\\Bogus)")).is_err());
        assert!(StoreAction::parse(&mut Reader::new(b"FLAG (\\Seen)")).is_err());
        assert!(StoreAction::parse(&mut Reader::new(b"+FLAGS (\\*)")).is_err());
    }
}
