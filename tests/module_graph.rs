//! The shape of the house, read from the source: which top-level modules use which. The
//! engine's modules (`time`, `base64`, `smtp`, `mail`, `pop3`, `imap`, `scenario`, `trace`,
//! `world`) use each other without a cycle, so each can be understood, and tested, on top of
//! the ones below it; and the crate's layers only look down: the engine uses nothing of the
//! catalog, the player, the lab or the UI, the catalog nothing of the player, and so on
//! (ARCHITECTURE.md, "Code map").
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The names a path reaches right after `prefix`: `prefix::mail` gives `mail`, and a group
/// `prefix::{mail, smtp::Reply}` gives `mail` and `smtp`.
fn names_after(text: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        // `prefix` must start a path, not end a longer one (`a_super::` is not `super::`).
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 && (c == ',' || c == '}') {
                    names.push(std::mem::take(&mut item));
                } else if depth == 0 {
                    item.push(c);
                }
            }
            names.push(item);
        } else {
            names.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    names
        .into_iter()
        .map(|n| n.trim().split("::").next().unwrap_or_default().trim().to_string())
        .filter(|n| !n.is_empty() && n != "self")
        .collect()
}

/// For each top-level module under `root` (a file `x.rs` or a folder `x/`), the other
/// top-level modules its files name, through `crate_path` (`crate::engine::`) or through as
/// many `super::` as lead back to `root`.
fn uses(root: &Path, crate_path: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in common::files_below(root, &[], &|p| common::has_extension(p, &["rs"])) {
        let relative = file.strip_prefix(root).expect("under root");
        let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let module = parts[0].trim_end_matches(".rs").to_string();
        if module == "mod" || module == "lib" || module == "main" {
            continue;
        }
        // How many `super::` climb from this file to `root`: one from `x.rs` or `x/mod.rs`,
        // one more per folder below.
        let last_is_mod = parts.last().is_some_and(|p| p == "mod.rs");
        let climb = parts.len() - usize::from(last_is_mod && parts.len() > 1);
        let text: String = fs::read_to_string(&file)
            .expect("readable")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut named = names_after(&text, crate_path);
        named.extend(names_after(&text, &"super::".repeat(climb)));
        let entry = graph.entry(module.clone()).or_default();
        for name in named {
            if name != module {
                entry.insert(name);
            }
        }
    }
    graph
}

/// A cycle in `graph`, if any, as the modules on it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

fn src(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(path)
}

#[test]
fn the_engine_modules_use_each_other_without_a_cycle() {
    let graph = uses(&src("engine"), "crate::engine::");
    // The reader sees real edges: a graph it could not read would pass for nothing.
    assert!(graph["world"].contains("smtp") && graph["mail"].contains("smtp"), "{graph:?}");
    assert_eq!(cycle(&graph), None, "{graph:#?}");
    // The leaves use no other engine module.
    for leaf in ["time", "base64"] {
        assert!(graph.get(leaf).is_none_or(BTreeSet::is_empty), "{leaf} uses {:?}", graph[leaf]);
    }
}

#[test]
fn the_layers_only_look_down() {
    let graph = uses(&src(""), "crate::");
    let below: [(&str, &[&str]); 5] = [
        ("engine", &[]),
        ("catalog", &["engine"]),
        ("player", &["engine", "catalog"]),
        ("lab", &["engine", "catalog", "player"]),
        ("ui", &["engine", "catalog", "player", "lab"]),
    ];
    let layers: BTreeSet<&str> = below.iter().map(|(l, _)| *l).collect();
    for (layer, allowed) in below {
        let used: Vec<&String> = graph[layer]
            .iter()
            .filter(|m| layers.contains(m.as_str()) && !allowed.contains(&m.as_str()))
            .collect();
        assert!(used.is_empty(), "{layer} uses {used:?}, which sit above it");
    }
}

/// The reader finds a cycle where there is one, through grouped `use` lines and `super::`.
#[test]
fn a_cycle_is_found() {
    let dir = std::env::temp_dir().join(format!("mailflow-graph-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("a")).unwrap();
    fs::write(dir.join("a/mod.rs"), "use crate::engine::{b::Thing, time};\n").unwrap();
    fs::write(dir.join("b.rs"), "// use crate::engine::c;\nuse super::c::Other;\n").unwrap();
    fs::write(dir.join("c.rs"), "fn f() { crate::engine::a::g() }\n").unwrap();
    fs::write(dir.join("time.rs"), "").unwrap();
    let graph = uses(&dir, "crate::engine::");
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(graph["a"], BTreeSet::from(["b".to_string(), "time".to_string()]));
    assert_eq!(graph["b"], BTreeSet::from(["c".to_string()]), "comments are not uses");
    assert!(cycle(&graph).is_some_and(|c| c.len() == 4), "a -> b -> c -> a: {graph:?}");
}
