use yew::prelude::*;

/// The tabs under the diagram's side: what happens, the letter, the wire.
#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub explanation: Html,
    pub letter: Html,
    pub wire: Html,
}

const TABS: [&str; 3] = ["What is happening", "The letter", "On the wire"];

#[function_component(Details)]
pub fn details(p: &DetailsProps) -> Html {
    let tab = use_state(|| 0usize);
    let content = match *tab {
        1 => p.letter.clone(),
        2 => p.wire.clone(),
        _ => p.explanation.clone(),
    };
    html! {
        <section class="details" aria-label="What is happening">
            <div class="tabs" role="tablist">
                { for TABS.iter().enumerate().map(|(i, name)| {
                    let set = { let tab = tab.clone(); Callback::from(move |_| tab.set(i)) };
                    html! {
                        <button type="button" role="tab" id={format!("tab-{i}")} aria-selected={(*tab == i).to_string()}
                            aria-controls="details-panel" class={classes!("tab", (*tab == i).then_some("selected"))} onclick={set}>
                            { *name }
                        </button>
                    }
                }) }
            </div>
            <div id="details-panel" role="tabpanel" tabindex="0" aria-labelledby={format!("tab-{}", *tab)}>{ content }</div>
        </section>
    }
}
