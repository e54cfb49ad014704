//! Physical lines of a stream with their 1-based numbers, for the CSV and
//! JSON Lines readers.
//!
//! Lines keep their terminator (the CSV reader needs it to re-parse quoted
//! fields that span lines). A UTF-8 byte-order mark at the very start is
//! dropped. A line longer than [`MAX_LINE_BYTES`] is skipped rather than
//! buffered, so a file without newlines cannot exhaust memory. This module
//! does not decode text.

use std::io::{self, BufRead, Read};

/// Longest line, and longest CSV row, that is read by default; longer ones
/// are skipped. `--max-article-bytes` raises it (see [`super::Ctx`]).
pub(crate) const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// The UTF-8 encoding of U+FEFF, which some editors put at the start of a file.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One step of reading.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A line with its terminator, and its number.
    Line(Vec<u8>, u64),
    /// A line longer than [`MAX_LINE_BYTES`] that was skipped, and its number.
    TooLong(u64),
    /// Reading failed at this line number; nothing more will be read.
    Failed(io::Error, u64),
}

/// Reads [`Piece`]s from a buffered reader.
#[derive(Debug)]
pub(crate) struct LineReader<R> {
    reader: R,
    number: u64,
    finished: bool,
    /// Longest line kept, in bytes.
    limit: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Starts reading at line 1.
    #[cfg(test)]
    pub(crate) fn new(reader: R) -> LineReader<R> {
        LineReader::with_limit(reader, MAX_LINE_BYTES)
    }

    /// Starts reading at line 1, skipping lines longer than `limit` bytes.
    pub(crate) fn with_limit(reader: R, limit: usize) -> LineReader<R> {
        LineReader {
            reader,
            number: 0,
            finished: false,
            limit,
        }
    }

    /// Longest line kept, in bytes.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// The next line, or `None` at the end of input or after a failure.
    pub(crate) fn next_piece(&mut self) -> Option<Piece> {
        if self.finished {
            return None;
        }
        // Most lines lie whole in the reader's buffer: copied once, at
        // their size, rather than grown by doubling.
        if let Ok(buffer) = self.reader.fill_buf()
            && let Some(end) = memchr::memchr(b'\n', buffer)
            && end <= self.limit
        {
            let line = buffer[..=end].to_vec();
            self.reader.consume(end + 1);
            self.number += 1;
            return Some(self.line(line));
        }
        let mut line = Vec::new();
        let limit = (self.limit as u64).saturating_add(1);
        let read = (&mut self.reader).take(limit).read_until(b'\n', &mut line);
        let number = self.number + 1;
        match read {
            Ok(0) => {
                self.finished = true;
                None
            }
            Ok(_) => {
                self.number = number;
                if line.len() > self.limit && line.last() != Some(&b'\n') {
                    if let Err(e) = self.reader.skip_until(b'\n') {
                        self.finished = true;
                        return Some(Piece::Failed(e, number));
                    }
                    return Some(Piece::TooLong(number));
                }
                Some(self.line(line))
            }
            Err(e) => {
                self.finished = true;
                Some(Piece::Failed(e, number))
            }
        }
    }
}

impl<R> LineReader<R> {
    /// The line just read, numbered, without the byte-order mark that may
    /// open the first.
    fn line(&self, mut line: Vec<u8>) -> Piece {
        if self.number == 1 && line.starts_with(BOM) {
            line.drain(..BOM.len());
        }
        Piece::Line(line, self.number)
    }
}

/// True if the line holds nothing but ASCII whitespace.
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_keeps_terminators_and_drops_bom() {
        let input: &[u8] = b"\xEF\xBB\xBFa\r\n\nb";
        let mut lines = LineReader::new(input);
        let mut got = Vec::new();
        while let Some(piece) = lines.next_piece() {
            match piece {
                Piece::Line(bytes, n) => got.push((bytes, n)),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(
            got,
            vec![
                (b"a\r\n".to_vec(), 1),
                (b"\n".to_vec(), 2),
                (b"b".to_vec(), 3)
            ]
        );
    }

    #[test]
    fn skips_overlong_lines() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.extend_from_slice(b"\nnext\n");
        let mut lines = LineReader::new(input.as_slice());
        assert!(matches!(lines.next_piece(), Some(Piece::TooLong(1))));
        assert!(matches!(lines.next_piece(), Some(Piece::Line(l, 2)) if l == b"next\n"));
        assert!(lines.next_piece().is_none());
    }

    /// A line of exactly the limit is kept and one byte more is skipped,
    /// whether the line lies in the reader's buffer or spans refills.
    #[test]
    fn limit_is_the_same_in_and_across_buffers() {
        let input: &[u8] = b"\xEF\xBB\xBFabcd\nabcdefgh\nxy\n";
        for capacity in [2, 3, 64] {
            let reader = std::io::BufReader::with_capacity(capacity, input);
            let mut lines = LineReader::with_limit(reader, 7);
            let mut got = Vec::new();
            while let Some(piece) = lines.next_piece() {
                got.push(match piece {
                    Piece::Line(bytes, n) => format!("{n}:{}", String::from_utf8_lossy(&bytes)),
                    Piece::TooLong(n) => format!("{n}:too long"),
                    Piece::Failed(e, n) => format!("{n}:{e}"),
                });
            }
            assert_eq!(
                got,
                ["1:abcd\n", "2:too long", "3:xy\n"],
                "capacity {capacity}"
            );
        }
    }
}
