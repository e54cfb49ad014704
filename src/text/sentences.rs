//! Sentence splitting inside one paragraph.
//!
//! A sentence ends after a run of terminators (`.`, `!`, `?`, `…`, `?!`,
//! `...`) and any closing quotes or brackets that follow, when whitespace and
//! then a sentence start come next: an uppercase letter, a digit, an opening
//! quote or bracket, or a dash or bullet leading a word. A line break inside a
//! paragraph followed by a bullet or a dash and a capital also starts a
//! sentence, because scraped pages glue list items and stray fragments to the
//! text before them. Abbreviations, initials and decimals are not ends; a few
//! abbreviations (`Inc.`, `U.S.`, `a.m.`, `etc.`) end a sentence only before a
//! common sentence opener. The scan is one pass over the bytes: only
//! terminators and line breaks are looked at closely, and every look-around is
//! bounded. Nothing here knows about quotations, so a quote may span several
//! sentences and a sentence may hold several quotes.

use super::chars::{
    char_at, char_before, is_bullet, is_dash, is_opening_bracket, is_opening_quote,
    skip_whitespace, trim_end,
};
use super::{Sentence, Span};
use std::sync::LazyLock;

// Abbreviation lists. Entries have no final period; dotted entries keep their
// inner periods. Matching ignores ASCII case except that an entry starting
// with a capital never matches a lowercase word, so `no.`, `ill.` and `co.`
// stay ordinary words while `NO.` and `Gen.` match.

/// Titles and name prefixes: a name always follows, so a period after them never ends a sentence.
pub const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Prof", "Profs", "Gen", "Gens", "Lt", "Col",
    "Maj", "Capt", "Cmdr", "Cdr", "Sgt", "Cpl", "Pvt", "Adm", "Brig", "Gov", "Govs", "Sen", "Sens",
    "Rep", "Reps", "Rev", "Hon", "Pres", "Supt", "Insp", "Det", "Fr", "Msgr", "Sec", "Amb", "Atty",
    "Mt", "Ft", "Sra", "Mme", "Mlle", // Mount, Fort and foreign titles precede a name too
    // Latin and comparison abbreviations that always continue the sentence.
    "vs", "v", "e.g", "i.e", "cf", "viz", "approx", "incl", "esp", "resp",
];

/// Abbreviations that usually sit mid-sentence but can end one (company
/// suffixes, months, US states, `etc.`, `Jr.`): they end a sentence only
/// before a [`SENTENCE_OPENERS`] word. Dotted acronyms (`U.S.`, `a.m.`) and
/// single capital initials are handled the same way without being listed.
pub const SENTENCE_FINAL_ABBREVIATIONS: &[&str] = &[
    // Organisations and addresses.
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Mfg", "Assn", "Dept", "Univ", "Ave", "Blvd", "Rd",
    "Hwy", "St", "Sq", "Jr", "Sr", "Esq", // Lists and references.
    "etc", "al", // Months (AP style abbreviates them only before a day).
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    // US states, AP style.
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky",
    "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa",
    "Tenn", "Vt", "Va", "Wash", "Wis", "Wyo",
];

/// Abbreviations that are abbreviations only before a number (`No. 5`, `Vol. 2`); elsewhere a word.
pub const NUMBER_PREFIXES: &[&str] = &[
    "No", "Nos", "Vol", "Vols", "Fig", "Figs", "p", "pp", "Art", "Ch", "Para", "Pt", "ca", "est",
];

