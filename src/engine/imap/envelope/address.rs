//! Address lists of RFC 5322 3.4 as IMAP's ENVELOPE needs them (RFC 9051 7.5.2): each
//! mailbox as name, source route, local part and domain; groups as a start and an end
//! marker. Lenient like Dovecot's parser: junk gives Dovecot's `MISSING_...` fillers.

/// One element of an ENVELOPE address list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressItem {
    Mailbox {
        /// The display name (or a trailing comment), quotes removed, still RFC 2047-encoded.
        name: Option<String>,
        /// The obsolete source route `@a,@b` before the address (RFC 5322 4.4), which
        /// ENVELOPE keeps as its "at-domain-list" (RFC 9051 7.5.2).
        route: Option<String>,
        local: String,
        domain: String,
    },
    /// `name:` opening a group: `(NIL NIL "name" NIL)`.
    GroupStart(String),
    /// `;` closing it: `(NIL NIL NIL NIL)`.
    GroupEnd,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Comment(String),
    Angle(String),
    Special(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => s.extend(chars.next()),
                        '"' => break,
                        c => s.push(c),
                    }
                }
                out.push(Token::Quoted(s));
            }
            '(' => {
                let (mut s, mut depth) = (String::new(), 1);
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => s.extend(chars.next()),
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        c => s.push(c),
                    }
                }
                out.push(Token::Comment(s));
            }
            '<' => {
                // The address inside: comments and folding white space between its
                // tokens are not part of it (RFC 5322 3.4.1, CFWS around the `@`).
                let (mut s, mut quoted, mut comment) = (String::new(), false, 0u32);
                while let Some(c) = chars.next() {
                    match c {
                        '>' if !quoted && comment == 0 => break,
                        '\\' if quoted => {
                            s.push(c);
                            s.extend(chars.next());
                        }
                        '"' if comment == 0 => {
                            quoted = !quoted;
                            s.push(c);
                        }
                        '(' if !quoted => comment += 1,
                        ')' if !quoted && comment > 0 => comment -= 1,
                        _ if comment > 0 => {}
                        c if c.is_whitespace() && !quoted => {}
                        c => s.push(c),
                    }
                }
                out.push(Token::Angle(s));
            }
            ',' | ':' | ';' | '@' => out.push(Token::Special(c)),
            c => {
                let mut s = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || "\"(<,:;@>".contains(n) {
                        break;
                    }
                    s.push(n);
                    chars.next();
                }
                out.push(Token::Word(s));
            }
        }
    }
    out
}

/// The source route, if any, and `local@domain`, or Dovecot's fillers for a missing part.
fn split_addr_spec(spec: &str) -> (Option<String>, String, String) {
    // RFC 5322 4.4: an obsolete source route `@a,@b:local@domain` before the address.
    let (route, spec) = match spec.rsplit_once(':') {
        Some((route, address)) if route.starts_with('@') => (Some(route.to_string()), address),
        Some((_, address)) => (None, address),
        None => (None, spec),
    };
    let (local, domain) = match spec.rsplit_once('@') {
        Some((l, d)) if !l.is_empty() && !d.is_empty() => (l.to_string(), d.to_string()),
        Some((l, _)) if !l.is_empty() => (l.to_string(), "MISSING_DOMAIN".into()),
        _ if !spec.is_empty() && !spec.contains('@') => (spec.to_string(), "MISSING_DOMAIN".into()),
        _ => ("MISSING_MAILBOX".into(), "MISSING_DOMAIN".into()),
    };
    (route, local, domain)
}

#[derive(Default)]
struct Pending {
    phrase: Vec<String>,
    spec: String,
    comment: Option<String>,
    angle: Option<String>,
}

