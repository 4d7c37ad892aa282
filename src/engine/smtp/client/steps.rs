//! The steps of a client session: what each reply answers ([`Expect`]), what it means for
//! the recipients, and what the client sends next (RFC 5321 4.1.1, 3.8; RFC 2920; RFC 3207;
//! RFC 4954; RFC 2033 4.2).

use super::capabilities::Capabilities;
use super::{
    local, AuthMechanism, ClientOutput, ClientSession, Credentials, Diagnostic, RecipientOutcome,
    Stage, TlsPolicy,
};
use crate::engine::base64;
use crate::engine::sasl;
use crate::engine::smtp::command::{Body, Command, MailParameters, RcptParameters};
use crate::engine::smtp::{dot, Mode, Reply};

/// What the next reply answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expect {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    /// AUTH LOGIN's first 334: send the user name.
    LoginUser,
    /// AUTH LOGIN's second 334: send the password.
    LoginPassword,
    AuthResult,
    Mail,
    Rcpt(usize),
    Data,
    /// SMTP's single reply to the dot.
    EndOfData,
    /// LMTP's reply for the k-th accepted recipient (RFC 2033 4.2).
    LmtpEndOfData(usize),
    /// A reply we must read but whose content changes nothing.
    Ignore,
    Quit,
}

impl Expect {
    pub(super) fn stage(self) -> Stage {
        match self {
            Expect::Greeting => Stage::Greeting,
            Expect::Ehlo | Expect::Helo => Stage::Hello,
            Expect::StartTls => Stage::StartTls,
            Expect::LoginUser | Expect::LoginPassword | Expect::AuthResult => Stage::Auth,
            Expect::Mail => Stage::Mail,
            Expect::Rcpt(_) => Stage::Rcpt,
            Expect::Data => Stage::Data,
            Expect::EndOfData | Expect::LmtpEndOfData(_) => Stage::EndOfData,
            Expect::Ignore | Expect::Quit => Stage::Quit,
        }
    }
}

impl ClientSession {
    /// Take one reply: decide what it means for the recipients and what to send next.
    pub(super) fn on_reply(&mut self, reply: Reply) {
        let Some(expect) = self.expected.pop_front() else {
            return;
        };
        // RFC 5321 3.8: 421 means the server is closing the channel, whatever we asked.
        if reply.code == 421 && expect != Expect::Quit {
            self.fail(expect.stage(), Diagnostic::Remote(reply));
            return self.finish();
        }
        match expect {
            Expect::Greeting if reply.is_positive() => self.hello(),
            Expect::Ehlo if reply.is_positive() => {
                self.caps = Capabilities::from_ehlo(&reply);
                self.after_hello();
            }
            // RFC 5321 4.1.1.1 / 3.2: a server without ESMTP answers EHLO with 500/502.
            Expect::Ehlo if reply.is_permanent() && self.config.mode == Mode::Smtp => {
                let domain = self.config.helo_name.clone();
                self.send(Command::Helo { domain }, Expect::Helo);
            }
            Expect::Helo if reply.is_positive() => {
                self.caps = Capabilities::default();
                self.after_hello();
            }
            Expect::StartTls if reply.code == 220 => {
                self.tls = true;
                self.output.push_back(ClientOutput::TlsStarted);
                // RFC 3207 4.2: all we knew is void; ask again.
                self.caps = Capabilities::default();
                self.hello();
            }
            Expect::StartTls if self.config.tls == TlsPolicy::Opportunistic => self.after_tls(),
            Expect::StartTls => {
                let text = format!("TLS is required, but the server refused STARTTLS: {reply}");
                self.fail(Stage::StartTls, local(4, 7, 5, text));
                self.quit();
            }
            Expect::LoginUser if reply.code == 334 => {
                let user = self.credentials_field(|c| &c.username);
                self.transmit_line(base64::encode(user.as_bytes()), Expect::LoginPassword);
            }
            Expect::LoginPassword if reply.code == 334 => {
                let password = self.credentials_field(|c| &c.password);
                self.transmit_line(base64::encode(password.as_bytes()), Expect::AuthResult);
            }
            Expect::AuthResult if reply.is_positive() => self.start_mail(),
            Expect::Mail if reply.is_positive() => {
                if !self.pipelined {
                    self.send_rcpt(0);
                }
            }
            Expect::Rcpt(i) => self.rcpt_reply(i, reply),
            Expect::Data if reply.code == 354 => self.send_message(),
            Expect::Data if self.failure.is_some() || self.accepted.is_empty() => self.quit(),
            Expect::EndOfData => {
                for &i in &self.accepted.clone() {
                    // A refusal of the whole message, after the recipients were taken: a
                    // content check (RFC 5321 4.2.5), such as DMARC's.
                    if !reply.is_positive() {
                        self.refused_after_dot.push(i);
                    }
                    self.outcomes[i] = Some(final_outcome(&reply));
                }
                self.report();
                self.quit();
            }
            // RFC 2033 4.2: one reply per accepted recipient after the dot.
            Expect::LmtpEndOfData(k) => {
                if let Some(&i) = self.accepted.get(k) {
                    if !reply.is_positive() {
                        self.refused_after_dot.push(i);
                    }
                    self.outcomes[i] = Some(final_outcome(&reply));
                }
                if self.expected.is_empty() {
                    self.report();
                    self.quit();
                }
            }
            Expect::Ignore => {
                if self.expected.is_empty() {
                    self.quit();
                }
            }
            Expect::Quit => self.finish(),
            // A refusal at greeting, hello, AUTH, MAIL or DATA hits every recipient.
            Expect::Greeting
            | Expect::Ehlo
            | Expect::Helo
            | Expect::LoginUser
            | Expect::LoginPassword
            | Expect::AuthResult
            | Expect::Mail
            | Expect::Data => {
                self.fail(expect.stage(), Diagnostic::Remote(reply));
                // With pipelining the RCPT and DATA replies are still on their way: read them.
                if self.expected.is_empty() {
                    self.quit();
                }
            }
        }
    }

