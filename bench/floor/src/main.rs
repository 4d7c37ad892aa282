//! Yew's hello-world, with the same "ready" mark as the app (src/ui/mod.rs).

use yew::prelude::*;

#[function_component(Hello)]
fn hello() -> Html {
    html! { <h1>{ "Hello, world" }</h1> }
}

fn main() {
    yew::Renderer::<Hello>::new().render();
    // After Yew's first render, queued on the microtask queue by render().
    wasm_bindgen_futures::spawn_local(async {
        let _ = web_sys::window().and_then(|w| w.performance()).map(|p| p.mark("floor-ready"));
    });
}
