//! Envelope addresses: a mailbox `local@domain` (RFC 5321 4.1.2) and the reverse path, which
//! may be the null path `<>` that bounces are sent from (RFC 5321 4.5.5).

use std::fmt;

/// A mailbox as it travels in the envelope: `Local-part "@" ( Domain / address-literal )`.
///
/// The local part is kept exactly as the client wrote it (a quoted string keeps its quotes):
/// RFC 5321 2.4 says only the destination host may interpret it. The domain compares
/// case-insensitively ([`Mailbox::domain_is`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    pub local: String,
    pub domain: String,
}

/// What was wrong with an address; the server turns it into `501 5.1.7` / `501 5.1.3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// No angle brackets around the path (RFC 5321 4.1.2 `Path = "<" ... ">"`).
    MissingBrackets,
    /// No `@`, or nothing on one side of it.
    MissingDomain,
    BadLocalPart,
    BadDomain,
    /// RFC 5321 4.5.3.1.1 / 4.5.3.1.2: 64 octets of local part, 255 of domain.
    TooLong,
    /// Without SMTPUTF8 (RFC 6531, not offered here) addresses are ASCII.
    NonAscii,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressError::MissingBrackets => "the address must be written in angle brackets",
            AddressError::MissingDomain => "the address has no @domain part",
            AddressError::BadLocalPart => "the part before @ is not a valid local part",
            AddressError::BadDomain => "the part after @ is not a valid domain",
            AddressError::TooLong => "the address is longer than RFC 5321 allows",
            AddressError::NonAscii => "the address is not ASCII and SMTPUTF8 was not used",
        })
    }
}

impl std::error::Error for AddressError {}

/// RFC 5322 3.2.3 atext, which RFC 5321 4.1.2 uses for Atom (and a header's display name
/// for the words it may show unquoted).
pub(crate) fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

fn valid_dot_string(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
}

fn valid_quoted_string(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b'"' || b[b.len() - 1] != b'"' {
        return false;
    }
    let inner = &b[1..b.len() - 1];
    let mut i = 0;
    while i < inner.len() {
        match inner[i] {
            // quoted-pairSMTP = %d92 %d32-126
            b'\\' => {
                if i + 1 >= inner.len() || !(32..=126).contains(&inner[i + 1]) {
                    return false;
                }
                i += 2;
            }
            // qtextSMTP = %d32-33 / %d35-91 / %d93-126
            b'"' => return false,
            c if (32..=126).contains(&c) => i += 1,
            _ => return false,
        }
    }
    true
}

fn valid_domain(s: &str) -> bool {
    if s.starts_with('[') {
        // address-literal (RFC 5321 4.1.3); the inside is checked loosely: dcontent.
        return s.len() > 2
            && s.ends_with(']')
            && s[1..s.len() - 1]
                .bytes()
                .all(|c| (33..=126).contains(&c) && c != b'[' && c != b']' && c != b'\\');
    }
    !s.is_empty()
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

impl Mailbox {
    /// Parse `local@domain` (no angle brackets).
    pub fn parse(s: &str) -> Result<Mailbox, AddressError> {
        if !s.is_ascii() {
            return Err(AddressError::NonAscii);
        }
        // The last @ separates: a quoted local part may itself contain @.
        let at = s.rfind('@').ok_or(AddressError::MissingDomain)?;
        let (local, domain) = (&s[..at], &s[at + 1..]);
        if local.is_empty() || domain.is_empty() {
            return Err(AddressError::MissingDomain);
        }
        if local.len() > 64 || domain.len() > 255 {
            return Err(AddressError::TooLong);
        }
        if !(valid_dot_string(local) || valid_quoted_string(local)) {
            return Err(AddressError::BadLocalPart);
        }
        if !valid_domain(domain) {
            return Err(AddressError::BadDomain);
        }
        Ok(Mailbox {
            local: local.to_string(),
            domain: domain.to_string(),
        })
    }

    /// Parse a path in angle brackets, `<local@domain>`. A source route (`<@a,@b:user@c>`) is
    /// accepted and dropped, as RFC 5321 4.1.2 and Appendix C require of servers.
    pub fn parse_path(s: &str) -> Result<Mailbox, AddressError> {
        let inner = strip_brackets(s)?;
        Mailbox::parse(strip_source_route(inner))
    }

    pub fn domain_is(&self, domain: &str) -> bool {
        self.domain.eq_ignore_ascii_case(domain)
    }

    /// `<local@domain>`, as written in MAIL FROM / RCPT TO.
    pub fn to_path(&self) -> String {
        format!("<{self}>")
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.local)?;
        f.write_str("@")?;
        f.write_str(&self.domain)
    }
}

