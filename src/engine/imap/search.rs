//! SEARCH criteria (RFC 9051 6.4.4 / RFC 3501 6.4.4): the keys a client may combine. Their
//! meaning against a mailbox lives with the server; this is the grammar.

use super::date::parse_search_date;
use super::flags::Flag;
use super::sequence::SequenceSet;
use super::syntax::{Parsed, Reader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey {
    All,
    /// A message with this flag set (`SEEN`, `KEYWORD $Junk`...).
    Flagged(Flag),
    /// A message without it (`UNSEEN`, `UNKEYWORD x`...).
    Unflagged(Flag),
    /// `RECENT`: `\Recent` in this session (RFC 3501 6.4.4).
    Recent,
    /// `NEW`: recent and unseen (RFC 3501).
    New,
    /// `OLD`: not recent.
    Old,
    /// `HEADER name value`; FROM, TO, CC, BCC and SUBJECT are this with a fixed name.
    Header(String, String),
    /// `BODY text`: in the body.
    Body(String),
    /// `TEXT text`: in the header or the body.
    Text(String),
    /// Internal date, in days since 1970-01-01.
    Before(i64),
    On(i64),
    Since(i64),
    /// The `Date:` header, in days since 1970-01-01.
    SentBefore(i64),
    SentOn(i64),
    SentSince(i64),
    Larger(u32),
    Smaller(u32),
    Uid(SequenceSet),
    Sequence(SequenceSet),
    Not(Box<SearchKey>),
    Or(Box<SearchKey>, Box<SearchKey>),
    /// A parenthesized list, or the top level: all must match.
    And(Vec<SearchKey>),
}

/// `SEARCH [CHARSET x] key...`: the charset and the keys, all of which must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCriteria {
    pub charset: Option<String>,
    pub key: SearchKey,
}

impl SearchCriteria {
    pub fn parse(reader: &mut Reader) -> Parsed<SearchCriteria> {
        let charset = if reader.eat_keyword("CHARSET ") {
            let c = reader.astring_text()?;
            reader.sp()?;
            Some(c)
        } else {
            None
        };
        let mut keys = vec![SearchKey::parse(reader)?];
        while reader.eat(b' ') {
            keys.push(SearchKey::parse(reader)?);
        }
        let key = if keys.len() == 1 {
            keys.remove(0)
        } else {
            SearchKey::And(keys)
        };
        Ok(SearchCriteria { charset, key })
    }
}

fn text_arg(reader: &mut Reader) -> Parsed<String> {
    reader.sp()?;
    // Search strings are compared as text; invalid UTF-8 is refused rather than guessed at.
    reader.astring_text()
}

fn date_arg(reader: &mut Reader) -> Parsed<i64> {
    reader.sp()?;
    parse_search_date(reader)
}

fn keyword_arg(reader: &mut Reader) -> Parsed<Flag> {
    reader.sp()?;
    let start = reader.clone();
    match Flag::keyword(&reader.atom()?) {
        Some(flag) => Ok(flag),
        None => start.error("a keyword"),
    }
}

