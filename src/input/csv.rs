//! CSV reader: a header row, then one article per row.
//!
//! Rows are cut out of the stream line by line with a small quote-aware
//! scanner, and each row is then parsed with the `csv` crate. Cutting rows
//! ourselves is what lets a row with an unbalanced quote fail alone: left to
//! itself, a CSV parser reads every following row into the open quoted field.
//! When a quoted field spans lines but does not close into a row of the
//! header's width, the first line is reported as the bad row and reading
//! resumes on the line after it.
//!
//! The delimiter is `,` (`\t` for `.tsv`) unless the header line clearly uses
//! tabs or semicolons instead. This module does not guess columns from their
//! contents, and holds one row in memory (plus, after a bad quote, the lines
//! waiting to be read again).

use std::collections::VecDeque;
use std::io::{BufRead, Cursor, SeekFrom};
use std::path::PathBuf;

use ::csv::{ByteRecord, Position, Reader, ReaderBuilder};

use super::fields::{Field, FieldValues, Slots};
use super::lines::{LineReader, Piece, is_blank};
use super::{Ctx, InputError, Record};

/// Records from a CSV stream.
pub(super) struct CsvRecords<R> {
    lines: LineReader<R>,
    /// Lines to read again before reading on (after an unbalanced quote).
    pending: VecDeque<Piece>,
    /// Records parsed but not yet returned.
    ready: VecDeque<Record>,
    ctx: Ctx,
    delimiter: u8,
    parser: RowParser,
    /// Header names, trimmed, for messages.
    columns: Vec<String>,
    slots: Slots,
    /// Data rows seen so far, good or bad.
    row: u64,
    done: bool,
}