/// Words that commonly open a news sentence: after a [`SENTENCE_FINAL_ABBREVIATIONS`]
/// entry or a dotted acronym they show that the abbreviation ended the sentence.
/// Words that often follow such abbreviations inside a name (`U.S. Army`,
/// `Jan. 5`, `Apple Inc. CEO`) are deliberately absent.
pub const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "Then",
    "In",
    "On",
    "At",
    "For",
    "From",
    "To",
    "With",
    "By",
    "As",
    "Of",
    "If",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "After",
    "Before",
    "When",
    "While",
    "Since",
    "Although",
    "Though",
    "Because",
    "However",
    "Meanwhile",
    "Still",
    "Also",
    "Some",
    "Many",
    "Most",
    "All",
    "Both",
    "Each",
    "Such",
    "Several",
    "Other",
    "Others",
    "Officials",
    "Police",
    "Authorities",
    "Investigators",
    "Prosecutors",
    "Experts",
    "Critics",
    "Analysts",
    "Investors",
    "Residents",
    "Witnesses",
    "Lawmakers",
    "Researchers",
    "Scientists",
    "Troops",
    "According",
    "Last",
    "Earlier",
    "Later",
    "Now",
    "Today",
    "Yesterday",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Which",
    "Under",
    "Despite",
    "During",
    "Not",
    "Neither",
];

/// Verbs of saying: `"Why?" she asked.` keeps the attribution in the quote's sentence.
pub const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "added",
    "adds",
    "told",
    "tells",
    "wrote",
    "writes",
    "replied",
    "replies",
    "answered",
    "responded",
    "shouted",
    "yelled",
    "screamed",
    "cried",
    "exclaimed",
    "insisted",
    "demanded",
    "wondered",
    "tweeted",
    "posted",
    "continued",
    "explained",
    "declared",
    "stated",
    "noted",
    "argued",
    "countered",
    "recalled",
    "joked",
    "warned",
    "whispered",
    "laughed",
    "pleaded",
    "urged",
    "quipped",
    "asserted",
];

/// Longest token examined as a possible abbreviation; longer ones are words.
const MAX_ABBREVIATION: usize = 12;

/// How a period after a token behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbreviation {
    /// Never ends a sentence (`Dr.`, `e.g.`).
    Title,
    /// Ends a sentence only before a sentence opener (`Inc.`, `U.S.`, `J.`).
    MaybeFinal,
    /// An abbreviation only before a number (`No. 5`).
    NumberPrefix,
}

/// Bytes that may start a terminator or a line break: `.`, `!`, `?`, `\n`,
/// `\r`, and the lead bytes of the non-ASCII ones (0xE2 of `…` and of the
/// line separator U+2028, 0xD8 of the Arabic question mark).
const MAY_END: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let bytes = [b'.', b'!', b'?', b'\n', b'\r', 0xE2, 0xD8];
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
};

/// The first byte at `i` or after, before `end`, that may end a sentence
/// or a line ([`MAY_END`]), else `end`. Eight bytes at a time: a byte below
/// 0x40 but a space, or one from 0x80, is a candidate, looked up in the
/// table; runs of letters and spaces, most of any text, are passed in bulk.
fn next_may_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    const LOW: u64 = ONES * 0x7f;
    while let Some(chunk) = bytes.get(i..i + 8).filter(|_| i + 8 <= end) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Per byte, with the top bit cleared no sum carries into the next:
        // the top bit of `low + 0x40` is set from 0x40, that of
        // `(x & 0x7f) + 0x7f | x` unless `x` is 0 (the byte is a space).
        let low = w & LOW;
        let below_0x40 = !(low + ONES * 0x40) & HIGH;
        let x = w ^ (ONES * u64::from(b' '));
        let space = !(((x & LOW) + LOW) | x) & HIGH;
        let candidates = (w & HIGH) | (below_0x40 & !space);
        if candidates == 0 {
            i += 8;
            continue;
        }
        let at = i + (candidates.trailing_zeros() / 8) as usize;
        if MAY_END[usize::from(bytes[at])] {
            return at;
        }
        i = at + 1;
    }
    i + bytes[i..end]
        .iter()
        .position(|&b| MAY_END[usize::from(b)])
        .unwrap_or(end - i)
}

