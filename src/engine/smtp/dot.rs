//! The DATA phase's transparency (RFC 5321 4.5.2): the client doubles a leading `.` on every
//! line and ends the message with a line holding only `.`; the server undoes both.
//!
//! Lines end with CRLF and only CRLF: a bare LF is message content, and the end of data is
//! exactly `<CRLF>.<CRLF>`. Accepting `<LF>.<LF>` as well is what made "SMTP smuggling"
//! (CVE-2023-51764) possible, so neither side does.

/// Dot-stuff a message for DATA and append the end-of-data line. A message that does not
/// end with CRLF gets one, because the terminating `.` must start a line (RFC 5321 4.1.1.4).
pub fn dot_stuff(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 64 + 5);
    // Copied a line at a time: only the first octet of a line can need a dot.
    let mut rest = message;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            out.push(b'.');
        }
        let end = line_end(rest).unwrap_or(rest.len());
        out.extend_from_slice(&rest[..end]);
        rest = &rest[end..];
    }
    if !message.is_empty() && !message.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// Just past the first CRLF: a bare LF does not end a line.
fn line_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(lf) = bytes[from..].iter().position(|&b| b == b'\n') {
        let lf = from + lf;
        if lf > 0 && bytes[lf - 1] == b'\r' {
            return Some(lf + 1);
        }
        from = lf + 1;
    }
    None
}

/// What [`DataReceiver::feed`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fed {
    /// Octets of the input that belong to the message (the rest is the next command).
    pub consumed: usize,
    /// The `<CRLF>.<CRLF>` has been seen.
    pub complete: bool,
}

/// The server's side of DATA: un-stuffs lines and finds the end of data, whatever way the
/// input is chunked. It keeps at most `limit + 1` octets, so an oversized message costs no
/// memory beyond the limit while its end is still looked for.
#[derive(Debug, Clone)]
pub struct DataReceiver {
    message: Vec<u8>,
    /// Octets of message so far (after un-stuffing), kept or not.
    total: u64,
    limit: u64,
    /// Octets received on the current line, counting a leading dot.
    line_len: usize,
    dot_line: bool,
    prev_cr: bool,
    longest_line: usize,
}

impl DataReceiver {
    /// `limit`: the largest message to keep (RFC 1870 SIZE); larger ones are only measured.
    pub fn new(limit: u64) -> Self {
        DataReceiver {
            message: Vec::new(),
            total: 0,
            limit,
            line_len: 0,
            dot_line: false,
            prev_cr: false,
            longest_line: 0,
        }
    }

    /// Octets of content: kept while the message is within the limit (one more, so that
    /// going past it shows), counted always.
    fn store(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let room = self.limit.saturating_add(1).saturating_sub(self.message.len() as u64);
        let kept = bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        self.message.extend_from_slice(&bytes[..kept]);
    }

    /// Feed received octets. Stops right after the end-of-data line.
    pub fn feed(&mut self, bytes: &[u8]) -> Fed {
        let mut i = 0;
        while i < bytes.len() {
            if self.line_len == 0 && bytes[i] == b'.' && !self.dot_line {
                // A leading dot is never content: either stuffing or the end marker.
                self.dot_line = true;
                self.line_len = 1;
                i += 1;
                continue;
            }
            // Everything up to the next LF is content of the current line, taken at once.
            let lf = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p);
            if lf > i {
                let run = &bytes[i..lf];
                self.store(run);
                self.line_len += run.len();
                self.prev_cr = run[run.len() - 1] == b'\r';
                i = lf;
                continue;
            }
            if self.prev_cr {
                if self.dot_line && self.line_len == 2 {
                    // `.<CR><LF>`: the CR was stored; it is not content.
                    if self.message.len() as u64 == self.total {
                        self.message.pop();
                    }
                    self.total -= 1;
                    return Fed {
                        consumed: i + 1,
                        complete: true,
                    };
                }
                self.store(b"\n");
                // RFC 5321 4.5.3.1.6 counts the CRLF in the 1000 octets of a text line.
                self.longest_line = self.longest_line.max(self.line_len + 1);
                self.line_len = 0;
                self.dot_line = false;
                self.prev_cr = false;
            } else {
                // A bare LF is content.
                self.store(b"\n");
                self.line_len += 1;
                self.prev_cr = false;
            }
            i += 1;
        }
        Fed {
            consumed: bytes.len(),
            complete: false,
        }
    }

    /// The message's size in octets after un-stuffing.
    pub fn size(&self) -> u64 {
        self.total
    }

    /// True when the message grew past the limit given to [`DataReceiver::new`].
    pub fn exceeded(&self) -> bool {
        self.total > self.limit
    }

    /// The longest line seen, CRLF included.
    pub fn longest_line(&self) -> usize {
        self.longest_line
    }

    /// The un-stuffed message (cut short if it exceeded the limit).
    pub fn into_message(self) -> Vec<u8> {
        self.message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &[u8] =
        b"Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\nbare\nLF.\n.\nend\r\n";

    #[test]
    fn stuffs_leading_dots_only_after_crlf() {
        assert_eq!(
            dot_stuff(MESSAGE),
            b"Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\nbare\nLF.\n.\nend\r\n.\r\n"
                .to_vec()
        );
        assert_eq!(
            dot_stuff(b".\r\nno final crlf"),
            b"..\r\nno final crlf\r\n.\r\n".to_vec()
        );
        assert_eq!(dot_stuff(b""), b".\r\n".to_vec());
    }

    #[test]
    fn unstuffs_what_was_stuffed_at_every_split() {
        let mut wire = dot_stuff(MESSAGE);
        wire.extend_from_slice(b"QUIT\r\n");
        let end = wire.len() - b"QUIT\r\n".len();
        for cut in 0..=wire.len() {
            let mut rx = DataReceiver::new(1000);
            let first = rx.feed(&wire[..cut]);
            let consumed = if first.complete {
                first.consumed
            } else {
                let second = rx.feed(&wire[cut..]);
                assert!(second.complete, "cut at {cut}");
                cut + second.consumed
            };
            assert_eq!(consumed, end, "cut at {cut}");
            assert_eq!(rx.size(), MESSAGE.len() as u64);
            assert_eq!(rx.into_message(), MESSAGE.to_vec(), "cut at {cut}");
        }
    }

    #[test]
    fn bare_lf_dot_does_not_end_data() {
        let mut rx = DataReceiver::new(1000);
        let fed = rx.feed(b"a\n.\nb\r\n.\r\n");
        assert!(fed.complete);
        assert_eq!(rx.into_message(), b"a\n.\nb\r\n".to_vec());
    }

    #[test]
    fn empty_message_and_oversize() {
        let mut rx = DataReceiver::new(10);
        assert_eq!(
            rx.feed(b".\r\n"),
            Fed {
                consumed: 3,
                complete: true
            }
        );
        assert_eq!(rx.size(), 0);

        let mut rx = DataReceiver::new(10);
        let fed = rx.feed(b"0123456789abcdef\r\n.\r\n");
        assert!(fed.complete);
        assert!(rx.exceeded());
        assert_eq!(rx.size(), 18);
        assert_eq!(rx.longest_line(), 18);
        assert!(rx.into_message().len() <= 11);
    }
}