impl Pending {
    fn finish(&mut self, out: &mut Vec<AddressItem>) {
        let pending = std::mem::take(self);
        let name = (!pending.phrase.is_empty()).then(|| pending.phrase.join(" "));
        let (spec, name) = match pending.angle {
            Some(a) => (a, name),
            None if !pending.spec.is_empty() => (pending.spec, pending.comment),
            None => match name {
                // A lone word: a local part without a domain.
                Some(n) => (n, None),
                None => return,
            },
        };
        let (route, local, domain) = split_addr_spec(&spec);
        out.push(AddressItem::Mailbox {
            name: name.filter(|n| !n.is_empty()),
            route,
            local,
            domain,
        });
    }
}

/// The address list of one header value, `None` for an empty one.
pub fn parse_address_list(text: &str) -> Vec<AddressItem> {
    let mut out = Vec::new();
    let mut pending = Pending::default();
    let mut in_group = false;
    for token in tokens(text) {
        match token {
            Token::Angle(a) => pending.angle = Some(a),
            Token::Comment(c) => pending.comment = Some(c.trim().to_string()),
            Token::Special(',') => pending.finish(&mut out),
            Token::Special(':') if !in_group && pending.angle.is_none() => {
                let name = pending.phrase.join(" ");
                pending = Pending::default();
                out.push(AddressItem::GroupStart(name));
                in_group = true;
            }
            Token::Special(';') if in_group => {
                pending.finish(&mut out);
                out.push(AddressItem::GroupEnd);
                in_group = false;
            }
            Token::Special('@') => {
                // Glue `local @ domain` together: the words before become the local part.
                let local = pending.phrase.pop().unwrap_or_default();
                pending.spec = format!("{}{local}@", pending.spec);
            }
            Token::Special(_) => {}
            Token::Word(w) | Token::Quoted(w) => {
                if pending.spec.ends_with('@') {
                    pending.spec.push_str(&w);
                } else {
                    pending.phrase.push(w);
                }
            }
        }
    }
    pending.finish(&mut out);
    if in_group {
        out.push(AddressItem::GroupEnd);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(name: Option<&str>, local: &str, domain: &str) -> AddressItem {
        AddressItem::Mailbox {
            name: name.map(String::from),
            route: None,
            local: local.into(),
            domain: domain.into(),
        }
    }

    #[test]
    fn common_forms() {
        assert_eq!(
            parse_address_list("Alice Liddell <alice@northwind.test>, bob@southbay.test"),
            [
                mailbox(Some("Alice Liddell"), "alice", "northwind.test"),
                mailbox(None, "bob", "southbay.test")
            ]
        );
        assert_eq!(
            parse_address_list("\"Builder, Bob\" <bob@southbay.test>"),
            [mailbox(Some("Builder, Bob"), "bob", "southbay.test")]
        );
        assert_eq!(
            parse_address_list("carol@northwind.test (Carol)"),
            [mailbox(Some("Carol"), "carol", "northwind.test")]
        );
        assert_eq!(
            parse_address_list("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= <g@x.test>"),
            [mailbox(Some("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?="), "g", "x.test")]
        );
    }

    /// imaptest's search-addresses: comments inside the angle brackets are not the address.
    #[test]
    fn comments_inside_an_address() {
        assert_eq!(
            parse_address_list("<user-from (comment)@ (comment) domain.org>"),
            [mailbox(None, "user-from", "domain.org")]
        );
    }

    #[test]
    fn groups_and_junk() {
        assert_eq!(
            parse_address_list("undisclosed-recipients:;"),
            [
                AddressItem::GroupStart("undisclosed-recipients".into()),
                AddressItem::GroupEnd
            ]
        );
        assert_eq!(
            parse_address_list("Team: a@x.test, b@x.test;"),
            [
                AddressItem::GroupStart("Team".into()),
                mailbox(None, "a", "x.test"),
                mailbox(None, "b", "x.test"),
                AddressItem::GroupEnd
            ]
        );
        assert_eq!(
            parse_address_list("postmaster"),
            [mailbox(None, "postmaster", "MISSING_DOMAIN")]
        );
        assert_eq!(parse_address_list(""), []);
        assert_eq!(
            parse_address_list("<>"),
            [mailbox(None, "MISSING_MAILBOX", "MISSING_DOMAIN")]
        );
    }
}
