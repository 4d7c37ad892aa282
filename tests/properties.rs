//! Properties of the simulator over random worlds: random messages, recipients (real, unknown,
//! non-existent domains), host outages, greylisting, full mailboxes, DNS failures and queue
//! settings. Whatever happens, no accepted mail is lost (invariant 3 of ARCHITECTURE.md), and the same
//! scenario gives the same trace (invariant 2).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use mailflow::engine::scenario::Scenario;
use mailflow::engine::trace::{details, EventKind};
use mailflow::engine::world::{simulate, Simulator};
use proptest::prelude::*;
use serde_json::{json, Value};

const RECIPIENTS: &[&str] = &[
    "bob@southbay.test",
    "carol@northwind.test",
    "alice@northwind.test",
    "robert@southbay.test",
    "postmaster@southbay.test",
    "someone@nowhere.test",
];
const HOSTS: &[&str] = &["mx.southbay.test", "mail.southbay.test", "smtp.northwind.test", "mail.northwind.test"];

fn fault() -> impl Strategy<Value = Value> {
    let window = (0u64..7200, proptest::option::of(1u64..20_000));
    prop_oneof![
        (0..HOSTS.len(), window.clone()).prop_map(|(h, (from, len))| {
            let mut f = json!({"kind": "host-down", "host": HOSTS[h], "from": from});
            if let Some(len) = len {
                f["until"] = json!(from + len);
            }
            f
        }),
        (60u64..900).prop_map(|delay| json!({"kind": "greylisting", "host": "mx.southbay.test", "delay": delay})),
        prop::sample::select(vec!["bob@southbay.test", "alice@northwind.test", "carol@northwind.test"])
            .prop_map(|user| json!({"kind": "mailbox-full", "user": user})),
        window.prop_map(|(from, len)| {
            json!({"kind": "dns-failure", "domain": "southbay.test", "from": from, "until": from + len.unwrap_or(600)})
        }),
    ]
}

fn send() -> impl Strategy<Value = Value> {
    (0u64..3600, prop::sample::subsequence(RECIPIENTS.to_vec(), 1..=3), any::<bool>(), any::<bool>()).prop_map(
        |(at, to, as_carol, relay_from_outside)| {
            if relay_from_outside {
                // A stranger's server hands mail to northwind's MX directly.
                json!({"at": at, "send": {"device": "relay.crossroads.test", "from": "nobody@southbay.test",
                    "to": to, "subject": "Hello", "body": "Hello.\n", "server": "smtp.northwind.test",
                    "service": "smtp", "auth": false}})
            } else if as_carol {
                json!({"at": at, "send": {"device": "carol-desktop.northwind.test", "from": "carol@northwind.test",
                    "to": to, "subject": "Note", "body": "A note.\n.leading dot\n"}})
            } else {
                json!({"at": at, "send": {"device": "alice-laptop.northwind.test", "from": "alice@northwind.test",
                    "to": to, "subject": "Lunch", "body": "Lunch?\n"}})
            }
        },
    )
}

fn world() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(send(), 1..6),
        prop::collection::vec(fault(), 0..4),
        60u64..600,
        3600u64..86_400,
        any::<bool>(),
    )
        .prop_map(|(actions, faults, first_retry, lifetime, backup)| {
            let text = common::edited("first-letter", |t| {
                let hosts = t["hosts"].as_array_mut().unwrap();
                hosts.push(json!({"name": "carol-desktop.northwind.test", "address": "192.0.2.102",
                    "device_of": "carol@northwind.test", "submits_to": "smtp.northwind.test"}));
                hosts.push(json!({"name": "relay.crossroads.test", "address": "203.0.113.66"}));
                if backup {
                    hosts.push(json!({"name": "mx2.southbay.test", "address": "198.51.100.26", "services": ["smtp"],
                        "domains": ["southbay.test"], "mailbox_host": "mail.southbay.test"}));
                    t["domains"][1]["mx"].as_array_mut().unwrap().push(json!({"preference": 20, "exchange": "mx2.southbay.test"}));
                }
                t["actions"] = json!(actions);
                t["faults"] = json!(faults);
                t["queue"] = json!({"first_retry": first_retry, "max_retry": 4000, "lifetime": lifetime, "delay_warning": 1800});
            });
            Scenario::from_json(&text).expect("generated scenarios are valid")
        })
}

