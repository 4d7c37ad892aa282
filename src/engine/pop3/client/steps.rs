//! What the client does with each response: the session's script, one step per command.

use super::{ClientOutput, ClientSession, Login, Stage, TlsPolicy};
use crate::engine::sasl;
use crate::engine::pop3::apop;
use crate::engine::pop3::command::Command;
use crate::engine::pop3::response::{Response, Status};

/// The response the client waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Greeting,
    Capa,
    Stls,
    User,
    /// PASS, APOP or AUTH PLAIN: the answer that decides the login.
    Login,
    Stat,
    List,
    Uidl,
    Retr(u32),
    Dele(u32),
    Quit,
}

impl Expect {
    /// RFC 1939 3: which `+OK` responses are followed by lines and a `.`.
    pub fn multiline(self) -> bool {
        matches!(
            self,
            Expect::Capa | Expect::List | Expect::Uidl | Expect::Retr(_)
        )
    }

    pub fn stage(self) -> Stage {
        match self {
            Expect::Greeting => Stage::Greeting,
            Expect::Capa | Expect::Stls => Stage::Tls,
            Expect::User | Expect::Login => Stage::Login,
            Expect::Stat | Expect::List | Expect::Uidl => Stage::Listing,
            Expect::Retr(_) => Stage::Retrieve,
            Expect::Dele(_) => Stage::Delete,
            Expect::Quit => Stage::Quit,
        }
    }
}

