//! The address of a view: `?scenario=<preset>&step=<number|end>` opens that preset at that
//! step, a step counted from 1 as the player shows it. Anything wrong in it is reported and
//! the app opens at its default instead.

/// Where a link asks to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub scenario: Option<String>,
    pub step: Option<StepRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRef {
    /// Counted from 1.
    Number(usize),
    End,
}

/// Read a query string (`?a=b&c=d`, with or without the `?`). Unknown parameters are left to
/// others (the embedding issue adds more); known ones with bad values are errors that name
/// the parameter.
pub fn parse_query(query: &str, known_scenario: impl Fn(&str) -> bool) -> (Link, Vec<String>) {
    let mut link = Link { scenario: None, step: None };
    let mut problems = Vec::new();
    for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key {
            "scenario" => {
                if known_scenario(&value) {
                    link.scenario = Some(value);
                } else {
                    problems.push(format!("scenario: there is no preset named {value:?}"));
                }
            }
            "step" => match value.as_str() {
                "end" => link.step = Some(StepRef::End),
                v => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => link.step = Some(StepRef::Number(n)),
                    _ => problems.push(format!("step: {value:?} is not a step number from 1, or \"end\"")),
                },
            },
            _ => {}
        }
    }
    (link, problems)
}

/// `%XX` escapes and `+` for space, as forms write them; bad escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match s.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()).ok_or(()) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl StepRef {
    /// The step index (from 0) in a player of `len` steps, clamped to the last.
    pub fn index(self, len: usize) -> usize {
        let last = len.saturating_sub(1);
        match self {
            StepRef::End => last,
            StepRef::Number(n) => (n - 1).min(last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        name == "first-letter" || name == "gave-up"
    }

    #[test]
    fn a_preset_and_a_step() {
        let (link, problems) = parse_query("?scenario=gave-up&step=12", known);
        assert_eq!(link, Link { scenario: Some("gave-up".into()), step: Some(StepRef::Number(12)) });
        assert!(problems.is_empty());
        let (link, _) = parse_query("step=end", known);
        assert_eq!(link.step, Some(StepRef::End));
    }

    #[test]
    fn bad_values_are_named_and_dropped() {
        let (link, problems) = parse_query("?scenario=no-such&step=0&embed=1", known);
        assert_eq!(link, Link { scenario: None, step: None });
        assert_eq!(
            problems,
            vec![
                "scenario: there is no preset named \"no-such\"".to_string(),
                "step: \"0\" is not a step number from 1, or \"end\"".to_string()
            ]
        );
        let (_, problems) = parse_query("?scenario=%ZZ&step=%31", known);
        assert_eq!(problems, vec!["scenario: there is no preset named \"%ZZ\"".to_string()]);
    }

    #[test]
    fn steps_are_clamped_to_the_player() {
        assert_eq!(StepRef::Number(1).index(10), 0);
        assert_eq!(StepRef::Number(99).index(10), 9);
        assert_eq!(StepRef::End.index(10), 9);
        assert_eq!(StepRef::End.index(0), 0);
    }
}
