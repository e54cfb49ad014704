//! Exception patterns of lexicon rules, and the test of whether one cancels a cue.
//!
//! An exception is compiled with the settings `regex::Regex` uses, so it
//! matches exactly what `Regex::find_iter` and `Regex::captures_iter` find.
//! It is kept as the engine underneath (`regex_automata::meta::Regex`) for
//! one search that `regex` does not offer: the end of a match without its
//! start, which skips the backward scan for every match that ends before
//! the cue.

use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, meta};
use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{Hir, HirKind};

use crate::text::Span;

/// The hybrid DFA cache `regex::Regex` gives each pattern by default.
const DFA_CACHE: usize = 2 * (1 << 20);

/// A compiled exception pattern of a lexicon rule.
#[derive(Debug, Clone)]
pub struct Exception {
    regex: meta::Regex,
    /// The pattern has a group named `cue`: only that group must overlap.
    cue_group: bool,
    /// No match of the pattern is empty, so matches can be stepped through
    /// by their ends alone.
    never_empty: bool,
    /// Every string the `cue` group can match, ASCII letters lowercased,
    /// when the group takes part in every match and they are few: a match
    /// can then cancel a cue only where one of them overlaps it, which is
    /// checked before the text is searched.
    cue_literals: Option<Vec<Vec<u8>>>,
}

impl Exception {
    /// Compiles `pattern` as `regex::RegexBuilder` would with `size_limit`.
    /// A bad pattern gives the error `regex` gives for it.
    pub fn new(pattern: &str, size_limit: usize) -> Result<Exception, regex::Error> {
        // The same pattern and limits fail the same way in `regex`; its
        // error reads better, and rule authors know it.
        let regex_error = |e: String| {
            regex::RegexBuilder::new(pattern)
                .size_limit(size_limit)
                .build()
                .err()
                .unwrap_or(regex::Error::Syntax(e))
        };
        // Parsed once: the parse answers what the search needs to know and
        // is what the engine is built from.
        let hir = syntax::parse_with(pattern, &syntax::Config::new().utf8(true))
            .map_err(|e| regex_error(e.to_string()))?;
        let cue_group = names_group(&hir, "cue");
        let never_empty = hir.properties().minimum_len().is_some_and(|n| n > 0);
        let config = meta::Config::new()
            .nfa_size_limit(Some(size_limit))
            .hybrid_cache_capacity(DFA_CACHE)
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true);
        let regex = meta::Builder::new()
            .configure(config)
            .build_from_hir(&hir)
            .map_err(|e| regex_error(e.to_string()))?;
        Ok(Exception {
            regex,
            cue_group,
            never_empty,
            cue_literals: cue_group.then(|| cue_literals(&hir)).flatten(),
        })
    }

    /// False when no string the `cue` group can match overlaps `cue`, so
    /// that no match of the pattern can cancel it.
    fn cue_nearby(&self, text: &str, cue: Span) -> bool {
        let Some(literals) = &self.cue_literals else {
            return true;
        };
        let bytes = text.as_bytes();
        literals.iter().any(|literal| {
            // A literal that overlaps the cue starts at most len - 1 bytes
            // before it and ends at most len - 1 bytes after it.
            let from = cue.start.saturating_sub(literal.len() - 1);
            let to = (cue.end + literal.len() - 1).min(bytes.len());
            from < to
                && bytes[from..to]
                    .windows(literal.len())
                    .any(|w| w.eq_ignore_ascii_case(literal))
        })
    }

    /// True when a match in `text` overlaps `cue`: the whole match, or its
    /// `cue` group when the pattern names one. Matches are those of
    /// `regex::Regex::find_iter` (or `captures_iter`), leftmost first and
    /// not overlapping one another.
    pub fn cancels(&self, text: &str, cue: Span) -> bool {
        let overlaps = |start: usize, end: usize| start < cue.end && cue.start < end;
        if self.cue_group {
            if !self.cue_nearby(text, cue) {
                return false;
            }
            return self.regex.captures_iter(text).any(|c| {
                c.get_group_by_name("cue")
                    .or_else(|| c.get_match().map(|m| m.span()))
                    .is_some_and(|s| overlaps(s.start, s.end))
            });
        }
        if !self.never_empty {
            return self
                .regex
                .find_iter(text)
                .any(|m| overlaps(m.start(), m.end()));
        }
        self.cancels_in(text, &mut MatchEnds::default(), cue)
    }

    /// True when the pattern's matches can be stepped through by their ends
    /// alone, as [`Exception::cancels_in`] does: it names no cue group and
    /// cannot match empty.
    pub fn by_ends(&self) -> bool {
        !self.cue_group && self.never_empty
    }

    /// [`Exception::cancels`] for a pattern [`Exception::by_ends`], keeping
    /// the match ends found in `text` in `ends` for the next cue of the
    /// same text.
    ///
    /// With no empty match, each search starts where the last match ended.
    /// A match that ends by the start of the cue cannot overlap it, so only
    /// its end is needed; the first to end beyond the start of the cue
    /// decides, since every later one starts after it. If it ends within the
    /// cue it overlaps; only if it ends past the cue is its start looked
    /// for, a backward scan that for a pattern with long repeats of Unicode
    /// classes costs far more than the forward one.
    pub fn cancels_in(&self, text: &str, ends: &mut MatchEnds, cue: Span) -> bool {
        while !ends.done && ends.ends.last().is_none_or(|&end| end <= cue.start) {
            let at = ends.ends.last().copied().unwrap_or(0);
            match self.regex.search_half(&Input::new(text).range(at..)) {
                Some(half) => ends.ends.push(half.offset()),
                None => ends.done = true,
            }
        }
        // The search for the deciding match began where the one before ended.
        let i = ends.ends.partition_point(|&end| end <= cue.start);
        let Some(&end) = ends.ends.get(i) else {
            return false;
        };
        if end <= cue.end {
            return true;
        }
        let at = if i == 0 { 0 } else { ends.ends[i - 1] };
        self.regex
            .search(&Input::new(text).range(at..))
            .is_some_and(|m| m.start() < cue.end && cue.start < m.end())
    }
}

