//! Dates for header fields: the RFC 5322 3.3 `date-time` (`Mon, 02 Mar 2026 09:00:00 +0000`)
//! and an ISO 8601 form for the inspector, computed from Unix seconds by hand so that no
//! time zone database or system clock is involved (invariant 2 of ARCHITECTURE.md).

use std::fmt;

use crate::engine::time::VirtualTime;

/// A moment in UTC, broken into calendar fields.
///
/// Every date Mailflow writes is in UTC with the zone `+0000`: the simulated hosts share one
/// virtual clock, and a fixed zone keeps traces identical on every machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// 0 = Monday ... 6 = Sunday.
    pub weekday: u8,
}

// RFC 5322 3.3: day-name and month-name are fixed English abbreviations.
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl DateTime {
    pub fn from_unix_seconds(seconds: u64) -> DateTime {
        // u64 seconds fit in i64 days many times over; the division happens unsigned first.
        let days = (seconds / 86_400) as i64;
        let rest = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        DateTime {
            year,
            month,
            day,
            hour: (rest / 3600) as u8,
            minute: (rest / 60 % 60) as u8,
            second: (rest % 60) as u8,
            // 1970-01-01 was a Thursday (index 3 with Monday = 0).
            weekday: ((days + 3).rem_euclid(7)) as u8,
        }
    }

    pub fn from_virtual_time(time: VirtualTime) -> DateTime {
        DateTime::from_unix_seconds(time.unix_seconds())
    }

    /// RFC 5322 3.3 `date-time`, with the optional day-of-week, a two-digit day and the zone
    /// `+0000`: `Mon, 02 Mar 2026 09:00:00 +0000`.
    pub fn rfc5322(&self) -> String {
        self.to_string()
    }

    /// ISO 8601 / RFC 3339 in UTC: `2026-03-02T09:00:00Z`, for the inspector and logs.
    pub fn iso8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl fmt::Display for DateTime {
    /// Writes the RFC 5322 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day_name = DAY_NAMES
            .get(self.weekday as usize)
            .copied()
            .unwrap_or("Mon");
        let month_name = MONTH_NAMES
            .get((self.month as usize).wrapping_sub(1))
            .copied()
            .unwrap_or("Jan");
        let two_digits = [self.day, self.hour, self.minute, self.second].iter().all(|&n| n < 100);
        if !(two_digits && (0..=9999).contains(&self.year)) {
            return write!(
                f,
                "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
                day_name, self.day, month_name, self.year, self.hour, self.minute, self.second
            );
        }
        // The usual case, digit by digit: every letter's Date: and every hop's Received:
        // field carry one, and the formatting machinery costs more than the date.
        let digit = |n: i64| b'0' + (n % 10) as u8;
        let pair = |n: u8| [digit(i64::from(n) / 10), digit(i64::from(n))];
        let mut out = [0u8; 31];
        out[..3].copy_from_slice(day_name.as_bytes());
        out[3..5].copy_from_slice(b", ");
        out[5..7].copy_from_slice(&pair(self.day));
        out[7] = b' ';
        out[8..11].copy_from_slice(month_name.as_bytes());
        out[11] = b' ';
        out[12..16].copy_from_slice(&[digit(self.year / 1000), digit(self.year / 100), digit(self.year / 10), digit(self.year)]);
        out[16] = b' ';
        out[17..19].copy_from_slice(&pair(self.hour));
        out[19] = b':';
        out[20..22].copy_from_slice(&pair(self.minute));
        out[22] = b':';
        out[23..25].copy_from_slice(&pair(self.second));
        out[25..].copy_from_slice(b" +0000");
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

/// `Date:`-style text for a moment of virtual time.
pub fn rfc5322_date(time: VirtualTime) -> String {
    DateTime::from_virtual_time(time).rfc5322()
}

/// Proleptic Gregorian (year, month, day) for a count of days since 1970-01-01.
///
/// Howard Hinnant's `civil_from_days`: shift the year to start on 1 March so that the leap
/// day is the last day of the shifted year, then count 400-year eras of 146 097 days.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let shifted_month = (5 * day_of_year + 2) / 153; // [0, 11], 0 = March
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u8; // [1, 31]
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i64, month: u8, day: u8) -> u64 {
        // Independent day count: sum the lengths of whole years and months.
        let is_leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let mut days: u64 = 0;
        for y in 1970..year {
            days += if is_leap(y) { 366 } else { 365 };
        }
        let lengths = [
            31,
            if is_leap(year) { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        for m in 1..month {
            days += lengths[(m - 1) as usize];
        }
        (days + u64::from(day) - 1) * 86_400
    }

    #[test]
    fn scenario_epoch_is_monday_second_of_march_2026() {
        assert_eq!(
            rfc5322_date(VirtualTime::ZERO),
            "Mon, 02 Mar 2026 09:00:00 +0000"
        );
        assert_eq!(
            DateTime::from_virtual_time(VirtualTime::from_secs(61)).rfc5322(),
            "Mon, 02 Mar 2026 09:01:01 +0000"
        );
    }

    #[test]
    fn digits_are_padded_and_large_years_kept_whole() {
        let date = |year| DateTime { year, month: 7, day: 4, hour: 5, minute: 6, second: 7, weekday: 2 };
        assert_eq!(date(812).rfc5322(), "Wed, 04 Jul 0812 05:06:07 +0000");
        assert_eq!(date(12026).rfc5322(), "Wed, 04 Jul 12026 05:06:07 +0000");
    }

    #[test]
    fn unix_epoch_and_known_dates() {
        assert_eq!(
            DateTime::from_unix_seconds(0).rfc5322(),
            "Thu, 01 Jan 1970 00:00:00 +0000"
        );
        assert_eq!(
            DateTime::from_unix_seconds(951_782_400).rfc5322(),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(
            DateTime::from_unix_seconds(1_709_251_199).rfc5322(),
            "Thu, 29 Feb 2024 23:59:59 +0000"
        );
        assert_eq!(
            DateTime::from_unix_seconds(4_107_542_400).rfc5322(),
            "Mon, 01 Mar 2100 00:00:00 +0000"
        );
    }

    #[test]
    fn month_ends_and_leap_rules() {
        // 2100 is not a leap year (divisible by 100), 2000 and 2400 are (divisible by 400).
        assert_eq!(
            DateTime::from_unix_seconds(at(2100, 3, 1) - 1).iso8601(),
            "2100-02-28T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_unix_seconds(at(2000, 3, 1) - 1).iso8601(),
            "2000-02-29T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_unix_seconds(at(2400, 3, 1) - 1).iso8601(),
            "2400-02-29T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_unix_seconds(at(2026, 1, 1) - 1).iso8601(),
            "2025-12-31T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_unix_seconds(at(2026, 5, 1) - 1).iso8601(),
            "2026-04-30T23:59:59Z"
        );
    }

    #[test]
    fn every_day_for_three_centuries_matches_a_naive_count() {
        let mut expected_weekday = 3; // Thursday
        let mut days: i64 = 0;
        for year in 1970..2270 {
            for month in 1..=12u8 {
                let is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                let length = match month {
                    2 if is_leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                for day in 1..=length {
                    assert_eq!(civil_from_days(days), (year, month, day));
                    let dt = DateTime::from_unix_seconds(days as u64 * 86_400);
                    assert_eq!(dt.weekday, expected_weekday);
                    expected_weekday = (expected_weekday + 1) % 7;
                    days += 1;
                }
            }
        }
    }

    #[test]
    fn days_before_1970_work_too() {
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    }
}
