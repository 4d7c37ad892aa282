//! The docs point at things that exist: every file of this repository that README.md,
//! ARCHITECTURE.md or a page of docs/ names in backquotes (`src/...`, `tests/...`), and every
//! test it names after the file (`tests/world.rs::some_test`), is there. A file that moved
//! or a test renamed fails here, not in a reader's hands.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

const ROOTS: [&str; 6] = ["src/", "tests/", "benches/", "scripts/", "static/", "fuzz/"];

/// Each `path` or `path::name` in backquotes that starts at one of the repository's folders
/// and names a file (a folder's trailing `/` is left alone: some are made by the tools).
fn references(text: &str) -> Vec<(String, Option<String>)> {
    text.split('`')
        .skip(1)
        .step_by(2)
        // Patterns (`tests/golden/<preset>.txt`, `store*`) stand for several files.
        .filter(|quoted| ROOTS.iter().any(|r| quoted.starts_with(r)) && !quoted.contains([' ', '<', '*']))
        .filter_map(|quoted| {
            let (path, name) = match quoted.split_once("::") {
                Some((path, name)) => (path, Some(name.rsplit("::").next().unwrap_or(name).to_string())),
                None => (quoted, None),
            };
            (!path.ends_with('/')).then(|| (path.to_string(), name))
        })
        .collect()
}

#[test]
fn every_file_and_test_the_docs_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    docs.extend(fs::read_dir(root.join("docs")).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")));
    let mut wrong = Vec::new();
    let mut seen = 0;
    for doc in &docs {
        let text = fs::read_to_string(doc).unwrap();
        for (path, name) in references(&text) {
            seen += 1;
            let file = root.join(&path);
            match (file.is_file(), &name) {
                (false, _) => wrong.push(format!("{}: {path} does not exist", doc.display())),
                (true, Some(name)) => {
                    let source = fs::read_to_string(&file).unwrap_or_default();
                    let defined = [format!("fn {name}("), format!("fn {name}<"), format!("mod {name} ")];
                    if !defined.iter().any(|d| source.contains(d.as_str())) {
                        wrong.push(format!("{}: {path} has no {name}", doc.display()));
                    }
                }
                (true, None) => {}
            }
        }
    }
    assert!(seen > 50, "the docs name files: {seen} found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn references_are_read_from_backquotes() {
    let found = references("see `src/engine/time.rs`, `tests/world.rs::a_test` and `fuzz/artifacts/`, not `cargo test`");
    assert_eq!(
        found,
        [("src/engine/time.rs".to_string(), None), ("tests/world.rs".to_string(), Some("a_test".to_string()))]
    );
}
