//! The address of a view, for links and course pages:
//! `?scenario=<preset | file.json>&step=<number|end>&autoplay=1&speed=2&view=diagram&embed=1&theme=dark&predict=1`,
//! and `#scenario=<data>` for a scenario carried in the link itself (`share.rs`). A step is
//! counted from 1 as the player shows it. Anything wrong is reported, and the app opens with
//! the default for that parameter instead.

/// Which scenario a link asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioRef {
    Preset(String),
    /// A scenario file on the same host, by a relative URL ending in `.json`.
    File(String),
    /// A scenario carried in the fragment, already inflated to JSON.
    Inline(String),
}

/// Which parts of the app to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Both,
    Diagram,
    Stream,
    Lab,
    /// The scenario's questions on paper, to print and hand out.
    Worksheet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

/// Where a link asks to start, and how to show it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    pub scenario: Option<ScenarioRef>,
    pub step: Option<StepRef>,
    pub autoplay: bool,
    /// Playback speed, a multiplier from 0.25 to 8.
    pub speed: Option<f64>,
    pub view: View,
    /// Minimal chrome, to fit an iframe of 800×500.
    pub embed: bool,
    pub theme: Theme,
    /// "Predict the server's reply": playing stops before the replies that matter and asks.
    pub predict: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRef {
    /// Counted from 1.
    Number(usize),
    End,
    /// A checkpoint the scenario names: it survives changes of the engine that move steps.
    Checkpoint(String),
}

/// Read a query string (`?a=b&c=d`, with or without the `?`) and a fragment (`#scenario=...`).
/// Unknown parameters are ignored; known ones with bad values are errors that name the
/// parameter.
pub fn parse_link(query: &str, fragment: &str, known_preset: impl Fn(&str) -> bool) -> (Link, Vec<String>) {
    let (mut link, mut problems) = parse_query(query, known_preset);
    for pair in fragment.trim_start_matches('#').split('&').filter(|p| !p.is_empty()) {
        if let Some(data) = pair.strip_prefix("scenario=") {
            match crate::player::share::decode_scenario(data) {
                Ok(json) => link.scenario = Some(ScenarioRef::Inline(json)),
                Err(e) => problems.push(format!("#scenario: {e}")),
            }
        }
    }
    (link, problems)
}

