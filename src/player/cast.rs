//! Who is who: the names a student reads for the hosts of a scenario (its labels: "Alice's
//! laptop", "Southbay MX"), where the trace has only host names.

use std::collections::BTreeMap;

use crate::engine::scenario::Scenario;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cast {
    labels: BTreeMap<String, String>,
}

impl Cast {
    pub fn of(scenario: &Scenario) -> Cast {
        let labels = scenario.hosts.iter().map(|h| (h.name.to_ascii_lowercase(), h.label().to_owned())).collect();
        Cast { labels }
    }

    /// A host's label, or its name when it has none (or is not in the scenario).
    pub fn host(&self, name: &str) -> String {
        self.labels.get(&name.to_ascii_lowercase()).cloned().unwrap_or_else(|| name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;

    #[test]
    fn hosts_go_by_their_labels() {
        let cast = Cast::of(&preset("first-letter").unwrap().scenario().unwrap());
        assert_eq!(cast.host("mx.southbay.test"), "Southbay MX");
        assert_eq!(cast.host("MX.southbay.test"), "Southbay MX");
        assert_eq!(cast.host("elsewhere.test"), "elsewhere.test");
    }
}
