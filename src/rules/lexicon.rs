//! One automaton over every term of every rule.
//!
//! An article is scanned once for all lexicon terms, whatever the number of
//! rules: each pattern remembers which rules and settings own it. Matching is
//! ASCII case-insensitive with a word-boundary check on both ends, so "may"
//! never matches inside "mayor". Curly apostrophes are matched by adding a
//! variant of each term that has a straight one.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use super::automaton::Automaton;
use super::spec::RuleKind;
use super::{AttributionSpec, ClaimSpec, Fnv1a, RuleSpec};
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
    /// A word naming a cited document or its method (`claims.document-terms`).
    DocumentTerm,
    /// A noun that makes "in" before it a cue (`attribution.in-sources`).
    InSource,
    /// A phrase in which a cue word is no cue (`attribution.not-cues`).
    NotCue,
}

/// One boundary-checked match of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexMatch {
    pub span: Span,
    pub pattern: u32,
}

/// The words one rule gives the lexicon. They are read from the rule as
/// written, so that the lexicon can be built while the rules compile.
#[derive(Debug, Default)]
pub struct RuleTerms<'a> {
    /// Its terms (lexicon and unsourced rules).
    pub terms: &'a [String],
    /// The words of each predicate, in order (quantity-conflict rules).
    pub predicates: Vec<&'a [String]>,
}

