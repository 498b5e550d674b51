//! Days as moments: where a day given in the declarations or by `--today`
//! ends, in Unix seconds, as the bundles and `--since` count it.

use jiff::civil::Date;

/// Returns the Unix second at which `day` ends: 00:00 UTC of the day
/// after. An exception expiring on `day` holds until then.
pub fn end_of_day(day: Date) -> i64 {
    let next = day.tomorrow().unwrap_or(day);
    next.to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(i64::MAX, |z| z.timestamp().as_second())
}

/// Returns the Unix second at which `day` starts: 00:00 UTC. A grant
/// from `day` holds from then.
pub fn start_of_day(day: Date) -> i64 {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(i64::MIN, |z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_ends_at_midnight_utc_of_the_next() {
        let end = end_of_day(Date::constant(2026, 12, 31));
        // 2027-01-01T00:00:00Z
        assert_eq!(end, 1_798_761_600);
    }

    #[test]
    fn a_day_starts_at_midnight_utc_and_ends_where_the_next_starts() {
        let day = Date::constant(2026, 12, 31);
        assert_eq!(start_of_day(day), 1_798_675_200);
        assert_eq!(end_of_day(day), start_of_day(day.tomorrow().unwrap()));
    }

    #[test]
    fn the_last_day_jiff_knows_never_ends() {
        assert_eq!(end_of_day(Date::MAX), i64::MAX);
    }
}
