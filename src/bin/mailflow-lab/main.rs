//! `mailflow-lab`: Mailflow's engine on the command line, for scenario authors, tests and
//! classrooms.
//!
//!     mailflow-lab trace <scenario.json | preset-name> [--json]
//!     mailflow-lab narrate <scenario.json | preset-name>
//!     mailflow-lab presets
//!     mailflow-lab schema
//!     mailflow-lab serve [scenario] [--smtp-port N] ... [--stdio <service>]
//!
//! The options and their help are in options.rs.

mod client;
mod live;
mod options;
mod serve;
mod stdio;
mod tls;

use std::process::ExitCode;

use clap::Parser;
use mailflow::engine::scenario::{preset, presets, Scenario};
use mailflow::catalog::world::halted_notice;
use mailflow::engine::trace::{format_time, transcript, Trace};
use mailflow::player::narrator::said_limit;
use mailflow::player::checkpoint::unreached;
use mailflow::player::{Cast, Player};
use mailflow::engine::world::simulate;

use options::{Cli, Command};

/// Every step of a scenario as the app tells it, in plain text.
/// A checkpoint that never happens is an error of the file (a link to it opens nowhere), found
/// once the scenario has run: the transcript above shows what happened instead.
fn checkpoints_happen(target: &str, scenario: &Scenario, trace: Trace) -> Result<(), Failure> {
    let player = Player::new(std::rc::Rc::new(trace));
    let errors = unreached(&player, scenario);
    if errors.is_empty() {
        return Ok(());
    }
    Err(Failure(errors.iter().map(|e| format!("{target}: {e}")).collect::<Vec<_>>().join("\n")))
}

/// A run that stopped at its budget printed what it made, and then fails: a teacher checking a
/// file sees that its end was never reached.
fn stopped_early(trace: &Trace) -> Result<(), Failure> {
    match trace.halted() {
        Some(halted) => Err(Failure(halted_notice(said_limit(halted.limit)))),
        None => Ok(()),
    }
}

fn narration(scenario: &Scenario, trace: Trace) -> String {
    use std::fmt::Write;
    let player = Player::new(std::rc::Rc::new(trace)).with_cast(Cast::of(scenario));
    let mut out = String::new();
    for view in (0..player.len()).filter_map(|k| player.view(k)) {
        let _ = writeln!(out, "Step {} of {} · {}", view.step + 1, view.steps, format_time(view.at));
        for sentence in &view.narration.sentences {
            let _ = writeln!(out, "  {sentence}");
        }
        for why in &view.narration.why {
            let _ = writeln!(out, "    [{}] {}", why.rfc, why.text);
        }
        for story in &view.summary {
            let _ = writeln!(out, "  = {story}");
        }
    }
    out
}

/// The world `serve` offers when given none: the cast and hosts every lesson starts with.
const DEFAULT_WORLD: &str = "first-letter";

/// Why a command that was well given could not be carried out (exit status 1). A wrong
/// command line is clap's to refuse, with status 2 as getopt-style tools do.
pub struct Failure(pub String);

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            // Each of a file's errors on a line of its own, as a compiler writes them.
            for line in message.lines() {
                eprintln!("mailflow-lab: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Trace { scenario: target, json } => {
            let scenario = load(&target).map_err(Failure)?;
            let trace = simulate(&scenario);
            if json {
                let text = serde_json::to_string_pretty(&trace).map_err(|e| Failure(e.to_string()))?;
                println!("{text}");
            } else {
                print!("{}", transcript(&trace));
            }
            stopped_early(&trace)?;
            checkpoints_happen(&target, &scenario, trace)
        }
        Command::Narrate { scenario: target } => {
            let scenario = load(&target).map_err(Failure)?;
            let trace = simulate(&scenario);
            print!("{}", narration(&scenario, trace.clone()));
            stopped_early(&trace)
        }
        Command::Schema => {
            print!("{}", mailflow::engine::scenario::Scenario::json_schema());
            Ok(())
        }
        Command::Presets => {
            for p in presets() {
                let title = p.scenario().map(|s| s.title).unwrap_or_else(|e| format!("(broken: {e})"));
                println!("{:16} {title}", p.name);
            }
            Ok(())
        }
        Command::Serve(options) => {
            let scenario = world(options.scenario.as_deref()).map_err(Failure)?;
            match options.stdio {
                Some(stdio) => stdio::run(stdio.service(), &scenario),
                None => serve::run(&options, &scenario),
            }
        }
    }
}

/// The world to serve: a given scenario runs as written, actions and all; without one, the
/// first lesson's world stands still so that a class can fill it with its own mail.
fn world(target: Option<&str>) -> Result<Scenario, String> {
    match target {
        Some(target) => load(target),
        None => {
            let mut scenario = load(DEFAULT_WORLD)?;
            scenario.actions.clear();
            Ok(scenario)
        }
    }
}

/// A preset by name, or a scenario file by path.
fn load(target: &str) -> Result<Scenario, String> {
    if let Some(p) = preset(target) {
        return p.scenario().map_err(|e| format!("preset {target}: {e}"));
    }
    let text = std::fs::read_to_string(target).map_err(|e| {
        let names: Vec<&str> = presets().iter().map(|p| p.name).collect();
        format!("{target}: {e} (and it is not a preset: {})", names.join(", "))
    })?;
    Scenario::from_json(&text).map_err(|errors| errors.iter().map(|e| format!("{target}: {e}")).collect::<Vec<_>>().join("\n"))
}