fn strip_brackets(s: &str) -> Result<&str, AddressError> {
    s.strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .ok_or(AddressError::MissingBrackets)
}

fn strip_source_route(s: &str) -> &str {
    if s.starts_with('@') {
        if let Some(colon) = s.find(':') {
            return &s[colon + 1..];
        }
    }
    s
}

/// The recipient in `RCPT TO` (RFC 5321 4.1.1.3): a mailbox, or `<Postmaster>` without a
/// domain, which every server must accept (RFC 5321 4.5.1) so that a broken setup can always
/// be reported to a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForwardPath {
    /// `<postmaster>` in any case: the postmaster of whichever server reads it.
    Postmaster,
    Mailbox(Mailbox),
}

impl ForwardPath {
    /// Parse `<Postmaster>` (case-insensitive) or `<local@domain>`.
    pub fn parse_path(s: &str) -> Result<ForwardPath, AddressError> {
        let inner = strip_brackets(s)?;
        if inner.eq_ignore_ascii_case("postmaster") {
            return Ok(ForwardPath::Postmaster);
        }
        Mailbox::parse(strip_source_route(inner)).map(ForwardPath::Mailbox)
    }

    /// The mailbox this path names at the server called `hostname`. The bare postmaster is
    /// qualified as Postfix qualifies a bare address, with `$myorigin`, here set to
    /// `$mydomain` as Postfix's documentation advises for a site's mail servers: the host name
    /// without its first label, so `mx.southbay.test` takes it as `postmaster@southbay.test`,
    /// an ordinary mailbox of a domain it serves, and accepts it as RFC 5321 4.5.1 requires.
    pub fn resolve(self, hostname: &str) -> Mailbox {
        match self {
            ForwardPath::Postmaster => Mailbox {
                local: "postmaster".to_string(),
                domain: hostname.split_once('.').map_or(hostname, |(_, rest)| rest).to_string(),
            },
            ForwardPath::Mailbox(m) => m,
        }
    }

