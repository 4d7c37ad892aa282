//! POP3 responses (RFC 1939 3): a status line `+OK ...` or `-ERR ...`, for some commands
//! followed by lines ending in a line holding only `.`, with a leading `.` doubled
//! (byte-stuffing). RFC 5034 4 adds `+ <base64>` continuations inside AUTH; RFC 2449 8 puts
//! response codes such as `[IN-USE]` right after the status.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Err,
    /// `+ `: the server waits for the next SASL response (RFC 5034 4).
    Continue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: Status,
    /// The rest of the status line, after `+OK `/`-ERR `/`+ `.
    pub text: String,
    /// A multi-line response's lines, without CRLF and with stuffing undone.
    pub lines: Vec<Vec<u8>>,
}

impl Response {
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// The response code, e.g. `IN-USE` of `-ERR [IN-USE] ...` (RFC 2449 8).
    pub fn code(&self) -> Option<&str> {
        let rest = self.text.strip_prefix('[')?;
        rest.split_once(']').map(|(code, _)| code)
    }

    /// A multi-line body put back together: each line with its CRLF.
    pub fn body(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for line in &self.lines {
            out.extend_from_slice(line);
            out.extend_from_slice(b"\r\n");
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// A status line that is none of `+OK`, `-ERR`, `+ `: the line, lossily decoded.
    BadStatus(String),
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::BadStatus(line) => write!(f, "not a POP3 status line: {line:?}"),
        }
    }
}

impl std::error::Error for ResponseError {}

/// Reads responses from the server's bytes, split anywhere.
#[derive(Debug, Default)]
pub struct ResponseParser {
    input: Vec<u8>,
    /// A multi-line response whose terminating `.` has not come yet.
    pending: Option<Response>,
}

fn status_line(line: &[u8]) -> Result<Response, ResponseError> {
    let text = String::from_utf8_lossy(line).into_owned();
    let (status, rest) = if let Some(rest) = text.strip_prefix("+OK") {
        (Status::Ok, rest)
    } else if let Some(rest) = text.strip_prefix("-ERR") {
        (Status::Err, rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (Status::Continue, rest)
    } else {
        return Err(ResponseError::BadStatus(text));
    };
    // RFC 1939 3: a space separates the indicator from its text, which may be absent.
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return Err(ResponseError::BadStatus(text));
    }
    Ok(Response {
        status,
        text: rest.strip_prefix(' ').unwrap_or(rest).to_string(),
        lines: Vec::new(),
    })
}

impl ResponseParser {
    pub fn new() -> Self {
        ResponseParser::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.input.extend_from_slice(bytes);
    }

    fn take_line(&mut self) -> Option<Vec<u8>> {
        let lf = self.input.iter().position(|&b| b == b'\n')?;
        let mut line: Vec<u8> = self.input.drain(..=lf).collect();
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Some(line)
    }

    /// The next complete response, if its bytes are all here. `multiline` says whether a
    /// `+OK` to the command being answered is followed by lines (RETR, TOP, LIST and UIDL
    /// without argument, CAPA, AUTH alone); `-ERR` never is (RFC 1939 3).
    pub fn next_response(&mut self, multiline: bool) -> Option<Result<Response, ResponseError>> {
        if self.pending.is_none() {
            let line = self.take_line()?;
            match status_line(&line) {
                Ok(r) if r.status == Status::Ok && multiline => self.pending = Some(r),
                other => return Some(other),
            }
        }
        while let Some(line) = self.take_line() {
            if line == b"." {
                return self.pending.take().map(Ok);
            }
            // RFC 1939 3: a line starting with `.` had one more `.` put in front.
            let line = match line.strip_prefix(b".") {
                Some(rest) => rest.to_vec(),
                None => line,
            };
            if let Some(r) = self.pending.as_mut() {
                r.lines.push(line);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_multi_line_in_pieces() {
        let mut p = ResponseParser::new();
        p.push(b"+OK 2 320\r\n+OK 120 oct");
        let stat = p.next_response(false).and_then(Result::ok).expect("STAT");
        assert_eq!((stat.status, stat.text.as_str()), (Status::Ok, "2 320"));
        assert_eq!(p.next_response(true), None);
        p.push(b"ets\r\nSubject: x\r\n\r\n..dot\r\n.\r");
        assert_eq!(p.next_response(true), None);
        p.push(b"\n-ERR [IN-USE] locked\r\n");
        let retr = p.next_response(true).and_then(Result::ok).expect("RETR");
        assert_eq!(retr.body(), b"Subject: x\r\n\r\n.dot\r\n");
        let err = p.next_response(true).and_then(Result::ok).expect("-ERR");
        assert_eq!((err.status, err.code()), (Status::Err, Some("IN-USE")));
    }

    #[test]
    fn continuation_and_garbage() {
        let mut p = ResponseParser::new();
        p.push(b"+ \r\n+OKAY\r\n* OK IMAP\r\n");
        assert_eq!(
            p.next_response(false)
                .and_then(Result::ok)
                .map(|r| r.status),
            Some(Status::Continue)
        );
        assert!(matches!(
            p.next_response(false),
            Some(Err(ResponseError::BadStatus(_)))
        ));
        assert!(matches!(
            p.next_response(false),
            Some(Err(ResponseError::BadStatus(_)))
        ));
    }
}
