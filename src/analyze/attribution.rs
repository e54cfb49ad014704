//! Attribution: for each sentence, who is reported as saying it.
//!
//! Finds reporting cues (from the rule pack's `[attribution]` lists) outside
//! quotations, extracts the source phrase before the cue ("the ministry
//! said") or after it (", said the minister"; "according to police"), and
//! classifies the source as a named person, organisation, document,
//! anonymous or vague. Quotations take the attribution of the cue next to
//! them, and a quotation with none nearby continues the speaker of the
//! quotation just before it. This module does not judge claims; it only says
//! who speaks.

use crate::rules::{LexMatch, Owner, RuleSet, SourceKind};
use crate::text::{Document, Span};
use std::borrow::Cow;

/// One attribution: a source, the cue that introduces it, and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The source as written ("a senior official", "Mayor Lena Ortiz").
    pub source: String,
    pub kind: SourceKind,
    /// The cue as written ("said", "according to").
    pub cue: String,
    pub cue_span: Span,
    /// Where the source phrase is; empty span when it was carried over from
    /// an earlier quotation or resolved from a pronoun.
    pub source_span: Span,
    /// The cue reports a view, wish, plan or stance ("wants", "hopes",
    /// "supports") rather than speech: the source holds it, but the author
    /// asserts it, so it never decides the sentence's voice.
    pub attitude: bool,
    /// The setting the sentence opens with before its source, when it tells
    /// where, when or how the source spoke ("In a statement on Friday, the
    /// ministry said ..."): part of the frame, not of what was said. Empty
    /// when there is none.
    pub setting: Span,
    /// Where the frame is interrupted: the stretch between the source and
    /// a later cue that holds another reporting cue of the same sentence
    /// ("Lee acknowledged that the count was late but noted that ..."),
    /// which is that cue's content, not this one's frame. Empty when none.
    pub gap: Span,
    /// Whom the source told, and when, between the cue and the "that" of
    /// its content ("told reporters on Tuesday that ..."): part of the
    /// frame. Empty when there is none.
    pub addressee: Span,
}

impl Attribution {
    /// A cue whose holder is nobody by name: an impersonal view ("is
    /// expected to") or a speech verb whose subject cannot be delimited.
    fn sourceless(cue_text: &str, cue_span: Span, attitude: bool) -> Self {
        Self {
            source: String::new(),
            kind: SourceKind::Vague,
            cue: cue_text.to_string(),
            cue_span,
            source_span: Span::default(),
            attitude,
            setting: Span::default(),
            gap: Span::default(),
            addressee: Span::default(),
        }
    }

    /// The attribution frame: setting, source, cue and addressee together. A hedge
    /// inside the frame ("the minister reportedly said") is the author's.
    pub fn frame(&self) -> Span {
        if self.source_span.is_empty() {
            return self.cue_span;
        }
        let start = self.cue_span.start.min(self.source_span.start);
        Span::new(
            if self.setting.is_empty() {
                start
            } else {
                start.min(self.setting.start)
            },
            self.cue_span
                .end
                .max(self.source_span.end)
                .max(self.addressee.end),
        )
    }

    /// Whether `span` lies in the frame, outside its gap.
    pub fn in_frame(&self, span: Span) -> bool {
        self.frame().overlaps(span) && (self.gap.is_empty() || !self.gap.covers(span))
    }
}

/// Characters that end the clause a source phrase can come from.
/// A full stop is not among them: sentences are already split, and a stop
/// inside one belongs to an abbreviation ("Sen. Grant Wilcox", "U.S.").
const CLAUSE_BREAKS: &[char] = &[
    ',', ';', ':', '(', ')', '"', '\u{201c}', '\u{201d}', '\u{2014}', '\u{2013}', '?', '!',
];

/// Prepositions that end the head of a noun phrase ("a panel in 2001").
const PREPOSITIONS: &[&str] = &["in", "of", "at", "on", "from", "for", "with", "to", "by"];

/// Words a source phrase never starts with; they are dropped from its front.
const LEADING_NOISE: &[&str] = &[
    "and",
    "but",
    "or",
    "so",
    "as",
    "while",
    "because",
    "although",
    "though",
    "when",
    "what",
    "which",
    "who",
    "that",
    "also",
    "then",
    "yet",
    "however",
    "meanwhile",
    "later",
    "earlier",
    "once",
    "since",
    "if",
];

/// Words a source phrase never ends with; they are dropped from its end.
const TRAILING_NOISE: &[&str] = &[
    "also",
    "later",
    "earlier",
    "previously",
    "repeatedly",
    "then",
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "would",
    "will",
    "could",
    "once",
    "again",
    "publicly",
    "privately",
    "reportedly",
    "allegedly",
    "on",
    "in",
    "last",
    "first",
    "initially",
    "recently",
    "had",
    "been",
    "am",
    "apparently",
    "separately",
    "further",
    "not",
    "never",
    "probably",
    "likely",
    "possibly",
    "perhaps",
    "certainly",
    "clearly",
    "did",
    "does",
    "do",
    "who",
];

/// Determiners and similar words that are not a source on their own.
const NOT_A_SOURCE: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "there", "here", "what", "which", "his",
    "her", "their", "its", "our", "my", "your", "who", "whom", "one", "no", "all",
];

/// A phrase starting with one of these denies that anyone spoke.
const NEGATIONS: &[&str] = &["no", "nobody", "none", "neither", "nothing", "never"];

/// Cues whose nominal reading is common ("the reports", "claims of"): they
/// need a source before them and are never inverted.
const NOUN_LIKE_CUES: &[&str] = &[
    "reports",
    "claims",
    "notes",
    "states",
    "shows",
    "finds",
    "found",
    "estimates",
    "calls",
    "show",
    "tweets",
    "praises",
    "vows",
    "slams",
    "fears",
    "suspects",
];

/// What a lexicon match can be as a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueRole {
    /// A reporting verb: the source is its subject or follows it inverted.
    Verb,
    /// A cue followed by its source ("according to").
    SourceAfter,
    /// A verb that reports speech only before punctuation ("he continued:").
    QuoteVerb,
    /// A view, wish or plan of its subject ("wants").
    Attitude,
    /// A view without a holder ("is expected to").
    Impersonal,
}

/// Longest words a source phrase may have.
const MAX_SOURCE_WORDS: usize = 12;

/// What attribution found in one sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceAttributions {
    /// The attribution that decides the sentence's voice: the strongest cue
    /// in it, or the one a quotation or speaker label carries over.
    pub primary: Option<Attribution>,
    /// Every attribution in the sentence, in text order, the primary one
    /// included: "The senator voted no, she said, adding that ..." has two.
    pub all: Vec<Attribution>,
}

