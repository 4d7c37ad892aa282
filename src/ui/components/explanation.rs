use std::rc::Rc;

use yew::prelude::*;

use crate::player::StepView;

/// What the current step does, in words: the narration, the rules that applied, the raw lines
/// it is made of, and at the last step how each letter's journey ended.
#[derive(Properties, PartialEq)]
pub struct ExplanationProps {
    pub view: Rc<StepView>,
}

#[function_component(Explanation)]
pub fn explanation(p: &ExplanationProps) -> Html {
    let v = &p.view;
    html! {
        <div class="explanation">
            if !v.summary.is_empty() {
                <section class="summary" aria-label="How it ended">
                    <h3>{ "How it ended" }</h3>
                    <ul>{ for v.summary.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
                </section>
            }
            if let Some(stage) = v.stage {
                <p class="stage">{ format!("Journey step {} · {}", stage.number(), stage.title()) }</p>
            }
            <div class="narration">
                { for v.narration.sentences.iter().map(|s| html! { <p>{ s.clone() }</p> }) }
            </div>
            if !v.narration.why.is_empty() {
                <ul class="notes" aria-label="Why">
                    { for v.narration.why.iter().map(|w| html! {
                        <li><span class="rfc">{ w.rfc.clone() }</span>{ " " }{ w.text.clone() }</li>
                    }) }
                </ul>
            }
            <ul class="happenings" aria-label="The lines of this step">
                { for v.lines.iter().map(|h| html! { <li>{ h.clone() }</li> }) }
            </ul>
        </div>
    }
}
