//! Quantities: numbers in text normalized to intervals with the thing counted.
//!
//! "at least 80 people" is 80..inf of "people"; "dozens" is 24..99; "$1.2
//! million" is money. Dates, times, years, ages and street numbers are not
//! quantities a claim rests on and are skipped. This module does not decide
//! what a quantity is about beyond the noun that follows it; predicates and
//! event keys are the caller's.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use regex_automata::{Anchored, Input, meta};

use crate::text::Span;

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    Money,
}

/// One quantity found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte span of the whole phrase, modifier included ("at least 80").
    pub span: Span,
    pub low: f64,
    pub high: f64,
    pub unit: Unit,
    /// The counted noun that follows, lowercased and singular ("home"); empty if none.
    pub thing: String,
    /// A small number written as a word ("two men"): weak evidence of a claim.
    pub small_word: bool,
}

/// Units of time: "for more than 60 years" is background, not a statistic.
const DURATIONS: &[&str] = &[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "decade",
    "century",
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "decades",
    "centuries",
];

impl Quantity {
    /// True when the figure is the kind of number a claim rests on: not a
    /// small written number and not a span of time.
    pub fn is_statistic(&self) -> bool {
        !self.small_word && !DURATIONS.contains(&self.thing.as_str())
    }
}

/// True when two intervals (low, high) are apart by more than `tolerance`
/// of the larger low end: figures within an article and across a batch are
/// judged by this one test.
pub fn intervals_conflict(a: (f64, f64), b: (f64, f64), tolerance: f64) -> bool {
    let gap = if a.1 < b.0 {
        b.0 - a.1
    } else if b.1 < a.0 {
        a.0 - b.1
    } else {
        return false;
    };
    gap > tolerance * a.0.max(b.0).abs().max(1e-9)
}

impl Quantity {
    /// True when the two intervals are apart by more than `tolerance` of
    /// the larger value: 84 and 92 conflict at 0.05, "about 200" and 210 do
    /// not (the approximator already widened the first to 180..220).
    pub fn conflicts_with(&self, other: &Quantity, tolerance: f64) -> bool {
        self.unit == other.unit
            && intervals_conflict((self.low, self.high), (other.low, other.high), tolerance)
    }

    /// The value as a person would write it: `40`, `24..99`, `80+`, `<=50`.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        // Written into one String: no String for each number and part.
        let mut out = String::new();
        let n = |out: &mut String, v: f64| {
            // Modifiers multiply: 200 * 1.1 is 220.00000000000003, shown as 220.
            let v = if v.abs() < 1e12 {
                (v * 1e6).round() / 1e6
            } else {
                v
            };
            // Writing into a String cannot fail.
            let _ = if v.fract() == 0.0 && v.abs() < 1e15 {
                write!(out, "{}", v as i64)
            } else {
                write!(out, "{v}")
            };
        };
        if self.high.is_infinite() {
            n(&mut out, self.low);
            out.push('+');
        } else if self.low == 0.0 && self.high > 0.0 {
            out.push_str("<=");
            n(&mut out, self.high);
        } else if self.low == self.high {
            n(&mut out, self.low);
        } else {
            n(&mut out, self.low);
            out.push_str("..");
            n(&mut out, self.high);
        }
        out.push_str(match self.unit {
            Unit::Count => "",
            Unit::Percent => "%",
            Unit::Money => " (money)",
        });
        out
    }
}

const MODIFIERS: &str = r"at\s+least|more\s+than|over|fewer\s+than|less\s+than|under|nearly|almost|about|around|roughly|approximately|some|up\s+to|as\s+many\s+as|an\s+estimated|estimated|at\s+most|no\s+more\s+than|no\s+fewer\s+than|close\s+to|between";

const WORD_NUMBERS: &str = r"(?:tens|hundreds)\s+of\s+thousands|hundreds|thousands|millions|dozens|scores|two\s+dozen|three\s+dozen|a\s+dozen|a\s+hundred|one\s+hundred|a\s+thousand|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";

// Digits are ASCII (`[0-9]`): a figure is parsed from ASCII digits only, and
// Unicode `\d` (every script's digits) gave the DFA many more states to build.
// `meta::Regex::new` compiles as `regex::Regex::new` does, and gives the
// anchored search over a match's span that its groups need.
static QUANTITY: LazyLock<meta::Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?i)(?:(?-u:\b)(?P<modifier>{MODIFIERS})\s+)?(?P<currency>\$|US\$|£|€)?(?P<number>(?-u:\b)[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|(?-u:\b)[0-9]+(?:\.[0-9]+)?(?-u:\b)|(?-u:\b)(?:{WORD_NUMBERS})(?-u:\b))(?:\s*(?P<scale>thousand|million|billion|trillion)(?-u:\b))?(?:\s*(?P<percent>%|percent(?-u:\b)|per\s+cent(?-u:\b)))?(?:\s*(?:-|–|to|and)\s*(?P<currency2>\$|£|€)?(?P<number2>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?-u:\b)(?:\s*(?P<scale2>thousand|million|billion|trillion)(?-u:\b))?(?:\s*(?:%|percent|per\s+cent))?)?"
    );
    // No prefilter: nearly every word of prose could open a match, so
    // one only costs time.
    meta::Builder::new()
        .configure(meta::Config::new().auto_prefilter(false))
        .build(&pattern)
        .expect("the quantity pattern is a constant and compiles")
});

