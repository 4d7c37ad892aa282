//! Messages (RFC 5322), envelopes, delivery status notifications (RFC 3464).
