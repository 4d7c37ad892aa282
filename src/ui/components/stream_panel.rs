use yew::prelude::*;

/// One row of the command stream.
#[derive(Clone, PartialEq)]
pub struct StreamRow {
    /// `client`, `server` or `event`: how the row is styled, besides its `C:`/`S:` text.
    pub kind: &'static str,
    pub text: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct StreamPanelProps {
    pub rows: std::rc::Rc<Vec<StreamRow>>,
}

/// The command stream: every line the machines exchanged, exactly as sent, between the
/// events of the journey.
#[function_component(StreamPanel)]
pub fn stream_panel(props: &StreamPanelProps) -> Html {
    html! {
        <section class="stream" aria-label="Command stream">
            <h2>{ "Command stream" }</h2>
            <ol class="stream-lines">
                { for props.rows.iter().map(|row| html! {
                    <li class={classes!("row", row.kind)}>{ row.text.clone() }</li>
                }) }
            </ol>
        </section>
    }
}
