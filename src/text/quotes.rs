//! Quotation finding.
//!
//! Reports top-level quotations only, in order and never overlapping. Double
//! quotes come in every style news copy uses (`"…"`, `“…”`, `„…“`, `«…»`);
//! whether a mark opens or closes is read from its neighbours (space or
//! bracket before: opening; punctuation or space after: closing) and, when
//! that is ambiguous, from whether a quote is open, so unbalanced straight
//! quotes recover at the next clearly opening mark. Single curly quotes
//! `‘…’` count only at top level when clearly quotation: `‘` after a space and
//! before text, closed by a `’` that is not inside a word, so apostrophes
//! (`don’t`, `the officials’`) never open or close anything. Quotes inside a
//! double quote are not tracked. A quote open at the end of a paragraph
//! continues when the next paragraph starts with an opening mark (the
//! journalistic convention for long quotes), else it is cut at the paragraph
//! end with `closed = false`. This module does not attribute quotes to
//! speakers.

use super::chars::{char_at, char_before, is_dash, is_opening_bracket, trim_end};
use super::{Paragraph, Quote, Span};

/// Byte length of `‘` and `’` (U+2018, U+2019).
const SINGLE_LEN: usize = 3;

/// Which kind of mark opened a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

/// A quote whose closing mark has not been seen yet.
#[derive(Debug, Clone, Copy)]
struct Open {
    start: usize,
    inner_start: usize,
    family: Family,
}

impl Open {
    /// The quote closed by the mark at `mark..mark_end`.
    fn closed(self, mark: usize, mark_end: usize) -> Quote {
        Quote {
            span: Span::new(self.start, mark_end),
            inner: Span::new(self.inner_start, mark),
            closed: true,
        }
    }

    /// The quote cut off at `end`, never closed.
    fn cut(self, end: usize) -> Quote {
        let end = end.max(self.inner_start);
        Quote {
            span: Span::new(self.start, end),
            inner: Span::new(self.inner_start, end),
            closed: false,
        }
    }
}

/// What a double quote mark looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Opening,
    Closing,
    Either,
}

/// What a double quote mark does in its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
}

/// The top-level quotations of `body`, given its paragraphs.
pub(super) fn find(body: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
    let bytes = body.as_bytes();
    let mut quotes = Vec::new();
    let mut open: Option<Open> = None;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let (start, end) = (paragraph.span.start, paragraph.span.end.min(bytes.len()));
        let mut i = start;
        if let Some(quote) = open {
            // A continued quote: the mark opening this paragraph is part of it.
            i = start + char_at(body, start).map_or(0, char::len_utf8);
            if quote.family == Family::Single {
                match single_closer(body, start, i, end) {
                    Some(close) => {
                        quotes.push(quote.closed(close, close + SINGLE_LEN));
                        open = None;
                        i = close + SINGLE_LEN;
                    }
                    None => i = end,
                }
            }
        }
        while i < end {
            let Some(offset) = memchr::memchr3(b'"', 0xE2, 0xC2, &bytes[i..end]) else {
                break;
            };
            let at = i + offset;
            let Some(c) = char_at(body, at) else {
                i = at + 1;
                continue;
            };
            i = at + c.len_utf8();
            let prev = if at > start {
                char_before(body, at)
            } else {
                None
            };
            let next = if i < end { char_at(body, i) } else { None };
            if let Some(shape) = double_shape(c) {
                match role(shape, prev, next, open.is_some()) {
                    Role::Open => {
                        // An opening mark inside an open quote means the
                        // earlier one was never closed: cut it before this mark.
                        if let Some(quote) = open.take() {
                            quotes.push(quote.cut(trim_end(body, quote.inner_start, at)));
                        }
                        open = Some(Open {
                            start: at,
                            inner_start: i,
                            family: Family::Double,
                        });
                    }
                    Role::Close => {
                        if let Some(quote) = open.take() {
                            quotes.push(quote.closed(at, i));
                        }
                    }
                }
            } else if c == '‘' && open.is_none() && opens_single(body, prev, next, i) {
                match single_closer(body, start, i, end) {
                    Some(close) => {
                        let quote = Open {
                            start: at,
                            inner_start: i,
                            family: Family::Single,
                        };
                        quotes.push(quote.closed(close, close + SINGLE_LEN));
                        i = close + SINGLE_LEN;
                    }
                    // An unmatched `‘` opening a paragraph is a long quote
                    // that may continue in the next paragraph.
                    None if at == start => {
                        open = Some(Open {
                            start: at,
                            inner_start: i,
                            family: Family::Single,
                        });
                        i = end;
                    }
                    None => {}
                }
            }
        }
        if let Some(quote) = open.take() {
            if continues(body, quote.family, paragraphs.get(index + 1)) {
                open = Some(quote);
            } else {
                quotes.push(quote.cut(end));
            }
        }
    }
    // Unreachable (`continues` needs a next paragraph); kept so no quote is lost.
    if let Some(quote) = open {
        quotes.push(quote.cut(paragraphs.last().map_or(body.len(), |p| p.span.end)));
    }
    quotes
}

