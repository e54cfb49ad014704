//! Segmentation: paragraphs, sentences and quotations with spans into the body.
//!
//! [`segment`] splits an article body into paragraphs, sentences and top-level
//! quotations. Every piece is a byte [`Span`] into the original text, so
//! nothing is copied, and each layer is one linear pass. The rules are
//! heuristics tuned for English-language news: they know journalistic
//! abbreviations, initials, decimals, straight and curly quotes, quotations
//! that run over several paragraphs, and the stray fragments of scraped pages.
//! This module does not tokenise words, detect the language, report nested
//! quotations (only the outermost quote is kept), or split scripts that end
//! sentences without a following space (CJK `。`). It never panics: any `&str`,
//! however odd, gives a well-formed [`Document`]. Reports turn byte offsets
//! into the char offsets a reader sees with [`CharOffsets`].

mod chars;
mod offsets;
mod paragraphs;
mod quotes;
mod sentences;
mod words;

#[cfg(test)]
mod tests;

pub use offsets::CharOffsets;
pub use sentences::{
    NUMBER_PREFIXES, SENTENCE_FINAL_ABBREVIATIONS, SENTENCE_OPENERS, SPEECH_VERBS, TITLES,
};
pub use words::{Words, count_words, words};

/// A byte range into the article body. Half-open; both ends on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes (0 for an inverted span).
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when `start <= byte < end`.
    pub fn contains(&self, byte: usize) -> bool {
        self.start <= byte && byte < self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies within `self`.
    pub fn covers(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A paragraph, trimmed of surrounding whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paragraph {
    pub span: Span,
}

/// A sentence, trimmed of surrounding whitespace.
/// `paragraph` is the index into Document::paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
}

/// A quotation. `span` includes the quote marks, `inner` is between them.
/// `closed` is false when the quote was never closed (ran to the end of the text or was cut off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quote {
    pub span: Span,
    pub inner: Span,
    pub closed: bool,
}

/// A segmented article body: paragraphs, sentences and quotes, each sorted by start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub body: &'a str,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quote>,
}

/// Splits `body` into paragraphs, sentences and top-level quotations.
pub fn segment(body: &str) -> Document<'_> {
    let paragraphs = paragraphs::split(body);
    // News sentences average well over 80 bytes; the guess only saves regrowth.
    let mut sentences = Vec::with_capacity(body.len() / 80 + paragraphs.len());
    for (index, paragraph) in paragraphs.iter().enumerate() {
        sentences::split(body, paragraph.span, index, &mut sentences);
    }
    let quotes = quotes::find(body, &paragraphs);
    Document {
        body,
        paragraphs,
        sentences,
        quotes,
    }
}

/// Longest sentence analyzed in one piece, in characters, unless the caller
/// says otherwise (`--max-sentence-chars`). Real sentences are far shorter;
/// longer ones are text the segmenter could not split (a list, a transcript
/// without punctuation), and analysis time grows with a sentence's length.
pub const DEFAULT_MAX_SENTENCE_CHARS: usize = 2_000;

/// Like [`segment`], but a sentence longer than `max_chars` characters is cut
/// into pieces of about `max_chars` characters, each cut at the last
/// whitespace before the limit (or at the limit when a piece has none). A cut
/// never falls inside one of the `keep` spans (the caller's matched terms and
/// figures, sorted by start): such a cut moves before the span, or, when the
/// span starts the piece, after it. The pieces are sentences of their own:
/// they stay in order, never overlap, and cover the sentence but for the
/// whitespace at the cuts. `max_chars` of 0 means no limit.
pub fn segment_bounded<'a>(body: &'a str, max_chars: usize, keep: &[Span]) -> Document<'a> {
    let mut doc = segment(body);
    if max_chars == 0 {
        return doc;
    }
    // Bytes are an upper bound on chars: most sentences are checked in O(1).
    if doc.sentences.iter().all(|s| s.span.len() <= max_chars) {
        return doc;
    }
    let mut sentences = Vec::with_capacity(doc.sentences.len());
    for sentence in &doc.sentences {
        cut_sentence(body, *sentence, max_chars, keep, &mut sentences);
    }
    doc.sentences = sentences;
    doc
}

