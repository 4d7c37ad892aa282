//! Component tests: the Yew app rendered in headless Chromium (`scripts/test` runs them with
//! wasm-bindgen-test). Plain `#[test]`s would be skipped silently on wasm32, hence the gate.
#![cfg(target_arch = "wasm32")]

use mailflow::engine::scenario::{preset, presets};
use mailflow::engine::world::simulate;
use mailflow::player::Player;
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

fn player_len(name: &str) -> usize {
    Player::new(std::rc::Rc::new(simulate(&preset(name).unwrap().scenario().unwrap()))).len()
}

fn click(root: &Element, selector: &str) {
    let el: HtmlElement = root.query_selector(selector).unwrap().unwrap().dyn_into().unwrap();
    el.click();
}

/// The app, once its scenario is drawn: the first render shows the page, and the scenario is
/// simulated after the browser has painted it.
async fn render_app() -> Element {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(root.query_selector(".preset-list").unwrap().is_some(), "the first render lists the presets");
    for _ in 0..250 {
        if root.query_selector(".step-count").unwrap().is_some() {
            return root;
        }
        pause(20).await;
        yew::scheduler::flush().await;
    }
    panic!("the scenario was not drawn within 5 s");
}

/// Let the browser run its frames and timers for a while.
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.text_content()).collect()
}

/// Replace the page's address (query and fragment) without loading anything.
fn set_address(address: &str) {
    let window = web_sys::window().unwrap();
    let history = js_sys::Reflect::get(&window, &"history".into()).unwrap();
    let replace: js_sys::Function = js_sys::Reflect::get(&history, &"replaceState".into()).unwrap().dyn_into().unwrap();
    replace.call3(&history, &wasm_bindgen::JsValue::NULL, &"".into(), &address.into()).unwrap();
}

#[wasm_bindgen_test]
async fn the_plain_address_opens_at_once_and_any_other_is_drawn_before_it_is_simulated() {
    // No parameters: the view prerendered at build time, which the first render must make
    // itself (hydration), so it opens the first preset at once.
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(texts(&root, ".player .empty").is_empty());
    assert_eq!(texts(&root, ".step-count"), vec![format!("Step 1 of {}", player_len("first-letter"))]);
    // A link that asks for something else: the page first, then the simulation.
    let here = web_sys::window().unwrap().location().pathname().unwrap();
    set_address(&format!("{here}?scenario=server-down&step=3"));
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".preset.current .preset-name"), vec!["server-down"]);
    assert_eq!(texts(&root, ".player .empty"), vec!["Preparing the journey…"]);
    assert!(root.query_selector(".step-count").unwrap().is_none());
    pause(300).await;
    yew::scheduler::flush().await;
    set_address(&here);
    assert!(texts(&root, ".player .empty").is_empty());
    assert_eq!(texts(&root, ".step-count"), vec![format!("Step 3 of {}", player_len("server-down"))]);
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
    assert_eq!(texts(&root, "section h2"), vec!["Command stream"]);
    assert_eq!(texts(&root, "[role=tab]"), vec!["What is happening", "The letter", "On the wire"]);
    assert_eq!(texts(&root, ".step-count"), vec![format!("Step 1 of {}", player_len("first-letter"))]);
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
    // Each host says its name, what it is and its ports in its tooltip.
    let titles = texts(&root, "[data-host] > title").join("\n");
    assert!(titles.contains("mx2.southbay.test (receiving mail server): smtp 25"), "{titles}");
    for expected in ["submission 587", "submissions 465", "smtp 25", "lmtp 24", "imap 143"] {
        assert!(titles.contains(expected), "{expected} in {titles}");
    }
    let roles = texts(&root, ".host-role");
    assert!(roles.contains(&"MUA".to_owned()) && roles.contains(&"MTA (MX)".to_owned()), "{roles:?}");
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

#[wasm_bindgen_test]
async fn playing_to_the_end_puts_the_letter_in_bobs_mailbox_and_back_undoes_it() {
    let root = render_app().await;
    let bob = "[data-host='mail.southbay.test']";
    let letters = |root: &Element| root.query_selector(bob).unwrap().unwrap().get_attribute("data-letters").unwrap();
    assert_eq!(letters(&root), "0", "nothing delivered at the start");
    click(&root, "[aria-label='Last step (End)']");
    yew::scheduler::flush().await;
    assert_eq!(texts(&root, ".step-count"), vec![format!("Step {0} of {0}", player_len("first-letter"))]);
    assert_eq!(letters(&root), "1", "the letter is in Bob's mailbox");
    assert_eq!(
        root.query_selector("[data-host='bob-laptop.southbay.test'] .letter.on-device").unwrap().is_some(),
        true,
        "and read on his laptop"
    );
    // Back to the step where the letter was still in Northwind's queue.
    let queued_step = texts(&root, ".stream-lines .row").iter().position(|t| t.contains("queue   smtp.northwind.test") && t.contains("queued")).unwrap();
    click(&root, &format!(".stream-lines .row[data-event='{queued_step}']"));
    yew::scheduler::flush().await;
    assert_eq!(letters(&root), "0");
    assert_eq!(root.query_selector("[data-host='smtp.northwind.test']").unwrap().unwrap().get_attribute("data-queued").as_deref(), Some("1"));
    assert_eq!(texts(&root, ".row.current").first().map(|t| t.contains("queued")), Some(true));
}

#[wasm_bindgen_test]
async fn the_explanation_names_the_journey_step_and_the_rule() {
    let root = render_app().await;
    // Step forward until the STARTTLS note.
    for _ in 0..40 {
        if texts(&root, ".notes .rfc").iter().any(|r| r == "RFC 3207 4.2") {
            break;
        }
        click(&root, "[aria-label='Next step (→)']");
        yew::scheduler::flush().await;
    }
    assert!(texts(&root, ".notes .rfc").iter().any(|r| r == "RFC 3207 4.2"));
    assert_eq!(texts(&root, ".explanation .stage"), vec!["Journey step 1 · The SMTP handshake"]);
    // A screen reader hears the step from one status outside the tabs, not from the tab.
    assert_eq!(document().query_selector(".explanation").unwrap().unwrap().get_attribute("aria-live"), None);
    let status = document().query_selector("#step-status").unwrap().unwrap();
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    let said = status.text_content().unwrap_or_default();
    assert!(said.starts_with("Step ") && said.contains("Journey step 1, The SMTP handshake."), "{said}");
}

#[wasm_bindgen_test]
async fn the_letter_and_the_wire_tabs_show_the_hop_in_focus() {
    let root = render_app().await;
    click(&root, "[aria-label='Last step (End)']");
    yew::scheduler::flush().await;
    click(&root, "#tab-1");
    yew::scheduler::flush().await;
    let seen = texts(&root, ".inspector .seen").join("");
    assert!(seen.contains("stored in bob@southbay.test's mailbox on mail.southbay.test"), "{seen}");
    assert_eq!(texts(&root, ".received li").len(), 3, "three hops, three Received fields");
    assert!(texts(&root, ".part h3").iter().any(|h| h.contains("directions.txt")));
    // Back to the submission: on the wire, AUTH is never readable.
    click(&root, ".stream-lines .row[data-event='40']");
    yew::scheduler::flush().await;
    click(&root, "#tab-2");
    yew::scheduler::flush().await;
    let clear = texts(&root, ".wire .clear");
    assert!(clear.iter().any(|l| l.ends_with("STARTTLS")), "{clear:?}");
    assert!(!clear.iter().any(|l| l.contains("AUTH")), "{clear:?}");
    assert!(texts(&root, ".wire .cipher").iter().all(|l| l.contains("17 03 03")));
}
