//! The selected mailbox as this session has told its client about it (RFC 9051 5.2, 7.4.1):
//! message sequence numbers, UIDs and flags. Comparing it with the store tells the session
//! which EXISTS, EXPUNGE and FETCH FLAGS responses the client is owed.

use crate::engine::mail::store::{flag_list, Flags, Folder, Uid, UidValidity};

#[derive(Debug, Clone)]
pub struct Selected {
    pub folder: String,
    /// EXAMINE: nothing may change through this session (RFC 9051 6.3.3).
    pub read_only: bool,
    pub uid_validity: UidValidity,
    /// Sequence number n is `messages[n - 1]`.
    pub messages: Vec<(Uid, Flags)>,
}

impl Selected {
    pub fn new(folder: &Folder, read_only: bool) -> Self {
        Selected {
            folder: folder.name().to_string(),
            read_only,
            uid_validity: folder.uid_validity(),
            messages: folder
                .messages()
                .iter()
                .map(|m| (m.uid, m.flags.clone()))
                .collect(),
        }
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
    pub fn sync(&mut self, folder: Option<&Folder>, allow_expunge: bool) -> Vec<String> {
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
        for (i, (uid, flags)) in self.messages.iter_mut().enumerate() {
            if let Ok(at) = current.binary_search_by(|(u, _)| u.cmp(uid)) {
                if current[at].1 != flags {
                    *flags = current[at].1.clone();
                    lines.push(format!("* {} FETCH (FLAGS {})", i + 1, flag_list(flags)));
                }
            }
        }
        let largest = self.largest_uid();
        let before = self.messages.len();
        for (uid, flags) in current.iter().filter(|(u, _)| u.0 > largest) {
            self.messages.push((*uid, (*flags).clone()));
        }
        if self.messages.len() != before {
            lines.push(format!("* {} EXISTS", self.messages.len()));
        }
        lines
    }
}
