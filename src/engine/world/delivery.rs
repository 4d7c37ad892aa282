//! One delivery attempt: a client (a person's mail client, or an MTA working off its queue)
//! finds the next host, connects, and runs an SMTP or LMTP session with it. For mail to
//! another domain the next host comes from DNS: MX records, lowest preference first, then
//! each exchanger's address (RFC 5321 5.1).

use crate::engine::mail::{Diagnosis, RecipientState};
use crate::engine::smtp::{ClientOutcome, Diagnostic, RecipientOutcome, Reply, Stage};
use crate::engine::world::attempt::{Attempt, Origin, Route};
use crate::engine::trace::{details, EventKind, RecordType};
use crate::engine::world::dns::{ALookup, MxLookup};
use crate::engine::world::simulator::{Simulator, Task};

/// How long the resolver takes to answer, in milliseconds.
const DNS_MS: u64 = 8;
/// How long a client waits for a host that does not answer: Postfix's smtp_connect_timeout.
const CONNECT_TIMEOUT_MS: u64 = 30_000;

fn local(status: &str, text: String) -> Diagnosis {
    Diagnosis { status: status.into(), remote_mta: None, reply: None, text }
}

/// A reply on one line, as logs and DSNs quote it.
fn one_line(reply: &Reply) -> String {
    let status = reply.enhanced.map(|e| format!("{e} ")).unwrap_or_default();
    format!("{} {status}{}", reply.code, reply.lines.join(" "))
}

/// Postfix's words for the command a reply answered.
fn in_reply_to(stage: Stage) -> &'static str {
    match stage {
        Stage::Greeting => "in reply to the initial greeting",
        Stage::Hello => "in reply to EHLO command",
        Stage::StartTls => "in reply to STARTTLS command",
        Stage::Auth => "in reply to AUTH command",
        Stage::Mail => "in reply to MAIL FROM command",
        Stage::Rcpt => "in reply to RCPT TO command",
        Stage::Data => "in reply to DATA command",
        Stage::EndOfData => "in reply to end of DATA command",
        Stage::Quit => "in reply to QUIT command",
    }
}

