//! Linking across a batch: figures from different articles that speak of
//! the same thing are compared, so that a claim is known to be corroborated
//! by an independent outlet, contradicted by one, or single-source.
//!
//! Two figures speak of the same thing when they share a key (predicate,
//! counted thing and unit: `killed people`), at least one named entity
//! ("Calder Bay"), and were published within a few days of each other.
//! Copies of one story (the same body, or the same sentence word for word)
//! are not independent and never corroborate each other. This module keeps
//! only compact claim keys, never article text, and not even those in
//! memory: a [`Linker`] spools them to disk and links them partition by
//! partition (the `spool` module), so linking memory does not grow with the
//! batch. Figures are compared within a key and entity, sorted by date, so
//! only those within the window are paired.

mod spool;

pub use spool::{ClaimVerdict, FigureRef, IdList, LISTED_IDS, Limits, Linked, Linker, SpoolError};

/// One keyed figure of one article, as an article's analysis hands it to
/// linking. A [`Batch`] keeps it in compact form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    #[serde(with = "any_f64")]
    pub low: f64,
    /// `inf` for an open range ("at least 80").
    #[serde(with = "any_f64")]
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
    /// Given as a change of an earlier count ("rose to 120"): compared with
    /// nothing, since a later count is not a contradiction.
    #[serde(default)]
    pub update: bool,
    /// The day its sentence names ("on March 3"): figures of different
    /// days are about different moments and are not compared.
    #[serde(default)]
    pub event: Option<crate::analyze::dates::Day>,
}

/// JSON has no infinity: open bounds travel as the strings `inf` and `-inf`.
mod any_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_str(&v.to_string())
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Num {
            Number(f64),
            Text(String),
        }
        match Num::deserialize(d)? {
            Num::Number(v) => Ok(v),
            Num::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
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

/// Days within which two reports can be about the same event.
pub const WINDOW_DAYS: i64 = 7;

/// The length of the longest of [`NOT_NAMES`] ("september", "wednesday"),
/// worked out from the list so that a longer word added to it is still
/// looked up; [`packed`] holds words of up to 15 bytes.
const NOT_NAMES_LONGEST: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < NOT_NAMES.len() {
        if NOT_NAMES[i].len() > longest {
            longest = NOT_NAMES[i].len();
        }
        i += 1;
    }
    assert!(longest <= 15, "a common word packs into 15 bytes");
    longest
};

/// [`NOT_NAMES`] as [`packed`] numbers, sorted: a lookup compares numbers,
/// not strings, for each capitalised word of every sentence.
static NOT_NAMES_PACKED: std::sync::LazyLock<Vec<u128>> = std::sync::LazyLock::new(|| {
    let mut packed: Vec<u128> = NOT_NAMES.iter().map(|n| packed(n.as_bytes())).collect();
    packed.sort_unstable();
    packed
});

/// For each length, which first bytes the common words of that length
/// have: a word whose length and first byte no common word shares (most
/// names) is no common word, without a search.
static NOT_NAMES_STARTS: [[bool; 256]; NOT_NAMES_LONGEST + 1] = {
    let mut starts = [[false; 256]; NOT_NAMES_LONGEST + 1];
    let mut i = 0;
    while i < NOT_NAMES.len() {
        let word = NOT_NAMES[i].as_bytes();
        assert!(!word.is_empty(), "a common word has a letter");
        starts[word.len()][word[0] as usize] = true;
        i += 1;
    }
    starts
};

/// A word of at most 15 bytes (callers pass at most [`NOT_NAMES_LONGEST`])
/// as one number: its bytes, then its length. Two such words are equal
/// when their numbers are.
fn packed(word: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[..word.len()].copy_from_slice(word);
    bytes[15] = word.len() as u8;
    u128::from_le_bytes(bytes)
}

/// Words that are capitalised for reasons other than being a name, sorted
/// for binary search.
const NOT_NAMES: &[&str] = &[
    "a",
    "after",
    "an",
    "and",
    "apr",
    "april",
    "as",
    "at",
    "aug",
    "august",
    "before",
    "but",
    "by",
    "dec",
    "december",
    "dr",
    "feb",
    "february",
    "for",
    "friday",
    "from",
    "he",
    "her",
    "his",
    "i",
    "if",
    "in",
    "it",
    "its",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "many",
    "mar",
    "march",
    "may",
    "monday",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "nov",
    "november",
    "oct",
    "october",
    "of",
    "on",
    "saturday",
    "sep",
    "sept",
    "september",
    "she",
    "some",
    "sunday",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "thursday",
    "to",
    "tuesday",
    "we",
    "wednesday",
    "when",
    "while",
    "with",
];

/// Named entities of a sentence: runs of capitalised words, lowercased
/// ("Calder Bay Harbor Authority" gives "calder bay harbor authority" and
/// each of its words that is not a common word, so that "Calder Bay" and
/// "the Calder Bay ferry" share "calder").
pub fn entities(sentence: &str) -> Vec<String> {
    // Every sentence of every article comes here when a name-variant rule
    // is on, and nearly all have no whitespace but ASCII's (curly quotes and
    // accents are no whitespace): their words are split by a loop inlined
    // into this one. Both splits give the words of `split_whitespace`.
    if !has_other_space(sentence) {
        entities_in(AsciiSpacedWords {
            text: sentence,
            at: 0,
        })
    } else {
        entities_in(any_words(sentence))
    }
}

