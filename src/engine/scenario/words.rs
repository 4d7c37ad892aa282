//! serde's parse errors in a teacher's words: `invalid type: string "ten", expected u64` says
//! nothing to someone who has never seen Rust. The messages serde writes have a small, fixed
//! grammar (serde::de::Error's `invalid_type`, `invalid_value`, `unknown_variant`,
//! `unknown_field`, `missing_field`, and the `Unexpected` and `Expected` texts in them); each
//! is said again here, and anything else is left as it was.

/// Fields that hold seconds of virtual time (docs/scenarios.md, "The fields").
const SECONDS: [&str; 9] = ["at", "from", "until", "delay", "first_retry", "max_retry", "queue_run_delay", "lifetime", "delay_warning"];

/// `problem`, a serde message about `field`, in plain words.
pub(super) fn plainly(problem: &str, field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let last = last.split('[').next().unwrap_or(last);
    let seconds = SECONDS.contains(&last);
    if let Some(rest) = problem.strip_prefix("invalid type: ").or_else(|| problem.strip_prefix("invalid value: ")) {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let negative = found.starts_with("integer `-");
            let mut said = format!("{} is not {}", found_words(found), expected_words(expected, seconds));
            if negative {
                said.push_str(" (it cannot be negative)");
            }
            return said;
        }
    }
    if let Some(rest) = problem.strip_prefix("unknown variant ") {
        if let Some((name, expected)) = rest.split_once(", expected ") {
            return format!("\"{}\" is not one of: {}", name.trim_matches('`'), names(expected));
        }
        return format!("\"{}\" is not allowed here", rest.trim_matches('`'));
    }
    if let Some(rest) = problem.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((name, expected)) => format!("there is no field \"{}\" here; the fields are: {}", name.trim_matches('`'), names(expected)),
            None => format!("there is no field \"{}\" here", rest.trim_end_matches(", there are no fields").trim_matches('`')),
        };
    }
    if let Some(name) = problem.strip_prefix("missing field ") {
        return format!("\"{}\" is missing", name.trim_matches('`'));
    }
    problem.to_owned()
}

/// serde's `Unexpected`: what the file has.
fn found_words(found: &str) -> String {
    let quoted = |s: &str| s.trim_matches('`').to_owned();
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for kind in ["integer ", "floating point ", "boolean "] {
        if let Some(value) = found.strip_prefix(kind) {
            return quoted(value);
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        "unit value" | "null" => "null".into(),
        other => other.to_owned(),
    }
}

/// serde's `Expected`: what the field wants.
fn expected_words(expected: &str, seconds: bool) -> String {
    match expected {
        "u64" | "u32" | "usize" if seconds => "a whole number of seconds".into(),
        "u64" | "u32" | "usize" => "a whole number".into(),
        "u16" => "a whole number from 0 to 65535".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text in quotes".into(),
        "a sequence" => "a list in [ ]".into(),
        "an array of length 2" => "a list of two".into(),
        e if e.starts_with("struct ") || e == "a map" || e.starts_with("internally tagged enum") => "an object in { }".into(),
        e if e.starts_with("unit variant") || e.starts_with("enum") => "one of the names allowed here".into(),
        other => other.to_owned(),
    }
}

/// "`a`, `b` or `c`" as "a, b, c".
fn names(expected: &str) -> String {
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    expected.replace(" or ", ", ").replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_are_said_plainly() {
        assert_eq!(plainly("invalid type: string \"ten\", expected u64", "faults[0].from"), "the text \"ten\" is not a whole number of seconds");
        assert_eq!(plainly("invalid type: string \"ten\", expected u16", "domains[1].mx[0].preference"), "the text \"ten\" is not a whole number from 0 to 65535");
        assert_eq!(
            plainly("invalid value: integer `-5`, expected u64", "actions[0].at"),
            "-5 is not a whole number of seconds (it cannot be negative)"
        );
        assert_eq!(plainly("invalid type: floating point `1.5`, expected usize", "checkpoints[0].nth"), "1.5 is not a whole number");
        assert_eq!(plainly("invalid type: string \"yes\", expected a boolean", "actions[0].send.auth"), "the text \"yes\" is not true or false");
        assert_eq!(
            plainly("unknown variant `host-dwn`, expected one of `host-down`, `link-down`, `greylisting`", "faults[0].kind"),
            "\"host-dwn\" is not one of: host-down, link-down, greylisting"
        );
        assert_eq!(
            plainly("unknown field `mailbox_hots`, expected one of `name`, `address`", "hosts[1].mailbox_hots"),
            "there is no field \"mailbox_hots\" here; the fields are: name, address"
        );
        assert_eq!(plainly("missing field `name`", "hosts[1]"), "\"name\" is missing");
        assert_eq!(plainly("EOF while parsing an object", ""), "EOF while parsing an object");
    }
}
