//! The lab's state in one reducer: the live world, the student's choices, and what is drawn
//! from the world's trace. A redraw costs what it shows: the player, the stream's rows and
//! the diagram's view are worked out again only when the trace has grown, and a clock tick
//! in which nothing happened leaves the state as it was, so nothing is drawn again.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::super::components::StreamRows;
use super::super::rows::stream_rows;
use crate::catalog::lab::{connected, sent, SKIPPED_AHEAD};
use crate::engine::scenario::{Send, Service};
use crate::lab::live::Lab;
use crate::lab::switches::Fault;
use crate::player::layout::{layout, Placed};
use crate::player::{Cast, Player, StepView};

/// The services a terminal may connect to, with their labels.
pub const SERVICES: [(Service, &str); 7] = [
    (Service::Smtp, "SMTP relay, port 25"),
    (Service::Submission, "Submission, port 587"),
    (Service::Submissions, "Submission inside TLS, port 465"),
    (Service::Pop3, "POP3, port 110"),
    (Service::Pop3s, "POP3 inside TLS, port 995"),
    (Service::Imap, "IMAP, port 143"),
    (Service::Imaps, "IMAP inside TLS, port 993"),
];

pub enum LabAction {
    /// Real time has passed in the world.
    Tick(u64),
    PickService(usize),
    Connect,
    TypeLine(usize, String),
    CloseTerminal(usize),
    Send(Send),
    Toggle(Fault),
    FastForward,
}

/// What the diagram and the stream show, from the trace as it last stood.
#[derive(Clone)]
pub struct Drawn {
    events: usize,
    pub view: Option<Rc<StepView>>,
    pub rows: Rc<StreamRows>,
}

impl Drawn {
    fn of(lab: &Lab) -> Drawn {
        let trace = Rc::new(lab.trace());
        let player = Player::new(trace.clone()).with_cast(Cast::of(lab.world().scenario()));
        Drawn {
            events: trace.events.len(),
            view: player.view(player.len().saturating_sub(1)).map(Rc::new),
            rows: Rc::new(stream_rows(&player)),
        }
    }

    /// The last event: the stream follows the world.
    pub fn last(&self) -> usize {
        self.events.saturating_sub(1)
    }
}

#[derive(Clone)]
pub struct LabState {
    /// Shared by every state the reducer makes: the world lives on, states are views of it.
    pub lab: Rc<RefCell<Lab>>,
    /// Where the hosts stand: the world's hosts never change, so worked out once.
    pub hosts: Rc<Vec<Placed>>,
    pub drawn: Drawn,
    /// Which of [`SERVICES`] the next terminal connects to.
    pub service: usize,
    /// What the last action did, for a screen reader.
    pub said: AttrValue,
    pub send_error: Option<AttrValue>,
}

impl LabState {
    pub fn new() -> Option<LabState> {
        let lab = Lab::new("pop-vs-imap").ok()?;
        let hosts = Rc::new(layout(lab.world().scenario()));
        let drawn = Drawn::of(&lab);
        Some(LabState { lab: Rc::new(RefCell::new(lab)), hosts, drawn, service: 0, said: AttrValue::default(), send_error: None })
    }

    /// After the world changed: drawn again only if its trace grew.
    fn redrawn(mut self) -> LabState {
        let lab = self.lab.borrow();
        if lab.world().events().len() != self.drawn.events {
            self.drawn = Drawn::of(&lab);
        }
        drop(lab);
        self
    }
}

/// The reducer's state: the lab, or the reason there is none.
#[derive(Clone)]
pub struct LabReducer(pub Option<LabState>);

impl Reducible for LabReducer {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let Some(state) = &self.0 else { return self };
        if let LabAction::Tick(ms) = action {
            let before = state.lab.borrow().world().events().len();
            state.lab.borrow_mut().tick(ms);
            if state.lab.borrow().world().events().len() == before {
                // Nothing happened: the same state, so nothing is drawn again.
                return self;
            }
            return Rc::new(LabReducer(Some(state.clone().redrawn())));
        }
        let mut next = state.clone();
        {
            let mut lab = next.lab.borrow_mut();
            match action {
                LabAction::Tick(_) => {}
                LabAction::PickService(i) => next.service = i.min(SERVICES.len() - 1),
                LabAction::Connect => {
                    let wanted = SERVICES[next.service].0;
                    next.said = AttrValue::from(match lab.open(wanted) {
                        Ok(t) => connected(t + 1, wanted.name(), wanted.port(), &lab.terminals[t].server),
                        Err(e) => e,
                    });
                }
                LabAction::TypeLine(t, line) => lab.type_line(t, &line),
                LabAction::CloseTerminal(t) => lab.close(t),
                LabAction::Send(send) => match lab.send(&send) {
                    Ok(()) => {
                        next.said = AttrValue::from(sent(&send.from, &send.to.join(", ")));
                        next.send_error = None;
                    }
                    Err(e) => next.send_error = Some(e.into()),
                },
                LabAction::Toggle(fault) => {
                    let _ = lab.toggle(&fault);
                }
                LabAction::FastForward => {
                    lab.world_mut().fast_forward();
                    lab.tick(0);
                    next.said = AttrValue::from(SKIPPED_AHEAD);
                }
            }
        }
        Rc::new(LabReducer(Some(next.redrawn())))
    }
}