/// Whether `text` holds whitespace beyond ASCII's (a no-break space, a
/// thin space, a line separator). Each such char starts with one of the
/// bytes C2, E1, E2 or E3: ASCII is passed sixteen bytes at a time, and
/// only a char that starts with C2 or E0 to E3 is decoded.
fn has_other_space(text: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    // The top bit of each byte that is zero, and maybe of some bytes
    // after one that is; those are decoded too, and are no space.
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let space_at = |i: usize| {
        text.get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace)
    };
    let leads_in = |w: u64, at: usize| {
        let mut leads = zeros(w ^ (ONES * 0xc2)) | zeros((w & (ONES * 0xfc)) ^ (ONES * 0xe0));
        while leads != 0 {
            if space_at(at + leads.trailing_zeros() as usize / 8) {
                return true;
            }
            leads &= leads - 1;
        }
        false
    };
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")))
    };
    let mut i = 0;
    while let (Some(a), Some(b)) = (word(i), word(i + 8)) {
        if (a | b) & HIGH != 0 && (leads_in(a, i) || leads_in(b, i + 8)) {
            return true;
        }
        i += 16;
    }
    // The last sixteen bytes, some of them again, if the text is that long.
    if i < bytes.len()
        && let Some(last) = bytes.len().checked_sub(16)
        && let (Some(a), Some(b)) = (word(last), word(last + 8))
    {
        return (a | b) & HIGH != 0 && (leads_in(a, last) || leads_in(b, last + 8));
    }
    bytes[i..]
        .iter()
        .enumerate()
        .any(|(k, &b)| (b == 0xc2 || b & 0xfc == 0xe0) && space_at(i + k))
}

/// The words of any text, each a [`Word`].
fn any_words(text: &str) -> impl Iterator<Item = Word<'_>> + Clone {
    crate::text::words(text).map(|word| {
        if starts_lowercase_or_digit(word) {
            Word::Plain
        } else {
            Word::Other(word)
        }
    })
}

/// A word as [`entities`] sees it.
#[derive(Clone, Copy)]
enum Word<'a> {
    /// One or more words in a row that start with a lowercase ASCII letter
    /// or a digit: no names, and the end of a run of names.
    Plain,
    /// Any other word.
    Other(&'a str),
}

/// Whether a word starts with a lowercase ASCII letter or a digit.
fn starts_lowercase_or_digit(word: &str) -> bool {
    word.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// [`entities`] of a sentence split into `words`.
fn entities_in<'a>(mut words: impl Iterator<Item = Word<'a>> + Clone) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // How many names the run so far holds: they are the last of `out`, and
    // a run of more than one is added joined by spaces when it ends (a run
    // of one is that name, already in `out`).
    let mut names_in_run = 0;
    let flush = |names_in_run: &mut usize, out: &mut Vec<String>| {
        if *names_in_run > 1 {
            let joined = out[out.len() - *names_in_run..].join(" ");
            out.push(joined);
        }
        *names_in_run = 0;
    };
    // Not `peekable()`: only the first word looks at the one after it, and
    // a clone of the iterator finds that one without a peek slot to check on
    // every word.
    let mut first = true;
    while let Some(word) = words.next() {
        // Most words start with a lowercase letter or a digit: no name, and
        // the run of names, if any, ends here.
        let Word::Other(word) = word else {
            first = false;
            flush(&mut names_in_run, &mut out);
            continue;
        };
        // The first word is capitalised anyway: it counts only as the start
        // of a longer name ("Calder Bay ferry", not "Rescue crews").
        let opener = first;
        first = false;
        let name = name_candidate(word)
            .filter(|_| {
                !opener
                    || matches!(words.clone().next(), Some(Word::Other(next)) if capitalised(next))
            })
            .and_then(lowercase_name);
        match name {
            Some(lower) => {
                names_in_run += 1;
                out.push(lower);
            }
            None => flush(&mut names_in_run, &mut out),
        }
        // A word that ends a clause ends a run: by its last bytes, the same
        // as by its last char.
        let clause_end = match word.as_bytes() {
            [.., b',' | b'.' | b';' | b':'] => true,
            [.., 0xe2, 0x80, 0x94] => true, // an em dash
            _ => false,
        };
        if clause_end {
            flush(&mut names_in_run, &mut out);
        }
    }
    flush(&mut names_in_run, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// The words of a text with no whitespace but ASCII's, as
/// [`crate::text::words`] and `split_whitespace` give them: the only ASCII
/// spaces are tab, line feed, vertical tab, form feed, carriage return and
/// space. Other chars may stand in words; they are no lowercase ASCII.
#[derive(Clone)]
struct AsciiSpacedWords<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for AsciiSpacedWords<'a> {
    type Item = Word<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
        let mut i = self.at;
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            self.at = i;
            return None;
        }
        if bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit() {
            self.at = next_other_word(bytes, i + 1);
            return Some(Word::Plain);
        }
        let start = i;
        i = word_end(bytes, i + 1);
        self.at = i;
        self.text.get(start..i).map(Word::Other)
    }
}

/// The first ASCII space from `from` in `bytes`, or their end. Sixteen
/// bytes at a time while a word is that long: only a byte up to b' ' can be
/// a space.
#[inline(always)]
fn word_end(bytes: &[u8], from: usize) -> usize {
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let mut i = from;
    if let Some(chunk) = bytes.get(i..i + 16) {
        let chunk: &[u8; 16] = chunk.try_into().expect("sixteen bytes");
        let mut low = [0u8; 16];
        for k in 0..16 {
            low[k] = if chunk[k] <= b' ' { 0xff } else { 0 };
        }
        let mut low = u128::from_le_bytes(low);
        while low != 0 {
            let zeros = low.trailing_zeros();
            let at = i + zeros as usize / 8;
            if space(bytes[at]) {
                return at;
            }
            low &= !(0xff << (zeros & !7));
        }
        i += 16;
    }
    while i < bytes.len() && (bytes[i] > b' ' || !space(bytes[i])) {
        i += 1;
    }
    i
}