/// Appends the sentences of the paragraph `para` to `out`, covering all of its non-whitespace.
pub(super) fn split(body: &str, para: Span, paragraph: usize, out: &mut Vec<Sentence>) {
    let bytes = body.as_bytes();
    let end = para.end.min(bytes.len());
    let mut start = para.start;
    let mut i = para.start;
    while i < end {
        // Fast path: almost every byte is ordinary text.
        i = next_may_end(bytes, i, end);
        if i >= end {
            break;
        }
        if let Some(len) = terminator_len(bytes, i) {
            let run_start = i;
            let mut j = i + len;
            let mut emphatic = is_emphatic(bytes, i);
            while j < end {
                let Some(len) = terminator_len(bytes, j) else {
                    break;
                };
                emphatic |= is_emphatic(bytes, j);
                j += len;
            }
            let run_end = j;
            while j < end {
                let Some(c) = char_at(body, j).filter(|&c| is_closer(c)) else {
                    break;
                };
                j += c.len_utf8();
            }
            let close_end = j;
            if close_end >= end || !char_at(body, close_end).is_some_and(char::is_whitespace) {
                i = close_end;
                continue;
            }
            let next = skip_whitespace(body, close_end, end);
            let ending = Ending {
                run_start,
                run_end,
                close_end,
                next,
                end,
                emphatic,
            };
            if next < end && ends_sentence(body, &ending) {
                out.push(Sentence {
                    span: Span::new(start, close_end),
                    paragraph,
                });
                start = next;
            }
            i = next;
        } else if let Some(len) = line_break_len(bytes, i) {
            let next = skip_whitespace(body, i, end);
            if next < end && starts_after(body, next, end, false) {
                let sentence_end = trim_end(body, start, i);
                if sentence_end > start {
                    out.push(Sentence {
                        span: Span::new(start, sentence_end),
                        paragraph,
                    });
                    start = next;
                }
            }
            i = next.max(i + len);
        } else {
            i += 1;
        }
    }
    if start < end {
        out.push(Sentence {
            span: Span::new(start, end),
            paragraph,
        });
    }
}

/// A candidate sentence end: terminators `run_start..run_end`, closing marks
/// up to `close_end`, whitespace, then the next text at `next`.
struct Ending {
    run_start: usize,
    run_end: usize,
    close_end: usize,
    next: usize,
    end: usize,
    /// The run holds `?` or `!` (not only periods and ellipses).
    emphatic: bool,
}

/// Decides whether a terminator run followed by whitespace ends the sentence.
fn ends_sentence(body: &str, e: &Ending) -> bool {
    let has_closers = e.close_end > e.run_end;
    let lone_period =
        e.run_end - e.run_start == 1 && body.as_bytes().get(e.run_start) == Some(&b'.');
    // Only a lone period can belong to an abbreviation; `...`, `?` or `.")`
    // end the sentence whatever precedes them.
    if lone_period && !has_closers {
        match abbreviation_before(body, e.run_start) {
            Some(Abbreviation::Title) => return false,
            Some(Abbreviation::MaybeFinal) => return opener_follows(body, e.next, e.end),
            Some(Abbreviation::NumberPrefix)
                if char_at(body, e.next).is_some_and(|c| c.is_ascii_digit() || c == '#') =>
            {
                return false;
            }
            Some(Abbreviation::NumberPrefix) | None => {}
        }
    }
    if !starts_after(body, e.next, e.end, true) {
        return false;
    }
    // `"Is it true?" Lavrov asked.`: a question or exclamation closed by a
    // quote mark and followed by its attribution is one sentence.
    let quote_closed =
        char_at(body, e.run_end).is_some_and(|c| matches!(c, '"' | '”' | '’' | '\'' | '»'));
    !(e.emphatic && quote_closed && attribution_follows(body, e.next, e.end))
}

/// Byte length of the sentence terminator at `i`, if there is one.
fn terminator_len(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b'.' | b'!' | b'?' => Some(1),
        // … U+2026, ‼ U+203C, ‽ U+203D; ⁇ ⁈ ⁉ U+2047..=U+2049.
        0xE2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(0x80), Some(0xA6 | 0xBC | 0xBD)) | (Some(0x81), Some(0x87..=0x89)) => Some(3),
            _ => None,
        },
        // ؟ U+061F, the Arabic question mark.
        0xD8 if bytes.get(i + 1) == Some(&0x9F) => Some(2),
        _ => None,
    }
}

