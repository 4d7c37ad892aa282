use yew::prelude::*;

/// The command stream: every line the machines exchanged, exactly as sent.
#[function_component(StreamPanel)]
pub fn stream_panel() -> Html {
    html! {
        <section class="stream" aria-label="Command stream">
            <h2>{ "Command stream" }</h2>
        </section>
    }
}
