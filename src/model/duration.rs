//! Durations as the declarations write them: a whole number and a unit,
//! `"30s"`, `"15m"`, `"1h"`, `"7d"`, `"2w"`.

use std::fmt;

/// A length of time, kept in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    secs: u64,
}

impl Duration {
    /// Creates a duration of `secs` seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Duration { secs }
    }

    /// Creates a duration of `days` days.
    pub const fn from_days(days: u64) -> Self {
        Duration::from_secs(days * 86_400)
    }

    /// Parses `"<number><unit>"` with unit `s`, `m`, `h`, `d` or `w`.
    pub fn parse(text: &str) -> Option<Self> {
        let unit = text.chars().last()?;
        let number = &text[..text.len() - unit.len_utf8()];
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = number.parse().ok()?;
        let scale = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        n.checked_mul(scale).map(Duration::from_secs)
    }

    /// Returns the length in seconds.
    pub fn as_secs(self) -> u64 {
        self.secs
    }

    /// Returns the number of whole days.
    pub fn whole_days(self) -> i64 {
        (self.secs / 86_400) as i64
    }
}

impl fmt::Display for Duration {
    /// Writes the largest exact unit up to days: `90d`, `14d`, `15m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = [(86_400, 'd'), (3_600, 'h'), (60, 'm')];
        for (scale, unit) in units {
            if self.secs > 0 && self.secs.is_multiple_of(scale) {
                return write!(f, "{}{unit}", self.secs / scale);
            }
        }
        write!(f, "{}s", self.secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(Duration::parse("30s"), Some(Duration::from_secs(30)));
        assert_eq!(Duration::parse("15m"), Some(Duration::from_secs(900)));
        assert_eq!(Duration::parse("1h"), Some(Duration::from_secs(3_600)));
        assert_eq!(Duration::parse("7d"), Some(Duration::from_days(7)));
        assert_eq!(Duration::parse("2w"), Some(Duration::from_days(14)));
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "h",
            "1",
            "1y",
            "-1h",
            "1.5h",
            "1 h",
            "99999999999999999999w",
        ] {
            assert_eq!(Duration::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn displays_the_shortest_exact_form() {
        assert_eq!(Duration::from_days(14).to_string(), "14d");
        assert_eq!(Duration::from_days(90).to_string(), "90d");
        assert_eq!(Duration::from_secs(90).to_string(), "90s");
    }
}
