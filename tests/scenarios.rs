//! The scenario format: every preset file loads, and broken files are refused with an error
//! that names the field and the problem.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::edited as edited_preset;
use mailflow::engine::scenario::{preset, presets, Scenario, Service};

#[test]
fn every_preset_parses_and_is_named_after_its_file() {
    for p in presets() {
        let scenario = p.scenario().unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert_eq!(scenario.name, p.name);
        assert!(!scenario.title.is_empty() && !scenario.summary.is_empty(), "{}", p.name);
        assert!(!scenario.actions.is_empty(), "{} does nothing", p.name);
        // The list of scenarios reads only the heading: it must be the scenario's own.
        let heading = p.heading().unwrap();
        assert_eq!((heading.title, heading.summary), (scenario.title, scenario.summary));
    }
}

#[test]
fn static_scenarios_folder_holds_exactly_the_compiled_presets() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("static/scenarios")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> = presets().iter().map(|p| p.name.to_owned()).collect();
    compiled.sort();
    assert_eq!(on_disk, compiled);
}

#[test]
fn presets_share_the_cast_of_the_lessons() {
    for p in presets() {
        let s = p.scenario().unwrap();
        if p.name == "forwarded" {
            // The lesson of a move: Bob has left southbay, whose MX only forwards his old
            // address to eastbay.
            assert!(s.host("mx.southbay.test").is_some_and(|h| h.aliases.contains_key("bob@southbay.test")));
            assert!(s.user("bob@southbay.test").is_none() && s.user("bob@eastbay.test").is_some());
            continue;
        }
        let alice = s.user("alice@northwind.test").expect("alice");
        assert_eq!(alice.password, "wonderland");
        assert_eq!(s.user("carol@northwind.test").map(|u| u.password.as_str()), Some("sunshine"));
        assert_eq!(s.user("bob@southbay.test").map(|u| u.password.as_str()), Some("builder"));
        let smtp = s.host("smtp.northwind.test").expect("smtp.northwind.test");
        assert!(smtp.offers(Service::Submission) && smtp.offers(Service::Submissions) && smtp.offers(Service::Smtp));
        let mailbox = s.host("mail.southbay.test").expect("mail.southbay.test");
        assert!(mailbox.offers(Service::Lmtp) && mailbox.offers(Service::Pop3) && mailbox.offers(Service::Imap));
    }
}

#[test]
fn backup_mx_preset_publishes_two_preferences() {
    let s = preset("backup-mx").unwrap().scenario().unwrap();
    let prefs: Vec<u16> = s.domain("southbay.test").unwrap().mx.iter().map(|m| m.preference).collect();
    assert_eq!(prefs, vec![10, 20]);
}

/// The first-letter preset with one edit applied to its JSON tree.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    edited_preset("first-letter", edit)
}

fn error_of(text: &str) -> String {
    Scenario::from_json(text).expect_err("the file should be refused").to_string()
}

#[test]
fn a_typo_in_a_field_name_is_named() {
    let text = edited(|t| {
        let host = t["hosts"][1].as_object_mut().unwrap();
        let v = host.remove("mailbox_host").unwrap();
        host.insert("mailbox_hots".into(), v);
    });
    let err = error_of(&text);
    assert!(err.starts_with("hosts[1].mailbox_hots: there is no field \"mailbox_hots\" here; the fields are: name, address, label,"), "{err}");
}

#[test]
fn a_wrong_type_is_named_with_its_path() {
    let err = error_of(&edited(|t| t["domains"][1]["mx"][0]["preference"] = "ten".into()));
    assert!(err.starts_with("domains[1].mx[0].preference: the text \"ten\" is not a whole number from 0 to 65535 (line "), "{err}");
}

#[test]
fn a_missing_field_names_the_object_that_lacks_it() {
    let err = error_of(&edited(|t| drop(t["hosts"][1].as_object_mut().unwrap().remove("name"))));
    assert!(err.starts_with("hosts[1]: \"name\" is missing (line "), "{err}");
}

#[test]
fn an_unknown_fault_kind_is_named() {
    let err = error_of(&edited(|t| {
        t["faults"] = serde_json::json!([{"kind": "host-dwn", "host": "mx.southbay.test", "from": 1, "until": 2}]);
    }));
    assert!(err.starts_with("faults[0].kind: \"host-dwn\" is not one of: host-down, link-down, greylisting, mailbox-full, open-relay, dns-failure"), "{err}");
}

