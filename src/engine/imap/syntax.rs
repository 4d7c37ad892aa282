//! The lexical pieces of IMAP's grammar (RFC 9051 9 / RFC 3501 9) read from one complete
//! command: its line or lines, with every literal's octets already in place after `{n}CRLF`.
//! [`Reader`] never panics on input and never allocates more than it returns.

use std::fmt;

/// Where a command broke the grammar: what the reader expected, at which octet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub expected: &'static str,
    pub offset: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at octet {}", self.expected, self.offset)
    }
}

impl std::error::Error for SyntaxError {}

pub type Parsed<T> = Result<T, SyntaxError>;

/// RFC 9051 9 `ATOM-CHAR`: any CHAR except atom-specials
/// `( ) { SP CTL % * " \ ]`.
pub fn is_atom_char(b: u8) -> bool {
    b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// RFC 9051 9 `ASTRING-CHAR`: an atom char or `]` (resp-specials).
pub fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// RFC 9051 9 `tag`: astring chars except `+`.
pub fn is_tag_char(b: u8) -> bool {
    is_astring_char(b) && b != b'+'
}

/// `list-char`: an atom char, `%`, `*` or `]` (LIST patterns).
pub fn is_list_char(b: u8) -> bool {
    is_astring_char(b) || b == b'%' || b == b'*'
}

/// A cursor over one command.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Reader { input, pos: 0 }
    }

    pub fn offset(&self) -> usize {
        self.pos
    }

    pub fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    /// Everything left, consumed.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let rest = self.rest();
        self.pos = self.input.len();
        rest
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    pub fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    pub fn error<T>(&self, expected: &'static str) -> Parsed<T> {
        Err(SyntaxError {
            expected,
            offset: self.pos,
        })
    }

    /// Consumes `b` if it comes next.
    pub fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, b: u8, what: &'static str) -> Parsed<()> {
        if self.eat(b) {
            Ok(())
        } else {
            self.error(what)
        }
    }

    /// Exactly one space: RFC 9051 9 separates every argument with one SP.
    pub fn sp(&mut self) -> Parsed<()> {
        self.expect(b' ', "a space")
    }

    /// Consumes `word` (ASCII, compared without regard to case, RFC 9051 9 note 1) if the
    /// input starts with it.
    pub fn eat_keyword(&mut self, word: &str) -> bool {
        let end = self.pos + word.len();
        match self.input.get(self.pos..end) {
            Some(s) if s.eq_ignore_ascii_case(word.as_bytes()) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    pub fn end(&self) -> Parsed<()> {
        if self.at_end() {
            Ok(())
        } else {
            self.error("the end of the command")
        }
    }

    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        &self.input[start..self.pos]
    }

    fn text(&self, bytes: &'a [u8]) -> String {
        // Only ASCII classes reach here, so this is lossless.
        String::from_utf8_lossy(bytes).into_owned()
    }

    pub fn atom(&mut self) -> Parsed<String> {
        let s = self.take_while(is_atom_char);
        if s.is_empty() {
            return self.error("an atom");
        }
        Ok(self.text(s))
    }

    pub fn tag(&mut self) -> Parsed<String> {
        let s = self.take_while(is_tag_char);
        if s.is_empty() {
            return self.error("a tag");
        }
        Ok(self.text(s))
    }

    /// `number`: digits fitting 32 bits (RFC 9051 9 `number` is unsigned 32-bit).
    pub fn number(&mut self) -> Parsed<u32> {
        let start = self.pos;
        let digits = self.take_while(|b| b.is_ascii_digit());
        let value = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse().ok());
        match value {
            Some(v) => Ok(v),
            None => {
                self.pos = start;
                self.error("a number")
            }
        }
    }

    pub fn nz_number(&mut self) -> Parsed<u32> {
        let start = self.pos;
        match self.number()? {
            0 => {
                self.pos = start;
                self.error("a non-zero number")
            }
            n => Ok(n),
        }
    }

    /// `quoted`: `"` then chars with `\"` and `\\` escaped, then `"`.
    pub fn quoted(&mut self) -> Parsed<Vec<u8>> {
        self.expect(b'"', "a quoted string")?;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(c);
                            self.pos += 1;
                        }
                        _ => return self.error("\\\" or \\\\ after a backslash"),
                    }
                }
                Some(b'\r' | b'\n' | 0) | None => return self.error("a closing quote"),
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `literal`: `{n}` or `{n+}` (RFC 7888), CRLF, then n octets (already in the buffer:
    /// the framer put them there).
    pub fn literal(&mut self) -> Parsed<Vec<u8>> {
        self.expect(b'{', "a literal")?;
        let n = self.number()? as usize;
        self.eat(b'+');
        self.expect(b'}', "} closing the literal length")?;
        self.expect(b'\r', "CRLF after a literal length")?;
        self.expect(b'\n', "CRLF after a literal length")?;
        let end = self.pos + n;
        match self.input.get(self.pos..end) {
            Some(bytes) => {
                self.pos = end;
                Ok(bytes.to_vec())
            }
            None => self.error("the literal's octets"),
        }
    }

    /// `string`: quoted or literal.
    pub fn string(&mut self) -> Parsed<Vec<u8>> {
        match self.peek() {
            Some(b'"') => self.quoted(),
            Some(b'{') => self.literal(),
            _ => self.error("a string"),
        }
    }

    /// `astring`: an atom (with `]` allowed) or a string.
    pub fn astring(&mut self) -> Parsed<Vec<u8>> {
        match self.peek() {
            Some(b'"' | b'{') => self.string(),
            _ => {
                let s = self.take_while(is_astring_char);
                if s.is_empty() {
                    return self.error("an atom or a string");
                }
                Ok(s.to_vec())
            }
        }
    }

    /// An astring that must be UTF-8 text (user names, mailbox names, header names).
    pub fn astring_text(&mut self) -> Parsed<String> {
        let start = self.pos;
        let bytes = self.astring()?;
        String::from_utf8(bytes).or_else(|_| {
            self.pos = start;
            self.error("UTF-8 text")
        })
    }

    /// `nstring`: NIL or a string.
    pub fn nstring(&mut self) -> Parsed<Option<Vec<u8>>> {
        if self.eat_keyword("NIL") {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    /// `list-mailbox`: list chars or a string (LIST and LSUB patterns).
    pub fn list_mailbox(&mut self) -> Parsed<String> {
        match self.peek() {
            Some(b'"' | b'{') => self.astring_text(),
            _ => {
                let s = self.take_while(is_list_char);
                if s.is_empty() {
                    return self.error("a mailbox pattern");
                }
                Ok(self.text(s))
            }
        }
    }

    /// A parenthesized list, `(a b c)`, each element read by `item`; `()` is empty.
    pub fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Parsed<T>) -> Parsed<Vec<T>> {
        self.expect(b'(', "(")?;
        let mut out = Vec::new();
        if self.eat(b')') {
            return Ok(out);
        }
        loop {
            out.push(item(self)?);
            if self.eat(b')') {
                return Ok(out);
            }
            self.sp()?;
        }
    }

    /// `flag`: `\Seen`-style system flags, `\*` where allowed, or a keyword atom.
    pub fn flag_text(&mut self) -> Parsed<String> {
        if self.eat(b'\\') {
            if self.eat(b'*') {
                return Ok("\\*".into());
            }
            return Ok(format!("\\{}", self.atom()?));
        }
        self.atom()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_strings_and_literals() {
        let mut r = Reader::new(b"a1 \"say \\\"hi\\\"\" {5}\r\nhello NIL {3+}\r\nabc");
        assert_eq!(r.tag().unwrap(), "a1");
        r.sp().unwrap();
        assert_eq!(r.astring().unwrap(), b"say \"hi\"");
        r.sp().unwrap();
        assert_eq!(r.astring().unwrap(), b"hello");
        r.sp().unwrap();
        assert_eq!(r.nstring().unwrap(), None);
        r.sp().unwrap();
        assert_eq!(r.string().unwrap(), b"abc");
        assert!(r.end().is_ok());
    }

    #[test]
    fn bad_pieces_are_errors_with_offsets() {
        assert_eq!(
            Reader::new(b"\"open").quoted(),
            Err(SyntaxError {
                expected: "a closing quote",
                offset: 5
            })
        );
        assert!(Reader::new(b"\"a\\x\"").quoted().is_err());
        assert!(Reader::new(b"{9}\r\nshort").literal().is_err());
        assert!(Reader::new(b"{5}hello").literal().is_err());
        assert!(Reader::new(b"99999999999").number().is_err());
        assert!(Reader::new(b"0").nz_number().is_err());
        assert!(Reader::new(b"+x").tag().is_err());
        assert!(Reader::new(b"(a b").list(|r| r.atom()).is_err());
    }

    #[test]
    fn lists_flags_and_keywords() {
        let mut r = Reader::new(b"(\\Seen $Junk \\*) select");
        let flags = r.list(|r| r.flag_text()).unwrap();
        assert_eq!(flags, ["\\Seen", "$Junk", "\\*"]);
        r.sp().unwrap();
        assert!(r.eat_keyword("SELECT"));
        assert!(r.end().is_ok());
        assert_eq!(Reader::new(b"()").list(|r| r.atom()).unwrap().len(), 0);
        assert_eq!(Reader::new(b"*%ab").list_mailbox().unwrap(), "*%ab");
    }
}
