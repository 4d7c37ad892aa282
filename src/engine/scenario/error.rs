//! What is wrong with a scenario file, said so that a teacher can fix it.

use std::fmt;

use super::json_path::path_at;
use super::words::plainly;

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
        Self::from_serde_at(&err, field, position)
    }

    /// A parse error about `field`, whose position in the file is known apart from `err` (which
    /// may be the error of a part of the text, read on its own), said in plain words.
    pub(super) fn from_serde_at(err: &serde_json::Error, field: String, position: Option<(usize, usize)>) -> Self {
        // serde_json appends " at line L column C"; the position is kept separately.
        let mut problem = err.to_string();
        if let Some(cut) = problem.rfind(" at line ") {
            problem.truncate(cut);
        }
        let problem = plainly(&problem, &field);
        ScenarioError { field, problem, position }
    }
}

/// Everything wrong with a scenario file, in the order of the file: a teacher fixes them all in
/// one go, as a compiler's errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl ScenarioErrors {
    pub fn first(&self) -> Option<&ScenarioError> {
        self.0.first()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, ScenarioError> {
        self.0.iter()
    }
}

impl From<ScenarioError> for ScenarioErrors {
    fn from(error: ScenarioError) -> Self {
        ScenarioErrors(vec![error])
    }
}

/// One error a line.
impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

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
