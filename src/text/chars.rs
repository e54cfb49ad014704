//! Small char-level helpers shared by the segmenters.
//!
//! Every lookup goes through `str::get`, so a position that is out of range or
//! not on a char boundary yields `None` (or the range end) instead of a panic.

/// The char starting at byte `at`, if `at` is a char boundary inside `text`.
pub(super) fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The char ending at byte `at`, if `at` is a char boundary after the start.
pub(super) fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// The first byte at or after `from` (and before `end`) that is not whitespace; `end` if none.
pub(super) fn skip_whitespace(text: &str, from: usize, end: usize) -> usize {
    let Some(rest) = text.get(from..end) else {
        return end;
    };
    end - rest.trim_start().len()
}

/// The end of `start..end` with trailing whitespace removed (never before `start`).
pub(super) fn trim_end(text: &str, start: usize, end: usize) -> usize {
    text.get(start..end)
        .map_or(start, |slice| start + slice.trim_end().len())
}

/// Hyphen and dashes that can lead a stray fragment (`-Russian officials said`).
pub(super) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‒' | '–' | '—' | '―' | '−')
}

/// List bullets.
pub(super) fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '▪' | '●' | '◦' | '‣' | '∙' | '·' | '*' | '►' | '■' | '□' | '➢'
    )
}

/// Quote marks that open a quotation, in any of the styles news copy uses.
pub(super) fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '‚' | '«' | '‹')
}

/// Brackets that open a parenthetical.
pub(super) fn is_opening_bracket(c: char) -> bool {
    matches!(c, '(' | '[' | '{')
}
