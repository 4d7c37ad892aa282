//! What the client does after fetching, as a queue of IMAP commands: the old `mark_seen` /
//! `delete` switches first, then each [`Rule`] on the fetched messages it matches.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::config::{Action, ClientConfig, FolderRef, Matcher, Rule};
use crate::engine::imap::response::write_astring;
use crate::engine::imap::sequence::SequenceSet;
use crate::engine::imap::syntax::Reader;
use crate::engine::mail::store::{Flag, SpecialUse};

/// One command still to send, each waiting for its tagged OK before the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `LIST "" "*"`: learn the special-use folders (RFC 6154 2).
    List,
    /// `UID STORE set +FLAGS.SILENT (...)` (RFC 9051 6.4.6).
    Store { uids: Vec<u32>, flags: Vec<Flag> },
    /// EXPUNGE (RFC 9051 6.4.3): every `\Deleted` message goes, not only ours.
    Expunge,
    /// `UID EXPUNGE set` (RFC 4315 2.1): only these, if `\Deleted`.
    UidExpunge(Vec<u32>),
    /// `UID MOVE set folder` (RFC 6851 3.2).
    Move { uids: Vec<u32>, folder: FolderRef },
    /// `UID COPY set folder` (RFC 9051 6.4.7), the first step of a move without MOVE.
    Copy { uids: Vec<u32>, folder: FolderRef },
}

fn matches(matcher: &Matcher, subject: Option<&str>) -> bool {
    match matcher {
        Matcher::AllNew => true,
        Matcher::SubjectContains(text) => {
            subject.is_some_and(|s| s.to_lowercase().contains(&text.to_lowercase()))
        }
    }
}

/// The commands for `config`, given the fetched messages (UID, Subject) and whether the
/// server offers MOVE and UIDPLUS.
pub fn plan(
    config: &ClientConfig,
    fetched: &[(u32, Option<String>)],
    has_move: bool,
    has_uidplus: bool,
) -> VecDeque<Op> {
    let mut ops = VecDeque::new();
    let all: Vec<u32> = fetched.iter().map(|(uid, _)| *uid).collect();
    if all.is_empty() {
        return ops;
    }
    // The old switches, in one STORE as before: `\Seen` only when peeking, because
    // `BODY[]` already set it (RFC 9051 6.4.5).
    let mut flags = Vec::new();
    if config.mark_seen && config.peek {
        flags.push(Flag::Seen);
    }
    if config.delete {
        flags.push(Flag::Deleted);
    }
    if !flags.is_empty() {
        ops.push_back(Op::Store {
            uids: all.clone(),
            flags,
        });
    }
    if config.delete {
        ops.push_back(Op::Expunge);
        return ops;
    }
    let expunge = |uids: &[u32]| {
        if has_uidplus {
            Op::UidExpunge(uids.to_vec())
        } else {
            Op::Expunge
        }
    };
    let mut remaining: BTreeSet<u32> = all.iter().copied().collect();
    let mut listed = false;
    for Rule { matcher, action } in &config.rules {
        let uids: Vec<u32> = fetched
            .iter()
            .filter(|(uid, subject)| {
                remaining.contains(uid) && matches(matcher, subject.as_deref())
            })
            .map(|(uid, _)| *uid)
            .collect();
        if uids.is_empty() {
            continue;
        }
        match action {
            Action::MarkSeen | Action::Flag => {
                let flag = if *action == Action::MarkSeen {
                    Flag::Seen
                } else {
                    Flag::Flagged
                };
                ops.push_back(Op::Store {
                    uids,
                    flags: vec![flag],
                });
            }
            Action::Delete => {
                ops.push_back(Op::Store {
                    uids: uids.clone(),
                    flags: vec![Flag::Deleted],
                });
                ops.push_back(expunge(&uids));
                remaining.retain(|u| !uids.contains(u));
            }
            Action::MoveTo(folder) => {
                if matches!(folder, FolderRef::SpecialUse(_)) && !listed {
                    ops.push_back(Op::List);
                    listed = true;
                }
                if has_move {
                    ops.push_back(Op::Move {
                        uids: uids.clone(),
                        folder: folder.clone(),
                    });
                } else {
                    // RFC 6851 3.3: what a client without MOVE does instead.
                    ops.push_back(Op::Copy {
                        uids: uids.clone(),
                        folder: folder.clone(),
                    });
                    ops.push_back(Op::Store {
                        uids: uids.clone(),
                        flags: vec![Flag::Deleted],
                    });
                    ops.push_back(expunge(&uids));
                }
                remaining.retain(|u| !uids.contains(u));
            }
        }
    }
    ops
}

