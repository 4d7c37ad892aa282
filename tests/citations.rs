//! Every RFC citation in the project names a section that exists, with the title the RFC
//! gives it: `docs/rfc-sections.md` holds the facts (RFC, section, title, checked against
//! the RFC texts), and this test finds every citation in the sources, the narration
//! catalog, the scenario notes, the docs and the tests, and fails on any that is not a row
//! there.
//!
//! A citation is `RFC` and its number, then, directly after it, a section: digits and dots
//! (`RFC 5321 4.5.3.1.10`), optionally after a comma, `section` or `§` (`RFC 5321, section
//! 4.2`, `RFC 5321 §4.2`), and more sections may follow it (`RFC 1939 3, 5-7`,
//! `RFC 8314 3.1 and 3.2`, `RFC 5321 4.5.3.1.1 / 4.5.3.1.2`). `section 4.2 of RFC 5321`
//! counts too. A number of three or more digits after the RFC number is not a section (a
//! reply code, a year), and a dot that ends a sentence is not part of one. `RFC 5321`
//! alone cites the whole RFC, which the table must know as well (its `-` row).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const TABLE: &str = "docs/rfc-sections.md";
const HEADER: &str = "| RFC | Section | Title |";
const SEPARATOR: &str = "| --- | --- | --- |";

/// Where citations live. Build output and installed packages are not the project's text.
const ROOTS: &[&str] = &[
    "src",
    "static",
    "docs",
    "tests",
    "benches",
    "fuzz/fuzz_targets",
    "README.md",
    "ARCHITECTURE.md",
];
const SKIP_DIRS: &[&str] = &["target", "node_modules", "dist", ".git"];
/// The table itself, and this file, whose made-up citations are there to be caught.
const SKIP_FILES: &[&str] = &[TABLE, "tests/citations.rs"];
const TEXT_EXTENSIONS: &[&str] = &[
    "rs", "md", "json", "txt", "py", "toml", "js", "html", "css", "sh", "yml", "yaml",
];

/// One citation as found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Citation {
    rfc: u32,
    /// `None` when the RFC is cited as a whole.
    section: Option<String>,
}

impl Citation {
    fn whole(rfc: u32) -> Citation {
        Citation { rfc, section: None }
    }

    fn at(rfc: u32, section: &str) -> Citation {
        Citation { rfc, section: Some(section.to_owned()) }
    }

    fn key(&self) -> (u32, String) {
        (self.rfc, self.section.clone().unwrap_or_else(|| "-".to_owned()))
    }
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.section {
            Some(section) => write!(f, "RFC {} {section}", self.rfc),
            None => write!(f, "RFC {}", self.rfc),
        }
    }
}

/// The rows of the table: (RFC, section or `-`, title).
fn read_table(text: &str) -> Result<Vec<(u32, String, String)>, String> {
    let mut lines = text.lines().enumerate().skip_while(|(_, l)| l.trim() != HEADER);
    if lines.next().is_none() {
        return Err(format!("{TABLE}: no line `{HEADER}`"));
    }
    match lines.next() {
        Some((_, l)) if l.trim() == SEPARATOR => {}
        other => return Err(format!("{TABLE}: `{SEPARATOR}` must follow the header, found {other:?}")),
    }
    let mut rows = Vec::new();
    for (n, line) in lines {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        let at = n + 1;
        let cells: Vec<&str> = line
            .strip_prefix('|')
            .and_then(|l| l.strip_suffix('|'))
            .ok_or_else(|| format!("{TABLE}:{at}: not a table row: {line}"))?
            .split('|')
            .map(str::trim)
            .collect();
        let [rfc, section, title] = cells[..] else {
            return Err(format!("{TABLE}:{at}: a row has three cells: {line}"));
        };
        let rfc: u32 = rfc
            .parse()
            .ok()
            .filter(|n| (1..100_000).contains(n))
            .ok_or_else(|| format!("{TABLE}:{at}: not an RFC number: {rfc:?}"))?;
        if section != "-" && section_parts(section).is_none() {
            return Err(format!("{TABLE}:{at}: not a section number: {section:?}"));
        }
        if title.is_empty() {
            return Err(format!("{TABLE}:{at}: the title is empty"));
        }
        rows.push((rfc, section.to_owned(), title.to_owned()));
    }
    Ok(rows)
}