/// The shape of a double quote mark, or `None` for any other char.
fn double_shape(c: char) -> Option<Shape> {
    match c {
        '“' | '„' | '«' => Some(Shape::Opening),
        '”' | '»' => Some(Shape::Closing),
        '"' => Some(Shape::Either),
        _ => None,
    }
}

/// Whether a double mark opens or closes, from its shape, its neighbours and
/// whether a quote is open. Marks of the wrong shape for their context are
/// read by context, since scraped text mixes styles (`”We are ready,” he said`).
fn role(shape: Shape, prev: Option<char>, next: Option<char>, is_open: bool) -> Role {
    let after_gap = prev.is_none_or(opening_context);
    let before_gap = next.is_none_or(closing_context);
    let context = match (after_gap, before_gap) {
        (true, false) => Some(Role::Open),
        (false, true) => Some(Role::Close),
        // Spaces on both sides or none: only the state can tell.
        _ => None,
    };
    let toggle = if is_open { Role::Close } else { Role::Open };
    match shape {
        Shape::Opening if is_open && context == Some(Role::Close) => Role::Close,
        Shape::Opening => Role::Open,
        Shape::Closing if !is_open && context == Some(Role::Open) => Role::Open,
        Shape::Closing => Role::Close,
        Shape::Either => context.unwrap_or(toggle),
    }
}

/// Chars after which a quote mark opens a quote.
fn opening_context(c: char) -> bool {
    c.is_whitespace() || is_opening_bracket(c) || is_dash(c) || matches!(c, '“' | '‘' | '«' | '„')
}

/// Chars before which a quote mark closes a quote.
fn closing_context(c: char) -> bool {
    c.is_whitespace()
        || is_dash(c)
        || matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '…' | ')' | ']' | '}' | '”' | '’' | '»' | '\''
        )
}

/// True when a `‘` between `prev` and `next` opens a quotation: after a
/// space, bracket, dash or double mark, and before text that is not a
/// decade (`‘90s`).
fn opens_single(body: &str, prev: Option<char>, next: Option<char>, after: usize) -> bool {
    let after_gap = prev.is_none_or(|c| opening_context(c) || matches!(c, '"'));
    let Some(next) = next else {
        return false;
    };
    let decade = body
        .as_bytes()
        .get(after..after + 3)
        .is_some_and(|b| b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b's');
    after_gap && !next.is_whitespace() && !decade
}

/// The `’` closing a single quote whose text starts at `from`, searching up
/// to the next opening `‘` or `end`. A `’` inside a word is an apostrophe;
/// one after `s` and before a space (`the officials’ plan`) is probably a
/// possessive, so it is taken only when no clearer closer exists.
fn single_closer(body: &str, paragraph_start: usize, from: usize, end: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut possessive = None;
    let mut i = from;
    while i < end {
        let Some(offset) = bytes
            .get(i..end)
            .and_then(|rest| memchr::memchr(0xE2, rest))
        else {
            break;
        };
        let at = i + offset;
        i = at + 1;
        if bytes.get(at + 1) != Some(&0x80) {
            continue;
        }
        let mark_end = at + SINGLE_LEN;
        let prev = if at > paragraph_start {
            char_before(body, at)
        } else {
            None
        };
        let next = if mark_end < end {
            char_at(body, mark_end)
        } else {
            None
        };
        match bytes.get(at + 2) {
            Some(0x98) if opens_single(body, prev, next, mark_end) => break,
            Some(0x99) => {
                if prev.is_none_or(char::is_whitespace) || next.is_some_and(char::is_alphabetic) {
                    continue;
                }
                let plural_possessive =
                    matches!(prev, Some('s' | 'S')) && next.is_some_and(char::is_whitespace);
                if !plural_possessive {
                    return Some(at);
                }
                possessive.get_or_insert(at);
            }
            _ => {}
        }
    }
    possessive
}

/// True when `next` starts with an opening mark of `family`, continuing a quote.
fn continues(body: &str, family: Family, next: Option<&Paragraph>) -> bool {
    let Some(c) = next.and_then(|p| char_at(body, p.span.start)) else {
        return false;
    };
    match family {
        Family::Double => matches!(c, '"' | '“' | '„' | '«'),
        Family::Single => c == '‘',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_context() {
        assert_eq!(role(Shape::Either, None, Some('W'), false), Role::Open);
        assert_eq!(role(Shape::Either, Some(','), Some(' '), true), Role::Close);
        assert_eq!(role(Shape::Either, Some(' '), Some('W'), true), Role::Open);
        assert_eq!(role(Shape::Either, Some(' '), Some(' '), true), Role::Close);
        assert_eq!(role(Shape::Either, Some(':'), Some('W'), false), Role::Open);
        assert_eq!(role(Shape::Closing, None, Some('W'), false), Role::Open);
        assert_eq!(
            role(Shape::Opening, Some('s'), Some(','), true),
            Role::Close
        );
    }

    #[test]
    fn single_closers_skip_apostrophes() {
        let text = "‘We don’t know the officials’ plan,’ he said";
        let close = single_closer(text, 0, 3, text.len());
        assert_eq!(close, text.find(",’").map(|i| i + 1));
        let text = "‘The experts’ view";
        assert_eq!(single_closer(text, 0, 3, text.len()), text.find("’ "));
        assert_eq!(single_closer("‘nothing here", 0, 3, 15), None);
    }
}
