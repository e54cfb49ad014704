//! Byte-to-char offset conversion for reports.
//!
//! Spans are byte offsets, but a person reading a report in a spreadsheet
//! counts characters, so reports convert with [`CharOffsets`]. It remembers
//! the last answer, so a run of increasing queries costs one pass over the
//! text in total; ASCII text needs no counting at all. It does not count
//! grapheme clusters: an emoji with a skin-tone modifier is two chars.

/// Converts byte offsets of one text to char (Unicode scalar) offsets. Reports use char offsets so they match what a person sees in a spreadsheet cell.
#[derive(Debug, Clone)]
pub struct CharOffsets<'a> {
    text: &'a str,
    ascii: bool,
    /// The last query's byte offset (a char boundary) and its char offset.
    last_byte: usize,
    last_char: usize,
}

impl<'a> CharOffsets<'a> {
    /// A converter for `text`.
    pub fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            last_byte: 0,
            last_char: 0,
        }
    }

    /// The char offset of `byte`: the index of the char containing it, or
    /// the text's char count when `byte` is at or past the end.
    pub fn get(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        if self.ascii {
            return byte;
        }
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let bytes = self.text.as_bytes();
        let chars = if byte >= self.last_byte {
            self.last_char + count_chars(&bytes[self.last_byte..byte])
        } else if byte >= self.last_byte / 2 {
            self.last_char - count_chars(&bytes[byte..self.last_byte])
        } else {
            count_chars(&bytes[..byte])
        };
        self.last_byte = byte;
        self.last_char = chars;
        chars
    }
}

/// Number of chars in a byte range that starts and ends on char boundaries:
/// every byte that is not a UTF-8 continuation byte starts one.
///
/// Bytes are looked at eight at a time, as the lanes of a `u64`: a query
/// can cross most of an article, and a byte loop costs several
/// instructions a byte.
fn count_chars(bytes: &[u8]) -> usize {
    // Each lane of the sum counts to at most 255 before it is added up.
    bytes.chunks(8 * 255).map(count_chars_short).sum()
}

/// [`count_chars`] for at most 255 words of eight bytes.
fn count_chars_short(bytes: &[u8]) -> usize {
    const LOW_BITS: u64 = 0x0101_0101_0101_0101;
    let (words, tail) = bytes.as_chunks::<8>();
    debug_assert!(words.len() <= 255);
    // A continuation byte is 0b10xx_xxxx: bit 7 set, bit 6 clear. Each
    // byte lane of `lanes` counts those of its position.
    let mut lanes = 0u64;
    for word in words {
        let word = u64::from_le_bytes(*word);
        lanes += (word >> 7) & !(word >> 6) & LOW_BITS;
    }
    // Adds the eight lanes: pairs into 16-bit lanes, then those four.
    const BYTE_PAIRS: u64 = 0x00FF_00FF_00FF_00FF;
    let pairs = (lanes & BYTE_PAIRS) + ((lanes >> 8) & BYTE_PAIRS);
    let continuations = (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
        + tail.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    bytes.len() - continuations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_multibyte_chars_in_any_order() {
        let text = "Ça “va” 🙂 שלום!";
        let mut offsets = CharOffsets::new(text);
        let expected: Vec<(usize, usize)> = text
            .char_indices()
            .enumerate()
            .map(|(n, (b, _))| (b, n))
            .collect();
        for &(byte, chars) in &expected {
            assert_eq!(offsets.get(byte), chars);
        }
        for &(byte, chars) in expected.iter().rev() {
            assert_eq!(offsets.get(byte), chars);
        }
        assert_eq!(offsets.get(text.len()), text.chars().count());
        assert_eq!(offsets.get(usize::MAX), text.chars().count());
        // Inside the 4-byte emoji: the emoji's own index.
        let emoji = text.find('🙂').unwrap_or(0);
        assert_eq!(offsets.get(emoji + 2), offsets.get(emoji));
        assert_eq!(offsets.get(0), 0);
    }

    #[test]
    fn counts_chars_of_long_texts_word_by_word() {
        // Longer than one block of 255 words, with chars of every length
        // across word boundaries.
        let text = "aé€🙂".repeat(300) + "tail é";
        let mut offsets = CharOffsets::new(&text);
        for (n, (byte, _)) in text.char_indices().enumerate().step_by(7) {
            assert_eq!(offsets.get(byte), n);
        }
        assert_eq!(offsets.get(text.len()), text.chars().count());
        assert_eq!(
            CharOffsets::new(&text).get(text.len()),
            text.chars().count()
        );
    }

    #[test]
    fn ascii_fast_path() {
        let mut offsets = CharOffsets::new("plain text");
        assert_eq!(offsets.get(5), 5);
        assert_eq!(offsets.get(99), 10);
        assert_eq!(CharOffsets::new("").get(3), 0);
    }
}