impl ClientSession {
    pub(super) fn on_response(&mut self, expect: Expect, r: Response) {
        if r.status == Status::Continue {
            // We always send PLAIN's initial response, so a challenge is a server error.
            self.fail(
                expect.stage(),
                format!("unexpected continuation: + {}", r.text),
            );
            return self.quit();
        }
        match expect {
            Expect::Greeting => {
                if !r.is_ok() {
                    self.fail(Stage::Greeting, format!("-ERR {}", r.text));
                    return self.finish();
                }
                self.apop_timestamp = apop::find_timestamp(&r.text).map(str::to_string);
                // RFC 2449 5: ask what the server offers before choosing how to log in.
                self.send(Command::Capa, Expect::Capa);
            }
            Expect::Capa => {
                self.capabilities = if r.is_ok() {
                    r.lines
                        .iter()
                        .map(|l| String::from_utf8_lossy(l).to_ascii_uppercase())
                        .collect()
                } else {
                    Default::default()
                };
                let wants_tls = matches!(
                    self.config.tls,
                    TlsPolicy::StlsIfOffered | TlsPolicy::RequireStls
                );
                if !self.tls && wants_tls && self.capabilities.contains("STLS") {
                    self.send(Command::Stls, Expect::Stls);
                } else if !self.tls && self.config.tls == TlsPolicy::RequireStls {
                    self.fail(Stage::Tls, "the server does not offer STLS".to_string());
                    self.quit();
                } else {
                    self.login();
                }
            }
            Expect::Stls => {
                if r.is_ok() {
                    self.output.push_back(ClientOutput::TlsStarted);
                    self.tls = true;
                    // RFC 2595 4: forget the capabilities and ask again inside TLS.
                    self.send(Command::Capa, Expect::Capa);
                } else if self.config.tls == TlsPolicy::RequireStls {
                    self.fail(Stage::Tls, format!("-ERR {}", r.text));
                    self.quit();
                } else {
                    self.login();
                }
            }
            Expect::User => {
                if r.is_ok() {
                    let password = self.config.password.clone();
                    self.send(Command::Pass { password }, Expect::Login);
                } else {
                    self.refused(Stage::Login, &r);
                }
            }
            Expect::Login => {
                if r.is_ok() {
                    self.send(Command::Stat, Expect::Stat);
                } else {
                    self.refused(Stage::Login, &r);
                }
            }
            Expect::Stat => {
                let count = r
                    .text
                    .split(' ')
                    .next()
                    .and_then(|n| n.parse::<usize>().ok());
                match count {
                    Some(n) if r.is_ok() => {
                        self.outcome.on_server = n;
                        if n == 0 {
                            self.quit();
                        } else {
                            self.send(Command::List { msg: None }, Expect::List);
                        }
                    }
                    _ => self.refused(Stage::Listing, &r),
                }
            }
            Expect::List => {
                if !r.is_ok() {
                    return self.refused(Stage::Listing, &r);
                }
                // RFC 1939 5: "n size" per message; kept to check what RETR delivers.
                self.sizes = r
                    .lines
                    .iter()
                    .filter_map(|l| {
                        let text = String::from_utf8_lossy(l);
                        let (n, size) = text.split_once(' ')?;
                        Some((n.parse().ok()?, size.parse().ok()?))
                    })
                    .collect();
                self.send(Command::Uidl { msg: None }, Expect::Uidl);
            }
            Expect::Uidl => {
                if !r.is_ok() {
                    return self.refused(Stage::Listing, &r);
                }
                for line in &r.lines {
                    let text = String::from_utf8_lossy(line);
                    let Some((n, uidl)) = text.split_once(' ') else {
                        continue;
                    };
                    let Ok(n) = n.parse::<u32>() else { continue };
                    if !self.config.seen_uidls.contains(uidl) {
                        self.to_fetch.push_back((n, uidl.to_string()));
                    }
                }
                self.next_message();
            }
            Expect::Retr(n) => {
                let uidl = self
                    .to_fetch
                    .front()
                    .filter(|(m, _)| *m == n)
                    .map(|(_, u)| u.clone());
                match (r.is_ok(), uidl) {
                    (true, Some(uidl)) => {
                        let body = r.body();
                        let listed = self.sizes.get(&n).copied();
                        if let Some(size) = listed.filter(|&s| s != body.len() as u64) {
                            // RFC 1939 5 asks for the exact size; a mismatch is worth telling.
                            self.fail(
                                Stage::Retrieve,
                                format!(
                                    "message {n}: LIST said {size} octets, RETR gave {}",
                                    body.len()
                                ),
                            );
                        }
                        self.outcome.downloaded.push((uidl, body));
                        if self.config.delete_after_download {
                            return self.send(Command::Dele { msg: n }, Expect::Dele(n));
                        }
                    }
                    _ => self.fail(Stage::Retrieve, format!("-ERR {}", r.text)),
                }
                self.to_fetch.pop_front();
                self.next_message();
            }
            Expect::Dele(_) => {
                if let Some((_, uidl)) = self.to_fetch.pop_front() {
                    if r.is_ok() {
                        self.marked.push(uidl);
                    } else {
                        self.fail(Stage::Delete, format!("-ERR {}", r.text));
                    }
                }
                self.next_message();
            }
            Expect::Quit => {
                if r.is_ok() {
                    self.outcome.deleted = std::mem::take(&mut self.marked);
                } else {
                    // RFC 1939 6: "-ERR some deleted messages not removed".
                    self.fail(Stage::Quit, format!("-ERR {}", r.text));
                }
                self.finish();
            }
        }
    }

    fn login(&mut self) {
        let user = self.config.user.clone();
        match self.config.login {
            Login::UserPass => self.send(Command::User { name: user }, Expect::User),
            Login::Apop => match self.apop_timestamp.clone() {
                Some(ts) => {
                    let digest = apop::digest(&ts, &self.config.password);
                    self.send(Command::Apop { name: user, digest }, Expect::Login);
                }
                None => {
                    self.fail(
                        Stage::Login,
                        "the greeting has no APOP timestamp".to_string(),
                    );
                    self.quit();
                }
            },
            Login::Plain => {
                let response = sasl::encode_plain(&user, &self.config.password);
                let command = Command::Auth {
                    mechanism: Some("PLAIN".to_string()),
                    initial_response: Some(response),
                };
                self.send(command, Expect::Login);
            }
        }
    }

    fn refused(&mut self, stage: Stage, r: &Response) {
        self.fail(stage, format!("-ERR {}", r.text));
        self.quit();
    }

    fn next_message(&mut self) {
        match self.to_fetch.front() {
            Some(&(n, _)) => self.send(Command::Retr { msg: n }, Expect::Retr(n)),
            None => self.quit(),
        }
    }

    fn quit(&mut self) {
        self.send(Command::Quit, Expect::Quit);
    }
}
