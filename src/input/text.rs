//! Text reader: one `.txt` or `.md` file is one article.
//!
//! Saved articles usually open with a title line, then a few header lines
//! (byline, date, URL), then a blank line and the body. When the file starts
//! that way the header fills the title, author, published and url fields;
//! when it does not (no blank line, a long first paragraph, or a line before
//! the blank that is not a byline, date or URL) the title stays empty and the
//! whole text is the body, so that nothing is ever dropped. The body is kept
//! byte for byte from its first non-blank character, line endings included.
//!
//! This module does not normalise dates or names, strip Markdown from the
//! body, or guess a title from the body.

use std::io::Read;
use std::sync::LazyLock;

use regex::Regex;

use super::fields::{Field, FieldValues};
use super::lines::BOM;
use super::{Ctx, Record};

/// A first line longer than this is a paragraph, not a title.
const MAX_TITLE_CHARS: usize = 300;

/// A byline longer than this is a sentence that starts with "By".
const MAX_BYLINE_CHARS: usize = 150;

/// Reads one whole text from `reader` and turns it into an article.
pub(super) fn read<R: Read>(reader: R, ctx: &Ctx) -> Record {
    let mut bytes = Vec::new();
    let limit = ctx.record_limit();
    let take = (limit as u64).saturating_add(1);
    if let Err(e) = reader.take(take).read_to_end(&mut bytes) {
        return Err(ctx.error("", &ctx.stem, format!("cannot read: {e}")));
    }
    if bytes.len() > limit {
        return Err(ctx.error("", &ctx.stem, ctx.too_long("file", limit)));
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(reason) => return Err(ctx.error("", &ctx.stem, reason)),
    };
    let layout = split_layout(&text);
    let mut values = FieldValues::default();
    values[Field::Title.index()] = layout.title;
    values[Field::Author.index()] = layout.author;
    values[Field::Published.index()] = layout.published;
    values[Field::Url.index()] = layout.url;
    values[Field::Body.index()] = layout.body.to_owned();
    ctx.article(values, None, "")
}

/// The text of a file: UTF-8 (a byte-order mark is dropped), or UTF-16 with
/// a byte-order mark, as Windows editors save it.
fn decode(mut bytes: Vec<u8>) -> Result<String, String> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units = bytes[2..].chunks(2).map(|pair| match pair {
            [a, b] => unit([*a, *b]),
            // An odd trailing byte cannot be UTF-16; make it fail below.
            _ => 0xD800,
        });
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| "not valid UTF-16; re-save the file as UTF-8".to_owned());
    }
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (bad byte at offset {}); re-save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A text split into header fields and body.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout<'a> {
    pub(crate) title: String,
    pub(crate) author: String,
    pub(crate) published: String,
    pub(crate) url: String,
    /// From the first non-blank character of the body to the end.
    pub(crate) body: &'a str,
}

/// Splits a saved article into title, header fields and body; see the module
/// documentation for the layout.
pub(crate) fn split_layout(text: &str) -> Layout<'_> {
    let whole = Layout {
        body: text.trim_start(),
        ..Layout::default()
    };
    let mut lines = Lines { text, pos: 0 };
    let Some(title_line) = lines.by_ref().find(|line| !line.trim().is_empty()) else {
        return whole;
    };
    // A headline is not a sentence: a first line ending in a full stop
    // ("..., the mayor said.") is the lead paragraph.
    let ends_sentence = title_line
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')'])
        .ends_with('.');
    if title_line.chars().count() > MAX_TITLE_CHARS || ends_sentence {
        return whole;
    }
    let title = clean_title(title_line);
    if title.is_empty() {
        return whole;
    }
    let mut header = Header {
        title: title.to_owned(),
        ..Header::default()
    };
    let mut first = true;
    loop {
        // No blank line at all: one paragraph, all body.
        let Some(line) = lines.next() else {
            return whole;
        };
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        let underline = first && is_setext_underline(line);
        first = false;
        if !underline && !header.absorb(line) {
            return whole;
        }
    }
    let body = text[lines.pos..].trim_start();
    Layout {
        title: header.title,
        author: header.author,
        published: header.published,
        url: header.url,
        body,
    }
}

