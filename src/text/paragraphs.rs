//! Paragraph splitting.
//!
//! When the body holds a blank line between two non-blank ones, blank lines
//! separate paragraphs and single line breaks inside a paragraph are soft
//! wraps; otherwise every non-empty line is a paragraph. Line breaks are `\n`,
//! `\r\n`, a lone `\r` and U+2028; U+2029 (paragraph separator) always ends a
//! paragraph. Blank lines before the first or after the last text line do not
//! count: scraped bodies often end in `\n\n` without being blank-line
//! formatted. This module knows nothing about sentences or quotes.

use super::{Paragraph, Span};

/// The paragraphs of `body`, in order, each trimmed of whitespace.
pub(super) fn split(body: &str) -> Vec<Paragraph> {
    let blank_separated = has_inner_blank_line(body);
    let mut paragraphs = Vec::new();
    let mut current: Option<Span> = None;
    for line in Lines::new(body) {
        match content(body, &line) {
            Some(span) if blank_separated => {
                current = Some(current.map_or(span, |c| Span::new(c.start, span.end)));
            }
            Some(span) => paragraphs.push(Paragraph { span }),
            None => {
                if let Some(span) = current.take() {
                    paragraphs.push(Paragraph { span });
                }
            }
        }
        if line.hard
            && let Some(span) = current.take()
        {
            paragraphs.push(Paragraph { span });
        }
    }
    if let Some(span) = current {
        paragraphs.push(Paragraph { span });
    }
    paragraphs
}

/// True when a blank line (or U+2029) separates two lines that hold text.
fn has_inner_blank_line(body: &str) -> bool {
    let (mut seen_text, mut gap) = (false, false);
    for line in Lines::new(body) {
        if content(body, &line).is_some() {
            if gap {
                return true;
            }
            seen_text = true;
        } else if seen_text {
            gap = true;
        }
        if line.hard && seen_text {
            gap = true;
        }
    }
    false
}

/// The trimmed text of a line, or `None` for a blank line.
fn content(body: &str, line: &Line) -> Option<Span> {
    let text = body.get(line.start..line.end)?;
    let trimmed = text.trim_start();
    let start = line.start + (text.len() - trimmed.len());
    let trimmed = trimmed.trim_end();
    (!trimmed.is_empty()).then(|| Span::new(start, start + trimmed.len()))
}

/// One physical line: `start..end` excludes the terminator; `hard` when the
/// terminator is U+2029.
struct Line {
    start: usize,
    end: usize,
    hard: bool,
}

/// Iterator over the lines of a text, always yielding at least one line.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            bytes: text.as_bytes(),
            pos: 0,
            done: false,
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.done {
            return None;
        }
        let bytes = self.bytes;
        let start = self.pos;
        let mut from = start;
        // 0xE2 leads U+2028/U+2029; it also leads curly quotes and dashes,
        // which are skipped after a three-byte check.
        while let Some(offset) = memchr::memchr3(b'\n', b'\r', 0xE2, bytes.get(from..)?) {
            let at = from + offset;
            let (next, hard) = match bytes[at] {
                b'\n' => (at + 1, false),
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => (at + 2, false),
                b'\r' => (at + 1, false),
                _ => match (bytes.get(at + 1), bytes.get(at + 2)) {
                    (Some(0x80), Some(0xA8)) => (at + 3, false),
                    (Some(0x80), Some(0xA9)) => (at + 3, true),
                    _ => {
                        from = at + 1;
                        continue;
                    }
                },
            };
            self.pos = next;
            return Some(Line {
                start,
                end: at,
                hard,
            });
        }
        self.done = true;
        Some(Line {
            start,
            end: bytes.len(),
            hard: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        split(body)
            .iter()
            .map(|p| &body[p.span.start..p.span.end])
            .collect()
    }

    #[test]
    fn blank_lines_separate_and_single_newlines_wrap() {
        let body = "First line\nwraps here.\n\n  Second para.  \n \t\nThird.";
        assert_eq!(
            texts(body),
            ["First line\nwraps here.", "Second para.", "Third."]
        );
    }

    #[test]
    fn without_blank_lines_every_line_is_a_paragraph() {
        assert_eq!(texts("One.\nTwo.\n  Three.\n"), ["One.", "Two.", "Three."]);
    }

    #[test]
    fn outer_blank_lines_do_not_switch_mode() {
        assert_eq!(texts("\n\nOne.\nTwo.\n\n\n"), ["One.", "Two."]);
    }

    #[test]
    fn crlf_and_lone_cr() {
        assert_eq!(texts("A b.\r\nC d.\r\n"), ["A b.", "C d."]);
        assert_eq!(texts("A b.\r\nc d.\r\n\r\nE."), ["A b.\r\nc d.", "E."]);
        assert_eq!(texts("A.\rB."), ["A.", "B."]);
    }

    #[test]
    fn unicode_separators() {
        assert_eq!(texts("A\u{2028}b.\u{2029}C."), ["A\u{2028}b.", "C."]);
    }

    #[test]
    fn empty_and_blank_bodies() {
        assert!(split("").is_empty());
        assert!(split(" \n\r\n\t ").is_empty());
    }
}