/// The first place from `from` (at least 1) where a word begins that does
/// not start with a lowercase letter or a digit, or the end of `bytes`
/// (text whose only spaces are ASCII's). Sixteen bytes at a time, by
/// compares the compiler makes for all sixteen at once: most runs of
/// sixteen hold no such place.
#[inline(never)]
fn next_other_word(bytes: &[u8], from: usize) -> usize {
    let mut j = from.max(1);
    // Thirty-two bytes a step, tested for any place at once.
    while let (Some(here), Some(before)) = (bytes.get(j..j + 32), bytes.get(j - 1..j + 31)) {
        let low = after_space_not_lowercase(
            here[..16].try_into().expect("sixteen bytes"),
            before[..16].try_into().expect("sixteen bytes"),
        );
        let high = after_space_not_lowercase(
            here[16..].try_into().expect("sixteen bytes"),
            before[16..].try_into().expect("sixteen bytes"),
        );
        if low | high != 0 {
            if let Some(at) = first_other_word(bytes, j, low) {
                return at;
            }
            if let Some(at) = first_other_word(bytes, j + 16, high) {
                return at;
            }
        }
        j += 32;
    }
    if let (Some(here), Some(before)) = (bytes.get(j..j + 16), bytes.get(j - 1..j + 15)) {
        let maybe = after_space_not_lowercase(
            here.try_into().expect("sixteen bytes"),
            before.try_into().expect("sixteen bytes"),
        );
        if let Some(at) = first_other_word(bytes, j, maybe) {
            return at;
        }
        j += 16;
    }
    // The last sixteen bytes, of which those before `j` were checked.
    if j < bytes.len()
        && let Some(last) = bytes.len().checked_sub(16).filter(|&at| at >= 1)
        && let (Some(here), Some(before)) = (bytes.get(last..), bytes.get(last - 1..last + 15))
    {
        let maybe = after_space_not_lowercase(
            here.try_into().expect("sixteen bytes"),
            before.try_into().expect("sixteen bytes"),
        );
        return first_other_word(bytes, last, maybe & (u128::MAX << ((j - last) * 8)))
            .unwrap_or(bytes.len());
    }
    while j < bytes.len() {
        if starts_other_word(bytes, j) {
            return j;
        }
        j += 1;
    }
    bytes.len()
}

/// Whether a word that does not start with a lowercase letter or a digit
/// starts at `j` (at least 1) of `bytes`.
#[inline(always)]
fn starts_other_word(bytes: &[u8], j: usize) -> bool {
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let other = |b: u8| !(space(b) || b.is_ascii_lowercase() || b.is_ascii_digit());
    space(bytes[j - 1]) && other(bytes[j])
}

/// The first place from `at` where such a word starts, of those `maybe`
/// marks by a byte of all ones.
#[inline(always)]
fn first_other_word(bytes: &[u8], at: usize, mut maybe: u128) -> Option<usize> {
    while maybe != 0 {
        let zeros = maybe.trailing_zeros();
        let j = at + zeros as usize / 8;
        if starts_other_word(bytes, j) {
            return Some(j);
        }
        maybe &= !(0xff << (zeros & !7));
    }
    None
}

/// A byte of all ones in each place of `here` whose byte is no lowercase
/// ASCII letter and comes after a byte up to b' ' (`before`); written so
/// that the compiler compares all sixteen at once.
#[inline(always)]
fn after_space_not_lowercase(here: &[u8; 16], before: &[u8; 16]) -> u128 {
    let mut out = [0u8; 16];
    for k in 0..16 {
        let after_space = before[k] <= b' ';
        let lowercase = here[k].is_ascii_lowercase();
        out[k] = if after_space & !lowercase { 0xff } else { 0 };
    }
    u128::from_le_bytes(out)
}

/// A word, bare of the punctuation around it and of a possessive
/// ("Calder's" is "Calder"), if it may be a name: capitalised and of two
/// chars or more.
#[inline(always)]
fn name_candidate(word: &str) -> Option<&str> {
    let bytes = word.as_bytes();
    // Most words are capitalised, or open with punctuation before a
    // lowercase letter (a quote): the first byte left after the punctuation
    // tells them apart before the word is trimmed.
    if !bytes.first()?.is_ascii_uppercase() {
        let start = leading_punctuation(bytes);
        // What the trim leaves starts with an ASCII letter or digit here, or
        // is empty: capitalised only if an uppercase letter.
        if bytes
            .get(start)
            .is_none_or(|&b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            return None;
        }
    }
    // `strip_suffix` in a loop does what `trim_end_matches("'s")` does
    // without building a substring searcher for every word.
    let mut bare = trim_to_alphanumeric(word);
    while let Some(rest) = bare.strip_suffix("'s") {
        bare = rest;
    }
    while let Some(rest) = bare.strip_suffix("\u{2019}s") {
        bare = rest;
    }
    let mut chars = bare.chars();
    (capitalised(bare) && chars.next().is_some() && chars.next().is_some()).then_some(bare)
}

