//! Analysis of one article: claims, attributions, hedges, quantities and
//! the findings the rules draw from them.
//!
//! Everything here is a pure function of one article body and the compiled
//! rules, so articles are analyzed in parallel and the result is the same
//! whatever the thread count. Scores are not computed here (see `score`),
//! and nothing here looks at other articles (see `link`).

mod anchored;
pub mod attribution;
pub mod dates;
pub mod headline;
pub mod quantity;

use std::collections::HashMap;

use crate::rules::{
    LexMatch, Marker, MatchEnds, Owner, PossibleExceptions, RuleKind, RuleParams, RuleSet, Scope,
    SourceKind,
};
use crate::text::{Document, Span, segment_bounded};
pub use attribution::Attribution;
pub use quantity::{Quantity, Unit, find_quantities};

/// Whose words a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// The author's own, unattributed.
    Author,
    /// Reported speech: attributed to a source outside a quotation.
    Attributed,
    /// A quotation: the speaker's own words.
    Speaker,
}

impl Voice {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Author => "author",
            Voice::Attributed => "attributed",
            Voice::Speaker => "speaker",
        }
    }
}

/// A hedge cue found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Hedge {
    /// Index of the rule in the rule set.
    pub rule: usize,
    pub span: Span,
    /// Author when the writer hedges, else the speaker's or source's.
    pub voice: Voice,
}

/// One sentence of an article with what the analysis found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceAnalysis {
    pub span: Span,
    pub voice: Voice,
    /// The attribution that decides the voice and the sourcing findings.
    pub attribution: Option<Attribution>,
    /// Every attribution found in the sentence, in text order, the primary
    /// one included ("..., she said, adding that ..." has two).
    pub cues: Vec<Attribution>,
    pub hedges: Vec<Hedge>,
    pub quantities: Vec<Quantity>,
    /// Check-worthiness in 0..=1.
    pub checkworthiness: f64,
    /// True when check-worthiness reaches the threshold.
    pub is_claim: bool,
}

/// Something a rule flags, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index of the rule in the rule set.
    pub rule: usize,
    /// Index of the sentence (0-based here; reports are 1-based).
    pub sentence: usize,
    /// Byte span of the flagged text in the body.
    pub span: Span,
    /// Extra detail appended to the rule's message ("also given as 12 in sentence 3").
    pub detail: String,
    /// Share of the rule's weight the finding costs: 1, except for an
    /// article that falls short of a `specifics` rule by part of its count,
    /// or a headline that goes past a `headline` rule's limit by part of
    /// the way to its `full-at`.
    pub share: f64,
}

/// Two figures in one article that cannot both be true.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Index of the quantity-conflict rule.
    pub rule: usize,
    /// Predicate and counted thing: `killed people`, `destroyed home`.
    pub key: String,
    pub first: (usize, Span, String),
    pub second: (usize, Span, String),
    /// Two different sources give the two values: a dispute the article
    /// reports, not an inconsistency of its own. No finding is made.
    pub disputed: bool,
}

/// A figure with what it counts: the key that lets figures be compared
/// within an article and across a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedFigure {
    /// Index of the quantity-conflict rule whose predicate keyed it.
    pub rule: usize,
    pub sentence: usize,
    pub quantity: Quantity,
    /// Predicate, counted thing and unit: `killed people`, `cost money`.
    pub key: String,
    /// The attributed source, lowercased; empty in the author's voice.
    pub source: String,
    /// Inside a quotation: the speaker's figure.
    pub quoted: bool,
    /// Given as a change of an earlier figure ("the toll rose to 120"): a
    /// new count, never a conflicting one.
    pub update: bool,
    /// The day its sentence names, nearest the figure ("on March 3"):
    /// figures of different days count different events.
    pub day: Option<dates::Day>,
}

/// The whole analysis of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub sentences: Vec<SentenceAnalysis>,
    pub findings: Vec<Finding>,
    pub conflicts: Vec<Conflict>,
    /// Every keyed figure, quoted or not, for cross-article linking.
    pub figures: Vec<KeyedFigure>,
    /// Named entities of each sentence, lowercased and sorted (see
    /// [`crate::link::entities`]); worked out for the lead and the
    /// sentences with figures at least, empty for the others.
    pub names: Vec<Vec<String>>,
    /// Figures checked against the newsroom's reference facts; filled in by
    /// [`crate::verify::check`], empty from [`analyze`].
    pub references: Vec<crate::verify::ReferenceCheck>,
}

impl Analysis {
    /// Number of sentences that are claims.
    pub fn claims(&self) -> usize {
        self.sentences.iter().filter(|s| s.is_claim).count()
    }
}

/// Analyzes a whole article as `score` does: its body, its headline, and
/// its figures against the reference facts. Every command that scores an
/// article goes through here, so they all give the same score.
pub fn analyze_article(article: &crate::input::Article, rules: &RuleSet) -> Analysis {
    let mut analysis = analyze_titled(&article.title, &article.body, rules);
    crate::verify::check(article, &mut analysis, rules);
    analysis
}

/// Analyzes a body under its title (the headline rules read the title),
/// without reference facts.
pub fn analyze_titled(title: &str, body: &str, rules: &RuleSet) -> Analysis {
    let mut analysis = analyze(body, rules);
    headline::check(title, &mut analysis, rules);
    analysis
}

