//! ESMTP parameters of MAIL FROM and RCPT TO: SIZE (RFC 1870), BODY (RFC 6152), AUTH
//! (RFC 4954 5), and the DSN requests RET, ENVID, NOTIFY, ORCPT (RFC 3461), with xtext.

use super::CommandError;
use crate::engine::smtp::envelope::{Notify, Ret};

/// RFC 6152 / RFC 1652 `BODY=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    SevenBit,
    EightBitMime,
}

/// ESMTP parameters of MAIL FROM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailParameters {
    /// RFC 1870 `SIZE=`.
    pub size: Option<u64>,
    pub body: Option<Body>,
    /// RFC 4954 5 `AUTH=`, xtext-decoded (`<>` when the submitter is unknown).
    pub auth: Option<String>,
    /// RFC 3461 4.3.
    pub ret: Option<Ret>,
    /// RFC 3461 4.4, xtext-decoded.
    pub envid: Option<String>,
}

/// ESMTP parameters of RCPT TO (RFC 3461 4.1, 4.2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RcptParameters {
    pub notify: Option<Notify>,
    /// `addr-type;address`, xtext-decoded.
    pub orcpt: Option<String>,
}

fn parameters(text: &str) -> impl Iterator<Item = (String, Option<&str>)> {
    text.split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_ascii_uppercase(), Some(v)),
            None => (w.to_ascii_uppercase(), None),
        })
}

fn bad(keyword: &str) -> CommandError {
    CommandError::BadParameter {
        keyword: keyword.to_string(),
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, keyword: &str) -> Result<(), CommandError> {
    if slot.is_some() {
        return Err(bad(keyword));
    }
    *slot = Some(value);
    Ok(())
}

pub(super) fn parse_mail_parameters(text: &str) -> Result<MailParameters, CommandError> {
    let mut p = MailParameters::default();
    for (key, value) in parameters(text) {
        if !["SIZE", "BODY", "RET", "ENVID", "AUTH"].contains(&key.as_str()) {
            return Err(CommandError::UnsupportedParameter { keyword: key });
        }
        let v = value.filter(|v| !v.is_empty()).ok_or_else(|| bad(&key))?;
        match key.as_str() {
            "SIZE" => {
                // RFC 1870 6: size-value ::= 1*20DIGIT
                let n = (v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| v.parse::<u64>().ok())
                    .flatten()
                    .ok_or_else(|| bad("SIZE"))?;
                set_once(&mut p.size, n, "SIZE")?;
            }
            "BODY" => {
                let body = match v.to_ascii_uppercase().as_str() {
                    "7BIT" => Body::SevenBit,
                    "8BITMIME" => Body::EightBitMime,
                    _ => return Err(bad("BODY")),
                };
                set_once(&mut p.body, body, "BODY")?;
            }
            "RET" => {
                let ret = match v.to_ascii_uppercase().as_str() {
                    "FULL" => Ret::Full,
                    "HDRS" => Ret::Hdrs,
                    _ => return Err(bad("RET")),
                };
                set_once(&mut p.ret, ret, "RET")?;
            }
            "ENVID" => {
                // RFC 3461 4.4: at most 100 characters.
                let id = xtext_decode(v)
                    .filter(|s| s.len() <= 100)
                    .ok_or_else(|| bad("ENVID"))?;
                set_once(&mut p.envid, id, "ENVID")?;
            }
            "AUTH" => {
                let who = xtext_decode(v).ok_or_else(|| bad("AUTH"))?;
                set_once(&mut p.auth, who, "AUTH")?;
            }
            _ => return Err(CommandError::UnsupportedParameter { keyword: key }),
        }
    }
    Ok(p)
}

pub(super) fn parse_rcpt_parameters(text: &str) -> Result<RcptParameters, CommandError> {
    let mut p = RcptParameters::default();
    for (key, value) in parameters(text) {
        if !["NOTIFY", "ORCPT"].contains(&key.as_str()) {
            return Err(CommandError::UnsupportedParameter { keyword: key });
        }
        let v = value.filter(|v| !v.is_empty()).ok_or_else(|| bad(&key))?;
        match key.as_str() {
            "NOTIFY" => {
                let notify = parse_notify(v).ok_or_else(|| bad("NOTIFY"))?;
                set_once(&mut p.notify, notify, "NOTIFY")?;
            }
            "ORCPT" => {
                // RFC 3461 4.2: addr-type ";" xtext
                let (kind, addr) = v.split_once(';').ok_or_else(|| bad("ORCPT"))?;
                let addr = xtext_decode(addr)
                    .filter(|_| !kind.is_empty())
                    .ok_or_else(|| bad("ORCPT"))?;
                set_once(&mut p.orcpt, format!("{kind};{addr}"), "ORCPT")?;
            }
            _ => return Err(CommandError::UnsupportedParameter { keyword: key }),
        }
    }
    Ok(p)
}

/// RFC 3461 4.1: `NEVER`, or a comma list of SUCCESS, FAILURE, DELAY.
fn parse_notify(v: &str) -> Option<Notify> {
    if v.eq_ignore_ascii_case("NEVER") {
        return Some(Notify::Never);
    }
    let (mut success, mut failure, mut delay) = (false, false, false);
    for word in v.split(',') {
        let slot = match word.to_ascii_uppercase().as_str() {
            "SUCCESS" => &mut success,
            "FAILURE" => &mut failure,
            "DELAY" => &mut delay,
            _ => return None,
        };
        if *slot {
            return None;
        }
        *slot = true;
    }
    Some(Notify::On {
        success,
        failure,
        delay,
    })
}

/// RFC 3461 4: xtext. Octets outside `!`..`~`, and `+` and `=`, are written `+HH`.
pub fn xtext_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if (b'!'..=b'~').contains(&b) && b != b'+' && b != b'=' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

/// The inverse of [`xtext_encode`]; `None` when a `+` is not followed by two upper-case hex
/// digits or the result is not UTF-8.
pub fn xtext_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'+' {
            let hex = s.get(i + 1..i + 3)?;
            if !hex
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c))
            {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else if (b'!'..=b'~').contains(&b[i]) && b[i] != b'=' {
            out.push(b[i]);
            i += 1;
        } else {
            return None;
        }
    }
    String::from_utf8(out).ok()
}
