//! Tag=value lists, the syntax of DKIM signatures and keys (RFC 6376 3.2) and of DMARC
//! records (RFC 9989 4.7, which reuses it).

/// The tags of `text` in order, each value without the white space around it. `Err` names what
/// is wrong: a tag without `=`, a malformed name, or a name given twice (RFC 6376 3.2: then
/// "the entire tag-list is invalid").
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut tags: Vec<(String, String)> = Vec::new();
    let parts: Vec<&str> = text.split(';').collect();
    for (i, part) in parts.iter().enumerate() {
        if part.trim().is_empty() {
            // A trailing ";" is allowed; an empty tag between two is not.
            if i + 1 == parts.len() {
                continue;
            }
            return Err("an empty tag between two semicolons".into());
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("\"{}\" has no \"=\"", part.trim()));
        };
        let name = name.trim();
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!("\"{name}\" is not a tag name"));
        }
        if tags.iter().any(|(n, _)| n == name) {
            return Err(format!("the tag {name}= is given twice"));
        }
        tags.push((name.to_owned(), value.trim().to_owned()));
    }
    Ok(tags)
}

/// The value of tag `name`, if present.
pub fn get<'a>(tags: &'a [(String, String)], name: &str) -> Option<&'a str> {
    tags.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_list_reads_with_folding_and_a_trailing_semicolon() {
        let tags = parse("v=1; a=rsa-sha256;\r\n\tb=abc\r\n def ;").unwrap();
        assert_eq!(get(&tags, "a"), Some("rsa-sha256"));
        assert_eq!(get(&tags, "b"), Some("abc\r\n def"));
        assert_eq!(tags.len(), 3);
    }

    #[test]
    fn malformed_lists_are_refused_with_a_reason() {
        assert_eq!(parse("v=1; v=1").unwrap_err(), "the tag v= is given twice");
        assert_eq!(parse("v=1;; a=b").unwrap_err(), "an empty tag between two semicolons");
        assert_eq!(parse("v=1; junk").unwrap_err(), "\"junk\" has no \"=\"");
        assert_eq!(parse("1v=1").unwrap_err(), "\"1v\" is not a tag name");
    }
}
