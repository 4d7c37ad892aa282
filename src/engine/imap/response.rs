//! Writing responses (RFC 9051 7): status lines with response codes, and the string forms
//! a server chooses between. Like Dovecot, a string is quoted when it can be and sent as a
//! literal when it holds CR, LF, NUL or 8-bit octets (RFC 9051 4.3: quoted strings carry
//! only 7-bit text without CR and LF).

use std::fmt;

use super::syntax::is_astring_char;

/// The status words of RFC 9051 7.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Ok,
    No,
    Bad,
    PreAuth,
    Bye,
}

impl StatusKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Ok => "OK",
            StatusKind::No => "NO",
            StatusKind::Bad => "BAD",
            StatusKind::PreAuth => "PREAUTH",
            StatusKind::Bye => "BYE",
        }
    }
}

/// Response codes (RFC 9051 7.1, RFC 5530, RFC 4315), in brackets after the status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    Alert,
    Capability(String),
    PermanentFlags(String),
    ReadOnly,
    ReadWrite,
    TryCreate,
    UidNext(u32),
    UidValidity(u32),
    /// RFC 3501: the first unseen message's sequence number.
    Unseen(u32),
    /// RFC 4315: UIDVALIDITY and the new UID.
    AppendUid(u32, u32),
    /// RFC 4315: UIDVALIDITY, source UIDs, destination UIDs.
    CopyUid(u32, String, String),
    AuthenticationFailed,
    PrivacyRequired,
    Nonexistent,
    AlreadyExists,
    Cannot,
    TooBig,
    ClientBug,
    ServerBug,
    Closed,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Alert => f.write_str("ALERT"),
            Code::Capability(caps) => write!(f, "CAPABILITY {caps}"),
            Code::PermanentFlags(flags) => write!(f, "PERMANENTFLAGS {flags}"),
            Code::ReadOnly => f.write_str("READ-ONLY"),
            Code::ReadWrite => f.write_str("READ-WRITE"),
            Code::TryCreate => f.write_str("TRYCREATE"),
            Code::UidNext(n) => write!(f, "UIDNEXT {n}"),
            Code::UidValidity(n) => write!(f, "UIDVALIDITY {n}"),
            Code::Unseen(n) => write!(f, "UNSEEN {n}"),
            Code::AppendUid(v, uid) => write!(f, "APPENDUID {v} {uid}"),
            Code::CopyUid(v, from, to) => write!(f, "COPYUID {v} {from} {to}"),
            Code::AuthenticationFailed => f.write_str("AUTHENTICATIONFAILED"),
            Code::PrivacyRequired => f.write_str("PRIVACYREQUIRED"),
            Code::Nonexistent => f.write_str("NONEXISTENT"),
            Code::AlreadyExists => f.write_str("ALREADYEXISTS"),
            Code::Cannot => f.write_str("CANNOT"),
            Code::TooBig => f.write_str("TOOBIG"),
            Code::ClientBug => f.write_str("CLIENTBUG"),
            Code::ServerBug => f.write_str("SERVERBUG"),
            Code::Closed => f.write_str("CLOSED"),
        }
    }
}

/// A tagged or untagged status response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// `None`: untagged (`*`).
    pub tag: Option<String>,
    pub kind: StatusKind,
    pub code: Option<Code>,
    pub text: String,
}

impl Status {
    pub fn tagged(
        tag: &str,
        kind: StatusKind,
        code: Option<Code>,
        text: impl Into<String>,
    ) -> Self {
        Status {
            tag: Some(tag.to_string()),
            kind,
            code,
            text: text.into(),
        }
    }

    pub fn untagged(kind: StatusKind, code: Option<Code>, text: impl Into<String>) -> Self {
        Status {
            tag: None,
            kind,
            code,
            text: text.into(),
        }
    }

    /// The line, CRLF included.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut line = format!(
            "{} {}",
            self.tag.as_deref().unwrap_or("*"),
            self.kind.as_str()
        );
        if let Some(code) = &self.code {
            line.push_str(&format!(" [{code}]"));
        }
        // RFC 9051 9 `resp-text`: text is required; never let it carry a line break.
        line.push(' ');
        line.extend(self.text.chars().filter(|c| *c != '\r' && *c != '\n'));
        line.push_str("\r\n");
        line.into_bytes()
    }
}

/// Whether `bytes` can travel as a quoted string.
fn quotable(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| b != 0 && b != b'\r' && b != b'\n' && b < 0x80)
}

/// RFC 9051 9 `string`: quoted with `"` and `\` escaped, or a literal `{n}CRLF...`.
pub fn write_string(out: &mut Vec<u8>, bytes: &[u8]) {
    if quotable(bytes) {
        out.push(b'"');
        for &b in bytes {
            if b == b'"' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        write_literal(out, bytes);
    }
}

/// `{n}CRLF` and the octets.
pub fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(format!("{{{}}}\r\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
}

/// `nstring`: NIL or a string.
pub fn write_nstring(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        Some(b) => write_string(out, b),
        None => out.extend_from_slice(b"NIL"),
    }
}

/// `astring`, as for mailbox names: a bare atom when possible (`INBOX`, `Sent`), else a
/// string. `NIL` is quoted so that it is not read as nil.
pub fn write_astring(out: &mut Vec<u8>, bytes: &[u8]) {
    if !bytes.is_empty()
        && bytes.iter().all(|&b| is_astring_char(b))
        && !bytes.eq_ignore_ascii_case(b"NIL")
    {
        out.extend_from_slice(bytes);
    } else {
        write_string(out, bytes);
    }
}

/// A string as it would be written, for building response lines as text.
pub fn string(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    write_string(&mut out, bytes);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        let s = Status::tagged(
            "a1",
            StatusKind::Ok,
            Some(Code::ReadWrite),
            "Select completed.",
        );
        assert_eq!(s.to_wire(), b"a1 OK [READ-WRITE] Select completed.\r\n");
        let s = Status::untagged(
            StatusKind::No,
            Some(Code::CopyUid(7, "1:2".into(), "5:6".into())),
            "x\r\ny",
        );
        assert_eq!(s.to_wire(), b"* NO [COPYUID 7 1:2 5:6] xy\r\n");
        assert_eq!(
            Status::untagged(StatusKind::Bye, None, "Logging out").to_wire(),
            b"* BYE Logging out\r\n"
        );
    }

    #[test]
    fn strings_quoted_or_literal() {
        let mut out = Vec::new();
        write_string(&mut out, b"say \"hi\" \\o/");
        assert_eq!(out, b"\"say \\\"hi\\\" \\\\o/\"");
        out.clear();
        write_string(&mut out, "Grüße".as_bytes());
        assert_eq!(out, b"{7}\r\nGr\xc3\xbc\xc3\x9fe");
        out.clear();
        write_string(&mut out, b"two\r\nlines");
        assert_eq!(out, b"{10}\r\ntwo\r\nlines");
        out.clear();
        write_nstring(&mut out, None);
        out.push(b' ');
        write_astring(&mut out, b"INBOX");
        out.push(b' ');
        write_astring(&mut out, b"Sent Items");
        out.push(b' ');
        write_astring(&mut out, b"nil");
        out.push(b' ');
        write_astring(&mut out, b"");
        assert_eq!(out, b"NIL INBOX \"Sent Items\" \"nil\" \"\"");
    }
}