/// Words that, before a number, make it a label rather than a count.
const LABELS: &[&str] = &[
    "no",
    "no.",
    "route",
    "highway",
    "interstate",
    "room",
    "section",
    "article",
    "chapter",
    "page",
    "flight",
    "district",
    "ward",
    "precinct",
    "unit",
    "apartment",
    "suite",
    "building",
    "gate",
    "platform",
    "line",
    "bus",
    "grade",
    "class",
    "level",
    "phase",
    "version",
    "episode",
    "season",
    "week",
    "day",
    "year",
    "number",
    "pier",
    "dock",
    "lot",
    "block",
    "channel",
    "type",
];

pub(crate) const MONTHS: &[&str] = &[
    "jan",
    "jan.",
    "january",
    "feb",
    "feb.",
    "february",
    "mar",
    "mar.",
    "march",
    "apr",
    "apr.",
    "april",
    "may",
    "june",
    "jun",
    "jun.",
    "july",
    "jul",
    "jul.",
    "aug",
    "aug.",
    "august",
    "sept",
    "sept.",
    "sep.",
    "september",
    "oct",
    "oct.",
    "october",
    "nov",
    "nov.",
    "november",
    "dec",
    "dec.",
    "december",
];

/// Words after a number that make it a time or a date, not a count.
const TIME_WORDS: &[&str] = &[
    "a.m.", "p.m.", "am", "pm", "o'clock", "gmt", "utc", "bst", "est", "edt", "pst", "pdt",
];

/// Finds every quantity in `text`.
pub fn find_quantities(text: &str) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut caps = QUANTITY.create_captures();
    for whole in QUANTITY.find_iter(text) {
        let whole = Span::new(whole.start(), whole.end());
        let whole_text = &text[whole.start..whole.end];
        // A match of digits alone (commas and stops included) or of letters
        // alone is a bare number: every other group needs a space, a sign
        // or a word around it. So are digits after a currency sign, or
        // before a per cent sign, with those signs for groups: nothing else
        // can match them. Only the others are matched again for their
        // groups, which costs several times the search itself. The search
        // runs anchored over the match's span alone, and finds that same
        // match: look-around still sees the bytes around the span, and any
        // way of matching that the span cuts short is one leftmost-first
        // ranked below the match, which ends there.
        let shape = plain_shape(whole_text);
        let groups = shape.is_none() && {
            let input = Input::new(text)
                .range(whole.start..whole.end)
                .anchored(Anchored::Yes);
            QUANTITY.search_captures(&input, &mut caps);
            caps.is_match()
        };
        let group = |name: &str| -> Option<Span> {
            if let Some(shape) = &shape {
                let span = match name {
                    "number" => Some(&shape.number),
                    "modifier" => shape.modifier.as_ref(),
                    "currency" => shape.currency.as_ref(),
                    "percent" => shape.percent.as_ref(),
                    "number2" => shape.number2.as_ref(),
                    "scale" => shape.scale.as_ref(),
                    _ => None,
                }?;
                return Some(Span::new(whole.start + span.start, whole.start + span.end));
            }
            if !groups {
                return None;
            }
            let span = caps.get_group_by_name(name)?;
            Some(Span::new(span.start, span.end))
        };
        let Some(number) = group("number") else {
            continue;
        };
        let before = &text[..whole.start];
        let after = &text[whole.end..];
        let raw = text[number.start..number.end].to_ascii_lowercase();
        let is_digit = raw.starts_with(|c: char| c.is_ascii_digit());
        let has_currency = group("currency").is_some();
        let has_percent = group("percent").is_some();
        let has_scale = group("scale").is_some();
        let next_word = first_word(after);
        let prev_word = last_word(before);

        if is_digit && in_iso_date(text, number.start) {
            continue; // "a report dated 2026-02-15"
        }
        if is_digit && !has_currency && !has_percent && !has_scale {
            if is_label(prev_word, before) || is_date_or_time(&raw, prev_word, next_word, after) {
                continue;
            }
            if alone_on_line(before, after) || is_dimension(after) {
                continue;
            }
        }
        if !has_currency && !has_percent && !has_scale && is_age(before, after) {
            continue; // "52-year-old", "a ninety-six-year-old veteran"
        }
        if is_digit && is_code_or_counter(text, number.start, number.end) {
            continue;
        }
        // "one" is a pronoun far more often than a count; it is not listed.
        let Some(base) = parse_number(&raw) else {
            continue;
        };
        let scale = group("scale").map_or(1.0, |m| {
            scale_of(&text[m.start..m.end].to_ascii_lowercase())
        });
        let (mut low, mut high) = vague_range(&raw).unwrap_or((base, base));
        low *= scale;
        high *= scale;
        if let Some(n2) = group("number2")
            && let Some(v2) = parse_number(&text[n2.start..n2.end].to_ascii_lowercase())
        {
            let s2 = group("scale2").map_or(scale, |m| {
                scale_of(&text[m.start..m.end].to_ascii_lowercase())
            });
            let v2 = v2 * s2;
            if v2 >= high {
                high = v2;
            }
        }
        if let Some(m) = group("modifier") {
            let modifier = text[m.start..m.end].to_ascii_lowercase();
            let modifier = modifier.split_whitespace().collect::<Vec<_>>().join(" ");
            (low, high) = apply_modifier(&modifier, low, high);
        }
        let unit = if has_percent {
            Unit::Percent
        } else if has_currency || next_word.is_some_and(is_currency_word) {
            Unit::Money
        } else {
            Unit::Count
        };
        let small_word = !is_digit && high < 10.0 && vague_range(&raw).is_none();
        out.push(Quantity {
            span: whole,
            low,
            high,
            unit,
            thing: counted_thing(after),
            small_word,
        });
    }
    out
}

