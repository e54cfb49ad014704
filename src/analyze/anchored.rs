//! Matches of a pattern found by trying it only where a match can begin.
//!
//! `find_iter` runs the pattern's automaton over every byte of an article.
//! The date pattern can only begin at a few kinds of bytes (a digit, the
//! capital of a month or weekday name), which are found by a scan far
//! cheaper than the automaton; the pattern is then tried anchored at each.
//! The caller lists those places; a place left out is a match lost, so the
//! list is tested against `find_iter` (see the tests of `dates`).

use regex_automata::{Anchored, Input, meta};

use crate::text::Span;

/// The match of `re` that begins at `start`, if one does: the match
/// `find_iter` gives when no match begins between where it searches from
/// and `start`. Which match begins at a place depends only on the text
/// (look-behind sees the bytes before it, the match runs as far as
/// leftmost-first takes it), not on where the search began.
pub fn match_at(re: &meta::Regex, text: &str, start: usize) -> Option<Span> {
    let input = Input::new(text).range(start..).anchored(Anchored::Yes);
    let m = re.search(&input)?;
    debug_assert!(!m.is_empty(), "anchored patterns never match empty");
    Some(Span::new(m.start(), m.end()))
}

/// The matches `find_iter` would give, found by trying `re` anchored at
/// each of `starts` (ascending; repeats allowed) that does not lie inside
/// the match before. The same when every place a match can begin is in
/// `starts`: `find_iter` reports the leftmost match beginning at or after
/// the end of the last one, and the first place after it where a match
/// begins is that one. `re` must not match the empty string: `find_iter`
/// steps over empty matches by its own rule.
pub fn matches_at(re: &meta::Regex, text: &str, starts: &[usize]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut after = 0;
    for &start in starts {
        if start < after {
            continue;
        }
        if let Some(m) = match_at(re, text, start) {
            out.push(m);
            after = m.end;
        }
    }
    out
}

/// True for the bytes `(?-u:\b)` counts as word characters.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Calls `mark` with the offset of every ASCII digit, ASCII capital and
/// first byte of a non-ASCII character in `bytes`, in order. Eight bytes at a time: in English
/// prose most runs of eight have none, and those cost a few instructions.
pub fn digits_capitals_and_non_ascii(bytes: &[u8], mut mark: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for (n, chunk) in chunks.enumerate() {
        let w = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        let low7 = w & !HIGH;
        // For a byte below 0x80, adding 0x80 - lo sets its top bit exactly
        // when it is at least lo, and never carries into the next byte.
        let at_least = |lo: u8| low7.wrapping_add(ONES * u64::from(0x80 - lo)) & HIGH;
        let digit = at_least(b'0') & !at_least(b'9' + 1);
        let capital = at_least(b'A') & !at_least(b'Z' + 1);
        // A first byte of a non-ASCII character is 0b11xxxxxx.
        let lead = w & (w << 1) & HIGH;
        let mut marked = ((digit | capital) & !w) | lead;
        while marked != 0 {
            mark(n * 8 + marked.trailing_zeros() as usize / 8);
            marked &= marked - 1;
        }
    }
    let base = bytes.len() - tail.len();
    for (i, &b) in tail.iter().enumerate() {
        if b.is_ascii_digit() || b.is_ascii_uppercase() || b >= 0xC0 {
            mark(base + i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_digits_capitals_and_non_ascii_chars() {
        for text in [
            "",
            "a",
            "The 3 ships",
            "caf\u{e9} 12 \u{2019}Zz@[`{/:",
            "0123456789ABCDEFGZ",
        ] {
            let mut got = Vec::new();
            digits_capitals_and_non_ascii(text.as_bytes(), |i| got.push(i));
            let want: Vec<usize> = (0..text.len())
                .filter(|&i| {
                    let b = text.as_bytes()[i];
                    b.is_ascii_digit()
                        || b.is_ascii_uppercase()
                        || (text.is_char_boundary(i) && !b.is_ascii())
                })
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
