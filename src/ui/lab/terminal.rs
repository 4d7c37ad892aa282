use yew::prelude::*;

use crate::catalog::lab::not_a_reply;
use crate::lab::explain::explain_reply;
use crate::lab::live::TermLine;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// Numbers the terminals of the lab, from 1: their headings and regions are each its own.
    pub number: usize,
    /// "SMTP 25 · smtp.northwind.test".
    pub title: AttrValue,
    pub lines: Vec<TermLine>,
    pub open: bool,
    /// What the server expects next, in words with the lines to type.
    pub hint: AttrValue,
    /// The first line to type, shown in the empty input.
    pub example: AttrValue,
    pub on_line: Callback<String>,
    pub on_close: Callback<()>,
}

/// A terminal on a server: type a line, Enter sends it; ↑ and ↓ walk the history; "Explain"
/// says what the server's last reply means.
#[function_component(Terminal)]
pub fn terminal(p: &TerminalProps) -> Html {
    let input = use_state(String::new);
    let history = use_mut_ref(Vec::<String>::new);
    let position = use_mut_ref(|| 0usize);
    let explanation = use_state(|| None::<String>);
    // A new terminal takes the keyboard's focus: the student types at once, and focus is not
    // left on a button that the redraw may move.
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with((), move |_| {
            if let Some(el) = field.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let heading = format!("terminal-{}", p.number);

    let on_input = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            input.set(el.value());
        })
    };
    let on_key = {
        let (input, history, position, on_line, explanation) =
            (input.clone(), history.clone(), position.clone(), p.on_line.clone(), explanation.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Keys typed here belong to the terminal, not to the player's shortcuts.
            e.stop_propagation();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = (*input).clone();
                    history.borrow_mut().push(line.clone());
                    *position.borrow_mut() = history.borrow().len();
                    input.set(String::new());
                    explanation.set(None);
                    on_line.emit(line);
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let h = history.borrow();
                    let mut pos = position.borrow_mut();
                    *pos = if e.key() == "ArrowUp" { pos.saturating_sub(1) } else { (*pos + 1).min(h.len()) };
                    input.set(h.get(*pos).cloned().unwrap_or_default());
                }
                _ => {}
            }
        })
    };
    let on_explain = {
        let (explanation, lines) = (explanation.clone(), p.lines.clone());
        Callback::from(move |_| {
            let last = lines.iter().rev().find(|l| !l.typed).map(|l| l.text.clone()).unwrap_or_default();
            explanation.set(Some(explain_reply(&last).unwrap_or_else(|| not_a_reply(&last))));
        })
    };
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    html! {
        <div class="terminal">
            <div class="terminal-head">
                <h3 id={heading.clone()}>{ p.title.clone() }</h3>
                <button type="button" class="control small" onclick={on_explain}>{ "Explain the last reply" }</button>
                if p.open { <button type="button" class="control small" onclick={close}>{ "Hang up" }</button> }
            </div>
            // A log (polite, additions only): each new line is read once, not the whole session.
            <ol class="terminal-lines" tabindex="0" role="log" aria-labelledby={heading.clone()}>
                { for p.lines.iter().enumerate().map(|(i, l)| html! {
                    <li key={i} class={if l.typed { "typed" } else { "answer" }}>
                        <span class="who">{ if l.typed { "C:" } else { "S:" } }</span>{ l.text.clone() }
                    </li>
                }) }
            </ol>
            if let Some(text) = &*explanation { <p class="reply-explained" role="status">{ text.clone() }</p> }
            if p.open {
                <label class="terminal-input">
                    <span class="visually-hidden">{ "Type a line for the server" }</span>
                    <input type="text" ref={field} spellcheck="false" autocomplete="off" value={(*input).clone()}
                        oninput={on_input} onkeydown={on_key} placeholder={p.example.clone()} />
                </label>
                <p class="hint">{ "Next: " }{ p.hint.clone() }</p>
            } else {
                <p class="hint">{ "The connection is closed." }</p>
            }
        </div>
    }
}
