use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The tabs under the diagram's side: what happens, the letter, the wire.
#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub explanation: Html,
    pub letter: Html,
    pub wire: Html,
}

const TABS: [&str; 3] = ["What is happening", "The letter", "On the wire"];

/// The WAI-ARIA tabs pattern: one tab in the Tab order (the selected one); ←/→ move between
/// tabs and select them, Home and End go to the first and the last. These keys stay here and
/// never reach the player's shortcuts (where ←/→ change the step).
#[function_component(Details)]
pub fn details(p: &DetailsProps) -> Html {
    let tab = use_state(|| 0usize);
    let content = match *tab {
        1 => p.letter.clone(),
        2 => p.wire.clone(),
        _ => p.explanation.clone(),
    };
    let on_key = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" => (*tab + 1) % TABS.len(),
                "ArrowLeft" => (*tab + TABS.len() - 1) % TABS.len(),
                "Home" => 0,
                "End" => TABS.len() - 1,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            tab.set(next);
            // Focus follows the selection (the pattern's automatic activation).
            let focus = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{next}")))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = focus {
                let _ = el.focus();
            }
        })
    };
    html! {
        <section class="details" aria-label="What is happening">
            <div class="tabs" role="tablist" aria-label="About this step" onkeydown={on_key}>
                { for TABS.iter().enumerate().map(|(i, name)| {
                    let set = { let tab = tab.clone(); Callback::from(move |_| tab.set(i)) };
                    let selected = *tab == i;
                    html! {
                        <button type="button" role="tab" id={format!("tab-{i}")} aria-selected={selected.to_string()}
                            tabindex={if selected { "0" } else { "-1" }}
                            aria-controls="details-panel" class={classes!("tab", selected.then_some("selected"))} onclick={set}>
                            { *name }
                        </button>
                    }
                }) }
            </div>
            <div id="details-panel" role="tabpanel" tabindex="0" aria-labelledby={format!("tab-{}", *tab)}>{ content }</div>
        </section>
    }
}
