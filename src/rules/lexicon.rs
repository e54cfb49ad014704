//! One automaton over every term of every rule.
//!
//! An article is scanned once for all lexicon terms, whatever the number of
//! rules: each pattern remembers which rules and settings own it. Matching is
//! ASCII case-insensitive with a word-boundary check on both ends, so "may"
//! never matches inside "mayor". Curly apostrophes are matched by adding a
//! variant of each term that has a straight one.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{AttributionSpec, ClaimSpec, Rule, RuleParams};
use crate::text::Span;

/// Who a lexicon pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A term of the rule at this index (lexicon and unsourced rules).
    Rule(usize),
    /// A word of predicate `predicate` of the quantity-conflict rule `rule`.
    Predicate { rule: usize, predicate: usize },
    /// A reporting verb: its subject is the source.
    Verb,
    /// A cue followed by its source ("according to").
    SourceAfter,
    /// An attitude verb ("wants", "hopes"): its subject holds the view.
    Attitude,
    /// A view without a holder ("is expected to").
    Impersonal,
    /// A verb that reports speech only next to a quotation ("continued").
    QuoteVerb,
    /// A check-worthiness term.
    ClaimTerm,
}

/// One boundary-checked match of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexMatch {
    pub span: Span,
    pub pattern: u32,
}

/// The compiled automaton and the owners of each pattern.
#[derive(Debug)]
pub struct Lexicon {
    automaton: AhoCorasick,
    owners: Vec<Vec<Owner>>,
}

impl Lexicon {
    /// Builds the automaton from every term the rules and settings name.
    pub fn build(rules: &[Rule], attribution: &AttributionSpec, claims: &ClaimSpec) -> Lexicon {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut add = |term: &str, owner: Owner| {
            for variant in variants(term) {
                let id = *index.entry(variant.clone()).or_insert_with(|| {
                    patterns.push(variant);
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                if !owners[id].contains(&owner) {
                    owners[id].push(owner);
                }
            }
        };
        for (i, rule) in rules.iter().enumerate() {
            for term in &rule.terms {
                add(term, Owner::Rule(i));
            }
            if let RuleParams::QuantityConflict { predicates, .. } = &rule.params {
                for (p, (_, words)) in predicates.iter().enumerate() {
                    for w in words {
                        add(
                            w,
                            Owner::Predicate {
                                rule: i,
                                predicate: p,
                            },
                        );
                    }
                }
            }
        }
        for v in &attribution.verbs {
            add(v, Owner::Verb);
        }
        for v in &attribution.source_after {
            add(v, Owner::SourceAfter);
        }
        for v in &attribution.attitude_verbs {
            add(v, Owner::Attitude);
        }
        for v in &attribution.impersonal {
            add(v, Owner::Impersonal);
        }
        for v in &attribution.quote_verbs {
            add(v, Owner::QuoteVerb);
        }
        for t in &claims.terms {
            add(t, Owner::ClaimTerm);
        }
        // A full DFA: one table lookup a byte. It costs a few milliseconds
        // and about a megabyte to build for the default pack's terms, once a
        // run, and scans several times faster than the default NFA.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("terms are plain strings; the automaton always builds for them");
        Lexicon { automaton, owners }
    }

    /// Every boundary-checked match in `text`, in order of start, overlaps included.
    pub fn scan(&self, text: &str) -> Vec<LexMatch> {
        let haystack = normalize_space(text);
        let bytes = haystack.as_bytes();
        let mut out: Vec<LexMatch> = self
            .automaton
            .find_overlapping_iter(bytes)
            .filter(|m| at_word_boundaries(text, m.start(), m.end()))
            .map(|m| LexMatch {
                span: Span::new(m.start(), m.end()),
                pattern: m.pattern().as_u32(),
            })
            .collect();
        out.sort_by_key(|m| (m.span.start, m.span.end, m.pattern));
        out
    }

    /// The owners of a matched pattern.
    pub fn owners(&self, pattern: u32) -> &[Owner] {
        self.owners
            .get(pattern as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// A short list of phrases to look for in a speaker's name.
#[derive(Debug, Clone)]
pub struct PhraseList {
    automaton: Option<AhoCorasick>,
}

impl PhraseList {
    /// Compiles a list; an empty list matches nothing.
    pub fn new(phrases: &[String]) -> PhraseList {
        let all: Vec<String> = phrases.iter().flat_map(|p| variants(p)).collect();
        let automaton = if all.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&all)
                    .expect("phrases are plain strings; the automaton always builds for them"),
            )
        };
        PhraseList { automaton }
    }

    /// The first whole-word occurrence of any phrase in `text`.
    pub fn find(&self, text: &str) -> Option<Span> {
        let automaton = self.automaton.as_ref()?;
        let haystack = normalize_space(text);
        automaton
            .find_overlapping_iter(haystack.as_bytes())
            .find(|m| at_word_boundaries(text, m.start(), m.end()))
            .map(|m| Span::new(m.start(), m.end()))
    }

    /// True when some phrase occurs as whole words in `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.find(text).is_some()
    }
}

/// Lowercased term, plus a curly-apostrophe variant when it has a straight one.
fn variants(term: &str) -> Vec<String> {
    let base = term.split_whitespace().collect::<Vec<_>>().join(" ");
    if base.is_empty() {
        return Vec::new();
    }
    let mut out = vec![base.clone()];
    if base.contains('\'') {
        out.push(base.replace('\'', "\u{2019}"));
    }
    out
}

/// Line breaks and tabs become spaces (same byte length) so that a phrase
/// wrapped over two lines still matches.
fn normalize_space(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr3(b'\n', b'\r', b'\t', text.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// True when neither neighbour of `text[start..end]` is a letter or digit.
pub fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    // A boundary is only needed where the term itself starts or ends with a word character.
    let glued_front = is_word(first) && is_word(before);
    let glued_back = is_word(last) && is_word(after);
    !glued_front && !glued_back
}
