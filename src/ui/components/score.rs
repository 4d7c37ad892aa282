use std::rc::Rc;

use yew::prelude::*;

use crate::catalog::quiz::{score, YOUR_ANSWERS};
use crate::player::score::Score;

#[derive(Properties, PartialEq)]
pub struct ScoreProps {
    pub score: Rc<Score>,
}

/// The quiz's score at the end: how many right, and each question with the answer picked.
#[function_component(ScoreCard)]
pub fn score_card(p: &ScoreProps) -> Html {
    html! {
        <section class="quiz score" aria-labelledby="quiz-score">
            <h2 id="quiz-score">{ "Score: " }{ score(p.score.right, p.score.total) }</h2>
            <details class="score-details">
                <summary>{ YOUR_ANSWERS }</summary>
                <ol class="score-answers">
                    { for p.score.answers.iter().map(|a| html! {
                        <li class={if a.right { "right" } else { "wrong" }}>
                            { a.question.clone() }{ " " }
                            <strong>{ a.answer.clone() }</strong>
                            { if a.right { " ✓ right" } else { " ✗ wrong" } }
                        </li>
                    }) }
                </ol>
            </details>
        </section>
    }
}
