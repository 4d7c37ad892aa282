//! The quiz's score: each question asked, the choice picked, whether it was right; and the
//! message the app sends to the course page that embeds it when the last one is answered.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::player::checkpoint::Stop;

/// The answers given so far: the step of each question answered, and the choice picked.
pub type Answers = BTreeMap<usize, usize>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub right: usize,
    pub total: usize,
    pub answers: Vec<Answered>,
}

/// One question and what the student picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answered {
    /// The checkpoint's name (`relay`, or `predict-3` for a predicted reply).
    pub checkpoint: String,
    pub question: String,
    pub answer: String,
    pub right: bool,
}

/// The score of the questions answered so far, in the order they come.
pub fn score(stops: &[Stop], answers: &Answers) -> Score {
    let asked: Vec<&Stop> = stops.iter().filter(|s| s.quiz.is_some()).collect();
    let answered: Vec<Answered> = asked
        .iter()
        .filter_map(|stop| {
            let quiz = stop.quiz.as_ref()?;
            let picked = *answers.get(&stop.step)?;
            Some(Answered {
                checkpoint: stop.name.clone(),
                question: quiz.question.clone(),
                answer: quiz.choices.get(picked).cloned().unwrap_or_default(),
                right: Some(picked) == quiz.correct,
            })
        })
        .collect();
    Score { right: answered.iter().filter(|a| a.right).count(), total: asked.len(), answers: answered }
}

impl Score {
    /// Every question has its answer.
    pub fn complete(&self) -> bool {
        self.total > 0 && self.answers.len() == self.total
    }
}

/// The message for the embedding page: `{"type":"mailflow:quiz","scenario":…,"score":…,
/// "total":…,"answers":[{"checkpoint","question","answer","right"}…]}`, and nothing else
/// (docs/teaching-guide.md documents it for course pages).
pub fn message(scenario: &str, score: &Score) -> String {
    #[derive(Serialize)]
    struct Message<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        scenario: &'a str,
        score: usize,
        total: usize,
        answers: &'a [Answered],
    }
    let message = Message { kind: "mailflow:quiz", scenario, score: score.right, total: score.total, answers: &score.answers };
    serde_json::to_string(&message).unwrap_or_default()
}