/// The words of each of [`MODIFIERS`].
static MODIFIER_WORDS: LazyLock<Vec<Vec<&str>>> = LazyLock::new(|| {
    MODIFIERS
        .split('|')
        .map(|m| m.split(r"\s+").collect())
        .collect()
});

/// The groups of a match of [`QUANTITY`] that has one of the few shapes
/// only they can match, as ranges of the match.
#[derive(Debug, PartialEq)]
struct Shape {
    modifier: Option<Range<usize>>,
    currency: Option<Range<usize>>,
    number: Range<usize>,
    percent: Option<Range<usize>>,
    scale: Option<Range<usize>>,
    number2: Option<Range<usize>>,
}

/// The groups of a match that is a bare number (digits with their commas
/// and stops, or letters alone), or digits with a currency sign before
/// them or a per cent sign after them, with or without a modifier of
/// words and ASCII spaces before them ("about $5", "at least 40%"): no
/// other group can match any part of such a match. `None` for any other.
fn plain_shape(whole: &str) -> Option<Shape> {
    let figure = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    };
    let bare = |range: Range<usize>| Shape {
        modifier: None,
        currency: None,
        number: range,
        percent: None,
        scale: None,
        number2: None,
    };
    if figure(whole) || whole.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Some(bare(0..whole.len()));
    }
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    // Two figures joined by a hyphen, "to" or "and": a range, "5-10".
    let first = whole
        .bytes()
        .take_while(|&b| b.is_ascii_digit() || b == b',' || b == b'.');
    let first = first.count();
    let rest = whole[first..].trim_start_matches(|c: char| c.is_ascii() && space(c as u8));
    let second = ["-", "to", "and"].iter().find_map(|join| {
        let head = rest.get(..join.len())?;
        head.eq_ignore_ascii_case(join).then(|| {
            rest[join.len()..].trim_start_matches(|c: char| c.is_ascii() && space(c as u8))
        })
    });
    if let Some(second) = second
        && first > 0
        && figure(second)
    {
        return Some(Shape {
            number2: Some(whole.len() - second.len()..whole.len()),
            ..bare(0..first)
        });
    }
    // A bare figure and a scale or a per cent: "5 million", "5 per cent".
    if first > 0 {
        let tail = Some(whole.len() - rest.len()..whole.len());
        let is = |word: &str| rest.eq_ignore_ascii_case(word);
        if ["thousand", "million", "billion", "trillion"]
            .into_iter()
            .any(is)
        {
            return Some(Shape {
                scale: tail,
                ..bare(0..first)
            });
        }
        let per_cent = rest
            .get(..3)
            .is_some_and(|per| per.eq_ignore_ascii_case("per"))
            && {
                let cent = rest[3..].trim_start_matches(|c: char| c.is_ascii() && space(c as u8));
                cent.len() < rest.len() - 3 && cent.eq_ignore_ascii_case("cent")
            };
        if per_cent || ["%", "percent"].into_iter().any(is) {
            return Some(Shape {
                percent: tail,
                ..bare(0..first)
            });
        }
    }
    // After the last white space, the figure and its signs; before it,
    // the modifier, which only white space can part from them.
    let bytes = whole.as_bytes();
    let (modifier, at) = match bytes.iter().rposition(|&b| space(b)) {
        Some(last) => {
            let end = bytes[..last].iter().rposition(|&b| !space(b))? + 1;
            (Some(0..end), last + 1)
        }
        None => (None, 0),
    };
    let tail = &whole[at..];
    let (sign, tail) = ["$", "\u{a3}", "\u{20ac}"]
        .iter()
        .find_map(|sign| Some((sign.len(), tail.strip_prefix(sign)?)))
        .unwrap_or((0, tail));
    let (digits, percent) = match tail.strip_suffix('%') {
        Some(digits) => (digits, 1),
        None => (tail, 0),
    };
    if !figure(digits) || (modifier.is_none() && sign + percent == 0) {
        return None;
    }
    // Only one of the modifiers: "between two and 15" is a range.
    if let Some(words) = &modifier {
        let words = &whole[words.clone()];
        let same = |modifier: &Vec<&str>| {
            let mut ours = words.split_ascii_whitespace();
            modifier
                .iter()
                .all(|w| ours.next().is_some_and(|o| o.eq_ignore_ascii_case(w)))
                && ours.next().is_none()
        };
        if !MODIFIER_WORDS.iter().any(same) {
            return None;
        }
    }
    let number = at + sign..at + sign + digits.len();
    Some(Shape {
        modifier,
        currency: (sign > 0).then(|| at..at + sign),
        percent: (percent > 0).then(|| number.end..number.end + 1),
        number,
        scale: None,
        number2: None,
    })
}

fn first_word(text: &str) -> Option<&str> {
    text.split_whitespace().next()
}

fn last_word(text: &str) -> Option<&str> {
    text.split_whitespace().next_back()
}

/// Words that make the number after them a label only when capitalised:
/// "Proposition 8", "House Bill 1523", "Title 42", "the S&P 500" name
/// things, while "the measure 60 percent backed" would not.
const CAPITALISED_LABELS: &[&str] = &[
    "Bill",
    "Proposition",
    "Prop",
    "Amendment",
    "Title",
    "Form",
    "Resolution",
    "Measure",
    "Initiative",
    "Question",
    "Category",
    "Exit",
    "Terminal",
    "Local",
    "Fortune",
    "S&P",
];