/// Lines of a text without their `\n` or `\r\n`; `pos` is where the next
/// line starts.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let (line, advance) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Header fields gathered so far.
#[derive(Debug, Default)]
struct Header {
    title: String,
    author: String,
    published: String,
    /// The published value came from an "Updated" line, so a plain or
    /// "Published" date seen later is better.
    published_is_update: bool,
    url: String,
}

impl Header {
    /// Takes what a header line says; false if the line is not a header
    /// line. A line may hold several parts separated by `|`, `·` or `•`
    /// (`By Jane Doe | March 3, 2024`); parts that are none of byline, date
    /// or URL (a section name) are ignored as long as one part is.
    fn absorb(&mut self, line: &str) -> bool {
        let mut known = false;
        for part in line.split(['|', '·', '•']) {
            let part = strip_emphasis(part.trim());
            if part.is_empty() {
                continue;
            }
            if let Some(author) = byline(part) {
                if self.author.is_empty() {
                    self.author = author;
                }
            } else if let Some((date, is_update)) = date_line(part) {
                if self.published.is_empty() || (self.published_is_update && !is_update) {
                    self.published = date.to_owned();
                    self.published_is_update = is_update;
                }
            } else if let Some(url) = url_line(part) {
                if self.url.is_empty() {
                    self.url = url.to_owned();
                }
            } else {
                continue;
            }
            known = true;
        }
        known
    }
}

/// The title without Markdown heading marks or emphasis.
fn clean_title(line: &str) -> &str {
    let line = line.trim();
    let line = match line.strip_prefix('#') {
        Some(rest) => {
            let rest = rest.trim_start_matches('#').trim();
            // A closing `##` run is decoration, but `C#` is a word.
            let stripped = rest.trim_end_matches('#');
            if stripped.len() < rest.len() && (stripped.is_empty() || stripped.ends_with(' ')) {
                stripped.trim_end()
            } else {
                rest
            }
        }
        None => line,
    };
    strip_emphasis(line)
}

/// `===` or `---` under a title (a Markdown setext heading).
fn is_setext_underline(line: &str) -> bool {
    line.len() >= 2 && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

/// `s` without one pair of surrounding `**`, `__`, `*` or `_`.
fn strip_emphasis(s: &str) -> &str {
    for mark in ["**", "__", "*", "_"] {
        if s.len() > 2 * mark.len()
            && let Some(inner) = s.strip_prefix(mark).and_then(|r| r.strip_suffix(mark))
        {
            return inner.trim();
        }
    }
    s
}

/// Compiles one of this module's fixed patterns.
// The patterns are constants covered by tests, so failure is a bug here,
// never a property of the input.
#[allow(clippy::expect_used)]
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("text header patterns are valid")
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^(?:(?P<by>(?:(?:written|reported|story)\s+)?by)\s+|(?:authors?|byline|written\s+by)\s*:\s*)(?P<name>.+)$",
    )
});

static MARKDOWN_LINK: LazyLock<Regex> = LazyLock::new(|| pattern(r"\[([^\]]*)\]\([^)]*\)"));