/// Finds the attributions of each sentence: `out[i]` for sentence `i`.
pub fn attribute(
    doc: &Document<'_>,
    matches: &[LexMatch],
    rules: &RuleSet,
) -> Vec<SentenceAttributions> {
    let body = doc.body;
    // Each sentence's primary attribution is set in place; `all` is filled
    // in at the end.
    let mut out: Vec<SentenceAttributions> = Vec::with_capacity(doc.sentences.len());
    out.resize_with(doc.sentences.len(), SentenceAttributions::default);
    let mut last_named: Option<(String, SourceKind)> = None;

    // Quotations, with those marked by two apostrophes (''...'') that some
    // archives use for double quotes.
    let extra = apostrophe_quotes(doc);
    let mut quotes: Vec<Span> = doc.quotes.iter().map(|q| q.span).collect();
    quotes.extend(extra.iter().copied());
    quotes.sort_by_key(|q| q.start);

    // Reporting cues outside quotations, longest first at each position,
    // except inside a phrase where the cue word is no cue ("think tank").
    let not_cues: Vec<Span> = matches
        .iter()
        .filter(|m| rules.lexicon.owners(m.pattern).contains(&Owner::NotCue))
        .map(|m| m.span)
        .collect();
    let mut cues: Vec<(Span, CueRole)> = Vec::new();
    for m in matches {
        if not_cues.iter().any(|n| n.covers(m.span)) {
            // "'We will win,' she added to cheers": right after a quotation
            // and a short source the word reports what was said.
            let before = body[..m.span.start].trim_end();
            let words: Vec<&str> = before.rsplit(char::is_whitespace).take(4).collect();
            let trailing = words
                .iter()
                .skip(1)
                .take(3)
                .any(|w| w.ends_with(['"', '\u{201d}']));
            if !trailing {
                continue;
            }
        }
        let owners = rules.lexicon.owners(m.pattern);
        let role = [
            (Owner::SourceAfter, CueRole::SourceAfter),
            (Owner::Verb, CueRole::Verb),
            (Owner::QuoteVerb, CueRole::QuoteVerb),
            (Owner::Attitude, CueRole::Attitude),
            (Owner::Impersonal, CueRole::Impersonal),
        ]
        .into_iter()
        .find_map(|(owner, role)| owners.contains(&owner).then_some(role));
        let Some(role) = role else {
            continue;
        };
        if doc.in_quote(m.span) || extra.iter().any(|q| q.covers(m.span)) {
            continue;
        }
        // Keep the longest cue among overlapping ones ("told reporters" over "told").
        if let Some(last) = cues.last_mut()
            && last.0.overlaps(m.span)
        {
            if m.span.len() > last.0.len() {
                *last = (m.span, role);
            }
            continue;
        }
        cues.push((m.span, role));
    }
    // "In a poll last month, Cruz led": the poll is the source unless a
    // verb in the sentence reports ("One in four voters in a Times poll
    // said ...").
    let in_cues = in_source_cues(doc, matches, rules);
    if !in_cues.is_empty() {
        for cue in in_cues {
            let sentence = doc.sentence_at(cue.start).map(|si| doc.sentences[si].span);
            let reported = cues.iter().any(|&(c, role)| {
                matches!(
                    role,
                    CueRole::Verb | CueRole::QuoteVerb | CueRole::SourceAfter
                ) && sentence.is_some_and(|s| s.covers(c))
            });
            if !reported
                && !doc.in_quote(cue)
                && !extra.iter().any(|q| q.covers(cue))
                && !cues.iter().any(|(c, _)| c.overlaps(cue))
            {
                cues.push((cue, CueRole::SourceAfter));
            }
        }
        cues.sort_by_key(|(c, _)| c.start);
    }

    // Sentence-level attributions, in order, so pronouns resolve backwards.
    let mut found: Vec<(usize, Attribution)> = Vec::new();
    let mut unresolved: Vec<(usize, Attribution)> = Vec::new();
    for (cue, role) in cues {
        let Some(si) = doc.sentence_at(cue.start) else {
            continue;
        };
        let sentence = doc.sentences[si].span;
        // Phrases are found across line breaks, and a line break can end a
        // sentence: a cue wrapped past its sentence's end ("plans" / "to
        // resign") is no cue of that sentence.
        if cue.end > sentence.end {
            continue;
        }
        let cue_text = &body[cue.start..cue.end];
        if discourse_marker(body, sentence, cue, rules)
            || prenominal_participle(body, sentence, cue)
        {
            continue;
        }
        let source_after = role == CueRole::SourceAfter;
        let attitude = matches!(role, CueRole::Attitude | CueRole::Impersonal);
        // "The mayor says she wants ...": an attitude inside reported content
        // belongs to that content, not to the sentence. In a relative clause
        // ("..., said Ortiz, who supports the levy") it is the antecedent's.
        // Cues come in text order, so the sentence's earlier ones are last.
        if attitude
            && !relative_who(body, doc.sentences[si].span.start, cue.start)
            && found
                .iter()
                .rev()
                .take_while(|(s, _)| *s == si)
                .any(|(_, a)| !a.attitude && a.cue_span.end <= cue.start)
        {
            continue;
        }
        if role == CueRole::Impersonal {
            // "The vote is expected to be close": a view nobody holds by name.
            found.push((si, Attribution::sourceless(cue_text, cue, true)));
            continue;
        }
        // "He continued: ...", "\u{201c}...,\u{201d} she went on": these verbs
        // report speech only when nothing but punctuation follows them.
        let quoted_speech = role == CueRole::QuoteVerb;
        if quoted_speech
            && !body[cue.end..sentence.end]
                .trim_start()
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ',' | ':' | ';' | '.' | '"' | '\u{201c}' | '\u{201d}'))
        {
            continue;
        }
        let noun_like = NOUN_LIKE_CUES
            .iter()
            .any(|c| c.eq_ignore_ascii_case(cue_text));
        let speech = quoted_speech || rules.speech_verbs.contains(cue_text);
        // "Obama has since described", "which had previously endorsed":
        // auxiliaries and adverbs stand between a subject and its verb.
        let ing = cue_text
            .split_whitespace()
            .next()
            .is_some_and(|w| ends_with_ignore_ascii_case(w, "ing"));
        // "The senator is telling voters ...": a form of "be" before an -ing
        // form makes it progressive, not passive, and stands between the
        // subject and the verb like any auxiliary.
        let progressive = ing && is_passive(body, sentence.start, cue.start);
        let subject_end = skip_auxiliaries(body, sentence.start, cue.start, progressive);
        let relative = in_relative_clause(body, sentence.start, subject_end);
        // "Trump answered by saying ...", "while praising", "after
        // questioning": the main subject speaks, as after a comma.
        let after_preposition = ing
            && !attitude
            && matches!(
                &*prev_word(body, sentence.start, cue.start),
                "by" | "after" | "while" | "before" | "when" | "in" | "upon"
            );
        // "Sanders continued to portray her as ...", "was quick to point
        // out": after one of the rule pack's openers and "to", the verb
        // speaks for the subject of the opener.
        let infinitive = (!attitude && !noun_like)
            .then(|| infinitive_opener(body, sentence.start, cue.start, rules))
            .flatten();
        if (is_passive(body, sentence.start, cue.start) && !progressive)
            // "who asked not to be named" describes a source; it reports
            // nothing.
            || (relative && {
                let rest = body[cue.end..sentence.end].trim_start();
                rest.starts_with("not to") || rest.starts_with("to be ")
            })
            || (after_determiner(body, sentence.start, cue.start)
                && !after_preposition
                && infinitive.is_none())
        {
            // "the plan was criticized", "she was told about the deal": a
            // passive reporting verb still reports speech, by someone the
            // sentence does not name. It is listed without a source and
            // decides nothing. "no injuries were reported",
            // "who asked not to be named", "the United States" and "his
            // calls" are no cues at all.
            if is_passive(body, sentence.start, cue.start)
                && !progressive
                && !noun_like
                && !after_determiner(body, sentence.start, cue.start)
                && !rules
                    .attribution
                    .passive_not_cues
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(cue_text))
            {
                unresolved.push((si, Attribution::sourceless(cue_text, cue, false)));
            }
            continue;
        }
        let before = body[sentence.start..cue.start].trim_end();
        // "..., calling the plan \u{201c}reckless,\u{201d} adding that ...":
        // a comma before the closing mark, or a dash, sets a participle off
        // as well as a bare comma does.
        let set_off = before
            .trim_end_matches(['"', '\u{201d}', '\''])
            .ends_with(',')
            || before.ends_with(['\u{2014}', '\u{2013}'])
            || before.ends_with("--");
        let participle = !source_after && ing && (set_off || after_preposition);
        let opening_asked = is_asked(cue_text)
            && matches!(
                before.to_ascii_lowercase().as_str(),
                "" | "when" | "and when" | "but when" | "once"
            );
        let quantified = noun_like
            && matches!(
                &*prev_word(body, sentence.start, cue.start),
                "some" | "many" | "most" | "all" | "both" | "other" | "several" | "few"
            );
        let next_word = ascii_lower(
            body[cue.end..sentence.end]
                .split_whitespace()
                .next()
                .map(bare_word)
                .unwrap_or_default(),
        );
        // A noun cue followed by a preposition is a noun: "his radio show
        // on Sunday".
        let noun_use = (noun_like || attitude)
            && matches!(
                &*next_word,
                "on" | "in"
                    | "at"
                    | "with"
                    | "for"
                    | "of"
                    | "from"
                    | "and"
                    | "or"
                    | "host"
                    | "among"
            );
        // "repeated calls to resign", "calls into question": a noun cue
        // before "to" is a noun; an attitude verb before it is not ("wants to").
        let noun_to = noun_like && matches!(&*next_word, "to" | "into");
        // "a Sunday talk show, a column and ...", "the TV show \u{201c}Cake
        // Boss\u{201d}": a noun cue right before a comma or an opening
        // quotation mark has no object, so it is a noun.
        let noun_end = noun_like
            && body[cue.end..sentence.end]
                .trim_start()
                .starts_with([',', '"', '\u{201c}']);
        // "she found herself at the centre", "he has found ways to ...":
        // finding oneself or a way is no finding reported.
        let idiom = (cue_text.eq_ignore_ascii_case("found")
            || cue_text.eq_ignore_ascii_case("finds"))
            && matches!(
                &*next_word,
                "himself" | "herself" | "itself" | "themselves" | "myself" | "ourselves" | "ways"
            );
        if quantified
            || noun_use
            || noun_to
            || noun_end
            || idiom
            || matches!(&*next_word, "up" | "off")
        {
            continue; // "some states", "they did not show up", "called off"
        }
        // "The council hopes that the levy passes": a view with a "that"
        // clause of its own states what the holder believes, so the clause
        // is in their voice; "the council wants a levy" stays the author's.
        let attitude = attitude && !(role == CueRole::Attitude && next_word == "that");
        // "41 percent support" is a share, not a stance.
        if attitude
            && matches!(
                &*prev_word(body, sentence.start, cue.start),
                "percent" | "cent"
            )
        {
            continue;
        }
        let source_span = if source_after {
            phrase_after(body, cue.end, sentence.end)
        } else if relative {
            // "Republicans who say the law failed": the antecedent speaks.
            // "Barkley, who said ...": the comma closes the antecedent.
            let antecedent = body[sentence.start..subject_end].trim_end();
            let who = antecedent[..antecedent.trim_end_matches(char::is_alphabetic).len()]
                .trim_end()
                .trim_end_matches(',')
                .len();
            let phrase = phrase_before(body, sentence.start, sentence.start + who);
            // "The call came from Mayor Ann Lee, who said", "..., said Ann
            // Lee, who supports": a clause before "who" ends in its
            // antecedent.
            let clause = phrase.is_none_or(|p| {
                body[p.start..p.end]
                    .split_whitespace()
                    .any(|w| w.starts_with(char::is_lowercase) && verb_like(w))
            });
            if clause && relative_who(body, sentence.start, subject_end) {
                antecedent_tail(body, sentence.start, sentence.start + who).or(phrase)
            } else {
                phrase
            }
        } else if opening_asked {
            // "Asked about the deal, the senator said ...": the subject after
            // the comma answers.
            body[cue.end..sentence.end].find(',').and_then(|i| {
                let from = cue.end + i + 1;
                subject_of(body, from, sentence.end, rules)
            })
        } else if let Some(opener) = infinitive {
            subject_of(body, sentence.start, opener, rules)
        } else if participle {
            // "The senator attacked the plan, saying it ...": the subject of
            // the main clause speaks.
            subject_of(body, sentence.start, cue.start, rules)
        } else {
            match phrase_before(body, sentence.start, cue.start) {
                Some(span) => Some(span),
                // "The senator voted no and said the bill was rushed.", "...
                // and then said": adverbs stand between the conjunction and
                // the verb.
                None if matches!(
                    &*prev_word(body, sentence.start, subject_end),
                    "and" | "but"
                ) =>
                {
                    subject_of(body, sentence.start, cue.start, rules)
                }
                None => {
                    let before = body[sentence.start..subject_end].trim_end();
                    // "..., said the minister." or "A spokesman, Neil Osei, said ...":
                    // an inverted source the lists recognise wins, else the
                    // appositive, else an unrecognised inverted phrase.
                    // Right after a quotation an inverted source may be long
                    // ("...," said Stephen Vladeck of the University of Texas
                    // School of Law); at the sentence start it must be one the
                    // lists recognise ("Said Comey, ...").
                    let after_quote = before.ends_with(['"', '\u{201d}', '\''])
                        || before.ends_with(",\u{201d}")
                        || before.ends_with(",\"");
                    let opening = before.is_empty();
                    let max_words = if after_quote { MAX_SOURCE_WORDS } else { 7 };
                    let inverted = (!noun_like
                        && (opening || before.ends_with([',', '"', '\u{201d}', '\'']))
                        && short_clause_after(body, cue.end, sentence.end, max_words))
                    .then(|| phrase_after(body, cue.end, sentence.end))
                    .flatten()
                    // Classified once, with whether the lists recognise it.
                    .map(|span| {
                        let text = &body[span.start..span.end];
                        (span, classify(text, rules, last_named.as_ref()).recognised)
                    })
                    .filter(|&(_, recognised)| !opening || recognised);
                    let appositive = before
                        .ends_with(',')
                        .then(|| appositive(body, sentence.start, subject_end))
                        .flatten();
                    match (inverted, appositive) {
                        (Some((i, true)), _) => Some(i),
                        (_, Some(a)) => Some(a),
                        (i, None) => i.map(|(i, _)| i),
                    }
                }
            }
        };
        let Some(source_span) = source_span else {
            // "\u{201c}...,\u{201d} he said when asked about the deal": the
            // question is a cue of its own, answered by the same speaker.
            if is_asked(cue_text)
                && prev_word(body, sentence.start, cue.start) == "when"
                && let Some((last_si, last)) = found.last()
                && *last_si == si
            {
                let asked = Attribution {
                    cue: cue_text.to_string(),
                    cue_span: cue,
                    source_span: Span::default(),
                    attitude: false,
                    setting: Span::default(),
                    gap: Span::default(),
                    addressee: Span::default(),
                    ..last.clone()
                };
                found.push((si, asked));
            } else if !attitude
                && !rules
                    .attribution
                    .naming_verbs
                .iter()
                .any(|n| n.eq_ignore_ascii_case(cue_text))
                // "nobody had asked for it", "no group has claimed": a
                // subject that denies anyone spoke.
                && !body[sentence.start..subject_end]
                    .split_whitespace()
                    .rev()
                    .take(3)
                    .any(|w| NEGATIONS.iter().any(|n| n.eq_ignore_ascii_case(w)))
            {
                // "PARIS (Wire) - The party leader backed the bill on
                // Monday, saying ...", "..., calling him a liability": a
                // subject the engine cannot delimit (a dateline, a headline
                // run into the sentence, a clause it cannot parse). The
                // verb still reports, so the cue is listed without a source
                // and decides nothing: no voice, no quotation. A naming
                // verb without a subject names a thing ("a group called
                // Renew"), and a view needs its holder ("the city's plan
                // to close the pool"), so neither is a cue.
                unresolved.push((si, Attribution::sourceless(cue_text, cue, false)));
            }
            continue;
        };
        // "that what the senator said is true", "what voters want": a free
        // relative names the speech as a thing; it attributes no content.
        if !source_after && prev_word(body, sentence.start, source_span.start) == "what" {
            continue;
        }
        // "sanctions as a deterrent to what it called a threat": the phrase
        // before the cue ran past the free relative; its subject, after
        // "what", is the source.
        let phrase = &body.as_bytes()[source_span.start..source_span.end];
        let last_what = memchr::memrchr_iter(b'w', phrase).find(|&at| {
            phrase[at..].starts_with(b"what ")
                && (at == 0 || body[..source_span.start + at].ends_with(' '))
        });
        let source_span = match last_what {
            Some(at) if !source_after => {
                let start = source_span.start + at + "what ".len();
                if body[start..source_span.end]
                    .split_whitespace()
                    .nth(2)
                    .is_some()
                {
                    source_span
                } else {
                    Span::new(start, source_span.end)
                }
            }
            _ => source_span,
        };
        // "The court blocked the sale, citing a threat to public health":
        // what is cited may be a reason, not a source. Then the subject of
        // the main clause cites it, as with ", saying". Only a name or a
        // phrase the source lists know is a cited source ("citing
        // officials", "citing a report").
        let cited = &body[source_span.start..source_span.end];
        let source_span = if cue_text.eq_ignore_ascii_case("citing")
            && !cited
                .split_whitespace()
                .any(|w| w.starts_with(|c: char| c.is_uppercase()))
            && !{
                // The source lists share one automaton: one scan tells them all.
                let hits = rules.anonymous.lists_in(cited);
                [
                    &rules.anonymous,
                    &rules.officials,
                    &rules.vague,
                    &rules.document,
                    &rules.organisation,
                    &rules.roles,
                    &rules.public_bodies,
                ]
                .iter()
                .any(|list| list.is_in(hits))
            } {
            match subject_of(body, sentence.start, cue.start, rules) {
                Some(subject) => subject,
                None => {
                    unresolved.push((si, Attribution::sourceless(cue_text, cue, false)));
                    continue;
                }
            }
        } else {
            source_span
        };
        let whole = &body[source_span.start..source_span.end];
        let classified = classify(whole, rules, last_named.as_ref());
        // "most of the rest reported less pain": after a verb that is no
        // speech verb, a subject no list recognises is no source the reader
        // can weigh. The cue is still a reporting verb ("the panel
        // concluded", "the prince called for ..., calling him ..."), so it
        // is listed, but it decides nothing: no voice, no quotation, no
        // antecedent for a later pronoun. A noun-like cue ("his reports")
        // and a view ("most want") stay out.
        let weak = !classified.recognised && !source_after && !speech;
        if weak && noun_like {
            continue;
        }
        // An -ing form that is no participle after a comma ("with some
        // calling for ...") is a cue only when a named party speaks.
        let gerund = !participle
            && !progressive
            && infinitive.is_none()
            && !source_after
            && !opening_asked
            && ing;
        if gerund
            && !matches!(
                classified.kind,
                SourceKind::NamedPerson | SourceKind::NamedOrg
            )
        {
            // "The town released a statement saying ...", "ads calling
            // him reckless": a document that speaks. The cue is listed;
            // who issued the document the sentence does not say plainly,
            // so it decides nothing.
            if classified.kind == SourceKind::Document {
                unresolved.push((si, Attribution::sourceless(cue_text, cue, false)));
            }
            continue;
        }
        // "a supplement called NeuroVita": a naming verb after a common noun
        // names a thing; nobody speaks. "..., a ferry critic, called the plan
        // \u{201c}reckless\u{201d}" or "described the march as peaceful"
        // quotes or characterises: a view.
        // Looked at only after a naming verb, as most cues are none.
        let characterises = || {
            let clause_after = body[cue.end..sentence.end]
                .split([',', ';', ':'])
                .next()
                .unwrap_or_default();
            // A quotation right after the verb is a name ("a group called
            // \u{201c}Harbour Watch\u{201d}"); after an object, a view.
            let object_then_quote = clause_after
                .find(['"', '\u{201c}'])
                // Two bytes looked for directly: no searcher for each cue.
                .or_else(|| clause_after.as_bytes().windows(2).position(|w| w == b"''"))
                .is_some_and(|q| {
                    let object = clause_after[..q].split_whitespace();
                    object.clone().count() <= 6
                        && object
                            .into_iter()
                            .any(|w| !matches!(w.to_ascii_lowercase().as_str(), "a" | "an" | "the"))
                });
            object_then_quote || clause_after.split_whitespace().take(8).any(|w| w == "as")
        };
        if rules
            .attribution
            .naming_verbs
            .iter()
            .any(|n| n.eq_ignore_ascii_case(cue_text))
            && !characterises()
            && prev_word(body, sentence.start, subject_end)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
            // "... and called the plan reckless": a verb after a conjunction.
            && !matches!(
                &*prev_word(body, sentence.start, subject_end),
                "and" | "but" | "then" | "also" | "who" | "which" | "that"
            )
            && !rules
                .pronouns
                .contains(&prev_word(body, sentence.start, subject_end))
            && body[sentence.start..subject_end]
                .split_whitespace()
                .next_back()
                .is_some_and(|w| w.starts_with(char::is_lowercase))
        {
            continue;
        }
        // Shown without its relative clause: "a city employee", not the
        // whole "who asked not to be named because ...".
        let shown = find_first_spaced_word(whole, RELATIVE)
            .map_or(whole, |i| &whole[..i])
            // "Avon, who designed ..., did not respond": no comma after the name.
            .trim_end_matches([',', ' '])
            .to_string();
        let kind = classified.kind;
        if weak {
            unresolved.push((
                si,
                Attribution {
                    source: shown,
                    kind,
                    cue: cue_text.to_string(),
                    cue_span: cue,
                    source_span,
                    attitude,
                    setting: Span::default(),
                    gap: Span::default(),
                    addressee: Span::default(),
                },
            ));
            continue;
        }
        if matches!(kind, SourceKind::NamedPerson | SourceKind::NamedOrg)
            && classified.resolved.is_none()
        {
            last_named = Some((shown.clone(), kind));
        }
        let attribution = Attribution {
            source: classified.resolved.unwrap_or(shown),
            kind,
            cue: cue_text.to_string(),
            cue_span: cue,
            source_span,
            attitude,
            setting: Span::default(),
            gap: Span::default(),
            addressee: Span::default(),
        };
        if attitude {
            // Reported with the sentence's cues; the voice stays the author's.
            found.push((si, attribution));
            continue;
        }
        // Several cues in one sentence: "according to" beats a speech verb,
        // which beats any other verb or a setting ("In a statement, the
        // ministry said"); else the first one stands.
        let rank = |a: &Attribution| {
            if opens_with_in(&a.cue) {
                0
            } else if rules
                .attribution
                .source_after
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&a.cue))
            {
                2
            } else if rules.speech_verbs.contains(&a.cue) {
                1
            } else {
                0
            }
        };
        // "Obama, who endorsed Ortiz, is campaigning": a relative clause
        // reports the antecedent's view, but the sentence is the author's.
        if !relative
            && out[si]
                .primary
                .as_ref()
                .is_none_or(|old| rank(&attribution) > rank(old))
        {
            out[si].primary = Some(attribution.clone());
        }
        found.push((si, attribution));
    }

    // Speaker labels: a paragraph that opens "NAME: ..." is NAME's, and a
    // paragraph whose attribution ends in a colon introduces the next one.
    let mut colon_ended: Vec<(usize, Attribution)> = Vec::new();
    for (pi, paragraph) in doc.paragraphs.iter().enumerate() {
        let text = &body[paragraph.span.start..paragraph.span.end];
        if let Some(label) = speaker_label(text, rules) {
            let label_span = Span::new(paragraph.span.start, paragraph.span.start + label);
            let classified = classify(
                &body[label_span.start..label_span.end],
                rules,
                last_named.as_ref(),
            );
            let attribution = Attribution {
                source: classified
                    .resolved
                    .unwrap_or_else(|| body[label_span.start..label_span.end].to_string()),
                kind: classified.kind,
                cue: ":".to_string(),
                cue_span: Span::new(label_span.end, label_span.end + 1),
                source_span: label_span,
                attitude: false,
                setting: Span::default(),
                gap: Span::default(),
                addressee: Span::default(),
            };
            for (si, sentence) in doc.sentences.iter().enumerate() {
                if sentence.paragraph == pi && out[si].primary.is_none() {
                    out[si].primary = Some(attribution.clone());
                }
            }
            found.push((doc.sentence_at(label_span.start).unwrap_or(0), attribution));
        }
        if text.trim_end().ends_with(':')
            && let Some(si) = doc.sentence_at(paragraph.span.end.saturating_sub(1))
            && let Some(a) = &out[si].primary
        {
            colon_ended.push((pi + 1, a.clone()));
        }
    }
    for (pi, a) in colon_ended {
        for (si, sentence) in doc.sentences.iter().enumerate() {
            if sentence.paragraph == pi && out[si].primary.is_none() {
                out[si].primary = Some(Attribution {
                    source_span: Span::default(),
                    ..a.clone()
                });
            }
        }
    }
    // "... surprise Republican pollster Daron Shaw: \u{201c}...\u{201d}": a
    // name before a colon introduces the quotation after it.
    for quote in &quotes {
        let lead = body[..quote.start].trim_end();
        let Some(colon) = lead.strip_suffix(':').map(str::len) else {
            continue;
        };
        let Some(si) = doc.sentence_at(colon) else {
            continue;
        };
        if found.iter().any(|(s, a)| *s == si && !a.attitude) {
            continue;
        }
        let sentence = doc.sentences[si].span;
        let Some(source_span) = phrase_before(body, sentence.start, colon) else {
            continue;
        };
        // "..., by the Herald's Ana Lee: \u{201c}...\u{201d}": a byline
        // credits an excerpt of an article; nobody speaks.
        if prev_word(body, sentence.start, source_span.start) == "by"
            || body[source_span.start..source_span.end].starts_with("by ")
        {
            continue;
        }
        let classified = classify(
            &body[source_span.start..source_span.end],
            rules,
            last_named.as_ref(),
        );
        if !classified.recognised
            || !matches!(
                classified.kind,
                SourceKind::NamedPerson | SourceKind::NamedOrg | SourceKind::Document
            )
        {
            continue;
        }
        let attribution = Attribution {
            source: classified
                .resolved
                .unwrap_or_else(|| body[source_span.start..source_span.end].to_string()),
            kind: classified.kind,
            cue: ":".to_string(),
            cue_span: Span::new(colon, colon + 1),
            source_span,
            attitude: false,
            setting: Span::default(),
            gap: Span::default(),
            addressee: Span::default(),
        };
        if out[si].primary.is_none() {
            out[si].primary = Some(attribution.clone());
        }
        found.push((si, attribution));
    }
    found.sort_by_key(|(si, a)| (*si, a.cue_span.start));

    // Quotations: the cue right after the closing mark or right before the
    // opening one, in the same paragraph; else the previous quotation's.
    let mut previous: Option<(usize, Attribution)> = None; // (paragraph, attribution)
    for quote in &quotes {
        let paragraph = doc
            .sentence_at(quote.start)
            .map_or(usize::MAX, |s| doc.sentences[s].paragraph);
        let near = found.iter().filter(|(_, a)| !a.attitude).find(|(_, a)| {
            let c = a.cue_span;
            let after = c.start >= quote.end
                && c.start - quote.end <= 80
                && !body[quote.end..c.start].contains(['!', '?', '\n'])
                // "Mr." and "Ms." hold stops; the cue's sentence must be
                // the one the quotation ends in.
                && doc.sentence_at(quote.end.saturating_sub(1)) == doc.sentence_at(c.start);
            let before = c.end <= quote.start
                && quote.start - c.end <= 40
                && body[c.end..quote.start]
                    .chars()
                    .all(|ch| ch.is_whitespace() || matches!(ch, ':' | ',' | '-'));
            after || before
        });
        // "Ortiz told reporters that \u{201c}the pier is safe. We ...\u{201d}": a
        // quotation that opens after the cue of its sentence is that
        // speaker's to its end.
        let opened_after_cue = || {
            let si = doc.sentence_at(quote.start)?;
            found
                .iter()
                .rev()
                .find(|(s, a)| *s == si && !a.attitude && a.cue_span.end <= quote.start)
                .map(|(_, a)| a.clone())
        };
        let (attribution, carried) = match near {
            Some((_, a)) => (Some(a.clone()), false),
            None if let Some(a) = opened_after_cue() => (Some(a), false),
            None => (
                previous.as_ref().and_then(|(p, a)| {
                    (paragraph == *p || paragraph == p.wrapping_add(1)).then(|| Attribution {
                        source_span: Span::default(),
                        ..a.clone()
                    })
                }),
                true,
            ),
        };
        if let Some(a) = attribution {
            // The sentences the quotation overlaps, found by binary search.
            let first = doc.sentences.partition_point(|s| s.span.end <= quote.start);
            let end = doc.sentences.partition_point(|s| s.span.start < quote.end);
            let end = end.max(first);
            for (sentence, slot) in doc.sentences[first..end].iter().zip(&mut out[first..end]) {
                let span = sentence.span;
                // A title or phrase in quotation marks with no cue of its
                // own ("starred in \u{201c}Harbour Lights\u{201d}") is the
                // author's; a carried-over speaker needs the quotation to
                // be most of the sentence.
                let inside = quote
                    .end
                    .min(span.end)
                    .saturating_sub(quote.start.max(span.start));
                let slot = &mut slot.primary;
                if !span.overlaps(*quote) || slot.is_some() || carried && inside * 2 < span.len() {
                    continue;
                }
                *slot = Some(a.clone());
            }
            previous = Some((paragraph, a));
        }
    }

    for sentence in &mut out {
        if let Some(primary) = &sentence.primary {
            sentence.all.push(primary.clone());
        }
    }
    for (si, a) in found.into_iter().chain(unresolved) {
        if let Some(sentence) = out.get_mut(si)
            && !sentence.all.iter().any(|b| b.cue_span == a.cue_span)
        {
            sentence.all.push(a);
        }
    }
    for (sentence, span) in out.iter_mut().zip(doc.sentences.iter().map(|s| s.span)) {
        if let Some(a) = &mut sentence.primary {
            a.setting = setting(body, span, a, rules);
            a.addressee = addressee(body, span, a, rules);
            // "Lee acknowledged that the count was late but noted that
            // ...": the clause between the source and a later cue is the
            // content of the reporting cue inside it.
            if !a.source_span.is_empty() && a.source_span.end < a.cue_span.start {
                let between = Span::new(a.source_span.end, a.cue_span.start);
                if sentence
                    .all
                    .iter()
                    .any(|b| !b.attitude && b.cue_span != a.cue_span && between.covers(b.cue_span))
                {
                    a.gap = between;
                }
            }
        }
        sentence.all.sort_by_key(|a| a.cue_span.start);
        // "claimed in an interview", "told AFP in a statement", "In a
        // statement Friday, the ministry said": the setting belongs to the
        // verb's cue and is no second attribution.
        let all = std::mem::take(&mut sentence.all);
        let mut kept: Vec<Attribution> = Vec::with_capacity(all.len());
        for (i, a) in all.iter().enumerate() {
            let verb_after = || {
                all[i + 1..].iter().any(|b| {
                    !b.attitude
                        && !opens_with_in(&b.cue)
                        && b.cue_span.start >= a.cue_span.end
                        && b.cue_span.start - a.cue_span.end <= 100
                })
            };
            let setting = opens_with_in(&a.cue)
                && (kept.last().is_some_and(|prev| {
                    prev.cue_span.end <= a.cue_span.start
                        && a.cue_span.start - prev.cue_span.end <= 40
                        && !body[prev.cue_span.end..a.cue_span.start].contains(CLAUSE_BREAKS)
                }) || verb_after())
                && sentence.primary.as_ref() != Some(a);
            if !setting {
                kept.push(a.clone());
            }
        }
        sentence.all = kept;
    }
    out
}

