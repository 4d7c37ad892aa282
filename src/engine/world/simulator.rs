//! The simulator loop: an agenda of tasks ordered by virtual time, worked off one at a time.
//! Nothing here waits or reads a clock: a task scheduled for 20 minutes from now runs as soon
//! as everything before it has run, so a five-day scenario takes milliseconds, and the same
//! scenario always gives the same trace (invariant 2 of ARCHITECTURE.md).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::rc::Rc;

use crate::engine::mail::RetrySchedule;
use crate::engine::scenario::{Fault, Scenario};
use crate::engine::trace::{details, ConnectionId, Event, EventKind, Trace};
use crate::engine::time::VirtualTime;
use crate::engine::world::agenda::Agenda;
use crate::engine::world::attempt::Attempt;
use crate::engine::world::budget::{Budget, Spent};
use crate::engine::world::connection::Connection;
use crate::engine::world::dns::Dns;
use crate::engine::world::external::{External, ExternalId};
use crate::engine::world::host::HostState;
use crate::engine::world::network::Network;
use crate::engine::world::slots::Slots;

/// Run a scenario to its end, or to the budget of a browser tab, and return what happened.
pub fn simulate(scenario: &Scenario) -> Trace {
    simulate_within(scenario, Budget::TAB)
}

/// Run a scenario to its end or to this budget.
pub fn simulate_within(scenario: &Scenario, budget: Budget) -> Trace {
    let mut sim = Simulator::new(scenario).with_budget(budget);
    sim.run();
    sim.into_trace()
}

/// Work that is due at a moment of virtual time.
#[derive(Debug)]
pub(crate) enum Task {
    /// The scenario's action with this index.
    Action(usize),
    /// The queue manager of a host takes up a queued message (first try or retry).
    QueueRun { host: usize, queue_id: String },
    /// The DNS answers an attempt's MX query.
    MxAnswer(usize),
    /// The DNS answers a delivery's A query for its current candidate.
    AddressAnswer(usize),
    /// A delivery's TCP connection attempt gave up: nobody answered.
    ConnectTimedOut(usize),
    /// A delivery's TCP connection attempt was refused: nothing listens on that port.
    ConnectRefused(usize),
    /// A delivery's TCP handshake completed.
    Established(usize),
    /// A host is switched off or on (a `host-down` fault begins or ends).
    Power { host: usize, up: bool },
    /// A host starts or stops relaying for anyone (an `open-relay` fault begins or ends).
    Relaying { host: usize, open: bool },
    /// A server's reply kept back by its error sleep is due.
    Wake { connection: usize },
    /// Bytes reach one end of a connection.
    Arrive { connection: usize, to_server: bool, bytes: Vec<u8> },
    /// The other end of a connection has closed it.
    Hangup { connection: usize, to_server: bool },
}

pub struct Simulator<'s> {
    /// Borrowed for a run to its end; shared, so that a simulator can also own its scenario
    /// and live in the browser's state (the interactive lab), where `'s` is `'static`.
    pub(crate) scenario: ScenarioRef<'s>,
    pub(crate) now: VirtualTime,
    pub(crate) dns: Dns,
    pub(crate) network: Network,
    pub(crate) hosts: Vec<HostState>,
    /// Numbered for the tasks that name them; let go once ended, so that what they carried
    /// (a message, its envelope) is freed at once.
    pub(crate) attempts: Slots<Attempt>,
    /// Numbered for the tasks that name them; let go once closed (`Simulator::note_closed`).
    /// Boxed: a connection holds two whole sessions.
    pub(crate) connections: Slots<Box<Connection>>,
    /// Sessions with clients from outside the world (the live lab), while they last.
    pub(crate) externals: BTreeMap<ExternalId, External>,
    connection_serial: ConnectionId,
    agenda: Agenda<Task>,
    pub(crate) events: Vec<Event>,
    /// What a run may make (`budget.rs`), what it has made, and whether it stopped there.
    budget: Budget,
    spent: Spent,
    halted: bool,
    /// Deliveries still running per queued message: (host, queue id) → count.
    pub(crate) in_flight: BTreeMap<(usize, String), usize>,
    pub(crate) retry: RetrySchedule,
    /// Counter for Message-IDs made here (mail clients, bounces).
    pub(crate) message_serial: u64,
    /// What each device's POP3 client has already downloaded, per user (a mail program
    /// keeps this on disk to leave messages on the server without fetching them twice).
    pub(crate) seen_uidls: BTreeMap<(usize, String), BTreeSet<String>>,
    /// The highest UID each device's IMAP client has fetched, per user.
    pub(crate) seen_imap_uid: BTreeMap<(usize, String), u32>,
    /// What each device's IMAP client knows of each UID: (Message-ID, Subject).
    pub(crate) imap_headers: BTreeMap<(usize, String), BTreeMap<u32, KnownHeaders>>,
}

