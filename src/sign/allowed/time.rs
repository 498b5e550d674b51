//! `valid-after` and `valid-before` times as OpenSSH 9.2p1 reads them
//! (misc.c `parse_absolute_time`): glibc `strptime` on `YYYY-MM-DD[THH:MM[:SS]]`,
//! then `timegm` for a `Z`/`UTC` suffix or `mktime` (with `tm_isdst = 0`)
//! in the local zone.
//!
//! Invariants: out-of-range days and seconds normalise as `timegm` does
//! (`20270231` is 2027-03-03); a result before the epoch is `None`. The
//! zone is a parameter, so tests pin it instead of reading `TZ`.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Parses an allowed_signers time; returns Unix seconds, or `None` where
/// OpenSSH reports an invalid time. The caller rejects 0 as OpenSSH does.
pub fn parse_absolute_time(s: &[u8], local: &TimeZone) -> Option<i64> {
    let mut l = s.len();
    let mut utc = false;
    if l > 1 && s[l - 1].eq_ignore_ascii_case(&b'z') {
        utc = true;
        l -= 1;
    } else if l > 3 && s[l - 3..].eq_ignore_ascii_case(b"utc") {
        utc = true;
        l -= 3;
    }
    let fields: &[(usize, usize)] = match l {
        8 => &[(0, 4), (4, 6), (6, 8)],
        12 => &[(0, 4), (4, 6), (6, 8), (8, 10), (10, 12)],
        14 => &[(0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14)],
        _ => return None,
    };
    // (lowest, highest, digits) of %Y %m %d %H %M %S in glibc's strptime.
    const RANGES: [(i64, i64, usize); 6] = [
        (0, 9999, 4),
        (1, 12, 2),
        (1, 31, 2),
        (0, 23, 2),
        (0, 59, 2),
        (0, 61, 2),
    ];
    let mut v = [0i64, 1, 1, 0, 0, 0];
    for (i, &(a, b)) in fields.iter().enumerate() {
        let (from, to, n) = RANGES[i];
        v[i] = strptime_number(&s[a..b], from, to, n)?;
    }
    let civil = days_from_civil(v[0], v[1]) + v[2] - 1;
    let civil = civil * 86_400 + v[3] * 3_600 + v[4] * 60 + v[5];
    let t = if utc { civil } else { mktime(civil, local)? };
    (t >= 0).then_some(t)
}

/// Reads one field as glibc's `get_number` does: leading white space, at
/// least one digit, at most `n` digits while the value can still grow
/// within `to`; the field must be used up, as the separator that follows
/// it in the `snprintf`ed buffer must match the format.
fn strptime_number(field: &[u8], from: i64, to: i64, n: usize) -> Option<i64> {
    let start = field.iter().take_while(|c| is_c_space(**c)).count();
    let digits = &field[start..];
    let mut val = 0i64;
    let mut used = 0;
    while used < digits.len() && digits[used].is_ascii_digit() {
        if used > 0 && (used >= n || val * 10 > to) {
            break;
        }
        val = val * 10 + i64::from(digits[used] - b'0');
        used += 1;
    }
    (used > 0 && used == digits.len() && (from..=to).contains(&val)).then_some(val)
}

