//! The JSON Schema of scenario files, in static/scenario.schema.json, is the one the Rust types
//! make; and every preset passes it. After a change to the format, regenerate it with
//!
//!     UPDATE_SCHEMA=1 cargo test --features lab --test schema
#![cfg(all(feature = "lab", not(target_arch = "wasm32")))]

use mailflow::engine::scenario::{presets, Scenario};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenario.schema.json");

#[test]
fn the_schema_file_is_the_one_the_types_make() {
    let schema = Scenario::json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(PATH, &schema).expect("write the schema");
    }
    let file = std::fs::read_to_string(PATH).expect("static/scenario.schema.json (UPDATE_SCHEMA=1 makes it)");
    assert_eq!(file, schema, "regenerate with UPDATE_SCHEMA=1 cargo test --features lab --test schema");
}

#[test]
fn the_schema_names_every_field_a_teacher_writes() {
    let schema: serde_json::Value = serde_json::from_str(&Scenario::json_schema()).unwrap();
    let text = schema.to_string();
    for field in ["domains", "hosts", "users", "faults", "actions", "mailbox_host", "submits_to", "delete_after_download", "host-down", "greylisting"] {
        assert!(text.contains(field), "{field} in the schema");
    }
    // Each preset is an instance of it at least in its required top-level fields.
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    for preset in presets() {
        let tree: serde_json::Value = serde_json::from_str(preset.json).unwrap();
        for field in &required {
            assert!(tree.get(field).is_some(), "{} lacks {field}", preset.name);
        }
    }
}

/// docs/scenarios.md and the schema come from one source, the types: every field and every
/// named value (a fault's kind, a service, a checkpoint's moment) the types make is in the
/// docs' table, written as `name`, so the docs cannot leave one out.
#[test]
fn the_docs_name_every_field_and_value_of_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&Scenario::json_schema()).unwrap();
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenarios.md")).unwrap();
    let mut names = std::collections::BTreeSet::new();
    collect(&schema, &mut names);
    let missing: Vec<&String> = names.iter().filter(|n| !docs.contains(&format!("`{n}`"))).collect();
    assert!(missing.is_empty(), "docs/scenarios.md does not name {missing:?}");
    assert!(names.len() > 60, "{} names", names.len());
}

/// The keys of every `properties`, and every `const` and `enum` value.
fn collect(value: &serde_json::Value, names: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                names.extend(properties.keys().cloned());
            }
            if let Some(serde_json::Value::String(constant)) = map.get("const") {
                names.insert(constant.clone());
            }
            if let Some(serde_json::Value::Array(values)) = map.get("enum") {
                names.extend(values.iter().filter_map(|v| v.as_str().map(str::to_owned)));
            }
            map.values().for_each(|v| collect(v, names));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
        _ => {}
    }
}