/// Every message a server accepted ends delivered, still queued, or bounced to its sender
/// (or, for a failed bounce, to postmaster); nothing else may happen to it.
fn assert_no_mail_lost(scenario: &Scenario) -> Result<(), TestCaseError> {
    let mut sim = Simulator::new(scenario);
    sim.run();
    let events = sim.events();
    let mailbox_hosts: BTreeSet<&str> = ["mail.southbay.test", "mail.northwind.test"].into();

    let mut queued = BTreeMap::new();
    let mut removed = BTreeSet::new();
    let mut settled: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        match &e.kind {
            EventKind::Queued(d) => {
                let details::Queued { host, queue_id, message_id, from, to } = &**d;
                queued.insert((host.clone(), queue_id.clone()), (message_id.clone(), from.clone(), to.clone()));
            }
            EventKind::Removed(d) => {
                let details::Removed { host, queue_id } = &**d;
                removed.insert((host.clone(), queue_id.clone()));
            }
            EventKind::Relayed(d) => {
                let details::Relayed { host, queue_id, recipients, to_host } = &**d;
                settled.entry((host.clone(), queue_id.clone())).or_default().extend(recipients.iter().cloned());
                let (message_id, _, _) = &queued[&(host.clone(), queue_id.clone())];
                // The next host has it: stored in a mailbox, or in its own queue.
                for r in recipients {
                    let landed = events[..i].iter().any(|p| match &p.kind {
                        EventKind::Delivered(d) => {
                            let details::Delivered { host: h, user, message_id: m, .. } = &**d;
                            h == to_host && user == r && m == message_id && mailbox_hosts.contains(h.as_str())
                        }
                        EventKind::Queued(d) => {
                            let details::Queued { host: h, message_id: m, to, .. } = &**d;
                            h == to_host && m == message_id && to.contains(r)
                        }
                        _ => false,
                    });
                    prop_assert!(landed, "{r} was handed to {to_host} but is not there");
                }
            }
            EventKind::Bounced(d) => {
                let details::Bounced { host, queue_id, recipients, .. } = &**d;
                settled.entry((host.clone(), queue_id.clone())).or_default().extend(recipients.iter().cloned());
                let (_, from, _) = &queued[&(host.clone(), queue_id.clone())];
                // The sender (or postmaster, for a bounce) is told, unless it was a double bounce.
                let told = events[i..].iter().take(8).any(|n| match &n.kind {
                    EventKind::Queued(d) => {
                        let details::Queued { host: h, from: f, to, .. } = &**d;
                        h == host && f.is_empty() && (to == &vec![from.clone()] || to[0].starts_with("postmaster@"))
                    }
                    EventKind::Explain(d) => {
                        let details::Explain { text, .. } = &**d;
                        text.contains("drops it") || text.contains("(NOTIFY)")
                    }
                    _ => false,
                });
                prop_assert!(told, "bounce of {host} {queue_id} reached nobody");
            }
            _ => {}
        }
    }
    let still: BTreeSet<(String, String)> = sim
        .hosts()
        .iter()
        .flat_map(|h| h.queue.entries().map(move |e| (h.name.clone(), e.id.clone())))
        .collect();
    for (key, (_, _, to)) in &queued {
        prop_assert!(removed.contains(key) != still.contains(key), "{key:?} is neither finished nor queued");
        if removed.contains(key) {
            let done = settled.get(key).cloned().unwrap_or_default();
            for r in to {
                prop_assert!(done.contains(r), "{key:?}: {r} left the queue without delivery or bounce");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_mail_is_lost(scenario in world()) {
        assert_no_mail_lost(&scenario)?;
    }

    #[test]
    fn the_same_world_gives_the_same_trace(scenario in world()) {
        let a = serde_json::to_string(&simulate(&scenario)).unwrap();
        let b = serde_json::to_string(&simulate(&scenario)).unwrap();
        prop_assert_eq!(a, b);
    }
}