#[test]
fn an_unknown_service_is_named() {
    let err = error_of(&edited(|t| t["hosts"][2]["services"][0] = "lmpt".into()));
    assert!(err.starts_with("hosts[2].services[0]: \"lmpt\" is not one of: smtp, submission"), "{err}");
}

#[test]
fn a_dangling_host_reference_is_named() {
    let err = error_of(&edited(|t| t["domains"][1]["mx"][0]["exchange"] = "mx.nowhere.test".into()));
    assert_eq!(err, "domains[1].mx[0].exchange: no host is named mx.nowhere.test");
}

#[test]
fn a_bad_address_is_named() {
    let err = error_of(&edited(|t| t["hosts"][0]["address"] = "192.0.2.300".into()));
    assert_eq!(err, "hosts[0].address: \"192.0.2.300\" is not an IPv4 address");
    let err = error_of(&edited(|t| t["actions"][0]["send"]["to"][0] = "bob.southbay.test".into()));
    assert_eq!(err, "actions[0].send.to[0]: \"bob.southbay.test\" is not an address of the form name@domain");
}

#[test]
fn a_newer_format_version_is_refused() {
    let err = error_of(&edited(|t| t["version"] = 2.into()));
    assert_eq!(err, "version: this Mailflow reads format version 1, the file says 2");
}

#[test]
fn a_service_the_server_lacks_is_named() {
    let err = error_of(&edited(|t| t["actions"][0]["send"]["service"] = "pop3".into()));
    assert_eq!(err, "actions[0].send.service: smtp.northwind.test does not offer pop3 (port 110)");
}

#[test]
fn broken_json_says_where() {
    let text = preset("first-letter").unwrap().json.replacen("\"hosts\": [", "\"hosts\": [,", 1);
    let err = error_of(&text);
    assert!(err.contains("(line "), "{err}");
}

#[test]
fn a_fault_window_must_end_after_it_starts() {
    let err = error_of(&edited(|t| {
        t["faults"] = serde_json::json!([{"kind": "host-down", "host": "mx.southbay.test", "from": 600, "until": 300}]);
    }));
    assert_eq!(err, "faults[0].until: ends at 300 s, which is not after it starts (600 s)");
}

/// "Bob's phone checks every 5 minutes" is one action: it happens at `at`, then every `every`
/// seconds up to `until`, and each time counts against the bounds.
#[test]
fn an_action_repeats_every_so_often_until_its_last_moment() {
    use mailflow::engine::trace::EventKind;
    let fetches = |edit: serde_json::Value| {
        let text = edited(|t| {
            for (k, v) in edit.as_object().unwrap() {
                t["actions"][1][k] = v.clone();
            }
        });
        let trace = mailflow::engine::world::simulate(&Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}")));
        trace.events.iter().filter(|e| matches!(e.kind, EventKind::Fetched(_))).map(|e| e.at.as_millis() / 1000).collect::<Vec<_>>()
    };
    let at = preset("first-letter").unwrap().scenario().unwrap().actions[1].at;
    assert_eq!(fetches(serde_json::json!({})).len(), 1);
    let times = fetches(serde_json::json!({"every": 300, "until": at + 1800}));
    assert_eq!(times.len(), 7, "{times:?}");
    assert!(times.windows(2).all(|w| w[1] - w[0] == 300), "{times:?}");
    // An `until` between two times: the last is the one before it.
    assert_eq!(fetches(serde_json::json!({"every": 300, "until": at + 899})).len(), 3);

    let error = |edit: serde_json::Value| error_of(&edited(|t| {
        for (k, v) in edit.as_object().unwrap() {
            t["actions"][1][k] = v.clone();
        }
    }));
    assert_eq!(error(serde_json::json!({"every": 300})), "actions[1].until: an action that repeats (\"every\") needs \"until\", its last moment");
    assert_eq!(error(serde_json::json!({"until": 900})), "actions[1].every: \"until\" goes with \"every\": how often to do it again");
    assert_eq!(error(serde_json::json!({"every": 10, "until": at + 100})), "actions[1].every: 10 s is too often: an action repeats at most once a minute (60 s)");
    assert_eq!(
        error(serde_json::json!({"at": 0, "every": 60, "until": 30 * 86_400})),
        "actions: at most 10000 actions are allowed, counting each time a repeated one happens: these happen 43202 times"
    );
}