/// `4.5.3.1.10` as numbers; `None` unless it is digits separated by single dots.
fn section_parts(section: &str) -> Option<Vec<u32>> {
    section
        .split('.')
        .map(|part| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                part.parse().ok()
            }
        })
        .collect()
}

/// The order of the table: by RFC, the whole RFC (`-`) first, then sections by their numbers.
fn sort_key(rfc: u32, section: &str) -> (u32, Vec<u32>, bool) {
    match section_parts(section) {
        Some(parts) => (rfc, parts, true),
        None => (rfc, Vec::new(), false),
    }
}

/// Reads a section number at the start of `s`: one or two digits, then `.digits` parts.
/// Returns it and the bytes it took. A trailing dot (end of a sentence) is left alone, and
/// so is a number that runs on into more digits or letters (`250`, `2026`, `4x`).
fn section_at(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let first = digits(0);
    if first == 0 || first > 2 {
        return None;
    }
    let mut end = first;
    while end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        end += 1 + digits(end + 1);
    }
    match b.get(end) {
        Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => None,
        _ => Some((s[..end].to_owned(), end)),
    }
}

/// The sections a range names: `4.5.3.2.1` to `4` is .1, .2, .3 and .4; `5` to `7` is
/// 5, 6 and 7; `6.1` to `6.4` is 6.1 to 6.4.
fn range(from: &str, to: &str) -> Vec<String> {
    let (Some(a), Some(mut b)) = (section_parts(from), section_parts(to)) else {
        return vec![to.to_owned()];
    };
    if b.len() == 1 && a.len() > 1 {
        b = a[..a.len() - 1].iter().copied().chain(b).collect();
    }
    let join = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
    match (a.split_last(), b.split_last()) {
        (Some((x, ap)), Some((y, bp))) if ap == bp && y >= x && y - x <= 50 => {
            (x + 1..=*y).map(|n| join(&[ap, &[n][..]].concat())).collect()
        }
        _ => vec![join(&b)],
    }
}

/// Every citation in one line of text.
fn citations(line: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(off) = line[i..].find("RFC") {
        let start = i + off;
        i = start + 3;
        let word_before = start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if word_before {
            continue;
        }
        let mut p = i;
        let spaced = bytes.get(p) == Some(&b' ');
        if spaced {
            p += 1;
        }
        let n = bytes[p..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(3..=5).contains(&n) || bytes.get(p + n).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
            continue;
        }
        let Ok(rfc) = line[p..p + n].parse::<u32>() else { continue };
        p += n;
        i = p;
        // The section, if one follows directly: " 4.2", ", section 4.2", " §4.2", " § 4.2".
        let rest = &line[p..];
        let lead = [", section ", ", Section ", ", § ", ", §", " section ", " Section ", " § ", " §", "§", " "]
            .iter()
            .find(|lead| rest.starts_with(**lead))
            .map_or(0, |lead| lead.len());
        let first = if lead > 0 { section_at(&rest[lead..]) } else { None };
        let Some((section, len)) = first else {
            // `RFC822.SIZE` and the like are IMAP data item names, not citations.
            if spaced {
                found.push(Citation::whole(rfc));
            }
            continue;
        };
        p += lead + len;
        found.push(Citation::at(rfc, &section));
        // More sections of the same RFC: ", 4.3", " and 6.1", " / 3.2", "-7", " to 6.4".
        let mut last = section;
        loop {
            let rest = &line[p..];
            let Some((sep, is_range)) = [
                (", ", false),
                (" and ", false),
                (" or ", false),
                (" / ", false),
                ("/", false),
                (" to ", true),
                ("-", true),
                ("\u{2013}", true),
            ]
            .into_iter()
            .find(|(sep, _)| rest.starts_with(sep)) else {
                break;
            };
            let Some((next, len)) = section_at(&rest[sep.len()..]) else { break };
            let named = if is_range { range(&last, &next) } else { vec![next] };
            for section in &named {
                found.push(Citation::at(rfc, section));
            }
            last = named.last().cloned().unwrap_or(last);
            p += sep.len() + len;
        }
        i = p;
    }
    found.extend(citations_of_form_section_of_rfc(line));
    found
}