/// Analyzes one article body with the compiled rules.
pub fn analyze(body: &str, rules: &RuleSet) -> Analysis {
    let matches = rules.lexicon.scan(body);
    let quantities = find_quantities(body);
    let doc = if body.len() > rules.max_sentence_chars && rules.max_sentence_chars > 0 {
        // Over-long sentences are cut, never through a term or a figure.
        let mut keep: Vec<Span> = matches.iter().map(|m| m.span).collect();
        keep.extend(quantities.iter().map(|q| q.span));
        keep.sort_unstable();
        segment_bounded(body, rules.max_sentence_chars, &keep)
    } else {
        segment_bounded(body, 0, &[])
    };
    let mut attributions = attribution::attribute(&doc, &matches, rules);

    let mut sentences = Vec::with_capacity(doc.sentences.len());
    let mut findings = Vec::new();
    let mut m = 0; // first lexicon match not before the current sentence
    let mut q = 0;
    // The last sentence a poll, study or report cited earlier still covers.
    let mut document_until: Option<usize> = None;
    for (si, sentence) in doc.sentences.iter().enumerate() {
        let span = sentence.span;
        while m < matches.len() && matches[m].span.start < span.start {
            m += 1;
        }
        let mut m_end = m;
        while m_end < matches.len() && matches[m_end].span.start < span.end {
            m_end += 1;
        }
        let in_sentence = &matches[m..m_end];
        while q < quantities.len() && quantities[q].span.start < span.start {
            q += 1;
        }
        let mut sentence_quantities = Vec::new();
        let mut qi = q;
        while qi < quantities.len() && quantities[qi].span.start < span.end {
            sentence_quantities.push(quantities[qi].clone());
            qi += 1;
        }
        let attribution::SentenceAttributions {
            primary: attribution,
            all: cues,
        } = std::mem::take(&mut attributions[si]);
        let voice = if doc.quoted_share(si) >= 0.5 {
            Voice::Speaker
        } else if attribution.is_some() {
            Voice::Attributed
        } else {
            Voice::Author
        };
        let hedges = find_hedges(
            &doc,
            span,
            in_sentence,
            &sentence_quantities,
            attribution.as_ref(),
            rules,
        );
        let checkworthiness =
            checkworthiness(&doc, span, in_sentence, &sentence_quantities, voice, rules);
        let is_claim = checkworthiness >= rules.claims.threshold;

        for hedge in &hedges {
            let scope = match rules.rules[hedge.rule].params {
                RuleParams::Lexicon { scope, .. } => scope,
                _ => Scope::Author,
            };
            let flagged = match scope {
                Scope::Any => true,
                Scope::Unquoted => hedge.voice != Voice::Speaker,
                Scope::Author => hedge.voice == Voice::Author,
            };
            if flagged {
                findings.push(Finding {
                    rule: hedge.rule,
                    sentence: si,
                    span: hedge.span,
                    detail: String::new(),
                    share: 1.0,
                });
            }
        }
        // A document in focus: the sentences after a claim attributed to a
        // poll, study or report, or after a later sentence that names it or
        // its method. What a person says in between does not extend it.
        let window = rules.claims.document_context;
        if window > 0 {
            let cites_document = attribution
                .as_ref()
                .is_some_and(|a| a.kind == SourceKind::Document);
            // "The survey reached 900 adults" refers back to a document
            // cited earlier, however far back.
            let names_document = document_until.is_some()
                && in_sentence.iter().any(|m| {
                    rules
                        .lexicon
                        .owners(m.pattern)
                        .contains(&Owner::DocumentTerm)
                });
            if cites_document || names_document {
                document_until = Some(si + window);
            }
        }
        let documented = document_until.is_some_and(|until| si <= until);
        if is_claim {
            if voice == Voice::Author
                && let Some((rule, flagged)) = unsourced_rule(
                    &doc,
                    span,
                    in_sentence,
                    &sentence_quantities,
                    documented,
                    rules,
                )
            {
                findings.push(Finding {
                    rule,
                    sentence: si,
                    span: flagged,
                    detail: String::new(),
                    share: 1.0,
                });
            }
            if let Some(a) = &attribution {
                for (ri, rule) in rules.rules.iter().enumerate() {
                    if let RuleParams::SourceKind { source_kind, allow } = &rule.params
                        && *source_kind == a.kind
                        && !allow.contains(&a.source)
                    {
                        let flagged = if a.source_span.is_empty() {
                            a.cue_span
                        } else {
                            a.source_span
                        };
                        findings.push(Finding {
                            rule: ri,
                            sentence: si,
                            span: flagged,
                            detail: format!("source: {}", a.source),
                            share: 1.0,
                        });
                    }
                }
                if let Some(flagged) = low_rated_source(a, rules) {
                    findings.push(Finding {
                        sentence: si,
                        ..flagged
                    });
                }
            }
        }
        sentences.push(SentenceAnalysis {
            span,
            voice,
            attribution,
            cues,
            hedges,
            quantities: sentence_quantities,
            checkworthiness,
            is_claim,
        });
    }
    let figures = key_figures(&doc, &matches, &sentences, rules);
    let names = sentence_names(&doc, &figures, rules);
    let conflicts = find_conflicts(&doc, &figures, &names, rules);
    findings.extend(name_variants(&doc, &sentences, &names, rules));
    findings.extend(too_few_specifics(&doc, &sentences, rules));
    for c in conflicts.iter().filter(|c| !c.disputed) {
        findings.push(Finding {
            rule: c.rule,
            sentence: c.second.0,
            span: c.second.1,
            detail: format!(
                "{} here, {} in sentence {} ({})",
                c.second.2,
                c.first.2,
                c.first.0 + 1,
                c.key
            ),
            share: 1.0,
        });
    }
    findings.sort_by_key(|f| (f.sentence, f.span.start, f.rule));
    Analysis {
        sentences,
        findings,
        conflicts,
        figures,
        names,
        references: Vec::new(),
    }
}

/// The named entities ([`crate::link::entities`]) of each sentence, worked
/// out once for every rule and stage that compares names: of every sentence
/// when a name-variant rule is on, else of the lead and of the sentences
/// with figures.
fn sentence_names(
    doc: &Document<'_>,
    figures: &[KeyedFigure],
    rules: &RuleSet,
) -> Vec<Vec<String>> {
    let names = |si: usize| crate::link::entities(doc.text(doc.sentences[si].span));
    let every = rules
        .rules
        .iter()
        .any(|r| matches!(r.params, RuleParams::NameVariant { .. }));
    if every {
        return (0..doc.sentences.len()).map(names).collect();
    }
    let mut out = vec![Vec::new(); doc.sentences.len()];
    let wanted = figures
        .iter()
        .map(|f| f.sentence)
        .chain((!out.is_empty()).then_some(0));
    for si in wanted {
        if out[si].is_empty() {
            out[si] = names(si);
        }
    }
    out
}

/// Articles that give fewer checkable specifics than `specifics` rules
/// expect: sentences that name a day, sentences that report what a named
/// person said. One finding per rule, on the lead, costing the share of the
/// rule's weight that the article falls short by.
fn too_few_specifics(
    doc: &Document<'_>,
    sentences: &[SentenceAnalysis],
    rules: &RuleSet,
) -> Vec<Finding> {
    let Some(lead) = sentences.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // The days the body names, found in one pass when a rule asks for them.
    let mut days: Option<Vec<Span>> = None;
    for (ri, rule) in rules.rules.iter().enumerate() {
        let RuleParams::Specifics { markers, expected } = &rule.params else {
            continue;
        };
        // Counting stops at `expected`: more is no finding either.
        let found = sentences
            .iter()
            .filter(|s| {
                markers.iter().any(|m| match m {
                    Marker::Dates => {
                        let days = days.get_or_insert_with(|| {
                            dates::find_days(doc.body)
                                .into_iter()
                                .map(|(d, _)| d)
                                .collect()
                        });
                        let first = days.partition_point(|d| d.start < s.span.start);
                        days.get(first).is_some_and(|d| d.end <= s.span.end)
                    }
                    // Speech, not an attitude: "Ortiz said" counts, "Ortiz
                    // wants" does not.
                    Marker::NamedPeople => s
                        .cues
                        .iter()
                        .any(|a| !a.attitude && a.kind == SourceKind::NamedPerson),
                })
            })
            .take(*expected)
            .count();
        if found >= *expected {
            continue;
        }
        out.push(Finding {
            rule: ri,
            sentence: 0,
            span: lead.span,
            detail: format!("{found} of {expected} expected"),
            share: (*expected - found) as f64 / *expected as f64,
        });
    }
    out
}

/// Hedge cues of lexicon rules in one sentence, with their voice. Where cues
/// overlap, the longest wins ("it is widely believed" over "widely believed").
fn find_hedges(
    doc: &Document<'_>,
    sentence: Span,
    matches: &[LexMatch],
    quantities: &[Quantity],
    attribution: Option<&Attribution>,
    rules: &RuleSet,
) -> Vec<Hedge> {
    let mut candidates: Vec<Hedge> = Vec::new();
    let text = doc.text(sentence);
    // Match ends of each (rule, exception) in this sentence, found once for
    // all of its cues.
    let mut match_ends: Vec<((usize, usize), MatchEnds)> = Vec::new();
    // The exceptions that can match in this sentence, found at its first cue.
    let mut possible: Option<PossibleExceptions<'_>> = None;
    for lm in matches {
        for owner in rules.lexicon.owners(lm.pattern) {
            let Owner::Rule(ri) = *owner else { continue };
            let rule = &rules.rules[ri];
            let RuleParams::Lexicon {
                exceptions,
                before_quantity,
                scope,
            } = &rule.params
            else {
                continue;
            };
            if rule.kind != RuleKind::Lexicon {
                continue;
            }
            // A cue inside the source phrase describes the source ("critics
            // say"); the sourcing rules judge that, not the hedge rules. A
            // rule with scope "any" looks at every word, sources included.
            if *scope != Scope::Any && attribution.is_some_and(|a| a.source_span.covers(lm.span)) {
                continue;
            }
            if *before_quantity
                && !quantities.iter().any(|q| {
                    q.span.start == lm.span.start
                        || (q.span.start >= lm.span.end && q.span.start <= lm.span.end + 2)
                })
            {
                continue;
            }
            let local = Span::new(lm.span.start - sentence.start, lm.span.end - sentence.start);
            let cancelled = exceptions.iter().enumerate().any(|(ei, e)| {
                let possible =
                    possible.get_or_insert_with(|| rules.exception_filter.possible(text));
                if !possible.get(ri, ei) {
                    return false;
                }
                if !e.by_ends() {
                    return e.cancels(text, local);
                }
                let known = match_ends.iter().position(|(key, _)| *key == (ri, ei));
                let at = known.unwrap_or_else(|| {
                    match_ends.push(((ri, ei), MatchEnds::default()));
                    match_ends.len() - 1
                });
                e.cancels_in(text, &mut match_ends[at].1, local)
            });
            if cancelled {
                continue;
            }
            // In reported speech the content is the source's; only a hedge
            // on the attribution itself ("reportedly said") is the author's,
            // and so is one in a clause of the author's own before an
            // attribution that opens its content with "that" or a colon
            // ("Although the spill may ..., engineers said that ...").
            let voice = if doc.in_quote(lm.span) {
                Voice::Speaker
            } else {
                match attribution {
                    Some(a)
                        if sentence.covers(a.cue_span)
                            && !a.in_frame(lm.span)
                            && !(lm.span.end <= a.frame().start
                                && content_follows(doc.text(Span::new(
                                    a.cue_span.end,
                                    sentence.end.max(a.cue_span.end),
                                )))) =>
                    {
                        Voice::Attributed
                    }
                    _ => Voice::Author,
                }
            };
            candidates.push(Hedge {
                rule: ri,
                span: lm.span,
                voice,
            });
        }
    }
    candidates.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end), h.rule));
    let mut kept: Vec<Hedge> = Vec::new();
    for h in candidates {
        if kept.iter().any(|k| k.span.overlaps(h.span)) {
            continue;
        }
        kept.push(h);
    }
    kept
}

