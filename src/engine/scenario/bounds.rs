//! How long and how big a scenario may be. Every number in a file is checked against these
//! bounds before anything runs, so that no file (a typo of three zeros, or a prank) can ask a
//! browser tab for more than it holds: times beyond the horizon, retries every second for
//! years, a million hosts. The bounds are generous for lessons (the largest preset uses a
//! fraction of each) and are listed for teachers in docs/scenarios.md.
//!
//! What the bounds cannot rule out (a queue retrying a thousand letters every minute for
//! a month is within them) the simulator's budget stops (`world::budget`).

use super::validate::{each, Errors};
use super::{Fault, Scenario, ScenarioError};

/// The latest moment a scenario may name, and its longest duration: 30 days of virtual time.
/// Postfix's queue lifetime is 5 days and Sendmail's at most a week, so every lesson about
/// waiting fits; and 30 days in milliseconds is far from overflowing anything.
pub const HORIZON_SECS: u64 = 30 * 24 * 3600;

/// The shortest wait before a queue tries again. Postfix refuses a `minimal_backoff_time`
/// below its queue manager's scan interval; a minute keeps a month of retries countable.
pub const MIN_RETRY_SECS: u64 = 60;

/// The largest file read, in bytes: ten thousand actions fit with room to spare.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

pub const MAX_DOMAINS: usize = 64;
pub const MAX_HOSTS: usize = 64;
pub const MAX_USERS: usize = 1_000;
pub const MAX_FAULTS: usize = 100;
/// Each action sends or fetches once: this also bounds the messages a scenario writes.
pub const MAX_ACTIONS: usize = 10_000;
pub const MAX_CHECKPOINTS: usize = 100;
/// MX records of one domain. Real domains publish a handful.
pub const MAX_MX: usize = 10;
/// Recipients of one message (`to` and `cc` together): the 100 that every SMTP server must
/// accept in one transaction (RFC 5321 4.5.3.1.8).
pub const MAX_RECIPIENTS: usize = 100;
/// Rules of one IMAP fetch, and choices of one quiz question.
pub const MAX_RULES: usize = 20;
pub const MAX_CHOICES: usize = 10;
/// A message's body, or its attachment's content, in bytes: just over the 10 MB that servers
/// announce (Postfix's `message_size_limit`, in EHLO's SIZE, RFC 1870), so that a lesson can
/// show a letter refused for its size, and no more.
pub const MAX_TEXT_BYTES: usize = 12 * 1024 * 1024;
/// An SMTP server's error limits (Postfix's defaults are 10 and 20).
pub const MAX_ERROR_LIMIT: u32 = 1_000;
/// The wait after each reply once a client has erred too often: Postfix's default is 1 s.
pub const MAX_ERROR_SLEEP_SECS: u64 = 300;
/// TXT records of one domain, and the length of one: a DKIM key of 4096 bits takes under 800.
pub const MAX_TXT: usize = 20;
pub const MAX_TXT_BYTES: usize = 4_096;
/// A DKIM private key in PEM: one of 4096 bits takes about 3,300.
pub const MAX_KEY_BYTES: usize = 8_192;
/// Header fields a sending program adds of its own.
pub const MAX_EXTRA_HEADERS: usize = 10;
/// Lines one probe types: enough to try every name of a small dictionary.
pub const MAX_PROBE_COMMANDS: usize = 200;
/// A probe's line: any length a server must be ready to refuse, and no longer.
pub const MAX_PROBE_LINE: usize = 2_000;

type Check = Result<(), ScenarioError>;

