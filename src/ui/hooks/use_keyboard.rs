use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

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

/// Keyboard shortcuts on the whole page, except while typing in a field.
#[hook]
pub fn use_keyboard(state: &UseReducerHandle<AppState>) {
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
            if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let action = match e.key().as_str() {
                " " | "k" => Action::TogglePlay,
                "ArrowRight" | "l" => Action::Forward,
                "ArrowLeft" | "j" => Action::Back,
                "Home" => Action::Start,
                "End" => Action::End,
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
