//! Which field of a scenario file a parse error is about, as a path (`hosts[2].address`).
//!
//! serde_json says where it stopped (line and column) but not in which field. Rather than
//! wrap every deserializer to track the path as it goes (serde_path_to_error did that, and
//! its wrappers cost 24 KB of the browser's wasm), the path is recovered afterwards: the text
//! is scanned up to the error's position, keeping the stack of open objects and arrays with
//! the key or index being read in each. The scan only runs on the error path, it tolerates any
//! text (a broken file is why we are here), and it cannot panic.

/// The path of the value being read at 1-based `line` and `column` (in bytes, as serde_json
/// counts them), inclusive: the character there has been read. Empty for the top level.
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    let end = offset_of(text, line, column).map_or(text.len(), |o| (o + 1).min(text.len()));
    let mut scan = Scan::default();
    let bytes = &text.as_bytes()[..end];
    let mut i = 0;
    while i < bytes.len() {
        i = scan.step(bytes, i);
    }
    scan.path()
}

/// The byte offset of a 1-based line and column, if the text has it.
pub(super) fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2)?.0 + 1
    };
    Some(start + column.checked_sub(1)?)
}

/// An open container and where in it the scan is.
enum Frame {
    /// The last key read, and whether its value has started (after the `:`).
    Object { key: Option<String>, in_value: bool },
    Array { index: usize },
}

#[derive(Default)]
struct Scan {
    stack: Vec<Frame>,
}

impl Scan {
    /// Read one token starting at `i`; return where the next one starts.
    fn step(&mut self, bytes: &[u8], i: usize) -> usize {
        match bytes[i] {
            b'{' => {
                self.stack.push(Frame::Object { key: None, in_value: false });
                i + 1
            }
            b'[' => {
                self.stack.push(Frame::Array { index: 0 });
                i + 1
            }
            b'}' | b']' => {
                self.stack.pop();
                i + 1
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = self.stack.last_mut() {
                    *in_value = true;
                }
                i + 1
            }
            b',' => {
                match self.stack.last_mut() {
                    Some(Frame::Object { key, in_value }) => {
                        *key = None;
                        *in_value = false;
                    }
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                i + 1
            }
            b'"' => {
                let end = string_end(bytes, i + 1);
                if let Some(Frame::Object { key, in_value: false }) = self.stack.last_mut() {
                    // A key; escapes are kept as written, which is how the teacher typed it.
                    *key = Some(String::from_utf8_lossy(&bytes[i + 1..end.min(bytes.len())]).into_owned());
                }
                (end + 1).min(bytes.len())
            }
            // Numbers, literals, white space and stray bytes have no effect on the path.
            _ => i + 1,
        }
    }

    fn path(&self) -> String {
        let mut path = String::new();
        for frame in &self.stack {
            match frame {
                Frame::Object { key: Some(key), in_value: true } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                // A key whose value has not started is still the field being read (an unknown
                // field is reported as its name ends), but nothing inside it is.
                Frame::Object { key: Some(key), in_value: false } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    break;
                }
                Frame::Object { key: None, .. } => break,
                Frame::Array { index } => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        path
    }
}

/// The index of the quote that closes a string whose content starts at `i`, or the end.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at the first occurrence of `marker` (its last byte, as serde_json reports).
    fn at(text: &str, marker: &str) -> String {
        let end = text.find(marker).expect("marker in text") + marker.len() - 1;
        let line = text[..end].matches('\n').count() + 1;
        let column = end - text[..end].rfind('\n').map_or(0, |n| n + 1) + 1;
        path_at(text, line, column)
    }

    const TEXT: &str = "{\n  \"hosts\": [\n    {\"name\": \"a\", \"ports\": [1, 2]},\n    {\"name\": \"b\", \"mx\": {\"pref\": \"ten\"}}\n  ],\n  \"version\": 1\n}";

    #[test]
    fn names_keys_and_indices_on_the_way_down() {
        assert_eq!(at(TEXT, "\"ten\""), "hosts[1].mx.pref");
        assert_eq!(at(TEXT, ", 2"), "hosts[0].ports[1]");
        assert_eq!(at(TEXT, "\"b\""), "hosts[1].name");
        assert_eq!(at(TEXT, "\"version\""), "version");
    }

    #[test]
    fn a_closed_object_is_the_field_itself() {
        // serde_json reports a missing field at the object's closing brace.
        assert_eq!(at(TEXT, "2]}"), "hosts[0]");
        assert_eq!(at(TEXT, "\"ten\"}"), "hosts[1].mx");
    }

    #[test]
    fn the_top_level_and_positions_outside_the_text_are_tolerated() {
        assert_eq!(path_at(TEXT, 1, 1), "");
        assert_eq!(path_at(TEXT, 99, 1), "");
        assert_eq!(path_at(TEXT, 2, 0), "");
        assert_eq!(path_at("{\"a\": \"unterminated", 1, 40), "a");
        assert_eq!(path_at("]]]}}\"\\", 1, 7), "");
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        let text = r#"{"a": "say \"hi\"", "b": [true, "x"]}"#;
        assert_eq!(at(text, "\"x\""), "b[1]");
    }
}
