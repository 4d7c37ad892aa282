//! A scenario file that cannot be played: every error in it, each with its field (a path into
//! the file: `hosts[1].address` is the address of the second host) and, for a parse error, the
//! line and column, so that a teacher fixes them all in one go. Nothing else is played in its
//! place: the class would watch a lesson the teacher did not choose.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::state::Broken;

#[derive(Properties, PartialEq)]
pub struct BrokenFileProps {
    pub broken: Option<Rc<Broken>>,
}

#[function_component(BrokenFile)]
pub fn broken_file(p: &BrokenFileProps) -> Html {
    let Some(broken) = p.broken.as_deref() else { return html! {} };
    let count = broken.errors.len();
    let heading = match count {
        1 => "This scenario file cannot be played: one thing to fix".to_owned(),
        n => format!("This scenario file cannot be played: {n} things to fix"),
    };
    html! {
        <section class="broken-file" role="alert" aria-label="Errors in the scenario file">
            <h2>{ heading }</h2>
            <p>{ "In " }<code>{ broken.source.clone() }</code>{ ". Each names its field as a path into the file: " }
                <code>{ "hosts[1].address" }</code>{ " is the address of the second host (lists count from 0)." }</p>
            <ol class="errors">
                { for broken.errors.iter().map(|e| html! {
                    <li>
                        if !e.field.is_empty() { <code class="field">{ e.field.clone() }</code>{ ": " } }
                        { e.problem.clone() }
                        if let Some((line, column)) = e.position {
                            <span class="where">{ format!(" (line {line}, column {column})") }</span>
                        }
                    </li>
                }) }
            </ol>
            <p>{ "Fix them in the file and reload this page, or choose a scenario from the list." }</p>
        </section>
    }
}
