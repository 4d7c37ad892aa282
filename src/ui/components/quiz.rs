use yew::prelude::*;

use crate::catalog::quiz::{verdict, NO_RIGHT_ANSWER};
use crate::player::checkpoint::Question;

#[derive(Properties, PartialEq)]
pub struct QuizProps {
    pub question: Question,
    /// The choice picked, once answered.
    pub answered: Option<usize>,
    pub on_answer: Callback<usize>,
    pub on_continue: Callback<()>,
    /// The question is at the last step: there is nothing to play on to.
    #[prop_or_default]
    pub at_end: bool,
}

/// A question at a checkpoint: pick a choice, see whether the engine agrees and which choice
/// was right (in words, not only by colour), play on. Focus goes to the question when it
/// appears and to the verdict after the answer, so that a keyboard or screen reader follows.
#[function_component(Quiz)]
pub fn quiz(p: &QuizProps) -> Html {
    let q = &p.question;
    let heading = use_node_ref();
    let said = use_node_ref();
    {
        let (heading, said) = (heading.clone(), said.clone());
        use_effect_with((q.question.clone(), p.answered.is_some()), move |(_, answered)| {
            let target = if *answered { said } else { heading };
            if let Some(el) = target.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let verdict_text = p.answered.map(|picked| match q.correct.and_then(|c| q.choices.get(c)) {
        Some(answer) => verdict(Some(picked) == q.correct, answer),
        None => NO_RIGHT_ANSWER.to_owned(),
    });
    html! {
        <section class="quiz" aria-labelledby="quiz-question">
            <h2>{ "Question" }</h2>
            <p class="quiz-question" id="quiz-question" tabindex="-1" ref={heading}>{ q.question.clone() }</p>
            <div class="quiz-choices" role="group" aria-labelledby="quiz-question">
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
            if let Some(text) = verdict_text {
                <p class={classes!("quiz-verdict", if p.answered == q.correct { "right" } else { "wrong" })} tabindex="-1" ref={said} role="status">
                    { text }
                    if let Some(explain) = &q.explain { { " " }{ explain.clone() } }
                </p>
                if !p.at_end {
                    <button type="button" class="control" onclick={{ let cb = p.on_continue.clone(); Callback::from(move |_| cb.emit(())) }}>{ "Play on" }</button>
                }
            }
        </section>
    }
}