fn is_label(prev: Option<&str>, before: &str) -> bool {
    if before.ends_with('#') {
        return true;
    }
    prev.is_some_and(|w| {
        CAPITALISED_LABELS.contains(&w) || LABELS.contains(&w.to_ascii_lowercase().as_str())
    })
}

/// A number alone on its line is a list item's number ("5" above an item
/// of a listicle), not a count.
fn alone_on_line(before: &str, after: &str) -> bool {
    let (line_before, line_after) = match (before.rsplit_once('\n'), after.split_once('\n')) {
        (None, None) => return false,
        (b, a) => (b.map_or(before, |(_, l)| l), a.map_or(after, |(l, _)| l)),
    };
    line_before.trim().is_empty()
        && line_after
            .trim_matches(|c: char| c.is_whitespace() || c == '.')
            .is_empty()
}

/// True when the digits at `at` are part of an ISO date (`2026-02-15`):
/// the run of digits and hyphens around them has that shape.
fn in_iso_date(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let part = |b: &u8| b.is_ascii_digit() || *b == b'-';
    let start = bytes[..at]
        .iter()
        .rposition(|b| !part(b))
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|b| !part(b))
        .map_or(bytes.len(), |i| at + i);
    super::dates::is_iso_shape(text[start..end].trim_matches('-').as_bytes())
}

fn is_date_or_time(raw: &str, prev: Option<&str>, next: Option<&str>, after: &str) -> bool {
    let prev_lower = prev.map(|w| w.trim_matches(',').to_ascii_lowercase());
    if prev_lower.as_deref().is_some_and(|w| MONTHS.contains(&w)) {
        return true; // "Jan. 5", "March 3"
    }
    if next.is_some_and(|w| {
        let w = w.trim_end_matches([',', '.', ';']).to_ascii_lowercase();
        MONTHS.contains(&w.as_str())
            || TIME_WORDS.contains(&w.as_str())
            || TIME_WORDS
                .iter()
                .any(|t| t.strip_suffix('.') == Some(w.as_str()))
    }) {
        return true; // "5 March", "3 p.m."
    }
    if after.starts_with(':') || after.starts_with("s ") || after.starts_with("s,") {
        return true; // "10:30", "1990s"
    }
    // A four-digit number in the range of years, not followed by a plural
    // noun, is a year: "in 2019", "the 2024 budget". Some plurals take a
    // year as the baseline they are measured against: "below 2005 levels",
    // "in 2015 dollars".
    if raw.len() == 4
        && !raw.contains([',', '.'])
        && let Ok(v) = raw.parse::<u32>()
        && (1800..=2100).contains(&v)
    {
        let plural = next.is_some_and(|w| {
            let w = w.trim_end_matches([',', '.', ';']);
            w.len() > 3
                && w.ends_with('s')
                && w.chars().all(|c| c.is_ascii_lowercase())
                && !["levels", "dollars", "prices"].contains(&w)
        });
        return !plural;
    }
    false
}

/// Digits that name something or belong to the page rather than count
/// anything: a designation joined to letters ("AR-15", "I-95", "COVID-19"),
/// digits joined by a slash ("9/11", "24/7", "5/17/17": days, events,
/// idioms), the minutes of a duration or clock ("02:46"), a telephone number
/// ("(785) 273-0329"), a licence version ("CC BY-SA 3.0") and a web page's
/// share counter ("12.4k SHARES", "80510 SHARES Facebook Twitter"), which
/// counts clicks on the page, not anything the story reports.
fn is_code_or_counter(text: &str, start: usize, end: usize) -> bool {
    let token_start = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let token_end = text[end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| end + i);
    let token = &text[token_start..token_end];
    let lead = &text[token_start..start];
    let tail = &text[end..token_end];
    // "AR-15", "I-95": letters, a hyphen, then the digits.
    if let Some(stem) = lead.strip_suffix('-')
        && stem.chars().last().is_some_and(char::is_alphabetic)
    {
        return true;
    }
    // "401(k)": a plan or clause named by a number and a letter.
    if tail.len() >= 3
        && tail.as_bytes()[0] == b'('
        && tail.as_bytes()[2] == b')'
        && tail.as_bytes()[1].is_ascii_lowercase()
    {
        return true;
    }
    // "9/11", "24/7": a slash right before or after the digits.
    if (lead.ends_with('/')
        && lead.len() > 1
        && lead[..lead.len() - 1].ends_with(|c: char| c.is_ascii_digit()))
        || (tail.starts_with('/') && tail[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    // "02:46": minutes after a colon.
    if let Some(stem) = lead.strip_suffix(':')
        && stem.ends_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    // "(785) 273-0329": an area code in brackets, or the number after it.
    if PHONE.is_match(token)
        || PHONE_AREA.is_match(&text[..token_start]) && PHONE_LOCAL.is_match(token)
    {
        return true;
    }
    // "CC BY 2.0", "CC BY-SA 3.0": a Creative Commons licence version.
    if CC_LICENCE.is_match(&text[..token_start]) {
        return true;
    }
    // "(888) 274-6372" without the brackets: "888-274-6372".
    if PHONE_FULL.is_match(token.trim_matches(|c: char| !c.is_ascii_digit())) {
        return true;
    }
    // "the crash of \u{2019}08": a year cut to two digits.
    // A straight apostrophe also opens a quotation ("'10 percent are
    // late,' she said"): it cuts a year only after a word that takes one.
    let year_word = text[..token_start]
        .split_whitespace()
        .next_back()
        .is_some_and(|w| {
            ["of", "in", "since", "until", "class"]
                .iter()
                .any(|y| w.eq_ignore_ascii_case(y))
        });
    if (lead == "\u{2019}" || (lead == "'" && year_word)) && end - start == 2 {
        return true;
    }
    let next_word = text[token_end..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    // "several 911 calls": the emergency number; "529 plans": the college
    // savings plans named after their section of the tax code.
    let next_is = |words: &[&str]| {
        let w = next_word.trim_end_matches([',', '.', ';']);
        words.iter().any(|x| w.eq_ignore_ascii_case(x))
    };
    match &text[start..end] {
        "911" if next_is(&["call", "calls", "dispatcher", "operator", "center"]) => return true,
        "529" if next_is(&["plan", "plans", "account", "accounts", "college", "savings"]) => {
            return true;
        }
        _ => {}
    }
    // "FOX 5 DC", "KTLA 5's": a station or channel named by its call letters
    // and a number. A run of capitals before them is a headline in capitals
    // ("INFECTING 240 MEN"), which counts.
    let mut words_before = text[..token_start].split_whitespace().rev();
    let caps = |w: &str| (2..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase());
    if lead.is_empty()
        && !tail.contains(',')
        && words_before.next().is_some_and(caps)
        && words_before
            .next()
            .is_some_and(|w| w.bytes().any(|b| b.is_ascii_lowercase()))
        && (tail.starts_with(['\'', '\u{2019}'])
            || next_word.starts_with(|c: char| c.is_ascii_uppercase()))
    {
        return true;
    }
    // "12.4k SHARES", "80510 SHARES": a share counter.
    let next = text[token_end..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    let shares = next.trim_end_matches([',', '.', ':', '|']);
    // Stock is counted in shares too ("Company Sells 500 Shares"): only the
    // counter's capitals or its shorthand ("12.4k") mark it.
    shares == "SHARES"
        || (shares.eq_ignore_ascii_case("shares") && tail.ends_with(['k', 'K', 'm', 'M']))
}

static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(\d{3}\)$").expect("the phone pattern compiles"));
static PHONE_AREA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\d{3}\)\s*$").expect("the phone pattern compiles"));
static PHONE_LOCAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{3}-\d{4}[.,;)]?$").expect("the phone pattern compiles"));
static PHONE_FULL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{3}-\d{3}-\d{4}$").expect("the phone pattern compiles"));
static CC_LICENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bCC\s+BY(?:-(?:SA|NC|ND))*\s*$").expect("the licence pattern compiles")
});

