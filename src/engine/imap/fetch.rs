//! FETCH data items (RFC 9051 6.4.5): what a client asks for, and how each one is named in
//! the response.

use std::fmt;

use super::syntax::{Parsed, Reader};

/// The text part of a section specifier (RFC 9051 6.4.5 `BODY[<section>]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionText {
    Header,
    /// `HEADER.FIELDS (From Subject)`: only these fields.
    HeaderFields(Vec<String>),
    /// `HEADER.FIELDS.NOT (...)`: all but these.
    HeaderFieldsNot(Vec<String>),
    Text,
    /// The MIME header of a numbered part.
    Mime,
}

/// `1.2.HEADER`: a part path (empty for the whole message) and what of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    pub part: Vec<u32>,
    pub text: Option<SectionText>,
}

/// `<origin.length>` as asked; the response names only the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    pub origin: u32,
    pub length: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchAttribute {
    Flags,
    Uid,
    InternalDate,
    Rfc822Size,
    Envelope,
    /// `BODY` alone: BODYSTRUCTURE without extension data.
    Body,
    BodyStructure,
    /// `BODY[...]` or `BODY.PEEK[...]`; only the non-peek form sets `\Seen`.
    BodySection {
        section: Section,
        partial: Option<Partial>,
        peek: bool,
    },
    /// `RFC822`: like `BODY[]` (sets `\Seen`).
    Rfc822,
    /// `RFC822.HEADER`: like `BODY.PEEK[HEADER]`.
    Rfc822Header,
    /// `RFC822.TEXT`: like `BODY[TEXT]`.
    Rfc822Text,
}

impl FetchAttribute {
    /// Whether fetching this sets `\Seen` (RFC 9051 6.4.5).
    pub fn sets_seen(&self) -> bool {
        matches!(
            self,
            FetchAttribute::BodySection { peek: false, .. }
                | FetchAttribute::Rfc822
                | FetchAttribute::Rfc822Text
        )
    }

    /// The attribute list: a macro (`ALL`, `FAST`, `FULL`), one item, or `(item ...)`.
    pub fn parse_list(reader: &mut Reader) -> Parsed<Vec<FetchAttribute>> {
        use FetchAttribute::*;
        // RFC 9051 6.4.5: the macros stand for these lists.
        if reader.eat_keyword("ALL") {
            return Ok(vec![Flags, InternalDate, Rfc822Size, Envelope]);
        }
        if reader.eat_keyword("FAST") {
            return Ok(vec![Flags, InternalDate, Rfc822Size]);
        }
        if reader.eat_keyword("FULL") {
            return Ok(vec![Flags, InternalDate, Rfc822Size, Envelope, Body]);
        }
        if reader.peek() == Some(b'(') {
            reader.list(FetchAttribute::parse)
        } else {
            FetchAttribute::parse(reader).map(|a| vec![a])
        }
    }

    pub fn parse(reader: &mut Reader) -> Parsed<FetchAttribute> {
        use FetchAttribute::*;
        // Longest names first: RFC822.SIZE before RFC822, BODY.PEEK[ before BODY[ before BODY.
        let simple = [
            ("FLAGS", Flags),
            ("UID", Uid),
            ("INTERNALDATE", InternalDate),
            ("RFC822.SIZE", Rfc822Size),
            ("RFC822.HEADER", Rfc822Header),
            ("RFC822.TEXT", Rfc822Text),
            ("RFC822", Rfc822),
            ("ENVELOPE", Envelope),
            ("BODYSTRUCTURE", BodyStructure),
        ];
        for (name, attribute) in simple {
            if reader.eat_keyword(name) {
                return Ok(attribute);
            }
        }
        let peek = if reader.eat_keyword("BODY.PEEK") {
            true
        } else if reader.eat_keyword("BODY") {
            if reader.peek() != Some(b'[') {
                return Ok(Body);
            }
            false
        } else {
            return reader.error("a FETCH attribute");
        };
        let section = Section::parse(reader)?;
        let partial = if reader.eat(b'<') {
            let origin = reader.number()?;
            reader.expect(b'.', ". in <origin.length>")?;
            let length = reader.nz_number()?;
            reader.expect(b'>', "> closing <origin.length>")?;
            Some(Partial { origin, length })
        } else {
            None
        };
        Ok(BodySection {
            section,
            partial,
            peek,
        })
    }

    /// How the item is named in the FETCH response: `BODY[HEADER]<0>` for
    /// `BODY.PEEK[HEADER]<0.100>` (RFC 9051 7.5.2: peek is not echoed, the partial shows
    /// its origin only).
    pub fn response_name(&self) -> String {
        use FetchAttribute::*;
        match self {
            Flags => "FLAGS".into(),
            Uid => "UID".into(),
            InternalDate => "INTERNALDATE".into(),
            Rfc822Size => "RFC822.SIZE".into(),
            Envelope => "ENVELOPE".into(),
            Body => "BODY".into(),
            BodyStructure => "BODYSTRUCTURE".into(),
            Rfc822 => "RFC822".into(),
            Rfc822Header => "RFC822.HEADER".into(),
            Rfc822Text => "RFC822.TEXT".into(),
            BodySection {
                section, partial, ..
            } => match partial {
                Some(p) => format!("BODY[{section}]<{}>", p.origin),
                None => format!("BODY[{section}]"),
            },
        }
    }
}

