//! LIST and LSUB (RFC 9051 6.3.9, RFC 3501 6.3.9): the folders whose names match one or
//! more patterns, with RFC 5258's selection options (SUBSCRIBED, RECURSIVEMATCH), its
//! return options and attributes (`\Subscribed`, `\NonExistent`, CHILDINFO), and RFC
//! 6154's special-use attributes.

use super::mailboxes::astring;
use super::replies::completed;
use super::{ImapHost, ServerSession};
use crate::engine::imap::command::ListOptions;
use crate::engine::mail::store::{is_below, ListEntry, HIERARCHY_DELIMITER};

/// LIST wildcards (RFC 9051 6.3.9): `*` matches anything, `%` anything but the delimiter.
pub fn pattern_matches(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|i| pattern_matches(rest, &name[i..])),
        Some((b'%', rest)) => (0..=name.len())
            .take_while(|&i| i == 0 || name[i - 1] != HIERARCHY_DELIMITER as u8)
            .any(|i| pattern_matches(rest, &name[i..])),
        Some((&p, rest)) => name
            .split_first()
            .is_some_and(|(&n, tail)| n == p && pattern_matches(rest, tail)),
    }
}

/// A name the patterns may list: an existing folder, or a subscription whose folder is gone.
struct Candidate {
    name: String,
    /// `None`: the folder does not exist (only its subscription does).
    entry: Option<ListEntry>,
    subscribed: bool,
}

/// The patterns of one LIST or LSUB, each with the reference in front.
struct Patterns(Vec<String>);

impl Patterns {
    fn matches(&self, name: &str) -> bool {
        self.0.iter().any(|full| {
            pattern_matches(full.as_bytes(), name.as_bytes())
                // INBOX is case-insensitive (RFC 9051 5.1).
                || (name == "INBOX" && pattern_matches(full.to_ascii_uppercase().as_bytes(), b"INBOX"))
        })
    }
}

impl ServerSession {
    pub(super) fn list(
        &mut self,
        tag: &str,
        reference: &str,
        patterns: &[String],
        options: &ListOptions,
        lsub: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let word = if lsub { "LSUB" } else { "LIST" };
        if patterns.iter().all(String::is_empty) {
            // RFC 9051 6.3.9: an empty pattern asks for the delimiter and the root.
            self.line(&format!(
                "* {word} (\\Noselect) \"{HIERARCHY_DELIMITER}\" \"\""
            ));
            return self.ok(tag, &completed(word));
        }
        let patterns = Patterns(
            patterns
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| format!("{reference}{p}"))
                .collect(),
        );
        let user = self.user.clone().unwrap_or_default();
        let mut candidates: Vec<Candidate> = host
            .store()
            .list(&user)
            .into_iter()
            .map(|entry| Candidate {
                name: entry.name.clone(),
                subscribed: entry.subscribed,
                entry: Some(entry),
            })
            .collect();
        let gone: Vec<String> = host
            .store()
            .account(&user)
            .map(|a| a.subscriptions().map(String::from).collect())
            .unwrap_or_default();
        for name in gone {
            if !candidates.iter().any(|c| c.name == name) {
                candidates.push(Candidate {
                    name,
                    entry: None,
                    subscribed: true,
                });
            }
        }
        let by_subscription = lsub || options.subscribed_only;
        let mut lines = Vec::new();
        for candidate in &candidates {
            if !patterns.matches(&candidate.name) {
                continue;
            }
            let selected = if by_subscription {
                candidate.subscribed
            } else {
                candidate.entry.is_some()
            };
            let selected = selected
                && !(options.special_use_only
                    && candidate.entry.as_ref().is_none_or(|e| e.special_use.is_none()));
            // A subscribed child the patterns leave out: LSUB shows the parent as
            // \Noselect (RFC 3501 6.3.9), RECURSIVEMATCH with CHILDINFO (RFC 5258 3.5).
            let hidden_subscribed_child = candidates.iter().any(|c| {
                c.subscribed && is_below(&c.name, &candidate.name) && !patterns.matches(&c.name)
            });
            let mut attributes: Vec<&str> = Vec::new();
            let mut extended = "";
            if lsub {
                if selected {
                    // LSUB shows no child attributes (RFC 3501 6.3.9 shows `()`).
                } else if hidden_subscribed_child {
                    attributes.push("\\Noselect");
                } else {
                    continue;
                }
            } else {
                if !selected {
                    if !(options.recursive_match && by_subscription && hidden_subscribed_child) {
                        continue;
                    }
                    extended = " (CHILDINFO (\"SUBSCRIBED\"))";
                }
                match &candidate.entry {
                    Some(entry) => {
                        attributes.push(if entry.has_children {
                            "\\HasChildren"
                        } else {
                            "\\HasNoChildren"
                        });
                    }
                    // RFC 5258 3: a name that is only a subscription does not exist.
                    None => attributes.push("\\NonExistent"),
                }
                if (options.subscribed_only || options.return_subscribed) && candidate.subscribed
                {
                    attributes.push("\\Subscribed");
                }
                if let Some(usage) = candidate.entry.as_ref().and_then(|e| e.special_use) {
                    attributes.push(usage.attribute());
                }
            }
            lines.push((
                format!(
                    "* {word} ({}) \"{HIERARCHY_DELIMITER}\" {}{extended}",
                    attributes.join(" "),
                    astring(&candidate.name)
                ),
                candidate.entry.is_some().then(|| candidate.name.clone()),
            ));
        }
        for (line, existing) in lines {
            self.line(&line);
            if let (Some(name), false) = (existing, options.return_status.is_empty()) {
                self.status_line(&name, &options.return_status, host);
            }
        }
        self.ok(tag, &completed(word));
    }
}

#[cfg(test)]
mod tests {
    use super::pattern_matches;

    #[test]
    fn list_wildcards() {
        assert!(pattern_matches(b"*", b"Archive/2026"));
        assert!(!pattern_matches(b"%", b"Archive/2026"));
        assert!(pattern_matches(b"%", b"Archive"));
        assert!(pattern_matches(b"Archive/%", b"Archive/2026"));
        assert!(pattern_matches(b"S*t", b"Sent"));
        assert!(!pattern_matches(b"Sent", b"Sent/x"));
    }
}
