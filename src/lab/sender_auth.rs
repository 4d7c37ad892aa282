//! Who really sent it, in the lab: the records and the key of the `signed-and-sealed` lesson,
//! which the student publishes, withdraws and switches one by one in the lab's world, and a
//! stranger's server to send from as someone else.

use crate::engine::auth::dkim::{private_key, Signer};
use crate::engine::scenario::{preset, DkimSigning, Host, Scenario, SenderCheck, TxtRecord};

use super::live::Lab;

/// The lesson whose records and key the lab offers.
const LESSON: &str = "signed-and-sealed";

/// The stranger's server: on no one's network, with no one's login.
pub const STRANGER: &str = "mail.badlands.test";
const STRANGER_ADDRESS: &str = "203.0.113.66";

/// What the lab can switch for one domain: its signer and the host that signs, its SPF
/// record, its DKIM key record, and the MX of the other side that can check.
#[derive(Debug, Clone)]
pub struct Kit {
    pub domain: String,
    pub signer_host: String,
    pub signing: DkimSigning,
    pub spf: String,
    /// The key record's owner below the domain (`mail._domainkey`) and its text.
    pub key: (String, String),
    pub checker: String,
}

/// The DMARC policies a student can publish.
pub const POLICIES: [&str; 3] = ["none", "quarantine", "reject"];

impl Kit {
    /// The lesson's kit, when the lab's world has the hosts it names.
    pub fn for_world(world: &Scenario) -> Option<Kit> {
        let lesson = preset(LESSON)?.scenario().ok()?;
        let signer = lesson.hosts.iter().find(|h| h.dkim.is_some())?;
        let checker = lesson.hosts.iter().find(|h| !h.checks.is_empty())?;
        let signing = signer.dkim.clone()?;
        let domain = lesson.domain(&signing.domain)?;
        let record = |name: &str| domain.txt.iter().find(|t| t.name == name).map(|t| t.text.clone());
        let key_name = format!("{}._domainkey", signing.selector);
        let kit = Kit {
            domain: domain.name.clone(),
            signer_host: signer.name.clone(),
            spf: record("")?,
            key: (key_name.clone(), record(&key_name)?),
            checker: checker.name.clone(),
            signing,
        };
        (world.host(&kit.signer_host).is_some() && world.host(&kit.checker).is_some() && world.domain(&kit.domain).is_some()).then_some(kit)
    }

    fn owner(&self, below: &str) -> String {
        if below.is_empty() { self.domain.clone() } else { format!("{below}.{}", self.domain) }
    }
}

/// The lab's world with the stranger's server in it, if its name and address are free.
pub fn with_stranger(mut scenario: Scenario) -> Scenario {
    let taken = scenario.hosts.iter().any(|h| h.name.eq_ignore_ascii_case(STRANGER) || h.address == STRANGER_ADDRESS);
    if !taken {
        let host: Option<Host> = serde_json::from_value(serde_json::json!({
            "name": STRANGER, "address": STRANGER_ADDRESS, "label": "Stranger's server"
        }))
        .ok();
        scenario.hosts.extend(host);
    }
    scenario
}

impl Lab {
    /// Whether the signer signs now.
    pub fn signing(&self) -> bool {
        self.kit().is_some_and(|k| self.world().hosts().iter().any(|h| h.name.eq_ignore_ascii_case(&k.signer_host) && h.dkim.is_some()))
    }

    /// Whether the domain publishes its SPF record now.
    pub fn publishes_spf(&self) -> bool {
        self.kit().is_some_and(|k| self.world().txt(&k.domain).iter().any(|t| t.starts_with("v=spf1")))
    }

    /// The DMARC policy the domain publishes now (`p=`), if any.
    pub fn dmarc_policy(&self) -> Option<String> {
        let kit = self.kit()?;
        let record = self.world().txt(&kit.owner("_dmarc")).into_iter().find(|t| t.starts_with("v=DMARC1"))?;
        crate::engine::auth::dmarc::record(&record).map(|r| r.p.name().to_owned())
    }

    /// Whether the other side's MX checks SPF, DKIM and DMARC now.
    pub fn checking(&self) -> bool {
        self.kit().is_some_and(|k| self.world().hosts().iter().any(|h| h.name.eq_ignore_ascii_case(&k.checker) && !h.checks.is_empty()))
    }

    /// Sign (and publish the key), or stop signing (the key stays published, as it does when
    /// a domain rotates keys: old signatures still verify).
    pub fn set_signing(&mut self, on: bool) -> Result<(), String> {
        let kit = self.kit().cloned().ok_or("this world has no key to sign with")?;
        let signer = if on {
            let key = private_key(&kit.signing.private_key)?;
            Some(Signer { domain: kit.domain.clone(), selector: kit.signing.selector.clone(), key })
        } else {
            None
        };
        self.world_mut().set_signer(&kit.signer_host, signer)?;
        if on {
            self.publish(&kit.key.0, Some(kit.key.1.clone()));
        }
        let signing = on.then(|| kit.signing.clone());
        if let Some(h) = self.journal_mut().hosts.iter_mut().find(|h| h.name.eq_ignore_ascii_case(&kit.signer_host)) {
            h.dkim = signing;
        }
        Ok(())
    }

