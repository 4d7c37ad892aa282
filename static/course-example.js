// The example course page hears the quiz's score from the embedded Mailflow (a `postMessage`
// of `{type: "mailflow:quiz", scenario, score, total, answers}`, sent once the last question is
// answered) and shows it. A course site would send it to its gradebook instead.
addEventListener('message', (event) => {
  // Only Mailflow's own messages, from where this page embeds it (here: the same host).
  if (event.origin !== location.origin || event.data?.type !== 'mailflow:quiz') return;
  const { score, total, answers } = event.data;
  const missed = answers.filter((a) => !a.right).map((a) => a.question);
  const shown = document.getElementById('quiz-score');
  shown.textContent = `Your score: ${score} of ${total}.` +
    (missed.length ? ` To look at again: ${missed.join(' · ')}` : ' All right!');
});
