//! Reading a scenario file so that every mistake in it is found in one go, as a compiler finds
//! them. serde stops at the first error, so each element of each list (every host, fault,
//! action...) and the queue policy are read on their own, from their own text in the file
//! (`RawValue`: the position of an error in an element is its position in the file, and so is
//! the field path found from it, `json_path.rs`). Only a broken JSON syntax stops the reading,
//! since nothing after it can be told apart.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::json_path::{offset_of, path_at};
use super::{Action, Checkpoint, Domain, Fault, Host, QueuePolicy, Scenario, ScenarioError, User};

/// The scenario in `text`, or every parse error in it, in the order of the file.
pub(super) fn read(text: &str) -> Result<Scenario, Vec<ScenarioError>> {
    let top: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(|e| vec![ScenarioError::from_serde(e, text)])?;
    let mut errors = Vec::new();
    for (key, raw) in &top {
        match key.as_str() {
            "domains" => each::<Domain>(text, raw, &mut errors),
            "hosts" => each::<Host>(text, raw, &mut errors),
            "users" => each::<User>(text, raw, &mut errors),
            "faults" => each::<Fault>(text, raw, &mut errors),
            "actions" => each::<Action>(text, raw, &mut errors),
            "checkpoints" => each::<Checkpoint>(text, raw, &mut errors),
            "queue" => one::<QueuePolicy>(text, raw, &mut errors),
            _ => {}
        }
    }
    if errors.is_empty() {
        return serde_json::from_str(text).map_err(|e| vec![ScenarioError::from_serde(e, text)]);
    }
    // What is wrong at the top (a field missing or misspelt, a title that is not text) is
    // found in the file with its lists emptied: the paths are the same, the positions are not.
    let mut outline: BTreeMap<&str, &RawValue> = top.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let empty_list = RawValue::from_string("[]".into()).ok();
    let empty_object = RawValue::from_string("{}".into()).ok();
    for (key, value) in &mut outline {
        let empty = if *key == "queue" { &empty_object } else { &empty_list };
        if let (true, Some(empty)) = (LISTS.contains(key) || *key == "queue", empty) {
            *value = empty;
        }
    }
    let outline_text = serde_json::to_string(&outline).unwrap_or_default();
    if let Err(e) = serde_json::from_str::<Scenario>(&outline_text) {
        let mut error = ScenarioError::from_serde(e, &outline_text);
        error.position = None;
        errors.push(error);
    }
    errors.sort_by_key(|e| e.position.unwrap_or((usize::MAX, 0)));
    Err(errors)
}

/// The scenario's lists, read element by element.
const LISTS: [&str; 6] = ["domains", "hosts", "users", "faults", "actions", "checkpoints"];

fn each<T: DeserializeOwned>(text: &str, list: &RawValue, errors: &mut Vec<ScenarioError>) {
    let items: Vec<&RawValue> = match serde_json::from_str(list.get()) {
        Ok(items) => items,
        Err(e) => return errors.push(error_in(text, list, &e)),
    };
    for item in items {
        if let Err(e) = serde_json::from_str::<T>(item.get()) {
            errors.push(error_in(text, item, &e));
        }
    }
}

fn one<T: DeserializeOwned>(text: &str, part: &RawValue, errors: &mut Vec<ScenarioError>) {
    if let Err(e) = serde_json::from_str::<T>(part.get()) {
        errors.push(error_in(text, part, &e));
    }
}

/// An error of `part` (read on its own) at its place in the whole `text`.
fn error_in(text: &str, part: &RawValue, e: &serde_json::Error) -> ScenarioError {
    let part = part.get();
    // `part` is borrowed from `text` (RawValue reads without copying): its offset is the
    // distance between the two.
    let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize).min(text.len());
    let end = part.len().saturating_sub(1);
    let inside = offset_of(part, e.line(), e.column()).map_or(end, |o| o.min(end));
    let (line, column) = line_column(text, start + inside);
    let mut field = path_at(text, line, column);
    // An object read whole before its fields (a fault, whose `kind` decides the rest) is
    // reported at its end: the field is the one holding the value the message quotes.
    if let Some(key) = field_holding(part, &e.to_string()) {
        if !field.ends_with(&format!(".{key}")) {
            field = format!("{field}.{key}");
        }
    }
    ScenarioError::from_serde_at(e, field, Some((line, column)))
}

/// The key of `object` whose value is the one serde quotes in `message` (`invalid type: string
/// "ten", expected u64`), when exactly one value is.
fn field_holding(object: &str, message: &str) -> Option<String> {
    let found = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "))?;
    let found = found.split_once(", expected ")?.0;
    let map: Map<String, Value> = serde_json::from_str(object).ok()?;
    let mut holding = map.iter().filter(|(_, v)| unexpected(v) == found).map(|(k, _)| k.clone());
    let key = holding.next()?;
    holding.next().is_none().then_some(key)
}

/// A JSON value as serde's `Unexpected` writes it in a message.
fn unexpected(value: &Value) -> String {
    match value {
        Value::String(s) => format!("string {s:?}"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
        Value::Null => "unit value".into(),
    }
}

/// serde_json's 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}