/// "a 30-foot monument", "a 100-page report", "the 11-term congressman": a
/// size or a tenure joined to its noun describes the thing; it counts
/// nothing the story claims. A margin ("a 5-point lead") is not among them.
fn is_dimension(after: &str) -> bool {
    const UNITS: &[&str] = &[
        "foot", "feet", "inch", "mile", "yard", "meter", "metre", "acre", "page", "story",
        "storey", "term",
    ];
    after.strip_prefix('-').is_some_and(|rest| {
        let unit = rest
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or_default();
        UNITS.iter().any(|u| u.eq_ignore_ascii_case(unit))
    })
}

/// "52-year-old", "aged 52", "Ortiz, 52," are ages, not claims.
fn is_age(before: &str, after: &str) -> bool {
    let a = after.trim_start();
    if a.starts_with("-year") || a.starts_with("year-old") || a.starts_with("years old") {
        return true;
    }
    let b = before.trim_end();
    let prev = b
        .split_whitespace()
        .next_back()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if matches!(prev.as_str(), "aged" | "age" | "ages") {
        return true;
    }
    // "died at 43": the age at death.
    if prev == "at" {
        let verb = b[..b.len() - 2].split_whitespace().next_back();
        if verb.is_some_and(|w| matches!(w, "died" | "dies" | "dead" | "death")) {
            return true;
        }
    }
    // "Name, 52," : a comma on both sides right after a capitalised word.
    if b.ends_with(',') && (a.starts_with(',') || a.starts_with(')')) {
        let name = b.trim_end_matches(',').split_whitespace().next_back();
        return name.is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()));
    }
    false
}

fn is_currency_word(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.', ';']).to_ascii_lowercase();
    matches!(
        w.as_str(),
        "dollars"
            | "euros"
            | "pounds"
            | "yen"
            | "rupees"
            | "francs"
            | "pesos"
            | "usd"
            | "eur"
            | "gbp"
    )
}

fn scale_of(word: &str) -> f64 {
    match word {
        "thousand" => 1e3,
        "million" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        _ => 1.0,
    }
}

/// Intervals for vague magnitudes. "dozens" is 24..99: two dozen is the
/// least that is "dozens", a hundred is where "hundreds" takes over.
fn vague_range(raw: &str) -> Option<(f64, f64)> {
    // Every vague magnitude is letters: a figure in digits is none, and
    // costs no spacing copy.
    if raw.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match raw.as_str() {
        "dozens" => (24.0, 99.0),
        "scores" => (40.0, 199.0),
        "hundreds" => (200.0, 999.0),
        "thousands" => (2_000.0, 9_999.0),
        "tens of thousands" => (20_000.0, 99_999.0),
        "hundreds of thousands" => (200_000.0, 999_999.0),
        "millions" => (2e6, 999e6),
        _ => return None,
    })
}