/// Reads the header and returns the rows to come; a header without a body
/// column (or without a `--map`ped column) is an [`InputError`].
pub(super) fn open<R: BufRead>(
    reader: R,
    ctx: Ctx,
    default_delimiter: u8,
) -> Result<CsvRecords<R>, InputError> {
    let invalid = |message: String| InputError::Invalid {
        path: PathBuf::from(&ctx.file),
        message,
    };
    let mut lines = LineReader::with_limit(reader, ctx.record_limit());
    let header = loop {
        match lines.next_piece() {
            None => return Err(invalid("the file is empty: no header row".to_owned())),
            Some(Piece::Line(line, _)) if is_blank(&line) => continue,
            Some(Piece::Line(line, _)) => break line,
            Some(Piece::TooLong(n)) => {
                return Err(invalid(format!(
                    "line {n}: the header line is longer than {} bytes",
                    lines.limit()
                )));
            }
            Some(Piece::Failed(source, _)) => {
                return Err(InputError::Io {
                    path: PathBuf::from(&ctx.file),
                    source,
                });
            }
        }
    };
    // The header is taken to be one line: a column name with a line break in
    // it is far less likely than a stray quote.
    let delimiter = sniff_delimiter(&header, default_delimiter);
    let columns: Vec<String> = parse_rows(&header, delimiter)
        .first()
        .map(|record| {
            record
                .iter()
                .map(|name| String::from_utf8_lossy(name).trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let found = columns
        .iter()
        .map(|c| {
            if c.is_empty() {
                "(unnamed)"
            } else {
                c.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let slots = ctx.fields.resolve(columns.iter().map(String::as_str));
    for field in Field::ALL {
        if let Some(column) = ctx.fields.mapped(field)
            && slots[field.index()].is_none()
        {
            return Err(invalid(format!(
                "--map {}={column}: there is no column `{column}`; columns found: {found}",
                field.name()
            )));
        }
    }
    if slots[Field::Body.index()].is_none() {
        return Err(invalid(format!(
            "no body column (looked for {}); columns found: {found}; \
             use --map body=COLUMN to name the column that holds the article text",
            ctx.fields.looked_for(Field::Body)
        )));
    }
    Ok(CsvRecords {
        lines,
        pending: VecDeque::new(),
        ready: VecDeque::new(),
        ctx,
        delimiter,
        parser: RowParser::new(delimiter),
        columns,
        slots,
        row: 0,
        done: false,
    })
}

impl<R: BufRead> Iterator for CsvRecords<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(record) = self.ready.pop_front() {
                return Some(record);
            }
            if self.done {
                return None;
            }
            self.step();
        }
    }
}

impl<R: BufRead> CsvRecords<R> {
    fn take(&mut self) -> Option<Piece> {
        self.pending.pop_front().or_else(|| self.lines.next_piece())
    }

    /// Reads one row (or skips one blank line) into `ready`.
    fn step(&mut self) {
        let (first, first_number) = match self.take() {
            None => {
                self.done = true;
                return;
            }
            Some(Piece::Line(line, n)) => (line, n),
            Some(Piece::TooLong(n)) => {
                self.row += 1;
                let location = self.location(n);
                let reason = self.ctx.too_long("row", self.lines.limit());
                self.ready
                    .push_back(Err(self.ctx.error(&location, "", reason)));
                return;
            }
            Some(Piece::Failed(e, n)) => {
                self.done = true;
                let location = format!("line {n}");
                let reason = format!("read error: {e}");
                self.ready
                    .push_back(Err(self.ctx.error(&location, "", reason)));
                return;
            }
        };
        if is_blank(&first) {
            return;
        }

        // Gather lines while a quoted field is open.
        let mut buf = first;
        let mut starts = vec![(0, first_number)];
        let mut state = scan(&buf, self.delimiter, Scan::FieldStart);
        // The quoted field could not be closed: end of input, a line too long
        // to add, or a read error (the last two are handled after this row).
        let mut unclosed = false;
        while state == Scan::Quoted {
            match self.take() {
                Some(Piece::Line(line, n)) if buf.len() + line.len() <= self.lines.limit() => {
                    state = scan(&line, self.delimiter, state);
                    starts.push((buf.len(), n));
                    buf.extend_from_slice(&line);
                }
                Some(other) => {
                    self.pending.push_front(other);
                    unclosed = true;
                    break;
                }
                None => {
                    unclosed = true;
                    break;
                }
            }
        }

        let rows = self.parser.parse(&buf);
        if starts.len() > 1 {
            let fits = !unclosed && rows.len() == 1 && rows[0].len() == self.columns.len();
            if !fits {
                self.unbalanced(&buf, &starts, unclosed, &rows);
                return;
            }
        }
        for row in rows {
            self.push_row(&row, first_number);
        }
    }

    /// Reports the first line of a multi-line row as an unbalanced quote and
    /// queues the other lines to be read again as rows of their own.
    fn unbalanced(
        &mut self,
        buf: &[u8],
        starts: &[(usize, u64)],
        unclosed: bool,
        rows: &[ByteRecord],
    ) {
        self.row += 1;
        let first = starts[0].1;
        let location = self.location(first);
        let what = if unclosed {
            "is never closed".to_owned()
        } else {
            let last = starts.last().map_or(first, |s| s.1);
            let width: usize = rows.iter().map(ByteRecord::len).sum();
            format!(
                "runs on to line {last} and leaves {width} fields where the header has {}",
                self.columns.len()
            )
        };
        let reason = format!(
            "unbalanced quote: a quoted field opened on this line {what}; \
             the row is skipped and reading resumes on line {}",
            first + 1
        );
        self.ready
            .push_back(Err(self.ctx.error(&location, "", reason)));
        for i in (1..starts.len()).rev() {
            let (start, number) = starts[i];
            let end = starts.get(i + 1).map_or(buf.len(), |s| s.0);
            self.pending
                .push_front(Piece::Line(buf[start..end].to_vec(), number));
        }
    }

    fn location(&self, line: u64) -> String {
        format!("row {} (line {line})", self.row)
    }

    /// Turns one parsed row into a record.
    fn push_row(&mut self, row: &ByteRecord, line: u64) {
        self.row += 1;
        let location = self.location(line);
        let id = self.slots[Field::Id.index()]
            .and_then(|i| row.get(i))
            .and_then(|raw| std::str::from_utf8(raw).ok())
            .map_or("", str::trim);
        if row.len() != self.columns.len() {
            let reason = format!(
                "row has {} fields but the header has {}; check the quoting and the delimiter",
                row.len(),
                self.columns.len()
            );
            let error = self.ctx.error(&location, id, reason);
            self.ready.push_back(Err(error));
            return;
        }
        let mut values = FieldValues::default();
        for field in Field::ALL {
            let Some(i) = self.slots[field.index()] else {
                continue;
            };
            let raw = row.get(i).unwrap_or_default();
            match std::str::from_utf8(raw) {
                Ok(text) => values[field.index()] = text.to_owned(),
                Err(e) => {
                    let column = self.columns.get(i).map_or("", String::as_str);
                    let reason = format!(
                        "column `{column}` is not valid UTF-8 (bad byte at offset {} of the field); \
                         re-save the file as UTF-8",
                        e.valid_up_to()
                    );
                    let error = self.ctx.error(&location, id, reason);
                    self.ready.push_back(Err(error));
                    return;
                }
            }
        }
        let record = self.ctx.article(values, Some(self.row), &location);
        self.ready.push_back(record);
    }
}

/// Where the scanner is within a row, mirroring the `csv` crate's parser
/// (double quotes escape quotes; a quote only opens a field at its start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    /// Just read a quote inside a quoted field: it closes the field unless
    /// another quote follows.
    QuoteInQuoted,
}

/// The scanner state after `bytes`, starting from `state`.
fn scan(bytes: &[u8], delimiter: u8, mut state: Scan) -> Scan {
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes are inside a field and change nothing: jump to the next
        // byte that can.
        let rest = &bytes[i..];
        let skip = match state {
            Scan::Quoted => memchr::memchr(b'"', rest),
            Scan::Unquoted => memchr::memchr3(delimiter, b'\n', b'\r', rest),
            Scan::FieldStart | Scan::QuoteInQuoted => Some(0),
        };
        let Some(skip) = skip else {
            return state;
        };
        i += skip;
        let Some(&b) = bytes.get(i) else {
            return state;
        };
        i += 1;
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        state = match state {
            Scan::FieldStart | Scan::Unquoted if ends_field => Scan::FieldStart,
            Scan::FieldStart if b == b'"' => Scan::Quoted,
            Scan::FieldStart | Scan::Unquoted => Scan::Unquoted,
            Scan::Quoted if b == b'"' => Scan::QuoteInQuoted,
            Scan::Quoted => Scan::Quoted,
            Scan::QuoteInQuoted if b == b'"' => Scan::Quoted,
            Scan::QuoteInQuoted if ends_field => Scan::FieldStart,
            Scan::QuoteInQuoted => Scan::Unquoted,
        };
    }
    state
}

/// The `csv` parser settings every row is read with.
fn builder(delimiter: u8) -> ReaderBuilder {
    let mut builder = ReaderBuilder::new();
    builder
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter);
    builder
}

