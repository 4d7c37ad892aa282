//! What a SEARCH key means for one message (RFC 9051 6.4.4). String keys match substrings
//! without regard to ASCII case, as RFC 9051 6.4.4 asks.

use crate::engine::imap::date::days_from_civil;
use crate::engine::imap::flags::Flag;
use crate::engine::imap::search::SearchKey;
use crate::engine::mail::store::StoredMessage;

/// The fields whose value is an address list (RFC 5322 3.6.2, 3.6.3).
fn is_address_field(name: &str) -> bool {
    ["From", "Sender", "Reply-To", "To", "Cc", "Bcc"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// An address list as its addresses, `name <local@domain>` each, comments and folding
/// gone: SEARCH FROM finds `user@domain.org` in `<user (comment)@ domain.org>` as
/// Dovecot does (RFC 9051 6.4.4 leaves the matching to the server).
fn addresses(value: &str) -> String {
    use crate::engine::imap::envelope::{parse_address_list, AddressItem};
    parse_address_list(value)
        .into_iter()
        .filter_map(|item| match item {
            AddressItem::Mailbox { name, local, domain, .. } => Some(match name {
                Some(name) => format!("{name} <{local}@{domain}>"),
                None => format!("<{local}@{domain}>"),
            }),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn has_flag(m: &StoredMessage, flag: &Flag) -> bool {
    m.flags.contains(flag)
}

/// Days since 1970 of a `Date:` value such as `Mon, 02 Mar 2026 09:00:00 +0000`, read
/// from its day, month and year words (the zone is ignored, RFC 9051 6.4.4 SENTON).
fn sent_day(m: &StoredMessage) -> Option<i64> {
    let value = m.message.header("Date")?;
    let words: Vec<&str> = value.split_whitespace().collect();
    let start = usize::from(words.first()?.ends_with(','));
    let day: u8 = words.get(start)?.parse().ok()?;
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = months.iter().position(|n| {
        words
            .get(start + 1)
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })? as u8
        + 1;
    let year: i64 = words.get(start + 2)?.parse().ok()?;
    Some(days_from_civil(year, month, day))
}

/// What SEARCH knows of a message beside the message itself: its sequence number, the
/// mailbox as the session sees it, and whether it is `\Recent` in this session.
pub struct Place {
    pub seq: u32,
    pub exists: u32,
    pub largest_uid: u32,
    pub recent: bool,
}

pub fn matches(key: &SearchKey, place: &Place, m: &StoredMessage) -> bool {
    let internal_day = (m.internal_date.unix_seconds() / 86_400) as i64;
    let recurse = |k: &SearchKey| matches(k, place, m);
    match key {
        SearchKey::All => true,
        SearchKey::Recent => place.recent,
        SearchKey::Flagged(flag) => has_flag(m, flag),
        SearchKey::Unflagged(flag) => !has_flag(m, flag),
        // RFC 3501 6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT.
        SearchKey::New => place.recent && !has_flag(m, &Flag::Seen),
        SearchKey::Old => !place.recent,
        SearchKey::Header(name, value) => m
            .message
            .headers()
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(name))
            .any(|f| {
                contains(f.value.as_bytes(), value)
                    || (is_address_field(name) && contains(addresses(&f.value).as_bytes(), value))
            }),
        SearchKey::Body(text) => contains(m.message.body(), text),
        SearchKey::Text(text) => contains(m.message.as_bytes(), text),
        SearchKey::Before(day) => internal_day < *day,
        SearchKey::On(day) => internal_day == *day,
        SearchKey::Since(day) => internal_day >= *day,
        SearchKey::SentBefore(day) => sent_day(m).is_some_and(|d| d < *day),
        SearchKey::SentOn(day) => sent_day(m) == Some(*day),
        SearchKey::SentSince(day) => sent_day(m).is_some_and(|d| d >= *day),
        SearchKey::Larger(n) => m.size() > u64::from(*n),
        SearchKey::Smaller(n) => m.size() < u64::from(*n),
        SearchKey::Uid(set) => set.contains(m.uid.0, place.largest_uid),
        SearchKey::Sequence(set) => set.contains(place.seq, place.exists),
        SearchKey::Not(k) => !recurse(k),
        SearchKey::Or(a, b) => recurse(a) || recurse(b),
        SearchKey::And(keys) => keys.iter().all(recurse),
    }
}