/// `1:3,7` for a list of UIDs.
pub fn uid_set(uids: &[u32]) -> String {
    SequenceSet::from_numbers(uids)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// A mailbox name as an `astring` (RFC 9051 9): `Trash`, or `"Old mail"`.
pub fn mailbox_arg(name: &str) -> String {
    let mut out = Vec::new();
    write_astring(&mut out, name.as_bytes());
    String::from_utf8_lossy(&out).into_owned()
}

/// The command text for `op`; `Err` when a special-use folder is not among `folders`.
pub fn command(op: &Op, folders: &BTreeMap<SpecialUse, String>) -> Result<String, String> {
    let folder_name = |folder: &FolderRef| match folder {
        FolderRef::Name(name) => Ok(mailbox_arg(name)),
        FolderRef::SpecialUse(usage) => folders
            .get(usage)
            .map(|name| mailbox_arg(name))
            .ok_or_else(|| format!("no folder has the special use {usage}")),
    };
    Ok(match op {
        Op::List => "LIST \"\" \"*\"".to_string(),
        Op::Store { uids, flags } => {
            let flags: Vec<String> = flags.iter().map(Flag::to_string).collect();
            format!(
                "UID STORE {} +FLAGS.SILENT ({})",
                uid_set(uids),
                flags.join(" ")
            )
        }
        Op::Expunge => "EXPUNGE".to_string(),
        Op::UidExpunge(uids) => format!("UID EXPUNGE {}", uid_set(uids)),
        Op::Move { uids, folder } => format!("UID MOVE {} {}", uid_set(uids), folder_name(folder)?),
        Op::Copy { uids, folder } => format!("UID COPY {} {}", uid_set(uids), folder_name(folder)?),
    })
}

/// `* LIST (\HasNoChildren \Trash) "/" Trash` (RFC 9051 7.3.1): the special use and name.
pub fn special_use_entry(response: &[u8]) -> Option<(SpecialUse, String)> {
    let rest = response.strip_prefix(b"* LIST ")?;
    let mut r = Reader::new(rest);
    let attributes = r.list(|r| r.flag_text()).ok()?;
    r.sp().ok()?;
    r.nstring().ok()?;
    r.sp().ok()?;
    let name = r.astring_text().ok()?;
    let usage = attributes.iter().find_map(|a| SpecialUse::parse(a))?;
    Some((usage, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_give_special_uses() {
        assert_eq!(
            special_use_entry(b"* LIST (\\HasNoChildren \\Junk) \"/\" \"Spam mail\""),
            Some((SpecialUse::Junk, "Spam mail".to_string()))
        );
        assert_eq!(
            special_use_entry(b"* LIST (\\HasNoChildren) \"/\" INBOX"),
            None
        );
        assert_eq!(special_use_entry(b"* LIST (\\Trash"), None);
    }

    #[test]
    fn later_rules_do_not_see_what_earlier_rules_took_away() {
        let mut config = ClientConfig::new("u", "p");
        config.rules = vec![
            Rule::new(Matcher::SubjectContains("SALE".into()), Action::Delete),
            Rule::new(Matcher::AllNew, Action::Flag),
        ];
        let fetched = [
            (1, Some("Big sale".into())),
            (2, Some("Hi".into())),
            (3, None),
        ];
        let ops: Vec<Op> = plan(&config, &fetched, true, false).into();
        assert_eq!(
            ops,
            [
                Op::Store {
                    uids: vec![1],
                    flags: vec![Flag::Deleted]
                },
                Op::Expunge,
                Op::Store {
                    uids: vec![2, 3],
                    flags: vec![Flag::Flagged]
                },
            ]
        );
    }
}