    fn hello(&mut self) {
        let domain = self.config.helo_name.clone();
        match self.config.mode {
            Mode::Smtp => self.send(Command::Ehlo { domain }, Expect::Ehlo),
            Mode::Lmtp => self.send(Command::Lhlo { domain }, Expect::Ehlo),
        }
    }

    fn after_hello(&mut self) {
        let wants_tls = matches!(
            self.config.tls,
            TlsPolicy::Opportunistic | TlsPolicy::Required
        );
        if !self.tls && wants_tls && self.caps.starttls {
            return self.send(Command::StartTls, Expect::StartTls);
        }
        if !self.tls && self.config.tls == TlsPolicy::Required {
            self.fail(
                Stage::StartTls,
                local(
                    4,
                    7,
                    4,
                    "TLS is required, but was not offered by the server".into(),
                ),
            );
            return self.quit();
        }
        self.after_tls();
    }

    /// AUTH if we have credentials and the server offers a mechanism we know; else MAIL.
    /// Without a usable mechanism we go on unauthenticated, as Postfix does: the server
    /// then says what it thinks of that (`530 5.7.0`).
    fn after_tls(&mut self) {
        let Some(creds) = self.config.credentials.clone() else {
            return self.start_mail();
        };
        let offered = |m: &str| self.caps.auth.iter().any(|a| a == m);
        let preferred = match creds.mechanism {
            AuthMechanism::Plain => [AuthMechanism::Plain, AuthMechanism::Login],
            AuthMechanism::Login => [AuthMechanism::Login, AuthMechanism::Plain],
        };
        let choice = preferred.into_iter().find(|m| match m {
            AuthMechanism::Plain => offered("PLAIN"),
            AuthMechanism::Login => offered("LOGIN"),
        });
        match choice {
            // RFC 4954 4: PLAIN's response goes with the command, saving a round trip.
            Some(AuthMechanism::Plain) => {
                let response = sasl::encode_plain(&creds.username, &creds.password);
                let command = Command::Auth {
                    mechanism: "PLAIN".into(),
                    initial_response: Some(response),
                };
                self.send(command, Expect::AuthResult);
            }
            Some(AuthMechanism::Login) => self.send(
                Command::Auth {
                    mechanism: "LOGIN".into(),
                    initial_response: None,
                },
                Expect::LoginUser,
            ),
            None => self.start_mail(),
        }
    }