/// True when the text after an attribution cue opens its content: "that"
/// or a colon ("said that ...", "wrote: ..."), so whatever stands before
/// the source is not part of what the source said.
fn content_follows(after_cue: &str) -> bool {
    let rest = after_cue.trim_start();
    rest.starts_with(':')
        || rest
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("that "))
}

/// Check-worthiness of a sentence: the capped sum of its signals' weights.
fn checkworthiness(
    doc: &Document<'_>,
    sentence: Span,
    matches: &[LexMatch],
    quantities: &[Quantity],
    voice: Voice,
    rules: &RuleSet,
) -> f64 {
    let c = &rules.claims;
    let text = doc.text(sentence);
    // Counting stops at the least number of words a claim needs.
    let words = crate::text::count_words(text, c.min_words);
    if words < c.min_words
        || text
            .trim_end_matches(['"', '\u{201d}', '\'', ')'])
            .ends_with('?')
    {
        return 0.0;
    }
    let mut score: f64 = 0.0;
    if quantities.iter().any(Quantity::is_statistic) {
        score += c.quantity;
    } else if !quantities.is_empty() {
        score += c.small_quantity;
    }
    if matches
        .iter()
        .any(|m| makes_claim(m, text, sentence, rules))
    {
        score += c.term;
    }
    match voice {
        Voice::Attributed => score += c.attributed,
        Voice::Speaker => score += c.attributed / 2.0,
        Voice::Author => {}
    }
    if names_after_first_word(text) {
        score += c.named_entity;
    }
    score.min(1.0)
}

/// True when a word after the first of `text` starts with a capital.
fn names_after_first_word(text: &str) -> bool {
    if !text.is_ascii() {
        return crate::text::words(text)
            .skip(1)
            .any(|w| w.starts_with(|ch: char| ch.is_uppercase()));
    }
    // In ASCII a later word starts with a capital just where a capital
    // follows whitespace after the first word's start.
    let bytes = text.as_bytes();
    let space = |b: u8| (b'\t'..=b'\r').contains(&b) || b == b' ';
    let Some(first) = bytes.iter().position(|&b| !space(b)) else {
        return false;
    };
    // Eight places at a time: most runs of eight hold no capital after a
    // byte up to b' ' (every space is one), and each that does is checked.
    // For ASCII, adding 0x80 - lo sets a byte's top bit just when it is at
    // least lo, and never carries into the next byte.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least = |w: u64, lo: u8| w.wrapping_add(ONES * u64::from(0x80 - lo)) & HIGH;
    // The next place whose byte, and the byte before it, are looked at.
    let mut j = first + 1;
    while let (Some(here), Some(before)) = (bytes.get(j..j + 8), bytes.get(j - 1..j + 7)) {
        let w = u64::from_le_bytes(here.try_into().expect("eight bytes"));
        let prev = u64::from_le_bytes(before.try_into().expect("eight bytes"));
        let mut maybe = at_least(w, b'A') & !at_least(w, b'Z' + 1) & !at_least(prev, b' ' + 1);
        while maybe != 0 {
            let at = j + maybe.trailing_zeros() as usize / 8;
            if space(bytes[at - 1]) {
                return true;
            }
            maybe &= maybe - 1;
        }
        j += 8;
    }
    bytes[j - 1..]
        .windows(2)
        // The rarer test first.
        .any(|pair| pair[1].is_ascii_uppercase() && space(pair[0]))
}

/// Claim terms, and the terms of unsourced rules (accusations), make a
/// sentence worth checking; a claim term in a sense `[claims] exceptions`
/// names ("her voting record") does not.
fn makes_claim(m: &LexMatch, text: &str, sentence: Span, rules: &RuleSet) -> bool {
    rules.lexicon.owners(m.pattern).iter().any(|o| {
        is_claim_term(o, rules)
            && !(*o == Owner::ClaimTerm && claim_term_excepted(m, text, sentence, rules))
    })
}

/// Claim terms and the terms of unsourced rules, in any sense.
fn is_claim_term(owner: &Owner, rules: &RuleSet) -> bool {
    match *owner {
        Owner::ClaimTerm => true,
        Owner::Rule(ri) => rules.rules[ri].kind == RuleKind::Unsourced,
        _ => false,
    }
}

/// True when one of `[claims] exceptions` covers the claim term `m` of
/// the sentence `text` (which starts at `sentence`).
fn claim_term_excepted(m: &LexMatch, text: &str, sentence: Span, rules: &RuleSet) -> bool {
    let local = Span::new(m.span.start - sentence.start, m.span.end - sentence.start);
    // A participle joined by a hyphen to the word before it modifies a noun
    // ("a state-approved excuse", "FDA-approved drugs"): it reports no
    // event. Checked here, in two bytes, rather than as a pattern run over
    // every sentence with a claim term.
    // A prefix is no modifier: "was re-arrested" reports an arrest.
    let before = &text.as_bytes()[..local.start];
    if let Some(stem) = before.strip_suffix(b"-") {
        let letters = stem
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let word = &stem[stem.len() - letters..];
        let prefix = [
            &b"pre"[..],
            b"non",
            b"mis",
            b"dis",
            b"out",
            b"over",
            b"under",
            b"self",
        ]
        .iter()
        .any(|p| word.eq_ignore_ascii_case(p));
        if letters >= 3 && !prefix && text[local.start..local.end].ends_with("ed") {
            return true;
        }
    }
    // Only the exceptions whose cue could be this term are searched, and
    // of those only the ones whose required strings the sentence has: one
    // pass over it finds them, made once an exception is near.
    let possible = std::cell::OnceCell::new();
    rules.claim_exceptions.iter().enumerate().any(|(i, e)| {
        e.cue_nearby(text, local)
            && possible
                .get_or_init(|| rules.claim_exception_filter.possible(text))
                .get(0, i)
            && e.cancels(text, local)
    })
}