/// True when the terminator at `i` is a question or exclamation mark.
fn is_emphatic(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'!' | b'?' | 0xD8) => true,
        Some(0xE2) => bytes.get(i + 1) != Some(&0x80) || bytes.get(i + 2) != Some(&0xA6),
        _ => false,
    }
}

/// Byte length of a line break inside a paragraph at `i` (`\n`, `\r`, U+2028).
fn line_break_len(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b'\n' | b'\r' => Some(1),
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => Some(3),
        _ => None,
    }
}

/// Closing quotes and brackets that stay with the sentence they close.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | '»' | '›' | ')' | ']' | '}')
}

/// True when the text at `at` can start a sentence. After a terminator
/// (`after_terminator`) that is an uppercase or uncased letter, a digit, an
/// opening quote or bracket, a currency sign, or a dash or bullet leading a
/// word; after a bare line break only a bullet or a dash before a capital.
fn starts_after(body: &str, at: usize, end: usize, after_terminator: bool) -> bool {
    let Some(rest) = body.get(at..end) else {
        return false;
    };
    let mut chars = rest.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    if is_dash(c) || is_bullet(c) {
        return marker_leads_text(chars, is_bullet(c), after_terminator);
    }
    if !after_terminator {
        return false;
    }
    // Letters of uncased scripts (Arabic, Hebrew, Devanagari...) have no
    // lowercase to signal a continuation, so they count as starts.
    (c.is_alphabetic() && !c.is_lowercase())
        || c.is_numeric()
        || is_opening_quote(c)
        || is_opening_bracket(c)
        || matches!(c, '¿' | '¡' | '$' | '€' | '£' | '¥')
}

/// True when a dash or bullet (already consumed from `chars`) leads text:
/// a dash directly before a letter after a terminator, else a dash and a few
/// spaces before a capital, or a bullet before any text.
fn marker_leads_text(mut chars: std::str::Chars<'_>, bullet: bool, after_terminator: bool) -> bool {
    let mut c = chars.next();
    if after_terminator && !bullet && c.is_some_and(char::is_alphabetic) {
        return true;
    }
    // A bounded look-ahead: list markers are followed by one or two spaces.
    let mut spaces = 0;
    while let Some(ch) = c
        && matches!(ch, ' ' | '\t' | '\u{a0}')
        && spaces < 4
    {
        spaces += 1;
        c = chars.next();
    }
    match c {
        Some(ch) if bullet => !ch.is_whitespace(),
        Some(ch) => ch.is_uppercase(),
        None => false,
    }
}

/// Classifies the token that ends just before the period at `dot`.
fn abbreviation_before(body: &str, dot: usize) -> Option<Abbreviation> {
    let bytes = body.as_bytes();
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'.';
    let mut start = dot;
    while start > 0 && dot - start <= MAX_ABBREVIATION && is_token_byte(bytes[start - 1]) {
        start -= 1;
    }
    if dot - start > MAX_ABBREVIATION {
        return None;
    }
    // `Müller.` or `O'Neil.`: the ASCII run is the tail of a longer word.
    if char_before(body, start).is_some_and(|c| c.is_alphanumeric() || matches!(c, '\'' | '’')) {
        return None;
    }
    let token = body.get(start..dot)?.trim_start_matches('.');
    if token.is_empty() {
        return None;
    }
    // A capital initial (`George W. Bush`) comes first so that `P.` or `V.`
    // is not read as the page abbreviation `p.` or `v.`.
    if token.len() == 1 && token.as_bytes()[0].is_ascii_uppercase() {
        return Some(Abbreviation::MaybeFinal);
    }
    if let Some(listed) = listed_abbreviation(token) {
        return Some(listed);
    }
    // `5p.m.` is an acronym after its number.
    if is_dotted_acronym(token.trim_start_matches(|c: char| c.is_ascii_digit())) {
        return Some(Abbreviation::MaybeFinal);
    }
    None
}

/// Longest entry of the abbreviation lists, in bytes, that
/// [`listed_abbreviation`] can look up.
const LONGEST_LISTED: usize = 16;

