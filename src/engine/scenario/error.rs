//! What is wrong with a scenario file, said so that a teacher can fix it.

use std::fmt;

use super::json_path::path_at;

/// A scenario file that cannot be used: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The field, as a path into the file: `hosts[2].mailbox_host`; empty for the whole file.
    pub field: String,
    pub problem: String,
    /// Where in the text the parser stopped (line, column), when it was a parse error.
    pub position: Option<(usize, usize)>,
}

impl ScenarioError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        ScenarioError { field: field.into(), problem: problem.into(), position: None }
    }

    /// A parse error of `text`, with the field it is about found from where the parser stopped.
    pub(super) fn from_serde(err: serde_json::Error, text: &str) -> Self {
        let position = (err.line() > 0).then(|| (err.line(), err.column()));
        let field = position.map(|(line, column)| path_at(text, line, column)).unwrap_or_default();
        // serde_json appends " at line L column C"; the position is kept separately.
        let mut problem = err.to_string();
        if let Some(cut) = problem.rfind(" at line ") {
            problem.truncate(cut);
        }
        ScenarioError { field, problem, position }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.problem)?;
        } else {
            write!(f, "{}: {}", self.field, self.problem)?;
        }
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}