/// Every ```json example in docs/scenarios.md works as written: a teacher copies them.
#[test]
fn the_examples_of_the_scenario_docs_work_as_written() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenarios.md")).unwrap();
    let examples: Vec<&str> = docs.split("```json\n").skip(1).map(|rest| rest.split("```").next().unwrap()).collect();
    assert!(!examples.is_empty(), "the docs show a whole example");
    for example in examples {
        let scenario = Scenario::from_json(example).unwrap_or_else(|e| panic!("{e}\n{example}"));
        let trace = mailflow::engine::world::simulate(&scenario);
        assert!(trace.halted().is_none());
        let player = mailflow::player::Player::new(std::rc::Rc::new(trace));
        assert_eq!(mailflow::player::checkpoint::unreached(&player, &scenario), vec![], "{example}");
    }
}

/// A file with mistakes of every kind gets them all at once, in the order of the file, each with
/// its path: a typo, a wrong type inside a fault (read whole before its fields), a missing field,
/// a dangling reference and a bound.
#[test]
fn every_mistake_of_a_file_is_reported_at_once() {
    let err = error_of(&edited(|t| {
        t["hosts"][0]["adress"] = t["hosts"][0]["address"].take();
        t["hosts"][0].as_object_mut().unwrap().remove("address");
        t["faults"] = serde_json::json!([
            {"kind": "host-down", "host": "mx.southbay.test", "from": "ten"},
            {"kind": "greylisting", "host": "mx.southbay.test", "delay": -5}
        ]);
        t["actions"][1].as_object_mut().unwrap().remove("fetch");
        t["actions"][0]["send"]["auth"] = "yes".into();
    }));
    let lines: Vec<&str> = err.lines().map(|l| l.split(" (line ").next().unwrap()).collect();
    assert_eq!(
        lines,
        // In the order of the file, whose keys the edit sorted.
        [
            "actions[0].send.auth: the text \"yes\" is not true or false",
            "faults[0].from: the text \"ten\" is not a whole number of seconds",
            "faults[1].delay: -5 is not a whole number of seconds (it cannot be negative)",
            "hosts[0].adress: there is no field \"adress\" here; the fields are: name, address, label, services, domains, mailbox_host, device_of, submits_to, smtpd, dkim, checks, aliases, lists",
        ],
        "{err}"
    );
    // Once it reads, every check's error comes at once too.
    let err = error_of(&edited(|t| {
        t["domains"][1]["mx"][0]["exchange"] = "mx.nowhere.test".into();
        t["users"][0]["address"] = "alice.northwind.test".into();
        t["actions"][0]["at"] = serde_json::json!(bounds_horizon() + 1);
        t["actions"][1]["fetch"]["service"] = "smtp".into();
    }));
    assert_eq!(err.lines().count(), 1, "a bound past stops the checks: {err}");
    let err = error_of(&edited(|t| {
        t["domains"][1]["mx"][0]["exchange"] = "mx.nowhere.test".into();
        t["users"][0]["address"] = "alice.northwind.test".into();
        t["actions"][1]["fetch"]["service"] = "smtp".into();
    }));
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "domains[1].mx[0].exchange: no host is named mx.nowhere.test",
            // Alice's laptop belongs to the address that is no longer one.
            "hosts[0].device_of: no user is alice@northwind.test",
            "users[0].address: \"alice.northwind.test\" is not an address of the form name@domain",
            "actions[1].fetch.service: mail is fetched with pop3 or imap",
        ]
    );
}

fn bounds_horizon() -> u64 {
    mailflow::engine::scenario::bounds::HORIZON_SECS
}

/// Every number is bounded before anything runs, and the error says the field and the bound.
mod bounds {
    use super::*;
    use mailflow::engine::scenario::bounds::{HORIZON_SECS, MAX_FILE_BYTES, MAX_HOSTS, MAX_RECIPIENTS, MAX_TEXT_BYTES};
    use serde_json::json;

