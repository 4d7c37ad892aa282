//! Real TLS for STARTTLS/STLS over TCP: rustls with a self-signed certificate made at start.
//! A real client only gets STARTTLS offered when this works: a pretend handshake would leave
//! it hanging (issue 5).

use std::sync::Arc;

use mailflow::engine::scenario::Scenario;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

/// The server side of TLS for every port of the lab.
pub fn server_config(scenario: &Scenario) -> Result<Arc<ServerConfig>, String> {
    // One certificate answers for every host of the world (a real client checks the name
    // only if told to trust the certificate at all) and for loopback, where the lab runs.
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    names.extend(scenario.hosts.iter().map(|h| h.name.clone()));
    let certified = rcgen::generate_simple_self_signed(names).map_err(|e| format!("making a certificate: {e}"))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()));
    // ring rather than the default aws-lc-rs: it builds without cmake.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(|e| format!("TLS certificate: {e}"))?;
    Ok(Arc::new(config))
}
