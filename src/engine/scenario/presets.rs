//! The preset scenarios of the lessons. The same files are served from `static/scenarios/`
//! (the format teachers copy) and compiled in here, so that presets work offline and
//! `mailflow-lab trace <preset>` finds them.

use super::{Scenario, ScenarioError, ScenarioErrors};

/// A preset scenario: its name and the text of its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub json: &'static str,
}

macro_rules! presets {
    ($($name:literal),* $(,)?) => {
        &[$(Preset { name: $name, json: include_str!(concat!("../../../static/scenarios/", $name, ".json")) }),*]
    };
}

/// In the order of the lessons (docs/teaching-guide.md).
static PRESETS: &[Preset] = presets![
    "first-letter",
    "same-domain",
    "server-down",
    "backup-mx",
    "unknown-user",
    "partial-failure",
    "many-recipients",
    "mailbox-full",
    "no-such-domain",
    "null-mx",
    "no-mx",
    "gave-up",
    "who-is-sending",
    "who-lives-here",
    "open-relay",
    "signed-and-sealed",
    "spoofed",
    "forwarded",
    "tampered",
    "pop-vs-imap",
    "implicit-tls",
    "greylisted",
    "quiz-journey",
];

pub fn presets() -> &'static [Preset] {
    PRESETS
}

pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    pub fn scenario(&self) -> Result<Scenario, ScenarioErrors> {
        Scenario::from_json(self.json)
    }

    /// The title and summary the list of scenarios shows, read without building (and
    /// checking) the whole scenario: the list appears before any preset is opened.
    pub fn heading(&self) -> Result<Heading, ScenarioError> {
        serde_json::from_str(self.json).map_err(|e| ScenarioError::from_serde(e, self.json))
    }
}

/// A scenario file's title and summary; its other fields are skipped.
#[derive(Debug, serde::Deserialize)]
pub struct Heading {
    pub title: String,
    pub summary: String,
}