fn parse_number(raw: &str) -> Option<f64> {
    // Digits hold no space ("1,240.5"): parsed without the spacing copy.
    if raw.starts_with(|c: char| c.is_ascii_digit()) && !raw.contains(char::is_whitespace) {
        return raw
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite());
    }
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if raw.starts_with(|c: char| c.is_ascii_digit()) {
        return raw
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite());
    }
    if let Some((lo, _)) = vague_range(&raw) {
        return Some(lo);
    }
    let unit = |w: &str| -> Option<f64> {
        Some(match w {
            // Only as the last part of a compound: "twenty-one".
            "one" => 1.0,
            "two" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "seven" => 7.0,
            "eight" => 8.0,
            "nine" => 9.0,
            "ten" => 10.0,
            "eleven" => 11.0,
            "twelve" => 12.0,
            "thirteen" => 13.0,
            "fourteen" => 14.0,
            "fifteen" => 15.0,
            "sixteen" => 16.0,
            "seventeen" => 17.0,
            "eighteen" => 18.0,
            "nineteen" => 19.0,
            "twenty" => 20.0,
            "thirty" => 30.0,
            "forty" => 40.0,
            "fifty" => 50.0,
            "sixty" => 60.0,
            "seventy" => 70.0,
            "eighty" => 80.0,
            "ninety" => 90.0,
            _ => return None,
        })
    };
    match raw.as_str() {
        "a dozen" => return Some(12.0),
        "two dozen" => return Some(24.0),
        "three dozen" => return Some(36.0),
        "a hundred" | "one hundred" => return Some(100.0),
        "a thousand" => return Some(1000.0),
        _ => {}
    }
    let mut total = 0.0;
    for part in raw.split(['-', ' ']) {
        if part.is_empty() {
            continue;
        }
        total += unit(part)?;
    }
    Some(total)
}

fn apply_modifier(modifier: &str, low: f64, high: f64) -> (f64, f64) {
    match modifier {
        "at least" | "more than" | "over" | "no fewer than" => (low, f64::INFINITY),
        "fewer than" | "less than" | "under" | "up to" | "at most" | "no more than"
        | "as many as" => (0.0, high),
        "nearly" | "almost" | "close to" => (low * 0.9, high),
        "about" | "around" | "roughly" | "approximately" | "some" | "an estimated"
        | "estimated" => (low * 0.9, high * 1.1),
        _ => (low, high),
    }
}

/// Words between a number and its noun that do not change what is counted.
const SKIP_BEFORE_THING: &[&str] = &[
    "of",
    "more",
    "other",
    "additional",
    "new",
    "the",
    "more than",
    "people's",
    "local",
    "mostly",
    "mainly",
    "young",
    "old",
    "small",
    "large",
    "mobile",
    "separate",
];

/// Words that follow a number without naming what it counts: "$10 million
/// in revenue" says nothing about the revenue being the same elsewhere.
const NOT_THINGS: &[&str] = &[
    "in", "for", "to", "a", "an", "per", "on", "at", "by", "with", "from", "and", "or", "but",
    "last", "this", "each", "over", "under", "since", "that", "which", "who", "is", "was", "were",
    "are", "has", "have", "had", "will", "would", "more", "less", "than", "as", "a.m", "p.m",
];

/// Words that all count people.
const PEOPLE: &[&str] = &[
    "people",
    "person",
    "persons",
    "civilian",
    "civilians",
    "resident",
    "residents",
    "victim",
    "victims",
    "passenger",
    "passengers",
    "individual",
    "individuals",
];

