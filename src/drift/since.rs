//! `--since` of drift and history: a moment written as a duration back from
//! now (`7d`, `2w`) or as a date (00:00 UTC of that day), and the newest
//! first-parent commit at or before it, where a drift starts.
//!
//! "Now" is the end of `--today` when it is given, so a pinned day gives the
//! same window whenever it runs; only without it is the clock read.

use crate::git::{self, Repo, Walk};
use crate::model::dates::end_of_day;
use crate::model::duration::Duration;
use gix::ObjectId;
use jiff::civil::Date;

/// Text that is neither a duration nor a date.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is neither a duration nor a date")]
pub struct NotAMoment(pub String);

/// Returns the Unix second `text` names: `now` less a duration, or 00:00
/// UTC of a date.
pub fn cutoff(text: &str, now: i64) -> Result<i64, NotAMoment> {
    if let Some(d) = Duration::parse(text) {
        return Ok(now - d.as_secs() as i64);
    }
    text.parse::<Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_second())
        .ok_or_else(|| NotAMoment(text.to_string()))
}

/// Returns the moment a duration counts back from, in Unix seconds: the end
/// of `today` when given, else the clock.
pub fn now(today: Option<Date>) -> i64 {
    match today {
        Some(day) => end_of_day(day),
        None => jiff::Timestamp::now().as_second(),
    }
}

/// Finds the newest first-parent commit of `tip` whose committer time is at
/// or before `cutoff`; `None` when the whole history is later.
pub fn commit_at(repo: &Repo, tip: ObjectId, cutoff: i64) -> Result<Option<ObjectId>, git::Error> {
    let mut found = None;
    let walk = repo.first_parent(tip, |id, time| {
        if time <= cutoff {
            found = Some(id);
            return Ok(false);
        }
        Ok(true)
    })?;
    if found.is_none() && walk == Walk::Truncated {
        return Err(git::Error::ShallowHistory {
            what: "the start of the --since window".into(),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-23T00:00:00Z.
    const MIDNIGHT: i64 = 1_795_392_000;

    #[test]
    fn a_duration_counts_back_from_now_and_a_date_is_its_midnight() {
        let now = MIDNIGHT + 3_600;
        assert_eq!(cutoff("2d", now).unwrap(), now - 2 * 86_400);
        assert_eq!(cutoff("1w", now).unwrap(), now - 7 * 86_400);
        assert_eq!(cutoff("2026-11-23", now).unwrap(), MIDNIGHT);
    }

    #[test]
    fn anything_else_is_named_in_the_refusal() {
        for text in ["", "7", "yesterday", "2026-13-01"] {
            let e = cutoff(text, MIDNIGHT).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("`{text}` is neither a duration nor a date")
            );
        }
    }

    #[test]
    fn now_is_the_end_of_a_pinned_day() {
        let today = Date::constant(2026, 11, 22);
        assert_eq!(now(Some(today)), MIDNIGHT);
    }
}
