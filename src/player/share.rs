//! A scenario carried in a link: `#scenario=<data>`, where the data is the scenario's JSON,
//! deflated (RFC 1951) and written in URL-safe base64 (RFC 4648 5) without padding. The
//! fragment never reaches the server, so a teacher's own world travels with no host but the
//! static one.

use crate::engine::base64;

/// Longest fragment accepted, in characters: about 60 KB of scenario JSON deflates to well
/// under this, and every current browser keeps URLs this long intact.
pub const MAX_FRAGMENT: usize = 32_000;

/// Largest scenario a fragment may inflate to: a bound against a "zip bomb" link.
const MAX_JSON: usize = 1 << 20;

pub fn encode_scenario(json: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    let text = base64::encode(&deflated);
    text.trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// The scenario JSON in a fragment's data, or why it cannot be read.
pub fn decode_scenario(data: &str) -> Result<String, String> {
    if data.len() > MAX_FRAGMENT {
        return Err(format!("the scenario in the link is {} characters long; at most {MAX_FRAGMENT} are read", data.len()));
    }
    let mut standard = data.trim().replace('-', "+").replace('_', "/");
    while standard.len() % 4 != 0 {
        standard.push('=');
    }
    let deflated = base64::decode_strict(standard.as_bytes())
        .map_err(|_| "the scenario in the link is damaged (not URL-safe base64)".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_JSON)
        .map_err(|_| "the scenario in the link is damaged (it does not inflate)".to_string())?;
    String::from_utf8(json).map_err(|_| "the scenario in the link is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;

    #[test]
    fn a_preset_round_trips_through_a_short_link() {
        let json = preset("gave-up").unwrap().json;
        let data = encode_scenario(json);
        assert!(data.len() < json.len() / 2, "{} characters for {} of JSON", data.len(), json.len());
        assert!(data.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(decode_scenario(&data).unwrap(), json);
    }

    #[test]
    fn damaged_links_are_refused_in_words() {
        assert!(decode_scenario("!!!").unwrap_err().contains("base64"));
        assert!(decode_scenario("AAAA").unwrap_err().contains("inflate"));
        assert!(decode_scenario(&"A".repeat(MAX_FRAGMENT + 1)).unwrap_err().contains("at most"));
        let bomb = encode_scenario(&" ".repeat(2 << 20));
        assert!(decode_scenario(&bomb).is_err(), "inflating past the bound is refused");
    }
}