/// The setting that opens `sentence` before the source of `a`: a phrase of
/// the author's that starts with one of the rule pack's setting openers
/// and ends in a comma right before the source ("In an interview on
/// Sunday, the senator said ...", "Speaking to reporters, Ortiz said ..."),
/// or a main clause that ends in one of its subordinators right before the
/// source ("Clinton was booed when she said ..."), when what was said
/// follows the cue. A quotation in it is content of its own, so it is no
/// setting.
fn setting(body: &str, sentence: Span, a: &Attribution, rules: &RuleSet) -> Span {
    let source = a.source_span;
    if source.is_empty()
        || source.start <= sentence.start
        || source.start > a.cue_span.start
        || a.cue_span.end > sentence.end
    {
        return Span::default();
    }
    // What was said follows the cue: "In Ohio, Lee said the levy would
    // pass". Otherwise the lead is what was said ("The levy, as Lee said,
    // will pass"; "Once it passes, Lee said, rates will rise").
    let after = &body[a.cue_span.end..sentence.end];
    let tail = after.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
    let quoted = tail.starts_with(['"', '\u{201c}', '\u{2018}']);
    if after.starts_with(',') && !quoted || after.split_whitespace().nth(2).is_none() {
        return Span::default();
    }
    let lead = body[sentence.start..source.start].trim_end();
    let Some(first) = lead.split_whitespace().next() else {
        return Span::default();
    };
    let first = first.trim_end_matches(',');
    let opens = rules
        .attribution
        .setting_openers
        .iter()
        .any(|o| o.eq_ignore_ascii_case(first));
    let last = lead.split_whitespace().next_back().unwrap_or_default();
    let subordinate = rules
        .attribution
        .subordinators
        .iter()
        .any(|w| w.eq_ignore_ascii_case(last));
    if !(opens && lead.ends_with(',') || subordinate)
        || lead.contains(['"', '\u{201c}', '\u{201d}'])
        || lead.contains("''")
    {
        return Span::default();
    }
    Span::new(sentence.start, sentence.start + lead.len())
}

/// Whom `a`'s cue told, and when, up to the "that" its content opens
/// with: "told reporters on Tuesday that ...". Only after the rule pack's
/// `addressee-verbs`, within a few words, and never across a quotation or
/// a colon.
fn addressee(body: &str, sentence: Span, a: &Attribution, rules: &RuleSet) -> Span {
    const MAX_WORDS: usize = 8;
    let cue = a.cue_span;
    let takes_addressee = || {
        let verb = a.cue.split_whitespace().next().unwrap_or_default();
        rules
            .attribution
            .addressee_verbs
            .iter()
            .any(|v| v.eq_ignore_ascii_case(verb))
    };
    if a.attitude
        || a.source_span.is_empty()
        || a.source_span.end > cue.start
        || cue.start < sentence.start
        || cue.end >= sentence.end
        || !takes_addressee()
    {
        return Span::default();
    }
    let rest = &body[cue.end..sentence.end];
    for (n, word) in rest.split_whitespace().enumerate().take(MAX_WORDS + 1) {
        if word == "that" {
            if n == 0 {
                break;
            }
            let at = word.as_ptr() as usize - body.as_ptr() as usize;
            return Span::new(cue.end, body[cue.end..at].trim_end().len() + cue.end);
        }
        if word.contains(['"', '\u{201c}', '\u{201d}', ';', ':', '(', ','])
            || ["and", "but", "or", "to"].contains(&word)
        {
            break;
        }
    }
    Span::default()
}

/// "in" before a phrase that ends in one of the rule pack's `in-sources`
/// nouns within its clause: "In a Des Moines Register poll last month,
/// Cruz led", "Clinton leads by 6 points in the latest Quinnipiac poll".
/// The poll is the source, as after "according to". The word after "in"
/// is a determiner or a capitalised name, so "in polling" or "in poll
/// after poll" is no cue.
fn in_source_cues(doc: &Document<'_>, matches: &[LexMatch], rules: &RuleSet) -> Vec<Span> {
    let body = doc.body;
    let mut found = Vec::new();
    let nouns = matches
        .iter()
        .filter(|m| rules.lexicon.owners(m.pattern).contains(&Owner::InSource));
    for noun in nouns {
        let at = noun.span.start;
        let Some(si) = doc.sentence_at(at) else {
            continue;
        };
        let lead = &body[doc.sentences[si].span.start..at];
        let mut words = lead.split_whitespace().rev().take(8);
        let Some(in_word) = words.find(|w| {
            w.eq_ignore_ascii_case("in")
                || w.contains([',', ';', ':', '(', ')', '"', '\u{201c}', '\u{201d}'])
        }) else {
            continue;
        };
        if !in_word.eq_ignore_ascii_case("in") {
            continue;
        }
        let start = in_word.as_ptr() as usize - body.as_ptr() as usize;
        let mut between = body[start + 2..at].split_whitespace();
        let next = between.clone().next().unwrap_or("");
        // "in" must open the phrase the noun ends: "rose in the county
        // after the poll closed" cites no poll.
        let one_phrase = !between.any(|w| bare_one_of(bare_word(w), PHRASE_BREAKS));
        if one_phrase
            && (DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(next))
                || next.starts_with(|c: char| c.is_uppercase()))
        {
            found.push(Span::new(start, start + 2));
        }
    }
    found.dedup();
    found
}

/// Byte length of the speaker label that opens a paragraph ("Sanders: ...",
/// "SEN. GRANT: ...", "Q: ..."): one to five capitalised words before a
/// colon and a space, not one of the labels that name no speaker.
fn speaker_label(paragraph: &str, rules: &RuleSet) -> Option<usize> {
    let head = paragraph.get(..60.min(paragraph.len()));
    let colon = memchr::memchr(b':', head.unwrap_or(paragraph).as_bytes()).or_else(|| {
        // Sixty bytes of ASCII are the first sixty chars: none is a colon.
        if head.is_some_and(str::is_ascii) {
            return None;
        }
        // The first colon, if it is among the first sixty chars: those
        // take at most four bytes each.
        let bytes = paragraph.as_bytes();
        let i = memchr::memchr(b':', &bytes[..bytes.len().min(4 * 60)])?;
        (paragraph[..i].chars().count() < 60).then_some(i)
    })?;
    if !paragraph[colon + 1..].starts_with([' ', '\n']) {
        return None;
    }
    // "Clinton: 1,769." is a tally, not a speaker.
    if paragraph[colon + 1..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '$')
    {
        return None;
    }
    let after = &paragraph[colon + 1..];
    if is_caps_headline(after) || is_roster(after) {
        return None;
    }
    let label = paragraph[..colon].trim_end();
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || label.len() != colon {
        return None;
    }
    let lower = label.to_lowercase();
    if rules
        .attribution
        .not_speakers
        .iter()
        .any(|n| n.eq_ignore_ascii_case(&lower))
    {
        return None;
    }
    let namelike = words.iter().all(|w| {
        w.starts_with(|c: char| c.is_uppercase())
            || matches!(*w, "of" | "the" | "and" | "de" | "van" | "von" | "al")
    }) && !label.contains(|c: char| {
        c.is_ascii_digit() || matches!(c, '"' | '\u{201c}' | '.' | ',' | '?' | '!')
    }) || words.len() == 1
        && words[0].len() <= 2
        && words[0].starts_with(|c: char| c.is_uppercase());
    namelike.then_some(colon)
}

/// Whether a cue is the writer's connective rather than a report: part of
/// one of the rule pack's set phrases set off by punctuation ("That said,
/// ..."), or a bare "say" between commas that offers an example ("to, say,
/// single digits").
fn discourse_marker(body: &str, sentence: Span, cue: Span, rules: &RuleSet) -> bool {
    let text = &body[sentence.start..sentence.end];
    let (at, end) = (cue.start - sentence.start, cue.end - sentence.start);
    let set_off_before = |i: usize| {
        text[..i]
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201c}'))
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, ',' | ';' | ':' | '(' | '\u{2014}' | '\u{2013}' | '-'))
    };
    let set_off_after = |i: usize| {
        text[i..]
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
    };
    if text[at..end].eq_ignore_ascii_case("say")
        && text[..at].trim_end().ends_with(',')
        && text[end..].trim_start().starts_with(',')
    {
        return true;
    }
    // An occurrence that covers the cue holds the cue's text: most cues
    // are in no marker, and the text around them is not looked at; the
    // others are looked for only in the markers that hold them.
    let holding = if at < end {
        match rules.discourse_pieces.get(&*ascii_lower(&text[at..end])) {
            Some(&markers) => markers,
            None => return false,
        }
    } else {
        u64::MAX
    };
    // Only an occurrence that covers the cue matters: it starts at most a
    // marker's length before the cue's end, and by the cue's start.
    // Most places fail on their first byte, which a plain loop compares
    // before anything else is looked at.
    let bytes = text.as_bytes();
    let markers = &rules.attribution.discourse_markers;
    markers.iter().enumerate().any(|(m, marker)| {
        if holding & (1 << m.min(63)) == 0 {
            return false;
        }
        let marker = marker.as_bytes();
        let Some(&first) = marker.first() else {
            return false; // an empty marker covers nothing
        };
        let Some(last_fit) = bytes.len().checked_sub(marker.len()) else {
            return false;
        };
        let last_start = at.min(last_fit);
        let mut i = end.saturating_sub(marker.len());
        while i <= last_start {
            if bytes[i].eq_ignore_ascii_case(&first) {
                let j = i + marker.len();
                if bytes[i..j].eq_ignore_ascii_case(marker)
                    && text.is_char_boundary(i)
                    && text.is_char_boundary(j)
                    && set_off_before(i)
                    && set_off_after(j)
                {
                    return true;
                }
            }
            i += 1;
        }
        false
    })
}

/// Whether the text after a label opens with three or more words set in
/// capitals ("Port: FERRY FARES TO DOUBLE"): a headline under a section
/// tag, not what the label's speaker says.
fn is_caps_headline(after: &str) -> bool {
    after
        .split_whitespace()
        .take(3)
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(char::is_lowercase)
        })
        .count()
        == 3
}

/// Whether the text after a label is a roster of names ("Ohio: Ann Lee,
/// Bo Park, Cy Reyes"): three or more comma-separated items, each one to
/// four capitalised words, up to the first full stop.
fn is_roster(after: &str) -> bool {
    let list = after.split(['.', '\n']).next().unwrap_or(after);
    let items: Vec<&str> = list.split(',').map(str::trim).collect();
    items.len() >= 3
        && items.iter().all(|item| {
            let item = item.strip_prefix("and ").unwrap_or(item);
            let words: Vec<&str> = item.split_whitespace().collect();
            (1..=4).contains(&words.len())
                && words
                    .iter()
                    .all(|w| w.starts_with(|c: char| c.is_uppercase()))
        })
}

/// Quotations marked with two apostrophes (`''...''`), which the segmenter
/// does not read as quote marks: an opening pair after a space or at a
/// paragraph start, closed by the next pair in the same paragraph (or cut at
/// the paragraph end). Those inside a segmented quotation are skipped.
fn apostrophe_quotes(doc: &Document<'_>) -> Vec<Span> {
    let body = doc.body;
    let mut out = Vec::new();
    // One searcher for every paragraph.
    let pairs = memchr::memmem::Finder::new("''");
    for paragraph in &doc.paragraphs {
        let text = &body[paragraph.span.start..paragraph.span.end];
        let mut open: Option<usize> = None;
        for i in pairs.find_iter(text.as_bytes()) {
            let at = paragraph.span.start + i;
            match open {
                None => {
                    let opens = text[..i].chars().next_back().is_none_or(|c| {
                        c.is_whitespace() || matches!(c, '(' | '[' | '-' | '\u{2014}')
                    });
                    if opens {
                        open = Some(at);
                    }
                }
                Some(start) if at >= start + 2 => {
                    out.push(Span::new(start, at + 2));
                    open = None;
                }
                Some(_) => {}
            }
        }
        if let Some(start) = open {
            out.push(Span::new(start, paragraph.span.end));
        }
    }
    out.retain(|q| !doc.quotes.iter().any(|d| d.span.overlaps(*q)));
    out
}

/// True when a one-word cue in -ed stands as an adjective before its noun,
/// after a determiner, a possessive or a number: "758 pledged delegates",
/// "their stated plans", "Trump's repeated calls". It describes a thing;
/// nobody is reported as speaking.
fn prenominal_participle(body: &str, sentence: Span, cue: Span) -> bool {
    /// Words that open a noun phrase before an adjective.
    const DETERMINERS: &[&str] = &[
        "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those",
        "most", "more", "fewer", "many", "several",
    ];
    /// Words after the cue that show it is a verb with its complement.
    const NOT_NOUNS: &[&str] = &[
        "that", "to", "by", "on", "in", "with", "for", "about", "of", "as", "at", "from", "into",
        "over", "after", "before", "than", "and", "or", "but", "if", "when", "while", "whether",
        "who", "which", "what", "how", "why", "it", "he", "she", "they", "we", "i", "you", "him",
        "them", "us", "me", "her", "his", "their", "its", "our", "this", "these", "those", "there",
        "here", "not", "no", "up", "out", "down", "off", "back", "so", "also", "be", "been",
        "being", "is", "was", "were", "are", "has", "have", "had", "will", "would", "can", "could",
        "should", "may", "might", "must", "the", "a", "an", "some", "any", "all", "both", "each",
        "every", "such", "only", "just", "even", "still", "again", "never",
    ];
    let word = &body.as_bytes()[cue.start..cue.end];
    if word.contains(&b' ') || word.len() < 4 || !word[word.len() - 2..].eq_ignore_ascii_case(b"ed")
    {
        return false;
    }
    let Some(prev) = last_word(&body[sentence.start..cue.start]) else {
        return false;
    };
    let possessive = prev.len() > 2 && (prev.ends_with("'s") || prev.ends_with("\u{2019}s"));
    let number = prev.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && prev.bytes().last().is_some_and(|b| b.is_ascii_digit());
    let determiner = DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(prev));
    if !(possessive || number || determiner) {
        return false;
    }
    // The noun follows after one space, in lowercase letters.
    let Some(after) = body[cue.end..sentence.end].strip_prefix(' ') else {
        return false;
    };
    let next = after
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .next()
        .unwrap_or_default();
    next.starts_with(|c: char| c.is_ascii_lowercase())
        && !NOT_NOUNS.iter().any(|w| w.eq_ignore_ascii_case(next))
}

/// True when an auxiliary right before the cue makes it passive.
fn is_passive(body: &str, sentence_start: usize, cue_start: usize) -> bool {
    // "an alternative is not found", "it is widely believed": a negation
    // or an adverb may stand in between.
    // Compared ASCII-case-insensitively, as lowercasing ASCII would.
    let is = |w: &str, list: &[&str]| list.iter().any(|l| w.eq_ignore_ascii_case(l));
    let region = &body[sentence_start..cue_start];
    let between = |w: &str| {
        is(w, &["not", "never"])
            || (w.len() > 4
                && w.as_bytes()[w.len() - 2..].eq_ignore_ascii_case(b"ly")
                && w.chars().all(|c| c.is_ascii_alphabetic()))
    };
    let mut prev = last_word(region);
    if let Some(w) = prev
        && between(w)
    {
        // The word before it: `w` lies in `region`.
        prev = last_word(&region[..w.as_ptr() as usize - region.as_ptr() as usize]);
    }
    prev.is_some_and(|w| is(w, &["been", "was", "were", "is", "are", "be", "being"]))
}