impl SearchKey {
    pub fn parse(reader: &mut Reader) -> Parsed<SearchKey> {
        use SearchKey::*;
        if reader.peek() == Some(b'(') {
            let mut keys = reader.list(SearchKey::parse)?;
            return Ok(if keys.len() == 1 {
                keys.remove(0)
            } else {
                And(keys)
            });
        }
        if reader
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || b == b'*')
        {
            return SequenceSet::parse(reader).map(Sequence);
        }
        let start = reader.clone();
        let word = reader.atom()?.to_ascii_uppercase();
        let key = match word.as_str() {
            "ALL" => All,
            "ANSWERED" => Flagged(Flag::Answered),
            "DELETED" => Flagged(Flag::Deleted),
            "DRAFT" => Flagged(Flag::Draft),
            "FLAGGED" => Flagged(Flag::Flagged),
            "SEEN" => Flagged(Flag::Seen),
            "RECENT" => Recent,
            "UNANSWERED" => Unflagged(Flag::Answered),
            "UNDELETED" => Unflagged(Flag::Deleted),
            "UNDRAFT" => Unflagged(Flag::Draft),
            "UNFLAGGED" => Unflagged(Flag::Flagged),
            "UNSEEN" => Unflagged(Flag::Seen),
            "NEW" => New,
            "OLD" => Old,
            "KEYWORD" => Flagged(keyword_arg(reader)?),
            "UNKEYWORD" => Unflagged(keyword_arg(reader)?),
            "FROM" | "TO" | "CC" | "BCC" | "SUBJECT" => {
                // RFC 9051 6.4.4: these search the header field of that name.
                let name = match word.as_str() {
                    "FROM" => "From",
                    "TO" => "To",
                    "CC" => "Cc",
                    "BCC" => "Bcc",
                    _ => "Subject",
                };
                Header(name.into(), text_arg(reader)?)
            }
            "HEADER" => {
                let name = text_arg(reader)?;
                Header(name, text_arg(reader)?)
            }
            "BODY" => Body(text_arg(reader)?),
            "TEXT" => Text(text_arg(reader)?),
            "BEFORE" => Before(date_arg(reader)?),
            "ON" => On(date_arg(reader)?),
            "SINCE" => Since(date_arg(reader)?),
            "SENTBEFORE" => SentBefore(date_arg(reader)?),
            "SENTON" => SentOn(date_arg(reader)?),
            "SENTSINCE" => SentSince(date_arg(reader)?),
            "LARGER" => {
                reader.sp()?;
                Larger(reader.number()?)
            }
            "SMALLER" => {
                reader.sp()?;
                Smaller(reader.number()?)
            }
            "UID" => {
                reader.sp()?;
                Uid(SequenceSet::parse(reader)?)
            }
            "NOT" => {
                reader.sp()?;
                Not(Box::new(SearchKey::parse(reader)?))
            }
            "OR" => {
                reader.sp()?;
                let a = SearchKey::parse(reader)?;
                reader.sp()?;
                Or(Box::new(a), Box::new(SearchKey::parse(reader)?))
            }
            _ => return start.error("a search key"),
        };
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed<SearchCriteria> {
        let mut r = Reader::new(text.as_bytes());
        let c = SearchCriteria::parse(&mut r)?;
        r.end()?;
        Ok(c)
    }

    #[test]
    fn rfc_example_and_combinations() {
        // RFC 9051 6.4.4's example.
        let c = parse("FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"").unwrap();
        let SearchKey::And(keys) = c.key else {
            panic!("three keys")
        };
        assert_eq!(keys[0], SearchKey::Flagged(Flag::Flagged));
        assert!(matches!(keys[1], SearchKey::Since(_)));
        assert_eq!(
            keys[2],
            SearchKey::Not(Box::new(SearchKey::Header("From".into(), "Smith".into())))
        );
        let c = parse("CHARSET UTF-8 OR (SEEN 1:3) UID 5:*").unwrap();
        assert_eq!(c.charset.as_deref(), Some("UTF-8"));
        assert!(matches!(c.key, SearchKey::Or(..)));
        assert_eq!(
            parse("unkeyword $Junk").unwrap().key,
            SearchKey::Unflagged(Flag::Keyword("$Junk".into()))
        );
        assert_eq!(
            parse("2,4").unwrap().key,
            SearchKey::Sequence(SequenceSet(vec![
                super::super::sequence::SeqRange {
                    first: super::super::sequence::SeqNumber::Value(2),
                    last: super::super::sequence::SeqNumber::Value(2)
                },
                super::super::sequence::SeqRange {
                    first: super::super::sequence::SeqNumber::Value(4),
                    last: super::super::sequence::SeqNumber::Value(4)
                },
            ]))
        );
    }

    #[test]
    fn bad_keys_fail() {
        for bad in [
            "",
            "BOGUS",
            "FROM",
            "SINCE yesterday",
            "OR SEEN",
            "KEYWORD \\Seen",
            "(SEEN",
            "LARGER x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