impl Scenario {
    /// Every count, size and time of the file within its bound. Run before the other checks,
    /// so that they never loop over a million of anything.
    pub(crate) fn validate_bounds(&self, errors: &mut Errors) {
        let counts = [
            count("domains", self.domains.len(), MAX_DOMAINS),
            count("hosts", self.hosts.len(), MAX_HOSTS),
            count("users", self.users.len(), MAX_USERS),
            count("faults", self.faults.len(), MAX_FAULTS),
            count("actions", self.actions.len(), MAX_ACTIONS),
            count("checkpoints", self.checkpoints.len(), MAX_CHECKPOINTS),
            self.validate_queue_bounds(),
        ];
        errors.extend(counts.into_iter().filter_map(Result::err));
        each(&self.domains, errors, |i, domain| {
            count(&format!("domains[{i}].mx"), domain.mx.len(), MAX_MX)?;
            count(&format!("domains[{i}].txt"), domain.txt.len(), MAX_TXT)?;
            match domain.txt.iter().position(|t| t.text.len() > MAX_TXT_BYTES) {
                Some(j) => Err(ScenarioError::new(format!("domains[{i}].txt[{j}].text"), format!("a record is at most {MAX_TXT_BYTES} characters here"))),
                None => Ok(()),
            }
        });
        each(&self.hosts, errors, |i, host| {
            count(&format!("hosts[{i}].aliases"), host.aliases.len(), MAX_USERS)?;
            count(&format!("hosts[{i}].lists"), host.lists.len(), MAX_DOMAINS)?;
            for (j, list) in host.lists.iter().enumerate() {
                count(&format!("hosts[{i}].lists[{j}].members"), list.members.len(), MAX_RECIPIENTS)?;
                if list.footer.as_ref().is_some_and(|f| f.len() > MAX_TXT_BYTES) {
                    return Err(ScenarioError::new(format!("hosts[{i}].lists[{j}].footer"), format!("a footer is at most {MAX_TXT_BYTES} characters here")));
                }
            }
            if let Some((_, targets)) = host.aliases.iter().find(|(_, t)| t.len() > MAX_RECIPIENTS) {
                count(&format!("hosts[{i}].aliases"), targets.len(), MAX_RECIPIENTS)?;
            }
            if host.dkim.as_ref().is_some_and(|d| d.private_key.len() > MAX_KEY_BYTES) {
                return Err(ScenarioError::new(format!("hosts[{i}].dkim.private_key"), format!("a key is at most {MAX_KEY_BYTES} characters here")));
            }
            let at = |field: &str| format!("hosts[{i}].smtpd.{field}");
            let s = &host.smtpd;
            for (field, limit) in [("smtpd_soft_error_limit", s.smtpd_soft_error_limit), ("smtpd_hard_error_limit", s.smtpd_hard_error_limit)] {
                if !(1..=MAX_ERROR_LIMIT).contains(&limit) {
                    return Err(ScenarioError::new(at(field), format!("{limit} is not between 1 and {MAX_ERROR_LIMIT}")));
                }
            }
            if s.smtpd_error_sleep_time > MAX_ERROR_SLEEP_SECS {
                return Err(ScenarioError::new(
                    at("smtpd_error_sleep_time"),
                    format!("{} s is too long: at most {MAX_ERROR_SLEEP_SECS} s", s.smtpd_error_sleep_time),
                ));
            }
            Ok(())
        });
        each(&self.faults, errors, |i, fault| {
            let at = |field: &str| format!("faults[{i}].{field}");
            match fault {
                Fault::HostDown { from, until, .. }
                | Fault::LinkDown { from, until, .. }
                | Fault::DnsFailure { from, until, .. }
                | Fault::OpenRelay { from, until, .. } => {
                    moment(&at("from"), *from)?;
                    if let Some(until) = until {
                        moment(&at("until"), *until)?;
                    }
                    Ok(())
                }
                Fault::Greylisting { delay, .. } => duration(&at("delay"), *delay),
                Fault::MailboxFull { .. } => Ok(()),
            }
        });
        each(&self.actions, errors, |i, action| {
            let at = |field: &str| format!("actions[{i}].{field}");
            moment(&at("at"), action.at)?;
            match (action.every, action.until) {
                (None, None) => {}
                (Some(every), Some(until)) => {
                    if every < MIN_RETRY_SECS {
                        return Err(ScenarioError::new(at("every"), format!("{every} s is too often: an action repeats at most once a minute ({MIN_RETRY_SECS} s)")));
                    }
                    duration(&at("every"), every)?;
                    moment(&at("until"), until)?;
                    if until < action.at {
                        return Err(ScenarioError::new(at("until"), format!("{until} s is before the action's first time ({} s)", action.at)));
                    }
                }
                (Some(_), None) => return Err(ScenarioError::new(at("until"), "an action that repeats (\"every\") needs \"until\", its last moment")),
                (None, Some(_)) => return Err(ScenarioError::new(at("every"), "\"until\" goes with \"every\": how often to do it again")),
            }
            if let Some(send) = &action.send {
                count(&at("send.to"), send.recipients().count(), MAX_RECIPIENTS)
                    .map_err(|e| ScenarioError::new(e.field, format!("{} (to, cc and bcc together)", e.problem)))?;
                text(&at("send.body"), &send.body)?;
                count(&at("send.headers"), send.headers.len(), MAX_EXTRA_HEADERS)?;
                if let Some(attachment) = &send.attachment {
                    text(&at("send.attachment.content"), &attachment.content)?;
                }
            }
            if let Some(fetch) = &action.fetch {
                count(&at("fetch.rules"), fetch.rules.len(), MAX_RULES)?;
            }
            if let Some(probe) = &action.probe {
                count(&at("probe.commands"), probe.commands.len(), MAX_PROBE_COMMANDS)?;
                if let Some(j) = probe.commands.iter().position(|c| c.len() > MAX_PROBE_LINE) {
                    return Err(ScenarioError::new(
                        at(&format!("probe.commands[{j}]")),
                        format!("a line is at most {MAX_PROBE_LINE} characters here"),
                    ));
                }
            }
            Ok(())
        });
        // Repeated actions count each time they happen (once their own bounds hold).
        if errors.is_empty() {
            let times: usize = self.actions.iter().map(|a| a.times().count()).sum();
            if times > MAX_ACTIONS {
                errors.push(ScenarioError::new(
                    "actions",
                    format!("at most {MAX_ACTIONS} actions are allowed, counting each time a repeated one happens: these happen {times} times"),
                ));
            }
        }
        each(&self.checkpoints, errors, |i, checkpoint| match &checkpoint.quiz {
            Some(quiz) => count(&format!("checkpoints[{i}].quiz.choices"), quiz.choices.len(), MAX_CHOICES),
            None => Ok(()),
        });
    }

