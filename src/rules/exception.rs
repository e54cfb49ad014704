//! Exception patterns of lexicon rules, and the test of whether one cancels a cue.
//!
//! An exception is compiled with the settings `regex::Regex` uses, so it
//! matches exactly what `Regex::find_iter` and `Regex::captures_iter` find.
//! It is kept as the engine underneath (`regex_automata::meta::Regex`) for
//! one search that `regex` does not offer: the end of a match without its
//! start, which skips the backward scan for every match that ends before
//! the cue.
//!
//! Most exceptions can only match where one of a few fixed strings stands
//! ("doubt", "so that"): those are found from the pattern once, and one
//! pass of an [`ExceptionFilter`] over a sentence tells which exceptions
//! need searching there at all.

use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, meta};
use regex_syntax::hir::{Class, Hir, HirKind};

use super::automaton::Automaton;
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
    /// Sets of strings, ASCII lowercased, such that every match contains
    /// a string of each set (see [`required`]).
    required: Vec<Vec<Vec<u8>>>,
    /// Every string the `cue` group can match, ASCII letters lowercased,
    /// when the group takes part in every match and they are few: a match
    /// can then cancel a cue only where one of them overlaps it, which is
    /// checked before the text is searched.
    cue_literals: Option<Vec<Vec<u8>>>,
    /// For each byte, whether a match can begin with it (from the
    /// pattern's prefixes); every byte when they are not known.
    first_bytes: [bool; 256],
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
        let required = required(&hir);
        let config = meta::Config::new()
            .nfa_size_limit(Some(size_limit))
            .hybrid_cache_capacity(DFA_CACHE)
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true)
            // No prefilter of its own: a prefilter changes how fast a
            // search is, never what it finds, and the `ExceptionFilter`
            // already skips the sentences without the required strings.
            // Working out the literals costs more at start-up than the
            // prefilter saves in a large run.
            .auto_prefilter(false);
        let regex = meta::Builder::new()
            .configure(config)
            .build_from_hir(&hir)
            .map_err(|e| regex_error(e.to_string()))?;
        Ok(Exception {
            regex,
            cue_group,
            never_empty,
            required,
            cue_literals: cue_group.then(|| cue_literals(&hir)).flatten(),
            first_bytes: first_bytes(&hir),
        })
    }
    /// False when no string the `cue` group can match overlaps `cue`, so
    /// that no match of the pattern can cancel it; a check of a few bytes
    /// that [`Exception::cancels`] makes first. Always true for a pattern
    /// whose `cue` group's strings are not known.
    pub fn cue_nearby(&self, text: &str, cue: Span) -> bool {
        let Some(literals) = &self.cue_literals else {
            return true;
        };
        let bytes = text.as_bytes();
        literals.iter().any(|literal| {
            // The literals are ASCII lowercased and none is empty.
            let Some((&first, rest)) = literal.split_first() else {
                return true;
            };
            // A literal that overlaps the cue starts at most len - 1 bytes
            // before it and before its end; its first byte is checked
            // before the rest. A lowercase letter is matched by itself and
            // its capital, the bytes that read as it with bit 5 set.
            let from = cue.start.saturating_sub(rest.len());
            let to = cue.end.min(bytes.len().saturating_sub(rest.len()));
            let fold = if first.is_ascii_lowercase() { 0x20 } else { 0 };
            bytes.get(from..to + rest.len()).is_some_and(|near| {
                near.windows(literal.len())
                    .any(|w| w[0] | fold == first && w[1..].eq_ignore_ascii_case(rest))
            })
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
    /// cue it overlaps; if it ends past the cue, a forward search from the
    /// end of the cue mostly settles whether it starts before; only if not
    /// is its start looked for: first by anchored searches forward from the
    /// last match's end, at bytes a match can begin with, and only when
    /// those give up by a backward scan, which for a pattern with long
    /// repeats of Unicode classes costs far more than the forward one.
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
        // A match that starts at or after the end of the cue is also the
        // first found from there, with the same end; any other end, or
        // none, means it starts before, so it overlaps. Only when the ends
        // agree is its start looked for.
        let from_cue = self.regex.search_half(&Input::new(text).range(cue.end..));
        if from_cue.is_none_or(|half| half.offset() != end) {
            return true;
        }
        let at = if i == 0 { 0 } else { ends.ends[i - 1] };
        // The match begins at the first place from `at` where the pattern
        // matches anchored: it overlaps when that place is before the end
        // of the cue (it ends past the cue). A few anchored tries forward
        // cost far less than the backward scan; where they would be many,
        // the backward scan decides.
        let bytes = text.as_bytes();
        let mut tries = 0;
        for (p, &b) in bytes.iter().enumerate().take(cue.end).skip(at) {
            if !self.first_bytes[usize::from(b)] {
                continue;
            }
            tries += 1;
            if tries > MAX_ANCHORED_TRIES {
                return self
                    .regex
                    .search(&Input::new(text).range(at..))
                    .is_some_and(|m| m.start() < cue.end && cue.start < m.end());
            }
            let input = Input::new(text).range(p..).anchored(Anchored::Yes);
            if self.regex.search_half(&input).is_some() {
                return true;
            }
        }
        false
    }
}

/// Most anchored searches [`Exception::cancels_in`] tries before it looks
/// for the start of a match backward instead.
const MAX_ANCHORED_TRIES: usize = 32;

/// For each byte, whether a match of `hir` can begin with it; every byte
/// when it can match empty.
fn first_bytes(hir: &Hir) -> [bool; 256] {
    let mut first = [false; 256];
    if starts_with(hir, &mut first) {
        first = [true; 256];
    }
    first
}

/// Marks in `first` every byte a match of `hir` can begin with, and tells
/// whether it can match empty (so that what follows it can begin one).
fn starts_with(hir: &Hir, first: &mut [bool; 256]) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => match literal.0.first() {
            Some(&b) => {
                first[usize::from(b)] = true;
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(class)) => {
            // UTF-8 keeps the order of code points, so the first bytes of
            // a range lie between those of its ends.
            for range in class.ranges() {
                let lead = |c: char| {
                    let mut buf = [0; 4];
                    c.encode_utf8(&mut buf).as_bytes()[0]
                };
                first[usize::from(lead(range.start()))..=usize::from(lead(range.end()))].fill(true);
            }
            class.ranges().is_empty()
        }
        HirKind::Class(Class::Bytes(class)) => {
            for range in class.ranges() {
                first[usize::from(range.start())..=usize::from(range.end())].fill(true);
            }
            class.ranges().is_empty()
        }
        HirKind::Capture(group) => starts_with(&group.sub, first),
        HirKind::Repetition(repeat) => starts_with(&repeat.sub, first) || repeat.min == 0,
        HirKind::Concat(parts) => parts.iter().all(|part| starts_with(part, first)),
        HirKind::Alternation(parts) => {
            // Every branch marks its bytes, whichever can match empty.
            let mut empty = false;
            for part in parts {
                empty |= starts_with(part, first);
            }
            empty
        }
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

/// Most strings kept in a set of required strings; a pattern that would
/// need more keeps a shorter part, or none.
const MAX_REQUIRED: usize = 32;

/// The strings, ASCII lowercased, one of which every match of `hir` is;
/// `None` when its matches are not among a few fixed strings. Under `(?i)`
/// a letter is a class of its cases (`[Ss\u{17F}]`), so "most" is the set
/// {"most", "moſt"}.
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(literal) => Some(vec![literal.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_strings(class),
        HirKind::Capture(group) => exact(&group.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(vec![Vec::new()], |set, part| product(&set, &exact(part)?)),
        HirKind::Alternation(parts) => {
            let mut set = Vec::new();
            for part in parts {
                union(&mut set, exact(part)?);
            }
            (set.len() <= MAX_REQUIRED).then_some(set)
        }
        HirKind::Repetition(repeat) if repeat.max == Some(repeat.min) && repeat.min <= 4 => {
            let sub = exact(&repeat.sub)?;
            (0..repeat.min).try_fold(vec![Vec::new()], |set, _| product(&set, &sub))
        }
        HirKind::Repetition(_) => None,
    }
}

/// The characters of a small class as strings, ASCII lowercased.
fn class_strings(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut set = Vec::new();
    match class {
        Class::Unicode(class) => {
            for range in class.ranges() {
                if range.end() as u32 - range.start() as u32 >= 4 {
                    return None;
                }
                for c in range.start()..=range.end() {
                    let mut buf = [0; 4];
                    let bytes = c.encode_utf8(&mut buf).as_bytes().to_ascii_lowercase();
                    union(&mut set, vec![bytes]);
                }
                if set.len() > 4 {
                    return None;
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.ranges() {
                if range.end() - range.start() >= 4 {
                    return None;
                }
                for b in range.start()..=range.end() {
                    union(&mut set, vec![vec![b.to_ascii_lowercase()]]);
                }
                if set.len() > 4 {
                    return None;
                }
            }
        }
    }
    Some(set)
}

/// Every string of `left` followed by every string of `right`, unless that
/// makes too many.
fn product(left: &[Vec<u8>], right: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if left.len() * right.len() > MAX_REQUIRED {
        return None;
    }
    let mut set = Vec::new();
    for l in left {
        union(
            &mut set,
            right.iter().map(|r| [l.as_slice(), r].concat()).collect(),
        );
    }
    Some(set)
}

/// Adds the strings of `more` that `set` lacks.
fn union(set: &mut Vec<Vec<u8>>, more: Vec<Vec<u8>>) {
    for s in more {
        if !set.contains(&s) {
            set.push(s);
        }
    }
}

/// Shortest string worth requiring.
const MIN_REQUIRED: usize = 3;

/// Most sets of required strings kept for one pattern.
const MAX_CLAUSES: usize = 16;

/// Sets of strings, ASCII lowercased, such that every match of `hir`
/// contains a string of each set ("may" or "might" or "could", and "often"
/// or "sometimes"); empty when no such set was found, and the pattern must
/// be searched whatever the text.
fn required(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    required_given(hir, exact(hir))
}

/// [`required`], given [`exact`] of `hir`: a caller that has it already
/// spares working it out again, at every level of the pattern.
fn required_given(hir: &Hir, exact_strings: Option<Vec<Vec<u8>>>) -> Vec<Vec<Vec<u8>>> {
    // Shorter strings are found in nearly every sentence: finding them
    // would cost more than the searches they could spare.
    let usable = |set: Vec<Vec<u8>>| set.iter().all(|s| s.len() >= MIN_REQUIRED).then_some(set);
    if let Some(set) = exact_strings {
        return usable(set).into_iter().collect();
    }
    match hir.kind() {
        // A group matches what its inside does: no exact strings either.
        HirKind::Capture(group) => required_given(&group.sub, None),
        HirKind::Repetition(repeat) if repeat.min > 0 => required(&repeat.sub),
        HirKind::Alternation(parts) => {
            // Each branch gives its strongest set; a match contains a string
            // of one of them.
            let mut set = Vec::new();
            for part in parts {
                let Some(strongest) = strongest(required(part)) else {
                    return Vec::new();
                };
                union(&mut set, strongest);
            }
            if set.len() <= MAX_REQUIRED {
                vec![set]
            } else {
                Vec::new()
            }
        }
        HirKind::Concat(parts) => {
            // Every run of parts that match fixed strings, and what each
            // other part requires.
            let mut clauses = Vec::new();
            let mut run = vec![Vec::new()];
            for part in parts {
                match exact(part) {
                    Some(set) => match product(&run, &set) {
                        Some(longer) => run = longer,
                        None => clauses.extend(usable(std::mem::replace(&mut run, set))),
                    },
                    None => {
                        clauses.extend(usable(std::mem::replace(&mut run, vec![Vec::new()])));
                        clauses.extend(required_given(part, None));
                    }
                }
            }
            clauses.extend(usable(run));
            clauses.sort_by_key(|set| std::cmp::Reverse(strength(set)));
            clauses.dedup();
            clauses.truncate(MAX_CLAUSES);
            clauses
        }
        _ => Vec::new(),
    }
}

/// How rarely a set of strings is likely to be found: its shortest
/// string's length first, then how few strings it has.
fn strength(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

/// The set rarest to be found of `clauses`.
fn strongest(clauses: Vec<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    clauses.into_iter().max_by_key(|set| strength(set))
}

/// One automaton over the strings every exception of a rule set needs:
/// a sentence is scanned once to learn which exceptions can match in it.
#[derive(Debug, Clone)]
pub struct ExceptionFilter {
    /// Over the required strings of every exception, ASCII
    /// case-insensitive; none when no exception has any.
    automaton: Option<Box<Automaton>>,
    /// For each pattern of the automaton, the exceptions (numbered across
    /// the rule set) that need it, each with the bit of its set.
    needed_by: Vec<Vec<(usize, u32)>>,
    /// For each exception, the bits of all its sets: it can match where a
    /// string of each set is found.
    all_sets: Vec<u32>,
    /// Number of the first exception of each rule.
    first: Vec<usize>,
}

impl ExceptionFilter {
    /// The filter over the exceptions of each rule, in rule order.
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a [Exception]>) -> ExceptionFilter {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut needed_by: Vec<Vec<(usize, u32)>> = Vec::new();
        let mut all_sets = Vec::new();
        let mut first = Vec::new();
        for exceptions in rules {
            first.push(all_sets.len());
            for e in exceptions {
                let id = all_sets.len();
                let mut all = 0;
                for (i, set) in e.required.iter().enumerate().take(MAX_CLAUSES) {
                    let bit = 1 << i;
                    all |= bit;
                    for s in set {
                        let at = patterns.iter().position(|p| p == s).unwrap_or_else(|| {
                            patterns.push(s.clone());
                            needed_by.push(Vec::new());
                            patterns.len() - 1
                        });
                        needed_by[at].push((id, bit));
                    }
                }
                all_sets.push(all);
            }
        }
        // The lexicon's kind of automaton, over the lowercased strings and
        // reading the text lowercased. Should it fail to build, every
        // exception is searched.
        let automaton = (!patterns.is_empty())
            .then(|| Automaton::new(&patterns, &super::lexicon::LOWER))
            .flatten()
            .map(Box::new);
        if automaton.is_none() {
            all_sets.fill(0);
        }
        ExceptionFilter {
            automaton,
            needed_by,
            all_sets,
            first,
        }
    }

    /// Which exceptions can match somewhere in `text`.
    pub fn possible(&self, text: &str) -> PossibleExceptions<'_> {
        let mut found = vec![0u32; self.all_sets.len()];
        if let Some(automaton) = &self.automaton {
            automaton.overlapping(text.as_bytes(), |_, _, pattern| {
                for &(id, bit) in &self.needed_by[pattern as usize] {
                    found[id] |= bit;
                }
                false
            });
        }
        PossibleExceptions {
            found,
            filter: self,
        }
    }
}

/// The exceptions that can match in one text (see [`ExceptionFilter`]).
#[derive(Debug)]
pub struct PossibleExceptions<'a> {
    /// For each exception, the bits of the sets with a string in the text.
    found: Vec<u32>,
    filter: &'a ExceptionFilter,
}

impl PossibleExceptions<'_> {
    /// False when exception `exception` of rule `rule` cannot match in the
    /// text, so it cancels no cue there.
    pub fn get(&self, rule: usize, exception: usize) -> bool {
        let filter = self.filter;
        filter
            .first
            .get(rule)
            .and_then(|first| {
                let id = first + exception;
                Some(self.found.get(id)? == filter.all_sets.get(id)?)
            })
            .unwrap_or(true)
    }
}

/// Every string the `cue` group of `hir` can match (as [`exact`] gives
/// them), when the group takes part in every match (it is not inside an
/// alternation or repetition) and none of them is empty.
fn cue_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    fn group(hir: &Hir) -> Option<&Hir> {
        match hir.kind() {
            HirKind::Capture(g) if g.name.as_deref() == Some("cue") => Some(&g.sub),
            HirKind::Capture(g) => group(&g.sub),
            HirKind::Concat(parts) => parts.iter().find_map(group),
            _ => None,
        }
    }
    let mut literals = exact(group(hir)?)?;
    literals.sort_unstable();
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
            literals(r"(?P<cue>record)s? straight"),
            Some(vec![b"record".to_vec()])
        );
        // An optional part is not among the strings spelled out.
        assert_eq!(literals(r"(?P<cue>records?) straight"), None);
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
            // No known first bytes: the start is looked for backward once
            // the anchored tries run out.
            r"(?i)\w+ly(?-u:\b)",
            r"(?i)[^.;]*?\bcould\b",
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

    /// The strings a pattern needs are found, and a text that spells them
    /// in another case, or with a long s, is still searched.
    #[test]
    fn required_strings_skip_only_texts_that_cannot_match() {
        let parse = |p: &str| syntax::parse_with(p, &syntax::Config::new()).unwrap();
        let needs = |p: &str| {
            required(&parse(p))
                .into_iter()
                .map(|set| {
                    let mut set: Vec<String> = set
                        .into_iter()
                        .map(|s| String::from_utf8(s).unwrap())
                        .collect();
                    set.sort();
                    set
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            needs(r"(?i)(?:so|in order) that\b(?:\W+\w+){0,10}?\W+(?:may|might)\b"),
            [
                vec!["in order that", "so that", "\u{17f}o that"],
                vec!["may", "might"],
            ]
        );
        assert_eq!(needs(r"(?i)(?:at|the)\s+most\b"), [vec!["most", "moſt"]]);
        assert!(needs(r"(?i)\w+").is_empty());
        assert!(needs(r"(?i)a*").is_empty());
        let e = Exception::new(r"(?i)(?:at|the)\s+most\b", 1 << 20).unwrap();
        let any = Exception::new(r"(?i)\w+", 1 << 20).unwrap();
        let filter = ExceptionFilter::new([&[][..], &[any, e][..]]);
        assert!(filter.possible("AT MOST ten").get(1, 1));
        assert!(filter.possible("at mo\u{17f}t ten").get(1, 1));
        assert!(!filter.possible("at least ten").get(1, 1));
        assert!(filter.possible("at least ten").get(1, 0));
    }

    /// Every match begins with a byte marked as a first byte.
    #[test]
    fn matches_begin_with_first_bytes() {
        let text = "So that \u{17f}o that, \u{e9}t\u{e9} 42 \u{2019}twas; Could not x";
        for p in [
            r"(?i)so that",
            r"(?i)(?:\w+\s+)?could",
            r"\w+",
            r"(?:\d|[\u{2019}\u{e9}])x?",
            r"\b(?:a*|b)t",
            r"(?i)[^.;]+",
        ] {
            let first = first_bytes(&syntax::parse(p).unwrap());
            for m in regex::Regex::new(p).unwrap().find_iter(text) {
                let b = text.as_bytes()[m.start()];
                assert!(first[usize::from(b)], "{p} at {}", m.start());
            }
        }
        // Only the first bytes of "could" in either case are marked.
        let first = first_bytes(&syntax::parse(r"(?i)could").unwrap());
        assert_eq!(first.iter().filter(|&&b| b).count(), 2);
    }

    #[test]
    fn a_bad_pattern_gives_the_regex_error() {
        let pattern = String::from("(unclosed");
        let ours = Exception::new(&pattern, 1 << 20).unwrap_err().to_string();
        let theirs = regex::Regex::new(&pattern).unwrap_err().to_string();
        assert_eq!(ours, theirs);
    }
}