    #[test]
    fn a_moment_beyond_the_horizon_is_named_with_the_horizon() {
        let err = error_of(&edited(|t| t["actions"][1]["at"] = json!(HORIZON_SECS + 1)));
        assert_eq!(err, "actions[1].at: 2592001 s is beyond the end of any scenario: times go up to 30 days (2592000 s)");
        // The largest whole number JSON can say is refused the same way, not wrapped around.
        let err = error_of(&edited(|t| {
            t["faults"] = json!([{"kind": "host-down", "host": "mx.southbay.test", "from": 0, "until": u64::MAX}]);
        }));
        assert_eq!(err, format!("faults[0].until: {} s is beyond the end of any scenario: times go up to 30 days (2592000 s)", u64::MAX));
        // The horizon itself is allowed.
        assert!(Scenario::from_json(&edited(|t| t["actions"][1]["at"] = json!(HORIZON_SECS))).is_ok());
    }

    #[test]
    fn an_absurd_queue_policy_is_refused_field_by_field() {
        let policy = |queue: serde_json::Value| error_of(&edited(|t| t["queue"] = queue));
        assert_eq!(
            policy(json!({"first_retry": 0, "max_retry": 0, "lifetime": 100_000_000})),
            "queue.first_retry: 0 s is too short: a queue waits at least 60 s before trying again"
        );
        assert_eq!(
            policy(json!({"first_retry": 600, "max_retry": 300})),
            "queue.max_retry: the longest wait (300 s) must not be shorter than the first (600 s)"
        );
        assert_eq!(
            policy(json!({"lifetime": 31_536_000})),
            "queue.lifetime: 31536000 s is too long: durations go up to 30 days (2592000 s)"
        );
        assert_eq!(
            policy(json!({"delay_warning": 3_000_000})),
            "queue.delay_warning: 3000000 s is too long: durations go up to 30 days (2592000 s)"
        );
        assert!(Scenario::from_json(&edited(|t| t["queue"] = json!({"first_retry": 60, "max_retry": 60, "lifetime": HORIZON_SECS}))).is_ok());
    }

    #[test]
    fn counts_and_sizes_are_bounded() {
        let err = error_of(&edited(|t| {
            let host = t["hosts"][0].clone();
            t["hosts"] = json!(vec![host; MAX_HOSTS + 1]);
        }));
        assert_eq!(err, "hosts: at most 64 are allowed, this file has 65");
        let err = error_of(&edited(|t| {
            t["actions"][0]["send"]["to"] = json!(vec!["bob@southbay.test"; 60]);
            t["actions"][0]["send"]["cc"] = json!(vec!["carol@northwind.test"; MAX_RECIPIENTS - 59]);
        }));
        assert_eq!(err, "actions[0].send.to: at most 100 are allowed, this file has 101 (to, cc and bcc together)");
        let err = error_of(&edited(|t| t["actions"][0]["send"]["body"] = json!("x".repeat(MAX_TEXT_BYTES + 1))));
        assert_eq!(err, "actions[0].send.body: 12582913 bytes is too long: at most 12582912 bytes are allowed");
        let err = error_of(&edited(|t| {
            t["faults"] = json!([{"kind": "greylisting", "host": "mx.southbay.test", "delay": HORIZON_SECS * 2}]);
        }));
        assert_eq!(err, "faults[0].delay: 5184000 s is too long: durations go up to 30 days (2592000 s)");
        let huge = format!("{{\"padding\": \"{}\"}}", " ".repeat(MAX_FILE_BYTES));
        assert_eq!(error_of(&huge), "the file is 16777231 bytes long: scenario files are at most 16777216 bytes");
    }
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever the bytes, reading a scenario gives a scenario or an error, never a panic.
        #[test]
        fn random_text_never_panics(text in ".{0,200}") {
            let _ = Scenario::from_json(&text);
        }

        /// Cut or corrupt a real scenario anywhere: the error still names a place.
        #[test]
        fn damaged_presets_give_an_error_not_a_panic(cut in 0usize..4000, byte in any::<u8>()) {
            let json = preset("first-letter").unwrap().json;
            let cut = cut.min(json.len());
            let mut damaged = json.as_bytes()[..cut].to_vec();
            damaged.push(byte);
            damaged.extend_from_slice(&json.as_bytes()[cut..]);
            let text = String::from_utf8_lossy(&damaged);
            if let Err(e) = Scenario::from_json(&text) {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
