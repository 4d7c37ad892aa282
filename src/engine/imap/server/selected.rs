//! The selected mailbox as this session has told its client about it (RFC 9051 5.2, 7.4.1):
//! message sequence numbers, UIDs and flags. Comparing it with the store tells the session
//! which EXISTS, EXPUNGE and FETCH FLAGS responses the client is owed.

use std::collections::BTreeSet;

use crate::engine::mail::store::{Flag, Flags, Folder, Uid, UidValidity};

#[derive(Debug, Clone)]
pub struct Selected {
    pub folder: String,
    /// EXAMINE: nothing may change through this session (RFC 9051 6.3.3).
    pub read_only: bool,
    pub uid_validity: UidValidity,
    /// Sequence number n is `messages[n - 1]`.
    pub messages: Vec<(Uid, Flags)>,
    /// The messages that are `\Recent` in this session (RFC 3501 2.3.2).
    pub recent: BTreeSet<Uid>,
    /// The number of them the client was last told (`* n RECENT`).
    recent_told: usize,
    /// The keywords announced in `* FLAGS` (RFC 3501 7.2.6): a message may show only
    /// flags the client has been told of.
    pub keywords: BTreeSet<String>,
}

impl Selected {
    /// `recent`: the messages this session has as `\Recent`, claimed by SELECT or only
    /// looked at by EXAMINE.
    pub fn new(folder: &Folder, read_only: bool, recent: Vec<Uid>) -> Self {
        Selected {
            folder: folder.name().to_string(),
            read_only,
            uid_validity: folder.uid_validity(),
            messages: folder
                .messages()
                .iter()
                .map(|m| (m.uid, m.flags.clone()))
                .collect(),
            recent_told: recent.len(),
            recent: recent.into_iter().collect(),
            keywords: folder.keywords().clone(),
        }
    }

    /// `(\Answered ... $Work)`: the system flags and the keywords announced, for `* FLAGS`.
    pub fn flags_line(&self) -> String {
        let mut names: Vec<String> = Flag::SYSTEM.iter().map(Flag::to_string).collect();
        names.extend(self.keywords.iter().cloned());
        format!("({})", names.join(" "))
    }

    /// `* FLAGS` and `* OK [PERMANENTFLAGS]` (RFC 3501 7.2.6, 7.1), as SELECT sends them.
    pub fn flags_announcement(&self) -> Vec<String> {
        let all = self.flags_line();
        let permanent = if self.read_only {
            "* OK [PERMANENTFLAGS ()] Read-only mailbox.".to_string()
        } else {
            format!(
                "* OK [PERMANENTFLAGS {} \\*)] Flags permitted.",
                all.trim_end_matches(')')
            )
        };
        vec![format!("* FLAGS {all}"), permanent]
    }

    /// The announcement again when `flags` carry a keyword the client has not been told of
    /// (Dovecot sends a new FLAGS before the FETCH that shows it); nothing otherwise.
    pub fn announce(&mut self, flags: &Flags) -> Vec<String> {
        let mut new = false;
        for flag in flags {
            if let Flag::Keyword(k) = flag {
                new |= self.keywords.insert(k.clone());
            }
        }
        if new {
            self.flags_announcement()
        } else {
            Vec::new()
        }
    }

    /// A message's flags as this session shows them: the stored ones and `\Recent`.
    pub fn flag_list(&self, uid: Uid, flags: &Flags) -> String {
        let mut names: Vec<String> = flags.iter().map(Flag::to_string).collect();
        if self.recent.contains(&uid) {
            names.push("\\Recent".to_string());
        }
        format!("({})", names.join(" "))
    }


    pub fn exists(&self) -> u32 {
        self.messages.len() as u32
    }

    pub fn largest_uid(&self) -> u32 {
        self.messages.last().map_or(0, |(uid, _)| uid.0)
    }

    /// Records flags this session reported itself, so that they are not reported again.
    pub fn note_flags(&mut self, uid: Uid, flags: &Flags) {
        if let Some(entry) = self.messages.iter_mut().find(|(u, _)| *u == uid) {
            entry.1 = flags.clone();
        }
    }

    /// The untagged responses that bring the client up to date with `folder` (`None`: the
    /// folder is gone). Expunges are sent only when `allow_expunge`: RFC 9051 7.5.1 forbids
    /// them during FETCH, STORE and SEARCH, whose sequence numbers they would shift.
    /// `claimed`: the messages that just became this session's recent ones.
    pub fn sync(
        &mut self,
        folder: Option<&Folder>,
        allow_expunge: bool,
        claimed: Vec<Uid>,
    ) -> Vec<String> {
        self.recent.extend(claimed);
        let mut lines = Vec::new();
        let current: Vec<(Uid, &Flags)> = match folder {
            Some(f) if f.uid_validity() == self.uid_validity => {
                f.messages().iter().map(|m| (m.uid, &m.flags)).collect()
            }
            // Gone or re-created: every message this session knew is expunged.
            _ => Vec::new(),
        };
        if allow_expunge {
            // From the highest number down, so that each number is still right when sent.
            for seq in (1..=self.messages.len()).rev() {
                let uid = self.messages[seq - 1].0;
                if current.binary_search_by(|(u, _)| u.cmp(&uid)).is_err() {
                    self.messages.remove(seq - 1);
                    lines.push(format!("* {seq} EXPUNGE"));
                }
            }
        }
        for i in 0..self.messages.len() {
            let uid = self.messages[i].0;
            if let Ok(at) = current.binary_search_by(|(u, _)| u.cmp(&uid)) {
                if current[at].1 != &self.messages[i].1 {
                    let flags = current[at].1.clone();
                    lines.extend(self.announce(&flags));
                    lines.push(format!("* {} FETCH (FLAGS {})", i + 1, self.flag_list(uid, &flags)));
                    self.messages[i].1 = flags;
                }
            }
        }
        let largest = self.largest_uid();
        let before = self.messages.len();
        for (uid, flags) in current.iter().filter(|(u, _)| u.0 > largest) {
            lines.extend(self.announce(flags));
            self.messages.push((*uid, (*flags).clone()));
        }
        // RFC 3501 7.3.2: new recent messages are told right after EXISTS, when their
        // number changed; one that leaves needs no word, its EXPUNGE says it (7.4.1).
        let recent = self.messages.iter().filter(|(u, _)| self.recent.contains(u)).count();
        if self.messages.len() != before {
            lines.push(format!("* {} EXISTS", self.messages.len()));
            if recent != self.recent_told {
                lines.push(format!("* {recent} RECENT"));
            }
        }
        self.recent_told = recent;
        lines
    }
}
