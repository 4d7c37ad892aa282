//! Which step of the journey (docs/teaching-guide.md) an event belongs to, so the diagram can label
//! where it happens.

use crate::engine::trace::EventKind;
use crate::player::Scene;

/// A step of the journey of a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JourneyStage {
    /// 1: the mail client connects to its server: the SMTP handshake.
    Handshake,
    /// 2: it submits envelope and content.
    Submit,
    /// 3: the server compares the recipient's domain with its own.
    DomainCheck,
    /// 4: it looks up the MX and relays on port 25, or queues the letter.
    Relay,
    /// 5: the recipient's server verifies domain and user, and hands over over LMTP.
    Verify,
    /// 6: the letter lands in the mailbox and the user fetches it.
    Mailbox,
}

impl JourneyStage {
    pub fn number(self) -> &'static str {
        match self {
            JourneyStage::Handshake => "1",
            JourneyStage::Submit => "2",
            JourneyStage::DomainCheck => "3",
            JourneyStage::Relay => "4",
            JourneyStage::Verify => "5",
            JourneyStage::Mailbox => "6",
        }
    }

    pub fn title(self) -> &'static str {
        crate::catalog::scene::stage_title(self as usize)
    }
}

/// The journey stage of an event, given the scene just before it.
pub fn journey_stage(kind: &EventKind, scene: &Scene) -> Option<JourneyStage> {
    let port_of = |c: &u32| scene.connections.get(c).map(|h| h.port);
    match kind {
        EventKind::Composed(_) | EventKind::Action(_) => Some(JourneyStage::Handshake),
        EventKind::Connected(c) if matches!(c.port, 587 | 465) => Some(JourneyStage::Handshake),
        EventKind::Line { connection, text, .. } => match port_of(connection)? {
            587 | 465 => {
                let upper = text.to_ascii_uppercase();
                let transaction = ["MAIL ", "RCPT ", "DATA", "250 2.1", "354", "250 2.0.0 OK: QUEUED"]
                    .iter()
                    .any(|p| upper.starts_with(p));
                Some(if transaction { JourneyStage::Submit } else { JourneyStage::Handshake })
            }
            25 => Some(if text.starts_with('5') { JourneyStage::Verify } else { JourneyStage::Relay }),
            24 => Some(JourneyStage::Verify),
            110 | 143 | 995 | 993 => Some(JourneyStage::Mailbox),
            _ => None,
        },
        EventKind::Explain(e) if e.rfc == "RFC 2033" || e.rfc == "RFC 5321 5.1" => Some(JourneyStage::DomainCheck),
        EventKind::DnsQuery(_) | EventKind::DnsResponse(_) => Some(JourneyStage::Relay),
        EventKind::Connected(c) if c.port == 25 => Some(JourneyStage::Relay),
        EventKind::Connecting(c) if c.port == 25 => Some(JourneyStage::Relay),
        EventKind::ConnectFailed(_) | EventKind::Deferred(_) | EventKind::Retry(_) => Some(JourneyStage::Relay),
        EventKind::Connected(c) if c.port == 24 => Some(JourneyStage::Verify),
        EventKind::Bounced(_) => Some(JourneyStage::Verify),
        EventKind::Delivered(_) | EventKind::Fetched(_) | EventKind::MailboxRemoved(_) => Some(JourneyStage::Mailbox),
        EventKind::Connected(c) if matches!(c.port, 110 | 143 | 995 | 993) => Some(JourneyStage::Mailbox),
        _ => None,
    }
}