    /// `<Postmaster>` or `<local@domain>`.
    pub fn to_path(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ForwardPath {
    /// The path with its brackets, like [`ReversePath`]'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardPath::Postmaster => f.write_str("<Postmaster>"),
            ForwardPath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

impl From<Mailbox> for ForwardPath {
    fn from(m: Mailbox) -> Self {
        ForwardPath::Mailbox(m)
    }
}

/// The sender in `MAIL FROM`: a mailbox, or the null path `<>` that delivery status
/// notifications use so that a bounce can never bounce again (RFC 5321 4.5.5, 6.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReversePath {
    Null,
    Mailbox(Mailbox),
}

impl ReversePath {
    /// Parse `<>` or `<local@domain>`.
    pub fn parse_path(s: &str) -> Result<ReversePath, AddressError> {
        let inner = strip_brackets(s)?;
        if inner.is_empty() {
            return Ok(ReversePath::Null);
        }
        Mailbox::parse(strip_source_route(inner)).map(ReversePath::Mailbox)
    }

    pub fn mailbox(&self) -> Option<&Mailbox> {
        match self {
            ReversePath::Null => None,
            ReversePath::Mailbox(m) => Some(m),
        }
    }

    /// `<>` or `<local@domain>`.
    pub fn to_path(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ReversePath {
    /// The path with its brackets: the null path has no other spelling.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePath::Null => f.write_str("<>"),
            ReversePath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

impl From<Mailbox> for ReversePath {
    fn from(m: Mailbox) -> Self {
        ReversePath::Mailbox(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_mailbox() {
        let m = Mailbox::parse_path("<alice@northwind.test>").expect("valid");
        assert_eq!(m.local, "alice");
        assert_eq!(m.domain, "northwind.test");
        assert_eq!(m.to_string(), "alice@northwind.test");
        assert!(m.domain_is("NorthWind.TEST"));
    }

    #[test]
    fn null_reverse_path() {
        assert_eq!(ReversePath::parse_path("<>"), Ok(ReversePath::Null));
        assert_eq!(ReversePath::Null.to_string(), "<>");
        // The null path is not a valid forward path.
        assert_eq!(Mailbox::parse_path("<>"), Err(AddressError::MissingDomain));
    }

    #[test]
    fn bare_postmaster_is_a_forward_path() {
        // RFC 5321 4.1.1.3: `<Postmaster>` needs no domain, in any case.
        for path in ["<postmaster>", "<Postmaster>", "<POSTMASTER>"] {
            assert_eq!(ForwardPath::parse_path(path), Ok(ForwardPath::Postmaster));
        }
        assert_eq!(
            ForwardPath::Postmaster
                .resolve("mx.southbay.test")
                .to_string(),
            "postmaster@southbay.test"
        );
        assert_eq!(ForwardPath::Postmaster.resolve("localhost").to_string(), "postmaster@localhost");
        let qualified = ForwardPath::parse_path("<postmaster@southbay.test>").expect("valid");
        assert_eq!(
            qualified.resolve("mx.southbay.test").to_string(),
            "postmaster@southbay.test"
        );
        // Only the forward path has this form: a sender or any other bare name needs a domain.
        assert_eq!(
            ReversePath::parse_path("<postmaster>"),
            Err(AddressError::MissingDomain)
        );
        assert_eq!(
            ForwardPath::parse_path("<postmasters>"),
            Err(AddressError::MissingDomain)
        );
    }

    #[test]
    fn quoted_local_part_and_literal() {
        let m = Mailbox::parse_path("<\"john doe\"@[192.0.2.1]>").expect("valid");
        assert_eq!(m.local, "\"john doe\"");
        assert_eq!(m.domain, "[192.0.2.1]");
    }

    #[test]
    fn source_route_is_dropped() {
        let m = Mailbox::parse_path("<@relay.test,@other.test:bob@southbay.test>").expect("valid");
        assert_eq!(m.to_string(), "bob@southbay.test");
    }

    #[test]
    fn rejects_bad_addresses() {
        assert_eq!(
            Mailbox::parse_path("bob@southbay.test"),
            Err(AddressError::MissingBrackets)
        );
        assert_eq!(
            Mailbox::parse_path("<bob>"),
            Err(AddressError::MissingDomain)
        );
        assert_eq!(
            Mailbox::parse_path("<bo..b@x.test>"),
            Err(AddressError::BadLocalPart)
        );
        assert_eq!(
            Mailbox::parse_path("<bob@-x.test>"),
            Err(AddressError::BadDomain)
        );
        assert_eq!(
            Mailbox::parse_path("<bob@x..test>"),
            Err(AddressError::BadDomain)
        );
        assert_eq!(
            Mailbox::parse_path("<bøb@x.test>"),
            Err(AddressError::NonAscii)
        );
        let long = format!("<{}@x.test>", "a".repeat(65));
        assert_eq!(Mailbox::parse_path(&long), Err(AddressError::TooLong));
    }
}
