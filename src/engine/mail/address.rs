//! Mailboxes as header fields show them (RFC 5322 3.4): `Alice Liddell <alice@northwind.test>`.

use std::fmt;

use super::encoded_word;
use super::header::has_control;
use crate::engine::smtp;
use crate::engine::smtp::address::is_atext;

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

/// Checks `local-part@domain` by the envelope's rules (RFC 5321 4.1.2, [`smtp::Mailbox`]),
/// so that an address a header shows can also travel in MAIL FROM and RCPT TO. Quoted local
/// parts are refused here: no preset needs them, and they are a classic source of confusion.
pub fn check_address(address: &str) -> Result<(), AddressError> {
    match smtp::Mailbox::parse(address) {
        Ok(m) if !m.local.starts_with('"') => Ok(()),
        Err(smtp::AddressError::TooLong) => Err(AddressError::TooLong(address.to_string())),
        _ => Err(AddressError::InvalidAddress(address.to_string())),
    }
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
            .all(|w| !w.is_empty() && w.bytes().all(is_atext))
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
        assert!(check_address("\"john doe\"@x.test").is_err());
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
