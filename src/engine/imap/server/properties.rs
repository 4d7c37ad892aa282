//! Properties of IMAP sessions sharing one mailbox (RFC 9051 5.2, 7.4.1, 7.5.1): a client
//! that applies every untagged EXISTS, EXPUNGE and FETCH FLAGS it is sent keeps a list of
//! sequence numbers that matches the store, whatever another session did meanwhile; and two
//! sessions that interleave STORE, EXPUNGE and APPEND see the same mailbox after a NOOP.

use proptest::prelude::*;

use super::tests::{host_with_letter, TestHost};
use super::*;
use crate::engine::mail::store::flag_list;
use crate::engine::mail::Message;

const BOB: &str = "bob@southbay.test";

/// A client's picture built only from untagged responses: sequence number n is
/// `entries[n - 1]`, with the UID once a FETCH named it and the flags once reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Model {
    entries: Vec<(Option<u32>, Option<String>)>,
}

impl Model {
    /// Applies one response line; an EXPUNGE of a number the client does not have is a
    /// server bug, reported as an error.
    fn apply(&mut self, line: &str) -> Result<(), String> {
        let Some(rest) = line.strip_prefix("* ") else {
            return Ok(());
        };
        let Some((n, what)) = rest.split_once(' ') else {
            return Ok(());
        };
        let Ok(n) = n.parse::<usize>() else {
            return Ok(());
        };
        if what == "EXISTS" {
            if n < self.entries.len() {
                return Err(format!("EXISTS {n} shrank {}", self.entries.len()));
            }
            self.entries.resize(n, (None, None));
        } else if what == "EXPUNGE" {
            if n == 0 || n > self.entries.len() {
                return Err(format!("EXPUNGE {n} of {}", self.entries.len()));
            }
            self.entries.remove(n - 1);
        } else if let Some(items) = what.strip_prefix("FETCH (") {
            let entry = self
                .entries
                .get_mut(n.wrapping_sub(1))
                .ok_or(format!("FETCH of {n}, only {} known", n))?;
            if let Some(at) = items.find("UID ") {
                let uid = items[at + 4..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|d| d.parse().ok());
                if entry.0.is_some() && entry.0 != uid {
                    return Err(format!("{n} was UID {:?}, now {uid:?}", entry.0));
                }
                entry.0 = uid;
            }
            if let Some(at) = items.find("FLAGS (") {
                let list = &items[at + 6..];
                let end = list.find(')').map_or(list.len(), |e| e + 1);
                // `\Recent` is this session's, not the message's (RFC 3501 2.3.2): the
                // store has no such flag to compare with.
                let stored: Vec<&str> = list[1..end - 1]
                    .split(' ')
                    .filter(|f| !f.is_empty() && *f != "\\Recent")
                    .collect();
                entry.1 = Some(format!("({})", stored.join(" ")));
            }
        }
        Ok(())
    }
}

struct Client {
    session: ServerSession,
    model: Model,
}

impl Client {
    fn open(host: &mut TestHost) -> Result<Client, String> {
        let mut session =
            ServerSession::new(ServerConfig::new("mail.southbay.test"), VirtualTime::ZERO);
        while session.poll_output().is_some() {}
        let mut c = Client {
            session,
            model: Model::default(),
        };
        c.say(host, "a LOGIN bob@southbay.test builder")?;
        c.say(host, "b SELECT INBOX")?;
        c.say(host, "c UID FETCH 1:* (UID FLAGS)")?;
        Ok(c)
    }

    /// Sends one command and applies the answer to the model.
    fn say(&mut self, host: &mut TestHost, command: &str) -> Result<String, String> {
        self.session.handle_input(
            format!("{command}\r\n").as_bytes(),
            VirtualTime::from_secs(1),
            host,
        );
        let mut text = String::new();
        while let Some(out) = self.session.poll_output() {
            if let ServerOutput::Transmit(b) = out {
                text.push_str(&String::from_utf8_lossy(&b));
            }
        }
        for line in text.split_terminator("\r\n") {
            self.model
                .apply(line)
                .map_err(|e| format!("{e} after {command}: {text}"))?;
        }
        Ok(text)
    }
}

/// The store's INBOX as (UID, flags) in sequence-number order.
fn store_view(host: &TestHost) -> Vec<(Option<u32>, Option<String>)> {
    host.store
        .folder(BOB, "INBOX")
        .map(|f| {
            f.messages()
                .iter()
                .map(|m| (Some(m.uid.0), Some(flag_list(&m.flags))))
                .collect()
        })
        .unwrap_or_default()
}

fn host_with(n: usize) -> TestHost {
    let mut host = host_with_letter();
    for i in 1..n {
        host.store.deliver(
            BOB,
            Message::from_bytes(format!("Subject: {i}\r\n\r\n").into_bytes()),
            VirtualTime::ZERO,
        );
    }
    host
}