/// A token of up to [`LONGEST_LISTED`] bytes, ASCII lowercased, as one
/// number: zero-padded and read big-endian, numbers order as the tokens do
/// (no token holds a zero byte), and compare without a call to `memcmp`.
fn listed_key(token: &[u8]) -> Option<u128> {
    let mut buf = [0u8; LONGEST_LISTED];
    let lower = buf.get_mut(..token.len())?;
    lower.copy_from_slice(token);
    lower.make_ascii_lowercase();
    Some(u128::from_be_bytes(buf))
}

/// Every entry of [`TITLES`], [`SENTENCE_FINAL_ABBREVIATIONS`] and
/// [`NUMBER_PREFIXES`], as its [`listed_key`] and sorted, with what its list
/// makes of a token and whether it starts with a capital. Entries with the
/// same key keep the order of the lists, which is the order they are tried in.
static LISTED: LazyLock<Vec<(u128, Abbreviation, bool)>> = LazyLock::new(|| {
    let lists = [
        (TITLES, Abbreviation::Title),
        (SENTENCE_FINAL_ABBREVIATIONS, Abbreviation::MaybeFinal),
        (NUMBER_PREFIXES, Abbreviation::NumberPrefix),
    ];
    let mut all: Vec<(u128, Abbreviation, bool)> = lists
        .iter()
        .flat_map(|&(list, kind)| {
            list.iter().filter_map(move |entry| {
                let capital = entry.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
                Some((listed_key(entry.as_bytes())?, kind, capital))
            })
        })
        .collect();
    all.sort_by_key(|entry| entry.0);
    all
});

/// What the first list with an entry matching `token` makes of it (see the
/// matching rule above the lists): one binary search of them all.
fn listed_abbreviation(token: &str) -> Option<Abbreviation> {
    let key = listed_key(token.as_bytes())?;
    let lower_start = token.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    let first = LISTED.partition_point(|entry| entry.0 < key);
    LISTED[first..]
        .iter()
        .take_while(|entry| entry.0 == key)
        .find(|&&(_, _, capital)| !(lower_start && capital))
        .map(|&(_, kind, _)| kind)
}

/// `U.S`, `a.m`, `D.C`, `W.Va`, `Ph.D`: letter groups of one or two joined by periods.
fn is_dotted_acronym(token: &str) -> bool {
    token.contains('.')
        && token.split('.').all(|part| {
            (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphabetic())
        })
}

/// True when the text at `at` opens with a [`SENTENCE_OPENERS`] word (after
/// optional opening quotes or brackets) that is not itself an initial (`A.`).
fn opener_follows(body: &str, at: usize, end: usize) -> bool {
    let Some(rest) = body.get(at..end) else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| is_opening_quote(c) || is_opening_bracket(c));
    let len = rest
        .bytes()
        .take(16)
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if len == 0 || len == 16 || rest.as_bytes().get(len) == Some(&b'.') {
        return false;
    }
    let word = &rest[..len];
    let all_caps = word.bytes().all(|b| b.is_ascii_uppercase());
    SENTENCE_OPENERS
        .iter()
        .any(|opener| *opener == word || (all_caps && opener.eq_ignore_ascii_case(word)))
}

