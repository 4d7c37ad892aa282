//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use mailflow::engine::scenario::{preset, Scenario};
use mailflow::engine::trace::{Direction, Event, EventKind, Trace};
use mailflow::engine::world::simulate;

/// A preset's JSON with one edit applied to its tree.
pub fn edited(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut tree: serde_json::Value = serde_json::from_str(preset(name).expect("preset").json).unwrap();
    edit(&mut tree);
    tree.to_string()
}

pub fn scenario(name: &str) -> Scenario {
    preset(name).expect("preset").scenario().expect("preset parses")
}

pub fn run(name: &str) -> Trace {
    simulate(&scenario(name))
}

pub fn run_edited(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Trace {
    simulate(&Scenario::from_json(&edited(name, edit)).expect("edited scenario parses"))
}

/// The server's lines, in order.
pub fn server_lines(trace: &Trace) -> Vec<&str> {
    lines(trace, Direction::ServerToClient)
}

pub fn lines(trace: &Trace, which: Direction) -> Vec<&str> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line { direction, text, .. } if *direction == which => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// The messages stored in a user's mailbox, as text.
pub fn delivered_to<'t>(trace: &'t Trace, user: &str) -> Vec<(&'t Event, &'t str)> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Delivered(d) if d.user == user => Some((e, d.message.as_str())),
            _ => None,
        })
        .collect()
}

pub fn secs(e: &Event) -> u64 {
    e.at.as_millis() / 1000
}

/// Each connection opened: (server, port), in order.
pub fn connections(trace: &Trace) -> Vec<(&str, u16)> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Connected(open) => Some((open.server.as_str(), open.port)),
            _ => None,
        })
        .collect()
}