    fn credentials_field(&self, field: impl Fn(&Credentials) -> &String) -> String {
        self.config
            .credentials
            .as_ref()
            .map(|c| field(c).clone())
            .unwrap_or_default()
    }

    fn transmit_line(&mut self, line: String, expect: Expect) {
        self.output
            .push_back(ClientOutput::Transmit(format!("{line}\r\n").into_bytes()));
        self.expected.push_back(expect);
    }

    fn start_mail(&mut self) {
        let eight_bit = self.envelope.body_8bit || self.message.iter().any(|&b| b >= 0x80);
        let params = MailParameters {
            // RFC 1870 4: declare the size only to a server that announced SIZE.
            size: self.caps.size.then_some(self.message.len() as u64),
            body: (eight_bit && self.caps.eight_bit_mime).then_some(Body::EightBitMime),
            auth: None,
            ret: self.envelope.ret.filter(|_| self.caps.dsn),
            envid: self.envelope.envid.clone().filter(|_| self.caps.dsn),
        };
        let from = self.envelope.reverse_path.clone();
        self.send(Command::Mail { from, params }, Expect::Mail);
        if self.envelope.recipients.is_empty() {
            return;
        }
        // RFC 2920 3.1: MAIL, the RCPTs and DATA may go in one group.
        self.pipelined = self.config.pipelining && self.caps.pipelining;
        if self.pipelined {
            for i in 0..self.envelope.recipients.len() {
                self.send_rcpt(i);
            }
            self.send(Command::Data, Expect::Data);
        }
    }

    fn send_rcpt(&mut self, i: usize) {
        let Some(r) = self.envelope.recipients.get(i) else {
            return;
        };
        let params = if self.caps.dsn {
            RcptParameters {
                notify: r.notify,
                orcpt: r.orcpt.clone(),
            }
        } else {
            RcptParameters::default()
        };
        let command = Command::Rcpt {
            to: r.address.clone().into(),
            params,
        };
        self.send(command, Expect::Rcpt(i));
    }

    fn rcpt_reply(&mut self, i: usize, reply: Reply) {
        if self.failure.is_none() {
            if reply.is_positive() {
                self.accepted.push(i);
            } else if let Some(slot) = self.outcomes.get_mut(i) {
                *slot = Some(RecipientOutcome::from_diagnostic(Diagnostic::Remote(reply)));
            }
        }
        if self.pipelined {
            return;
        }
        if self.failure.is_some() {
            self.quit();
        } else if i + 1 < self.envelope.recipients.len() {
            self.send_rcpt(i + 1);
        } else if self.accepted.is_empty() {
            // Every recipient refused: nothing to send.
            self.quit();
        } else {
            self.send(Command::Data, Expect::Data);
        }
    }

    fn send_message(&mut self) {
        if self.failure.is_some() || self.accepted.is_empty() {
            // RFC 2920 3.1: the server took DATA although no RCPT succeeded: end the empty
            // message at once; its reply is of no interest.
            self.output
                .push_back(ClientOutput::Transmit(b".\r\n".to_vec()));
            self.expected.push_back(Expect::Ignore);
            return;
        }
        let mut stuffed = dot::dot_stuff(&self.message);
        // The end-of-data line goes separately, so the stream shows it as its own step.
        stuffed.truncate(stuffed.len() - 3);
        if !stuffed.is_empty() {
            self.output.push_back(ClientOutput::Transmit(stuffed));
        }
        self.output
            .push_back(ClientOutput::Transmit(b".\r\n".to_vec()));
        match self.config.mode {
            Mode::Smtp => self.expected.push_back(Expect::EndOfData),
            Mode::Lmtp => {
                for k in 0..self.accepted.len() {
                    self.expected.push_back(Expect::LmtpEndOfData(k));
                }
            }
        }
    }
}

/// RFC 5321 4.2.1: 2xx done, 4xx try again, 5xx give up.
fn final_outcome(reply: &Reply) -> RecipientOutcome {
    if reply.is_positive() {
        RecipientOutcome::Accepted(reply.clone())
    } else {
        RecipientOutcome::from_diagnostic(Diagnostic::Remote(reply.clone()))
    }
}
