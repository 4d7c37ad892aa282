//! Cutting the client's byte stream into commands (RFC 9051 2.2.1, 4.3, 7.6): a command is
//! a line, unless the line ends in a literal announcement `{n}` / `{n+}` (RFC 7888); then n
//! octets follow and the command goes on with another line. Literals stay in place in the
//! command, so [`super::syntax::Reader`] reads them like any other argument.
//!
//! The framer does not answer anything itself: it reports a synchronizing literal and the
//! session sends the `+` continuation (RFC 9051 7.6). Output does not depend on how the input
//! was split, because decisions are made only on complete lines.

use super::syntax::Reader;

/// What the framer found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// One complete command, without its final CRLF.
    Command(Vec<u8>),
    /// A line ending in `{n}`: the client waits for a `+` continuation before sending the
    /// literal (RFC 9051 7.6). The framer already expects the octets.
    LiteralAnnounced { size: u32 },
    /// A line passed the limit; it was thrown away up to its LF.
    LineTooLong { tag: Option<String> },
    /// A literal larger than allowed. A synchronizing one was never sent: the command is
    /// dropped. A non-synchronizing one is on its way already: the framer cannot resync, so
    /// the session should close (RFC 7888 4 allows that).
    LiteralTooLarge {
        tag: Option<String>,
        synchronizing: bool,
    },
}

/// Limits for one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameLimits {
    /// Octets in one line, CRLF included.
    pub line: usize,
    /// Octets in one literal.
    pub literal: usize,
}

