//! Component tests: the Yew app rendered in headless Chromium (`scripts/test` runs them with
//! wasm-bindgen-test). Plain `#[test]`s would be skipped silently on wasm32, hence the gate.
#![cfg(target_arch = "wasm32")]

use mailflow::engine::scenario::presets;
use mailflow::ui::{panic::show_fatal_error, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to render into, so that tests do not see each other's output.
fn fresh_root() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

async fn render_app() -> Element {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.text_content()).collect()
}

#[wasm_bindgen_test]
async fn the_shell_lists_every_preset_from_the_engine() {
    let root = render_app().await;
    let titles = texts(&root, ".preset-title");
    let expected: Vec<String> = presets().iter().map(|p| p.scenario().unwrap().title).collect();
    assert_eq!(titles, expected);
    assert_eq!(texts(&root, ".preset-name")[0], "first-letter");
    assert_eq!(texts(&root, ".preset.current .preset-name"), vec!["first-letter"]);
    assert_eq!(texts(&root, "h1"), vec!["Mailflow"]);
    assert_eq!(texts(&root, "section h2"), vec!["The journey", "Command stream"]);
    let server = texts(&root, ".stream-lines .server");
    assert_eq!(server.first().map(String::as_str), Some("00:00:00.020 #1     S: 220 smtp.northwind.test ESMTP"));
    let client = texts(&root, ".stream-lines .client");
    assert_eq!(client.first().map(String::as_str), Some("00:00:00.025 #1     C: EHLO alice-laptop.northwind.test"));
}

#[wasm_bindgen_test]
async fn choosing_a_preset_shows_its_summary_and_hosts() {
    let root = render_app().await;
    let button: HtmlElement =
        root.query_selector("[data-preset='backup-mx']").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".preset.current .preset-name"), vec!["backup-mx"]);
    let summary = texts(&root, ".scenario-summary").join("");
    assert!(summary.contains("two MX records"), "{summary}");
    let hosts = texts(&root, ".host-name");
    assert!(hosts.contains(&"mx2.southbay.test".to_owned()), "{hosts:?}");
    let services = texts(&root, ".host-services");
    for expected in ["submission 587", "submissions 465", "smtp 25", "lmtp 24", "mail client"] {
        assert!(services.contains(&expected.to_owned()), "{expected} in {services:?}");
    }
}

#[wasm_bindgen_test]
fn a_fatal_error_is_shown_once_in_words() {
    show_fatal_error("panicked at src/engine/example.rs:1:1: <b>not html</b>");
    show_fatal_error("a second panic");
    let notices = document().query_selector_all("#fatal-error").unwrap();
    assert_eq!(notices.length(), 1);
    let notice = document().get_element_by_id("fatal-error").unwrap();
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    let text = notice.text_content().unwrap();
    assert!(text.starts_with("Mailflow stopped because of an internal error."), "{text}");
    assert!(text.contains("<b>not html</b>"), "details are shown as text: {text}");
    assert!(notice.query_selector("b").unwrap().is_none());
}