/// True when up to five capitalised words and then a [`SPEECH_VERBS`] verb
/// follow `at` (`she asked`, `Foreign Minister Sergei Lavrov said`).
fn attribution_follows(body: &str, at: usize, end: usize) -> bool {
    let Some(mut rest) = body.get(at..end) else {
        return false;
    };
    for _ in 0..6 {
        let len = rest
            .char_indices()
            .take(32)
            .find(|&(_, c)| !(c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-')))
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..len];
        if SPEECH_VERBS.contains(&word.trim_end_matches('.')) {
            return true;
        }
        if !word.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        rest = &rest[len..];
        let after = rest.trim_start_matches([' ', '\u{a0}']);
        if after.len() == rest.len() {
            return false;
        }
        rest = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(body: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split(body, Span::new(0, body.len()), 0, &mut out);
        out.iter()
            .map(|s| &body[s.span.start..s.span.end])
            .collect()
    }

    /// The bulk scan stops at the same byte as a lookup of every byte, from
    /// any start and to any end, whatever bytes stand around the stop.
    #[test]
    fn the_bulk_scan_stops_where_the_table_does() {
        let text = "Plain words here, and 12 digits; then a stop. Next!\nLine\r\n\
                    \u{201c}Quoted\u{201d} \u{2026} done? Arabic \u{061f} end \u{2028}x\t\x0btail";
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            for end in start..=bytes.len() {
                let want = start
                    + bytes[start..end]
                        .iter()
                        .position(|&b| MAY_END[usize::from(b)])
                        .unwrap_or(end - start);
                assert_eq!(next_may_end(bytes, start, end), want, "{start}..{end}");
            }
        }
    }

    /// Every entry, as listed, lowercased and uppercased, is found in the
    /// first list that has it, under the matching rule above the lists.
    #[test]
    fn listed_abbreviations_follow_the_lists_in_order() {
        let lists = [
            (TITLES, Abbreviation::Title),
            (SENTENCE_FINAL_ABBREVIATIONS, Abbreviation::MaybeFinal),
            (NUMBER_PREFIXES, Abbreviation::NumberPrefix),
        ];
        let by_lists = |token: &str| {
            let lower_start = token.as_bytes()[0].is_ascii_lowercase();
            lists.iter().find_map(|&(list, kind)| {
                list.iter()
                    .any(|e| {
                        e.eq_ignore_ascii_case(token)
                            && !(lower_start && e.as_bytes()[0].is_ascii_uppercase())
                    })
                    .then_some(kind)
            })
        };
        for (list, _) in lists {
            for entry in list {
                assert!(entry.len() <= LONGEST_LISTED, "{entry}");
                for token in [
                    entry.to_string(),
                    entry.to_lowercase(),
                    entry.to_uppercase(),
                ] {
                    assert_eq!(listed_abbreviation(&token), by_lists(&token), "{token}");
                }
            }
        }
        assert_eq!(listed_abbreviation("no"), None);
        assert_eq!(listed_abbreviation("said"), None);
    }

    #[test]
    fn classifies_abbreviations() {
        let kind = |text: &str| abbreviation_before(text, text.len() - 1);
        assert_eq!(kind("met Gen."), Some(Abbreviation::Title));
        assert_eq!(kind("(Dr."), Some(Abbreviation::Title));
        assert_eq!(kind("Apple Inc."), Some(Abbreviation::MaybeFinal));
        assert_eq!(kind("the U.S."), Some(Abbreviation::MaybeFinal));
        assert_eq!(kind("at 5p.m."), Some(Abbreviation::MaybeFinal));
        assert_eq!(kind("George W."), Some(Abbreviation::MaybeFinal));
        assert_eq!(kind("No."), Some(Abbreviation::NumberPrefix));
        assert_eq!(kind("said no."), None);
        assert_eq!(kind("he was ill."), None);
        assert_eq!(kind("Herr Müller."), None);
        assert_eq!(kind("version 2.0."), None);
        assert_eq!(kind("."), None);
        assert_eq!(kind("GEN."), Some(Abbreviation::Title));
    }

    #[test]
    fn openers_and_attribution() {
        assert!(opener_follows("The move", 0, 8));
        assert!(opener_follows("\"It was", 0, 7));
        assert!(!opener_follows("Army", 0, 4));
        assert!(!opener_follows("A. Smith", 0, 8));
        assert!(attribution_follows("She asked.", 0, 10));
        assert!(attribution_follows(
            "Foreign Minister Sergei Lavrov said.",
            0,
            36
        ));
        assert!(!attribution_follows("The ministry said", 0, 17));
        assert!(!attribution_follows("Nobody knows", 0, 12));
    }

    #[test]
    fn splits_inside_one_paragraph() {
        assert_eq!(sentences("Hi. There."), ["Hi.", "There."]);
        assert_eq!(sentences("Hi.  \n  there."), ["Hi.  \n  there."]);
        assert_eq!(
            sentences("Key points:\n• Jobs\n- Growth is up"),
            ["Key points:", "• Jobs", "- Growth is up"]
        );
        assert_eq!(sentences("a well-\nknown fact"), ["a well-\nknown fact"]);
    }
}
