use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::browser::single_keys_on;
use crate::ui::state::{Action, AppState};

/// Shortcuts for everything the player does; shown in the controls' help.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space / K", "play or pause"),
    ("→ / L", "next step"),
    ("← / J", "previous step"),
    ("Home", "first step"),
    ("End", "last step"),
    ("+ / −", "faster / slower"),
];

/// Keyboard shortcuts on the whole page, but never a key that the focused element uses itself
/// (Space on a button, the arrows on the timeline, a menu or the tabs, anything typed in a
/// field), and the single-character ones (K, J, L, +, −) only while the student has not turned
/// them off (WCAG 2.1.4).
#[hook]
pub fn use_keyboard(state: &UseReducerHandle<AppState>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let key = e.key();
            let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if target.as_ref().is_some_and(|el| uses_key(el, &key)) {
                return;
            }
            let action = match key.as_str() {
                " " => Action::TogglePlay,
                "ArrowRight" => Action::Forward,
                "ArrowLeft" => Action::Back,
                "Home" => Action::Start,
                "End" => Action::End,
                "k" | "l" | "j" | "+" | "=" | "-" | "_" if !single_keys_on() => return,
                "k" => Action::TogglePlay,
                "l" => Action::Forward,
                "j" => Action::Back,
                "+" | "=" => Action::Faster,
                "-" | "_" => Action::Slower,
                _ => return,
            };
            e.prevent_default();
            dispatcher.dispatch(action);
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
        }
    });
}

/// Whether the focused element does something with this key itself.
fn uses_key(el: &web_sys::Element, key: &str) -> bool {
    let tag = el.tag_name();
    let role = el.get_attribute("role").unwrap_or_default();
    // Fields take every key typed into them.
    if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") || el.has_attribute("contenteditable") {
        let kind = el.get_attribute("type").unwrap_or_default();
        // A checkbox uses only Space; every other input, all keys.
        return kind != "checkbox" || key == " ";
    }
    match key {
        // Space and Enter press a button, open a disclosure, follow a link.
        " " | "Enter" => matches!(tag.as_str(), "BUTTON" | "SUMMARY" | "A") || matches!(role.as_str(), "button" | "tab" | "link" | "option"),
        // The arrows, Home and End move within tabs, lists of options and scrolling boxes.
        "ArrowLeft" | "ArrowRight" | "Home" | "End" => matches!(role.as_str(), "tab" | "tablist" | "option" | "listbox" | "slider"),
        _ => false,
    }
}