/// The author named by a byline (`By Jane Doe`, `Author: Jane Doe`).
fn byline(part: &str) -> Option<String> {
    let caps = BYLINE.captures(part)?;
    let name = caps.name("name")?.as_str().trim();
    let name = MARKDOWN_LINK.replace_all(name, "$1");
    let name = name.trim();
    // After a bare "By", a name starts with a capital: "By 2030, ..." and
    // "By the time ..." are sentences.
    let bare = caps.name("by").is_some();
    let starts_ok = !bare || name.chars().next().is_some_and(char::is_uppercase);
    (starts_ok && !name.is_empty() && name.chars().count() <= MAX_BYLINE_CHARS)
        .then(|| name.to_owned())
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
    let weekday = r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?,?\s+";
    let day = r"\d{1,2}(?:st|nd|rd|th)?";
    let date = format!(
        r"(?:{month}\s+{day},?\s+\d{{4}}|{day}\s+(?:of\s+)?{month},?\s+\d{{4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T\s]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?|\d{{4}}/\d{{1,2}}/\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)"
    );
    let time = r"(?:[\s,]+(?:at\s+|@\s*|[-–—]\s*)?\d{1,2}(?:[:.]\d{2}){1,2}(?:\s*[ap]\.?\s?m\.?)?|[\s,]+(?:at\s+)?\d{1,2}\s*[ap]\.?\s?m\.?)?";
    let zone = r"(?:\s*\(?(?-i:[A-Z]{2,5})(?:[+-]\d{1,2}(?::?\d{2})?)?\)?|\s*[+-]\d{2}:?\d{2})?";
    let label = r"(?P<label>(?:first\s+|last\s+|originally\s+)?(?:published|updated|posted|modified|date|dated)(?:\s+(?:on|at))?\s*:?\s*)";
    pattern(&format!(
        r"(?i)^{label}?(?P<value>(?:{weekday})?{date}{time}{zone})\s*\.?$"
    ))
});

/// The date a date line gives (`March 3, 2024`, `Updated: 2024-03-03 10:00`),
/// without its label, and whether it is an update time.
fn date_line(part: &str) -> Option<(&str, bool)> {
    let caps = DATE_LINE.captures(part)?;
    let value = caps.name("value")?.as_str().trim();
    let is_update = caps
        .name("label")
        .is_some_and(|l| l.as_str().to_ascii_lowercase().contains("updated"));
    Some((value, is_update))
}

static URL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^(?:(?:source|url|link|original(?:\s+(?:url|article))?|canonical(?:\s+url)?|originally\s+published\s+(?:at|on)|read\s+(?:more\s+|it\s+)?(?:at|online))\s*:?\s*)?<?(?P<url>https?://[^\s<>]+)>?$",
    )
});