/// The counted noun after a number: "40 homes" -> "home", "dozens of people"
/// -> "people". Empty when the number stands alone.
fn counted_thing(after: &str) -> String {
    for word in after.split_whitespace().take(3) {
        let w = word
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .to_ascii_lowercase();
        if w.is_empty() {
            return String::new();
        }
        if SKIP_BEFORE_THING.contains(&w.as_str()) {
            continue;
        }
        if !w.chars().all(|c| c.is_ascii_alphabetic()) || NOT_THINGS.contains(&w.as_str()) {
            return String::new();
        }
        if PEOPLE.contains(&w.as_str()) {
            return "people".into();
        }
        // "families" is "family", "homes" is "home".
        if let Some(stem) = w
            .strip_suffix("ies")
            .filter(|s| s.len() > 2 && !matches!(w.as_str(), "series" | "species"))
        {
            return format!("{stem}y");
        }
        let singular = w.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(&w);
        return singular.to_string();
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_render_as_a_person_writes_them() {
        let q = |low: f64, high: f64, unit: Unit| Quantity {
            span: Span::new(0, 0),
            low,
            high,
            unit,
            thing: String::new(),
            small_word: false,
        };
        for (quantity, want) in [
            (q(80.0, f64::INFINITY, Unit::Count), "80+"),
            (q(0.0, 50.0, Unit::Percent), "<=50%"),
            (q(1.5, 1.5, Unit::Money), "1.5 (money)"),
            (q(200.0 * 1.1, 200.0 * 1.1, Unit::Count), "220"),
            (q(2.5, 2e15, Unit::Count), "2.5..2000000000000000"),
            (q(-3.0, 4.25, Unit::Percent), "-3..4.25%"),
        ] {
            assert_eq!(quantity.render(), want);
        }
    }

    fn one(text: &str) -> Quantity {
        let found = find_quantities(text);
        assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn digits_with_separators_and_things() {
        let q = one("The storm damaged roughly 3,000 homes.");
        assert_eq!((q.low, q.thing.as_str()), (2700.0, "home"));
        let q = one("The fire destroyed 1,240 homes.");
        assert_eq!((q.low, q.high, q.thing.as_str()), (1240.0, 1240.0, "home"));
    }

    #[test]
    fn modifiers_give_intervals() {
        let q = one("at least 80 people died");
        assert_eq!(
            (q.low, q.high.is_infinite(), q.thing.as_str()),
            (80.0, true, "people")
        );
        let q = one("up to 50 workers");
        assert_eq!((q.low, q.high), (0.0, 50.0));
        let q = one("about 200 homes");
        assert!((q.low - 180.0).abs() < 1e-9 && (q.high - 220.0).abs() < 1e-9);
    }

    #[test]
    fn vague_magnitudes() {
        assert_eq!(one("killed dozens of people").render(), "24..99");
        assert_eq!(one("killed hundreds of people").render(), "200..999");
        assert_eq!(
            one("tens of thousands of residents").render(),
            "20000..99999"
        );
        assert_eq!(one("two dozen officers").render(), "24");
        assert_eq!(one("eighty-six passengers").render(), "86");
    }

    #[test]
    fn money_percent_and_scale() {
        let q = one("The bridge cost $1.2 million to repair.");
        assert_eq!((q.low, q.unit), (1_200_000.0, Unit::Money));
        let q = one("Turnout rose by 3.5 percent.");
        assert_eq!((q.low, q.unit), (3.5, Unit::Percent));
    }

    #[test]
    fn ranges() {
        assert_eq!(one("between 70 and 80 people").render(), "70..80");
        assert_eq!(one("70-80 people").render(), "70..80");
    }

    /// One table of the phrasings news uses, each with the interval, unit
    /// and counted thing it must normalize to.
    #[test]
    fn a_broad_table_of_phrasings() {
        let table: &[(&str, &str, &str)] = &[
            // (text, rendered interval, counted thing)
            ("killed 14 people", "14", "people"),
            ("killed 1,240 residents", "1240", "people"),
            ("a toll of 3.5 million voters", "3500000", "voter"),
            ("eighty-six passengers", "86", "people"),
            ("twenty one workers", "21", "worker"),
            ("two dozen officers", "24", "officer"),
            ("a dozen homes", "12", "home"),
            ("dozens of families", "24..99", "family"),
            ("scores of protesters", "40..199", "protester"),
            ("hundreds of people", "200..999", "people"),
            ("thousands of homes", "2000..9999", "home"),
            ("tens of thousands of residents", "20000..99999", "people"),
            (
                "hundreds of thousands of refugees",
                "200000..999999",
                "refugee",
            ),
            ("at least 80 people", "80+", "people"),
            ("more than 60 people", "60+", "people"),
            ("over 300 homes", "300+", "home"),
            ("no fewer than 12 ships", "12+", "ship"),
            ("fewer than 50 patients", "<=50", "patient"),
            ("up to 50 workers", "<=50", "worker"),
            ("as many as 200 homes", "<=200", "home"),
            ("no more than 9 boats", "<=9", "boat"),
            ("nearly 100 cars", "90..100", "car"),
            ("won by 2030 votes", "2030", "vote"),
            ("a 5-point lead", "5", "point"),
            ("almost 40 trucks", "36..40", "truck"),
            ("about 200 homes", "180..220", "home"),
            ("roughly 3,000 homes", "2700..3300", "home"),
            ("an estimated 500 cattle", "450..550", "cattle"),
            ("between 70 and 80 people", "70..80", "people"),
            ("70-80 people", "70..80", "people"),
            ("70 to 80 people", "70..80", "people"),
            ("12% of voters", "12%", "voter"),
            ("3.5 percent of the budget", "3.5%", "budget"),
            ("$1.2 million", "1200000 (money)", ""),
            ("$48.6 million budget", "48600000 (money)", "budget"),
            ("£300,000 in fines", "300000 (money)", ""),
        ];
        let mut wrong = Vec::new();
        for (text, want, thing) in table {
            let found = find_quantities(text);
            let got = found
                .first()
                .map(|q| (q.render(), q.thing.clone()))
                .unwrap_or_default();
            if found.len() != 1 || got.0 != *want || got.1 != *thing {
                wrong.push(format!(
                    "{text:?}: got {got:?} of {} figures, want ({want}, {thing})",
                    found.len()
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn dates_times_ages_labels_are_not_quantities() {
        for text in [
            "The council met on Jan. 5 to vote.",
            "It happened in 2019 at the port.",
            "The meeting starts at 3 p.m. sharp.",
            "Ortiz, 52, has led the city since the storm.",
            "A 34-year-old man was detained.",
            "The crash closed Route 9 overnight.",
            "They met on 5 March in the capital.",
            "The report dated 2026-02-15 was filed.",
            "On 2026-02-15, the ferry sank.",
            "It was a hit in the 1990s across the country.",
            "Officers found an AR-15 rifle in the car.",
            "The attacks of 9/11 changed the airport.",
            "The hotline is open 24/7 for residents.",
            "Call the hotline at (785) 273-0329 for details.",
            "Photo by Ana Ruiz / CC BY-SA 3.0 / cropped",
            "12.4k SHARES Share Tweet",
            "80510 SHARES Facebook Twitter",
            "Watch the interview 02:46",
            "Voters passed Proposition 8 and House Bill 1523 that year.",
            "The S&P 500 closed higher on the news.",
            "Savers moved money out of their 401(k) plans.",
            "Her brother died at 43, far from the harbour.",
            "Songs about the sea\n5\nThe ferry at dawn",
            "Call Crime Stoppers at 888-274-6372 with any tips.",
            "He presided over the crash of \u{2019}08 and the slump after it.",
            "Neighbours placed several 911 calls before the fire spread.",
            "Parents can learn more about 529 plans from the state.",
            "The mayor told FOX 5 DC that the ferry would run.",
            "The mayor spoke to KTLA 5\u{2019}s harbour reporter on Monday.",
            "Harbour traffic is back at 2019 levels.",
            "A ninety-six-year-old sailor rang the bell.",
            "The 11-term councillor walked past the 30-foot-tall mast.",
            "The port filed a 100-page report.",
            "The pier cost more, in 2015 dollars, than the bridge.",
        ] {
            assert!(
                find_quantities(text).is_empty(),
                "{text}: {:?}",
                find_quantities(text)
            );
        }
    }

    #[test]
    fn stock_shares_fractions_and_ranges_still_count() {
        for text in [
            "The fund sold 500 shares of the company.",
            "Harbour Fund Sells 500 Shares of Ferry Operator",
            "Rebels fired 18 rockets at the port.",
            "The bill passed 45-55 in the Senate.",
            "The title 20 years ago went to the harbour crew.",
            "The council passed the measure 7 to 2 on Monday.",
            "Top of the list:\n5 ferries sank in the storm",
            "HARBOUR MAN CHARGED WITH SINKING 240 BOATS",
            "SANK 240 BOATS in the storm, the report said",
            "'10 percent of the ferries are late,' she said.",
            "The county has 911 miles of roads to plow.",
        ] {
            assert_eq!(find_quantities(text).len(), 1, "{text}");
        }
    }

    #[test]
    fn conflicts_respect_tolerance() {
        let a = one("killed dozens of people");
        let b = one("killed hundreds of people");
        assert!(a.conflicts_with(&b, 0.1));
        let c = one("about 200 homes");
        let d = one("210 homes");
        assert!(!c.conflicts_with(&d, 0.1));
        let e = one("at least 30 arrested");
        let f = one("34 arrested");
        assert!(!e.conflicts_with(&f, 0.05));
        let g = one("an $84 million budget");
        let h = one("the $92 million budget");
        assert_eq!(g.unit, Unit::Money);
        assert!(g.conflicts_with(&h, 0.05));
    }

    /// The groups of a match read from its shape are those the pattern
    /// gives.
    #[test]
    fn groups_of_plain_shapes_are_the_pattern_groups() {
        let text = "$5,000; \u{a3}12; \u{20ac}3.5; 40%; 1,200.5%; 7; seven; \
                    $5 million, 5 %, $ 5, US$5, 3-4%, \u{a3}1 to \u{a3}2; about 40; \
                    at  least\t$5%; no more than \u{20ac}3; up to 20,000%; nearly two; \
                    more\u{a0}than 5; around 5 percent; some 3 to 4; two dozen; over 5 %; \
                    between two and 15; between 5 and 6; between 5-6%; about two to 3; \
                    5-10; 1,000 TO 2,000.5; 3 and\n4; 7 \u{2013} 8; 9-10%; 11- $12; 13 to 14 million; \
                    15 Million; 1,000billion; 16 per  cent; 17percent; 18 percent; 19 \u{2009}%; \
                    20 per\ncent; 21 thou\u{17f}and; 22 million percent; 23 percentage";
        let mut caps = QUANTITY.create_captures();
        let mut shaped = 0;
        for whole in QUANTITY.find_iter(text) {
            let Some(shape) = plain_shape(&text[whole.range()]) else {
                continue;
            };
            shaped += 1;
            QUANTITY.search_captures(&Input::new(text).range(whole.start()..), &mut caps);
            let group = |name: &str| {
                caps.get_group_by_name(name)
                    .map(|s| s.start - whole.start()..s.end - whole.start())
            };
            let want = Shape {
                modifier: group("modifier"),
                currency: group("currency"),
                number: group("number").expect("every match has a number"),
                percent: group("percent"),
                scale: group("scale"),
                number2: group("number2"),
            };
            assert_eq!(shape, want, "{:?}", &text[whole.range()]);
            for other in ["currency2", "scale2"] {
                assert_eq!(caps.get_group_by_name(other), None);
            }
        }
        assert_eq!(shaped, 22);
    }

    #[test]
    fn groups_over_the_match_span_are_the_groups_of_a_search_from_its_start() {
        let texts = [
            "At least 1,200 people and more than 3.5 million dollars, up to 40 percent.",
            "between 10 and 20 per cent; about \u{a3}5-\u{a3}7 billion; US$ 3 to 4 trillion",
            "\u{201c}Nearly two dozen\u{201d} said \u{20ac}12,000 \u{2013} \u{20ac}14,500 thousand",
            "some thirty-five ships, hundreds of thousands, 5%, 7 % and 8percent",
            "Almoſt 30 ſhips; over 2,5 or 12,3456 and 1.2.3; $ 5 and $5.50 to $6",
            "no fewer than 9-10, as many as 11 to 12 million, roughly 1,000,000.5",
        ];
        for text in texts {
            let mut span_caps = QUANTITY.create_captures();
            let mut from_caps = QUANTITY.create_captures();
            let mut n = 0;
            for whole in QUANTITY.find_iter(text) {
                let span = Input::new(text)
                    .range(whole.range())
                    .anchored(Anchored::Yes);
                QUANTITY.search_captures(&span, &mut span_caps);
                QUANTITY.search_captures(&Input::new(text).range(whole.start()..), &mut from_caps);
                let groups = |caps: &regex_automata::util::captures::Captures| {
                    (0..caps.group_len())
                        .map(|i| caps.get_group(i))
                        .collect::<Vec<_>>()
                };
                assert_eq!(groups(&span_caps), groups(&from_caps), "{text:?}");
                assert_eq!(span_caps.get_match(), Some(whole), "{text:?}");
                n += 1;
            }
            assert!(n >= 2, "{text:?}");
        }
    }
}