/// The Message-ID and Subject an IMAP client has read of one message.
pub(crate) type KnownHeaders = (Option<String>, Option<String>);

/// The scenario a simulator runs, borrowed or shared; cloning it copies a reference.
#[derive(Clone)]
pub(crate) enum ScenarioRef<'s> {
    Borrowed(&'s Scenario),
    Shared(Rc<Scenario>),
}

impl Deref for ScenarioRef<'_> {
    type Target = Scenario;

    fn deref(&self) -> &Scenario {
        match self {
            ScenarioRef::Borrowed(scenario) => scenario,
            ScenarioRef::Shared(scenario) => scenario,
        }
    }
}

impl<'s> Simulator<'s> {
    pub fn new(scenario: &'s Scenario) -> Self {
        Simulator::with(ScenarioRef::Borrowed(scenario))
    }

    /// A simulator that owns its scenario, for a world that lives on (the lab).
    pub fn owning(scenario: Rc<Scenario>) -> Simulator<'static> {
        Simulator::with(ScenarioRef::Shared(scenario))
    }

    fn with(scenario: ScenarioRef<'s>) -> Self {
        let q = &scenario.queue;
        let mut sim = Simulator {
            scenario: scenario.clone(),
            now: VirtualTime::ZERO,
            dns: Dns::from_scenario(&scenario),
            network: Network::from_scenario(&scenario),
            hosts: scenario.hosts.iter().map(|h| HostState::new(h, &scenario)).collect(),
            attempts: Slots::default(),
            connections: Slots::default(),
            externals: BTreeMap::new(),
            connection_serial: 0,
            agenda: Agenda::planned([]),
            events: Vec::new(),
            budget: Budget::TAB,
            spent: Spent::default(),
            halted: false,
            in_flight: BTreeMap::new(),
            retry: RetrySchedule {
                first_retry: q.first_retry,
                max_retry: q.max_retry,
                queue_run_delay: q.queue_run_delay,
                lifetime: q.lifetime,
                delay_warning: q.delay_warning,
            },
            message_serial: 0,
            seen_uidls: BTreeMap::new(),
            seen_imap_uid: BTreeMap::new(),
            imap_headers: BTreeMap::new(),
        };
        // Power switches first, then the actions: the order ties between them are run in.
        let mut planned = Vec::new();
        for fault in &scenario.faults {
            match fault {
                Fault::HostDown { host, from, until } => {
                    if let Some(h) = sim.host_index(host) {
                        planned.push((VirtualTime::from_secs(*from), Task::Power { host: h, up: false }));
                        if let Some(until) = until {
                            planned.push((VirtualTime::from_secs(*until), Task::Power { host: h, up: true }));
                        }
                    }
                }
                Fault::OpenRelay { host, from, until } => {
                    if let Some(h) = sim.host_index(host) {
                        planned.push((VirtualTime::from_secs(*from), Task::Relaying { host: h, open: true }));
                        if let Some(until) = until {
                            planned.push((VirtualTime::from_secs(*until), Task::Relaying { host: h, open: false }));
                        }
                    }
                }
                _ => {}
            }
        }
        for (i, action) in scenario.actions.iter().enumerate() {
            planned.extend(action.times().map(|t| (VirtualTime::from_secs(t), Task::Action(i))));
        }
        sim.agenda = Agenda::planned(planned);
        sim
    }

    /// Another budget than a browser tab's (a test's smaller one, a benchmark's larger one).
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Work off the agenda until nothing is left to do, or the budget is spent.
    pub fn run(&mut self) {
        while self.run_next_due(VirtualTime(u64::MAX)) {}
    }

    /// Carry out the next task if it is due by `t`; false when none is (or the run is over).
    pub(crate) fn run_next_due(&mut self, t: VirtualTime) -> bool {
        if self.halted {
            return false;
        }
        let Some((at, task)) = self.agenda.take_due(t) else { return false };
        self.now = at;
        self.execute(task);
        if let Some(limit) = self.spent.count(&self.events, self.budget) {
            self.halt(limit);
            return false;
        }
        true
    }

    /// Stop for good at the budget, and say so in the trace: what was still queued and when
    /// the next task would have run.
    fn halt(&mut self, limit: details::Limit) {
        self.halted = true;
        let queued = self.hosts.iter().map(|h| h.queue.len()).sum();
        let next = self.agenda.next_due();
        self.event(EventKind::Halted(Box::new(details::Halted { limit, queued, next })));
    }

    /// Whether the run stopped at its budget before its end.
    pub fn halted(&self) -> bool {
        self.halted
    }

    /// The events recorded since the last call, handed out and forgotten here: a world that
    /// lives on (`mailflow-lab serve`) prints them and keeps none, so that a lab running all
    /// day holds no more than what is under way.
    /// What was handed out no longer counts against the budget.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.spent = Spent::default();
        std::mem::take(&mut self.events)
    }

    /// When the next task is due, if any.
    pub fn next_due(&self) -> Option<VirtualTime> {
        self.agenda.next_due()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn now(&self) -> VirtualTime {
        self.now
    }

    /// Connections are numbered from 1, simulated and outside ones alike.
    pub(crate) fn next_connection_id(&mut self) -> ConnectionId {
        self.connection_serial += 1;
        self.connection_serial
    }

    pub fn into_trace(self) -> Trace {
        Trace::new(self.scenario.name.clone(), self.events)
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The hosts as they ended: their queues and mailboxes.
    pub fn hosts(&self) -> &[HostState] {
        &self.hosts
    }

    pub(crate) fn schedule_at(&mut self, at: VirtualTime, task: Task) {
        self.agenda.schedule(at, task);
    }

    pub(crate) fn schedule_in(&mut self, ms: u64, task: Task) {
        self.schedule_at(self.now.plus_millis(ms), task);
    }

    pub(crate) fn event(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, kind });
    }

    pub(crate) fn explain(&mut self, connection: Option<ConnectionId>, rfc: &str, text: &str) {
        self.event(EventKind::Explain(Box::new(details::Explain { connection, rfc: rfc.into(), text: text.into() })));
    }

    /// A host's relaying changed: its administrator's mistake, or its repair.
    pub(crate) fn relaying_changed(&mut self, host: usize, open: bool) {
        let actor = self.scenario.hosts.get(host).map_or_else(|| self.hosts[host].name.clone(), |h| h.label().to_owned());
        let text = if open {
            "the administrator sets mynetworks = 0.0.0.0/0: every address on the internet now counts as one of the server's own clients, so it relays for anyone"
        } else {
            "the administrator sets mynetworks back to the server's own address: strangers may again send only to its own domains"
        };
        self.event(EventKind::Action(Box::new(details::Action { actor, text: text.into() })));
    }

    pub(crate) fn host_index(&self, name: &str) -> Option<usize> {
        self.hosts.iter().position(|h| h.name.eq_ignore_ascii_case(name))
    }

    fn execute(&mut self, task: Task) {
        match task {
            Task::Action(i) => self.action(i),
            Task::QueueRun { host, queue_id } => self.queue_run(host, &queue_id),
            Task::MxAnswer(d) => self.mx_answer(d),
            Task::AddressAnswer(d) => self.address_answer(d),
            Task::ConnectTimedOut(d) => self.connect_failed(d, "Connection timed out"),
            Task::ConnectRefused(d) => self.connect_failed(d, "Connection refused"),
            Task::Established(d) => self.established(d),
            Task::Power { host, up } => {
                let host = self.hosts[host].name.clone();
                self.event(EventKind::Power { host, up });
            }
            Task::Relaying { host, open } => self.relaying_changed(host, open),
            Task::Arrive { connection, to_server, bytes } => self.arrive(connection, to_server, &bytes),
            Task::Wake { connection } => self.wake(connection),
            Task::Hangup { connection, to_server } => self.hangup(connection, to_server),
        }
    }
}