impl Link {
    /// The query that asks for this view (`?scenario=gave-up&step=7&theme=dark`): what
    /// `parse_query` reads back as this link. Parameters at their defaults are left out; a
    /// scenario carried inline goes in the fragment, which the caller adds.
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match &self.scenario {
            Some(ScenarioRef::Preset(name)) => parts.push(format!("scenario={}", percent_encode(name))),
            Some(ScenarioRef::File(url)) => parts.push(format!("scenario={}", percent_encode(url))),
            Some(ScenarioRef::Inline(_)) | None => {}
        }
        match &self.step {
            Some(StepRef::Number(n)) => parts.push(format!("step={n}")),
            Some(StepRef::End) => parts.push("step=end".into()),
            Some(StepRef::Checkpoint(name)) => parts.push(format!("step={name}")),
            None => {}
        }
        if self.autoplay {
            parts.push("autoplay=1".into());
        }
        // Written from a table, as the speed menu is: formatting an f64 costs wasm size.
        if let Some(speed) = self.speed.and_then(|x| SPEED_WORDS.iter().find(|(v, _)| *v == x)).filter(|(v, _)| *v != 1.0) {
            parts.push(format!("speed={}", speed.1));
        }
        match self.view {
            View::Both => {}
            View::Diagram => parts.push("view=diagram".into()),
            View::Stream => parts.push("view=stream".into()),
            View::Lab => parts.push("view=lab".into()),
            View::Worksheet => parts.push("view=worksheet".into()),
        }
        if self.embed {
            parts.push("embed=1".into());
        }
        match self.theme {
            Theme::Auto => {}
            Theme::Light => parts.push("theme=light".into()),
            Theme::Dark => parts.push("theme=dark".into()),
        }
        if self.predict {
            parts.push("predict=1".into());
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// The speeds a link writes, as the player offers them.
const SPEED_WORDS: [(f64, &str); 6] = [(0.25, "0.25"), (0.5, "0.5"), (1.0, "1"), (2.0, "2"), (4.0, "4"), (8.0, "8")];

/// What a query value cannot carry as it is.
fn percent_encode(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '%' | '&' | '#' | '+' | '=' | '?' | ' ' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A relative URL of a JSON file on the same host: no scheme, no host, no way out of it.
fn same_host_json(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    // Browsers read `\` as `/` in URLs, so `/\evil.example/x.json` would leave the host: no
    // backslash at all, no scheme, no `//`.
    lower.ends_with(".json")
        && !lower.contains(':')
        && !lower.contains('\\')
        && !lower.starts_with("//")
        && value.chars().all(|c| c.is_ascii_graphic())
}

/// A bad value as a problem message quotes it: at most its first 60 characters.
fn quoted(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
        None => format!("{value:?}"),
    }
}

pub fn parse_query(query: &str, known_preset: impl Fn(&str) -> bool) -> (Link, Vec<String>) {
    let mut link = Link::default();
    let mut problems = Vec::new();
    for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key {
            "scenario" => {
                if known_preset(&value) {
                    link.scenario = Some(ScenarioRef::Preset(value));
                } else if same_host_json(&value) {
                    link.scenario = Some(ScenarioRef::File(value));
                } else {
                    problems.push(format!(
                        "scenario: there is no preset named {} (a file must be a relative URL ending in .json)",
                        quoted(&value)
                    ));
                }
            }
            "autoplay" => match value.as_str() {
                "1" => link.autoplay = true,
                "0" => link.autoplay = false,
                _ => problems.push(format!("autoplay: {} is not 0 or 1", quoted(&value))),
            },
            "speed" => match value.parse::<f64>() {
                Ok(x) if (0.25..=8.0).contains(&x) => link.speed = Some(x),
                _ => problems.push(format!("speed: {} is not a number from 0.25 to 8", quoted(&value))),
            },
            "view" => match value.as_str() {
                "both" => link.view = View::Both,
                "diagram" => link.view = View::Diagram,
                "stream" => link.view = View::Stream,
                "lab" => link.view = View::Lab,
                "worksheet" => link.view = View::Worksheet,
                _ => problems.push(format!("view: {} is not diagram, stream, both, lab or worksheet", quoted(&value))),
            },
            "embed" => match value.as_str() {
                "1" => link.embed = true,
                "0" => link.embed = false,
                _ => problems.push(format!("embed: {} is not 0 or 1", quoted(&value))),
            },
            "predict" => match value.as_str() {
                "1" => link.predict = true,
                "0" => link.predict = false,
                _ => problems.push(format!("predict: {} is not 0 or 1", quoted(&value))),
            },
            "theme" => match value.as_str() {
                "light" => link.theme = Theme::Light,
                "dark" => link.theme = Theme::Dark,
                "auto" => link.theme = Theme::Auto,
                _ => problems.push(format!("theme: {} is not light, dark or auto", quoted(&value))),
            },
            "step" => match value.as_str() {
                "end" => link.step = Some(StepRef::End),
                v if v.chars().all(|c| c.is_ascii_digit()) => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => link.step = Some(StepRef::Number(n)),
                    _ => problems.push(format!("step: {} is not a step number from 1, or \"end\"", quoted(&value))),
                },
                v if !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') => {
                    link.step = Some(StepRef::Checkpoint(v.to_owned()))
                }
                _ => problems.push(format!("step: {} is not a step number from 1, \"end\", or a checkpoint's name", quoted(&value))),
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
    /// The step index (from 0) in a player of `len` steps, clamped to the last; a checkpoint
    /// by the step its name resolves to (`checkpoint`), or `None` when it has none.
    pub fn index(&self, len: usize, checkpoint: impl Fn(&str) -> Option<usize>) -> Option<usize> {
        let last = len.saturating_sub(1);
        match self {
            StepRef::End => Some(last),
            StepRef::Number(n) => Some((n - 1).min(last)),
            StepRef::Checkpoint(name) => checkpoint(name).map(|s| s.min(last)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_written_as_a_query_reads_back_as_itself() {
        let links = [
            Link::default(),
            Link {
                scenario: Some(ScenarioRef::File("lessons/week+1&2.json".into())),
                step: Some(StepRef::Number(7)),
                autoplay: true,
                speed: Some(0.25),
                view: View::Diagram,
                embed: true,
                theme: Theme::Dark,
                predict: true,
            },
            Link { scenario: Some(ScenarioRef::Preset("gave-up".into())), step: Some(StepRef::End), speed: Some(8.0), view: View::Stream, theme: Theme::Light, ..Link::default() },
            Link { step: Some(StepRef::Checkpoint("waiting".into())), view: View::Lab, ..Link::default() },
            Link { scenario: Some(ScenarioRef::Preset("first-letter".into())), view: View::Worksheet, ..Link::default() },
        ];
        for link in links {
            let (read, problems) = parse_query(&link.query(), known);
            assert_eq!((read, problems), (link.clone(), vec![]), "{}", link.query());
        }
        // The default speed is left out, as every default.
        assert_eq!(Link { speed: Some(1.0), ..Link::default() }.query(), "");
    }

    fn known(name: &str) -> bool {
        name == "first-letter" || name == "gave-up"
    }

    #[test]
    fn a_preset_and_a_step() {
        let (link, problems) = parse_query("?scenario=gave-up&step=12", known);
        assert_eq!(link.scenario, Some(ScenarioRef::Preset("gave-up".into())));
        assert_eq!(link.step, Some(StepRef::Number(12)));
        assert!(problems.is_empty());
        let (link, _) = parse_query("step=end", known);
        assert_eq!(link.step, Some(StepRef::End));
    }

    #[test]
    fn every_parameter_of_an_embedding() {
        let (link, problems) =
            parse_query("?scenario=lessons/week3.json&autoplay=1&speed=0.25&view=diagram&embed=1&theme=dark", known);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(link.scenario, Some(ScenarioRef::File("lessons/week3.json".into())));
        assert!(link.autoplay && link.embed);
        assert_eq!((link.speed, link.view, link.theme), (Some(0.25), View::Diagram, Theme::Dark));
    }

    #[test]
    fn bad_values_are_named_and_dropped() {
        let (link, problems) = parse_query("?scenario=no-such&step=0&embed=2&speed=9&view=map&theme=pink&autoplay=yes", known);
        assert_eq!(link, Link::default());
        assert_eq!(problems.len(), 7, "{problems:?}");
        assert!(problems[0].starts_with("scenario: there is no preset named \"no-such\""));
        assert_eq!(problems[1], "step: \"0\" is not a step number from 1, or \"end\"");
        for url in ["https://evil.example/x.json", "//evil.example/x.json", "javascript:alert(1).json", "x.txt"] {
            let (link, problems) = parse_query(&format!("scenario={url}"), known);
            assert_eq!((link.scenario, problems.len()), (None, 1), "{url}");
        }
    }

    #[test]
    fn a_scenario_in_the_fragment() {
        let json = crate::engine::scenario::preset("first-letter").unwrap().json;
        let data = crate::player::share::encode_scenario(json);
        let (link, problems) = parse_link("?step=3", &format!("#scenario={data}"), known);
        assert!(problems.is_empty());
        assert_eq!(link.scenario, Some(ScenarioRef::Inline(json.to_owned())));
        let (link, problems) = parse_link("", "#scenario=%%%", known);
        assert_eq!((link.scenario, problems.len()), (None, 1));
    }

    #[test]
    fn steps_are_clamped_to_the_player_and_checkpoints_resolved() {
        let none = |_: &str| None;
        assert_eq!(StepRef::Number(1).index(10, none), Some(0));
        assert_eq!(StepRef::Number(99).index(10, none), Some(9));
        assert_eq!(StepRef::End.index(10, none), Some(9));
        assert_eq!(StepRef::End.index(0, none), Some(0));
        let named = |n: &str| (n == "waiting").then_some(4);
        assert_eq!(StepRef::Checkpoint("waiting".into()).index(10, named), Some(4));
        assert_eq!(StepRef::Checkpoint("nowhere".into()).index(10, named), None);
        let (link, problems) = parse_query("step=final-dot", known);
        assert_eq!((link.step, problems.len()), (Some(StepRef::Checkpoint("final-dot".into())), 0));
    }
}