/// `section 4.2 of RFC 5321`, `§4.2 in RFC 5321`.
fn citations_of_form_section_of_rfc(line: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    for lead in ["section ", "Section ", "sections ", "Sections ", "§ ", "§"] {
        let mut from = 0;
        while let Some(off) = line[from..].find(lead) {
            let at = from + off + lead.len();
            from = at;
            let Some((section, len)) = section_at(&line[at..]) else { continue };
            let rest = &line[at + len..];
            let Some(after) = rest.strip_prefix(" of RFC").or_else(|| rest.strip_prefix(" in RFC")) else {
                continue;
            };
            let after = after.strip_prefix(' ').unwrap_or(after);
            let n = after.bytes().take_while(u8::is_ascii_digit).count();
            if (3..=5).contains(&n) {
                if let Ok(rfc) = after[..n].parse() {
                    found.push(Citation::at(rfc, &section));
                }
            }
        }
    }
    found
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Each citation in `text` that the table does not know, as `path:line: citation: the line`.
fn unknown_citations(path: &str, text: &str, known: &BTreeSet<(u32, String)>) -> Vec<String> {
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for citation in citations(line) {
            if !known.contains(&citation.key()) {
                bad.push(format!("{path}:{}: {citation}: {}", n + 1, line.trim()));
            }
        }
    }
    bad
}

fn known_sections() -> BTreeSet<(u32, String)> {
    let text = fs::read_to_string(repo().join(TABLE)).expect("docs/rfc-sections.md");
    let rows = read_table(&text).unwrap_or_else(|e| panic!("{e}"));
    rows.into_iter().map(|(rfc, section, _)| (rfc, section)).collect()
}

#[test]
fn every_citation_names_a_section_in_the_table() {
    let known = known_sections();
    let root = repo();
    let text_file = |p: &Path| common::has_extension(p, TEXT_EXTENSIONS);
    let mut paths: Vec<String> = ROOTS
        .iter()
        .flat_map(|rel| common::files_below(&root.join(rel), SKIP_DIRS, &text_file))
        .filter_map(|p| p.strip_prefix(&root).ok().map(|r| r.to_string_lossy().into_owned()))
        .filter(|rel| !SKIP_FILES.contains(&rel.as_str()))
        .collect();
    paths.sort();
    assert!(paths.iter().any(|p| p.starts_with("src/catalog/")), "the catalog is scanned");
    assert!(paths.iter().any(|p| p.starts_with("static/scenarios/")), "the scenarios are scanned");
    let mut bad = Vec::new();
    let mut seen = 0;
    for path in &paths {
        let Ok(bytes) = fs::read(root.join(path)) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        seen += text.lines().map(|l| citations(l).len()).sum::<usize>();
        bad.extend(unknown_citations(path, &text, &known));
    }
    assert!(seen > 500, "only {seen} citations found: is the matcher broken?");
    assert!(
        bad.is_empty(),
        "{} citation(s) name no row of {TABLE} (a wrong section number, or a section not yet \
         checked against the RFC and added):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn the_table_is_well_formed_sorted_and_complete() {
    let text = fs::read_to_string(repo().join(TABLE)).expect("docs/rfc-sections.md");
    let rows = read_table(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(rows.len() > 100, "only {} rows", rows.len());
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            sort_key(a.0, &a.1) < sort_key(b.0, &b.1),
            "{TABLE}: rows out of order or repeated: RFC {} {} before RFC {} {}",
            a.0,
            a.1,
            b.0,
            b.1
        );
    }
    for (rfc, section, title) in &rows {
        assert_eq!(title, title.trim(), "RFC {rfc} {section}: spaces around the title");
        assert!(
            rows.iter().any(|(r, s, _)| r == rfc && s == "-"),
            "RFC {rfc} has sections in the table but no `-` row with its title"
        );
    }
}

