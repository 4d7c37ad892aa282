use yew::prelude::*;

/// One preset as the list shows it.
#[derive(Clone, PartialEq)]
pub struct PresetSummary {
    pub name: AttrValue,
    pub title: AttrValue,
    pub summary: AttrValue,
    /// Set when the preset's file failed to load; the list says so instead of hiding it.
    pub error: Option<AttrValue>,
}

#[derive(Properties, PartialEq)]
pub struct PresetListProps {
    pub presets: Vec<PresetSummary>,
    pub selected: AttrValue,
    pub on_select: Callback<AttrValue>,
}

#[function_component(PresetList)]
pub fn preset_list(props: &PresetListProps) -> Html {
    html! {
        <ol class="preset-list">
            { for props.presets.iter().map(|p| {
                let current = p.name == props.selected;
                let onclick = {
                    let on_select = props.on_select.clone();
                    let name = p.name.clone();
                    Callback::from(move |_| on_select.emit(name.clone()))
                };
                html! {
                    <li key={p.name.as_str()}>
                        <button class={classes!("preset", current.then_some("current"))} aria-pressed={current.to_string()} data-preset={p.name.clone()} {onclick}>
                            <span class="preset-title">{ p.title.clone() }</span>
                            <span class="preset-name">{ p.name.clone() }</span>
                        </button>
                        if let Some(error) = &p.error {
                            <p class="preset-error" role="alert">{ error.clone() }</p>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}
