//! Sequence sets (RFC 9051 9 `sequence-set`, 6.4.9): `1:3,7,9:*`, for message sequence
//! numbers and for UIDs alike. `*` stands for the largest number in use, so a set is only
//! resolved against a mailbox.

use std::fmt;

use super::syntax::{Parsed, Reader};

/// One end of a range: a number or `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqNumber {
    Value(u32),
    /// `*`: the largest sequence number or UID in the mailbox.
    Largest,
}

impl SeqNumber {
    fn resolve(self, largest: u32) -> u32 {
        match self {
            SeqNumber::Value(n) => n,
            SeqNumber::Largest => largest,
        }
    }
}

/// `a:b` or a single number (then `first == last`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeqRange {
    pub first: SeqNumber,
    pub last: SeqNumber,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceSet(pub Vec<SeqRange>);

impl SequenceSet {
    /// One number.
    pub fn single(n: u32) -> Self {
        SequenceSet(vec![SeqRange {
            first: SeqNumber::Value(n),
            last: SeqNumber::Value(n),
        }])
    }

    /// `n:*`.
    pub fn from(n: u32) -> Self {
        SequenceSet(vec![SeqRange {
            first: SeqNumber::Value(n),
            last: SeqNumber::Largest,
        }])
    }

    /// The set of these numbers, written compactly (`1:3,7`); `None` when empty.
    pub fn from_numbers(numbers: &[u32]) -> Option<Self> {
        let mut sorted = numbers.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut ranges: Vec<SeqRange> = Vec::new();
        for n in sorted {
            match ranges.last_mut() {
                Some(SeqRange {
                    last: SeqNumber::Value(l),
                    ..
                }) if l.checked_add(1) == Some(n) => *l = n,
                _ => ranges.push(SeqRange {
                    first: SeqNumber::Value(n),
                    last: SeqNumber::Value(n),
                }),
            }
        }
        (!ranges.is_empty()).then_some(SequenceSet(ranges))
    }

    pub fn parse(reader: &mut Reader) -> Parsed<Self> {
        let mut ranges = Vec::new();
        loop {
            let first = seq_number(reader)?;
            let last = if reader.eat(b':') {
                seq_number(reader)?
            } else {
                first
            };
            ranges.push(SeqRange { first, last });
            if !reader.eat(b',') {
                return Ok(SequenceSet(ranges));
            }
        }
    }

    /// Whether `n` is in the set when `*` means `largest`. RFC 9051 6.4.9: `a:b` is the same
    /// as `b:a`, and `559:*` holds the largest number even when 559 is above it.
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        self.0.iter().any(|r| {
            let (a, b) = (r.first.resolve(largest), r.last.resolve(largest));
            a.min(b) <= n && n <= a.max(b)
        })
    }

    /// Whether a number above `largest` is named (RFC 9051 9, 6.4.9: for message sequence
    /// numbers that is an error; for UIDs it is not).
    pub fn exceeds(&self, largest: u32) -> bool {
        self.0.iter().any(|r| {
            [r.first, r.last]
                .iter()
                .any(|n| matches!(n, SeqNumber::Value(v) if *v > largest || *v == 0))
        })
    }
}

fn seq_number(reader: &mut Reader) -> Parsed<SeqNumber> {
    if reader.eat(b'*') {
        Ok(SeqNumber::Largest)
    } else {
        reader.nz_number().map(SeqNumber::Value)
    }
}

impl fmt::Display for SeqNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeqNumber::Value(n) => write!(f, "{n}"),
            SeqNumber::Largest => f.write_str("*"),
        }
    }
}

impl fmt::Display for SequenceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if r.first == r.last {
                write!(f, "{}", r.first)?;
            } else {
                write!(f, "{}:{}", r.first, r.last)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> SequenceSet {
        let mut r = Reader::new(s.as_bytes());
        let set = SequenceSet::parse(&mut r).unwrap();
        r.end().unwrap();
        set
    }

    #[test]
    fn ranges_stars_and_reversed_ranges() {
        let set = parse("1:3,7,9:*");
        assert_eq!(set.to_string(), "1:3,7,9:*");
        let members: Vec<u32> = (1..=12).filter(|n| set.contains(*n, 10)).collect();
        assert_eq!(members, [1, 2, 3, 7, 9, 10]);
        assert!(parse("5:2").contains(3, 9));
        // RFC 9051 6.4.9: 559:* includes the last UID even if that is below 559.
        assert!(parse("559:*").contains(42, 42));
        assert!(!parse("559:*").contains(41, 42));
    }

    #[test]
    fn zero_and_junk_are_refused() {
        for bad in ["0", "1:0", "", ",1", "a", "1:"] {
            let mut r = Reader::new(bad.as_bytes());
            assert!(
                SequenceSet::parse(&mut r).and_then(|_| r.end()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn bounds_and_compact_writing() {
        assert!(parse("1:4").exceeds(3));
        assert!(!parse("1:*").exceeds(3));
        let set = SequenceSet::from_numbers(&[7, 3, 4, 5, 9, 3]).unwrap();
        assert_eq!(set.to_string(), "3:5,7,9");
        assert_eq!(SequenceSet::from_numbers(&[]), None);
    }
}
