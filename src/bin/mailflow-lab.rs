//! `mailflow-lab`: Mailflow's engine on the command line, for scenario authors and tests.
//!
//!     mailflow-lab trace <scenario.json | preset-name> [--json]
//!     mailflow-lab presets

use std::process::ExitCode;

use mailflow::engine::scenario::{preset, presets, Scenario};
use mailflow::engine::trace::transcript;
use mailflow::engine::world::simulate;

const USAGE: &str = "usage:
  mailflow-lab trace <scenario.json | preset-name> [--json]
      run a scenario and print its transcript: one line per event, with virtual time,
      connection and direction (C: and S: lines exactly as sent); --json prints the trace
  mailflow-lab presets
      list the preset scenarios";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mailflow-lab: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("trace") => {
            let json = args.iter().any(|a| a == "--json");
            let target = args[1..].iter().find(|a| !a.starts_with("--")).ok_or_else(|| USAGE.to_owned())?;
            if let Some(unknown) = args[1..].iter().find(|a| a.starts_with("--") && *a != "--json") {
                return Err(format!("unknown option {unknown}\n{USAGE}"));
            }
            let scenario = load(target)?;
            let trace = simulate(&scenario);
            if json {
                let text = serde_json::to_string_pretty(&trace).map_err(|e| e.to_string())?;
                println!("{text}");
            } else {
                print!("{}", transcript(&trace));
            }
            Ok(())
        }
        Some("presets") => {
            for p in presets() {
                let title = p.scenario().map(|s| s.title).unwrap_or_else(|e| format!("(broken: {e})"));
                println!("{:16} {title}", p.name);
            }
            Ok(())
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
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
    Scenario::from_json(&text).map_err(|e| format!("{target}: {e}"))
}