/// The heaviest unsourced rule whose conditions an author-voice claim meets.
/// In a cited document's focus (`documented`), only accusations are
/// unsourced: figures and findings read as the document's.
fn unsourced_rule(
    doc: &Document<'_>,
    sentence: Span,
    matches: &[LexMatch],
    quantities: &[Quantity],
    documented: bool,
    rules: &RuleSet,
) -> Option<(usize, Span)> {
    let statistic = quantities
        .iter()
        .find(|q| q.is_statistic() && !doc.in_quote(q.span))
        .map(|q| q.span);
    let claim_term = |owner: &Owner| is_claim_term(owner, rules);
    let mut best: Option<(usize, Span)> = None;
    // The exceptions that can match in this sentence, found when first asked.
    let possible = std::cell::OnceCell::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        let RuleParams::Unsourced {
            has_terms,
            requires_quantity,
            ..
        } = rule.params
        else {
            continue;
        };
        if documented && !has_terms {
            continue;
        }
        // The flagged text: the accusation, else the figure, else the claim
        // word, else the sentence.
        // A term an unsourced rule's exception covers ("crime rate") is not
        // that rule's term, nor the claim word shown for another rule.
        let text = doc.text(sentence);
        let excepted = |m: &LexMatch, ri: usize| match &rules.rules[ri].params {
            RuleParams::Unsourced { exceptions, .. } => {
                exceptions.iter().enumerate().any(|(ei, e)| {
                    possible
                        .get_or_init(|| rules.exception_filter.possible(text))
                        .get(ri, ei)
                        && e.cancels(
                            text,
                            Span::new(m.span.start - sentence.start, m.span.end - sentence.start),
                        )
                })
            }
            _ => false,
        };
        let term = |own: &dyn Fn(&Owner) -> bool| {
            matches
                .iter()
                .find(|m| {
                    !doc.in_quote(m.span)
                        && rules.lexicon.owners(m.pattern).iter().any(|o| {
                            own(o)
                                && match *o {
                                    Owner::Rule(r) => !excepted(m, r),
                                    Owner::ClaimTerm => {
                                        !claim_term_excepted(m, text, sentence, rules)
                                    }
                                    _ => true,
                                }
                        })
                })
                .map(|m| m.span)
        };
        let span = if has_terms {
            match term(&|o: &Owner| *o == Owner::Rule(ri)) {
                Some(span) => span,
                None => continue,
            }
        } else if requires_quantity {
            match statistic {
                Some(span) => span,
                None => continue,
            }
        } else {
            statistic.or_else(|| term(&claim_term)).unwrap_or(sentence)
        };
        if best.is_none_or(|(b, _)| rules.rules[b].weight < rule.weight) {
            best = Some((ri, span));
        }
    }
    best
}

/// A finding of a cited-source rule when the claim's source is an outlet
/// or organisation rated below the rule's `max-rating` (the sentence is
/// the caller's to set).
fn low_rated_source(a: &Attribution, rules: &RuleSet) -> Option<Finding> {
    // A name with an article ("The Harbour Daily") is a title, not a person,
    // whatever the classifier made of it.
    let titled = a.kind == SourceKind::NamedPerson && a.source.starts_with("The ");
    if rules.cited.is_empty()
        || !(titled || matches!(a.kind, SourceKind::NamedOrg | SourceKind::Document))
    {
        return None;
    }
    let rating = rules.cited.rating(&a.source)?;
    rules
        .rules
        .iter()
        .enumerate()
        .find_map(|(ri, rule)| match rule.params {
            RuleParams::CitedSource { max_rating } if rating < max_rating => Some(Finding {
                rule: ri,
                sentence: 0,
                span: if a.source_span.is_empty() {
                    a.cue_span
                } else {
                    a.source_span
                },
                detail: format!("source: {} (rated {rating:.0} of 100)", a.source),
                share: 1.0,
            }),
            _ => None,
        })
}

/// Keys every figure that has a predicate of a quantity-conflict rule
/// nearby: what it counts ("killed people", "cost money") and who gives it.
fn key_figures(
    doc: &Document<'_>,
    matches: &[LexMatch],
    sentences: &[SentenceAnalysis],
    rules: &RuleSet,
) -> Vec<KeyedFigure> {
    let mut out = Vec::new();
    // Days named in a sentence, worked out once for all rules and figures.
    let mut days: HashMap<usize, Vec<(Span, dates::Day)>> = HashMap::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        let RuleParams::QuantityConflict {
            predicates,
            updates,
            ..
        } = &rule.params
        else {
            continue;
        };
        for (si, s) in sentences.iter().enumerate() {
            for quantity in &s.quantities {
                let Some(predicate) = nearest_predicate(matches, s.span, quantity.span, ri, rules)
                else {
                    continue;
                };
                let name = &predicates[predicate].0;
                // A bare toll counts people: "killed 14" is "killed 14 people".
                let thing = if quantity.thing.is_empty()
                    && quantity.unit == Unit::Count
                    && matches!(
                        name.as_str(),
                        "killed" | "injured" | "missing" | "arrested" | "displaced"
                    ) {
                    "people".to_string()
                } else {
                    quantity.thing.clone()
                };
                // A figure that does not say what it counts ("$10 million in
                // revenue", "400 of them"), or that counts time ("four years
                // later"), cannot be compared with another.
                if thing.is_empty() || !quantity.is_statistic() {
                    continue;
                }
                let unit = match quantity.unit {
                    Unit::Count => "",
                    Unit::Percent => " %",
                    Unit::Money => " money",
                };
                let key = [name.as_str(), thing.as_str(), unit.trim()]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                let sentence_days = days.entry(si).or_insert_with(|| {
                    dates::find_days(doc.text(s.span))
                        .into_iter()
                        .map(|(d, day)| {
                            (Span::new(s.span.start + d.start, s.span.start + d.end), day)
                        })
                        .collect()
                });
                let day = sentence_days
                    .iter()
                    .min_by_key(|(d, _)| {
                        if d.end <= quantity.span.start {
                            quantity.span.start - d.end
                        } else {
                            d.start.saturating_sub(quantity.span.end)
                        }
                    })
                    .map(|(_, day)| *day);
                out.push(KeyedFigure {
                    rule: ri,
                    sentence: si,
                    quantity: quantity.clone(),
                    update: is_update(
                        doc.text(Span::new(s.span.start, quantity.span.start)),
                        updates,
                    ),
                    day,
                    key,
                    source: s
                        .attribution
                        .as_ref()
                        .map(|a| a.source.to_lowercase())
                        .unwrap_or_default(),
                    quoted: s.voice == Voice::Speaker || doc.in_quote(quantity.span),
                });
            }
        }
    }
    out
}

/// True when the words right before a figure say it changed: "the toll
/// rose to 120", "has climbed to 130". `before` is the sentence up to the
/// figure; `updates` are lowercased phrases.
fn is_update(before: &str, updates: &[String]) -> bool {
    // The last few words, lowercased, spacing collapsed.
    let words: Vec<String> = before
        .split_whitespace()
        .rev()
        .take(6)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = format!(" {}", words.join(" "));
    // `tail` ends with " {u}", without formatting that string for every phrase.
    updates.iter().any(|u| {
        tail.strip_suffix(u.as_str())
            .is_some_and(|rest| rest.ends_with(' '))
    })
}

/// True when two figures are given for the same moment: neither is an
/// update of an earlier count, and they do not name different days.
fn same_moment(a: &KeyedFigure, b: &KeyedFigure) -> bool {
    dates::same_moment((a.update, a.day), (b.update, b.day))
}

/// Figures in one article that share a key but cannot both be true.
/// Figures in quotations are the speaker's and are not compared; figures
/// given by two different sources are marked `disputed`.
fn find_conflicts(
    doc: &Document<'_>,
    figures: &[KeyedFigure],
    names: &[Vec<String>],
    rules: &RuleSet,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    let own: Vec<&KeyedFigure> = figures.iter().filter(|f| !f.quoted).collect();
    // Only figures of one rule and key are compared: grouping them first
    // keeps a body with thousands of figures from comparing every pair.
    let mut groups: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
    for (i, f) in own.iter().enumerate() {
        groups.entry((f.rule, f.key.as_str())).or_default().push(i);
    }
    for (i, a) in own.iter().enumerate() {
        let RuleParams::QuantityConflict { tolerance, .. } = rules.rules[a.rule].params else {
            continue;
        };
        let group = &groups[&(a.rule, a.key.as_str())];
        let later = &group[group.partition_point(|&j| j <= i)..];
        for b in later.iter().map(|&j| own[j]) {
            if a.sentence == b.sentence {
                continue;
            }
            if a.quantity.conflicts_with(&b.quantity, tolerance)
                && same_moment(a, b)
                && same_subject(names, a, b)
            {
                out.push(Conflict {
                    rule: a.rule,
                    key: a.key.clone(),
                    first: (
                        a.sentence,
                        a.quantity.span,
                        doc.text(a.quantity.span).to_string(),
                    ),
                    second: (
                        b.sentence,
                        b.quantity.span,
                        doc.text(b.quantity.span).to_string(),
                    ),
                    disputed: a.source != b.source,
                });
            }
        }
    }
    out
}