/// Every row in `bytes` (usually one; more if rows end in a lone `\r`).
fn parse_rows(bytes: &[u8], delimiter: u8) -> Vec<ByteRecord> {
    read_all(&mut builder(delimiter).from_reader(bytes))
}

fn read_all<R: std::io::Read>(reader: &mut Reader<R>) -> Vec<ByteRecord> {
    let mut rows = Vec::new();
    let mut row = ByteRecord::new();
    // Reading from memory, the only errors are I/O errors, which cannot occur.
    while let Ok(true) = reader.read_byte_record(&mut row) {
        rows.push(row.clone());
    }
    rows
}

/// One `csv` reader reused for every row: building a reader compiles its
/// state machine, which costs far more than parsing a typical row.
struct RowParser {
    reader: Reader<Cursor<Vec<u8>>>,
    delimiter: u8,
}

impl RowParser {
    fn new(delimiter: u8) -> RowParser {
        RowParser {
            reader: builder(delimiter).from_reader(Cursor::new(Vec::new())),
            delimiter,
        }
    }

    /// Every row in `bytes`, like [`parse_rows`].
    fn parse(&mut self, bytes: &[u8]) -> Vec<ByteRecord> {
        let buffer = self.reader.get_mut().get_mut();
        buffer.clear();
        buffer.extend_from_slice(bytes);
        // Seeking to the start resets the parser and drops what it buffered.
        match self.reader.seek_raw(SeekFrom::Start(0), Position::new()) {
            Ok(()) => read_all(&mut self.reader),
            Err(_) => parse_rows(bytes, self.delimiter),
        }
    }
}