impl Section {
    /// `[` section-spec `]`, the brackets included.
    pub fn parse(reader: &mut Reader) -> Parsed<Section> {
        reader.expect(b'[', "[")?;
        let mut section = Section::default();
        if reader.eat(b']') {
            return Ok(section);
        }
        // section-part: nz-number *("." nz-number), then optionally "." section-text.
        while reader.peek().is_some_and(|b| b.is_ascii_digit()) {
            section.part.push(reader.nz_number()?);
            if !reader.eat(b'.') {
                reader.expect(b']', "] closing the section")?;
                return Ok(section);
            }
        }
        let text = if reader.eat_keyword("HEADER.FIELDS.NOT") {
            reader.sp()?;
            SectionText::HeaderFieldsNot(reader.list(|r| r.astring_text())?)
        } else if reader.eat_keyword("HEADER.FIELDS") {
            reader.sp()?;
            SectionText::HeaderFields(reader.list(|r| r.astring_text())?)
        } else if reader.eat_keyword("HEADER") {
            SectionText::Header
        } else if reader.eat_keyword("TEXT") {
            SectionText::Text
        } else if !section.part.is_empty() && reader.eat_keyword("MIME") {
            // RFC 9051 6.4.5: MIME needs a part number.
            SectionText::Mime
        } else {
            return reader.error("HEADER, HEADER.FIELDS, TEXT or MIME");
        };
        section.text = Some(text);
        reader.expect(b']', "] closing the section")?;
        Ok(section)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.part.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))?;
        let Some(text) = &self.text else {
            return Ok(());
        };
        if !parts.is_empty() {
            f.write_str(".")?;
        }
        match text {
            SectionText::Header => f.write_str("HEADER"),
            SectionText::Text => f.write_str("TEXT"),
            SectionText::Mime => f.write_str("MIME"),
            SectionText::HeaderFields(names) => write!(f, "HEADER.FIELDS ({})", names.join(" ")),
            SectionText::HeaderFieldsNot(names) => {
                write!(f, "HEADER.FIELDS.NOT ({})", names.join(" "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<FetchAttribute> {
        let mut r = Reader::new(text.as_bytes());
        let list = FetchAttribute::parse_list(&mut r).unwrap();
        r.end().unwrap();
        list
    }

    #[test]
    fn macros_and_simple_items() {
        assert_eq!(parse("FAST").len(), 3);
        assert_eq!(parse("full")[4], FetchAttribute::Body);
        assert_eq!(
            parse("(UID RFC822.SIZE FLAGS BODYSTRUCTURE RFC822)"),
            [
                FetchAttribute::Uid,
                FetchAttribute::Rfc822Size,
                FetchAttribute::Flags,
                FetchAttribute::BodyStructure,
                FetchAttribute::Rfc822
            ]
        );
    }

    #[test]
    fn sections_partials_and_their_response_names() {
        let cases = [
            ("BODY.PEEK[]", "BODY[]", true),
            ("BODY[HEADER]", "BODY[HEADER]", false),
            (
                "BODY.PEEK[HEADER.FIELDS (From Subject)]<0.100>",
                "BODY[HEADER.FIELDS (From Subject)]<0>",
                true,
            ),
            ("BODY[1.2.MIME]", "BODY[1.2.MIME]", false),
            ("body[2.text]<5.10>", "BODY[2.TEXT]<5>", false),
            ("BODY[3]", "BODY[3]", false),
            (
                "BODY[HEADER.FIELDS.NOT (Received)]",
                "BODY[HEADER.FIELDS.NOT (Received)]",
                false,
            ),
        ];
        for (asked, named, peek) in cases {
            let list = parse(asked);
            assert_eq!(list[0].response_name(), named, "{asked}");
            assert_eq!(list[0].sets_seen(), !peek, "{asked}");
        }
        let FetchAttribute::BodySection { partial, .. } = &parse("BODY[]<7.3>")[0] else {
            panic!("a body section")
        };
        assert_eq!(
            *partial,
            Some(Partial {
                origin: 7,
                length: 3
            })
        );
    }

    #[test]
    fn malformed_items_fail() {
        for bad in [
            "BODY[MIME]",
            "BODY[0]",
            "BODY[1.]",
            "BODY[]<1>",
            "BODY[HEADER.FIELDS]",
            "RFC",
            "(FLAGS",
            "BODY[]<1.0>",
        ] {
            let mut r = Reader::new(bad.as_bytes());
            assert!(
                FetchAttribute::parse_list(&mut r)
                    .and_then(|_| r.end())
                    .is_err(),
                "{bad}"
            );
        }
    }
}