/// One name spelled two ways ("Khan Sheikhoun", later "Khan Sheikhun"):
/// names whose letters differ by a few edits. Spellings that differ only in
/// case, hyphens or a plural "s" ("Al-Qaeda", "al Qaeda") are accepted
/// alternates and never flagged. Only names of two or more words are
/// compared, and only when one word differs.
fn name_variants(
    doc: &Document<'_>,
    sentences: &[SentenceAnalysis],
    names: &[Vec<String>],
    rules: &RuleSet,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        let RuleParams::NameVariant {
            min_length,
            max_edits,
        } = rule.params
        else {
            continue;
        };
        // (normalized words, name as shown, sentence, span)
        let mut seen: Vec<(Vec<String>, String, usize, Span)> = Vec::new();
        let mut flagged: Vec<Vec<String>> = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            let text = doc.text(s.span);
            // The sentence lowercased, made once for all its names.
            let mut lower: Option<String> = None;
            for name in &names[si] {
                // Only names of two or more words are compared. Printable
                // ASCII without a space is one word, told without a split.
                if name.bytes().all(|b| b.is_ascii_graphic())
                    || name.split_whitespace().nth(1).is_none()
                {
                    continue;
                }
                // Words of letters only, a plural or possessive "s" dropped:
                // "Republicans" is "Republican", "Al-Qaeda" is "alqaeda".
                let words: Vec<String> = name
                    .split_whitespace()
                    .map(|w| {
                        let w: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
                        w.strip_suffix('s').map(str::to_string).unwrap_or(w)
                    })
                    .collect();
                let letters: usize = words.iter().map(|w| w.chars().count()).sum();
                if words.len() < 2 || letters < min_length {
                    continue;
                }
                // Found in ASCII text only, where lowercasing keeps offsets.
                let span = text
                    .is_ascii()
                    .then(|| {
                        let lower = lower.get_or_insert_with(|| text.to_ascii_lowercase());
                        memchr::memmem::find(lower.as_bytes(), name.as_bytes())
                    })
                    .flatten()
                    .map(|i| Span::new(s.span.start + i, s.span.start + i + name.len()))
                    .unwrap_or(s.span);
                let shown = doc.text(span).to_string();
                // A variant: same number of words, one of them spelled a
                // little differently ("Sheikhoun", "Sheikhun").
                let variant_of = |other: &Vec<String>| {
                    if other.len() != words.len() {
                        return false;
                    }
                    let mut differing = other.iter().zip(&words).filter(|(a, b)| a != b);
                    let (Some((a, b)), None) = (differing.next(), differing.next()) else {
                        return false;
                    };
                    // "America"/"American" is a derivation, not a misspelling.
                    a.chars().count().min(b.chars().count()) >= 5
                        && !a.starts_with(b.as_str())
                        && !b.starts_with(a.as_str())
                        && a.chars().next() == b.chars().next()
                        && edits_within(a, b, max_edits)
                };
                if let Some((_, first, first_si, _)) = seen.iter().find(|(w, ..)| variant_of(w)) {
                    // Each spelling is flagged once, where it first appears.
                    if !flagged.contains(&words) {
                        out.push(Finding {
                            rule: ri,
                            sentence: si,
                            span,
                            detail: format!("{shown} here, {first} in sentence {}", first_si + 1),
                            share: 1.0,
                        });
                        flagged.push(words);
                    }
                    continue;
                }
                if !seen.iter().any(|(w, ..)| *w == words) {
                    seen.push((words, shown, si, span));
                }
            }
        }
    }
    out
}

/// True when the edit distance between `a` and `b` is at most `max`.
fn edits_within(a: &str, b: &str, max: usize) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()] <= max
}

/// True when two figures can be about the same subject: their sentences
/// name something in common, or one names nothing and so refers back
/// ("The attack killed hundreds"). "66 delegate votes for Kasich" and "the
/// 1,237 delegates Trump needs" name different people and are not compared.
fn same_subject(names: &[Vec<String>], a: &KeyedFigure, b: &KeyedFigure) -> bool {
    let (x, y) = (&names[a.sentence], &names[b.sentence]);
    x.is_empty() || y.is_empty() || x.iter().any(|e| y.binary_search(e).is_ok())
}

/// The predicate of rule `ri` closest to a quantity in its sentence, within
/// a few words.
fn nearest_predicate(
    matches: &[LexMatch],
    sentence: Span,
    quantity: Span,
    ri: usize,
    rules: &RuleSet,
) -> Option<usize> {
    const REACH: usize = 60;
    let mut best: Option<(usize, usize)> = None; // (distance, predicate)
    // Matches are sorted by start: look only at the sentence's own.
    let first = matches.partition_point(|m| m.span.start < sentence.start);
    let last = matches.partition_point(|m| m.span.start < sentence.end);
    for m in &matches[first..last.max(first)] {
        if m.span.start < sentence.start || m.span.end > sentence.end {
            continue;
        }
        for owner in rules.lexicon.owners(m.pattern) {
            if let Owner::Predicate { rule, predicate } = *owner {
                if rule != ri {
                    continue;
                }
                let distance = if m.span.end <= quantity.start {
                    quantity.start - m.span.end
                } else {
                    m.span.start.saturating_sub(quantity.end)
                };
                if distance <= REACH && best.is_none_or(|(d, _)| distance < d) {
                    best = Some((distance, predicate));
                }
            }
        }
    }
    best.map(|(_, p)| p)
}

/// The outcome of one rule example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResult {
    pub rule: String,
    pub file: String,
    pub text: String,
    /// "match" or "no-match".
    pub expected: &'static str,
    pub passed: bool,
}

