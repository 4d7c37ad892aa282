use yew::prelude::*;

/// What the current step does, in words, with the rules that applied.
#[derive(Properties, PartialEq)]
pub struct ExplanationProps {
    /// "4 · MX lookup and relay (or the queue)".
    pub stage: Option<AttrValue>,
    /// The step's events as transcript lines (a long message body is cut).
    pub happenings: Vec<AttrValue>,
    /// (RFC reference, explanation) for each rule that bit in this step.
    pub notes: Vec<(AttrValue, AttrValue)>,
}

#[function_component(Explanation)]
pub fn explanation(p: &ExplanationProps) -> Html {
    html! {
        <div class="explanation" aria-live="polite">
            if let Some(stage) = &p.stage {
                <p class="stage">{ format!("Journey step {stage}") }</p>
            }
            <ul class="happenings">
                { for p.happenings.iter().map(|h| html! { <li>{ h.clone() }</li> }) }
            </ul>
            if !p.notes.is_empty() {
                <ul class="notes">
                    { for p.notes.iter().map(|(rfc, text)| html! {
                        <li><span class="rfc">{ rfc.clone() }</span>{ " " }{ text.clone() }</li>
                    }) }
                </ul>
            }
        </div>
    }
}