impl Simulator<'_> {
    pub(crate) fn start_attempt(&mut self, mut attempt: Attempt) {
        match attempt.route.clone() {
            Route::Direct(host) => {
                attempt.candidates = vec![self.hosts[host].name.clone()];
                let d = self.attempts.insert(attempt);
                self.connect(d, host);
            }
            Route::Mx(domain) => {
                let host = self.hosts[attempt.client_host].name.clone();
                let d = self.attempts.insert(attempt);
                self.event(EventKind::DnsQuery(Box::new(details::DnsQuery { host, name: domain, record: RecordType::MX, purpose: None })));
                self.schedule_in(DNS_MS, Task::MxAnswer(d));
            }
        }
    }

    /// An attempt still under way; `None` once it has ended.
    fn attempt_mut(&mut self, d: usize) -> Option<&mut Attempt> {
        self.attempts.get_mut(d)
    }

    /// The candidate host could not be reached: say why, and move on to the next one.
    fn candidate_failed(&mut self, d: usize, why: Diagnosis) {
        if let Some(attempt) = self.attempt_mut(d) {
            attempt.failure = Some(why);
            attempt.next += 1;
        }
    }

    pub(crate) fn mx_answer(&mut self, d: usize) {
        let Some(attempt) = self.attempts.get(d) else { return };
        let Route::Mx(domain) = attempt.route.clone() else { return };
        let lookup = self.dns.mx(&domain, self.now);
        let host = self.hosts[attempt.client_host].name.clone();
        self.event(EventKind::DnsResponse(Box::new(details::DnsResponse {
            host,
            name: domain.clone(),
            record: RecordType::MX,
            answer: lookup.to_answer(),
            purpose: None,
        })));
        match lookup {
            MxLookup::Exchangers(mx) => {
                if mx.len() > 1 {
                    self.explain(None, "RFC 5321 5.1", &format!(
                        "{domain} has {} mail exchangers: the lowest preference is tried first, the others only if it cannot be reached.",
                        mx.len()
                    ));
                }
                if let Some(attempt) = self.attempt_mut(d) {
                    attempt.candidates = mx.into_iter().map(|(_, h)| h).collect();
                }
                self.resolve_next(d);
            }
            MxLookup::NoMx => {
                self.explain(None, "RFC 5321 5.1", &format!(
                    "{domain} has no MX record, so its own address record stands in as the mail exchanger (the implicit MX)."
                ));
                if let Some(attempt) = self.attempt_mut(d) {
                    attempt.candidates = vec![domain];
                }
                self.resolve_next(d);
            }
            MxLookup::NullMx => {
                self.explain(None, "RFC 7505", &format!("{domain} publishes a null MX: it accepts no mail, so the message bounces at once."));
                let why = local("5.1.10", format!("Domain {domain} does not accept mail (nullMX)"));
                self.finish_without_session(d, why);
            }
            MxLookup::NxDomain => {
                let why = local(
                    "5.1.2",
                    format!("Host or domain name not found. Name service error for name={domain} type=MX: Host not found"),
                );
                self.finish_without_session(d, why);
            }
            MxLookup::ServFail => {
                let why = local(
                    "4.4.3",
                    format!("Host or domain name not found. Name service error for name={domain} type=MX: Host not found, try again"),
                );
                self.finish_without_session(d, why);
            }
        }
    }

    /// Look up the address of the next candidate, or give up when none is left.
    fn resolve_next(&mut self, d: usize) {
        let Some(delivery) = self.attempts.get(d) else { return };
        let Some(name) = delivery.candidates.get(delivery.next).cloned() else {
            let why = delivery.failure.clone().unwrap_or_else(|| local("4.4.1", "no mail exchanger could be reached".into()));
            self.finish_without_session(d, why);
            return;
        };
        let host = self.hosts[delivery.client_host].name.clone();
        self.event(EventKind::DnsQuery(Box::new(details::DnsQuery { host, name, record: RecordType::A, purpose: None })));
        self.schedule_in(DNS_MS, Task::AddressAnswer(d));
    }

    pub(crate) fn address_answer(&mut self, d: usize) {
        let Some(delivery) = self.attempts.get(d) else { return };
        let Some(name) = delivery.candidates.get(delivery.next).cloned() else { return };
        let lookup = self.dns.a(&name, self.now);
        let client = self.hosts[delivery.client_host].name.clone();
        self.event(EventKind::DnsResponse(Box::new(details::DnsResponse { host: client, name: name.clone(), record: RecordType::A, answer: lookup.to_answer(), purpose: None })));
        let target = match lookup {
            ALookup::Address(ip) => self.hosts.iter().position(|h| h.address == ip),
            _ => None,
        };
        match (lookup, target) {
            (ALookup::Address(_), Some(host)) => self.connect(d, host),
            (ALookup::ServFail, _) => {
                self.candidate_failed(d, local(
                    "4.4.3",
                    format!("Host or domain name not found. Name service error for name={name} type=A: Host not found, try again"),
                ));
                self.resolve_next(d);
            }
            _ => {
                self.candidate_failed(d, local(
                    "5.4.4",
                    format!("Host or domain name not found. Name service error for name={name} type=A: Host not found"),
                ));
                self.resolve_next(d);
            }
        }
    }

    /// Open a TCP connection to the host: it answers, refuses, or (switched off) stays silent.
    fn connect(&mut self, d: usize, host: usize) {
        let Some(delivery) = self.attempt_mut(d) else { return };
        delivery.current_host = Some(host);
        let (service, client_host) = (delivery.service, delivery.client_host);
        let target = &self.hosts[host];
        let client = self.hosts[client_host].name.clone();
        let up = target.is_up(self.now) && self.network.reachable(&client, &target.name, self.now);
        let (server, address) = (target.name.clone(), target.address.to_string());
        self.event(EventKind::Connecting(Box::new(details::Connecting { client, server, address, port: service.port() })));
        if !up {
            self.schedule_in(CONNECT_TIMEOUT_MS, Task::ConnectTimedOut(d));
        } else if !self.scenario.hosts[host].offers(service) {
            self.schedule_in(20, Task::ConnectRefused(d));
        } else {
            self.schedule_in(20, Task::Established(d));
        }
    }

    pub(crate) fn connect_failed(&mut self, d: usize, reason: &str) {
        let Some(delivery) = self.attempts.get(d) else { return };
        let Some(host) = delivery.current_host else { return };
        let port = delivery.service.port();
        let (client, server, address) =
            (self.hosts[delivery.client_host].name.clone(), self.hosts[host].name.clone(), self.hosts[host].address.to_string());
        self.event(EventKind::ConnectFailed(Box::new(details::ConnectFailed {
            client,
            server: server.clone(),
            address: address.clone(),
            port,
            reason: reason.into(),
        })));
        self.candidate_failed(d, local("4.4.1", format!("connect to {server}[{address}]:{port}: {reason}")));
        let Some(delivery) = self.attempts.get(d) else { return };
        match delivery.route {
            Route::Mx(_) => self.resolve_next(d),
            Route::Direct(_) => {
                let why = delivery.failure.clone().unwrap_or_else(|| local("4.4.1", reason.into()));
                self.finish_without_session(d, why);
            }
        }
    }

    /// The client session has ended: record what became of each recipient.
    pub(crate) fn smtp_outcome(&mut self, d: usize, server: usize, outcome: ClientOutcome) {
        // Taken: an attempt that has ended is let go with its message and envelope.
        let Some(attempt) = self.attempts.take(d) else { return };
        let server_name = self.hosts[server].name.clone();
        let server_label = format!("{server_name}[{}]", self.hosts[server].address);
        // The command a refusal answered, as Postfix says it: the session's failure, else
        // the recipient's own reply, after the dot in LMTP (RFC 2033 4.2), at RCPT otherwise.
        let stage = |k: usize| match &outcome.failure {
            _ if outcome.refused_after_dot.contains(&k) => Stage::EndOfData,
            Some(f) => f.stage,
            None => Stage::Rcpt,
        };
        let diagnose = |k: usize, diagnostic: &Diagnostic| match diagnostic {
            Diagnostic::Remote(reply) => {
                let line = one_line(reply);
                Diagnosis {
                    status: reply.enhanced.map(|e| e.to_string()).unwrap_or_else(|| format!("{}.0.0", reply.code / 100)),
                    remote_mta: Some(server_name.clone()),
                    reply: Some(line.clone()),
                    text: format!("host {server_label} said: {line} ({})", in_reply_to(stage(k))),
                }
            }
            Diagnostic::Local { status, text } => Diagnosis {
                status: status.to_string(),
                remote_mta: Some(server_name.clone()),
                reply: None,
                text: format!("{text} with {server_label}"),
            },
        };
        match attempt.origin {
            Origin::Device { message_id } => {
                let refused: Vec<(String, Diagnosis)> = outcome
                    .recipients
                    .iter()
                    .enumerate()
                    .filter_map(|(k, (rcpt, o))| match o {
                        RecipientOutcome::Accepted(_) => None,
                        RecipientOutcome::Deferred(diag) | RecipientOutcome::Failed(diag) => {
                            Some((rcpt.to_string(), diagnose(k, diag)))
                        }
                    })
                    .collect();
                if let Some((_, why)) = refused.first() {
                    let device = self.hosts[attempt.client_host].name.clone();
                    let reason = why.text.clone();
                    let recipients = refused.into_iter().map(|(r, _)| r).collect();
                    self.event(EventKind::NotSent(Box::new(details::NotSent { device, message_id, recipients, reason })));
                }
            }
            Origin::Queue { host, queue_id, recipients } => {
                let mut sent = Vec::new();
                if let Some(entry) = self.hosts[host].queue.get_mut(&queue_id) {
                    for (k, (&i, (_, result))) in recipients.iter().zip(&outcome.recipients).enumerate() {
                        entry.states[i] = match result {
                            RecipientOutcome::Accepted(_) => {
                                sent.push(entry.envelope.recipients[i].address.to_string());
                                RecipientState::Done
                            }
                            RecipientOutcome::Deferred(diag) => RecipientState::Deferred(diagnose(k, diag)),
                            RecipientOutcome::Failed(diag) => RecipientState::Failed(diagnose(k, diag)),
                        };
                    }
                }
                if !sent.is_empty() {
                    let from = self.hosts[host].name.clone();
                    self.event(EventKind::Relayed(Box::new(details::Relayed { host: from, queue_id: queue_id.clone(), recipients: sent, to_host: server_name })));
                }
                self.delivery_done(host, &queue_id);
            }
            Origin::Fetch { .. } | Origin::Probe => {}
        }
    }

    /// The attempt ended before any session could tell: every recipient shares the reason.
    pub(crate) fn finish_without_session(&mut self, d: usize, why: Diagnosis) {
        let Some(attempt) = self.attempts.take(d) else { return };
        match attempt.origin {
            Origin::Device { ref message_id } => {
                let device = self.hosts[attempt.client_host].name.clone();
                let recipients = attempt.recipients();
                self.event(EventKind::NotSent(Box::new(details::NotSent { device, message_id: message_id.clone(), recipients, reason: why.text })));
            }
            Origin::Fetch { user } => self.fetch_failed(attempt.client_host, &user, &why.text),
            // The connection's failure is in the trace already; a probe has no one to tell.
            Origin::Probe => {}
            Origin::Queue { host, queue_id, recipients } => {
                if let Some(entry) = self.hosts[host].queue.get_mut(&queue_id) {
                    for &i in &recipients {
                        entry.states[i] = if why.is_permanent() {
                            RecipientState::Failed(why.clone())
                        } else {
                            RecipientState::Deferred(why.clone())
                        };
                    }
                }
                self.delivery_done(host, &queue_id);
            }
        }
    }
}