    pub fn set_spf(&mut self, on: bool) -> Result<(), String> {
        let kit = self.kit().cloned().ok_or("this world has no SPF record to publish")?;
        self.publish("", on.then(|| kit.spf.clone()));
        Ok(())
    }

    /// Publish `v=DMARC1; p=<policy>`, or withdraw the record.
    pub fn set_dmarc(&mut self, policy: Option<&str>) -> Result<(), String> {
        self.kit().ok_or("this world has no domain to publish DMARC for")?;
        if let Some(p) = policy.filter(|p| !POLICIES.contains(p)) {
            return Err(format!("{p} is not a DMARC policy (none, quarantine or reject)"));
        }
        self.publish("_dmarc", policy.map(|p| format!("v=DMARC1; p={p}")));
        Ok(())
    }

    pub fn set_checking(&mut self, on: bool) -> Result<(), String> {
        let kit = self.kit().cloned().ok_or("this world has no MX to check with")?;
        let checks = if on { vec![SenderCheck::Spf, SenderCheck::Dkim, SenderCheck::Dmarc] } else { Vec::new() };
        self.world_mut().set_checks(&kit.checker, checks.clone())?;
        if let Some(h) = self.journal_mut().hosts.iter_mut().find(|h| h.name.eq_ignore_ascii_case(&kit.checker)) {
            h.checks = checks;
        }
        Ok(())
    }

    /// Publish (or withdraw) the TXT record at a name below the kit's domain, in the world and
    /// in the saved scenario.
    fn publish(&mut self, below: &str, text: Option<String>) {
        let Some(kit) = self.kit().cloned() else { return };
        self.world_mut().set_txt(&kit.owner(below), text.clone().into_iter().collect());
        if let Some(d) = self.journal_mut().domains.iter_mut().find(|d| d.name.eq_ignore_ascii_case(&kit.domain)) {
            d.txt.retain(|t| t.name != below);
            d.txt.extend(text.map(|text| TxtRecord { name: below.to_owned(), text }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::{Send, Service};
    use crate::engine::trace::EventKind;

    fn forged() -> Send {
        Send {
            server: Some("mx.southbay.test".into()),
            service: Some(Service::Smtp),
            auth: false,
            ..Send::new(STRANGER, "alice@northwind.test", &["bob@southbay.test"], "New bank details", "Pay the new account.\n")
        }
    }

    /// (folder, subject) of each letter delivered to Bob so far.
    fn bobs(lab: &Lab) -> Vec<(String, bool)> {
        lab.world()
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Delivered(d) if d.user == "bob@southbay.test" => Some((d.folder.clone(), d.message.contains("Subject: New bank details"))),
                _ => None,
            })
            .collect()
    }

    /// The student forges a letter from the stranger's server: before the records and the
    /// checks it reaches Bob's inbox; with them switched on it is refused, and Alice's own
    /// letter still arrives; with quarantine it goes to Junk. The saved scenario replays it.
    #[test]
    fn a_forgery_gets_through_until_the_student_publishes_and_checks() {
        let mut lab = Lab::new("pop-vs-imap").unwrap();
        lab.send(&forged()).unwrap();
        lab.tick(5_000);
        assert_eq!(bobs(&lab), [("INBOX".into(), true)], "nothing checks yet");

        lab.set_signing(true).unwrap();
        lab.set_spf(true).unwrap();
        lab.set_checking(true).unwrap();
        lab.set_dmarc(Some("reject")).unwrap();
        lab.send(&forged()).unwrap();
        lab.tick(5_000);
        assert_eq!(bobs(&lab).len(), 1, "refused: {:?}", bobs(&lab));
        assert!(lab.world().events().iter().any(|e| matches!(&e.kind, EventKind::Line { text, .. } if text == "550 5.7.1 rejected by DMARC policy for northwind.test")));
        lab.send(&Send::new("alice-laptop.northwind.test", "alice@northwind.test", &["bob@southbay.test"], "Real", "From me.\n")).unwrap();
        lab.tick(5_000);
        assert_eq!(bobs(&lab).last(), Some(&("INBOX".to_owned(), false)), "Alice's real, signed letter");

        lab.set_dmarc(Some("quarantine")).unwrap();
        lab.send(&forged()).unwrap();
        lab.tick(5_000);
        assert_eq!(bobs(&lab).last(), Some(&("Junk".to_owned(), true)));

        let saved = Scenario::from_json(&lab.to_scenario_json()).expect("the saved file reads back");
        assert!(saved.host("smtp.northwind.test").is_some_and(|h| h.dkim.is_some()));
        assert_eq!(saved.host("mx.southbay.test").map(|h| h.checks.len()), Some(3));
        let txt: Vec<&str> = saved.domain("northwind.test").unwrap().txt.iter().map(|t| t.text.as_str()).collect();
        assert!(txt.contains(&"v=DMARC1; p=quarantine") && txt.contains(&"v=spf1 mx -all"), "{txt:?}");
    }
}
