use yew::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
    html! {
        <header class="site-header">
            // The first stop of the Tab key: straight to the player, past the scenario list.
            <a class="skip-link" href="#main">{ "Skip to the player" }</a>
            <h1>{ "Mailflow" }</h1>
            <p class="tagline">{ "Watch a letter travel through the sorting offices of email: SMTP, POP3 and IMAP, line by line." }</p>
        </header>
    }
}
