//! Trace fields (RFC 5321 4.4): the `Received:` field each hop puts on top of the message,
//! and the `Return-Path:` that final delivery adds. Read from the bottom up, they are the
//! letter's journey, which is exactly what a student should find in the inspector.

use std::fmt::{self, Write as _};
use std::net::IpAddr;

use super::address::check_address;
use super::date::DateTime;
use crate::engine::smtp::status::push_number;
use crate::engine::smtp::Protocol;
use crate::engine::time::VirtualTime;

/// A part of a trace field that would break its syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceError {
    /// White space, a control character or a parenthesis in a name, id or address that is
    /// written as one token (it would end the token or open a comment, RFC 5322 3.2.2).
    InvalidToken { part: &'static str, value: String },
    /// Not a mailbox address (for `for <...>` or Return-Path).
    InvalidAddress(String),
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceError::InvalidToken { part, value } => {
                write!(f, "the {part} of a Received field cannot be {value:?}")
            }
            TraceError::InvalidAddress(a) => write!(f, "not a mailbox address: {a:?}"),
        }
    }
}

impl std::error::Error for TraceError {}

/// What the receiving server knows when it accepts a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The name the client gave in EHLO, HELO or LHLO.
    pub helo: String,
    /// The client's name by reverse DNS; `None` is written `unknown`, as Postfix does.
    pub client_name: Option<String>,
    pub client_ip: IpAddr,
    /// The receiving host.
    pub by: String,
    pub with: Protocol,
    /// The receiving host's queue id, the thread that ties this field to its logs.
    pub id: String,
    /// A TLS summary such as `TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)`,
    /// written as Postfix does, in a `(using ...)` comment line.
    pub tls: Option<String>,
    /// The recipient, given only when the transaction had exactly one: with several, one
    /// copy would show every name, Bcc recipients included (RFC 5321 7.6).
    pub for_recipient: Option<String>,
    pub time: VirtualTime,
}

/// The product comment after the `by` host (RFC 5321 4.4 allows a comment there; Postfix
/// writes `(Postfix)`).
pub const SOFTWARE: &str = "Mailflow";

fn token<'a>(part: &'static str, value: &'a str) -> Result<&'a str, TraceError> {
    let bad = value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '(' || c == ')' || c == ';');
    if bad {
        Err(TraceError::InvalidToken {
            part,
            value: value.to_string(),
        })
    } else {
        Ok(value)
    }
}

impl Received {
    /// The complete field, folded with tabs where Postfix folds it, ending in CRLF:
    ///
    /// ```text
    /// Received: from alice-laptop.northwind.test (alice-laptop.northwind.test [192.0.2.10])
    ///     by smtp.northwind.test (Mailflow) with ESMTPSA id 7F3A21
    ///     for <bob@southbay.test>; Mon, 02 Mar 2026 09:00:01 +0000
    /// ```
    pub fn field(&self) -> Result<String, TraceError> {
        let helo = token("EHLO name", &self.helo)?;
        let client_name = match &self.client_name {
            Some(name) => token("client name", name)?,
            None => "unknown",
        };
        let by = token("by host", &self.by)?;
        let id = token("id", &self.id)?;
        // Written piece by piece into one buffer, without the formatting machinery: every hop
        // adds one of these. Writing to a String cannot fail.
        let mut out = String::with_capacity(256);
        out.extend(["Received: from ", helo, " (", client_name, " ["]);
        // RFC 5321 4.1.3: an IPv6 address literal carries the "IPv6:" tag.
        match self.client_ip {
            IpAddr::V4(v4) => {
                for (i, octet) in v4.octets().into_iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    push_number(&mut out, u16::from(octet));
                }
            }
            IpAddr::V6(v6) => {
                let _ = write!(out, "IPv6:{v6}");
            }
        }
        out.push_str("])\r\n");
        if let Some(tls) = &self.tls {
            if tls.chars().any(|c| c.is_control()) || tls.len() > 900 {
                return Err(TraceError::InvalidToken {
                    part: "TLS summary",
                    value: tls.clone(),
                });
            }
            out.extend(["\t(using ", tls, ")\r\n"]);
        }
        out.extend(["\tby ", by, " (", SOFTWARE, ") with ", self.with.as_str(), " id ", id]);
        let date = DateTime::from_virtual_time(self.time);
        match &self.for_recipient {
            Some(recipient) => {
                check_address(recipient)
                    .map_err(|_| TraceError::InvalidAddress(recipient.clone()))?;
                out.extend(["\r\n\tfor <", recipient, ">; "]);
            }
            None => out.push_str(";\r\n\t"),
        }
        let _ = write!(out, "{date}");
        out.push_str("\r\n");
        Ok(out)
    }
}