#[test]
fn the_matcher_reads_citations_and_nothing_else() {
    let at = Citation::at;
    let whole = Citation::whole;
    let cases: &[(&str, Vec<Citation>)] = &[
        ("see RFC 5321 4.5.3.1.10 for that", vec![at(5321, "4.5.3.1.10")]),
        ("RFC 5321 section 4.2 and RFC 5321, section 4.2.", vec![at(5321, "4.2"), at(5321, "4.2")]),
        ("RFC 5321 §4.2; RFC 5321 § 4.2.1", vec![at(5321, "4.2"), at(5321, "4.2.1")]),
        ("(RFC 1939 4)", vec![at(1939, "4")]),
        ("ends a sentence: RFC 5322 3.6.4.", vec![at(5322, "3.6.4")]),
        ("RFC 9051 6.3.4's example", vec![at(9051, "6.3.4")]),
        ("RFC 1939 3, 5-7", vec![at(1939, "3"), at(1939, "5"), at(1939, "6"), at(1939, "7")]),
        ("RFC 5321 4.5.3.2.1-4: five minutes", ["1", "2", "3", "4"].map(|n| at(5321, &format!("4.5.3.2.{n}"))).to_vec()),
        ("RFC 9051 6.1 to 6.4", vec![at(9051, "6.1"), at(9051, "6.2"), at(9051, "6.3"), at(9051, "6.4")]),
        ("RFC 8314 3.1 and 3.2, RFC 5321 4.5.5, 6.1", vec![at(8314, "3.1"), at(8314, "3.2"), at(5321, "4.5.5"), at(5321, "6.1")]),
        ("RFC 5321 4.5.3.1.1 / 4.5.3.1.2", vec![at(5321, "4.5.3.1.1"), at(5321, "4.5.3.1.2")]),
        ("section 4.2 of RFC 5321", vec![whole(5321), at(5321, "4.2")]),
        // Not sections: a reply code, a year, a date, a word, a list of RFCs.
        ("RFC 5321 reply 250", vec![whole(5321)]),
        ("RFC 5321 250 is the code", vec![whole(5321)]),
        ("RFC 5321 2008", vec![whole(5321)]),
        ("RFC 3339 2026-03-02T09:00:00Z", vec![whole(3339)]),
        ("RFC 5321 4.2.1, 250 means done", vec![at(5321, "4.2.1")]),
        ("MIME (RFC 2045, 2046)", vec![whole(2045)]),
        ("RFC 3464", vec![whole(3464)]),
        // IMAP data item names and plain words are no citations.
        ("FETCH 1 (RFC822.SIZE RFC822.HEADER)", vec![]),
        ("RFCs, XRFC 5321 4.2, rfc 5321 4.2", vec![]),
    ];
    for (line, expected) in cases {
        assert_eq!(&citations(line), expected, "{line:?}");
    }
}

#[test]
fn a_made_up_section_fails_the_check() {
    let known = known_sections();
    assert!(known.contains(&(5321, "4.5.3.1.10".to_owned())), "a real section is known");
    // Written as the sources write it, into a file, and read back like any other.
    let fake = format!("// The limit (RFC {} {}).\n", 5321, "99.9");
    let path = std::env::temp_dir().join(format!("mailflow-citations-{}.rs", std::process::id()));
    fs::write(&path, &fake).expect("temp file");
    let text = fs::read_to_string(&path).expect("temp file");
    let _ = fs::remove_file(&path);
    let bad = unknown_citations("fake.rs", &text, &known);
    assert_eq!(bad, vec!["fake.rs:1: RFC 5321 99.9: // The limit (RFC 5321 99.9).".to_owned()]);
    // An RFC the table does not know at all is caught too, even without a section.
    let bad = unknown_citations("fake.rs", &format!("see RFC {}", 99999), &known);
    assert_eq!(bad.len(), 1, "{bad:?}");
    // And a real citation passes.
    assert!(unknown_citations("real.rs", "// RFC 5321 4.5.3.1.10: too many recipients.", &known).is_empty());
}