/// The URL a URL line gives (`https://...`, `Source: https://...`).
fn url_line(part: &str) -> Option<&str> {
    URL_LINE
        .captures(part)
        .and_then(|caps| caps.name("url"))
        .map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_bylines() {
        assert_eq!(byline("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            byline("By Jane Doe and John Roe, Reuters").as_deref(),
            Some("Jane Doe and John Roe, Reuters")
        );
        assert_eq!(byline("BY JANE DOE").as_deref(), Some("JANE DOE"));
        assert_eq!(byline("Author: jdoe").as_deref(), Some("jdoe"));
        assert_eq!(byline("Written by Ann Lee").as_deref(), Some("Ann Lee"));
        assert_eq!(
            byline("By [Jane Doe](https://example.com/jane)").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(byline("By 2030, emissions will fall"), None);
        assert_eq!(byline("By the time we arrived"), None);
        assert_eq!(byline("Bylines are hard"), None);
    }

    #[test]
    fn recognises_dates() {
        let date = |s| date_line(s).map(|(d, _)| d);
        assert_eq!(date("March 3, 2024"), Some("March 3, 2024"));
        assert_eq!(date("Mar. 3, 2024"), Some("Mar. 3, 2024"));
        assert_eq!(date("2024-03-03"), Some("2024-03-03"));
        assert_eq!(date("2024-03-03T10:00:00Z"), Some("2024-03-03T10:00:00Z"));
        assert_eq!(
            date("Published 3 March 2024 10:00 GMT"),
            Some("3 March 2024 10:00 GMT")
        );
        assert_eq!(
            date("Updated: March 4, 2024 at 5:12 p.m. ET"),
            Some("March 4, 2024 at 5:12 p.m. ET")
        );
        assert_eq!(date("Sunday, March 3, 2024"), Some("Sunday, March 3, 2024"));
        assert_eq!(date("Posted on 03/03/2024"), Some("03/03/2024"));
        assert_eq!(date("3rd of March, 2024."), Some("3rd of March, 2024"));
        assert_eq!(
            date_line("Updated 2 hours ago"),
            Some(("2 hours ago", true))
        );
        assert_eq!(date("March 3, 2024 was a cold day"), None);
        assert_eq!(date("Published by the council"), None);
        assert_eq!(date("In March 2024"), None);
    }

    #[test]
    fn recognises_urls() {
        assert_eq!(
            url_line("https://example.com/a"),
            Some("https://example.com/a")
        );
        assert_eq!(
            url_line("Source: https://example.com/a"),
            Some("https://example.com/a")
        );
        assert_eq!(
            url_line("<http://example.com/a>"),
            Some("http://example.com/a")
        );
        assert_eq!(url_line("see https://example.com/a"), None);
        assert_eq!(url_line("ftp://example.com/a"), None);
    }

    #[test]
    fn cleans_titles() {
        assert_eq!(clean_title("# Big News"), "Big News");
        assert_eq!(clean_title("## Big News ##"), "Big News");
        assert_eq!(clean_title("# Why C#"), "Why C#");
        assert_eq!(clean_title("**Bold Title**"), "Bold Title");
        assert_eq!(clean_title("  Plain  "), "Plain");
    }

    #[test]
    fn splits_header_parts_and_prefers_published_over_updated() {
        let text = "Title\nBy Jane Doe | Politics | Updated March 4, 2024\nPublished March 3, 2024\n\nBody.";
        let layout = split_layout(text);
        assert_eq!(layout.title, "Title");
        assert_eq!(layout.author, "Jane Doe");
        assert_eq!(layout.published, "March 3, 2024");
        assert_eq!(layout.body, "Body.");
    }

    #[test]
    fn unknown_header_line_means_no_header() {
        let text = "A short first line\nthat wraps onto a second\n\nMore text.";
        let layout = split_layout(text);
        assert_eq!(layout.title, "");
        assert_eq!(layout.body, text);
    }

    #[test]
    fn a_lead_paragraph_ending_in_a_full_stop_is_not_a_title() {
        for text in [
            "The pier closed on Monday, Mayor Lena Ortiz said.\n\nRepairs begin soon.",
            "\u{201c}We will rebuild,\u{201d} the mayor said.\u{201d}\n\nRepairs begin soon.",
        ] {
            let layout = split_layout(text);
            assert_eq!(layout.title, "", "{text}");
            assert_eq!(layout.body, text);
        }
        // A question is still a headline.
        assert_eq!(
            split_layout("Is the pier safe?\n\nBody.").title,
            "Is the pier safe?"
        );
    }

    #[test]
    fn title_only_header_and_leading_blank_lines() {
        let layout = split_layout("\n\n  Title  \n\n\n   Body starts.\n");
        assert_eq!(layout.title, "Title");
        assert_eq!(layout.body, "Body starts.\n");
        assert_eq!(split_layout("").body, "");
        assert_eq!(split_layout("#\n\nBody").body, "#\n\nBody");
    }

    #[test]
    fn decodes_utf8_bom_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()), Ok("hi".to_owned()));
        assert_eq!(decode(b"\xFF\xFEh\0i\0".to_vec()), Ok("hi".to_owned()));
        assert_eq!(decode(b"\xFE\xFF\0h\0i".to_vec()), Ok("hi".to_owned()));
        assert!(decode(b"\xFF\xFEh\0i".to_vec()).is_err());
        let err = decode(b"ok \xC3\x28".to_vec()).unwrap_err();
        assert!(err.contains("offset 3") && err.contains("UTF-8"), "{err}");
    }
}