/// `Return-Path: <reverse-path>` as final delivery writes it (RFC 5321 4.4: the MAIL FROM
/// address, `<>` for a bounce, RFC 5321 4.5.5). `None` is the null reverse path.
pub fn return_path_field(reverse_path: Option<&str>) -> Result<String, TraceError> {
    match reverse_path {
        None => Ok("Return-Path: <>\r\n".to_string()),
        Some(address) => {
            check_address(address).map_err(|_| TraceError::InvalidAddress(address.to_string()))?;
            Ok(format!("Return-Path: <{address}>\r\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::message::Message;
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn submission() -> Received {
        Received {
            helo: "alice-laptop.northwind.test".into(),
            client_name: Some("alice-laptop.northwind.test".into()),
            client_ip: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)),
            by: "smtp.northwind.test".into(),
            with: Protocol::for_session(false, true, true, true),
            id: "7F3A21".into(),
            tls: None,
            for_recipient: Some("bob@southbay.test".into()),
            time: VirtualTime::from_secs(1),
        }
    }

    #[test]
    fn submission_hop_in_the_postfix_shape() {
        assert_eq!(
            submission().field().unwrap(),
            "Received: from alice-laptop.northwind.test (alice-laptop.northwind.test [192.0.2.10])\r\n\
             \tby smtp.northwind.test (Mailflow) with ESMTPSA id 7F3A21\r\n\
             \tfor <bob@southbay.test>; Mon, 02 Mar 2026 09:00:01 +0000\r\n"
        );
    }

    #[test]
    fn several_recipients_unknown_name_ipv6_and_tls() {
        let mut hop = submission();
        hop.for_recipient = None;
        hop.client_name = None;
        hop.client_ip = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x25));
        hop.tls = Some("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)".into());
        hop.with = Protocol::for_session(false, true, true, false);
        assert_eq!(
            hop.field().unwrap(),
            "Received: from alice-laptop.northwind.test (unknown [IPv6:2001:db8::25])\r\n\
             \t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits))\r\n\
             \tby smtp.northwind.test (Mailflow) with ESMTPS id 7F3A21;\r\n\
             \tMon, 02 Mar 2026 09:00:01 +0000\r\n"
        );
    }

    #[test]
    fn protocol_names_follow_rfc_3848() {
        assert_eq!(
            Protocol::for_session(false, false, true, true),
            Protocol::Smtp
        );
        assert_eq!(
            Protocol::for_session(false, true, false, false).as_str(),
            "ESMTP"
        );
        assert_eq!(
            Protocol::for_session(false, true, false, true).as_str(),
            "ESMTPA"
        );
        assert_eq!(
            Protocol::for_session(true, true, false, false).as_str(),
            "LMTP"
        );
        assert_eq!(
            Protocol::for_session(true, true, true, true).as_str(),
            "LMTPSA"
        );
    }

    #[test]
    fn refuses_what_would_break_the_field() {
        let mut hop = submission();
        hop.helo = "evil\r\nX-Injected: yes".into();
        assert!(matches!(
            hop.field(),
            Err(TraceError::InvalidToken {
                part: "EHLO name",
                ..
            })
        ));
        let mut hop = submission();
        hop.for_recipient = Some("bob@southbay.test> x".into());
        assert!(matches!(hop.field(), Err(TraceError::InvalidAddress(_))));
    }

    #[test]
    fn final_delivery_stacks_return_path_over_the_hops() {
        let original = Message::from_bytes(b"Subject: hi\r\n\r\nbody\r\n".to_vec());
        let relayed = original.with_prepended(&submission().field().unwrap());
        let mut lmtp = submission();
        lmtp.helo = "mx.southbay.test".into();
        lmtp.client_name = Some("mx.southbay.test".into());
        lmtp.by = "mail.southbay.test".into();
        lmtp.with = Protocol::Lmtp;
        lmtp.id = "B9C4".into();
        lmtp.time = VirtualTime::from_secs(3);
        let delivered = relayed
            .with_prepended(&lmtp.field().unwrap())
            .with_prepended(&return_path_field(Some("alice@northwind.test")).unwrap());
        let names: Vec<String> = delivered.headers().into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["Return-Path", "Received", "Received", "Subject"]);
        assert_eq!(
            delivered.header("Return-Path").as_deref(),
            Some("<alice@northwind.test>")
        );
        assert!(delivered.headers()[1].value.contains("with LMTP id B9C4"));
        assert_eq!(delivered.check_lines(), Ok(()));
        assert_eq!(return_path_field(None).unwrap(), "Return-Path: <>\r\n");
    }
}
