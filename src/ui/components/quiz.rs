use yew::prelude::*;

use crate::player::checkpoint::Question;

#[derive(Properties, PartialEq)]
pub struct QuizProps {
    pub question: Question,
    /// The choice picked, once answered.
    pub answered: Option<usize>,
    pub on_answer: Callback<usize>,
    pub on_continue: Callback<()>,
}

/// A question at a checkpoint: pick a choice, see whether the engine agrees, play on.
#[function_component(Quiz)]
pub fn quiz(p: &QuizProps) -> Html {
    let q = &p.question;
    let verdict = p.answered.map(|picked| Some(picked) == q.correct);
    html! {
        <section class="quiz" aria-label="Question" aria-live="polite">
            <h2>{ "Question" }</h2>
            <p class="quiz-question">{ q.question.clone() }</p>
            <div class="quiz-choices" role="group" aria-label="Choices">
                { for q.choices.iter().enumerate().map(|(i, choice)| {
                    let pick = { let cb = p.on_answer.clone(); Callback::from(move |_| cb.emit(i)) };
                    let state = match p.answered {
                        Some(_) if Some(i) == q.correct => Some("right"),
                        Some(picked) if picked == i => Some("wrong"),
                        _ => None,
                    };
                    html! {
                        <button type="button" class={classes!("choice", state)} onclick={pick}
                            disabled={p.answered.is_some()} aria-pressed={(p.answered == Some(i)).to_string()}>
                            { choice.clone() }
                        </button>
                    }
                }) }
            </div>
            if let Some(right) = verdict {
                <p class={classes!("quiz-verdict", if right { "right" } else { "wrong" })}>
                    { if right { "Right." } else { "Not quite." } }
                    if let Some(explain) = &q.explain { { " " }{ explain.clone() } }
                </p>
                <button type="button" class="control" onclick={{ let cb = p.on_continue.clone(); Callback::from(move |_| cb.emit(())) }}>{ "Play on" }</button>
            }
        </section>
    }
}
