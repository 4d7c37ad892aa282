//! The links between hosts: which pairs cannot reach each other, and when (the scenario's
//! `link-down` faults). A host that is switched off is its own matter (`HostState::is_up`).

use crate::engine::scenario::{Fault, Scenario};
use crate::engine::time::VirtualTime;

#[derive(Debug, Clone)]
struct Cut {
    a: String,
    b: String,
    from: VirtualTime,
    until: Option<VirtualTime>,
}

#[derive(Debug, Clone, Default)]
pub struct Network {
    cuts: Vec<Cut>,
}

impl Network {
    pub fn from_scenario(scenario: &Scenario) -> Network {
        let cuts = scenario
            .faults
            .iter()
            .filter_map(|f| match f {
                Fault::LinkDown { between: [a, b], from, until } => Some(Cut {
                    a: a.to_ascii_lowercase(),
                    b: b.to_ascii_lowercase(),
                    from: VirtualTime::from_secs(*from),
                    until: until.map(VirtualTime::from_secs),
                }),
                _ => None,
            })
            .collect();
        Network { cuts }
    }

    /// Whether packets get from one host to the other at this moment (either direction).
    pub fn reachable(&self, a: &str, b: &str, now: VirtualTime) -> bool {
        !self.cuts.iter().any(|c| {
            let pair = (c.a == a && c.b == b) || (c.a == b && c.b == a);
            pair && now >= c.from && c.until.is_none_or(|u| now < u)
        })
    }
}
