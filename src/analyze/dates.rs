//! Days named in text: "March 3", "3 March 2017", "Mar. 3, 2017",
//! "2017-03-03", "in May 2017", "on Tuesday".
//!
//! A figure's day tells two reports of one count apart from counts of two
//! events: "the storm on March 3 killed 12" and "the storm on March 9 killed
//! 40" are not a conflict, nor are Monday's toll and Tuesday's. A day is
//! normalized to what the text says and no more: a date without a year stays
//! without one, and a weekday is only compared with a weekday.

use std::sync::LazyLock;

use regex_automata::{Anchored, Input, meta};

use super::anchored::{digits_capitals_and_non_ascii, is_word_byte, matches_at};
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

pub(crate) const WEEKDAYS: [&str; 7] = [
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

// `meta::Regex::new` compiles as `regex::Regex::new` does, and gives the
// anchored search `find_days` needs.
static DAY: LazyLock<meta::Regex> = LazyLock::new(|| {
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
    meta::Regex::new(&pattern).expect("the date pattern compiles")
});

/// True when `word` opens with the first three letters of a name that
/// [`MONTH`] or the weekday form matches, as written (the pattern is
/// case-sensitive).
fn opens_day_name(word: &[u8]) -> bool {
    matches!(
        word.get(..3),
        Some(
            b"Jan"
                | b"Feb"
                | b"Mar"
                | b"Apr"
                | b"May"
                | b"Jun"
                | b"Jul"
                | b"Aug"
                | b"Sep"
                | b"Oct"
                | b"Nov"
                | b"Dec"
                | b"Mon"
                | b"Tue"
                | b"Wed"
                | b"Thu"
                | b"Fri"
                | b"Sat"
                | b"Sun"
        )
    )
}

/// Every place a match of [`DAY`] can begin, ascending: each form opens
/// after a word boundary with a digit (`\d` is Unicode's: any numeral
/// is taken) or a month or weekday name.
fn day_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let boundary = |i: usize| i == 0 || !is_word_byte(bytes[i - 1]);
    let mut starts = Vec::new();
    digits_capitals_and_non_ascii(bytes, |i| {
        let b = bytes[i];
        let opens = if b.is_ascii_digit() {
            boundary(i)
        } else if b.is_ascii_uppercase() {
            boundary(i) && opens_day_name(&bytes[i..])
        } else if b == 0xE2 && bytes.get(i + 1) == Some(&0x80) {
            false // U+2000 to U+203F: spaces, dashes, quotation marks
        } else {
            text[i..].chars().next().is_some_and(char::is_numeric)
        };
        if opens {
            starts.push(i);
        }
    });
    starts
}

/// Every day named in `text`, in order.
pub fn find_days(text: &str) -> Vec<(Span, Day)> {
    let mut out = Vec::new();
    let mut caps = DAY.create_captures();
    for whole in matches_at(&DAY, text, &day_starts(text)) {
        let whole_text = &text[whole.start..whole.end];
        // A weekday is a match of its name alone, which no other form can
        // be: its groups need not be matched again (that costs several
        // times the search). The others are, anchored at the match's
        // start, which finds that same match.
        if let Some(i) = WEEKDAY_NAMES.iter().position(|d| *d == whole_text) {
            out.push((whole, Day::Weekday(i as u8 + 1)));
            continue;
        }
        let input = Input::new(text)
            .range(whole.start..)
            .anchored(Anchored::Yes);
        DAY.search_captures(&input, &mut caps);
        if !caps.is_match() {
            continue;
        }
        let group = |name: &str| caps.get_group_by_name(name).map(|s| &text[s.range()]);
        let num = |name: &str| group(name).and_then(|m| m.parse::<i64>().ok());
        let day = if let Some(w) = group("wd") {
            let lower = w.to_ascii_lowercase();
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
                    let m = group(m)?;
                    Some((month_number(m), num(d), num(y)))
                })
                .unwrap_or((None, None, None));
            date(y, m, d)
        };
        if let Some(day) = day {
            out.push((whole, day));
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

    /// Pieces of text where days begin, end or almost do.
    const PIECES: &[&str] = &[
        "March",
        "Mar.",
        "Jan",
        "January",
        "Sept.",
        "Sep.",
        "May",
        "may",
        "June",
        "Dec.",
        "Monday",
        "Sunday",
        "Mon",
        "MARCH",
        "xMay",
        "3",
        "14th",
        "31",
        "2017",
        "2017-03-03",
        "12-03",
        "\u{663}",
        "of",
        "the",
        "Building",
        "B",
        "_",
        " ",
        " ",
        "  ",
        ", ",
        ",",
        ".",
        "-",
        "\n",
        "\u{a0}",
        "\u{201c}",
        "\u{e9}",
        "a",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Trying the pattern only where a day can begin misses nothing:
        /// the matches are those of `find_iter` over the whole text.
        #[test]
        fn the_places_a_day_can_begin_are_all_tried(
            picks in proptest::collection::vec(0..PIECES.len(), 0..30)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let all: Vec<Span> = DAY
                .find_iter(&text)
                .map(|m| Span::new(m.start(), m.end()))
                .collect();
            proptest::prop_assert_eq!(matches_at(&DAY, &text, &day_starts(&text)), all, "{:?}", text);
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