impl<'a> RuleTerms<'a> {
    /// The words of `spec`, as its compiled rule will own them.
    pub fn of(spec: &'a RuleSpec) -> RuleTerms<'a> {
        let predicates = match spec.kind {
            RuleKind::QuantityConflict => spec
                .predicates
                .iter()
                .flatten()
                .map(|(_, words)| words.as_slice())
                .collect(),
            _ => Vec::new(),
        };
        RuleTerms {
            terms: spec.terms.as_deref().unwrap_or_default(),
            predicates,
        }
    }
}

/// The compiled automaton and the owners of each pattern.
#[derive(Debug)]
pub struct Lexicon {
    automaton: Automaton,
    owners: Vec<Vec<Owner>>,
}

impl Lexicon {
    /// Builds the automaton from every term the rules (in rule order) and
    /// settings name.
    pub fn build<'a>(
        rules: impl IntoIterator<Item = RuleTerms<'a>>,
        attribution: &AttributionSpec,
        claims: &ClaimSpec,
    ) -> Result<Lexicon, TooManyTerms> {
        // Keyed by the terms of the rule pack: the FNV hash is enough.
        let mut index: HashMap<String, usize, BuildHasherDefault<Fnv1a>> = HashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut add = |term: &str, owner: Owner| {
            for variant in variants(term) {
                let id = match index.get(&variant) {
                    Some(&id) => id,
                    None => {
                        index.insert(variant.clone(), owners.len());
                        patterns.push(variant);
                        owners.push(Vec::new());
                        owners.len() - 1
                    }
                };
                if !owners[id].contains(&owner) {
                    owners[id].push(owner);
                }
            }
        };
        for (i, rule) in rules.into_iter().enumerate() {
            for term in rule.terms {
                add(term, Owner::Rule(i));
            }
            for (p, words) in rule.predicates.into_iter().enumerate() {
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
        for t in &claims.document_terms {
            add(t, Owner::DocumentTerm);
        }
        for t in &attribution.in_sources {
            add(t, Owner::InSource);
        }
        for t in &attribution.not_cues {
            add(t, Owner::NotCue);
        }
        // A full DFA: one table lookup a byte. It is built over the terms
        // ASCII-lowercased and reads the text with its letters lowercased
        // and its line breaks and tabs as spaces: ASCII case-insensitive,
        // and a term wrapped over two lines still matches.
        for p in &mut patterns {
            p.make_ascii_lowercase();
        }
        let automaton = dfa_of(&patterns)?;
        Ok(Lexicon { automaton, owners })
    }

    /// Every boundary-checked match in `text`, in order of start, overlaps included.
    pub fn scan(&self, text: &str) -> Vec<LexMatch> {
        let mut out: Vec<LexMatch> = Vec::new();
        self.automaton
            .overlapping_unordered(text.as_bytes(), |start, end, pattern| {
                if at_word_boundaries(text, start, end) {
                    out.push(LexMatch {
                        span: Span::new(start, end),
                        pattern,
                    });
                }
            });
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

/// A short list of phrases to look for in a speaker's name. Lists built
/// together share one automaton: one pass over a text tells which of them
/// have a phrase in it ([`PhraseList::lists_in`]).
#[derive(Debug, Clone)]
pub struct PhraseList {
    /// None when every list of the group is empty.
    group: Option<Arc<PhraseGroup>>,
    /// This list's bit in [`PhraseGroup::lists`].
    bit: u32,
}

/// The automaton of a group of phrase lists.
#[derive(Debug)]
struct PhraseGroup {
    automaton: Automaton,
    /// For each pattern, the bits of the lists that have it.
    lists: Vec<u32>,
}

/// The lists of a group that have a phrase in some text.
#[derive(Debug, Clone, Copy)]
pub struct PhraseHits(u32);

impl PhraseList {
    /// Compiles a list; an empty list matches nothing.
    pub fn new(phrases: &[String]) -> Result<PhraseList, TooManyTerms> {
        let [list] = PhraseList::group([phrases])?;
        Ok(list)
    }

    /// Compiles lists into one automaton.
    pub fn group<const N: usize>(lists: [&[String]; N]) -> Result<[PhraseList; N], TooManyTerms> {
        const { assert!(N <= 32, "a group's lists are bits of a u32") };
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut bits: Vec<u32> = Vec::new();
        for (i, phrases) in lists.iter().enumerate() {
            for variant in phrases.iter().flat_map(|p| variants(p)) {
                let id = *index.entry(variant.clone()).or_insert_with(|| {
                    patterns.push(variant);
                    bits.push(0);
                    bits.len() - 1
                });
                bits[id] |= 1 << i;
            }
        }
        // ASCII case-insensitive: the automaton reads the text lowercased.
        for p in &mut patterns {
            p.make_ascii_lowercase();
        }
        let group = if patterns.is_empty() {
            None
        } else {
            Some(Arc::new(PhraseGroup {
                automaton: dfa_of(&patterns)?,
                lists: bits,
            }))
        };
        Ok(std::array::from_fn(|i| PhraseList {
            group: group.clone(),
            bit: 1 << i,
        }))
    }

    /// The first whole-word occurrence of any phrase in `text`.
    pub fn find(&self, text: &str) -> Option<Span> {
        let group = self.group.as_ref()?;
        let mut found = None;
        group
            .automaton
            .overlapping(text.as_bytes(), |start, end, pattern| {
                let whole = group.lists[pattern as usize] & self.bit != 0
                    && at_word_boundaries(text, start, end);
                if whole {
                    found = Some(Span::new(start, end));
                }
                whole
            });
        found
    }

    /// Which lists of this one's group have a phrase as whole words in
    /// `text`, in one pass: the same as [`PhraseList::contains`] of each.
    pub fn lists_in(&self, text: &str) -> PhraseHits {
        let Some(group) = &self.group else {
            return PhraseHits(0);
        };
        let mut hits = 0;
        group
            .automaton
            .overlapping(text.as_bytes(), |start, end, pattern| {
                let lists = group.lists[pattern as usize];
                if lists & !hits != 0 && at_word_boundaries(text, start, end) {
                    hits |= lists;
                }
                false
            });
        PhraseHits(hits)
    }

    /// Whether this list is among `hits`, found by [`PhraseList::lists_in`]
    /// of a list of the same group.
    pub fn is_in(&self, hits: PhraseHits) -> bool {
        hits.0 & self.bit != 0
    }

    /// True when some phrase occurs as whole words in `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.find(text).is_some()
    }
}

/// Terms too many for one automaton: its table would pass the most
/// entries one may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the terms are too many for one automaton (its table would pass {} entries); trim the term lists",
    super::automaton::MAX_TRANSITIONS
)]
pub struct TooManyTerms;

/// The automaton over lexicon or phrase patterns, ASCII-lowercased: it
/// reads the text lowercased, with line breaks and tabs as spaces.
fn dfa_of(patterns: &[String]) -> Result<Automaton, TooManyTerms> {
    Automaton::new(patterns, &LOWER_SPACE).ok_or(TooManyTerms)
}

/// A term with its runs of whitespace made single spaces, plus a
/// curly-apostrophe variant when it has a straight one (callers lowercase).
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

/// ASCII letters read lowercased, for automata over lowercased strings.
pub(super) const LOWER: [u8; 256] = byte_map(false, true);

/// [`LOWER`], with line breaks and tabs read as spaces too, so that a
/// phrase wrapped over two lines still matches.
const LOWER_SPACE: [u8; 256] = byte_map(true, true);

/// A table of what each byte is read as: line breaks and tabs as spaces
/// if `space`, ASCII letters lowercased if `lower`. Every byte is read as
/// a byte of the same length, so places in the text stay as they are.
const fn byte_map(space: bool, lower: bool) -> [u8; 256] {
    let mut map = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        map[i] = match b {
            b'\n' | b'\r' | b'\t' if space => b' ',
            _ if lower => b.to_ascii_lowercase(),
            _ => b,
        };
        i += 1;
    }
    map
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