/// Whether `w` ends with `suffix` (lowercase ASCII) in any ASCII case:
/// the same as `w.to_ascii_lowercase().ends_with(suffix)`, without a copy.
fn ends_with_ignore_ascii_case(w: &str, suffix: &str) -> bool {
    w.len() >= suffix.len()
        && w.as_bytes()[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Whether a cue starts with "in " in any case: the same as lowercasing it
/// first, since no other character lowercases to "i" or "n" alone.
fn opens_with_in(cue: &str) -> bool {
    cue.as_bytes()
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"in "))
}

/// The word right before the cue, ASCII-lowercased and without
/// punctuation: borrowed when it has no capital to lowercase, as most have.
fn prev_word(body: &str, sentence_start: usize, cue_start: usize) -> Cow<'_, str> {
    ascii_lower(
        last_word(&body[sentence_start..cue_start])
            .map(bare_word)
            .unwrap_or_default(),
    )
}

/// The last word of `text`: the same as `text.split_whitespace().next_back()`,
/// found byte by byte when the bytes around it are ASCII, as nearly all are.
fn last_word(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let mut end = bytes.len();
    while end > 0 && space(bytes[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && bytes[start - 1] < 0x80 && !space(bytes[start - 1]) {
        start -= 1;
    }
    // A byte beyond ASCII may belong to a space of Unicode's.
    if (end > 0 && bytes[end - 1] >= 0x80) || (start > 0 && bytes[start - 1] >= 0x80) {
        return text.split_whitespace().next_back();
    }
    (start < end).then(|| &text[start..end])
}

/// `w` ASCII-lowercased, borrowed when it has no capital to lowercase.
fn ascii_lower(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// Where the opener starts when the cue follows one of the rule pack's
/// infinitive openers and "to" ("refused to say", "went on to describe").
fn infinitive_opener(
    body: &str,
    sentence_start: usize,
    cue_start: usize,
    rules: &RuleSet,
) -> Option<usize> {
    let region = body[sentence_start..cue_start].trim_end();
    let before_to = region.strip_suffix(" to")?.trim_end();
    rules
        .attribution
        .infinitive_openers
        .iter()
        .filter(|o| {
            before_to.len() > o.len()
                && before_to.is_char_boundary(before_to.len() - o.len())
                && before_to[before_to.len() - o.len()..].eq_ignore_ascii_case(o)
                && before_to[..before_to.len() - o.len()].ends_with(char::is_whitespace)
        })
        .map(|o| sentence_start + before_to.len() - o.len())
        .min()
}

/// True for "asked" and "asked about": a question put to someone.
fn is_asked(cue: &str) -> bool {
    // A cue opens with its first word; "asked" is ASCII, so a char ends
    // after its five bytes.
    let first = if cue.starts_with(char::is_whitespace) {
        cue.split_whitespace().next().unwrap_or_default()
    } else {
        cue
    };
    first.len() >= 5
        && first.as_bytes()[..5].eq_ignore_ascii_case(b"asked")
        && first[5..].chars().next().is_none_or(char::is_whitespace)
}

/// Where the subject before a cue ends: before any auxiliaries, negations
/// and adverbs that stand between it and the verb ("she has since said",
/// "who had previously endorsed", "the group also plans").
/// With `progressive`, forms of "be" are skipped too ("she is now telling").
fn skip_auxiliaries(
    body: &str,
    sentence_start: usize,
    cue_start: usize,
    progressive: bool,
) -> usize {
    let mut end = cue_start;
    loop {
        let region = body[sentence_start..end].trim_end();
        let Some(word) = last_word(region) else {
            return end;
        };
        // Most words are ASCII, which lowercases byte by byte: they are
        // looked up in any ASCII case, without a lowercase copy.
        let (skippable, contraction) = if word.is_ascii() {
            let flags = list_flags(word);
            let skippable = flags & list::BETWEEN_SUBJECT_AND_VERB != 0
                || (progressive && flags & list::BE_FORMS != 0)
                || (word.len() > 4
                    && ends_with_ignore_ascii_case(word, "ly")
                    && word.bytes().all(|b| b.is_ascii_alphabetic()));
            let contraction =
                ends_with_ignore_ascii_case(word, "'d") || ends_with_ignore_ascii_case(word, "'ve");
            (skippable, contraction)
        } else {
            let lower = word.to_lowercase().replace('\u{2019}', "'");
            let skippable = BETWEEN_SUBJECT_AND_VERB.contains(&lower.as_str())
                || (progressive && BE_FORMS.contains(&lower.as_str()))
                || (lower.len() > 4
                    && lower.ends_with("ly")
                    && lower.chars().all(char::is_alphabetic));
            let contraction = ["'d", "'ve"].iter().any(|c| lower.ends_with(*c));
            (skippable, contraction)
        };
        if !skippable {
            // "who'd previously endorsed": the contraction's subject stays.
            return match word.rfind(['\'', '\u{2019}']) {
                Some(a) if contraction && a > 0 => sentence_start + region.len() - word.len() + a,
                _ => end,
            };
        }
        end = sentence_start + region.len() - word.len();
    }
}

/// Forms of "be" that make a progressive ("is telling", "has been warning").
const BE_FORMS: &[&str] = &[
    "is", "are", "was", "were", "am", "be", "been", "'s", "'re", "'m",
];

/// Auxiliaries, negations and adverbs between a subject and its verb.
const BETWEEN_SUBJECT_AND_VERB: &[&str] = &[
    "has",
    "have",
    "had",
    "hasn't",
    "haven't",
    "hadn't",
    "did",
    "didn't",
    "does",
    "doesn't",
    "do",
    "don't",
    "not",
    "never",
    "also",
    "since",
    "later",
    "first",
    "once",
    "already",
    "previously",
    "long",
    "often",
    "again",
    "then",
    "still",
    "even",
    "just",
    "now",
    "earlier",
    "initially",
    "recently",
    "repeatedly",
    "'s",
    "'d",
    "'ve",
];

/// True when a determiner right before the cue makes it a noun ("the
/// United States", "his calls", "these claims").
fn after_determiner(body: &str, sentence_start: usize, cue_start: usize) -> bool {
    last_word(&body[sentence_start..cue_start])
        .is_some_and(|w| list_flags(w) & list::BEFORE_NOUN_CUES != 0)
}

/// The subject of the sentence's main clause, for a participle cue
/// (", saying ..."): the words from the clause start up to the first verb.
fn subject_of(
    body: &str,
    sentence_start: usize,
    cue_start: usize,
    rules: &RuleSet,
) -> Option<Span> {
    let whole = &body[sentence_start..cue_start];
    // After a leading quotation ("\u{201c}...,\u{201d} he said Monday, adding"),
    // the subject follows its closing mark; when nothing does ("Graham
    // called the plan \u{201c}crazy\u{201d} and said"), it opens the sentence.
    let after_quote = whole.rfind(['\u{201d}', '"']).map_or(0, |i| {
        i + whole[i..].chars().next().map_or(1, char::len_utf8)
    });
    // A quotation closed right before the cue (\u{201c}... called it
    // \u{201c}reckless,\u{201d} adding\u{201d}) leaves no subject after it.
    let opens_after_quote = whole[after_quote..]
        .split_whitespace()
        .next()
        .is_some_and(|w| {
            w.chars().any(char::is_alphanumeric)
                && !LEADING_NOISE.contains(&w.to_lowercase().as_str())
        });
    let start = if opens_after_quote {
        after_quote
    } else if whole.trim_start().starts_with(['\u{201c}', '"']) {
        return None;
    } else {
        0
    };
    let mut start = start;
    // "In 2016, Mrs. Lee endorsed him, saying ...": an opening adverbial
    // is not the subject.
    let first = whole[start..]
        .split_whitespace()
        .next()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(
        first.as_str(),
        "in" | "on"
            | "at"
            | "after"
            | "before"
            | "during"
            | "since"
            | "for"
            | "with"
            | "by"
            | "last"
            | "earlier"
            | "later"
            | "then"
            | "when"
            | "while"
            | "as"
            | "this"
    ) && let Some(comma) = whole[start..].find(',')
        && whole[start..start + comma].split_whitespace().count() <= 20
    {
        start += comma + 1;
    }
    let region = &whole[start..];
    let mut end = 0;
    for (i, w) in region.split_whitespace().enumerate() {
        let offset = w.as_ptr() as usize - region.as_ptr() as usize;
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase();
        let verb_like = AUXILIARIES.contains(&bare.as_str())
            || (i > 0 && (bare.ends_with("ed") || matches!(bare.as_str(), "said" | "told")));
        if verb_like || i >= 6 {
            break;
        }
        end = offset + w.len();
        // "She cut the debt to $42,000 but said ...": a pronoun is the
        // whole subject.
        if (w.ends_with(',') && i > 0) || (i == 0 && rules.pronouns.contains(&bare)) {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    trim_phrase(body, sentence_start + start, &region[..end])
}

/// True when the cue is the verb of a relative clause about a person
/// ("who asked", "whom").
fn relative_who(body: &str, sentence_start: usize, cue_start: usize) -> bool {
    last_word(&body[sentence_start..cue_start])
        .is_some_and(|w| ["who", "whom"].iter().any(|r| w.eq_ignore_ascii_case(r)))
}

/// The noun phrase that ends the clause before a relative pronoun: the
/// words back to the last preposition, conjunction or verb ("a reaction
/// from President Ann Lee" gives "President Ann Lee"), at most six.
fn antecedent_tail(body: &str, sentence_start: usize, end: usize) -> Option<Span> {
    let region = &body[sentence_start..end];
    let clause_start = region.rfind(CLAUSE_BREAKS).map_or(0, |i| {
        i + region[i..].chars().next().map_or(1, char::len_utf8)
    });
    let clause = &region[clause_start..];
    let mut start = clause.len();
    for (i, w) in clause.split_whitespace().rev().enumerate() {
        if i >= 6 || (w.starts_with(char::is_lowercase) && ends_antecedent(w)) {
            break;
        }
        start = w.as_ptr() as usize - clause.as_ptr() as usize;
    }
    trim_phrase(
        body,
        sentence_start + clause_start + start,
        &clause[start..],
    )
}

/// True when a lowercase word cannot be inside the antecedent of a relative
/// clause: a preposition, conjunction or verb before it.
fn ends_antecedent(w: &str) -> bool {
    let bare = bare_lower(w);
    ANTECEDENT_STOPS.contains(&&*bare) || SUBJECT_STOPS.contains(&&*bare) || verb_like(w)
}

/// True when a word reads as a verb: a phrase holding one is a clause
/// ("the call came from Ann Lee"), not a noun phrase ("a professor at
/// Ridge College").
fn verb_like(w: &str) -> bool {
    let bare = bare_lower(w);
    AUXILIARIES.contains(&&*bare)
        || matches!(&*bare, "said" | "says" | "told" | "came")
        || bare.ends_with("ed")
        || bare.ends_with("ing")
}

/// Words before an antecedent that are not part of it ("of" is: "the
/// Secretary of State").
const ANTECEDENT_STOPS: &[&str] = &[
    "from",
    "by",
    "to",
    "with",
    "for",
    "on",
    "in",
    "at",
    "about",
    "against",
    "among",
    "like",
    "said",
    "says",
    "told",
    "say",
    "came",
    "including",
    "than",
    "toward",
    "towards",
];

/// True when the cue is the verb of a relative clause ("who asked").
fn in_relative_clause(body: &str, sentence_start: usize, cue_start: usize) -> bool {
    last_word(&body[sentence_start..cue_start]).is_some_and(|w| {
        ["who", "which", "that", "whom"]
            .iter()
            .any(|r| w.eq_ignore_ascii_case(r))
    })
}

/// True when the clause after a cue is short and ends the sentence or the
/// clause: the mark of an inverted attribution ("..., said the minister.")
/// rather than of reported content.
fn short_clause_after(body: &str, cue_end: usize, sentence_end: usize, max_words: usize) -> bool {
    let region = &body[cue_end..sentence_end];
    let mut end = clause_end(region);
    // "..., said a strategist who has worked for two campaigns.": the
    // relative clause describes the source.
    if let Some(i) = find_first_spaced(&region[..end], &[" who ", " whose "]) {
        end = i;
    }
    let clause: Vec<&str> = region[..end].split_whitespace().map(bare_word).collect();
    // Lowercased, a word is one of `list`: an ASCII word is compared
    // without being copied.
    let lower_in = |w: &str, list: &[&str]| {
        if w.is_ascii() {
            list.iter().any(|l| w.eq_ignore_ascii_case(l))
        } else {
            list.contains(&w.to_lowercase().as_str())
        }
    };
    // A source phrase has no verb of its own; reported content does.
    let has_verb = clause.iter().any(|w| lower_in(w, AUXILIARIES));
    (1..=max_words).contains(&clause.len()) && !lower_in(clause[0], &["that"]) && !has_verb
}

/// Auxiliaries and modals: their presence marks a clause, not a name.
const AUXILIARIES: &[&str] = &[
    "is", "was", "were", "are", "be", "been", "has", "have", "had", "will", "would", "should",
    "could", "can", "may", "might", "must", "did", "does", "do",
];

/// Where the clause at the start of `region` ends: a clause break, or a
/// full stop followed by a space or the end.
fn clause_end(region: &str) -> usize {
    let mut end = region.find(CLAUSE_BREAKS).unwrap_or(region.len());
    let bytes = region.as_bytes();
    for (i, _) in region.match_indices('.') {
        if i >= end {
            break;
        }
        // "St. Brigid's", "Gen. Howard Pike": a short capitalised word
        // before the stop is an abbreviation, not the end of the clause.
        let word = region[..i]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let abbreviation = word.len() <= 4 && word.starts_with(|c: char| c.is_ascii_uppercase());
        if !abbreviation && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()) {
            end = i;
            break;
        }
    }
    end
}

/// Words that end a noun phrase and start a new one ("in the county after
/// the poll"): those where a source phrase after its cue is cut, and
/// conjunctions of time.
const PHRASE_BREAKS: &[&str] = &[
    "on", "in", "at", "last", "who", "that", "after", "before", "when", "while", "since", "during",
];

/// Words that open a time, not a name, at the start of a sentence; the
/// days of the week are checked beside them, from the date finder's list.
const TIME_OPENERS: &[&str] = &[
    "last",
    "this",
    "next",
    "earlier",
    "later",
    "yesterday",
    "today",
];

/// Words that open a noun phrase without naming anyone.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my",
    "your", "one", "another", "some", "many", "most", "several",
];

/// The subject of a cue that follows an appositive: walks back over up to
/// three comma-separated segments ("Tanya Boyd, a mother of three, said")
/// to the one that opens with a name, else the nearest that mentions one. The span
/// runs from that segment to the last comma, so that "who spoke on condition
/// of anonymity" stays part of the source.
fn appositive(body: &str, sentence_start: usize, cue_start: usize) -> Option<Span> {
    let region = body[sentence_start..cue_start].trim_end();
    let region = region.strip_suffix(',')?;
    // Only within the clause: stop at any break other than a comma, or a
    // short parenthetical that closes a name ("Rep. Sam Levin (Mich.), a
    // superdelegate, said").
    let is_break = |c: char| c != ',' && CLAUSE_BREAKS.contains(&c);
    let mut search = region;
    let clause_start = loop {
        match search.rfind(is_break) {
            Some(i) if search[i..].starts_with(')') => match search[..i].rfind('(') {
                Some(open) if i - open <= 16 && !search[open..i].contains(' ') => {
                    search = &search[..open];
                }
                _ => break i + 1,
            },
            Some(i) => break i + search[i..].chars().next().map_or(1, char::len_utf8),
            None => break 0,
        }
    };
    let clause = &region[clause_start..];
    let mut fallback: Option<Span> = None;
    let mut mentions: Option<Span> = None;
    let mut head_named: Option<Span> = None;
    let mut end = clause.len();
    for _ in 0..3 {
        let start = clause[..end].rfind(',').map_or(0, |i| i + 1);
        let segment = &clause[start..end];
        let first = segment
            .split_whitespace()
            .next()
            .map(|w| w.to_ascii_lowercase())
            .unwrap_or_default();
        let relative = matches!(first.as_str(), "who" | "which" | "whose" | "where" | "whom");
        if !relative {
            let offset = sentence_start + clause_start + start;
            if let Some(head) = trim_phrase(body, offset, segment) {
                let named = body[head.start..head.end]
                    .split_whitespace()
                    .enumerate()
                    .any(|(i, w)| {
                        w.starts_with(|c: char| c.is_uppercase())
                            && !(i == 0 && NOT_A_SOURCE.contains(&w.to_lowercase().as_str()))
                    });
                let span = Span::new(head.start, sentence_start + clause_start + clause.len());
                // "Scott Roe, the attorney general of Oklahoma, one of the
                // states suing, said": the leftmost segment that opens with
                // a name is the head of the chain; one that merely mentions
                // a name is an appositive, taken only when there is no head.
                let opens_named = body[head.start..head.end]
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| {
                        // "The noted philosopher, Karl Roe, said": a
                        // capitalised determiner opens no name.
                        // Nor does a time or a place that opens the
                        // sentence ("Last week, Ana Ruiz, a spokeswoman,
                        // said", "In Oklahoma, ...").
                        w.starts_with(|c: char| c.is_uppercase())
                            && !NOT_A_SOURCE.contains(&w.to_lowercase().as_str())
                            && !DETERMINERS.iter().any(|d| w.eq_ignore_ascii_case(d))
                            && !bare_one_of(bare_word(w), PHRASE_BREAKS)
                            && !bare_one_of(bare_word(w), TIME_OPENERS)
                            && !bare_one_of(bare_word(w), &super::dates::WEEKDAYS)
                    });
                if opens_named {
                    head_named = Some(span);
                }
                if named {
                    mentions.get_or_insert(span);
                }
                fallback.get_or_insert(span);
            }
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    head_named.or(mentions).or(fallback)
}

/// The source phrase right before a cue, within its clause. A relative
/// clause stays part of it ("a city employee who asked not to be named"),
/// so that what it says about the source counts when classifying.
fn phrase_before(body: &str, sentence_start: usize, cue_start: usize) -> Option<Span> {
    let mut region = &body[sentence_start..cue_start];
    // "Many speakers \u{2014} including two governors \u{2014} said": the subject
    // stands before the aside.
    let bare = region.trim_end();
    if let Some(inner) = bare
        .strip_suffix(['\u{2014}', '\u{2013}'])
        .or_else(|| bare.strip_suffix("--"))
        && let Some(open) = [inner.rfind(['\u{2014}', '\u{2013}']), inner.rfind("--")]
            .into_iter()
            .flatten()
            .max()
    {
        return phrase_before(body, sentence_start, sentence_start + open);
    }
    // A short parenthetical closes the name: "Sen. Ann Lee (D-Ore.) said",
    // "Rep. Bo Kim (R-OH), said".
    let mut searchable = region;
    let bare = region.trim_end().trim_end_matches(',');
    if bare.ends_with(')')
        && let Some(open) = bare.rfind('(')
        && bare.len() - open <= 16
        && !bare[open..].contains(' ')
    {
        region = &region[..bare.len()];
        searchable = &region[..open];
    }
    let clause_start = rfind_clause_break(searchable).map_or(0, |i| {
        i + region[i..].chars().next().map_or(1, char::len_utf8)
    });
    let clause = &region[clause_start..];
    let offset = sentence_start + clause_start;
    // One pass: the first relative word after the first word ends the head;
    // the subject starts after the last conjunction before it ("... after
    // the report said").
    // The words between are kept for trimming, with where they start in
    // the clause.
    let mut relative = None;
    let mut head = PhraseWords::new();
    for (i, w) in crate::text::words(clause).enumerate() {
        let start = w.as_ptr() as usize - clause.as_ptr() as usize;
        let bare = bare_word(w);
        let flags = list_flags(bare);
        if i > 0 && flags & list::RELATIVE != 0 {
            relative = Some(start);
            break;
        }
        if flags & list::SUBJECT_STOPS != 0 {
            head.clear();
        } else {
            head.push((start, w, bare, flags));
        }
    }
    let head = trim_words(body, offset, head.as_slice())?;
    Some(match relative {
        Some(_) => Span::new(head.start, offset + clause.trim_end().len()),
        None => head,
    })
}

/// Where the last of [`CLAUSE_BREAKS`] in `text` starts: the same as
/// `text.rfind(CLAUSE_BREAKS)`, byte by byte from the end. The breaks
/// beyond ASCII are the three-byte chars E2 80 9C, 9D, 94 and 93, found by
/// their last byte; E2 only ever leads a char.
fn rfind_clause_break(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        match bytes[i] {
            b',' | b';' | b':' | b'(' | b')' | b'"' | b'?' | b'!' => return Some(i),
            0x9c | 0x9d | 0x94 | 0x93 if i >= 2 && bytes[i - 2] == 0xe2 && bytes[i - 1] == 0x80 => {
                return Some(i - 2);
            }
            _ => {}
        }
    }
    None
}

/// The first place in `hay` of any of `words` with a space on both sides:
/// the least of `hay.find(&format!(" {word} "))` over `words`, found in one
/// pass over the spaces without building a needle or a searcher (a source
/// phrase is short: its spaces are few).
fn find_first_spaced_word(hay: &str, words: &[&str]) -> Option<usize> {
    let bytes = hay.as_bytes();
    memchr::memchr_iter(b' ', bytes).find(|&i| {
        words.iter().any(|word| {
            bytes[i + 1..].starts_with(word.as_bytes())
                && bytes.get(i + 1 + word.len()) == Some(&b' ')
        })
    })
}

/// The first place in `hay` of any of `words`, each of which starts with a
/// space: the least of `hay.find(w)`, found in one pass over the spaces
/// instead of building a searcher for each word.
fn find_first_spaced(hay: &str, words: &[&str]) -> Option<usize> {
    debug_assert!(words.iter().all(|w| w.starts_with(' ')));
    let bytes = hay.as_bytes();
    memchr::memchr_iter(b' ', bytes)
        .find(|&i| words.iter().any(|w| bytes[i..].starts_with(w.as_bytes())))
}

/// Words that open a relative clause about the source.
const RELATIVE: &[&str] = &["who", "whom", "whose"];

/// Words after which a new subject starts.
const SUBJECT_STOPS: &[&str] = &[
    "after", "before", "because", "since", "while", "when", "as", "and", "but", "that", "which",
    "if", "though", "although", "where", "so", "than", "until", "unless", "whether",
];

/// The source phrase right after a cue, up to the end of its clause.
fn phrase_after(body: &str, cue_end: usize, sentence_end: usize) -> Option<Span> {
    let region = &body[cue_end..sentence_end];
    let end = clause_end(region);
    // "according to police on Tuesday": stop at a time word too.
    let clause = &region[..end];
    let cut = find_first_spaced(
        clause,
        &[
            " on ", " in ", " at ", " last ", " who ", " that ", " after ", " before ",
        ],
    )
    .unwrap_or(clause.len());
    // "according to early results of exit polls conducted for ...": a long
    // phrase is cut, not dropped.
    let cut = clause[..cut]
        .split_whitespace()
        .nth(MAX_SOURCE_WORDS)
        .map_or(cut, |w| w.as_ptr() as usize - clause.as_ptr() as usize);
    trim_phrase(body, cue_end, &clause[..cut])
}

/// Trims noise words off both ends of a candidate source phrase starting at
/// `offset`; None when nothing that can be a source is left.
fn trim_phrase(body: &str, offset: usize, phrase: &str) -> Option<Span> {
    let mut words = PhraseWords::new();
    for w in crate::text::words(phrase) {
        let start = w.as_ptr() as usize - phrase.as_ptr() as usize;
        let bare = bare_word(w);
        words.push((start, w, bare, list_flags(bare)));
    }
    trim_words(body, offset, words.as_slice())
}

/// A word of a phrase: where it starts in the phrase, the word, its bare
/// form and the [`list`]s that form is on, looked up once for all of them.
type PhraseWord<'a> = (usize, &'a str, &'a str, u16);

/// The words of a phrase, the first few on the stack: most phrases have
/// no more.
struct PhraseWords<'a> {
    stack: [PhraseWord<'a>; 16],
    heap: Vec<PhraseWord<'a>>,
    len: usize,
}

impl<'a> PhraseWords<'a> {
    fn new() -> Self {
        PhraseWords {
            stack: [(0, "", "", 0); 16],
            heap: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, word: PhraseWord<'a>) {
        if let Some(slot) = self.stack.get_mut(self.len) {
            *slot = word;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.stack);
            }
            self.heap.push(word);
        }
        self.len += 1;
    }

    fn clear(&mut self) {
        self.heap.clear();
        self.len = 0;
    }

    fn as_slice(&self) -> &[PhraseWord<'a>] {
        self.stack.get(..self.len).unwrap_or(&self.heap)
    }
}

/// [`trim_phrase`] of a phrase split into its words, each with where it
/// starts after `offset`.
fn trim_words(body: &str, offset: usize, words: &[PhraseWord<'_>]) -> Option<Span> {
    let lower = bare_lower;
    let is = |word: &(usize, &str, &str, u16), flag: u16| word.3 & flag != 0;
    let mut first = 0;
    // A word with no letter or digit is bare of everything.
    while first < words.len()
        && (is(&words[first], list::LEADING_NOISE) || words[first].2.is_empty())
    {
        first += 1;
    }
    let mut last = words.len();
    while last > first && is(&words[last - 1], list::TRAILING_NOISE) {
        last -= 1;
    }
    if first >= last || last - first > MAX_SOURCE_WORDS {
        return None;
    }
    if is(&words[first], list::NEGATIONS) {
        return None; // "No group had claimed responsibility"
    }
    let kept = &words[first..last];
    // A modal inside marks a clause, not a noun phrase: "the paper will keep
    // asking" has no source.
    if kept.iter().any(|w| is(w, list::MODALS)) {
        return None;
    }
    if kept.iter().all(|w| is(w, list::NOT_A_SOURCE)) {
        return None;
    }
    // A source is a noun phrase, not a clause with its own number or verb of
    // harm: "the fire destroyed 40 homes" before "said" is not a source. A
    // number that counts people is one: "47 percent", "six in 10 voters",
    // "the 46-year-old".
    let digit = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    let counts_people = kept.iter().any(|word| {
        is(word, list::PERCENT) || word.1.ends_with('%') || word.1.contains("-year-old")
    }) || kept.windows(3).any(|k| {
        is(&k[1], list::IN) && digit(k[2].1) && (digit(k[0].1) || is(&k[0], list::SMALL_NUMBERS))
    });
    // A year, an ordinal or a number inside a modifier is no count of its
    // own: "a 2015 report", "the 45th president", "the nominee for the
    // Nov. 8 election".
    let modifier = |i: usize, w: &str| {
        let bare = lower(w);
        let bare = bare.trim_end_matches('s');
        let year = bare.len() == 4
            && bare.chars().all(|c| c.is_ascii_digit())
            && (bare.starts_with("19") || bare.starts_with("20"));
        let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
            bare.strip_suffix(s)
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        });
        // "a poll released September 3", "9/11 widow Terry Strada": a day
        // of a month and a date written with slashes name a time.
        let day = i > 0
            && bare.len() <= 2
            && bare.bytes().all(|b| b.is_ascii_digit())
            && super::quantity::MONTHS
                .iter()
                .any(|m| m.eq_ignore_ascii_case(kept[i - 1].1.trim_end_matches(',')));
        let slashed = w.contains('/');
        year || ordinal
            || day
            || slashed
            || kept[..i].iter().any(|w| is(w, list::MODIFIER_PREPOSITIONS))
    };
    if !counts_people
        && kept
            .iter()
            .enumerate()
            .any(|(i, (_, w, _, _))| digit(w) && !modifier(i, w))
    {
        return None;
    }
    let (start, _, _, _) = kept[0];
    let (last_start, last_word, _, _) = kept[kept.len() - 1];
    let end = last_start + last_word.len();
    let span = Span::new(offset + start, offset + end);
    let text = &body[span.start..span.end];
    let trimmed_end = text
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')')
        .len();
    Some(Span::new(span.start, span.start + trimmed_end))
}

