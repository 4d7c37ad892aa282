//! A program on a device typing SMTP commands at a server's port 25 (`scenario::Probe`): an
//! address scanner. It goes straight to the server it is told, with no DNS and no login.

use crate::engine::scenario::{Probe, Service};
use crate::engine::trace::{details, EventKind};
use crate::engine::world::attempt::{Attempt, Job, Origin, Route};
use crate::engine::world::simulator::Simulator;

impl Simulator<'_> {
    pub(crate) fn probe(&mut self, probe: &Probe) {
        // The scenario was validated: both hosts exist and the server offers smtp.
        let (Some(device), Some(server)) = (self.host_index(&probe.device), self.host_index(&probe.server)) else { return };
        let actor = self.scenario.hosts[device].label().to_owned();
        let server_name = self.hosts[server].name.clone();
        let n = probe.commands.len();
        self.event(EventKind::Action(Box::new(details::Action {
            actor,
            text: format!("a program connects to {server_name} on port 25 and types {n} command{}, each once the answer to the one before has come", if n == 1 { "" } else { "s" }),
        })));
        let job = Job::Probe(probe.commands.clone());
        self.start_attempt(Attempt::new(Origin::Probe, device, job, Service::Smtp, Route::Direct(server)));
    }

    /// The probe is over: it let go of its attempt.
    pub(crate) fn probe_done(&mut self, d: usize) {
        self.attempts.take(d);
    }
}
