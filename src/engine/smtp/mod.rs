//! SMTP (RFC 5321) and its sibling LMTP (RFC 2033): wire syntax and sans-IO sessions.