/// Whether a word, already [`bare_word`], is one of `list` (lowercase
/// ASCII words) in any case. The same as comparing its `bare_lower` form,
/// without lowercasing: a non-ASCII word lowercases to an ASCII one only
/// through the Kelvin sign, which no prose spells "k" with.
fn bare_one_of(w: &str, list: &[&str]) -> bool {
    list.iter().any(|l| w.eq_ignore_ascii_case(l))
}

/// Modals: inside a phrase they mark a clause, not a noun phrase.
const MODALS: &[&str] = &[
    "will", "would", "can", "could", "should", "might", "must", "shall",
];

/// Words that make a number in a phrase a share of people.
const PERCENT: &[&str] = &["percent", "per cent"];

/// Small numbers spelled out ("six in 10 voters").
const SMALL_NUMBERS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// Prepositions after which a number is part of a modifier ("the nominee
/// for the Nov. 8 election").
const MODIFIER_PREPOSITIONS: &[&str] = &[
    "of", "for", "in", "on", "at", "from", "since", "during", "until",
];

/// Words right before a cue that make it a noun ("the United States",
/// "his calls", "calls for").
const BEFORE_NOUN_CUES: &[&str] = &[
    "the", "a", "an", "these", "those", "this", "his", "her", "their", "its", "our", "my", "your",
    "united", "such", "of", "to", "against", "about", "with", "for", "by", "from", "over", "in",
    "amid", "without", "into", "at",
];

/// The bit of each word list in [`list_flags`].
mod list {
    pub const LEADING_NOISE: u16 = 1 << 0;
    pub const TRAILING_NOISE: u16 = 1 << 1;
    pub const NOT_A_SOURCE: u16 = 1 << 2;
    pub const NEGATIONS: u16 = 1 << 3;
    pub const MODALS: u16 = 1 << 4;
    pub const PERCENT: u16 = 1 << 5;
    pub const IN: u16 = 1 << 6;
    pub const SMALL_NUMBERS: u16 = 1 << 7;
    pub const MODIFIER_PREPOSITIONS: u16 = 1 << 8;
    pub const RELATIVE: u16 = 1 << 9;
    pub const SUBJECT_STOPS: u16 = 1 << 10;
    pub const BEFORE_NOUN_CUES: u16 = 1 << 11;
    pub const BETWEEN_SUBJECT_AND_VERB: u16 = 1 << 12;
    pub const BE_FORMS: u16 = 1 << 13;
}

/// Slots of [`LISTS`]: a power of two, about three times the words.
const LIST_SLOTS: usize = 512;

/// The word lists above as one open-addressing table, built when the
/// program is compiled: each word, packed by [`pack_lower`], with the bits
/// of the lists it is on. A word is looked up once for all of them.
struct ListTable {
    keys: [u128; LIST_SLOTS],
    flags: [u16; LIST_SLOTS],
    /// For each length, a bit for each letter some word of that length
    /// starts with: most words are on no list and fail this test.
    starts: [u32; 16],
}

static LISTS: ListTable = list_table(&[
    (LEADING_NOISE, list::LEADING_NOISE),
    (TRAILING_NOISE, list::TRAILING_NOISE),
    (NOT_A_SOURCE, list::NOT_A_SOURCE),
    (NEGATIONS, list::NEGATIONS),
    (MODALS, list::MODALS),
    (PERCENT, list::PERCENT),
    (&["in"], list::IN),
    (SMALL_NUMBERS, list::SMALL_NUMBERS),
    (MODIFIER_PREPOSITIONS, list::MODIFIER_PREPOSITIONS),
    (RELATIVE, list::RELATIVE),
    (SUBJECT_STOPS, list::SUBJECT_STOPS),
    (BEFORE_NOUN_CUES, list::BEFORE_NOUN_CUES),
    (BETWEEN_SUBJECT_AND_VERB, list::BETWEEN_SUBJECT_AND_VERB),
    (BE_FORMS, list::BE_FORMS),
]);

/// A word of 1 to 15 bytes, ASCII-lowercased, as one number: its bytes,
/// then its length in the last byte. Two words are equal ignoring ASCII
/// case when their numbers are.
const fn pack_lower(word: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let mut i = 0;
    while i < word.len() {
        bytes[i] = word[i].to_ascii_lowercase();
        i += 1;
    }
    bytes[15] = word.len() as u8;
    u128::from_le_bytes(bytes)
}

/// The bit in [`ListTable::starts`] of a word's first byte, in any ASCII
/// case: its letter, or 26 for an apostrophe ("'s"). Listed words start
/// with nothing else.
const fn start_index(first: u8) -> Option<u32> {
    match first.to_ascii_lowercase() {
        b @ b'a'..=b'z' => Some((b - b'a') as u32),
        b'\'' => Some(26),
        _ => None,
    }
}

/// The first slot to look in for a packed word.
const fn list_slot(key: u128) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - LIST_SLOTS.trailing_zeros())) as usize
}

const fn list_table(lists: &[(&[&str], u16)]) -> ListTable {
    let mut table = ListTable {
        keys: [0; LIST_SLOTS],
        flags: [0; LIST_SLOTS],
        starts: [0; 16],
    };
    let mut l = 0;
    while l < lists.len() {
        let (words, flag) = lists[l];
        let mut w = 0;
        while w < words.len() {
            let word = words[w].as_bytes();
            assert!(!word.is_empty() && word.len() <= 15 && word.is_ascii());
            let Some(index) = start_index(word[0]) else {
                panic!("a listed word starts with a small letter or an apostrophe");
            };
            assert!(word[0] == word[0].to_ascii_lowercase());
            table.starts[word.len()] |= 1 << index;
            let key = pack_lower(word);
            let mut i = list_slot(key);
            loop {
                if table.keys[i] == 0 {
                    table.keys[i] = key;
                    table.flags[i] = flag;
                    break;
                }
                if table.keys[i] == key {
                    table.flags[i] |= flag;
                    break;
                }
                i = (i + 1) % LIST_SLOTS;
            }
            w += 1;
        }
        l += 1;
    }
    table
}

/// The bits of the [`list`]s that `w` is on, in any ASCII case: the same
/// as [`bare_one_of`] for each list, in one look-up. A longer or empty
/// word is on none of them.
fn list_flags(w: &str) -> u16 {
    let word = w.as_bytes();
    let Some(&first) = word.first() else {
        return 0;
    };
    let Some(index) = start_index(first) else {
        return 0;
    };
    if word.len() > 15 || LISTS.starts[word.len()] & (1 << index) == 0 {
        return 0;
    }
    let key = pack_lower(word);
    let mut i = list_slot(key);
    loop {
        let k = LISTS.keys[i];
        if k == key {
            return LISTS.flags[i];
        }
        if k == 0 {
            return 0;
        }
        i = (i + 1) % LIST_SLOTS;
    }
}

/// A word without the punctuation around it:
/// `w.trim_matches(|c: char| !c.is_alphanumeric())`, with ASCII ends
/// trimmed byte by byte.
fn bare_word(w: &str) -> &str {
    crate::link::trim_to_alphanumeric(w)
}

/// A word without the punctuation around it, lowercased: borrowed when it
/// has nothing to lowercase, which spares an allocation for most words.
fn bare_lower(w: &str) -> std::borrow::Cow<'_, str> {
    let w = bare_word(w);
    if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        std::borrow::Cow::Owned(w.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(w)
    }
}

