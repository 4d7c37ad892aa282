//! Enhanced mail system status codes (RFC 3463): `class.subject.detail`, such as `5.1.1`
//! (bad destination mailbox address). One type for both places they appear: after the
//! code of an SMTP reply (RFC 2034, where `smtp::EnhancedStatus` names it) and in the
//! `Status:` field of a delivery status notification (RFC 3464 2.3.4).

use std::fmt;
use std::str::FromStr;

/// RFC 3463 2: the class says whether the outcome is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// 2: success.
    Success,
    /// 4: persistent transient failure; retrying may help.
    TransientFailure,
    /// 5: permanent failure; retrying the same message will fail again.
    PermanentFailure,
}

impl StatusClass {
    /// 2, 4 or 5; `None` for any other digit (3 has no meaning in RFC 3463).
    pub const fn from_digit(digit: u8) -> Option<StatusClass> {
        match digit {
            2 => Some(StatusClass::Success),
            4 => Some(StatusClass::TransientFailure),
            5 => Some(StatusClass::PermanentFailure),
            _ => None,
        }
    }

    pub const fn digit(self) -> u8 {
        match self {
            StatusClass::Success => 2,
            StatusClass::TransientFailure => 4,
            StatusClass::PermanentFailure => 5,
        }
    }
}

/// An enhanced status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status {
    pub class: StatusClass,
    /// 0 to 999 (RFC 3463 2: one to three digits).
    pub subject: u16,
    /// 0 to 999.
    pub detail: u16,
}

impl Status {
    /// A code written in the source, `Status::new(5, 1, 1)`. Panics (at compile time in a
    /// `const`) unless the class is 2, 4 or 5 and subject and detail have at most three
    /// digits: text from the wire goes through [`Status::parse`] or [`str::parse`] instead.
    pub const fn new(class: u8, subject: u16, detail: u16) -> Status {
        let Some(class) = StatusClass::from_digit(class) else {
            panic!("an enhanced status class is 2, 4 or 5 (RFC 3463 2)");
        };
        assert!(
            subject <= 999 && detail <= 999,
            "subject and detail have one to three digits (RFC 3463 2)"
        );
        Status {
            class,
            subject,
            detail,
        }
    }

    /// `d.ddd.ddd`, or `None`: [`FromStr`] without the error's text, as a reply parser
    /// that treats anything else as ordinary text wants it (it asks of every reply line, so
    /// a refusal costs nothing).
    pub fn parse(s: &str) -> Option<Status> {
        let mut fields = s.split('.');
        let (Some(class), Some(subject), Some(detail), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        let class = match class.as_bytes() {
            [digit] => StatusClass::from_digit(digit.wrapping_sub(b'0'))?,
            _ => return None,
        };
        // RFC 3463 2: 1*3digit each, no sign, no spaces.
        let number = |t: &str| {
            if (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse::<u16>().ok()
            } else {
                None
            }
        };
        Some(Status {
            class,
            subject: number(subject)?,
            detail: number(detail)?,
        })
    }

    /// 5.1.1 Bad destination mailbox address (RFC 3463 3.2): the unknown user.
    pub const BAD_DESTINATION_MAILBOX: Status = Status::new(5, 1, 1);
    /// 4.4.1 No answer from host (RFC 3463 3.5): the MX is down, still retrying.
    pub const NO_ANSWER_FROM_HOST: Status = Status::new(4, 4, 1);
    /// 4.4.7 Delivery time expired (RFC 3463 3.5), as a delay warning says it.
    pub const DELIVERY_TIME_EXPIRED_TRANSIENT: Status = Status::new(4, 4, 7);
    /// 5.4.7 Delivery time expired: the queue lifetime is over, the message bounces.
    pub const DELIVERY_TIME_EXPIRED: Status = Status::new(5, 4, 7);
    /// 5.7.1 Delivery not authorized, message refused (RFC 3463 3.8): relay denied.
    pub const NOT_AUTHORIZED: Status = Status::new(5, 7, 1);
}

impl Status {
    /// Append `d.ddd.ddd` to `out`: what `Display` writes, without the formatting machinery
    /// (a server writes one into nearly every reply).
    pub fn push_to(&self, out: &mut String) {
        out.push(char::from(b'0' + self.class.digit()));
        out.push('.');
        push_number(out, self.subject);
        out.push('.');
        push_number(out, self.detail);
    }
}

/// Append a number of at most five digits in decimal.
pub(crate) fn push_number(out: &mut String, n: u16) {
    let mut digits = [0u8; 5];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[at..].iter().for_each(|&d| out.push(char::from(d)));
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(9);
        self.push_to(&mut out);
        f.write_str(&out)
    }
}

/// Text that is not `class.subject.detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusParseError(pub String);

impl fmt::Display for StatusParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an enhanced status code (like 5.1.1): {:?}", self.0)
    }
}

impl std::error::Error for StatusParseError {}

impl FromStr for Status {
    type Err = StatusParseError;

    fn from_str(s: &str) -> Result<Status, StatusParseError> {
        Status::parse(s).ok_or_else(|| StatusParseError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_codes_are_written_in_plain_decimal() {
        for n in [0u16, 7, 10, 999, 65_535] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
        assert_eq!(Status::new(5, 1, 10).to_string(), "5.1.10");
        assert_eq!(Status::new(2, 0, 0).to_string(), "2.0.0");
    }

    #[test]
    fn parses_and_prints() {
        let s: Status = "5.1.1".parse().unwrap();
        assert_eq!(s, Status::BAD_DESTINATION_MAILBOX);
        assert_eq!(s.to_string(), "5.1.1");
        assert_eq!(
            "4.4.7".parse::<Status>().unwrap(),
            Status::DELIVERY_TIME_EXPIRED_TRANSIENT
        );
        assert_eq!(
            "2.0.0".parse::<Status>().unwrap().class,
            StatusClass::Success
        );
        assert_eq!(
            "5.999.999".parse::<Status>().unwrap().to_string(),
            "5.999.999"
        );
    }

    #[test]
    fn refuses_malformed_codes() {
        for bad in [
            "", "5", "5.1", "5.1.1.1", "3.1.1", "5.1000.1", "5.+1.1", "5. 1.1", "5.1.", "550",
        ] {
            assert!(bad.parse::<Status>().is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Status::parse("5.1000.1"), None);
    }

    #[test]
    fn literal_codes() {
        assert_eq!(Status::new(5, 1, 1), Status::BAD_DESTINATION_MAILBOX);
        assert_eq!(Status::new(2, 0, 0).class, StatusClass::Success);
        assert_eq!(Status::parse("4.4.1"), Some(Status::NO_ANSWER_FROM_HOST));
        // One type under both names: a reply's code goes into a DSN as it is.
        let from_reply: super::Status = Status::new(4, 2, 2);
        assert_eq!(from_reply.to_string(), "4.2.2");
    }
}
