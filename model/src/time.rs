//! Instants as people read them. Stored instants are milliseconds since 1970-01-01 UTC.

/// `2026-12-04 23:21 UTC` for an instant in milliseconds.
pub fn utc_minute(millis: i64) -> String {
    minute_at(millis, 0)
}

/// The instant (milliseconds) as read `offset` seconds east of UTC, with the zone's name:
/// `2026-12-05 00:21 UTC+01:00`.
pub fn minute_at(millis: i64, offset: i64) -> String {
    let (y, m, d, h, min) = civil_minute(millis, offset);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02} {}", zone_name(offset))
}

/// Year, month, day, hour and minute of an instant (milliseconds) read `offset` seconds east
/// of UTC.
pub fn civil_minute(millis: i64, offset: i64) -> (i64, u32, u32, i64, i64) {
    let secs = millis.div_euclid(1000) + offset;
    let of_day = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    (y, m, d, of_day / 3600, (of_day % 3600) / 60)
}

/// The name of a zone `offset` seconds east of UTC: `UTC`, `UTC+01:00`, `UTC-05:30`.
pub fn zone_name(offset: i64) -> String {
    if offset == 0 {
        return "UTC".into();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A chart axis label for an instant in Unix seconds: `14:05` when the axis spans at most two
/// days, else `04 Dec` (UTC).
pub fn axis_label(secs: i64, span_secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let of_day = secs.rem_euclid(86_400);
    if span_secs <= 2 * 86_400 {
        format!("{:02}:{:02}", of_day / 3600, (of_day % 3600) / 60)
    } else {
        let (_, m, d) = civil_from_days(secs.div_euclid(86_400));
        format!("{d:02} {}", MONTHS[m as usize - 1])
    }
}

/// Reads `2026-12-04T23:21` (as a browser's date-and-time field sends it; taken as UTC) or
/// Unix seconds, as Unix seconds.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<i64>() {
        return Some(secs);
    }
    let (date, time) = text.split_once('T').or_else(|| text.split_once(' '))?;
    let mut d = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>());
    let (h, min) = (t.next()?.ok()?, t.next()?.ok()?);
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&min)
    {
        return None;
    }
    let days = days_from_civil(y, m, day);
    if civil_from_days(days) != (y, m as u32, day as u32) {
        return None;
    }
    Some(days * 86_400 + h * 3_600 + min * 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_as_utc_dates_and_minutes() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minute(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(utc_minute(1_796_426_460_000), "2026-12-04 23:21 UTC");
        assert_eq!(utc_minute(-60_000), "1969-12-31 23:59 UTC");
    }

    #[test]
    fn instants_read_in_another_zone_name_it() {
        assert_eq!(minute_at(0, 3_600), "1970-01-01 01:00 UTC+01:00");
        assert_eq!(
            minute_at(0, -(5 * 3_600 + 1_800)),
            "1969-12-31 18:30 UTC-05:30"
        );
        assert_eq!(zone_name(0), "UTC");
        assert_eq!(zone_name(20_700), "UTC+05:45");
    }

    #[test]
    fn instants_are_read_from_forms_and_addresses() {
        assert_eq!(parse_instant("2026-12-04T23:21"), Some(1_796_426_460));
        assert_eq!(parse_instant(" 1796426460 "), Some(1_796_426_460));
        assert_eq!(parse_instant("2000-02-29 00:00"), Some(951_782_400));
        assert_eq!(parse_instant("2001-02-29T00:00"), None, "no such day");
        assert_eq!(parse_instant("2026-12-04T25:00"), None);
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn axis_labels_show_the_clock_or_the_day() {
        assert_eq!(axis_label(1_796_426_460, 3_600), "23:21");
        assert_eq!(axis_label(1_796_426_460, 7 * 86_400), "04 Dec");
    }
}
