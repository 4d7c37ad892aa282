//! LIST's arguments (RFC 9051 6.3.9, with RFC 5258's selection and return options and
//! RFC 6154's SPECIAL-USE) and STATUS's items (RFC 9051 6.3.11).

use super::CommandBody;
use crate::engine::imap::syntax::{Parsed, Reader};

/// What an extended LIST asks for beyond the plain form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOptions {
    /// `LIST (SUBSCRIBED) ...`: only subscribed mailboxes (RFC 5258 3.1).
    pub subscribed_only: bool,
    /// `LIST (SPECIAL-USE) ...`: only mailboxes with a special use (RFC 6154 8.4).
    pub special_use_only: bool,
    /// `RETURN (SPECIAL-USE)` (RFC 6154 8.5); Dovecot shows the attributes anyway.
    pub return_special_use: bool,
    /// `RETURN (SUBSCRIBED)`: add `\Subscribed` (RFC 5258 3.2).
    pub return_subscribed: bool,
    /// `RETURN (STATUS (...))` (RFC 5819).
    pub return_status: Vec<StatusItem>,
    /// `LIST (SUBSCRIBED RECURSIVEMATCH)`: also a mailbox that is not subscribed but has a
    /// subscribed child the patterns leave out, with `CHILDINFO` (RFC 5258 3.5).
    pub recursive_match: bool,
}

/// `LIST [(opts)] reference pattern [RETURN (opts)]`, the pattern alone or several in
/// parentheses (RFC 5258 3).
pub(super) fn parse_list(r: &mut Reader) -> Parsed<CommandBody> {
    let mut options = ListOptions::default();
    r.sp()?;
    if r.peek() == Some(b'(') {
        for option in r.list(|r| r.atom())? {
            match option.to_ascii_uppercase().as_str() {
                "SUBSCRIBED" => options.subscribed_only = true,
                "SPECIAL-USE" => options.special_use_only = true,
                "RECURSIVEMATCH" => options.recursive_match = true,
                // Every mailbox here is local: REMOTE changes nothing (RFC 5258 3.1).
                "REMOTE" => {}
                _ => return r.error("a LIST selection option"),
            }
        }
        // RFC 5258 3: RECURSIVEMATCH needs another selection option besides REMOTE.
        if options.recursive_match && !options.subscribed_only && !options.special_use_only {
            return r.error("a selection option besides RECURSIVEMATCH");
        }
        r.sp()?;
    }
    let reference = r.astring_text()?;
    r.sp()?;
    let patterns = if r.peek() == Some(b'(') {
        r.list(|r| r.list_mailbox())?
    } else {
        vec![r.list_mailbox()?]
    };
    if r.eat_keyword(" RETURN ") {
        r.list(|r| {
            if r.eat_keyword("SPECIAL-USE") {
                options.return_special_use = true;
            } else if r.eat_keyword("SUBSCRIBED") {
                options.return_subscribed = true;
            } else if r.eat_keyword("CHILDREN") {
                // Children attributes are always returned.
            } else if r.eat_keyword("STATUS ") {
                options.return_status = r.list(StatusItem::parse)?;
            } else {
                return r.error("a LIST return option");
            }
            Ok(())
        })?;
    }
    Ok(CommandBody::List {
        reference,
        patterns,
        options,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusItem {
    Messages,
    UidNext,
    UidValidity,
    Unseen,
    /// RFC 3501 only.
    Recent,
    /// RFC 9051: the mailbox size in octets.
    Size,
    /// RFC 9051: messages with `\Deleted`.
    Deleted,
}

impl StatusItem {
    pub fn parse(r: &mut Reader) -> Parsed<StatusItem> {
        let start = r.clone();
        let item = match r.atom()?.to_ascii_uppercase().as_str() {
            "MESSAGES" => StatusItem::Messages,
            "UIDNEXT" => StatusItem::UidNext,
            "UIDVALIDITY" => StatusItem::UidValidity,
            "UNSEEN" => StatusItem::Unseen,
            "RECENT" => StatusItem::Recent,
            "SIZE" => StatusItem::Size,
            "DELETED" => StatusItem::Deleted,
            _ => return start.error("a STATUS item"),
        };
        Ok(item)
    }

    pub fn name(self) -> &'static str {
        match self {
            StatusItem::Messages => "MESSAGES",
            StatusItem::UidNext => "UIDNEXT",
            StatusItem::UidValidity => "UIDVALIDITY",
            StatusItem::Unseen => "UNSEEN",
            StatusItem::Recent => "RECENT",
            StatusItem::Size => "SIZE",
            StatusItem::Deleted => "DELETED",
        }
    }
}
