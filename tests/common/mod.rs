//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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

/// The files below `dir`, every level down, that `keep` takes, sorted; folders named in
/// `skip` (build output, installed packages) are not entered. One file is itself.
pub fn files_below(dir: &Path, skip: &[&str], keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.file_name().is_some_and(|n| skip.iter().any(|s| n == *s)) {
                    dirs.push(path);
                }
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A path's extension is one of these.
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension().is_some_and(|e| extensions.iter().any(|x| e == *x))
}

