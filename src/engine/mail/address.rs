//! Mailboxes as header fields show them (RFC 5322 3.4): `Alice Liddell <alice@northwind.test>`.

use std::fmt;

use super::encoded_word;
use super::header::has_control;

/// A mailbox: an address with an optional display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub display_name: Option<String>,
    /// `local-part@domain`, ASCII (SMTPUTF8 addresses are out of scope).
    pub address: String,
}

/// Why an address or display name cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// Not `local-part@domain` with a dot-atom local part and a domain name or literal.
    InvalidAddress(String),
    /// RFC 5321 4.5.3.1.1 / 4.5.3.1.2: local part over 64 octets or domain over 255.
    TooLong(String),
    /// A control character (CR, LF...) in a display name could forge header fields.
    ControlInDisplayName(String),
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressError::InvalidAddress(a) => write!(f, "not a valid mail address: {a:?}"),
            AddressError::TooLong(a) => write!(f, "address too long for SMTP: {a:?}"),
            AddressError::ControlInDisplayName(n) => {
                write!(f, "display name holds a control character: {n:?}")
            }
        }
    }
}

impl std::error::Error for AddressError {}

/// RFC 5322 3.2.3 `atext`: what an atom may hold without quoting.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// Checks `local-part@domain` (RFC 5321 4.1.2 Mailbox, without quoted local parts, which
/// no preset needs and which are a classic source of confusion).
pub fn check_address(address: &str) -> Result<(), AddressError> {
    let invalid = || AddressError::InvalidAddress(address.to_string());
    let (local, domain) = address.rsplit_once('@').ok_or_else(invalid)?;
    let dot_atom = |s: &str| {
        !s.is_empty()
            && s.split('.')
                .all(|a| !a.is_empty() && a.chars().all(is_atext))
    };
    let domain_ok =
        if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            // RFC 5321 4.1.3 address literal: IPv4 dotted quad or a tagged form; kept simple.
            !literal.is_empty()
                && literal
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".:".contains(c))
        } else {
            !domain.is_empty()
                && domain.split('.').all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        };
    if !dot_atom(local) || !domain_ok {
        return Err(invalid());
    }
    if local.len() > 64 || domain.len() > 255 {
        return Err(AddressError::TooLong(address.to_string()));
    }
    Ok(())
}

impl Mailbox {
    pub fn new(address: impl Into<String>) -> Mailbox {
        Mailbox {
            display_name: None,
            address: address.into(),
        }
    }

    pub fn with_name(display_name: impl Into<String>, address: impl Into<String>) -> Mailbox {
        Mailbox {
            display_name: Some(display_name.into()),
            address: address.into(),
        }
    }

    /// The mailbox as a header shows it (RFC 5322 3.4 `name-addr` / `addr-spec`). A display
    /// name is written as atoms when it can be, as a quoted-string when it holds specials,
    /// and as RFC 2047 encoded-words when it is not ASCII.
    pub fn to_header_text(&self) -> Result<String, AddressError> {
        check_address(&self.address)?;
        let name = match self.display_name.as_deref().map(str::trim) {
            None | Some("") => return Ok(self.address.clone()),
            Some(name) => name,
        };
        if has_control(name) {
            return Err(AddressError::ControlInDisplayName(name.to_string()));
        }
        let phrase = if encoded_word::needs_encoding(name) {
            encoded_word::encode(name)
        } else if name
            .split(' ')
            .all(|w| !w.is_empty() && w.chars().all(is_atext))
        {
            name.to_string()
        } else {
            // RFC 5322 3.2.4: inside a quoted-string only `"` and `\` need a backslash.
            let escaped: String = name
                .chars()
                .flat_map(|c| match c {
                    '"' | '\\' => vec!['\\', c],
                    _ => vec![c],
                })
                .collect();
            format!("\"{escaped}\"")
        };
        Ok(format!("{phrase} <{}>", self.address))
    }
}

/// A comma-separated address list (RFC 5322 3.4 `mailbox-list`).
pub fn mailbox_list(mailboxes: &[Mailbox]) -> Result<String, AddressError> {
    let parts: Result<Vec<String>, AddressError> =
        mailboxes.iter().map(Mailbox::to_header_text).collect();
    Ok(parts?.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_quoted_and_encoded_display_names() {
        assert_eq!(
            Mailbox::new("bob@southbay.test").to_header_text().unwrap(),
            "bob@southbay.test"
        );
        assert_eq!(
            Mailbox::with_name("Alice Liddell", "alice@northwind.test")
                .to_header_text()
                .unwrap(),
            "Alice Liddell <alice@northwind.test>"
        );
        assert_eq!(
            Mailbox::with_name("Liddell, Alice \"Al\"", "alice@northwind.test")
                .to_header_text()
                .unwrap(),
            "\"Liddell, Alice \\\"Al\\\"\" <alice@northwind.test>"
        );
        assert_eq!(
            Mailbox::with_name("Zoë", "zoe@northwind.test")
                .to_header_text()
                .unwrap(),
            "=?UTF-8?Q?Zo=C3=AB?= <zoe@northwind.test>"
        );
    }

    #[test]
    fn rejects_bad_addresses_and_injection() {
        for bad in [
            "bob",
            "@southbay.test",
            "bob@",
            "bo b@southbay.test",
            "bob@south bay",
            "a..b@x.test",
            "bob@x..test",
            "<bob@x.test>",
        ] {
            assert!(check_address(bad).is_err(), "{bad} should be refused");
        }
        assert!(check_address("bob@[192.0.2.20]").is_ok());
        let long = format!("{}@x.test", "a".repeat(65));
        assert_eq!(
            check_address(&long),
            Err(AddressError::TooLong(long.clone()))
        );
        let forged = Mailbox::with_name("Eve\r\nBcc: victim@x.test", "eve@x.test");
        assert!(matches!(
            forged.to_header_text(),
            Err(AddressError::ControlInDisplayName(_))
        ));
    }

    #[test]
    fn list_joins_with_commas() {
        let list = mailbox_list(&[
            Mailbox::new("a@x.test"),
            Mailbox::with_name("B", "b@x.test"),
        ])
        .unwrap();
        assert_eq!(list, "a@x.test, B <b@x.test>");
    }
}