/// The header's delimiter: the default, unless tabs or semicolons clearly
/// outnumber it (spreadsheets in many locales export `;`).
fn sniff_delimiter(header: &[u8], default: u8) -> u8 {
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    let mut best = default;
    let mut best_count = count(default);
    for candidate in [b',', b'\t', b';'] {
        let n = count(candidate);
        if n > best_count {
            best = candidate;
            best_count = n;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_tracks_quotes_like_the_csv_crate() {
        let s = |text: &str| scan(text.as_bytes(), b',', Scan::FieldStart);
        assert_eq!(s("a,b,c\n"), Scan::FieldStart);
        assert_eq!(s("a,\"b\nc"), Scan::Quoted);
        assert_eq!(s("a,\"b\"\"c\n"), Scan::Quoted);
        assert_eq!(s("a,\"b\"\"c\"\n"), Scan::FieldStart);
        assert_eq!(s("a,b\"c,d\n"), Scan::FieldStart);
        assert_eq!(s("a,\"b\" c,d\n"), Scan::FieldStart);
        assert_eq!(scan(b"still open\n", b',', Scan::Quoted), Scan::Quoted);
        assert_eq!(scan(b"closes\",x\n", b',', Scan::Quoted), Scan::FieldStart);
    }

    #[test]
    fn fast_scanner_matches_byte_by_byte_scanner() {
        fn slow(bytes: &[u8], delimiter: u8, mut state: Scan) -> Scan {
            for &b in bytes {
                state = scan(&[b], delimiter, state);
            }
            state
        }
        let alphabet = b"a,;\"\r\n x";
        let mut seed: u32 = 12345;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len % 40)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    alphabet[(seed >> 16) as usize % alphabet.len()]
                })
                .collect();
            for start in [
                Scan::FieldStart,
                Scan::Unquoted,
                Scan::Quoted,
                Scan::QuoteInQuoted,
            ] {
                assert_eq!(
                    scan(&bytes, b',', start),
                    slow(&bytes, b',', start),
                    "{:?} from {start:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }

    #[test]
    fn sniffs_tabs_and_semicolons() {
        assert_eq!(sniff_delimiter(b"id,title,body\n", b','), b',');
        assert_eq!(sniff_delimiter(b"id\ttitle\tbody\n", b','), b'\t');
        assert_eq!(sniff_delimiter(b"id;title;body\n", b','), b';');
        assert_eq!(sniff_delimiter(b"body\n", b'\t'), b'\t');
        assert_eq!(sniff_delimiter(b"a,b\tc\n", b'\t'), b'\t');
    }

    #[test]
    fn parses_quoted_rows_and_lone_cr_rows() {
        let rows = parse_rows(b"1,\"a, \"\"b\"\"\nc\",d\r\n", b',');
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get(1), Some(&b"a, \"b\"\nc"[..]));
        assert_eq!(parse_rows(b"a,b\rc,d\r", b',').len(), 2);
        let mut parser = RowParser::new(b',');
        for _ in 0..3 {
            let rows = parser.parse(b"1,\"x\ny\",z\n");
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].get(1), Some(&b"x\ny"[..]));
            assert_eq!(parser.parse(b"a,b\rc,d\r").len(), 2);
            assert_eq!(parser.parse(b"\"open,q\n").len(), 1);
        }
    }
}
