//! Days named in text: "March 3", "3 March 2017", "Mar. 3, 2017",
//! "2017-03-03", "in May 2017", "on Tuesday".
//!
//! A figure's day tells two reports of one count apart from counts of two
//! events: "the storm on March 3 killed 12" and "the storm on March 9 killed
//! 40" are not a conflict, nor are Monday's toll and Tuesday's. A day is
//! normalized to what the text says and no more: a date without a year stays
//! without one, and a weekday is only compared with a weekday.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::Span;

/// A day as the text names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Day {
    /// A calendar date; the year or the day of the month may be unsaid.
    Date {
        year: Option<i32>,
        month: u8,
        day: Option<u8>,
    },
    /// Monday is 1, Sunday 7.
    Weekday(u8),
}

impl Day {
    /// True when the two cannot be the same day. What either leaves unsaid
    /// is compatible with anything: "March 3" and "March 3, 2017" can be one
    /// day, "March 3" and "March 9" cannot, nor can "Monday" and "Tuesday".
    /// A weekday and a date are never told apart.
    pub fn differs(&self, other: &Day) -> bool {
        let apart = |a: Option<i64>, b: Option<i64>| matches!((a, b), (Some(x), Some(y)) if x != y);
        match (*self, *other) {
            (Day::Weekday(a), Day::Weekday(b)) => a != b,
            (
                Day::Date {
                    year: y1,
                    month: m1,
                    day: d1,
                },
                Day::Date {
                    year: y2,
                    month: m2,
                    day: d2,
                },
            ) => {
                apart(y1.map(i64::from), y2.map(i64::from))
                    || m1 != m2
                    || apart(d1.map(i64::from), d2.map(i64::from))
            }
            _ => false,
        }
    }

    /// The day as written in reports: `2017-03-03`, `03-03` (no year),
    /// `2017-03` (no day), `tuesday`.
    pub fn render(&self) -> String {
        match *self {
            Day::Weekday(w) => WEEKDAYS[usize::from(w.clamp(1, 7)) - 1].to_string(),
            Day::Date { year, month, day } => match (year, day) {
                (Some(y), Some(d)) => format!("{y:04}-{month:02}-{d:02}"),
                (Some(y), None) => format!("{y:04}-{month:02}"),
                (None, Some(d)) => format!("{month:02}-{d:02}"),
                (None, None) => format!("{month:02}"),
            },
        }
    }
}

/// True when `text` has the shape of an ISO date, `YYYY-MM-DD`.
pub fn is_iso_shape(text: &[u8]) -> bool {
    text.len() == 10
        && text.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// True when two figures, each (given as an update of an earlier count?,
/// the day its sentence names), can count the same moment: neither is an
/// update ("the toll rose to 120" is a new count) and they name no
/// different days. Within an article and across a batch alike.
pub fn same_moment(a: (bool, Option<Day>), b: (bool, Option<Day>)) -> bool {
    !a.0 && !b.0 && !matches!((a.1, b.1), (Some(x), Some(y)) if x.differs(&y))
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The weekdays as the pattern matches them, Monday first.
const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Month names as news writes them, capitalised: "May" the month, not "may"
/// the modal, and only next to a day or a year.
const MONTH: &str = r"(?P<MONTH>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust|\.)?|Sept(?:ember|\.)?|Sep\.|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";

static DAY: LazyLock<Regex> = LazyLock::new(|| {
    let month = |n: &str| MONTH.replace("MONTH", n);
    let pattern = [
        // 2017-03-03
        r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})".to_string(),
        // March 3, 2017 / March 3 / Mar. 3rd
        format!(
            r"{}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?",
            month("m1")
        ),
        // 3 March 2017 / 3 March
        format!(
            r"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{}(?:,?\s+(?P<y2>\d{{4}}))?",
            month("m2")
        ),
        // May 2017
        format!(r"{},?\s+(?P<y3>\d{{4}})", month("m3")),
        r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)".to_string(),
    ]
    .map(|p| format!("(?-u:\\b)(?:{p})(?-u:\\b)"))
    .join("|");
    Regex::new(&pattern).expect("the date pattern compiles")
});

