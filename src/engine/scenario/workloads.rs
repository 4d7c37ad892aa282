//! Large scenarios for the benchmarks (native and in the browser), built in one place so that
//! both measure the same work.

use serde_json::json;

use super::{preset, Scenario, ScenarioErrors};

fn first_letter_world() -> serde_json::Value {
    preset("first-letter").and_then(|p| serde_json::from_str(p.json).ok()).unwrap_or_default()
}

/// A busy day: `messages` letters from Alice, one every two seconds, to four kinds of recipient
/// (Bob, Carol on her own domain, an unknown user, a domain that does not exist), with
/// southbay's MX greylisting and down for an hour.
pub fn busy_day(messages: usize) -> Result<Scenario, ScenarioErrors> {
    let mut tree = first_letter_world();
    let recipients = ["bob@southbay.test", "carol@northwind.test", "robert@southbay.test", "bob@nowhere.test"];
    let actions: Vec<_> = (0..messages)
        .map(|i| {
            json!({"at": i * 2, "send": {
                "device": "alice-laptop.northwind.test", "from": "alice@northwind.test",
                "to": [recipients[i % 7 % recipients.len()]],
                "subject": format!("Message {i}"), "body": "Hello.\nA line.\n.A dot-stuffed line\n"}})
        })
        .collect();
    tree["actions"] = json!(actions);
    tree["faults"] = json!([
        {"kind": "host-down", "host": "mx.southbay.test", "from": 3600, "until": 7200},
        {"kind": "greylisting", "host": "mx.southbay.test", "delay": 300}
    ]);
    Scenario::from_json(&tree.to_string())
}

/// A long trace for the player: `messages` letters to Bob (a third to an unknown user), with
/// southbay's MX down for the first quarter hour.
pub fn long_trace(messages: usize) -> Result<Scenario, ScenarioErrors> {
    let mut tree = first_letter_world();
    let actions: Vec<_> = (0..messages)
        .map(|i| {
            json!({"at": i * 2, "send": {"device": "alice-laptop.northwind.test", "from": "alice@northwind.test",
                "to": [if i % 3 == 0 { "robert@southbay.test" } else { "bob@southbay.test" }],
                "subject": format!("Message {i}"), "body": "Hello.\n"}})
        })
        .collect();
    tree["actions"] = json!(actions);
    tree["faults"] = json!([{"kind": "host-down", "host": "mx.southbay.test", "from": 60, "until": 900}]);
    Scenario::from_json(&tree.to_string())
}

/// A world that runs away within every bound: `messages` letters to Bob while southbay's MX is
/// down for good, retried every minute for the whole horizon (30 days). Tens of millions of
/// events if nothing stopped it; the simulator's budget does.
pub fn runaway(messages: usize) -> Result<Scenario, ScenarioErrors> {
    let mut tree = first_letter_world();
    let actions: Vec<_> = (0..messages)
        .map(|i| {
            json!({"at": i, "send": {"device": "alice-laptop.northwind.test", "from": "alice@northwind.test",
                "to": ["bob@southbay.test"], "subject": format!("Message {i}"), "body": "Hello.\n"}})
        })
        .collect();
    tree["actions"] = json!(actions);
    tree["queue"] = json!({"first_retry": super::bounds::MIN_RETRY_SECS, "max_retry": super::bounds::MIN_RETRY_SECS,
        "queue_run_delay": super::bounds::MIN_RETRY_SECS,
        "lifetime": super::bounds::HORIZON_SECS, "delay_warning": null});
    tree["faults"] = json!([{"kind": "host-down", "host": "mx.southbay.test", "from": 0}]);
    Scenario::from_json(&tree.to_string())
}