impl Default for FrameLimits {
    fn default() -> Self {
        FrameLimits {
            // Dovecot's imap_max_line_length default: 64 KiB.
            line: 65_536,
            // A common maximum message size (Postfix's message_size_limit is ~10 MB, most
            // providers take 25 MiB); APPEND of a larger message is refused.
            literal: 25 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Default)]
pub struct Framer {
    limits: FrameLimits,
    /// Octets received and not yet framed.
    buffer: Vec<u8>,
    /// The command assembled so far (lines and literals).
    command: Vec<u8>,
    /// Octets of the current literal still to come.
    literal_left: usize,
    /// Inside a line already too long: drop octets until LF. Keeps its first octets for
    /// the tag.
    discarding: Option<Vec<u8>>,
}

/// Octets kept of a line too long to take, to find its tag in.
const TOO_LONG_HEAD: usize = 64;

/// `{123}` or `{123+}` at the end of a line: the size and whether it is synchronizing.
pub fn literal_announcement(line: &[u8]) -> Option<(usize, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let spec = &inner[open + 1..];
    let (digits, synchronizing) = match spec.strip_suffix(b"+") {
        Some(d) => (d, false),
        None => (spec, true),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // A size that does not fit is certainly too large.
    let size = std::str::from_utf8(digits)
        .ok()?
        .parse()
        .unwrap_or(usize::MAX);
    Some((size, synchronizing))
}

/// The tag at the start of a command, if it has one.
pub fn tag_of(bytes: &[u8]) -> Option<String> {
    let mut r = Reader::new(bytes);
    let tag = r.tag().ok()?;
    r.sp().ok()?;
    Some(tag)
}

impl Framer {
    pub fn new(limits: FrameLimits) -> Self {
        Framer {
            limits,
            ..Framer::default()
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Drops everything pending (after STARTTLS, RFC 9051 6.2.1: no plaintext may be
    /// carried into TLS).
    pub fn clear(&mut self) -> bool {
        let had = !self.buffer.is_empty() || !self.command.is_empty();
        *self = Framer::new(self.limits);
        had
    }

    /// Whether octets are buffered that make no complete frame yet.
    pub fn is_idle(&self) -> bool {
        self.buffer.is_empty() && self.command.is_empty() && self.literal_left == 0
    }

    /// The next complete line, without CRLF, literals not looked at: for IDLE's `DONE` and
    /// SASL responses (RFC 9051 6.2.2, 6.3.13).
    pub fn next_line(&mut self) -> Option<Frame> {
        self.take_line().map(|line| match line {
            Ok(line) => Frame::Command(line),
            Err(tag) => Frame::LineTooLong { tag },
        })
    }

    /// The next command or event, or `None` until more octets arrive.
    pub fn next_command(&mut self) -> Option<Frame> {
        loop {
            if self.literal_left > 0 {
                let n = self.literal_left.min(self.buffer.len());
                self.command.extend(self.buffer.drain(..n));
                self.literal_left -= n;
                if self.literal_left > 0 {
                    return None;
                }
            }
            let line = match self.take_line()? {
                Ok(line) => line,
                Err(tag) => {
                    // A line of a command cut short: the whole command goes.
                    let tag = tag_of(&self.command).or(tag);
                    self.command.clear();
                    return Some(Frame::LineTooLong { tag });
                }
            };
            self.command.extend_from_slice(&line);
            let Some((size, synchronizing)) = literal_announcement(&line) else {
                return Some(Frame::Command(std::mem::take(&mut self.command)));
            };
            if size > self.limits.literal {
                let tag = tag_of(&self.command);
                self.command.clear();
                if !synchronizing {
                    self.buffer.clear();
                }
                return Some(Frame::LiteralTooLarge { tag, synchronizing });
            }
            self.command.extend_from_slice(b"\r\n");
            self.literal_left = size;
            if synchronizing {
                return Some(Frame::LiteralAnnounced { size: size as u32 });
            }
        }
    }

    /// The next line without CRLF, or `Err(tag)` for a line over the limit. A line is too
    /// long only once its LF is seen, so the answer does not depend on chunking.
    fn take_line(&mut self) -> Option<Result<Vec<u8>, Option<String>>> {
        match self.buffer.iter().position(|&b| b == b'\n') {
            Some(lf) => {
                let mut line: Vec<u8> = self.buffer.drain(..=lf).collect();
                line.pop();
                // RFC 9051 2.2: lines end in CRLF; a bare LF is taken, as Dovecot does.
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if let Some(start) = self.discarding.take() {
                    return Some(Err(tag_of(&start)));
                }
                if line.len() + 2 > self.limits.line {
                    // Only the head is looked at, as when the line arrives in pieces and
                    // only its head is kept (below): else a tag longer than the head would
                    // be answered tagged or untagged depending on the chunking (found by
                    // fuzz/fuzz_targets/imap_command.rs).
                    return Some(Err(tag_of(&line[..line.len().min(TOO_LONG_HEAD)])));
                }
                Some(Ok(line))
            }
            None => {
                if self.buffer.len() > self.limits.line {
                    if self.discarding.is_none() {
                        let head = self.buffer.len().min(TOO_LONG_HEAD);
                        self.discarding = Some(self.buffer[..head].to_vec());
                    }
                    self.buffer.clear();
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(framer: &mut Framer) -> Vec<Frame> {
        std::iter::from_fn(|| framer.next_command()).collect()
    }

    #[test]
    fn lines_and_synchronizing_literals() {
        let mut f = Framer::default();
        f.push(b"a1 NOOP\r\na2 LOGIN {3}\r\n");
        assert_eq!(
            frames(&mut f),
            [
                Frame::Command(b"a1 NOOP".to_vec()),
                Frame::LiteralAnnounced { size: 3 }
            ]
        );
        f.push(b"bob \"pw\"\r\n");
        assert_eq!(
            frames(&mut f),
            [Frame::Command(b"a2 LOGIN {3}\r\nbob \"pw\"".to_vec())]
        );
        assert!(f.is_idle());
    }

    #[test]
    fn non_synchronizing_literals_need_no_continuation() {
        let mut f = Framer::default();
        f.push(b"a APPEND INBOX {4+}\r\nab\r\n\r\n");
        assert_eq!(
            frames(&mut f),
            [Frame::Command(b"a APPEND INBOX {4+}\r\nab\r\n".to_vec())]
        );
    }

    #[test]
    fn same_frames_for_every_split() {
        let input = b"a1 LOGIN {3}\r\nbob {3+}\r\npw!\r\na2 SELECT INBOX\n";
        let mut whole = Framer::default();
        whole.push(input);
        let expected = frames(&mut whole);
        for cut in 0..input.len() {
            let mut f = Framer::default();
            f.push(&input[..cut]);
            let mut got = frames(&mut f);
            f.push(&input[cut..]);
            got.extend(frames(&mut f));
            assert_eq!(got, expected, "cut at {cut}");
        }
    }

    #[test]
    fn limits() {
        let limits = FrameLimits {
            line: 30,
            literal: 10,
        };
        let mut f = Framer::new(limits);
        f.push(b"t1 NOOP xxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        assert_eq!(frames(&mut f), []);
        f.push(b"xxxx\r\nt2 NOOP\r\n");
        assert_eq!(
            frames(&mut f),
            [
                Frame::LineTooLong {
                    tag: Some("t1".into())
                },
                Frame::Command(b"t2 NOOP".to_vec())
            ]
        );
        f.push(b"t3 APPEND INBOX {11}\r\nt4 NOOP\r\n");
        assert_eq!(
            frames(&mut f),
            [
                Frame::LiteralTooLarge {
                    tag: Some("t3".into()),
                    synchronizing: true
                },
                Frame::Command(b"t4 NOOP".to_vec())
            ]
        );
        f.push(b"t5 APPEND X {999999999999+}\r\nxx");
        assert_eq!(
            frames(&mut f),
            [Frame::LiteralTooLarge {
                tag: Some("t5".into()),
                synchronizing: false
            }]
        );
    }

    #[test]
    fn announcements() {
        assert_eq!(literal_announcement(b"a {12}"), Some((12, true)));
        assert_eq!(literal_announcement(b"a {0+}"), Some((0, false)));
        assert_eq!(literal_announcement(b"a \"{12}\""), None);
        assert_eq!(literal_announcement(b"a {}"), None);
        assert_eq!(literal_announcement(b"a {1x}"), None);
    }

    /// Found by fuzz/fuzz_targets/imap_command.rs: a too-long line whose tag (with its SP)
    /// runs past the kept head got a tagged BAD when it came whole and an untagged one when
    /// it came in pieces.
    #[test]
    fn a_too_long_line_gets_the_same_answer_however_it_arrives() {
        let limits = FrameLimits { line: 256, literal: 1024 };
        let mut line = b"slet".to_vec();
        line.extend([b','; 120]);
        line.extend_from_slice(b"ed UID FETCH ");
        line.extend([b'H'; 200]);
        line.extend_from_slice(b"\r\n");
        let mut whole = Framer::new(limits);
        whole.push(&line);
        let mut pieces = Framer::new(limits);
        let mut answers = Vec::new();
        for piece in line.chunks(20) {
            pieces.push(piece);
            answers.extend(frames(&mut pieces));
        }
        assert_eq!(frames(&mut whole), answers);
        assert_eq!(answers, [Frame::LineTooLong { tag: None }]);
    }
}
