//! A worksheet to print and hand out: the scenario's title and what it is about, then each of
//! its questions in the order the journey asks them, with its choices to tick and room to say
//! why. Opened by `?scenario=<name>&view=worksheet` ("Worksheet to print" in the share menu);
//! the page prints on A4 as it is (static/style.css, `@media print`).

use std::rc::Rc;

use yew::prelude::*;

use crate::player::checkpoint::Stop;

#[derive(Properties, PartialEq)]
pub struct WorksheetProps {
    pub title: AttrValue,
    pub summary: AttrValue,
    pub stops: Rc<Vec<Stop>>,
    /// The address of the journey itself, for the sheet's footer.
    pub link: AttrValue,
}

#[function_component(Worksheet)]
pub fn worksheet(p: &WorksheetProps) -> Html {
    let print = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    let questions: Vec<(usize, &Stop)> = p.stops.iter().filter(|s| s.quiz.is_some()).enumerate().collect();
    html! {
        <article class="worksheet" aria-label="Worksheet">
            <button type="button" class="control no-print" onclick={print}>{ "Print this worksheet" }</button>
            <h1>{ p.title.clone() }</h1>
            <p class="worksheet-summary">{ p.summary.clone() }</p>
            <p class="worksheet-name">{ "Name: " }<span class="blank wide"></span>{ " Date: " }<span class="blank"></span></p>
            if questions.is_empty() {
                <p>{ "This scenario asks no questions. Watch it and write down, for each step, who speaks and what the reply means." }</p>
            }
            <ol class="worksheet-questions">
                { for questions.iter().map(|(_, stop)| {
                    let Some(quiz) = &stop.quiz else { return html! {} };
                    html! {
                        <li>
                            <p class="worksheet-question">{ quiz.question.clone() }<span class="worksheet-step">{ format!(" (step {})", stop.step + 1) }</span></p>
                            <ul class="worksheet-choices">
                                { for quiz.choices.iter().map(|c| html! { <li><span class="box" aria-hidden="true">{ "☐" }</span>{ " " }{ c.clone() }</li> }) }
                            </ul>
                            <p class="worksheet-why">{ "Why?" }</p>
                            <div class="lines" aria-hidden="true"><span></span><span></span></div>
                        </li>
                    }
                }) }
            </ol>
            <p class="worksheet-footer">{ "Check your answers in Mailflow: " }{ p.link.clone() }</p>
        </article>
    }
}