#[derive(Debug, Clone)]
enum Step {
    Store {
        who: usize,
        seq: u32,
        flag: &'static str,
        add: bool,
        uid: bool,
    },
    Expunge {
        who: usize,
    },
    Append {
        who: usize,
    },
    Noop {
        who: usize,
    },
    Search {
        who: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0usize..2;
    let flag = prop_oneof![
        Just("\\Seen"),
        Just("\\Deleted"),
        Just("\\Deleted"),
        Just("\\Flagged")
    ];
    prop_oneof![
        5 => (who.clone(), 1u32..8, flag, any::<bool>(), any::<bool>())
            .prop_map(|(who, seq, flag, add, uid)| Step::Store { who, seq, flag, add, uid }),
        3 => who.clone().prop_map(|who| Step::Expunge { who }),
        2 => who.clone().prop_map(|who| Step::Append { who }),
        1 => who.clone().prop_map(|who| Step::Noop { who }),
        1 => who.prop_map(|who| Step::Search { who }),
    ]
}

fn command(step: &Step, n: usize) -> (usize, String) {
    match step {
        Step::Store {
            who,
            seq,
            flag,
            add,
            uid,
        } => {
            let sign = if *add { '+' } else { '-' };
            let uid = if *uid { "UID " } else { "" };
            (*who, format!("s{n} {uid}STORE {seq} {sign}FLAGS ({flag})"))
        }
        Step::Expunge { who } => (*who, format!("e{n} EXPUNGE")),
        Step::Append { who } => (
            *who,
            format!("p{n} APPEND INBOX {{14+}}\r\nSubject: {:02}\r\n", n % 100),
        ),
        Step::Noop { who } => (*who, format!("n{n} NOOP")),
        Step::Search { who } => (*who, format!("f{n} SEARCH ALL")),
    }
}

fn run(initial: usize, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut host = host_with(initial);
    let mut clients = [
        Client::open(&mut host).map_err(TestCaseError::fail)?,
        Client::open(&mut host).map_err(TestCaseError::fail)?,
    ];
    for (n, step) in steps.iter().enumerate() {
        let (who, text) = command(step, n);
        clients[who]
            .say(&mut host, &text)
            .map_err(TestCaseError::fail)?;
        // The one that acted knows every UID it had; its known UIDs sit at the store's
        // positions once it has seen its own EXPUNGEs (EXPUNGE, NOOP).
        if matches!(step, Step::Expunge { .. } | Step::Noop { .. }) {
            let model = &clients[who].model.entries;
            let store = store_view(&host);
            prop_assert_eq!(model.len(), store.len());
            for (i, (m, s)) in model.iter().zip(&store).enumerate() {
                prop_assert!(
                    m.0.is_none() || m.0 == s.0,
                    "seq {} is {:?} here, {:?} in the store",
                    i + 1,
                    m.0,
                    s.0
                );
            }
        }
    }
    for (i, c) in clients.iter_mut().enumerate() {
        c.say(&mut host, &format!("z{i} NOOP"))
            .map_err(TestCaseError::fail)?;
    }
    // After NOOP, each picture agrees with the store wherever it knows the UID, flags
    // included (RFC 9051 7.4.1: the server reports every change to a selected mailbox).
    let store = store_view(&host);
    for c in &clients {
        prop_assert_eq!(c.model.entries.len(), store.len());
        for (m, s) in c.model.entries.iter().zip(&store) {
            if m.0.is_some() {
                prop_assert_eq!(m, s);
            }
        }
    }
    // Learning the new UIDs, both sessions hold the same, complete picture.
    for (i, c) in clients.iter_mut().enumerate() {
        c.say(&mut host, &format!("y{i} UID FETCH 1:* (UID FLAGS)"))
            .map_err(TestCaseError::fail)?;
    }
    prop_assert_eq!(&clients[0].model, &clients[1].model);
    prop_assert_eq!(&clients[0].model.entries, &store);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Only session 0 deletes and expunges; session 1 learns of it by NOOP alone.
    #[test]
    fn sequence_numbers_renumber_after_expunge(
        initial in 1usize..9,
        doomed in proptest::collection::vec(1u32..9, 0..8),
    ) {
        let mut steps: Vec<Step> = doomed
            .iter()
            .map(|&seq| Step::Store { who: 0, seq, flag: "\\Deleted", add: true, uid: false })
            .collect();
        steps.push(Step::Expunge { who: 0 });
        run(initial, &steps)?;
    }

    #[test]
    fn concurrent_sessions_converge(
        initial in 1usize..6,
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        run(initial, &steps)?;
    }
}
