//! The Yew user interface (wasm32; on the host only to prerender the opening page). It reads the engine's presets and traces, never its
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

/// Mount the app on the page's `<div id="mailflow">`, or on `<body>` if it is missing. The
/// page as it opens without parameters was rendered into that div at build time
/// (`mailflow-prerender`, which marks the div `data-prerendered`): when the address asks for
/// exactly that view, Yew hydrates it (attaches to the elements already drawn; its first render
/// must make the same elements, which `App` does by opening the default preset at once); for any
/// other address the drawn page is replaced by a fresh render of what it asks for.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    panic::install();
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("mailflow"));
    match root {
        Some(root) if root.has_attribute(PRERENDERED) && app::opens_as_prerendered() => {
            yew::Renderer::<App>::with_root(root).hydrate();
        }
        Some(root) => {
            // render() empties the div first (the prerendered page).
            root.remove_attribute(PRERENDERED).ok();
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

/// The attribute `mailflow-prerender` puts on the app's div when it holds the prerendered page.
pub const PRERENDERED: &str = "data-prerendered";