/// Pushes `sentence`, cut into pieces of about `max_chars` characters.
fn cut_sentence(
    body: &str,
    sentence: Sentence,
    max_chars: usize,
    keep: &[Span],
    out: &mut Vec<Sentence>,
) {
    let mut start = sentence.span.start;
    let end = sentence.span.end;
    let lo = keep.partition_point(|k| k.start < start);
    let hi = keep.partition_point(|k| k.start < end);
    let kept = &keep[lo..hi.max(lo)];
    let piece = |start: usize, end: usize| Sentence {
        span: Span::new(start, end),
        paragraph: sentence.paragraph,
    };
    loop {
        let rest = &body[start..end];
        // The byte offset just past the first `max_chars` chars, if the rest is longer.
        let Some((limit, _)) = rest.char_indices().nth(max_chars) else {
            out.push(piece(start, end));
            return;
        };
        let head = &rest[..limit];
        // After the last non-space text before a whitespace, else at the limit.
        let mut cut = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, _)| start + head[..i].trim_end().len())
            .filter(|&n| n > start)
            .unwrap_or(start + limit);
        // Never inside a kept span: before it if the piece keeps some text,
        // else after it. Kept spans may overlap, so look again after a move.
        for _ in 0..8 {
            let Some(k) = kept.iter().find(|k| k.start < cut && cut < k.end) else {
                break;
            };
            let before = body[start..k.start.max(start)].trim_end().len();
            cut = if before > 0 { start + before } else { k.end };
        }
        let cut = cut.min(end);
        out.push(piece(start, cut));
        let tail = &body[cut..end];
        start = cut + (tail.len() - tail.trim_start().len());
        if start >= end {
            return;
        }
    }
}

impl<'a> Document<'a> {
    /// The text of `span`, or "" when the span is not a valid range of the body.
    pub fn text(&self, span: Span) -> &'a str {
        self.body.get(span.start..span.end).unwrap_or("")
    }

    /// Index of the sentence containing `byte`, if any (whitespace between sentences has none).
    pub fn sentence_at(&self, byte: usize) -> Option<usize> {
        let after = self.sentences.partition_point(|s| s.span.start <= byte);
        let index = after.checked_sub(1)?;
        self.sentences[index].span.contains(byte).then_some(index)
    }

    /// Index of the quote whose `inner` contains `byte`, if any.
    pub fn quote_at(&self, byte: usize) -> Option<usize> {
        // Top-level quotes never overlap, so only the last one starting at or
        // before `byte` can contain it.
        let after = self.quotes.partition_point(|q| q.span.start <= byte);
        let index = after.checked_sub(1)?;
        self.quotes[index].inner.contains(byte).then_some(index)
    }

    /// True when `span` lies inside some quote's inner span.
    pub fn in_quote(&self, span: Span) -> bool {
        let after = self.quotes.partition_point(|q| q.span.start <= span.start);
        after
            .checked_sub(1)
            .is_some_and(|index| self.quotes[index].inner.covers(span))
    }

    /// Fraction (0..=1) of the sentence's non-whitespace chars that lie inside
    /// quotes, marks included; 0 for an unknown index or an empty sentence.
    pub fn quoted_share(&self, sentence: usize) -> f32 {
        let Some(sentence) = self.sentences.get(sentence) else {
            return 0.0;
        };
        let start = sentence.span.start;
        // Quotes are sorted and disjoint, so their ends are sorted too: walk
        // them alongside the sentence's chars.
        let mut next = self.quotes.partition_point(|q| q.span.end <= start);
        // Most sentences touch no quote, and some lie wholly inside one.
        match self.quotes.get(next) {
            None => return 0.0,
            Some(q) if q.span.start >= sentence.span.end => return 0.0,
            Some(q) if q.span.covers(sentence.span) => {
                let any = self.text(sentence.span).chars().any(|c| !c.is_whitespace());
                return if any { 1.0 } else { 0.0 };
            }
            Some(_) => {}
        }
        let (mut total, mut inside) = (0usize, 0usize);
        for (offset, c) in self.text(sentence.span).char_indices() {
            if c.is_whitespace() {
                continue;
            }
            total += 1;
            let byte = start + offset;
            while next < self.quotes.len() && self.quotes[next].span.end <= byte {
                next += 1;
            }
            if self.quotes.get(next).is_some_and(|q| q.span.contains(byte)) {
                inside += 1;
            }
        }
        if total == 0 {
            0.0
        } else {
            inside as f32 / total as f32
        }
    }

    /// A byte-to-char offset converter for this body.
    pub fn char_offsets(&self) -> CharOffsets<'a> {
        CharOffsets::new(self.body)
    }
}
