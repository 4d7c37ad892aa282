//! The quiz's words: the question "predict the server's reply" asks, the verdict after an
//! answer (naming the right choice), and the score at the end.

/// "Alice's laptop sends “RCPT TO:<bob@southbay.test>”. What will Southbay MX answer?"
pub fn predict_question(client: &str, command: &str, server: &str) -> String {
    format!("{client} sends \u{201c}{command}\u{201d}. What will {server} answer?")
}

/// The same, for the line with a single dot that ends a message (RFC 5321 4.1.1.4).
pub fn predict_final_dot(client: &str, server: &str) -> String {
    format!("{client} has sent the whole message and ends it with a line holding a single dot. What will {server} answer?")
}

/// After an answer: right or not, and which choice was right, in words.
pub fn verdict(right: bool, answer: &str) -> String {
    if right {
        format!("Right: \u{201c}{answer}\u{201d}.")
    } else {
        format!("Not quite: the answer is \u{201c}{answer}\u{201d}.")
    }
}

/// A quiz whose right answer the engine could not find among the choices.
pub const NO_RIGHT_ANSWER: &str = "None of these choices is what happened in this run: the question needs a look from its author.";

/// "7 of 9 right."
pub fn score(right: usize, total: usize) -> String {
    format!("{right} of {total} right.")
}

/// Before the list of answers at the end.
pub const YOUR_ANSWERS: &str = "Your answers";
