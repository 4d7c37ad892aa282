//! From a parsed command to its handler, with the state rules of RFC 9051 3 and 6: which
//! commands each state takes, and BAD for the rest.

use super::replies::{bad_command, completed, UNKNOWN_COMMAND};
use super::{ImapHost, Phase, ServerSession, State};
use crate::engine::imap::command::{Command, CommandBody, CommandError};
use crate::engine::imap::response::{Status, StatusKind};

/// Which state a command needs (RFC 9051 6.1 to 6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Any,
    NotAuthenticated,
    Authenticated,
    Selected,
}

fn needs(body: &CommandBody) -> Needs {
    use CommandBody as B;
    match body {
        B::Capability | B::Noop | B::Logout | B::Id(_) => Needs::Any,
        B::StartTls | B::Login { .. } | B::Authenticate { .. } => Needs::NotAuthenticated,
        B::Check
        | B::Close
        | B::Unselect
        | B::Expunge(_)
        | B::Search { .. }
        | B::Fetch { .. }
        | B::Store { .. }
        | B::Copy { .. }
        | B::Move { .. } => Needs::Selected,
        _ => Needs::Authenticated,
    }
}

impl ServerSession {
    pub(super) fn command(&mut self, bytes: &[u8], host: &mut (impl ImapHost + ?Sized)) {
        let command = match Command::parse(bytes) {
            Ok(c) => c,
            Err(e) => return self.command_error(e),
        };
        let Command { tag, body } = command;
        let name = body.name();
        let authenticated = self.user.is_some();
        match (needs(&body), &self.state) {
            (Needs::NotAuthenticated, _) if authenticated => {
                return self.bad(&tag, &bad_command(name, "Already logged in."));
            }
            (Needs::Authenticated | Needs::Selected, _) if !authenticated => {
                self.explain("RFC 9051 3", "Until LOGIN or AUTHENTICATE succeeds, only CAPABILITY, NOOP, LOGOUT, STARTTLS and the login commands work.");
                return self.bad(&tag, &bad_command(name, "Login first."));
            }
            (Needs::Selected, s) if !matches!(s, State::Selected(_)) => {
                return self.bad(&tag, super::replies::NO_MAILBOX_SELECTED);
            }
            _ => {}
        }
        use CommandBody as B;
        match body {
            B::Capability => {
                let caps = self.capabilities();
                self.line(&format!("* CAPABILITY {caps}"));
                let text = if authenticated {
                    "Capability completed."
                } else {
                    "Pre-login capabilities listed, post-login capabilities have more."
                };
                self.ok(&tag, text);
            }
            B::Noop => {
                self.sync(host, true);
                self.ok(&tag, "NOOP completed.");
            }
            B::Logout => {
                self.status(Status::untagged(
                    StatusKind::Bye,
                    None,
                    super::replies::BYE_LOGOUT,
                ));
                self.ok(&tag, "Logout completed.");
                self.close();
            }
            B::Id(_) => {
                // RFC 2971 3.1: the server's own identification.
                self.line("* ID (\"name\" \"Dovecot\")");
                self.ok(&tag, "ID completed.");
            }
            B::StartTls => self.starttls(&tag),
            B::Login { username, password } => self.login(&tag, &username, &password, host),
            B::Authenticate {
                mechanism,
                initial_response,
            } => self.authenticate(&tag, &mechanism, initial_response, host),
            B::Enable(_) => {
                // RFC 5161 3.1: only advertised extensions can be enabled, and none here
                // changes the session (IMAP4rev2 is not advertised), so the list is empty.
                self.line("* ENABLED");
                self.ok(&tag, "Enabled.");
            }
            B::Namespace => {
                // RFC 2342 5: one personal namespace, no prefix, `/` between levels.
                self.line("* NAMESPACE ((\"\" \"/\")) NIL NIL");
                self.ok(&tag, "Namespace completed.");
            }
            B::Idle => {
                self.transmit(super::replies::IDLING.to_vec());
                self.explain("RFC 2177 3", "IDLE: the server reports new mail and changes as they happen, until the client sends DONE.");
                self.phase = Phase::Idle { tag };
            }
            B::Select(mailbox) => self.select(&tag, &mailbox, false, host),
            B::Examine(mailbox) => self.select(&tag, &mailbox, true, host),
            B::Create(mailbox) => self.create(&tag, &mailbox, host),
            B::Delete(mailbox) => self.delete(&tag, &mailbox, host),
            B::Rename { from, to } => self.rename(&tag, &from, &to, host),
            B::Subscribe(mailbox) => self.subscribe(&tag, &mailbox, true, host),
            B::Unsubscribe(mailbox) => self.subscribe(&tag, &mailbox, false, host),
            B::List {
                reference,
                patterns,
                options,
            } => self.list(&tag, &reference, &patterns, &options, false, host),
            B::Lsub { reference, pattern } => {
                self.list(&tag, &reference, &[pattern], &Default::default(), true, host)
            }
            B::Status { mailbox, items } => self.folder_status(&tag, &mailbox, &items, host),
            B::Append {
                mailbox,
                flags,
                date,
                message,
            } => self.append(&tag, &mailbox, &flags, date, message, host),
            B::Check => {
                self.sync(host, true);
                self.ok(&tag, &completed("CHECK"));
            }
            B::Close => self.close_mailbox(&tag, true, host),
            B::Unselect => self.close_mailbox(&tag, false, host),
            B::Expunge(uids) => self.expunge(&tag, uids.as_ref(), host),
            B::Search { criteria, uid } => self.search(&tag, &criteria, uid, host),
            B::Fetch {
                set,
                attributes,
                uid,
            } => self.fetch(&tag, &set, &attributes, uid, host),
            B::Store { set, action, uid } => self.store(&tag, &set, &action, uid, host),
            B::Copy { set, mailbox, uid } => self.copy(&tag, &set, &mailbox, uid, false, host),
            B::Move { set, mailbox, uid } => self.copy(&tag, &set, &mailbox, uid, true, host),
        }
    }

    fn command_error(&mut self, error: CommandError) {
        match error {
            CommandError::NoTag => {
                self.status(Status::untagged(StatusKind::Bad, None, bad_command("", "")));
            }
            CommandError::Unknown { tag, name } => {
                let text = if name.is_empty() {
                    bad_command("", "")
                } else {
                    bad_command(&name, UNKNOWN_COMMAND)
                };
                self.bad(&tag, &text);
            }
            CommandError::Syntax { tag, name, error } => {
                self.explain(
                    "RFC 9051 7.1.3",
                    &format!("BAD: the command breaks IMAP's grammar ({error})."),
                );
                self.bad(&tag, &bad_command(&name, "Invalid arguments."));
            }
        }
    }
}
