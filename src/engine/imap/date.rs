//! IMAP's two date forms (RFC 9051 9): `date-time`, `"02-Mar-2026 09:00:00 +0000"`, for
//! INTERNALDATE and APPEND; and `date`, `2-Mar-2026`, for SEARCH BEFORE/ON/SINCE.
//! Moments are Unix seconds in UTC, like the rest of the engine (invariant 2 of ARCHITECTURE.md).

use super::syntax::{Parsed, Reader};
use crate::engine::mail::DateTime;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The quoted `date-time` of an INTERNALDATE, quotes included. RFC 9051 9 allows the day
/// as two digits; Dovecot writes it zero-padded too.
pub fn format_internal_date(unix_seconds: u64) -> String {
    let d = DateTime::from_unix_seconds(unix_seconds);
    let month = MONTHS
        .get(usize::from(d.month).wrapping_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "\"{:02}-{}-{:04} {:02}:{:02}:{:02} +0000\"",
        d.day, month, d.year, d.hour, d.minute, d.second
    )
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, the inverse of `mail::date::civil_from_days`).
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn month(reader: &mut Reader) -> Parsed<u8> {
    for (i, name) in MONTHS.iter().enumerate() {
        if reader.eat_keyword(name) {
            return Ok(i as u8 + 1);
        }
    }
    reader.error("a month name (Jan ... Dec)")
}

fn digits(reader: &mut Reader, min: usize, max: usize, what: &'static str) -> Parsed<u32> {
    let start = reader.offset();
    let n = reader.number()?;
    let len = reader.offset() - start;
    if len < min || len > max {
        return reader.error(what);
    }
    Ok(n)
}

/// `date-day "-" date-month "-" date-year`, as days since 1970-01-01.
fn day_month_year(reader: &mut Reader) -> Parsed<i64> {
    let day = digits(reader, 1, 2, "a day of the month")?;
    reader.expect(b'-', "- after the day")?;
    let m = month(reader)?;
    reader.expect(b'-', "- after the month")?;
    let year = digits(reader, 4, 4, "a four-digit year")?;
    if !(1..=31).contains(&day) {
        return reader.error("a day of the month");
    }
    Ok(days_from_civil(i64::from(year), m, day as u8))
}

/// SEARCH's `date`: bare or quoted (RFC 9051 9 `date = date-text / DQUOTE date-text DQUOTE`).
/// Returns days since 1970-01-01.
pub fn parse_search_date(reader: &mut Reader) -> Parsed<i64> {
    let quoted = reader.eat(b'"');
    let days = day_month_year(reader)?;
    if quoted {
        reader.expect(b'"', "a closing quote")?;
    }
    Ok(days)
}

/// APPEND's `date-time`, `"dd-Mon-yyyy hh:mm:ss +zzzz"`, as Unix seconds in UTC.
pub fn parse_date_time(reader: &mut Reader) -> Parsed<u64> {
    reader.expect(b'"', "a quoted date-time")?;
    // date-day-fixed: a space before a one-digit day.
    reader.eat(b' ');
    let days = day_month_year(reader)?;
    reader.sp()?;
    let hour = digits(reader, 2, 2, "two-digit hours")?;
    reader.expect(b':', ":")?;
    let minute = digits(reader, 2, 2, "two-digit minutes")?;
    reader.expect(b':', ":")?;
    let second = digits(reader, 2, 2, "two-digit seconds")?;
    reader.sp()?;
    let sign: i64 = if reader.eat(b'+') {
        1
    } else if reader.eat(b'-') {
        -1
    } else {
        return reader.error("a zone, +hhmm or -hhmm");
    };
    let zone = digits(reader, 4, 4, "a four-digit zone")?;
    reader.expect(b'"', "a closing quote")?;
    if hour > 23 || minute > 59 || second > 60 {
        return reader.error("a valid time of day");
    }
    let offset = sign * i64::from(zone / 100 * 3600 + zone % 100 * 60);
    let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    // The zone says how far local time is ahead of UTC.
    u64::try_from(local - offset).or_else(|_| reader.error("a date after 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::EPOCH_UNIX_SECONDS;

    #[test]
    fn internal_date_of_the_scenario_epoch() {
        assert_eq!(
            format_internal_date(EPOCH_UNIX_SECONDS),
            "\"02-Mar-2026 09:00:00 +0000\""
        );
        assert_eq!(format_internal_date(0), "\"01-Jan-1970 00:00:00 +0000\"");
    }

    #[test]
    fn date_time_round_trip_and_zones() {
        let text = format_internal_date(EPOCH_UNIX_SECONDS + 3_725);
        assert_eq!(
            parse_date_time(&mut Reader::new(text.as_bytes())),
            Ok(EPOCH_UNIX_SECONDS + 3_725)
        );
        // 11:00 at +0200 is 09:00 UTC; a one-digit day may come after a space.
        assert_eq!(
            parse_date_time(&mut Reader::new(b"\" 2-Mar-2026 11:00:00 +0200\"")),
            Ok(EPOCH_UNIX_SECONDS)
        );
        assert_eq!(
            parse_date_time(&mut Reader::new(b"\"02-Mar-2026 04:00:00 -0500\"")),
            Ok(EPOCH_UNIX_SECONDS)
        );
        assert!(parse_date_time(&mut Reader::new(b"\"02-Foo-2026 04:00:00 -0500\"")).is_err());
        assert!(parse_date_time(&mut Reader::new(b"\"02-Mar-2026 24:00:00 +0000\"")).is_err());
    }

    #[test]
    fn search_dates() {
        let epoch_day = (EPOCH_UNIX_SECONDS / 86_400) as i64;
        assert_eq!(
            parse_search_date(&mut Reader::new(b"2-Mar-2026")),
            Ok(epoch_day)
        );
        assert_eq!(
            parse_search_date(&mut Reader::new(b"\"02-mar-2026\"")),
            Ok(epoch_day)
        );
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert!(parse_search_date(&mut Reader::new(b"2-Mar-26")).is_err());
    }
}
