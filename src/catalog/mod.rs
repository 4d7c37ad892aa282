//! Every sentence Mailflow says to a student, in one place: the narration of each step, the
//! diagram in words, the summary at the end, and the lab's hints and reply explanations.
//!
//! A message is a key (an enum variant) with its arguments (names, addresses, codes); the code
//! that decides *what* to say builds keys, and only this module turns them into words. To
//! translate Mailflow, give each `say` here a sibling for the new language: nothing outside
//! this module holds a sentence. (The engine's own notes in the trace, `note [RFC ...]`, are
//! part of the transcript the goldens pin down and stay in English.)
//!
//! The voice: for a 16-year-old who has never seen SMTP. One or two short
//! sentences: who speaks to whom, what they ask or answer, and what changed; no jargon
//! without its meaning. Then a "why" with the exact RFC section.

pub mod authentication;
pub mod imap;
pub mod lab;
pub mod pop3;
pub mod quiz;
pub mod scene;
pub mod smtp;
pub mod world;

/// What the narrator says about one thing that happened: a sentence or two, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub text: String,
    pub why: Option<Why>,
}

/// The rule behind what happened, with the section of the standard that states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// `RFC 5321 4.1.1.2`: RFC numbers and section numbers as the RFC Editor publishes them.
    pub rfc: String,
    pub text: String,
}

impl Said {
    fn new(text: String, rfc: &str, why: &str) -> Said {
        Said { text, why: Some(Why { rfc: rfc.to_owned(), text: why.to_owned() }) }
    }

    fn plain(text: String) -> Said {
        Said { text, why: None }
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The text with its first letter in capitals, as a sentence starts.
pub fn capitalised(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// `1 letter`, `2 letters`: English plurals for the nouns the catalog counts.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A wait in words: `45 seconds`, `5 minutes`, `1 hour 6 minutes`, `4 days 2 hours`.
pub fn duration(millis: u64) -> String {
    let secs = millis / 1000;
    if secs < 60 {
        return if millis < 1000 { format!("{millis} ms") } else { count(secs as usize, "second", "seconds") };
    }
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let parts: Vec<String> = [(days, "day", "days"), (hours, "hour", "hours"), (minutes, "minute", "minutes")]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| count(*n as usize, one, many))
        .take(2)
        .collect();
    parts.join(" ")
}

/// A wait in a few characters: `30 s`, `5 min`, `1 h 6 min`, `4 d 2 h`.
pub fn short_duration(millis: u64) -> String {
    let secs = millis / 1000;
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "min")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .take(2)
        .collect();
    if parts.is_empty() { format!("{secs} s") } else { parts.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_says_them() {
        assert_eq!(duration(406), "406 ms");
        assert_eq!(duration(45_000), "45 seconds");
        assert_eq!(duration(300_000), "5 minutes");
        assert_eq!(duration(3_960_000), "1 hour 6 minutes");
        assert_eq!(duration(4 * 86_400_000 + 2 * 3_600_000 + 60_000), "4 days 2 hours");
        assert_eq!(short_duration(30_000), "30 s");
        assert_eq!(short_duration(3_960_000), "1 h 6 min");
    }

    #[test]
    fn lists_join_with_and() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&s(&["a"])), "a");
        assert_eq!(list(&s(&["a", "b", "c"])), "a, b and c");
    }
}
