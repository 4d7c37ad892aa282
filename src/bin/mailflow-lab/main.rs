//! `mailflow-lab`: Mailflow's engine on the command line, for scenario authors, tests and
//! classrooms.
//!
//!     mailflow-lab trace <scenario.json | preset-name> [--json]
//!     mailflow-lab narrate <scenario.json | preset-name>
//!     mailflow-lab presets
//!     mailflow-lab serve [scenario] [--smtp-port N] ... [--stdio <service>]

mod client;
mod live;
mod options;
mod serve;
mod stdio;
mod tls;

use std::process::ExitCode;

use mailflow::engine::scenario::{preset, presets, Scenario};
use mailflow::catalog::world::halted_notice;
use mailflow::engine::trace::{format_time, transcript, Trace};
use mailflow::player::narrator::said_limit;
use mailflow::player::checkpoint::unreached;
use mailflow::player::{Cast, Player};
use mailflow::engine::world::simulate;

use options::ServeOptions;

const USAGE: &str = "usage:
  mailflow-lab trace <scenario.json | preset-name> [--json]
      run a scenario and print its transcript: one line per event, with virtual time,
      connection and direction (C: and S: lines exactly as sent); --json prints the trace
  mailflow-lab narrate <scenario.json | preset-name>
      run a scenario and print what the app says at each step: the narration, the rules
      behind it (with their RFC sections), and at the end how each letter's journey ended
  mailflow-lab presets
      list the preset scenarios
  mailflow-lab schema
      print the JSON Schema of scenario files (static/scenario.schema.json)
  mailflow-lab serve [scenario] [--smtp-port 2525] [--submission-port 2587]
                     [--submissions-port 2465] [--pop3-port 2110] [--pop3s-port 2995]
                     [--imap-port 2143] [--imaps-port 2993] [--helo-only-port N]
                     [--address 127.0.0.1] [--time-scale 1] [--clear-passwords-anywhere]
      serve the world to real mail clients over TCP, one port per service, and print the
      live transcript; port 0 picks a free port. submissions, pop3s and imaps are TLS from
      the first byte (served only when TLS works); --helo-only-port adds an SMTP relay port
      whose server predates ESMTP (EHLO refused). Without a scenario: the first-letter world
      with nobody acting in it. --time-scale 60 makes a virtual minute pass each second.
      Passwords in clear are taken from this machine only (loopback); from other addresses
      only inside TLS, unless --clear-passwords-anywhere.
  mailflow-lab serve --stdio <smtp|submission|lmtp|pop3|imap> [scenario]
      speak one session over stdin and stdout (swaks --pipe), the transcript on stderr";

/// Every step of a scenario as the app tells it, in plain text.
/// A checkpoint that never happens is an error of the file (a link to it opens nowhere), found
/// once the scenario has run: the transcript above shows what happened instead.
fn checkpoints_happen(target: &str, scenario: &Scenario, trace: Trace) -> Result<(), Failure> {
    let player = Player::new(std::rc::Rc::new(trace));
    let errors = unreached(&player, scenario);
    if errors.is_empty() {
        return Ok(());
    }
    Err(Failure::Runtime(errors.iter().map(|e| format!("{target}: {e}")).collect::<Vec<_>>().join("\n")))
}

/// A run that stopped at its budget printed what it made, and then fails: a teacher checking a
/// file sees that its end was never reached.
fn stopped_early(trace: &Trace) -> Result<(), Failure> {
    match trace.halted() {
        Some(halted) => Err(Failure::Runtime(halted_notice(said_limit(halted.limit)))),
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

/// Why the command failed, and so its exit status.
pub enum Failure {
    /// The command line is wrong (exit status 2, as getopt-style tools do).
    Usage(String),
    /// The command was fine but could not be carried out (exit status 1).
    Runtime(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("mailflow-lab: {message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(message)) => {
            // Each of a file's errors on a line of its own, as a compiler writes them.
            for line in message.lines() {
                eprintln!("mailflow-lab: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    match args.first().map(String::as_str) {
        Some("trace") => {
            let json = args.iter().any(|a| a == "--json");
            if let Some(unknown) = args[1..].iter().find(|a| a.starts_with("--") && *a != "--json") {
                return Err(Failure::Usage(format!("unknown option {unknown}")));
            }
            let target = args[1..]
                .iter()
                .find(|a| !a.starts_with("--"))
                .ok_or_else(|| Failure::Usage("trace needs a scenario".into()))?;
            let scenario = load(target).map_err(Failure::Runtime)?;
            let trace = simulate(&scenario);
            if json {
                let text = serde_json::to_string_pretty(&trace).map_err(|e| Failure::Runtime(e.to_string()))?;
                println!("{text}");
            } else {
                print!("{}", transcript(&trace));
            }
            stopped_early(&trace)?;
            checkpoints_happen(target, &scenario, trace)
        }
        Some("narrate") => {
            if let Some(unknown) = args[1..].iter().find(|a| a.starts_with("--")) {
                return Err(Failure::Usage(format!("unknown option {unknown}")));
            }
            let target = args.get(1).ok_or_else(|| Failure::Usage("narrate needs a scenario".into()))?;
            let scenario = load(target).map_err(Failure::Runtime)?;
            let trace = simulate(&scenario);
            print!("{}", narration(&scenario, trace.clone()));
            stopped_early(&trace)
        }
        Some("schema") => {
            print!("{}", mailflow::engine::scenario::Scenario::json_schema());
            Ok(())
        }
        Some("presets") => {
            for p in presets() {
                let title = p.scenario().map(|s| s.title).unwrap_or_else(|e| format!("(broken: {e})"));
                println!("{:16} {title}", p.name);
            }
            Ok(())
        }
        Some("serve") => {
            let options = ServeOptions::parse(&args[1..]).map_err(Failure::Usage)?;
            let scenario = world(options.scenario.as_deref()).map_err(Failure::Runtime)?;
            match options.stdio {
                Some(service) => stdio::run(service, &scenario),
                None => serve::run(&options, &scenario),
            }
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Failure::Usage(format!("unknown command {other}"))),
        None => Err(Failure::Usage("which command?".into())),
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