/// Whether `bytes` start with a char of General Punctuation (curly
/// quotes, dashes, the ellipsis: U+2000 to U+206F, no letter or digit among
/// them): E2 80 or E2 81 before B0.
fn general_punctuation(b: &[u8]) -> bool {
    b.len() >= 3 && b[0] == 0xe2 && (b[1] == 0x80 || (b[1] == 0x81 && b[2] < 0xb0))
}

/// A capitalised word lowercased, unless it is a common word; an ASCII
/// word is looked up before it is copied.
fn lowercase_name(word: &str) -> Option<String> {
    if word.is_ascii() {
        // Only a word with the length and first letter of a common word
        // (few names) is lowercased on the stack, as [`packed`] makes it,
        // and looked up.
        let bytes = word.as_bytes();
        let maybe_common = bytes.first().is_some_and(|&b| {
            NOT_NAMES_STARTS
                .get(bytes.len())
                .is_some_and(|starts| starts[usize::from(b.to_ascii_lowercase())])
        });
        if maybe_common {
            let mut key = [0u8; 16];
            for (k, &b) in key.iter_mut().zip(bytes) {
                *k = b.to_ascii_lowercase();
            }
            key[15] = bytes.len() as u8;
            if NOT_NAMES_PACKED
                .binary_search(&u128::from_le_bytes(key))
                .is_ok()
            {
                return None;
            }
        }
        return Some(word.to_ascii_lowercase());
    }
    let lower = word.to_lowercase();
    NOT_NAMES
        .binary_search(&lower.as_str())
        .is_err()
        .then_some(lower)
}

/// A word without the punctuation around it: `"Calder,"` is `Calder`.
#[inline(always)]
pub(crate) fn trim_to_alphanumeric(word: &str) -> &str {
    match word.as_bytes() {
        // Most words need no trimming at all.
        [a, .., z] if a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric() => word,
        [a] if a.is_ascii_alphanumeric() => word,
        _ => trim_punctuation(word),
    }
}

/// How many bytes of ASCII punctuation and General Punctuation chars
/// (whole, by their three bytes) `bytes` opens with.
#[inline(always)]
fn leading_punctuation(bytes: &[u8]) -> usize {
    let mut start = 0;
    while let Some(&b) = bytes.get(start) {
        if b.is_ascii() && !b.is_ascii_alphanumeric() {
            start += 1;
        } else if general_punctuation(&bytes[start..]) {
            start += 3;
        } else {
            break;
        }
    }
    start
}

/// [`trim_to_alphanumeric`] of a word that starts or ends with no ASCII
/// letter or digit.
fn trim_punctuation(word: &str) -> &str {
    // ASCII punctuation is trimmed byte by byte: for an ASCII char,
    // `char::is_alphanumeric` is `is_ascii_alphanumeric`. So are the chars
    // of General Punctuation, whole, by their three bytes. The general trim
    // finishes from the first char of another kind, if any.
    let bytes = word.as_bytes();
    let start = leading_punctuation(bytes);
    // E2 only ever leads a char: three bytes from it end one.
    let mut end = bytes.len();
    while end > start {
        let b = bytes[end - 1];
        if b.is_ascii() && !b.is_ascii_alphanumeric() {
            end -= 1;
        } else if end - start >= 3 && general_punctuation(&bytes[end - 3..end]) {
            end -= 3;
        } else {
            break;
        }
    }
    let rest = word.get(start..end).unwrap_or_default();
    if rest.is_ascii() {
        rest
    } else {
        rest.trim_matches(|c: char| !c.is_alphanumeric())
    }
}

/// Whether a word, its punctuation aside, starts with a capital letter.
#[inline(always)]
fn capitalised(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(b) if b.is_ascii_uppercase() => true,
        Some(b) if b.is_ascii_alphanumeric() => false,
        _ => trim_to_alphanumeric(word)
            .chars()
            .next()
            .is_some_and(char::is_uppercase),
    }
}

/// Days since 1970-01-01 of a publication date: `YYYY-MM-DD`, alone or
/// followed by a time (`2026-02-15T10:00:00Z`, `2026-02-15 10:00`), or a
/// date as news writes it with its year (`March 3, 2026`, `3 March 2026`).
/// Impossible dates (February 30) and years outside 1..=9999 are unknown.
pub fn day_number(published: &str) -> Option<i64> {
    let p = published.trim();
    let iso = p.get(..10).filter(|head| {
        crate::analyze::dates::is_iso_shape(head.as_bytes())
            && p[10..].chars().next().is_none_or(|c| c == 'T' || c == ' ')
    });
    let (y, m, d) = match iso {
        Some(head) => (
            head[..4].parse().ok()?,
            head[5..7].parse().ok()?,
            head[8..10].parse().ok()?,
        ),
        None => match crate::analyze::dates::find_days(p).first()?.1 {
            crate::analyze::dates::Day::Date {
                year: Some(y),
                month,
                day: Some(d),
            } => (i64::from(y), i64::from(month), i64::from(d)),
            _ => return None,
        },
    };
    civil_day(y, m, d)
}

