//! Every step of every preset has words: narration beyond its raw lines, and a description
//! that says where each letter is. The words come from the events: change the scenario and
//! the narration follows.

use std::rc::Rc;

use mailflow::engine::scenario::{preset, presets, Scenario};
use mailflow::engine::world::simulate;
use mailflow::player::{Cast, Player, StepView};

fn player(scenario: &Scenario) -> Player {
    Player::new(Rc::new(simulate(scenario))).with_cast(Cast::of(scenario))
}

fn views(scenario: &Scenario) -> Vec<StepView> {
    let player = player(scenario);
    (0..player.len()).map(|k| player.view(k).expect("a step in range has a view")).collect()
}

/// A sentence a student can read: a capital, at least five words, a full stop, and not just
/// one of the raw transcript lines again.
fn is_a_full_sentence(text: &str, raw: &[String]) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
        && text.split_whitespace().count() >= 5
        && text.ends_with(['.', ')'])
        && !raw.iter().any(|r| r.contains(text))
}

#[test]
fn every_step_of_every_preset_is_narrated_and_described() {
    let mut steps = 0;
    for p in presets() {
        let scenario = p.scenario().unwrap();
        let views = views(&scenario);
        assert!(!views.is_empty(), "{}", p.name);
        for v in &views {
            steps += 1;
            let at = format!("{} step {}", p.name, v.step + 1);
            assert!(
                v.narration.sentences.iter().any(|s| is_a_full_sentence(s, &v.lines)),
                "{at}: no full sentence in {:?} (lines {:?})",
                v.narration.sentences,
                v.lines
            );
            assert!(v.description.starts_with(&format!("Step {} of {}", v.step + 1, v.steps)), "{at}: {}", v.description);
            for letter in &v.letters {
                let place = letter.whereabouts.say();
                assert!(v.description.contains(&place), "{at}: the description does not say the letter is {place:?}: {}", v.description);
            }
            if v.scene.letters.len() > v.letters.len() {
                assert!(v.description.contains("more letter"), "{at}: {}", v.description);
            }
            for why in &v.narration.why {
                assert!(why.rfc.starts_with("RFC ") || why.rfc == "Mailflow", "{at}: {why:?}");
            }
        }
        let end = views.last().unwrap();
        let player = player(&scenario);
        assert_eq!(end.summary.len(), player.journeys().len(), "{}: one line per letter at the end", p.name);
        assert!(views[..views.len() - 1].iter().all(|v| v.summary.is_empty()), "{}: the summary waits for the end", p.name);
    }
    assert!(steps > 800, "{steps} steps walked");
}

#[test]
fn the_narration_follows_the_scenario() {
    let mut scenario = preset("first-letter").unwrap().scenario().unwrap();
    let said = |s: &Scenario| -> Vec<String> { views(s).into_iter().flat_map(|v| v.narration.sentences).collect() };
    let before = said(&scenario);
    assert!(before.iter().any(|s| s.starts_with("Southbay MX answers 220: hello, I am ready.")));

    // A host's label is how the narrator names it.
    let mx = scenario.hosts.iter_mut().find(|h| h.name == "mx.southbay.test").unwrap();
    mx.label = Some("Harbour Post Office".into());
    let renamed = said(&scenario);
    assert!(renamed.iter().any(|s| s.starts_with("Harbour Post Office answers 220: hello, I am ready.")));
    assert!(!renamed.iter().any(|s| s.contains("Southbay MX")));

    // A recipient the MX does not know: the narrator says so, and the end says the letter came back.
    let mut unknown = preset("first-letter").unwrap().scenario().unwrap();
    unknown.users.retain(|u| u.address != "bob@southbay.test");
    let views = views(&unknown);
    let sentences: Vec<&String> = views.iter().flat_map(|v| &v.narration.sentences).collect();
    assert!(sentences.iter().any(|s| s.contains("there is no user bob@southbay.test here")), "{sentences:?}");
    assert!(views.last().unwrap().summary[0].contains("came back to its sender"), "{:?}", views.last().unwrap().summary);
}

#[test]
fn the_letter_on_the_wire_is_described_in_transit() {
    let scenario = preset("first-letter").unwrap().scenario().unwrap();
    let views = views(&scenario);
    let relay = views
        .iter()
        .find(|v| v.letters.iter().any(|l| l.in_transit) && v.hop.as_ref().is_some_and(|h| h.port == 25))
        .expect("a step where the letter travels to the MX");
    assert!(relay.description.contains("is on its way from Northwind SMTP server to Southbay MX"), "{}", relay.description);
    assert!(relay.description.contains("Northwind SMTP server is talking to Southbay MX (SMTP on port 25"), "{}", relay.description);
}

/// `mailflow-lab narrate`: what the app says at each step, for scenario authors.
#[cfg(feature = "lab")]
#[test]
fn the_command_line_narrates_a_scenario_to_its_end() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mailflow-lab")).args(["narrate", "unknown-user"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let steps = player(&preset("unknown-user").unwrap().scenario().unwrap()).len();
    assert!(text.starts_with(&format!("Step 1 of {steps} · 00:00:00.000\n")), "{}", &text[..200]);
    assert!(text.contains("    [RFC 3463 3.2] "), "the reasons are there");
    assert!(text.contains("  = The letter \"") && text.contains("came back to its sender"), "the end says how it ended");
}