/// Every day named in `text`, in order.
pub fn find_days(text: &str) -> Vec<(Span, Day)> {
    let mut out = Vec::new();
    for whole in DAY.find_iter(text) {
        // A weekday is a match of its name alone, which no other form can
        // be: its groups need not be matched again (that costs several
        // times the search). The others are, from the match's start, which
        // finds that same match.
        if let Some(i) = WEEKDAY_NAMES.iter().position(|d| *d == whole.as_str()) {
            out.push((
                Span::new(whole.start(), whole.end()),
                Day::Weekday(i as u8 + 1),
            ));
            continue;
        }
        let Some(caps) = DAY.captures_at(text, whole.start()) else {
            continue;
        };
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
        let day = if let Some(w) = caps.name("wd") {
            let lower = w.as_str().to_ascii_lowercase();
            WEEKDAYS
                .iter()
                .position(|d| *d == lower)
                .map(|i| Day::Weekday(i as u8 + 1))
        } else if let Some(y) = num("iy") {
            date(Some(y), num("im"), num("id"))
        } else {
            let (m, d, y) = [("m1", "d1", "y1"), ("m2", "d2", "y2"), ("m3", "d3", "y3")]
                .iter()
                .find_map(|(m, d, y)| {
                    let m = caps.name(m)?;
                    Some((month_number(m.as_str()), num(d), num(y)))
                })
                .unwrap_or((None, None, None));
            date(y, m, d)
        };
        if let Some(day) = day {
            out.push((Span::new(whole.start(), whole.end()), day));
        }
    }
    out
}

/// A calendar date from its parts, when they can be one.
fn date(year: Option<i64>, month: Option<i64>, day: Option<i64>) -> Option<Day> {
    let month = month.filter(|m| (1..=12).contains(m))?;
    if day.is_some_and(|d| !(1..=31).contains(&d)) {
        return None;
    }
    Some(Day::Date {
        year: year.and_then(|y| i32::try_from(y).ok()),
        month: month as u8,
        day: day.map(|d| d as u8),
    })
}

fn month_number(name: &str) -> Option<i64> {
    let prefix: String = name
        .chars()
        .take(3)
        .collect::<String>()
        .to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as i64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(text: &str) -> Vec<String> {
        find_days(text).iter().map(|(_, d)| d.render()).collect()
    }

    #[test]
    fn dates_in_the_forms_news_writes_them() {
        let table = [
            ("The storm on March 3 killed 12.", vec!["03-03"]),
            ("It hit on March 3, 2017, at dawn.", vec!["2017-03-03"]),
            ("Filed Mar. 3rd with the court.", vec!["03-03"]),
            ("The vote on 3 March 2017 passed.", vec!["2017-03-03"]),
            ("Signed on the 14th of July.", vec!["07-14"]),
            ("The report (2017-03-09) says so.", vec!["2017-03-09"]),
            (
                "Prices rose in May 2017 and in Sept. 2018.",
                vec!["2017-05", "2018-09"],
            ),
            ("Police said on Tuesday that two died.", vec!["tuesday"]),
            (
                "Talks resume Dec. 1 and end Sunday.",
                vec!["12-01", "sunday"],
            ),
        ];
        for (text, want) in table {
            assert_eq!(days(text), want, "{text}");
        }
    }

    #[test]
    fn words_that_only_look_like_dates_are_not_days() {
        for text in [
            "Officials may 3 times a year review it.",
            "The march drew 3,000 people.",
            "Building 2017-B was closed.",
            "It happened on March 45.",
            "It happened in 2019.",
        ] {
            assert!(days(text).is_empty(), "{text}: {:?}", days(text));
        }
    }

    #[test]
    fn what_a_date_leaves_unsaid_is_compatible() {
        let d = |t: &str| find_days(t)[0].1;
        assert!(d("March 3").differs(&d("March 9")));
        assert!(d("March 3, 2017").differs(&d("March 3, 2018")));
        assert!(!d("March 3").differs(&d("March 3, 2017")));
        assert!(!d("May 2017").differs(&d("May 4, 2017")));
        assert!(d("Monday").differs(&d("Tuesday")));
        assert!(!d("Monday").differs(&d("March 3")));
    }
}
