//! The preset scenarios of the lessons. The same files are served from `static/scenarios/`
//! (the format teachers copy) and compiled in here, so that presets work offline and
//! `mailflow-lab trace <preset>` finds them.

use super::{Scenario, ScenarioError};

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

/// In the order of the lessons (TEACHING.md).
static PRESETS: &[Preset] = presets![
    "first-letter",
    "same-domain",
    "server-down",
    "backup-mx",
    "unknown-user",
    "gave-up",
    "who-is-sending",
    "pop-vs-imap",
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
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        Scenario::from_json(self.json)
    }
}