/// The ends of an exception's matches in one text, in order, found as far
/// as the cues asked about so far needed.
#[derive(Debug, Default)]
pub struct MatchEnds {
    ends: Vec<usize>,
    /// No match follows the last end.
    done: bool,
}

/// The most strings a `cue` group may stand for and still be checked for
/// by [`Exception::cue_nearby`]; `(?i)` spells each out in every case.
const MAX_CUE_LITERALS: usize = 250;

/// Every string the `cue` group of `hir` can match, ASCII letters
/// lowercased, when the group takes part in every match (it is not inside
/// an alternation or repetition) and those strings are few and not empty.
fn cue_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    fn group(hir: &Hir) -> Option<&Hir> {
        match hir.kind() {
            HirKind::Capture(g) if g.name.as_deref() == Some("cue") => Some(&g.sub),
            HirKind::Capture(g) => group(&g.sub),
            HirKind::Concat(parts) => parts.iter().find_map(group),
            _ => None,
        }
    }
    let mut extractor = Extractor::new();
    extractor.limit_total(MAX_CUE_LITERALS);
    let seq = extractor.extract(group(hir)?);
    if !seq.is_exact() {
        return None;
    }
    let mut literals: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    literals.sort_unstable();
    literals.dedup();
    (!literals.is_empty() && literals.iter().all(|l| !l.is_empty())).then_some(literals)
}

/// True when `hir` has a capture group called `name`.
fn names_group(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(group) => {
            group.name.as_deref() == Some(name) || names_group(&group.sub, name)
        }
        HirKind::Repetition(repeat) => names_group(&repeat.sub, name),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(|part| names_group(part, name))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a `cue` group that takes part in every match, and stands for
    /// few strings, is checked for by its strings.
    #[test]
    fn cue_literals_only_for_a_group_in_every_match() {
        let literals = |p: &str| Exception::new(p, 1 << 20).unwrap().cue_literals;
        assert_eq!(
            literals(r"(?i)at (?P<cue>worst)"),
            // `(?i)` folds "s" with the long s as well.
            Some(vec![b"worst".to_vec(), "wor\u{17f}t".as_bytes().to_vec()])
        );
        assert_eq!(
            literals(r"(?P<cue>records?) straight"),
            Some(vec![b"record".to_vec(), b"records".to_vec()])
        );
        assert_eq!(literals(r"(?:the|(?P<cue>could)) not"), None);
        assert_eq!(literals(r"(?P<cue>[a-z]+ly) said"), None);
        assert_eq!(literals(r"at (?P<cue>x?)"), None);
        assert_eq!(literals(r"could not"), None);
    }

    /// Every overlap test agrees with `regex`'s own iterators.
    #[test]
    fn cancels_what_regex_find_iter_overlaps() {
        let patterns = [
            r"(?i)could(?:n't| not)",
            r"(?i)(?:at|the)\s+most(?-u:\b)",
            r"(?i)(?P<cue>most)\s+[a-z]+ly(?-u:\b)",
            r"(?i)a*",
            r"(?i)(?-u:\b)",
            r"(?i)so that(?-u:\b)(?:\W+\w+){0,10}?\W+(?:may|might)(?-u:\b)",
            r"(?i)at (?P<cue>worst|most)(?-u:\b)",
            r"(?i)(?P<cue>records?) straight",
            r"(?i)(?:the|(?P<cue>could)) not",
            r"(?i)(?P<cue>first time)",
        ];
        let text = "The most likely outcome: they could not, at most, say so that it may rain; \
                    the most, the most. Most surely aaa could n't. At WORST set the Records \
                    straight, the first time and the record straight; the not";
        for p in patterns {
            let ours = Exception::new(p, 1 << 20).unwrap();
            let theirs = regex::Regex::new(p).unwrap();
            let cue_named = theirs.capture_names().flatten().any(|n| n == "cue");
            for start in 0..=text.len() {
                for end in start..=(start + 12).min(text.len()) {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                        continue;
                    }
                    let cue = Span::new(start, end);
                    let overlap = |a: usize, b: usize| a < cue.end && cue.start < b;
                    let expected = if cue_named {
                        theirs.captures_iter(text).any(|c| {
                            c.name("cue")
                                .or_else(|| c.get(0))
                                .is_some_and(|m| overlap(m.start(), m.end()))
                        })
                    } else {
                        theirs.find_iter(text).any(|m| overlap(m.start(), m.end()))
                    };
                    assert_eq!(ours.cancels(text, cue), expected, "{p} on {start}..{end}");
                    if ours.by_ends() {
                        let mut ends = MatchEnds::default();
                        assert_eq!(ours.cancels_in(text, &mut ends, cue), expected, "{p} ends");
                        // And again with the ends that cue left behind.
                        let shifted = Span::new(cue.start / 2, cue.end / 2 + 1);
                        let again = ours.cancels_in(text, &mut ends, shifted);
                        assert_eq!(again, ours.cancels(text, shifted), "{p} reused");
                    }
                }
            }
        }
    }

    #[test]
    fn a_bad_pattern_gives_the_regex_error() {
        let pattern = String::from("(unclosed");
        let ours = Exception::new(&pattern, 1 << 20).unwrap_err().to_string();
        let theirs = regex::Regex::new(&pattern).unwrap_err().to_string();
        assert_eq!(ours, theirs);
    }
}