    fn validate_queue_bounds(&self) -> Check {
        let q = &self.queue;
        if q.first_retry < MIN_RETRY_SECS {
            return Err(ScenarioError::new(
                "queue.first_retry",
                format!("{} s is too short: a queue waits at least {MIN_RETRY_SECS} s before trying again", q.first_retry),
            ));
        }
        duration("queue.first_retry", q.first_retry)?;
        if q.max_retry < q.first_retry {
            return Err(ScenarioError::new(
                "queue.max_retry",
                format!("the longest wait ({} s) must not be shorter than the first ({} s)", q.max_retry, q.first_retry),
            ));
        }
        duration("queue.max_retry", q.max_retry)?;
        if q.queue_run_delay < MIN_RETRY_SECS {
            return Err(ScenarioError::new(
                "queue.queue_run_delay",
                format!("{} s is too short: the deferred queue is scanned at most once a minute ({MIN_RETRY_SECS} s)", q.queue_run_delay),
            ));
        }
        duration("queue.queue_run_delay", q.queue_run_delay)?;
        duration("queue.lifetime", q.lifetime)?;
        if let Some(warning) = q.delay_warning {
            duration("queue.delay_warning", warning)?;
        }
        Ok(())
    }
}

/// The horizon in words, for errors: "30 days (2592000 s)".
fn horizon() -> String {
    format!("{} days ({HORIZON_SECS} s)", HORIZON_SECS / 86_400)
}

fn count(field: &str, n: usize, max: usize) -> Check {
    if n > max {
        return Err(ScenarioError::new(field, format!("at most {max} are allowed, this file has {n}")));
    }
    Ok(())
}

fn moment(field: &str, secs: u64) -> Check {
    if secs > HORIZON_SECS {
        return Err(ScenarioError::new(
            field,
            format!("{secs} s is beyond the end of any scenario: times go up to {}", horizon()),
        ));
    }
    Ok(())
}

fn duration(field: &str, secs: u64) -> Check {
    if secs > HORIZON_SECS {
        return Err(ScenarioError::new(field, format!("{secs} s is too long: durations go up to {}", horizon())));
    }
    Ok(())
}

fn text(field: &str, text: &str) -> Check {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ScenarioError::new(
            field,
            format!("{} bytes is too long: at most {MAX_TEXT_BYTES} bytes are allowed", text.len()),
        ));
    }
    Ok(())
}
