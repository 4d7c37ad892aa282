//! BODYSTRUCTURE and BODY (RFC 9051 7.5.2, RFC 3501 7.4.2): the MIME tree of a message as
//! nested lists. Dovecot's forms are followed: type and subtype as the header writes them,
//! `"text" "plain" ("charset" "us-ascii")` and `"7bit"` filled in when absent, line counts
//! for text parts, and extension data (md5, disposition, language, location) only for
//! BODYSTRUCTURE.

use super::envelope::write_envelope;
use super::mime::{ParameterizedValue, Part};
use super::response::{write_nstring, write_string};

/// RFC 9051 7.5.2: the number of lines of a text body (its LFs, plus an unterminated last line).
fn line_count(body: &[u8]) -> usize {
    let lfs = body.iter().filter(|&&b| b == b'\n').count();
    lfs + usize::from(!body.is_empty() && !body.ends_with(b"\n"))
}

fn write_params(out: &mut Vec<u8>, params: &[(String, String)]) {
    if params.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        write_string(out, name.as_bytes());
        out.push(b' ');
        write_string(out, value.as_bytes());
    }
    out.push(b')');
}

/// The type and subtype as written (or the defaults), and the parameters.
fn written_type(part: &Part) -> (String, String, Vec<(String, String)>) {
    match &part.content_type {
        Some(ct) => match ct.value.split_once('/') {
            Some((t, s)) => (t.trim().into(), s.trim().into(), ct.params.clone()),
            None => (
                part.media_type.clone(),
                part.media_subtype.clone(),
                ct.params.clone(),
            ),
        },
        None if part.media_type == "text" => (
            "text".into(),
            "plain".into(),
            vec![("charset".into(), "us-ascii".into())],
        ),
        None => (
            part.media_type.clone(),
            part.media_subtype.clone(),
            Vec::new(),
        ),
    }
}

fn write_field(out: &mut Vec<u8>, part: &Part, name: &str) {
    write_nstring(out, part.field(name).map(str::as_bytes));
}

/// `body-fld-dsp body-fld-lang body-fld-loc` (RFC 9051 9 `body-ext-1part` / `body-ext-mpart`).
fn write_extension_tail(out: &mut Vec<u8>, part: &Part) {
    out.push(b' ');
    match part.field("Content-Disposition") {
        Some(value) => {
            let d = ParameterizedValue::parse(value);
            out.push(b'(');
            write_string(out, d.value.as_bytes());
            out.push(b' ');
            write_params(out, &d.params);
            out.push(b')');
        }
        None => out.extend_from_slice(b"NIL"),
    }
    out.push(b' ');
    write_field(out, part, "Content-Language");
    out.push(b' ');
    write_field(out, part, "Content-Location");
}

/// Writes `part` in BODYSTRUCTURE form (`extensions`) or BODY form.
pub fn write_body_structure(out: &mut Vec<u8>, part: &Part, extensions: bool) {
    out.push(b'(');
    let (media_type, subtype, params) = written_type(part);
    if part.is_multipart() && !part.children.is_empty() {
        for child in &part.children {
            write_body_structure(out, child, extensions);
        }
        out.push(b' ');
        write_string(out, subtype.as_bytes());
        if extensions {
            out.push(b' ');
            write_params(out, &params);
            write_extension_tail(out, part);
        }
        out.push(b')');
        return;
    }
    write_string(out, media_type.as_bytes());
    out.push(b' ');
    write_string(out, subtype.as_bytes());
    out.push(b' ');
    write_params(out, &params);
    out.push(b' ');
    write_field(out, part, "Content-ID");
    out.push(b' ');
    write_field(out, part, "Content-Description");
    out.push(b' ');
    let encoding = part.field("Content-Transfer-Encoding").unwrap_or("7bit");
    write_string(out, encoding.trim().as_bytes());
    out.extend_from_slice(format!(" {}", part.body.len()).as_bytes());
    if let Some(inner) = &part.message {
        // RFC 9051 7.5.2: message/rfc822 adds the envelope, the body structure and lines.
        out.push(b' ');
        write_envelope(out, &inner.fields);
        out.push(b' ');
        write_body_structure(out, inner, extensions);
        out.extend_from_slice(format!(" {}", line_count(part.body)).as_bytes());
    } else if part.media_type == "text" {
        out.extend_from_slice(format!(" {}", line_count(part.body)).as_bytes());
    }
    if extensions {
        out.push(b' ');
        write_field(out, part, "Content-MD5");
        write_extension_tail(out, part);
    }
    out.push(b')');
}

/// BODYSTRUCTURE (`extensions`) or BODY of a whole message, as text.
pub fn body_structure(message: &[u8], extensions: bool) -> String {
    let mut out = Vec::new();
    write_body_structure(&mut out, &Part::parse(message), extensions);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_message_like_dovecot() {
        let msg = b"From: a@b.test\r\nSubject: Hi\r\n\r\nHello Bob\r\nsee you\r\n";
        assert_eq!(
            body_structure(msg, true),
            "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 2 NIL NIL NIL NIL)"
        );
        assert_eq!(
            body_structure(msg, false),
            "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 2)"
        );
    }

    #[test]
    fn multipart_with_attachment_and_message() {
        let msg = b"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nhi\r\n--XX\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--XX\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nbody\r\n--XX--\r\n";
        assert_eq!(
            body_structure(msg, true),
            concat!(
                "((\"text\" \"plain\" (\"charset\" \"UTF-8\") NIL NIL \"quoted-printable\" 2 1 NIL NIL NIL NIL)",
                "(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 8 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL)",
                "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 22 (NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 1 NIL NIL NIL NIL) 3 NIL NIL NIL NIL)",
                " \"mixed\" (\"boundary\" \"XX\") NIL NIL NIL)"
            )
        );
        assert!(body_structure(msg, false).ends_with(") \"mixed\")"));
    }

    #[test]
    fn line_counts() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\r\nb\r\n"), 2);
    }
}
