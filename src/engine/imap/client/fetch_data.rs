//! Reading a `* n FETCH (...)` response (RFC 9051 7.5.2) on the client side: the items a
//! device keeps (UID, FLAGS, BODY[] and BODY[HEADER.FIELDS ...]) and a skip over any other.
//! Strings and literals are read with the shared [`Reader`], so text inside a message body
//! that looks like `FLAGS (` is never taken for an item.

use crate::engine::imap::syntax::Reader;

/// What one FETCH response said about one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchData {
    /// The message sequence number (RFC 9051 2.3.1.2).
    pub seq: u32,
    pub uid: Option<u32>,
    /// The flags as sent, `\Seen` and keywords alike.
    pub flags: Option<Vec<String>>,
    /// `BODY[]`: the whole message.
    pub message: Option<Vec<u8>>,
}

/// A cursor over one response line, literals in place.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn eat_keyword(&mut self, word: &[u8]) -> bool {
        let hit = self
            .bytes
            .get(self.pos..self.pos + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word));
        if hit {
            self.pos += word.len();
        }
        hit
    }

    /// Runs a [`Reader`] method from here and moves past what it read.
    fn read<T, E>(&mut self, f: impl FnOnce(&mut Reader<'a>) -> Result<T, E>) -> Option<T> {
        let mut reader = Reader::new(self.bytes.get(self.pos..)?);
        let value = f(&mut reader).ok()?;
        self.pos += reader.offset();
        Some(value)
    }

    /// Octets up to a space or `)`, at least one.
    fn atom(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b != b' ' && b != b')' && b != b'(')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.bytes[start..self.pos])
    }

    /// An item name: `UID`, `FLAGS`, `BODY[HEADER.FIELDS (SUBJECT)]`, `BODY[]<0>`. Inside
    /// the brackets spaces and parentheses belong to the name (RFC 9051 9 `section`).
    fn item_name(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b != b' ' && b != b')' && b != b'[')
        {
            self.pos += 1;
        }
        if self.eat(b'[') {
            while !self.eat(b']') {
                self.peek()?;
                self.pos += 1;
            }
            if self.eat(b'<') {
                while !self.eat(b'>') {
                    self.peek()?;
                    self.pos += 1;
                }
            }
        }
        let name = self.bytes.get(start..self.pos)?;
        (!name.is_empty()).then(|| String::from_utf8_lossy(name).to_ascii_uppercase())
    }

    /// Any value: a parenthesized list, a string, a literal, an atom or number or NIL.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            // A list nested deeper than any real BODYSTRUCTURE is not a response we know.
            b'(' if depth < 64 => {
                self.pos += 1;
                loop {
                    if self.eat(b')') {
                        return Some(());
                    }
                    if !self.eat(b' ') {
                        self.skip_value(depth + 1)?;
                    }
                }
            }
            b'"' | b'{' => self.read(|r| r.string()).map(|_| ()),
            _ => self.atom().map(|_| ()),
        }
    }

    /// `flag-list` (RFC 9051 9): `(\Seen $Work)`.
    fn flags(&mut self) -> Option<Vec<String>> {
        if !self.eat(b'(') {
            return None;
        }
        let mut flags = Vec::new();
        loop {
            if self.eat(b')') {
                return Some(flags);
            }
            if !self.eat(b' ') {
                flags.push(String::from_utf8_lossy(self.atom()?).into_owned());
            }
        }
    }
}

/// Reads `* n FETCH (item value ...)`; `None` for any other response, or a broken one.
pub fn parse(response: &[u8]) -> Option<FetchData> {
    let mut c = Cursor {
        bytes: response,
        pos: 0,
    };
    if !c.eat_keyword(b"* ") {
        return None;
    }
    let mut data = FetchData {
        seq: c.read(|r| r.nz_number())?,
        ..FetchData::default()
    };
    if !c.eat_keyword(b" FETCH (") {
        return None;
    }
    if c.eat(b')') {
        return Some(data);
    }
    loop {
        let name = c.item_name()?;
        if !c.eat(b' ') {
            return None;
        }
        match name.as_str() {
            "UID" => data.uid = Some(c.read(|r| r.nz_number())?),
            "FLAGS" => data.flags = Some(c.flags()?),
            "BODY[]" => data.message = c.read(|r| r.nstring())?,
            _ => c.skip_value(0)?,
        }
        if c.eat(b')') {
            return Some(data);
        }
        if !c.eat(b' ') {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_in_any_order_and_body_text_is_not_mistaken_for_items() {
        let line = b"* 3 FETCH (UID 7 BODY[] {22}\r\nFLAGS (\\Deleted) UID 9 FLAGS (\\Seen $Work))";
        assert_eq!(
            parse(line),
            Some(FetchData {
                seq: 3,
                uid: Some(7),
                flags: Some(vec!["\\Seen".into(), "$Work".into()]),
                message: Some(b"FLAGS (\\Deleted) UID 9".to_vec()),
            })
        );
        let line = b"* 1 FETCH (FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {4}\r\nS: x ENVELOPE (NIL \"a b\" ((NIL NIL \"x\" \"y\")) NIL) UID 2)";
        let data = parse(line).expect("parses");
        assert_eq!((data.uid, data.flags), (Some(2), Some(vec![])));
        assert_eq!(parse(b"* 1 EXPUNGE"), None);
        assert_eq!(parse(b"* 1 FETCH (UID"), None);
        assert_eq!(parse(b"* 1 FETCH (BODY[] {99}\r\nshort)"), None);
    }
}
