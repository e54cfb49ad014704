//! Linking across a batch: figures from different articles that speak of
//! the same thing are compared, so that a claim is known to be corroborated
//! by an independent outlet, contradicted by one, or single-source.
//!
//! Two figures speak of the same thing when they share a key (predicate,
//! counted thing and unit: `killed people`), at least one named entity
//! ("Calder Bay"), and were published within a few days of each other.
//! Copies of one story (the same body, or the same sentence word for word)
//! are not independent and never corroborate each other. This module keeps
//! only compact claim keys, never article text; it does not read or write
//! files.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{Hash, Hasher};

/// One keyed figure of one article, as linking needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkClaim {
    /// Position of the article in the input, for stable ordering.
    pub article: usize,
    /// Index of the quantity-conflict rule that keyed the figure.
    pub rule: usize,
    pub article_id: String,
    /// 1-based sentence number.
    pub sentence: usize,
    pub key: String,
    /// Lowercased named entities of the sentence.
    pub entities: Vec<String>,
    pub low: f64,
    pub high: f64,
    /// The figure as written ("dozens").
    pub value: String,
    pub outlet: String,
    /// Days since 1970-01-01 of the article's publication, when known.
    pub day: Option<i64>,
    /// Fingerprint of the article body: equal for copies of one story.
    pub copy: u64,
    /// Fingerprint of the sentence: equal for a sentence copied word for word.
    pub sentence_copy: u64,
    /// Relative slack before two values conflict (from the rule).
    pub tolerance: f64,
}

/// What the rest of the batch says about one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// No other outlet reports this figure.
    SingleSource,
    /// An independent outlet reports a compatible value, and none an
    /// incompatible one.
    Corroborated,
    /// An independent outlet reports an incompatible value.
    Contradicted,
}

impl Status {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::SingleSource => "single-source",
            Status::Corroborated => "corroborated",
            Status::Contradicted => "contradicted",
        }
    }
}

/// The verdict on one claim, with the articles behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: Status,
    /// Ids of articles that report a compatible value.
    pub agrees: BTreeSet<String>,
    /// Ids of articles that report an incompatible value.
    pub disagrees: BTreeSet<String>,
}

/// The result of linking a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Links {
    /// One verdict per input claim, in input order.
    pub verdicts: Vec<Verdict>,
    /// Pairs of claims (indices into the input, lower first) that conflict.
    pub conflicts: Vec<(usize, usize)>,
}

/// Days within which two reports can be about the same event.
pub const WINDOW_DAYS: i64 = 7;

