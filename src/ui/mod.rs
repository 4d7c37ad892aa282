//! The Yew user interface (wasm32 only). It reads the engine's presets and traces, never its
//! internals (invariant 4 of ARCHITECTURE.md).

mod app;
mod browser;
pub mod components;
mod hooks;
mod lab;
pub mod panic;
mod rows;
pub mod state;

pub use app::App;

/// Mount the app on the page's `<div id="mailflow">`, or on `<body>` if it is missing.
pub fn start() {
    panic::install();
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("mailflow"));
    match root {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
    // "Interactive" for scripts/bench: render() queues Yew's first render on the microtask
    // queue; a task spawned after it runs once that render (and its effects) are done.
    wasm_bindgen_futures::spawn_local(async { browser::mark("mailflow-ready") });
}
