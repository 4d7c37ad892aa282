//! Enhanced mail system status codes (RFC 3463): `class.subject.detail`, such as `5.1.1`
//! (bad destination mailbox address).

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
    pub fn digit(self) -> u8 {
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
    /// `None` when subject or detail has more than three digits.
    pub fn new(class: StatusClass, subject: u16, detail: u16) -> Option<Status> {
        (subject <= 999 && detail <= 999).then_some(Status {
            class,
            subject,
            detail,
        })
    }

    /// 5.1.1 Bad destination mailbox address (RFC 3463 3.2): the unknown user.
    pub const BAD_DESTINATION_MAILBOX: Status = Status {
        class: StatusClass::PermanentFailure,
        subject: 1,
        detail: 1,
    };
    /// 4.4.1 No answer from host (RFC 3463 3.5): the MX is down, still retrying.
    pub const NO_ANSWER_FROM_HOST: Status = Status {
        class: StatusClass::TransientFailure,
        subject: 4,
        detail: 1,
    };
    /// 4.4.7 Delivery time expired (RFC 3463 3.5), as a delay warning says it.
    pub const DELIVERY_TIME_EXPIRED_TRANSIENT: Status = Status {
        class: StatusClass::TransientFailure,
        subject: 4,
        detail: 7,
    };
    /// 5.4.7 Delivery time expired: the queue lifetime is over, the message bounces.
    pub const DELIVERY_TIME_EXPIRED: Status = Status {
        class: StatusClass::PermanentFailure,
        subject: 4,
        detail: 7,
    };
    /// 5.7.1 Delivery not authorized, message refused (RFC 3463 3.8): relay denied.
    pub const NOT_AUTHORIZED: Status = Status {
        class: StatusClass::PermanentFailure,
        subject: 7,
        detail: 1,
    };
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class.digit(), self.subject, self.detail)
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
        let err = || StatusParseError(s.to_string());
        let mut fields = s.split('.');
        let (Some(class), Some(subject), Some(detail), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(err());
        };
        let class = match class {
            "2" => StatusClass::Success,
            "4" => StatusClass::TransientFailure,
            "5" => StatusClass::PermanentFailure,
            _ => return Err(err()),
        };
        // RFC 3463 2: 1*3digit each, no sign, no spaces.
        let number = |t: &str| {
            if (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse::<u16>().ok()
            } else {
                None
            }
        };
        let subject = number(subject).ok_or_else(err)?;
        let detail = number(detail).ok_or_else(err)?;
        Ok(Status {
            class,
            subject,
            detail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(Status::new(StatusClass::Success, 1000, 0), None);
    }
}