/// Days since 1970-01-01 of a calendar date, if it is one.
fn civil_day(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=9999).contains(&y) || !(1..=days_in_month).contains(&d) {
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
/// with different line breaks still match. It is the FNV-1a hash of the
/// lowercased words, each followed by one space.
pub fn fingerprint(text: &str) -> u64 {
    let mut h = FNV_OFFSET;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII a byte at a time, by one table lookup; anything else a char
        // at a time.
        if let Some(&folded) = ASCII_FOLD.get(usize::from(b)) {
            i += 1;
            if folded == ASCII_SPACE {
                if in_word {
                    h = fnv1a(h, b' ');
                }
                in_word = false;
            } else {
                in_word = true;
                h = fnv1a(h, folded);
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or_default();
        i += c.len_utf8().max(1);
        if c.is_whitespace() {
            if in_word {
                h = fnv1a(h, b' ');
            }
            in_word = false;
            continue;
        }
        in_word = true;
        let mut utf8 = [0u8; 4];
        for lower in c.to_lowercase() {
            for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                h = fnv1a(h, b);
            }
        }
    }
    if in_word {
        h = fnv1a(h, b' ');
    }
    h
}

/// An ASCII byte lowercased, or [`ASCII_SPACE`] for the six ASCII spaces.
const ASCII_FOLD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => ASCII_SPACE,
            other => other.to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

/// The mark of a space in [`ASCII_FOLD`]: no ASCII byte.
const ASCII_SPACE: u8 = 0xff;

/// The starting value of a 64-bit FNV-1a hash.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte of a 64-bit FNV-1a hash: small, seedless and stable across
/// machines and versions, which fingerprints and shards need more than
/// resistance to crafted input.
pub fn fnv1a(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Verdicts = Vec<(Status, Vec<String>, Vec<String>)>;

    #[test]
    fn words_are_trimmed_of_what_is_no_letter_or_digit() {
        // General Punctuation, trimmed by its bytes, holds no letter or digit.
        assert!(('\u{2000}'..='\u{206f}').all(|c| !c.is_alphanumeric()));
        for word in [
            "",
            "Calder,",
            "\u{201c}Calder\u{201d}",
            "\u{2018}Lee\u{2019}s\u{2019},",
            "\u{2014}\u{2014}",
            "\u{201c}",
            "x\u{2026}",
            "(\u{201c}\u{e9}t\u{e9}\u{201d})",
            "\u{2071}\u{2070}",
            "\u{2070}1\u{2071}",
            "\u{ab}Paris\u{bb}",
            "\u{201c}\u{1f642}Ok\u{1f642}\u{201d}",
            "\u{2013}5\u{2013}",
            "\u{205f}a\u{2060}",
        ] {
            assert_eq!(
                trim_to_alphanumeric(word),
                word.trim_matches(|c: char| !c.is_alphanumeric()),
                "{word:?}"
            );
        }
    }

    /// Links the claims as one batch: each claim's verdict, and the
    /// conflicts as pairs of figure positions.
    fn link(claims: &[LinkClaim]) -> (Verdicts, Vec<(u64, u64)>) {
        let (verdicts, conflicts) = link_with(claims, Limits::default());
        let verdicts = verdicts
            .into_iter()
            .map(|v| (v.status, v.agrees.ids, v.disagrees.ids))
            .collect();
        let conflicts = conflicts
            .iter()
            .map(|(a, b)| (a.figure, b.figure))
            .collect();
        (verdicts, conflicts)
    }

    /// Every verdict and conflict of the claims linked within `limits`.
    fn link_with(
        claims: &[LinkClaim],
        limits: Limits,
    ) -> (Vec<ClaimVerdict>, Vec<(FigureRef, FigureRef)>) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut linker = Linker::create(dir.path())
            .expect("spool created")
            .with_limits(limits);
        linker.extend(claims).expect("figures spooled");
        let linked = linker.link().expect("batch linked");
        let verdicts = linked
            .verdicts()
            .collect::<Result<_, _>>()
            .expect("verdicts read");
        let conflicts = linked
            .conflicts()
            .collect::<Result<_, _>>()
            .expect("conflicts read");
        drop(linked);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("folder read")
            .collect();
        assert!(left.is_empty(), "the spool is removed when linking ends");
        (verdicts, conflicts)
    }

    #[test]
    fn same_pair_through_several_entities_counts_once_and_windows_hold() {
        let mut claims = Vec::new();
        for (n, day) in ["2026-02-01", "2026-02-05", "2026-02-12", "2026-02-20"]
            .iter()
            .enumerate()
        {
            let mut c = claim(
                n,
                &format!("outlet{n}.example"),
                10.0 * (n + 1) as f64,
                "The Calder Bay ferry sank near Port Avery, killing people.",
                &format!("body {n}"),
            );
            c.sentence_copy = n as u64;
            c.day = day_number(day);
            claims.push(c);
        }
        let (verdicts, conflicts) = link(&claims);
        // 1 and 5 Feb, 5 and 12 Feb are within a week; 12 and 20 Feb are not.
        assert_eq!(conflicts, [(0, 1), (1, 2)]);
        assert_eq!(verdicts[1].2, ["a0", "a2"]);
        assert_eq!(verdicts[3].0, Status::SingleSource);
    }

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
            update: false,
            event: None,
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
        let (verdicts, conflicts) = link(&claims);
        assert_eq!(verdicts[0].0, Status::Contradicted);
        assert_eq!(verdicts[0].1, ["a1"]);
        assert_eq!(verdicts[2].0, Status::Contradicted);
        assert_eq!(verdicts[2].2, ["a0", "a1"]);
        assert_eq!(conflicts, [(0, 2), (1, 2)]);
    }

    #[test]
    fn copies_of_one_story_are_not_corroboration() {
        let text = "The Calder Bay ferry sank, killing 14 people.";
        let claims = [
            claim(0, "wire.example", 14.0, text, "same body"),
            claim(1, "ledger.example", 14.0, text, "same body"),
        ];
        let (verdicts, _) = link(&claims);
        assert!(verdicts.iter().all(|v| v.0 == Status::SingleSource));
    }

    #[test]
    fn a_rising_toll_and_counts_of_different_days_are_not_contradictions() {
        let first = claim(
            0,
            "wire.example",
            80.0,
            "Flooding in Marrow County killed 80.",
            "x",
        );
        let mut rose = claim(
            1,
            "ledger.example",
            120.0,
            "The Marrow County toll rose to 120.",
            "y",
        );
        rose.update = true;
        let (verdicts, conflicts) = link(&[first.clone(), rose]);
        assert!(conflicts.is_empty());
        assert!(verdicts.iter().all(|v| v.0 == Status::SingleSource));

        let day = |t: &str| crate::analyze::dates::find_days(t).first().map(|d| d.1);
        let mut monday = first.clone();
        monday.event = day("on Monday");
        let mut tuesday = claim(
            1,
            "ledger.example",
            120.0,
            "Flooding in Marrow County killed 120 by Tuesday.",
            "y",
        );
        tuesday.event = day("by Tuesday");
        let (_, conflicts) = link(&[monday.clone(), tuesday.clone()]);
        assert!(conflicts.is_empty(), "different days, different counts");
        // The same two figures with no day named are a contradiction.
        tuesday.event = None;
        let (_, conflicts) = link(&[first, tuesday]);
        assert_eq!(conflicts, [(0, 1)]);
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
        let (verdicts, _) = link(&claims);
        assert!(
            verdicts.iter().all(|v| v.0 == Status::SingleSource),
            "{verdicts:?}"
        );
    }

    /// Articles of many outlets on one story within a week, every fifth
    /// with another value; some sentences have two figures.
    fn crowded_story(articles: usize) -> Vec<LinkClaim> {
        let mut claims = Vec::new();
        for n in 0..articles {
            let value = if n % 5 == 0 { 90.0 } else { 14.0 };
            let text = format!("The Calder Bay ferry sank near Port Avery, killing people {n}.");
            let mut c = claim(n, &format!("outlet{n}.example"), value, &text, &text);
            c.article_id = format!("story-{:04}", articles - n);
            c.day = day_number(&format!("2026-02-{:02}", 1 + n % 6));
            claims.push(c.clone());
            if n % 3 == 0 {
                c.key = "injured people".into();
                claims.push(c);
            }
        }
        claims
    }

    #[test]
    fn a_crowded_bucket_lists_the_first_ids_and_counts_the_rest() {
        let claims = crowded_story(300);
        let (verdicts, conflicts) = link_with(&claims, Limits::default());
        assert_eq!(verdicts.len(), 300);
        // Article 1 agrees with the 239 others of value 14 and disagrees
        // with the 60 of value 90: the status is exact, the lists capped.
        let v = &verdicts[1];
        assert_eq!(v.status, Status::Contradicted);
        assert_eq!((v.agrees.len(), v.disagrees.len()), (239, 60));
        assert_eq!(v.agrees.ids.len(), LISTED_IDS);
        assert_eq!(v.agrees.ids[0], "story-0001");
        assert!(v.agrees.ids.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(
            v.disagrees
                .cell()
                .ends_with(&format!(" (+{} more)", 60 - LISTED_IDS)),
            "{}",
            v.disagrees.cell()
        );
        // Every pair of different values is one conflict: of "killed" 60 x
        // 240, of "injured" 20 x 80 (every third article).
        assert_eq!(conflicts.len(), 60 * 240 + 20 * 80);
        assert!(
            conflicts
                .windows(2)
                .all(|w| (w[0].0.figure, w[0].1.figure) < (w[1].0.figure, w[1].1.figure)),
            "conflicts come in input order"
        );
    }

    #[test]
    fn many_small_partitions_link_as_one() {
        let mut claims = crowded_story(120);
        // A second story with its own names, some undated.
        for n in 0..40 {
            let text = format!("Flooding in Marrow County killed people {n}.");
            let mut c = claim(
                200 + n,
                &format!("paper{n}.example"),
                80.0 + n as f64,
                &text,
                &text,
            );
            c.day = (n % 4 != 0).then(|| 20_500 + n as i64 % 9);
            claims.push(c);
        }
        let one = link_with(&claims, Limits::default());
        let tiny = Limits {
            partition_bytes: 2_000,
            run_bytes: 1_000,
            open_files: 3,
        };
        let many = link_with(&claims, tiny);
        assert!(!one.1.is_empty());
        assert_eq!(one, many);
    }

    #[test]
    fn a_bucket_split_by_date_finds_each_pair_once() {
        // One story over two months, one figure a day from its own outlet,
        // values alternating so that every compared pair is a conflict;
        // some figures undated. Tiny partitions split the one (key, name)
        // bucket into date windows.
        let mut claims = Vec::new();
        for n in 0..90 {
            let text = format!("Flooding in Marrow County killed people {n}.");
            let value = if n % 2 == 0 { 80.0 } else { 200.0 };
            let mut c = claim(n, &format!("paper{n}.example"), value, &text, &text);
            c.entities = vec!["marrow county".into()];
            c.day = (n % 15 != 7).then(|| 20_500 + (n as i64 * 2) / 3);
            claims.push(c);
        }
        let mut expected = Vec::new();
        for (i, a) in claims.iter().enumerate() {
            for b in &claims[i + 1..] {
                let near = match (a.day, b.day) {
                    (Some(x), Some(y)) => (x - y).abs() <= WINDOW_DAYS,
                    _ => true,
                };
                if near && a.low != b.low {
                    expected.push((a.article as u64, b.article as u64));
                }
            }
        }
        let tiny = Limits {
            partition_bytes: 1_500,
            run_bytes: 700,
            open_files: 8,
        };
        let (verdicts, conflicts) = link_with(&claims, tiny);
        let found: Vec<(u64, u64)> = conflicts
            .iter()
            .map(|(a, b)| (a.figure, b.figure))
            .collect();
        assert_eq!(found, expected, "every near pair once, no distant pair");
        assert_eq!((verdicts, conflicts), link_with(&claims, Limits::default()));
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
    fn sentences_spaced_by_ascii_split_as_any_other() {
        for sentence in [
            "\u{201c}Calder Bay\u{201d} said Mayor Ana Ru\u{ed}z of M\u{fc}nster \u{2014} \u{c9}mile Zola wrote.",
            "caf\u{e9} \u{e9}t\u{e9} \u{c9}t\u{e9} \u{201c}Port\u{2019}s\u{201d} Ellis\u{2019}s ferry \u{1f642} Harbor",
            "\u{201c}A\u{201d}\t\u{c9}\n\u{e9} Zz \u{201c}\u{201d} x",
        ] {
            assert!(!sentence.is_ascii() && !has_other_space(sentence));
            assert_eq!(
                entities(sentence),
                entities_in(any_words(sentence)),
                "{sentence:?}"
            );
        }
        for (sentence, other) in [
            ("Mayor\u{a0}Ana Ruiz", true),
            ("Mayor Ana\u{2009}Ruiz", true),
            ("\u{3000}", true),
            ("Calder\u{2028}Bay", true),
            ("\u{201c}Calder\u{201d} Bay \u{2014} caf\u{e9}", false),
            ("plain ASCII words, eight at a time", false),
        ] {
            assert_eq!(has_other_space(sentence), other, "{sentence:?}");
        }
    }

    #[test]
    fn ascii_sentences_split_as_any_other() {
        for sentence in [
            "Mayor Ana Ruiz of Calder Bay said\tthe Harbor\x0bAuthority\x0c\r\nwould meet.",
            "  \u{1}Officials \u{1f}at Port Ellis, \"Calder's\" ferry, (Reuters) ",
            "The Wednesday vote; September Harbor Trust: Some People.",
            "",
            "a",
            "Z",
            "officials said 12 boats from Calder Bay and 3 more at Port Ellis sank",
            "the long line of quite ordinary words then Mayor Ana Ruiz spoke",
            "x\tY \nZz 9A a\rBb (Cc) c\x0bD d\x0cE the end of Harbor",
            "12345678 abcdefgh Ijklmnop qrstuvwx Y",
        ] {
            assert!(sentence.is_ascii());
            assert_eq!(
                entities(sentence),
                entities_in(any_words(sentence)),
                "{sentence:?}"
            );
        }
    }

    /// Sentences of `pieces` in every order a simple generator gives,
    /// long enough that each piece falls at each place of the sixteen-byte
    /// steps.
    fn sentences_of(pieces: &[&str]) -> Vec<String> {
        let mut state = 0x2545_f491_u64;
        (0..400)
            .map(|_| {
                (0..12)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        pieces[(state % pieces.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn long_sentences_split_as_any_other() {
        let pieces = [
            " ",
            "  ",
            "\t",
            "\n",
            "the ",
            "harbor ",
            "Calder ",
            "Bay, ",
            "\u{201c}Port\u{201d} ",
            "Ellis\u{2019}s ",
            "(Reuters) ",
            "12 ",
            "\u{c9}mile ",
            "caf\u{e9} ",
            "Administration\u{2014}Authority ",
            "Calder-Bay-Harbor-Authority ",
            "remarkably-long-lowercase-word ",
            "The ",
            "MARCH ",
            "A",
            "x",
            ".",
        ];
        for sentence in sentences_of(&pieces) {
            assert!(!has_other_space(&sentence));
            assert_eq!(
                entities(&sentence),
                entities_in(any_words(&sentence)),
                "{sentence:?}"
            );
        }
    }

    #[test]
    fn other_spaces_are_found_anywhere() {
        let spaces = [
            "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{2009}", "\u{200a}", "\u{2028}",
            "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}",
        ];
        let pieces = [
            "plain words ",
            "\u{201c}quoted\u{201d} ",
            "\u{e9}t\u{e9} ",
            "\u{2014}",
            "\u{1f642}",
            "\u{e1}\u{e2}\u{e3}",
            "\u{1e9e}",
            "\u{a9}",
            "x",
        ];
        for sentence in sentences_of(&pieces).into_iter().take(50) {
            assert!(!has_other_space(&sentence), "{sentence:?}");
            for space in spaces {
                for at in (0..=sentence.len()).filter(|&at| sentence.is_char_boundary(at)) {
                    let with = format!("{}{space}{}", &sentence[..at], &sentence[at..]);
                    assert!(has_other_space(&with), "{with:?}");
                }
            }
        }
    }

    #[test]
    fn name_candidates_are_capitalised_words_bare_of_punctuation() {
        fn old(word: &str) -> Option<&str> {
            let mut bare = trim_to_alphanumeric(word);
            while let Some(rest) = bare.strip_suffix("'s") {
                bare = rest;
            }
            while let Some(rest) = bare.strip_suffix("\u{2019}s") {
                bare = rest;
            }
            (capitalised(bare) && bare.chars().nth(1).is_some()).then_some(bare)
        }
        for word in [
            "",
            "A",
            "Ab",
            "A's",
            "ab",
            "\"ab",
            "\"Ab\"",
            "\u{201c}ab",
            "\u{201c}Ab\u{201d},",
            "\u{201c}",
            "(",
            "((",
            "(9",
            "(Reuters)",
            "\u{c9}mile",
            "\u{e9}t\u{e9}",
            "\u{ab}Paris\u{bb}",
            "\u{201c}\u{c9}mile",
            "\u{2014}Calder",
            "Calder's's",
            "Ellis\u{2019}s",
            "'s",
            "\u{2019}s",
            "\u{1f642}Ok",
            "O",
            "\u{c9}",
            "\u{2018}Lee\u{2019}s\u{2019},",
            "MARCH.",
        ] {
            assert_eq!(name_candidate(word), old(word), "{word:?}");
        }
    }

    #[test]
    fn other_words_are_found_past_any_run_of_plain_ones() {
        for text in [
            "ab cd Ef 9 \"Gh\" ij\tKl\nmn (op) qr\rst uv.Wx yz, 0 A",
            "a  b \n\n  c\x01 \x01d e\x1f f  ,g h\x0b\x0cI j \x0b k",
            "ab \u{201c}cd\u{201d} \u{e9}f gh\u{e9} \u{c9}j kl mn op qr \u{2014} st \u{1f642}",
        ] {
            other_words_in(text);
        }
    }

    fn other_words_in(text: &str) {
        // Every suffix of every prefix, so that each place falls at each
        // offset of the eight-byte steps and at the end.
        for end in 0..=text.len() {
            let bytes = &text.as_bytes()[..end];
            for from in 1..=end {
                let want = (from..end)
                    .find(|&j| {
                        bytes[j - 1].is_ascii_whitespace() | (bytes[j - 1] == 0x0b)
                            && !(bytes[j].is_ascii_whitespace()
                                || bytes[j] == 0x0b
                                || bytes[j].is_ascii_lowercase()
                                || bytes[j].is_ascii_digit())
                    })
                    .unwrap_or(end);
                assert_eq!(next_other_word(bytes, from), want, "{end} {from}");
            }
        }
    }

    #[test]
    fn common_words_are_no_names_in_any_case() {
        for word in NOT_NAMES {
            let capitalised = word[..1].to_uppercase() + &word[1..];
            assert_eq!(lowercase_name(&capitalised), None, "{word}");
            assert_eq!(lowercase_name(&word.to_uppercase()), None, "{word}");
        }
        assert_eq!(lowercase_name("Calder").as_deref(), Some("calder"));
        assert_eq!(lowercase_name("Septembers").as_deref(), Some("septembers"));
        assert_eq!(lowercase_name("Tuesdays").as_deref(), Some("tuesdays"));
    }

    #[test]
    fn common_words_are_sorted_for_binary_search() {
        assert!(NOT_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            NOT_NAMES.iter().map(|n| n.len()).max(),
            Some(NOT_NAMES_LONGEST)
        );
    }

    #[test]
    fn every_ascii_byte_is_folded_as_its_lowercase_or_a_space() {
        let words_hash = |t: &str| {
            t.split_whitespace()
                .flat_map(|w| {
                    w.to_ascii_lowercase()
                        .into_bytes()
                        .into_iter()
                        .chain([b' '])
                })
                .fold(FNV_OFFSET, fnv1a)
        };
        for b in 0..128u8 {
            let text = format!("Ab{}Cd e", char::from(b));
            assert_eq!(fingerprint(&text), words_hash(&text), "{b:#x}");
        }
    }

    #[test]
    fn fingerprints_ignore_case_and_spacing_only() {
        let story =
            "Rescue crews searched the BAY \u{2014} \u{201c}Calder\u{201d} for İstanbul's ferry";
        let respaced = "rescue  crews searched\nthe bay \u{2014}\n\n\u{201c}calder\u{201d} FOR i\u{307}stanbul's   ferry ";
        assert_eq!(fingerprint(story), fingerprint(respaced));
        assert_eq!(fingerprint(""), fingerprint("  \n"));
        for other in [
            "Rescue crews searched the BAY \u{2014} \u{201c}Calder\u{201d} for İstanbul's ferries",
            "Rescuecrews searched the BAY \u{2014} \u{201c}Calder\u{201d} for İstanbul's ferry",
            "",
        ] {
            assert_ne!(fingerprint(story), fingerprint(other), "{other:?}");
        }
        // It is the hash of the lowercased words, each followed by a space.
        let words: String = story
            .split_whitespace()
            .flat_map(|w| w.chars().flat_map(char::to_lowercase).chain([' ']))
            .collect();
        assert_eq!(fingerprint(story), words.bytes().fold(FNV_OFFSET, fnv1a));
        assert_eq!(fingerprint("a\u{a0}b\u{2003}c"), fingerprint("A B C"));
        // Word boundaries count: "ab c" is not "a bc".
        assert_ne!(fingerprint("ab c"), fingerprint("a bc"));
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-02-15T10:00:00Z"), Some(20_499));
        assert_eq!(day_number("2026-02-15 10:00"), Some(20_499));
        assert_eq!(day_number("February 15, 2026"), Some(20_499));
        assert_eq!(day_number("15 February 2026"), Some(20_499));
        assert_eq!(day_number("2024-02-29"), Some(19_782));
        for unknown in [
            "March 3",
            "2026-02-30",
            "2025-02-29",
            "2026-02-15junk",
            "99999999999999999-01-01",
            "0000-01-01",
            "yesterday",
            "",
        ] {
            assert_eq!(day_number(unknown), None, "{unknown}");
        }
    }
}