/// Runs every rule's examples: each example text is analyzed as an article
/// body (and, for a headline rule, as its title too), and the rule must (or
/// must not) produce a finding on it.
pub fn run_examples(rules: &RuleSet) -> Vec<ExampleResult> {
    let mut out = Vec::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        for example in &rule.examples {
            let mut analysis = analyze(&example.text, rules);
            if rule.kind == RuleKind::Headline {
                headline::check(&example.text, &mut analysis, rules);
            }
            let fired = analysis.findings.iter().any(|f| f.rule == ri);
            let expect_match = example.expect == crate::rules::Expect::Match;
            out.push(ExampleResult {
                rule: rule.id.clone(),
                file: rule.file.clone(),
                text: example.text.clone(),
                expected: if expect_match { "match" } else { "no-match" },
                passed: fired == expect_match,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::SourceKind;

    fn rules() -> RuleSet {
        RuleSet::default_pack().expect("the built-in pack compiles")
    }

    /// (source, kind, cue) of the first sentence's attribution.
    fn attribution_of(text: &str) -> Option<(String, SourceKind, String)> {
        let r = rules();
        let a = analyze(text, &r);
        a.sentences[0]
            .attribution
            .as_ref()
            .map(|a| (a.source.clone(), a.kind, a.cue.clone()))
    }

    /// Findings about sentences: article-level `specifics` findings (a
    /// one-sentence text names few days and people) are left out.
    fn sentence_findings(a: &Analysis, r: &RuleSet) -> Vec<Finding> {
        a.findings
            .iter()
            .filter(|f| r.rules[f.rule].kind != RuleKind::Specifics)
            .cloned()
            .collect()
    }

    fn fired(text: &str) -> Vec<String> {
        let r = rules();
        sentence_findings(&analyze(text, &r), &r)
            .iter()
            .map(|f| r.rules[f.rule].id.clone())
            .collect()
    }

    #[test]
    fn example_profiles_load_and_their_examples_hold() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/newsrooms");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("rules/newsrooms") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let rules = RuleSet::load(&path).unwrap_or_else(|e| panic!("{e}"));
            let failures: Vec<_> = run_examples(&rules)
                .into_iter()
                .filter(|r| !r.passed)
                .collect();
            assert!(failures.is_empty(), "{}: {failures:#?}", path.display());
            seen += 1;
        }
        assert!(seen >= 2, "two example profiles");
    }

    #[test]
    fn wire_profile_accepts_officials_and_drops_approximators() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/newsrooms/wire-desk.toml");
        let wire = RuleSet::load(&path).expect("wire profile");
        assert!(wire.index_of("hedge.approximator").is_none());
        let text = "The bridge will reopen on Friday after 40 days of repairs, officials said.";
        let default = rules();
        let fired = |r: &RuleSet| -> Vec<String> {
            sentence_findings(&analyze(text, r), r)
                .iter()
                .map(|f| r.rules[f.rule].id.clone())
                .collect()
        };
        assert_eq!(fired(&default), ["sourcing.anonymous"]);
        assert!(fired(&wire).is_empty());
    }

    #[test]
    fn every_default_rule_has_a_match_and_a_no_match_example() {
        // Reference and cited-source rules need facts or ratings;
        // their own tests give them one.
        let needs_files =
            |r: &&crate::rules::Rule| matches!(r.kind, RuleKind::Reference | RuleKind::CitedSource);
        for rule in rules().rules.iter().filter(|r| !needs_files(r)) {
            let has = |e: crate::rules::Expect| rule.examples.iter().any(|x| x.expect == e);
            assert!(
                has(crate::rules::Expect::Match) && has(crate::rules::Expect::NoMatch),
                "{} needs both kinds of example",
                rule.id
            );
        }
    }

    #[test]
    fn every_rule_example_holds() {
        let failures: Vec<_> = run_examples(&rules())
            .into_iter()
            .filter(|r| !r.passed)
            .collect();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn direct_quote_with_trailing_cue() {
        let got = attribution_of("\"We will rebuild the pier by spring,\" Mayor Lena Ortiz said.");
        assert_eq!(
            got,
            Some((
                "Mayor Lena Ortiz".into(),
                SourceKind::NamedPerson,
                "said".into()
            ))
        );
    }

    #[test]
    fn cue_before_a_colon_quote() {
        let got = attribution_of("The minister said: \"We have no evidence of that.\"");
        assert_eq!(
            got.map(|g| (g.0, g.1)),
            Some(("The minister".into(), SourceKind::NamedPerson))
        );
    }

    #[test]
    fn split_quote_covers_both_halves() {
        let r = rules();
        let a = analyze(
            "\"Give us the evidence,\" Lavrov said, \"and we will respond.\"",
            &r,
        );
        assert_eq!(a.sentences.len(), 1);
        assert_eq!(
            a.sentences[0]
                .attribution
                .as_ref()
                .map(|a| a.source.as_str()),
            Some("Lavrov")
        );
    }

    #[test]
    fn quotation_over_two_paragraphs_keeps_its_speaker() {
        let r = rules();
        let a = analyze(
            "\"The pumps failed at dawn,\" said engineer Ada Brandt. \"We lost the east wing.\n\n\"It may take weeks to pump it dry. We will need 40 more workers.\"",
            &r,
        );
        let last = a.sentences.last().expect("sentences");
        assert_eq!(last.voice, Voice::Speaker);
        assert_eq!(
            last.attribution.as_ref().map(|a| a.source.as_str()),
            Some("engineer Ada Brandt")
        );
        let found = sentence_findings(&a, &r);
        assert!(
            found.is_empty(),
            "the speaker's hedge and figure are not the author's: {found:?}"
        );
    }

    #[test]
    fn indirect_inverted_and_according_to() {
        assert_eq!(
            attribution_of("The ministry said that 40 people were detained.").map(|g| (g.0, g.1)),
            Some(("The ministry".into(), SourceKind::NamedOrg))
        );
        assert_eq!(
            attribution_of("The fire destroyed 40 homes, said the fire chief.").map(|g| (g.0, g.1)),
            Some(("the fire chief".into(), SourceKind::NamedPerson))
        );
        assert_eq!(
            attribution_of("Turnout fell to 41 percent, according to the county clerk's office.")
                .map(|g| (g.0, g.1, g.2)),
            Some((
                "the county clerk's office".into(),
                SourceKind::NamedOrg,
                "according to".into()
            ))
        );
    }

    #[test]
    fn appositives_and_relative_clauses_find_the_subject() {
        assert_eq!(
            attribution_of(
                "A department spokesman, Neil Osei, said inspectors arrived on Thursday."
            )
            .map(|g| (g.0, g.1)),
            Some(("Neil Osei".into(), SourceKind::NamedPerson))
        );
        assert_eq!(
            attribution_of(
                "A city employee who asked not to be named said the contract was reopened."
            )
            .map(|g| (g.0, g.1)),
            Some(("A city employee".into(), SourceKind::Anonymous))
        );
    }

    #[test]
    fn source_kinds() {
        let kind = |t: &str| attribution_of(t).map(|g| g.1);
        assert_eq!(
            kind("Officials said the road would reopen on Friday."),
            Some(SourceKind::Anonymous)
        );
        assert_eq!(
            kind("Township officials said the road would reopen on Friday."),
            Some(SourceKind::NamedOrg)
        );
        assert_eq!(
            kind("Critics say the road will never reopen."),
            Some(SourceKind::Vague)
        );
        // A year dates the document; it is no count of its own.
        assert_eq!(
            kind("A 2025 audit found the road was never inspected."),
            Some(SourceKind::Document)
        );
        assert_eq!(
            kind("An audit by the state found the road was never inspected."),
            Some(SourceKind::Document)
        );
        assert_eq!(
            kind("People familiar with the matter said the deal was signed."),
            Some(SourceKind::Anonymous)
        );
    }

    #[test]
    fn passive_and_negated_cues_are_not_attributions() {
        assert_eq!(
            attribution_of("No injuries were reported in the crash on Route 9."),
            None
        );
        assert_eq!(
            attribution_of("No group has claimed responsibility for the attack."),
            None
        );
    }

    #[test]
    fn pronouns_resolve_to_the_last_named_source() {
        let r = rules();
        let a = analyze(
            "Mayor Lena Ortiz said the pier would reopen. She said 40 workers were hired.",
            &r,
        );
        assert_eq!(
            a.sentences[1]
                .attribution
                .as_ref()
                .map(|a| a.source.as_str()),
            Some("Mayor Lena Ortiz")
        );
    }

    #[test]
    fn hedges_belong_to_whoever_speaks() {
        assert!(
            fired("The spill may have reached the river.").contains(&"hedge.modal".to_string())
        );
        assert!(fired("\"The spill may have reached the river,\" the engineer said.").is_empty());
        assert!(fired("Investigators said the spill may have reached the river.").is_empty());
        // A hedge on the attribution itself is the author's.
        assert!(
            fired("The minister reportedly said the plant would close.")
                .contains(&"hedge.hearsay".to_string())
        );
        // A clause between the source and a later cue is the content of
        // the reporting verb inside it, not the frame: its hedge is the
        // engineer's.
        let text = "The engineer acknowledged that the spill may have reached the river but noted that the water was safe.";
        let a = analyze(text, &rules());
        let primary = a.sentences[0].attribution.as_ref().expect("an attribution");
        assert_eq!(primary.cue, "noted");
        assert!(!primary.gap.is_empty());
        assert!(
            !fired(text).contains(&"hedge.modal".to_string()),
            "{:?}",
            fired(text)
        );
    }

    #[test]
    fn hedge_false_friends_do_not_fire() {
        for text in [
            "The council will vote on the budget in May.",
            "She could not swim, her brother said.",
            "The suspect is due to appear in court on Monday.",
            "The two men appeared in court on Tuesday.",
            "Residents can borrow sandbags from the fire station.",
        ] {
            let hedges: Vec<_> = fired(text)
                .into_iter()
                .filter(|r| r.starts_with("hedge."))
                .collect();
            assert!(hedges.is_empty(), "{text}: {hedges:?}");
        }
    }

    /// Hedge rule ids that fire on a text.
    fn hedges_in(text: &str) -> Vec<String> {
        fired(text)
            .into_iter()
            .filter(|r| r.starts_with("hedge."))
            .collect()
    }

    #[test]
    fn ability_purpose_and_negation_are_not_hedges() {
        for text in [
            "As a girl she could swim across the lake and back.",
            "Residents could only watch as the fire spread east.",
            "When she was ten she could read Latin and Greek.",
            "The city raised the levee so that the lower town may stay dry.",
            "The fair will open on Saturday, whatever the weather may bring.",
            "It is possible to reach the island by ferry twice a day.",
            "There is no doubt about who won the recount.",
            "The result of the recount is not in doubt.",
            "There is no reason to believe the ballots were tampered with.",
            "Three mills closed, most notably the one on Dock Street.",
        ] {
            assert_eq!(hedges_in(text), Vec::<String>::new(), "{text}");
        }
        // The same words where they do hedge.
        for (text, rule) in [
            ("The storm could reach the coast by Friday.", "hedge.modal"),
            (
                "There is doubt about who won the recount.",
                "hedge.probability",
            ),
            (
                "The result of the recount is in doubt.",
                "hedge.probability",
            ),
            (
                "There is reason to believe the ballots were tampered with.",
                "hedge.doxastic",
            ),
        ] {
            assert_eq!(hedges_in(text), [rule], "{text}");
        }
    }

    #[test]
    fn frequencies_estimates_and_named_holders_are_not_hedges() {
        for text in [
            // How often, not how many: "most often" and "in most cases"
            // mean "usually".
            "Most often the ferry leaves the harbour at noon.",
            "In most cases the ferry leaves the harbour on time.",
            // A rough figure, not an unnamed group.
            "Several hundred residents marched to the town hall.",
            "A few thousand fans waited outside the stadium.",
            // "A most": an intensifier.
            "The judge was a most patient listener.",
            // A modal with a frequency adverb describes what tends to happen.
            "Patients may often feel dizzy after the injection.",
            "Whatever help could be found was sent to the valley.",
            // The holder is named.
            "The harbour was considered by the Navy as a site for a new base.",
            // Spread, not consensus.
            "Ticket prices vary widely between the two theatres.",
        ] {
            assert_eq!(hedges_in(text), Vec::<String>::new(), "{text}");
        }
        // The same words where they do hedge.
        for (text, rule) in [
            (
                "Most residents opposed the new stadium.",
                "hedge.vague-quantity",
            ),
            (
                "Several residents marched to the town hall.",
                "hedge.vague-quantity",
            ),
            (
                "Patients may feel dizzy after the injection.",
                "hedge.modal",
            ),
            (
                "The harbour is considered the safest on the coast.",
                "hedge.generalization",
            ),
            (
                "The plan is widely supported in the valley.",
                "hedge.generalization",
            ),
        ] {
            assert_eq!(hedges_in(text), [rule], "{text}");
        }
    }

    #[test]
    fn an_exception_group_spares_the_neighbouring_cue() {
        // "Most" before an adverb is no share, but "commonly" still hedges.
        assert_eq!(
            hedges_in("Most commonly, the ferry leaves the harbour at noon."),
            ["hedge.generalization"]
        );
    }

    #[test]
    fn the_authors_clause_before_a_source_is_the_authors() {
        let r = rules();
        let voices = |text: &str| -> Vec<Voice> {
            analyze(text, &r).sentences[0]
                .hedges
                .iter()
                .map(|h| h.voice)
                .collect()
        };
        assert_eq!(
            voices("Although the levee may fail, engineers said that the town was safe."),
            [Voice::Author]
        );
        assert_eq!(
            voices("Engineers said that the levee may fail before dawn."),
            [Voice::Attributed]
        );
        assert_eq!(
            voices("The levee may fail before dawn, engineers said."),
            [Voice::Attributed]
        );
        assert_eq!(
            voices("\"The levee may fail before dawn,\" the engineer said."),
            [Voice::Speaker]
        );
        assert!(
            hedges_in("\"The levee may fail before dawn,\" the engineer said.").is_empty(),
            "a hedge in a quotation is the speaker's"
        );
    }

    #[test]
    fn unsourced_findings_by_what_is_claimed() {
        assert_eq!(
            fired("The councilman stole $40,000 from the parks fund."),
            ["unsourced.allegation"]
        );
        assert_eq!(
            fired("The fire destroyed 40 homes in the valley."),
            ["unsourced.statistic"]
        );
        assert!(
            fired("The fire destroyed 40 homes in the valley, the fire chief said.").is_empty()
        );
        // Spans of time are background, not statistics.
        assert!(
            fired("The Mariners have played at Harbor Park for more than 60 years.").is_empty()
        );
    }

    #[test]
    fn claim_terms_in_a_sense_that_claims_nothing_are_not_claims() {
        let claims = |text: &str| {
            let r = rules();
            let a = analyze(text, &r);
            (a.sentences[0].is_claim, fired(text))
        };
        let unsourced_claim = (true, vec!["unsourced.claim".to_string()]);
        // A record set, and a record as someone's past conduct.
        assert_eq!(
            claims("Turnout in the harbour district reached a record high on Monday."),
            unsourced_claim
        );
        assert_eq!(
            claims("Her voting record was the talk of the harbour hall on Monday."),
            (false, vec![])
        );
        assert_eq!(
            claims("Ortiz's record as mayor was the subject of the harbour debate."),
            (false, vec![])
        );
        assert_eq!(
            claims(
                "The mayor's spending record, which includes two bond issues, made her a target."
            ),
            (false, vec![])
        );
        assert_eq!(
            claims("That record extends from unpaid federal fines to unpaid harbour vendors."),
            (false, vec![])
        );
        // An idiom, and "never" under a modal: no fact is stated.
        assert_eq!(
            claims("The new ferry timetable was a muddle at best and a farce at worst."),
            (false, vec![])
        );
        assert_eq!(
            claims("The cause of the harbour fire may never be known to the town."),
            (false, vec!["hedge.modal".to_string()])
        );
        assert_eq!(
            claims("The harbour ferry has never missed a crossing since it opened."),
            unsourced_claim
        );
        // A hyphenated participle modifies a noun; falling asleep changes
        // nothing. The plain verb still claims.
        assert_eq!(
            claims("Voters in the county need a state-approved excuse to vote by mail."),
            (false, vec![])
        );
        assert_eq!(
            claims("The harbour master fell asleep during the long council meeting."),
            (false, vec![])
        );
        assert_eq!(
            claims("In one fell swoop, the harbour master rewrote the timetable."),
            (false, vec![])
        );
        assert_eq!(
            claims("The harbour arsonist was re-arrested on Monday after a chase."),
            unsourced_claim
        );
        assert_eq!(
            claims("The council approved the harbour levy in a vote on Monday night."),
            unsourced_claim
        );
    }

    #[test]
    fn figures_after_a_cited_poll_are_the_polls_own() {
        let r = rules();
        // (sentence number, rule) of each unsourced finding.
        let unsourced = |text: &str| -> Vec<(usize, String)> {
            analyze(text, &r)
                .findings
                .iter()
                .map(|f| (f.sentence + 1, r.rules[f.rule].id.clone()))
                .filter(|(_, id)| id.starts_with("unsourced."))
                .collect()
        };
        let poll = "A new poll by the Harbour Institute found that voters favour the levy. \
            Forty-one percent of voters would back it in May. \
            The mayor spoke at the pier on Monday. The sun rose over the bay. \
            The boats came in at dawn. \
            Among older respondents, 62 percent backed the levy. \
            The survey reached 900 adults in the county last week.";
        // The figure right after the poll, and the two that name its
        // respondents or the survey later on, read as the poll's.
        assert!(unsourced(poll).is_empty(), "{:?}", unsourced(poll));
        // Far from any document, the same figures are unsourced.
        let bare = "The mayor spoke at the pier on Monday. \
            Forty-one percent of voters would back the levy in May.";
        assert_eq!(unsourced(bare), [(2, "unsourced.statistic".to_string())]);
        let after = "A new poll by the Harbour Institute found that voters favour the levy. \
            The mayor spoke at the pier. The sun rose over the bay. The boats came in at dawn. \
            The ferry sailed at noon. Forty-one percent of voters would back the levy in May.";
        assert_eq!(unsourced(after), [(6, "unsourced.statistic".to_string())]);
        // An accusation stays the author's even in a poll's focus.
        let accused = "A new poll by the Harbour Institute found that voters favour the levy. \
            The councilman stole $40,000 from the parks fund.";
        assert_eq!(
            unsourced(accused),
            [(2, "unsourced.allegation".to_string())]
        );
    }

    #[test]
    fn an_article_pays_the_share_of_the_specifics_it_lacks() {
        let r = rules();
        let share = |text: &str, id: &str| -> f64 {
            let a = analyze(text, &r);
            a.findings
                .iter()
                .filter(|f| r.rules[f.rule].id == id)
                .map(|f| f.share)
                .sum()
        };
        let undated = "The pier is closed. Nobody knows why the money is gone.";
        let once = "The pier closed on Monday. Nobody knows why the money is gone.";
        let twice = "The pier closed on Monday. The money was gone by March 3.";
        assert_eq!(share(undated, "style.undated"), 1.0);
        assert_eq!(share(once, "style.undated"), 0.5);
        assert_eq!(share(twice, "style.undated"), 0.0);
        // A named person speaking counts; a named person's wish does not.
        let said = "Mayor Lena Ortiz said the pier would reopen.";
        let wants = "Mayor Lena Ortiz wants the pier to reopen.";
        assert_eq!(share(said, "style.few-named-people"), 0.75);
        assert_eq!(share(wants, "style.few-named-people"), 1.0);
    }

    #[test]
    fn within_article_conflicts_and_near_misses() {
        let r = rules();
        let a = analyze(
            "Gunmen attacked the market, killing dozens of people, the governor said.\n\nThe attack killed hundreds of people, the governor said.",
            &r,
        );
        assert_eq!(a.conflicts.len(), 1, "{:?}", a.conflicts);
        assert_eq!(a.conflicts[0].key, "killed people");
        for text in [
            "The blast killed 8 people, police said.\n\nAnother 80 people were injured, police said.",
            "At least 30 people were arrested, police said.\n\nPolice later said 34 people were arrested.",
            "The storm destroyed about 200 homes, officials said.\n\nOfficials said 210 homes were destroyed.",
            // A toll that rose is a new count, not a second value.
            "Flooding in Marrow County killed 80 people on Monday.\n\nBy Wednesday the death toll in Marrow County had risen to 120.",
            "The quake killed 300 people.\n\nThe toll has since climbed to 410.",
            // Different days, different counts.
            "A storm on March 3 killed 12 people in Dunmore.\n\nA second storm on March 9 killed 40 people in Dunmore.",
            "Shelling on Monday killed 6 people in Arvel.\n\nShelling on Tuesday killed 19 people in Arvel.",
        ] {
            assert!(analyze(text, &r).conflicts.is_empty(), "{text}");
        }
        // A day named in only one sentence does not hide a conflict.
        let a = analyze(
            "The storm on March 3 killed 12 people in Dunmore.\n\nThe storm killed 40 people in Dunmore.",
            &r,
        );
        assert_eq!(a.conflicts.len(), 1, "{:?}", a.conflicts);
        let figure = a.figures.iter().find(|f| f.sentence == 0).unwrap();
        assert_eq!(figure.day.map(|d| d.render()).as_deref(), Some("03-03"));
    }

    #[test]
    fn name_variants_are_flagged_and_accepted_alternates_are_not() {
        let got = fired(
            "The attack on Khan Sheikhoun killed dozens, officials said.\n\nResidents of Khan Sheikhun buried the dead on Wednesday, the mayor said.",
        );
        assert!(
            got.contains(&"conflict.name-variant".to_string()),
            "{got:?}"
        );
        for text in [
            "Al-Qaeda claimed the attack, the ministry said.\n\nThe ministry said al Qaeda had used the road before.",
            "Calder Bay Harbor said the ferry sank.\n\nCalder Bay Ferries said the ferry was inspected.",
        ] {
            assert!(
                !fired(text).contains(&"conflict.name-variant".to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_claim_resting_on_a_low_rated_outlet_is_flagged_with_ratings_only() {
        use crate::score::sources::{CitedRatings, Ratings, SourceMap};
        let text = "The governor secretly sold the water utility, The Harbour Daily reported.\n\nThe mayor will resign, The Washington Post reported.\n\nThe mayor will resign, the Harbour Party said in a statement.";
        let fired_with = |r: &RuleSet| -> Vec<(usize, String)> {
            analyze(text, r)
                .findings
                .iter()
                .map(|f| (f.sentence, r.rules[f.rule].id.clone()))
                .collect()
        };
        let mut r = rules();
        assert!(!fired_with(&r).iter().any(|f| f.1 == "sourcing.low-rated"));
        r.cited = CitedRatings::new(
            SourceMap::default(),
            Ratings::from_pairs([
                ("harbourdaily.com".to_string(), 12.0),
                ("washingtonpost.com".to_string(), 82.0),
                // A party's own site is not an outlet the party's claims rest on.
                ("harbourparty.com".to_string(), 10.0),
            ]),
            None,
        );
        let low: Vec<usize> = fired_with(&r)
            .into_iter()
            .filter(|f| f.1 == "sourcing.low-rated")
            .map(|f| f.0)
            .collect();
        assert_eq!(low, [0], "only the low-rated outlet's claim");
    }

    #[test]
    fn two_sources_disagreeing_is_a_dispute_not_an_article_conflict() {
        let r = rules();
        let a = analyze(
            "The blast killed 12 people, police said.\n\nThe blast killed 40 people, a hospital director said.",
            &r,
        );
        assert_eq!(a.conflicts.len(), 1, "{:?}", a.conflicts);
        assert!(a.conflicts[0].disputed);
        assert!(
            a.findings
                .iter()
                .all(|f| r.rules[f.rule].category != "conflict")
        );
    }

    #[test]
    fn a_capital_after_the_first_word_is_found_as_words_find_it() {
        let texts = [
            "",
            "   ",
            "One",
            "  One two",
            "one Two",
            "one\tTwo",
            "one\x0bTwo",
            "one-Two three",
            "Only lowercase after the first",
            "caf\u{e9} \u{c9}lan",
            "no\u{a0}Break",
            "trailing space ",
        ];
        // Texts long enough to be read eight bytes at a time, with a
        // capital at each place, after a space or a control byte or not.
        let long = "the ferry ran late on\ta cold\x01and windy night";
        let capitalised = (0..long.len()).map(|at| {
            let capital = long[at..=at].to_ascii_uppercase();
            format!("{}{capital}{}", &long[..at], &long[at + 1..])
        });
        let texts = texts.iter().map(|t| t.to_string()).chain(capitalised);
        for text in texts {
            let by_words = crate::text::words(&text)
                .skip(1)
                .any(|w| w.starts_with(|ch: char| ch.is_uppercase()));
            assert_eq!(names_after_first_word(&text), by_words, "{text:?}");
        }
    }
}