/// C's `isspace` in the C locale.
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Days from 1970-01-01 to the first of `month` in `year` (proleptic
/// Gregorian), after Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The UTC offset in seconds at `t` and whether it is daylight saving time.
fn offset_at(t: i64, zone: &TimeZone) -> Option<(i64, bool)> {
    let info = zone.to_offset_info(Timestamp::from_second(t).ok()?);
    Some((i64::from(info.offset().seconds()), info.dst().is_dst()))
}

/// glibc's `mktime` with `tm_isdst = 0` for the civil time `civil` (its
/// seconds as if it were UTC): the instant whose local time it is, with
/// the zone's standard offset when that instant is in daylight saving time.
fn mktime(civil: i64, zone: &TimeZone) -> Option<i64> {
    let mut offsets = Vec::new();
    for probe in [civil - 86_400, civil, civil + 86_400] {
        let (o, _) = offset_at(probe, zone)?;
        if !offsets.contains(&o) {
            offsets.push(o);
        }
    }
    let mut exact = Vec::new();
    let mut candidates = Vec::new();
    for &o in &offsets {
        let t = civil - o;
        let (ot, dst) = offset_at(t, zone)?;
        candidates.push((t, dst));
        if ot == o {
            exact.push((t, dst));
        }
    }
    // A civil time in a gap (spring forward) has no exact instant; glibc
    // then ends on a daylight-saving guess and probes from it, as below.
    if let Some(&(t, _)) = exact.iter().find(|(_, dst)| !dst) {
        return Some(t);
    }
    let (t, _) = *exact.first().or(candidates.first())?;
    const STRIDE: i64 = 601_200;
    const BOUND: i64 = 457_243_200 / 2 + STRIDE;
    let mut delta = STRIDE;
    while delta < BOUND {
        for ot in [t - delta, t + delta] {
            if let Some((o, false)) = offset_at(ot, zone) {
                return Some(civil - o);
            }
        }
        delta += STRIDE;
    }
    Some(t + 3_600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<i64> {
        parse_absolute_time(s.as_bytes(), &TimeZone::UTC)
    }

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn reads_the_three_lengths_with_and_without_a_utc_suffix() {
        assert_eq!(utc("20270701Z"), Some(at("2027-07-01T00:00:00Z")));
        assert_eq!(utc("20270701z"), Some(at("2027-07-01T00:00:00Z")));
        assert_eq!(utc("202707011230UTC"), Some(at("2027-07-01T12:30:00Z")));
        assert_eq!(utc("20270701123045utc"), Some(at("2027-07-01T12:30:45Z")));
        assert_eq!(utc("20270701"), Some(at("2027-07-01T00:00:00Z")));
        assert_eq!(utc("2027070112"), None);
        assert_eq!(utc("Z"), None);
        assert_eq!(utc("UTC"), None);
        assert_eq!(utc("20270701ZZ"), None);
    }

    #[test]
    fn fields_follow_strptime_ranges_and_timegm_normalises() {
        assert_eq!(utc("20270231Z"), Some(at("2027-03-03T00:00:00Z")));
        assert_eq!(utc("20271231235961Z"), Some(at("2028-01-01T00:00:01Z")));
        assert_eq!(utc("20271301Z"), None);
        assert_eq!(utc("20270001Z"), None);
        assert_eq!(utc("20270132Z"), None);
        assert_eq!(utc("202701012400Z"), None);
        assert_eq!(utc("2027 1 1Z"), Some(at("2027-01-01T00:00:00Z")));
        assert_eq!(utc("20271 01Z"), None);
        assert_eq!(utc("2027+101Z"), None);
    }

    #[test]
    fn times_before_the_epoch_are_invalid_and_the_epoch_is_zero() {
        assert_eq!(utc("19700101Z"), Some(0));
        assert_eq!(utc("19691231Z"), None);
        assert_eq!(utc("00000101Z"), None);
    }

    #[test]
    fn local_time_uses_the_standard_offset_even_in_summer() {
        let cet = TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        let local = |s: &str| parse_absolute_time(s.as_bytes(), &cet);
        assert_eq!(local("20270115"), Some(at("2027-01-14T23:00:00Z")));
        // 12:00 in July is 10:00Z on a clock, but mktime with tm_isdst = 0
        // reads it as standard time.
        assert_eq!(local("202707011200"), Some(at("2027-07-01T11:00:00Z")));
        let jst = TimeZone::posix("JST-9").unwrap();
        assert_eq!(
            parse_absolute_time(b"20270701", &jst),
            Some(at("2027-06-30T15:00:00Z"))
        );
    }

    #[test]
    fn a_civil_time_in_the_spring_gap_reads_as_standard_time() {
        let cet = TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        assert_eq!(
            parse_absolute_time(b"202703280230", &cet),
            Some(at("2027-03-28T01:30:00Z"))
        );
    }
}