/// How a source phrase was classified.
struct Classified {
    kind: SourceKind,
    /// The earlier source a pronoun stands for.
    resolved: Option<String>,
    /// False when no list or name recognised the phrase and the kind is a
    /// guess; such a phrase is a source only after a speech verb.
    recognised: bool,
}

/// Classifies a source phrase. Order matters: what the phrase says about
/// anonymity wins over any name in it ("a former Lumen engineer who asked
/// not to be named" is anonymous).
fn classify(
    source: &str,
    rules: &RuleSet,
    last_named: Option<&(String, SourceKind)>,
) -> Classified {
    let known = |kind| Classified {
        kind,
        resolved: None,
        recognised: true,
    };
    // The source lists share an automaton: one pass finds which of them
    // have a phrase in the source.
    let hits = rules.anonymous.lists_in(source);
    if rules.anonymous.is_in(hits) {
        return known(SourceKind::Anonymous);
    }
    // "Richard Roe, director of the law school's institute", "Ana Ruiz, a
    // mother of three": a name with an appositive is the name's kind; what
    // the appositive mentions (a law, a state) does not change who spoke.
    // Anonymity told in the appositive was checked above.
    // The first ", ", as `split_once` finds it, without a searcher.
    let bytes = source.as_bytes();
    if let Some(comma) = memchr::memchr_iter(b',', bytes).find(|&i| bytes.get(i + 1) == Some(&b' '))
    {
        let head = &source[..comma];
        if head.starts_with(|c: char| c.is_uppercase()) {
            return classify(head, rules, last_named);
        }
    }
    // Each word with its bare form, the first few on the stack.
    let mut phrase = PhraseWords::new();
    for w in crate::text::words(source) {
        phrase.push((0, w, bare_word(w), 0));
    }
    let words = phrase.as_slice();
    let officials = rules.officials.is_in(hits);
    let vague = rules.vague.is_in(hits);
    // How many capitalised words there are, up to two: all that is asked.
    let capitalised = words
        .iter()
        .enumerate()
        .map(|(i, w)| (i, w.2))
        .filter(|(i, w)| {
            // A first word may be capitalised only because it opens the
            // sentence: "Officials said" names nobody.
            let common = || {
                if !w.is_ascii() {
                    let lower = w.to_lowercase();
                    return NOT_A_SOURCE.contains(&lower.as_str())
                        || rules.officials.contains(&lower)
                        || rules.anonymous.contains(&lower)
                        || rules.vague.contains(&lower);
                }
                // The lists match ASCII case-insensitively, and the bare
                // word has no letter or digit on either side in the
                // source: a phrase found in the word is found in the
                // source, so a list the source lacks need not be scanned
                // (the anonymous one is known to be lacking).
                NOT_A_SOURCE.iter().any(|l| w.eq_ignore_ascii_case(l))
                    || (officials && rules.officials.contains(w))
                    || (vague && rules.vague.contains(w))
            };
            w.starts_with(|c: char| c.is_uppercase()) && !(*i == 0 && common())
        })
        .take(2)
        .count();
    if officials {
        return known(if capitalised == 0 {
            SourceKind::Anonymous
        } else {
            SourceKind::NamedOrg
        });
    }
    if words.len() == 1 && rules.pronouns.is_in(hits) {
        return match last_named {
            Some((name, kind)) => Classified {
                kind: *kind,
                resolved: Some(name.clone()),
                recognised: true,
            },
            None => known(SourceKind::NamedPerson),
        };
    }
    if vague {
        return known(SourceKind::Vague);
    }
    if rules.roles.is_in(hits) {
        return known(SourceKind::NamedPerson);
    }
    if rules.document.is_in(hits) {
        return known(SourceKind::Document);
    }
    // "a federal judge", "an arbitration panel in 2001": the body is the
    // head of the phrase, the last word before any preposition ("a court
    // spokesman" is a spokesman).
    if rules.public_bodies.is_in(hits) {
        let head = words
            .iter()
            .skip(1)
            .take_while(|w| !PREPOSITIONS.iter().any(|p| p.eq_ignore_ascii_case(w.1)))
            .last()
            .or(words.first())
            .map(|w| bare_lower(w.1));
        if head.is_some_and(|h| rules.public_bodies.contains(&h)) {
            return known(SourceKind::NamedOrg);
        }
    }
    // Only ASCII lowercases to these words: no allocation is needed.
    let first = words.first().map_or("", |w| w.1);
    if capitalised == 0
        && ["a", "an", "one"]
            .iter()
            .any(|a| first.eq_ignore_ascii_case(a))
    {
        // An unnamed someone: "a county worker", "a witness".
        return known(SourceKind::Anonymous);
    }
    let acronym = words.iter().any(|w| {
        let w = w.2;
        w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase())
    });
    if capitalised > 0 {
        let last = words[words.len() - 1].2;
        // The last word, bare, is part of the source: a phrase in it is in
        // the source too.
        let organisation = rules.organisation.is_in(hits);
        let last_is_name = last.starts_with(|c: char| c.is_uppercase())
            && !(organisation && rules.organisation.contains(last))
            && !acronym;
        if (capitalised >= 2 && last_is_name) || !(acronym || organisation) {
            return known(SourceKind::NamedPerson);
        }
        return known(SourceKind::NamedOrg);
    }
    if rules.organisation.is_in(hits) {
        return known(SourceKind::NamedOrg);
    }
    // A definite or plural party nobody listed ("the operators"): likely an
    // organisation, but only a speech verb makes it a source.
    Classified {
        kind: SourceKind::NamedOrg,
        resolved: None,
        recognised: false,
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::analyze;
    use crate::rules::{RuleSet, SourceKind};

    #[test]
    fn spaced_words_are_found_where_find_finds_them() {
        let words = [" who ", " whose ", " on "];
        for hay in [
            "a man who said",
            "a man  who  said",
            "whose who  whose on",
            "the woman whose son, who",
            "no match here",
            " who",
            "",
        ] {
            let least = words.iter().filter_map(|w| hay.find(w)).min();
            assert_eq!(super::find_first_spaced(hay, &words), least, "{hay:?}");
            let bare = ["who", "whom", "whose"];
            let least = bare
                .iter()
                .filter_map(|w| hay.find(&format!(" {w} ")))
                .min();
            assert_eq!(super::find_first_spaced_word(hay, &bare), least, "{hay:?}");
        }
    }

    #[test]
    fn asked_opens_a_cue_in_any_case() {
        for cue in [
            "asked",
            "Asked about",
            "ASKED\tfor",
            " asked",
            "asked\u{a0}x",
            "askedx",
            "ask",
            "",
            "asked\u{e9}",
            " \u{2003}asked",
            "asks",
        ] {
            let expected = cue
                .split_whitespace()
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("asked"));
            assert_eq!(super::is_asked(cue), expected, "{cue:?}");
        }
    }

    #[test]
    fn last_words_are_those_split_whitespace_gives() {
        for text in [
            "",
            "   ",
            "one",
            "the senator ",
            "two words\t\n",
            "caf\u{e9} au lait",
            "au lait caf\u{e9}",
            "no\u{a0}break",
            "thin\u{2009}",
            "\u{201c}quoted\u{201d}",
            "a \u{3000}b",
            "x\u{85}",
        ] {
            assert_eq!(
                super::last_word(text),
                text.split_whitespace().next_back(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn clause_breaks_are_found_where_rfind_finds_them() {
        for text in [
            "",
            "no break here",
            "one, two",
            "a (b) c",
            "\u{201c}quoted\u{201d} then",
            "dash \u{2014} and \u{2013} en",
            "wide \u{2018}single\u{2019} \u{2012} \u{201a} \u{1e94} \u{1e9d}",
            "end!",
            "what? \u{e9}t\u{e9} \u{94}",
        ] {
            assert_eq!(
                super::rfind_clause_break(text),
                text.rfind(super::CLAUSE_BREAKS),
                "{text:?}"
            );
        }
    }

    #[test]
    fn each_word_is_on_the_lists_it_is_in() {
        use super::{list, list_flags};
        let lists: &[(&[&str], u16)] = &[
            (super::LEADING_NOISE, list::LEADING_NOISE),
            (super::TRAILING_NOISE, list::TRAILING_NOISE),
            (super::NOT_A_SOURCE, list::NOT_A_SOURCE),
            (super::NEGATIONS, list::NEGATIONS),
            (super::MODALS, list::MODALS),
            (super::PERCENT, list::PERCENT),
            (&["in"], list::IN),
            (super::SMALL_NUMBERS, list::SMALL_NUMBERS),
            (super::MODIFIER_PREPOSITIONS, list::MODIFIER_PREPOSITIONS),
            (super::RELATIVE, list::RELATIVE),
            (super::SUBJECT_STOPS, list::SUBJECT_STOPS),
            (super::BEFORE_NOUN_CUES, list::BEFORE_NOUN_CUES),
            (
                super::BETWEEN_SUBJECT_AND_VERB,
                list::BETWEEN_SUBJECT_AND_VERB,
            ),
            (super::BE_FORMS, list::BE_FORMS),
        ];
        let mut words: Vec<String> = lists
            .iter()
            .flat_map(|(l, _)| l.iter())
            .flat_map(|w| {
                [
                    w.to_string(),
                    w.to_uppercase(),
                    format!("{w}s"),
                    w[1..].to_string(),
                ]
            })
            .collect();
        words.extend(
            [
                "",
                "x",
                "'",
                "'S",
                "\u{2019}s",
                "Kelvin",
                "\u{212a}",
                "th\u{e9}",
                "therefore",
                "previouslyyyyyyy",
            ]
            .map(String::from),
        );
        for w in &words {
            for (l, flag) in lists {
                assert_eq!(
                    list_flags(w) & flag != 0,
                    super::bare_one_of(w, l),
                    "{w:?} {l:?}"
                );
            }
        }
    }

    /// (source, kind, cue) of each sentence's attribution.
    fn attributions(text: &str) -> Vec<Option<(String, SourceKind, String)>> {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        analyze(text, &rules)
            .sentences
            .iter()
            .map(|s| {
                s.attribution
                    .as_ref()
                    .map(|a| (a.source.clone(), a.kind, a.cue.clone()))
            })
            .collect()
    }

    fn first(text: &str) -> Option<(String, String)> {
        attributions(text)[0].clone().map(|(s, _, c)| (s, c))
    }

    fn pair(source: &str, cue: &str) -> Option<(String, String)> {
        Some((source.to_string(), cue.to_string()))
    }

    #[test]
    fn a_cue_wrapped_over_a_sentence_end_is_no_cue_and_no_crash() {
        // Phrases match across line breaks; a line break may end the
        // sentence inside the phrase.
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let spec = &rules.attribution;
        let phrases = [
            &spec.verbs,
            &spec.speech_verbs,
            &spec.source_after,
            &spec.attitude_verbs,
            &spec.impersonal,
            &spec.quote_verbs,
        ]
        .into_iter()
        .flatten()
        .filter(|p| p.contains(' '));
        let mut tried = 0;
        for phrase in phrases {
            let words: Vec<&str> = phrase.split(' ').collect();
            for cut in 1..words.len() {
                let wrapped = format!("{}\n{}", words[..cut].join(" "), words[cut..].join(" "));
                for text in [
                    format!("The mayor {wrapped} the plan."),
                    format!("\u{201c}We will win,\u{201d} {wrapped} the mayor."),
                    format!("Officials {wrapped}"),
                ] {
                    analyze(&text, &rules);
                    tried += 1;
                }
            }
        }
        assert!(tried > 100, "the pack has many phrase cues: {tried}");
        assert_eq!(attributions("The mayor plans\nto resign.")[0], None);
    }

    #[test]
    fn indirect_speech_with_many_reporting_verbs() {
        for (text, cue) in [
            ("The governor warned that the levee could fail.", "warned"),
            ("The governor concluded the levee was sound.", "concluded"),
            ("The governor denied the levee had failed.", "denied"),
            ("The governor argued the levee was sound.", "argued"),
            ("The governor tweeted that the levee held.", "tweeted"),
            ("Governor Ames criticized the levee board.", "criticized"),
            (
                "Governor Ames told reporters the levee held.",
                "told reporters",
            ),
        ] {
            let got = first(text).map(|g| g.1);
            assert_eq!(got.as_deref(), Some(cue), "{text}");
        }
    }

    #[test]
    fn inverted_order_with_a_relative_clause_and_says() {
        assert_eq!(
            first(
                "\"We will win the county,\" said a party organiser who has run three campaigns."
            ),
            pair("a party organiser", "said")
        );
        assert_eq!(
            first("\"The ferry is late again,\" says Ruth Okafor."),
            pair("Ruth Okafor", "says")
        );
    }

    #[test]
    fn participle_cues_take_the_main_subject() {
        assert_eq!(
            first("Councillor Bram Hesse voted against the budget, saying it ignored the harbour."),
            pair("Councillor Bram Hesse", "saying")
        );
        assert_eq!(
            first("Councillor Bram Hesse voted no and said the budget ignored the harbour."),
            pair("Councillor Bram Hesse", "said")
        );
    }

    #[test]
    fn who_said_takes_the_antecedent() {
        // The relative clause is the farmers' view; the sentence, that they
        // want a hearing, is the author's.
        let text = "Farmers who say the canal is dry want a hearing.";
        assert_eq!(first(text), None);
        assert_eq!(sources(text), [("say".into(), "Farmers".into())]);
        let text = "The Harbour Guild, which has long opposed the ferry, met on Monday.";
        assert_eq!(
            sources(text),
            [("opposed".into(), "The Harbour Guild".into())]
        );
        let text = "Okafor, who\u{2019}d previously endorsed the mayor, stayed home.";
        assert_eq!(sources(text), [("endorsed".into(), "Okafor".into())]);
        // A relative clause about anonymity is still no cue of its own.
        assert_eq!(
            first("A clerk who declined to be named said the vote was delayed."),
            pair("A clerk", "said")
        );
    }

    #[test]
    fn nouns_are_not_cues() {
        for text in [
            "The United States has 50 states.",
            "A supplement called Vitaplex sold out in June.",
            "Fans gathered, with some calling for a new coach.",
            "The mayor rejected the claims in a long letter.",
        ] {
            let got = first(text);
            assert!(
                got.as_ref()
                    .is_none_or(|g| g.1 != "states" && g.1 != "called" && g.1 != "calling"),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn transcript_labels_attribute_their_paragraph() {
        let got = attributions(
            "HOLLOWAY: We will not cut the ferry. Not this year.\n\nUpdate: The vote is on Monday.",
        );
        assert_eq!(got[0].clone().map(|g| (g.0, g.2)), pair("HOLLOWAY", ":"));
        assert_eq!(got[1].clone().map(|g| g.0).as_deref(), Some("HOLLOWAY"));
        assert_eq!(got[2], None, "an update label names no speaker");
        let got = attributions("The ferry runs again on Monday.\n\nContributing: Mara Voss.");
        assert_eq!(got[1], None, "a credit line names no speaker");
    }

    #[test]
    fn headline_tags_rosters_and_caps_headlines_name_no_speaker() {
        let got = attributions(
            "Revealed: The Harbour Board Quietly Sold Its Last Tug.\n\nThe sale closed in March.",
        );
        assert_eq!(got[0], None, "a teaser tag names no speaker: {got:?}");
        let got = attributions(
            "The council named its new panel.\n\nOhio: Ann Lee, Bo Park, Cy Reyes, and Dee Moss.",
        );
        assert_eq!(got[1], None, "a roster is no quotation: {got:?}");
        let got = attributions(
            "Port: FERRY FARES TO DOUBLE IN MAY The board met on Monday.\n\nHOLLOWAY: We will not cut the ferry.",
        );
        assert_eq!(
            got[0], None,
            "a headline in capitals is no quotation: {got:?}"
        );
        assert_eq!(got[1].clone().map(|g| (g.0, g.2)), pair("HOLLOWAY", ":"));
        let got = attributions("Lena Ortiz: The port will stay open, and so will the ferry.");
        assert_eq!(got[0].clone().map(|g| (g.0, g.2)), pair("Lena Ortiz", ":"));
    }

    #[test]
    fn connectives_built_on_say_are_no_cue() {
        assert_eq!(
            first("That said, the ferry will run late this winter."),
            None
        );
        assert_eq!(
            first("The toll could rise to, say, four dollars by the spring."),
            None
        );
        assert_eq!(
            first("The repairs, needless to say, ran over budget."),
            None
        );
        // A marker is found in any case, and with a curly apostrophe.
        assert_eq!(first("HAVING SAID THAT, the ferry will run late."), None);
        assert_eq!(
            first("The toll, let\u{2019}s say, will rise by the spring."),
            None
        );
        assert!(
            cues("It was the union that said the port must stay open.")
                .contains(&"said".to_string()),
            "an unset \"that said\" stays a cue"
        );
        assert_eq!(
            first("Mayor Lena Ortiz said the port will stay open."),
            pair("Mayor Lena Ortiz", "said")
        );
    }

    #[test]
    fn a_byline_before_a_colon_credits_an_excerpt() {
        let text =
            "Ferry news, by the Herald's Ana Lee: \u{201c}The last boat left at nine.\u{201d}";
        assert!(!cues(text).contains(&":".to_string()), "{:?}", cues(text));
        let text = "The harbour master Ana Lee: \u{201c}The last boat left at nine.\u{201d}";
        assert!(cues(text).contains(&":".to_string()), "{:?}", cues(text));
    }

    #[test]
    fn a_colon_cue_introduces_the_next_paragraph() {
        let got = attributions(
            "The minister wrote in a letter to staff:\n\nThe office will close in May. Nobody will lose their job.",
        );
        assert!(got.iter().all(Option::is_some), "{got:?}");
    }

    #[test]
    fn quotation_over_several_sentences_and_apostrophe_quotes() {
        let got = attributions(
            "\"The pier is unsafe. We have closed it. It stays closed until June,\" the harbour master said.",
        );
        assert!(got.iter().all(Option::is_some), "{got:?}");
        let got = attributions(
            "''The pier is unsafe. It stays closed until June,'' Ms. Varga said. The town voted in May.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].clone().map(|g| g.0).as_deref(), Some("Ms. Varga"));
        assert_eq!(got[1].clone().map(|g| g.0).as_deref(), Some("Ms. Varga"));
        assert_eq!(got[2], None);
    }

    /// (cue, source) of every cue of the first sentence.
    fn sources(text: &str) -> Vec<(String, String)> {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        analyze(text, &rules).sentences[0]
            .cues
            .iter()
            .map(|a| (a.cue.clone(), a.source.clone()))
            .collect()
    }

    #[test]
    fn auxiliaries_and_adverbs_between_subject_and_cue() {
        assert_eq!(
            first("Ruth Okafor, the harbour master, has since said the pier is safe."),
            pair("Ruth Okafor, the harbour master", "said")
        );
        assert_eq!(
            first("Okafor has previously described the pier as unsafe."),
            pair("Okafor", "described")
        );
        // A naming verb after a common noun still names a thing.
        assert_eq!(first("The ferry, once called the Gull, sank."), None);
    }

    /// Every cue of the first sentence.
    fn cues(text: &str) -> Vec<String> {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        analyze(text, &rules).sentences[0]
            .cues
            .iter()
            .map(|a| a.cue.clone())
            .collect()
    }

    /// (cue, source, attitude) of every cue of the first sentence, and its voice.
    fn attitudes(text: &str) -> (Vec<(String, String, bool)>, crate::analyze::Voice) {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let sentence = analyze(text, &rules).sentences.remove(0);
        let cues = sentence
            .cues
            .iter()
            .map(|a| (a.cue.clone(), a.source.clone(), a.attitude))
            .collect();
        (cues, sentence.voice)
    }

    #[test]
    fn attitude_cues_are_reported_but_keep_the_authors_voice() {
        use crate::analyze::Voice;
        let (cues, voice) =
            attitudes("Councillor Dana Brook wants to close the east depot by 2027.");
        assert_eq!(
            cues,
            [("wants".into(), "Councillor Dana Brook".into(), true)]
        );
        assert_eq!(voice, Voice::Author);
        let (cues, voice) = attitudes("The teachers' union opposed the longer school day.");
        assert_eq!(cues.len(), 1);
        assert!(cues[0].2);
        assert_eq!(voice, Voice::Author);
        // Inside what someone says, the attitude is part of the content.
        let (cues, voice) = attitudes("The mayor said she hopes the pier reopens in May.");
        assert_eq!(cues, [("said".into(), "The mayor".into(), false)]);
        assert_eq!(voice, Voice::Attributed);
        // A share of voters is no stance holder, nor is a noun a cue.
        assert!(attitudes("Only 41 percent support the levy.").0.is_empty());
        assert!(
            attitudes("Support for the levy fell among renters.")
                .0
                .is_empty()
        );
        assert!(
            attitudes("His support for the levy was never in doubt.")
                .0
                .is_empty()
        );
    }

    #[test]
    fn cognition_and_concession_verbs_are_cues_and_contentless_acts_keep_the_authors_voice() {
        use crate::analyze::Voice;
        assert_eq!(
            first("Councillor Dana Brook realized the depot lease had lapsed."),
            pair("Councillor Dana Brook", "realized")
        );
        assert_eq!(
            first("Harbour master Ian Teller clarified that the pier stays shut."),
            pair("Harbour master Ian Teller", "clarified")
        );
        assert_eq!(
            first("Councillor Dana Brook chided the board for the delay."),
            pair("Councillor Dana Brook", "chided")
        );
        // An endorsement or a silence reports no content of the holder's.
        let (endorsed, voice) = attitudes("The ferry workers' union endorsed Councillor Brook.");
        assert_eq!(endorsed.len(), 1);
        assert!(endorsed[0].2);
        assert_eq!(voice, Voice::Author);
        let (_, voice) =
            attitudes("Northvale Transit did not respond to a request for comment on Friday.");
        assert_eq!(voice, Voice::Author);
        // An interview is the setting of a cue, not a cue of its own.
        assert!(cues("In an interview on Friday, the depot was the main topic.").is_empty());
    }

    #[test]
    fn a_view_with_a_that_clause_is_in_the_holders_voice() {
        use crate::analyze::Voice;
        let (cues, voice) =
            attitudes("The harbour board hopes that the ferry fares will fall next spring.");
        assert_eq!(cues, [("hopes".into(), "The harbour board".into(), false)]);
        assert_eq!(voice, Voice::Attributed);
        let (cues, voice) =
            attitudes("Councillor Dana Brook knows that the depot lease ends in May.");
        assert_eq!(cues.len(), 1);
        assert!(!cues[0].2);
        assert_eq!(voice, Voice::Attributed);
        // A passive view has no holder: "it is widely believed that ...".
        let (cues, _) = attitudes("It is widely believed that the depot lease ends in May.");
        assert!(cues.iter().all(|c| c.0 != "believed" || c.1.is_empty()));
        let (cues, voice) = attitudes("Councillor Dana Brook felt that the depot vote was rushed.");
        assert_eq!(
            cues,
            [("felt".into(), "Councillor Dana Brook".into(), false)]
        );
        assert_eq!(voice, Voice::Attributed);
        // Without a clause the view is still the author's report.
        let (cues, voice) = attitudes("The harbour board hopes to cut ferry fares.");
        assert_eq!(cues, [("hopes".into(), "The harbour board".into(), true)]);
        assert_eq!(voice, Voice::Author);
    }

    #[test]
    fn views_without_a_holder_are_sourceless_attitude_cues() {
        use crate::analyze::Voice;
        let (cues, voice) = attitudes("The bridge is expected to reopen in March.");
        assert_eq!(cues, [("is expected to".into(), String::new(), true)]);
        assert_eq!(voice, Voice::Author);
        let (cues, _) = attitudes("The mayor will reportedly resign next week.");
        assert_eq!(cues, [("reportedly".into(), String::new(), true)]);
    }

    #[test]
    fn continued_is_speech_only_before_punctuation() {
        assert_eq!(
            pair("Osei", "continued"),
            first("\"We will rebuild the pier,\" Osei continued.")
        );
        assert_eq!(
            first("He continued: \"The pier is safe.\"").map(|g| g.1),
            Some("continued".into())
        );
        assert_eq!(first("Osei continued to campaign across the county."), None);
    }

    #[test]
    fn a_quotation_opened_after_its_cue_keeps_the_speaker_to_its_end() {
        use crate::analyze::Voice;
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let text = "Mayor Ortiz told reporters that \u{201c}the pier is safe. We checked every beam twice.\u{201d}";
        let sentences = analyze(text, &rules).sentences;
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[1].voice, Voice::Speaker);
        assert_eq!(
            sentences[1].attribution.as_ref().map(|a| a.source.as_str()),
            Some("Mayor Ortiz")
        );
    }

    #[test]
    fn a_quoted_title_does_not_carry_the_last_speaker() {
        use crate::analyze::Voice;
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let text = "\u{201c}We are ready,\u{201d} Osei said.\n\nOsei later starred in the film \u{201c}Harbour Lights\u{201d} and opened a bakery.";
        let sentences = analyze(text, &rules).sentences;
        assert_eq!(sentences[1].voice, Voice::Author);
        assert!(sentences[1].attribution.is_none());
        // A quotation that is most of its sentence still carries it over.
        let text = "\u{201c}We are ready,\u{201d} Osei said.\n\n\u{201c}The crews start on Monday.\u{201d}";
        let sentences = analyze(text, &rules).sentences;
        assert_eq!(
            sentences[1].attribution.as_ref().map(|a| a.source.as_str()),
            Some("Osei")
        );
    }

    #[test]
    fn every_cue_in_a_sentence_is_kept_and_the_primary_stays() {
        // The vote is a stance of its own, listed but not deciding.
        let text = "The senator voted no, she said, adding that the bill was rushed.";
        assert_eq!(cues(text), ["voted", "said", "adding"]);
        assert_eq!(first(text).map(|g| g.1).as_deref(), Some("said"));
        assert_eq!(
            cues("The mayor said when asked about the pier that it was safe."),
            ["said", "asked about"]
        );
        // A setting right after a verb is no second cue.
        assert_eq!(
            cues("The mayor claimed in an interview that the pier was safe."),
            ["claimed"]
        );
    }

    #[test]
    fn second_cues_after_a_quotation_a_dash_or_a_conjunction() {
        // A participle after a quotation that closes on its comma.
        let text = "Mayor Lena Ortiz told reporters the pier was \u{201c}safe,\u{201d} \
                    adding that repairs would start in May.";
        assert_eq!(
            sources(text),
            [
                ("told reporters".to_string(), "Mayor Lena Ortiz".to_string()),
                ("adding".to_string(), "Mayor Lena Ortiz".to_string())
            ]
        );
        assert_eq!(first(text), pair("Mayor Lena Ortiz", "told reporters"));
        // The main speaker stays when the second cue is a speech verb.
        let text = "Councillor Dev Rao called the levy a \"tax grab,\" adding that \
                    nobody had asked for it.";
        assert_eq!(cues(text), ["called", "adding"]);
        assert_eq!(
            first(text).map(|p| p.0).as_deref(),
            Some("Councillor Dev Rao")
        );
        // A participle after a dash.
        assert_eq!(
            sources(
                "Governor Amy Holt changed her mind on the spot \u{2014} saying she would now back the ferry plan."
            ),
            [("saying".to_string(), "Governor Amy Holt".to_string())]
        );
        // "and then said": an adverb between the conjunction and the verb.
        assert_eq!(
            first("The harbour master checked the ropes, and then said the ferry could sail."),
            pair("The harbour master", "said")
        );
    }

    #[test]
    fn a_setting_before_the_verb_is_no_cue_and_stances_need_a_clause() {
        // "In a statement" opening the sentence is the setting of "said".
        let text = "In a statement on Friday, ministry spokesman Ari Bell said the ferry \
                    would sail.";
        assert_eq!(cues(text), ["said"]);
        assert_eq!(first(text), pair("ministry spokesman Ari Bell", "said"));
        // "maintains" reports a claim only with a clause after it.
        assert_eq!(
            first("Councillor Ada Fry maintained that the levy was fair.")
                .map(|p| p.0)
                .as_deref(),
            Some("Councillor Ada Fry")
        );
        assert_eq!(first("The mayor maintains a wide lead in the polls."), None);
    }

    #[test]
    fn a_participle_without_a_clear_subject_is_listed_but_decides_nothing() {
        // "The retired surgeon" is cut at "retired"; the cue is still found,
        // without a source, and the sentence stays the author's.
        let text = "The retired surgeon gave no details about his plans, saying only \
                    that he was resting.";
        assert_eq!(sources(text), [("saying".to_string(), String::new())]);
        assert_eq!(first(text), None);
    }

    #[test]
    fn a_relative_clause_after_a_long_clause_takes_its_antecedent() {
        // The antecedent ends the clause before "who"; the sentence stays
        // the author's.
        let text = "The deal was reached late on Friday with help from Labour Minister \
                    Noor Haddad, who said she expects the strike to end.";
        assert_eq!(
            sources(text),
            [(
                "said".to_string(),
                "Labour Minister Noor Haddad".to_string()
            )]
        );
        assert_eq!(first(text), None);
        // An appositive with a preposition stays whole.
        assert_eq!(
            attitudes(
                "\u{201c}It is too early,\u{201d} said Ana Ruiz, a professor at Ridge \
                 College, who supports the levy."
            )
            .0[1],
            (
                "supports".to_string(),
                "a professor at Ridge College".to_string(),
                true
            )
        );
        // A view in a relative clause is the antecedent's, not part of
        // what the main speaker said.
        assert_eq!(
            attitudes("\u{201c}The count is wrong,\u{201d} said Tomas Elm, who supports the levy.")
                .0,
            [
                ("said".to_string(), "Tomas Elm".to_string(), false),
                ("supports".to_string(), "Tomas Elm".to_string(), true)
            ]
        );
    }

    #[test]
    fn party_labels_poll_shares_and_long_inverted_sources() {
        assert_eq!(
            first("Sen. Ann Lee (D-Ore.) said the ferry bill would pass."),
            pair("Sen. Ann Lee (D-Ore.)", "said")
        );
        assert_eq!(
            first("About 47 percent said they would vote for the mayor.").map(|g| g.1),
            Some("said".to_string())
        );
        assert_eq!(
            first("\"The pier is safe,\" said Tom Reyes of the Harbour Board of Eastport County."),
            pair("Tom Reyes of the Harbour Board of Eastport County", "said")
        );
        assert_eq!(
            first("The mayor ended the debate by saying the pier was safe."),
            pair("The mayor", "saying")
        );
        let text = "Ortiz called the plan \u{201c}reckless\u{201d} and said it would fail.";
        assert_eq!(first(text), pair("Ortiz", "said"));
        assert_eq!(cues(text), ["called", "said"]);
    }

    #[test]
    fn a_name_before_a_colon_introduces_a_quotation_but_a_tally_does_not() {
        let got = attributions(
            "The delay did not surprise harbour engineer Tom Reyes: \u{201c}Old piers fail.\u{201d}\n\nOrtiz: 1,769.\n\nThe Latest: the ferry is late.",
        );
        assert_eq!(got[0].clone().map(|g| g.2).as_deref(), Some(":"));
        assert!(got[1..].iter().all(Option::is_none), "{got:?}");
    }

    #[test]
    fn according_to_and_noun_cues() {
        assert_eq!(
            first("Ridership fell by a third, according to the transit authority."),
            pair("the transit authority", "according to")
        );
        assert_eq!(
            first("The agency said in a statement that the fares would rise.")
                .map(|g| g.1)
                .as_deref(),
            Some("said in a statement")
        );
        assert_eq!(
            first("Before the vote, the newspaper has learned, two members resigned.")
                .map(|g| g.1)
                .as_deref(),
            Some("has learned")
        );
    }

    #[test]
    fn progressive_forms_report_speech_and_passives_do_not() {
        assert_eq!(
            first("Mayor Lena Ortiz is telling voters that the pier will reopen."),
            pair("Mayor Lena Ortiz", "telling")
        );
        assert_eq!(
            first("The two council members are questioning whether the budget adds up."),
            pair("The two council members", "questioning")
        );
        assert_eq!(
            first("Ortiz has been warning that the pier is unsafe.").map(|g| g.0),
            Some("Ortiz".to_string())
        );
        // A passive still reports nobody.
        assert_eq!(first("No injuries were reported at the pier."), None);
    }

    #[test]
    fn a_preposition_before_an_ing_form_leaves_the_main_subject_speaking() {
        assert_eq!(
            first("Councilwoman Ada Brandt opened the hearing by questioning the audit."),
            pair("Councilwoman Ada Brandt", "questioning")
        );
        assert_eq!(
            first("Governor Ames ended the session after praising the levee crews."),
            pair("Governor Ames", "praising")
        );
    }

    #[test]
    fn infinitive_openers_keep_the_subject_of_the_opener() {
        assert_eq!(
            first("Governor Ames continued to insist that the levee was sound."),
            pair("Governor Ames", "insist")
        );
        assert_eq!(
            first("Mayor Ortiz was quick to point out that no ferry sank.").map(|g| g.0),
            Some("Mayor Ortiz".to_string())
        );
        assert_eq!(
            first("Ortiz refused to say whether the pier would reopen."),
            pair("Ortiz", "say")
        );
        // A purpose is no attribution.
        assert_eq!(first("The board met on Monday to discuss the levee."), None);
    }

    #[test]
    fn a_subject_before_a_dash_aside_speaks() {
        assert_eq!(
            first(
                "Several engineers \u{2014} including two who built the pier \u{2014} said the pilings were rotten."
            ),
            pair("Several engineers", "said")
        );
        assert_eq!(
            first("Governor Ames -- who rarely speaks to reporters -- said the levee held."),
            pair("Governor Ames", "said")
        );
    }

    #[test]
    fn years_ordinals_and_numbers_in_modifiers_stay_in_the_subject() {
        assert_eq!(
            first("The candidate for the Nov. 8 election later said he would concede."),
            pair("The candidate for the Nov. 8 election", "said")
        );
        assert_eq!(
            first("A 2019 audit by the state found that the pier was unsafe.").map(|g| g.1),
            Some("found".to_string())
        );
        assert_eq!(
            first("Ridership fell, according to a survey of 400 commuters."),
            pair("a survey of 400 commuters", "according to")
        );
    }

    #[test]
    fn disputes_directives_findings_plans_and_document_plurals() {
        for (text, cue) in [
            ("The harbour board disputes the count.", "disputes"),
            (
                "Councillor Ames blames the ferry operator for the delays.",
                "blames",
            ),
            (
                "A county judge ordered a new count of the ballots.",
                "ordered",
            ),
            (
                "The audit identified three gaps in the levee.",
                "identified",
            ),
            ("Mayor Ortiz plans to run for a second term.", "plans to"),
            ("Recent polls show the levy losing support.", "show"),
            ("Osei calls the pier plan a waste of money.", "calls"),
        ] {
            assert_eq!(cues(text), [cue], "{text}");
        }
        // Acts of an office are its stance, but the author reports them.
        use crate::analyze::Voice;
        let (found, voice) = attitudes("A county judge ordered a new count of the ballots.");
        assert_eq!(found, [("ordered".into(), "A county judge".into(), true)]);
        assert_eq!(voice, Voice::Author);
        // So are stances against something named: the figure after "but"
        // stays the author's.
        let (found, voice) =
            attitudes("The harbour board blames the storm, but the ferry sank in calm water.");
        assert_eq!(found, [("blames".into(), "The harbour board".into(), true)]);
        assert_eq!(voice, Voice::Author);
        // A quotation closed by "it read" is the document's.
        assert_eq!(
            first("\"The pier stays closed,\" the notice read.").map(|g| g.1),
            Some("read".to_string())
        );
        // Plans and calls as nouns are no cue.
        assert!(cues("The harbour plans were shelved in May.").is_empty());
        assert!(
            !cues("Trump ignored the repeated calls to resign.")
                .iter()
                .any(|c| c == "calls")
        );
    }

    #[test]
    fn naming_verbs_that_quote_or_characterise_report_a_view() {
        assert_eq!(
            cues(
                "Sen. Ann Lee (R-Ore.), a ferry critic, called the plan \u{201c}reckless\u{201d} on Monday."
            ),
            ["called"]
        );
        assert_eq!(
            cues("Anand, the group's spokeswoman, described the march as peaceful."),
            ["described"]
        );
        // A quoted name right after the verb is still a name.
        assert!(cues("A supplement called \u{201c}Vitaplex\u{201d} sold out in June.").is_empty());
        assert!(
            cues("A band called Tidewater played before the mayor spoke of \"a new pier.\"")
                .iter()
                .all(|c| c != "called")
        );
    }

    #[test]
    fn progressive_attitudes_are_attitude_cues() {
        let (found, _) = attitudes("Councillor Ames is backing the levy.");
        assert_eq!(found, [("backing".into(), "Councillor Ames".into(), true)]);
        let (found, _) = attitudes("The harbour board is hoping the vote comes soon.");
        assert_eq!(found.len(), 1);
        // A passive names no holder and decides nothing.
        let (found, voice) = attitudes("The levy was supported by 60 percent.");
        assert!(found.iter().all(|c| c.1.is_empty()), "{found:?}");
        assert_eq!(voice, crate::analyze::Voice::Author);
    }

    #[test]
    fn a_subject_no_list_knows_lists_the_cue_but_decides_nothing() {
        use crate::analyze::Voice;
        // A reporting verb whose subject no list recognises, and a
        // participle whose subject cannot be delimited: listed, no voice.
        for (text, cue) in [
            (
                "The princes from the hills condemned the vote on Friday.",
                "condemned",
            ),
            (
                "The princes from the hills urged the senator to resign, calling him a disgrace.",
                "calling",
            ),
            ("Most residents want a new bridge.", "want"),
        ] {
            let (got, voice) = attitudes(text);
            assert!(got.iter().any(|(c, _, _)| c == cue), "{text}: {got:?}");
            assert_eq!(voice, Voice::Author, "{text}");
            assert_eq!(attributions(text)[0], None, "{text}");
        }
        // A speech verb still makes any subject a source.
        assert_eq!(
            first("The prince said the vote was rigged."),
            pair("The prince", "said")
        );
    }

    #[test]
    fn a_noun_cue_without_an_object_and_finding_oneself_are_no_cues() {
        for text in [
            "Lena Ortiz hosts a Sunday radio show, writes a column and coaches.",
            "Ortiz, a host on the TV show \u{201c}Harbour Talk,\u{201d} grew up here.",
            "The mayor found herself at the centre of the dispute.",
            "The council has found ways to cut the deficit.",
        ] {
            let got = cues(text);
            assert!(
                !got.iter().any(|c| c == "show" || c == "found"),
                "{text}: {got:?}"
            );
        }
        assert_eq!(
            cues("The audit found that the fund was short."),
            vec!["found".to_string()]
        );
        assert_eq!(
            cues("Polls show the race is tied."),
            vec!["show".to_string()]
        );
    }

    #[test]
    fn votes_plans_emotions_and_communication_verbs_are_cues() {
        for (text, cue) in [
            (
                "Senator Ann Lee voted against the harbour levy.",
                "voted against",
            ),
            ("Mayor Ortiz is mulling a second term.", "mulling"),
            ("The ruling angered Governor Paul Hale.", "angered"),
            (
                "Ortiz made the case that the levy is fair.",
                "made the case",
            ),
            (
                "Lee went after Ortiz over the ferry contract.",
                "went after",
            ),
            (
                "Ortiz boasts that the pier is the safest in the state.",
                "boasts",
            ),
        ] {
            let (got, _) = attitudes(text);
            assert!(got.iter().any(|(c, _, _)| c == cue), "{text}: {got:?}");
        }
    }

    #[test]
    fn passives_and_speech_without_a_subject_are_listed_but_decide_nothing() {
        for (text, cue) in [
            (
                "The ferry contract was criticized at the meeting.",
                "criticized",
            ),
            ("Lee was told about the levy on Monday.", "told"),
            (
                "The 40 residents at the 2019 hearing on the 12 docks said the pier was unsafe.",
                "said",
            ),
        ] {
            let got = sources(text);
            assert!(
                got.iter().any(|(c, s)| c == cue && s.is_empty()),
                "{text}: {got:?}"
            );
            assert_eq!(attributions(text)[0], None, "{text}");
        }
        // A passive after a determiner is a noun phrase, not a cue.
        assert!(cues("The reported figures were wrong.").is_empty());
        // The passive of a listed act done to its subject reports no speech.
        for text in [
            "Two names were added to the ballot on Monday.",
            "Reporters were denied access to the hearing.",
            "The seat was decided by 300 votes.",
        ] {
            assert!(cues(text).is_empty(), "{text}: {:?}", cues(text));
        }
    }

    #[test]
    fn dates_in_a_source_and_reasons_cited() {
        assert_eq!(
            first("A poll released September 3 showed Ortiz ahead at 46 percent."),
            pair("A poll released September 3", "showed")
        );
        assert_eq!(
            first("\u{201c}They are wrong,\u{201d} said 9/11 widow Ana Ruiz on Monday."),
            pair("9/11 widow Ana Ruiz", "said")
        );
        assert_eq!(
            first("Judge Ana Ruiz blocked the sale, citing a threat to public health."),
            pair("Judge Ana Ruiz", "citing")
        );
        assert_eq!(
            first("The ferry stopped running, citing officials at the port."),
            pair("officials", "citing")
        );
    }

    #[test]
    fn a_name_with_appositives_is_the_source_and_its_kind() {
        let got = attributions(
            "Scott Roe, the attorney general of Oklahoma, one of the states suing the EPA, said the rule was unlawful.",
        );
        let (source, kind, _) = got[0].clone().expect("an attribution");
        assert!(source.starts_with("Scott Roe"), "{source}");
        assert_eq!(kind, SourceKind::NamedPerson);
        let got = attributions(
            "Richard Roe, director of the institute at the law school, said the suit was weak.",
        );
        assert_eq!(got[0].as_ref().map(|a| a.1), Some(SourceKind::NamedPerson));
        // A time that opens the sentence is no name.
        let got = attributions(
            "Last week, Ana Ruiz, a spokeswoman for the port, said the crane had failed.",
        );
        let (source, _, _) = got[0].clone().expect("an attribution");
        assert!(source.starts_with("Ana Ruiz"), "{source}");
        // A short parenthetical closes the name, not the clause.
        let got = attributions(
            "Rep. Sam Levin (Mich.), a superdelegate backing the mayor, said he would vote.",
        );
        let (source, kind, _) = got[0].clone().expect("an attribution");
        assert!(source.starts_with("Rep. Sam Levin"), "{source}");
        assert_eq!(kind, SourceKind::NamedPerson);
        // Anonymity told in the appositive still counts.
        let got = attributions(
            "A harbour worker, who asked not to be named, said the crane had failed twice.",
        );
        assert_eq!(got[0].as_ref().map(|a| a.1), Some(SourceKind::Anonymous));
    }

    #[test]
    fn in_a_poll_is_a_source_unless_a_verb_reports() {
        assert_eq!(
            first("In a Harbour Tribune poll last month, Ortiz led by 10 points."),
            pair("a Harbour Tribune poll", "In")
        );
        assert_eq!(
            first("Ortiz leads Lee by six points in the latest county survey."),
            pair("the latest county survey", "in")
        );
        // A reporting verb in the sentence is the cue; the poll is where
        // its subject spoke.
        assert_eq!(
            cues("One in four voters in a Tribune poll said the ferry is too slow."),
            vec!["said".to_string()]
        );
        // "in" must open the phrase the poll ends: no determiner, no cue.
        assert!(cues("Ortiz has gained in poll after poll this year.").is_empty());
        assert!(cues("Lee trails in polls of likely voters.").is_empty());
        assert!(cues("Turnout rose in the county after the poll closed on Monday.").is_empty());
    }

    #[test]
    fn a_free_relative_names_speech_without_attributing_it() {
        for (text, cue) in [
            ("Critics doubt that what the senator said is true.", "said"),
            ("The levy, what voters want, passed.", "want"),
        ] {
            let got = cues(text);
            assert!(!got.iter().any(|c| c == cue), "{text}: {got:?}");
        }
        assert_eq!(
            first("The senator said the levy is fair."),
            pair("The senator", "said")
        );
    }

    #[test]
    fn a_participle_before_its_noun_is_no_cue() {
        // An adjective after a number, a determiner or a possessive.
        for text in [
            "The governor has won 758 pledged delegates so far.",
            "Their stated plans for the pier changed twice.",
            "The mayor's repeated calls for calm went unheeded.",
        ] {
            let got = cues(text);
            assert!(
                !got.iter()
                    .any(|c| c == "pledged" || c == "stated" || c == "repeated"),
                "{text}: {got:?}"
            );
        }
        // The same words as verbs, with their subjects and complements.
        for (text, cue) in [
            ("The governor pledged to cut the levy.", "pledged"),
            ("Mayor Ortiz pledged support for the levy.", "pledged"),
            ("The council repeated that the pier is safe.", "repeated"),
        ] {
            let got = cues(text);
            assert!(got.iter().any(|c| c == cue), "{text}: {got:?}");
        }
    }

    #[test]
    fn every_form_of_a_reporting_verb_is_a_cue() {
        for (text, cue) in [
            ("Mayor Lena Ortiz lauds the new ferry schedule.", "lauds"),
            ("The union decries the cuts to the night buses.", "decries"),
            (
                "Councillor Dana Brook is calling for a recount.",
                "calling for",
            ),
            (
                "The harbour board reaffirms that the pier will reopen.",
                "reaffirms",
            ),
        ] {
            let got = cues(text);
            assert!(got.iter().any(|c| c == cue), "{text}: {got:?}");
        }
    }

    #[test]
    fn a_setting_before_the_source_is_part_of_the_frame() {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let frame = |text: &str| {
            let analysis = analyze(text, &rules);
            let a = analysis.sentences[0]
                .attribution
                .clone()
                .expect("attributed");
            (a.frame().start, a.source)
        };
        // Where and how the senator spoke frames what she said.
        let text = "In an interview on Sunday, Senator Ann Lee said the levy would pass.";
        assert_eq!(frame(text), (0, "Senator Ann Lee".to_string()));
        let text = "Speaking to reporters in the harbour, the mayor said the pier was safe.";
        assert_eq!(frame(text), (0, "the mayor".to_string()));
        // A clause of the author's own, or one with a quotation, is no
        // setting: it says something of its own.
        let text = "The levy passed easily, the mayor said.";
        assert!(frame(text).0 > 0);
        let text = "After the vote, which Ortiz called \u{201c}a farce,\u{201d} the mayor said he would appeal.";
        assert!(frame(text).0 > 0);
        let text = "The ferry will run late because of the storm, the mayor said.";
        assert!(frame(text).0 > 0);
        // A clause that tells when is a setting when what was said follows
        // the cue, and content when the source is set off inside it.
        let text = "When the count ended on Tuesday, Lee said the doors were locked.";
        assert_eq!(frame(text), (0, "Lee".to_string()));
        let text = "When the count ended on Tuesday, Lee said, the doors were locked.";
        assert!(frame(text).0 > 0);
        let text = "The levy is doomed, as the mayor said.";
        assert!(frame(text).0 > 0);
        // A quotation after the comma is what was said.
        let text = "In a statement on Friday, the ministry said, \u{201c}We will appeal.\u{201d}";
        assert_eq!(frame(text), (0, "the ministry".to_string()));
        // A hedge in the setting is the author's; one in the content is the
        // source's.
        let analysis = analyze(
            "In a possibly staged interview, Senator Ann Lee said the levy would pass.",
            &rules,
        );
        let hedges = &analysis.sentences[0].hedges;
        assert!(!hedges.is_empty());
        assert!(
            hedges
                .iter()
                .all(|h| h.voice == crate::analyze::Voice::Author)
        );
    }

    #[test]
    fn a_reporting_verb_without_a_subject_is_listed_but_a_name_or_a_denial_is_not() {
        // An opening participle whose subject the engine does not delimit:
        // the verb still reports.
        let text = "Demanding equality, a group of dock workers marched to the harbour.";
        let (found, voice) = attitudes(text);
        assert!(
            found
                .iter()
                .any(|(c, s, _)| c == "Demanding" && s.is_empty()),
            "{found:?}"
        );
        assert_eq!(voice, crate::analyze::Voice::Author);
        // A thing named, and a speaker denied, are no cues.
        assert!(cues("It is a dance called the harbour reel.").is_empty());
        assert!(
            !cues("The ferry ran late, and nobody had complained about it.")
                .iter()
                .any(|c| c == "complained")
        );
    }

    #[test]
    fn a_cue_word_in_a_compound_or_an_idiom_is_no_cue() {
        assert!(
            cues("Ana Ruiz, who runs a liberal think tank in the port, was not there.").is_empty()
        );
        assert!(cues("The mayor added to her lead in the harbour ward.").is_empty());
        assert!(cues("Turnout was low compared to last year.").is_empty());
        assert!(cues("Lee reported from the harbour until dawn.").is_empty());
        // Right after a quotation they report it.
        assert_eq!(
            cues("\u{201c}We will win,\u{201d} she added to cheers from the crowd."),
            ["added"]
        );
        // The same words report speech elsewhere in the sentence.
        assert_eq!(cues("The mayor added that the pier was safe."), ["added"]);
        assert_eq!(cues("The levy will pass, Lee reported."), ["reported"]);
    }

    #[test]
    fn a_main_clause_before_a_subordinate_source_is_the_authors() {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        // The booing is the author's report; only what follows "said" is
        // the mayor's.
        let text = "The mayor was booed at the pier when she said the ferry was safe.";
        let analysis = analyze(text, &rules);
        let a = analysis.sentences[0]
            .attribution
            .clone()
            .expect("attributed");
        assert_eq!(a.source, "she");
        assert_eq!(a.frame().start, 0);
        // A hedge in the main clause is the author's, one in the content
        // the mayor's.
        let text = "The mayor was reportedly booed when she said the ferry was probably safe.";
        let analysis = analyze(text, &rules);
        let voices: Vec<(&str, crate::analyze::Voice)> = analysis.sentences[0]
            .hedges
            .iter()
            .map(|h| (&text[h.span.start..h.span.end], h.voice))
            .collect();
        assert!(
            voices.contains(&("reportedly", crate::analyze::Voice::Author)),
            "{voices:?}"
        );
        assert!(
            voices.contains(&("probably", crate::analyze::Voice::Attributed)),
            "{voices:?}"
        );
        // Without a subordinator the clause before the source is content.
        let text = "The ferry is safe, the mayor said.";
        let analysis = analyze(text, &rules);
        let a = analysis.sentences[0]
            .attribution
            .clone()
            .expect("attributed");
        assert!(a.frame().start > 0);
    }

    #[test]
    fn whom_a_source_told_is_part_of_the_frame() {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let frame_text = |text: &str| {
            let analysis = analyze(text, &rules);
            let a = analysis.sentences[0]
                .attribution
                .clone()
                .expect("attributed");
            text[a.frame().start..a.frame().end].to_string()
        };
        assert_eq!(
            frame_text("The mayor told The Courier on Tuesday morning that the pier was safe."),
            "The mayor told The Courier on Tuesday morning"
        );
        // Without a "that" in reach, or after a verb that names no
        // addressee, the frame ends at the cue.
        assert_eq!(
            frame_text("The mayor told the crowd to go home."),
            "The mayor told"
        );
        assert_eq!(
            frame_text("The mayor said on Tuesday that the pier was safe."),
            "The mayor said"
        );
        // A cue that names its addressee ("told reporters") takes the time
        // after it; a clause, a comma or a second verb ends the addressee.
        assert_eq!(
            frame_text("Lee told reporters on Tuesday that the levy would fail."),
            "Lee told reporters on Tuesday"
        );
        assert_eq!(
            frame_text("Lee told The Courier the levy would fail, adding that the count was late."),
            "Lee told"
        );
        assert_eq!(
            frame_text("Lee told the crowd the pier was safe and that the ferry would run."),
            "Lee told"
        );
    }

    #[test]
    fn courts_and_slides_are_no_anonymous_sources() {
        let kind = |text: &str| {
            attributions(text)[0]
                .as_ref()
                .map(|(source, kind, _)| (source.clone(), *kind))
        };
        assert_eq!(
            kind("A federal judge found that the levy was lawful."),
            Some(("A federal judge".to_string(), SourceKind::NamedOrg))
        );
        assert_eq!(
            kind("An arbitration panel in 2019 found that the port was in breach."),
            Some((
                "An arbitration panel in 2019".to_string(),
                SourceKind::NamedOrg
            ))
        );
        assert_eq!(
            kind("Six hundred jobs depend on the ferry, one slide says."),
            Some(("one slide".to_string(), SourceKind::Document))
        );
        // A crowd is vague, not anonymous.
        assert_eq!(
            kind("A lot of them said that the port should close."),
            Some(("A lot of them".to_string(), SourceKind::Vague))
        );
        // A spokesman for an unnamed court is still unnamed.
        assert_eq!(
            kind("A court spokesman said the hearing was delayed."),
            Some(("A court spokesman".to_string(), SourceKind::Anonymous))
        );
    }

    #[test]
    fn a_source_after_what_is_the_subject_of_the_free_relative() {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let text =
            "The council voted for a levy as a remedy to what it called \"a slow collapse.\"";
        let analysis = analyze(text, &rules);
        let called = analysis.sentences[0]
            .cues
            .iter()
            .find(|a| a.cue == "called")
            .expect("a cue");
        assert_eq!(called.source, "The council");
    }
}
