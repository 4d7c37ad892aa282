//! A client that types given command lines, one each time the reply to the one before is
//! complete, and QUIT after the last: the way an address scanner works through VRFY, EXPN
//! and RCPT TO on port 25 (RFC 5321 7.3). It decides nothing from the replies but when to
//! stop: a `421`, or the server hanging up, ends it.

use std::collections::VecDeque;

use crate::engine::session::{Output, Session};
use crate::engine::smtp::ReplyParser;
use crate::engine::time::VirtualTime;

/// The probe has finished: it said QUIT and heard the answer, or the server hung up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeDone {
    /// The replies it heard, greeting included: one line each, the last line of a
    /// multi-line reply.
    pub replies: usize,
}

#[derive(Debug)]
pub struct ProbeSession {
    commands: VecDeque<String>,
    replies: ReplyParser,
    output: VecDeque<Output<ProbeDone>>,
    heard: usize,
    /// The last command sent was STARTTLS (its 220 starts TLS), or QUIT (its answer ends it).
    last: Option<String>,
    done: bool,
}

impl ProbeSession {
    pub fn new(commands: Vec<String>) -> ProbeSession {
        ProbeSession {
            commands: commands.into(),
            replies: ReplyParser::new(),
            output: VecDeque::new(),
            heard: 0,
            last: None,
            done: false,
        }
    }

    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            self.output.push_back(Output::Event(ProbeDone { replies: self.heard }));
            self.output.push_back(Output::Close);
        }
    }

    fn next_command(&mut self) {
        let line = self.commands.pop_front().unwrap_or_else(|| "QUIT".to_owned());
        self.output.push_back(Output::Transmit(format!("{line}\r\n").into_bytes()));
        self.last = Some(line.to_ascii_uppercase());
    }
}

impl<H: ?Sized> Session<H> for ProbeSession {
    type Event = ProbeDone;

    fn handle_input(&mut self, bytes: &[u8], _: VirtualTime, _: &mut H) {
        if self.done {
            return;
        }
        self.replies.push(bytes);
        // Every reply that came together is read before the next command goes: a refusal
        // followed by the 421 of a server that hangs up ends the probe there.
        let mut codes = Vec::new();
        while let Some(reply) = self.replies.next_reply() {
            self.heard += 1;
            codes.push(reply.map(|r| r.code).unwrap_or(0));
        }
        for code in codes {
            let last = self.last.take();
            if code == 421 || last.as_deref() == Some("QUIT") {
                return self.finish();
            }
            if code == 220 && last.as_deref() == Some("STARTTLS") {
                self.output.push_back(Output::TlsStarted);
            }
        }
        if self.heard > 0 && self.last.is_none() {
            self.next_command();
        }
    }

    fn handle_timeout(&mut self, _: VirtualTime, _: &mut H) {}

    fn handle_close(&mut self, _: VirtualTime, _: &mut H) {
        self.finish();
    }

    fn poll_output(&mut self) -> Option<Output<ProbeDone>> {
        self.output.pop_front()
    }

    fn poll_timeout(&self) -> Option<VirtualTime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::session::converse;
    use crate::engine::smtp::tests::TestMta;
    use crate::engine::smtp::{ServerConfig, ServerSession};

    fn probe(config: ServerConfig, commands: &[&str]) -> (Vec<String>, Vec<String>, Vec<ProbeDone>) {
        let mut server = ServerSession::new(config, VirtualTime::ZERO);
        let mut probe = ProbeSession::new(commands.iter().map(|&c| c.to_owned()).collect());
        let talk = converse(&mut probe, &mut server, &mut TestMta::new(), VirtualTime::ZERO);
        (talk.client_lines, talk.server_lines, talk.client_events)
    }

    #[test]
    fn each_command_waits_for_its_reply_and_quit_ends_it() {
        let mut config = ServerConfig::mx("mx.southbay.test");
        config.disable_vrfy_command = false;
        let (sent, heard, done) = probe(config, &["EHLO scan.test", "VRFY bob@southbay.test", "EXPN staff"]);
        assert_eq!(sent, ["EHLO scan.test", "VRFY bob@southbay.test", "EXPN staff", "QUIT"]);
        assert_eq!(heard.last().map(String::as_str), Some("221 2.0.0 Bye"));
        assert!(heard.contains(&"252 2.0.0 bob@southbay.test".to_owned()), "{heard:?}");
        assert_eq!(done, [ProbeDone { replies: 5 }], "greeting, EHLO, VRFY, EXPN, QUIT");
    }

    #[test]
    fn a_421_ends_the_probe_with_commands_left() {
        let mut probe = ProbeSession::new(["FOO", "BAR", "BAZ"].map(String::from).to_vec());
        let mut said = |bytes: &[u8]| {
            Session::<()>::handle_input(&mut probe, bytes, VirtualTime::ZERO, &mut ());
            std::iter::from_fn(|| Session::<()>::poll_output(&mut probe)).collect::<Vec<_>>()
        };
        assert_eq!(said(b"220 mx.test ESMTP\r\n"), [Output::Transmit(b"FOO\r\n".to_vec())]);
        assert_eq!(said(b"500 5.5.2 Error: command not recognized\r\n"), [Output::Transmit(b"BAR\r\n".to_vec())]);
        let last = said(b"500 5.5.2 Error: command not recognized\r\n421 4.7.0 mx.test Error: too many errors\r\n");
        assert_eq!(last, [Output::Event(ProbeDone { replies: 4 }), Output::Close], "nothing after the server hangs up");
    }

    #[test]
    fn the_server_hanging_up_ends_it_too() {
        let mut probe = ProbeSession::new(vec!["VRFY bob".into()]);
        Session::<()>::handle_close(&mut probe, VirtualTime::ZERO, &mut ());
        assert_eq!(Session::<()>::poll_output(&mut probe), Some(Output::Event(ProbeDone { replies: 0 })));
    }
}