/// Compares every pair of claims that share a key and an entity.
pub fn link(claims: &[LinkClaim]) -> Links {
    // Bucket by (key, entity) so that only plausible pairs are compared.
    let mut buckets: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, c) in claims.iter().enumerate() {
        for e in &c.entities {
            buckets
                .entry((c.key.as_str(), e.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut verdicts: Vec<Verdict> = claims
        .iter()
        .map(|_| Verdict {
            status: Status::SingleSource,
            agrees: BTreeSet::new(),
            disagrees: BTreeSet::new(),
        })
        .collect();
    let mut conflicts = Vec::new();
    for members in buckets.values() {
        for (n, &i) in members.iter().enumerate() {
            for &j in &members[n + 1..] {
                if !seen.insert((i, j)) {
                    continue;
                }
                let (a, b) = (&claims[i], &claims[j]);
                if !independent(a, b) || !near_in_time(a, b) {
                    continue;
                }
                let tolerance = a.tolerance.max(b.tolerance);
                if incompatible(a, b, tolerance) {
                    verdicts[i].disagrees.insert(b.article_id.clone());
                    verdicts[j].disagrees.insert(a.article_id.clone());
                    conflicts.push((i, j));
                } else {
                    verdicts[i].agrees.insert(b.article_id.clone());
                    verdicts[j].agrees.insert(a.article_id.clone());
                }
            }
        }
    }
    for v in &mut verdicts {
        v.status = if !v.disagrees.is_empty() {
            Status::Contradicted
        } else if !v.agrees.is_empty() {
            Status::Corroborated
        } else {
            Status::SingleSource
        };
    }
    conflicts.sort_unstable();
    Links {
        verdicts,
        conflicts,
    }
}

/// Different outlets, and neither a copy of the other's story nor of its sentence.
fn independent(a: &LinkClaim, b: &LinkClaim) -> bool {
    a.article != b.article
        && !a.outlet.eq_ignore_ascii_case(&b.outlet)
        && a.copy != b.copy
        && a.sentence_copy != b.sentence_copy
}

fn near_in_time(a: &LinkClaim, b: &LinkClaim) -> bool {
    match (a.day, b.day) {
        (Some(x), Some(y)) => (x - y).abs() <= WINDOW_DAYS,
        _ => true,
    }
}

/// The same test as within an article: apart by more than `tolerance` of
/// the larger value.
fn incompatible(a: &LinkClaim, b: &LinkClaim, tolerance: f64) -> bool {
    let gap = if a.high < b.low {
        b.low - a.high
    } else if b.high < a.low {
        a.low - b.high
    } else {
        return false;
    };
    gap > tolerance * a.low.max(b.low).abs().max(1e-9)
}

/// Words that are capitalised for reasons other than being a name.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "but",
    "in",
    "on",
    "at",
    "of",
    "for",
    "to",
    "by",
    "with",
    "from",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "after",
    "before",
    "when",
    "while",
    "as",
    "if",
    "more",
    "most",
    "some",
    "many",
    "mr",
    "mrs",
    "ms",
    "dr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
];

/// Named entities of a sentence: runs of capitalised words, lowercased
/// ("Calder Bay Harbor Authority" gives "calder bay harbor authority" and
/// each of its words that is not a common word, so that "Calder Bay" and
/// "the Calder Bay ferry" share "calder").
pub fn entities(sentence: &str) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut BTreeSet<String>| {
        if !run.is_empty() {
            out.insert(run.join(" "));
            run.clear();
        }
    };
    let words: Vec<&str> = sentence.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let word = *word;
        let bare: String = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches("'s")
            .trim_end_matches("\u{2019}s")
            .to_string();
        let lower = bare.to_lowercase();
        let capitalised = |w: &str| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        // The first word is capitalised anyway: it counts only as the start
        // of a longer name ("Calder Bay ferry", not "Rescue crews").
        let opener_alone = i == 0 && !words.get(1).is_some_and(|w| capitalised(w));
        if capitalised(&bare)
            && !opener_alone
            && bare.chars().count() > 1
            && !NOT_NAMES.contains(&lower.as_str())
        {
            out.insert(lower.clone());
            run.push(lower);
        } else {
            flush(&mut run, &mut out);
        }
        if word.ends_with([',', '.', ';', ':', '\u{2014}']) {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out.into_iter().collect()
}

/// Days since 1970-01-01 of a date that starts `YYYY-MM-DD`.
pub fn day_number(published: &str) -> Option<i64> {
    let p = published.trim();
    let (y, rest) = p.split_once('-')?;
    let (m, rest) = rest.split_once('-')?;
    let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil date (proleptic Gregorian), after H. Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A fingerprint of text that ignores case and spacing: copies of one story
/// with different line breaks still match.
pub fn fingerprint(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for word in text.split_whitespace() {
        for c in word.chars().flat_map(char::to_lowercase) {
            c.hash(&mut h);
        }
        ' '.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(
        article: usize,
        outlet: &str,
        value: f64,
        sentence_text: &str,
        body: &str,
    ) -> LinkClaim {
        LinkClaim {
            article,
            rule: 0,
            article_id: format!("a{article}"),
            sentence: 1,
            key: "killed people".into(),
            entities: entities(sentence_text),
            low: value,
            high: value,
            value: value.to_string(),
            outlet: outlet.into(),
            day: day_number("2026-02-15"),
            copy: fingerprint(body),
            sentence_copy: fingerprint(sentence_text),
            tolerance: 0.05,
        }
    }

    #[test]
    fn independent_outlets_corroborate_and_contradict() {
        let claims = [
            claim(
                0,
                "wire.example",
                14.0,
                "The Calder Bay ferry sank, killing 14 people.",
                "x",
            ),
            claim(
                1,
                "ledger.example",
                14.0,
                "Fourteen died when the Calder Bay ferry capsized.",
                "y",
            ),
            claim(
                2,
                "blast.example",
                40.0,
                "The ferry disaster in Calder Bay killed 40 people.",
                "z",
            ),
        ];
        let links = link(&claims);
        assert_eq!(links.verdicts[0].status, Status::Contradicted);
        assert!(links.verdicts[0].agrees.contains("a1"));
        assert_eq!(links.verdicts[2].status, Status::Contradicted);
        assert_eq!(links.conflicts, [(0, 2), (1, 2)]);
    }

    #[test]
    fn copies_of_one_story_are_not_corroboration() {
        let text = "The Calder Bay ferry sank, killing 14 people.";
        let claims = [
            claim(0, "wire.example", 14.0, text, "same body"),
            claim(1, "ledger.example", 14.0, text, "same body"),
        ];
        let links = link(&claims);
        assert!(
            links
                .verdicts
                .iter()
                .all(|v| v.status == Status::SingleSource)
        );
    }

    #[test]
    fn different_events_and_distant_dates_do_not_link() {
        let mut far = claim(
            1,
            "ledger.example",
            40.0,
            "A fire in Calder Bay killed 40 people.",
            "y",
        );
        far.day = day_number("2026-06-01");
        let claims = [
            claim(
                0,
                "wire.example",
                14.0,
                "The Calder Bay ferry sank, killing 14 people.",
                "x",
            ),
            claim(
                2,
                "blast.example",
                40.0,
                "A bus crash in Westmoor killed 40 people.",
                "z",
            ),
            far,
        ];
        let links = link(&claims);
        assert!(
            links
                .verdicts
                .iter()
                .all(|v| v.status == Status::SingleSource),
            "{links:?}"
        );
    }

    #[test]
    fn entities_are_capitalised_runs() {
        assert_eq!(
            entities(
                "CALDER BAY — A ferry capsized on Saturday, the Calder Bay Harbor Authority said."
            ),
            [
                "authority",
                "bay",
                "calder",
                "calder bay",
                "calder bay harbor authority",
                "harbor"
            ]
        );
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-02-15T10:00:00Z"), Some(20_499));
        assert_eq!(day_number("March 3, 2026"), None);
    }
}
