//! `check_host()` against small zones: each mechanism, each result, and the limits.

use super::*;
use crate::engine::auth::zone::Zone;

fn northwind(record: &'static str) -> Zone {
    Zone {
        txt: vec![("northwind.test", record), ("relay.test", "v=spf1 ip4:203.0.113.0/24 -all")],
        a: vec![("smtp.northwind.test", Ipv4Addr::new(192, 0, 2, 25)), ("northwind.test", Ipv4Addr::new(192, 0, 2, 80))],
        mx: vec![("northwind.test", "smtp.northwind.test")],
        ..Zone::default()
    }
}

fn check(zone: &mut Zone, ip: [u8; 4]) -> SpfOutcome {
    let id = Identity { ip: Ipv4Addr::from(ip), sender: "alice@northwind.test", helo: "smtp.northwind.test" };
    check_host(&id, "northwind.test", zone)
}

#[test]
fn each_mechanism_matches_what_it_names() {
    let cases: [(&'static str, [u8; 4], SpfResult); 9] = [
        ("v=spf1 mx -all", [192, 0, 2, 25], SpfResult::Pass),
        ("v=spf1 mx -all", [198, 51, 100, 7], SpfResult::Fail),
        ("v=spf1 a -all", [192, 0, 2, 80], SpfResult::Pass),
        ("v=spf1 a:smtp.northwind.test/24 ~all", [192, 0, 2, 9], SpfResult::Pass),
        ("v=spf1 ip4:192.0.2.0/24 ~all", [198, 51, 100, 7], SpfResult::SoftFail),
        ("v=spf1 include:relay.test ?all", [203, 0, 113, 4], SpfResult::Pass),
        ("v=spf1 include:relay.test ?all", [10, 0, 0, 1], SpfResult::Neutral),
        ("v=spf1 exists:%{i}.northwind.test -all", [192, 0, 2, 25], SpfResult::Fail),
        ("v=spf1 ip6:2001:db8::/32", [192, 0, 2, 25], SpfResult::Neutral),
    ];
    for (record, ip, expected) in cases {
        assert_eq!(check(&mut northwind(record), ip).result, expected, "{record} for {ip:?}");
    }
}

#[test]
fn the_questions_asked_are_the_ones_the_mechanisms_need() {
    let mut zone = northwind("v=spf1 mx -all");
    let outcome = check(&mut zone, [192, 0, 2, 25]);
    assert_eq!(zone.asked, ["TXT northwind.test", "MX northwind.test", "A smtp.northwind.test"]);
    assert_eq!((outcome.reason.as_str(), outcome.lookups), ("mx in northwind.test", 1));
}

#[test]
fn a_redirect_applies_only_when_nothing_matched() {
    let mut zone = northwind("v=spf1 ip4:192.0.2.25 redirect=relay.test");
    assert_eq!(check(&mut zone, [192, 0, 2, 25]).result, SpfResult::Pass);
    assert_eq!(check(&mut zone, [198, 51, 100, 7]).result, SpfResult::Fail);
    let mut nowhere = northwind("v=spf1 redirect=nowhere.test");
    assert_eq!(check(&mut nowhere, [192, 0, 2, 25]).result, SpfResult::PermError);
}

#[test]
fn broken_records_are_permanent_errors_and_missing_ones_none() {
    for record in ["v=spf1 ipv4:1.2.3.4 -all", "v=spf1 ip4:192.0.2.0/33", "v=spf1 a/024", "v=spf1 include", "v=spf1 exists:%{z}.x.test", "v=spf1 redirect=a.test redirect=b.test"] {
        assert_eq!(check(&mut northwind(record), [192, 0, 2, 25]).result, SpfResult::PermError, "{record}");
    }
    let mut two = northwind("v=spf1 -all");
    two.txt.push(("northwind.test", "v=spf1 +all"));
    assert_eq!(check(&mut two, [192, 0, 2, 25]).result, SpfResult::PermError);
    assert_eq!(check(&mut northwind("google-site-verification=abc"), [192, 0, 2, 25]).result, SpfResult::None);
    let mut failing = northwind("v=spf1 -all");
    failing.failing.push("northwind.test");
    assert_eq!(check(&mut failing, [192, 0, 2, 25]).result, SpfResult::TempError);
}

#[test]
fn the_eleventh_lookup_is_a_permanent_error() {
    // Each include costs one lookup; a chain of eleven passes the limit of 4.6.4.
    let names: Vec<&'static str> = (0..12).map(|i| &*Box::leak(format!("l{i}.test").into_boxed_str())).collect();
    let mut zone = Zone::default();
    for i in 0..11 {
        let record = Box::leak(format!("v=spf1 include:{} -all", names[i + 1]).into_boxed_str());
        zone.txt.push((names[i], record));
    }
    zone.txt.push((names[11], "v=spf1 +all"));
    let id = Identity { ip: Ipv4Addr::new(192, 0, 2, 1), sender: "a@l0.test", helo: "h.test" };
    let outcome = check_host(&id, "l0.test", &mut zone);
    assert_eq!(outcome.result, SpfResult::PermError, "{outcome:?}");
    // Ten includes are fine.
    zone.txt[10] = (names[10], "v=spf1 +all");
    assert_eq!(check_host(&id, "l0.test", &mut zone).result, SpfResult::Pass);
}

#[test]
fn the_third_void_lookup_is_a_permanent_error() {
    let mut zone = northwind("v=spf1 a:x1.test a:x2.test a:x3.test -all");
    assert_eq!(check(&mut zone, [192, 0, 2, 25]).result, SpfResult::PermError);
    let mut two = northwind("v=spf1 a:x1.test a:x2.test -all");
    assert_eq!(check(&mut two, [192, 0, 2, 25]).result, SpfResult::Fail);
}

/// RFC 7208 7.4's examples of macro expansion.
#[test]
fn macros_expand_as_the_rfc_shows() {
    let id = Identity { ip: Ipv4Addr::new(192, 0, 2, 3), sender: "strong-bad@email.example.com", helo: "mx.example.org" };
    let d = "email.example.com";
    let cases = [
        ("%{s}", "strong-bad@email.example.com"),
        ("%{o}", "email.example.com"),
        ("%{d}", "email.example.com"),
        ("%{d4}", "email.example.com"),
        ("%{d3}", "email.example.com"),
        ("%{d2}", "example.com"),
        ("%{d1}", "com"),
        ("%{dr}", "com.example.email"),
        ("%{d2r}", "example.email"),
        ("%{l}", "strong-bad"),
        ("%{l-}", "strong.bad"),
        ("%{lr}", "strong-bad"),
        ("%{lr-}", "bad.strong"),
        ("%{l1r-}", "strong"),
        ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
        ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
        ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
        ("%%%_%-", "% %20"),
    ];
    for (text, expected) in cases {
        assert_eq!(expand(text, &id, d).unwrap(), expected, "{text}");
    }
    assert!(expand("%{x}", &id, d).is_err());
    assert!(expand("%{d", &id, d).is_err());
}
